"""Finding a city under any of its spellings: for `list --city` and the map's search.

A researcher filtering for "Ahwaz" means the sites stored as Ahvaz (or اهواز). The query is
resolved offline by every key the geocoder trusts without guessing (exact, historical,
phonetic and loose spellings; never an edit-distance match), and every spelling the gazetteer
knows for that place becomes a key; a query the gazetteer cannot resolve for sure still
matches its own spelling.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from gravemap.errors import GravemapError
from gravemap.geocode.normalise import is_arabic_script, normalize_name

__all__ = ["city_matcher", "city_spellings", "search_keys", "stored_city_keys"]

# How a place may be matched for a filter: never by an edit-distance guess.
_FIRM = frozenset({"historical", "exact", "alias", "phonetic", "loose"})
# Spellings in scripts other than Latin and Arabic, and three-letter codes: no one types them
# into the map's search box.
_FOREIGN = re.compile("[\u0370-\u05ff\u0900-\u1dff\u2e80-\u9fff\uac00-\ud7af]|^[A-Z]{3}$")


@lru_cache(maxsize=1024)
def city_spellings(text: str, country: str = "IR") -> tuple[str, ...]:
    """Every spelling, in Latin or Arabic script, the gazetteer knows for the place `text` names
    ("Ahwaz": "Ahvaz", "Ahvāz", "Ahwaz", "اهواز", ...), sorted; () when it names none for sure.
    Without rapidfuzz, so `list --city` starts as fast as `list`."""
    try:
        from gravemap.gazetteer import load_index
        from gravemap.geocode.matcher import _decide, _lookup, _matcher, _shape

        m = _matcher(country.upper())
        hits = _lookup(m, text or "", loose=True, fuzzy=False)
        result = _decide(text, hits, None, 5, 0, _shape(m, text or ""))
        match = result.match
        if not (result.ok and match is not None and match.how in _FIRM and match.geonameid):
            return ()
        index = load_index(country)
        place = index.by_geonameid(match.geonameid)
        if place is None:
            return ()
        names = (*index.aliases[index.places.index(place)], place.name, place.name_fa or "")
    except GravemapError:
        return ()  # no gazetteer: the query's own spelling still matches
    kept = {n.strip() for n in names if n.strip() and not _FOREIGN.search(n)}
    return tuple(sorted(kept, key=lambda n: (is_arabic_script(n), n)))


@lru_cache(maxsize=8)
def _own_names(country: str) -> dict[str, list[int]]:
    from gravemap.gazetteer import load_index

    found: dict[str, list[int]] = {}
    for i, place in enumerate(load_index(country).places):
        for name in {normalize_name(place.name), normalize_name(place.name_fa or "")} - {""}:
            found.setdefault(name, []).append(i)
    return found


def stored_city_keys(city: str, country: str = "IR") -> list[str]:
    """The keys of every spelling of a city as gravemap stores it (a gazetteer place's own name,
    English or Persian), for the map's search: found in the gazetteer index alone, without the
    geocoder's tables. [] for a city no place, or more than one, is called."""
    try:
        from gravemap.gazetteer import load_index

        places = _own_names(country.upper()).get(normalize_name(city or ""), [])
        if len(places) != 1:
            return []
        index = load_index(country)
        place = index.places[places[0]]
        names = (*index.aliases[places[0]], place.name, place.name_fa or "")
    except GravemapError:
        return []
    keys = {normalize_name(n) for n in names if n.strip() and not _FOREIGN.search(n)}
    keys.discard("")
    return sorted(keys)


def search_keys(text: str, country: str = "IR") -> list[str]:
    """The normalised keys (`normalize_name`) of every spelling of the place `text` names.

    ``search_keys("Ahwaz")`` holds "ahvaz", "ahwaz", "اهواز" and GeoNames' other names of Ahvaz.
    For text the gazetteer cannot resolve for sure, just its own key.
    """
    keys = {normalize_name(text or "")}
    keys.update(normalize_name(n) for n in city_spellings(text or "", country))
    keys.discard("")
    return sorted(keys)


def city_matcher(name: str, country: str = "IR") -> Callable[[str | None], bool]:
    """A test telling whether a stored city (English or Persian) is the city `name` means, in
    any spelling the geocoder knows: ``city_matcher("Ahwaz")("Ahvaz")`` is True."""
    keys = frozenset(search_keys(name, country))

    def matches(city: str | None) -> bool:
        return bool(city) and normalize_name(city or "") in keys

    return matches
