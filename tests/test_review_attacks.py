"""Attacks tried by review on issue 9's promises, each planted with its hostile input."""

from __future__ import annotations

import pytest

from gravemap import public
from gravemap.public import PublishError, public_view

from conftest import make_collection, make_site

CENTRE = (48.6842, 31.31901)  # (lon, lat) of the fake gazetteer's only place
HIDDEN_LON, HIDDEN_LAT = 48.712345, 31.354321


def centre(geonameid, country):
    return CENTRE if geonameid is not None else None


def city_site(lon=HIDDEN_LON, lat=HIDDEN_LAT, **props):
    feature = make_site(
        "ir-testville-02",
        publish="city",
        location={"precision": "site", "method": "manual", "query": "Testville", "geonameid": 1},
        **props,
    )
    feature["geometry"]["coordinates"] = [lon, lat]
    return feature


def withheld_site(lon=HIDDEN_LON, lat=HIDDEN_LAT):
    feature = make_site("ir-testville-09", publish="withheld")
    feature["geometry"]["coordinates"] = [lon, lat]
    return feature


# --- coordinates in text -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("lon", "lat", "text"),
    [
        # due east of the city centre: the text's latitude is the centre's, its longitude hidden
        (48.7523, CENTRE[1] + 0.00004, "31.3190 N, 48.7523 E"),
        # due north: the longitude is the centre's
        (CENTRE[0] - 0.00003, 31.3323, "31.3323, 48.6842"),
    ],
)
def test_a_hidden_point_sharing_one_axis_with_its_city_centre_is_caught(lon, lat, text):
    with pytest.raises(PublishError, match="states the recorded point"):
        public_view(make_collection(city_site(lon, lat, notes=text)), city_centre=centre)
    other = make_site("ir-testville-01", notes=text)
    with pytest.raises(PublishError, match="ir-testville-09"):
        public_view(make_collection(other, withheld_site(lon, lat)), city_centre=centre)


def test_the_city_centre_itself_stays_publishable_near_the_hidden_point():
    site = city_site(CENTRE[0] + 0.004, CENTRE[1] + 0.003, notes="Testville (31.31901, 48.6842)")
    view = public_view(make_collection(site), city_centre=centre)
    assert view["features"][0]["geometry"]["coordinates"] == list(CENTRE)


@pytest.mark.parametrize(
    "text",
    [
        "+312115.6+0484244.4/",  # ISO 6709 degrees-minutes-seconds
        "+3121.26+04842.74/",  # ISO 6709 degrees-minutes
        "3121.2593N 04842.7407E",
        "$GPGGA,123519,3121.2593,N,04842.7407,E,1,08,0.9",  # a GPS (NMEA) sentence
        "312115N 0484244E",
        "31 . 354321 / 48 . 712345",  # a spaced decimal sign
        "31 .3543, 48 .7123",
    ],
)
@pytest.mark.parametrize("where", ["own", "other site"])
def test_compact_and_spaced_notations_are_caught(text, where):
    if where == "own":
        data = make_collection(city_site(notes=text))
    else:
        data = make_collection(make_site("ir-testville-01", notes=text), withheld_site())
    with pytest.raises(PublishError):
        public_view(data, city_centre=centre)


@pytest.mark.parametrize(
    "text",
    [
        "³¹.³⁵⁴³²¹ ⁴⁸.⁷¹²³⁴⁵",  # superscript digits
        "𝟑𝟏.𝟑𝟓𝟒𝟑 𝟒𝟖.𝟕𝟏𝟐𝟑",  # mathematical bold digits
        "३१.३५४३२१ ४८.७१२३४५",  # Devanagari digits
        "৩১.৩৫৪৩ ৪৮.৭১২৩",  # Bengali digits
    ],
)
def test_another_site_s_point_in_digits_of_any_script_is_caught(text):
    data = make_collection(make_site("ir-testville-01", notes=text), withheld_site())
    with pytest.raises(PublishError, match="ir-testville-09"):
        public_view(data, city_centre=centre)
    assert public.states_point([text], HIDDEN_LAT, HIDDEN_LON)


# --- text of the page beside the sites ---------------------------------------------------


@pytest.fixture
def hidden_data(tmp_path):
    from gravemap.store import dumps_collection

    city = city_site()
    city["properties"]["location"]["geonameid"] = 144448  # Ahvaz in the offline gazetteer
    withheld = withheld_site(HIDDEN_LON + 0.5, HIDDEN_LAT + 0.5)
    path = tmp_path / "sites.geojson"
    path.write_text(dumps_collection(make_collection(make_site(), city, withheld)), "utf-8")
    return path


@pytest.mark.parametrize(
    ("option", "value", "site"),
    [
        ("--title", "Graves at 31.3543, 48.7123", "ir-testville-02"),
        ("--title", "Site 31°51′15″N 49°12′44″E", "ir-testville-09"),
        ("--tiles", "https://t.example.org/{z}/{x}/{y}.png?c=31.3543,48.7123", "ir-testville-02"),
    ],
)
def test_render_refuses_a_title_or_tile_address_stating_a_hidden_point(
    runner, hidden_data, tmp_path, option, value, site
):
    from gravemap.cli import main

    before = hidden_data.read_bytes()
    out = tmp_path / "map.html"
    result = runner.invoke(
        main, ["--data", str(hidden_data), "render", "-o", str(out), option, value]
    )
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {option}: states the recorded point of site {site!r}, which is not published; "
        "remove the coordinates from it\n"
    )
    assert not out.exists()
    assert hidden_data.read_bytes() == before


def test_render_keeps_a_title_with_ordinary_numbers(runner, hidden_data, tmp_path):
    from gravemap.cli import main

    out = tmp_path / "map.html"
    args = ["--data", str(hidden_data), "render", "-o", str(out), "--title", "1988: 31 sites, 48 h"]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
