"""Finding a city under any of its spellings: for `list --city` and the map's search.

A researcher filtering for "Ahwaz" means the sites stored as Ahvaz (or اهواز). The query is
resolved offline, strictly, and every spelling the gazetteer knows for that place becomes a
key; a query the gazetteer cannot resolve for sure still matches its own spelling.
"""

from __future__ import annotations

from collections.abc import Callable

from gravemap.errors import GravemapError
from gravemap.geocode.normalise import normalize_name

__all__ = ["city_matcher", "search_keys"]

# How a place may be matched for a filter: never by a loose spelling or a guess.
_FIRM = frozenset({"historical", "exact", "alias", "phonetic"})


def search_keys(text: str, country: str = "IR") -> list[str]:
    """The normalised keys (`normalize_name`) of every spelling of the place `text` names.

    ``search_keys("Ahwaz")`` holds "ahvaz", "ahwaz", "اهواز" and GeoNames' other names of Ahvaz;
    a map's search box can embed them per site and compare ``normalize_name(typed)``. For text
    the gazetteer cannot resolve for sure, just its own key.
    """
    own = normalize_name(text or "")
    keys = {own} if own else set()
    try:
        from gravemap.gazetteer import load_index
        from gravemap.geocode.matcher import _decide, _lookup, _matcher, _shape

        # Exact, historical and phonetic keys only: no edit-distance guess (nor rapidfuzz, so
        # `list --city` starts as fast as `list`).
        m = _matcher(country.upper())
        result = _decide(text, _lookup(m, text, loose=False), None, 5, 0, _shape(m, text))
        match = result.match
        if result.ok and match is not None and match.how in _FIRM and match.geonameid:
            index = load_index(country)
            place = index.by_geonameid(match.geonameid)
            if place is not None:
                position = index.places.index(place)
                names = (*index.aliases[position], place.name, place.name_fa or "")
                keys.update(normalize_name(n) for n in names if n)
    except GravemapError:
        pass  # no gazetteer: the query's own spelling still matches
    keys.discard("")
    return sorted(keys)


def city_matcher(name: str, country: str = "IR") -> Callable[[str | None], bool]:
    """A test telling whether a stored city (English or Persian) is the city `name` means, in
    any spelling the geocoder knows: ``city_matcher("Ahwaz")("Ahvaz")`` is True."""
    keys = frozenset(search_keys(name, country))

    def matches(city: str | None) -> bool:
        return bool(city) and normalize_name(city or "") in keys

    return matches
