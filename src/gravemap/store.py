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
from gravemap.files import open_regular, remove_stale_temporaries, write_atomic
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


def _plain_number(value: Any) -> bool:
    """Whether orjson and Python write this number alike: ints, and floats Python writes
    without an exponent (0, or 1e-4 <= |x| < 1e16); orjson writes `1e-7` where Python
    writes `1e-07`."""
    return type(value) is not float or value == 0 or 1e-4 <= abs(value) < 1e16


def _numbers_written_alike(value: Any) -> bool:
    if isinstance(value, dict):
        return all(_numbers_written_alike(v) for v in value.values())
    if isinstance(value, list):
        return all(_numbers_written_alike(v) for v in value)
    return _plain_number(value)


def _collection_numbers_written_alike(data: dict[str, Any]) -> bool:
    """`_numbers_written_alike` for a valid collection, looking only where numbers can be
    (coordinates, bounding boxes and private values), so it costs little at 100,000 sites."""
    if not _numbers_written_alike(data.get("bbox")):
        return False
    for feature in data["features"]:
        for v in feature["geometry"]["coordinates"]:  # `_plain_number`, without a call each
            if type(v) is float and v != 0 and not 1e-4 <= abs(v) < 1e16:
                return False
        if "bbox" in feature and not _numbers_written_alike(feature["bbox"]):
            return False
        private = feature["properties"].get("private")
        if private is not None and not _numbers_written_alike(private):
            return False
    return True


def _orjson_bytes(data: Any) -> bytes | None:
    """orjson's sorted, two-space-indented text with a final newline, or None if it refuses."""
    try:
        import orjson
    except ImportError:  # pragma: no cover - orjson is a dependency
        return None
    try:
        return orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n"
    except (TypeError, ValueError):  # big integers, lone surrogates, non-string keys
        return None


def canonical_bytes(data: dict[str, Any]) -> bytes:
    """`dumps_collection(data)` as UTF-8 bytes, written by orjson (about 10x faster) when that
    gives the very same bytes. Only for a collection that passed validation."""
    if _collection_numbers_written_alike(data):
        out = _orjson_bytes(data)
        if out is not None:
            return out
    return dumps_collection(data).encode("utf-8")


# The canonical layout around and between the Features (orjson's two-space indent, sorted keys:
# "features" is the first key of a collection without a bounding box).
FEATURES_OPEN = b'{\n  "features": [\n'
BETWEEN_FEATURES = b"\n    },\n    {\n"
FEATURES_CLOSE = b"\n  ]"


def _canonical_pieces(data: dict[str, Any], per_piece: int = 1000) -> Iterator[bytes]:
    """`canonical_bytes(data)` in pieces of `per_piece` Features, written by orjson; raises
    TypeError or ValueError where orjson refuses or writes a number otherwise."""
    import orjson

    option = orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS
    features = data["features"]
    if not features or not _collection_numbers_written_alike(data):
        raise ValueError("not written piece by piece")
    empty = orjson.dumps({**data, "features": []}, option=option) + b"\n"
    head, _empty, tail = empty.partition(b'\n  "features": []')  # unique: keys are unique
    yield head + b'\n  "features": [\n'
    for start in range(0, len(features), per_piece):
        # The items of a list written at the top are indented by two: two more inside the
        # collection. Text holds no line breaks (JSON escapes them), so every one is a line's.
        items = orjson.dumps(features[start : start + per_piece], option=option)
        yield (b",\n" if start else b"") + b"  " + items[2:-2].replace(b"\n", b"\n  ")
    yield FEATURES_CLOSE + tail


def canonical_sha256(data: dict[str, Any]) -> str:
    """SHA-256 (hex) of `canonical_bytes(data)`, computed piece by piece: 100,000 sites' text
    (150 MB) is never one object. Only for a collection that passed validation."""
    digest = hashlib.sha256()
    try:
        for piece in _canonical_pieces(data):
            digest.update(piece)
    except (TypeError, ValueError, ImportError):  # orjson cannot write it as Python does
        return hashlib.sha256(canonical_bytes(data)).hexdigest()
    return digest.hexdigest()


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many small, acyclic objects.

    Its passes over a growing heap make reading 100,000 sites more than twice as slow. What was
    built is then frozen (left out of later passes): a command keeps its data to the end.
    """
    import gc

    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()


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


def _parse_fast(raw: bytes) -> Any | None:
    """orjson's parse of `raw`, or None where orjson is missing or refuses it."""
    try:
        import orjson
    except ImportError:  # pragma: no cover - orjson is a dependency
        return None
    try:
        return orjson.loads(raw)
    except ValueError:
        return None


#: Up to this size a file validated before is parsed whole (quicker); above it, one Feature
#: at a time (lighter: orjson's own copy of the whole file is never held).
_WHOLE_PARSE_BYTES = 64 * 1024 * 1024


