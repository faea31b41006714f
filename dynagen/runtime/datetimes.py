"""Datetime stored formats, one class per format: its wire type, its encoding, its strict decoding.

A `datetime` attribute is stored in dynagen's own form unless its spec says `format:`, for a
table another tool wrote: ISO 8601 with milliseconds and `Z` (the AWS samples'), PynamoDB's
`+0000` form, or epoch seconds or milliseconds as N. The format is declared, never guessed: a
read takes exactly its form (so `get(pk, t)` builds the very key another tool wrote, and `put` of
an item just read writes the same text back), and a write refuses a value its form cannot hold
exactly (sub-millisecond digits in `iso_millis`) instead of rounding it. The spec's side of each
format (name, wire type) is `dynagen.spec.kinds.DATETIME_FORMATS`; a test holds them equal.
"""

from __future__ import annotations

import datetime
from typing import ClassVar, Literal

from dynagen.runtime import codec
from dynagen.runtime.errors import ValidationError

_UTC = datetime.timezone.utc
_EPOCH = datetime.datetime(1970, 1, 1)


def _utc(value: datetime.datetime, name: str) -> datetime.datetime:
    """The value as a naive UTC datetime, with codec's checks (aware, a real datetime, in range)."""
    return datetime.datetime.fromisoformat(codec.datetime_text(value, name)[:-1])


class DatetimeFormat:
    """One stored form of a datetime: `encode` an aware datetime to wire text (or refuse it,
    naming the attribute), `decode` wire text in exactly this form to an aware UTC datetime."""

    name: ClassVar[str]
    wire: ClassVar[Literal["S", "N"]]
    form: ClassVar[str]  # how the text looks, for messages
    unit: ClassVar[datetime.timedelta] = datetime.timedelta(microseconds=1)  # what it keeps

    def encode(self, value: datetime.datetime, name: str) -> str:
        moment = _utc(value, name)
        if (moment - _EPOCH) % self.unit:
            raise ValidationError(
                f"{name}: {value.isoformat()} is finer than format {self.name} stores "
                f"({self.form}); round it first (nothing is rounded silently)"
            )
        return self.text(moment)

    def text(self, moment: datetime.datetime) -> str:
        """The wire text of a naive UTC datetime that fits the unit."""
        raise NotImplementedError

    def decode(self, text: str) -> datetime.datetime:
        """Exactly this form, else ValueError saying which form was expected."""
        try:
            moment = self.parse(text)
        except (ValueError, TypeError, OverflowError):
            moment = None
        if moment is None or self.text(moment) != text:
            raise ValueError(f"not in the stored form {self.form} of format {self.name}")
        return moment.replace(tzinfo=_UTC)

    def parse(self, text: str) -> datetime.datetime:
        """A naive UTC datetime from text that looks like this form (decode checks it exactly)."""
        raise NotImplementedError

    def __repr__(self) -> str:
        return self.name.upper()


class Dynagen(DatetimeFormat):
    """dynagen's own: UTC, fixed width, microseconds, so text order is time order."""

    name = "dynagen"
    wire = "S"
    form = "YYYY-MM-DDTHH:MM:SS.ffffffZ"

    def encode(self, value: datetime.datetime, name: str) -> str:
        return codec.datetime_text(value, name)

    def decode(self, text: str) -> datetime.datetime:
        return codec.read_datetime(text)


class IsoMillis(DatetimeFormat):
    """ISO 8601 in UTC with milliseconds and `Z`: `2015-09-15T19:58:22.947Z` (JavaScript's
    `toISOString()`, the DynamoDB Developer Guide's samples). Fixed width: text order is time order.
    """

    name = "iso_millis"
    wire = "S"
    form = "YYYY-MM-DDTHH:MM:SS.mmmZ"
    unit = datetime.timedelta(milliseconds=1)

    def text(self, moment: datetime.datetime) -> str:
        return moment.isoformat(timespec="milliseconds") + "Z"

    def parse(self, text: str) -> datetime.datetime:
        if type(text) is not str or len(text) != 24 or text[-1] != "Z":
            raise ValueError(text)
        return datetime.datetime.fromisoformat(text[:-1])


class Pynamodb(DatetimeFormat):
    """PynamoDB's UTCDateTimeAttribute: `2014-02-03T23:58:10.963333+0000`, always UTC."""

    name = "pynamodb"
    wire = "S"
    form = "YYYY-MM-DDTHH:MM:SS.ffffff+0000"

    def text(self, moment: datetime.datetime) -> str:
        return moment.isoformat(timespec="microseconds") + "+0000"

    def parse(self, text: str) -> datetime.datetime:
        if type(text) is not str or len(text) != 31 or not text.endswith("+0000"):
            raise ValueError(text)
        return datetime.datetime.fromisoformat(text[:-5])


class _Epoch(DatetimeFormat):
    """Whole units since 1970-01-01T00:00:00Z, as N."""

    wire = "N"

    def text(self, moment: datetime.datetime) -> str:
        return str((moment - _EPOCH) // self.unit)

    def parse(self, text: str) -> datetime.datetime:
        if type(text) is not str or not text.lstrip("-").isdigit() or not text.isascii():
            raise ValueError(text)
        return _EPOCH + int(text) * self.unit


class EpochSeconds(_Epoch):
    name = "epoch_seconds"
    form = "whole seconds since 1970 (N)"
    unit = datetime.timedelta(seconds=1)


class EpochMillis(_Epoch):
    name = "epoch_millis"
    form = "whole milliseconds since 1970 (N)"
    unit = datetime.timedelta(milliseconds=1)


DYNAGEN = Dynagen()
ISO_MILLIS = IsoMillis()
PYNAMODB = Pynamodb()
EPOCH_SECONDS = EpochSeconds()
EPOCH_MILLIS = EpochMillis()

FORMATS: dict[str, DatetimeFormat] = {
    f.name: f for f in (DYNAGEN, ISO_MILLIS, PYNAMODB, EPOCH_SECONDS, EPOCH_MILLIS)
}
"""Every format by its spec name (`format: iso_millis`)."""
