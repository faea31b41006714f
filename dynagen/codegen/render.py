"""The Jinja environment over the top-level templates/ folder (shipped in the wheel as dynagen/templates)."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator

import jinja2

from dynagen.codegen.single_table import TemplatedModuleView
from dynagen.codegen import layout
from dynagen.codegen.formatting import LINE_LENGTH
from dynagen.codegen.memo import subdir, templates_dir
from dynagen.codegen.view import ModuleView

__all__ = ["RUNTIME_API", "environment", "render_module", "render_package_init", "templates_dir"]


def _py(value: object) -> str:
    """A Python literal on one line: strings, numbers, None, tuples, lists, dicts; strings in
    black's quotes (normalize_quotes below)."""
    if isinstance(value, jinja2.Undefined):
        value._fail_with_undefined_error()  # a template bug: fail here, not in mypy later
    if isinstance(value, str):
        return black_quotes(repr(value))
    if isinstance(value, tuple):
        return _tuple_of(_py(item) for item in value)
    if isinstance(value, list):
        return "[" + ", ".join(_py(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_py(k)}: {_py(v)}" for k, v in value.items()) + "}"
    return repr(value)


def _pyblock(value: object, indent: int = 0) -> str:
    """A list, tuple or dict literal exploded one item per line with a magic trailing comma (so
    black keeps it, whatever the lengths); inner literals stay on one line when they fit at their
    indent, else are exploded the same way, as black would. Empty ones stay `[]`, `()`, `{}`."""
    return _layout(value, indent, "", "", always=True)


def _layout(value: object, indent: int, head: str, tail: str, *, always: bool = False) -> str:
    flat = _py(value)
    if isinstance(value, (list, tuple, dict)) and value:
        if always or indent + len(head) + len(flat) + len(tail) > LINE_LENGTH:
            pad = " " * (indent + 4)
            if isinstance(value, dict):
                lines = [_layout(v, indent + 4, f"{_py(k)}: ", ",") for k, v in value.items()]
            else:
                lines = [_layout(v, indent + 4, "", ",") for v in value]
            pair = {list: "[]", tuple: "()", dict: "{}"}[type(value)]
            opening, closing = pair[0], pair[1]
            body = "".join(f"{pad}{line}\n" for line in lines)
            return f"{head}{opening}\n{body}{' ' * indent}{closing}{tail}"
    return f"{head}{flat}{tail}"


_SCAN = re.compile(
    r"""(?P<escape>\\.)|(?P<quote>["'])|(?P<open>[(\[{])|(?P<close>[)\]}])"""
    r"""|(?=(?P<word> if | else |: |,| and | or | for | in ))"""
)


def _scanned(text: str, start: int = 0) -> Iterator[tuple[str, int, re.Match[str] | None]]:
    """(role, bracket depth after it, match) of each `_SCAN` match outside strings, from `start`;
    last, ("end", depth, None), or ("unclosed", depth, None) when a string is left open."""
    depth, quote = 0, ""
    for match in _SCAN.finditer(text, start):
        role = match.lastgroup or ""
        if quote:
            if role == "quote" and match.group("quote") == quote:
                quote = ""
            continue
        if role == "quote":
            quote = match.group("quote")
            continue
        depth += 1 if role == "open" else -1 if role == "close" else 0
        yield role, depth, match
    yield ("unclosed" if quote else "end"), depth, None


def _top_level(expr: str) -> list[tuple[int, str]]:
    """(position, word) of each ` if `, ` else `, `: ` and `,` at bracket depth 0, outside strings."""
    found: list[tuple[int, str]] = []
    for role, depth, match in _scanned(expr):
        if match is None:
            break
        if role == "close" and depth < 0:
            return [
                (match.start(), ")")
            ]  # not one expression: callers see a word they do not handle
        if role == "word" and depth == 0:
            found.append((match.start(), match.group("word")))
    return found


