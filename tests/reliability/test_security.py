"""Security: expressions carry placeholders only, cursors are checked, table names from the
environment are validated, and credentials never reach the logs, even at DEBUG."""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import json
import logging
import os
import re
from types import ModuleType
from typing import Any, Iterator

import pytest

from dynagen import runtime as rt
from dynagen.runtime import make_client
from dynagen.runtime.client import direct_transport
from dynagen.runtime.pages import encode_cursor
from tests.helpers import build_module, unique_name
from tests.reliability.conftest import client_config

# Stored names that are reserved words, hold `.`, ` `, `#`, `:`, or look like placeholders.
WEIRD_SPEC = """
version: 1
table: weird
key: {partition: owner, sort: thing}
types:
  Info:
    fields:
      dotted: {type: string, stored_as: "x.y"}
      plain: string
entities:
  Thing:
    attributes:
      owner: {type: string, stored_as: "owner id"}
      thing: {type: string, stored_as: "#item"}
      status: string
      name: {type: string, optional: true}
      dotted: {type: string, stored_as: "a.b", optional: true}
      spaced: {type: int, stored_as: "has space", default: 0}
      hashed: {type: string, stored_as: "#n0", optional: true}
      coloned: {type: string, stored_as: ":v0", optional: true}
      size_: {type: set<string>, stored_as: "size", optional: true}
      info: {type: Info, optional: true}
      meta: {type: map<string>, optional: true}
      items: {type: list<string>, stored_as: "ITEMS", default: []}
      version: version
indexes:
  by_status: {partition: status, sort: name}
"""
WEIRD_NAMES = ["owner id", "#item", "a.b", "has space", "#n0", ":v0", "x.y", "k.e y#:"]
RESERVED = ["status", "name", "size", "ITEMS"]
WEIRD_VALUES = [":v0", "#n1", "a.b = :v1 OR #n0", "status", "x) OR (y", "k.e y#:"]

PLACEHOLDER = re.compile(r"#[np]\d+|:v\d+")
GRAMMAR = re.compile(
    r"(?:\s|[(),=<>\[\].]|\d+|SET|REMOVE|ADD|DELETE|AND|OR|NOT|BETWEEN|IN|attribute_exists"
    r"|attribute_not_exists|attribute_type|begins_with|contains|size|if_not_exists|list_append)*"
)
EXPRESSION_KEYS = (
    "KeyConditionExpression",
    "FilterExpression",
    "ConditionExpression",
    "UpdateExpression",
    "ProjectionExpression",
)


