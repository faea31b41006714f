"""Section 4, the generator: `dynagen build` and `dynagen check` over many varied specs, cold.

`make_specs` writes `generator_specs` specs (200 by default) into a temporary folder: 5 to 30
attributes of every type (primitives, lists, maps, sets, records, enums, json), optional
attributes, defaults, `stored_as` names, TTL, versions, timestamps, 0 to 3 global and 0 to 2
local indexes with every projection kind, provisioned billing and streams, drawn from a seeded
random generator so that every run builds the same specs. Each round runs, as fresh processes
(`python -m dynagen ...`, so interpreter start-up and imports count, as in CI):

- `build` into an empty folder, then `check` against what it wrote (must report up to date);
- `python -m dynagen --version` as the floor: interpreter start-up and the CLI import.

Target (benchmarks/README.md): under 10 s for 200 specs on a 2-core machine.

`--profile` runs the build once more under cProfile (`python -m cProfile -m dynagen build`,
still a cold process) and prints the top functions by own time and by cumulative time.
Stand-alone: `python -m benchmarks.generator [--quick] [--profile] [--specs N] [--keep DIR]`.
"""

from __future__ import annotations

import argparse
import pstats
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

from benchmarks.common import JSON, Settings, median, progress
from benchmarks.report import SectionResult, Table, secs, verdict

TARGET_SECONDS = 10.0
TARGET_SPECS = 200
SEED = 20240601
PROFILE_TOP = 25
TIMEOUT = 3600.0  # one command; 200 specs at today's ~1 s of black each fit well inside
ROUND_BUDGET_S = 180.0  # no further round once the rounds so far took this long
PROFILE_SPECS = 20  # the profile builds a subset: the picture is the same, the wait is not

KEY_TYPES = ("string", "int", "decimal", "bytes", "datetime", "date", "uuid")
PRIMITIVES = (
    "string",
    "int",
    "float",
    "decimal",
    "bool",
    "bytes",
    "datetime",
    "date",
    "uuid",
    "json",
)
COLLECTIONS = (
    "list<string>",
    "list<int>",
    "list<date>",
    "map<string>",
    "map<decimal>",
    "map<bool>",
    "set<string>",
    "set<int>",
    "set<decimal>",
    "set<bytes>",
)
DEFAULTS: dict[str, Any] = {
    "string": "n/a",
    "int": 0,
    "float": 1.5,
    "bool": False,
    "date": "2024-01-31",
    "list<string>": [],
    "list<int>": [],
    "map<string>": {},
    "set<string>": [],
}
ENUM_WORDS = ("new", "in-progress", "done", "on_hold", "1st", "cancelled", "archived", "paid")
STREAMS = ("keys_only", "new_image", "old_image", "new_and_old_images")


