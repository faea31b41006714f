"""Reading positioned nodes: the shape checks every concern uses, and where each problem is.

A `Checker` collects every diagnostic of one spec (never only the first), each at the node that
is wrong, so `file:line:col` points at the culprit.
"""

from __future__ import annotations

import difflib
import unicodedata
from typing import Callable, Iterable, Iterator

from dynagen.spec.diagnostics import Diagnostic
from dynagen.spec.load import Map, Node, Scalar, Seq


class Checker:
    """The state the checks of one spec share: its path, what is wrong so far, and which names
    were already reported broken (so a later reference to one is not a second error)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.diagnostics: list[Diagnostic] = []
        self.broken: set[str] = set()

    def error(self, node: Node | Scalar, message: str) -> None:
        self.diagnostics.append(Diagnostic(self.path, node.line, node.col, message))

    def mapping(self, node: Node, what: str) -> Map | None:
        if isinstance(node, Map):
            return node
        self.error(node, f"{what} must be a mapping")
        return None

    def named_entries(
        self, node: Map, valid: Callable[[str], bool], rule: str, what: str
    ) -> Iterator[tuple[Scalar, Map]]:
        """The entries of a mapping of named things (types, entities, indexes) that can be read:
        a name that breaks `rule` or a body that is not a mapping is reported and skipped."""
        for key, value in node.entries:
            if not valid(key.text):
                self.error(key, f"{what} name {key.text!r} {rule}")
                continue
            body = self.mapping(value, f"{what} {key.text!r}")
            if body is not None:
                yield key, body

    def fields(self, node: Map, allowed: set[str], required: Iterable[str], what: str) -> None:
        """Unknown fields (with a hint when one is close) and missing required ones."""
        for key, _ in node.entries:
            if key.text not in allowed:
                hint = closest(key.text, allowed)
                self.error(
                    key,
                    f"unknown field {key.text!r} in {what}"
                    + (f" (did you mean {hint!r}?)" if hint else ""),
                )
        for name in required:
            if node.get(name) is None:
                self.error(node, f"{what} needs the field {name!r}")

    def text(self, node: Node | None, what: str, *, allow_empty: bool = False) -> str | None:
        if node is None:
            return None
        if isinstance(node, Scalar) and isinstance(node.value, str) and (allow_empty or node.value):
            return node.value
        self.error(node, f"{what} must be a non-empty string")
        return None

    def prose(self, node: Node | None, what: str) -> str | None:
        """A description (it becomes a docstring): any text but lone surrogates and control
        characters other than newline and tab, which are refused where they are written."""
        value = self.text(node, what)
        if value is None or node is None:
            return value
        problem = unprintable(value, allowed="\n\t")
        if problem:
            self.error(node, f"{what} {problem} (descriptions may hold newlines and tabs)")
            return None
        return value

    def storable(self, node: Node, value: str, what: str) -> bool:
        """Text DynamoDB can store (a name, an S value): valid Unicode, so no lone surrogate."""
        problem = surrogate(value)
        if problem:
            self.error(node, f"{what} {problem}; DynamoDB stores UTF-8 text only")
        return problem is None

    def name(self, node: Node | None, what: str) -> str | None:
        """An attribute named in a reference: `on`, `off`, `yes`, `no` are names here, not booleans."""
        if isinstance(node, Scalar) and isinstance(node.value, bool):
            return node.text
        return self.text(node, what)

    def flag(self, node: Node | None, what: str) -> bool:
        if node is None:
            return False
        if isinstance(node, Scalar) and isinstance(node.value, bool):
            return node.value
        self.error(node, f"{what} must be true or false")
        return False


def surrogate(value: str) -> str | None:
    """Where a lone surrogate (half of a UTF-16 pair, not a character) is in `value`, if any."""
    for index, char in enumerate(value):
        if "\ud800" <= char <= "\udfff":
            return f"holds a lone surrogate U+{ord(char):04X} at character {index + 1}"
    return None


def unprintable(value: str, *, allowed: str) -> str | None:
    """Where `value` holds a control character (other than those `allowed`) or a lone surrogate."""
    problem = surrogate(value)
    if problem:
        return problem
    for index, char in enumerate(value):
        if char not in allowed and unicodedata.category(char) == "Cc":
            return f"holds the control character U+{ord(char):04X} at character {index + 1}"
    return None


def key_of(mapping: Map, name: str) -> Scalar:
    """The key node of an entry, to report at the name rather than at its value."""
    for key, _ in mapping.entries:
        if key.text == name:
            return key
    raise KeyError(name)


def plain(node: Node) -> object:
    """The node as plain Python values, as YAML resolved them."""
    if isinstance(node, Scalar):
        return node.value
    if isinstance(node, Seq):
        return [plain(item) for item in node.items]
    return {key.text: plain(value) for key, value in node.entries}


def closest(name: str, options: Iterable[str]) -> str | None:
    matches = difflib.get_close_matches(name, sorted(options), n=1, cutoff=0.7)
    return matches[0] if matches else None


def hint(name: str, options: Iterable[str]) -> str:
    """` (did you mean 'x'?)` when one of the options is close to the name, else nothing."""
    match = closest(name, options)
    return f" (did you mean {match!r}?)" if match else ""
