"""Keep credentials out of logs, even at DEBUG.

botocore's debug logging prints request headers and the canonical request, which carry the
session token and the access key id (never the secret key). make_client installs this filter
on botocore's and urllib3's loggers (and the direct transport's); it rewrites any record that holds a credential.
"""

from __future__ import annotations

import logging
import re
import threading

_PATTERNS = (
    (re.compile(r"(?i)(x-amz-security-token['\"]?\s*[:=]\s*b?['\"]?)[^'\",\s}]+"), r"\1***"),
    (re.compile(r"(Credential=)[^/\s,'\"]+"), r"\1***"),
    (re.compile(r"(Signature=)[0-9a-fA-F]+"), r"\1***"),
)
_LOGGERS = (
    "botocore",
    "botocore.auth",
    "botocore.endpoint",
    "botocore.awsrequest",
    "botocore.httpsession",
    "botocore.credentials",
    "botocore.hooks",
    "botocore.parsers",
    "botocore.retryhandler",
    "botocore.utils",
    "urllib3",
    "urllib3.connectionpool",
    "dynagen.runtime.transport",
)
_lock = threading.Lock()


class RedactCredentials(logging.Filter):
    """Replaces session tokens, access key ids and signatures by `***`."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken record is the logging module's business
            return True
        redacted = message
        for pattern, replacement in _PATTERNS:
            redacted = pattern.sub(replacement, redacted)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


_FILTER = RedactCredentials()


def install() -> None:
    """Attach the filter to botocore's and urllib3's loggers (once)."""
    with _lock:
        for name in _LOGGERS:
            logger = logging.getLogger(name)
            if _FILTER not in logger.filters:
                logger.addFilter(_FILTER)
