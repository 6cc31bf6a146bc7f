"""Shared fixtures: small, obviously synthetic sites (example.org sources, made-up names)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from gravemap.store import dumps_collection

# A point in the empty centre of Iran's Dasht-e Kavir: inside the country, near no real site.
SYNTHETIC_LON, SYNTHETIC_LAT = 54.0, 34.0


def make_site(site_id: str = "ir-synthetic-01", **overrides: Any) -> dict[str, Any]:
    """A valid, obviously synthetic site Feature; keyword arguments replace properties."""
    feature: dict[str, Any] = {
        "type": "Feature",
        "id": site_id,
        "geometry": {"type": "Point", "coordinates": [SYNTHETIC_LON, SYNTHETIC_LAT]},
        "properties": {
            "name": "Synthetic test site",
            "city": "Testville",
            "province": "Test Province",
            "country": "IR",
            "location": {"precision": "city", "method": "manual", "query": "Testville"},
            "status": "damaged",
            "status_history": [
                {"status": "intact", "date": "2001", "sources": ["s1"]},
                {
                    "status": "damaged",
                    "date": "2010-05-06",
                    "sources": ["s1", "s2"],
                    "note": "synthetic note",
                },
            ],
            "sources": [
                {
                    "id": "s1",
                    "publisher": "Example Org",
                    "title": "Synthetic report one",
                    "url": "https://example.org/report-1",
                    "date": "2001",
                },
                {
                    "id": "s2",
                    "publisher": "Other Example",
                    "title": "Synthetic report two",
                    "url": "https://example.net/report-2",
                    "quote": "a synthetic quote",
                },
            ],
            "verification": "corroborated",
            "added": {"at": "2026-01-01T00:00:00Z"},
            "publish": "full",
        },
    }
    feature["properties"].update(overrides)
    return feature


def make_collection(*features: dict[str, Any], retired: list[str] | None = None) -> dict:
    meta: dict[str, Any] = {"schema": 1}
    if retired:
        meta["retired_ids"] = retired
    return {"type": "FeatureCollection", "gravemap": meta, "features": list(features)}


@pytest.fixture
def site() -> dict[str, Any]:
    return make_site()


@pytest.fixture
def data_file(tmp_path: Path) -> Path:
    """A data file with two synthetic sites, written in canonical form."""
    second = make_site(
        "ir-synthetic-02",
        name="Second synthetic site",
        city="Otherville",
        status="unknown",
        status_history=[{"status": "unknown", "date": "2020", "sources": ["s1"]}],
        verification="reported",
    )
    second["properties"]["sources"] = second["properties"]["sources"][:1]
    path = tmp_path / "sites.geojson"
    path.write_text(dumps_collection(make_collection(make_site(), second)), encoding="utf-8")
    return path


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def deep(obj: Any) -> Any:
    return copy.deepcopy(obj)


def read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))
