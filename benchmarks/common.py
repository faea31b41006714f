"""What every section shares: run settings, timing helpers, DynamoDB Local and the clients."""

from __future__ import annotations

import gc
import os
import statistics
import subprocess
import sys
import time
import timeit
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator, Sequence

import boto3
from botocore.config import Config

from dynagen.runtime import make_client

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.client import DynamoDBClient
    from mypy_boto3_dynamodb.service_resource import DynamoDBServiceResource

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "benchmarks"
OUT_DIR = BENCH_DIR / "out"
LOCAL_SCRIPT = ROOT / "scripts" / "dynamodb_local.sh"

REGION = "us-east-1"
# Fake credentials, passed explicitly to every client: DynamoDB Local accepts any, and nothing
# here ever falls back to the environment's (possibly real) AWS credentials.
FAKE_KEY_ID = "bench"
FAKE_SECRET = "bench"
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})

JSON = dict[str, Any]


@dataclass(frozen=True)
class Settings:
    """Sizes and repeat counts; `quick` shrinks everything to a smoke run of about a minute."""

    quick: bool
    codec_repeats: int
    codec_seconds: float  # target duration of one timed run of one codec function
    warmup_requests: int  # DynamoDB Local JIT warm-up before any end-to-end figure
    e2e_rounds: int
    e2e_puts: int  # per case and round
    e2e_gets: int
    e2e_queries: int
    query_page: int
    batch_items: int
    batch_rounds: int
    batch_concurrency: int
    scan_items: int
    scan_rounds: int
    scan_segments: tuple[int, ...]
    memory_sizes: tuple[int, int]
    generator_specs: int
    generator_rounds: int

    @staticmethod
    def make(quick: bool) -> Settings:
        if quick:
            return Settings(
                quick=True,
                codec_repeats=5,
                codec_seconds=0.02,
                warmup_requests=100,
                e2e_rounds=2,
                e2e_puts=20,
                e2e_gets=20,
                e2e_queries=5,
                query_page=100,
                batch_items=250,
                batch_rounds=1,
                batch_concurrency=4,
                scan_items=1_000,
                scan_rounds=1,
                scan_segments=(1, 2, 4),
                memory_sizes=(500, 5_000),
                generator_specs=3,
                generator_rounds=1,
            )
        return Settings(
            quick=False,
            codec_repeats=15,
            codec_seconds=0.2,
            warmup_requests=3_000,
            e2e_rounds=5,
            e2e_puts=200,
            e2e_gets=200,
            e2e_queries=30,
            query_page=100,
            batch_items=5_000,
            batch_rounds=3,
            batch_concurrency=4,
            scan_items=20_000,
            scan_rounds=3,
            scan_segments=(1, 2, 4),
            memory_sizes=(5_000, 50_000),
            generator_specs=200,
            generator_rounds=3,
        )


# ------------------------------------------------------------------------------- statistics


def median(values: Sequence[float]) -> float:
    return float(statistics.median(values)) if values else float("nan")


def ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else float("nan")


@dataclass(frozen=True)
class Sample:
    """One timed run: wall seconds, this process's CPU seconds (all threads), operations done."""

    wall: float
    cpu: float
    ops: int


def measure(work: Callable[[], int]) -> Sample:
    """Time `work` (which returns how many operations it did) with the garbage collector on."""
    wall0, cpu0 = time.perf_counter(), time.process_time()
    ops = work()
    return Sample(time.perf_counter() - wall0, time.process_time() - cpu0, ops)


@dataclass
class Samples:
    """Every recorded sample of one case, and their medians."""

    runs: list[Sample] = field(default_factory=list)

    def add(self, sample: Sample) -> None:
        self.runs.append(sample)

    @property
    def wall_per_op(self) -> float:
        return median([s.wall / s.ops for s in self.runs if s.ops])

    @property
    def cpu_per_op(self) -> float:
        return median([s.cpu / s.ops for s in self.runs if s.ops])

    @property
    def ops_per_second(self) -> float:
        return median([s.ops / s.wall for s in self.runs if s.wall > 0])

    @property
    def wall(self) -> float:
        return median([s.wall for s in self.runs])

    @property
    def cpu(self) -> float:
        return median([s.cpu for s in self.runs])

    def as_json(self) -> JSON:
        return {
            "median_wall_s_per_op": self.wall_per_op,
            "median_cpu_s_per_op": self.cpu_per_op,
            "median_ops_per_s": self.ops_per_second,
            "runs": [{"wall_s": s.wall, "cpu_s": s.cpu, "ops": s.ops} for s in self.runs],
        }


