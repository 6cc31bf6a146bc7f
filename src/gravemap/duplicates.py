"""Is a new site one the file already has? Similar names in one place, or one shared report.

A second report of a site is usually spelled differently ("Khavaran", "Khāvarān cemetery",
"گورستان خاوران"), so names are compared word by word after the geocoder's normalisation and
phonetic folding (kh/x, ou/u, ezafe dropped, Arabic letter forms as Persian), and generic words
("cemetery", "mass grave", "گورستان") are ignored. Persian is compared with Persian and Latin
with Latin. Many reports (a map of a dozen cities) are cited by sites in different cities, so a
shared source URL marks a possible duplicate only in the same place. `add` and `import` warn;
nothing is refused: the researcher decides, and `merge_sites` (`gravemap merge`) joins two
records into one.
"""

from __future__ import annotations

import copy
import functools
import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from gravemap.model import RecordError, Site, SiteCollection
from gravemap.text import ascii_digits

__all__ = ["NAME_SIMILARITY", "MergeResult", "SiteIndex", "merge_sites", "similar_sites"]

#: rapidfuzz score (0-100) from which two names (generic words left out) count as similar.
NAME_SIMILARITY = 88
#: Two sites whose points lie this close count as being in one place, whatever their city says.
SAME_PLACE_KM = 5.0
# A name shorter than this (as a phonetic key) must match whole, not as part of a longer name:
# "Bagh" is in too many names to say that two sites are one.
_MIN_PARTIAL = 5

# Words that say what kind of place a site is, not which one. Compared after normalisation.
# fmt: off
_GENERIC_LATIN = frozenset({
    "a", "an", "and", "at", "by", "of", "on", "in", "the", "to", "near", "next", "former",
    "cemetery", "cemeteries", "graveyard", "grave", "graves", "gravesite", "mass", "site",
    "sites", "burial", "ground", "grounds", "land", "area", "part", "end", "block", "blocks",
    "section", "sections", "plot", "plots", "south", "north", "east", "west",
})
_GENERIC_PERSIAN = frozenset({
    "گورستان", "قبرستان", "آرامستان", "گور", "گورهای", "قبر", "قبور", "جمعی", "دسته", "محل",
    "زمین", "بخش", "قطعه", "نزدیک", "کنار", "و", "در", "سایت", "منطقه",
})
# fmt: on
_EZAFE = frozenset({"e", "ye", "i", "yi", "ie", "ee"})
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_DIGITS = re.compile(r"[0-9]+")


def _is_persian(text: str) -> bool:
    return any("\u0600" <= ch <= "\u06ff" for ch in text)


@dataclass(frozen=True)
class _NameKey:
    """A name as compared: its distinctive words (phonetic keys) and the numbers it gives."""

    words: str
    numbers: frozenset[str]
    persian: bool


@functools.lru_cache(maxsize=65_536)
def _name_key(name: str) -> _NameKey | None:
    """The distinctive words of a name as sorted phonetic keys, and its numbers (in any digits:
    they tell "block 93" from "block 103"); None if nothing distinctive is left."""
    from gravemap.geocode import normalize_name, phonetic_key

    persian = _is_persian(name)
    generic = _GENERIC_PERSIAN if persian else _GENERIC_LATIN
    kept, numbers = [], set()
    for word in _WORD.findall(unicodedata.normalize("NFC", name)):
        if word.isdigit():
            numbers.add(str(int(ascii_digits(word))))
            continue
        plain = normalize_name(word)
        if plain and plain not in _EZAFE and plain not in generic:
            key = phonetic_key(word)
            if key:
                kept.append(key)
    if not kept:
        return None
    return _NameKey(" ".join(sorted(kept)), frozenset(numbers), persian)


def _names(site: Site) -> list[tuple[str, _NameKey]]:
    """(as written, key) for each of a site's names."""
    out = []
    for name in (site.name, site.name_fa):
        if name:
            key = _name_key(name)
            if key is not None:
                out.append((name, key))
    return out


