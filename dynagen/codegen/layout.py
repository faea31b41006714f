"""black's split of one too-long expression line, for the codec's expressions, without black.

The codec's encoders and decoders (kinds.py) are single expressions whose length depends on the
attribute's name: conditional expressions, comprehensions, calls and subscripts. Where one does
not fit in 100 columns, the templates need the lines black would make of it, so that the module
is black's fixed point as rendered. This is black's own algorithm (linegen.transform_line:
delimiter_split inside brackets, right_hand_split_with_omits, invisible parentheses around
conditional expressions, never omitted since a conditional has two delimiters) on the small
subset of Python those expressions use; `split` gives up (None) on anything outside it (an
f-string, unpacking, a statement), and the build's formatting then runs black on that part.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from dynagen.codegen.formatting import LINE_LENGTH

COMPREHENSION = 20
COMMA = 18
TERNARY = 16
LOGIC = 14
STRING = 12
COMPARATOR = 10
MATH = {"|": 9, "^": 8, "&": 7, "<<": 6, ">>": 6, "+": 5, "-": 5, "*": 4, "/": 4, "//": 4,
        "%": 4, "@": 4, "~": 3, "**": 2}  # fmt: skip
DOT = 1
_OPEN, _CLOSE = "([{", ")]}"


_VISIBLE = [0]  # bumped whenever an invisible parenthesis becomes visible (texts change)


class CannotSplit(Exception):
    """The subset's rules do not say how black splits this."""


@dataclass(eq=False)
class Leaf:
    value: str  # "" for an invisible parenthesis until a split makes it visible
    space: bool  # a space before it when on one line with the previous leaf
    role: str  # "open", "close", "comma", "string", "name", "number", "op"
    prio: int = 0  # priority of a split right after this leaf (0: none)
    partner: Leaf | None = None  # the matching bracket
    invisible: bool = False
    trailer: bool = False  # an opening bracket of a call or subscript (not a display)
    comment: str = ""  # an inline comment after this leaf


@dataclass(eq=False)
class Line:
    leaves: list[Leaf]
    indent: int
    inside: bool  # a body of brackets, or a line of a delimiter split
    tracked: bool = True  # whether its brackets count (a tail's do not, as in black)
    explode: bool = field(default=False)  # should_split_rhs: a display with commas

    cache: tuple[int, int, str] = (-1, -1, "")  # (visibility version, leaf count, text)

    def text(self) -> str:
        version, count, text = self.cache
        if version != _VISIBLE[0] or count != len(self.leaves):
            text = _join(self.leaves)
            self.cache = (_VISIBLE[0], len(self.leaves), text)
        return text

    def fits(self) -> bool:
        return self.indent + len(self.text()) <= LINE_LENGTH

    def delimiters(self) -> list[tuple[int, int]]:
        """(index, priority) of each split point at depth 0 of this line."""
        if not self.tracked:
            return []
        found, depth = [], 0
        for i, leaf in enumerate(self.leaves):
            if leaf.role == "close":
                depth -= 1
            if depth == 0 and leaf.prio and i < len(self.leaves) - 1:
                found.append((i, leaf.prio))
            if depth == 0 and leaf.prio == COMMA and i == len(self.leaves) - 1:
                found.append((i, leaf.prio))
            if leaf.role == "open":
                depth += 1
        return found


def _join(leaves: list[Leaf]) -> str:
    out: list[str] = []
    for i, leaf in enumerate(leaves):
        if i and leaf.space and (leaf.value or leaf.role == "open"):
            out.append(" ")
        out.append(leaf.value)
        if leaf.comment:
            out.append("  " + leaf.comment)
    return "".join(out)


@functools.lru_cache(maxsize=4096)
def split(text: str, indent: int) -> tuple[str, ...] | None:
    """The lines black makes of `text`, one item inside brackets (a dict entry `"k": v,`, a call
    argument `v,  # name`) at `indent` columns, or None where the subset does not say."""
    try:
        leaves = _leaves(text)
        lines = _transform(Line(leaves, indent, inside=True))
    except (CannotSplit, SyntaxError):
        return None
    return tuple(" " * line.indent + line.text() for line in lines)


