"""black's split of one too-long expression line, for the codec's expressions, without black.

The codec's encoders and decoders (kinds.py) are single expressions whose length depends on the
attribute's name: conditional expressions, comprehensions, calls and subscripts. Where one does
not fit in 100 columns, the templates need the lines black would make of it, so that the module
is black's fixed point as rendered. This is black's own algorithm (linegen.transform_line:
delimiter_split inside brackets, right_hand_split_with_omits, invisible parentheses around
conditional expressions, never omitted since a conditional has two delimiters) on the small
subset of Python those expressions use; `split` gives up (None) on anything outside it (a magic
trailing comma, a lambda's parameters, an f-string token, a statement), and the build's
chunked formatting then runs black on that part as before.
"""

from __future__ import annotations

import ast
import io
import token
import tokenize
from dataclasses import dataclass, field

LINE_LENGTH = 100

COMPREHENSION = 20
COMMA = 18
TERNARY = 16
LOGIC = 14
STRING = 12
COMPARATOR = 10
MATH = {"|": 9, "^": 8, "&": 7, "<<": 6, ">>": 6, "+": 5, "-": 5, "*": 4, "/": 4, "//": 4,
        "%": 4, "@": 4, "~": 3, "**": 2}  # fmt: skip
DOT = 1
_COMPARE = {"<", ">", "==", "!=", "<=", ">=", "is"}
_OPEN, _CLOSE = "([{", ")]}"


class CannotSplit(Exception):
    """The subset's rules do not say how black splits this."""


@dataclass(eq=False)
class Leaf:
    value: str  # "" for an invisible parenthesis until a split makes it visible
    space: bool  # a space before it when on one line with the previous leaf
    kind: str  # "open", "close", "comma", "string", "name", "op"
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

    def text(self) -> str:
        return _join(self.leaves)

    def fits(self) -> bool:
        return self.indent + len(self.text()) <= LINE_LENGTH

    def delimiters(self) -> list[tuple[int, int]]:
        """(index, priority) of each split point at depth 0 of this line."""
        if not self.tracked:
            return []
        found, depth = [], 0
        for i, leaf in enumerate(self.leaves):
            if leaf.kind == "close":
                depth -= 1
            if depth == 0 and leaf.prio and i < len(self.leaves) - 1:
                found.append((i, leaf.prio))
            if depth == 0 and leaf.prio == COMMA and i == len(self.leaves) - 1:
                found.append((i, leaf.prio))
            if leaf.kind == "open":
                depth += 1
        return found


def _join(leaves: list[Leaf]) -> str:
    out: list[str] = []
    for i, leaf in enumerate(leaves):
        if i and leaf.space and (leaf.value or leaf.kind == "open"):
            out.append(" ")
        out.append(leaf.value)
        if leaf.comment:
            out.append("  " + leaf.comment)
    return "".join(out)


def split(text: str, indent: int) -> list[str] | None:
    """The lines black makes of `text`, one item inside brackets (a dict entry `"k": v,`, a call
    argument `v,  # name`) at `indent` columns, or None where the subset does not say."""
    try:
        leaves = _leaves(text)
        lines = _transform(Line(leaves, indent, inside=True))
    except (CannotSplit, SyntaxError, tokenize.TokenError, IndentationError):
        return None
    return [" " * line.indent + line.text() for line in lines]


