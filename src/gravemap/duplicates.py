"""Is a new site one the file already has? Similar names in one place, or one shared report.

A second report of a site is usually spelled differently ("Khavaran", "Khāvarān cemetery",
"گورستان خاوران"), so names are compared word by word after the geocoder's normalisation and
phonetic folding (kh/x, ou/u, ezafe dropped, Arabic letter forms as Persian), and generic words
("cemetery", "mass grave", "گورستان") are ignored. Persian is compared with Persian and Latin
with Latin. Many reports (a map of a dozen cities) are cited by sites in different cities, so a
shared source URL marks a possible duplicate only in the same place. `add` and `import` warn;
nothing is refused: the researcher decides, and `gravemap merge` joins two records.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit, urlunsplit

from gravemap.model import Site, SiteCollection

__all__ = ["NAME_SIMILARITY", "similar_sites"]

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


def _is_persian(text: str) -> bool:
    return any("\u0600" <= ch <= "\u06ff" for ch in text)


def _name_key(name: str) -> str:
    """The distinctive words of a name as sorted phonetic keys ('' if none is left)."""
    from gravemap.geocode import normalize_name, phonetic_key

    words = _WORD.findall(unicodedata.normalize("NFC", name))
    persian = _is_persian(name)
    kept = []
    for word in words:
        if word.isdigit():
            continue
        plain = normalize_name(word)
        if not plain or plain in _EZAFE:
            continue
        if plain in (_GENERIC_PERSIAN if persian else _GENERIC_LATIN):
            continue
        kept.append(phonetic_key(word))
    return " ".join(sorted(k for k in kept if k))


def _names(site: Site) -> list[tuple[bool, str, str]]:
    """(is Persian, as written, key) for each of a site's names."""
    out = []
    for name in (site.name, site.name_fa):
        if name:
            key = _name_key(name)
            if key:
                out.append((_is_persian(name), name, key))
    return out


def _similar(a: str, b: str) -> bool:
    from rapidfuzz import fuzz

    if fuzz.token_sort_ratio(a, b) >= NAME_SIMILARITY:
        return True
    # One name inside the other ("Khavaran" in "Golzar Khavaran"): every word of the shorter
    # one is in the longer, and together they are distinctive enough.
    shorter, longer = sorted((a.split(), b.split()), key=len)
    return len("".join(shorter)) >= _MIN_PARTIAL and all(
        any(fuzz.ratio(word, other) >= NAME_SIMILARITY for other in longer) for word in shorter
    )


def _city_keys(site: Site) -> set[str]:
    from gravemap.geocode import normalize_name, phonetic_key

    keys = set()
    for city in (site.city, site.city_fa):
        if city:
            keys.add(phonetic_key(normalize_name(city)) or normalize_name(city))
    if site.location.geonameid:
        keys.add(f"geonames:{site.location.geonameid}")
    return keys


def _same_place(a: Site, b: Site) -> bool:
    from rapidfuzz import fuzz

    from gravemap.gazetteer import distance_km

    keys_a, keys_b = _city_keys(a), _city_keys(b)
    if keys_a & keys_b:
        return True
    # "Teheran" / "Tehran": one city spelled two ways; short names must agree exactly.
    for x in keys_a:
        for y in keys_b:
            if min(len(x), len(y)) >= _MIN_PARTIAL and fuzz.ratio(x, y) >= NAME_SIMILARITY:
                return True
    return distance_km(a.lon, a.lat, b.lon, b.lat) <= SAME_PLACE_KM


def _url_key(url: str) -> str:
    """One document's URL however it was copied: scheme, `www.`, a final `/`, `#...` ignored."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url
    host = (parts.hostname or "").lower().removeprefix("www.")
    path = parts.path.rstrip("/")
    return urlunsplit(("", host, path, parts.query, ""))


def similar_sites(collection: SiteCollection, candidate: Site) -> list[tuple[str, str]]:
    """Sites of `collection` that may be `candidate` reported again: `(id, reason)` each.

    A site counts when it is in the same place (same city in either script or spelling, the
    same GeoNames place, or within 5 km) and either has a similar name or cites a source with
    the same URL; or when it cites the same URL and one of the two names no city. `candidate`
    itself (same id) is skipped.
    """
    names = _names(candidate)
    urls = {_url_key(s.url): s.url for s in candidate.sources}
    found: list[tuple[str, str]] = []
    for site in collection:
        if site.id == candidate.id:
            continue
        reasons = []
        same_place = _same_place(site, candidate)
        if same_place:
            for persian, written, key in names:
                match = next(
                    (
                        other
                        for other_persian, other, other_key in _names(site)
                        if other_persian == persian and _similar(key, other_key)
                    ),
                    None,
                )
                if match is not None:
                    reasons.append(f"a similar name in the same place ({match!r} / {written!r})")
                    break
        if same_place or not site.city or not candidate.city:
            shared = [urls[k] for k in (_url_key(s.url) for s in site.sources) if k in urls]
            if shared:
                reasons.append(f"the same source {shared[0]}")
        if reasons:
            found.append((site.id, " and ".join(reasons)))
    return found