def _balanced(code: str) -> bool:
    """Whether every bracket opened in one line of code (outside strings) closes on it."""
    *_, (role, depth, _) = _scanned(code)
    return role == "end" and depth == 0


def _closing(expr: str, opening: int) -> int:
    """Where the bracket opened at `opening` closes (-1 if it does not)."""
    for role, depth, match in _scanned(expr, opening):
        if match is not None and role == "close" and depth == 0:
            return match.start()
    return -1


_LAMBDA = re.compile(r"lambda \w+: ")
_CALLEE = re.compile(r"[A-Za-z_][\w.]*[(\[]")


@functools.lru_cache(maxsize=8192)
def _fit(expr: str, indent: int, head: str = "", tail: str = "", shift: int = 0) -> str:
    """`head + expr + tail` at `indent` spaces laid out as a black fixed point, for the codec's
    expressions: on one line when it fits in 100 columns; else a call or a dict display is
    exploded one item per line with a magic trailing comma (each item laid out the same way),
    `lambda v: {...}` likewise, and a conditional expression is parenthesised, on one line
    inside the parentheses if it fits there, else split before `if` and `else`, as black splits
    it. Anything else stays on one long line, which formatting.is_stable refuses, so black
    formats that chunk."""
    expr, head, tail = (_CODE_TOKENS.sub(_quote_token, part) for part in (expr, head, tail))
    text = _fit_quoted(expr, indent + shift, head, tail)
    return text.replace("\n" + " " * shift, "\n") if shift else text  # the caller indents it


def _fit_quoted(expr: str, indent: int, head: str, tail: str) -> str:
    pad = " " * indent
    if indent + len(head) + len(expr) + len(tail) <= LINE_LENGTH:
        return f"{head}{expr}{tail}"
    if tail.startswith(","):  # an item inside brackets: black's own split, where layout knows it
        split = layout.split(f"{head}{expr}{tail}", indent)
        if split is not None:
            return "\n".join(split)[indent:]
    lam = _LAMBDA.match(expr)
    if lam is not None and expr.endswith((")", "}")) and not head.endswith(": "):
        body = expr[lam.end() :]
        if _CALLEE.match(body) or body.startswith("{"):
            return _fit_quoted(body, indent, f"{head}{lam.group(0)}", tail)
    if expr[:1] in "[{" and _closing(expr, 0) == len(expr) - 1:
        inner = expr[1:-1]
        fors = [i for i, word in _top_level(inner) if word == " for "]
        if len(fors) == 1:  # a comprehension: black splits it before `for`
            if indent + 4 + len(inner) <= LINE_LENGTH:
                return f"{head}{expr[0]}\n{pad}    {inner}\n{pad}{expr[-1]}{tail}"
            element, clause = inner[: fors[0]], inner[fors[0] + 1 :]
            if any(word == ": " for _, word in _top_level(element)):
                return f"{head}{expr}{tail}"
            first = _fit_quoted(element, indent + 4, "", "")
            second = _for_clause(clause, indent + 4)
            return f"{head}{expr[0]}\n{pad}    {first}\n{pad}    {second}\n{pad}{expr[-1]}{tail}"
    call = _CALLEE.match(expr)
    opening = call.end() - 1 if call else 0 if expr.startswith("{") else -1
    if opening >= 0 and _closing(expr, opening) == len(expr) - 1:
        inner = expr[opening + 1 : -1]
        words = _top_level(inner)
        if any(word == ")" for _, word in words):
            return f"{head}{expr}{tail}"
        cuts = [i for i, word in words if word == ","]
        items = [part.strip() for part in _cut(inner, cuts)]
        single_subscript = expr[opening] == "[" and len(items) < 2  # its comma is not magic
        if items and all(items) and not single_subscript and not any(i[:1] == "*" for i in items):
            lines = []
            for item in items:
                colons = [i for i, word in _top_level(item) if word == ": "] if not call else []
                if not call and len(colons) == 1:
                    key, value = item[: colons[0]], item[colons[0] + 2 :]
                    lines.append(_fit_quoted(value, indent + 4, f"{key}: ", ","))
                elif not call:
                    return f"{head}{expr}{tail}"
                else:
                    lines.append(_fit_quoted(item, indent + 4, "", ","))
            body = "".join(f"{pad}    {line}\n" for line in lines)
            return f"{head}{expr[: opening + 1]}\n{body}{pad}{expr[-1]}{tail}"
    words = _top_level(expr)
    ifs = [i for i, word in words if word == " if "]
    elses = [i for i, word in words if word == " else "]
    others = [word for _, word in words if word in (": ", ",", ")")]
    if len(ifs) == 1 and len(elses) == 1 and ifs[0] < elses[0] and not others:
        if head.endswith("lambda v: ") or expr.startswith("lambda"):
            return f"{head}{expr}{tail}"
        inner_pad = pad + "    "
        if indent + 4 + len(expr) <= LINE_LENGTH:
            body = inner_pad + expr
        else:
            parts = [expr[: ifs[0]], expr[ifs[0] + 1 : elses[0]], expr[elses[0] + 1 :]]
            lines = []
            for part in parts:
                logic = [i for i, word in _top_level(part) if word in (" and ", " or ")]
                if indent + 4 + len(part) <= LINE_LENGTH or not logic:
                    lines.append(part)
                else:  # black splits a too-long `if A and B` before each `and` (or `or`)
                    lines.extend(piece.strip() for piece in _cut_before(part, logic))
            body = "\n".join(inner_pad + line for line in lines)
        return f"{head}(\n{body}\n{pad}){tail}"
    return f"{head}{expr}{tail}"


