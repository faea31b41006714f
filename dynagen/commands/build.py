"""`dynagen build`: write one module per spec into OUT (plus __init__.py and py.typed)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dynagen.commands import common

HELP = "write one module per spec into OUT (plus __init__.py and py.typed)"


def configure(parser: argparse.ArgumentParser) -> None:
    common.add_spec_inputs(parser)
    parser.add_argument(
        "-o", "--out", required=True, metavar="OUT", help="the folder of generated modules"
    )


def generate_or_report(args: argparse.Namespace) -> dict[str, str] | int:
    """The generated files, or the exit code after reporting why there are none (build and check)."""
    if not common.require_generator():
        return 1
    try:
        # Imported late: `--help` and `--version` stay fast, and work without the codegen extra.
        from dynagen.codegen.generate import generate
        from dynagen.spec.diagnostics import SpecErrors
    except ModuleNotFoundError as error:  # present but not importable, e.g. a broken install
        if not common.generator_import_failed(error):
            raise
        return 1
    try:
        return generate(args.paths, out=Path(args.out))
    except SpecErrors as errors:
        return common.report_spec_errors(errors.diagnostics, args.format, "nothing written")


def run(args: argparse.Namespace) -> int:
    files = generate_or_report(args)
    if isinstance(files, int):
        return files
    from dynagen.codegen.output import write_all

    out = Path(args.out)
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
