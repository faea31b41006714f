"""dynagen's cache folder (Jinja's compiled templates), and where the templates are.

What a warm `build` or `check` skips is decided from the generated files' own stamps (stamp.py),
not from this folder, so it works the same on a machine that never built the specs. The cache
only saves Jinja's compile step; a missing or unwritable folder just means templates are compiled
again.

The folder is `$DYNAGEN_CACHE_DIR`, else `$XDG_CACHE_HOME/dynagen`, else `~/.cache/dynagen`;
`DYNAGEN_CACHE_DIR=` (empty) turns the cache off. Nothing is ever written into the output folder.
"""

from __future__ import annotations

import os
from pathlib import Path

CACHE_ENV = "DYNAGEN_CACHE_DIR"


def cache_dir() -> Path | None:
    """The cache folder, or None when the cache is turned off."""
    explicit = os.environ.get(CACHE_ENV)
    if explicit is not None:
        return Path(explicit) if explicit else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "dynagen"


def subdir(name: str) -> Path | None:
    """A folder of the cache, made if need be; None when off or not writable."""
    root = cache_dir()
    if root is None:
        return None
    folder = root / name
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return folder if os.access(folder, os.W_OK) else None


def templates_dir() -> Path:
    """Installed wheels carry the templates inside the package; a source checkout has them at the top."""
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / "templates", package.parent / "templates"):
        if (candidate / "module.py.j2").is_file():
            return candidate
    raise FileNotFoundError(f"dynagen templates not found next to {package}")
