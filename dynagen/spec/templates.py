"""Key templates: `CUSTOMER#{customer_id}` text -> literal and typed pieces, and back; and the
regular language each template's keys belong to, which the build-time proof decides with.

Each part's language is the set of strings its kind's stored form can take (SPEC.md sections 1
and 4): an int of width w is exactly w digits; a date is `YYYY-MM-DD`, a datetime
`YYYY-MM-DDTHH:MM:SS.ffffffZ` (months 01-12, days 01-31, hours 00-23, minutes and seconds 00-59,
years 0001-9999), a uuid its canonical lower-case form, an enum one of its values, and a string
any non-empty text without the literal character that follows it (any non-empty text at the end).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Mapping

from dynagen.spec import kinds
from dynagen.spec.model import Template, TemplatePart, TypeRef
from dynagen.spec.regular import ANY, DIGIT, Alt, Cat, Cls, Lit, Regex, Repeat, Tag, but, chars

PART_RE = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)(?::(.*))?\Z", re.DOTALL)
WIDTH_RE = re.compile(r"0([1-9][0-9]*)\Z")
MAX_WIDTH = 38  # DynamoDB numbers hold 38 digits; no int a key can take is wider
MAX_TEMPLATE_BYTES = 2048  # DynamoDB's largest key value (a partition key; a sort key is 1024)
TEMPLATE_KINDS = tuple(kind for kind in kinds.KINDS.values() if kind.template_part)


@dataclass(frozen=True)
class TemplateError:
    """A mistake in a template's text, at a character (1-based) of it."""

    at: int
    message: str


def parse_template(text: str) -> tuple[Template | None, list[TemplateError]]:
    """The pieces of a template's text: `{{`/`}}` are braces, `{name}` and `{name:0W}` parts."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_TEMPLATE_BYTES:
        return None, [
            TemplateError(1, f"a template is at most {MAX_TEMPLATE_BYTES} bytes, as a key is")
        ]
    pieces: list[str | TemplatePart] = []
    errors: list[TemplateError] = []
    literal = ""
    index = 0
    while index < len(text):
        char = text[index]
        if text.startswith("{{", index) or text.startswith("}}", index):
            literal += char
            index += 2
            continue
        if char == "}":
            errors.append(
                TemplateError(index + 1, "unbalanced '}' (write '}}' for a literal brace)")
            )
            index += 1
            continue
        if char != "{":
            literal += char
            index += 1
            continue
        end = text.find("}", index + 1)
        opener = text.find("{", index + 1)
        if end < 0 or 0 <= opener < end:
            errors.append(
                TemplateError(index + 1, "unbalanced '{' (write '{{' for a literal brace)")
            )
            index += 1
            continue
        part = _part(text[index + 1 : end], index + 1, errors)
        if part is not None:
            if literal:
                pieces.append(literal)
                literal = ""
            pieces.append(part)
        index = end + 1
    if literal:
        pieces.append(literal)
    if not text:
        errors.append(TemplateError(1, "a template must not be empty"))
    if errors:
        return None, errors
    return Template(text, tuple(pieces)), []


def _part(body: str, at: int, errors: list[TemplateError]) -> TemplatePart | None:
    match = PART_RE.match(body)
    if match is None:
        errors.append(
            TemplateError(
                at, f"'{{{body}}}' is not a part: write {{attribute}} or {{attribute:08}}"
            )
        )
        return None
    name, spec = match.group(1), match.group(2)
    if spec is None:
        return TemplatePart(name)
    width = WIDTH_RE.match(spec)
    if width is None or int(width.group(1)) > MAX_WIDTH:
        errors.append(
            TemplateError(
                at,
                f"'{{{body}}}': a width is 0 then 1-{MAX_WIDTH} digits of zero-padding, as in {{{name}:08}}",
            )
        )
        return None
    return TemplatePart(name, int(width.group(1)))


def template_text(pieces: tuple[str | TemplatePart, ...]) -> str:
    """The text that parses back into `pieces` (braces in literals doubled)."""
    out = []
    for piece in pieces:
        if isinstance(piece, TemplatePart):
            width = f":0{piece.width}" if piece.width is not None else ""
            out.append(f"{{{piece.attribute}{width}}}")
        else:
            out.append(piece.replace("{", "{{").replace("}", "}}"))
    return "".join(out)


def following(template: Template, part_index: int) -> str | None:
    """The literal character right after the piece at `part_index`, None when another part
    follows it, "" when it ends the template."""
    if part_index + 1 == len(template.pieces):
        return ""
    after = template.pieces[part_index + 1]
    return after[0] if isinstance(after, str) else None


# ------------------------------------------------------------------ languages


def _digits(count: int) -> Regex:
    return Cat(tuple(Cls(DIGIT) for _ in range(count)))


def _range(low: int, high: int) -> Regex:
    """Two-digit numbers from low to high, as text."""
    return Alt(tuple(Lit(f"{n:02}") for n in range(low, high + 1)))


_HEX = chars("0123456789abcdef")
_YEAR = Alt(
    (
        Cat((Cls(chars("123456789")), _digits(3))),
        Cat((Lit("0"), Cls(chars("123456789")), _digits(2))),
        Cat((Lit("00"), Cls(chars("123456789")), _digits(1))),
        Cat((Lit("000"), Cls(chars("123456789")))),
    )
)
DATE_LANGUAGE: Regex = Cat((_YEAR, Lit("-"), _range(1, 12), Lit("-"), _range(1, 31)))
DATETIME_LANGUAGE: Regex = Cat(
    (
        DATE_LANGUAGE,
        Lit("T"),
        _range(0, 23),
        Lit(":"),
        _range(0, 59),
        Lit(":"),
        _range(0, 59),
        Lit("."),
        _digits(6),
        Lit("Z"),
    )
)
UUID_LANGUAGE: Regex = Cat(
    tuple(
        item
        for group, count in enumerate((8, 4, 4, 4, 12))
        for item in ((Lit("-"),) if group else ()) + tuple(Cls(_HEX) for _ in range(count))
    )
)


def part_language(
    type_ref: TypeRef, part: TemplatePart, after: str | None, enums: Mapping[str, tuple[str, ...]]
) -> Regex:
    """The strings one part's values take in the key: see the module docstring."""
    kind = type_ref.kind
    if kind is kinds.INT:
        return _digits(part.width or 1)
    if kind is kinds.DATE:
        return DATE_LANGUAGE
    if kind is kinds.DATETIME:
        return DATETIME_LANGUAGE
    if kind is kinds.UUID:
        return UUID_LANGUAGE
    if kind is kinds.ENUM:
        return Alt(tuple(Lit(value) for value in enums[type_ref.name or ""]))
    return Repeat(Cls(but(after) if after else ANY))


def language(
    template: Template, types: Mapping[str, TypeRef], enums: Mapping[str, tuple[str, ...]]
) -> Regex:
    """The template's keys: each piece tagged with its index in `template.pieces`."""
    items: list[Regex] = []
    for index, piece in enumerate(template.pieces):
        if isinstance(piece, str):
            items.append(Tag(index, Lit(piece)))
        else:
            after = following(template, index)
            items.append(Tag(index, part_language(types[piece.attribute], piece, after, enums)))
    return Cat(tuple(items))


def prefixed(template: Template) -> Regex:
    """Every string that begins with the template's literal prefix: what a query of it reads."""
    return Cat((Lit(template.prefix), Repeat(Cls(ANY), at_least=0)))