@pytest.fixture(scope="module")
def W(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    return build_module(tmp_path_factory.mktemp("weird"), WEIRD_SPEC, "weird")


class Recorder:
    """Every request the client makes: botocore's `before-send` event hands over the signed
    request, whose body is the JSON that goes on the wire (through either transport)."""

    def __init__(self, client: Any) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        client.meta.events.register("before-send.dynamodb", self._record)

    def _record(self, request: Any, **_: Any) -> None:
        target = request.headers.get("X-Amz-Target", b"")
        name = (target.decode() if isinstance(target, bytes) else str(target)).split(".")[-1]
        self.calls.append((name, json.loads(request.body or b"{}")))


@pytest.fixture(scope="module")
def hooked(local_endpoint: str) -> tuple[Any, Recorder]:
    client = make_client(
        endpoint_url=local_endpoint, region_name="us-east-1", config=client_config()
    )
    return client, Recorder(client)


@pytest.fixture(scope="module")
def things(W: ModuleType, hooked: tuple[Any, Recorder]) -> Iterator[Any]:
    table = W.WeirdTable(hooked[0], table_name=unique_name("rel-weird"))
    table.create_table()
    yield table
    table.delete_table(wait=False)


def expressions(params: Any) -> Iterator[tuple[str, str, dict[str, Any], dict[str, Any]]]:
    """(key, text, names, values) for every expression anywhere in a request."""
    if isinstance(params, dict):
        for key in EXPRESSION_KEYS:
            if key in params:
                yield (
                    key,
                    params[key],
                    params.get("ExpressionAttributeNames", {}),
                    params.get("ExpressionAttributeValues", {}),
                )
        for value in params.values():
            yield from expressions(value)
    elif isinstance(params, list):
        for value in params:
            yield from expressions(value)


def test_names_and_values_never_reach_expression_text(
    W: ModuleType, things: Any, hooked: tuple[Any, Recorder]
) -> None:
    recorder = hooked[1]
    recorder.calls.clear()
    A = W.ThingAttrs
    owner, key = "o #1: a.b", ":v0 #n0"
    made = things.create(
        W.Thing(
            owner=owner,
            thing=key,
            status=":v0",
            name="#n1",
            dotted="a.b = :v1 OR #n0",
            hashed="x) OR (y",
            coloned="status",
            size_={"k.e y#:"},
            info=W.Info(dotted="x.y", plain=":v0"),
            meta={"k.e y#:": ":v0"},
        )
    )
    made = things.put(made, condition=(A.status == ":v0") & A.coloned.exists())
    assert things.get(owner, key, attributes=["dotted", "hashed", "coloned", "size_"]) is not None
    made = things.update(
        owner,
        key,
        set={"name": "#n1", "dotted": "x.y"},
        add={"spaced": 1, "size_": {"a b"}},
        remove=["hashed"],
        actions=[
            A.info.dotted.set(":v9"),
            A.meta["k.e y#:"].set("#n0"),
            A.items.append([":x", "a.b"]),
        ],
        condition=A.name.begins_with("#") | A.name.not_exists(),
        expected_version=made.version,
    )
    assert made.info.dotted == ":v9" and made.meta == {"k.e y#:": "#n0"}
    sort = rt.Sort.begins_with(":v0")
    assert len(list(things.query(owner, sort=sort, filter=A.spaced.between(0, 10)))) == 1
    assert len(list(things.query_by_status(":v0", sort=rt.Sort.eq("#n1")))) == 1
    assert len(list(things.scan(filter=A.coloned.in_("status", "#n0") & A.size_.contains("a b"))))
    assert things.count(owner, filter=A.dotted.size() > 0) == 1
    rt.transact_write(
        [things.tx_update(owner, key, add={"spaced": 1}, condition=A.items[0] == ":x")]
    )
    assert things.delete(owner, key, condition=A.status == ":v0") is not None

    checked = 0
    used_names: set[str] = set()
    for operation, params in recorder.calls:
        for field, text, names, values in expressions(params):
            checked += 1
            assert GRAMMAR.fullmatch(PLACEHOLDER.sub(" ", text)), (operation, field, text)
            assert set(PLACEHOLDER.findall(text)) <= set(names) | set(values)
            used_names.update(names.values())
            for value in WEIRD_VALUES:  # values live in ExpressionAttributeValues only
                if not PLACEHOLDER.fullmatch(value):
                    assert value not in text, (operation, field, text)
    assert checked >= 10
    assert set(WEIRD_NAMES + RESERVED) <= used_names  # every odd name went through a placeholder


# ------------------------------------------------------------------ cursors


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@pytest.fixture(scope="module")
def shelf(W: ModuleType, things: Any) -> str:
    things.batch_put([W.Thing(owner="shelf", thing=f"t{n}", status="s") for n in range(4)])
    return "shelf"


def _signed(payload: dict[str, Any], secret: bytes = b"dynagen-cursor-v1") -> str:
    """A cursor with a valid tag for the default secret (public: it is in dynagen's source)."""
    body = json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()
    return f"{_b64(body)}.{_b64(hmac.new(secret, body, hashlib.sha256).digest()[:16])}"


def _sent(recorder: Recorder) -> int:
    return len(recorder.calls)


def test_a_forged_cursor_is_refused_before_any_request(
    things: Any, shelf: str, hooked: tuple[Any, Recorder]
) -> None:
    recorder = hooked[1]
    cursor = things.query_page(shelf, page_size=1).cursor
    assert cursor is not None
    body_text, _, tag_text = cursor.partition(".")
    payload = json.loads(_unb64(body_text))
    payload["k"]["#item"] = ["S", "t3"]  # a valid structure, pointing elsewhere
    body = json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()
    forgeries = {
        "new key, old tag": f"{_b64(body)}.{tag_text}",
        "new key, random tag": f"{_b64(body)}.{_b64(os.urandom(16))}",
        "old key, flipped tag": f"{body_text}.{_b64(bytes(b ^ 1 for b in _unb64(tag_text)))}",
        "no tag": body_text,
        "another partition's cursor": encode_cursor(
            payload["s"].rsplit("/", 1)[0] + "/0000000000000000", {"owner id": {"S": "x"}}
        ),
        "a key of other attributes": encode_cursor(payload["s"], {"other": {"S": "x"}}),
        "a key of the wrong type": _signed(
            {**payload, "k": {"owner id": ["S", shelf], "#item": ["BOOL", "true"]}}
        ),
        "another dynagen version": _signed({**payload, "v": 2}),
        "not JSON": f"{_b64(b'{nope')}.{_b64(os.urandom(16))}",
        "not base64": "%%%.%%%",
        "huge": "A" * 100_000,
    }
    before = _sent(recorder)
    for name, forged in forgeries.items():
        with pytest.raises(rt.InvalidCursor):
            things.query_page(shelf, page_size=1, cursor=forged)
        assert _sent(recorder) == before, name
    assert len(things.query_page(shelf, page_size=1, cursor=cursor).items) == 1  # the real one


def test_with_a_cursor_secret_cursors_made_without_it_are_refused(
    things: Any, shelf: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DYNAGEN_CURSOR_SECRET", raising=False)
    unsigned = things.query_page(shelf, page_size=1).cursor
    # Without a secret, whoever reads dynagen's source can make a valid cursor for the same
    # query (it can only resume that query); with DYNAGEN_CURSOR_SECRET nobody else can.
    payload = json.loads(_unb64(unsigned.partition(".")[0]))
    forged = _signed({**payload, "k": {"owner id": ["S", shelf], "#item": ["S", "t2"]}})
    assert [t.thing for t in things.query_page(shelf, cursor=forged).items] == ["t3"]
    monkeypatch.setenv("DYNAGEN_CURSOR_SECRET", "s3cret-for-this-deployment")
    for made_without_the_secret in (unsigned, forged):
        with pytest.raises(rt.InvalidCursor, match="DYNAGEN_CURSOR_SECRET"):
            things.query_page(shelf, page_size=1, cursor=made_without_the_secret)
    signed = things.query_page(shelf, page_size=1).cursor
    assert signed != unsigned
    assert [t.thing for t in things.query_page(shelf, page_size=1, cursor=signed).items] == ["t1"]
    monkeypatch.setenv("DYNAGEN_CURSOR_SECRET", "another deployment")
    with pytest.raises(rt.InvalidCursor):
        things.query_page(shelf, page_size=1, cursor=signed)


# ------------------------------------------------------------------ table names from the environment


@pytest.mark.parametrize(
    "prefix",
    ["prod/", "dev ", "a:b-", "ü-", "dev\n", "../", "x" * 251, "tab\t", "semi;colon-"],
)
def test_a_table_prefix_dynamodb_would_refuse_fails_at_construction(
    W: ModuleType, direct_client: Any, monkeypatch: pytest.MonkeyPatch, prefix: str
) -> None:
    monkeypatch.setenv("DYNAGEN_TABLE_PREFIX", prefix)
    with pytest.raises(rt.ValidationError, match="table name"):
        W.WeirdTable(direct_client)


def test_a_good_table_prefix_is_used(
    W: ModuleType, direct_client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DYNAGEN_TABLE_PREFIX", "staging.v2-")
    assert W.WeirdTable(direct_client).table_name == "staging.v2-weird"
    assert W.WeirdTable(direct_client, table_name="explicit").table_name == "explicit"


# ------------------------------------------------------------------ credentials and logs

FAKE = {
    "AWS_ACCESS_KEY_ID": "AKIAFAKEACCESSKEY4242",
    "AWS_SECRET_ACCESS_KEY": "fakeSecret/Key+Value0123456789abcdefGHIJ",
    "AWS_SESSION_TOKEN": "FwoGZXIvYXdzEFAKE//Session+Token/Value0123456789abcdefghij==",
}


@pytest.fixture
def debug_logs(monkeypatch: pytest.MonkeyPatch) -> Iterator[io.StringIO]:
    """Every logger at DEBUG, all records formatted into one buffer."""
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
    root = logging.getLogger()
    levels = {name: logger.level for name, logger in _loggers()}
    root_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    for _, logger in _loggers():
        logger.setLevel(logging.DEBUG)
    try:
        yield buffer
    finally:
        root.removeHandler(handler)
        root.setLevel(root_level)
        for name, logger in _loggers():
            logger.setLevel(levels.get(name, logging.NOTSET))


def _loggers() -> list[tuple[str, logging.Logger]]:
    return [
        (name, logger)
        for name, logger in logging.root.manager.loggerDict.items()
        if isinstance(logger, logging.Logger)
    ]


def test_credentials_never_reach_the_logs_even_at_debug(
    W: ModuleType,
    local_endpoint: str,
    monkeypatch: pytest.MonkeyPatch,
    debug_logs: io.StringIO,
) -> None:
    for name, value in FAKE.items():
        monkeypatch.setenv(name, value)
    client = make_client(endpoint_url=local_endpoint, region_name="us-east-1")
    for _, logger in _loggers():  # loggers botocore made while building the client
        logger.setLevel(logging.DEBUG)
    table = W.WeirdTable(client, table_name=unique_name("rel-secrets"))
    table.create_table()
    try:
        made = table.create(W.Thing(owner="o", thing="t", status="s"))
        with pytest.raises(rt.ItemAlreadyExists):
            table.create(made)
        table.put(made)
        table.get("o", "t")
        list(table.query("o"))
        table.batch_put([W.Thing(owner="o", thing=f"b{n}", status="s") for n in range(3)])
        rt.transact_write([table.tx_update("o", "t", set={"name": "n"})])
    finally:
        table.delete_table(wait=False)
    logs = debug_logs.getvalue()
    assert logs.count("\n") > 100 and "botocore" in logs and "urllib3" in logs  # it did log
    if direct_transport(client) is not None:  # the item operations went the direct way
        assert "dynagen.runtime.transport DEBUG Sending http request" in logs
    # The signed headers were logged, with the credentials blanked out:
    assert "'X-Amz-Security-Token': b'***'" in logs and "Credential=***/" in logs
    for name, secret in FAKE.items():
        assert secret not in logs, f"{name} appears in the debug log"
        for part in re.split(r"[/+=]", secret):  # not even a recognisable piece of it
            if len(part) >= 12:
                assert part not in logs, f"a piece of {name} appears in the debug log"