def _split_params(code: str, indent: int) -> str | None:
    """A too-long `def` line with its parameters one per line and a magic trailing comma (black
    splits a def at its first bracket); None if it is not that simple."""
    opening = code.index("(")
    closing = _closing(code, opening)
    inner = code[opening + 1 : closing]
    words = _top_level(inner)
    if closing < 0 or any(word == ")" for _, word in words):
        return None
    params = [part.strip() for part in _cut(inner, [i for i, word in words if word == ","])]
    if not params or not all(params):
        return None
    pad = " " * indent
    body = "".join(f"{pad}    {param},\n" for param in params)
    return f"{pad}{code[: opening + 1]}\n{body}{_returns(code[closing:], indent)}"


def _returns(code: str, indent: int) -> str:
    """The closing line `) -> ANNOTATION:` (or `: ...`) of an exploded def at `indent`, as black
    leaves it: on one line if it fits; a union in parentheses, on one line inside them if it
    fits there, else one member a line before each `|`; a subscript of several items exploded
    one item a line with a magic trailing comma. Anything else stays long (black formats it)."""
    pad = " " * indent
    line = f"{pad}{code}"
    if len(line) <= LINE_LENGTH or not code.startswith(") -> "):
        return line
    end = ": ..." if code.endswith(": ...") else ":"
    annotation = code[len(") -> ") : -len(end)]
    words = _top_level(annotation)
    if any(word == ")" for _, word in words):
        return line
    bars = [i for i, ch in enumerate(annotation) if ch == "|" and _depth_zero(annotation, i)]
    inner = pad + "    "
    if bars:
        if len(inner) + len(annotation) <= LINE_LENGTH:
            return f"{pad}) -> (\n{inner}{annotation}\n{pad}){end}"
        members = [part.strip() for part in _cut(annotation, bars)]
        body = "\n".join(inner + ("| " if i else "") + part for i, part in enumerate(members))
        return f"{pad}) -> (\n{body}\n{pad}){end}"
    opening = annotation.find("[")
    if opening > 0 and _closing(annotation, opening) == len(annotation) - 1:
        inside = annotation[opening + 1 : -1]
        cuts = [i for i, word in _top_level(inside) if word == ","]
        if cuts:
            items = "".join(f"{inner}{part.strip()},\n" for part in _cut(inside, cuts))
            return f"{pad}) -> {annotation[: opening + 1]}\n{items}{pad}]{end}"
    return line


