"""Spec loading and validation: YAML text -> positioned nodes -> a checked, frozen model."""
