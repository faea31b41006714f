"""dynagen's cache folder: Jinja's compiled templates, and which spec text renders to what.

The input memo maps (the generator as installed, a spec's path and bytes) to the module it
generates and the hash of its rendered text (stamp.rendered_hash). A warm `build` or `check`
then skips loading, validating and rendering a spec whose bytes have not changed, and keeps the
output file when that file still carries the same rendered hash and its body is untouched. The
memo only remembers a deterministic function: a missing, unreadable or foreign entry just means
the spec is rendered again, and the output on disk is always checked against its stamp.

The folder is `$DYNAGEN_CACHE_DIR`, else `$XDG_CACHE_HOME/dynagen`, else `~/.cache/dynagen`;
`DYNAGEN_CACHE_DIR=` (empty) turns the cache off. Nothing is ever written into the output folder.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import json
import os
import uuid
from pathlib import Path

from dynagen import __version__

CACHE_ENV = "DYNAGEN_CACHE_DIR"
_MEMO_FORMAT = "1"
_THIRD_PARTY = ("black", "jinja2", "yaml")  # what renders and formats: their installs count


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


@functools.lru_cache(maxsize=1)
def fingerprint() -> str:
    """The generator as installed: its own sources and templates by content, and the black,
    Jinja2 and PyYAML installs by their files' size and time (a reinstall changes those)."""
    hasher = hashlib.sha256(f"{_MEMO_FORMAT}\0{__version__}\0".encode())
    package = Path(__file__).resolve().parent.parent
    sources = [
        path
        for path in package.rglob("*.py")
        if "runtime" not in path.relative_to(package).parts[:1]
    ]
    for path in sorted(sources) + sorted(templates_dir().glob("*.j2")):
        hasher.update(f"{path.name}\0".encode())
        hasher.update(hashlib.sha256(path.read_bytes()).digest())
    for module in _THIRD_PARTY:
        spec = importlib.util.find_spec(module)
        origin = spec.origin if spec is not None else None
        if origin is None:
            hasher.update(f"{module}\0absent\0".encode())
            continue
        info = os.stat(origin)
        hasher.update(f"{module}\0{origin}\0{info.st_size}\0{info.st_mtime_ns}\0".encode())
    return hasher.hexdigest()


def _memo_key(source: str, data: bytes) -> str:
    hasher = hashlib.sha256(f"{fingerprint()}\0{source}\0".encode("utf-8", "surrogatepass"))
    hasher.update(data)
    return hasher.hexdigest()


def recall(source: str, data: bytes) -> tuple[str, str] | None:
    """(module name, rendered hash) remembered for this spec text at this path, if any."""
    folder = subdir("inputs")
    if folder is None:
        return None
    key = _memo_key(source, data)
    try:
        entry = json.loads((folder / key[:2] / key).read_text(encoding="utf-8"))
        module, rendered = entry["module"], entry["rendered"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not (isinstance(module, str) and isinstance(rendered, str)):
        return None
    return module, rendered


def remember(source: str, data: bytes, module: str, rendered: str) -> None:
    """Keep (module name, rendered hash) for this spec text; silently skipped if the cache is
    off or not writable. Written to a temporary name and renamed, so readers see all or nothing."""
    folder = subdir("inputs")
    if folder is None:
        return
    key = _memo_key(source, data)
    target = folder / key[:2] / key
    temp = folder / f".{uuid.uuid4().hex}.tmp"
    try:
        target.parent.mkdir(exist_ok=True)
        temp.write_text(json.dumps({"module": module, "rendered": rendered}), encoding="utf-8")
        os.replace(temp, target)
    except OSError:
        temp.unlink(missing_ok=True)
