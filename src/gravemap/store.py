"""Reading and writing `data/sites.geojson` without ever losing or corrupting it.

Reads explain what is wrong in words a researcher can act on (line and column of a JSON
error, every schema problem). Writes validate first, then replace the file atomically (a
temporary file in the same folder, flushed, fsynced and renamed over the old one) while holding
an exclusive lock, so concurrent writers all land and a writer killed at any instant leaves the
old file or the new one, never a broken one. Output is deterministic (sorted keys, two-space
indent, final newline) so that one edit is one small diff.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import signal
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gravemap.errors import DataFileError, ValidationError
from gravemap.files import remove_stale_temporaries, write_atomic
from gravemap.model import SCHEMA_VERSION, SiteCollection, validate_collection

DEFAULT_DATA = Path("data/sites.geojson")
LOCK_TIMEOUT_S = 120.0


@dataclass(frozen=True)
class LoadedFile:
    """A data file as read: its parsed JSON, its bytes' SHA-256 and the typed collection."""

    path: Path
    data: dict[str, Any]
    sha256: str
    collection: SiteCollection


def dumps_collection(data: dict[str, Any]) -> str:
    """The canonical text of a collection: UTF-8, sorted keys, two-space indent, final newline."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2, allow_nan=False) + "\n"


def empty_collection() -> dict[str, Any]:
    return {"type": "FeatureCollection", "gravemap": {"schema": SCHEMA_VERSION}, "features": []}


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON; write a number or null")


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj: dict[str, Any] = {}
    for key, value in pairs:
        if key in obj:
            raise ValueError(f"the key {key!r} appears twice in one object; keep one")
        obj[key] = value
    return obj


def parse_json(raw: bytes, source: str) -> Any:
    """Parse bytes as strict JSON, raising DataFileError with line and column on failure."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataFileError(
            source, f"is not UTF-8 text (byte {exc.start}); re-save the file as UTF-8"
        ) from None
    if not text.strip():
        raise DataFileError(source, "is empty; it should hold a GeoJSON FeatureCollection")
    try:
        return json.loads(
            text, object_pairs_hook=_no_duplicate_keys, parse_constant=_reject_constant
        )
    except json.JSONDecodeError as exc:
        raise DataFileError(
            source,
            f"line {exc.lineno}, column {exc.colno}: not valid JSON ({exc.msg}); "
            "fix the text there, or restore the file with `git checkout`",
        ) from None
    except ValueError as exc:
        raise DataFileError(source, f"not valid JSON: {exc}") from None
    except RecursionError:
        raise DataFileError(source, "is nested too deeply to be a gravemap data file") from None


def parse_collection(raw: bytes, source: str, *, check_country: bool = True) -> dict[str, Any]:
    """Parse and validate a data file's bytes; raises DataFileError or ValidationError."""
    data = parse_json(raw, source)
    problems = validate_collection(data, check_country=check_country)
    if problems:
        raise ValidationError(problems, source=source)
    return data


def read_data_bytes(path: str | os.PathLike[str]) -> bytes:
    """The bytes of a data file, or a DataFileError that says what to do."""
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise DataFileError(
            str(path),
            "does not exist; pass --data PATH (or set GRAVEMAP_DATA), "
            "or create it with `gravemap add`",
        ) from None
    except IsADirectoryError:
        raise DataFileError(str(path), "is a folder; give the path of the .geojson file") from None
    except OSError as exc:
        raise DataFileError(str(path), f"cannot be read: {exc.strerror}") from None


def load_file(path: str | os.PathLike[str], *, missing_ok: bool = False) -> LoadedFile:
    """Read, parse and validate a data file. A missing file is an empty collection if allowed."""
    path = Path(path)
    if missing_ok and not path.exists():
        data = empty_collection()
        return LoadedFile(path, data, hashlib.sha256(b"").hexdigest(), SiteCollection())
    raw = read_data_bytes(path)
    data = parse_collection(raw, str(path))
    return LoadedFile(
        path, data, hashlib.sha256(raw).hexdigest(), SiteCollection.from_geojson(data)
    )


