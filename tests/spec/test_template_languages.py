"""The key-template languages and the decision procedure of the proof, against `interegular`, an
independent regular-expression intersection library, and Python's `re` for every witness.

Each template is also written as a regular expression by hand here (from SPEC.md's stored forms,
not from `dynagen.spec.templates`), so the two sides share nothing but the templates.
"""

from __future__ import annotations

import random
import re

import interegular
from hypothesis import given, settings
from hypothesis import strategies as st

from dynagen.spec import kinds
from dynagen.spec.model import Template, TemplatePart, TypeRef
from dynagen.spec.regular import Lit, ambiguity, meet
from dynagen.spec.templates import language, parse_template, prefixed, template_text

TEMPLATES = 80  # every pair of them: 80 * 79 / 2 = 3160 pairs
PAIRS = TEMPLATES * (TEMPLATES - 1) // 2  # the deciders must agree on each (test name says so)
ENUM_VALUES = ("a", "ab", "b1", "A-")
ENUMS = {"Code": ENUM_VALUES}
TYPES = {
    "s1": TypeRef(kinds.STRING),
    "s2": TypeRef(kinds.STRING),
    "n1": TypeRef(kinds.INT),
    "n2": TypeRef(kinds.INT),
    "e1": TypeRef(kinds.ENUM, name="Code"),
    "d1": TypeRef(kinds.DATE),
    "u1": TypeRef(kinds.UUID),
    "t1": TypeRef(kinds.DATETIME),
}
LITERAL_CHARS = "#a1-b"
ANY = "(?:[^#]|#)"  # every character, anything else included, in interegular's syntax too

YEAR = "(?:[1-9][0-9]{3}|0[1-9][0-9]{2}|00[1-9][0-9]|000[1-9])"
DATE = YEAR + "-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])"
DATETIME = DATE + "T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]\\.[0-9]{6}Z"
UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def as_regex(template: Template) -> str:
    """The template's keys as a regular expression, written from the stored forms."""
    out = []
    for index, piece in enumerate(template.pieces):
        if isinstance(piece, str):
            out.append(piece)  # LITERAL_CHARS need no escaping
            continue
        kind = TYPES[piece.attribute].kind
        if kind is kinds.INT:
            out.append(f"[0-9]{{{piece.width}}}")
        elif kind is kinds.ENUM:
            out.append("(?:" + "|".join(ENUM_VALUES) + ")")
        elif kind is kinds.DATE:
            out.append(DATE)
        elif kind is kinds.DATETIME:
            out.append(DATETIME)
        elif kind is kinds.UUID:
            out.append(UUID)
        else:
            after = template.pieces[index + 1] if index + 1 < len(template.pieces) else None
            out.append(f"[^{after[0]}]+" if isinstance(after, str) else f"{ANY}+")
    return "".join(out)


def random_template(rng: random.Random) -> Template:
    """A valid template: literals and parts, every string part followed by a literal or last."""
    pieces: list[str | TemplatePart] = []
    names = list(TYPES)
    rng.shuffle(names)
    for name in names[: rng.randint(0, 3)]:
        previous = pieces[-1] if pieces else None
        after_string = (
            isinstance(previous, TemplatePart) and TYPES[previous.attribute].kind is kinds.STRING
        )
        if after_string or (not isinstance(previous, str) and rng.random() < 0.6):
            pieces.append(_literal(rng))
        width = rng.randint(1, 3) if TYPES[name].kind is kinds.INT else None
        pieces.append(TemplatePart(name, width))
    if not pieces or (isinstance(pieces[-1], TemplatePart) and rng.random() < 0.5):
        pieces.append(_literal(rng))
    return Template(template_text(tuple(pieces)), tuple(pieces))


def _literal(rng: random.Random) -> str:
    return "".join(rng.choice(LITERAL_CHARS) for _ in range(rng.randint(1, 3)))


def _fsm(regex: str) -> interegular.FSM:
    return interegular.parse_pattern(regex).to_fsm()


def _meets(first: interegular.FSM, second: interegular.FSM) -> bool:
    """interegular's answer: whether the two languages share a string."""
    both: interegular.FSM = first & second
    return not both.empty()  # type: ignore[no-untyped-call]


def test_the_procedure_agrees_with_interegular_on_3160_template_pairs() -> None:
    rng = random.Random(20261201)
    templates = [random_template(rng) for _ in range(TEMPLATES)]
    languages = [language(template, TYPES, ENUMS) for template in templates]
    regexes = [as_regex(template) for template in templates]
    machines = [_fsm(regex) for regex in regexes]
    met = checked = 0
    for a in range(TEMPLATES):
        for b in range(a + 1, TEMPLATES):
            mine = meet(languages[a], languages[b])
            theirs = _meets(machines[a], machines[b])
            assert (mine is not None) == theirs, (templates[a].text, templates[b].text, mine)
            if mine is not None:
                met += 1
                assert re.fullmatch(regexes[a], mine) and re.fullmatch(regexes[b], mine), mine
            checked += 1
    assert checked == PAIRS == 3160
    assert 100 < met < PAIRS - 100, met  # both answers occur, often
    for a in range(0, TEMPLATES, 4):  # a query's reach: one template's prefix, then anything
        reach = _fsm(templates[a].prefix + ANY + "*")
        for b in range(TEMPLATES):
            mine = meet(prefixed(templates[a]), languages[b])
            assert (mine is not None) == _meets(reach, machines[b])


