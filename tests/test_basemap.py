"""The packaged basemap (Natural Earth provinces, neighbours, lakes, seas) and validate's check
that a site's point lies in the province it states."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from gravemap import basemap, gazetteer
from gravemap.cli import main
from gravemap.store import dumps_collection

from conftest import make_collection, make_site

ROOT = Path(__file__).resolve().parents[1]
PERSIAN = re.compile("^[\u0600-\u06ff\u200c ]+$")


def names_table() -> list[dict[str, str]]:
    lines = (ROOT / "scripts" / "basemap_names.tsv").read_text(encoding="utf-8").splitlines()
    return list(csv.DictReader([ln for ln in lines if not ln.startswith("#")], delimiter="\t"))


def test_basemap_has_iran_s_31_provinces_with_codes_and_both_names():
    provinces = basemap.provinces()
    assert len(provinces) == 31
    assert sorted(p.code for p in provinces) == [f"IR-{n:02d}" for n in range(31)]
    assert {p.admin1 for p in provinces} == set(gazetteer.IRAN_PROVINCES)
    for p in provinces:
        assert (p.name_en, p.name_fa) == gazetteer.IRAN_PROVINCES[p.admin1]
        assert PERSIAN.match(p.name_fa), p.name_fa


def test_names_table_is_what_the_data_carries():
    rows = names_table()
    provinces = {p.admin1: p for p in basemap.provinces()}
    for row in (r for r in rows if r["kind"] == "province"):
        p = provinces[row["key"]]
        assert (p.code, p.name_en, p.name_fa) == (row["code"], row["name_en"], row["name_fa"])
    countries = {f["properties"]["id"]: f["properties"] for f in basemap.features("countries")}
    for row in (r for r in rows if r["kind"] == "country" and r["code"] != "-"):
        assert countries[row["key"]]["en"] == row["name_en"]
        assert countries[row["key"]]["fa"] == row["name_fa"]
        assert PERSIAN.match(row["name_fa"])
    # The neighbours the brief names are all there, with both names.
    assert {"IQ", "TR", "AM", "AZ", "TM", "AF", "PK", "KW", "SA", "BH", "QA", "AE", "OM"} <= set(
        countries
    )


def test_lakes_and_seas_are_named_in_both_languages():
    lakes = [f["properties"] for f in basemap.features("lakes") if f["properties"]]
    assert {"en": "Lake Urmia", "fa": "دریاچه ارومیه"} in lakes
    seas = {f["properties"]["en"]: f for f in basemap.features("labels")}
    for name, (lon, lat) in {
        "Caspian Sea": (51.0, 39.4),
        "Persian Gulf": (51.9, 26.9),
        "Gulf of Oman": (58.6, 24.7),
    }.items():
        x, y = seas[name]["geometry"]["coordinates"]
        assert abs(x - lon) < 0.01 and abs(y - lat) < 0.01
        assert PERSIAN.match(seas[name]["properties"]["fa"])
        assert basemap.province_at(x, y) is None  # a sea label sits on water


@pytest.mark.parametrize(
    ("island", "lon", "lat", "code"),
    [
        ("Kish", 53.98, 26.53, "IR-22"),
        ("Kharg", 50.32, 29.25, "IR-18"),
        ("Abu Musa", 55.03, 25.875, "IR-22"),
        ("Qeshm", 55.9, 26.8, "IR-22"),
        ("Greater Tunb", 55.30, 26.265, "IR-22"),
        ("Hormuz", 56.46, 27.06, "IR-22"),
    ],
)
def test_islands_survive_simplification(island, lon, lat, code):
    found = basemap.province_at(lon, lat)
    if found is None:  # a small island, simplified: its outline must still be right there
        province = next(p for p in basemap.provinces() if p.code == code)
        assert basemap.distance_to_km(province, lon, lat) < 2, island
    else:
        assert found[0] == code, island


def test_the_basemap_file_is_compact():
    assert len(basemap.data_text().encode("utf-8")) < 60_000
    assert "<" not in basemap.data_text()  # inlined in a page as it is


def test_largest_place_of_every_province_lies_in_it():
    """GeoNames' largest place of each admin1 code falls in the polygon of that code (a coastal
    city may sit up to 2 km off Natural Earth's generalised coastline, in no province)."""
    index = gazetteer.load_index("IR")
    by_name = {p.name_en: p for p in basemap.provinces()}
    largest: dict[str, gazetteer.Place] = {}
    for place in index.places:
        if place.province and place.population > getattr(
            largest.get(place.province), "population", -1
        ):
            largest[place.province] = place
    assert set(largest) == set(by_name)
    for name, place in largest.items():
        found = basemap.province_at(place.lon, place.lat)
        if found is None:
            assert basemap.distance_to_km(by_name[name], place.lon, place.lat) < 2, place.name
        else:
            assert found[1] == name, (place.name, found)


