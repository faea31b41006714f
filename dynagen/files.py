"""Which spec files a command names (files as given, folders expanded to their specs), and
their bytes.

It sits at the edge, outside the spec layer (which checks the bytes it is given) and outside the
code generator, so every verb finds and reads specs the same way, and a build can hash the very
bytes it then validates.
"""

from __future__ import annotations

import os
from pathlib import Path

from dynagen.spec.diagnostics import Diagnostic

SPEC_SUFFIXES = (".yaml", ".yml")


def find_specs(inputs: list[str]) -> tuple[list[str], list[Diagnostic]]:
    """Files as given, directories expanded to their *.yaml / *.yml files, sorted for stable output."""
    found: list[str] = []
    problems: list[Diagnostic] = []
    for name in inputs:
        path = Path(name)
        if path.is_dir():
            children = sorted(
                p for p in path.iterdir() if p.suffix in SPEC_SUFFIXES and p.is_file()
            )
            if not children:
                problems.append(
                    Diagnostic(name, 1, 1, "no *.yaml or *.yml spec files in this folder")
                )
            found.extend(_display(p) for p in children)
        elif path.is_file():
            found.append(_display(path))
        else:
            problems.append(Diagnostic(name, 1, 1, "no such file or folder"))
    unique = list(dict.fromkeys(found))
    return unique, problems


def _display(path: Path) -> str:
    """The path as it appears in headers and errors: relative to the working folder when inside it."""
    try:
        relative = Path(os.path.relpath(path.resolve(), Path.cwd()))
    except ValueError:  # another drive on Windows
        return path.as_posix()
    if path.is_absolute() and relative.parts[:1] == ("..",):
        return path.as_posix()  # outside the working folder: keep it as given
    return relative.as_posix()


def read_spec(path: str) -> bytes | OSError:
    """The file's bytes, or the error that reading it raised (reported as a spec problem)."""
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as error:
        return error
