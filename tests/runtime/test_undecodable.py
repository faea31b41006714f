"""dynagen.runtime.undecodable: the on_decode_error policy, without a server."""

from __future__ import annotations

from typing import Any, Mapping

import pytest

from dynagen import runtime as rt
from dynagen.runtime import undecodable


def decode(raw: Mapping[str, Any]) -> str:
    if "bad" in raw:
        raise rt.ItemDecodeError("Thing", "bad", "not readable", {"id": raw["id"]})
    return str(raw["id"]["S"])


def test_raise_is_the_decoder_itself() -> None:
    assert undecodable.tolerant(decode, "raise", "t") is decode


def test_a_collector_keeps_the_raw_item_its_key_and_the_error() -> None:
    errors = rt.DecodeErrors()
    read = undecodable.tolerant(decode, errors, "things")
    bad = {"id": {"S": "2"}, "bad": {"S": "x"}}
    assert read({"id": {"S": "1"}}) == "1"
    assert read(bad) is undecodable.SKIPPED
    (item,) = errors
    assert (item.raw, item.key, item.table, item.error.attribute) == (
        bad,
        {"id": {"S": "2"}},
        "things",
        "bad",
    )
    assert len(errors) == 1 and "1 items" in repr(errors)


def test_other_errors_are_not_swallowed() -> None:
    read = undecodable.tolerant(lambda raw: 1 // 0, rt.DecodeErrors(), "t")
    with pytest.raises(ZeroDivisionError):
        read({})


@pytest.mark.parametrize("policy", ["skip", None, 3])
def test_a_policy_that_is_neither_raise_nor_callable_is_refused(policy: object) -> None:
    with pytest.raises(rt.ValidationError, match="on_decode_error must be"):
        undecodable.check_policy(policy)