def test_province_at_is_none_outside_iran():
    assert basemap.province_at(44.36, 33.31) is None  # Baghdad
    assert basemap.province_at(51.0, 40.0) is None  # the Caspian Sea
    assert basemap.province_at(0.0, 0.0) is None


@pytest.mark.parametrize(
    ("spelling", "name"),
    [
        ("Kordestan", "Kurdistan"),
        ("kurdistan province", "Kurdistan"),
        ("استان کردستان", "Kurdistan"),
        ("Esfahan", "Isfahan"),
        ("Chahar Mahall and Bakhtiari", "Chaharmahal and Bakhtiari"),
        ("Kohgiluyeh va Boyer-Ahmad", "Kohgiluyeh and Boyer-Ahmad"),
        ("Ardebil", "Ardabil"),
        ("West Azarbaijan", "West Azerbaijan"),
        ("آذربايجان شرقي", "East Azerbaijan"),  # Arabic yeh
        ("Khorāsān-e Raẕavī", "Razavi Khorasan"),
        ("IR-23", "Tehran"),
    ],
)
def test_province_named_accepts_other_spellings(spelling, name):
    assert basemap.province_named(spelling).name_en == name


def test_province_named_is_none_for_unknown_names():
    assert basemap.province_named("Test Province") is None


def test_page_assets_carry_the_data_and_the_drawing_script():
    assets = basemap.page_assets()
    assert json.loads(assets["data"])["type"] == "Topology"
    assert "GravemapBasemap" in assets["script"]
    assert "Natural Earth" in assets["attribution"]
    for forbidden in ("eval(", "new Function", "http://", "https://", "innerHTML", "@import"):
        assert forbidden not in assets["script"]


# --------------------------------------------------------------------------- validate


def site_at(site_id: str, lon: float, lat: float, province: str, country: str = "IR") -> dict:
    site = make_site(site_id, province=province, country=country)
    site["geometry"]["coordinates"] = [lon, lat]
    return site


def write(tmp_path: Path, *sites: dict) -> Path:
    path = tmp_path / "sites.geojson"
    path.write_text(dumps_collection(make_collection(*sites)), encoding="utf-8")
    return path


def test_validate_warns_when_a_point_lies_outside_its_stated_province(runner, tmp_path):
    # A synthetic point in the middle of Tehran province, said to be in Fars.
    path = write(tmp_path, site_at("ir-synthetic-01", 51.4, 35.7, "Fars"))
    before = path.read_bytes()
    result = runner.invoke(main, ["validate", str(path)])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"{path}:ir-synthetic-01: province: warning: the point lies in ")
    assert "lies in Tehran" in lines[0] and "stated province Fars" in lines[0]
    assert re.search(r", \d+ km outside", lines[0])
    assert path.read_bytes() == before


def test_validate_warning_names_the_stated_province_as_the_gazetteer_writes_it(runner, tmp_path):
    path = write(tmp_path, site_at("ir-synthetic-01", 48.68, 31.32, "Kordestan"))
    result = runner.invoke(main, ["validate", str(path)])
    assert result.exit_code == 0
    assert "the point lies in Khuzestan" in result.stdout
    assert "stated province Kurdistan" in result.stdout


def test_validate_warns_once_per_site_and_keeps_errors_failing(runner, tmp_path):
    wrong = site_at("ir-synthetic-01", 51.4, 35.7, "Fars")
    also_wrong = site_at("ir-synthetic-02", 51.4, 35.7, "Fars")
    broken = site_at("ir-synthetic-03", 51.4, 35.7, "Tehran")
    broken["properties"]["status"] = "paved"
    result = runner.invoke(main, ["validate", str(write(tmp_path, wrong, also_wrong, broken))])
    assert result.exit_code == 1  # the error, not the warnings
    warnings = [ln for ln in result.stdout.splitlines() if ": province: warning:" in ln]
    assert [ln.split(":")[1] for ln in warnings] == ["ir-synthetic-01", "ir-synthetic-02"]


def test_validate_tolerates_points_near_the_border(tmp_path):
    # Qom city's centre is ~0 km inside Qom; a point 3 km across the Tehran border is tolerated,
    # one 40 km across is not.
    tehran = next(p for p in basemap.provinces() if p.name_en == "Tehran")
    qom = next(p for p in basemap.provinces() if p.name_en == "Qom")
    # walk north from Qom city until the point leaves Qom province
    lon, lat = 50.8764, 34.6401
    while basemap.province_at(lon, lat) and basemap.province_at(lon, lat)[1] == "Qom":
        lat += 0.01
    assert basemap.province_at(lon, lat)[1] == "Tehran"
    near = site_at("ir-synthetic-01", lon, lat + 0.02, "Qom")
    far = site_at("ir-synthetic-02", lon, lat + 0.4, "Qom")
    assert basemap.distance_to_km(qom, lon, lat + 0.02) < basemap.BORDER_TOLERANCE_KM
    assert basemap.distance_to_km(qom, lon, lat + 0.4) > basemap.BORDER_TOLERANCE_KM
    assert basemap.distance_to_km(tehran, lon, lat + 0.4) >= 0
    warnings = basemap.province_warnings(make_collection(near, far))
    assert [(w.feature_id, w.stated, w.found) for w in warnings] == [
        ("ir-synthetic-02", "Qom", "Tehran")
    ]