def _parse_by_feature(raw: bytes) -> Any | None:
    """`_parse_fast(raw)` for a file in the canonical layout, parsed one Feature at a time.

    orjson's parse of a whole file holds its own document of it beside the Python objects
    (300 MB more at 100,000 sites); one Feature at a time, that is never more than one
    Feature's. Each piece must parse, strictly, as a complete JSON value, so the pieces are
    exactly the items of the features array wherever the cuts fall (text holds no line breaks);
    any other layout, or a piece that does not parse, gets the whole parse.
    """
    try:
        import orjson
    except ImportError:  # pragma: no cover - orjson is a dependency
        return None
    end = raw.rfind(FEATURES_CLOSE)
    if not raw.startswith(FEATURES_OPEN) or end < len(FEATURES_OPEN):
        return _parse_fast(raw)
    try:
        rest = orjson.loads(b"{" + raw[end + len(FEATURES_CLOSE) :].removeprefix(b","))
        if not isinstance(rest, dict) or "features" in rest:
            return _parse_fast(raw)
        features = []
        start = len(FEATURES_OPEN)
        with memoryview(raw) as view:
            while (cut := raw.find(BETWEEN_FEATURES, start, end)) >= 0:
                features.append(orjson.loads(view[start : cut + 6]))  # up to and with its "}"
                start = cut + 7  # from the next one's indent
            features.append(orjson.loads(view[start:end]))
    except ValueError:
        return _parse_fast(raw)
    return {"features": features, **rest}


def _parse_canonical(raw: bytes) -> Any | None:
    """The parsed data if `raw` is exactly the canonical text gravemap writes, else None.

    Canonical bytes cannot hide a duplicate key (writing the parsed data again would drop it
    and differ), NaN or a byte-order mark, so orjson's fast, strict parser is enough for them.
    """
    data = _parse_fast(raw)
    if not isinstance(data, dict) or _orjson_bytes(data) != raw:
        return None
    return data


def parse_json(
    raw: bytes,
    source: str,
    *,
    fix: str = "fix the text there, or restore the file with `git checkout`",
) -> Any:
    """Parse bytes as strict JSON, raising DataFileError with line and column on failure
    (`fix` says what to do: the default suits the data file, not a file someone sent)."""
    with paused_gc():
        data = _parse_canonical(raw)
    if data is not None:
        return data
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
            f"line {exc.lineno}, column {exc.colno}: not valid JSON ({exc.msg}); {fix}",
        ) from None
    except ValueError as exc:
        raise DataFileError(source, f"not valid JSON: {exc}") from None
    except RecursionError:
        raise DataFileError(source, "is nested too deeply to be a gravemap data file") from None


def parse_collection(
    raw: bytes, source: str, *, check_country: bool = True, digest: str | None = None
) -> dict[str, Any]:
    """Parse and validate a data file's bytes; raises DataFileError or ValidationError.

    With `digest` (the bytes' SHA-256), bytes this gravemap has validated before are not
    validated again (see `gravemap.validation_cache`), and newly valid ones are remembered.
    """
    from gravemap import validation_cache

    if digest is not None and check_country and validation_cache.is_validated(digest):
        with paused_gc():  # these very bytes passed the strict parse and every rule before
            data = _parse_by_feature(raw) if len(raw) > _WHOLE_PARSE_BYTES else _parse_fast(raw)
        if data is not None:
            return data
    from gravemap.validation_fast import proven_valid

    with paused_gc():
        proof = proven_valid(raw, check_country=check_country)
        data = _parse_by_feature(raw) if proof is not None else None
    if data is not None:  # proven valid: no problem to explain
        if digest is not None and check_country:
            validation_cache.remember(digest)
        return data
    data = parse_json(raw, source)
    with paused_gc():
        problems = validate_collection(data, check_country=check_country)
    if problems:
        raise ValidationError(problems, source=source)
    if digest is not None and check_country:
        validation_cache.remember(digest)
    return data


def read_data_bytes(path: str | os.PathLike[str]) -> bytes:
    """The bytes of a data file, or a DataFileError that says what to do."""
    try:
        with open_regular(path) as f:  # a named pipe or a device is refused, not read
            return f.read()
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
    digest = hashlib.sha256(raw).hexdigest()
    data = parse_collection(raw, str(path), digest=digest)
    return LoadedFile(path, data, digest, SiteCollection.from_geojson(data))


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
    """The collection's canonical bytes, after checking every site it may have changed.

    A collection read from a file was validated whole on reading, so the sites the command
    did not touch are checked only against the rules that span the collection (unique and
    retired ids); added or changed sites are checked field by field.
    """
    from gravemap import validation_cache

    with paused_gc():
        data = collection.to_geojson()
        problems = validate_collection(data, only=set(collection.changed_features()))
    if problems:
        raise ValidationError(problems, source=source)
    payload = canonical_bytes(data)
    validation_cache.remember(hashlib.sha256(payload).hexdigest())
    return payload


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
