"""dynagen.runtime.datetimes: each stored format writes exactly its form and reads only that."""

from __future__ import annotations

import datetime

import pytest

from dynagen import runtime as rt
from dynagen.runtime import datetimes
from dynagen.spec import kinds

UTC = datetime.timezone.utc
AT = datetime.datetime(2015, 9, 15, 19, 58, 22, 947000, tzinfo=UTC)
PLUS_NINE = datetime.timezone(datetime.timedelta(hours=9))

FORMS = {
    "dynagen": ("S", "2015-09-15T19:58:22.947000Z"),
    "iso_millis": ("S", "2015-09-15T19:58:22.947Z"),
    "pynamodb": ("S", "2015-09-15T19:58:22.947000+0000"),
    "epoch_seconds": ("N", None),
    "epoch_millis": ("N", "1442347102947"),
}


def test_the_spec_and_the_runtime_name_the_same_formats_with_the_same_wire_types() -> None:
    assert list(datetimes.FORMATS) == list(kinds.DATETIME_FORMATS) == list(FORMS)
    for name, form in datetimes.FORMATS.items():
        facts = kinds.DATETIME_FORMATS[name]
        assert form.wire == facts.wire == FORMS[name][0]
        if name != "dynagen":  # generated code names the instance by the constant
            assert getattr(datetimes, facts.constant) is form
        assert form.decode(form.encode(AT.replace(microsecond=0), "x")) == AT.replace(microsecond=0)


@pytest.mark.parametrize("name", [n for n, (_, text) in FORMS.items() if text])
def test_each_format_writes_its_own_form_in_utc_from_any_zone(name: str) -> None:
    form = datetimes.FORMATS[name]
    text = FORMS[name][1]
    assert form.encode(AT, "x") == form.encode(AT.astimezone(PLUS_NINE), "x") == text
    assert form.decode(text) == AT and form.decode(text).tzinfo is UTC


def test_pynamodb_reads_its_own_sample() -> None:
    assert datetimes.PYNAMODB.decode("2014-02-03T23:58:10.963333+0000") == datetime.datetime(
        2014, 2, 3, 23, 58, 10, 963333, tzinfo=UTC
    )
    assert datetimes.EPOCH_SECONDS.decode("-1") == datetime.datetime(
        1969, 12, 31, 23, 59, 59, tzinfo=UTC
    )


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("iso_millis", "2015-09-15T19:58:22.947+00:00"),
        ("iso_millis", "2015-09-15T19:58:22.9470Z"),
        ("iso_millis", "2015-09-15 19:58:22.947Z"),
        ("iso_millis", "2015-09-15T19:58:22.947000Z"),
        ("pynamodb", "2015-09-15T19:58:22.947000+0100"),
        ("pynamodb", "2015-09-15T19:58:22.947Z"),
        ("epoch_seconds", "1.5"),
        ("epoch_seconds", "1E+3"),
        ("epoch_seconds", "+1"),
        ("epoch_millis", "0123"),
        ("epoch_millis", "١٢"),
        ("dynagen", "2015-09-15T19:58:22.947Z"),
    ],
)
def test_a_format_never_guesses_another_form(name: str, text: str) -> None:
    with pytest.raises(ValueError, match=f"format {name}" if name != "dynagen" else "stored form"):
        datetimes.FORMATS[name].decode(text)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("iso_millis", AT.replace(microsecond=947001)),
        ("epoch_seconds", AT),
        ("epoch_millis", AT.replace(microsecond=1)),
    ],
)
def test_a_value_finer_than_the_form_is_refused_not_rounded(
    name: str, value: datetime.datetime
) -> None:
    with pytest.raises(rt.ValidationError, match=f"^when: .* finer than format {name}"):
        datetimes.FORMATS[name].encode(value, "when")


@pytest.mark.parametrize("value", [datetime.datetime(2015, 9, 15), "2015-09-15", 1442347102])
def test_naive_datetimes_and_other_types_are_refused(value: object) -> None:
    for form in datetimes.FORMATS.values():
        with pytest.raises(rt.ValidationError, match="^when: "):
            form.encode(value, "when")  # type: ignore[arg-type]
