"""`dynagen export cloudformation`: a CloudFormation template of the specs' tables."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from dynagen.commands import common

HELP = "export the specs' tables for other tools (cloudformation)"
CLOUDFORMATION_HELP = (
    "print a CloudFormation template: one AWS::DynamoDB::Table per spec, the table that "
    "create_table() makes"
)


def configure(parser: argparse.ArgumentParser) -> None:
    targets = parser.add_subparsers(dest="target", required=True, metavar="TARGET")
    cloudformation = targets.add_parser(
        "cloudformation", help=CLOUDFORMATION_HELP, description=CLOUDFORMATION_HELP
    )
    common.add_spec_inputs(cloudformation, "--errors")
    cloudformation.add_argument(
        "--format", choices=("yaml", "json"), default="yaml", help="template format (yaml)"
    )
    cloudformation.add_argument(
        "--previous",
        metavar="TEMPLATE",
        help="the template deployed now (YAML or JSON): warn about changes one stack update "
        "cannot make (more than one global index added or removed, an index changed)",
    )
    cloudformation.add_argument("-o", "--out", metavar="FILE", help="write to FILE, not stdout")


def _load_template(path: str) -> Any:
    import yaml

    class Loader(yaml.SafeLoader):
        """CloudFormation's short forms (!Ref, !GetAtt...) read as their plain values."""

    def any_tag(loader: yaml.SafeLoader, _suffix: str, node: yaml.Node) -> Any:
        if isinstance(node, yaml.ScalarNode):
            return loader.construct_scalar(node)
        if isinstance(node, yaml.SequenceNode):
            return loader.construct_sequence(node)
        assert isinstance(node, yaml.MappingNode)
        return loader.construct_mapping(node)

    Loader.add_multi_constructor("!", any_tag)
    with open(path, encoding="utf-8") as handle:
        return yaml.load(handle, Loader=Loader)  # noqa: S506 (a SafeLoader subclass)


def run(args: argparse.Namespace) -> int:
    tables = common.checked_specs(args.paths, args.errors, "nothing exported")
    if tables is None:
        return 1
    import yaml

    from dynagen.ops import cloudformation

    previous = None
    if args.previous:
        try:
            previous = _load_template(args.previous)
        except (OSError, yaml.YAMLError) as error:
            print(f"dynagen: cannot read {args.previous}: {error}", file=sys.stderr)
            return 1
        if not isinstance(previous, dict):
            print(f"dynagen: {args.previous} is not a template", file=sys.stderr)
            return 1
    # Through JSON: shared sub-objects (one throughput for a table and its indexes) become
    # copies, so YAML writes no anchors and aliases, which CloudFormation refuses.
    template = json.loads(json.dumps(cloudformation.template(tables)))
    if args.format == "json":
        text = json.dumps(template, indent=2) + "\n"
    else:
        text = yaml.safe_dump(template, sort_keys=False, default_flow_style=False)
    for warning in cloudformation.update_warnings(tables, previous):
        print(f"{warning.source}: warning: {warning.message}", file=sys.stderr)
    return common.write_output(text, args.out)
