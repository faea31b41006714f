"""The whole generator in one call: spec paths -> {file name: formatted text}, or every spec error."""

from __future__ import annotations

from dynagen import __version__
from dynagen.codegen.output import format_python
from dynagen.codegen.render import (
    RUNTIME_API,
    render_module,
    render_package_init,
    render_templated_module,
)
from dynagen.codegen.single_table import templated_module_view
from dynagen.codegen.view import module_view
from dynagen.spec.model import Table
from dynagen.files import find_specs
from dynagen.spec.check import validate_files
from dynagen.spec.diagnostics import SpecErrors


def generate(inputs: list[str]) -> dict[str, str]:
    """Render every spec named by `inputs` (files or folders); raises SpecErrors with all
    diagnostics if any spec is wrong."""
    paths, problems = find_specs(inputs)
    tables, diagnostics = validate_files(paths)
    diagnostics = problems + diagnostics
    if diagnostics:
        raise SpecErrors(diagnostics)
    files: dict[str, str] = {}
    for table in sorted(tables, key=lambda t: t.module):
        name = f"{table.module}.py"
        files[name] = format_python(render_table(table), name=name)
    modules = sorted(table.module for table in tables)
    files["__init__.py"] = format_python(
        render_package_init(modules, __version__), name="__init__.py"
    )
    files["py.typed"] = ""
    return files


def render_table(table: Table) -> str:
    """One table's module, before formatting: section 2's for one entity, section 4's for templates."""
    if table.is_single_table:
        templated = templated_module_view(
            table, dynagen_version=__version__, api_version=RUNTIME_API
        )
        return render_templated_module(templated)
    view = module_view(table, dynagen_version=__version__, api_version=RUNTIME_API)
    return render_module(view)
