"""`AWS::DynamoDB::Table` resources for specs: the table the generated `create_table()` makes.

The properties are the CreateTable request (`shape.spec_definition`), in CloudFormation's
spelling: StreamSpecification has no StreamEnabled, and TTL and point-in-time recovery are
properties of the table (TimeToLiveSpecification, PointInTimeRecoverySpecification) rather than
calls after CreateTable. Deletion protection, point-in-time recovery and tags are exported where
the spec writes them (`tags: {}` as `Tags: []`, no tags); otherwise CloudFormation's defaults.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from dynagen import naming
from dynagen.ops.shape import spec_definition, spec_ttl
from dynagen.spec.model import Table

TEMPLATE_VERSION = "2010-09-09"


@dataclass(frozen=True)
class ExportWarning:
    source: str  # the spec
    message: str


def logical_id(table: Table) -> str:
    """`user_sessions` -> `UserSessionsTable`, the resource's name in the template."""
    return naming.table_class(table.module)


def resource(table: Table) -> dict[str, Any]:
    definition = spec_definition(table)
    properties: dict[str, Any] = {"TableName": table.physical_name}
    for name in (
        "AttributeDefinitions",
        "KeySchema",
        "BillingMode",
        "ProvisionedThroughput",
        "GlobalSecondaryIndexes",
        "LocalSecondaryIndexes",
        "DeletionProtectionEnabled",
    ):
        if name in definition:
            properties[name] = definition[name]
    stream = definition.get("StreamSpecification")
    if stream:
        properties["StreamSpecification"] = {"StreamViewType": stream["StreamViewType"]}
    ttl = spec_ttl(table)
    if ttl:
        properties["TimeToLiveSpecification"] = {"AttributeName": ttl, "Enabled": True}
    if table.point_in_time_recovery is not None:
        properties["PointInTimeRecoverySpecification"] = {
            "PointInTimeRecoveryEnabled": table.point_in_time_recovery
        }
    if table.tags is not None:
        properties["Tags"] = [{"Key": k, "Value": v} for k, v in table.tags]
    return {
        "Type": "AWS::DynamoDB::Table",
        # The table holds data: a stack deletion or a replacement keeps it.
        "DeletionPolicy": "Retain",
        "UpdateReplacePolicy": "Retain",
        "Metadata": {"dynagen": {"spec": table.source}},
        "Properties": properties,
    }


def template(tables: list[Table]) -> dict[str, Any]:
    return {
        "AWSTemplateFormatVersion": TEMPLATE_VERSION,
        "Description": f"DynamoDB tables from {len(tables)} dynagen spec(s)",
        "Resources": {logical_id(t): resource(t) for t in sorted(tables, key=lambda t: t.module)},
    }


def update_warnings(tables: list[Table], previous: Mapping[str, Any] | None) -> list[ExportWarning]:
    """CloudFormation adds or deletes at most one global index per table in one stack update.

    Without a previous template every table is new (a stack creation makes any number); with
    one, a table that gains (or loses) more than one global index needs several deployments.
    """
    if previous is None:
        return []
    old_resources = previous.get("Resources") or {}
    warnings = []
    for table in tables:
        old = old_resources.get(logical_id(table))
        if not isinstance(old, Mapping):
            continue
        old_names = {
            entry.get("IndexName")
            for entry in (old.get("Properties") or {}).get("GlobalSecondaryIndexes", [])
        }
        new_names = {index.physical_name for index in table.indexes if index.is_global}
        new_entries = {
            e["IndexName"]: e
            for e in resource(table)["Properties"].get("GlobalSecondaryIndexes", [])
        }
        old_entries = {
            entry.get("IndexName"): entry
            for entry in (old.get("Properties") or {}).get("GlobalSecondaryIndexes", [])
        }
        for name in sorted(new_names & old_names):
            if _index_identity(old_entries[name]) != _index_identity(new_entries[name]):
                warnings.append(
                    ExportWarning(
                        table.source,
                        f"{logical_id(table)}: global index {name!r} changes its key or "
                        "projection; CloudFormation cannot change an index in place: remove it "
                        "in one deployment and add it back in the next",
                    )
                )
        for verb, names in (("add", new_names - old_names), ("delete", old_names - new_names)):
            if len(names) > 1:
                warnings.append(
                    ExportWarning(
                        table.source,
                        f"{logical_id(table)}: a stack update would {verb} {len(names)} global "
                        f"indexes ({', '.join(sorted(str(n) for n in names))}); CloudFormation "
                        "makes one global index change per table per update: deploy them one "
                        "at a time (or use `dynagen tables apply`)",
                    )
                )
    return warnings


def _index_identity(entry: Mapping[str, Any]) -> tuple[object, ...]:
    """What CloudFormation cannot update in place: the index's key schema and projection."""
    projection = entry.get("Projection") or {}
    return (
        tuple((k.get("AttributeName"), k.get("KeyType")) for k in entry.get("KeySchema", [])),
        projection.get("ProjectionType", "ALL"),
        tuple(sorted(projection.get("NonKeyAttributes", []))),
    )
