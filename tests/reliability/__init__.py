"""Reliability tests: faults, contention, properties, bad specs, bad data and security."""
