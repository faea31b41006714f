"""dynagen.runtime.types: the wire form's type names match what boto3's client takes and returns."""

from __future__ import annotations

import typing
from typing import Any

import botocore.session

from dynagen.runtime.types import AttributeValue, Item


def test_attribute_value_has_exactly_dynamodbs_members() -> None:
    model = botocore.session.get_session().get_service_model("dynamodb")
    shape: Any = model.shape_for("AttributeValue")
    members = set(shape.members)
    assert set(typing.get_type_hints(AttributeValue)) == members
    assert AttributeValue.__total__ is False  # one member is set at a time


def test_item_is_a_dict_of_attribute_values() -> None:
    assert typing.get_origin(Item) is dict
    assert typing.get_args(Item) == (str, AttributeValue)
