"""YAML text -> a tree of nodes that remember their line and column.

PyYAML's composer gives each node a start mark; we keep those and refuse what a spec never
needs and an attacker might send: aliases (billion laughs), duplicate keys, huge files.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union

import yaml
from yaml.constructor import SafeConstructor

from dynagen.spec.diagnostics import Diagnostic

MAX_SPEC_BYTES = 1_000_000
MAX_DEPTH = 64


@dataclass(frozen=True)
class Scalar:
    value: object  # str, int, float, bool, None, date...: as YAML resolves it
    text: str  # the source text, for names (YAML would turn `on:` into True)
    line: int
    col: int


@dataclass(frozen=True)
class Seq:
    items: tuple[Node, ...]
    line: int
    col: int


@dataclass(frozen=True)
class Map:
    entries: tuple[tuple[Scalar, Node], ...]
    line: int
    col: int

    def get(self, name: str) -> Node | None:
        for key, value in self.entries:
            if key.text == name:
                return value
        return None

    def keys(self) -> list[str]:
        return [key.text for key, _ in self.entries]


Node = Union[Scalar, Seq, Map]

_constructor = SafeConstructor()


def load_spec(path: str, text: str) -> tuple[Node | None, list[Diagnostic]]:
    """Parse one spec file; on failure, the node is None and diagnostics say why."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_SPEC_BYTES:
        return None, [Diagnostic(path, 1, 1, f"spec file is larger than {MAX_SPEC_BYTES} bytes")]
    try:
        documents = list(yaml.compose_all(text, Loader=yaml.SafeLoader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = " ".join(part for part in (exc.context, exc.problem) if part) or "invalid YAML"
        return None, [Diagnostic(path, line, col, f"invalid YAML: {problem}")]
    except yaml.YAMLError as exc:
        return None, [Diagnostic(path, 1, 1, f"invalid YAML: {exc}")]
    except RecursionError:
        return None, [Diagnostic(path, 1, 1, "invalid YAML: nested too deeply")]
    documents = [document for document in documents if document is not None]
    if not documents:
        return None, [Diagnostic(path, 1, 1, "spec file is empty")]
    if len(documents) > 1:
        mark = documents[1].start_mark
        return None, [
            Diagnostic(path, mark.line + 1, mark.column + 1, "a spec file holds one YAML document")
        ]
    diagnostics: list[Diagnostic] = []
    node = _convert(path, documents[0], diagnostics, set(), 0)
    return node, diagnostics


def _convert(path: str, node: yaml.Node, out: list[Diagnostic], seen: set[int], depth: int) -> Node:
    line, col = node.start_mark.line + 1, node.start_mark.column + 1
    if id(node) in seen:
        out.append(Diagnostic(path, line, col, "YAML aliases (*name) are not allowed in specs"))
        return Scalar(None, "", line, col)
    if depth > MAX_DEPTH:
        out.append(Diagnostic(path, line, col, f"nested deeper than {MAX_DEPTH} levels"))
        return Scalar(None, "", line, col)
    if isinstance(node, yaml.ScalarNode):
        try:
            value = _constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, OverflowError) as exc:
            out.append(Diagnostic(path, line, col, f"bad scalar {node.value!r}: {exc}"))
            value = node.value
        return Scalar(value, str(node.value), line, col)
    seen.add(id(node))
    if isinstance(node, yaml.SequenceNode):
        return Seq(
            tuple(_convert(path, item, out, seen, depth + 1) for item in node.value), line, col
        )
    assert isinstance(node, yaml.MappingNode)
    entries: list[tuple[Scalar, Node]] = []
    names: set[str] = set()
    for key_node, value_node in node.value:
        key = _convert(path, key_node, out, seen, depth + 1)
        if not isinstance(key, Scalar):
            out.append(Diagnostic(path, key.line, key.col, "mapping keys must be plain names"))
            continue
        if key.text == "<<":
            out.append(
                Diagnostic(path, key.line, key.col, "YAML merge keys (<<) are not allowed in specs")
            )
            continue
        if key.text in names:
            out.append(Diagnostic(path, key.line, key.col, f"duplicate key {key.text!r}"))
            continue
        names.add(key.text)
        entries.append((key, _convert(path, value_node, out, seen, depth + 1)))
    return Map(tuple(entries), line, col)
