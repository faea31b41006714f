"""No import cycle inside dynagen.runtime, module by module, `if TYPE_CHECKING:` imports included.

import-linter's `acyclic_siblings` contract (pyproject.toml, run by scripts/test.sh) finds cycles
between the runtime's submodules, but not one that goes through the package's own __init__ (a
module doing `from dynagen.runtime import Page` while __init__ imports that module). This test
builds the import graph with grimp, import-linter's graph library, and looks at every module,
the package itself included.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import grimp
import pytest

RUNTIME = "dynagen.runtime"


def package_graph(package: str) -> dict[str, set[str]]:
    """{module: modules of `package` it imports directly}, counting imports under TYPE_CHECKING."""
    root = package.split(".")[0]
    graph = grimp.build_graph(root, exclude_type_checking_imports=False, cache_dir=None)
    modules = graph.find_descendants(package) | {package}
    return {m: graph.find_modules_directly_imported_by(m) & modules for m in sorted(modules)}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components that hold a cycle (Tarjan), each sorted, in order."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(edges.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1 or node in edges.get(node, ()):
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return sorted(found)


def test_cycle_finder_finds_cycles_and_passes_a_tree() -> None:
    """The check below can fail: a two-module loop, a self-import and a longer loop are found."""
    assert cycles({"a": {"b"}, "b": {"c"}, "c": set()}) == []
    assert cycles({"a": {"b"}, "b": {"a"}, "c": {"a"}}) == [["a", "b"]]
    assert cycles({"a": {"a"}}) == [["a"]]
    assert cycles({"p": {"x"}, "x": {"y"}, "y": {"p"}, "z": {"p"}}) == [["p", "x", "y"]]


def test_the_graph_counts_type_checking_imports_and_imports_of_the_package_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "cyclepkg"
    package.mkdir()
    files = {
        "__init__.py": "from cyclepkg.a import A\nfrom cyclepkg.c import C\n",
        "a.py": "A = 1\nfrom cyclepkg import b\n",
        "b.py": """
            from typing import TYPE_CHECKING
            if TYPE_CHECKING:
                from cyclepkg.a import A
            """,
        "c.py": "from cyclepkg import A\nC = A\n",  # the package's __init__, not a submodule
    }
    for name, text in files.items():
        (package / name).write_text(textwrap.dedent(text), encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    edges = package_graph("cyclepkg")
    assert edges["cyclepkg.b"] == {"cyclepkg.a"}
    assert edges["cyclepkg.c"] == {"cyclepkg"}
    # the second is the kind that acyclic_siblings does not see: through the package's __init__
    assert cycles(edges) == [["cyclepkg", "cyclepkg.c"], ["cyclepkg.a", "cyclepkg.b"]]


def test_the_graph_holds_the_runtime_modules() -> None:
    edges = package_graph(RUNTIME)
    assert {f"{RUNTIME}.endpoint", f"{RUNTIME}.errors", f"{RUNTIME}.expressions.paths"} <= set(
        edges
    )
    assert f"{RUNTIME}.transact" in edges[RUNTIME]  # __init__ imports its modules


def test_the_runtime_has_no_import_cycle() -> None:
    edges = package_graph(RUNTIME)
    found = cycles(edges)
    details = [
        f"  {importer} -> {imported}"
        for component in found
        for importer in component
        for imported in sorted(edges[importer] & set(component))
    ]
    assert found == [], "import cycles inside dynagen.runtime:\n" + "\n".join(details)
