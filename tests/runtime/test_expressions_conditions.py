"""dynagen.runtime.expressions.conditions: comparisons, functions, AND / OR / NOT, and their checks."""

from __future__ import annotations

from typing import Any

import pytest

from dynagen.runtime import errors
from dynagen.runtime import expressions as rt
from dynagen.runtime.expressions.conditions import (
    MAX_IN_VALUES,
    Between,
    BoolOp,
    Comparison,
    Function,
    In,
    Not,
    PathOperand,
    SizeOperand,
    ValueOperand,
)
from generated_example.orders import OrderAttrs
from tests.runtime.support import n_attr, render


def test_low_level_condition_classes() -> None:
    a = PathOperand(rt.Path("a"))
    one = ValueOperand({"N": "1"})
    assert render(Comparison("=", a, one))[0] == "#n0 = :v0"
    assert render(Between(a, one, ValueOperand({"N": "2"})))[0] == "#n0 BETWEEN :v0 AND :v1"
    assert render(In(a, [one]))[0] == "#n0 IN (:v0)"
    assert render(Function("attribute_exists", rt.Path("a", 0)))[0] == "attribute_exists(#n0[0])"
    assert render(Not(Comparison("=", a, one)))[0] == "NOT (#n0 = :v0)"
    assert render(rt.attribute_not_exists("pk"))[:2] == ("attribute_not_exists(#n0)", {"#n0": "pk"})
    assert "#n0 = :v0" in repr(Comparison("=", a, one))


def test_and_or_flatten_only_the_same_operator() -> None:
    a, b, c, d = (n_attr(name) == 1 for name in "abcd")
    left = (a & b) & c
    right = a & (b & c)
    for condition in (left, right):
        assert isinstance(condition, BoolOp) and len(condition.parts) == 3
        assert render(condition)[0] == "(#n0 = :v0) AND (#n1 = :v0) AND (#n2 = :v0)"
    assert (
        render((a | b) | (c | d))[0] == "(#n0 = :v0) OR (#n1 = :v0) OR (#n2 = :v0) OR (#n3 = :v0)"
    )
    assert render((a | b) & c)[0] == "((#n0 = :v0) OR (#n1 = :v0)) AND (#n2 = :v0)"
    assert render((a & b) | c)[0] == "((#n0 = :v0) AND (#n1 = :v0)) OR (#n2 = :v0)"
    assert render(~(a & b) & c)[0] == "(NOT ((#n0 = :v0) AND (#n1 = :v0))) AND (#n2 = :v0)"


def test_all_of() -> None:
    a, b = n_attr("a") == 1, n_attr("b") == 2
    assert rt.all_of() is None
    assert rt.all_of(None, None) is None
    assert rt.all_of(None, a) is a
    both = rt.all_of(a, None, b)
    assert both is not None and render(both)[0] == "(#n0 = :v0) AND (#n1 = :v1)"


def test_a_condition_has_no_truth_value() -> None:
    condition = n_attr("a") == 1
    with pytest.raises(TypeError, match="no truth value"):
        bool(condition)
    with pytest.raises(TypeError):
        condition and condition  # noqa: B018
    with pytest.raises(TypeError):
        not condition  # noqa: B018
    with pytest.raises(TypeError):
        if condition:
            pass
    with pytest.raises(TypeError):
        1 < n_attr("a") < 5  # noqa: B015 - chained, so it needs a truth value


@pytest.mark.parametrize("other", [True, 1, "a = 1", None, n_attr("a")])
def test_combining_with_a_non_condition_raises(other: Any) -> None:
    condition = n_attr("a") == 1
    with pytest.raises(TypeError, match="expected a Condition"):
        condition & other
    with pytest.raises(TypeError, match="expected a Condition"):
        condition | other


def test_in_needs_1_to_100_values() -> None:
    with pytest.raises(errors.ValidationError, match="at least one"):
        OrderAttrs.quantity.in_()
    with pytest.raises(errors.ValidationError, match="at most 100"):
        OrderAttrs.quantity.in_(*range(MAX_IN_VALUES + 1))
    text, _, values = render(OrderAttrs.quantity.in_(*range(MAX_IN_VALUES)))
    assert MAX_IN_VALUES == 100
    assert len(values) == 100 and text.count(":v") == 100 and text.endswith(":v99)")


def test_the_helpers_the_runtime_uses_for_its_own_checks() -> None:
    assert render(rt.attribute_exists("pk")) == ("attribute_exists(#n0)", {"#n0": "pk"}, {})
    assert render(rt.attribute_not_exists("a.b")) == (
        "attribute_not_exists(#n0)",
        {"#n0": "a.b"},
        {},
    )
    assert render(rt.number_equals("ver", 12)) == (
        "#n0 = :v0",
        {"#n0": "ver"},
        {":v0": {"N": "12"}},
    )


def test_operands() -> None:
    assert render(Comparison(">", SizeOperand(rt.Path("l", 1)), ValueOperand({"N": "2"})))[0] == (
        "size(#n0[1]) > :v0"
    )
    assert render(Comparison("=", PathOperand(rt.Path("a")), PathOperand(rt.Path("b"))))[:2] == (
        "#n0 = #n1",
        {"#n0": "a", "#n1": "b"},
    )


def test_in_refuses_nothing_and_more_than_100_options_directly() -> None:
    a = PathOperand(rt.Path("a"))
    with pytest.raises(errors.ValidationError):
        In(a, [])
    with pytest.raises(errors.ValidationError):
        In(a, [ValueOperand({"N": str(i)}) for i in range(101)])


def test_repr_shows_text_names_and_values() -> None:
    text = repr(n_attr("a") == 1)
    assert text == "Condition('#n0 = :v0', names={'#n0': 'a'}, values={':v0': {'N': '1'}})"


def test_a_bare_condition_cannot_render() -> None:
    with pytest.raises(NotImplementedError):
        rt.Condition().render(rt.ExpressionBuilder())