@functools.lru_cache(maxsize=65_536)
def _similar(a: _NameKey, b: _NameKey) -> bool:
    """Two names of one site: same script, no number that sets them apart, similar words."""
    from rapidfuzz import fuzz

    if a.persian != b.persian:
        return False
    if a.numbers and b.numbers and not a.numbers & b.numbers:
        return False  # "block 93" and "block 103" are two places
    if fuzz.token_sort_ratio(a.words, b.words) >= NAME_SIMILARITY:
        return True
    # One name inside the other ("Khavaran" in "Golzar Khavaran"): every word of the shorter
    # one is in the longer, and together they are distinctive enough.
    shorter, longer = sorted((a.words.split(), b.words.split()), key=len)
    return len("".join(shorter)) >= _MIN_PARTIAL and all(
        any(fuzz.ratio(word, other) >= NAME_SIMILARITY for other in longer) for word in shorter
    )


@functools.lru_cache(maxsize=65_536)
def _city_key(city: str) -> str:
    from gravemap.geocode import normalize_name, phonetic_key

    return phonetic_key(normalize_name(city)) or normalize_name(city)


def _city_keys(site: Site) -> set[str]:
    keys = {_city_key(city) for city in (site.city, site.city_fa) if city}
    if site.location.geonameid:
        keys.add(f"geonames:{site.location.geonameid}")
    return keys


@functools.lru_cache(maxsize=65_536)
def _similar_cities(x: str, y: str) -> bool:
    """ "Teheran" / "Tehran": one city spelled two ways; short names must agree exactly."""
    from rapidfuzz import fuzz

    if _DIGITS.findall(x) != _DIGITS.findall(y):
        return False  # "District 12" is not "District 13"
    return min(len(x), len(y)) >= _MIN_PARTIAL and fuzz.ratio(x, y) >= NAME_SIMILARITY


# About SAME_PLACE_KM in degrees of latitude, a cheap first test before the distance.
_NEAR_DEGREES = SAME_PLACE_KM / 111.0


def _same_place(a: Site, b: Site, keys_b: set[str]) -> bool:
    from gravemap.gazetteer import distance_km

    keys_a = _city_keys(a)
    if keys_a & keys_b or any(_similar_cities(x, y) for x in keys_a for y in keys_b):
        return True
    if abs(a.lat - b.lat) > _NEAR_DEGREES:
        return False
    return distance_km(a.lon, a.lat, b.lon, b.lat) <= SAME_PLACE_KM


@functools.lru_cache(maxsize=65_536)
def _url_key(url: str) -> str:
    """One document's URL however it was copied: scheme, `www.`, a final `/`, `#...` ignored."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url
    host = (parts.hostname or "").lower().removeprefix("www.")
    path = parts.path.rstrip("/")
    return urlunsplit(("", host, path, parts.query, ""))


class _Candidate:
    """A site being added, with what every comparison needs of it worked out once."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self.names = _names(site)
        self.urls = {_url_key(s.url): s.url for s in site.sources}
        self.keys = _city_keys(site)
        # Text every URL with one of these keys contains (its path, verbatim): a stored URL
        # without it cannot share a key, and is not parsed to find out.
        self.url_needles = tuple(urlsplit(key).path.strip("/") for key in self.urls)


def _why_similar(
    site: Site, candidate: _Candidate, names: list[tuple[str, _NameKey]] | None = None
) -> str | None:
    """Why stored `site` may be the candidate reported again, or None (the rule itself).
    `names` are the site's `_names`, when the caller keeps them."""
    reasons = []
    same_place = _same_place(site, candidate.site, candidate.keys)
    if same_place:
        match = next(
            (
                (other, written)
                for written, key in candidate.names
                for other, other_key in (_names(site) if names is None else names)
                if _similar(key, other_key)
            ),
            None,
        )
        if match is not None:
            reasons.append(f"a similar name in the same place ({match[0]!r} / {match[1]!r})")
    if same_place or not site.city or not candidate.site.city:
        urls = candidate.urls
        shared = [urls[k] for k in (_url_key(s.url) for s in site.sources) if k in urls]
        if shared:
            reasons.append(f"the same source {shared[0]}")
    return " and ".join(reasons) if reasons else None