def _depth_zero(text: str, at: int) -> bool:
    """Whether position `at` of a type annotation is outside every bracket."""
    depth = 0
    for ch in text[:at]:
        depth += ch in "([{"
        depth -= ch in ")]}"
    return depth == 0


_STATEMENT_HEAD = re.compile(r"(?:return |[\w.\[\]\"']+(?:: [^=]+)? = |[\w\"']+: |\w+=)")


@functools.lru_cache(maxsize=8192)
def _explode_line(line: str) -> str:
    """One rendered line over 100 columns laid out as a black fixed point where `_fit` knows how
    (a call, a dict, a conditional expression; a def's parameters), else left as it is."""
    code = line.lstrip(" ")
    indent = len(line) - len(code)
    if code.startswith(") -> "):
        return _returns(code, indent)
    if code.endswith(",") or ",  # " in code:
        split = layout.split(code, indent)
        if split is not None:
            return "\n".join(split)
    if not _balanced(code):  # the first line of a bracket the template explodes: black's part
        return line
    comment = ""
    words = _top_level(code)
    if any(word == ")" for _, word in words):
        return line
    hashes = [i for i, ch in enumerate(code) if ch == "#"]
    if hashes:
        at = hashes[-1]
        if not any(word for i, word in words if i > at) and code[:at].endswith("  "):
            code, comment = code[: at - 2], code[at - 2 :]
            if "#" in code or '"' in comment or "'" in comment:
                return line
    if code.startswith("def ") and code.endswith(":") or code.endswith(": ..."):
        return _split_params(code, indent) or line
    if code.endswith(":"):
        return line
    tail = ""
    if code.endswith(","):
        code, tail = code[:-1], ","
    head = ""
    match = _STATEMENT_HEAD.match(code)
    if match is not None:
        head, code = match.group(0), code[match.end() :]
    pad = " " * indent
    call = _CALLEE.match(code)
    annotated = head.endswith("] = ") and ": " in head and "[" in head
    if annotated and call and indent + len(head) + call.end() > LINE_LENGTH:
        # `name: typing.ClassVar[...] = call(...)` whose first line would not fit: black wraps
        # the value in parentheses if that line fits, else splits the annotation's brackets.
        if indent + len(head) + 1 <= LINE_LENGTH:
            inner = _fit_quoted(code, indent + 4, "", "")
            return f"{pad}{head}(\n{pad}    {inner}\n{pad}){tail}{comment}"
        name, _, annotation = head[: -len(" = ")].partition(": ")
        opening = annotation.find("[")
        if opening > 0 and _closing(annotation, opening) == len(annotation) - 1:
            inside = _fit_quoted(annotation[opening + 1 : -1], indent + 4, "", "")
            value = _fit_quoted(code, indent, "] = ", tail + comment)
            return f"{pad}{name}: {annotation[: opening + 1]}\n{pad}    {inside}\n{pad}{value}"
    return pad + _fit_quoted(code, indent, head, tail + comment)


def explode_long_lines(text: str) -> str:
    """Every code line of rendered text over 100 columns through `_explode_line` (docstrings,
    which black never wraps, are left alone)."""
    if all(len(line) <= LINE_LENGTH for line in text.split("\n")):
        return text
    return _each_code_line(
        text, lambda line: _explode_line(line) if len(line) > LINE_LENGTH else line
    )


def _each_code_line(text: str, change: Callable[[str], str]) -> str:
    """`text` with `change` applied to each line outside docstrings (triple-quoted, whole lines)."""
    out: list[str] = []
    inside = False
    for line in text.split("\n"):
        if inside or line.lstrip(" ").startswith('"""'):
            inside ^= line.count('"""') % 2 == 1
            out.append(line)
        else:
            out.append(change(line))
    return "\n".join(out)


