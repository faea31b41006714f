"""The lean decode of DynamoDB's item-carrying answers: JSON, and base64 for binary values.

botocore parses every response by walking the operation's output shape, value by value; for
items that costs far more than our own decoders. For successful item-carrying responses the
checked parser (responses.py, which every client `make_client` makes uses) does only what is
needed instead: a JSON decode, and base64 for binary values (skipped entirely when the body
holds none). Errors, and every other operation, go to botocore's own parser, so error handling
and metadata stay exactly botocore's.

Binary values are decoded strictly (`validate=True`): text that is not canonical base64 raises
instead of decoding to other bytes, and the checked parser turns that into `BadResponse`. For
botocore's parser, which decodes leniently, `load(body, decode_binary=False)` checks the same
values without decoding them.

A body without binary values is decoded by orjson when it is installed (`dynagen[fast]`;
jsonlib.py); one with binary values by the standard library and the object hook.

Turn the fast decode off with `make_client(fast_parser=False)` or `DYNAGEN_FAST_PARSER=0`; the
response checks stay on either way.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from dynagen.runtime import jsonlib

# Output shapes whose bodies are items (or keys) and numbers only: no timestamps, no blobs but B/BS.
FAST_SHAPES = frozenset(
    {
        "GetItemOutput",
        "QueryOutput",
        "ScanOutput",
        "BatchGetItemOutput",
        "TransactGetItemsOutput",
        "PutItemOutput",
        "UpdateItemOutput",
        "DeleteItemOutput",
        "BatchWriteItemOutput",
        "TransactWriteItemsOutput",
    }
)
# Any body holding a binary value holds one of these (JSON strings are quoted whatever the
# spacing around the colon); a false positive only costs the object hook.
_BINARY_MARKERS = (b'"B"', b'"BS"')


def has_binary(body: bytes) -> bool:
    return any(marker in body for marker in _BINARY_MARKERS)


def b64decode(text: object) -> bytes:
    """Strict base64: ValueError (binascii.Error) for anything but canonical base64 text."""
    if not isinstance(text, str):
        raise ValueError(f"a binary value must be base64 text, not {type(text).__name__}")
    return base64.b64decode(text, validate=True)


def _binary_set(values: list[Any]) -> bool:
    """Whether a list under a "BS" key is a binary set (not, say, the items of a table named BS)."""
    return not any(value.__class__ is dict for value in values)


def _decode_binary(node: dict[str, Any]) -> dict[str, Any]:
    """json.loads object hook: a {"B": text} or {"BS": [text]} value becomes bytes as it is built."""
    if len(node) == 1:
        if "B" in node and node["B"].__class__ is str:
            node["B"] = b64decode(node["B"])
        elif "BS" in node and node["BS"].__class__ is list and _binary_set(node["BS"]):
            node["BS"] = [b64decode(value) for value in node["BS"]]
    return node


def _check_binary(node: dict[str, Any]) -> dict[str, Any]:
    """json.loads object hook: the same checks as _decode_binary, leaving the text as it is."""
    if len(node) == 1:
        if "B" in node and node["B"].__class__ is str:
            b64decode(node["B"])
        elif "BS" in node and node["BS"].__class__ is list and _binary_set(node["BS"]):
            for value in node["BS"]:
                b64decode(value)
    return node


def load(body: bytes, *, decode_binary: bool) -> Any:
    """The JSON document of a body, its binary values checked (and decoded, if asked).

    Raises ValueError (JSONDecodeError, UnicodeDecodeError, binascii.Error) or RecursionError
    for a body that is not JSON or holds a bad binary value; the caller says what that means.
    """
    if not has_binary(body):
        return jsonlib.loads(body)
    # With binary values, the standard library's object hook decodes them as the objects are
    # built; orjson has none, and walking its result afterwards costs more than it saves.
    return json.loads(body, object_hook=_decode_binary if decode_binary else _check_binary)


def metadata(response: dict[str, Any]) -> dict[str, Any]:
    """The ResponseMetadata botocore's parser would add."""
    headers = response["headers"]
    return {
        "RequestId": headers.get("x-amzn-requestid", ""),
        "HTTPStatusCode": response["status_code"],
        "HTTPHeaders": headers,
    }
