"""The published dataset: valid, and every claim traceable to the project's source list."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from gravemap import model

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "sites.geojson"
SOURCE_LIST = ROOT.parent / "shared" / "sources" / "1988-reported-sites.md"
PARTY_PUBLISHERS = ("NCRI", "JVMI", "Iran News Update")


@pytest.fixture(scope="module")
def data() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def source_list() -> str:
    if not SOURCE_LIST.exists():
        pytest.skip(f"the source list is not beside this checkout ({SOURCE_LIST})")
    return SOURCE_LIST.read_text(encoding="utf-8")


def test_the_dataset_is_valid(data):
    assert model.validate_collection(data) == []


def test_every_url_and_quote_comes_from_the_source_list(data, source_list):
    listed = set(re.findall(r"https?://[^\s)|;]+", source_list))
    for feature in data["features"]:
        for source in feature["properties"]["sources"]:
            assert source["url"] in listed, (feature["id"], source["url"])
            if "quote" in source:
                assert source["quote"] in source_list, (feature["id"], source["quote"])


def test_every_listed_url_is_cited(data, source_list):
    table_urls = {
        url
        for line in source_list.splitlines()
        if line.startswith("|")
        for url in re.findall(r"https?://[^\s)|;]+", line)
    }
    cited = {s["url"] for f in data["features"] for s in f["properties"]["sources"]}
    assert table_urls <= cited


def test_no_location_claims_more_than_a_city_centre(data):
    for feature in data["features"]:
        location = feature["properties"]["location"]
        assert location["precision"] == "city", feature["id"]
        assert location["method"] == "gazetteer" and location["geonameid"] > 0
        assert location["note"], feature["id"]


def test_claims_of_a_party_to_the_conflict_stay_reported_and_say_so(data):
    for feature in data["features"]:
        props = feature["properties"]
        publishers = [s["publisher"] for s in props["sources"]]
        if all(any(p in pub for p in PARTY_PUBLISHERS) for pub in publishers):
            assert props["verification"] == "reported", feature["id"]


def test_the_file_is_in_canonical_form(data):
    from gravemap.store import dumps_collection

    assert DATA.read_text(encoding="utf-8") == dumps_collection(data)
