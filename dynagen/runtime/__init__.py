"""What generated modules import at run time: boto3 and the standard library only.

Generated code refers to everything here as `_rt.<name>`; applications use the error classes,
RetryPolicy, make_client and the condition helpers.
"""

from __future__ import annotations

from typing import Any, Callable, Mapping

from dynagen.runtime.args import check_many, stored_names
from dynagen.runtime.client import check_table_name, make_client, resolve_table_name
from dynagen.runtime.codec import (
    DECODE_ERRORS,
    date_text,
    datetime_text,
    decode_failure,
    json_value,
    key_bytes,
    key_str,
    map_key,
    number_decimal,
    number_float,
    number_int,
    parse_datetime,
    parse_json,
    parse_ttl,
    ttl_seconds,
    utc_now,
)
from dynagen.runtime.errors import (
    CancellationReason,
    ConditionFailed,
    DynagenError,
    DynamoDBError,
    InvalidCursor,
    ItemAlreadyExists,
    ItemDecodeError,
    ItemNotFound,
    RetriesExhausted,
    TableAlreadyExists,
    TableNotFound,
    Throttled,
    TransactionCanceled,
    UnprocessedItems,
    ValidationError,
    VersionConflict,
)
from dynagen.runtime.expressions import (
    Action,
    Attr,
    ListAttr,
    MapOfAttr,
    apply_actions,
    BytesAttr,
    CollectionAttr,
    Condition,
    ExpressionBuilder,
    MapAttr,
    OrderedAttr,
    Path,
    SizeRef,
    StringAttr,
    Update,
    all_of,
    attribute_exists,
    attribute_not_exists,
)
from dynagen.runtime.keys import Sort, SortCondition
from dynagen.runtime.pages import Page
from dynagen.runtime.reads import Read
from dynagen.runtime.retry import DEFAULT_RETRY, RetryPolicy
from dynagen.runtime.table import TableRuntime
from dynagen.runtime.transact import TxGet, TxWrite, transact_get, transact_get_all, transact_write
from dynagen.runtime.types import AttributeValue, DynamoDBClient, Item

FieldDecoders = tuple[tuple[str, str, Callable[[Mapping[str, AttributeValue]], Any]], ...]
"""(field name, stored name, decoder) per attribute of a generated type; only used to explain a failed decode."""

__all__ = [
    "Action", "ListAttr", "MapOfAttr", "apply_actions",
    "Attr", "AttributeValue", "BytesAttr", "CancellationReason", "CollectionAttr", "Condition",
    "ConditionFailed", "DECODE_ERRORS", "DEFAULT_RETRY", "DynagenError", "DynamoDBClient", "DynamoDBError",
    "ExpressionBuilder", "FieldDecoders", "InvalidCursor", "Item", "ItemAlreadyExists", "ItemDecodeError",
    "ItemNotFound", "MapAttr", "OrderedAttr", "Path", "RetriesExhausted", "RetryPolicy", "SizeRef",
    "StringAttr", "TableAlreadyExists", "TableNotFound", "TableRuntime", "Throttled", "TransactionCanceled",
    "UnprocessedItems", "Update", "ValidationError", "VersionConflict", "all_of", "attribute_exists",
    "attribute_not_exists", "check_many", "check_table_name", "Page", "Read", "Sort", "SortCondition",
    "stored_names", "resolve_table_name", "TxGet", "TxWrite", "transact_get", "transact_get_all", "transact_write", "date_text", "datetime_text", "decode_failure", "json_value",
    "key_bytes", "key_str", "make_client", "map_key", "number_decimal", "number_float", "number_int", "parse_datetime",
    "parse_json", "parse_ttl", "ttl_seconds", "utc_now",
]  # fmt: skip
