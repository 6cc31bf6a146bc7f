"""gravemap.public: the one view of the data that may leave the machine."""

from __future__ import annotations

import copy
import hashlib
import json

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from gravemap import public
from gravemap.cli import main
from gravemap.public import PublishError, public_view, published_geojson, published_sha256
from gravemap.store import dumps_collection

from conftest import make_collection, make_site

PRIVATE = "PRIVATE-SENTINEL-4d1e"
ADDED_BY = "ADDEDBY-SENTINEL-9a0c"
CENTRE = (55.5, 35.5)  # (lon, lat) where the fake gazetteer puts every linked place
TRUE_LON, TRUE_LAT = 51.389021, 35.612345  # a synthetic "recorded point" of a city-level site


def centre(geonameid, country):
    return CENTRE if geonameid is not None else None


def city_site(site_id="ir-testville-02", **props):
    feature = make_site(
        site_id,
        publish="city",
        location={
            "precision": "site",
            "method": "manual",
            "query": f"{TRUE_LAT}, {TRUE_LON}",
            "geonameid": 144448,  # Ahvaz in the offline gazetteer
            "note": "PRECISE-NOTE behind the wall",
        },
        **props,
    )
    feature["geometry"]["coordinates"] = [TRUE_LON, TRUE_LAT]
    return feature


def sample():
    full = make_site(
        private={"contact": PRIVATE},
        added={"at": "2026-01-01T00:00:00Z", "by": ADDED_BY},
    )
    withheld = make_site("ir-testville-03", name="WITHHELD-SENTINEL", publish="withheld")
    return make_collection(full, city_site(), withheld)


def view(data, **kwargs):
    kwargs.setdefault("city_centre", centre)
    return public_view(data, **kwargs)


# --- the rules ---------------------------------------------------------------------------------


def test_default_view_drops_withheld_private_added_by_and_moves_city_sites():
    data = sample()
    before = copy.deepcopy(data)
    out = view(data)
    assert data == before  # the stored collection is not changed
    assert [f["id"] for f in out["features"]] == ["ir-synthetic-01", "ir-testville-02"]
    text = json.dumps(out, ensure_ascii=False)
    for leak in (PRIVATE, ADDED_BY, "WITHHELD-SENTINEL", "PRECISE-NOTE", "35.61", "51.38"):
        assert leak not in text
    city = out["features"][1]
    assert city["geometry"]["coordinates"] == list(CENTRE)
    assert city["properties"]["location"] == {
        "precision": "city",
        "method": "gazetteer",
        "query": "Testville",
        "geonameid": 144448,
        "note": "exported at the centre of Testville (publish: city); "
        "the recorded point was not exported",
    }
    assert out["gravemap"] == {"schema": 1}


def test_include_private_gives_everything():
    data = sample()
    out = view(data, include_private=True, include_withheld=True)
    assert out["features"] == data["features"]


def test_included_withheld_sites_are_still_at_their_city_centre():
    data = sample()
    data["features"][2]["properties"]["location"]["geonameid"] = 1000002
    out = view(data, include_withheld=True)
    assert out["features"][2]["geometry"]["coordinates"] == list(CENTRE)
    assert out["features"][2]["properties"]["location"]["precision"] == "city"


def test_a_city_site_linked_to_no_place_is_refused_naming_site_field_and_fix():
    feature = city_site()
    del feature["properties"]["location"]["geonameid"]
    with pytest.raises(PublishError) as info:
        view(make_collection(feature))
    assert info.value.site_id == "ir-testville-02"
    assert info.value.field == "location.geonameid"
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith("ir-testville-02: is published at city level but it has no ")
    assert "gravemap edit ir-testville-02 --geonameid N" in message


def test_an_unknown_publish_level_is_refused():
    with pytest.raises(PublishError, match="ir-synthetic-01: has publish 'public'; use one of"):
        view(make_collection(make_site(publish="public")))


# --- text that states a hidden point (finding 10) ------------------------------------------


