"""How much rendered text black would still change, chunk by chunk: the templates' to-do list.

The build formats a rendered module chunk by chunk (dynagen/codegen/output.py: each top-level
statement; inside a top-level class, its header with docstring and fields, then each method with
its decorators) and runs black only on chunks it cannot vouch for, so black's bill is the chunks
that are not already black's fixed point. This script measures that residue: per module, the
chunk count, the chunks black would change (each formatted alone, dedented, at 100 columns less
its indent) and their lines, with a unified diff rendered -> black of each such chunk. Run it
after a template change:

    .venv/bin/python scripts/black_residue.py specs/ benchmarks/specs/ tests/codegen/cases
    .venv/bin/python scripts/black_residue.py --generated 200 --quiet   # the benchmark's specs

Exit status 1 when any chunk differs from black's output, 2 when a spec does not validate.
"""

from __future__ import annotations

import argparse
import ast
import difflib
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dynagen.codegen.generate import render_table  # noqa: E402
from dynagen.codegen.output import format_python  # noqa: E402
from dynagen.files import find_specs  # noqa: E402
from dynagen.spec.check import validate_files  # noqa: E402

LINE_LENGTH = 100


@dataclass(frozen=True)
class Chunk:
    first: int  # 0-based index of its first line in the module
    lines: list[str]  # its lines, without newlines
    indent: int  # 0 for a top-level statement, 4 for a class member


def _start(node: ast.stmt) -> int:
    """The 1-based first line of a statement, its decorators included."""
    decorators: list[ast.expr] = getattr(node, "decorator_list", [])
    return min([node.lineno, *(d.lineno for d in decorators)])


def _spans(tree: ast.Module) -> list[tuple[int, int, int]]:
    """(first, last, indent) 1-based line spans: top-level statements, a top-level class cut into
    its header (up to its first method) and each of its methods."""
    spans: list[tuple[int, int, int]] = []
    for node in tree.body:
        end = node.end_lineno or node.lineno
        methods = (ast.FunctionDef, ast.AsyncFunctionDef)
        if isinstance(node, ast.ClassDef) and any(isinstance(s, methods) for s in node.body):
            first_method = next(i for i, s in enumerate(node.body) if isinstance(s, methods))
            header = node.body[first_method - 1].end_lineno if first_method else node.lineno
            spans.append((_start(node), header or node.lineno, 0))
            for member in node.body[first_method:]:
                spans.append((_start(member), member.end_lineno or member.lineno, 4))
        else:
            spans.append((_start(node), end, 0))
    return spans


def chunks(text: str) -> list[Chunk]:
    """The rendered module cut as the build cuts it; comment lines go with the next chunk."""
    lines = text.split("\n")
    out: list[Chunk] = []
    previous = 0  # lines before this index belong to earlier chunks (or are blank)
    for first, last, indent in _spans(ast.parse(text)):
        start = first - 1
        while start > previous and lines[start - 1].strip().startswith("#"):
            start -= 1
        out.append(Chunk(start, lines[start:last], indent))
        previous = last
    return out


def _dedent(lines: list[str], indent: int) -> str:
    pad = " " * indent
    return "".join((line[indent:] if line.startswith(pad) else line) + "\n" for line in lines)


def black_of(chunk: Chunk) -> str:
    """black's text for a chunk formatted alone (dedented, at its indent's share of 100 columns)."""
    from black.mode import Mode, TargetVersion

    import black

    mode = Mode(target_versions={TargetVersion.PY310}, line_length=LINE_LENGTH - chunk.indent)
    return black.format_str(_dedent(chunk.lines, chunk.indent), mode=mode)


@dataclass
class Report:
    name: str
    lines: int
    chunks: int
    unstable: int
    unstable_lines: int
    whole_stable: bool
    diffs: list[str]


def measure(rendered: str, name: str) -> Report:
    diffs: list[str] = []
    unstable = unstable_lines = 0
    cut = chunks(rendered)
    for chunk in cut:
        mine = _dedent(chunk.lines, chunk.indent)
        theirs = black_of(chunk)
        if mine != theirs:
            unstable += 1
            unstable_lines += len(chunk.lines)
            diffs.extend(
                difflib.unified_diff(
                    mine.splitlines(keepends=True),
                    theirs.splitlines(keepends=True),
                    fromfile=f"{name}:{chunk.first + 1} (rendered, dedented {chunk.indent})",
                    tofile=f"{name}:{chunk.first + 1} (black)",
                    n=1,
                )
            )
    whole = format_python(rendered, name=name) == rendered
    return Report(name, rendered.count("\n"), len(cut), unstable, unstable_lines, whole, diffs)


def _expand(path: Path) -> list[Path]:
    """A folder of feature cases (`*/spec.yaml`) as its specs; anything else as given."""
    if path.is_dir() and not any(path.glob("*.y*ml")):
        return sorted(path.glob("*/spec.y*ml"))
    return [path]


def _percent(part: int, whole: int) -> str:
    return f"{100.0 * part / whole:.2f}%" if whole else "-"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("inputs", nargs="*", help="spec files or folders")
    parser.add_argument("--generated", type=int, default=0, help="also the benchmark's N specs")
    parser.add_argument("--quiet", action="store_true", help="summary lines only, no diffs")
    args = parser.parse_args(argv)
    groups: list[tuple[str, list[str]]] = [
        (arg, [str(p) for p in _expand(Path(arg))]) for arg in args.inputs
    ]
    with tempfile.TemporaryDirectory() as work:
        if args.generated:
            from benchmarks.generator import make_specs

            make_specs(Path(work), args.generated)
            groups.append((f"--generated {args.generated}", [work]))
        totals: list[str] = []
        any_unstable = False
        for label, inputs in groups:
            paths, problems = find_specs(inputs)
            tables, diagnostics = validate_files(paths)
            for problem in problems + diagnostics:
                print(problem, file=sys.stderr)
            if problems or diagnostics:
                return 2
            lines = unstable_lines = n_chunks = unstable = whole = 0
            for table in sorted(tables, key=lambda t: t.source):
                report = measure(render_table(table), f"{table.module}.py")
                if not args.quiet:
                    sys.stdout.writelines(report.diffs)
                print(
                    f"{table.source}: {report.chunks} chunks, {report.unstable} unstable, "
                    f"{report.unstable_lines} of {report.lines} lines in them "
                    f"({_percent(report.unstable_lines, report.lines)}); whole module "
                    f"{'black-stable' if report.whole_stable else 'changed by black'}"
                )
                lines += report.lines
                unstable_lines += report.unstable_lines
                n_chunks += report.chunks
                unstable += report.unstable
                whole += report.whole_stable
            any_unstable = any_unstable or unstable > 0
            totals.append(
                f"{label}: {len(tables)} modules, {lines} lines; {unstable} of {n_chunks} chunks "
                f"unstable, {unstable_lines} lines in them ({_percent(unstable_lines, lines)}); "
                f"{whole} of {len(tables)} whole modules black-stable"
            )
    print("\n".join(totals))
    return 1 if any_unstable else 0


if __name__ == "__main__":
    raise SystemExit(main())
