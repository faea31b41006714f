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
direct transport against the sequential raw-client loop (endtoend.raw_batch_write), with the
direct transport's sequential batch_put beside them, on three routes: straight to DynamoDB Local
on loopback, and through benchmarks/latency_proxy.py adding 2 ms and 5 ms one way (4 and 10 ms to
every round trip), a model of DynamoDB as the remote service it is. On loopback the server's
CPU, which shares the machine's two cores with the client, is all concurrency could buy; across
a network round trip concurrency hides the latency, which is what the target is about. Each
route gets its own verdict, so no figure from the proxy stands for DynamoDB Local.

Before each timed run the garbage collector runs once, untimed, so that no case pays for a full
collection of the previous case's garbage (botocore's parse of a page leaves a lot).

Note the benchmark item holds a binary attribute. On the direct transport, orjson reads such
answers too and the generated decoder decodes the binary values (fastparse.load_items); through
botocore they are decoded by the standard library's object hook whether orjson is installed or not.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import os
import time
from typing import TYPE_CHECKING, Callable

import boto3

from benchmarks import data, latency_proxy
from benchmarks.common import (
    FAKE_KEY_ID,
    FAKE_SECRET,
    JSON,
    REGION,
    Environment,
    Samples,
    Settings,
    measure,
    median,
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
DIRECT_SEQUENTIAL = "direct_sequential"
STRAIGHT = "on DynamoDB Local (loopback, 2 shared cores)"
PROXY_DELAYS_MS = (2.0, 5.0)  # one way, through benchmarks/latency_proxy.py
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
        batch = _batches(settings, env)
    finally:
        jsonlib.use_orjson(was)
    return _report(settings, samples, batch, orjson_installed)


@dataclasses.dataclass
class _Route:
    """One way to DynamoDB Local for the batch figures: straight, or through the latency proxy."""

    name: str
    delay_ms: float  # one way, added by the proxy (0: straight)
    raw: DynamoDBClient
    table: BenchTable
    round_trip: float = float("nan")  # measured: median seconds of a small request
    samples: dict[str, Samples] = dataclasses.field(default_factory=dict)


def _batches(settings: Settings, env: Environment) -> list[_Route]:
    """batch_put of `batch_items` items: the sequential raw loop against the direct transport,
    sequential and with `batch_concurrency` threads, straight to DynamoDB Local and through the
    latency proxy (PROXY_DELAYS_MS one way), cases and routes interleaved round by round."""
    table_name = env.table_name("transport-batch")
    BenchTable(_client(env.endpoint, True), table_name=table_name).create_table(wait=True)
    concurrency = settings.batch_concurrency
    with contextlib.ExitStack() as stack:
        urls = [(STRAIGHT, 0.0, env.endpoint)] + [
            (
                f"+{delay:g} ms one way",
                delay,
                stack.enter_context(latency_proxy.running(env.endpoint, delay)),
            )
            for delay in PROXY_DELAYS_MS
        ]
        routes = [
            _Route(
                name, delay, _raw_client(url), BenchTable(_client(url, True), table_name=table_name)
            )
            for name, delay, url in urls
        ]
        for route in routes:
            route.round_trip = _round_trip(route.raw, table_name)
            route.samples = {RAW: Samples(), DIRECT_SEQUENTIAL: Samples(), DIRECT: Samples()}
        progress(
            f"transport: batch_put of {settings.batch_items:,} items over {len(routes)} routes, "
            f"raw loop vs direct sequential vs concurrency={concurrency}, "
            f"1 warm-up + {settings.batch_rounds} rounds (load {_load()})"
        )
        for round_index in range(-1, settings.batch_rounds):
            for route in rotated(routes, round_index + 1):
                items = list(
                    data.items(f"batch-{route.delay_ms:g}-{round_index}", settings.batch_items)
                )
                wires = [marshal_bench_item(item) for item in items]
                raw, table = route.raw, route.table

                def raw_loop() -> int:
                    raw_batch_write(raw, table_name, wires)
                    return 1

                def sequential() -> int:
                    table.batch_put(items)
                    return 1

                def concurrent() -> int:
                    table.batch_put(items, concurrency=concurrency)
                    return 1

                order = [(RAW, raw_loop), (DIRECT_SEQUENTIAL, sequential), (DIRECT, concurrent)]
                for key, work in rotated(order, round_index + 1):
                    gc.collect()
                    sample = measure(work)
                    if round_index >= 0:
                        route.samples[key].add(sample)
        progress(f"transport: batch_put done (load {_load()})")
    last = routes[0].table
    stored = last.count(f"batch-0-{settings.batch_rounds - 1}")
    if stored != settings.batch_items:
        raise AssertionError(f"batch_put stored {stored} of {settings.batch_items} items")
    return routes


def _client(url: str, direct: bool) -> DynamoDBClient:
    return make_client(
        endpoint_url=url,
        region_name=REGION,
        direct=direct,
        aws_access_key_id=FAKE_KEY_ID,
        aws_secret_access_key=FAKE_SECRET,
    )


def _raw_client(url: str) -> DynamoDBClient:
    """A plain boto3 client with default settings, as Environment.raw_client makes, for `url`."""
    session = boto3.session.Session(
        aws_access_key_id=FAKE_KEY_ID, aws_secret_access_key=FAKE_SECRET, region_name=REGION
    )
    return session.client("dynamodb", endpoint_url=url)


def _round_trip(raw: DynamoDBClient, table_name: str, count: int = 40) -> float:
    """The median wall time of a small request (a GetItem of a missing key) on this route."""
    key = bench_item_key("round-trip", "none")
    raw.get_item(TableName=table_name, Key=key)
    times_taken = []
    for _ in range(count):
        started = time.perf_counter()
        raw.get_item(TableName=table_name, Key=key)
        times_taken.append(time.perf_counter() - started)
    return median(times_taken)


def _load() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


def _report(
    settings: Settings,
    samples: dict[str, dict[str, Samples]],
    batch: list[_Route],
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
    batch_table = Table(
        f"batch_put of {settings.batch_items:,} items (wall s and client CPU s per batch, medians of"
        f" {settings.batch_rounds} rounds)",
        [
            "route",
            "round trip ms",
            "raw loop",
            "direct, sequential",
            f"direct, concurrency={settings.batch_concurrency}",
            "speed-up vs raw",
            "CPU raw / direct",
        ],
    )
    figures["batch"] = {"items": settings.batch_items, "concurrency": settings.batch_concurrency}
    met_on: list[str] = []
    missed_on: list[str] = []
    for route in batch:
        cases = route.samples
        speed_up = ratio(cases[RAW].wall, cases[DIRECT].wall)
        batch_table.add(
            route.name,
            ms(route.round_trip),
            secs(cases[RAW].wall),
            secs(cases[DIRECT_SEQUENTIAL].wall),
            secs(cases[DIRECT].wall),
            times(speed_up),
            f"{secs(cases[RAW].cpu)} / {secs(cases[DIRECT].cpu)}",
        )
        check(
            f"batch_put {settings.batch_items:,}, concurrency={settings.batch_concurrency}"
            f" >= 2x raw loop (wall), {route.name}",
            f"{times(speed_up)} ({secs(cases[DIRECT].wall)} vs {secs(cases[RAW].wall)} s)",
            speed_up >= 2.0,
        )
        (met_on if speed_up >= 2.0 else missed_on).append(route.name)
        figures["batch"][route.name] = {
            "delay_ms_one_way": route.delay_ms,
            "round_trip_s": route.round_trip,
            "raw_loop": cases[RAW].as_json(),
            "direct_sequential": cases[DIRECT_SEQUENTIAL].as_json(),
            "direct_concurrent": cases[DIRECT].as_json(),
            "speed_up": speed_up,
        }
    summary = "; ".join(
        [f"met {name}" for name in met_on] + [f"NOT met {name}" for name in missed_on]
    )
    targets.add("batch_put target, all routes", summary, verdict(not missed_on))
    figures["batch"]["verdict"] = summary
    batch_table.notes.extend(
        [
            f"Routes: '{STRAIGHT}' is DynamoDB Local on loopback (its CPU shares the client's cores);"
            " '+N ms one way' goes through benchmarks/latency_proxy.py, which delays every request"
            " and every answer by N ms: a model of a remote region's round trip.",
            "round trip: median wall time of one small GetItem through the raw client on that route.",
            f"CPU: this process's CPU (all threads) per {settings.batch_items:,}-item batch; the"
            " proxy and DynamoDB Local are other processes.",
        ]
    )
    if orjson_installed:
        for op in samples:
            gain = ratio(samples[op][DIRECT].cpu_per_op, samples[op][DIRECT_STDLIB].cpu_per_op)
            targets.add(f"orjson: direct CPU/{op}, orjson / stdlib", times(gain), "(measured)")
            checks.append({"target": f"orjson {op}", "measured": times(gain), "met": None})
    figures["targets"] = checks
    return SectionResult("transport", [main, batch_table, targets], figures)
