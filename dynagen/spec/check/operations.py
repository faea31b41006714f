"""How the table is operated, not what it stores: deletion protection, point-in-time recovery,
tags, and the `ignore:` block that leaves vet rules or diff categories out, with a reason.

Each setting is None when the spec does not write it: `dynagen tables apply` then leaves the
live table's setting alone, so adopting a spec never turns off what someone turned on by hand.
"""

from __future__ import annotations

from dynagen.limits import (
    MAX_TAG_KEY_CHARS,
    MAX_TAG_VALUE_CHARS,
    MAX_TAGS,
    RESERVED_TAG_PREFIX,
    tag_character_problem,
)
from dynagen.spec.check.nodes import Checker, hint
from dynagen.spec.load import Node, Scalar, Seq
from dynagen.spec.model import Entity, Ignore, Index
from dynagen.spec.rules import DIFF_CATEGORIES, RULES, SCOPES, VET_RULES, VET_SCOPES

IGNORE_FIELDS = {"rule", "reason", *SCOPES}


def setting(check: Checker, node: Node | None, what: str) -> bool | None:
    """`deletion_protection` / `point_in_time_recovery`: true, false, or not written (None)."""
    if node is None:
        return None
    return check.flag(node, what)


def tags(check: Checker, node: Node | None) -> tuple[tuple[str, str], ...] | None:
    """`tags: {key: value}` within DynamoDB's tagging rules; `{}` means no tags at all."""
    if node is None:
        return None
    body = check.mapping(node, "tags")
    if body is None:
        return None
    found: list[tuple[str, str]] = []
    for key, value in body.entries:
        name = key.text
        problem = _tag_problem(name, 1, MAX_TAG_KEY_CHARS)
        if problem is None and name.lower().startswith(RESERVED_TAG_PREFIX):
            problem = f"the {RESERVED_TAG_PREFIX!r} prefix is reserved for AWS"
        if problem:
            check.error(key, f"tag key {name!r}: {problem}")
            continue
        if not (isinstance(value, Scalar) and isinstance(value.value, str)):
            shown = value.text if isinstance(value, Scalar) else "a " + type(value).__name__.lower()
            check.error(value, f"tag {name!r}: the value must be a string (got {shown}; quote it)")
            continue
        problem = _tag_problem(value.value, 0, MAX_TAG_VALUE_CHARS)
        if problem:
            check.error(value, f"tag {name!r}: the value: {problem}")
            continue
        found.append((name, value.value))
    if len(body.entries) > MAX_TAGS:
        check.error(node, f"{len(body.entries)} tags: DynamoDB allows at most {MAX_TAGS} per table")
    return tuple(sorted(found))


def _tag_problem(text: str, shortest: int, longest: int) -> str | None:
    if not shortest <= len(text) <= longest:
        return f"{len(text)} characters long; {shortest}-{longest} allowed"
    return tag_character_problem(text)


def ignores(
    check: Checker,
    node: Node | None,
    entities: list[Entity],
    indexes: list[Index],
    types: list[str],
) -> tuple[Ignore, ...]:
    """`ignore:`, a list of `{rule, reason, [entity|attribute|index|type]}`; every name checked."""
    if node is None:
        return ()
    if not isinstance(node, Seq):
        check.error(node, "ignore must be a list of {rule: NAME, reason: TEXT} entries")
        return ()
    known = {
        "entity": [e.name for e in entities],
        "attribute": [a.name for e in entities for a in e.attributes],
        "index": [i.name for i in indexes],
        "type": list(types),
    }
    found: list[Ignore] = []
    for item in node.items:
        entry = check.mapping(item, "an ignore entry")
        if entry is None:
            continue
        check.fields(entry, IGNORE_FIELDS, ("rule", "reason"), "an ignore entry")
        rule_node = entry.get("rule")
        rule = check.text(rule_node, "ignore rule")
        reason = check.prose(entry.get("reason"), "ignore reason")
        if rule is not None and rule_node is not None and rule not in RULES:
            check.error(
                rule_node,
                f"unknown rule {rule!r}: ignore takes a vet rule ({', '.join(VET_RULES)}) or a "
                f"diff category ({', '.join(DIFF_CATEGORIES)})" + _rule_hint(rule),
            )
            rule = None
        scope: dict[str, str] = {}
        for what in SCOPES:
            scope_node = entry.get(what)
            name = check.name(scope_node, f"ignore {what}")
            if name is None or scope_node is None:
                continue
            if rule in VET_RULES and what not in VET_SCOPES:
                check.error(scope_node, f"vet rule {rule!r} warns about the table or an index: narrow it with `index`, not `{what}`")  # fmt: skip
            elif rule in VET_RULES and name not in known[what]:
                # A diff category may name what the spec no longer has (a removed attribute).
                check.error(scope_node, f"ignore {what} {name!r}: no such {what} in this spec" + hint(name, known[what]))  # fmt: skip
            else:
                scope[what] = name
        if rule is not None and reason is not None:
            found.append(Ignore(rule, reason, **scope))
    return tuple(found)


def _rule_hint(rule: str) -> str:
    """` (did you mean ...?)`, minding case: vet rules are lower-case, diff categories upper."""
    for spelled in (rule.upper(), rule.lower()):
        if spelled in RULES:
            return f" (did you mean {spelled!r}?)"
    return hint(rule, RULES)