def seconds_per_call(call: Callable[[], object], number: int) -> float:
    """Seconds per call of `call`, over `number` calls, with the garbage collector ON.

    timeit switches the collector off while timing; enabling it again in the setup is the
    documented way to keep it on, so allocation-heavy code pays for its collections as in real use.
    """
    timer = timeit.Timer(call, setup=gc.enable)
    return timer.timeit(number) / number


def calibrate(call: Callable[[], object], target_seconds: float) -> int:
    """How many calls make one timed run last about `target_seconds`."""
    number = 1
    while True:
        elapsed = seconds_per_call(call, number) * number
        if elapsed >= target_seconds / 5 or number >= 10_000_000:
            return max(1, int(number * target_seconds / max(elapsed, 1e-9)))
        number *= 10


def rotated(values: Sequence[Any], shift: int) -> list[Any]:
    """The cases in a different order each round, so no case always runs first or last."""
    if not values:
        return []
    shift %= len(values)
    return list(values[shift:]) + list(values[:shift])


def chunked(values: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


# ------------------------------------------------------------------------------- DynamoDB Local


def check_loopback(endpoint: str) -> str:
    """The suite only ever talks to a local emulator: refuse anything but a loopback address."""
    parsed = urllib.parse.urlparse(endpoint)
    if parsed.scheme not in ("http", "https") or parsed.hostname not in LOOPBACK_HOSTS:
        raise SystemExit(
            f"benchmarks: --endpoint must be DynamoDB Local on a loopback address "
            f"(http://127.0.0.1:PORT), got {endpoint!r}"
        )
    return endpoint


def start_local() -> str:
    """Start DynamoDB Local with the project's script (idempotent) and return its endpoint."""
    result = subprocess.run(
        ["bash", str(LOCAL_SCRIPT), "start"], check=True, capture_output=True, text=True
    )
    lines = result.stdout.strip().splitlines()
    if not lines:
        raise SystemExit(f"benchmarks: {LOCAL_SCRIPT} start printed no endpoint")
    return check_loopback(lines[-1])


@dataclass
class Environment:
    """The endpoint and the names of the tables this run creates (all deleted at the end)."""

    endpoint: str
    run_id: str
    tables: list[str] = field(default_factory=list)

    @staticmethod
    def make(endpoint: str) -> Environment:
        run_id = f"dynagen-bench-{os.getpid()}-{int(time.time())}"
        return Environment(check_loopback(endpoint), run_id)

    def table_name(self, purpose: str) -> str:
        name = f"{self.run_id}-{purpose}"
        self.tables.append(name)
        return name

    def generated_client(self, *, fast_parser: bool) -> DynamoDBClient:
        """The client generated tables use: dynagen's make_client (no parameter validation)."""
        return make_client(
            endpoint_url=self.endpoint,
            region_name=REGION,
            fast_parser=fast_parser,
            aws_access_key_id=FAKE_KEY_ID,
            aws_secret_access_key=FAKE_SECRET,
        )

    def _session(self) -> boto3.session.Session:
        return boto3.session.Session(
            aws_access_key_id=FAKE_KEY_ID, aws_secret_access_key=FAKE_SECRET, region_name=REGION
        )

    def raw_client(self, *, validate: bool = True) -> DynamoDBClient:
        """A plain boto3 client: default settings, or only parameter validation switched off."""
        config = None if validate else Config(parameter_validation=False)
        return self._session().client("dynamodb", endpoint_url=self.endpoint, config=config)

    def resource(self) -> DynamoDBServiceResource:
        return self._session().resource("dynamodb", endpoint_url=self.endpoint)

    def delete_tables(self) -> list[str]:
        """Delete every table this run created; returns the names of those it could not delete."""
        client = self.raw_client()
        failed: list[str] = []
        for name in self.tables:
            try:
                client.delete_table(TableName=name)
            except client.exceptions.ResourceNotFoundException:
                continue
            except Exception as error:  # report and go on: cleanup must try every table
                print(f"benchmarks: could not delete table {name}: {error}", file=sys.stderr)
                failed.append(name)
        return failed


def progress(message: str) -> None:
    """A progress line on stderr (the tables go to stdout)."""
    print(f"  .. {message}", file=sys.stderr, flush=True)
