"""The stamp line under a generated file's header: what was formatted, and what was written.

Line 2 of every generated `.py` file is

    # dynagen-stamp: rendered=<hash> body=<hash>

`rendered` hashes the dynagen and black versions and the text the templates rendered (before
black), so a build whose rendering has not changed can keep the formatted file instead of running
black again. `body` hashes the file as written, less this line, so a hand-edited file no longer
matches its own stamp and is regenerated (and reported by `dynagen check`). Both are functions of
the output alone: the same generator gives the same stamp on every machine.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

STAMP_PREFIX = "# dynagen-stamp: "
_HASH_CHARS = 24  # 96 bits of sha256: a collision by chance is out of reach


def _digest(*parts: str) -> str:
    hasher = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogatepass")
        hasher.update(len(data).to_bytes(8, "big"))  # length-prefixed: parts cannot run together
        hasher.update(data)
    return hasher.hexdigest()[:_HASH_CHARS]


def rendered_hash(rendered: str, *, dynagen_version: str, black_version: str) -> str:
    """What black is given, and by which versions: equal hashes give equal formatted text."""
    return _digest("rendered", dynagen_version, black_version, rendered)


@dataclass(frozen=True)
class Stamp:
    rendered: str
    body: str

    def line(self) -> str:
        return f"{STAMP_PREFIX}rendered={self.rendered} body={self.body}"


def _split(text: str) -> tuple[str, str, str] | None:
    """(first line, second line, rest) with their line ends, or None for fewer than two lines."""
    first_end = text.find("\n")
    if first_end < 0:
        return None
    second_end = text.find("\n", first_end + 1)
    if second_end < 0:
        return None
    return text[: first_end + 1], text[first_end + 1 : second_end], text[second_end + 1 :]


def stamped(formatted: str, rendered: str) -> str:
    """Black's output with the stamp inserted as line 2 (under the `# Code generated` header).

    A comment line between the header comment and the docstring is left alone by black, so the
    stamped text is still exactly black's (tests/codegen/test_black_stable.py holds that).
    """
    first_end = formatted.index("\n") + 1
    header, rest = formatted[:first_end], formatted[first_end:]
    stamp = Stamp(rendered, _digest("body", header, rest))
    return f"{header}{stamp.line()}\n{rest}"


def read_stamp(text: str) -> Stamp | None:
    """The stamp of a generated file, if it has one and the file is what the stamp says was
    written; None for a file without a stamp, with a broken one, or edited since."""
    parts = _split(text)
    if parts is None:
        return None
    header, line, rest = parts
    if not line.startswith(STAMP_PREFIX):
        return None
    fields = dict(
        item.partition("=")[::2] for item in line[len(STAMP_PREFIX) :].split(" ") if "=" in item
    )
    rendered, body = fields.get("rendered", ""), fields.get("body", "")
    if len(rendered) != _HASH_CHARS or body != _digest("body", header, rest):
        return None
    return Stamp(rendered, body)