def load_collection(path: str | os.PathLike[str], *, missing_ok: bool = False) -> SiteCollection:
    """The sites of a data file, validated."""
    return load_file(path, missing_ok=missing_ok).collection


def _lock(path: Path):
    from filelock import FileLock

    return FileLock(str(path) + ".lock", timeout=LOCK_TIMEOUT_S)


def _real(path: str | os.PathLike[str]) -> Path:
    """The file a path names, through any symlinks: lock and replace that, not the link."""
    return Path(os.path.realpath(path)) if os.path.islink(path) else Path(path)


def _write_checked(path: Path, payload: bytes, shown: str) -> None:
    """write_atomic, refusing a read-only file and turning OS errors into DataFileError."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        mode = None
    if mode is not None and not mode & 0o222:
        raise DataFileError(
            shown, "is read-only; nothing was written (make it writable if you mean to change it)"
        )
    remove_stale_temporaries(path)  # under the lock: no other gravemap is writing
    try:
        with _terminate_as_interrupt():
            write_atomic(path, payload)
    except OSError as exc:
        raise DataFileError(
            shown, f"cannot be written ({exc.strerror or exc}); nothing was changed"
        ) from None


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


@contextlib.contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """Handle SIGTERM like Ctrl-C (SIGINT) while a save runs, so that the write stops with
    its temporary file removed and the old data file intact, instead of dying mid-write."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous if previous is not None else signal.SIG_DFL)


def _serialise(collection: SiteCollection, source: str) -> bytes:
    data = collection.to_geojson()
    problems = validate_collection(data)
    if problems:
        raise ValidationError(problems, source=source)
    return dumps_collection(data).encode("utf-8")


def save_collection(path: str | os.PathLike[str], collection: SiteCollection) -> bool:
    """Validate and write a collection under the lock. Returns False if the file was unchanged.

    Prefer `edit_collection`, which also holds the lock while reading, so that no concurrent
    change is lost between the read and the write.
    """
    shown = str(path)
    payload = _serialise(collection, shown)
    real = _real(path)
    with _lock(real):
        return _write_if_changed(real, payload, shown)


def _write_if_changed(path: Path, payload: bytes, shown: str) -> bool:
    try:
        if path.read_bytes() == payload:
            return False
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
    _write_checked(path, payload, shown)
    return True


@contextlib.contextmanager
def edit_collection(
    path: str | os.PathLike[str], *, create: bool = False, dry_run: bool = False
) -> Iterator[SiteCollection]:
    """Lock the file, load it, let the caller change the collection, then validate and save.

    Nothing is written if the block raises, if validation fails, or with `dry_run`. The lock
    is held from the read to the write, so concurrent `gravemap add` runs all land.
    """
    from filelock import Timeout

    shown = str(path)
    path = _real(path)
    if dry_run:  # nothing will be written: no folder, no lock file
        collection = load_collection(path, missing_ok=create)
        yield collection
        _serialise(collection, shown)
        return
    if not create and not path.exists():
        load_collection(shown)  # raises the "does not exist" message, creating nothing
    if create:
        path.parent.mkdir(parents=True, exist_ok=True)
    lock = _lock(path)
    try:
        lock.acquire()
    except Timeout:
        raise DataFileError(
            str(path),
            f"another gravemap has held its lock for {LOCK_TIMEOUT_S:.0f} s; "
            f"wait for it to finish (or delete {path}.lock if no gravemap is running)",
        ) from None
    except OSError as exc:
        raise DataFileError(str(path), f"cannot be locked: {exc.strerror}") from None
    try:
        collection = load_collection(path, missing_ok=create)
        yield collection
        _write_if_changed(path, _serialise(collection, shown), shown)
    finally:
        lock.release()