def _for_clause(clause: str, indent: int) -> str:
    """`for x in (...)` (or `(...).items()`) at `indent`: as it is if it fits, else split inside
    its last parentheses, as black does."""
    if indent + len(clause) <= LINE_LENGTH:
        return clause
    trailer = ".items()" if clause.endswith(").items()") else ""
    body = clause[: len(clause) - len(trailer)]
    ins = [i for i, word in _top_level(body) if word == " in "]
    if len(ins) != 1 or not body.endswith(")"):
        return clause
    start = ins[0] + len(" in ")
    if body[start] != "(" or _closing(body, start) != len(body) - 1:
        return clause
    pad = " " * indent
    inner = body[start + 1 : -1]
    if indent + 4 + len(inner) <= LINE_LENGTH:
        return f"{body[: start + 1]}\n{pad}    {inner}\n{pad}){trailer}"
    words = _top_level(inner)
    ifs = [i for i, word in words if word == " if "]
    elses = [i for i, word in words if word == " else "]
    if len(ifs) != 1 or len(elses) != 1 or ifs[0] > elses[0]:
        return clause  # too long and not a plain conditional: stays long, and black formats it
    parts = [inner[: ifs[0]], inner[ifs[0] + 1 : elses[0]], inner[elses[0] + 1 :]]
    lines = "".join(f"{pad}    {part}\n" for part in parts)
    return f"{body[: start + 1]}\n{lines}{pad}){trailer}"


def _cut_before(text: str, cuts: list[int]) -> list[str]:
    starts = [0, *cuts]
    return [text[a:b] for a, b in zip(starts, [*cuts, len(text)])]


def _cut(text: str, cuts: list[int]) -> list[str]:
    parts, start = [], 0
    for cut in cuts:
        parts.append(text[start:cut])
        start = cut + 1
    if text[start:].strip():
        parts.append(text[start:])
    return parts


_QUOTE_ESCAPES = {
    quote: (
        re.compile(rf"(([^\\]|^)(\\\\)*){quote}"),  # unescaped
        re.compile(rf"([^\\]|^)\\((?:\\\\)*){quote}"),  # escaped
    )
    for quote in "'\""
}


def _sub_twice(regex: re.Pattern[str], replacement: str, original: str) -> str:
    return regex.sub(replacement, regex.sub(replacement, original))


def black_quotes(literal: str) -> str:
    """A one-line string literal (optionally prefixed, not raw) in the quotes black gives it:
    double quotes unless that needs more backslashes; black's own rule, step by step."""
    if literal[0] == "'" and not any(ch in literal[1:-1] for ch in "'\"\\"):
        return f'"{literal[1:-1]}"'  # the common case: nothing inside to escape or unescape
    value = literal.lstrip("furbFURB")
    prefix = literal[: len(literal) - len(value)]
    if "r" in prefix.lower() or value[:3] in ('"""', "'''"):
        return literal
    orig, new = ('"', "'") if value[0] == '"' else ("'", '"')
    body = value[1:-1]
    unescaped_new, escaped_new = _QUOTE_ESCAPES[new]
    _, escaped_orig = _QUOTE_ESCAPES[orig]
    new_body = _sub_twice(escaped_new, rf"\1\2{new}", body)
    if body != new_body:
        body = new_body
        literal = f"{prefix}{orig}{body}{orig}"
    new_body = _sub_twice(escaped_orig, rf"\1\2{orig}", new_body)
    new_body = _sub_twice(unescaped_new, rf"\1\\{new}", new_body)
    if "f" in prefix.lower():
        for match in re.findall(r"(?:(?<!\{)|^)\{([^{].*?)\}(?:(?!\})|$)", new_body):
            if "\\" in match:
                return literal
    if new_body.count("\\") > body.count("\\"):
        return literal
    if new_body.count("\\") == body.count("\\") and orig == '"':
        return literal
    return f"{prefix}{new}{new_body}{new}"


