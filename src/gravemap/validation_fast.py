"""Proving a data file valid fast: a typed decode in C (msgspec), then the rules between fields.

`model.validate_collection` walks parsed JSON in Python and explains every problem it finds; at
100,000 sites that takes seconds. A valid file needs no explaining. `proven_valid(raw)` decodes
the bytes straight into typed structs whose shapes and constraints msgspec checks in C (known
fields only, required fields present, no nulls, the fixed vocabularies, id patterns, lengths,
counts), then checks what lies between fields in one tight pass: cited sources exist, history
oldest first and the current status its latest entry, dates real and not Solar Hijri, a
corroborated site's two publishers, URLs, coordinates in range and inside the stated country.
Character rules (control characters, bidi overrides, line breaks outside notes) are settled by
one look at the bytes, or by the decoder's patterns when the bytes hold an escape.

It answers "valid" (returning the decoded collection) or None: "not proven". On None the caller
runs `validate_collection`, which finds and explains every problem. It may be stricter than
that validation (a valid but unusual file, such as one with duplicate-looking escapes or numbers
written as `1.0e1`, then takes the slow path), never looser: `tests/test_validation_fast.py`
holds the two together on hostile and generated files.
"""

import os
import pickle
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Annotated, Any, Literal

import msgspec
from msgspec import UNSET, Meta, Raw, Struct, UnsetType

from gravemap import dates
from gravemap.model import (
    COUNTRY_PATTERN,
    ID_PATTERN,
    MAX_ID,
    MAX_TEXT,
    METHODS,
    PRECISIONS,
    PUBLISH_LEVELS,
    SCHEMA_VERSION,
    SOURCE_ID_PATTERN,
    STATUSES,
    VERIFICATIONS,
    timestamp_problem,
    url_problem,
)
from gravemap.store import BETWEEN_FEATURES, FEATURES_CLOSE, FEATURES_OPEN

__all__ = ["Proof", "proven_valid", "site_province_warnings"]

# Bytes that may stand for a character the text rules refuse: an escape (`\u`, `\b`, `\f`, and
# `\n`, `\r`, `\t`, which only notes may hold), DEL, the C1 controls U+0080-U+009F (C2 80-9F in
# UTF-8), bidi embeddings and overrides U+202A-U+202E (E2 80 AA-AE) and isolates U+2066-U+2069
# (E2 81 A6-A9). Each is looked for only when a byte it starts with is there at all.
_ESCAPE = re.compile(rb"\\[bfnrtu]")
_C1 = re.compile(rb"\xc2[\x80-\x9f]")
_BIDI = re.compile(rb"\xe2(?:\x80[\xaa-\xae]|\x81[\xa6-\xa9])")

_FORBIDDEN_CHARS = "\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f\\u202a-\\u202e\\u2066-\\u2069\\ud800-\\udfff"


