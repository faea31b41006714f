"""Session fixtures: generation runs black, which is slow, so each input set is generated once."""

from __future__ import annotations

import pytest

from tests.codegen.support import ROOT, generate_in


@pytest.fixture(scope="session")
def generated_examples() -> dict[str, str]:
    """`generate(["specs/"])` run from the repository root: {file name: text}."""
    return generate_in(ROOT, ["specs/"])
