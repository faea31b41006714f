"""Every runtime module has its own unit test file here, so a new module cannot arrive untested.

The mapping: `dynagen/runtime/<m>.py` -> `tests/runtime/test_<m>.py`, its `__init__.py` ->
`test_init.py`; `dynagen/runtime/expressions/<m>.py` -> `test_expressions_<m>.py`, and the
package's `__init__.py` (expression_fields) -> `test_expressions.py`.
"""

from __future__ import annotations

from pathlib import Path

import dynagen.runtime

RUNTIME = Path(dynagen.runtime.__file__).resolve().parent
HERE = Path(__file__).resolve().parent


def expected_test_file(module: Path) -> str:
    """The test file a runtime module's tests live in, by the mapping above."""
    parts = module.relative_to(RUNTIME).with_suffix("").parts
    stem = "init" if parts[-1] == "__init__" else parts[-1]
    if len(parts) == 1:
        return f"test_{stem}.py"
    package = "_".join(parts[:-1])
    return f"test_{package}.py" if stem == "init" else f"test_{package}_{stem}.py"


def test_the_mapping() -> None:
    assert expected_test_file(RUNTIME / "endpoint.py") == "test_endpoint.py"
    assert expected_test_file(RUNTIME / "__init__.py") == "test_init.py"
    assert expected_test_file(RUNTIME / "expressions" / "__init__.py") == "test_expressions.py"
    assert expected_test_file(RUNTIME / "expressions" / "sort.py") == "test_expressions_sort.py"


def test_every_runtime_module_has_its_test_file() -> None:
    modules = sorted(RUNTIME.rglob("*.py"))
    assert len(modules) >= 27  # 20 modules and 7 in expressions/, when this was written
    missing = [
        f"{module.relative_to(RUNTIME)} -> {expected_test_file(module)}"
        for module in modules
        if not (HERE / expected_test_file(module)).is_file()
    ]
    assert missing == []


def test_every_test_file_has_tests_and_names_its_module() -> None:
    """An empty file, or one about another module, does not count."""
    for module in sorted(RUNTIME.rglob("*.py")):
        text = (HERE / expected_test_file(module)).read_text(encoding="utf-8")
        assert "\ndef test_" in text, expected_test_file(module)
        dotted = ".".join(
            ("dynagen", "runtime", *module.relative_to(RUNTIME).with_suffix("").parts)
        )
        dotted = dotted.removesuffix(".__init__")
        assert text.startswith(f'"""{dotted}'), (expected_test_file(module), dotted)