_CODE_TOKENS = re.compile(r"""[A-Za-z_]*(?:"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')|#.*""")


def _quote_token(match: re.Match[str]) -> str:
    token = match.group(0)
    return token if token.startswith("#") or token[-1] not in "'\"" else black_quotes(token)


def normalize_quotes(text: str) -> str:
    """Every one-line string literal of rendered code in black's quotes (kinds.py and the view
    write `repr(...)`, single-quoted); docstrings (triple-quoted, whole lines) are left alone."""
    return _each_code_line(text, _black_quoted_line)


def _black_quoted_line(line: str) -> str:
    return _CODE_TOKENS.sub(_quote_token, line) if "'" in line or '\\"' in line else line


def docstring(text: str, indent: int = 0) -> str:
    """Spec text as the start of a docstring opened at `indent` spaces, in black's docstring form:
    edges stripped, each line's trailing space dropped, continuation lines re-indented to the
    docstring's indent (their common indentation removed, leading tabs as four columns), blank
    lines empty; backslashes and triple quotes escaped, a quote at either edge padded. What
    black would still measure or rewrite (other whitespace, non-ASCII) is kept, and
    formatting.is_stable refuses it, so such a chunk goes through black."""
    text = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    lines = []
    for line in text.strip().split("\n"):
        stripped = line.lstrip()
        if stripped and stripped != line:
            line = line[: len(line) - len(stripped)].expandtabs(4) + stripped
        lines.append(line.rstrip())
    rest = [line for line in lines[1:] if line]
    common = min((len(line) - len(line.lstrip()) for line in rest), default=0)
    pad = " " * indent
    body = [lines[0].strip()] + [pad + line[common:] if line else "" for line in lines[1:]]
    result = "\n".join(body)
    if result.startswith('"'):
        result = " " + result
    return result + " " if result.endswith('"') else result  # `""""` would end the docstring early


def _closing_paragraph(paragraph: str, indent: int) -> str:
    """A docstring's optional last paragraph, then what its closing quotes need: a line of their
    own at `indent` after a paragraph, nothing after a one-line docstring."""
    return f"{paragraph}\n{' ' * indent}" if paragraph else ""


def _tuple_of(items: Iterable[str]) -> str:
    """A tuple literal of code items, as black writes it: `(a,)` for one, `(a, b)` for more."""
    code = list(items)
    return f"({code[0]},)" if len(code) == 1 else f"({', '.join(code)})"


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Templates compiled once per installation: Jinja keeps their code, keyed by the template's
    source checksum, under the cache folder (memo.py); None when the cache is off."""
    folder = subdir(f"jinja-{jinja2.__version__}")
    return jinja2.FileSystemBytecodeCache(str(folder)) if folder is not None else None


@functools.lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        bytecode_cache=_bytecode_cache(),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,  # we generate Python, not HTML
    )
    env.filters["py"] = _py
    env.filters["pyblock"] = _pyblock
    env.filters["fit"] = _fit
    env.filters["docstring"] = docstring
    env.filters["closing"] = _closing_paragraph
    env.filters["tuple_of"] = _tuple_of
    return env


RUNTIME_API = 6
"""The runtime API the templates speak (`dynagen.runtime.internal.API_VERSION` must match)."""


def render_module(view: ModuleView) -> str:
    return explode_long_lines(
        normalize_quotes(environment().get_template("module.py.j2").render(m=view))
    )


def render_templated_module(view: TemplatedModuleView) -> str:
    """A single-table module: several entities with template keys (SPEC section 4)."""
    text = environment().get_template("single_table.py.j2").render(m=view)
    return explode_long_lines(normalize_quotes(text))


def render_package_init(modules: list[str], version: str) -> str:
    template = environment().get_template("package_init.py.j2")
    return normalize_quotes(template.render(modules=modules, version=version))
