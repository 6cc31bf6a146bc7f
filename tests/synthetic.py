"""Obviously synthetic, schema-valid sites for tests and benchmarks.

Names read "Synthetic site 00042", sources live on example.org, and every point lies in the
empty interior of Iran (the Dasht-e Kavir and Dasht-e Lut), near no reported site. Output is
deterministic for a given count and seed. About one site in eight shares its point with others
(several sites geocoded to one synthetic city centre), as real city-precision data does.
"""

from __future__ import annotations

import random
from typing import Any

from gravemap.model import STATUSES

# Synthetic "city centres": empty desert points, shared by the city-precision sites.
CENTRES = [(54.0 + 0.7 * (k % 5), 31.0 + 0.8 * (k // 5)) for k in range(20)]
PROVINCES = [f"Synthetic Province {k:02d}" for k in range(12)]
PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def synthetic_site(n: int, rng: random.Random) -> dict[str, Any]:
    """The n-th synthetic site as a GeoJSON Feature (valid under gravemap's schema)."""
    shared = n % 8 == 0
    if shared:
        centre = n // 8 % len(CENTRES)
        lon, lat = CENTRES[centre]
        precision = "city"
    else:
        centre = n % len(CENTRES)
        lon, lat = round(rng.uniform(53.5, 57.5), 5), round(rng.uniform(30.5, 34.5), 5)
        precision = rng.choice(("exact", "site", "site", "city"))
    history_statuses = [rng.choice(STATUSES) for _ in range(rng.randint(1, 3))]
    years = sorted(rng.sample(range(1989, 2025), len(history_statuses)))
    dates = []
    for year in years:
        form = rng.randint(0, 2)
        dates.append(
            str(year)
            if form == 0
            else f"{year}-{rng.randint(1, 12):02d}"
            if form == 1
            else f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        )
    two_sources = rng.random() < 0.5
    sources = [
        {
            "id": "s1",
            "publisher": "Example Monitor",
            "title": f"Synthetic report {n:05d}",
            "url": f"https://example.org/reports/{n:05d}",
            "date": dates[0],
            "quote": f"A synthetic quote about site {n:05d}.",
        }
    ]
    if two_sources:
        sources.append(
            {
                "id": "s2",
                "publisher": "Example Observatory",
                "title": f"Second synthetic report {n:05d}",
                "url": f"https://example.net/obs/{n:05d}",
                "archived_url": f"https://archive.example.org/obs/{n:05d}",
            }
        )
    history = [
        {"status": status, "date": date, "sources": ["s1"]}
        for status, date in zip(history_statuses, dates, strict=True)
    ]
    if two_sources:
        history[-1]["sources"] = ["s1", "s2"]
    props: dict[str, Any] = {
        "name": f"Synthetic site {n:05d}",
        "name_fa": f"مکان آزمایشی {str(n).zfill(5).translate(PERSIAN_DIGITS)}",
        "city": f"Synthcity {centre:02d}",
        "province": PROVINCES[centre % len(PROVINCES)],
        "country": "IR",
        "location": {
            "precision": precision,
            "method": "manual",
            "query": f"Synthcity {centre:02d}",
        },
        "status": history_statuses[-1],
        "status_history": history,
        "sources": sources,
        "verification": "corroborated" if two_sources else "reported",
        "added": {"at": "2026-01-01T00:00:00Z", "by": "synthetic-generator"},
        "publish": "full",
    }
    if n % 5 == 0:
        props["victims"] = {"low": 10 + n % 40, "high": 50 + n % 90, "sources": ["s1"]}
    if n % 3 == 0:
        props["notes"] = f"Synthetic notes for site {n:05d}; not a real place."
    return {
        "type": "Feature",
        "id": f"ir-synthetic-{n:05d}",
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": props,
    }


def synthetic_collection(count: int, seed: int = 1988) -> dict[str, Any]:
    """A FeatureCollection of `count` synthetic sites, the same for the same count and seed."""
    rng = random.Random(seed)
    return {
        "type": "FeatureCollection",
        "gravemap": {"schema": 1},
        "features": [synthetic_site(n, rng) for n in range(count)],
    }
