"""black on only the parts of a module that need it.

black costs ~0.2 ms a line and a cold build of many specs is almost all black. The templates
render black's fixed point for their common layouts, so most of a module needs no formatting at
all. Here a rendered module is cut into chunks (each top-level statement; inside a top-level
class, each statement of its body, decorators and leading comments with the statement they
precede, the class line with its docstring); a chunk that `is_stable` vouches for is kept as it
is and any other is formatted by black on its own, dedented, with the line length less its
indent. Where a chunk cannot be formatted on its own (the cut fell inside a statement), the whole
module goes through black. `DYNAGEN_BLACK=always` formats every module whole, as before.

The result is black's output for the whole module: tests/codegen/test_chunked_format.py holds
that on every spec the project has and on random specs.
"""

from __future__ import annotations

import concurrent.futures
import functools
import gc
import os
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from black.mode import Mode


__all__ = [
    "BLACK_ENV",
    "LINE_LENGTH",
    "Chunk",
    "Formatter",
    "Made",
    "black_always",
    "black_format",
    "black_version",
    "format_module",
    "format_python",
    "is_stable",
    "split_chunks",
]

JOBS_ENV = "DYNAGEN_JOBS"
POOL_FROM = 8
"""Modules to format from which black runs in worker processes (below, a pool costs more than it saves)."""


LINE_LENGTH = 100
"""black's line length for generated modules."""


@functools.lru_cache(maxsize=8)
def _mode(line_length: int = LINE_LENGTH) -> Mode:
    from black.mode import Mode, TargetVersion

    return Mode(target_versions={TargetVersion.PY310}, line_length=line_length)


def black_version() -> str:
    import black

    return str(getattr(black, "__version__"))


def black_format(source: str, *, line_length: int = LINE_LENGTH) -> str:
    """black's output for `source` (black's `InvalidInput` when it is not Python).

    black is imported here, not with the module, so a build that formats nothing never loads
    it. The garbage collector is off meanwhile: black allocates many small objects that are
    all freed when it returns, and a fifth of its time went to collections that find nothing.
    """
    import black

    enabled = gc.isenabled()
    gc.disable()
    try:
        return black.format_str(source, mode=_mode(line_length))
    finally:
        if enabled:
            gc.enable()


def format_python(source: str, *, name: str) -> str:
    """A whole module through black; a failure here is a generator bug, so say which file."""
    from black.parsing import InvalidInput

    try:
        return black_format(source)
    except InvalidInput as exc:  # pragma: no cover - would be a template bug
        raise RuntimeError(f"dynagen produced invalid Python for {name}: {exc}") from exc


def _jobs() -> int:
    """Worker processes for formatting: `DYNAGEN_JOBS`, else one per CPU available to us."""
    text = os.environ.get(JOBS_ENV, "").strip()
    if text:
        try:
            return max(1, int(text))
        except ValueError:
            raise SystemExit(f"dynagen: {JOBS_ENV} must be a whole number, not {text!r}") from None
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on every platform
        return os.cpu_count() or 1


Made = tuple[str, str]
"""One module's (rendered hash, formatted text), what a `Formatter` job returns."""


class Formatter:
    """Runs each module's job (format it; or render and format it) as it is handed in: in this
    process for a few, in a process pool (one worker per CPU) for many, so that a cold build of
    many specs renders and formats on every core."""

    def __init__(self, expected: int) -> None:
        jobs = min(_jobs(), expected)
        self._pool = (
            concurrent.futures.ProcessPoolExecutor(max_workers=jobs)
            if jobs > 1 and expected >= POOL_FROM
            else None
        )
        self._done: dict[str, concurrent.futures.Future[Made] | Made] = {}

    def submit(self, name: str, job: Callable[..., Made], *args: object) -> None:
        """`job(*args)` for module `name`; a job a worker runs must be a module-level function."""
        if self._pool is None:
            self._done[name] = job(*args)
        else:
            self._done[name] = self._pool.submit(job, *args)

    def results(self) -> dict[str, Made]:
        try:
            return {
                name: value if isinstance(value, tuple) else value.result()
                for name, value in self._done.items()
            }
        finally:
            if self._pool is not None:
                self._pool.shutdown(cancel_futures=True)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)


