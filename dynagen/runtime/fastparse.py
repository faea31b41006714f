"""A lean DynamoDB response parser for the operations that carry items.

botocore parses every response by walking the operation's output shape, value by value; for
items that costs far more than our own decoders. botocore lets a session provide its own
`response_parser_factory` component (a public extension point): ours returns a parser that, for
successful item-carrying responses, does only what is needed: JSON decode, and base64 for
binary values (skipped entirely when the body holds none). Errors, and every other operation,
go to botocore's own parser, so error handling and metadata stay exactly botocore's.

Turn it off with `make_client(fast_parser=False)` or `DYNAGEN_FAST_PARSER=0`.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from botocore.parsers import ResponseParserFactory

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
_BINARY_MARKERS = (b'"B":', b'"BS":', b'"B" :', b'"BS" :')


def _binary_hook(node: dict[str, Any]) -> dict[str, Any]:
    """json.loads object hook: a {"B": text} or {"BS": [text]} value becomes bytes as it is built."""
    if len(node) == 1:
        if "B" in node and node["B"].__class__ is str:
            node["B"] = base64.b64decode(node["B"])
        elif "BS" in node and node["BS"].__class__ is list:
            node["BS"] = [base64.b64decode(v) if v.__class__ is str else v for v in node["BS"]]
    return node


class FastParserFactory(ResponseParserFactory):
    """Hands botocore our parser for the `json` protocol DynamoDB speaks."""

    def create_parser(self, protocol_name: str) -> Any:
        parser = super().create_parser(protocol_name)
        if protocol_name == "json":
            return FastDynamoDBParser(parser)
        return parser


class FastDynamoDBParser:
    """Parses item-carrying successes itself; delegates everything else to botocore's parser."""

    def __init__(self, fallback: Any) -> None:
        self._fallback = fallback

    def parse(self, response: dict[str, Any], shape: Any) -> Any:
        if response["status_code"] >= 300 or shape is None or shape.name not in FAST_SHAPES:
            return self._fallback.parse(response, shape)
        body = response["body"]
        if not body:
            parsed: dict[str, Any] = {}
        elif any(marker in body for marker in _BINARY_MARKERS):
            parsed = json.loads(body, object_hook=_binary_hook)
        else:
            parsed = json.loads(body)
        headers = response["headers"]
        parsed["ResponseMetadata"] = {
            "RequestId": headers.get("x-amzn-requestid", ""),
            "HTTPStatusCode": response["status_code"],
            "HTTPHeaders": headers,
        }
        return parsed

    def __getattr__(self, name: str) -> Any:  # anything else botocore asks of a parser
        return getattr(self._fallback, name)
