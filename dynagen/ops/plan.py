"""The steps that bring a live table to its spec, and applying them one at a time.

`plan_table` compares two shapes (`dynagen.ops.shape`) and returns the steps in the order they
can run: one global index created or deleted per UpdateTable (DynamoDB allows no more, and none
while the table or an index is busy), a changed index as a delete then a create, billing and
throughput, the stream (a change of view is a disable then an enable: a new stream ARN), TTL,
then the settings the spec manages: deletion protection, point-in-time recovery, tags.
A change of the table key or of a local index cannot be made to a table: it needs a new one,
a destructive step that `apply` refuses unless allowed.

`apply_table` re-reads the live table and plans again before every step, sends the first step,
waits until the table and its indexes are ACTIVE, and goes on until nothing is left; so it can be
run again after an interruption and carries on from where the table is.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Mapping

from botocore.exceptions import ClientError

from dynagen.ops.shape import (
    IndexShape,
    Settings,
    TableShape,
    from_description,
    from_request,
    spec_definition,
    spec_settings,
    spec_ttl,
)
from dynagen.spec.model import Table

STREAM_NOTE = "a new stream ARN: consumers of the old stream must move to the new one"
TTL_NOTE = (
    "DynamoDB locks TTL settings for about an hour after a change (enabling, disabling or a "
    "new attribute): a later TTL change waits that long"
)
UNPROTECT_NOTE = "DeleteTable is no longer refused: anyone allowed to delete the table can"
NO_RECOVERY_NOTE = (
    "the continuous backups are deleted: the table can no longer be restored to a time before now"
)
UNSUPPORTED = "UnknownOperationException"  # DynamoDB Local's answer to an API it lacks
REPLACE_NOTE = (
    "the table key or a local index cannot be changed in place: the table is deleted and "
    "created again, empty"
)


class PlanError(Exception):
    """A step that cannot be made, or a table that does not settle; the message says why."""


@dataclass(frozen=True)
class Step:
    action: str  # create_table, replace_table, delete_index, create_index, billing,
    # enable_stream, disable_stream, enable_ttl, disable_ttl, enable_deletion_protection,
    # disable_deletion_protection, enable_pitr, disable_pitr, tag, untag
    summary: str  # one line for people; `plan` prints it and `apply` prints it as it makes it
    operation: str  # the DynamoDB operation: CreateTable, UpdateTable, UpdateTimeToLive,
    # UpdateContinuousBackups, TagResource, UntagResource
    request: Mapping[str, Any] = field(default_factory=dict)
    destructive: bool = False
    note: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "action": self.action,
            "summary": self.summary,
            "operation": self.operation,
            "request": dict(self.request),
            "destructive": self.destructive,
            "note": self.note,
        }


@dataclass(frozen=True)
class Desired:
    """A spec's table under its physical name: the CreateTable request and the TTL attribute."""

    request: Mapping[str, Any]  # with TableName
    ttl: str | None
    shape: TableShape

    @property
    def name(self) -> str:
        return str(self.request["TableName"])


def _same_index(a: IndexShape, b: IndexShape) -> bool:
    """The same index but for throughput (which an update changes in place)."""
    return (a.key, a.projection, a.non_key) == (b.key, b.projection, b.non_key)


def _units(units: tuple[int, int] | None) -> str:
    return "none" if units is None else f"{units[0]} read / {units[1]} write"


def _throughput(units: tuple[int, int]) -> dict[str, int]:
    return {"ReadCapacityUnits": units[0], "WriteCapacityUnits": units[1]}


def _key_text(shape: TableShape) -> str:
    return ", ".join(f"{name} {role} {kind}" for name, role, kind in shape.key)


