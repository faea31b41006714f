"""The README's tour is what a newcomer copies first: its spec must build as shown, its links
must stay inside the repository, and every name its Python uses must exist."""

from __future__ import annotations

import re
from pathlib import Path

from tests.codegen.support import ROOT, build_and_load

README = ROOT / "README.md"


def _blocks(language: str) -> list[str]:
    text = README.read_text(encoding="utf-8")
    return re.findall(rf"```{language}\n(.*?)```", text, flags=re.S)


def test_the_readme_spec_builds_as_shown(tmp_path: Path) -> None:
    specs = [block for block in _blocks("yaml") if block.startswith("version: 1")]
    assert len(specs) == 1
    module = build_and_load(tmp_path, specs[0], "orders")
    order = module.Order  # the classes the tour's Python uses
    assert {"OrderAttrs", "OrderStatus", "OrdersTable"} <= set(module.__all__)
    assert "placed_at" in order.__dataclass_fields__
    assert hasattr(module.OrdersTable, "query_by_status")


def test_the_readme_python_names_exist_in_the_example_module() -> None:
    from generated_example import orders

    for block in _blocks("python"):
        for name in re.findall(r"from generated_example\.orders import ([\w, ]+)", block):
            for imported in name.split(","):
                assert hasattr(orders, imported.strip()), imported


def test_no_link_in_the_docs_leaves_the_repository() -> None:
    pages = [
        README,
        *sorted((ROOT / "docs").glob("*.md")),
        *sorted((ROOT / "benchmarks").glob("*.md")),
    ]
    for page in pages:
        text = page.read_text(encoding="utf-8")
        for target in re.findall(r"\]\(([^)]+)\)", text):
            assert not re.match(r"[a-z]+://", target), f"{page.name}: {target}"
            resolved = (page.parent / target.split("#")[0]).resolve()
            assert resolved.is_relative_to(ROOT) and resolved.exists(), f"{page.name}: {target}"
        assert "../shared" not in text, page.name