_TOKEN = re.compile(
    r"""(?P<space>[ ]*)(?:(?P<string>[A-Za-z]{0,2}(?:"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'))"""
    r"""|(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<number>[0-9][0-9_.]*)"""
    r"""|(?P<op>\*\*|//|<<|>>|<=|>=|==|!=|:=|->|[-+*/%@|&^~<>=.,:;()\[\]{}])"""
    r"""|(?P<comment>#.*))"""
)


def _tokens(text: str) -> list[tuple[str, str, int, int]]:
    """(role, text, start, end) of each token of one line: names, numbers, one-line strings,
    operators, a final comment. Anything else (a triple-quoted or f-string, a backslash) is
    outside the subset."""
    out: list[tuple[str, str, int, int]] = []
    at = 0
    while at < len(text):
        match = _TOKEN.match(text, at)
        if match is None or match.end() == at:
            if text[at:].strip():
                raise CannotSplit("a token outside the subset")
            break
        role = match.lastgroup or ""
        start = match.start(role)
        value = match.group(role)
        if role == "string" and (value[0] not in "\"'" and "f" in value[:2].lower()):
            raise CannotSplit("an f-string")
        if role == "string" and value.lstrip("bBrRuU")[:3] in ('"""', "'''"):
            raise CannotSplit("a triple-quoted string")
        out.append((role, value, start, match.end()))
        at = match.end()
    return out


def _leaves(text: str) -> list[Leaf]:
    tokens = _tokens(text)
    comment = ""
    if tokens and tokens[-1][0] == "comment":
        comment = tokens.pop()[1]
    if not tokens or any(role == "comment" for role, _, _, _ in tokens):
        raise CannotSplit("empty, or a comment before the end")
    leaves: list[Leaf] = []
    previous_end = None
    stack: list[Leaf] = []
    opened: list[int] = []
    pairs: dict[int, int] = {}  # index of each bracket -> index of its partner
    for token_role, value, start, end in tokens:
        space = previous_end is not None and start > previous_end
        previous_end = end
        if value in _OPEN and token_role == "op":
            role = "open"
        elif value in _CLOSE and token_role == "op":
            role = "close"
        elif value == ",":
            role = "comma"
        elif token_role in ("string", "name", "number"):
            role = token_role
        else:
            role = "op"
        leaf = Leaf(value, space, role)
        if role == "open":
            before = leaves[-1] if leaves else None
            leaf.trailer = before is not None and (
                before.role in ("name", "close", "string") and before.value not in _KEYWORDS
            )
            stack.append(leaf)
            opened.append(len(leaves))
        elif role == "close":
            if not stack:
                raise CannotSplit("unbalanced")
            opening = stack.pop()
            opening.partner, leaf.partner = leaf, opening
            open_at = opened.pop()
            pairs[open_at], pairs[len(leaves)] = len(leaves), open_at
        leaves.append(leaf)
    if stack:
        raise CannotSplit("unbalanced")
    leaves[-1].comment = comment
    wraps: list[tuple[int, int]] = []
    _mark(leaves, 0, len(leaves), wraps, pairs)
    return _with_invisible_parens(leaves, wraps)


_KEYWORDS = {"if", "else", "for", "in", "and", "or", "not", "is", "lambda", "return", "await"}


_COMPARATORS = {"<", ">", "==", "!=", "<=", ">=", "is"}
_TERNARY_STARTS = {",", ":", "=", ":=", "else", "lambda", "return"}
_TERNARY_ENDS = {",", ":", "for"}