def test_every_ambiguity_witness_reads_two_ways() -> None:
    rng = random.Random(12)
    found = 0
    for _ in range(600):
        template = random_template(rng)
        result = ambiguity(language(template, TYPES, ENUMS))
        if result is None:
            continue
        found += 1
        assert result.first != result.second
        for tags in (result.first, result.second):
            values = {index: "" for index in range(len(template.pieces))}
            for char, tag in zip(result.text, tags):
                values[tag] += char
            for index, piece in enumerate(template.pieces):
                if isinstance(piece, str):
                    assert values[index] == piece
                else:
                    after = template.pieces[index + 1 : index + 2]
                    literal = after[0] if after and isinstance(after[0], str) else ""
                    pieces = (piece, literal) if literal else (piece,)
                    part = as_regex(Template("", pieces))
                    assert re.fullmatch(part, values[index] + literal), (template.text, values)
    assert found > 0  # enum values that prefix one another make some


def test_the_templates_of_spec_4_are_unambiguous_and_disjoint() -> None:
    types = {**TYPES, "customer_id": TypeRef(kinds.UUID), "order_no": TypeRef(kinds.INT)}
    order = parse_template("ORDER#{order_no:08}")[0]
    profile = parse_template("PROFILE")[0]
    assert order is not None and profile is not None
    assert ambiguity(language(order, types, ENUMS)) is None
    assert meet(language(order, types, ENUMS), language(profile, types, ENUMS)) is None
    assert meet(language(order, types, ENUMS), Lit("ORDER#00000042")) == "ORDER#00000042"
    assert meet(language(order, types, ENUMS), Lit("ORDER#42")) is None


# ---------------------------------------------------------------- parsing round trips

names = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,8}", fullmatch=True)
parts = st.builds(TemplatePart, names, st.one_of(st.none(), st.integers(1, 38)))
literals = st.text(min_size=1, max_size=6)


@st.composite
def piece_lists(draw: st.DrawFn) -> tuple[str | TemplatePart, ...]:
    pieces: list[str | TemplatePart] = []
    for _ in range(draw(st.integers(1, 6))):
        if pieces and isinstance(pieces[-1], str):
            pieces.append(draw(parts))
        else:
            pieces.append(draw(st.one_of(literals, parts)))
    return tuple(pieces)


@settings(max_examples=500, deadline=None)
@given(piece_lists())
def test_template_text_parses_back_into_its_pieces(pieces: tuple[str | TemplatePart, ...]) -> None:
    text = template_text(pieces)
    template, errors = parse_template(text)
    assert errors == [] and template is not None
    assert template.pieces == pieces and template.text == text
    assert template_text(template.pieces) == text


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="{}:0a8#", max_size=12) | st.text(max_size=12))
def test_any_text_parses_or_gives_positioned_errors(text: str) -> None:
    template, errors = parse_template(text)
    if template is None:
        assert errors and all(1 <= error.at <= max(len(text), 1) for error in errors)
    else:
        assert errors == [] and parse_template(template_text(template.pieces))[0] == template


def _small_values(template: Template, index: int) -> list[str]:
    """A few values of one part, as the key writes them: enough to make short collisions."""
    piece = template.pieces[index]
    assert isinstance(piece, TemplatePart)
    kind = TYPES[piece.attribute].kind
    if kind is kinds.INT:
        width = piece.width or 1
        return [str(n).zfill(width) for n in (0, 1, 10) if len(str(n)) <= width]
    if kind is kinds.ENUM:
        return list(ENUM_VALUES)
    after = template.pieces[index + 1] if index + 1 < len(template.pieces) else ""
    separator = after[0] if isinstance(after, str) and after else None
    alphabet = [c for c in "ab#1-A" if c != separator]
    return [x + y for x in alphabet for y in [""] + alphabet]


def test_every_collision_found_by_enumeration_is_an_ambiguity_the_procedure_reports() -> None:
    """Brute force over small values: two value tuples that render alike are an ambiguity."""
    rng = random.Random(7)
    collisions = 0
    for _ in range(1000):
        template = random_template(rng)
        if any(
            TYPES[p.attribute].kind in (kinds.DATE, kinds.DATETIME, kinds.UUID)
            for p in template.parts
        ):
            continue
        rendered: dict[str, tuple[str, ...]] = {}
        ambiguous = False
        slots = [i for i, piece in enumerate(template.pieces) if isinstance(piece, TemplatePart)]
        choices = [_small_values(template, i) for i in slots]
        for values in _product(choices):
            text = "".join(
                values[slots.index(i)] if i in slots else str(piece)
                for i, piece in enumerate(template.pieces)
            )
            if rendered.setdefault(text, values) != values:
                ambiguous = True
                break
        found = ambiguity(language(template, TYPES, ENUMS))
        if ambiguous:
            collisions += 1
            assert found is not None, template.text
    assert collisions >= 5, collisions  # 8 with this seed


def _product(choices: list[list[str]]) -> list[tuple[str, ...]]:
    combos: list[tuple[str, ...]] = [()]
    for options in choices:
        combos = [combo + (option,) for combo in combos for option in options]
    return combos
