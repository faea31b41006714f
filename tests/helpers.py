"""Helpers shared by the test layers: build a module from spec text and import it."""

from __future__ import annotations

import importlib
import sys
import textwrap
import uuid
from pathlib import Path
from types import ModuleType
from typing import Any

from dynagen.codegen.generate import generate


def build_modules(tmp_path: Path, specs: dict[str, str]) -> Path:
    """Write the specs, generate into a fresh package under tmp_path; returns the package folder."""
    spec_dir = tmp_path / "specs"
    spec_dir.mkdir(exist_ok=True)
    for name, text in specs.items():
        (spec_dir / name).write_text(textwrap.dedent(text), encoding="utf-8")
    package = tmp_path / f"gen_{uuid.uuid4().hex[:8]}"
    package.mkdir()
    for name, text in generate([str(spec_dir)]).items():
        (package / name).write_text(text, encoding="utf-8")
    return package


def import_generated(package: Path, module: str) -> ModuleType:
    if str(package.parent) not in sys.path:
        sys.path.insert(0, str(package.parent))
    return importlib.import_module(f"{package.name}.{module}")


def build_module(tmp_path: Path, spec: str, module: str) -> ModuleType:
    """Generate one spec's module and import it."""
    return import_generated(build_modules(tmp_path, {f"{module}.yaml": spec}), module)


def unique_name(prefix: str) -> str:
    """A fresh table name per test, so tests never see each other's items."""
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def sets_unordered(wire: Any) -> Any:
    """A wire value as DynamoDB means it: each set's members sorted, as a set has no order (its
    order on the wire follows Python's hash seed), so two writes of one item compare equal."""
    if isinstance(wire, dict):
        return {
            k: sorted(v) if k in ("SS", "NS", "BS") else sets_unordered(v) for k, v in wire.items()
        }
    if isinstance(wire, list):
        return [sets_unordered(v) for v in wire]
    return wire