def test_validate_skips_sites_it_cannot_place(tmp_path):
    sites = [
        site_at("ir-synthetic-01", 51.4, 35.7, "Test Province"),  # not a province it knows
        site_at("ir-synthetic-02", 51.4, 35.7, "Fars", country="IQ"),  # not in Iran
        site_at("ir-synthetic-03", 1e300, 35.7, "Fars"),  # validate's error, not a warning
    ]
    assert basemap.province_warnings(make_collection(*sites)) == []
    assert basemap.province_warnings({"features": "nonsense"}) == []


def test_the_dataset_gives_no_province_warning():
    data = json.loads((ROOT / "data" / "sites.geojson").read_text(encoding="utf-8"))
    assert basemap.province_warnings(data) == []


# --------------------------------------------------------------------------- the build script


def build_script():
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "build_basemap", ROOT / "scripts" / "build_basemap.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class FakeSubdivision:
    def __init__(self, code: str, name: str) -> None:
        self.code, self.name = code, name


class FakePycountry:
    """pycountry's interface as the build uses it, with ISO 3166-2:IR names as it spells them."""

    __version__ = "test"

    def __init__(self, names: dict[str, str]) -> None:
        self.subdivisions = self
        self._subs = [FakeSubdivision(code, name) for code, name in names.items()]

    def get(self, country_code: str):
        assert country_code == "IR"
        return self._subs


ISO_NAMES = {
    "IR-00": "Markazī Province",
    "IR-01": "Gīlān Province",
    "IR-02": "Māzandarān Province",
    "IR-03": "Āz̄ārbāyjān-e Shārqī Province",
    "IR-04": "Āz̄ārbāyjān-e Ghārbī Province",
    "IR-05": "Kermānshāh Province",
    "IR-06": "Khūzestān Province",
    "IR-07": "Fārs Province",
    "IR-08": "Kermān Province",
    "IR-09": "Khorāsān-e Raẕavī Province",
    "IR-10": "Eşfahān Province",
    "IR-11": "Sīstān va Balūchestān Province",
    "IR-12": "Kordestān Province",
    "IR-13": "Hamadān Province",
    "IR-14": "Chahār Maḩāl va Bakhtīārī Province",
    "IR-15": "Lorestān Province",
    "IR-16": "Īlām Province",
    "IR-17": "Kohgīlūyeh va Bowyer Aḩmad Province",
    "IR-18": "Būshehr Province",
    "IR-19": "Zanjān Province",
    "IR-20": "Semnān Province",
    "IR-21": "Yazd Province",
    "IR-22": "Hormozgān Province",
    "IR-23": "Tehrān Province",
    "IR-24": "Ardabīl Province",
    "IR-25": "Qom Province",
    "IR-26": "Qazvīn Province",
    "IR-27": "Golestān Province",
    "IR-28": "Khorāsān-e Shomālī Province",
    "IR-29": "Khorāsān-e Jonūbī Province",
    "IR-30": "Alborz Province",
}


def test_build_checks_each_iso_code_against_pycountry_and_refuses_a_swap():
    script = build_script()
    rows = script.read_names()
    spellings = {p.admin1: [p.name_en, *p.aliases] for p in basemap.provinces()}
    script.check_iso_codes(rows, spellings, FakePycountry(ISO_NAMES))  # the table as committed
    swapped = [dict(r) for r in rows]
    for row in swapped:  # Qom and Qazvin's codes exchanged
        if row["kind"] == "province" and row["code"] in ("IR-25", "IR-26"):
            row["code"] = "IR-26" if row["code"] == "IR-25" else "IR-25"
    with pytest.raises(SystemExit, match="IR-2[56]"):
        script.check_iso_codes(swapped, spellings, FakePycountry(ISO_NAMES))


def test_build_label_point_lies_inside_and_skips_slivers():
    script = build_script()
    square = [[[50.0, 30.0], [52.0, 30.0], [52.0, 32.0], [50.0, 32.0], [50.0, 30.0]]]
    x, y = script.label_point([square])
    assert abs(x - 51.0) < 0.2 and abs(y - 31.0) < 0.2  # a grid search, near the centre
    sliver = [[[50.0, 30.0], [50.1, 30.0], [50.1, 32.0], [50.0, 32.0], [50.0, 30.0]]]
    assert script.label_point([sliver], room_km=40) is None
