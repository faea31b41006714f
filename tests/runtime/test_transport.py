"""dynagen.runtime.transport sends what botocore sends: same body, signed headers and signature.

Every comparison freezes the clock and the credentials and sends nothing over the network: a
`before-send` handler (which both paths emit) captures the signed request and answers it.
"""

from __future__ import annotations

import base64
import copy
import datetime
import json
import random
import string
import zlib
from typing import Any, Callable, Iterator

import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest, AWSResponse
from botocore.credentials import Credentials
from botocore.exceptions import ClientError, NoCredentialsError

from dynagen import runtime as rt
from dynagen.runtime import jsonlib
from dynagen.runtime.client import direct_transport
from dynagen.runtime.codec import item_binary_decoded
from dynagen.runtime.endpoint import Endpoint
from dynagen.runtime.errors import BadResponse
from dynagen.runtime.transport import (
    OPERATIONS,
    DirectTransport,
    Signer,
    canonical_host,
    encode_body,
)

URL = "http://127.0.0.1:9"  # nothing listens there: every request is answered by a handler


class _Raw:
    def __init__(self, body: bytes) -> None:
        self.body = body

    def stream(self, **_: Any) -> Any:
        yield self.body

    def read(self, *_: Any, **__: Any) -> bytes:
        return self.body


def answer(body: bytes = b"{}", status: int = 200) -> Callable[..., AWSResponse]:
    headers = {
        "Content-Length": str(len(body)),
        "x-amz-crc32": str(zlib.crc32(body)),
        "x-amzn-RequestId": "req",
    }

    def handler(request: Any, **_: Any) -> AWSResponse:
        return AWSResponse(request.url, status, headers, _Raw(body))

    return handler


# The smallest well-formed answer of each operation.
EMPTY = {
    "BatchGetItem": b'{"Responses": {}}',
    "TransactGetItems": b'{"Responses": []}',
    "Query": b'{"Count": 0, "Items": []}',
    "Scan": b'{"Count": 0, "Items": []}',
}


class Captured:
    """The signed requests a client sends, answered with the body given (or the empty answer)."""

    def __init__(self, client: Any, body: bytes | None = None, status: int = 200) -> None:
        self.requests: list[Any] = []

        def capture(request: Any, **kwargs: Any) -> AWSResponse:
            self.requests.append(request)
            operation = request.headers["X-Amz-Target"].decode().rpartition(".")[2]
            reply = answer(body if body is not None else EMPTY.get(operation, b"{}"), status)
            return reply(request, **kwargs)

        client.meta.events.register("before-send.dynamodb", capture)


def frozen_at(monkeypatch: pytest.MonkeyPatch, moment: datetime.datetime) -> None:
    """botocore's signer reads the time through botocore.auth.get_current_datetime."""
    monkeypatch.setattr("botocore.auth.get_current_datetime", lambda: moment)


def clients(
    monkeypatch: pytest.MonkeyPatch, token: str | None, region: str = "us-east-1"
) -> tuple[Any, Any]:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
    if token is None:
        monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)
    else:
        monkeypatch.setenv("AWS_SESSION_TOKEN", token)
    botocore_client = rt.make_client(endpoint_url=URL, region_name=region, direct=False)
    direct_client = rt.make_client(endpoint_url=URL, region_name=region, direct=True)
    assert direct_transport(botocore_client) is None
    assert direct_transport(direct_client) is not None
    return botocore_client, direct_client


# ------------------------------------------------------------------ random requests


