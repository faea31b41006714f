"""Generation is a pure function of the specs: same bytes every run, whatever the input order."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.codegen.support import ROOT, generate_in, subprocess_env

_DUMP = (
    "import json, sys\n"
    "from dynagen.codegen.generate import generate\n"
    "json.dump(generate(['specs/']), sys.stdout)\n"
)


def test_generating_twice_gives_identical_bytes(generated_examples: dict[str, str]) -> None:
    again = generate_in(ROOT, ["specs/"])
    assert list(again) == list(generated_examples)
    for name, text in again.items():
        assert text.encode("utf-8") == generated_examples[name].encode("utf-8"), name


@pytest.mark.parametrize(
    "inputs",
    [
        ["specs/user_sessions.yaml", "specs/shop.yaml", "specs/projects.yaml", "specs/orders.yaml", "specs/ledger.yaml"],  # fmt: skip
        ["specs/ledger.yaml", "specs/", "specs/orders.yaml"],  # a file twice: still one module
    ],
    ids=["files-in-reverse-order", "folder-and-files-mixed"],
)
def test_output_does_not_depend_on_the_order_of_input_paths(
    inputs: list[str], generated_examples: dict[str, str]
) -> None:
    assert generate_in(ROOT, inputs) == generated_examples


def test_output_does_not_depend_on_the_hash_seed(generated_examples: dict[str, str]) -> None:
    """Set and dict iteration orders change with PYTHONHASHSEED; the output must not."""
    children = [
        subprocess.Popen(
            [sys.executable, "-c", _DUMP],
            cwd=ROOT,
            env=subprocess_env(PYTHONHASHSEED=seed),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for seed in ("1", "4242")
    ]
    for child in children:
        stdout, stderr = child.communicate(timeout=300)
        assert child.returncode == 0, stderr
        assert json.loads(stdout) == generated_examples


@pytest.mark.parametrize(
    "spelling",
    [
        "./specs",
        "specs/../specs/",
        str(ROOT / "specs"),
    ],
    ids=["dot-slash", "dot-dot", "absolute"],
)
def test_header_paths_do_not_depend_on_how_the_spec_folder_is_spelled(
    spelling: str, generated_examples: dict[str, str]
) -> None:
    assert generate_in(ROOT, [spelling]) == generated_examples
