"""Expressions: paths, conditions, typed references, updates and sort conditions, in one package.

Every request site builds its expressions with `expression_fields`, the one entry point: one
ExpressionBuilder per request numbers every placeholder once, across the key condition, the
condition, the filter, the update and the projection.
"""

from __future__ import annotations

from typing import Any, Iterable

from dynagen.runtime.errors import ValidationError
from dynagen.runtime.expressions.builder import ExpressionBuilder
from dynagen.runtime.expressions.conditions import (
    Condition,
    all_of,
    attribute_exists,
    attribute_not_exists,
    number_equals,
    WrongValue,
)
from dynagen.runtime.expressions.paths import Path
from dynagen.runtime.expressions.projection import Selection, path_order, projection_paths
from dynagen.runtime.expressions.references import (
    E,
    M,
    Attr,
    Auto,
    BytesAttr,
    CollectionAttr,
    Fixed,
    Key,
    ListAttr,
    MapAttr,
    MapOfAttr,
    Mode,
    NumberAttr,
    OrderedAttr,
    Removable,
    Required,
    Settable,
    SizeRef,
    StringAttr,
)
from dynagen.runtime.expressions.sort import KeyCondition, Sort, SortCondition
from dynagen.runtime.expressions.updates import Action, Update, apply_actions


def expression_fields(
    *,
    key: KeyCondition | None = None,
    condition: Condition[Any] | None = None,
    filter: Condition[Any] | None = None,
    update: Update | None = None,
    projection: Iterable[Path | str] | None = None,
) -> dict[str, Any]:
    """The expression fields of one request, with ExpressionAttributeNames/Values when used.

    A condition also asks DynamoDB to return the stored item when it fails, so a failure can
    say what was there.
    """
    builder = ExpressionBuilder()
    fields: dict[str, Any] = {}
    if key is not None:
        fields["KeyConditionExpression"] = key.render(builder)
    if update is not None:
        fields["UpdateExpression"] = update.render(builder)
    if condition is not None:
        fields["ConditionExpression"] = condition.render(builder)
        fields["ReturnValuesOnConditionCheckFailure"] = "ALL_OLD"
    if filter is not None:
        fields["FilterExpression"] = filter.render(builder)
    if projection is not None:
        # a str is one top-level name (dots and all); a Path reaches inside (`info.genres`)
        paths = [] if isinstance(projection, str) else list(projection)
        if not paths:
            raise ValidationError("attributes must be a non-empty list of attribute names")
        fields["ProjectionExpression"] = builder.projection(
            path if isinstance(path, Path) else Path(path) for path in paths
        )
    return builder.apply(fields)


__all__ = [
    "Action", "Attr", "Auto", "BytesAttr", "CollectionAttr", "Condition", "E", "ExpressionBuilder", "Fixed",
    "Key", "KeyCondition", "ListAttr", "M", "MapAttr", "MapOfAttr", "Mode", "NumberAttr", "OrderedAttr", "Path",
    "Removable", "Required", "Selection", "Settable", "SizeRef", "Sort", "SortCondition", "StringAttr", "Update", "WrongValue", "all_of", "apply_actions", "attribute_exists", "attribute_not_exists",
    "expression_fields", "number_equals", "path_order", "projection_paths",
]  # fmt: skip