class _NoAliases(yaml.SafeDumper):
    """dynagen refuses YAML aliases: never emit them."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _slug(type_text: str) -> str:
    return "".join(ch if ch.isalnum() else "_" for ch in type_text.lower()).strip("_")


def make_spec(index: int, rng: random.Random) -> dict[str, Any]:
    """One valid, varied spec as a plain structure."""
    tag = f"{index:03d}"
    records: dict[str, Any] = {}
    for r in range(rng.randint(0, 3)):
        fields: dict[str, Any] = {}
        for f in range(rng.randint(2, 6)):
            kind = rng.choice(PRIMITIVES + COLLECTIONS[:6])
            name = f"f{f}_{_slug(kind)}"
            fields[name] = {"type": kind, "optional": True} if rng.random() < 0.3 else kind
        if records and rng.random() < 0.5:  # a record inside another, optional
            fields["inner"] = {"type": next(iter(records)), "optional": True}
        records[f"Rec{tag}N{r}"] = {"fields": fields}
    enums: dict[str, Any] = {}
    for e in range(rng.randint(0, 2)):
        values = rng.sample(ENUM_WORDS, rng.randint(2, 6))
        enums[f"Kind{tag}N{e}"] = {"enum": values}
    named_types = list(records) + list(enums)
    record_types = [f"list<{name}>" for name in records] + [f"map<{name}>" for name in records]

    attributes: dict[str, Any] = {"pk_id": rng.choice(KEY_TYPES)}
    has_sort = rng.random() < 0.7
    if has_sort:
        attributes["sk_id"] = rng.choice(KEY_TYPES)
    key_typed: list[str] = []
    for a in range(rng.randint(5, 30)):
        pool = PRIMITIVES + COLLECTIONS + tuple(named_types) + tuple(record_types)
        kind = rng.choice(pool)
        name = f"a{a:02d}_{_slug(kind)}"
        options: dict[str, Any] = {"type": kind}
        roll = rng.random()
        if kind in DEFAULTS and roll < 0.25:
            options["default"] = DEFAULTS[kind]
        elif kind in enums and roll < 0.25:
            options["default"] = enums[kind]["enum"][0]
        elif roll < 0.5:
            options["optional"] = True
        if rng.random() < 0.15:
            options["stored_as"] = f"attr.{a} #{kind}"
        if rng.random() < 0.2:
            options["description"] = f"Attribute number {a}, of type {kind}."
        attributes[name] = options if len(options) > 1 else kind
        if kind in KEY_TYPES or kind in enums:
            key_typed.append(name)
    if rng.random() < 0.4:
        attributes["expires_at"] = {"type": "ttl", "optional": True}
    if rng.random() < 0.5:
        attributes["version"] = "version"
    if rng.random() < 0.4:
        attributes["created_at"] = "created_at"
        attributes["updated_at"] = "updated_at"

    key: dict[str, Any] = {"partition": "pk_id"}
    if has_sort:
        key["sort"] = "sk_id"
    non_key = [name for name in attributes if name not in ("pk_id", "sk_id")]
    indexes: dict[str, Any] = {}
    candidates = list(key_typed)
    rng.shuffle(candidates)
    for name in candidates[: rng.randint(0, 3)]:
        body: dict[str, Any] = {"kind": "global", "partition": name}
        others = [c for c in key_typed if c != name]
        if others and rng.random() < 0.6:
            body["sort"] = rng.choice(others)
        body["projection"] = _projection(rng, non_key, {name, body.get("sort")})
        indexes[f"by_{name}"] = body
    if has_sort:
        for name in candidates[3 : 3 + rng.randint(0, 2)]:
            indexes[f"local_{name}"] = {
                "kind": "local",
                "sort": name,
                "projection": _projection(rng, non_key, {name}),
            }

    spec: dict[str, Any] = {
        "version": 1,
        "table": f"table_{tag}",
        "description": f"Generated spec number {index} for the generator benchmark.",
        "key": key,
    }
    if rng.random() < 0.3:
        spec["billing"] = {"read": 5, "write": 5}
    if rng.random() < 0.3:
        spec["stream"] = rng.choice(STREAMS)
    if records or enums:
        spec["types"] = {**records, **enums}
    spec["entities"] = {f"Thing{tag}": {"attributes": attributes}}
    if indexes:
        spec["indexes"] = indexes
    return spec


def _projection(rng: random.Random, non_key: list[str], index_keys: set[str | None]) -> Any:
    roll = rng.random()
    if roll < 0.4:
        return "all"
    if roll < 0.7:
        return "keys_only"
    choices = [name for name in non_key if name not in index_keys]
    if not choices:
        return "all"
    return rng.sample(choices, min(len(choices), rng.randint(1, 3)))


def make_specs(folder: Path, count: int, seed: int = SEED) -> list[Path]:
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(count):
        path = folder / f"table_{index:03d}.yaml"
        text = yaml.dump(make_spec(index, rng), Dumper=_NoAliases, sort_keys=False, width=100)
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


# ------------------------------------------------------------------------------- timing


def _timed(command: list[str], cwd: Path, *, expect: int = 0) -> float:
    started = time.perf_counter()
    result = subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT, check=False
    )
    elapsed = time.perf_counter() - started
    if result.returncode != expect:
        raise RuntimeError(
            f"{' '.join(command)} exited {result.returncode}, expected {expect}:\n"
            f"{result.stdout[-2000:]}\n{result.stderr[-4000:]}"
        )
    return elapsed


def profile_build(work: Path, specs: str, out: str, count: int) -> tuple[Table, Table, JSON]:
    """cProfile of one cold `dynagen build`; the top functions by own and cumulative time."""
    stats_file = work / "build.prof"
    shutil.rmtree(work / out, ignore_errors=True)
    command = [
        sys.executable,
        "-m",
        "cProfile",
        "-o",
        str(stats_file),
        "-m",
        "dynagen",
        "build",
        specs,
        "-o",
        out,
    ]
    _timed(command, work)
    stats = pstats.Stats(str(stats_file))
    total = float(getattr(stats, "total_tt", 0.0))
    raw: dict[tuple[str, int, str], tuple[int, int, float, float, Any]] = getattr(stats, "stats")
    rows = [
        (f"{Path(filename).name}:{line}({function})", calls, own, cumulative)
        for (filename, line, function), (_, calls, own, cumulative, _) in raw.items()
    ]
    tables = []
    figures: JSON = {"total_s": total}
    for title, column in (("own time", 2), ("cumulative time", 3)):
        table = Table(
            f"dynagen build of {count} specs under cProfile: top {PROFILE_TOP} by {title} "
            f"(total {total:.2f} s; black.format_str is compiled: its time is all its own)",
            ["function", "calls", "own s", "cumulative s"],
        )
        top = sorted(rows, key=lambda row: row[column], reverse=True)[:PROFILE_TOP]
        for name, calls, own, cumulative in top:
            table.add(name, f"{calls:,}", f"{own:.3f}", f"{cumulative:.3f}")
        tables.append(table)
        figures[f"top_by_{title.replace(' ', '_')}"] = [
            {"function": name, "calls": calls, "own_s": own, "cumulative_s": cumulative}
            for name, calls, own, cumulative in top
        ]
    return tables[0], tables[1], figures


def run(settings: Settings, *, profile: bool = False, keep: Path | None = None) -> SectionResult:
    count = settings.generator_specs
    with tempfile.TemporaryDirectory(prefix="dynagen-bench-gen-") as temp:
        work = keep if keep is not None else Path(temp)
        work.mkdir(parents=True, exist_ok=True)
        make_specs(work / "specs", count)
        progress(
            f"generator: {count} specs in {work / 'specs'}, {settings.generator_rounds} round(s)"
        )
        python = sys.executable
        floor: list[float] = []
        builds: list[float] = []
        checks: list[float] = []
        started = time.perf_counter()
        for round_index in range(settings.generator_rounds):
            if round_index and time.perf_counter() - started > ROUND_BUDGET_S:
                progress(f"generator: stopping after {round_index} round(s), over the time budget")
                break
            out = f"out{round_index}"
            shutil.rmtree(work / out, ignore_errors=True)
            floor.append(_timed([python, "-m", "dynagen", "--version"], work))
            builds.append(_timed([python, "-m", "dynagen", "build", "specs", "-o", out], work))
            checks.append(_timed([python, "-m", "dynagen", "check", "specs", "-o", out], work))
        modules = len(list((work / "out0").glob("table_*.py")))
        if modules != count:
            raise AssertionError(f"dynagen build wrote {modules} modules for {count} specs")
        tables = []
        figures: JSON = {
            "specs": count,
            "rounds": len(builds),
            "build_s": builds,
            "check_s": checks,
            "cli_start_s": floor,
            "median_build_s": median(builds),
            "median_check_s": median(checks),
            "median_cli_start_s": median(floor),
        }
        scaled = median(builds) * TARGET_SPECS / count
        result = Table(
            f"Generator: {count} varied specs, cold process (median of {len(builds)})",
            [
                "command",
                "seconds",
                "ms per spec",
                f"target < {TARGET_SECONDS:g} s for {TARGET_SPECS}",
            ],
        )
        result.add("python -m dynagen --version", secs(median(floor)), "-", "")
        for label, values in (("dynagen build", builds), ("dynagen check", checks)):
            value = median(values)
            estimate = value * TARGET_SPECS / count
            shown = verdict(estimate < TARGET_SECONDS)
            if count != TARGET_SPECS:
                shown += f" (scaled: {estimate:.1f} s)"
            result.add(label, secs(value), f"{value / count * 1e3:.1f}", shown)
        figures["build_s_scaled_to_200"] = scaled
        figures["target_met"] = scaled < TARGET_SECONDS
        tables.append(result)
        if profile:
            subset = min(count, PROFILE_SPECS)
            progress(f"generator: profiling one build of {subset} specs with cProfile")
            (work / "profile-specs").mkdir(exist_ok=True)
            for path in sorted((work / "specs").glob("*.yaml"))[:subset]:
                shutil.copy(path, work / "profile-specs" / path.name)
            own, cumulative, profile_figures = profile_build(
                work, "profile-specs", "out-profile", subset
            )
            profile_figures["specs"] = subset
            tables.extend([own, cumulative])
            figures["profile"] = profile_figures
        return SectionResult("generator", tables, figures)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.generator", description="Time dynagen build/check on many specs."
    )
    parser.add_argument("--quick", action="store_true", help="20 specs, one round")
    parser.add_argument("--profile", action="store_true", help="also profile one build")
    parser.add_argument("--specs", type=int, default=None, help="how many specs to generate")
    parser.add_argument("--keep", type=Path, default=None, help="work in this folder and keep it")
    args = parser.parse_args(argv)
    settings = Settings.make(args.quick)
    if args.specs is not None:
        if args.specs < 1 or args.specs > 1000:
            parser.error("--specs must be between 1 and 1000")
        settings = Settings(**{**settings.__dict__, "generator_specs": args.specs})
    result = run(settings, profile=args.profile, keep=args.keep)
    for table in result.tables:
        print(table.render())
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
