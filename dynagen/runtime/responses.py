"""Every response is checked before anything of it is used: complete, intact, of the right shape.

botocore reads a body without enforcing its Content-Length (a connection cut half-way through
an answer leaves half a body), and checks `x-amz-crc32` only in the retry handler that
`make_client` turns off. So every client `make_client` makes (fast parser on or off) gets its
parsers from `CheckedParserFactory` (botocore's public `response_parser_factory` session
component), whose parser checks each response before parsing it:

- the body is as long as its Content-Length says (when it says; DynamoDB always does),
- `zlib.crc32(body)` equals `x-amz-crc32` (when present; DynamoDB sends it with every 2xx answer),
- a 2xx body is a JSON object (DynamoDB answers every operation with one, `{}` at least: an empty
  body, `[]`, `null` or text that is not JSON is malformed), its binary values are canonical
  base64, and the answers that carry items have the shapes DynamoDB gives them (`Items` a list
  of items, `Count` a number and as many items as it says, `Item`/`Attributes` an item, keys
  made of S/N/B values, `Responses` a map of tables to lists of items...),
- an error answer's stored item (a condition failure's `Item`, a cancelled transaction's
  `CancellationReasons[].Item`) is a well-formed item, and botocore's error parser does not
  choke on the body.

A response that fails any of these raises `errors.BadResponse`, a transport failure
(botocore's `HTTPClientError`, in `errors.CONNECTION_ERRORS`) that `Endpoint.send` retries like a
dropped connection. It is raised from the parser, which botocore calls outside its own
transport error handling, so nothing of a bad answer is parsed, retried by botocore or returned.
Error answers are then parsed by botocore's own parser, as before.

What is not checked here: whether each attribute value has the type the spec expects (the
generated decoders check that, raising ItemDecodeError), and what depends on the request (a
BatchGetItem item for a key that was asked for: batch.py; a LastEvaluatedKey that repeats:
reads.py).
"""

from __future__ import annotations

import json
import zlib
from typing import Any, Callable, Iterator, Mapping

from botocore.parsers import ResponseParserFactory

from dynagen.runtime import fastparse
from dynagen.runtime.errors import BadResponse

_KEY_TYPES = frozenset({"S", "N", "B"})


class CheckedParserFactory(ResponseParserFactory):
    """Hands botocore, for the `json` protocol DynamoDB speaks, a parser that checks first."""

    def __init__(self, *, fast: bool = True) -> None:
        super().__init__()
        self.fast = fast

    def create_parser(self, protocol_name: str) -> Any:
        parser = super().create_parser(protocol_name)
        if protocol_name == "json":
            return CheckedParser(parser, fast=self.fast)
        return parser


class CheckedParser:
    """Checks each response, then parses it: item-carrying successes itself when `fast`,
    everything else with botocore's parser (`fallback`)."""

    def __init__(self, fallback: Any, *, fast: bool) -> None:
        self._fallback = fallback
        self._fast = fast

    def parse(self, response: dict[str, Any], shape: Any) -> Any:
        operation = str(response.get("context", {}).get("operation_name", ""))
        body = response["body"]
        if not isinstance(body, (bytes, bytearray)):  # a stream: DynamoDB sends none
            return self._fallback_parse(response, shape, operation)
        check_frame(operation, response["headers"], bytes(body))
        if response["status_code"] >= 300:
            check_error_body(operation, bytes(body))
            return self._fallback_parse(response, shape, operation)
        name = shape.name if shape is not None else ""
        fast = self._fast and name in fastparse.FAST_SHAPES
        document = _document(operation, bytes(body), decode_binary=fast)
        check_shape(operation, name, document)
        if not fast:
            if wire_forms_ok(name, document):
                return self._fallback_parse(response, shape, operation)
            # botocore's parser reads values by the service model, not as sent ({"SS": "abc"}
            # would become three letters): an answer with a malformed value is handed on as
            # sent, so that the generated decoder names the bad attribute (ItemDecodeError).
            document = _document(operation, bytes(body), decode_binary=True)
        document["ResponseMetadata"] = fastparse.metadata(response)
        return document

    def _fallback_parse(self, response: dict[str, Any], shape: Any, operation: str) -> Any:
        try:
            return self._fallback.parse(response, shape)
        except Exception as error:  # botocore's parser choked: the answer is malformed
            raise BadResponse(
                operation=operation,
                detail=f"botocore cannot parse the answer ({type(error).__name__}: {error})",
            ) from error

    def __getattr__(self, name: str) -> Any:  # anything else botocore asks of a parser
        return getattr(self._fallback, name)


# ------------------------------------------------------------------ the checks


