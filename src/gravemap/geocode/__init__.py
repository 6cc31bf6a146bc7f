"""Resolve a reported place name, in any spelling or script, to a GeoNames place, honestly.

Reports name places as their authors heard them: "Ahwaz", "Ahvāz", "اهواز", "Bakhtaran" (Kermanshah
in 1988), "Rezaiyeh", Arabic-keyboard "كرمانشاه". A wrong point on a map of graves is worse than
none, so the answer is one of: a match (with a score), ``ambiguous`` (two or more plausible places,
listed), or ``no match``.

The package's modules, along their seams:

- `normalise`: the keys that make spellings agree, and the parsing of a query;
- `tables`: historical names, province and country names;
- `matcher`: the offline lookup and the choice among candidates (`resolve_place`);
- `online`: the opt-in Nominatim fallback;
- `coordinates`, `reverse`: pasted coordinates, and the place a point lies in;
- `locate`: where a site is, for `add`, `import` and the Python API (`locate`);
- `search`: a city under any of its spellings (`city_matcher`, `search_keys`);
- `results`: the typed answers (`Candidate`, `GeocodeResult`) and the exceptions.

Nothing here uses the network unless ``online=True``.
"""

from __future__ import annotations

from gravemap.geocode.coordinates import parse_coordinates
from gravemap.geocode.locate import (
    CITY_LINK_KM,
    AmbiguousPlaceError,
    CityLinkError,
    Located,
    PickError,
    PlaceNotFoundError,
    locate,
)
from gravemap.geocode.matcher import resolve_place
from gravemap.geocode.normalise import (
    is_arabic_script,
    loose_key,
    normalize_latin,
    normalize_name,
    normalize_persian,
    phonetic_key,
    split_query,
    vowel_key,
)
from gravemap.geocode.results import (
    Candidate,
    GeocodeError,
    GeocodeResult,
    OnlineGeocodeError,
    UnknownProvinceError,
    candidate_label,
)
from gravemap.geocode.reverse import NearestPlace, nearest_place
from gravemap.geocode.search import city_matcher, search_keys
from gravemap.geocode.tables import HISTORICAL_NAMES, ProvinceMatch, resolve_province

__all__ = [
    "CITY_LINK_KM",
    "HISTORICAL_NAMES",
    "AmbiguousPlaceError",
    "CityLinkError",
    "Located",
    "NearestPlace",
    "PickError",
    "PlaceNotFoundError",
    "city_matcher",
    "locate",
    "nearest_place",
    "parse_coordinates",
    "search_keys",
    "Candidate",
    "GeocodeError",
    "GeocodeResult",
    "OnlineGeocodeError",
    "ProvinceMatch",
    "UnknownProvinceError",
    "candidate_label",
    "is_arabic_script",
    "loose_key",
    "normalize_latin",
    "normalize_name",
    "normalize_persian",
    "phonetic_key",
    "resolve_place",
    "resolve_province",
    "split_query",
    "vowel_key",
]
