"""Updates as an ordered list of action objects, rendered into one UpdateExpression.

Every clause is an `Action`: typed ones come from references (`OrderAttrs.shipping.city.set(v)`),
generated code adds the `set=`/`add=`/`remove=`/`delete=` ones, and the runtime adds the automatic
attributes. `Update` keeps them in order, refuses overlapping paths, and groups them by clause.
"""

from __future__ import annotations

from typing import Any, ClassVar, Generic, Iterable, Literal, Protocol, TypeVar

from dynagen.runtime.errors import ValidationError
from dynagen.runtime.expressions.builder import ExpressionBuilder
from dynagen.runtime.expressions.paths import Path
from dynagen.runtime.types import AttributeValue

E = TypeVar("E")
Clause = Literal["SET", "REMOVE", "ADD", "DELETE"]
_CLAUSES: tuple[Clause, ...] = ("SET", "REMOVE", "ADD", "DELETE")
_EMPTY_LIST: AttributeValue = {"L": []}
_ZERO: AttributeValue = {"N": "0"}


class RemovalCheck(Protocol):
    """What refuses a REMOVE the spec forbids (dynagen.runtime.shapes.Shape)."""

    def check_removal(self, elements: tuple[str | int, ...]) -> None: ...


class Action(Generic[E]):
    """One update clause on an item of entity E, at one path.

    Each kind of action is its clause and its `form`: `{path}` and `{value}` stand for the
    placeholders of the path and of the action's value, `{0}`, `{1}`... for its `constants`.
    """

    __slots__ = ("path", "wire")
    clause: Clause = "SET"
    form: ClassVar[str | None] = None  # None: an abstract action, which cannot render
    constants: ClassVar[tuple[AttributeValue, ...]] = ()

    def __init__(self, path: Path, wire: AttributeValue | None = None) -> None:
        self.path = path
        self.wire = wire

    def render(self, builder: ExpressionBuilder) -> str:
        if self.form is None:
            raise NotImplementedError(f"{type(self).__name__} has no form")
        target = builder.path(self.path)
        value = ""
        if "{value}" in self.form:
            assert self.wire is not None, self
            value = builder.value(self.wire)
        constants = [builder.value(constant) for constant in self.constants]
        return self.form.format(*constants, path=target, value=value)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.path!r})"


class SetValue(Action[E]):
    """SET path = value."""

    __slots__ = ()
    form = "{path} = {value}"


class SetIfNotExists(Action[E]):
    """SET path = if_not_exists(path, value): only when it has no value yet."""

    __slots__ = ()
    form = "{path} = if_not_exists({path}, {value})"


class Append(Action[E]):
    """SET list = list_append(list, values); a missing list counts as empty."""

    __slots__ = ()
    form = "{path} = list_append(if_not_exists({path}, {0}), {value})"
    constants = (_EMPTY_LIST,)


class Prepend(Action[E]):
    """SET list = list_append(values, list); a missing list counts as empty."""

    __slots__ = ()
    form = "{path} = list_append({value}, if_not_exists({path}, {0}))"
    constants = (_EMPTY_LIST,)


class Increment(Action[E]):
    """SET path = if_not_exists(path, 0) + amount: an atomic counter, nested paths too
    (ADD only reaches top-level attributes); a missing counter counts as 0."""

    __slots__ = ()
    form = "{path} = if_not_exists({path}, {0}) + {value}"
    constants = (_ZERO,)


class Remove(Action[E]):
    """REMOVE path (a list element: later elements move up)."""

    __slots__ = ()
    clause: Clause = "REMOVE"
    form = "{path}"


class AddValue(Action[E]):
    """ADD path value: to a number, or members to a set."""

    __slots__ = ()
    clause: Clause = "ADD"
    form = "{path} {value}"


class DeleteValue(Action[E]):
    """DELETE path members: taken out of a set."""

    __slots__ = ()
    clause: Clause = "DELETE"
    form = "{path} {value}"


class Update:
    """The actions of one UpdateExpression, in the order they were added."""

    __slots__ = ("actions",)

    def __init__(self) -> None:
        self.actions: list[Action[Any]] = []

    def add_action(self, action: Action[Any]) -> Update:
        """DynamoDB refuses two clauses on one path, or on a path and a part of it: so do we."""
        for other in self.actions:
            if other.path.overlaps(action.path):
                what = "twice" if other.path == action.path else f"together with {other.path!r}"
                raise ValidationError(
                    f"attribute {action.path!r} appears {what} in one update (paths overlap)"
                )
        self.actions.append(action)
        return self

    def set(self, path: Path, wire: AttributeValue) -> Update:
        return self.add_action(SetValue(path, wire))

    def remove(self, path: Path) -> Update:
        return self.add_action(Remove(path))

    def add(self, path: Path, wire: AttributeValue) -> Update:
        return self.add_action(AddValue(path, wire))

    def delete(self, path: Path, wire: AttributeValue) -> Update:
        return self.add_action(DeleteValue(path, wire))

    @property
    def idempotent(self) -> bool:
        """Applying it twice leaves the item as applying it once (SET values and REMOVE only)."""
        return all(isinstance(a, (SetValue, SetIfNotExists, Remove)) for a in self.actions)

    def touches(self, name: str) -> bool:
        """Whether any action starts at the top-level attribute `name`."""
        return any(action.path.root == name for action in self.actions)

    def __bool__(self) -> bool:
        return bool(self.actions)

    def render(self, builder: ExpressionBuilder) -> str:
        clauses = []
        for clause in _CLAUSES:
            parts = [a.render(builder) for a in self.actions if a.clause == clause]
            if parts:
                clauses.append(f"{clause} {', '.join(parts)}")
        return " ".join(clauses)


def apply_actions(
    update: Update,
    actions: Iterable[Action[Any]],
    managed: Iterable[str],
    shape: RemovalCheck | None = None,
) -> None:
    """Add typed actions to an update; keys and automatic attributes are dynagen's to write, and
    `shape` (the entity's Shape) refuses removing a required attribute or record field."""
    if isinstance(actions, Action):
        raise ValidationError("actions must be a list of actions")
    refused = set(managed)
    for action in actions:
        if not isinstance(action, Action):
            raise ValidationError(f"expected an update action, got {type(action).__name__}")
        if action.path.root in refused:
            raise ValidationError(
                f"{action.path.root!r} cannot be changed by an update action (a key or automatic attribute)"
            )
        if shape is not None and isinstance(action, Remove):
            shape.check_removal(action.path.elements)
        update.add_action(action)
