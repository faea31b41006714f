"""dynagen.runtime.shapes: the precise codec behind the fast one; it names what the fast path
refused, with the attribute's path (more cases in tests/reliability/test_wire_forms.py)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from dynagen import runtime as rt
from generated_example.orders import marshal_order, unmarshal_order
from tests.integration.support import make_order


def wire() -> dict[str, Any]:
    return copy.deepcopy(marshal_order(make_order()))


def test_a_value_under_two_wire_types_is_refused() -> None:
    """DynamoDB never writes {"S": ..., "M": ...}: the precise reader says so, with the path."""
    raw = wire()
    raw["shipping"] = {"S": "x", "M": raw.get("shipping", {}).get("M", {"street": {"S": "a"}})}
    with pytest.raises(rt.ItemDecodeError) as caught:
        unmarshal_order(raw)
    assert caught.value.attribute is not None and caught.value.attribute.startswith("shipping")


def test_a_record_whose_map_is_not_a_map_is_refused() -> None:
    raw = wire()
    raw["lines"] = {"L": [{"M": None}]}
    with pytest.raises(rt.ItemDecodeError) as caught:
        unmarshal_order(raw)
    assert caught.value.attribute == "lines[0]"


def test_a_good_item_reads_back_equal() -> None:
    order = make_order()
    assert unmarshal_order(marshal_order(order)) == order
