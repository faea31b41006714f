"""The representative item and every way of turning it into DynamoDB's wire form and back.

One item of fifteen attributes (string keys, int, decimal, bool, datetime, TTL, list of strings,
map, string set, number set, bytes, an optional attribute left None, a nested record, version),
in the shapes each competitor works with:

- generated: `BenchItem` with `marshal_bench_item` / `unmarshal_bench_item` (benchmarks/generated);
- hand-written: a dict-literal pair for exactly this shape, the practical limit in pure Python;
- boto3 on a plain dict: `TypeSerializer` / `TypeDeserializer` on values already in the types
  boto3 wants (str datetimes, int TTL), their fastest path;
- boto3 from/to the dataclass: `dataclasses.asdict` plus the fix-ups a user has to write
  (ISO strings, epoch seconds, dropping None and empty sets; back: Decimal -> int, Binary ->
  bytes, strings -> datetimes, dict -> Address);
- PynamoDB: a `Model` with custom attributes where PynamoDB has no matching one (Decimal, and a
  datetime stored in the same text form), `serialize()` / `from_raw_data()`.

`check_equivalence` asserts, before anything is timed, that all of them write the same wire item
(sets compared order-insensitively) and read back the same object.
"""

from __future__ import annotations

import dataclasses
import datetime
from decimal import Decimal
from typing import Any, Callable, Mapping

from boto3.dynamodb.types import Binary, TypeDeserializer, TypeSerializer
from pynamodb.attributes import (
    Attribute,
    BinaryAttribute,
    BooleanAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    NumberSetAttribute,
    TTLAttribute,
    UnicodeAttribute,
    UnicodeSetAttribute,
    VersionAttribute,
)
from pynamodb.constants import NUMBER, STRING
from pynamodb.models import Model

from benchmarks.generated.bench import (
    Address,
    BenchItem,
    marshal_bench_item,
    unmarshal_bench_item,
)
from dynagen.runtime import AttributeValue

UTC = datetime.timezone.utc
Wire = dict[str, AttributeValue]
Plain = dict[str, Any]


def sample_item(
    pk: str = "customer#000042", sk: str = "order#2024-06-01#000123", n: int = 0
) -> BenchItem:
    """The representative item; `n` varies a few values so that stored items differ."""
    return BenchItem(
        pk=pk,
        sk=sk,
        quantity=3 + n % 7,
        price=Decimal("1234.56") + n,
        active=n % 2 == 0,
        placed_at=datetime.datetime(2024, 6, 1, 12, 34, 56, 789012, tzinfo=UTC)
        + datetime.timedelta(seconds=n),
        expires_at=datetime.datetime(
            2099, 12, 31, 0, 0, 0, tzinfo=UTC
        ),  # never expires during a run
        tags=["red", "large", "sale", "gift-wrap"],
        props={"channel": "web", "campaign": "summer-2024", "referrer": "newsletter"},
        labels={"priority", "fragile", "export"},
        scores={1, 5, 42, 1000 + n},
        payload=b"\x00\x01\x02binary\xff\xfe" * 4,
        address=Address(street="1 Main Street", city="Springfield", zip="12345"),
        note=None,
        version=7,
    )


# ------------------------------------------------------------------------------- generated

generated_marshal: Callable[[BenchItem], Wire] = marshal_bench_item
generated_unmarshal: Callable[[Mapping[str, AttributeValue]], BenchItem] = unmarshal_bench_item


# ------------------------------------------------------------------------------- hand-written


def hand_marshal(o: BenchItem) -> Wire:
    """The same wire item from straight-line code with no checks: the practical floor."""
    address = o.address
    wire_address: Wire = {"street": {"S": address.street}, "city": {"S": address.city}}
    if address.zip is not None:
        wire_address["zip"] = {"S": address.zip}
    out: Wire = {
        "pk": {"S": o.pk},
        "sk": {"S": o.sk},
        "quantity": {"N": str(o.quantity)},
        "price": {"N": str(o.price)},
        "active": {"BOOL": o.active},
        "placed_at": {
            "S": o.placed_at.astimezone(UTC).isoformat(timespec="microseconds")[:-6] + "Z"
        },
        "expires_at": {"N": str(int(o.expires_at.timestamp()))},
        "tags": {"L": [{"S": v} for v in o.tags]},
        "props": {"M": {k: {"S": v} for k, v in o.props.items()}},
        "payload": {"B": o.payload},
        "address": {"M": wire_address},
        "version": {"N": str(o.version)},
    }
    if o.note is not None:
        out["note"] = {"S": o.note}
    if o.labels:
        out["labels"] = {"SS": list(o.labels)}
    if o.scores:
        out["scores"] = {"NS": [str(v) for v in o.scores]}
    return out


