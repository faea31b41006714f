"""Type names shared by the runtime and generated modules."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Mapping, Sequence, TypedDict

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.client import DynamoDBClient as DynamoDBClient
else:  # the stubs are a typing aid, not a run-time dependency
    DynamoDBClient = Any


class AttributeValue(TypedDict, total=False):
    """DynamoDB's low-level wire form of one value, as boto3's client takes and returns it."""

    S: str
    N: str
    B: bytes
    SS: Sequence[str]
    NS: Sequence[str]
    BS: Sequence[bytes]
    M: Mapping[str, Any]
    L: Sequence[Any]
    NULL: bool
    BOOL: bool


Item = dict[str, AttributeValue]
"""A whole item on the wire: attribute name -> value."""
