"""dynagen.runtime.hooks finds a client's handlers as botocore's emitter does, without botocore's own."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.hooks import HierarchicalEmitter

from dynagen import runtime as rt
from dynagen.runtime.hooks import Hooks, first_response, is_replaced, is_signer

URL = "http://127.0.0.1:9"


def test_botocores_own_handlers_on_a_dynamodb_client_are_all_replaced() -> None:
    """The handlers botocore registers on these events today are the ones the direct path
    does itself: if botocore adds one, this test names it (and hooks.py must decide)."""
    client = rt.make_client(endpoint_url=URL, region_name="us-east-1")
    hooks = Hooks(client.meta.events)
    for event in (
        "provide-client-params",
        "before-call",
        "request-created",
        "before-send",
        "response-received",
        "needs-retry",
        "after-call",
        "after-call-error",
    ):
        # (moto's mock_aws, once used in this process, adds its stubber to every client: a
        # handler of its own, not botocore's, which the direct path calls.)
        found = hooks.handlers(f"{event}.dynamodb.GetItem")
        assert [h for h in found if _module(h).startswith("botocore")] == [], event
    # before-parameter-build keeps botocore's own: the idempotency token for TransactWriteItems.
    names = {
        h.__name__ for h in hooks.handlers("before-parameter-build.dynamodb.TransactWriteItems")
    }
    assert "generate_idempotent_uuid" in names
    signers = [h for h in hooks.every("request-created.dynamodb.GetItem") if is_signer(h)]
    assert len(signers) == 1 and is_replaced(signers[0])


def _module(handler: Any) -> str:
    return str(getattr(handler, "__module__", None) or type(handler).__module__)


def test_handlers_are_found_again_after_register_and_unregister() -> None:
    client = rt.make_client(endpoint_url=URL, region_name="us-east-1")
    hooks = Hooks(client.meta.events)
    name = "after-call.dynamodb.PutItem"
    assert hooks.handlers(name) == ()

    def mine(**_: Any) -> None:
        return None

    client.meta.events.register("after-call.dynamodb", mine)
    assert hooks.handlers(name) == (mine,)
    assert hooks.group((name, "after-call.dynamodb.GetItem")) == ((mine,), (mine,))
    client.meta.events.unregister("after-call.dynamodb", mine)
    assert hooks.handlers(name) == ()
    assert hooks.group((name,)) == ((),)


def test_most_specific_handlers_first_and_call_stops_at_a_response() -> None:
    emitter = HierarchicalEmitter()
    calls: list[str] = []

    def general(event_name: str, **_: Any) -> str:
        calls.append(f"general {event_name}")
        return "general"

    def specific(event_name: str, **_: Any) -> None:
        calls.append(f"specific {event_name}")

    emitter.register("before-call", general)
    emitter.register("before-call.dynamodb.GetItem", specific)
    hooks = Hooks(emitter)
    found = hooks.handlers("before-call.dynamodb.GetItem")
    assert found == (specific, general)
    answers = hooks.call(found, "before-call.dynamodb.GetItem", until_response=True, params={})
    assert first_response(answers) == "general"
    assert calls == [
        "specific before-call.dynamodb.GetItem",
        "general before-call.dynamodb.GetItem",
    ]


def test_something_that_is_not_botocores_emitter_is_refused() -> None:
    with pytest.raises(TypeError, match="HierarchicalEmitter"):
        Hooks(object())