def plan_table(desired: Desired, live: TableShape | None) -> list[Step]:
    """Every step from `live` (None: no table) to `desired`, in the order `apply` makes them."""
    want = desired.shape
    name = desired.name
    ttl_steps = _ttl_steps(name, live.ttl if live else None, want.ttl)
    if live is None:
        create = Step(
            "create_table",
            f"create table {name} (key {_key_text(want)}; {len(want.global_indexes)} global, "
            f"{len(want.local_indexes)} local indexes; {want.billing}"
            + (f"; stream {want.stream}" if want.stream else "")
            + ")",
            "CreateTable",
            dict(desired.request),
        )
        return [create, *ttl_steps, *_recovery_steps(name, None, want.settings)]
    if live.key != want.key or dict(live.local_indexes) != dict(want.local_indexes):
        what = []
        if live.key != want.key:
            what.append(f"key {_key_text(live)} -> {_key_text(want)}")
        if dict(live.local_indexes) != dict(want.local_indexes):
            old = ", ".join(sorted(live.local_indexes)) or "none"
            new = ", ".join(sorted(want.local_indexes)) or "none"
            what.append(f"local indexes {old} -> {new} (or their keys or projections)")
        replace = Step(
            "replace_table",
            f"replace table {name}: {'; '.join(what)}",
            "DeleteTable+CreateTable",
            dict(desired.request),
            destructive=True,
            note=REPLACE_NOTE,
        )
        return [replace, *_ttl_steps(name, None, want.ttl), *_recovery_steps(name, None, want.settings)]  # fmt: skip
    steps: list[Step] = []
    kept = {}
    for index_name, index in sorted(live.global_indexes.items()):
        wanted = want.global_indexes.get(index_name)
        if wanted is not None and _same_index(index, wanted):
            kept[index_name] = (index, wanted)
            continue
        why = "not in the spec" if wanted is None else "its key or projection changed"
        steps.append(
            Step(
                "delete_index",
                f"delete global index {index_name} ({why})",
                "UpdateTable",
                {"TableName": name, "GlobalSecondaryIndexUpdates": [{"Delete": {"IndexName": index_name}}]},  # fmt: skip
            )
        )
    billing = _billing_step(name, live, want, kept)
    if billing is not None:
        steps.append(billing)
    definitions = {d["AttributeName"]: d for d in desired.request.get("AttributeDefinitions", [])}
    entries = {e["IndexName"]: e for e in desired.request.get("GlobalSecondaryIndexes", [])}
    for index_name, wanted in sorted(want.global_indexes.items()):
        if index_name in kept:
            continue
        entry = entries[index_name]
        steps.append(
            Step(
                "create_index",
                f"create global index {wanted.describe()}",
                "UpdateTable",
                {
                    "TableName": name,
                    "AttributeDefinitions": [
                        definitions[k["AttributeName"]] for k in entry["KeySchema"]
                    ],
                    "GlobalSecondaryIndexUpdates": [{"Create": entry}],
                },
            )
        )
    if live.stream != want.stream:
        if live.stream is not None:
            steps.append(
                Step(
                    "disable_stream",
                    f"disable the stream ({live.stream})",
                    "UpdateTable",
                    {"TableName": name, "StreamSpecification": {"StreamEnabled": False}},
                    note="the stream's records stay readable for 24 hours",
                )
            )
        if want.stream is not None:
            steps.append(
                Step(
                    "enable_stream",
                    f"enable the stream ({want.stream})",
                    "UpdateTable",
                    {
                        "TableName": name,
                        "StreamSpecification": {"StreamEnabled": True, "StreamViewType": want.stream},  # fmt: skip
                    },
                    note=STREAM_NOTE,
                )
            )
    return steps + ttl_steps + _settings_steps(name, live, want.settings)


