"""`dynagen check`: regenerate in memory; print a unified diff and exit 1 if OUT differs."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dynagen.commands import build

HELP = "regenerate in memory; print a unified diff and exit 1 if OUT differs"


def configure(parser: argparse.ArgumentParser) -> None:
    build.configure(parser)


def run(args: argparse.Namespace) -> int:
    files = build.generate_or_report(args)
    if isinstance(files, int):
        return files
    from dynagen.codegen.output import compare

    out = Path(args.out)
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
