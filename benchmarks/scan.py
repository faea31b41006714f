"""Section 3, parallel scan: the whole table read with 1, 2 and 4 segments (threads).

The table is loaded with `scan_items` items (batch_put, concurrency 4). One unrecorded scan
warms up, then `scan_rounds` rounds scan with each segment count in turn (rotated each round),
decoding every item with the generated table's `scan(segments=n)`. Figures: median wall time,
items/s, client CPU, and the speed-up over one segment. On a 2-core machine shared with the
server the speed-up is bounded by the cores, not by the client.
"""

from __future__ import annotations

from benchmarks import data
from benchmarks.common import (
    JSON,
    Environment,
    Samples,
    Settings,
    measure,
    progress,
    ratio,
    rotated,
)
from benchmarks.generated.bench import BenchTable
from benchmarks.report import SectionResult, Table, per_second, secs, times


def _scan_all(table: BenchTable, segments: int, expected: int) -> int:
    found = sum(1 for _ in table.scan(segments=segments))
    if found != expected:
        raise AssertionError(f"scan with {segments} segments found {found} of {expected} items")
    return found


def run(settings: Settings, env: Environment) -> SectionResult:
    table = data.create_table(env, "scan")
    count = settings.scan_items
    progress(f"scan: loading {count:,} items")
    data.load(
        table,
        (
            item
            for part in range((count + 999) // 1000)
            for item in data.items(f"scan-{part:04d}", min(1000, count - part * 1000))
        ),
        concurrency=4,
    )
    progress(f"scan: segments {settings.scan_segments}, {settings.scan_rounds} round(s)")
    _scan_all(table, 1, count)  # warm-up, unrecorded
    samples = {segments: Samples() for segments in settings.scan_segments}
    for round_index in range(settings.scan_rounds):
        for segments in rotated(list(settings.scan_segments), round_index):
            samples[segments].add(measure(lambda: _scan_all(table, segments, count)))

    base = samples[settings.scan_segments[0]].wall
    result = Table(
        f"Parallel scan of {count:,} items (medians)",
        ["segments", "wall s", "items/s", "client CPU s", "speed-up"],
    )
    figures: JSON = {"items": count, "rounds": settings.scan_rounds, "segments": {}}
    for segments, found in samples.items():
        result.add(
            str(segments),
            secs(found.wall),
            per_second(ratio(count, found.wall)),
            secs(found.cpu),
            times(ratio(base, found.wall)),
        )
        figures["segments"][str(segments)] = {
            "median_wall_s": found.wall,
            "median_cpu_s": found.cpu,
            "items_per_s": ratio(count, found.wall),
            "speed_up": ratio(base, found.wall),
            "runs": found.as_json()["runs"],
        }
    result.notes.append("speed-up = wall time with 1 segment / wall time with n segments.")
    return SectionResult("scan", [result], figures)
