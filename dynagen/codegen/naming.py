"""Python identifiers derived from spec names, in one place so every template agrees."""

from __future__ import annotations

import re


def pascal(name: str) -> str:
    """`user_sessions` -> `UserSessions` (already-Pascal names are kept)."""
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[_\W]+", name) if part)


def snake(name: str) -> str:
    """`LineItem` -> `line_item`, `HTTPRequest` -> `http_request`."""
    name = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", name)
    name = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    return name.lower()


def table_class(module: str) -> str:
    return pascal(module) + "Table"


def marshal_function(type_name: str, *, public: bool) -> str:
    return ("" if public else "_") + "marshal_" + snake(type_name)


def unmarshal_function(type_name: str, *, public: bool) -> str:
    return ("" if public else "_") + "unmarshal_" + snake(type_name)


def fields_table(type_name: str) -> str:
    """The per-attribute decoder table used to name the culprit when a decode fails."""
    return "_" + snake(type_name).upper() + "_FIELDS"


def key_function(entity: str) -> str:
    return snake(entity) + "_key"
