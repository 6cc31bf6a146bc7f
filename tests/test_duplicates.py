"""Near-duplicate sites: similar names in one place (both scripts, any spelling), shared URLs."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gravemap import model
from gravemap.cli import main
from gravemap.duplicates import SiteIndex, similar_sites
from test_cli_sites import ADD

from conftest import make_collection, make_site, read_json


def _collection(*features):
    return model.SiteCollection.from_geojson(make_collection(*features))


def _existing():
    return make_site(
        "ir-testville-01",
        name="Synthetic Khavaran cemetery",
        name_fa="گورستان خاوران آزمایشی",
        city="Testville",
        city_fa="تست‌آباد",
    )


def _candidate(name, name_fa=None, city="Testville", url="https://example.org/other", lon=50.0):
    feature = make_site(
        "ir-new-01", name=name, city=city, verification="reported", status="damaged"
    )
    if name_fa:
        feature["properties"]["name_fa"] = name_fa
    feature["geometry"]["coordinates"] = [lon, 30.0]
    feature["properties"]["sources"] = [
        {"id": "s1", "publisher": "Example Org", "title": "T", "url": url}
    ]
    feature["properties"]["status_history"] = [
        {"status": "damaged", "date": "2010", "sources": ["s1"]}
    ]
    return model.Site.from_feature(feature)


@pytest.mark.parametrize(
    ("name", "name_fa", "city"),
    [
        ("Synthetic Khāvarān", None, "Testville"),  # diacritics
        ("Synthetic Xavaran mass grave", None, "Testville"),  # kh / x, generic words
        ("synthetic khawaran", None, "Test-ville"),  # w / v, city spelled another way
        ("Unrelated name", "قبرستان خاوران آزمايشي", "Testville"),  # Persian, Arabic yeh
    ],
)
def test_a_similar_name_in_the_same_city_is_found(name, name_fa, city):
    found = similar_sites(_collection(_existing()), _candidate(name, name_fa, city))
    assert [site_id for site_id, _ in found] == ["ir-testville-01"]
    assert "a similar name in the same place" in found[0][1]


@pytest.mark.parametrize(
    ("name", "city"),
    [
        ("Synthetic Khavaran cemetery", "Otherville"),  # same name, another city
        ("Synthetic Behesht cemetery", "Testville"),  # same city, another name
        ("Cemetery", "Testville"),  # only generic words
        ("Synthetic Khavaran cemetery, block 103", "Testville"),  # another block (the
        # existing site is renamed "..., block 93" in the test)
    ],
)
def test_other_sites_are_not_flagged(name, city):
    existing = _existing()
    if "block" in name:
        existing["properties"]["name"] = "Synthetic Khavaran cemetery, block 93"
        existing["properties"]["name_fa"] = "گورستان خاوران آزمایشی، قطعه ۹۳"
    assert similar_sites(_collection(existing), _candidate(name, None, city)) == []


def test_numbers_in_any_digits_tell_places_apart_and_cities_too():
    existing = _existing()
    existing["properties"]["name_fa"] = "گورستان خاوران آزمایشی، قطعه ۹۳"
    existing["properties"]["city"] = "Testville 12"
    same = _candidate("Unrelated", "قبرستان خاوران آزمایشی قطعه 93", city="Testville 12")
    other_block = _candidate("Unrelated", "قبرستان خاوران آزمایشی قطعه ۱۰۳", city="Testville 12")
    other_city = _candidate("Synthetic Khavaran cemetery", city="Testville 13")
    assert [i for i, _ in similar_sites(_collection(existing), same)] == ["ir-testville-01"]
    assert similar_sites(_collection(existing), other_block) == []
    assert similar_sites(_collection(existing), other_city) == []


def test_a_shared_source_url_is_found_however_it_was_copied():
    found = similar_sites(
        _collection(_existing()),
        _candidate("Unrelated name", url="http://www.example.org/report-1/#page=2"),
    )
    assert found == [("ir-testville-01", "the same source http://www.example.org/report-1/#page=2")]


def test_a_report_covering_many_cities_does_not_make_them_duplicates():
    found = similar_sites(
        _collection(_existing()),
        _candidate("Unrelated name", city="Otherville", url="https://example.org/report-1"),
    )
    assert found == []


def test_add_warns_naming_the_existing_site_and_still_adds(runner, tmp_path):
    data = tmp_path / "sites.geojson"
    from gravemap.store import dumps_collection

    data.write_text(dumps_collection(make_collection(_existing())), encoding="utf-8")
    args = list(ADD)
    args[args.index("--name") + 1] = "Synthetic Khavaran"
    result = runner.invoke(main, ["--data", str(data), *args])
    assert result.exit_code == 0, result.output
    assert result.stdout == "ir-testville-02\n"
    assert result.stderr.startswith(
        "warning: ir-testville-01 may be this site reported again (a similar name in the same "
        "place ('Synthetic Khavaran cemetery' / 'Synthetic Khavaran'));"
    )
    assert "`gravemap merge ir-testville-01 ir-testville-02`" in result.stderr
    assert len(read_json(data)["features"]) == 2


def test_add_names_many_possible_duplicates_without_flooding_the_terminal(runner, tmp_path):
    from gravemap.store import dumps_collection

    features = [make_site(f"ir-testville-{n:02d}", name="Synthetic Khavaran") for n in range(1, 8)]
    data = tmp_path / "sites.geojson"
    data.write_text(dumps_collection(make_collection(*features)), encoding="utf-8")
    args = list(ADD)
    args[args.index("--name") + 1] = "Synthetic Khavaran"
    result = runner.invoke(main, ["--data", str(data), *args])
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 6
    assert lines[-1] == "warning: 2 more may be this site too: ir-testville-06, ir-testville-07"


# `import` checks each row against an index of the stored sites (`SiteIndex`) instead of
# against every site: it must find exactly what `similar_sites` finds, in the same order.
_NAMES = [
    "Synthetic Khavaran",
    "Synthetic Khāvarān cemetery",
    "Synthetic block",
    "Synthetic block 93",
    "Synthetic block ۹۳",
    "Synthetic block 103",
    "Golzar Synthetic Khavaran",
    "Testfield mass grave",
    "Bagh",
    "گورستان خاوران آزمایشی",
    "قطعه ۹۳ آزمایشی",
]
_CITIES = [
    None,
    None,
    None,
    "Testville",
    "Test-ville",
    "Teztville",
    "Otherville",
    "District 12",
    "District 13",
]
# Clusters of points a few km apart, near the equator, at 80° N and across the antimeridian.
_CENTRES = [(50.0, 30.0), (50.03, 30.02), (50.2, 30.0), (10.0, 80.0), (179.99, 0.0), (-179.99, 0)]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(_NAMES),
            st.sampled_from(_CITIES),
            st.sampled_from(_CENTRES),
            st.floats(-0.04, 0.04),
            st.integers(0, 4),
            st.sampled_from([None, 144448, 144449]),
        ),
        min_size=2,
        max_size=25,
    )
)
def test_the_site_index_finds_what_similar_sites_finds(specs):
    sites = []
    for n, (name, city, (lon, lat), shift, url, geonameid) in enumerate(specs):
        feature = make_site(f"ir-synthetic-{n:02d}", name=name, city=city)
        if city is None:
            del feature["properties"]["city"]
        if geonameid is not None:
            feature["properties"]["location"]["geonameid"] = geonameid
        feature["geometry"]["coordinates"] = [max(-180.0, min(180.0, lon + shift)), lat + shift]
        feature["properties"]["sources"] = [
            {
                "id": "s1",
                "publisher": "Example Org",
                "title": "T",
                "url": f"https://example.org/l{url}",
            }
        ]
        for entry in feature["properties"]["status_history"]:
            entry["sources"] = ["s1"]
        sites.append(model.Site.from_feature(feature))
    *stored, _ = sites
    collection = model.SiteCollection([])
    index = SiteIndex()
    for site in sites:
        assert index.similar(site) == similar_sites(collection, site)
        collection.add(site)
        index.add(site)
    moved = stored[0]  # corrected in place, as `import --update` does
    moved.city, moved.lon, moved.lat = "Otherville", -179.99, 0.0
    moved.sources[0].url = "https://example.org/l9"
    index.add(moved)  # a corrected site is indexed again
    for site in sites:
        assert index.similar(site) == similar_sites(collection, site)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(_NAMES),
            st.sampled_from(_CITIES),
            st.sampled_from(_CENTRES),
            st.floats(-0.06, 0.06),
            st.sampled_from(["l0", "l1", "l1/", "L1", "l10", ""]),
            st.sampled_from(
                ["https://example.org/", "http://www.example.org/", "https://x.example/"]
            ),
            st.sampled_from([None, 144448, 144449]),
        ),
        min_size=2,
        max_size=20,
    )
)
def test_a_file_read_from_disk_is_searched_as_if_every_site_were_built(specs):
    # similar_sites looks closely only at the stored sites its first test lets through: it
    # must find exactly what comparing with every built site finds.
    features = []
    for n, (name, city, (lon, lat), shift, path, host, geonameid) in enumerate(specs):
        feature = make_site(f"ir-synthetic-{n:02d}", name=name, city=city)
        if city is None:
            del feature["properties"]["city"]
        if geonameid is not None:
            feature["properties"]["location"]["geonameid"] = geonameid
        feature["geometry"]["coordinates"] = [max(-180.0, min(180.0, lon + shift)), lat + shift]
        feature["properties"]["sources"] = [
            {"id": "s1", "publisher": "Example Org", "title": "T", "url": host + path}
        ]
        for entry in feature["properties"]["status_history"]:
            entry["sources"] = ["s1"]
        features.append(feature)
    *stored, last = features
    data = {"type": "FeatureCollection", "gravemap": {"schema": 1}, "features": stored}
    lazy = model.SiteCollection.from_geojson(data)
    built = model.SiteCollection([model.Site.from_feature(f) for f in stored])
    for candidate in (model.Site.from_feature(last), *built):
        assert similar_sites(lazy, candidate) == similar_sites(built, candidate)
