"""`dynagen tables plan` and `dynagen tables apply`: bring live tables to their specs."""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any, Callable

from dynagen.commands import common

HELP = "plan and apply the changes that bring live DynamoDB tables to their specs"
PLAN_HELP = (
    "show the steps that bring each spec's live table to the spec (exit 2 when any is pending)"
)
APPLY_HELP = (
    "make those steps, one at a time, planning again before each (safe to re-run after an "
    "interruption)"
)


def _common_options(parser: argparse.ArgumentParser) -> None:
    common.add_spec_inputs(parser, "--errors")
    parser.add_argument(
        "--endpoint",
        metavar="URL",
        help="DynamoDB endpoint, e.g. DynamoDB Local's (default: AWS_ENDPOINT_URL_DYNAMODB, or AWS)",
    )
    parser.add_argument(
        "--region", metavar="REGION", help="AWS region (default: the usual settings)"
    )
    parser.add_argument(
        "--table-prefix",
        metavar="PREFIX",
        default=None,
        help="prefix of every physical table name (default: $DYNAGEN_TABLE_PREFIX, as the "
        "generated code uses)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=600.0,
        metavar="SECONDS",
        help="how long to wait for a table or index to become ACTIVE (600)",
    )


def configure(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    plan = actions.add_parser("plan", help=PLAN_HELP, description=PLAN_HELP)
    _common_options(plan)
    plan.add_argument("--json", action="store_true", help="print the plan as JSON")
    apply = actions.add_parser("apply", help=APPLY_HELP, description=APPLY_HELP)
    _common_options(apply)
    apply.add_argument("--yes", action="store_true", help="do not ask before making changes")
    apply.add_argument(
        "--allow-replace",
        action="store_true",
        help="allow a new table where the key or a local index changed (an empty table only, "
        "unless --delete-data)",
    )
    apply.add_argument(
        "--delete-data",
        action="store_true",
        help="with --allow-replace: also replace tables that hold items, deleting them",
    )


def _client(args: argparse.Namespace) -> Any:
    import boto3
    from botocore.config import Config

    config = Config(retries={"mode": "standard", "max_attempts": 5})
    return boto3.client(
        "dynamodb", endpoint_url=args.endpoint, region_name=args.region, config=config
    )


def _print_steps(table: str, steps: list[Any], skipped: tuple[str, ...] = ()) -> None:
    if not steps:
        print(f"{table}: nothing to do")
        _print_skipped(skipped)
        return
    print(f"{table}: {common.plural(len(steps), 'step')}")
    for number, step in enumerate(steps, 1):
        flag = "  DESTRUCTIVE" if step.destructive else ""
        print(f"  {number}. {step.summary}{flag}")
        if step.note:
            print(f"     note: {step.note}")
    _print_skipped(skipped)


def _print_skipped(skipped: tuple[str, ...]) -> None:
    for what in skipped:
        print(f"  skipped: {what}")


def run(args: argparse.Namespace) -> int:
    tables = common.checked_specs(args.paths, args.errors, "no table read or changed")
    if tables is None:
        return 1
    from botocore.exceptions import BotoCoreError, ClientError, NoRegionError

    from dynagen.ops.plan import PlanError, apply_table, describe, desired_for, plan_table

    prefix = args.table_prefix
    if prefix is None:
        prefix = os.environ.get("DYNAGEN_TABLE_PREFIX", "")
    wanted = [
        desired_for(t, prefix + t.physical_name) for t in sorted(tables, key=lambda t: t.module)
    ]
    try:
        client = _client(args)
        plans = []
        for desired in wanted:
            live, busy = describe(client, desired.name, desired.shape.settings)
            skipped = live.unsupported if live is not None else ()
            plans.append((desired, plan_table(desired, live), busy, skipped))
        if args.action == "plan":
            return _show(plans, as_json=args.json)
        pending = [(d, s) for d, s, _, _ in plans if s]
        _show(plans, as_json=False)
        if not pending:
            return 0
        if (
            any(step.destructive for _, steps in pending for step in steps)
            and not args.allow_replace
        ):
            print(
                "dynagen: a destructive step (a new table) is planned; refused without "
                "--allow-replace",
                file=sys.stderr,
            )
            return 1
        if not args.yes:
            if not sys.stdin.isatty():
                print("dynagen: not a terminal; pass --yes to apply", file=sys.stderr)
                return 1
            answer = input("apply these steps? [y/N] ")
            if answer.strip().lower() not in ("y", "yes"):
                print("dynagen: nothing changed")
                return 1
        for desired, _ in pending:
            made = apply_table(
                client,
                desired,
                allow_replace=args.allow_replace,
                delete_data=args.delete_data,
                timeout=args.timeout,
                on_step=_announcer(desired.name),
                on_skipped=_announcer(desired.name, "skipped"),
            )
            print(f"{desired.name}: done ({common.plural(len(made), 'step')})")
        return 0
    except PlanError as error:
        print(f"dynagen: {error}", file=sys.stderr)
        return 1
    except NoRegionError:
        print("dynagen: no AWS region: pass --region or set AWS_DEFAULT_REGION", file=sys.stderr)
        return 1
    except (ClientError, BotoCoreError) as error:
        print(f"dynagen: {error}", file=sys.stderr)
        return 1


def _announcer(name: str, verb: str = "applying") -> Callable[[Any], None]:
    """Prints each step as apply sends it, in the words `plan` used for it (or, with `skipped`,
    each setting the endpoint could not read)."""

    def announce(step: Any) -> None:
        print(f"{name}: {verb}: {getattr(step, 'summary', step)}", flush=True)

    return announce


def _show(plans: list[tuple[Any, list[Any], str, tuple[str, ...]]], *, as_json: bool) -> int:
    """Print the plans; 2 when any step is pending (a setting the endpoint cannot read is
    skipped, said so, and not pending)."""
    if as_json:
        document = [
            {
                "table": desired.name,
                "busy": busy or None,
                "steps": [step.as_json() for step in steps],
                "skipped": list(skipped),
            }
            for desired, steps, busy, skipped in plans
        ]
        print(json.dumps(document, indent=2, default=str))
    else:
        for desired, steps, busy, skipped in plans:
            _print_steps(desired.name, steps, skipped)
            if busy:
                print(f"  (busy now: {busy}; apply waits for it)")
    return 2 if any(steps for _, steps, _, _ in plans) else 0
