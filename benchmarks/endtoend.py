"""Section 2, end to end on DynamoDB Local: put, get, a query page, batch_put.

Measured per operation: wall time (ops/s) and, above all, this process's CPU time
(time.process_time, all threads): the server runs on the same cores, so wall time says as much
about DynamoDB Local as about the client, while client CPU is what each library costs.

Cases: the generated table class with dynagen's fast response parser on and off; the raw boto3
client with pre-built wire items, with default settings (the floor for boto3 users) and with only
parameter validation off (to measure what validation costs); boto3's resource Table on plain
dicts; PynamoDB (Meta.host = the endpoint, fake credentials). Only batch_put has one more case:
the generated batch_put with concurrency=4, to compare with the sequential raw-client loop.

Method: a JIT warm-up of DynamoDB Local (raw requests), then per operation one unrecorded round
of every case, then `e2e_rounds` recorded rounds with the cases interleaved (round-robin,
rotated each round); each figure is a median over the rounds. Puts go to one partition per case
(the generated class and PynamoDB do version-checked puts, each against its own items); gets and
queries read one shared, pre-loaded partition; each batch case writes its own partition.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable

from boto3.dynamodb.conditions import Key

from benchmarks import data
from benchmarks.common import (
    JSON,
    Environment,
    Samples,
    Settings,
    chunked,
    measure,
    progress,
    ratio,
    rotated,
)
from dynagen.runtime import RetryPolicy
from benchmarks.generated.bench import BenchItem, BenchTable, bench_item_key, marshal_bench_item
from benchmarks.item import BenchModel, Wire, model_from_item, plain_item
from benchmarks.report import SectionResult, Table, ms, per_second, secs, times, us, verdict

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.client import DynamoDBClient
    from mypy_boto3_dynamodb.service_resource import Table as ResourceTable

QUERY_PARTITION = "query"
PUT, GET, QUERY, QUERY_ONE, BATCH = "put", "get", "query", "query_1", "batch_put"
OP_TITLES = {
    PUT: "put",
    GET: "get",
    QUERY: "query page",
    QUERY_ONE: "query page of 1",
    BATCH: "batch_put",
}
GEN_FAST, GEN_SLOW, RAW, RAW_NOVAL, RESOURCE, PYNAMO, GEN_C, GEN_IDEM = (
    "generated",
    "generated_botocore_parser",
    "raw_client",
    "raw_client_no_validation",
    "resource_table",
    "pynamodb",
    "generated_concurrent",
    "generated_idempotent",
)
MAX_BATCH_ATTEMPTS = 10
Op = Callable[[], int]  # does one round's worth of an operation, returns how many it did


@dataclass
class Case:
    key: str
    label: str
    ops: dict[str, Op] = field(default_factory=dict)


# ------------------------------------------------------------------------------- the cases


def _generated_case(
    key: str, label: str, table: BenchTable, settings: Settings, get_keys: list[tuple[str, str]]
) -> Case:
    current = [
        dataclasses.replace(item, version=0) for item in data.items(f"put-{key}", settings.e2e_puts)
    ]
    batch_items = list(data.items(f"batch-{key}", settings.batch_items))
    page = settings.query_page

    def put() -> int:
        for index, item in enumerate(current):
            current[index] = table.put(item)  # the version goes up: keep the stored one
        return len(current)

    def get() -> int:
        for pk, sk in get_keys:
            if table.get(pk, sk) is None:
                raise AssertionError(f"{label}: get found nothing")
        return len(get_keys)

    def query(size: int) -> Op:
        def run() -> int:
            for _ in range(settings.e2e_queries):
                if len(table.query_page(QUERY_PARTITION, page_size=size).items) != size:
                    raise AssertionError(f"{label}: short query page")
            return settings.e2e_queries

        return run

    def batch() -> int:
        table.batch_put(batch_items, concurrency=1)
        return 1

    return Case(
        key, label, {PUT: put, GET: get, QUERY: query(page), QUERY_ONE: query(1), BATCH: batch}
    )


def _idempotent_case(table: BenchTable, settings: Settings) -> Case:
    """put with RetryPolicy(idempotent_writes=True): a one-item TransactWriteItems with a token."""
    current = [
        dataclasses.replace(item, version=0)
        for item in data.items(f"put-{GEN_IDEM}", settings.e2e_puts)
    ]

    def put() -> int:
        for index, item in enumerate(current):
            current[index] = table.put(item)
        return len(current)

    return Case(GEN_IDEM, "generated, idempotent writes (token)", {PUT: put})


def _concurrent_case(table: BenchTable, settings: Settings) -> Case:
    batch_items = list(data.items(f"batch-{GEN_C}", settings.batch_items))
    concurrency = settings.batch_concurrency

    def batch() -> int:
        table.batch_put(batch_items, concurrency=concurrency)
        return 1

    return Case(GEN_C, f"generated, concurrency={concurrency}", {BATCH: batch})


def raw_batch_write(client: DynamoDBClient, table_name: str, wires: list[Wire]) -> None:
    """The sequential loop a boto3 user writes: chunks of 25, unprocessed items retried."""
    for chunk in chunked(wires, 25):
        request: dict[str, Any] = {table_name: [{"PutRequest": {"Item": wire}} for wire in chunk]}
        for attempt in range(MAX_BATCH_ATTEMPTS):
            response = client.batch_write_item(RequestItems=request)
            unprocessed = response.get("UnprocessedItems") or {}
            if not unprocessed:
                break
            request = dict(unprocessed)
            time.sleep(min(0.05 * 2**attempt, 1.0))
        else:
            raise RuntimeError("raw batch_write_item: items still unprocessed")


def _raw_case(
    key: str,
    label: str,
    client: DynamoDBClient,
    table_name: str,
    settings: Settings,
    get_keys: list[tuple[str, str]],
) -> Case:
    wires = [_wire(i) for i in data.items(f"put-{key}", settings.e2e_puts, version=1)]
    keys = [bench_item_key(pk, sk) for pk, sk in get_keys]
    batch_wires = [_wire(i) for i in data.items(f"batch-{key}", settings.batch_items)]

    def put() -> int:
        for wire in wires:
            client.put_item(TableName=table_name, Item=wire)
        return len(wires)

    def get() -> int:
        for wire_key in keys:
            if "Item" not in client.get_item(TableName=table_name, Key=wire_key):
                raise AssertionError(f"{label}: get found nothing")
        return len(keys)

    def query(size: int) -> Op:
        def run() -> int:
            for _ in range(settings.e2e_queries):
                response = client.query(
                    TableName=table_name,
                    KeyConditionExpression="pk = :p",
                    ExpressionAttributeValues={":p": {"S": QUERY_PARTITION}},
                    Limit=size,
                )
                if len(response["Items"]) != size:
                    raise AssertionError(f"{label}: short query page")
            return settings.e2e_queries

        return run

    def batch() -> int:
        raw_batch_write(client, table_name, batch_wires)
        return 1

    return Case(
        key,
        label,
        {PUT: put, GET: get, QUERY: query(settings.query_page), QUERY_ONE: query(1), BATCH: batch},
    )


def _wire(item: BenchItem) -> Wire:
    return marshal_bench_item(item)


def _resource_case(
    table: ResourceTable, settings: Settings, get_keys: list[tuple[str, str]]
) -> Case:
    plains = [plain_item(i) for i in data.items(f"put-{RESOURCE}", settings.e2e_puts, version=1)]
    batch_plains = [plain_item(i) for i in data.items(f"batch-{RESOURCE}", settings.batch_items)]
    label = "boto3 resource Table"

    def put() -> int:
        for plain in plains:
            table.put_item(Item=plain)
        return len(plains)

    def get() -> int:
        for pk, sk in get_keys:
            if "Item" not in table.get_item(Key={"pk": pk, "sk": sk}):
                raise AssertionError(f"{label}: get found nothing")
        return len(get_keys)

    def query(size: int) -> Op:
        def run() -> int:
            for _ in range(settings.e2e_queries):
                response = table.query(
                    KeyConditionExpression=Key("pk").eq(QUERY_PARTITION), Limit=size
                )
                if len(response["Items"]) != size:
                    raise AssertionError(f"{label}: short query page")
            return settings.e2e_queries

        return run

    def batch() -> int:
        with table.batch_writer() as writer:
            for plain in batch_plains:
                writer.put_item(Item=plain)
        return 1

    return Case(
        RESOURCE,
        label,
        {PUT: put, GET: get, QUERY: query(settings.query_page), QUERY_ONE: query(1), BATCH: batch},
    )


def _pynamodb_case(settings: Settings, get_keys: list[tuple[str, str]]) -> Case:
    models = []
    for item in data.items(f"put-{PYNAMO}", settings.e2e_puts):
        # Never saved, no version: PynamoDB's save() then requires the key to be free.
        models.append(model_from_item(item, saved=False))
    batch_models = [model_from_item(i) for i in data.items(f"batch-{PYNAMO}", settings.batch_items)]
    label = "PynamoDB"

    def put() -> int:
        for model in models:
            model.save()  # version-checked, like the generated put; bumps model.version
        return len(models)

    def get() -> int:
        for pk, sk in get_keys:
            BenchModel.get(pk, sk)  # raises DoesNotExist when missing
        return len(get_keys)

    def query(size: int) -> Op:
        def run() -> int:
            for _ in range(settings.e2e_queries):
                found = list(BenchModel.query(QUERY_PARTITION, limit=size, page_size=size))
                if len(found) != size:
                    raise AssertionError(f"{label}: short query page")
            return settings.e2e_queries

        return run

    def batch() -> int:
        with BenchModel.batch_write() as writer:
            for model in batch_models:
                writer.save(model)
        return 1

    return Case(
        PYNAMO,
        label,
        {PUT: put, GET: get, QUERY: query(settings.query_page), QUERY_ONE: query(1), BATCH: batch},
    )


# ------------------------------------------------------------------------------- running


def warm_up(client: DynamoDBClient, table_name: str, requests: int) -> None:
    """DynamoDB Local's JIT makes its first thousands of requests slower: spend them here."""
    progress(f"end to end: warming DynamoDB Local up with {requests:,} requests")
    wires = [_wire(i) for i in data.items("warm-up", 50)]
    for n in range(requests):
        wire = wires[n % len(wires)]
        kind = n % 3
        if kind == 0:
            client.put_item(TableName=table_name, Item=wire)
        elif kind == 1:
            client.get_item(TableName=table_name, Key={"pk": wire["pk"], "sk": wire["sk"]})
        else:
            client.query(
                TableName=table_name,
                KeyConditionExpression="pk = :p",
                ExpressionAttributeValues={":p": {"S": "warm-up"}},
                Limit=25,
            )