def _settings_steps(name: str, live: TableShape, want: Settings) -> list[Step]:
    """Deletion protection, point-in-time recovery and tags, where the spec manages them and the
    live value was read (an endpoint that cannot tell is in `live.unsupported`, not here)."""
    steps = []
    have = live.settings
    if want.deletion_protection is not None and have.deletion_protection is not None:
        if want.deletion_protection != have.deletion_protection:
            on = want.deletion_protection
            steps.append(
                Step(
                    f"{'enable' if on else 'disable'}_deletion_protection",
                    f"{'enable' if on else 'disable'} deletion protection",
                    "UpdateTable",
                    {"TableName": name, "DeletionProtectionEnabled": on},
                    note=None if on else UNPROTECT_NOTE,
                )
            )
    steps += _recovery_steps(name, have, want)
    if want.tags is not None and have.tags is not None and live.arn:
        wanted, current = dict(want.tags), dict(have.tags)
        changed = {k: v for k, v in wanted.items() if current.get(k) != v}
        gone = sorted(set(current) - set(wanted))
        if changed:
            steps.append(
                Step(
                    "tag",
                    "set tags " + ", ".join(f"{k}={v}" for k, v in sorted(changed.items())),
                    "TagResource",
                    {"ResourceArn": live.arn, "Tags": [{"Key": k, "Value": v} for k, v in sorted(changed.items())]},  # fmt: skip
                )
            )
        if gone:
            steps.append(
                Step(
                    "untag",
                    "remove tags " + ", ".join(gone),
                    "UntagResource",
                    {"ResourceArn": live.arn, "TagKeys": gone},
                )
            )
    return steps


def _recovery_steps(name: str, have: Settings | None, want: Settings) -> list[Step]:
    """Point-in-time recovery: after CreateTable (`have` None, only to turn it on) or a change."""
    if want.point_in_time_recovery is None:
        return []
    current = False if have is None else have.point_in_time_recovery
    if current is None or current == want.point_in_time_recovery:
        return []
    on = want.point_in_time_recovery
    return [
        Step(
            f"{'enable' if on else 'disable'}_pitr",
            f"{'enable' if on else 'disable'} point-in-time recovery",
            "UpdateContinuousBackups",
            {"TableName": name, "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": on}},  # fmt: skip
            note=None if on else NO_RECOVERY_NOTE,
        )
    ]


def _billing_step(
    name: str,
    live: TableShape,
    want: TableShape,
    kept: Mapping[str, tuple[IndexShape, IndexShape]],
) -> Step | None:
    request: dict[str, Any] = {"TableName": name}
    changes = []
    if live.billing != want.billing:
        request["BillingMode"] = want.billing
        changes.append(f"billing {live.billing} -> {want.billing}")
    if want.billing == "PROVISIONED" and want.throughput is not None:
        if live.billing != want.billing or live.throughput != want.throughput:
            request["ProvisionedThroughput"] = _throughput(want.throughput)
            changes.append(f"capacity {_units(live.throughput)} -> {_units(want.throughput)}")
        updates = []
        for index_name, (old, new) in sorted(kept.items()):
            if new.throughput is not None and (
                live.billing != want.billing or old.throughput != new.throughput
            ):
                updates.append(
                    {"Update": {"IndexName": index_name, "ProvisionedThroughput": _throughput(new.throughput)}}  # fmt: skip
                )
                changes.append(f"index {index_name} capacity {_units(old.throughput)} -> {_units(new.throughput)}")  # fmt: skip
        if updates:
            request["GlobalSecondaryIndexUpdates"] = updates
    if not changes:
        return None
    return Step("billing", "; ".join(changes), "UpdateTable", request)


def _ttl_steps(name: str, live: str | None, want: str | None) -> list[Step]:
    """Disable TTL on the live attribute and enable it on the wanted one, as far as they differ."""
    if live == want:
        return []
    steps = []
    if live is not None:
        steps.append(_ttl_step(name, live, enabled=False))
    if want is not None:
        steps.append(_ttl_step(name, want, enabled=True))
    return steps


def _ttl_step(name: str, attribute: str, *, enabled: bool) -> Step:
    verb = "enable" if enabled else "disable"
    specification = {"Enabled": enabled, "AttributeName": attribute}
    return Step(
        f"{verb}_ttl",
        f"{verb} TTL on {attribute}",
        "UpdateTimeToLive",
        {"TableName": name, "TimeToLiveSpecification": specification},
        note=TTL_NOTE,
    )


# ---------------------------------------------------------------- the live table


def _missing(error: ClientError) -> bool:
    return bool(error.response.get("Error", {}).get("Code") == "ResourceNotFoundException")


