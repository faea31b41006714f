"""Section 5, memory: iterating a large query lazily must not hold the whole result.

One partition of `memory_sizes[0]` items and one of `memory_sizes[1]` items (one table, loaded
with batch_put, concurrency 4). Each measurement runs in a fresh child process
(`python -m benchmarks.memory --child ...`) so that ru_maxrss, a high-water mark that never goes
down, starts clean: the child warms up (imports, botocore's models, one small query), records
ru_maxrss, iterates the query (`for item in table.query(partition)`, keeping nothing), records
ru_maxrss again; then it iterates once more under tracemalloc and records its peak. The same is
done with `list(table.query(partition))` as a control: that one must grow with the result, which
shows the measurement can see growth. Lazy figures should be the same at both sizes (one page of
at most 1 MB is held at a time), not ten times larger.
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import subprocess
import sys
import time
import tracemalloc
from typing import Literal

from benchmarks import data
from benchmarks.common import JSON, ROOT, Environment, Settings, check_loopback, progress, ratio
from benchmarks.generated.bench import BenchTable
from benchmarks.report import SectionResult, Table, mib, per_second, secs, times, verdict

Mode = Literal["lazy", "list"]
FLAT_LIMIT = 2.0  # lazy peak at the large size / at the small size: "flat" below this
CHILD_TIMEOUT = 900.0


def _maxrss_bytes() -> int:
    usage = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return usage if sys.platform == "darwin" else usage * 1024  # Linux reports KiB


def _consume(table: BenchTable, partition: str, mode: Mode) -> int:
    if mode == "lazy":
        count = 0
        for _ in table.query(partition):
            count += 1
        return count
    everything = list(table.query(partition))
    count = len(everything)
    del everything
    return count


def child(endpoint: str, table_name: str, partition: str, expected: int, mode: Mode) -> JSON:
    """Runs in the child process; returns the figures printed as JSON on stdout."""
    env = Environment(check_loopback(endpoint), "child")
    client = env.generated_client(fast_parser=True)
    pages = [0]

    def count_page(**_: object) -> None:
        pages[0] += 1

    client.meta.events.register("after-call.dynamodb.Query", count_page)
    table = BenchTable(client, table_name=table_name)
    rss_start = _maxrss_bytes()
    next(iter(table.query(partition, limit=1)))  # warm-up: imports, models, connection pool
    gc.collect()
    rss_before = _maxrss_bytes()
    pages[0] = 0
    started = time.perf_counter()
    found = _consume(table, partition, mode)
    wall = time.perf_counter() - started
    rss_after = _maxrss_bytes()
    pages_read = pages[0]
    if found != expected:
        raise AssertionError(f"query of {partition} found {found} of {expected} items")
    gc.collect()
    tracemalloc.start()
    _consume(table, partition, mode)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "items": found,
        "mode": mode,
        "pages": pages_read,
        "wall_s": wall,
        "maxrss_at_start_bytes": rss_start,
        "maxrss_before_bytes": rss_before,
        "maxrss_after_bytes": rss_after,
        "maxrss_delta_bytes": rss_after - rss_before,
        "tracemalloc_peak_bytes": peak,
    }


def _run_child(
    env: Environment, table_name: str, partition: str, expected: int, mode: Mode
) -> JSON:
    # ru_maxrss survives exec: a child exec'd straight from this process would start with this
    # process's high-water mark and hide its own growth. Through a shell that forks once more
    # (`"$@"; exit $?` cannot be turned into an exec), the child starts from the shell's.
    command = [
        "/bin/sh",
        "-c",
        '"$@"; exit $?',
        "sh",
        sys.executable,
        "-m",
        "benchmarks.memory",
        "--child",
        "--endpoint",
        env.endpoint,
        "--table",
        table_name,
        "--partition",
        partition,
        "--expect",
        str(expected),
        "--mode",
        mode,
    ]
    result = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=CHILD_TIMEOUT, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(f"memory child failed ({result.returncode}):\n{result.stderr}")
    figures: JSON = json.loads(result.stdout.strip().splitlines()[-1])
    return figures


def run(settings: Settings, env: Environment) -> SectionResult:
    table = data.create_table(env, "memory")
    small, large = settings.memory_sizes
    partitions = {small: "memory-small", large: "memory-large"}
    for size, partition in partitions.items():
        data.load_partition(table, partition, size, concurrency=4)
    results: dict[tuple[Mode, int], JSON] = {}
    for mode in ("lazy", "list"):
        for size, partition in partitions.items():
            progress(f"memory: {mode} iteration of {size:,} items (child process)")
            results[(mode, size)] = _run_child(env, table.table_name, partition, size, mode)

    output = Table(
        "Memory while iterating one partition's query (fresh child process per row)",
        [
            "iteration",
            "items",
            "pages",
            "tracemalloc peak MiB",
            "ru_maxrss delta MiB",
            "wall s",
            "items/s",
        ],
    )
    figures: JSON = {"sizes": [small, large], "runs": {}}
    for (mode, size), found in results.items():
        label = "lazy: for item in query()" if mode == "lazy" else "control: list(query())"
        output.add(
            label,
            f"{size:,}",
            str(found["pages"]),
            mib(found["tracemalloc_peak_bytes"]),
            mib(found["maxrss_delta_bytes"]),
            secs(found["wall_s"]),
            per_second(ratio(size, found["wall_s"])),
        )
        figures["runs"][f"{mode}-{size}"] = found
    lazy_growth = ratio(
        results[("lazy", large)]["tracemalloc_peak_bytes"],
        results[("lazy", small)]["tracemalloc_peak_bytes"],
    )
    list_growth = ratio(
        results[("list", large)]["tracemalloc_peak_bytes"],
        results[("list", small)]["tracemalloc_peak_bytes"],
    )
    flat = lazy_growth < FLAT_LIMIT
    # A lazy query holds one page (up to 1 MB) at a time: flatness shows once the small size
    # already fills a page, i.e. spans two pages or more.
    meaningful = results[("lazy", small)]["pages"] >= 2
    shown = verdict(flat) if meaningful else "n/a: the small size fits in one page (use full sizes)"
    output.notes.append(
        f"lazy peak grows {times(lazy_growth)} for {times(ratio(large, small))} the items "
        f"(flat: < {FLAT_LIMIT:g}x): {shown}; the list() control grows {times(list_growth)}."
    )
    output.notes.append(
        "ru_maxrss is a high-water mark: growth below the start-up peak (imports) does not show."
    )
    figures["lazy_peak_growth"] = lazy_growth
    figures["list_peak_growth"] = list_growth
    figures["flat"] = flat if meaningful else None
    return SectionResult("memory", [output], figures)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.memory")
    parser.add_argument("--child", action="store_true", required=True)
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--table", required=True)
    parser.add_argument("--partition", required=True)
    parser.add_argument("--expect", type=int, required=True)
    parser.add_argument("--mode", choices=("lazy", "list"), required=True)
    args = parser.parse_args(argv)
    mode: Mode = "lazy" if args.mode == "lazy" else "list"
    figures = child(args.endpoint, args.table, args.partition, args.expect, mode)
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