class Requests:
    """Random, well-formed requests of each item operation, with awkward text and binary."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def text(self, low: int = 0, high: int = 12) -> str:
        alphabet = string.printable + "éß漢字🙂\u2028\x00\x7f \"'\\#:.$"
        return "".join(self.rng.choice(alphabet) for _ in range(self.rng.randint(low, high)))

    def name(self) -> str:
        return self.text(1, 10)

    def number(self) -> str:
        return self.rng.choice(
            ["0", "-1", "3.14", "1E+10", str(self.rng.randint(-(10**20), 10**20))]
        )

    def blob(self) -> bytes:
        return bytes(self.rng.randrange(256) for _ in range(self.rng.randint(0, 20)))

    def value(self, depth: int = 0) -> dict[str, Any]:
        kinds = ["S", "N", "B", "BOOL", "NULL", "SS", "NS", "BS"] + (
            ["L", "M"] if depth < 3 else []
        )
        kind = self.rng.choice(kinds)
        if kind == "S":
            return {"S": self.text()}
        if kind == "N":
            return {"N": self.number()}
        if kind == "B":
            return {"B": self.blob()}
        if kind == "BOOL":
            return {"BOOL": self.rng.random() < 0.5}
        if kind == "NULL":
            return {"NULL": True}
        if kind == "SS":
            return {"SS": [self.text(1) for _ in range(self.rng.randint(1, 3))]}
        if kind == "NS":
            return {"NS": [self.number() for _ in range(self.rng.randint(1, 3))]}
        if kind == "BS":
            return {"BS": [self.blob() for _ in range(self.rng.randint(1, 3))]}
        if kind == "L":
            return {"L": [self.value(depth + 1) for _ in range(self.rng.randint(0, 3))]}
        return {"M": {self.name(): self.value(depth + 1) for _ in range(self.rng.randint(0, 3))}}

    def item(self) -> dict[str, Any]:
        return {self.name(): self.value() for _ in range(self.rng.randint(1, 6))}

    def key(self) -> dict[str, Any]:
        kinds = [
            lambda: {"S": self.text(1)},
            lambda: {"N": self.number()},
            lambda: {"B": self.blob()},
        ]
        return {self.name(): self.rng.choice(kinds)() for _ in range(self.rng.randint(1, 2))}

    def table(self) -> str:
        return "".join(self.rng.choice(string.ascii_letters + "-_.") for _ in range(8))

    def expression(self, request: dict[str, Any], field: str) -> None:
        if self.rng.random() < 0.6:
            request[field] = "#a = :v AND " + self.text(0, 8)
            request["ExpressionAttributeNames"] = {"#a": self.name()}
            request["ExpressionAttributeValues"] = {":v": self.value()}

    def request(self, operation: str) -> dict[str, Any]:
        table = self.table()
        request: dict[str, Any]
        if operation == "GetItem":
            request = {
                "TableName": table,
                "Key": self.key(),
                "ConsistentRead": self.rng.random() < 0.5,
            }
        elif operation == "PutItem":
            request = {"TableName": table, "Item": self.item()}
            self.expression(request, "ConditionExpression")
            if self.rng.random() < 0.5:
                request["ReturnValuesOnConditionCheckFailure"] = "ALL_OLD"
        elif operation == "UpdateItem":
            request = {"TableName": table, "Key": self.key(), "ReturnValues": "ALL_NEW"}
            request["UpdateExpression"] = "SET #a = :v"
            request["ExpressionAttributeNames"] = {"#a": self.name()}
            request["ExpressionAttributeValues"] = {":v": self.value()}
        elif operation == "DeleteItem":
            request = {"TableName": table, "Key": self.key(), "ReturnValues": "ALL_OLD"}
            self.expression(request, "ConditionExpression")
        elif operation in ("Query", "Scan"):
            request = {"TableName": table, "Limit": self.rng.randint(1, 1000)}
            if operation == "Query":
                request["ScanIndexForward"] = self.rng.random() < 0.5
                self.expression(request, "KeyConditionExpression")
            else:
                request["Segment"], request["TotalSegments"] = 1, 4
                self.expression(request, "FilterExpression")
            if self.rng.random() < 0.5:
                request["ExclusiveStartKey"] = self.key()
            if self.rng.random() < 0.3:
                request["IndexName"] = self.table()
        elif operation == "BatchGetItem":
            request = {
                "RequestItems": {
                    self.table(): {"Keys": [self.key() for _ in range(self.rng.randint(1, 5))]}
                    for _ in range(self.rng.randint(1, 2))
                }
            }
        elif operation == "BatchWriteItem":
            writes: list[dict[str, Any]] = []
            for _ in range(self.rng.randint(1, 5)):
                if self.rng.random() < 0.5:
                    writes.append({"PutRequest": {"Item": self.item()}})
                else:
                    writes.append({"DeleteRequest": {"Key": self.key()}})
            request = {"RequestItems": {table: writes}}
        elif operation == "TransactGetItems":
            request = {
                "TransactItems": [
                    {"Get": {"TableName": self.table(), "Key": self.key()}}
                    for _ in range(self.rng.randint(1, 4))
                ]
            }
        else:
            assert operation == "TransactWriteItems"
            actions: list[dict[str, Any]] = []
            for _ in range(self.rng.randint(1, 4)):
                kind = self.rng.choice(["Put", "Delete", "Update", "ConditionCheck"])
                action: dict[str, Any] = {"TableName": self.table()}
                if kind == "Put":
                    action["Item"] = self.item()
                else:
                    action["Key"] = self.key()
                if kind == "Update":
                    action["UpdateExpression"] = "REMOVE #a"
                    action["ExpressionAttributeNames"] = {"#a": self.name()}
                if kind == "ConditionCheck":
                    action["ConditionExpression"] = "attribute_exists(#k)"
                    action["ExpressionAttributeNames"] = {"#k": self.name()}
                actions.append({kind: action})
            # botocore fills in a random token when none is given: give one, to compare bodies.
            request = {"TransactItems": actions, "ClientRequestToken": self.text(1, 36)}
        return request


SIGNED = ("X-Amz-Target", "Content-Type", "X-Amz-Date", "X-Amz-Security-Token", "Authorization")


@pytest.mark.parametrize("token", [None, "FwoGZXIvYXdzEXAMPLE//token+with/slashes="])
def test_direct_requests_equal_botocores_for_random_inputs(
    monkeypatch: pytest.MonkeyPatch, token: str | None, json_library: str
) -> None:
    """With the standard library the very same bytes go out; with orjson the same JSON document
    (compact, UTF-8), signed as SigV4Auth signs that body."""
    botocore_client, direct_client = clients(monkeypatch, token)
    via_botocore, via_direct = Captured(botocore_client), Captured(direct_client)
    transport = direct_transport(direct_client)
    assert transport is not None
    generator = Requests(seed=13 if token is None else 31)
    rng = random.Random(7)
    compared = 0
    for number in range(1500):
        operation = sorted(OPERATIONS)[number % len(OPERATIONS)]
        request = generator.request(operation)
        moment = datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone.utc) + datetime.timedelta(
            seconds=rng.randrange(10**9)
        )
        frozen_at(monkeypatch, moment)
        transport._clock = moment.timestamp
        getattr(botocore_client, _method(operation))(**copy.deepcopy(request))
        transport.send(operation, request)
        sent_by_botocore, sent_direct = via_botocore.requests[-1], via_direct.requests[-1]
        assert sent_direct.url == sent_by_botocore.url and sent_direct.method == "POST"
        if json_library == "orjson":
            assert json.loads(sent_direct.body) == json.loads(sent_by_botocore.body), operation
            resigned = AWSRequest(
                method="POST",
                url=sent_direct.url,
                data=sent_direct.body,
                headers={
                    "X-Amz-Target": sent_direct.headers["X-Amz-Target"].decode(),
                    "Content-Type": sent_direct.headers["Content-Type"].decode(),
                },
            )
            SigV4Auth(
                botocore_client._request_signer._credentials, "dynamodb", "us-east-1"
            ).add_auth(resigned)
            sent_by_botocore = resigned
            expected = {h: _text(resigned.headers.get(h)) for h in SIGNED}
            got = {h: _text(sent_direct.headers.get(h)) for h in SIGNED}
            assert got == expected, operation
        else:
            assert sent_direct.body == sent_by_botocore.body, operation
            for header in SIGNED:
                assert sent_direct.headers.get(header) == sent_by_botocore.headers.get(header), (
                    operation,
                    header,
                )
        assert int(sent_direct.headers["Content-Length"]) == len(sent_direct.body)
        compared += 1
    assert compared == 1500


def _text(value: object) -> object:
    return value.decode() if isinstance(value, bytes) else value


def _method(operation: str) -> str:
    return "".join("_" + c.lower() if c.isupper() else c for c in operation).lstrip("_")


def test_the_signer_equals_sigv4auth_over_random_hosts_regions_keys_and_times() -> None:
    rng = random.Random(2024)
    for _ in range(3000):
        port = rng.choice([None, 80, 443, 8000, 8784])
        scheme = rng.choice(["http", "https"])
        hostname = rng.choice(
            ["localhost", "127.0.0.1", "dynamodb.eu-west-1.amazonaws.com", "[::1]"]
        )
        url = f"{scheme}://{hostname}{'' if port is None else f':{port}'}/"
        region = rng.choice(["us-east-1", "eu-west-1", "ap-southeast-2", "local"])
        secret = "".join(rng.choice(string.ascii_letters + "/+") for _ in range(40))
        access = "AKIA" + "".join(rng.choice(string.ascii_uppercase) for _ in range(16))
        token = rng.choice([None, "", " spaced  token ", "tok/+=" * rng.randint(1, 5)])
        body = json.dumps(
            {
                "TableName": "t",
                "Key": {
                    "k": {"S": "".join(rng.choice("aé漢 ") for _ in range(rng.randint(0, 30)))}
                },
            }
        ).encode()
        if rng.random() < 0.05:
            body = b""
        now = rng.randrange(10**9, 2 * 10**9) + rng.random()
        target = "DynamoDB_20120810." + rng.choice(sorted(OPERATIONS))
        signer = Signer(region, canonical_host(url))
        ours = signer.headers(target, body, access, secret, token, now)
        request = AWSRequest(
            method="POST",
            url=url,
            data=body,
            headers={"X-Amz-Target": target, "Content-Type": "application/x-amz-json-1.0"},
        )
        moment = datetime.datetime.fromtimestamp(now, datetime.timezone.utc)
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr("botocore.auth.get_current_datetime", lambda: moment)
            SigV4Auth(Credentials(access, secret, token), "dynamodb", region).add_auth(request)
        assert ours["Authorization"] == request.headers["Authorization"], (url, region, token)
        assert ours["X-Amz-Date"] == request.headers["X-Amz-Date"]
        if token:
            assert ours["X-Amz-Security-Token"] == request.headers["X-Amz-Security-Token"]
        else:
            assert "X-Amz-Security-Token" not in ours


def test_the_signing_key_is_derived_again_for_a_new_day_or_secret() -> None:
    signer = Signer("us-east-1", "localhost")
    first = signer.signing_key("secret", "20240101")
    assert signer.signing_key("secret", "20240101") is first
    assert signer._cached == ("secret", "20240101", first)
    assert signer.signing_key("secret", "20240102") != first
    assert signer.signing_key("other", "20240102") != signer.signing_key("secret", "20240102")


def test_canonical_host_drops_default_ports_only() -> None:
    assert canonical_host("https://example.com:443/") == "example.com"
    assert canonical_host("http://example.com:80/") == "example.com"
    assert canonical_host("http://127.0.0.1:8784") == "127.0.0.1:8784"
    assert canonical_host("https://[::1]:8000/") == "[::1]:8000"


def test_bytes_are_sent_as_base64_and_other_objects_refused(json_library: str) -> None:
    assert json.loads(encode_body({"B": b"\x00\xff"})) == {
        "B": base64.b64encode(b"\x00\xff").decode()
    }
    with pytest.raises(TypeError):
        encode_body({"X": {1, 2}})


# ------------------------------------------------------------------ answers and errors


def test_error_answers_raise_the_clients_own_error_classes_with_modeled_fields(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    body = json.dumps(
        {
            "__type": "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException",
            "message": "The conditional request failed",
            "Item": {"k": {"S": "v"}, "b": {"B": "AP8="}},
        }
    ).encode()
    answers = []
    for direct in (False, True):
        client = rt.make_client(endpoint_url=URL, region_name="us-east-1", direct=direct)
        Captured(client, body, 400)
        with pytest.raises(ClientError) as caught:
            if direct:
                transport = direct_transport(client)
                assert transport is not None
                transport.send("PutItem", {"TableName": "t", "Item": {"k": {"S": "v"}}})
            else:
                client.put_item(TableName="t", Item={"k": {"S": "v"}})
        assert isinstance(caught.value, client.exceptions.ConditionalCheckFailedException)
        answers.append(caught.value.response)
    botocore_answer, direct_answer = answers
    assert direct_answer["Error"] == botocore_answer["Error"]
    assert (
        direct_answer["Item"]
        == botocore_answer["Item"]
        == {"k": {"S": "v"}, "b": {"B": b"\x00\xff"}}
    )
    assert direct_answer["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_success_answers_parse_as_the_fast_parser_does(monkeypatch: pytest.MonkeyPatch) -> None:
    """The same document, but for the binary values inside items: base64 text, which the
    generated decoders decode (fastparse.load_items)."""
    body = json.dumps({"Item": {"k": {"S": "v"}, "b": {"B": "AP8="}, "n": {"N": "1"}}}).encode()
    fast = rt.make_client(endpoint_url=URL, region_name="us-east-1", direct=False)
    Captured(fast, body)
    direct = rt.make_client(endpoint_url=URL, region_name="us-east-1")
    Captured(direct, body)
    transport = direct_transport(direct)
    assert transport is not None
    expected = fast.get_item(TableName="t", Key={"k": {"S": "v"}})
    got = transport.send("GetItem", {"TableName": "t", "Key": {"k": {"S": "v"}}})
    assert got["Item"]["b"] == {"B": "AP8="} and expected["Item"]["b"] == {"B": b"\x00\xff"}
    assert item_binary_decoded(got["Item"]) == expected["Item"]
    assert got["ResponseMetadata"]["RequestId"] == "req"


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        (b'{"Item": {"k": {"S": "v"}}', "not JSON"),
        (b"[]", "not an object"),
        (b'{"Item": [1]}', "not an item"),
        (b'{"Item": {"b": {"B": "@@"}}}', "binary"),
    ],
)
def test_bad_answers_are_refused_as_bad_response(body: bytes, detail: str) -> None:
    client = rt.make_client(endpoint_url=URL, region_name="us-east-1")
    Captured(client, body)
    transport = direct_transport(client)
    assert transport is not None
    with pytest.raises(BadResponse) as caught:
        transport.send("GetItem", {"TableName": "t", "Key": {"k": {"S": "v"}}})
    assert caught.value.operation == "GetItem" and detail in caught.value.detail


def test_a_cut_body_and_a_bad_checksum_are_refused() -> None:
    client = rt.make_client(endpoint_url=URL, region_name="us-east-1")
    good = b'{"Item": {"k": {"S": "v"}}}'

    def cut(request: Any, **_: Any) -> AWSResponse:
        headers = {"Content-Length": str(len(good)), "x-amz-crc32": str(zlib.crc32(good))}
        return AWSResponse(request.url, 200, headers, _Raw(good[:-4]))

    client.meta.events.register("before-send.dynamodb", cut)
    transport = direct_transport(client)
    assert transport is not None
    with pytest.raises(BadResponse, match="Content-Length says"):
        transport.send("GetItem", {"TableName": "t", "Key": {"k": {"S": "v"}}})


def test_parameter_handlers_see_and_may_change_the_request() -> None:
    client = rt.make_client(endpoint_url=URL, region_name="us-east-1")
    captured = Captured(client)
    seen: list[tuple[str, dict[str, Any]]] = []

    def change(params: dict[str, Any], model: Any, **_: Any) -> None:
        seen.append((model.name, dict(params)))
        params["ConsistentRead"] = True

    client.meta.events.register("before-parameter-build.dynamodb.GetItem", change)
    table = Endpoint(client, "things")
    table.send("GetItem", {"TableName": "things", "Key": {"k": {"S": "v"}}})
    assert seen == [("GetItem", {"TableName": "things", "Key": {"k": {"S": "v"}}})]
    assert json.loads(captured.requests[-1].body)["ConsistentRead"] is True


def test_no_credentials_is_botocores_error(monkeypatch: pytest.MonkeyPatch) -> None:
    client = rt.make_client(endpoint_url=URL, region_name="us-east-1")
    transport = direct_transport(client)
    assert transport is not None
    transport._credentials = None
    with pytest.raises(NoCredentialsError):
        transport.send("GetItem", {"TableName": "t", "Key": {"k": {"S": "v"}}})


@pytest.mark.parametrize(("access_key", "secret_key"), [(None, "secret"), ("AKID", None)])
def test_a_credential_set_missing_a_key_is_refused_before_signing(
    access_key: str | None, secret_key: str | None
) -> None:
    client = rt.make_client(endpoint_url=URL, region_name="us-east-1")
    captured = Captured(client)
    transport = direct_transport(client)
    assert transport is not None

    class Partial:
        def get_frozen_credentials(self) -> Any:
            return Credentials(access_key, secret_key, None).get_frozen_credentials()

    transport._credentials = Partial()
    with pytest.raises(NoCredentialsError):
        transport.send("GetItem", {"TableName": "t", "Key": {"k": {"S": "v"}}})
    assert captured.requests == []  # nothing signed, nothing sent


def test_refreshable_credentials_are_frozen_per_request() -> None:
    client = rt.make_client(endpoint_url=URL, region_name="us-east-1")
    captured = Captured(client)
    transport = direct_transport(client)
    assert transport is not None
    keys = iter(["AKIDFIRST", "AKIDSECOND"])

    class Rotating:
        def get_frozen_credentials(self) -> Any:
            return Credentials(next(keys), "secret", None).get_frozen_credentials()

    transport._credentials = Rotating()
    for _ in range(2):
        transport.send("GetItem", {"TableName": "t", "Key": {"k": {"S": "v"}}})
    credentials = [
        r.headers["Authorization"].decode().split("Credential=")[1][:10] for r in captured.requests
    ]
    assert credentials == ["AKIDFIRST/", "AKIDSECOND"]


# ------------------------------------------------------------------ the switch


def test_the_switch_env_var_and_parameter(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DYNAGEN_TRANSPORT", raising=False)
    assert direct_transport(rt.make_client(endpoint_url=URL, region_name="us-east-1")) is not None
    monkeypatch.setenv("DYNAGEN_TRANSPORT", "botocore")
    assert direct_transport(rt.make_client(endpoint_url=URL, region_name="us-east-1")) is None
    on = rt.make_client(endpoint_url=URL, region_name="us-east-1", direct=True)
    assert isinstance(direct_transport(on), DirectTransport)
    monkeypatch.setenv("DYNAGEN_TRANSPORT", "direct")
    off = rt.make_client(endpoint_url=URL, region_name="us-east-1", direct=False)
    assert direct_transport(off) is None
    monkeypatch.setenv("DYNAGEN_TRANSPORT", "fast")
    with pytest.raises(rt.ValidationError, match="DYNAGEN_TRANSPORT"):
        rt.make_client(endpoint_url=URL, region_name="us-east-1")


def test_botocores_parser_or_validation_keep_the_botocore_pipeline() -> None:
    slow = rt.make_client(endpoint_url=URL, region_name="us-east-1", fast_parser=False)
    checked = rt.make_client(endpoint_url=URL, region_name="us-east-1", validate_parameters=True)
    assert direct_transport(slow) is None and direct_transport(checked) is None


def test_a_client_made_elsewhere_goes_through_botocore() -> None:
    import boto3

    foreign = boto3.client("dynamodb", endpoint_url=URL, region_name="us-east-1")
    assert direct_transport(foreign) is None
    assert Endpoint(foreign, "things").transport is None


def test_the_endpoint_url_comes_from_the_environment_as_botocore_reads_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", "http://localhost:8123")
    transport = direct_transport(rt.make_client(region_name="eu-west-1"))
    assert transport is not None
    assert transport.url == "http://localhost:8123/" and transport.region == "eu-west-1"
    assert transport.signer.host == "localhost:8123"


def test_credentials_with_an_account_id_keep_botocores_endpoint_rules(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AWS_ACCOUNT_ID", "123456789012")
    client = rt.make_client(region_name="us-east-1")
    urls: list[str] = []

    def record(request: Any, **kwargs: Any) -> AWSResponse:
        urls.append(request.url)
        return answer()(request, **kwargs)

    client.meta.events.register("before-send.dynamodb", record)
    transport = direct_transport(client)
    assert transport is not None
    transport.send("PutItem", {"TableName": "things", "Item": {"k": {"S": "v"}}})
    assert urls == ["https://123456789012.ddb.us-east-1.amazonaws.com/"]  # botocore's choice


# ------------------------------------------------------------------ botocore's events, headers

GET = {"TableName": "things", "Key": {"k": {"S": "v"}}}


@pytest.fixture
def stdlib_json() -> Iterator[None]:
    """The standard library's JSON: the direct body is then botocore's, byte for byte."""
    was = jsonlib.ORJSON
    jsonlib.use_orjson(False)
    yield
    jsonlib.use_orjson(was)


def _header(request: Any, name: str) -> str:
    return str(_text(request.headers[name]))


def test_retries_of_one_request_share_an_invocation_id_and_count_attempts() -> None:
    """amz-sdk-request: attempt=N; max=M as botocore numbers its own retries: N counts the
    attempts of this request, M what the budget had left when it started."""
    client = rt.make_client(endpoint_url=URL, region_name="us-east-1")
    sent: list[Any] = []
    replies = [answer(b'{"__type": "InternalServerError"}', 500)] * 2 + [answer()]

    def reply(request: Any, **kwargs: Any) -> AWSResponse:
        sent.append(request)
        return replies[len(sent) - 1](request, **kwargs)

    client.meta.events.register("before-send.dynamodb", reply)
    policy = rt.RetryPolicy(max_attempts=4, sleep=lambda _: None)
    endpoint = Endpoint(client, "things", retry=policy)
    endpoint.send("GetItem", GET)
    assert [_header(r, "amz-sdk-request") for r in sent] == [
        "attempt=1; max=4",
        "attempt=2; max=4",
        "attempt=3; max=4",
    ]
    assert len({_header(r, "amz-sdk-invocation-id") for r in sent}) == 1
    # A second request on the same budget (a batch chunk re-sending what was unprocessed) is a
    # new invocation with what is left.
    budget = endpoint.budget()
    budget.spend()
    sent.clear()
    replies[:] = [answer()]
    endpoint.send("GetItem", GET, budget=budget)
    assert _header(sent[0], "amz-sdk-request") == "attempt=1; max=3"
    for request in sent:
        assert "amz-sdk" not in _header(request, "Authorization")


def test_a_before_call_handler_may_answer_the_call() -> None:
    client = rt.make_client(endpoint_url=URL, region_name="us-east-1")
    captured = Captured(client)
    after: list[Any] = []

    def short(model: Any, params: dict[str, Any], **_: Any) -> tuple[AWSResponse, dict[str, Any]]:
        assert params["headers"]["X-Amz-Target"] == "DynamoDB_20120810.GetItem"
        assert json.loads(params["body"]) == GET
        return AWSResponse(URL, 200, {}, _Raw(b"")), {"Item": {"k": {"S": "stub"}}}

    client.meta.events.register("before-call.dynamodb.GetItem", short)
    client.meta.events.register("after-call.dynamodb", lambda parsed, **_: after.append(parsed))
    transport = direct_transport(client)
    assert transport is not None
    assert transport.send("GetItem", GET) == {"Item": {"k": {"S": "stub"}}}
    assert captured.requests == [] and after == [{"Item": {"k": {"S": "stub"}}}]


@pytest.mark.parametrize(
    "event",
    [
        "before-call.dynamodb.GetItem",  # a header in the request dict: signed
        "request-created.dynamodb.GetItem",  # more specific than botocore's signer: signed
        "request-created",  # after botocore's signer: sent unsigned
    ],
)
def test_headers_that_handlers_add_are_sent_and_signed_as_botocore_signs_them(
    monkeypatch: pytest.MonkeyPatch, event: str, stdlib_json: None
) -> None:
    """The same request and signature as botocore's (standard library JSON: the same body)."""
    botocore_client, direct_client = clients(monkeypatch, token=None)
    frozen_at(monkeypatch, datetime.datetime(2024, 5, 6, 7, 8, 9, tzinfo=datetime.timezone.utc))

    def add(**kwargs: Any) -> None:
        headers = kwargs["params"]["headers"] if "params" in kwargs else kwargs["request"].headers
        headers["x-amz-meta-trace"] = "abc"

    sent = []
    for client in (botocore_client, direct_client):
        client.meta.events.register(event, add)
        captured = Captured(client)
        (
            client.get_item(**GET)
            if client is botocore_client
            else direct_transport(client).send("GetItem", dict(GET))  # type: ignore[union-attr]
        )
        sent.append(captured.requests[-1])
    via_botocore, via_direct = sent
    assert _header(via_direct, "x-amz-meta-trace") == "abc"
    assert _header(via_direct, "Authorization") == _header(via_botocore, "Authorization")
    signed = "x-amz-meta-trace" in _header(via_direct, "Authorization")
    assert signed == (event != "request-created")


