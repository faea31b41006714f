"""The whole generator in one call: spec paths -> {file name: formatted text}, or every spec error."""

from __future__ import annotations

import os
from pathlib import Path

from dynagen import __version__
from dynagen.codegen.output import format_python
from dynagen.codegen.render import RUNTIME_API, render_module, render_package_init
from dynagen.codegen.view import module_view
from dynagen.spec.diagnostics import Diagnostic, SpecErrors
from dynagen.spec.validate import validate_files

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


def generate(inputs: list[str]) -> dict[str, str]:
    """Render every spec; raises SpecErrors with all diagnostics if any spec is wrong."""
    paths, problems = find_specs(inputs)
    tables, diagnostics = validate_files(paths)
    diagnostics = problems + diagnostics
    if diagnostics:
        raise SpecErrors(diagnostics)
    files: dict[str, str] = {}
    for table in sorted(tables, key=lambda t: t.module):
        view = module_view(table, dynagen_version=__version__, api_version=RUNTIME_API)
        name = f"{table.module}.py"
        files[name] = format_python(render_module(view), name=name)
    modules = sorted(table.module for table in tables)
    files["__init__.py"] = format_python(
        render_package_init(modules, __version__), name="__init__.py"
    )
    files["py.typed"] = ""
    return files
