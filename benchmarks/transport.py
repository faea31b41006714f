"""Section `transport`: the direct transport's targets (issue 13, items 3 and 4), on DynamoDB Local.

Client CPU per operation (time.process_time: this process only, all threads; DynamoDB Local
is another process, so its CPU is not counted) for get, put and a 100-item query page, each as a
ratio to the raw boto3 client with default settings measured in the same run, round-robin:

- `raw`: boto3's client, pre-built wire items (= 1.0);
- `direct`: the generated table on the direct transport, JSON as installed (orjson if present);
- `direct_stdlib`: the same with the standard library's JSON (`jsonlib.use_orjson(False)`);
- `botocore`: the generated table with `make_client(direct=False)` (botocore's pipeline,
  dynagen's fast parser).

And the wall time of batch_put of `batch_items` items with `batch_concurrency` threads on the
direct transport against the sequential raw-client loop (endtoend.raw_batch_write).

Before each timed run the garbage collector runs once, untimed, so that no case pays for a full
collection of the previous case's garbage (botocore's parse of a page leaves a lot).

Note the benchmark item holds a binary attribute. On the direct transport, orjson reads such
answers too and the generated decoder decodes the binary values (fastparse.load_items); through
botocore they are decoded by the standard library's object hook whether orjson is installed or not.
"""

from __future__ import annotations

import dataclasses
import gc
from typing import TYPE_CHECKING, Callable

from benchmarks import data
from benchmarks.common import (
    FAKE_KEY_ID,
    FAKE_SECRET,
    JSON,
    REGION,
    Environment,
    Samples,
    Settings,
    measure,
    progress,
    ratio,
    rotated,
)
from benchmarks.endtoend import raw_batch_write, warm_up
from benchmarks.generated.bench import BenchTable, bench_item_key, marshal_bench_item
from benchmarks.report import SectionResult, Table, ms, secs, times, verdict
from dynagen.runtime import jsonlib, make_client
from dynagen.runtime.client import direct_transport

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.client import DynamoDBClient

RAW, DIRECT, DIRECT_STDLIB, BOTOCORE = "raw", "direct", "direct_stdlib", "botocore"
LABELS = {
    RAW: "raw boto3 client (defaults)",
    DIRECT: "generated, direct transport",
    DIRECT_STDLIB: "generated, direct, stdlib json",
    BOTOCORE: "generated, botocore transport",
}
GET, PUT, QUERY = "get", "put", "query page"
PARTITION = "transport-query"
TARGETS = {GET: 0.35, PUT: 0.35, QUERY: 0.25}
Op = Callable[[], int]


def _generated_ops(
    key: str, table: BenchTable, settings: Settings, keys: list[tuple[str, str]], orjson: bool
) -> dict[str, Op]:
    current = [
        dataclasses.replace(item, version=0)
        for item in data.items(f"transport-put-{key}", settings.e2e_puts)
    ]

    def get() -> int:
        jsonlib.use_orjson(orjson)
        for pk, sk in keys:
            if table.get(pk, sk) is None:
                raise AssertionError(f"{key}: get found nothing")
        return len(keys)

    def put() -> int:
        jsonlib.use_orjson(orjson)
        for index, item in enumerate(current):
            current[index] = table.put(item)
        return len(current)

    def query() -> int:
        jsonlib.use_orjson(orjson)
        for _ in range(settings.e2e_queries):
            page = table.query_page(PARTITION, page_size=settings.query_page)
            if len(page.items) != settings.query_page:
                raise AssertionError(f"{key}: short query page")
        return settings.e2e_queries

    return {GET: get, PUT: put, QUERY: query}


def _raw_ops(
    raw: DynamoDBClient, table_name: str, settings: Settings, keys: list[tuple[str, str]]
) -> dict[str, Op]:
    wires = [
        marshal_bench_item(i) for i in data.items("transport-put-raw", settings.e2e_puts, version=1)
    ]
    wire_keys = [bench_item_key(pk, sk) for pk, sk in keys]

    def get() -> int:
        for wire_key in wire_keys:
            if "Item" not in raw.get_item(TableName=table_name, Key=wire_key):
                raise AssertionError("raw: get found nothing")
        return len(wire_keys)

    def put() -> int:
        for wire in wires:
            raw.put_item(TableName=table_name, Item=wire)
        return len(wires)

    def query() -> int:
        for _ in range(settings.e2e_queries):
            response = raw.query(
                TableName=table_name,
                KeyConditionExpression="pk = :p",
                ExpressionAttributeValues={":p": {"S": PARTITION}},
                Limit=settings.query_page,
            )
            if len(response["Items"]) != settings.query_page:
                raise AssertionError("raw: short query page")
        return settings.e2e_queries

    return {GET: get, PUT: put, QUERY: query}


