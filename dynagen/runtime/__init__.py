"""dynagen's runtime, as applications use it: errors, retries, clients, conditions, pages, transactions.

Generated modules import `dynagen.runtime.internal` for everything else. Needs boto3 (botocore)
and the standard library only: an application that imports generated modules needs neither
Jinja2, PyYAML nor black.
"""

from __future__ import annotations

from dynagen.runtime.client import make_client
from dynagen.runtime.errors import (
    BadResponse,
    CancellationReason,
    ConditionFailed,
    DynagenError,
    DynamoDBError,
    InvalidCursor,
    ItemAlreadyExists,
    ItemDecodeError,
    ItemNotFound,
    OutcomeUnknown,
    PagingStalled,
    RetriesExhausted,
    TableAlreadyExists,
    TableNotFound,
    Throttled,
    TransactionCanceled,
    UnprocessedItems,
    ValidationError,
    VersionConflict,
)
from dynagen.runtime.expressions import Action, Condition, Sort, SortCondition, all_of
from dynagen.runtime.pages import Cursor, Page
from dynagen.runtime.retry import RetryPolicy
from dynagen.runtime.transact import (
    TxGet,
    TxPut,
    TxWrite,
    transact_get,
    transact_get_all,
    transact_write,
)
from dynagen.runtime.types import AttributeValue
from dynagen.runtime.undecodable import DecodeErrors, OnDecodeError, Undecodable
from dynagen.runtime.unknown import unknown_attributes

__all__ = [
    # errors
    "BadResponse", "CancellationReason", "ConditionFailed", "DynagenError", "DynamoDBError",
    "InvalidCursor", "ItemAlreadyExists", "ItemDecodeError", "ItemNotFound", "OutcomeUnknown",
    "PagingStalled", "RetriesExhausted", "TableAlreadyExists", "TableNotFound", "Throttled",
    "TransactionCanceled", "UnprocessedItems", "ValidationError", "VersionConflict",
    # clients and retries
    "RetryPolicy", "make_client",
    # reads, and reading past items that do not decode
    "Cursor", "Page", "Sort", "SortCondition", "DecodeErrors", "OnDecodeError", "Undecodable",
    # conditions, filters and update actions (the typed reference classes they are made from,
    # StringAttr, OrderedAttr, ..., are in dynagen.runtime.expressions, for annotations)
    "Action", "Condition", "all_of",
    # transactions
    "TxGet", "TxPut", "TxWrite", "transact_get", "transact_get_all", "transact_write",
    # the wire form, and the attributes a spec does not name
    "AttributeValue", "unknown_attributes",
]  # fmt: skip