BLACK_ENV = "DYNAGEN_BLACK"
"""`DYNAGEN_BLACK=always` runs black over every module whole; `auto` (or unset) formats by chunk."""

_PLAIN = re.compile(r"[ -~\n]*")  # printable ASCII and newlines: nothing black measures or rewrites
_TRIPLE = '"""'
_SPACING = re.compile(r"[(\[{] | [)\]},]|\S  +[^ #]")  # spaces black would take out
_CLOSERS = (")", "]", "}")


def black_always() -> bool:
    """Whether `DYNAGEN_BLACK=always` asks for black on every module (any other value: an error)."""
    text = os.environ.get(BLACK_ENV, "").strip()
    if text in ("", "auto"):
        return False
    if text == "always":
        return True
    raise SystemExit(f"dynagen: {BLACK_ENV} must be 'always' or 'auto', not {text!r}")


@dataclass(frozen=True)
class Chunk:
    """Consecutive lines of a module: `blank` blank lines, then `lines` (the first not blank),
    all indented by at least `indent` spaces."""

    blank: int
    lines: tuple[str, ...]
    indent: int

    def text(self) -> str:
        return "".join(line + "\n" for line in self.lines)

    @property
    def head(self) -> str:
        """What the chunk is, as black's blank-line rules see it: def, class, import, docstring,
        comment (comments only) or statement; decorators and leading comments looked past."""
        for line in self.lines:
            stripped = line.lstrip(" ")
            if stripped.startswith(("@", "#")):
                continue
            if stripped.startswith(("def ", "async def ")):
                return "def"
            if stripped.startswith("class "):
                return "class"
            if stripped.startswith(("import ", "from ")):
                return "import"
            return "docstring" if stripped.startswith(_TRIPLE) else "statement"
        return "comment"

    @property
    def leading_comment(self) -> bool:
        return self.lines[0].lstrip(" ").startswith("#")

    @property
    def stub(self) -> bool:
        """A `def ...: ...` with nothing else: black lets the next def follow it without a blank line."""
        last = self.lines[-1]
        return self.head == "def" and last.endswith(": ...") and _indent_of(last) == self.indent

    @property
    def docstring_after_class(self) -> bool:
        """A class line followed by its docstring (black puts one blank line after it)."""
        return self.head == "class" and any(
            line.startswith(" " * (self.indent + 4) + _TRIPLE) for line in self.lines[1:]
        )


