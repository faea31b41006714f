"""What several verbs share: the codegen-extra check, reading specs, and reporting spec problems.

Nothing here imports the generator's dependencies at module level; `load_tables` imports the
spec layer (PyYAML) only when called, after `require_generator` has passed.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from typing import TYPE_CHECKING, Iterable, Sequence

if TYPE_CHECKING:
    from dynagen.spec.diagnostics import Diagnostic
    from dynagen.spec.model import Table

GENERATOR_NEEDS = (("Jinja2", "jinja2"), ("PyYAML", "yaml"), ("black", "black"))
"""(distribution, import name) of what the generator needs beyond the runtime: the `codegen` extra.

`pip install dynagen` is the runtime only, so the command has to say what is missing rather than
fail with an ImportError traceback from deep inside the generator.
"""

FORMATS = ("text", "github")


def missing_generator_modules() -> list[str]:
    """Import names of the generator's dependencies that this environment cannot import."""
    return [module for _, module in GENERATOR_NEEDS if not _importable(module)]


def _importable(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ImportError:  # a finder that refuses the name: as good as absent
        return False


def install_hint(missing: list[str]) -> str:
    """The one line that tells a runtime-only installation how to get the generator."""
    names = [distribution for distribution, _ in GENERATOR_NEEDS]
    needs = ", ".join(names[:-1]) + " and " + names[-1]
    return (
        f'dynagen: the code generator needs {needs}: pip install "dynagen[codegen]" '
        f"(missing: {', '.join(missing)})"
    )


def require_generator() -> bool:
    """True when the codegen extra is importable; otherwise print the install hint."""
    missing = missing_generator_modules()
    if missing:
        print(install_hint(missing), file=sys.stderr)
        return False
    return True


def generator_import_failed(error: ModuleNotFoundError) -> bool:
    """For a late import that failed: print the hint and return True if it was the extra's fault."""
    root = (error.name or "").split(".")[0]
    if root not in {module for _, module in GENERATOR_NEEDS}:
        return False
    print(install_hint([root]), file=sys.stderr)
    return True


def add_spec_inputs(parser: argparse.ArgumentParser, format_flag: str = "--format") -> None:
    """The spec files a verb reads, and how it prints their problems (`export` and `tables` call
    that `--errors`: their `--format` and `--json` choose their own output)."""
    parser.add_argument(
        "paths", nargs="+", metavar="PATH", help="spec files, or folders of *.yaml / *.yml specs"
    )
    parser.add_argument(
        format_flag,
        choices=FORMATS,
        default="text",
        help="how spec problems are printed: `text` (path:line:col: error: ...) or `github` "
        "(GitHub Actions annotations, ::error file=...,line=...,col=...::message)",
    )


def add_repeatable(
    parser: argparse.ArgumentParser, flag: str, choices: Sequence[str], metavar: str, help: str
) -> None:
    """An option given once per value (`--allow WIRE --allow KEYS`), each one of `choices`."""
    parser.add_argument(
        flag, action="append", default=[], choices=choices, metavar=metavar, help=help
    )


def github_escape(text: str, *, property_value: bool = False) -> str:
    """GitHub's workflow-command escaping: % CR LF always, and : , inside property values."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def annotation(level: str, path: str, line: int, col: int, message: str) -> str:
    """`::error file=PATH,line=N,col=N::MESSAGE`, escaped as GitHub Actions reads it."""
    file = github_escape(path, property_value=True)
    return f"::{level} file={file},line={line},col={col}::{github_escape(message)}"


def print_diagnostics(diagnostics: Iterable[Diagnostic], fmt: str, *, level: str = "error") -> None:
    """Every problem, as text on stderr or as GitHub annotations on stdout (where Actions reads them)."""
    for diagnostic in diagnostics:
        if fmt == "github":
            print(
                annotation(
                    level, diagnostic.path, diagnostic.line, diagnostic.col, diagnostic.message
                )
            )
        elif level == "error":
            print(diagnostic, file=sys.stderr)
        else:
            print(
                f"{diagnostic.path}:{diagnostic.line}:{diagnostic.col}: {level}: "
                f"{diagnostic.message}",
                file=sys.stderr,
            )


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


def report_spec_errors(diagnostics: Sequence[Diagnostic], fmt: str, what: str) -> int:
    """Print every spec problem and the closing line (`N errors; WHAT`); returns exit code 1."""
    print_diagnostics(diagnostics, fmt)
    print(f"dynagen: {plural(len(diagnostics), 'error')}; {what}", file=sys.stderr)
    return 1


def load_tables(inputs: list[str]) -> tuple[list[Table], list[Diagnostic]]:
    """The specs named by `inputs` (files or folders), checked; every problem if any is wrong."""
    from dynagen.files import find_specs
    from dynagen.spec.check import validate_files

    paths, problems = find_specs(inputs)
    tables, diagnostics = validate_files(paths)
    return tables, problems + diagnostics


def checked_specs(inputs: list[str], fmt: str, consequence: str) -> list[Table] | None:
    """The specs, checked; None (with the install hint or every problem printed) if not usable.

    The opening of every verb that reads specs: the `codegen` extra must be there, and a spec
    problem stops the verb with `N errors; CONSEQUENCE` (what was therefore not done).
    """
    if not require_generator():
        return None
    tables, diagnostics = load_tables(inputs)
    if diagnostics:
        report_spec_errors(diagnostics, fmt, consequence)
        return None
    return tables


def write_output(text: str, out: str | None) -> int:
    """`text` to the file `out`, or to standard output when None; the exit code (1: not written)."""
    if out is None:
        sys.stdout.write(text)
        return 0
    try:
        with open(out, "w", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as error:
        print(f"dynagen: cannot write {out}: {error}", file=sys.stderr)
        return 1
    return 0


def position(source: str, where: Sequence[str]) -> tuple[int, int]:
    """The line and column of the deepest part of `where` that the spec file has."""
    from pathlib import Path

    from dynagen.spec.load import Map, load_spec

    try:
        text = Path(source).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return 1, 1
    node, _ = load_spec(source, text)
    line, col = 1, 1
    for part in where:
        if not isinstance(node, Map):
            break
        for key, value in node.entries:
            if key.text == part:
                line, col, node = key.line, key.col, value
                break
        else:
            break
    return line, col