def _mark(
    leaves: list[Leaf], low: int, high: int, wraps: list[tuple[int, int]], pairs: dict[int, int]
) -> None:
    """Each leaf's split priority in leaves[low:high] (the inside of one bracket pair, or the
    whole item), as black's BracketTracker gives it (a split right after the leaf), and the
    extent of each conditional expression there, read from the tokens: Python's grammar leaves
    no doubt in expressions (an `if` after a comprehension's `for` is its condition, else a
    conditional's; the `in` after a `for` is the loop's; a bare conditional ends at a comma, a
    colon, a `for` or the bracket)."""

    def before(index: int, priority: int) -> None:
        if index > low:
            leaves[index - 1].prio = max(leaves[index - 1].prio, priority)

    if low == 0:
        _refuse_non_expressions(leaves, pairs)
    seen_for = loop_target = lambda_parameters = False
    ifs: list[int] = []
    i = low
    while i < high:
        leaf = leaves[i]
        value = leaf.value
        previous = leaves[i - 1] if i > low else None
        if leaf.role == "open":
            closing = pairs[i]
            _mark(leaves, i + 1, closing, wraps, pairs)
            i = closing + 1
            continue
        if leaf.role == "comma":
            leaf.prio = 0 if loop_target or lambda_parameters else COMMA
        elif leaf.role == "string":
            if previous is not None and previous.role == "string":
                before(i, STRING)
        elif value == "lambda" and leaf.role == "name":
            lambda_parameters = True
        elif value == ":" and lambda_parameters:
            lambda_parameters = False
        elif value == "for":
            before(i, COMPREHENSION)
            seen_for = loop_target = True
        elif value == "in":
            if loop_target:
                loop_target = False
            elif not (previous is not None and previous.value == "not"):
                before(i, COMPARATOR)
        elif value == "not":
            nxt = leaves[i + 1] if i + 1 < high else None
            if nxt is not None and nxt.value == "in":
                if not (previous is not None and previous.value == "is"):
                    before(i, COMPARATOR)
        elif value in _COMPARATORS:
            before(i, COMPARATOR)
        elif value in ("and", "or"):
            before(i, LOGIC)
        elif value == "if":
            if seen_for:
                before(i, COMPREHENSION)
            else:
                before(i, TERNARY)
                ifs.append(i)
        elif value == "else":
            before(i, TERNARY)
            if not ifs:
                raise CannotSplit("an else without its if")
            wraps.append((_ternary_start(leaves, low, ifs.pop(), pairs), i))
        elif value == ".":
            if previous is not None and previous.role == "close":
                before(i, DOT)
        elif value in ("*", "**") and (previous is None or previous.role in ("open", "comma")):
            raise CannotSplit("unpacking")
        elif value in MATH and leaf.role == "op":
            if previous is not None and previous.role in ("name", "number", "close", "string"):
                if previous.value not in _KEYWORDS:  # else a unary operator: no split there
                    before(i, MATH[value])
        i += 1
    if ifs:
        raise CannotSplit("an if without its else")
    # each conditional's end: the next comma, colon or `for` at this depth (after its else)
    for n, (start, else_at) in enumerate(wraps):
        if start < low or start >= high or else_at >= high or else_at < low:
            continue
        j = else_at + 1
        while j < high:
            leaf = leaves[j]
            if leaf.role == "open":
                j = pairs[j] + 1
                continue
            if leaf.value in _TERNARY_ENDS:
                break
            j += 1
        wraps[n] = (start, -j)  # negative: resolved (its last leaf is j - 1)


def _refuse_non_expressions(leaves: list[Leaf], pairs: dict[int, int]) -> None:
    """Only an expression item (`value,`, `"key": value,`, `name=value,`): a parameter with an
    annotation (`name: type = default,`), whose annotation black lays out by other rules, or an
    assignment, is outside the subset."""
    if any(leaf.value in ("->", "=", ";") and leaf.role == "op" for leaf in leaves[:1]):
        raise CannotSplit("not an expression")
    colon = equals = False
    i = 0
    while i < len(leaves):
        leaf = leaves[i]
        if leaf.role == "open":
            i = pairs[i] + 1
            continue
        if leaf.value == "lambda":
            break  # what follows is the lambda's: its colon is not an annotation's
        if leaf.value == "->":
            raise CannotSplit("a return annotation")
        if leaf.value == ":":
            if i == 1 and leaves[0].role == "name":
                raise CannotSplit("an annotation")
            colon = True
        if leaf.value == "=":
            if colon or equals:
                raise CannotSplit("an annotated default or an assignment")
            equals = True
        i += 1


def _ternary_start(leaves: list[Leaf], low: int, if_at: int, pairs: dict[int, int]) -> int:
    """Where the conditional whose `if` is at `if_at` begins: after the nearest comma, colon,
    `=`, `else`, `lambda` or the bracket, at its depth."""
    j = if_at - 1
    while j >= low:
        leaf = leaves[j]
        if leaf.role == "close":
            j = pairs[j] - 1
            continue
        if leaf.value in _TERNARY_STARTS:
            return j + 1
        j -= 1
    return low


