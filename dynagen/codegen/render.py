"""The Jinja environment over the top-level templates/ folder (shipped in the wheel as dynagen/templates)."""

from __future__ import annotations

import functools
from pathlib import Path

import jinja2

from dynagen.naming import constant
from dynagen.codegen.single_table import TemplatedModuleView
from dynagen.codegen.view import ModuleView


def templates_dir() -> Path:
    """Installed wheels carry the templates inside the package; a source checkout has them at the top."""
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / "templates", package.parent / "templates"):
        if (candidate / "module.py.j2").is_file():
            return candidate
    raise FileNotFoundError(f"dynagen templates not found next to {package}")


def _py(value: object) -> str:
    """A Python literal: strings, numbers, None, tuples, lists, dicts."""
    if isinstance(value, jinja2.Undefined):
        value._fail_with_undefined_error()  # a template bug: fail here, not in mypy later
    return repr(value)


def _docstring(text: str) -> str:
    """Text safe inside a triple-quoted docstring."""
    text = text.strip().replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    return text + " " if text.endswith('"') else text  # `""""` would end the docstring early


def _const(name: str) -> str:
    return constant(name)


@functools.lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,  # we generate Python, not HTML
    )
    env.filters["py"] = _py
    env.filters["docstring"] = _docstring
    env.filters["const"] = _const
    return env


RUNTIME_API = 4
"""The runtime API the templates speak (`dynagen.runtime.internal.API_VERSION` must match)."""


def render_module(view: ModuleView) -> str:
    return environment().get_template("module.py.j2").render(m=view)


def render_templated_module(view: TemplatedModuleView) -> str:
    """A single-table module: several entities with template keys (SPEC section 4)."""
    return environment().get_template("single_table.py.j2").render(m=view)


def render_package_init(modules: list[str], version: str) -> str:
    return environment().get_template("package_init.py.j2").render(modules=modules, version=version)
