"""Printed tables (aligned columns) and the JSON file with every figure, the machine and the command."""

from __future__ import annotations

import datetime
import json
import math
import os
import platform
import subprocess
import sys
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from benchmarks.common import JSON, OUT_DIR, ROOT

PACKAGES = ("dynagen", "boto3", "botocore", "pynamodb", "black", "Jinja2", "PyYAML")


@dataclass
class Table:
    """One printed table: a title, column headers, rows of cells, notes printed under it."""

    title: str
    headers: list[str]
    rows: list[list[str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    labels: int = 1  # the first `labels` columns are text (left-aligned), the rest figures

    def add(self, *cells: str) -> None:
        self.rows.append(list(cells))

    def render(self) -> str:
        widths = [len(h) for h in self.headers]
        for row in self.rows:
            for index, cell in enumerate(row):
                widths[index] = max(widths[index], len(cell))

        def line(cells: list[str]) -> str:
            parts = [
                cell.ljust(widths[i]) if i < self.labels else cell.rjust(widths[i])
                for i, cell in enumerate(cells)
            ]
            return "  ".join(parts).rstrip()

        out = [self.title, "=" * len(self.title), line(self.headers)]
        out.append("  ".join("-" * width for width in widths))
        out.extend(line(row) for row in self.rows)
        out.extend(f"  {note}" for note in self.notes)
        return "\n".join(out)


@dataclass
class SectionResult:
    """What a section hands back: tables to print and figures for the JSON file."""

    name: str
    tables: list[Table]
    figures: JSON


# ------------------------------------------------------------------------------- number formats


def us(seconds: float) -> str:
    """Seconds as microseconds."""
    return "-" if math.isnan(seconds) else f"{seconds * 1e6:,.1f}"


def ms(seconds: float) -> str:
    return "-" if math.isnan(seconds) else f"{seconds * 1e3:,.2f}"


def per_second(value: float) -> str:
    return "-" if math.isnan(value) else f"{value:,.0f}"


def times(value: float) -> str:
    return "-" if math.isnan(value) or math.isinf(value) else f"{value:.2f}x"


def secs(value: float) -> str:
    return "-" if math.isnan(value) else f"{value:.2f}"


def mib(value: float) -> str:
    return "-" if math.isnan(value) else f"{value / (1024 * 1024):,.1f}"


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


# ------------------------------------------------------------------------------- machine, output


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.lower().startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _git(*args: str) -> str:
    try:
        result = subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=10, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return result.stdout.strip()


def machine() -> JSON:
    versions: dict[str, str] = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    try:
        affinity = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        affinity = os.cpu_count() or 0
    return {
        "nproc": affinity,
        "cpu_count": os.cpu_count(),
        "cpu_model": cpu_model(),
        "platform": platform.platform(),
        "python": sys.version.split()[0],
        "python_implementation": platform.python_implementation(),
        "packages": versions,
        "git_commit": _git("rev-parse", "HEAD"),
        "git_dirty": bool(_git("status", "--porcelain", "--", "dynagen", "templates")),
        "load_average": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
    }


def _clean(value: Any) -> Any:
    """JSON has no NaN: write null instead."""
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    return value


def write_json(document: JSON, out_dir: Path = OUT_DIR) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    path = out_dir / f"results-{stamp}.json"
    path.write_text(
        json.dumps(_clean(document), indent=2, sort_keys=False) + "\n", encoding="utf-8"
    )
    return path