def _with_invisible_parens(leaves: list[Leaf], wraps: list[tuple[int, int]]) -> list[Leaf]:
    """Invisible parentheses around each conditional expression that is not already the whole of
    a pair of parentheses (black's visit_test)."""
    spans = sorted(
        ((first, -negative - 1) for first, negative in wraps), key=lambda s: (s[0], -s[1])
    )
    opens: dict[int, list[Leaf]] = {}
    closes: dict[int, list[Leaf]] = {}
    for first, last in spans:
        if first > 0 and last + 1 < len(leaves):
            opening = leaves[first - 1]
            if opening.value == "(" and opening.partner is leaves[last + 1]:
                continue
        lpar = Leaf("", leaves[first].space, "open", invisible=True)
        rpar = Leaf("", False, "close", invisible=True, prio=leaves[last].prio)
        leaves[last].prio = 0  # a split after the expression comes after its parenthesis
        lpar.partner, rpar.partner = rpar, lpar
        leaves[first].space = False
        opens.setdefault(first, []).append(lpar)
        closes.setdefault(last, []).insert(0, rpar)
    out: list[Leaf] = []
    for i, leaf in enumerate(leaves):
        out.extend(opens.get(i, []))
        out.append(leaf)
        out.extend(closes.get(i, []))
    if leaves[-1].comment and out[-1] is not leaves[-1]:
        out[-1].comment, leaves[-1].comment = leaves[-1].comment, ""
    return out


def _transform(line: Line) -> list[Line]:
    """black's transform_line for this subset."""
    if line.fits() and not line.explode:
        return [line]
    if line.inside:
        try:
            pieces = _delimiter_split(line)
        except CannotSplit:
            pieces = None
        if pieces is not None:
            return [out for piece in pieces for out in _transform(piece)]
    try:
        pieces = _rhs_with_omits(line)
    except CannotSplit:
        return [line]
    if len(pieces) == 1 and pieces[0].text() == line.text():
        return [line]
    return [out for piece in pieces for out in _transform(piece)]


def _delimiter_split(line: Line) -> list[Line] | None:
    found = line.delimiters()
    last = line.leaves[-1]
    trailing = last.role == "comma"
    candidates = [(i, p) for i, p in found if not (trailing and i == len(line.leaves) - 1)]
    if not candidates:
        raise CannotSplit("no delimiters")
    top = max(p for _, p in candidates)
    if top == DOT and sum(1 for _, p in candidates if p == DOT) == 1:
        raise CannotSplit("a single attribute")
    cuts = [i for i, p in found if p == top]
    pieces: list[Line] = []
    start = 0
    for cut in cuts:
        if cut + 1 > start:
            pieces.append(Line(line.leaves[start : cut + 1], line.indent, inside=True))
        start = cut + 1
    if start < len(line.leaves):
        pieces.append(Line(line.leaves[start:], line.indent, inside=True))
    if top == COMMA and line.leaves[-1].role != "comma":
        if any(leaf.value in ("*", "**") for leaf in line.leaves):
            raise CannotSplit("unpacking")
        comma = Leaf(",", False, "comma", prio=COMMA)
        pieces[-1] = Line([*pieces[-1].leaves, comma], line.indent, inside=True)
        last_leaf = pieces[-1].leaves[-2]
        if last_leaf.comment:
            comma.comment, last_leaf.comment = last_leaf.comment, ""
    if len(pieces) == 1:
        return None
    return pieces


def _rhs_with_omits(line: Line) -> list[Line]:
    first: list[Line] | None = None
    for omit in _trailers_to_omit(line):
        target = None
        for leaf in reversed(line.leaves):
            if leaf.role == "close" and id(leaf) not in omit:
                target = leaf.partner
                break
        if omit and target is not None and target.value:
            prefix = line.indent + len(_join(line.leaves[: line.leaves.index(target)]))
            if prefix > LINE_LENGTH:
                continue
        try:
            lines = _rhs(line, omit)
        except CannotSplit:
            if not omit:
                raise
            continue
        if first is None and not omit:
            first = lines
        if lines[0].fits():
            return lines
    if first is not None:
        return first
    return _rhs(line, set())