def _schema(exact: bool) -> type[Struct]:
    """The collection's typed form. With `exact`, text fields carry the character rules as
    patterns (used when the bytes hold escapes); without, one look at the bytes settled them."""

    def text(*, multiline: bool = False) -> Any:
        if not exact:
            return Annotated[str, Meta(max_length=MAX_TEXT)]
        forbidden = _FORBIDDEN_CHARS if multiline else _FORBIDDEN_CHARS + "\\n\\r\\t"
        return Annotated[str, Meta(max_length=MAX_TEXT, pattern=f"^[^{forbidden}]*\\Z")]

    line = text()
    line1 = line  # must not be blank either: checked in the pass
    lines = text(multiline=True)
    plain = Annotated[str, Meta(max_length=MAX_TEXT)]  # checked in the pass (dates, URLs)
    source_id = str  # the distinct ids are matched in the pass
    a_status = Literal[STATUSES]  # type: ignore[valid-type]
    cited = list[source_id]

    class Source(Struct, forbid_unknown_fields=True, gc=False):
        id: source_id
        publisher: line1
        title: line1
        url: plain
        accessed: plain | UnsetType = UNSET
        archived_url: plain | UnsetType = UNSET
        date: plain | UnsetType = UNSET
        date_text: line1 | UnsetType = UNSET
        quote: lines | UnsetType = UNSET

    class Entry(Struct, forbid_unknown_fields=True, gc=False):
        status: a_status
        sources: cited
        date: plain | UnsetType = UNSET
        date_text: line1 | UnsetType = UNSET
        note: lines | UnsetType = UNSET
        undated: bool | UnsetType = UNSET  # true only: checked in the pass

    class Location(Struct, forbid_unknown_fields=True, gc=False):
        method: Literal[METHODS]  # type: ignore[valid-type]
        precision: Literal[PRECISIONS]  # type: ignore[valid-type]
        query: line
        geonameid: Annotated[int, Meta(gt=0)] | UnsetType = UNSET
        note: lines | UnsetType = UNSET

    class Victims(Struct, forbid_unknown_fields=True, gc=False):
        sources: cited
        high: Annotated[int, Meta(ge=0)] | UnsetType = UNSET
        low: Annotated[int, Meta(ge=0)] | UnsetType = UNSET
        note: lines | UnsetType = UNSET

    class Added(Struct, forbid_unknown_fields=True, gc=False):
        at: plain
        by: line | UnsetType = UNSET

    class Properties(Struct, forbid_unknown_fields=True, gc=False):
        added: Added
        country: str
        location: Location
        name: line1
        sources: Annotated[list[Source], Meta(min_length=1)]
        status: a_status
        status_history: Annotated[list[Entry], Meta(min_length=1)]
        verification: Literal[VERIFICATIONS]  # type: ignore[valid-type]
        city: line1 | UnsetType = UNSET
        city_fa: line | UnsetType = UNSET
        name_fa: line | UnsetType = UNSET
        notes: lines | UnsetType = UNSET
        private: Raw | UnsetType = UNSET
        province: line | UnsetType = UNSET
        publish: Literal[PUBLISH_LEVELS] | UnsetType = UNSET  # type: ignore[valid-type]
        victims: Victims | UnsetType = UNSET

    class Point(Struct, forbid_unknown_fields=True, gc=False):
        coordinates: Annotated[list[float], Meta(min_length=2, max_length=3)]
        type: Literal["Point"]

    class Feature(Struct, forbid_unknown_fields=True, gc=False):
        geometry: Point
        id: str
        properties: Properties
        type: Literal["Feature"]
        bbox: list[float] | UnsetType = UNSET

    class Meta_(Struct, forbid_unknown_fields=True, gc=False):
        schema: Literal[SCHEMA_VERSION]  # type: ignore[valid-type]
        retired_ids: list[str] | UnsetType = UNSET

    class Collection(Struct, forbid_unknown_fields=True, gc=False):
        features: Raw  # decoded in parts, side by side
        gravemap: Meta_
        type: Literal["FeatureCollection"]
        bbox: list[float] | UnsetType = UNSET

    return Collection, list[Feature]


@cache
def _decoders(exact: bool) -> tuple[msgspec.json.Decoder, msgspec.json.Decoder]:
    """Decoders of the collection (its features left raw) and of a list of features."""
    collection, features = _schema(exact)
    return msgspec.json.Decoder(collection), msgspec.json.Decoder(features)


@dataclass(frozen=True)
class Proof:
    """A file proven valid: how many sites it holds, and what `notes` found in them."""

    count: int
    notes: list[Any]


@dataclass
class Columns:
    """Fields of the decoded sites, one list each, in file order (a province not given is
    `msgspec.UNSET`): what validate's warnings read."""

    ids: list[str] = field(default_factory=list)
    provinces: list[Any] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    lons: list[float] = field(default_factory=list)
    lats: list[float] = field(default_factory=list)


@dataclass(frozen=True)
class _Part:
    """What a worker found in its share of the features."""

    ids: list[str]
    colons: int  # in the decoded features written out again (see _no_duplicate_keys)
    notes: list[Any]


#: Below this size a file is checked in one process: forking costs more than it saves.
PARALLEL_MIN_BYTES = 8 * 1024 * 1024
#: Where one feature ends and the next begins, in the layout gravemap writes.
_BETWEEN = re.compile(re.escape(BETWEEN_FEATURES))


def _bytes_need_exact(raw: bytes) -> bool:
    """Whether the bytes may hold a character the plain decode would not check."""
    return (
        (b"\\" in raw and _ESCAPE.search(raw) is not None)
        or b"\x7f" in raw
        or (b"\xc2" in raw and _C1.search(raw) is not None)
        or (b"\xe2" in raw and _BIDI.search(raw) is not None)
    )


