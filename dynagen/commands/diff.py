"""`dynagen diff --against REF_OR_DIR PATHS`: breaking changes since another version of the specs."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Mapping

from dynagen.commands import common
from dynagen.ops.diff import CATEGORIES

if TYPE_CHECKING:
    from dynagen.ops.diff import Finding
    from dynagen.spec.diagnostics import Diagnostic
    from dynagen.spec.model import Ignore, Table

HELP = "report breaking changes (WIRE, KEYS, TABLE, API) against another version of the specs"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--against",
        required=True,
        metavar="REF_OR_DIR",
        help="the old version: a git revision (main, HEAD~1, v1.2.0) whose files at the same "
        "paths are the old specs, or a folder holding an old checkout (the same relative paths)",
    )
    common.add_spec_inputs(parser)
    common.add_repeatable(
        parser,
        "--allow",
        CATEGORIES,
        "CATEGORY",
        "do not fail on this category (WIRE, KEYS, TABLE, API); repeatable",
    )


class OldSpecsError(Exception):
    pass


def _git(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], capture_output=True, text=True, timeout=60)


def _old_from_git(ref: str, inputs: list[str]) -> list[tuple[str, str]]:
    """(display path, text) of each old spec at `ref`, for the files and folders named now."""
    from dynagen.files import SPEC_SUFFIXES

    if _git("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").returncode != 0:
        raise OldSpecsError(f"--against {ref}: neither a folder nor a git revision here")
    found: list[tuple[str, str]] = []
    for name in inputs:
        path = Path(name).as_posix().rstrip("/") or "."
        kind = _git("cat-file", "-t", f"{ref}:./{path}")
        if kind.returncode != 0:
            continue  # new since then: nothing to compare
        if kind.stdout.strip() == "tree":
            listing = _git("ls-tree", "--name-only", ref, f"./{path}/")
            files = [
                f"{path}/{Path(line).name}"
                for line in listing.stdout.splitlines()
                if line.endswith(SPEC_SUFFIXES)
            ]
        else:
            files = [path]
        for file in sorted(files):
            shown = _git("show", f"{ref}:./{file}")
            if shown.returncode != 0:
                raise OldSpecsError(f"git show {ref}:{file}: {shown.stderr.strip()}")
            found.append((f"{ref}:{file}", shown.stdout))
    return found


def _old_from_folder(root: Path, inputs: list[str]) -> list[tuple[str, str]]:
    from dynagen.files import find_specs

    existing = [str(root / name) for name in inputs if (root / name).exists()]
    paths, _ = find_specs(existing) if existing else ([], [])
    found = []
    for path in paths:
        try:
            found.append((path, Path(path).read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError) as error:
            raise OldSpecsError(f"cannot read {path}: {error}") from None
    return found


def load_old(against: str, inputs: list[str]) -> tuple[list[Table], list[Diagnostic]]:
    from dynagen.spec.check import validate_text

    root = Path(against)
    texts = _old_from_folder(root, inputs) if root.is_dir() else _old_from_git(against, inputs)
    tables: list[Table] = []
    diagnostics: list[Diagnostic] = []
    for path, text in texts:
        table, found = validate_text(path, text)
        diagnostics.extend(found)
        if table is not None:
            tables.append(table)
    return tables, diagnostics


def run(args: argparse.Namespace) -> int:
    new = common.checked_specs(args.paths, args.format, "nothing compared")
    if new is None:
        return 1
    from dynagen.ops.diff import compare

    try:
        old, old_diagnostics = load_old(args.against, args.paths)
    except OldSpecsError as error:
        print(f"dynagen: {error}", file=sys.stderr)
        return 1
    if old_diagnostics:
        return common.report_spec_errors(
            old_diagnostics, args.format, f"the specs at {args.against} are not valid"
        )
    findings = compare(old, new)
    ignores = {table.source: table.ignores for table in new}
    return _report(findings, set(args.allow), args.format, ignores)


def _report(
    findings: list[Finding],
    allowed: set[str],
    fmt: str,
    ignores: Mapping[str, tuple[Ignore, ...]],
) -> int:
    from dynagen.ops.ignores import covering

    failing: list[str] = []  # the categories of the failing changes
    for finding in findings:
        line, col = common.position(finding.source, finding.where)
        is_note = finding.category not in CATEGORIES
        ignore = None
        if not is_note:
            ignore = covering(ignores.get(finding.source, ()), finding.category, finding.subject)
        passes = is_note or finding.category in allowed or ignore is not None
        if not passes:
            failing.append(finding.category)
        if is_note:
            label = "note"
        elif ignore is not None:
            label = f"{finding.category} (ignored: {ignore.reason})"
        else:
            label = finding.category + (" (allowed)" if passes else "")
        if fmt == "github":
            level = "notice" if is_note else "warning" if passes else "error"
            print(common.annotation(level, finding.source, line, col, f"{label}: {finding.message}"))  # fmt: skip
        else:
            print(f"{finding.source}:{line}:{col}: {label}: {finding.message}")
    breaking = [f for f in findings if f.category in CATEGORIES]
    if failing:
        print(
            f"dynagen: {common.plural(len(failing), 'breaking change')} "
            f"({', '.join(sorted(set(failing)))}); --allow CATEGORY accepts a category, an "
            "`ignore:` entry in the spec a category where it says",
            file=sys.stderr,
        )
        return 1
    allowed_count = len(breaking)
    tail = f" ({allowed_count} allowed or ignored)" if allowed_count else ""
    print(f"dynagen: no breaking changes{tail}", file=sys.stderr)
    return 0
