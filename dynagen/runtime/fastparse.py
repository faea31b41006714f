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

The direct transport (transport.py), whose answers only dynagen's own reads see, uses
`load_items` instead: every binary value of the body is checked as above, but those inside the
items (`Item`, `Items`, `Attributes`, `Responses`) are left as base64 text, so that orjson reads
the body and no Python hook runs per JSON object. The generated decoders know which attributes
are binary and decode those (`codec.read_bytes`); what no decoder reads (unknown attributes,
undecodable items) is decoded where it is kept (`codec.binary_decoded`). Everything else of the
answer (LastEvaluatedKey, UnprocessedKeys, ...) is decoded here, as before.

Turn the fast decode off with `make_client(fast_parser=False)` or `DYNAGEN_FAST_PARSER=0`; the
response checks stay on either way.
"""

from __future__ import annotations

import base64
import json
import re
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


# Canonical base64 text, as `b64decode(validate=True)` takes it: the alphabet, whole groups of
# four, `=` padding only at the end.
_BASE64 = rb"(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?"
# A binary value whose text is not plain canonical base64 (or is written with JSON escapes), or a
# binary set with such a member (a "BS" list of objects is not one: a table named BS, say). One
# search over the body finds the first; the body then takes the object hook's way, which refuses
# it exactly as before (or reads the escapes).
_SUSPECT = re.compile(
    rb'"B(?:"\s*:\s*"(?!'
    + _BASE64
    + rb'")|S"\s*:\s*\[(?!\s*\{|\s*(?:"'
    + _BASE64
    + rb'"\s*(?:,\s*"'
    + _BASE64
    + rb'"\s*)*)?\]))'
)
# The fields of an answer that hold items, which generated decoders read.
_ITEM_FIELDS = frozenset({"Item", "Items", "Attributes", "Responses"})


def _decoded(node: Any) -> Any:
    """`node` with every binary value in it decoded, as the object hook would have."""
    if node.__class__ is dict:
        for name, value in node.items():
            node[name] = _decoded(value)
        return _decode_binary(node)
    if node.__class__ is list:
        return [_decoded(value) for value in node]
    return node


def load_items(body: bytes) -> Any:
    """Like `load(body, decode_binary=True)`, but the binary values inside the items stay base64
    text (checked all the same): for the direct transport, whose items only generated decoders
    read. Same errors as `load`."""
    if not has_binary(body):
        return jsonlib.loads(body)
    if _SUSPECT.search(body):
        return load(body, decode_binary=True)
    document = jsonlib.loads(body)
    if document.__class__ is dict:
        for field, value in document.items():
            if field not in _ITEM_FIELDS:
                document[field] = _decoded(value)
    return document


def metadata(response: dict[str, Any]) -> dict[str, Any]:
    """The ResponseMetadata botocore's parser would add."""
    headers = response["headers"]
    return {
        "RequestId": headers.get("x-amzn-requestid", ""),
        "HTTPStatusCode": response["status_code"],
        "HTTPHeaders": headers,
    }
