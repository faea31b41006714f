"""The committed generated_example/ is exactly what `generate(["specs/"])` gives today."""

from __future__ import annotations

from tests.codegen.support import EXAMPLE_DIR

BUILD_HINT = "run `dynagen build specs/ -o generated_example/` from the repository root"


def test_generated_example_holds_exactly_the_generated_files(
    generated_examples: dict[str, str],
) -> None:
    on_disk = sorted(path.name for path in EXAMPLE_DIR.iterdir() if path.is_file())
    assert on_disk == sorted(generated_examples), BUILD_HINT
    assert {"__init__.py", "py.typed"} <= set(on_disk)


def test_generated_example_files_equal_the_generated_text_byte_for_byte(
    generated_examples: dict[str, str],
) -> None:
    stale = [
        name
        for name, text in sorted(generated_examples.items())
        if not (EXAMPLE_DIR / name).is_file()
        or (EXAMPLE_DIR / name).read_bytes() != text.encode("utf-8")
    ]
    assert stale == [], f"out of date in generated_example/: {', '.join(stale)}; {BUILD_HINT}"