def _leaves(text: str) -> list[Leaf]:
    comment = ""
    tokens = []
    for tok in tokenize.generate_tokens(io.StringIO(text).readline):
        if tok.type in (tokenize.NEWLINE, tokenize.NL, tokenize.ENDMARKER, tokenize.INDENT):
            continue
        if tok.type == tokenize.COMMENT:
            comment = tok.string
            continue
        if tok.type not in (token.NAME, token.NUMBER, token.STRING, token.OP):
            raise CannotSplit(tokenize.tok_name[tok.type])
        if comment:
            raise CannotSplit("a comment before the end")
        tokens.append(tok)
    if not tokens:
        raise CannotSplit("empty")
    # The item as an expression: `"k": v,` inside a dict display, `v,` inside a call.
    body = text[: tokens[-1].end[1]]
    tree, shift = _parse(body)
    leaves: list[Leaf] = []
    starts: dict[int, int] = {}  # column -> leaf index
    ends: dict[int, int] = {}
    previous_end = None
    stack: list[Leaf] = []
    for tok in tokens:
        value = tok.string
        space = previous_end is not None and tok.start[1] > previous_end
        previous_end = tok.end[1]
        if value in _OPEN:
            kind = "open"
        elif value in _CLOSE:
            kind = "close"
        elif value == ",":
            kind = "comma"
        elif tok.type == token.STRING:
            kind = "string"
        elif tok.type == token.NAME:
            kind = "name"
        else:
            kind = "op"
        leaf = Leaf(value, space, kind)
        if kind == "open":
            before = leaves[-1] if leaves else None
            leaf.trailer = before is not None and (
                before.kind in ("name", "close", "string") and before.value not in _KEYWORDS
            )
            stack.append(leaf)
        elif kind == "close":
            if not stack:
                raise CannotSplit("unbalanced")
            opening = stack.pop()
            opening.partner, leaf.partner = leaf, opening
        starts[tok.start[1]] = len(leaves)
        ends[tok.end[1]] = len(leaves)
        leaves.append(leaf)
    if stack:
        raise CannotSplit("unbalanced")
    leaves[-1].comment = comment
    _mark(leaves, tree, shift, starts, ends)
    return _with_invisible_parens(leaves, tree, shift, starts, ends)


_KEYWORDS = {"if", "else", "for", "in", "and", "or", "not", "is", "lambda", "return", "await"}


def _parse(body: str) -> tuple[ast.AST, int]:
    """The item parsed inside a dict display or a call; the column shift of that wrapping."""
    for before, after in (("{", "}"), ("_(", ")")):
        try:
            return ast.parse(before + body + after, mode="eval"), len(before)
        except SyntaxError:
            continue
    raise CannotSplit("not an item")