def check_frame(operation: str, headers: Mapping[str, str], body: bytes) -> None:
    """The body is whole (its Content-Length) and intact (its x-amz-crc32), when the headers say."""
    length = headers.get("content-length")
    if length is not None:
        if not length.strip().isdigit():
            raise BadResponse(operation=operation, detail=f"Content-Length is {length!r}")
        if int(length) != len(body):
            raise BadResponse(
                operation=operation,
                detail=f"the body is {len(body)} bytes but Content-Length says {int(length)}"
                " (the connection was cut before the whole answer arrived)",
            )
    crc = headers.get("x-amz-crc32")
    if crc is not None:
        if not crc.strip().isdigit():
            raise BadResponse(operation=operation, detail=f"x-amz-crc32 is {crc!r}")
        actual = zlib.crc32(body)
        if actual != int(crc):
            raise BadResponse(
                operation=operation,
                detail=f"the body's CRC32 is {actual} but x-amz-crc32 says {int(crc)}"
                " (the answer was altered on the way)",
            )


def _document(
    operation: str, body: bytes, *, decode_binary: bool, items_as_sent: bool = False
) -> dict[str, Any]:
    """A 2xx body as the JSON object it must be, binary values checked (and decoded if asked;
    `items_as_sent`: all but those inside items, which generated decoders decode, see
    fastparse.load_items)."""
    if not body:
        raise BadResponse(operation=operation, detail="the body is empty (a JSON object is due)")
    try:
        if items_as_sent:
            document = fastparse.load_items(body)
        else:
            document = fastparse.load(body, decode_binary=decode_binary)
    except (ValueError, RecursionError) as error:
        raise BadResponse(
            operation=operation,
            detail=f"the body is not JSON with valid binary values ({type(error).__name__}:"
            f" {error}): {_excerpt(body)}",
        ) from error
    if type(document) is not dict:
        raise BadResponse(
            operation=operation,
            detail=f"the body is JSON {type(document).__name__}, not an object: {_excerpt(body)}",
        )
    return document


def check_error_body(operation: str, body: bytes) -> None:
    """An error answer that carries stored items carries well-formed ones.

    The item-write code hands a condition failure's `Item` to the spec's decoder and compares it
    with the item sent, and transactions do the same with their cancellation reasons: garbage
    there would end as a raw exception or a wrong answer. A body that is not a JSON object is
    left to botocore's error parser (which reads text as the message, and chokes on `[]`).
    """
    if b'"Item"' not in body:
        return
    try:
        document = json.loads(body)
    except (ValueError, RecursionError):
        return
    if type(document) is not dict:
        return
    problem = ""
    if "Item" in document and not is_wire_item(document["Item"]):
        problem = "Item"
    reasons = document.get("CancellationReasons")
    if reasons is not None and type(reasons) is not list:
        problem = "CancellationReasons"
    elif reasons is not None:
        for number, reason in enumerate(reasons):
            if type(reason) is not dict or ("Item" in reason and not is_wire_item(reason["Item"])):
                problem = f"CancellationReasons[{number}]"
    if problem:
        raise BadResponse(
            operation=operation,
            detail=f"the error answer's {problem} is not a well-formed item: {_excerpt(body)}",
        )


def wire_forms_ok(name: str, document: dict[str, Any]) -> bool:
    """Every stored value of a 2xx answer is a well-formed wire value, checked to the bottom.

    Asked on the botocore parser's path only: the fast parser hands values on as sent, and the
    generated decoders check each against its attribute's type.
    """
    return all(is_wire_item(item) for item in _items(name, document))


def _items(name: str, document: dict[str, Any]) -> Iterator[Any]:
    """Every item an answer of this shape carries (its shape checked already)."""
    for field in ("Item", "Attributes"):
        if field in document:
            yield document[field]
    yield from document.get("Items", ())
    if name == "BatchGetItemOutput":  # Responses may be absent: all in UnprocessedKeys
        for items in document.get("Responses", {}).values():
            yield from items
    elif name == "TransactGetItemsOutput":
        yield from (answer["Item"] for answer in document["Responses"] if "Item" in answer)


def check_shape(operation: str, name: str, document: dict[str, Any]) -> None:
    """The item-carrying fields of a 2xx answer have the shapes DynamoDB gives them."""
    check = _SHAPES.get(name)
    if check is None:
        return
    problem = check(document)
    if problem:
        raise BadResponse(operation=operation, detail=problem)


def _read_page(document: dict[str, Any]) -> str:
    count = document.get("Count")
    if type(count) is not int or count < 0:
        return f"Count is {count!r}, not a number of items"
    if "ScannedCount" in document and type(document["ScannedCount"]) is not int:
        return f"ScannedCount is {document['ScannedCount']!r}"
    if "Items" in document:
        items = document["Items"]
        if type(items) is not list:
            return f"Items is a {type(items).__name__}, not a list"
        if len(items) != count:
            return f"Count says {count} items but Items holds {len(items)}"
        for number, item in enumerate(items):
            if not is_item(item):
                return f"Items[{number}] is not an item: {item!r:.200}"
    if "LastEvaluatedKey" in document and not is_key(document["LastEvaluatedKey"]):
        return f"LastEvaluatedKey is not a key: {document['LastEvaluatedKey']!r:.200}"
    return ""


