"""The stamp line under a generated file's header: what it was made from, what was formatted, and
what was written.

Line 2 of every generated `.py` file is

    # dynagen-stamp: input=<hash> rendered=<hash> body=<hash>

`input` hashes what the file was generated from: the spec's path as named in the header, its text
(line ends normalised), and the generator's identity (identity.py); for `__init__.py`, the list
of modules instead of a spec. A build or `check` that finds a file whose stamp has its spec's
input hash, and whose body still matches, keeps it without loading, validating or rendering the
spec, even on a machine that never built it. `rendered` hashes the dynagen and black versions and
the text the templates rendered (before black), so a spec whose rendering has not changed keeps
the formatted file instead of running black again. `body` seals the file as written: its name,
its text less this line, and the other two hashes, so a hand-edited, renamed or re-stamped file
no longer matches its own stamp and is regenerated (and reported by `dynagen check`). All three
are functions of the inputs alone: the same generator gives the same stamp on every machine and
in every checkout.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, fields

STAMP_PREFIX = "# dynagen-stamp: "
_HASH_CHARS = 24  # 96 bits of sha256: a collision by chance is out of reach


def _digest(*parts: str | bytes) -> str:
    hasher = hashlib.sha256()
    for part in parts:
        data = part if isinstance(part, bytes) else part.encode("utf-8", "surrogatepass")
        hasher.update(len(data).to_bytes(8, "big"))  # length-prefixed: parts cannot run together
        hasher.update(data)
    return hasher.hexdigest()[:_HASH_CHARS]


def input_hash(identity: str, source: str, data: bytes) -> str:
    """What a module is made from: its spec's path (as the header names it) and bytes, and the
    generator. CRLF and CR read as LF, as the spec loader reads them, so a checkout that converts
    line ends gives the same stamp."""
    text = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    return _digest("input", identity, source, text)


def package_input_hash(identity: str, modules: list[str]) -> str:
    """What `__init__.py` is made from: the generator and the modules it lists."""
    return _digest("package", identity, *modules)


def rendered_hash(rendered: str, *, dynagen_version: str, black_version: str) -> str:
    """What black is given, and by which versions: equal hashes give equal formatted text."""
    return _digest("rendered", dynagen_version, black_version, rendered)


def _body_hash(name: str, header: str, input: str, rendered: str, rest: str) -> str:
    return _digest("body", name, header, input, rendered, rest)


@dataclass(frozen=True)
class Stamp:
    """Line 2 of a generated file, its fields written in this order as `name=<hash>` (what each
    hashes: the module docstring)."""

    input: str
    rendered: str
    body: str

    def line(self) -> str:
        return STAMP_PREFIX + " ".join(f"{f.name}={getattr(self, f.name)}" for f in fields(self))


def _split(text: str) -> tuple[str, str, str] | None:
    """(first line, second line, rest) with their line ends, or None for fewer than two lines."""
    first_end = text.find("\n")
    if first_end < 0:
        return None
    second_end = text.find("\n", first_end + 1)
    if second_end < 0:
        return None
    return text[: first_end + 1], text[first_end + 1 : second_end], text[second_end + 1 :]


def stamped(formatted: str, *, name: str, input: str, rendered: str) -> str:
    """Black's output, to be written as `name`, with the stamp inserted as line 2 (under the
    `# Code generated` header).

    A comment line between the header comment and the docstring is left alone by black, so the
    stamped text is still exactly black's (tests/codegen/test_black_stable.py holds that).
    """
    first_end = formatted.index("\n") + 1
    header, rest = formatted[:first_end], formatted[first_end:]
    stamp = Stamp(input, rendered, _body_hash(name, header, input, rendered, rest))
    return f"{header}{stamp.line()}\n{rest}"


def restamped(text: str, *, name: str, input: str) -> str:
    """A file whose stamp holds, with another input hash: what a build writes when the spec or the
    generator changed but the rendering did not (only line 2 changes)."""
    parts = _split(text)
    held = read_stamp(text, name)
    assert parts is not None and held is not None, "restamped takes a file whose stamp holds"
    header, _, rest = parts
    return stamped(header + rest, name=name, input=input, rendered=held.rendered)


def read_stamp(text: str, name: str) -> Stamp | None:
    """The stamp of the generated file `name`, if it has one and the file is what the stamp says
    was written under that name; None for a file without a stamp, with a broken one, renamed or
    edited since."""
    parts = _split(text)
    if parts is None:
        return None
    header, line, rest = parts
    if not line.startswith(STAMP_PREFIX):
        return None
    found = dict(
        item.partition("=")[::2] for item in line[len(STAMP_PREFIX) :].split(" ") if "=" in item
    )
    values = [found.get(field.name, "") for field in fields(Stamp)]
    if any(len(value) != _HASH_CHARS for value in values):
        return None
    stamp = Stamp(*values)
    if stamp.line() != line or stamp.body != _body_hash(name, header, values[0], values[1], rest):
        return None
    return stamp
