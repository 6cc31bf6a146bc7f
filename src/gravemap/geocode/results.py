"""What the geocoder answers: typed results that travel between library functions."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gravemap.errors import GeocodeError as GeocodeError  # re-exported
from gravemap.errors import OnlineGeocodeError as OnlineGeocodeError
from gravemap.errors import UnknownProvinceError as UnknownProvinceError
from gravemap.gazetteer import Place


@dataclass(frozen=True)
class Candidate:
    """A place the query may mean, with how well it matched (0-100)."""

    name: str
    name_fa: str | None
    lat: float
    lon: float
    geonameid: int | None
    province: str | None
    country: str
    population: int | None
    score: float
    precision: str = "city"
    how: str = "exact"

    @classmethod
    def from_place(cls, place: Place, score: float, how: str) -> Candidate:
        return cls(
            name=place.name,
            name_fa=place.name_fa,
            lat=place.lat,
            lon=place.lon,
            geonameid=place.geonameid,
            province=place.province,
            country=place.country,
            population=place.population,
            score=round(score, 1),
            how=how,
        )

    @classmethod
    def from_json(cls, data: dict[str, Any], country: str = "IR") -> Candidate:
        """A candidate from its JSON form (a match's or a listed candidate's)."""
        return cls(
            name=str(data.get("name") or ""),
            name_fa=data.get("name_fa"),
            lat=float(data["lat"]),
            lon=float(data["lon"]),
            geonameid=data.get("geonameid"),
            province=data.get("province"),
            country=str(data.get("country") or country),
            population=data.get("population"),
            score=float(data.get("score") or 0.0),
            precision=str(data.get("precision") or "city"),
            how=str(data.get("method") or "exact"),
        )

    def to_json(self) -> dict[str, Any]:
        """The candidate as listed under ``candidates`` in the jsonl output."""
        return {
            "name": self.name,
            "name_fa": self.name_fa,
            "province": self.province,
            "population": self.population,
            "lat": self.lat,
            "lon": self.lon,
            "geonameid": self.geonameid,
            "score": self.score,
            **({"precision": self.precision} if self.precision != "city" else {}),
        }


def candidate_label(candidate: Candidate | dict[str, Any]) -> str:
    """One line naming a candidate place so a person can tell namesakes apart."""
    if isinstance(candidate, Candidate):
        candidate = candidate.to_json()
    fa = f" ({candidate['name_fa']})" if candidate.get("name_fa") else ""
    pop = candidate.get("population")
    people = f", population {pop:,}" if pop else ""
    if candidate.get("precision") == "province":
        people = " (the province)"
    where = f"[{candidate.get('lat')}, {candidate.get('lon')}]"
    return f"{candidate.get('name')}{fa}, {candidate.get('province') or '?'}{people} {where}"


@dataclass(frozen=True)
class GeocodeResult:
    """The answer for one query: a match, or an error ("no match"/"ambiguous") with candidates."""

    query: str
    match: Candidate | None = None
    error: str | None = None
    candidates: tuple[Candidate, ...] = ()
    method: str = "gazetteer"
    note: str | None = field(default=None, compare=False)
    #: What the query said around the place ("Baha'i cemetery" of "Baha'i cemetery, Qorveh"):
    #: a site's `location.note`.
    description: str | None = field(default=None, compare=False)
    #: For a query that was a point (pasted coordinates): the point, as (lat, lon), and how far
    #: it lies from the centre of the matched place.
    point: tuple[float, float] | None = field(default=None, compare=False)
    distance_km: float | None = field(default=None, compare=False)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> GeocodeResult:
        """A result from its ``geocode --format jsonl`` form (what a stand-in geocoder gives)."""
        query = str(data.get("query") or "")
        if "error" in data:
            return cls(
                query,
                error=str(data["error"]),
                candidates=tuple(Candidate.from_json(c) for c in data.get("candidates") or ()),
            )
        method = "online" if data.get("method") == "online" else "gazetteer"
        return cls(query, match=Candidate.from_json(data), method=method)

    @property
    def hint(self) -> str | None:
        """What to do about an answer that is not a match, in words that fit the query."""
        if self.ok:
            return None
        if self.note:
            return self.note
        if self.error == "ambiguous" and self.candidates:
            first = self.candidates[0]
            example = f"{self.query.split(',')[0].strip()}, {first.province}"
            return f"add the province ({example!r}) to choose among the candidates"
        if self.candidates:
            return "check the spelling against the closest places listed"
        return "check the spelling, try another transliteration or the Persian name, or --online"

    @property
    def ok(self) -> bool:
        """Whether the query resolved to one place."""
        return self.match is not None

    def to_json(self) -> dict[str, Any]:
        """The DESIGN.md ``geocode --format jsonl`` object (plus ``method`` for online answers)."""
        if self.match is None:
            return {
                "query": self.query,
                "error": self.error or "no match",
                "candidates": [c.to_json() for c in self.candidates],
            }
        m = self.match
        out: dict[str, Any] = {
            "query": self.query,
            "name": m.name,
            "name_fa": m.name_fa,
            "lat": m.lat,
            "lon": m.lon,
            "geonameid": m.geonameid,
            "province": m.province,
            "country": m.country,
            "population": m.population,
            "precision": m.precision,
            "score": m.score,
        }
        if self.method == "online":
            out["method"] = "online"
        if self.description:
            out["description"] = self.description
        if self.point is not None and self.distance_km is not None:
            out["point"] = [self.point[0], self.point[1]]
            out["distance_km"] = round(self.distance_km, 1)
        return out
