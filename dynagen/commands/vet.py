"""`dynagen vet PATHS`: warnings a DynamoDB expert would give about valid specs."""

from __future__ import annotations

import argparse
import sys

from dynagen.commands import common
from dynagen.spec.rules import VET_RULES

HELP = (
    "warn about designs DynamoDB punishes: hot partitions, local indexes' 10 GB limit, "
    "large projections, scan-only tables"
)


def configure(parser: argparse.ArgumentParser) -> None:
    common.add_spec_inputs(parser)
    parser.add_argument(
        "--strict", action="store_true", help="exit 1 when there is any warning (for CI)"
    )
    common.add_repeatable(
        parser,
        "--ignore",
        VET_RULES,
        "RULE",
        f"leave out one rule ({', '.join(VET_RULES)}) in every spec; repeatable (a spec's "
        "own `ignore:` entries leave rules out there, with a reason)",
    )


def run(args: argparse.Namespace) -> int:
    tables = common.checked_specs(args.paths, args.format, "nothing vetted")
    if tables is None:
        return 1
    from dynagen.ops.ignores import covering
    from dynagen.ops.vet import vet

    advice = []
    ignored = 0
    for table in sorted(tables, key=lambda t: t.source):
        for item in vet(table):
            if item.rule in args.ignore:
                continue
            if covering(table.ignores, item.rule, item.where) is not None:
                ignored += 1
                continue
            advice.append(item)
    for item in advice:
        line, col = common.position(item.source, item.where)
        message = f"{item.message} [{item.rule}]"
        if args.format == "github":
            print(common.annotation("warning", item.source, line, col, message))
        else:
            print(f"{item.source}:{line}:{col}: warning: {message}")
    count = len(advice)
    tail = f" ({ignored} ignored by the specs' `ignore:`)" if ignored else ""
    print(
        f"dynagen: {common.plural(count, 'warning')} in {common.plural(len(tables), 'spec')}{tail}",
        file=sys.stderr,
    )
    return 1 if args.strict and count else 0