def proven_valid(
    raw: bytes,
    *,
    check_country: bool = True,
    notes: Callable[[Columns], list[Any]] | None = None,
    workers: int | None = None,
    meanwhile: Callable[[], Any] | None = None,
) -> Proof | None:
    """A `Proof` if `raw` is a valid data file, None if that is not proven.

    None means "run `model.validate_collection`": the file may be valid in a form this proof
    does not cover, or it has problems to explain. A `Proof` means validate_collection would
    report nothing. `notes`, given the `Columns` of a share of the file, returns what the
    caller wants to know about them besides validity (validate's province warnings); each
    worker runs it on its share. Large files are checked by `workers` processes side by side
    (default: one per CPU, at most 4); `meanwhile` is called here while they work (or first).
    """
    if b"\\" in raw and b"\\u" in raw:
        # A \\u escape can write a colon that the duplicate-key count below would miss, and
        # files gravemap writes hold none (they keep UTF-8 as it is); the slow path reads them.
        return None
    decode_collection, decode_features = _decoders(_bytes_need_exact(raw))
    envelope, array = _envelope(raw)
    try:
        collection = decode_collection.decode(envelope)
    except (msgspec.DecodeError, RecursionError):
        return None
    if array is None:
        array = memoryview(collection.features)
    if collection.bbox is not UNSET and len(collection.bbox) not in (4, 6):
        return None
    shares = _shares(array, workers or min(os.cpu_count() or 1, 4))

    def check(share: bytes | memoryview) -> _Part | None:  # in the process checking it
        try:
            features = decode_features.decode(share)
        except (msgspec.DecodeError, RecursionError):
            return None
        columns = Columns()
        if not _fields_agree(features, check_country=check_country, columns=columns):
            return None
        return _Part(
            columns.ids,
            msgspec.json.encode(features).count(b":"),
            notes(columns) if notes else [],
        )

    parts = _side_by_side(check, shares, meanwhile)
    if any(part is None for part in parts):
        return None
    ids = [i for part in parts for i in part.ids]  # type: ignore[union-attr]
    unique = set(ids)
    if len(unique) != len(ids):
        return None
    retired = collection.gravemap.retired_ids
    if retired is not UNSET and not unique.isdisjoint(retired):
        return None
    if not _no_duplicate_keys(raw, collection, sum(p.colons for p in parts)):  # type: ignore[union-attr]
        return None
    return Proof(len(ids), [n for part in parts for n in part.notes])  # type: ignore[union-attr]


def _envelope(raw: bytes) -> tuple[bytes, memoryview | None]:
    """The collection without its features (`[]` in their place) and the features array, cut
    where gravemap's layout shows them: so the large array is not scanned once more only to be
    skipped. Any other layout: the whole file, and None (the decode then skips the array).

    A cut in the wrong place cannot misread the file: the collection around it, and each share
    of the array, must then decode on their own, and together they are exactly the file."""
    end = raw.rfind(FEATURES_CLOSE)
    if not raw.startswith(FEATURES_OPEN) or end < len(FEATURES_OPEN):
        return raw, None
    start = FEATURES_OPEN.index(b"[")  # at the array's [
    close = end + len(FEATURES_CLOSE)  # after its ]
    return raw[:start] + b"[]" + raw[close:], memoryview(raw)[start:close]


