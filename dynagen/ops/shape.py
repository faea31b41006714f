"""One normalized description of a table, whoever describes it: a spec, a CreateTable request,
DescribeTable (with DescribeTimeToLive), or a CloudFormation `AWS::DynamoDB::Table` resource.

Two shapes that compare equal are the same table as far as a spec can say: key, attribute types
of key attributes, indexes with their keys and projections, billing and throughput, stream view,
TTL attribute, and the settings the spec manages (deletion protection, point-in-time recovery,
tags; None where the spec does not say, and then not read from the live table either). Names of
attributes are DynamoDB's (`stored_as`), not Python's.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Mapping

from dynagen.codegen.view import table_definition
from dynagen.spec import kinds
from dynagen.spec.model import Table

Key = tuple[tuple[str, str, str], ...]  # ((attribute, HASH|RANGE, S|N|B), ...)
Throughput = tuple[int, int]  # (read, write)


@dataclass(frozen=True)
class IndexShape:
    name: str
    key: Key
    projection: str  # ALL, KEYS_ONLY or INCLUDE
    non_key: tuple[str, ...] = ()  # INCLUDE's attributes, sorted
    throughput: Throughput | None = None  # a global index of a provisioned table

    def describe(self) -> str:
        keys = ", ".join(f"{name} {role} {kind}" for name, role, kind in self.key)
        projection = self.projection
        if self.non_key:
            projection += " " + ", ".join(self.non_key)
        return f"{self.name} (key {keys}; projection {projection})"


Tags = tuple[tuple[str, str], ...]  # ((key, value), ...) sorted by key


@dataclass(frozen=True)
class Settings:
    """What a spec may manage besides the table's layout; None: not managed (or not readable)."""

    deletion_protection: bool | None = None
    point_in_time_recovery: bool | None = None
    tags: Tags | None = None


@dataclass(frozen=True)
class TableShape:
    name: str
    key: Key
    billing: str  # PAY_PER_REQUEST or PROVISIONED
    throughput: Throughput | None
    global_indexes: Mapping[str, IndexShape] = field(default_factory=dict)
    local_indexes: Mapping[str, IndexShape] = field(default_factory=dict)
    stream: str | None = None  # the view type when a stream is enabled
    ttl: str | None = None  # the TTL attribute when TTL is enabled
    settings: Settings = Settings()
    arn: str | None = field(default=None, compare=False)  # a live table's, for tagging
    # What the endpoint could not tell (e.g. DynamoDB Local has no ListTagsOfResource), said so.
    unsupported: tuple[str, ...] = field(default=(), compare=False)


def spec_definition(table: Table) -> dict[str, Any]:
    """The CreateTable request (without TableName) that the generated `create_table()` sends."""
    return table_definition(table)


def spec_ttl(table: Table) -> str | None:
    """The stored name of the entity's `ttl` attribute, which `create_table()` enables TTL on."""
    attribute = table.entity.of_kind(kinds.TTL)
    return attribute.stored_as if attribute is not None else None


def spec_settings(table: Table) -> Settings:
    return Settings(table.deletion_protection, table.point_in_time_recovery, table.tags)


def from_spec(table: Table, name: str) -> TableShape:
    shape = from_request({"TableName": name, **spec_definition(table)}, spec_ttl(table))
    return replace(shape, settings=spec_settings(table))


def tags_of(entries: list[Mapping[str, Any]]) -> Tags:
    """CreateTable's, CloudFormation's or ListTagsOfResource's `[{Key, Value}]`, sorted."""
    return tuple(sorted((str(t["Key"]), str(t.get("Value", ""))) for t in entries))


def _types(definitions: list[Mapping[str, Any]]) -> dict[str, str]:
    return {d["AttributeName"]: d["AttributeType"] for d in definitions}


def _key(schema: list[Mapping[str, Any]], types: Mapping[str, str]) -> Key:
    ordered = sorted(schema, key=lambda k: 0 if k["KeyType"] == "HASH" else 1)
    return tuple(
        (k["AttributeName"], k["KeyType"], types.get(k["AttributeName"], "?")) for k in ordered
    )


def _throughput(value: Mapping[str, Any] | None) -> Throughput | None:
    if not value:
        return None
    return (int(value["ReadCapacityUnits"]), int(value["WriteCapacityUnits"]))