def run(settings: Settings, env: Environment) -> SectionResult:
    orjson_installed = jsonlib.available()
    was = jsonlib.ORJSON
    table_name = env.table_name("transport")
    progress(f"transport: creating {table_name}")

    def client(direct: bool) -> DynamoDBClient:
        return make_client(
            endpoint_url=env.endpoint,
            region_name=REGION,
            direct=direct,
            aws_access_key_id=FAKE_KEY_ID,
            aws_secret_access_key=FAKE_SECRET,
        )

    direct_client, botocore_client = client(True), client(False)
    if direct_transport(direct_client) is None:
        raise AssertionError("make_client(direct=True) made no direct transport")
    direct = BenchTable(direct_client, table_name=table_name)
    direct.create_table(wait=True)
    botocore = BenchTable(botocore_client, table_name=table_name)
    raw = env.raw_client()
    data.load_partition(direct, PARTITION, max(settings.query_page, settings.e2e_gets) + 10)
    keys = [(PARTITION, f"item#{n:08d}") for n in range(settings.e2e_gets)]
    warm_up(raw, table_name, settings.warmup_requests)

    cases: dict[str, dict[str, Op]] = {
        RAW: _raw_ops(raw, table_name, settings, keys),
        DIRECT: _generated_ops(DIRECT, direct, settings, keys, orjson=True),
        DIRECT_STDLIB: _generated_ops(DIRECT_STDLIB, direct, settings, keys, orjson=False),
        BOTOCORE: _generated_ops(BOTOCORE, botocore, settings, keys, orjson=True),
    }
    samples: dict[str, dict[str, Samples]] = {}
    try:
        for op in (GET, PUT, QUERY):
            progress(
                f"transport: {op}, {len(cases)} cases, 1 warm-up + {settings.e2e_rounds} rounds"
            )
            samples[op] = {key: Samples() for key in cases}
            for round_index in range(-1, settings.e2e_rounds):
                for key in rotated(list(cases), round_index + 1):
                    # Each case pays for its own garbage only: a full collection triggered by
                    # the previous case's objects (botocore's) would land on whichever is next.
                    gc.collect()
                    sample = measure(cases[key][op])
                    if round_index >= 0:
                        samples[op][key].add(sample)
        batch = _batches(settings, env, direct_client, raw)
    finally:
        jsonlib.use_orjson(was)
    return _report(settings, samples, batch, orjson_installed)


def _batches(
    settings: Settings, env: Environment, direct_client: DynamoDBClient, raw_client: DynamoDBClient
) -> dict[str, Samples]:
    """batch_put of `batch_items` items: direct with concurrency against the raw sequential loop."""
    table_name = env.table_name("transport-batch")
    table = BenchTable(direct_client, table_name=table_name)
    table.create_table(wait=True)
    concurrency = settings.batch_concurrency
    found = {RAW: Samples(), DIRECT: Samples()}
    progress(
        f"transport: batch_put of {settings.batch_items:,} items, raw loop vs concurrency="
        f"{concurrency}, 1 warm-up + {settings.batch_rounds} rounds"
    )
    for round_index in range(-1, settings.batch_rounds):
        items = list(data.items(f"batch-{round_index}", settings.batch_items))
        wires = [marshal_bench_item(item) for item in items]

        def raw_loop() -> int:
            raw_batch_write(raw_client, table_name, wires)
            return 1

        def concurrent() -> int:
            table.batch_put(items, concurrency=concurrency)
            return 1

        order = [(RAW, raw_loop), (DIRECT, concurrent)]
        for key, work in rotated(order, round_index + 1):
            gc.collect()
            sample = measure(work)
            if round_index >= 0:
                found[key].add(sample)
    stored = table.count(f"batch-{settings.batch_rounds - 1}")
    if stored != settings.batch_items:
        raise AssertionError(f"batch_put stored {stored} of {settings.batch_items} items")
    return found


def _report(
    settings: Settings,
    samples: dict[str, dict[str, Samples]],
    batch: dict[str, Samples],
    orjson_installed: bool,
) -> SectionResult:
    main = Table(
        f"Direct transport: client CPU per operation (medians of {settings.e2e_rounds} rounds;"
        f" query page = {settings.query_page} items)",
        ["operation", "case", "client CPU ms/op", "CPU vs raw", "wall ms/op"],
        labels=2,
    )
    figures: JSON = {"operations": {}, "orjson_installed": orjson_installed}
    for op, by_case in samples.items():
        raw_cpu = by_case[RAW].cpu_per_op
        figures["operations"][op] = {}
        title = op
        for key, found in by_case.items():
            main.add(
                title,
                LABELS[key],
                ms(found.cpu_per_op),
                times(ratio(found.cpu_per_op, raw_cpu)),
                ms(found.wall_per_op),
            )
            figures["operations"][op][key] = {"label": LABELS[key], **found.as_json()}
            title = ""
    main.notes.append("CPU vs raw: this case's client CPU / the raw client's, same run.")
    if not orjson_installed:
        main.notes.append("orjson is not installed: 'direct' and 'direct, stdlib json' are alike.")

    targets = Table("Direct transport targets (from this run)", ["target", "measured", "verdict"])
    checks: list[JSON] = []

    def check(name: str, measured: str, ok: bool) -> None:
        targets.add(name, measured, verdict(ok))
        checks.append({"target": name, "measured": measured, "met": ok})

    for op, limit in TARGETS.items():
        measured = ratio(samples[op][DIRECT].cpu_per_op, samples[op][RAW].cpu_per_op)
        check(f"direct CPU/{op} <= {limit} x raw", times(measured), measured <= limit)
    raw_wall, direct_wall = batch[RAW].wall, batch[DIRECT].wall
    speed_up = ratio(raw_wall, direct_wall)
    check(
        f"batch_put {settings.batch_items:,}, concurrency={settings.batch_concurrency}"
        " >= 2x raw loop (wall)",
        f"{times(speed_up)} ({secs(direct_wall)} vs {secs(raw_wall)} s)",
        speed_up >= 2.0,
    )
    figures["batch"] = {
        "items": settings.batch_items,
        "concurrency": settings.batch_concurrency,
        "raw_loop": batch[RAW].as_json(),
        "direct_concurrent": batch[DIRECT].as_json(),
        "speed_up": speed_up,
    }
    if orjson_installed:
        for op in samples:
            gain = ratio(samples[op][DIRECT].cpu_per_op, samples[op][DIRECT_STDLIB].cpu_per_op)
            targets.add(f"orjson: direct CPU/{op}, orjson / stdlib", times(gain), "(measured)")
            checks.append({"target": f"orjson {op}", "measured": times(gain), "met": None})
    figures["targets"] = checks
    return SectionResult("transport", [main, targets], figures)
