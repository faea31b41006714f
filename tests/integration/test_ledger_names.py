"""ledger.yaml stores attributes under a reserved word (`status`) and punctuated names
(`comment.text`, `order #ref`): every operation must use placeholders for them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from dynagen import runtime as rt
from generated_example.ledger import EntryAttrs, EntryKind, LedgerTable
from tests.integration.support import full_entry, raw_item

KEY = {"account_id": {"S": "acc-1"}, "seq": {"N": "1"}}


def test_put_stores_the_awkward_names_verbatim_and_get_reads_them(ledger: LedgerTable) -> None:
    written = ledger.put(full_entry())
    raw = raw_item(ledger, KEY) or {}
    assert raw["status"] == {"S": "pending"}
    assert raw["comment.text"] == {"S": "first deposit"}
    assert raw["order #ref"] == {"S": "ORD #42"}
    assert "comment" not in raw
    assert ledger.get("acc-1", 1) == written


def test_update_sets_and_removes_the_awkward_names(ledger: LedgerTable) -> None:
    ledger.create(full_entry())
    updated = ledger.update(
        "acc-1", 1, set={"entry_status": "void", "comment": "fixed"}, remove=["order_ref"]
    )
    assert (updated.entry_status, updated.comment, updated.order_ref) == ("void", "fixed", None)
    raw = raw_item(ledger, KEY) or {}
    assert (raw["status"], raw["comment.text"]) == ({"S": "void"}, {"S": "fixed"})
    assert "order #ref" not in raw
    assert ledger.update("acc-1", 1, set={"comment": None}).comment is None
    assert "comment.text" not in (raw_item(ledger, KEY) or {})


def test_conditions_on_the_awkward_names_pass_and_fail(ledger: LedgerTable) -> None:
    stored = ledger.create(full_entry())
    passing = (
        (EntryAttrs.entry_status == "pending")
        & (EntryAttrs.comment.begins_with("first"))
        & (EntryAttrs.order_ref == "ORD #42")
    )
    updated = ledger.update("acc-1", 1, set={"kind": EntryKind.DEBIT}, condition=passing)
    assert updated.kind is EntryKind.DEBIT
    with pytest.raises(rt.ConditionFailed) as caught:
        ledger.update(
            "acc-1", 1, set={"amount": stored.amount}, condition=EntryAttrs.comment.not_exists()
        )
    assert caught.value.item == updated
    with pytest.raises(rt.ConditionFailed):
        ledger.delete("acc-1", 1, condition=EntryAttrs.order_ref != "ORD #42")
    assert ledger.delete("acc-1", 1, condition=EntryAttrs.entry_status.exists()) == updated


def test_update_adds_and_deletes_number_set_members(ledger: LedgerTable) -> None:
    ledger.create(full_entry())
    updated = ledger.update(
        "acc-1", 1, add={"batch_ids": {10}}, delete={"fx_rates": {Decimal("0.9231")}}
    )
    assert updated.batch_ids == {7, 8, 9, 10}
    assert updated.fx_rates == {Decimal("1.0825")}
    assert ledger.update("acc-1", 1, delete={"batch_ids": {7, 8, 9, 10}}).batch_ids is None
