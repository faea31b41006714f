"""`dynagen vet PATHS`: warnings a DynamoDB expert would give about valid specs."""

from __future__ import annotations

import argparse
import sys

from dynagen.commands import common

HELP = (
    "warn about designs DynamoDB punishes: hot partitions, local indexes' 10 GB limit, "
    "large projections, scan-only tables"
)


def configure(parser: argparse.ArgumentParser) -> None:
    common.add_paths(parser)
    parser.add_argument(
        "--strict", action="store_true", help="exit 1 when there is any warning (for CI)"
    )
    parser.add_argument(
        "--ignore",
        action="append",
        default=[],
        metavar="RULE",
        choices=("hot-partition", "local-index-limit", "large-projection", "scan-only"),
        help="leave out one rule (hot-partition, local-index-limit, large-projection, "
        "scan-only); repeatable",
    )
    common.add_format(parser)


def run(args: argparse.Namespace) -> int:
    tables = common.checked_specs(args.paths, args.format, "nothing vetted")
    if tables is None:
        return 1
    from dynagen.ops.vet import vet

    advice = [
        a
        for t in sorted(tables, key=lambda t: t.source)
        for a in vet(t)
        if a.rule not in args.ignore
    ]
    for item in advice:
        line, col = common.position(item.source, item.where)
        message = f"{item.message} [{item.rule}]"
        if args.format == "github":
            print(common.annotation("warning", item.source, line, col, message))
        else:
            print(f"{item.source}:{line}:{col}: warning: {message}")
    count = len(advice)
    print(
        f"dynagen: {common.plural(count, 'warning')} in {common.plural(len(tables), 'spec')}",
        file=sys.stderr,
    )
    return 1 if args.strict and count else 0