def _mark(
    leaves: list[Leaf], tree: ast.AST, shift: int, starts: dict[int, int], ends: dict[int, int]
) -> None:
    """Each leaf's split priority, as black's BracketTracker gives it (split after the leaf)."""

    def before(index: int, priority: int) -> None:
        if index > 0:
            leaves[index - 1].prio = max(leaves[index - 1].prio, priority)

    def keyword(word: str, low: int, high: int) -> int:
        for column in sorted(starts):
            if low <= column < high and leaves[starts[column]].value == word:
                return starts[column]
        raise CannotSplit(f"no {word!r}")

    for node in ast.walk(tree):
        if isinstance(node, ast.Lambda):
            raise CannotSplit("lambda")
        if isinstance(node, ast.JoinedStr):
            raise CannotSplit("f-string")
        if isinstance(node, ast.IfExp):
            i = keyword("if", _end(node.body, shift), _col(node.test, shift))
            e = keyword("else", _end(node.test, shift), _col(node.orelse, shift))
            before(i, TERNARY)
            before(e, TERNARY)
        elif isinstance(node, ast.BoolOp):
            word = "and" if isinstance(node.op, ast.And) else "or"
            for left, right in zip(node.values, node.values[1:]):
                before(keyword(word, _end(left, shift), _col(right, shift)), LOGIC)
        elif isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            for left, right in zip(operands, operands[1:]):
                low, high = _end(left, shift), _col(right, shift)
                first = min(c for c in starts if low <= c < high)
                before(starts[first], COMPARATOR)
        elif isinstance(node, ast.BinOp):
            low, high = _end(node.left, shift), _col(node.right, shift)
            first = min(c for c in starts if low <= c < high)
            if leaves[starts[first]].value in MATH:
                before(starts[first], MATH[leaves[starts[first]].value])
        elif isinstance(node, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
            element_end = _end(node.value if isinstance(node, ast.DictComp) else node.elt, shift)
            low = element_end
            for generator in node.generators:
                f = keyword("for", low, _col(generator.target, shift))
                before(f, COMPREHENSION)
                # the loop's target is one level deeper for black: its commas split nothing
                for column, index in starts.items():
                    if _col(generator.target, shift) <= column < _end(generator.target, shift):
                        if leaves[index].kind == "comma":
                            leaves[index].prio = -1
                low = _end(generator.iter, shift)
                for condition in generator.ifs:
                    before(keyword("if", low, _col(condition, shift)), COMPREHENSION)
                    low = _end(condition, shift)
        elif isinstance(node, ast.Attribute):
            dot_at = _end(node.value, shift)
            dot = starts.get(dot_at)
            if dot is not None and leaves[dot].value == "." and dot > 0:
                if leaves[dot - 1].kind == "close":
                    before(dot, DOT)
    for i, leaf in enumerate(leaves):
        if leaf.kind == "comma":
            leaf.prio = 0 if leaf.prio == -1 else COMMA
        elif leaf.kind == "string" and i and leaves[i - 1].kind == "string":
            before(i, STRING)
        elif leaf.value in ("*", "**") and (i == 0 or leaves[i - 1].kind in ("open", "comma")):
            raise CannotSplit("unpacking")


def _col(node: ast.expr, shift: int) -> int:
    return node.col_offset - shift


def _end(node: ast.expr, shift: int) -> int:
    return (node.end_col_offset or 0) - shift


def _with_invisible_parens(
    leaves: list[Leaf], tree: ast.AST, shift: int, starts: dict[int, int], ends: dict[int, int]
) -> list[Leaf]:
    """Invisible parentheses around each conditional expression that is not already the whole of
    a pair of parentheses (black's visit_test)."""
    wraps: list[tuple[int, int]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.IfExp):
            first, last = starts[_col(node, shift)], ends[_end(node, shift)]
            if (
                first > 0
                and leaves[first - 1].value == "("
                and leaves[first - 1].partner
                is (leaves[last + 1] if last + 1 < len(leaves) else None)
            ):
                continue
            wraps.append((first, last))
    opens: dict[int, list[Leaf]] = {}
    closes: dict[int, list[Leaf]] = {}
    for first, last in wraps:
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
    trailing = last.kind == "comma"
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
    if top == COMMA and line.leaves[-1].kind != "comma":
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
            if leaf.kind == "close" and id(leaf) not in omit:
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
            elif leaf.kind == "close":
                inner.add(id(leaf))
        elif leaf.kind == "close":
            prev = leaves[index - 1] if index > 0 else None
            if prev is not None and prev.kind == "open":
                inner.add(id(leaf))
                continue
            if closing is not None:
                omit.add(id(closing))
                omit.update(inner)
                inner.clear()
                out.append(set(omit))
            if prev is not None and prev.kind == "comma":
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
        if leaf.kind == "close" and id(leaf) not in omit and leaf.partner in leaves:
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
    head_line = Line(head, line.indent, inside=False)
    body_line = Line(list(body), line.indent + 4, inside=True)
    tail_line = Line(tail, line.indent, inside=False, tracked=False)
    if len(head) == 1 and not head[0].value:
        raise CannotSplit("nothing before the brackets")
    commas = [leaf for leaf in _depth_zero(body) if leaf.prio == COMMA]
    if commas and not opening.trailer:
        body_line.explode = True
        if body[-1].kind != "comma":
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
        if leaf.kind == "close":
            depth -= 1
        if depth == 0:
            out.append(leaf)
        if leaf.kind == "open":
            depth += 1
    return out


def _can_be_split(line: Line) -> bool:
    """black's can_be_split: False for a line with no brackets to split but a trailer chain."""
    leaves = line.leaves
    if not leaves:
        return False
    if leaves[0].kind == "string" and len(leaves) > 1 and leaves[1].value == ".":
        call_count = 0
        dot_count = 0
        nxt = leaves[-1]
        for leaf in leaves[-2::-1]:
            if leaf.kind == "open":
                if nxt.kind != "close":
                    return False
                call_count += 1
            elif leaf.value == ".":
                dot_count += 1
            elif leaf.kind == "name":
                if not (nxt.value == "." or nxt.kind == "open"):
                    return False
            elif leaf.kind != "close":
                return False
            if dot_count > 1 and call_count > 1:
                return False
            nxt = leaf
    return True
