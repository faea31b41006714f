"""The names a spec's `ignore:` block may use: `dynagen vet`'s rules and `dynagen diff`'s categories.

They live here, below both the checker (which refuses an unknown name where it is written) and
`dynagen.ops` (which emits findings under these names), so the two cannot drift apart.
"""

from __future__ import annotations

VET_RULES = (
    "hot-partition",
    "local-index-limit",
    "large-projection",
    "scan-only",
    "narrow-int-part",
)
DIFF_CATEGORIES = ("WIRE", "KEYS", "TABLE", "API")
RULES = VET_RULES + DIFF_CATEGORIES

# What an ignore may be narrowed to, per rule: vet's findings sit at the table or at an index;
# diff's at an entity, an attribute, an index or a type (record or enum) too.
SCOPES = ("entity", "attribute", "index", "type")
VET_SCOPES = ("index",)