def hand_unmarshal(raw: Mapping[str, Any]) -> BenchItem:
    address = raw["address"]["M"]
    return BenchItem(
        pk=raw["pk"]["S"],
        sk=raw["sk"]["S"],
        quantity=int(raw["quantity"]["N"]),
        price=Decimal(raw["price"]["N"]),
        active=raw["active"]["BOOL"],
        placed_at=datetime.datetime.fromisoformat(raw["placed_at"]["S"][:-1]).replace(tzinfo=UTC),
        expires_at=datetime.datetime.fromtimestamp(int(raw["expires_at"]["N"]), UTC),
        tags=[v["S"] for v in raw["tags"]["L"]],
        props={k: v["S"] for k, v in raw["props"]["M"].items()},
        labels=set(raw["labels"]["SS"]) if "labels" in raw else set(),
        scores={int(v) for v in raw["scores"]["NS"]} if "scores" in raw else set(),
        payload=raw["payload"]["B"],
        address=Address(
            street=address["street"]["S"],
            city=address["city"]["S"],
            zip=address["zip"]["S"] if "zip" in address else None,
        ),
        note=raw["note"]["S"] if "note" in raw else None,
        version=int(raw["version"]["N"]),
    )


# ------------------------------------------------------------------------------- boto3

_SERIALIZER = TypeSerializer()
_DESERIALIZER = TypeDeserializer()


def iso_z(value: datetime.datetime) -> str:
    """dynagen's stored datetime form, which the other paths must reproduce to be comparable."""
    return value.astimezone(UTC).isoformat(timespec="microseconds")[:-6] + "Z"


def parse_iso_z(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text[:-1]).replace(tzinfo=UTC)


def plain_item(o: BenchItem) -> Plain:
    """The item as a plain dict in the types boto3's serializer takes (built once, untimed)."""
    address: Plain = {"street": o.address.street, "city": o.address.city}
    if o.address.zip is not None:
        address["zip"] = o.address.zip
    plain: Plain = {
        "pk": o.pk,
        "sk": o.sk,
        "quantity": o.quantity,
        "price": o.price,
        "active": o.active,
        "placed_at": iso_z(o.placed_at),
        "expires_at": int(o.expires_at.timestamp()),
        "tags": list(o.tags),
        "props": dict(o.props),
        "payload": o.payload,
        "address": address,
        "version": o.version,
    }
    if o.note is not None:
        plain["note"] = o.note
    if o.labels:
        plain["labels"] = set(o.labels)
    if o.scores:
        plain["scores"] = set(o.scores)
    return plain


def boto3_plain_marshal(plain: Plain) -> Wire:
    serialize = _SERIALIZER.serialize
    return {name: serialize(value) for name, value in plain.items()}


def boto3_plain_unmarshal(wire: Mapping[str, Any]) -> Plain:
    deserialize = _DESERIALIZER.deserialize
    return {name: deserialize(value) for name, value in wire.items()}


def boto3_dataclass_marshal(o: BenchItem) -> Wire:
    """What a boto3 user writes for a dataclass: asdict, then fix what the serializer refuses."""
    data = dataclasses.asdict(o)
    data.pop("_unknown_attributes", None)  # dynagen's private field: not an attribute of the spec
    data["placed_at"] = iso_z(o.placed_at)
    data["expires_at"] = int(o.expires_at.timestamp())
    data["address"] = {
        k: v for k, v in data["address"].items() if v is not None and not k.startswith("_")
    }
    serialize = _SERIALIZER.serialize
    return {
        name: serialize(value)
        for name, value in data.items()
        if value is not None and value != set()  # None and empty sets are not stored
    }


def boto3_dataclass_unmarshal(wire: Mapping[str, Any]) -> BenchItem:
    deserialize = _DESERIALIZER.deserialize
    data = {name: deserialize(value) for name, value in wire.items()}
    address = data["address"]
    payload = data["payload"]
    return BenchItem(
        pk=data["pk"],
        sk=data["sk"],
        quantity=int(data["quantity"]),
        price=data["price"],
        active=data["active"],
        placed_at=parse_iso_z(data["placed_at"]),
        expires_at=datetime.datetime.fromtimestamp(int(data["expires_at"]), UTC),
        tags=data["tags"],
        props=data["props"],
        labels=data.get("labels", set()),
        scores={int(v) for v in data.get("scores", ())},
        payload=bytes(payload),
        address=Address(street=address["street"], city=address["city"], zip=address.get("zip")),
        note=data.get("note"),
        version=int(data["version"]),
    )


# ------------------------------------------------------------------------------- PynamoDB


class DecimalAttribute(Attribute[Decimal]):
    """PynamoDB's NumberAttribute goes through JSON (float); a Decimal user writes this."""

    attr_type = NUMBER

    def serialize(self, value: Decimal) -> str:
        return str(value)

    def deserialize(self, value: str) -> Decimal:
        return Decimal(value)