def run(settings: Settings, env: Environment) -> SectionResult:
    table_name = env.table_name("e2e")
    progress(f"end to end: creating {table_name}")
    fast = BenchTable(env.generated_client(fast_parser=True), table_name=table_name)
    fast.create_table(wait=True)
    slow = BenchTable(env.generated_client(fast_parser=False), table_name=table_name)
    idempotent = BenchTable(
        env.generated_client(fast_parser=True),
        table_name=table_name,
        retry=RetryPolicy(idempotent_writes=True),
    )
    raw = env.raw_client()
    raw_noval = env.raw_client(validate=False)
    resource_table = env.resource().Table(table_name)
    BenchModel.Meta.table_name = table_name
    BenchModel.Meta.host = env.endpoint
    BenchModel._connection = None  # PynamoDB caches its connection on the class

    preload = max(settings.query_page, settings.e2e_gets) + 10
    data.load_partition(fast, QUERY_PARTITION, preload)
    get_keys = [(QUERY_PARTITION, f"item#{n:08d}") for n in range(settings.e2e_gets)]
    warm_up(raw, table_name, settings.warmup_requests)

    cases = [
        _generated_case(GEN_FAST, "generated (fast parser)", fast, settings, get_keys),
        _generated_case(GEN_SLOW, "generated (botocore parser)", slow, settings, get_keys),
        _raw_case(RAW, "raw boto3 client (defaults)", raw, table_name, settings, get_keys),
        _raw_case(
            RAW_NOVAL, "raw client, no param validation", raw_noval, table_name, settings, get_keys
        ),
        _resource_case(resource_table, settings, get_keys),
        _pynamodb_case(settings, get_keys),
        _concurrent_case(fast, settings),
        _idempotent_case(idempotent, settings),
    ]
    samples: dict[str, dict[str, Samples]] = {}
    for op in (PUT, GET, QUERY, QUERY_ONE, BATCH):
        op_cases = [case for case in cases if op in case.ops]
        rounds = settings.batch_rounds if op == BATCH else settings.e2e_rounds
        progress(f"end to end: {OP_TITLES[op]}, {len(op_cases)} cases, 1 warm-up + {rounds} rounds")
        samples[op] = {case.key: Samples() for case in op_cases}
        for round_index in range(-1, rounds):  # round -1 warms every case up, unrecorded
            for case in rotated(op_cases, round_index + 1):
                sample = measure(case.ops[op])
                if round_index >= 0:
                    samples[op][case.key].add(sample)

    _check_batches(fast, settings, [c.key for c in cases if BATCH in c.ops])
    labels = {case.key: case.label for case in cases}
    return _report(settings, samples, labels)