def similar_sites(collection: SiteCollection, candidate: Site) -> list[tuple[str, str]]:
    """Sites of `collection` that may be `candidate` reported again: `(id, reason)` each.

    A site counts when it is in the same place (same city in either script or spelling, the
    same GeoNames place, or within 5 km) and either has a similar name or cites a source with
    the same URL; or when it cites the same URL and one of the two names no city. `candidate`
    itself (same id) is skipped. Compares with every site: to check many sites against one
    collection (an import), build a `SiteIndex` once instead.
    """
    prepared = _Candidate(candidate)
    found: list[tuple[str, str]] = []
    for site in collection.sites_where(lambda feature: _may_be_similar(feature, prepared)):
        if site.id != candidate.id:
            why = _why_similar(site, prepared)
            if why is not None:
                found.append((site.id, why))
    return found


def _may_be_similar(feature: dict[str, Any], candidate: _Candidate) -> bool:
    """A first test on a stored Feature, generous but exact in what it lets go: False only
    for a site that `_why_similar` could not find similar (not in the same place by city key,
    spelling or distance, and citing none of the candidate's URLs)."""
    p = feature["properties"]
    for source in p.get("sources") or ():
        url = source.get("url")
        if (
            isinstance(url, str)
            and any(needle in url for needle in candidate.url_needles)
            and _url_key(url) in candidate.urls
        ):
            return True
    keys = {_city_key(c) for c in (p.get("city"), p.get("city_fa")) if isinstance(c, str) and c}
    gid = (p.get("location") or {}).get("geonameid")
    if gid:
        keys.add(f"geonames:{gid}")
    if keys & candidate.keys or any(_similar_cities(x, y) for x in keys for y in candidate.keys):
        return True
    lat = feature["geometry"]["coordinates"][1]
    return abs(lat - candidate.site.lat) <= _NEAR_DEGREES