class IsoDateTimeAttribute(Attribute[datetime.datetime]):
    """A UTC datetime stored as dynagen stores it (PynamoDB's own ends in +0000 instead of Z)."""

    attr_type = STRING

    def serialize(self, value: datetime.datetime) -> str:
        return iso_z(value)

    def deserialize(self, value: str) -> datetime.datetime:
        return parse_iso_z(value)


class AddressMap(MapAttribute[str, Any]):
    street = UnicodeAttribute()
    city = UnicodeAttribute()
    zip = UnicodeAttribute(null=True)


class BenchModel(Model):
    """The same item as a PynamoDB model; Meta.table_name and Meta.host are set at run time."""

    class Meta:
        table_name = "bench"
        host: str | None = None
        region = "us-east-1"
        aws_access_key_id = "bench"
        aws_secret_access_key = "bench"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    quantity = NumberAttribute()
    price = DecimalAttribute()
    active = BooleanAttribute()
    placed_at = IsoDateTimeAttribute()
    expires_at = TTLAttribute()
    tags = ListAttribute(of=UnicodeAttribute)
    props: MapAttribute[str, str] = MapAttribute()  # type: ignore[no-untyped-call]
    labels = UnicodeSetAttribute()
    scores = NumberSetAttribute()
    payload = BinaryAttribute(legacy_encoding=False)
    note = UnicodeAttribute(null=True)
    address = AddressMap()  # type: ignore[no-untyped-call]
    version = VersionAttribute()


def model_from_item(o: BenchItem, *, saved: bool = True) -> BenchModel:
    """The item as a PynamoDB model; `saved=False` leaves the version unset (never saved)."""
    model = BenchModel(
        o.pk,
        o.sk,
        quantity=o.quantity,
        price=o.price,
        active=o.active,
        placed_at=o.placed_at,
        expires_at=o.expires_at,
        tags=list(o.tags),
        props=dict(o.props),
        labels=set(o.labels),
        scores=set(o.scores),
        payload=o.payload,
        note=o.note,
        address=AddressMap(  # type: ignore[no-untyped-call]
            street=o.address.street, city=o.address.city, zip=o.address.zip
        ),
    )
    if saved:
        model.version = o.version
    return model


def item_from_model(m: BenchModel) -> BenchItem:
    """Only to check that PynamoDB read back the same values (never timed)."""
    address = m.address
    return BenchItem(
        pk=m.pk,
        sk=m.sk,
        quantity=int(m.quantity),
        price=m.price,
        active=bool(m.active),
        placed_at=m.placed_at,
        expires_at=m.expires_at,
        tags=[str(tag) for tag in m.tags or []],
        props=m.props.as_dict(),  # type: ignore[no-untyped-call]
        labels=set(m.labels or ()),
        scores={int(v) for v in m.scores or ()},
        payload=m.payload,
        address=Address(street=address.street, city=address.city, zip=address.zip),
        note=m.note,
        version=int(m.version or 0),
    )


def pynamodb_marshal(m: BenchModel) -> Wire:
    return m.serialize()  # type: ignore[return-value]


def pynamodb_unmarshal(wire: Mapping[str, Any]) -> BenchModel:
    return BenchModel.from_raw_data(dict(wire))


# ------------------------------------------------------------------------------- equivalence


def normalize(value: Any) -> Any:
    """A wire item in a comparable form: set members sorted, boto3's Binary as bytes."""
    if isinstance(value, Mapping):
        if len(value) == 1:
            (kind, inner), *_ = value.items()
            if kind in ("SS", "NS", "BS"):
                return {kind: sorted(normalize(v) for v in inner)}
        return {name: normalize(v) for name, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [normalize(v) for v in value]
    if isinstance(value, Binary):
        return value.value  # type: ignore[attr-defined]  # boto3-stubs lack Binary.value
    return value


def check_equivalence(item: BenchItem) -> Wire:
    """Assert every path writes the same wire item and reads back the same value; returns it."""
    reference = normalize(generated_marshal(item))
    plain = plain_item(item)
    model = model_from_item(item)
    wires = {
        "hand-written": hand_marshal(item),
        "boto3 plain dict": boto3_plain_marshal(plain),
        "boto3 dataclass": boto3_dataclass_marshal(item),
        "PynamoDB": pynamodb_marshal(model),
    }
    for name, wire in wires.items():
        if normalize(wire) != reference:
            raise AssertionError(
                f"{name} wrote a different wire item:\n{normalize(wire)}\n{reference}"
            )
    wire = generated_marshal(item)
    objects = {
        "generated": generated_unmarshal(wire),
        "hand-written": hand_unmarshal(wire),
        "boto3 dataclass": boto3_dataclass_unmarshal(wire),
        "PynamoDB": item_from_model(pynamodb_unmarshal(wire)),
    }
    for name, back in objects.items():
        if back != item:
            raise AssertionError(f"{name} read back a different item:\n{back}\n{item}")
    if boto3_plain_unmarshal(wire) != plain:
        raise AssertionError("boto3 plain dict read back a different dict")
    return wire
