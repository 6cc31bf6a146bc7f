"""`gravemap add` with a reported place: geocoded offline, ambiguity resolved by --pick."""

from __future__ import annotations

from gravemap.cli import main

from conftest import read_json

SOURCE = [
    "--status",
    "unknown",
    "--status-date",
    "2020",
    "--source-url",
    "https://example.org/s",
    "--source-title",
    "Synthetic source",
    "--source-publisher",
    "Example Org",
]


def add(runner, data_file, *args, **kw):
    return runner.invoke(
        main, ["--data", str(data_file), "add", "--name", "Synthetic site", *SOURCE, *args], **kw
    )


def test_add_geocodes_a_spelling_variant_to_the_city_centre(runner, data_file):
    result = add(runner, data_file, "--city", "Ahwaz", "--location-note", "synthetic place")
    assert result.exit_code == 0, result.output
    assert result.stdout == "ir-ahvaz-01\n"
    feature = read_json(data_file)["features"][-1]
    props = feature["properties"]
    assert (props["city"], props["city_fa"], props["province"]) == ("Ahvaz", "اهواز", "Khuzestan")
    assert props["location"] == {
        "geonameid": 144448,
        "method": "gazetteer",
        "note": "synthetic place",
        "precision": "city",
        "query": "Ahwaz",
    }
    lon, lat = feature["geometry"]["coordinates"]
    assert abs(lat - 31.32) < 0.05 and abs(lon - 48.68) < 0.05


def test_add_geocodes_persian_script_and_historical_names(runner, data_file):
    assert add(runner, data_file, "--city", "كرمانشاه").stdout == "ir-kermanshah-01\n"
    assert add(runner, data_file, "--city", "Bakhtaran").stdout == "ir-kermanshah-02\n"
    props = [f["properties"] for f in read_json(data_file)["features"][-2:]]
    assert {p["location"]["geonameid"] for p in props} == {128226}
    assert [p["location"]["query"] for p in props] == ["كرمانشاه", "Bakhtaran"]


def test_add_stores_gazetteer_names_without_diacritics(runner, data_file):
    assert add(runner, data_file, "--city", "Babol").exit_code == 0
    assert read_json(data_file)["features"][-1]["properties"]["city"] == "Babol"


def test_ambiguous_place_lists_candidates_and_asks_for_pick(runner, data_file):
    before = data_file.read_bytes()
    result = add(runner, data_file, "--city", "Nurabad")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0] == "'Nurabad' could mean:"
    assert lines[1].startswith("  1. Nūrābād (نور آباد), Lorestan, population ")
    assert lines[2].startswith("  2. Nūrābād (")
    assert ", Fars, population " in lines[2]
    assert lines[-1] == (
        "Error: --city: 'Nurabad' is ambiguous: 3 candidates (listed above); choose one with "
        "--pick N or add the province"
    )
    assert data_file.read_bytes() == before

    picked = add(runner, data_file, "--city", "Nurabad", "--pick", "1")
    assert picked.exit_code == 0, picked.output
    props = read_json(data_file)["features"][-1]["properties"]
    assert (props["city"], props["province"]) == ("Nurabad", "Lorestan")


def test_province_after_a_comma_decides(runner, data_file):
    result = add(runner, data_file, "--city", "Nurabad, Lorestan")
    assert result.exit_code == 0, result.output
    assert read_json(data_file)["features"][-1]["properties"]["province"] == "Lorestan"


def test_unknown_place_is_refused_and_file_unchanged(runner, data_file):
    before = data_file.read_bytes()
    result = add(runner, data_file, "--city", "Nowhere Synthetic")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: --city: no place called 'Nowhere Synthetic' in IR; check the spelling, try "
        "another transliteration or the Persian name, or --online; or give --lat/--lon with "
        "--precision\n"
    )
    assert data_file.read_bytes() == before


def test_pick_on_an_unambiguous_place_is_a_usage_error(runner, data_file):
    result = add(runner, data_file, "--city", "Rasht", "--pick", "2")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "Error: --pick: 'Rasht' is not ambiguous; leave --pick out"
    )


def test_in_a_terminal_an_ambiguous_place_is_a_question(runner, data_file, monkeypatch):
    monkeypatch.setattr("gravemap.cli.add.stdin_is_terminal", lambda: True)
    result = add(runner, data_file, "--city", "Nurabad", input="2\n")
    assert result.exit_code == 0, result.output
    assert "Which one?" in result.output
    assert read_json(data_file)["features"][-1]["properties"]["province"] == "Fars"


def test_a_site_description_finds_the_town_and_keeps_the_rest_as_location_note(runner, data_file):
    result = add(runner, data_file, "--city", "Baha'i cemetery, Qorveh")
    assert result.exit_code == 0, result.output
    props = read_json(data_file)["features"][-1]["properties"]
    assert (props["city"], props["province"]) == ("Qorveh", "Kurdistan")
    assert props["location"]["note"] == "Baha'i cemetery"
    assert props["location"]["query"] == "Baha'i cemetery, Qorveh"


def test_lat_lon_without_city_fills_city_and_province_from_the_place_it_lies_in(runner, data_file):
    result = add(runner, data_file, "--lat", "36.2605", "--lon", "59.6168", "--precision", "site")
    assert result.exit_code == 0, result.output
    assert result.stdout == "ir-mashhad-01\n"
    assert "Mashhad, Razavi Khorasan (4.3 km from its centre)" in result.stderr
    feature = read_json(data_file)["features"][-1]
    props = feature["properties"]
    assert (props["city"], props["province"]) == ("Mashhad", "Razavi Khorasan")
    assert props["location"]["geonameid"] == 124665
    assert props["location"]["method"] == "manual"
    assert feature["geometry"]["coordinates"] == [59.6168, 36.2605]  # the point is never moved


def test_coordinates_pasted_into_city_are_the_point_and_need_a_precision(runner, data_file):
    before = data_file.read_bytes()
    refused = add(runner, data_file, "--city", "۳۶٫۲۶۰۵، ۵۹٫۶۱۶۸")
    assert refused.exit_code == 2
    assert "--precision is needed with --city" in refused.stderr
    assert data_file.read_bytes() == before
    result = add(runner, data_file, "--city", "36°15'37.8\"N 59°37'0.5\"E", "--precision", "site")
    assert result.exit_code == 0, result.output
    feature = read_json(data_file)["features"][-1]
    assert feature["properties"]["city"] == "Mashhad"
    lon, lat = feature["geometry"]["coordinates"]
    assert (round(lat, 4), round(lon, 4)) == (36.2605, 59.6168)


def test_a_surname_is_not_a_city_and_the_hint_says_so(runner, data_file):
    before = data_file.read_bytes()
    result = add(runner, data_file, "--city", "Kermani")
    assert result.exit_code == 1
    assert "1. Kerman (کرمان), Kerman" in result.stderr
    assert result.stderr.splitlines()[-1] == (
        "Error: --city: 'Kermani' is no match: 'Kermani' reads like a surname, not a place; if "
        "you mean Kerman (Kerman), write its own name; or choose a candidate (listed above) "
        "with --pick N"
    )
    assert data_file.read_bytes() == before


def test_a_province_alone_gives_precision_province_and_no_city(runner, data_file):
    result = add(runner, data_file, "--city", "Khuzestan province")
    assert result.exit_code == 0, result.output
    props = read_json(data_file)["features"][-1]["properties"]
    assert props["location"]["precision"] == "province"
    assert "geonameid" not in props["location"]
    assert (props.get("city"), props["province"]) == (None, "Khuzestan")
