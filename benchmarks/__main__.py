"""`python -m benchmarks`: run the suite, print a table per section, write the JSON file.

    python -m benchmarks                       # everything, full sizes (several minutes)
    python -m benchmarks --quick               # tiny sizes: a smoke run of about a minute
    python -m benchmarks --only codec,scan     # some sections
    python -m benchmarks --endpoint http://127.0.0.1:8765   # an already running DynamoDB Local
    python -m benchmarks --only generator --profile         # and where the build's time goes

Run it from the repository root. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import os
import sys
import time
import traceback
from pathlib import Path

from benchmarks.common import JSON, OUT_DIR, ROOT, Environment, Settings, progress, start_local
from benchmarks.report import SectionResult, machine, write_json

SECTIONS = ("codec", "endtoend", "transport", "scan", "generator", "memory")
NEEDS_SERVER = frozenset({"endtoend", "transport", "scan", "memory"})
SPEC_DIR = "benchmarks/specs"
GENERATED_DIR = "benchmarks/generated"


def _sections(text: str) -> list[str]:
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in SECTIONS]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"unknown section(s) {', '.join(unknown) or '(none)'}; choose from {', '.join(SECTIONS)}"
        )
    return [name for name in SECTIONS if name in names]  # always in suite order


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="dynagen against boto3 and PynamoDB: codec, end to end, transport, scan, generator, memory.",
    )
    parser.add_argument("--quick", action="store_true", help="tiny sizes: a smoke run (~1 minute)")
    parser.add_argument(
        "--only",
        type=_sections,
        default=list(SECTIONS),
        metavar="LIST",
        help=f"comma-separated sections to run (default: all of {','.join(SECTIONS)})",
    )
    parser.add_argument(
        "--endpoint",
        default=None,
        metavar="URL",
        help="DynamoDB Local to use (loopback only); default: start it with scripts/dynamodb_local.sh",
    )
    parser.add_argument(
        "--profile", action="store_true", help="generator: also profile a build with cProfile"
    )
    parser.add_argument(
        "--out", type=Path, default=OUT_DIR, metavar="DIR", help="where the JSON goes"
    )
    return parser.parse_args(argv)


def check_generated() -> None:
    """The committed benchmarks/generated/ must be what the current generator makes of the spec."""
    from dynagen.codegen.generate import generate
    from dynagen.codegen.output import compare

    previous = Path.cwd()
    os.chdir(ROOT)  # the generated header names the spec relative to the working folder
    try:
        changes = compare(Path(GENERATED_DIR), generate([SPEC_DIR]))
    finally:
        os.chdir(previous)
    if changes:
        names = ", ".join(f"{change.name} ({change.status})" for change in changes)
        raise SystemExit(
            f"benchmarks: {GENERATED_DIR} is out of date ({names}); regenerate it from the "
            f"repository root with:\n    dynagen build {SPEC_DIR} -o {GENERATED_DIR}"
        )


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    settings = Settings.make(args.quick)
    os.environ.setdefault("AWS_EC2_METADATA_DISABLED", "true")  # never probe for real credentials
    check_generated()
    started = time.perf_counter()
    started_at = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
    print(f"dynagen benchmarks ({'quick' if settings.quick else 'full'}): {', '.join(args.only)}")

    env: Environment | None = None
    if NEEDS_SERVER.intersection(args.only):
        endpoint = args.endpoint
        if endpoint is None:
            progress("starting DynamoDB Local (scripts/dynamodb_local.sh start)")
            endpoint = start_local()
        env = Environment.make(endpoint)
        print(f"DynamoDB Local: {env.endpoint}; tables prefixed {env.run_id}")
    print()

    results: list[SectionResult] = []
    errors: dict[str, str] = {}
    timings: dict[str, float] = {}
    try:
        for name in args.only:
            section_started = time.perf_counter()
            try:
                result = _run_section(name, settings, env, args.profile)
            except Exception:  # one broken section must not hide the others' figures
                errors[name] = traceback.format_exc()
                print(f"section {name} FAILED:\n{errors[name]}", file=sys.stderr)
                continue
            finally:
                timings[name] = time.perf_counter() - section_started
            results.append(result)
            for table in result.tables:
                print(table.render())
                print()
            sys.stdout.flush()
    finally:
        if env is not None and env.tables:
            progress(f"deleting {len(env.tables)} table(s)")
            failed = env.delete_tables()
            if failed:
                errors["cleanup"] = f"tables not deleted: {', '.join(failed)}"

    document: JSON = {
        "command": " ".join(
            ["python", "-m", "benchmarks", *(argv if argv is not None else sys.argv[1:])]
        ),
        "python_executable": sys.executable,
        "cwd": str(Path.cwd()),
        "started_at": started_at,
        "duration_s": time.perf_counter() - started,
        "mode": "quick" if settings.quick else "full",
        "settings": dataclasses.asdict(settings),
        "machine": machine(),
        "endpoint": env.endpoint if env is not None else None,
        "section_duration_s": timings,
        "sections": {result.name: result.figures for result in results},
        "tables": {result.name: [table.render() for table in result.tables] for result in results},
        "errors": errors,
    }
    path = write_json(document, args.out)
    print(f"figures written to {path} ({document['duration_s']:.0f} s)")
    if errors:
        print(f"benchmarks: {len(errors)} failure(s): {', '.join(errors)}", file=sys.stderr)
        return 1
    return 0


def _run_section(
    name: str, settings: Settings, env: Environment | None, profile: bool
) -> SectionResult:
    if name == "codec":
        from benchmarks import codec

        return codec.run(settings)
    if name == "generator":
        from benchmarks import generator

        return generator.run(settings, profile=profile)
    assert env is not None, "sections that need DynamoDB Local get an environment"
    if name == "endtoend":
        from benchmarks import endtoend

        return endtoend.run(settings, env)
    if name == "transport":
        from benchmarks import transport

        return transport.run(settings, env)
    if name == "scan":
        from benchmarks import scan

        return scan.run(settings, env)
    from benchmarks import memory

    return memory.run(settings, env)


if __name__ == "__main__":
    sys.exit(main())