def _index(
    entry: Mapping[str, Any], types: Mapping[str, str], throughput: Throughput | None
) -> IndexShape:
    projection = entry.get("Projection", {})
    return IndexShape(
        name=entry["IndexName"],
        key=_key(entry["KeySchema"], types),
        projection=projection.get("ProjectionType", "ALL"),
        non_key=tuple(sorted(projection.get("NonKeyAttributes", []))),
        throughput=throughput,
    )


def from_request(request: Mapping[str, Any], ttl: str | None) -> TableShape:
    """A CreateTable request; also reads CloudFormation's Properties, which use the same names."""
    types = _types(request.get("AttributeDefinitions", []))
    billing = request.get("BillingMode", "PROVISIONED")
    provisioned = billing == "PROVISIONED"
    stream = request.get("StreamSpecification")
    view = None
    if stream and stream.get("StreamEnabled", True):
        view = stream.get("StreamViewType")
    return TableShape(
        name=request.get("TableName", ""),
        key=_key(request["KeySchema"], types),
        billing=billing,
        throughput=_throughput(request.get("ProvisionedThroughput")) if provisioned else None,
        global_indexes={
            e["IndexName"]: _index(
                e, types, _throughput(e.get("ProvisionedThroughput")) if provisioned else None
            )
            for e in request.get("GlobalSecondaryIndexes", [])
        },
        local_indexes={
            e["IndexName"]: _index(e, types, None) for e in request.get("LocalSecondaryIndexes", [])
        },
        stream=view,
        ttl=ttl,
        settings=Settings(
            deletion_protection=request.get("DeletionProtectionEnabled"),
            tags=tags_of(request["Tags"]) if "Tags" in request else None,
        ),
    )


def from_cloudformation(properties: Mapping[str, Any]) -> TableShape:
    """An `AWS::DynamoDB::Table` resource's Properties."""
    ttl_spec = properties.get("TimeToLiveSpecification") or {}
    ttl = ttl_spec.get("AttributeName") if ttl_spec.get("Enabled") else None
    request = dict(properties)
    if "StreamSpecification" in request:  # CloudFormation has no StreamEnabled: present is on
        request["StreamSpecification"] = {"StreamEnabled": True, **request["StreamSpecification"]}
    shape = from_request(request, ttl)
    recovery = properties.get("PointInTimeRecoverySpecification")
    if recovery is not None:
        enabled = bool(recovery.get("PointInTimeRecoveryEnabled", False))
        shape = replace(shape, settings=replace(shape.settings, point_in_time_recovery=enabled))
    return shape


def from_description(
    table: Mapping[str, Any],
    ttl: Mapping[str, Any],
    settings: Settings = Settings(),
    unsupported: tuple[str, ...] = (),
) -> TableShape:
    """DescribeTable's `Table` and DescribeTimeToLive's `TimeToLiveDescription`, with the live
    settings that were read (`dynagen.ops.plan.describe` reads those the spec manages)."""
    types = _types(table.get("AttributeDefinitions", []))
    summary = table.get("BillingModeSummary") or {}
    billing = summary.get("BillingMode", "PROVISIONED")
    provisioned = billing == "PROVISIONED"

    def capacity(value: Mapping[str, Any] | None) -> Throughput | None:
        return _throughput(value) if provisioned else None

    stream = table.get("StreamSpecification") or {}
    ttl_on = ttl.get("TimeToLiveStatus") in ("ENABLED", "ENABLING")
    return TableShape(
        name=table["TableName"],
        key=_key(table["KeySchema"], types),
        billing=billing,
        throughput=capacity(table.get("ProvisionedThroughput")),
        global_indexes={
            e["IndexName"]: _index(e, types, capacity(e.get("ProvisionedThroughput")))
            for e in table.get("GlobalSecondaryIndexes", [])
        },
        local_indexes={
            e["IndexName"]: _index(e, types, None) for e in table.get("LocalSecondaryIndexes", [])
        },
        stream=stream.get("StreamViewType") if stream.get("StreamEnabled") else None,
        ttl=ttl.get("AttributeName") if ttl_on else None,
        settings=settings,
        arn=table.get("TableArn"),
        unsupported=unsupported,
    )