def _unsupported(error: ClientError) -> bool:
    return bool(error.response.get("Error", {}).get("Code") == UNSUPPORTED)


def _not_supported(operation: str, error: ClientError, what: str) -> str:
    message = error.response.get("Error", {}).get("Message", "")
    return f"{what}: this endpoint does not support {operation} ({UNSUPPORTED}: {message}); not read or changed"  # fmt: skip


def describe(
    client: Any, name: str, manage: Settings = Settings()
) -> tuple[TableShape | None, str]:
    """The live table's shape and whether it is busy ("" when settled), or None if there is none.

    Reads DescribeTable and DescribeTimeToLive, and for the settings `manage` names (those the
    spec writes) DescribeContinuousBackups and ListTagsOfResource. An endpoint that lacks one of
    those (DynamoDB Local lacks both) leaves that setting None, said in the shape's `unsupported`.
    """
    try:
        table = client.describe_table(TableName=name)["Table"]
    except ClientError as error:
        if _missing(error):
            return None, ""
        raise
    ttl = client.describe_time_to_live(TableName=name).get("TimeToLiveDescription", {})
    busy = []
    if table.get("TableStatus") != "ACTIVE":
        busy.append(f"table {table.get('TableStatus')}")
    for index in table.get("GlobalSecondaryIndexes", []):
        if index.get("IndexStatus") != "ACTIVE":
            busy.append(f"index {index['IndexName']} {index.get('IndexStatus')}")
    if ttl.get("TimeToLiveStatus") in ("ENABLING", "DISABLING"):
        busy.append(f"TTL {ttl['TimeToLiveStatus']}")
    settings, unsupported = _live_settings(client, table, manage, busy)
    return from_description(table, ttl, settings, unsupported), ", ".join(busy)


def _live_settings(
    client: Any, table: Mapping[str, Any], manage: Settings, busy: list[str]
) -> tuple[Settings, tuple[str, ...]]:
    live = Settings()
    unsupported = []
    if manage.deletion_protection is not None:
        live = replace(live, deletion_protection=bool(table.get("DeletionProtectionEnabled")))
    if manage.point_in_time_recovery is not None:
        try:
            backups = client.describe_continuous_backups(TableName=table["TableName"])
        except ClientError as error:
            if not _unsupported(error):
                raise
            unsupported.append(_not_supported("DescribeContinuousBackups", error, "point-in-time recovery"))  # fmt: skip
        else:
            description = backups.get("ContinuousBackupsDescription", {})
            status = description.get("PointInTimeRecoveryDescription", {}).get("PointInTimeRecoveryStatus")  # fmt: skip
            if status == "ENABLING":
                busy.append("point-in-time recovery ENABLING")
            live = replace(live, point_in_time_recovery=status in ("ENABLED", "ENABLING"))
    if manage.tags is not None:
        try:
            live = replace(live, tags=_live_tags(client, table["TableArn"]))
        except ClientError as error:
            if not _unsupported(error):
                raise
            unsupported.append(_not_supported("ListTagsOfResource", error, "tags"))
    return live, tuple(unsupported)


def _live_tags(client: Any, arn: str) -> tuple[tuple[str, str], ...]:
    """The table's own tags, every page; AWS-assigned ones (`aws:...`) are not the spec's.

    A key listed twice counts with its last value (moto's TagResource appends a changed tag
    instead of replacing it; DynamoDB lists each key once)."""
    latest: dict[str, str] = {}
    request: dict[str, Any] = {"ResourceArn": arn}
    while True:
        page = client.list_tags_of_resource(**request)
        for entry in page.get("Tags", []):
            latest[str(entry["Key"])] = str(entry.get("Value", ""))
        if not page.get("NextToken"):
            break
        request["NextToken"] = page["NextToken"]
    return tuple(sorted((k, v) for k, v in latest.items() if not k.lower().startswith("aws:")))


