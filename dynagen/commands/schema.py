"""`dynagen schema`: print the JSON Schema (draft 2020-12) of the spec format, shipped in the package."""

from __future__ import annotations

import argparse
from importlib import resources

from dynagen.commands import common

HELP = "print the JSON Schema (draft 2020-12) of the spec format, for editors and other tools"

SCHEMA_RESOURCE = ("dynagen.spec", "schema.json")


def schema_text() -> str:
    """The schema as shipped in the package (dynagen/spec/schema.json)."""
    package, name = SCHEMA_RESOURCE
    return resources.files(package).joinpath(name).read_text(encoding="utf-8")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-o",
        "--out",
        metavar="FILE",
        help="write the schema to FILE instead of standard output",
    )


def run(args: argparse.Namespace) -> int:
    code = common.write_output(schema_text(), args.out)
    if code == 0 and args.out is not None:
        print(f"dynagen: schema written to {args.out}")
    return code