class SiteIndex:
    """The sites of a collection indexed by place and source, for many `similar_sites` checks.

    `similar(candidate)` answers exactly what `similar_sites(collection, candidate)` answers, in
    the same order, but compares the candidate only with the sites that can be in its place
    (the same city key or GeoNames place, a city spelled alike, a point within SAME_PLACE_KM)
    or that cite one of its URLs, instead of with every site. An import builds one index and
    `add`s each site it adds, so checking N rows against M sites costs about N + M, not N x M.
    A site whose city, point or sources change must be `add`ed again. Within one place, only
    the sites whose names can be similar (same script, no number that sets them apart, as
    `_similar` requires) are compared by name.
    """

    def __init__(self, sites: Iterable[Site] = ()) -> None:
        self._order: dict[str, int] = {}
        self._sites: dict[str, Site] = {}
        self._entries: dict[str, list[tuple[dict[Any, set[str]], Any]]] = {}
        self._by_city: dict[str, set[str]] = {}
        self._by_url: dict[str, set[str]] = {}
        self._by_cell: dict[tuple[int, int], set[str]] = {}
        #: (persian?, number or None) of each name -> the sites with such a name.
        self._by_name: dict[tuple[bool, str | None], set[str]] = {}
        self._names: dict[str, list[tuple[str, _NameKey]]] = {}
        #: Every city key, for spellings alike ("Teheran" / "Tehran"); far fewer than sites.
        self._city_names: dict[str, int] = {}
        for site in sites:
            self.add(site)

    def add(self, site: Site) -> None:
        """Index `site` (again, if its place or sources changed since it was added)."""
        self.discard(site.id)
        self._order.setdefault(site.id, len(self._order))
        self._sites[site.id] = site
        entries: list[tuple[dict[Any, set[str]], Any]] = []
        for key in _city_keys(site):
            entries.append((self._by_city, key))
            self._city_names[key] = self._city_names.get(key, 0) + 1
        entries += [(self._by_url, _url_key(s.url)) for s in site.sources]
        entries.append((self._by_cell, _cell(site.lat, site.lon)))
        self._names[site.id] = _names(site)
        for _written, key in self._names[site.id]:
            for number in key.numbers or (None,):
                entries.append((self._by_name, (key.persian, number)))
        for table, key in entries:
            table.setdefault(key, set()).add(site.id)
        self._entries[site.id] = entries

    def discard(self, site_id: str) -> None:
        """Forget a site (its position in the order is kept, should it come back)."""
        for table, key in self._entries.pop(site_id, []):
            table[key].discard(site_id)
            if table is self._by_city:
                self._city_names[key] -= 1
                if not self._city_names[key]:
                    del self._city_names[key]
        self._sites.pop(site_id, None)
        self._names.pop(site_id, None)

    def _near(self, lat: float, lon: float) -> set[str]:
        """Every site whose point may lie within SAME_PLACE_KM of (lat, lon) (a superset)."""
        row, col = _cell(lat, lon)
        # A degree of longitude shrinks with the cosine of the latitude; twice the width
        # needed, and the whole ring of cells near the poles or across the antimeridian.
        cos = math.cos(math.radians(min(90.0, abs(lat) + 2 * _NEAR_DEGREES)))
        reach = math.ceil(2 / cos) if cos > 0.05 else None
        found: set[str] = set()
        if reach is None or abs(lon) + (reach + 1) * _NEAR_DEGREES > 180:
            for (r, _c), ids in self._by_cell.items():
                if abs(r - row) <= 1:
                    found |= ids
            return found
        for r in (row - 1, row, row + 1):
            for c in range(col - reach, col + reach + 1):
                found |= self._by_cell.get((r, c), set())
        return found

    def _similar_names(self, candidate: _Candidate) -> set[str] | None:
        """The sites with a name that may be similar to one of the candidate's (a superset);
        None when any site's may (a candidate name without a number)."""
        found: set[str] = set()
        for _written, key in candidate.names:
            if not key.numbers:
                return None
            found |= self._by_name.get((key.persian, None), set())
            for number in key.numbers:
                found |= self._by_name.get((key.persian, number), set())
        return found

    def similar(self, candidate: Site) -> list[tuple[str, str]]:
        """What `similar_sites` answers for the indexed sites, in the order they were added."""
        prepared = _Candidate(candidate)
        ids: set[str] = self._near(candidate.lat, candidate.lon)
        for key in prepared.keys:
            ids |= self._by_city.get(key, set())
            ids.update(
                i
                for other in self._city_names
                if _similar_cities(key, other)
                for i in self._by_city.get(other, ())
            )
        names = self._similar_names(prepared)
        if names is not None:
            ids &= names
        for key in prepared.urls:
            ids |= self._by_url.get(key, set())
        ids.discard(candidate.id)
        found = []
        for site_id in sorted(ids, key=self._order.__getitem__):
            why = _why_similar(self._sites[site_id], prepared, self._names[site_id])
            if why is not None:
                found.append((site_id, why))
        return found


def _cell(lat: float, lon: float) -> tuple[int, int]:
    return math.floor(lat / _NEAR_DEGREES), math.floor(lon / _NEAR_DEGREES)


# ---------------------------------------------------------------------------------------------
# Joining two records of one site.

# From least to most restrictive: a merged site is published no more than either record was.
_PUBLISH_ORDER = ("full", "city", "withheld")
_FILLED_FIELDS = ("name_fa", "city", "city_fa", "province", "notes")