def wait_settled(
    client: Any, name: str, *, timeout: float, gone: bool = False, manage: Settings = Settings()
) -> TableShape | None:
    """Poll until the table and its indexes are ACTIVE (or, with `gone`, the table is deleted)."""
    deadline = time.monotonic() + timeout
    delay = 0.05
    while True:
        shape, busy = describe(client, name, manage)
        if (gone and shape is None) or (not gone and not busy):
            return shape
        if time.monotonic() > deadline:
            state = "still there" if gone else busy
            raise PlanError(f"table {name}: timed out after {timeout:.0f}s ({state})")
        time.sleep(delay)
        delay = min(delay * 2, 1.0)


def has_items(client: Any, name: str) -> bool:
    return bool(client.scan(TableName=name, Limit=1, Select="COUNT")["ScannedCount"])


def apply_table(
    client: Any,
    desired: Desired,
    *,
    allow_replace: bool = False,
    delete_data: bool = False,
    timeout: float = 600.0,
    on_step: Callable[[Step], None] = lambda step: None,
    on_skipped: Callable[[str], None] = lambda what: None,
    max_steps: int = 100,
) -> list[Step]:
    """Make the steps one at a time, planning again from the live table before each one.

    `on_step` is called with each step as it is sent (before waiting for the table to settle),
    `on_skipped` at the end with each setting the endpoint could not read (so left as it is).
    A destructive step (a new table) needs `allow_replace`, and when the table holds items,
    `delete_data` too. Returns the steps made.
    """
    made: list[Step] = []
    for _ in range(max_steps):
        live = wait_settled(client, desired.name, timeout=timeout, manage=desired.shape.settings)
        steps = plan_table(desired, live)
        if not steps:
            for what in live.unsupported if live is not None else ():
                on_skipped(what)
            return made
        step = steps[0]
        if made and step == made[-1]:
            raise PlanError(f"table {desired.name}: {step.summary!r} made no change; stopping")
        if step.destructive:
            if not allow_replace:
                raise PlanError(
                    f"table {desired.name}: {step.summary} is destructive ({REPLACE_NOTE}); "
                    "refused without --allow-replace"
                )
            if has_items(client, desired.name) and not delete_data:
                raise PlanError(
                    f"table {desired.name} holds items, and replacing it deletes them: "
                    "refused without --delete-data as well"
                )
        _send(client, step, desired.name, timeout)
        on_step(step)
        made.append(step)
    raise PlanError(f"table {desired.name}: more than {max_steps} steps; stopping")


def _send(client: Any, step: Step, name: str, timeout: float) -> None:
    request = dict(step.request)
    if step.operation == "CreateTable":
        client.create_table(**request)
    elif step.operation == "DeleteTable+CreateTable":
        client.delete_table(TableName=name)
        wait_settled(client, name, timeout=timeout, gone=True)
        client.create_table(**request)
    elif step.operation == "UpdateTable":
        client.update_table(**request)
    elif step.operation == "UpdateTimeToLive":
        client.update_time_to_live(**request)
    elif step.operation in _SETTINGS_OPERATIONS:
        try:
            getattr(client, _SETTINGS_OPERATIONS[step.operation])(**request)
        except ClientError as error:
            if not _unsupported(error):
                raise
            raise PlanError(
                f"table {name}: this endpoint does not support {step.operation}, needed to "
                f"{step.summary} ({UNSUPPORTED}); DynamoDB Local has neither point-in-time "
                "recovery nor tags: apply against DynamoDB, or leave the field out of the spec"
            ) from None
    else:  # pragma: no cover - every Step above names one of these
        raise PlanError(f"unknown operation {step.operation}")


_SETTINGS_OPERATIONS = {
    "UpdateContinuousBackups": "update_continuous_backups",
    "TagResource": "tag_resource",
    "UntagResource": "untag_resource",
}


def desired_for(table: Table, name: str) -> Desired:
    """A spec's table under the physical name `name`."""
    request = {"TableName": name, **spec_definition(table)}
    ttl = spec_ttl(table)
    shape = replace(from_request(request, ttl), settings=spec_settings(table))
    return Desired(request, ttl, shape)
