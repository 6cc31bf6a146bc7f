"""Offline reverse geocoding: the populated place a point belongs to, over the gazetteer index.

A point inside a city belongs to that city even when a village of the index lies closer to it
(cities swallow their villages): each place is given a rough urban radius from its population,
and among the places whose radius reaches the point, the one it is relatively closest to
(distance over radius) answers, so a point at Eslamshahr's centre is Eslamshahr, not Tehran
25 km away, and a point in Tehran's south-east is Tehran, not a village 1 km away. A point no
place's radius reaches answers the nearest place. The distance is always reported, so nobody
mistakes "nearest" for "in".
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from gravemap.gazetteer import CountryIndex, Place, distance_km, load_index

__all__ = ["NearestPlace", "nearest_place", "urban_radius_km"]

#: A place of population P is taken to reach URBAN_KM_PER_SQRT_PERSON * sqrt(P) km from its
#: centre: about 30 km for Tehran (8.7 million), 15 km for Mashhad, 1.4 km for a town of 20,000.
URBAN_KM_PER_SQRT_PERSON = 0.01
#: Nothing further than this from every place is said to be near one.
MAX_NEAREST_KM = 100.0


@dataclass(frozen=True)
class NearestPlace:
    """The place a point belongs to (or is nearest to), and how far the point is from its centre."""

    place: Place
    distance_km: float
    within: bool  # whether the point lies within the place's urban radius


def urban_radius_km(population: int) -> float:
    """How far from its centre a place of `population` people is taken to reach."""
    return URBAN_KM_PER_SQRT_PERSON * math.sqrt(max(population, 0))


@lru_cache(maxsize=8)
def _grid(index: CountryIndex) -> dict[tuple[int, int], tuple[int, ...]]:
    """Places by one-degree cell, so a lookup reads a few cells instead of every place."""
    cells: dict[tuple[int, int], list[int]] = {}
    for i, p in enumerate(index.places):
        cells.setdefault((math.floor(p.lat), math.floor(p.lon)), []).append(i)
    return {k: tuple(v) for k, v in cells.items()}


def nearest_place(lat: float, lon: float, country: str = "IR") -> NearestPlace | None:
    """The populated place of `country` that the point (lat, lon) belongs to, or None when no
    place lies within MAX_NEAREST_KM."""
    index = load_index(country)
    grid = _grid(index)
    reach = 1  # cells around the point's own: about 110 km north-south
    row, col = math.floor(lat), math.floor(lon)
    best: NearestPlace | None = None
    inside: tuple[float, NearestPlace] | None = None
    for dr in range(-reach, reach + 1):
        for dc in range(-reach - 1, reach + 2):  # a degree of longitude is shorter
            for i in grid.get((row + dr, col + dc), ()):
                place = index.places[i]
                km = distance_km(lon, lat, place.lon, place.lat)
                if km > MAX_NEAREST_KM:
                    continue
                radius = urban_radius_km(place.population)
                here = NearestPlace(place, km, km <= radius)
                if best is None or (km, place.geonameid) < (best.distance_km, best.place.geonameid):
                    best = here
                if here.within:
                    ratio = km / radius if radius > 0 else 0.0
                    key = (ratio, -place.population, place.geonameid)
                    if inside is None or key < (
                        inside[0],
                        -inside[1].place.population,
                        inside[1].place.geonameid,
                    ):
                        inside = (ratio, here)
    return inside[1] if inside is not None else best
