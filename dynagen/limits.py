"""DynamoDB's own rules, in one place, so the spec check refuses what the runtime would refuse.

Standard library only: the spec layer and the runtime both import it, and neither imports the
other.
"""

from __future__ import annotations

import re

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
