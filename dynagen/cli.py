"""The `dynagen` command: parses the arguments and hands them to the verb's module.

Each verb lives in `dynagen.commands.<verb>` (`HELP`, `configure(parser)`, `run(args)`); this
module only builds the parser from them and dispatches. Nothing here, nor in a verb module at
import time, needs Jinja2, PyYAML, black or boto3: `--help` and `--version` work on a
runtime-only install, and the verbs that need the `codegen` extra say what to install.
"""

from __future__ import annotations

import argparse
from types import ModuleType

from dynagen import __version__
from dynagen.commands import build, check, diff, export, schema, tables, validate, vet
from dynagen.commands.common import GENERATOR_NEEDS, install_hint, missing_generator_modules

__all__ = ["GENERATOR_NEEDS", "install_hint", "main", "missing_generator_modules"]

VERBS: dict[str, ModuleType] = {
    "build": build,
    "check": check,
    "validate": validate,
    "schema": schema,
    "export": export,
    "tables": tables,
    "diff": diff,
    "vet": vet,
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dynagen",
        description="Generate typed Python modules for DynamoDB tables from YAML specs.",
    )
    parser.add_argument("--version", action="version", version=f"dynagen {__version__}")
    verbs = parser.add_subparsers(dest="verb", required=True, metavar="VERB")
    for name, module in VERBS.items():
        sub = verbs.add_parser(name, help=module.HELP, description=module.HELP)
        module.configure(sub)
        sub.set_defaults(run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    code: int = args.run(args)
    return code