def _one_item(field: str) -> Callable[[dict[str, Any]], str]:
    def check(document: dict[str, Any]) -> str:
        if field in document and not is_item(document[field]):
            return f"{field} is not an item: {document[field]!r:.200}"
        return ""

    return check


def _batch_get(document: dict[str, Any]) -> str:
    unprocessed = document.get("UnprocessedKeys", {})
    if type(unprocessed) is not dict:
        return f"UnprocessedKeys is {unprocessed!r:.200}"
    for table, part in unprocessed.items():
        keys = part.get("Keys") if type(part) is dict else None
        if type(keys) is not list or not all(is_key(key) for key in keys):
            return f"UnprocessedKeys[{table!r}] does not hold a list of keys"
    if "Responses" not in document:
        if unprocessed:
            return ""  # nothing was read this time
        return "there are neither Responses nor UnprocessedKeys"
    responses = document["Responses"]
    if type(responses) is not dict:
        return f"Responses is a {type(responses).__name__}, not a map of tables"
    for table, items in responses.items():
        if type(items) is not list:
            return f"Responses[{table!r}] is a {type(items).__name__}, not a list"
        for number, item in enumerate(items):
            if not is_item(item):
                return f"Responses[{table!r}][{number}] is not an item: {item!r:.200}"
    return ""


def _batch_write(document: dict[str, Any]) -> str:
    unprocessed = document.get("UnprocessedItems", {})
    if type(unprocessed) is not dict or not all(
        type(requests) is list and all(type(request) is dict for request in requests)
        for requests in unprocessed.values()
    ):
        return f"UnprocessedItems is not a map of tables to requests: {unprocessed!r:.200}"
    return ""


def _transact_get(document: dict[str, Any]) -> str:
    if "Responses" not in document:  # one entry per read, always (an absent item is {})
        return "there are no Responses"
    responses = document["Responses"]
    if type(responses) is not list:
        return f"Responses is a {type(responses).__name__}, not a list"
    for number, response in enumerate(responses):
        if type(response) is not dict or ("Item" in response and not is_item(response["Item"])):
            return f"Responses[{number}] is not an item response: {response!r:.200}"
    return ""


_SHAPES: dict[str, Callable[[dict[str, Any]], str]] = {
    "GetItemOutput": _one_item("Item"),
    "QueryOutput": _read_page,
    "ScanOutput": _read_page,
    "BatchGetItemOutput": _batch_get,
    "TransactGetItemsOutput": _transact_get,
    "PutItemOutput": _one_item("Attributes"),
    "UpdateItemOutput": _one_item("Attributes"),
    "DeleteItemOutput": _one_item("Attributes"),
    "BatchWriteItemOutput": _batch_write,
}


def is_item(value: object) -> bool:
    """A map of attribute names to wire values (each a one-entry map); the decoders check the rest."""
    if type(value) is not dict:
        return False
    for wire in value.values():
        if type(wire) is not dict or len(wire) != 1:
            return False
    return True


def is_key(value: object) -> bool:
    """A key: attribute names to S, N or B values (B as text, or as bytes once decoded)."""
    if type(value) is not dict or not value:
        return False
    for wire in value.values():
        if type(wire) is not dict or len(wire) != 1:
            return False
        ((wire_type, scalar),) = wire.items()
        if wire_type not in _KEY_TYPES or type(scalar) not in (str, bytes):
            return False
    return True


def is_wire_item(value: object) -> bool:
    """A whole item, every value checked to the bottom: for the items of error answers."""
    return type(value) is dict and all(
        type(name) is str and is_wire_value(wire) for name, wire in value.items()
    )


def is_wire_value(wire: object, depth: int = 0) -> bool:
    """A well-formed DynamoDB wire value (B and BS as base64 text), nested at most 32 deep."""
    if type(wire) is not dict or len(wire) != 1 or depth > 32:
        return False
    ((wire_type, value),) = wire.items()
    if wire_type in ("S", "N"):
        return type(value) is str
    if wire_type == "B":
        return _is_base64(value)
    if wire_type in ("SS", "NS"):
        return type(value) is list and all(type(v) is str for v in value)
    if wire_type == "BS":
        return type(value) is list and all(_is_base64(v) for v in value)
    if wire_type == "BOOL":
        return type(value) is bool
    if wire_type == "NULL":
        return value is True
    if wire_type == "L":
        return type(value) is list and all(is_wire_value(v, depth + 1) for v in value)
    if wire_type == "M":
        return type(value) is dict and all(
            type(k) is str and is_wire_value(v, depth + 1) for k, v in value.items()
        )
    return False


def _is_base64(value: object) -> bool:
    try:
        fastparse.b64decode(value)
    except ValueError:
        return False
    return True


def _excerpt(body: bytes, limit: int = 120) -> str:
    text = body[:limit].decode("utf-8", "replace")
    return repr(text) + ("..." if len(body) > limit else "")
