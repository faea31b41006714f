"""DynamoDB's own rules, in one place, so the spec check refuses what the runtime would refuse.

Standard library only: the spec layer and the runtime both import it, and neither imports the
other.
"""

from __future__ import annotations

import re
import unicodedata

TABLE_NAME_RE = re.compile(r"[A-Za-z0-9_.-]{3,255}")
"""A table name (use fullmatch): 3-255 characters of A-Z a-z 0-9 _ - ."""
TABLE_NAME_RULE = "DynamoDB table names are 3-255 characters of A-Z a-z 0-9 _ - ."

MAX_NUMBER_DIGITS = 38  # significant digits of an N value
MAX_NUMBER_EXPONENT = 125  # magnitude below 10**126
MIN_NUMBER_EXPONENT = -130  # and, when not zero, at least 10**-130
MAX_ITEM_BYTES = 400 * 1024
MAX_KEY_NAME_BYTES = 255  # table and index key attribute names
MAX_PARTITION_KEY_BYTES = 2048  # a partition key value
MAX_SORT_KEY_BYTES = 1024  # a sort key value
MAX_NESTED_CONTAINERS = 31  # lists and maps inside one attribute value (DynamoDB: "32 levels",
# the 32nd holding plain values; a 32nd list or map is refused, checked against DynamoDB Local)


def is_table_name(name: object) -> bool:
    return isinstance(name, str) and TABLE_NAME_RE.fullmatch(name) is not None


# Tags ("Tagging restrictions in DynamoDB", DynamoDB Developer Guide): keys of 1-128 and values
# of 0-256 Unicode characters, of letters, white space and numbers plus `+ - = . _ : /`; at most
# 50 per table; the `aws:` prefix is AWS's own (we refuse it in any case, as AWS's tagging rules do).
MAX_TAGS = 50
MAX_TAG_KEY_CHARS = 128
MAX_TAG_VALUE_CHARS = 256
TAG_PUNCTUATION = "+-=._:/"
TAG_CHARACTERS_RULE = "letters, numbers, spaces and + - = . _ : /"
RESERVED_TAG_PREFIX = "aws:"


def tag_character_problem(text: str) -> str | None:
    """The first character DynamoDB does not allow in a tag key or value, described, or None."""
    for index, char in enumerate(text):
        category = unicodedata.category(char)
        if category[0] in "LN" or category == "Zs" or char in TAG_PUNCTUATION:
            continue
        return f"character {index + 1} ({char!r}) is not allowed: tags hold {TAG_CHARACTERS_RULE}"
    return None
