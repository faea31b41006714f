"""How much rendered text black would still change, chunk by chunk: the templates' to-do list.

The build formats a rendered module chunk by chunk (dynagen/codegen/formatting.py: top-level
statements, and inside a top-level class its header and each member with its decorators): a chunk
that `is_stable` vouches for is kept as rendered, any other one goes through black alone. So the
cold build's black bill is the chunks the predicate refuses, and the templates' job is that there
are none. Per module this prints the chunk count, the chunks black would change (each formatted
alone, dedented, at 100 columns less its indent, as the build does) and their lines, the chunks
`is_stable` refuses (which black then formats, whether it changes them or not) and their lines,
whether black changes the whole module, and (without --quiet) a unified diff rendered -> black of
each chunk black would change. Run it after a template change:

    .venv/bin/python scripts/black_residue.py specs/ benchmarks/specs/ tests/codegen/cases
    .venv/bin/python scripts/black_residue.py --generated 200 --quiet   # the benchmark's specs

Exit status 1 when black would change any chunk, 2 when a spec does not validate.
"""

from __future__ import annotations

import argparse
import difflib
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dynagen.codegen.formatting import (  # noqa: E402
    _format_chunk,
    format_python,
    is_stable,
    split_chunks,
)
from dynagen.codegen.generate import render_table  # noqa: E402
from dynagen.files import find_specs  # noqa: E402
from dynagen.spec.check import validate_files  # noqa: E402


@dataclass
class Report:
    lines: int = 0
    chunks: int = 0
    changed: int = 0  # chunks black would change
    changed_lines: int = 0
    refused: int = 0  # chunks is_stable refuses (black formats them in the build)
    refused_lines: int = 0
    whole_stable: int = 0  # modules black leaves exactly as rendered
    modules: int = 0
    diffs: list[str] = field(default_factory=list)

    def add(self, other: Report) -> None:
        for name in ("lines", "chunks", "changed", "changed_lines", "refused", "refused_lines"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.whole_stable += other.whole_stable
        self.modules += other.modules

    def summary(self) -> str:
        return (
            f"{self.chunks} chunks, {self.lines} lines; black would change {self.changed} chunks, "
            f"{self.changed_lines} lines ({_percent(self.changed_lines, self.lines)}); is_stable "
            f"refuses {self.refused} chunks, {self.refused_lines} lines "
            f"({_percent(self.refused_lines, self.lines)}); {self.whole_stable} of {self.modules} "
            f"modules black-stable whole"
        )


def measure(rendered: str, name: str) -> Report:
    report = Report(lines=rendered.count("\n"), modules=1)
    line = 1
    for chunk in split_chunks(rendered):
        line += chunk.blank
        report.chunks += 1
        size = len(chunk.lines)
        mine = chunk.text()
        if not is_stable(mine):
            report.refused += 1
            report.refused_lines += size
        theirs = _format_chunk(chunk)
        if theirs != mine:
            report.changed += 1
            report.changed_lines += size
            report.diffs.extend(
                difflib.unified_diff(
                    mine.splitlines(keepends=True),
                    (theirs or "(not a whole statement)\n").splitlines(keepends=True),
                    fromfile=f"{name}:{line} (rendered)",
                    tofile=f"{name}:{line} (black)",
                    n=1,
                )
            )
        line += size
    report.whole_stable = int(format_python(rendered, name=name) == rendered)
    return report


def _expand(path: Path) -> list[Path]:
    """A folder of feature cases (`*/spec.yaml`) as its specs; anything else as given."""
    if path.is_dir() and not any(path.glob("*.y*ml")):
        return sorted(path.glob("*/spec.y*ml"))
    return [path]


def _percent(part: int, whole: int) -> str:
    return f"{100.0 * part / whole:.2f}%" if whole else "-"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("inputs", nargs="*", help="spec files or folders")
    parser.add_argument("--generated", type=int, default=0, help="also the benchmark's N specs")
    parser.add_argument("--quiet", action="store_true", help="summary lines only, no diffs")
    args = parser.parse_args(argv)
    groups = [(arg, [str(p) for p in _expand(Path(arg))]) for arg in args.inputs]
    totals: list[str] = []
    changed = 0
    with tempfile.TemporaryDirectory() as work:
        if args.generated:
            from benchmarks.generator import make_specs

            make_specs(Path(work), args.generated)
            groups.append((f"--generated {args.generated}", [work]))
        for label, inputs in groups:
            paths, problems = find_specs(inputs)
            tables, diagnostics = validate_files(paths)
            for problem in problems + diagnostics:
                print(problem, file=sys.stderr)
            if problems or diagnostics:
                return 2
            total = Report()
            for table in sorted(tables, key=lambda t: t.source):
                report = measure(render_table(table), f"{table.module}.py")
                if not args.quiet:
                    sys.stdout.writelines(report.diffs)
                print(f"{table.source}: {report.summary()}")
                total.add(report)
            changed += total.changed
            totals.append(f"{label}: {total.modules} modules, {total.summary()}")
    print("\n".join(totals))
    return 1 if changed else 0


if __name__ == "__main__":
    raise SystemExit(main())
