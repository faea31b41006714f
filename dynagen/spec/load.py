"""YAML text -> a tree of nodes that remember their line and column.

PyYAML's composer gives each node a start mark; we keep those and refuse what a spec never
needs and an attacker might send: aliases (billion laughs), duplicate keys, huge files.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union

import yaml
from yaml.composer import ComposerError
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


class _SpecLoader(yaml.SafeLoader):
    """Refuses aliases and too-deep nesting while composing, where the YAML was written."""

    _depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
            raise ComposerError(None, None, "YAML aliases (*name) are not allowed in specs", mark)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH + 1:  # the root is level 0
                mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
                raise ComposerError(None, None, f"nested deeper than {MAX_DEPTH} levels", mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _is_empty_document(node: yaml.Node) -> bool:
    return (
        isinstance(node, yaml.ScalarNode)
        and node.tag == "tag:yaml.org,2002:null"
        and not node.value
    )


def load_spec(path: str, text: str) -> tuple[Node | None, list[Diagnostic]]:
    """Parse one spec file; on failure, the node is None and diagnostics say why."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_SPEC_BYTES:
        return None, [Diagnostic(path, 1, 1, f"spec file is larger than {MAX_SPEC_BYTES} bytes")]
    try:
        documents = list(yaml.compose_all(text, Loader=_SpecLoader))
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        col = exc.position - text.rfind("\n", 0, exc.position)
        problem = f"unacceptable character #x{exc.character:04x}: {exc.reason}"
        return None, [Diagnostic(path, line, col, f"invalid YAML: {problem}")]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = " ".join(part for part in (exc.context, exc.problem) if part) or "invalid YAML"
        return None, [Diagnostic(path, line, col, f"invalid YAML: {problem}")]
    except yaml.YAMLError as exc:
        return None, [Diagnostic(path, 1, 1, f"invalid YAML: {str(exc).splitlines()[0]}")]
    except RecursionError:
        return None, [Diagnostic(path, 1, 1, "invalid YAML: nested too deeply")]
    documents = [document for document in documents if not _is_empty_document(document)]
    if not documents:
        return None, [Diagnostic(path, 1, 1, "spec file is empty")]
    if len(documents) > 1:
        mark = documents[1].start_mark
        return None, [
            Diagnostic(path, mark.line + 1, mark.column + 1, "a spec file holds one YAML document")
        ]
    diagnostics: list[Diagnostic] = []
    # A constructor per file: it caches every node it builds, and nodes hold the whole text.
    node = _convert(path, documents[0], diagnostics, SafeConstructor())
    return node, diagnostics


def _convert(
    path: str,
    node: yaml.Node,
    out: list[Diagnostic],
    constructor: SafeConstructor,
) -> Node:
    """Our node tree. _SpecLoader has already refused aliases and depth beyond MAX_DEPTH."""
    line, col = node.start_mark.line + 1, node.start_mark.column + 1
    if isinstance(node, yaml.ScalarNode):
        try:
            value = constructor.construct_object(node, deep=True)
        except Exception as exc:  # an explicit tag can make any constructor fail: !!bool maybe
            if isinstance(exc, yaml.MarkedYAMLError) and exc.problem:
                reason = exc.problem
            elif isinstance(exc, (ValueError, OverflowError)):
                reason = str(exc).splitlines()[0]
            else:
                reason = f"not a valid {node.tag.rsplit(':', 1)[-1]}"
            out.append(Diagnostic(path, line, col, f"bad scalar {node.value!r}: {reason}"))
            value = node.value
        return Scalar(value, str(node.value), line, col)
    if isinstance(node, yaml.SequenceNode):
        return Seq(
            tuple(_convert(path, item, out, constructor) for item in node.value),
            line,
            col,
        )
    assert isinstance(node, yaml.MappingNode)
    entries: list[tuple[Scalar, Node]] = []
    names: set[str] = set()
    for key_node, value_node in node.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == "<<":
            mark = key_node.start_mark
            message = "YAML merge keys (<<) are not allowed in specs"
            out.append(Diagnostic(path, mark.line + 1, mark.column + 1, message))
            continue
        key = _convert(path, key_node, out, constructor)
        if not isinstance(key, Scalar):
            out.append(Diagnostic(path, key.line, key.col, "mapping keys must be plain names"))
            continue
        if key.text in names:
            out.append(Diagnostic(path, key.line, key.col, f"duplicate key {key.text!r}"))
            continue
        names.add(key.text)
        entries.append((key, _convert(path, value_node, out, constructor)))
    return Map(tuple(entries), line, col)
