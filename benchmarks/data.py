"""Tables and items on DynamoDB Local, shared by the end-to-end, scan and memory sections."""

from __future__ import annotations

import dataclasses
import itertools
from typing import Iterable, Iterator

from benchmarks.common import Environment, progress
from benchmarks.generated.bench import BenchItem, BenchTable
from benchmarks.item import sample_item

LOAD_CHUNK = 2_500  # items per batch_put call while loading: the loader's memory stays bounded


def create_table(env: Environment, purpose: str, *, fast_parser: bool = True) -> BenchTable:
    """A fresh table named after this run (deleted at the end by Environment.delete_tables)."""
    table = BenchTable(
        env.generated_client(fast_parser=fast_parser), table_name=env.table_name(purpose)
    )
    table.create_table(wait=True)
    return table


def items(partition: str, count: int, *, version: int = 0, start: int = 0) -> Iterator[BenchItem]:
    """`count` distinct items of one partition, made lazily."""
    for n in range(start, start + count):
        yield dataclasses.replace(sample_item(partition, f"item#{n:08d}", n), version=version)


def load(table: BenchTable, values: Iterable[BenchItem], *, concurrency: int = 4) -> int:
    """batch_put in chunks of LOAD_CHUNK with `concurrency` threads; returns how many were written."""
    written = 0
    iterator = iter(values)
    while True:
        chunk = list(itertools.islice(iterator, LOAD_CHUNK))
        if not chunk:
            return written
        table.batch_put(chunk, concurrency=concurrency)
        written += len(chunk)


def load_partition(table: BenchTable, partition: str, count: int, *, concurrency: int = 4) -> None:
    progress(f"loading {count:,} items into {table.table_name} / {partition}")
    load(table, items(partition, count), concurrency=concurrency)
