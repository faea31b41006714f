"""Section 4, the generator: `dynagen build` and `dynagen check` over many varied specs, cold.

`make_specs` writes `generator_specs` specs (200 by default) into a temporary folder: 5 to 30
attributes of every type (primitives, lists, maps, sets, records, enums, json), optional
attributes, defaults, `stored_as` names, TTL, versions, timestamps, 0 to 3 global and 0 to 2
local indexes with every projection kind, provisioned billing and streams, drawn from a seeded
random generator so that every run builds the same specs. Each round runs, as fresh processes
(`python -m dynagen ...`, so interpreter start-up and imports count, as in CI):

- `python -m dynagen --version` as the floor: interpreter start-up and the CLI import;
- `build` into an empty folder with an empty cache folder (`DYNAGEN_CACHE_DIR`): cold;
- `check` against what it wrote (must report up to date), with that cache, and in a copy of the
  specs and output in another folder with the cache off (a fresh CI clone that never built
  them: the stamps alone must tell the files are current), then `build` again (nothing changed);
- `build specs/` (the repository's 3 example specs) into an empty folder, then again.

Targets (issue 13, benchmarks/README.md): 200 specs built cold in < 10 s; `check` of 200
unchanged specs in < 1 s; `build specs/` with nothing changed in < 0.3 s.

`--profile` runs the build once more under cProfile (`python -m cProfile -m dynagen build`,
still a cold process) and prints the top functions by own time and by cumulative time.
Stand-alone: `python -m benchmarks.generator [--quick] [--profile] [--specs N] [--keep DIR]`.
"""

from __future__ import annotations

import argparse
import os
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

from benchmarks.common import JSON, ROOT, Settings, median, progress
from benchmarks.report import SectionResult, Table, secs, verdict

TARGET_SECONDS = 10.0
TARGET_SPECS = 200
CACHE_ENV = (
    "DYNAGEN_CACHE_DIR"  # dynagen.codegen.memo.CACHE_ENV (the benchmark imports no dynagen here)
)
MEASURES = (
    ("start", "python -m dynagen --version (the floor)"),
    ("cold", "build, cold: empty output folder, empty cache"),
    ("check", "check, nothing changed"),
    ("check_no_cache", "check, nothing changed, fresh copy, cache off (a CI clone)"),
    ("warm", "build again, nothing changed"),
    ("example_first", "build specs/ (3) into an empty folder, templates cached"),
    ("example_warm", "build specs/ (3), nothing changed"),
)
# (measure, target text, limit in seconds, scaled to TARGET_SPECS)
TARGETS = (
    ("cold", "200 specs built cold", TARGET_SECONDS, True),
    ("check", "dynagen check of 200 unchanged specs", 1.0, True),
    ("check_no_cache", "dynagen check of 200 unchanged specs, fresh clone, cache off", 1.0, True),
    ("example_warm", "dynagen build specs/ with nothing changed", 0.3, False),
)
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


def _timed(
    command: list[str], cwd: Path, *, expect: int = 0, env: dict[str, str] | None = None
) -> float:
    started = time.perf_counter()
    result = subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT, check=False, env=env
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
    _timed(command, work, env=_env(None))  # the cache off: a cold build
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


def _env(cache: Path | None) -> dict[str, str]:
    """The environment of one timed command: its own cache folder (None: the cache off)."""
    env = dict(os.environ)
    env[CACHE_ENV] = str(cache) if cache is not None else ""
    return env


def run(settings: Settings, *, profile: bool = False, keep: Path | None = None) -> SectionResult:
    count = settings.generator_specs
    with tempfile.TemporaryDirectory(prefix="dynagen-bench-gen-") as temp:
        work = keep if keep is not None else Path(temp)
        work.mkdir(parents=True, exist_ok=True)
        make_specs(work / "specs", count)
        shutil.copytree(ROOT / "specs", work / "example-specs", dirs_exist_ok=True)
        progress(
            f"generator: {count} specs in {work / 'specs'}, {settings.generator_rounds} round(s)"
        )
        python = sys.executable
        timings: dict[str, list[float]] = {label: [] for label, _ in MEASURES}
        started = time.perf_counter()
        for round_index in range(settings.generator_rounds):
            if round_index and time.perf_counter() - started > ROUND_BUDGET_S:
                progress(f"generator: stopping after {round_index} round(s), over the time budget")
                break
            out, cache = f"out{round_index}", work / f"cache{round_index}"
            shutil.rmtree(work / out, ignore_errors=True)
            shutil.rmtree(cache, ignore_errors=True)  # cold: no memo, no compiled templates
            example_out = f"example-out{round_index}"
            shutil.rmtree(work / example_out, ignore_errors=True)
            steps: list[tuple[str, list[str], Path | None]] = [
                ("start", ["--version"], cache),
                ("cold", ["build", "specs", "-o", out], cache),
                ("check", ["check", "specs", "-o", out], cache),
                ("check_no_cache", ["check", "specs", "-o", out], None),
                ("warm", ["build", "specs", "-o", out], cache),
                ("example_first", ["build", "example-specs", "-o", example_out], cache),
                ("example_warm", ["build", "example-specs", "-o", example_out], cache),
            ]
            for label, args, folder in steps:
                cwd = work
                if label == "check_no_cache":  # another checkout of the same commit
                    cwd = work / f"clone{round_index}"
                    shutil.rmtree(cwd, ignore_errors=True)
                    shutil.copytree(work / "specs", cwd / "specs")
                    shutil.copytree(work / out, cwd / out)
                timings[label].append(
                    _timed([python, "-m", "dynagen", *args], cwd, env=_env(folder))
                )
        modules = len(list((work / "out0").glob("table_*.py")))
        if modules != count:
            raise AssertionError(f"dynagen build wrote {modules} modules for {count} specs")
        medians = {label: median(values) for label, values in timings.items() if values}
        figures: JSON = {
            "specs": count,
            "rounds": len(timings["cold"]),
            "runs_s": timings,
            "median_s": medians,
            # the names the first round of this section wrote, kept for comparisons
            "build_s": timings["cold"],
            "check_s": timings["check"],
            "cli_start_s": timings["start"],
            "median_build_s": medians["cold"],
            "median_check_s": medians["check"],
            "median_cli_start_s": medians["start"],
        }
        result = Table(
            f"Generator: {count} varied specs and specs/ (3), cold processes "
            f"(median of {len(timings['cold'])})",
            ["command", "seconds", "ms per spec"],
        )
        for label, text in MEASURES:
            specs = 3 if label.startswith("example") else count
            value = medians[label]
            per_spec = "-" if label == "start" else f"{value / specs * 1e3:.1f}"
            result.add(text, secs(value), per_spec)
        targets = Table(
            "Generator targets (issue 13; scaled to 200 specs when fewer were built)",
            ["target", "measured", "limit", "verdict"],
        )
        checks: list[JSON] = []
        for label, text, limit, scale in TARGETS:
            value = medians[label] * (TARGET_SPECS / count if scale else 1.0)
            ok = value < limit
            shown = verdict(ok) + (
                f" (scaled from {count})" if scale and count != TARGET_SPECS else ""
            )
            targets.add(text, secs(value), f"< {limit:g} s", shown)
            checks.append({"target": text, "seconds": value, "limit_s": limit, "met": ok})
        figures["targets"] = checks
        figures["build_s_scaled_to_200"] = medians["cold"] * TARGET_SPECS / count
        figures["target_met"] = all(check["met"] for check in checks)
        tables = [result, targets]
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
