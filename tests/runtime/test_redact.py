"""dynagen.runtime.redact: the log filter that blanks credentials, and its installation.

The end-to-end check (a real DEBUG log of real requests) is tests/reliability/test_security.py;
here each pattern, what is left alone, and that installing twice adds one filter.
"""

from __future__ import annotations

import logging

import pytest

from dynagen import runtime as rt
from dynagen.runtime import redact
from dynagen.runtime.redact import _FILTER, _LOGGERS, RedactCredentials
from tests.runtime.support import canned_endpoint

TOKEN = "FwoGZXIvYXdzEFAKE//Session+Token/Value0123456789=="
KEY_ID = "AKIAFAKEACCESSKEY4242"
SIGNATURE = "3f1c9a0b" * 8


def record(message: str, *args: object) -> logging.LogRecord:
    return logging.LogRecord("botocore.auth", logging.DEBUG, __file__, 1, message, args, None)


def filtered(message: str, *args: object) -> str:
    entry = record(message, *args)
    assert RedactCredentials().filter(entry) is True  # never drops a record
    return entry.getMessage()


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        (f"{{'X-Amz-Security-Token': b'{TOKEN}'}}", "{'X-Amz-Security-Token': b'***'}"),
        (f"x-amz-security-token:{TOKEN}\nhost:x", "x-amz-security-token:***\nhost:x"),
        (f'"X-Amz-Security-Token": "{TOKEN}"', '"X-Amz-Security-Token": "***"'),
        (f"X-Amz-Security-Token={TOKEN} rest", "X-Amz-Security-Token=*** rest"),
        (
            f"Credential={KEY_ID}/20240501/us-east-1/dynamodb/aws4_request, SignedHeaders=host",
            "Credential=***/20240501/us-east-1/dynamodb/aws4_request, SignedHeaders=host",
        ),
        (f"Signature={SIGNATURE}", "Signature=***"),
    ],
)
def test_each_credential_is_blanked(message: str, expected: str) -> None:
    assert filtered(message) == expected


def test_a_whole_authorization_header_keeps_only_what_is_harmless() -> None:
    header = (
        f"AWS4-HMAC-SHA256 Credential={KEY_ID}/20240501/us-east-1/dynamodb/aws4_request, "
        f"SignedHeaders=content-type;host;x-amz-date, Signature={SIGNATURE}"
    )
    text = filtered(
        "Sending http request: %s",
        {"Authorization": header, "X-Amz-Security-Token": TOKEN.encode()},
    )
    assert KEY_ID not in text and SIGNATURE not in text and TOKEN not in text
    assert "SignedHeaders=content-type;host;x-amz-date" in text


def test_arguments_are_folded_in_only_when_something_was_blanked() -> None:
    clean = record("Event %s: calling handler %s", "before-send", "f")
    RedactCredentials().filter(clean)
    assert (clean.msg, clean.args) == ("Event %s: calling handler %s", ("before-send", "f"))
    dirty = record("token %s", f"x-amz-security-token={TOKEN}")
    RedactCredentials().filter(dirty)
    assert dirty.args is None and dirty.msg == "token x-amz-security-token=***"


def test_a_broken_record_is_let_through_untouched() -> None:
    broken = record("%s %s", "only one")
    assert RedactCredentials().filter(broken) is True
    assert broken.msg == "%s %s" and broken.args == ("only one",)


def test_install_adds_the_filter_once_to_every_logger() -> None:
    redact.install()
    redact.install()
    for name in _LOGGERS:
        assert logging.getLogger(name).filters.count(_FILTER) == 1, name
    assert {"botocore", "botocore.auth", "botocore.endpoint", "urllib3"} <= set(_LOGGERS)


def test_make_client_installs_it(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in _LOGGERS:
        monkeypatch.setattr(logging.getLogger(name), "filters", [])
    rt.make_client(region_name="us-east-1")
    assert all(_FILTER in logging.getLogger(name).filters for name in _LOGGERS)


def test_no_credential_reaches_a_debug_log_of_a_real_request(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every logger that logs a request with a credential in it (headers, canonical request) is filtered."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", KEY_ID)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "fakeSecret/Key+Value0123456789abcdefGHIJ")
    monkeypatch.setenv("AWS_SESSION_TOKEN", TOKEN)
    messages: list[str] = []

    class Collect(logging.Handler):
        def emit(self, entry: logging.LogRecord) -> None:
            messages.append(entry.getMessage())

    root = logging.getLogger()
    handler = Collect(logging.DEBUG)
    loggers = [logging.getLogger(name) for name in (*_LOGGERS, "botocore.regions")]
    with canned_endpoint(200, {}) as (url, _):
        client = rt.make_client(endpoint_url=url, region_name="us-east-1")
        levels = [(logger, logger.level) for logger in (root, *loggers)]
        root.addHandler(handler)
        try:
            for logger, _level in levels:
                logger.setLevel(logging.DEBUG)
            client.get_item(TableName="orders", Key={"pk": {"S": "a"}})
        finally:
            root.removeHandler(handler)
            for logger, level in levels:
                logger.setLevel(level)
    logged = "\n".join(messages)
    assert "Credential=***/" in logged and "Signature=***" in logged  # it did log, blanked
    for secret in (KEY_ID, TOKEN, "fakeSecret/Key+Value0123456789abcdefGHIJ"):
        assert secret not in logged