def _trailers_to_omit(line: Line) -> list[set[int]]:
    """black's generate_trailers_to_omit (cumulative sets of closing brackets to skip)."""
    out: list[set[int]] = [set()]
    omit: set[int] = set()
    length = line.indent
    opening: Leaf | None = None
    closing: Leaf | None = None
    inner: set[int] = set()
    leaves = line.leaves
    for index in range(len(leaves) - 1, -1, -1):
        leaf = leaves[index]
        length += len(leaf.value) + (1 if leaf.space and index else 0)
        if leaf.comment:
            break
        if length > LINE_LENGTH:
            break
        if opening is not None:
            if leaf is opening:
                opening = None
            elif leaf.role == "close":
                inner.add(id(leaf))
        elif leaf.role == "close":
            prev = leaves[index - 1] if index > 0 else None
            if prev is not None and prev.role == "open":
                inner.add(id(leaf))
                continue
            if closing is not None:
                omit.add(id(closing))
                omit.update(inner)
                inner.clear()
                out.append(set(omit))
            if prev is not None and prev.role == "comma":
                break
            if leaf.value:
                opening, closing = leaf.partner, leaf
    return out


def _rhs(line: Line, omit: set[int]) -> list[Line]:
    """black's _first_right_hand_split and _maybe_split_omitting_optional_parens, where the only
    optional parentheses are those around conditional expressions (never omitted: a conditional
    has two delimiters of its priority)."""
    leaves = line.leaves
    closing_at = None
    for index in range(len(leaves) - 1, -1, -1):
        leaf = leaves[index]
        if leaf.role == "close" and id(leaf) not in omit and leaf.partner in leaves:
            opening_at = leaves.index(leaf.partner)
            if opening_at == index - 1:  # empty brackets go to the tail
                continue
            closing_at = index
            break
    if closing_at is None:
        raise CannotSplit("no brackets")
    opening_at = leaves.index(leaves[closing_at].partner)  # type: ignore[arg-type]
    head, body, tail = (
        leaves[: opening_at + 1],
        leaves[opening_at + 1 : closing_at],
        leaves[closing_at:],
    )
    if not body:
        raise CannotSplit("empty body")
    opening, closing = leaves[opening_at], leaves[closing_at]
    if opening.invisible:
        opening.value, closing.value = "(", ")"
        _VISIBLE[0] += 1  # every line's text may have changed
    head_line = Line(head, line.indent, inside=False)
    body_line = Line(list(body), line.indent + 4, inside=True)
    tail_line = Line(tail, line.indent, inside=False, tracked=False)
    if len(head) == 1 and not head[0].value:
        raise CannotSplit("nothing before the brackets")
    commas = [leaf for leaf in _depth_zero(body) if leaf.prio == COMMA]
    if commas and not opening.trailer:
        body_line.explode = True
        if body[-1].role != "comma":
            comma = Leaf(",", False, "comma", prio=COMMA)
            body_line.leaves.append(comma)
    result = [head_line, body_line, tail_line]
    if not tail_line.text():
        result = result[:2]
    if not body_line.fits() and not _can_be_split(body_line):
        raise CannotSplit("body still too long and cannot be split")
    return result


def _depth_zero(leaves: list[Leaf]) -> list[Leaf]:
    out, depth = [], 0
    for leaf in leaves:
        if leaf.role == "close":
            depth -= 1
        if depth == 0:
            out.append(leaf)
        if leaf.role == "open":
            depth += 1
    return out


def _can_be_split(line: Line) -> bool:
    """black's can_be_split: False for a line with no brackets to split but a trailer chain."""
    leaves = line.leaves
    if not leaves:
        return False
    if leaves[0].role == "string" and len(leaves) > 1 and leaves[1].value == ".":
        call_count = 0
        dot_count = 0
        nxt = leaves[-1]
        for leaf in leaves[-2::-1]:
            if leaf.role == "open":
                if nxt.role != "close":
                    return False
                call_count += 1
            elif leaf.value == ".":
                dot_count += 1
            elif leaf.role == "name":
                if not (nxt.value == "." or nxt.role == "open"):
                    return False
            elif leaf.role != "close":
                return False
            if dot_count > 1 and call_count > 1:
                return False
            nxt = leaf
    return True