def test_in_a_lambda_function_the_trace_id_header_is_sent_as_botocore_sends_it(
    monkeypatch: pytest.MonkeyPatch, stdlib_json: None
) -> None:
    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", "fn")
    monkeypatch.setenv("_X_AMZN_TRACE_ID", "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1")
    botocore_client, direct_client = clients(monkeypatch, token=None)
    via_botocore, via_direct = Captured(botocore_client), Captured(direct_client)
    botocore_client.get_item(**GET)
    transport = direct_transport(direct_client)
    assert transport is not None
    transport.send("GetItem", dict(GET))
    expected = _header(via_botocore.requests[-1], "X-Amzn-Trace-Id")
    assert _header(via_direct.requests[-1], "X-Amzn-Trace-Id") == expected
    assert "x-amzn-trace-id" not in _header(via_direct.requests[-1], "Authorization")


def test_needs_retry_is_for_the_record_and_failures_reach_after_call_error() -> None:
    """A needs-retry handler's answer retries nothing (dynagen's RetryPolicy decides); a
    transport failure is handed to needs-retry and after-call-error, then raised."""
    from botocore.exceptions import EndpointConnectionError

    client = rt.make_client(endpoint_url=URL, region_name="us-east-1")  # nothing listens
    seen: list[tuple[str, Any]] = []
    client.meta.events.register(
        "needs-retry.dynamodb",
        lambda caught_exception, attempts, **_: seen.append(("needs-retry", caught_exception)) or 0,
    )
    client.meta.events.register(
        "after-call-error.dynamodb", lambda exception, **_: seen.append(("error", exception))
    )
    transport = direct_transport(client)
    assert transport is not None
    with pytest.raises(EndpointConnectionError) as raised:
        transport.send("GetItem", dict(GET))
    assert seen == [("needs-retry", raised.value), ("error", raised.value)]
    seen.clear()
    Captured(client)
    transport.send("GetItem", dict(GET))
    assert seen == [("needs-retry", None)]
