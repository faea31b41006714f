"""Session fixtures: generation runs black, which is slow, so each input set is generated once."""

from __future__ import annotations

import pytest

from tests.codegen.support import GOLDEN_SPECS_ARG, ROOT, generate_in, golden_names


@pytest.fixture(scope="session")
def generated_examples() -> dict[str, str]:
    """`generate(["specs/"])` run from the repository root: {file name: text}."""
    return generate_in(ROOT, ["specs/"])


@pytest.fixture(scope="session")
def generated_goldens() -> dict[str, str]:
    """{golden name: module text}, every golden spec generated from the repository root."""
    files = generate_in(ROOT, [f"{GOLDEN_SPECS_ARG}/{name}.yaml" for name in golden_names()])
    return {name: files[f"{name}.py"] for name in golden_names()}