@pytest.mark.parametrize(
    "props",
    [
        {"notes": "GPS 35.612345, 51.389021"},
        # latitude in one field, longitude in another
        {"notes": "latitude 35.6123", "name": "Site, longitude 51.3890"},
        # degrees, minutes, seconds without any symbol
        {"notes": "35 36 44.4 N 51 23 20.5 E"},
        {"notes": "35:36:44 / 51:23:20"},
        {"notes": "Found at 35°36'44\"N 51°23'20\"E, past the ridge."},
        {"notes": "35° 36.74' N, 51° 23.34' E"},
        # percent-encoded in a URL (also double-encoded)
        {
            "notes": "see https://maps.example.org/?q=35%C2%B036%2744.4%22N+51%C2%B023%2720.5%22E",
        },
        {"notes": "https://maps.example.org/?q=35%252E612345%252C51%252E389021"},
        # odd decimal signs and notations
        {"notes": "35·612345 51·389021"},
        {"notes": "3.5612345e1 5.1389021E+1"},
        {"notes": "۳۵٫۶۱۲۳ ۵۱٫۳۸۹۰"},
        {"notes": "٣٥٫٦١٢٣ و ٥١٫٣٨٩٠"},
        {"notes": "３５．６１２３ ５１．３８９０"},
        {"notes": "lat 35612345 lon 51389021 (microdegrees)"},
        {"notes": "35&#46;612345 51&#x2e;389021"},
    ],
)
def test_text_stating_the_hidden_point_is_refused(props):
    feature = city_site(**props)
    with pytest.raises(PublishError, match="ir-testville-02: is publish 'city' but its public"):
        view(make_collection(feature))


def test_the_point_split_across_a_source_url_and_a_quote_names_both_fields():
    feature = city_site()
    feature["properties"]["sources"][0]["url"] = "https://example.org/q?lat=35.6123"
    feature["properties"]["sources"][1]["quote"] = "at 51.3890 east"
    with pytest.raises(PublishError) as info:
        view(make_collection(feature))
    assert "sources[0].url" in str(info.value) and "sources[1].quote" in str(info.value)


@pytest.mark.parametrize(
    "notes",
    [
        "Reported in 1988; 35 bodies, 51 graves, 2018-04-30.",
        "Only one coordinate: 35.612345",
        "Only the other: 51.389021",
        "Testville's centre is at 35.5, 55.5",
    ],
)
def test_text_without_the_hidden_point_is_published(notes):
    out = view(make_collection(city_site(notes=notes)))
    assert out["features"][0]["properties"]["notes"] == notes


def test_a_site_published_in_full_may_state_its_own_point():
    feature = make_site(notes="GPS 34.0, 54.0")
    assert view(make_collection(feature))["features"][0]["properties"]["notes"] == "GPS 34.0, 54.0"


@settings(max_examples=200, deadline=None)
@given(
    lat=st.floats(min_value=25.0, max_value=39.9),
    lon=st.floats(min_value=44.0, max_value=63.0),
    digits=st.integers(min_value=3, max_value=7),
    sep=st.sampled_from([", ", " ", "; ", " / ", "\n"]),
)
def test_any_decimal_rendering_of_the_point_is_caught(lat, lon, digits, sep):
    text = f"{lat:.{digits}f}{sep}{lon:.{digits}f}"
    assert public.states_point([text], lat, lon)


# --- the published bytes and their hash (finding 3) ----------------------------------------


