"""Regular languages over Unicode text, small and exact: what the key-template proof decides with.

A language is written as a tree (`Lit`, `Cls`, `Cat`, `Alt`, `Repeat`, `Tag`) and compiled
to a nondeterministic automaton whose edges read a `CharSet` (a finite set of characters, or all
characters but a finite set), so "any character but `#`" needs no alphabet. Two questions are
answered, each with a short witness string (found breadth first): does an intersection hold a
string (`meet`), and can one string be read with two different tag sequences (`ambiguity`). The proof in
`dynagen.spec.check.proof` asks only these; the tests compare `meet` with an independent library.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Literal, Union

_PREFERRED = "a0A_-"  # characters a witness uses first, where the set allows: readable examples


@dataclass(frozen=True)
class CharSet:
    """A set of characters: `chars`, or (negated) every character but `chars`."""

    chars: frozenset[str]
    negated: bool = False

    def __and__(self, other: CharSet) -> CharSet:
        if not self.negated and not other.negated:
            return CharSet(self.chars & other.chars)
        if self.negated and other.negated:
            return CharSet(self.chars | other.chars, True)
        plain, excluded = (other, self) if self.negated else (self, other)
        return CharSet(plain.chars - excluded.chars)

    @property
    def empty(self) -> bool:
        return not self.negated and not self.chars

    def example(self) -> str:
        """One member (the set is not empty): a digit or a letter where it can."""
        for char in _PREFERRED:
            if char in self:
                return char
        if not self.negated:
            return min(self.chars)
        code = ord("a")
        while chr(code) in self.chars:
            code += 1
        return chr(code)

    def __contains__(self, char: object) -> bool:
        return (char in self.chars) != self.negated


ANY = CharSet(frozenset(), True)
DIGIT = CharSet(frozenset("0123456789"))


def chars(text: str) -> CharSet:
    return CharSet(frozenset(text))


def but(text: str) -> CharSet:
    """Every character except those of `text`."""
    return CharSet(frozenset(text), True)


@dataclass(frozen=True)
class Lit:
    text: str


@dataclass(frozen=True)
class Cls:
    chars: CharSet


@dataclass(frozen=True)
class Cat:
    items: tuple[Regex, ...]


@dataclass(frozen=True)
class Alt:
    items: tuple[Regex, ...]


@dataclass(frozen=True)
class Repeat:
    """`item` over and over: at least once (`x+`), or also not at all (`x*`, `at_least=0`)."""

    item: Regex
    at_least: Literal[0, 1] = 1


@dataclass(frozen=True)
class Tag:
    """The characters `item` reads carry `tag` (which piece of a template read them)."""

    tag: int
    item: Regex


Regex = Union[Lit, Cls, Cat, Alt, Repeat, Tag]

Edge = tuple[Union[CharSet, None], int, int]  # (characters or None for an empty move, target, tag)


class Automaton:
    """A nondeterministic automaton with empty moves; state 0 starts, `accept` is the one end."""

    def __init__(self, regex: Regex) -> None:
        self.edges: list[list[Edge]] = []
        start = self._state()
        self.accept = self._build(regex, start, -1)

    def _state(self) -> int:
        self.edges.append([])
        return len(self.edges) - 1

    def _build(self, regex: Regex, start: int, tag: int) -> int:
        """Add `regex` from `start`; returns its end state."""
        if isinstance(regex, Lit):
            state = start
            for char in regex.text:
                target = self._state()
                self.edges[state].append((chars(char), target, tag))
                state = target
            return state
        if isinstance(regex, Cls):
            target = self._state()
            self.edges[start].append((regex.chars, target, tag))
            return target
        if isinstance(regex, Cat):
            state = start
            for item in regex.items:
                state = self._build(item, state, tag)
            return state
        if isinstance(regex, Alt):
            end = self._state()
            for item in regex.items:
                branch = self._state()
                self.edges[start].append((None, branch, tag))
                self.edges[self._build(item, branch, tag)].append((None, end, tag))
            return end
        if isinstance(regex, Repeat):
            loop = self._state()
            self.edges[start].append((None, loop, tag))
            end = self._build(regex.item, loop, tag)
            self.edges[end].append((None, loop, tag))
            if regex.at_least == 0:
                self.edges[start].append((None, end, tag))
            return end
        return self._build(regex.item, start, regex.tag)

    def moves(self, state: int) -> list[tuple[CharSet, int, int]]:
        """The character edges from `state`."""
        return [(cs, target, tag) for cs, target, tag in self.edges[state] if cs is not None]

    def empty_moves(self, state: int) -> list[int]:
        return [target for cs, target, _ in self.edges[state] if cs is None]


def meet(*languages: Regex) -> str | None:
    """A short string every language holds (breadth first), or None when their intersection is empty."""
    machines = [Automaton(regex) for regex in languages]
    start = tuple(0 for _ in machines)
    parents: dict[tuple[int, ...], tuple[tuple[int, ...], str] | None] = {start: None}
    queue = deque([start])
    while queue:
        states = queue.popleft()
        if all(state == m.accept for state, m in zip(states, machines)):
            return _spell(parents, states)
        for index, machine in enumerate(machines):  # one empty move of one machine
            for target in reversed(machine.empty_moves(states[index])):
                _visit(parents, queue, states, states[:index] + (target,) + states[index + 1 :], "")
        for step in _joint_moves(machines, states):
            _visit(parents, queue, states, step[1], step[0])
    return None


def _joint_moves(
    machines: list[Automaton], states: tuple[int, ...]
) -> list[tuple[str, tuple[int, ...]]]:
    """Every way all machines read one common character: (an example of it, the next states)."""
    combos: list[tuple[CharSet, tuple[int, ...]]] = [(ANY, ())]
    for machine, state in zip(machines, states):
        combos = [
            (shared & cs, targets + (target,))
            for shared, targets in combos
            for cs, target, _ in machine.moves(state)
            if not (shared & cs).empty
        ]
    return [(shared.example(), targets) for shared, targets in combos]


def _visit(
    parents: dict[tuple[int, ...], tuple[tuple[int, ...], str] | None],
    queue: deque[tuple[int, ...]],
    source: tuple[int, ...],
    target: tuple[int, ...],
    char: str,
) -> None:
    if target not in parents:
        parents[target] = (source, char)
        if char:
            queue.append(target)
        else:
            queue.appendleft(target)  # an empty move reads no character: explore it first


def _spell(
    parents: dict[tuple[int, ...], tuple[tuple[int, ...], str] | None], end: tuple[int, ...]
) -> str:
    text: list[str] = []
    link = parents[end]
    while link is not None:
        text.append(link[1])
        link = parents[link[0]]
    return "".join(reversed(text))


@dataclass(frozen=True)
class Ambiguity:
    """One string that reads two ways: the tag of each of its characters, in each reading."""

    text: str
    first: tuple[int, ...]
    second: tuple[int, ...]


def ambiguity(regex: Regex) -> Ambiguity | None:
    """A short string with two readings whose tag sequences differ, or None if none has."""
    machine = Automaton(regex)
    Node = tuple[int, int, bool]
    start: Node = (0, 0, False)
    parents: dict[Node, tuple[Node, str, int, int] | None] = {start: None}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        left, right, split = node
        if split and left == machine.accept and right == machine.accept:
            text, first, second = "", list[int](), list[int]()
            link = parents[node]
            while link is not None:
                previous, char, tag_left, tag_right = link
                if char:
                    text = char + text
                    first.insert(0, tag_left)
                    second.insert(0, tag_right)
                link = parents[previous]
            return Ambiguity(text, tuple(first), tuple(second))
        nexts: list[tuple[Node, str, int, int]] = []
        for target in machine.empty_moves(left):
            nexts.append(((target, right, split), "", 0, 0))
        for target in machine.empty_moves(right):
            nexts.append(((left, target, split), "", 0, 0))
        for cs_left, target_left, tag_left in machine.moves(left):
            for cs_right, target_right, tag_right in machine.moves(right):
                shared = cs_left & cs_right
                if not shared.empty:
                    diverged = split or tag_left != tag_right
                    step = (target_left, target_right, diverged)
                    nexts.append((step, shared.example(), tag_left, tag_right))
        for step, char, tag_left, tag_right in nexts:
            if step not in parents:
                parents[step] = (node, char, tag_left, tag_right)
                if char:
                    queue.append(step)
                else:
                    queue.appendleft(step)
    return None
