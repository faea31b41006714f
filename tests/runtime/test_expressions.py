"""dynagen.runtime.expressions (its __init__.py): `expression_fields`, the one entry point for a request.

One builder per request numbers every placeholder once, across the key condition, the update, the
condition, the filter and the projection; a condition also asks for the stored item on failure.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Any

import pytest

from dynagen.runtime import errors
from dynagen.runtime import expressions as rt
from dynagen.runtime.expressions import expression_fields
from generated_example.ledger import EntryAttrs, LedgerTable
from tests.runtime.support import n_attr, s_attr, untyped

PLACEHOLDER = re.compile(r"#n\d+|:v\d+")


def test_nothing_asked_nothing_added() -> None:
    assert expression_fields() == {}


def test_every_part_shares_one_set_of_placeholders() -> None:
    key = rt.KeyCondition("pk", {"S": "a"}, rt.Sort.begins_with("x"), "sk", lambda v: {"S": v})
    update = rt.Update().set(rt.Path("nm"), {"S": "x"})
    fields = expression_fields(
        key=key,
        update=update,
        condition=s_attr("nm") == "x",
        filter=(s_attr("pk") == "a") & (n_attr("count") > 1),
        projection=["pk", "nm", "count"],
    )
    assert fields == {
        "KeyConditionExpression": "#n0 = :v0 AND begins_with(#n1, :v1)",
        "UpdateExpression": "SET #n2 = :v1",
        "ConditionExpression": "#n2 = :v1",
        "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
        "FilterExpression": "(#n0 = :v0) AND (#n3 > :v2)",
        "ProjectionExpression": "#n0, #n2, #n3",
        "ExpressionAttributeNames": {"#n0": "pk", "#n1": "sk", "#n2": "nm", "#n3": "count"},
        "ExpressionAttributeValues": {":v0": {"S": "a"}, ":v1": {"S": "x"}, ":v2": {"N": "1"}},
    }


def test_only_a_condition_asks_for_the_stored_item() -> None:
    assert "ReturnValuesOnConditionCheckFailure" not in expression_fields(filter=s_attr("a") == "x")
    assert "ReturnValuesOnConditionCheckFailure" not in expression_fields(
        update=rt.Update().remove(rt.Path("a"))
    )
    assert (
        expression_fields(condition=s_attr("a").exists())["ReturnValuesOnConditionCheckFailure"]
        == "ALL_OLD"
    )


def test_names_only_no_values() -> None:
    assert expression_fields(projection=["a.b", "c"]) == {
        "ProjectionExpression": "#n0, #n1",
        "ExpressionAttributeNames": {"#n0": "a.b", "#n1": "c"},
    }


@pytest.mark.parametrize("projection", ["ab", [], ()], ids=repr)
def test_a_projection_must_be_a_non_empty_list(projection: Any) -> None:
    with pytest.raises(errors.ValidationError, match="non-empty list"):
        expression_fields(projection=projection)


def test_a_projection_may_be_any_iterable_of_names() -> None:
    assert expression_fields(projection=iter(["a"]))["ProjectionExpression"] == "#n0"


def test_the_package_exports_what_it_says() -> None:
    for name in rt.__all__:
        assert hasattr(rt, name), name
    assert "expression_fields" in rt.__all__ and len(set(rt.__all__)) == len(rt.__all__)


# ------------------------------------------------------------------ a generated update request


class RecordingClient:
    """Just enough of a boto3 client for one UpdateItem: records the request."""

    def __init__(self, attributes: dict[str, Any]) -> None:
        self.requests: list[dict[str, Any]] = []
        self.attributes = attributes

    def update_item(self, **request: Any) -> dict[str, Any]:
        self.requests.append(request)
        return {"Attributes": self.attributes}


def test_generated_update_request_uses_placeholders_only() -> None:
    from generated_example.ledger import Entry, EntryKind, marshal_entry

    stored = Entry(
        account_id="a1",
        seq=1,
        kind=EntryKind.CREDIT,
        amount=Decimal(1),
        booked_on=datetime.date(2024, 1, 1),
        version=4,
    )
    client = RecordingClient(marshal_entry(stored))
    ledger = LedgerTable(untyped(client), table_name="ledger-test")
    ledger.update(
        "a1",
        1,
        set={"comment": "a: b #c", "entry_status": "void", "order_ref": "#n0"},
        remove=["batch_ids"],
        condition=EntryAttrs.entry_status == "posted",
        expected_version=4,
    )
    ledger.update(
        "a1",
        1,
        set={"comment": "a: b #c", "entry_status": "void", "order_ref": "#n0"},
        remove=["batch_ids"],
        condition=EntryAttrs.entry_status == "posted",
        expected_version=4,
    )
    first, second = client.requests
    assert first["UpdateExpression"] == second["UpdateExpression"]
    assert first["ConditionExpression"] == second["ConditionExpression"]
    assert first["ExpressionAttributeNames"] == second["ExpressionAttributeNames"]
    texts = first["UpdateExpression"] + " " + first["ConditionExpression"]
    leftover = PLACEHOLDER.sub("", texts)
    for spliced in ("comment", "status", "order", "ref", "void", "posted", "batch"):
        assert spliced not in leftover, (spliced, texts)
    names = first["ExpressionAttributeNames"]
    assert {"comment.text", "status", "order #ref", "batch_ids", "version"} <= set(names.values())
    assert sorted(names) == [f"#n{i}" for i in range(len(names))]
    values = first["ExpressionAttributeValues"]
    assert sorted(values, key=lambda p: int(p[2:])) == [f":v{i}" for i in range(len(values))]
    assert {"S": "a: b #c"} in values.values() and {"S": "#n0"} in values.values()
    assert {"N": "4"} in values.values()