def _shares(array: memoryview, workers: int) -> list[Callable[[], bytes | memoryview]]:
    """The features array cut into about `workers` arrays between features (where gravemap's
    layout shows the boundary), each a JSON array of its own made when asked for (by the
    process that checks it); the whole array when it is small or laid out otherwise. A cut that
    is not between two features leaves a share that is not a JSON array of features: its
    decode fails and the file is not proven (never misread)."""
    size = len(array)
    if workers < 2 or size < PARALLEL_MIN_BYTES:
        return [lambda: array]
    cuts: list[int] = []
    for k in range(1, workers):
        found = _BETWEEN.search(array, k * size // workers)  # no copy of the array
        if found is None or (cuts and found.start() <= cuts[-1]):
            break
        cuts.append(found.start())
    if not cuts:
        return [lambda: array]
    spans = []
    begin = 1  # after the array's [
    for at in cuts:
        spans.append((begin, at + BETWEEN_FEATURES.index(b"}") + 1, b"]"))  # with its }
        begin = at + BETWEEN_FEATURES.rindex(b"{")  # at the next feature's {
    spans.append((begin, size, b""))  # with the array's own ]
    return [
        lambda begin=begin, end=end, close=close: b"".join((b"[", array[begin:end], close))
        for begin, end, close in spans
    ]


def _side_by_side(
    check: Callable[[Any], _Part | None],
    shares: list[Callable[[], bytes | memoryview]],
    meanwhile: Callable[[], Any] | None = None,
) -> list[_Part | None]:
    """`check` of every share, in order, each in a forked process, side by side (a share is
    copied out, and the records it decodes into die, in its own process); here, one after the
    other, where this process may not fork (threads running, or no fork) or cannot."""
    if len(shares) == 1 or not hasattr(os, "fork") or threading.active_count() > 1:
        if meanwhile:
            meanwhile()
        return [check(share()) for share in shares]
    pending: list[Any] = []  # (pid, pipe), or a share to check here
    try:
        for share in shares:
            try:
                pending.append(_fork(check, share))
            except OSError:  # no process to spare: check it here afterwards
                pending.append(share)
        if meanwhile:
            meanwhile()
    finally:
        answers = [_answer(item) if isinstance(item, tuple) else item for item in pending]
    return [a if a is None or isinstance(a, _Part) else check(a()) for a in answers]


def _fork(
    check: Callable[[Any], _Part | None], share: Callable[[], bytes | memoryview]
) -> tuple[int, int]:
    """A child process checking `share` and writing its `_Part` (pickled) to a pipe."""
    read_end, write_end = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        raise
    if pid == 0:  # pragma: no cover - the child (coverage does not follow it)
        code = 1
        try:
            os.close(read_end)
            with os.fdopen(write_end, "wb") as out:
                out.write(pickle.dumps(check(share())))
            code = 0
        finally:
            os._exit(code)  # no clean-up of the parent's state, no buffers flushed twice
    os.close(write_end)
    return pid, read_end


def _answer(child: tuple[int, int]) -> _Part | None:
    """What a child found; None if it failed or was killed (then the file is not proven)."""
    pid, read_end = child
    with os.fdopen(read_end, "rb") as answer:
        data = answer.read()
    _, status = os.waitpid(pid, 0)
    return pickle.loads(data) if status == 0 and data else None  # noqa: S301 - our own child


def _no_duplicate_keys(raw: bytes, collection: Any, feature_colons: int) -> bool:
    """Whether no object in `raw` names a key twice (a decode keeps only the last).

    Every key is followed by one colon. Other colons sit inside strings, which the encoding of
    the decoded structs writes with the same characters (there is no \\u escape to write a
    colon otherwise), and `private`, kept raw, is copied as it is. So the file and its decoded
    form written out again hold as many colons exactly when no key was dropped. The features'
    colons are counted by the workers that decoded them."""
    envelope = msgspec.structs.replace(collection, features=Raw(b"[]"))
    return raw.count(b":") == msgspec.json.encode(envelope).count(b":") + feature_colons


class _Starts(dict):
    """Stored dates validate accepts, each to its first day's ordinal; a date it refuses
    (malformed, a Solar Hijri year, in the future) maps to None. Asked once per distinct date."""

    def __missing__(self, value: str) -> int | None:
        start = dates.span(value)[0].toordinal() if dates.value_problem(value) is None else None
        self[value] = start
        return start


def _url_ok(url: str) -> bool:
    return url_problem(url) is None  # a plain http(s) URL is settled by one match there


def _fields_agree(
    features: list[Any], *, check_country: bool, columns: Columns | None = None
) -> bool:
    """The rules between fields, for every site; False at the first one broken. `columns`, if
    given, receives the fields validate's warnings read.

    Values that repeat across sites (dates, time stamps, source ids, countries) are checked
    once per distinct value; ids once for the whole list."""
    start = _Starts()
    stamps: dict[str, bool] = {}
    source_ids: set[str] = set()
    countries: list[str] = []
    lons: list[float] = []
    lats: list[float] = []
    provinces: list[Any] = []
    for f in features:
        p = f.properties
        if f.bbox is not UNSET and len(f.bbox) not in (4, 6):
            return False
        coords = f.geometry.coordinates
        lon = coords[0]
        lat = coords[1]
        if not (-180.0 <= lon <= 180.0 and -90.0 <= lat <= 90.0):
            return False  # also NaN; msgspec refuses infinities
        lons.append(lon)
        lats.append(lat)
        countries.append(p.country)
        provinces.append(p.province)
        name = p.name
        if not name or name.isspace():
            return False
        city = p.city
        if city is not UNSET and (not city or city.isspace()):
            return False
        sources = p.sources
        ids = {s.id for s in sources}
        if len(ids) != len(sources):
            return False
        source_ids |= ids
        for s in sources:
            if not _url_ok(s.url):
                return False
            if s.archived_url is not UNSET and not _url_ok(s.archived_url):
                return False
            title = s.title
            publisher = s.publisher
            if not title or title.isspace() or not publisher or publisher.isspace():
                return False
            if s.date is not UNSET:
                if start[s.date] is None:
                    return False
                if s.date_text is not UNSET and (not s.date_text or s.date_text.isspace()):
                    return False
            elif s.date_text is not UNSET:
                return False
            if s.accessed is not UNSET and start[s.accessed] is None:
                return False
        if p.verification == "corroborated" and (
            len({s.publisher.strip().casefold() for s in sources}) < 2
        ):
            return False
        last = -2
        for e in p.status_history:
            cited = e.sources
            if len(cited) == 1:
                if cited[0] not in ids:
                    return False
            elif not cited or len(set(cited)) != len(cited) or not ids.issuperset(cited):
                return False
            if e.date is UNSET:
                if e.undated is not True or e.date_text is not UNSET:
                    return False
                key = -1
            else:
                if e.undated is not UNSET:
                    return False
                key = start[e.date]
                if key is None:
                    return False
                if e.date_text is not UNSET and (not e.date_text or e.date_text.isspace()):
                    return False
            if key < last:
                return False
            last = key
        if p.status != p.status_history[-1].status:
            return False
        victims = p.victims
        if victims is not UNSET:
            cited = victims.sources
            if len(cited) == 1:
                if cited[0] not in ids:
                    return False
            elif not cited or len(set(cited)) != len(cited) or not ids.issuperset(cited):
                return False
            low, high = victims.low, victims.high
            if low is UNSET:
                if high is UNSET:
                    return False
            elif high is not UNSET and low > high:
                return False
        at = p.added.at
        ok = stamps.get(at)
        if ok is None:
            ok = stamps[at] = timestamp_problem(at) is None
        if not ok:
            return False
        if p.private is not UNSET and not _private_ok(p.private):
            return False
    if not all(SOURCE_ID_PATTERN.fullmatch(i) for i in source_ids):
        return False
    ids = [f.id for f in features]
    if not _ids_agree(ids):
        return False
    if columns is not None:
        columns.ids, columns.provinces, columns.countries = ids, provinces, countries
        columns.lons, columns.lats = lons, lats
    distinct = set(countries)
    if not all(COUNTRY_PATTERN.fullmatch(c) for c in distinct):
        return False
    return not check_country or _inside_countries(countries, distinct, lons, lats)


def _ids_agree(ids: list[str]) -> bool:
    """Every id a slug of at most MAX_ID characters, checked in one match over all of them."""
    if not ids:
        return True
    if max(map(len, ids)) > MAX_ID:
        return False
    return _ID_LINES.fullmatch("\n".join(ids) + "\n") is not None


_ID_LINES = re.compile(f"(?:{ID_PATTERN.pattern}\n)*")


def _private_ok(raw: Raw) -> bool:
    """`private` is free-form: an object, parsed strictly (no duplicate keys), no lone
    surrogate, no deeper than validation allows."""
    from gravemap.errors import DataFileError
    from gravemap.model import _Checker, _validate_values
    from gravemap.store import parse_json

    try:
        value = parse_json(bytes(raw), "private")
    except DataFileError:
        return False
    if not isinstance(value, dict):
        return False
    problems: list[Any] = []
    # Placed as in a feature, so that depth is counted as validate counts it.
    _validate_values({"properties": {"private": value}}, _Checker(None, problems))
    return not problems


def _inside_countries(
    countries: list[str], distinct: set[str], lons: list[float], lats: list[float]
) -> bool:
    """Every point lies within its country's extent, as `gazetteer.country_contains` says (a
    country the gazetteer does not know is not checked): a point inside the country's inner
    box needs no test, any other is tested."""
    from gravemap.gazetteer import country_contains, country_inner_box

    boxes = {c: country_inner_box(c) for c in distinct}
    for country, lon, lat in zip(countries, lons, lats, strict=True):
        box = boxes[country]
        if box is not None and box[0] < lon < box[2] and box[1] < lat < box[3]:
            continue
        if country_contains(country, lon, lat) is False:
            return False
    return True


def site_province_warnings(columns: Columns) -> list[Any]:
    """`basemap.province_warnings` of decoded sites (validate's warnings, per share)."""
    from gravemap.basemap import province_warnings_of_columns

    provinces = [None if p is UNSET else p for p in columns.provinces]
    return province_warnings_of_columns(
        columns.ids, provinces, columns.countries, columns.lons, columns.lats
    )
