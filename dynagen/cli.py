"""The `dynagen` command: `build` writes modules from specs, `check` reports drift without writing."""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path

from dynagen import __version__

GENERATOR_NEEDS = (("Jinja2", "jinja2"), ("PyYAML", "yaml"), ("black", "black"))
"""(distribution, import name) of what the generator needs beyond the runtime: the `codegen` extra.

`pip install dynagen` is the runtime only, so the command has to say what is missing rather than
fail with an ImportError traceback from deep inside the generator.
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dynagen",
        description="Generate typed Python modules for DynamoDB tables from YAML specs.",
    )
    parser.add_argument("--version", action="version", version=f"dynagen {__version__}")
    verbs = parser.add_subparsers(dest="verb", required=True, metavar="VERB")
    for verb, summary in (
        ("build", "write one module per spec into OUT (plus __init__.py and py.typed)"),
        ("check", "regenerate in memory; print a unified diff and exit 1 if OUT differs"),
    ):
        sub = verbs.add_parser(verb, help=summary, description=summary)
        sub.add_argument(
            "paths",
            nargs="+",
            metavar="PATH",
            help="spec files, or folders of *.yaml / *.yml specs",
        )
        sub.add_argument(
            "-o", "--out", required=True, metavar="OUT", help="the folder of generated modules"
        )
    return parser


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


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    missing = missing_generator_modules()
    if missing:
        print(install_hint(missing), file=sys.stderr)
        return 1
    try:
        # Imported late: `--help` and `--version` stay fast, and work without the codegen extra.
        from dynagen.codegen.generate import generate
        from dynagen.codegen.output import compare, write_all
        from dynagen.spec.diagnostics import SpecErrors
    except ModuleNotFoundError as error:  # present but not importable, e.g. a broken install
        root = (error.name or "").split(".")[0]
        if root not in {module for _, module in GENERATOR_NEEDS}:
            raise
        print(install_hint([root]), file=sys.stderr)
        return 1

    try:
        files = generate(args.paths)
    except SpecErrors as errors:
        for diagnostic in errors.diagnostics:
            print(diagnostic, file=sys.stderr)
        count = len(errors.diagnostics)
        print(
            f"dynagen: {count} error{'s' if count != 1 else ''}; nothing written", file=sys.stderr
        )
        return 1
    out = Path(args.out)
    if args.verb == "build":
        try:
            changes = write_all(out, files)
        except OSError as error:
            print(f"dynagen: cannot write {out}: {error}", file=sys.stderr)
            return 1
        modules = sum(1 for name in files if name.endswith(".py") and name != "__init__.py")
        print(
            f"dynagen: {modules} module{'s' if modules != 1 else ''} in {out} ({len(changes)} file(s) changed)"
        )
        return 0
    changes = compare(out, files)
    for change in changes:
        sys.stdout.write(
            change.diff if change.diff else f"--- {out / change.name}\n+++ (generated, empty)\n"
        )
    if changes:
        names = ", ".join(f"{c.name} ({c.status})" for c in changes)
        print(f"dynagen: {out} is out of date: {names}; run `dynagen build`", file=sys.stderr)
        return 1
    print(f"dynagen: {out} is up to date")
    return 0