def _indent_of(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def split_chunks(text: str) -> list[Chunk]:
    """The module's chunks, in order; joining them back (blank lines included) gives `text`.

    A chunk starts at a line with no indent, or with 4 inside a top-level class, unless the line
    before it is a decorator or a comment (they belong to what they precede), the line is a
    closing bracket or a docstring (it stays with what it documents), or it is inside a
    triple-quoted string. The cut is by lines, not by a parse: a wrong cut only costs a fallback
    (`format_module`).
    """
    chunks: list[Chunk] = []
    current: list[str] = []
    indent = blank = pending = 0
    in_class = in_string = attached = last_is_comment = False
    for line in text.split("\n")[:-1] if text.endswith("\n") else text.split("\n"):
        stripped = line.lstrip(" ")
        if not stripped:
            pending += 1
            attached = attached and not last_is_comment  # a comment set apart stands alone
            continue
        level = len(line) - len(stripped)
        starts = not in_string and not attached and not stripped.startswith(_CLOSERS)
        # a docstring stays with what it documents (a class, or an attribute: black strips an
        # attribute's docstring as it does a class's, but a string alone would be a module's)
        starts = (
            starts
            and not stripped.startswith(_TRIPLE)
            and (level == 0 or (level == 4 and in_class))
        )
        if starts and current:
            chunks.append(Chunk(blank, tuple(current), indent))
            current = []
        if not current:
            blank, indent = pending, level
        else:
            current.extend([""] * pending)
        pending = 0
        current.append(line)
        if level == 0 and not in_string:
            in_class = stripped.startswith("class ")  # a decorator's class says so on its line
        if line.count(_TRIPLE) % 2 == 1:
            in_string = not in_string
        attached = not in_string and stripped.startswith(("@", "#"))
        last_is_comment = attached and stripped.startswith("#")
    if current:
        chunks.append(Chunk(blank, tuple(current), indent))
    return chunks


def _plain_edges(text: str) -> bool:
    """Docstring text black leaves as it is at an edge: no space, quote or backslash there."""
    return bool(text) and text[0] not in ' "' and text[-1] not in ' "\\'


def is_stable(text: str) -> bool:
    """Whether `text` is certainly black's fixed point, judged cheaply line by line; False when in doubt.

    It holds when the templates' layout rules hold (every bracket that may not fit is exploded
    with a magic trailing comma, docstrings come from the `docstring` filter) and the values put
    in them are tame: printable ASCII only (no tabs, no other whitespace, nothing whose width
    black would measure differently), no trailing whitespace, every code line at most 100
    columns, and every triple-quoted string a statement of its own lines in black's docstring
    form (stripped edges, continuation lines indented exactly as its opening line). Only a
    docstring's text may run past 100 columns, which black never wraps.
    """
    if _PLAIN.fullmatch(text) is None or not text.endswith("\n") or text.endswith("\n\n"):
        return False
    opened: str | None = None  # the indent of the docstring we are inside, if any
    body: list[str] = []
    brackets = _Exploded()
    for line in text.split("\n")[:-1]:
        if line.endswith(" "):
            return False
        if opened is not None:
            if _TRIPLE not in line:
                body.append(line)
                continue
            if not _closes_docstring(line, opened, body):
                return False
            opened, body = None, []
            continue
        if _TRIPLE not in line:
            if len(line) > LINE_LENGTH or "'" in line or _SPACING.search(line.lstrip(" ")):
                return False
            if not brackets.take(line):
                return False
            continue
        if brackets.open:
            return False
        stripped = line.lstrip(" ")
        if not stripped.startswith(_TRIPLE):
            return False
        rest = stripped[len(_TRIPLE) :]
        if rest.endswith(_TRIPLE) and rest.count(_TRIPLE) == 1:  # one line: only stripped edges
            if not _plain_edges(rest[: -len(_TRIPLE)]):
                return False
            continue
        if _TRIPLE in rest or not _plain_edges(rest):
            return False
        opened = line[: len(line) - len(stripped)]
    return opened is None and not brackets.open


class _Exploded:
    """Brackets split over lines as black leaves them, judged as each one closes (at the opener's
    indent, no blank line inside):

    - a trailing comma before the closer that black keeps (a magic one: not that of a one-item
      tuple or subscript), items one a line 4 further in;
    - otherwise black's own splits, which it makes only when the joined line does not fit: one
      line inside (the right-hand split), or lines split at their operators (`for`, `if`, `and`)
      when even the inside does not fit on one line.
    """

    def __init__(self) -> None:
        self._lines: list[str] = []
        # per open bracket: (its opener's line, whether a lone comma in it is magic, its items)
        self._stack: list[tuple[int, bool, int]] = []

    @property
    def open(self) -> bool:
        return bool(self._stack)

    def take(self, line: str) -> bool:
        """Follow one code line; False when black would lay it out otherwise."""
        lines = self._lines
        lines.append(line)
        if not line:
            return not self._stack
        indent = _indent_of(line)
        if line[indent] in _CLOSERS:
            if not self._stack or _indent_of(lines[self._stack[-1][0]]) != indent:
                return False
            at, magic_alone, items = self._stack.pop()
            if lines[-2].endswith(","):
                if items == 1 and not magic_alone:
                    return False
            else:
                inside = _joined(lines[at + 1 : -1])
                if len(lines[at]) + len(inside) + len(line.strip()) <= LINE_LENGTH:
                    return False  # black would join it up
                if items > 1 and indent + 4 + len(inside) <= LINE_LENGTH:
                    return False  # black would put the inside on one line
        elif self._stack and indent == _indent_of(lines[self._stack[-1][0]]) + 4:
            at, magic_alone, items = self._stack[-1]
            self._stack[-1] = (at, magic_alone, items + 1)
        if line.endswith(("(", "[", "{")):
            before = line[-2:-1]
            call = line.endswith("(") and (before.isalnum() or before in "_)]")
            self._stack.append((len(lines) - 1, call or line.endswith("{"), 0))
        return True


def _joined(lines: list[str]) -> str:
    """Lines as black would join them: a space between, none after an opener or before a closer."""
    text = ""
    for line in lines:
        part = line.strip()
        if text and not text.endswith(("(", "[", "{")) and not part.startswith(_CLOSERS):
            text += " "
        text += part
    return text


def _closes_docstring(line: str, opened: str, body: list[str]) -> bool:
    """The closing line of a multi-line docstring, and the lines before it, in black's form."""
    if not line.endswith(_TRIPLE) or line.count(_TRIPLE) != 1:
        return False
    last = line[: -len(_TRIPLE)]
    if len(line) > LINE_LENGTH or last.endswith(("\\", '"')):
        return False
    texts = [part for part in body if part]
    if last != opened:  # text before the closing quotes: a line like the others
        texts.append(last)
    if not texts:  # black would drop the lines after the first
        return False
    if any(not part.startswith(opened) or part.endswith("\\") for part in texts):
        return False
    return min(_indent_of(part) for part in texts) == len(opened)


def _format_chunk(chunk: Chunk) -> str | None:
    """black's layout of one chunk, at its indent; None when it is not a whole statement."""
    from black.parsing import InvalidInput

    pad = " " * chunk.indent
    if any(line and not line.startswith(pad) for line in chunk.lines):
        return None
    source = "".join(line[chunk.indent :] + "\n" for line in chunk.lines)
    try:
        formatted = black_format(source, line_length=LINE_LENGTH - chunk.indent)
    except InvalidInput:
        return None
    return "".join(pad + line + "\n" if line else "\n" for line in formatted.split("\n")[:-1])


def _blank_lines(chunk: Chunk, before: Chunk | None, top: Chunk | None, first: bool) -> int | None:
    """black's count of blank lines in front of `chunk`, or None where these rules do not reach.

    `before` is the chunk just above, `top` the last chunk with no indent above it, `first`
    whether everything above is one module docstring. These are the cases of black's
    `EmptyLineTracker` (lines.py) that chunks of generated code meet; anything else (a chunk
    with neither 0 nor 4 spaces of indent, a class whose body opens with a statement after a
    blank line) is None and the module goes through black whole.
    """
    user = min(chunk.blank, 2 if chunk.indent == 0 else 1)
    if before is None:
        return 0
    defines = chunk.head in ("def", "class")
    if chunk.indent == 0:
        if defines:  # decorators, comments and all: two lines, or none after a stub
            return 0 if before.stub and user == 0 and not chunk.leading_comment else 2
        if top is not None and top.head in ("def", "class"):
            return 2  # the first statement after a function or class
        if first:
            return 1  # black always leaves one line after the module docstring
        if before.head == "import" and chunk.head != "import":
            return 1
        return user
    if chunk.indent != 4:
        return None
    if before.indent == 0:  # the first statement of a class body
        if before.docstring_after_class:
            return 1
        if defines and not chunk.leading_comment:
            return user
        return 0 if user == 0 else None
    if defines and not chunk.leading_comment and before.stub:
        return user
    if defines or before.head in ("def", "class"):
        return 1
    return user


def format_module(source: str, *, name: str) -> str:
    """black's output for the module `source`, running black only on chunks that need it."""
    if black_always():
        return format_python(source, name=name)
    parts: list[str] = []
    before: Chunk | None = None
    top: Chunk | None = None
    for chunk in split_chunks(source):
        blank = _blank_lines(
            chunk,
            before,
            top,
            first=len(parts) == 1 and before is not None and before.head == "docstring",
        )
        text = chunk.text()
        if not is_stable(text):
            formatted = _format_chunk(chunk)
            if formatted is None:
                blank = None
            text = formatted or ""
        if blank is None:
            return format_python(source, name=name)
        parts.append("\n" * blank + text)
        before = chunk
        top = chunk if chunk.indent == 0 else top
    return "".join(parts)
