"""Which generator this is: a hash that changes whenever its output for the same spec might.

It covers dynagen's version, the sources that generation runs (`dynagen/__init__.py`,
`files.py`, `naming.py`, `limits.py`, `codegen/`, `spec/`: not the runtime, commands or ops) and the
templates, by content with line ends normalised, under names relative to their folder, and the
versions of black, Jinja2 and PyYAML. Nothing in it depends on the machine, the checkout's place
or file times, so the same generator gives the same identity everywhere: it is part of every
generated file's stamp (stamp.input_hash), which a fresh CI machine compares without rendering.

It is cheap (a few milliseconds: ~70 small files hashed, no import of black, Jinja2 or PyYAML),
because `dynagen check` computes it on every run. tests/codegen/test_warm_build.py holds that
every dynagen module and template a build uses is covered.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import os
import re
from pathlib import Path

from dynagen import __version__
from dynagen.codegen.memo import templates_dir

_FORMAT = "1"  # bump when what the identity covers changes meaning
SOURCES = ("__init__.py", "files.py", "naming.py", "limits.py", "codegen", "spec")
"""What generation runs, relative to the dynagen package: files, and folders of `*.py`."""
THIRD_PARTY = (("black", "black"), ("Jinja2", "jinja2"), ("PyYAML", "yaml"))
"""(distribution, import name) of what parses, renders and formats."""


def source_files() -> list[tuple[str, Path]]:
    """(name relative to its root, path) of every file the identity hashes, in a fixed order."""
    package = Path(__file__).resolve().parent.parent
    found: list[tuple[str, Path]] = []
    for entry in SOURCES:
        path = package / entry
        if path.is_dir():
            found += [(p.relative_to(package).as_posix(), p) for p in path.rglob("*.py")]
        else:
            found.append((entry, path))
    templates = templates_dir()
    for path in templates.rglob("*"):
        relative = path.relative_to(templates)
        hidden = any(part.startswith(".") or part == "__pycache__" for part in relative.parts)
        if path.is_file() and not hidden:
            found.append((f"templates/{relative.as_posix()}", path))
    return sorted(found)


@functools.lru_cache(maxsize=1)
def generator_identity() -> str:
    """The identity as hex; computed once per process."""
    hasher = hashlib.sha256(f"dynagen-generator\0{_FORMAT}\0{__version__}\0".encode())
    for name, path in source_files():
        data = path.read_bytes().replace(b"\r\n", b"\n")  # a CRLF checkout is the same generator
        hasher.update(f"{name}\0{len(data)}\0".encode("utf-8", "surrogatepass"))
        hasher.update(data)
    for distribution, module in THIRD_PARTY:
        hasher.update(f"{distribution}\0{installed_version(distribution, module)}\0".encode())
    return hasher.hexdigest()


def _normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def installed_version(distribution: str, module: str) -> str:
    """The installed version of `distribution`, or "absent"; without importing it.

    The installed record (`<name>-<version>.dist-info`, next to the module's package) names it;
    importlib.metadata, which finds the same record, costs ~30-90 ms to import, so it is only the
    fallback for installs laid out otherwise.
    """
    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        spec = None
    if spec is None or spec.origin is None:
        return "absent"
    origin = Path(spec.origin)
    site = origin.parent.parent if origin.name.startswith("__init__.") else origin.parent
    wanted = _normalized(distribution)
    try:
        entries = os.listdir(site)
    except OSError:
        entries = []
    for entry in entries:
        if entry.endswith(".dist-info") and entry.count("-") == 1:
            name, version = entry[: -len(".dist-info")].split("-")
            if _normalized(name) == wanted:
                return version
    from importlib import metadata

    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "unknown"