def test_published_geojson_is_the_default_geojson_export(tmp_path):
    data = sample()
    path = tmp_path / "sites.geojson"
    path.write_text(dumps_collection(data), encoding="utf-8")
    out = tmp_path / "export.geojson"
    result = CliRunner().invoke(
        main, ["--data", str(path), "export", "--format", "geojson", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == published_geojson(data)
    assert published_sha256(data) == hashlib.sha256(out.read_bytes()).hexdigest()
    assert PRIVATE.encode() not in out.read_bytes()


def test_published_hash_does_not_depend_on_private_or_hidden_data():
    data = sample()
    changed = copy.deepcopy(data)
    changed["features"][0]["properties"]["private"] = {"contact": "someone else"}
    changed["features"][1]["geometry"]["coordinates"] = [51.4, 35.7]
    changed["features"][2]["properties"]["name"] = "another withheld name"
    assert published_sha256(data) != hashlib.sha256(dumps_collection(data).encode()).hexdigest()
    assert published_sha256(data) == published_sha256(changed)


def dms(value: float) -> tuple[int, int, float]:
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    return degrees, minutes, (value - degrees - minutes / 60) * 3600


@settings(max_examples=200, deadline=None)
@given(
    lat=st.floats(min_value=25.0, max_value=39.9),
    lon=st.floats(min_value=44.0, max_value=63.0),
    style=st.sampled_from(
        [
            "{d}°{m}'{s:.1f}\"{h}",
            "{d} {m} {s:.1f} {h}",
            "{d}:{m:02d}:{s:04.1f}",
            "{d}d {m}m {s:.0f}s {h}",
            "{d}%C2%B0{m}%27{s:.1f}%22{h}",
        ]
    ),
    split=st.booleans(),
)
def test_any_dms_rendering_of_the_point_is_caught(lat, lon, style, split):
    texts = [
        style.format(d=d, m=m, s=s, h=h) for (d, m, s), h in ((dms(lat), "N"), (dms(lon), "E"))
    ]
    assert public.states_point(texts if split else [" ".join(texts)], lat, lon)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
def test_reading_numbers_from_any_text_never_crashes(text):
    public.states_point([text, "٣" * 5000, "9" * 5000 + "e999"], 35.6, 51.4)


# --- another site's hidden point in published text -------------------------------------------

WITHHELD_LON, WITHHELD_LAT = 51.389021, 35.612345


def withheld_site():
    feature = make_site("ir-testville-07", name="Withheld neighbour", publish="withheld")
    feature["geometry"]["coordinates"] = [WITHHELD_LON, WITHHELD_LAT]
    return feature


@pytest.mark.parametrize(
    ("field", "text"),
    [
        ("notes", "The second trench is at 35.612345, 51.389021."),
        ("notes", "۳۵٫۶۱۲۳ ۵۱٫۳۸۹۰"),
        ("name", "Site near 35 36 44 N 51 23 20 E"),
    ],
)
def test_a_withheld_site_s_point_in_another_site_s_text_is_refused(field, text):
    public_site = make_site(**{field: text})
    with pytest.raises(PublishError) as info:
        view(make_collection(public_site, withheld_site()))
    assert str(info.value) == (
        "ir-synthetic-01: its public text states the recorded point of site 'ir-testville-07', "
        f"which is not published ({field}); remove the coordinates from those fields"
    )


def test_a_city_site_s_recorded_point_in_another_site_s_location_note_is_refused():
    public_site = make_site(
        location={
            "precision": "site",
            "method": "manual",
            "query": "Testville",
            "note": f"500 m from the other grave at {TRUE_LAT}, {TRUE_LON}",
        }
    )
    with pytest.raises(PublishError, match="recorded point of site 'ir-testville-02'.*location"):
        view(make_collection(public_site, city_site()))


def test_a_site_stating_its_own_published_point_near_a_withheld_one_is_published():
    neighbour = make_site(notes=f"GPS {WITHHELD_LAT + 0.008:.6f}, {WITHHELD_LON + 0.006:.6f}")
    neighbour["geometry"]["coordinates"] = [
        round(WITHHELD_LON + 0.006, 6),
        round(WITHHELD_LAT + 0.008, 6),
    ]
    out = view(make_collection(neighbour, withheld_site()))
    assert [f["id"] for f in out["features"]] == ["ir-synthetic-01"]


def test_a_filtered_listing_still_guards_the_sites_it_filters_out():
    public_site = make_site(notes="The second trench is at 35.612345, 51.389021.")
    data = make_collection(public_site, withheld_site())
    with pytest.raises(PublishError, match="ir-testville-07"):
        public_view(data, keep=lambda feature: feature["id"] == "ir-synthetic-01")


def test_published_text_with_other_numbers_is_published():
    public_site = make_site(notes="35 bodies in 51 graves; see report 35612 of 1988-51.")
    assert view(make_collection(public_site, withheld_site()))["features"][0]["id"] == (
        "ir-synthetic-01"
    )
