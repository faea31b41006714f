"""The Jinja environment over the top-level templates/ folder (shipped in the wheel as dynagen/templates)."""

from __future__ import annotations

import functools

import jinja2

from dynagen.naming import constant
from dynagen.codegen.single_table import TemplatedModuleView
from dynagen.codegen.memo import subdir, templates_dir
from dynagen.codegen.view import ModuleView

__all__ = ["RUNTIME_API", "environment", "render_module", "render_package_init", "templates_dir"]


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


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Templates compiled once per installation: Jinja keeps their code, keyed by the template's
    source checksum, under the cache folder (memo.py); None when the cache is off."""
    folder = subdir(f"jinja-{jinja2.__version__}")
    return jinja2.FileSystemBytecodeCache(str(folder)) if folder is not None else None


@functools.lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        bytecode_cache=_bytecode_cache(),
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


RUNTIME_API = 5
"""The runtime API the templates speak (`dynagen.runtime.internal.API_VERSION` must match)."""


def render_module(view: ModuleView) -> str:
    return environment().get_template("module.py.j2").render(m=view)


def render_templated_module(view: TemplatedModuleView) -> str:
    """A single-table module: several entities with template keys (SPEC section 4)."""
    return environment().get_template("single_table.py.j2").render(m=view)


def render_package_init(modules: list[str], version: str) -> str:
    return environment().get_template("package_init.py.j2").render(modules=modules, version=version)
