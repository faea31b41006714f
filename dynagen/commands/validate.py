"""`dynagen validate`: check specs and report every positioned problem; nothing is generated."""

from __future__ import annotations

import argparse

from dynagen.commands import common

HELP = "check specs: every problem with its line and column, nothing written (exit 1 on any)"


def configure(parser: argparse.ArgumentParser) -> None:
    common.add_spec_inputs(parser)


def run(args: argparse.Namespace) -> int:
    tables = common.checked_specs(args.paths, args.format, "specs are not valid")
    if tables is None:
        return 1
    print(f"dynagen: {common.plural(len(tables), 'spec')} valid")
    return 0