@dataclass
class MergeResult:
    """What `merge_sites` did, for the researcher to check."""

    keep_id: str
    other_id: str
    #: OTHER's source id -> the id it has on the kept site.
    source_ids: dict[str, str] = field(default_factory=dict)
    #: Sources added (the others were already cited under the same URL).
    sources_added: list[str] = field(default_factory=list)
    entries_added: int = 0
    entries_joined: int = 0
    #: Fields the kept site lacked and took from OTHER.
    filled: list[str] = field(default_factory=list)
    #: Fields both had with different values: the kept site's value stays.
    kept: list[str] = field(default_factory=list)
    #: The stricter publish level taken from OTHER, if any.
    publish: str | None = None


def merge_sites(collection: SiteCollection, keep_id: str, other_id: str) -> MergeResult:
    """Fold site `other_id` into `keep_id`: sources (joined by URL), history, missing fields.

    OTHER's sources are added unless the kept site already cites the same URL, and its status
    entries are added citing the renamed ids (an entry with the same status and date joins the
    existing one); fields the kept site lacks (Persian name, city, province, notes, victims,
    location note, private fields) are taken from OTHER; the stricter `publish` level of the two
    applies. OTHER is removed and its id retired, never reused.
    """
    if keep_id == other_id:
        raise RecordError(f"{keep_id} cannot be merged into itself; name two different sites")
    keep = collection.get(keep_id)
    other = collection.get(other_id)
    result = MergeResult(keep_id, other_id)
    by_url = {_url_key(s.url): s for s in keep.sources}
    for source in other.sources:
        same = by_url.get(_url_key(source.url))
        if same is None:
            moved = copy.deepcopy(source)
            moved.id = keep.next_source_id()
            keep.sources.append(moved)
            by_url[_url_key(moved.url)] = moved
            result.sources_added.append(moved.id)
            same = moved
        else:
            for name in ("date", "date_text", "quote", "archived_url", "accessed"):
                if getattr(same, name) is None and getattr(source, name) is not None:
                    if name == "date_text" and same.date != source.date:
                        continue
                    setattr(same, name, getattr(source, name))
        result.source_ids[source.id] = same.id

    def renamed(ids: list[str]) -> list[str]:
        return list(dict.fromkeys(result.source_ids[i] for i in ids))

    for entry in other.status_history:
        moved = copy.deepcopy(entry)
        moved.sources = renamed(entry.sources)
        if keep.add_status(moved) is moved:
            result.entries_added += 1
        else:
            result.entries_joined += 1
    for name in _FILLED_FIELDS:
        mine, theirs = getattr(keep, name), getattr(other, name)
        if mine is None and theirs is not None:
            setattr(keep, name, theirs)
            result.filled.append(name)
        elif theirs is not None and theirs != mine:
            result.kept.append(name)
    if keep.victims is None and other.victims is not None:
        keep.victims = copy.deepcopy(other.victims)
        keep.victims.sources = renamed(other.victims.sources)
        result.filled.append("victims")
    elif other.victims is not None and other.victims.to_json() != keep.victims.to_json():
        result.kept.append("victims")
    if keep.location.note is None and other.location.note is not None:
        keep.location.note = other.location.note
        result.filled.append("location.note")
    elif other.location.note not in (None, keep.location.note):
        result.kept.append("location.note")
    if other.private:
        missing = {k: v for k, v in other.private.items() if k not in (keep.private or {})}
        if missing:
            keep.private = {**(keep.private or {}), **missing}
            result.filled.append("private")
        if any(
            k in (keep.private or {}) and keep.private[k] != v for k, v in other.private.items()
        ):
            result.kept.append("private")
    if _PUBLISH_ORDER.index(other.publish) > _PUBLISH_ORDER.index(keep.publish):
        keep.publish = other.publish
        result.publish = other.publish
    for name in ("name", "lon", "lat"):
        if getattr(other, name) != getattr(keep, name):
            result.kept.append("point" if name != "name" else "name")
    result.kept = list(dict.fromkeys(result.kept))
    collection.remove(other_id)
    return result
