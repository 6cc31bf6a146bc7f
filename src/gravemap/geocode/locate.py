"""Where a reported site is: one rule for `add`, `import` and the Python API.

A site is located either by a point a source or researcher gives (with a precision that says
how good it is) or by its reported place, geocoded. A given point is linked to the gazetteer
city it names (or, named nowhere, the place it lies in) when that place's centre lies within
CITY_LINK_KM; the link lets `publish: city` show the city's centre instead of the point. The
point itself is never moved. A geocoded place that is ambiguous needs a choice (`pick`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from gravemap.errors import AmbiguousPlaceError, CityLinkError, PickError, PlaceNotFoundError
from gravemap.gazetteer import distance_km
from gravemap.geocode.results import Candidate, GeocodeResult

__all__ = [
    "CITY_LINK_KM",
    "AmbiguousPlaceError",
    "CityLinkError",
    "Located",
    "PickError",
    "PlaceNotFoundError",
    "locate",
]

#: A stated point further than this from the centre of the city it names is not linked to it.
CITY_LINK_KM = 50.0


@dataclass(frozen=True)
class Located:
    """Where a site is and how that was found.

    `place` is the gazetteer place the site is linked to (its city, or its province for a
    province-level place), or None. `precision`, `method`, `query`, `geonameid` and `note` are
    the site's `location` fields; `distance_km` is how far a given point lies from the place's
    centre; `notice` is something the researcher should hear (why a city was not linked).
    """

    lon: float
    lat: float
    precision: str
    method: str
    query: str
    place: Candidate | None = None
    note: str | None = None
    distance_km: float | None = None
    notice: str | None = None
    filled_from_point: bool = False

    @property
    def geonameid(self) -> int | None:
        """The linked GeoNames place, if any (a province has none)."""
        return self.place.geonameid if self.place is not None else None


Resolver = Callable[..., GeocodeResult]


def _resolver(resolver: Resolver | None) -> Resolver:
    if resolver is not None:
        return resolver
    from gravemap.geocode.matcher import resolve_place

    return resolve_place


def locate(
    city: str | None = None,
    *,
    province: str | None = None,
    country: str = "IR",
    lat: float | None = None,
    lon: float | None = None,
    precision: str | None = None,
    note: str | None = None,
    publish: str = "full",
    online: bool = False,
    pick: int | None = None,
    resolver: Resolver | None = None,
) -> Located:
    """Locate a site from its reported place (`city`) or a given point (`lat`, `lon`,
    `precision`).

    With a point: `city` names the place (its centre must lie within CITY_LINK_KM to be linked);
    without `city`, the place the point lies in (or nearest to, within CITY_LINK_KM) is linked
    and fills the city and province. Without a point, `city` is geocoded, in any form
    `resolve_place` understands (a description around the town puts the rest in `note`; pasted
    coordinates are read as the point, and need `precision`). Raises PlaceNotFoundError,
    AmbiguousPlaceError (choose with `pick`, 1-based), PickError, CityLinkError (when `publish`
    is "city" and no city can be linked), UnknownProvinceError, OnlineGeocodeError.
    """
    resolve = _resolver(resolver)
    if lat is None and lon is None and city:
        from gravemap.geocode.coordinates import parse_coordinates

        point = parse_coordinates(city)
        if point is not None:
            if precision is None:
                raise PickError(
                    f"{city!r} is a point: say how precise it is (exact, site, city or province)",
                    "no precision",
                )
            located = _at_point(None, province, country, *point, precision, note, publish, resolve)
            return replace(located, query=city)
    if lat is not None and lon is not None:
        if precision is None:
            raise PickError(
                "a given point needs a precision: exact, site, city or province", "no precision"
            )
        return _at_point(city, province, country, lat, lon, precision, note, publish, resolve)
    if not city:
        raise PlaceNotFoundError("no place given", GeocodeResult("", error="no match"))
    result = resolve(city, country=country, province=province, online=online)
    match = _choose(city, result, pick)
    description = getattr(result, "description", None) if result.ok else None
    notes = [n for n in (note, description) if n]
    return Located(
        lon=match.lon,
        lat=match.lat,
        precision=match.precision or "city",
        method="online" if result.method == "online" else "gazetteer",
        query=city,
        place=match,
        note="; ".join(notes) if notes else None,
    )


def _choose(query: str, result: GeocodeResult, pick: int | None) -> Candidate:
    """The match, or candidate `pick` of an ambiguous answer (or of a no-match's candidates)."""
    if result.ok and result.match is not None:
        if pick is not None:
            raise PickError(f"{query!r} is not ambiguous", "not ambiguous")
        return result.match
    candidates = result.candidates
    if pick is not None and candidates:
        if pick > len(candidates):
            raise PickError(f"there are only {len(candidates)} candidates", "out of range")
        return candidates[pick - 1]
    if result.error == "ambiguous":
        raise AmbiguousPlaceError(
            f"{query!r} is ambiguous: {len(candidates)} candidates; "
            + (result.hint or "choose one"),
            result,
        )
    raise PlaceNotFoundError(f"no place called {query!r}; {result.hint}", result)


def _at_point(
    city: str | None,
    province: str | None,
    country: str,
    lat: float,
    lon: float,
    precision: str,
    note: str | None,
    publish: str,
    resolve: Resolver,
) -> Located:
    """A given point, linked to the city it names or (named nowhere) the place it lies in."""
    place: Candidate | None = None
    notice = None
    km = None
    why = "no city is named"
    named_only = False
    if city:
        result = resolve(city, country=country, province=province)
        if not result.ok or result.match is None:
            why = f"{city!r} is {result.error or 'no match'} in the gazetteer"
            named_only = True
        else:
            if result.description:  # "Baha'i cemetery, Qorveh": the rest describes the site
                note = "; ".join(n for n in (note, result.description) if n)
            km = distance_km(lon, lat, result.match.lon, result.match.lat)
            if km <= CITY_LINK_KM:
                place = result.match
            else:
                why = f"the point lies {km:.0f} km from the centre of {result.match.name}"
                notice = f"{why}; the site is not linked to that city"
    else:
        from gravemap.geocode.reverse import nearest_place

        found = nearest_place(lat, lon, country)
        if found is not None and found.distance_km <= CITY_LINK_KM:
            place = Candidate.from_place(found.place, 100.0, "nearest")
            km = found.distance_km
            notice = (
                f"city and province from the place the point lies in: {place.name}, "
                f"{place.province} ({km:.1f} km from its centre)"
                if found.within
                else f"city and province from the nearest place: {place.name}, {place.province} "
                f"({km:.1f} km from its centre)"
            )
        else:
            why = f"no populated place lies within {CITY_LINK_KM:.0f} km of the point"
    if publish == "city" and (place is None or place.geonameid is None):
        raise CityLinkError(
            f"publish 'city' shows the city's centre instead of the point, but {why}",
            why,
            city if named_only else None,
        )
    return Located(
        lon=lon,
        lat=lat,
        precision=precision,
        method="manual",
        query=city or f"{lat}, {lon}",
        place=place,
        note=note,
        distance_km=km,
        notice=notice,
        filled_from_point=city is None and place is not None,
    )
