"""Which JSON library reads answers and writes request bodies: orjson when installed, else json.

orjson (`pip install "dynagen[fast]"`) decodes a DynamoDB answer about 1.6x (a 100-item page) to
2.3x (one item) faster than the standard library and encodes a request body ~10x faster
(benchmarks/RESULTS.md). Answers holding binary values are still decoded by the standard library
(fastparse.py: its object hook decodes them as they are read; orjson has none). It is optional: without it, or with `DYNAGEN_JSON=stdlib`, the standard
library does the same work. The two differ only where DynamoDB never goes: orjson refuses a body
that is not UTF-8 and lone UTF-16 surrogates (both a BadResponse then), and writes compact UTF-8
where json writes `\\uXXXX` escapes and spaces (DynamoDB reads both; the signature covers the bytes
actually sent).
"""

from __future__ import annotations

import base64
import json
import os
from typing import Any, Callable

try:
    import orjson as _orjson
except ImportError:  # the optional extra is not installed
    _orjson = None  # type: ignore[assignment]


def _bytes_as_base64(value: object) -> str:
    """B and BS values travel as base64 text, as botocore serializes blobs."""
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(value).decode("ascii")
    raise TypeError(f"a request value of type {type(value).__name__} cannot be sent as JSON")


def _stdlib_dumps(request: Any) -> bytes:
    """Byte for byte what botocore's JSON serializer writes for the same request."""
    return json.dumps(request, default=_bytes_as_base64).encode("utf-8")


def _orjson_dumps(request: Any) -> bytes:
    assert _orjson is not None
    return _orjson.dumps(request, default=_bytes_as_base64)


loads: Callable[[bytes], Any] = json.loads
dumps: Callable[[Any], bytes] = _stdlib_dumps
ORJSON = False
"""Whether orjson is in use (installed, and not turned off by DYNAGEN_JSON=stdlib)."""


def use_orjson(wanted: bool) -> bool:
    """Switch orjson on (when installed) or off; returns whether it is now in use."""
    global loads, dumps, ORJSON
    if wanted and _orjson is not None:
        loads, dumps, ORJSON = _orjson.loads, _orjson_dumps, True
    else:
        loads, dumps, ORJSON = json.loads, _stdlib_dumps, False
    return ORJSON


def available() -> bool:
    return _orjson is not None


use_orjson(os.environ.get("DYNAGEN_JSON", "").strip().lower() != "stdlib")