def _check_batches(table: BenchTable, settings: Settings, keys: list[str]) -> None:
    """Every batch case really wrote its items (untimed)."""
    for key in keys:
        stored = table.count(f"batch-{key}")
        if stored != settings.batch_items:
            raise AssertionError(
                f"batch case {key} stored {stored} of {settings.batch_items} items"
            )


# ------------------------------------------------------------------------------- report


def _report(
    settings: Settings, samples: dict[str, dict[str, Samples]], labels: dict[str, str]
) -> SectionResult:
    page = settings.query_page
    main = Table(
        f"End to end on DynamoDB Local (medians; query page = {page} items, "
        f"batch_put = {settings.batch_items:,} items)",
        ["operation", "case", "ops/s", "wall ms/op", "client CPU ms/op", "CPU vs raw"],
        labels=2,
    )
    figures: JSON = {"operations": {}}
    for op, by_case in samples.items():
        raw_cpu = by_case[RAW].cpu_per_op if RAW in by_case else float("nan")
        figures["operations"][op] = {}
        title = f"{OP_TITLES[op]} ({page})" if op == QUERY else OP_TITLES[op]
        for key, found in by_case.items():
            main.add(
                title,
                labels[key],
                per_second(found.ops_per_second),
                ms(found.wall_per_op),
                ms(found.cpu_per_op),
                times(ratio(found.cpu_per_op, raw_cpu)),
            )
            figures["operations"][op][key] = {"label": labels[key], **found.as_json()}
            title = ""
    main.notes.append(
        "CPU vs raw: this case's client CPU / the raw client's (defaults); lower is better."
    )
    main.notes.append("batch_put: one op = the whole batch; ops/s is batches per second.")

    per_item = Table(
        "Client CPU per queried item (page of 100 vs page of 1 from the same runs)",
        [
            "case",
            f"CPU/page({page}) ms",
            "CPU/page(1) ms",
            "all-in us/item",
            "marginal us/item",
            "raw / this",
        ],
    )
    figures["per_queried_item"] = {}
    raw_marginal = float("nan")
    rows: list[tuple[str, float, float, float, float]] = []
    for key in (RAW, RAW_NOVAL, GEN_FAST, GEN_SLOW, RESOURCE, PYNAMO):
        big = samples[QUERY][key].cpu_per_op
        one = samples[QUERY_ONE][key].cpu_per_op
        all_in = big / page
        marginal = (big - one) / (page - 1) if page > 1 else float("nan")
        if key == RAW:
            raw_marginal = marginal
        rows.append((key, big, one, all_in, marginal))
    for key, big, one, all_in, marginal in rows:
        per_item.add(
            labels[key],
            ms(big),
            ms(one),
            us(all_in),
            us(marginal),
            times(ratio(raw_marginal, marginal)),
        )
        figures["per_queried_item"][key] = {
            "cpu_s_per_page": big,
            "cpu_s_per_page_of_1": one,
            "all_in_cpu_s_per_item": all_in,
            "marginal_cpu_s_per_item": marginal,
            "raw_marginal_over_this": ratio(raw_marginal, marginal),
        }
    per_item.notes.append(
        "marginal = (CPU per page of 100 - CPU per page of 1) / 99: parsing and decoding one more item."
    )

    batch = samples[BATCH]
    concurrent = Table(
        f"batch_put of {settings.batch_items:,} items: concurrency vs the sequential raw loop (wall)",
        ["case", "wall s", "items/s", "client CPU s", "speed-up vs raw loop"],
    )
    raw_wall = batch[RAW].wall
    for key in (RAW, GEN_FAST, GEN_C):
        concurrent.add(
            labels[key],
            secs(batch[key].wall),
            per_second(ratio(settings.batch_items, batch[key].wall)),
            secs(batch[key].cpu),
            times(ratio(raw_wall, batch[key].wall)),
        )
    speed_up = ratio(raw_wall, batch[GEN_C].wall)
    figures["batch_concurrency"] = {
        "concurrency": settings.batch_concurrency,
        "raw_loop_wall_s": raw_wall,
        "generated_sequential_wall_s": batch[GEN_FAST].wall,
        "generated_concurrent_wall_s": batch[GEN_C].wall,
        "speed_up_vs_raw_loop": speed_up,
    }

    targets = Table("End-to-end targets (from this run)", ["target", "measured", "verdict"])
    checks: list[JSON] = []

    def check(name: str, measured: str, ok: bool) -> None:
        targets.add(name, measured, verdict(ok))
        checks.append({"target": name, "measured": measured, "met": ok})

    for op in (PUT, GET):
        gen, raw = samples[op][GEN_FAST].cpu_per_op, samples[op][RAW].cpu_per_op
        check(f"generated CPU/{op} <= raw client", f"{ms(gen)} vs {ms(raw)} ms", gen <= raw)
    for op in (PUT, GET, QUERY, BATCH):
        gen = samples[op][GEN_FAST].cpu_per_op
        for other in (RESOURCE, PYNAMO):
            theirs = samples[op][other].cpu_per_op
            check(
                f"generated CPU/{OP_TITLES[op]} < {labels[other]}",
                f"{ms(gen)} vs {ms(theirs)} ms",
                gen < theirs,
            )
    check(
        f"batch_put concurrency={settings.batch_concurrency} >= 2x raw loop",
        times(speed_up),
        speed_up >= 2.0,
    )
    item_ratio = figures["per_queried_item"][GEN_FAST]["raw_marginal_over_this"]
    check("CPU per queried item: raw / generated >= 3x", times(item_ratio), item_ratio >= 3.0)
    figures["targets"] = checks
    figures["settings"] = {
        "rounds": settings.e2e_rounds,
        "batch_rounds": settings.batch_rounds,
        "puts_per_round": settings.e2e_puts,
        "gets_per_round": settings.e2e_gets,
        "queries_per_round": settings.e2e_queries,
        "warmup_requests": settings.warmup_requests,
    }
    return SectionResult("endtoend", [main, per_item, concurrent, targets], figures)
