"""The schema: every problem found at once, each with feature id, field, what is wrong and a fix."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from importlib.resources import files

import jsonschema
import pytest

from gravemap import dates, model

from conftest import deep, make_collection, make_site


def problems_of(*features, **kw):
    return [
        p.format("f.geojson") for p in model.validate_collection(make_collection(*features), **kw)
    ]


def test_valid_site_has_no_problems(site):
    assert problems_of(site) == []


def test_problem_line_names_file_feature_field_and_fix(site):
    site["properties"]["status_history"][1]["status"] = "paved"
    site["properties"]["status"] = "paved"
    assert problems_of(site) == [
        "f.geojson:ir-synthetic-01: status: 'paved' is not known; use one of: intact, at-risk, "
        "damaged, bulldozed, paved-over, built-upon, exhumed, unknown",
        "f.geojson:ir-synthetic-01: status_history[1].status: 'paved' is not known; use one of: "
        "intact, at-risk, damaged, bulldozed, paved-over, built-upon, exhumed, unknown",
    ]


@pytest.mark.parametrize(
    ("date", "message"),
    [
        ("2018-02-30", "'2018-02-30' is not a real date"),
        ("2018-13", "'2018-13' is not a real date"),
        ("30/04/2018", "'30/04/2018' is not an ISO 8601 date"),
        ("2018-4-30", "'2018-4-30' is not an ISO 8601 date"),
        ("9999-01-01", "'9999-01-01' is in the future"),
    ],
)
def test_malformed_or_impossible_dates_are_reported(site, date, message):
    site["properties"]["sources"][0]["date"] = date
    assert problems_of(site) == [
        f"f.geojson:ir-synthetic-01: sources[0].date: {message}; write YYYY, YYYY-MM or YYYY-MM-DD"
    ]


@pytest.mark.parametrize("date", ["1988", "2017-06", "2018-04-30", "2024-02-29"])
def test_partial_iso_dates_are_allowed(site, date):
    site["properties"]["sources"][0]["date"] = date
    assert problems_of(site) == []


def test_future_check_uses_partial_precision():
    today = dt.date(2026, 11, 27)
    assert model.date_problem("2026-11", today=today) is None
    assert model.date_problem("2026", today=today) is None
    assert model.date_problem("2026-12", today=today) == "'2026-12' is in the future"


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "file:///etc/passwd",
        "ftp://example.org/x",
        "https://",
        "//example.org/x",
        "https://exa mple.org/",
        "https://example.org/\u202e",
    ],
)
def test_only_http_and_https_links_with_a_host_are_accepted(site, url):
    site["properties"]["sources"][0]["url"] = url
    found = problems_of(site)
    assert len(found) == 1
    assert found[0].startswith("f.geojson:ir-synthetic-01: sources[0].url: ")
    assert model.is_safe_url(url) is False


def test_claims_must_cite_sources_the_site_has(site):
    site["properties"]["status_history"][0]["sources"] = ["s9"]
    site["properties"]["victims"] = {"low": 3, "sources": []}
    assert problems_of(site) == [
        "f.geojson:ir-synthetic-01: status_history[0].sources: cites source 's9', which this "
        "site does not have; cite one of its sources (s1, s2) or add it with `gravemap cite`",
        "f.geojson:ir-synthetic-01: victims.sources: cites no source; cite at least one source id",
    ]


def test_duplicate_ids_are_reported(site):
    assert problems_of(site, deep(site)) == [
        "f.geojson:ir-synthetic-01: id: is used by features[0] too; give each site its own id"
    ]


def test_coordinates_out_of_range(site):
    site["geometry"]["coordinates"] = [200.0, 34.0]
    assert problems_of(site) == [
        "f.geojson:ir-synthetic-01: geometry.coordinates: [200.0, 34.0] is out of range; "
        "longitude comes first (-180..180), then latitude (-90..90)"
    ]


def test_swapped_latitude_and_longitude_is_named(site):
    site["geometry"]["coordinates"] = [34.0, 54.0]  # [lat, lon] of a point in Iran
    assert problems_of(site) == [
        "f.geojson:ir-synthetic-01: geometry.coordinates: [34.0, 54.0] lies outside IR, but "
        "[54.0, 34.0] lies inside: latitude and longitude swapped?; GeoJSON puts longitude "
        "first: write [lon, lat]"
    ]


def test_point_far_outside_the_country(site):
    site["geometry"]["coordinates"] = [2.35, 48.85]
    assert problems_of(site) == [
        "f.geojson:ir-synthetic-01: geometry.coordinates: [2.35, 48.85] lies outside IR; "
        "check the coordinates (longitude first) or the country code"
    ]


def test_status_must_be_the_latest_history_entry(site):
    site["properties"]["status"] = "intact"
    assert problems_of(site) == [
        "f.geojson:ir-synthetic-01: status: is 'intact' but the latest status_history entry "
        "says 'damaged'; set status to 'damaged': it is the latest entry of status_history"
    ]


def test_history_must_be_oldest_first(site):
    site["properties"]["status_history"][0]["date"] = "2015"
    assert problems_of(site) == [
        "f.geojson:ir-synthetic-01: status_history[1].date: '2010-05-06' is older than the "
        "entry before it; keep status_history oldest first"
    ]


def test_unknown_and_missing_fields(site):
    site["properties"]["colour"] = "red"
    del site["properties"]["sources"][0]["title"]
    assert problems_of(site) == [
        "f.geojson:ir-synthetic-01: colour: is not a known field; remove it, or use one of: "
        + ", ".join(model.SITE_FIELDS)
        + " (free text belongs in notes)",
        "f.geojson:ir-synthetic-01: sources[0].title: is missing; add the 'title' field",
    ]


def test_corroborated_needs_two_publishers(site):
    site["properties"]["sources"][1]["publisher"] = " example org"
    assert problems_of(site) == [
        "f.geojson:ir-synthetic-01: verification: is 'corroborated' but the sources name fewer "
        "than two publishers; add a source from an independent publisher, or use 'reported'"
    ]


def test_victims_low_above_high(site):
    site["properties"]["victims"] = {"low": 50, "high": 10, "sources": ["s1"]}
    assert problems_of(site) == [
        "f.geojson:ir-synthetic-01: victims.low: 50 is greater than high 10; swap them or "
        "correct the counts"
    ]


def test_every_problem_is_reported_in_one_run(site):
    other = make_site("ir-synthetic-02")
    site["properties"]["sources"][0]["url"] = "javascript:alert(1)"
    other["properties"]["verification"] = "confirmed"
    other["geometry"]["coordinates"] = [0, 100]
    found = problems_of(site, other)
    assert [line.split(": ")[0:2] for line in found] == [
        ["f.geojson:ir-synthetic-01", "sources[0].url"],
        ["f.geojson:ir-synthetic-02", "geometry.coordinates"],
        ["f.geojson:ir-synthetic-02", "verification"],
    ]


def test_collection_shape_problems():
    assert [p.format() for p in model.validate_collection({"type": "Feature", "crs": {}})] == [
        "-: type: is 'Feature', not 'FeatureCollection'; set \"type\": \"FeatureCollection\"",
        "-: crs: RFC 7946 GeoJSON has no crs member; remove it (coordinates are WGS 84)",
        '-: gravemap: is missing or not an object; add "gravemap": {"schema": 1}',
        '-: features: expected a list of features, got null; add "features": []',
    ]


def test_retired_ids_are_never_reused(site):
    problems_of_collection = model.validate_collection(
        make_collection(site, retired=["ir-synthetic-01"])
    )
    assert [p.format() for p in problems_of_collection] == [
        "ir-synthetic-01: id: was retired when a site was removed and is never reused; "
        "give this site a new id"
    ]


def test_site_round_trips_through_the_dataclasses(site):
    site["properties"]["victims"] = {"low": 1, "high": 2, "sources": ["s2"], "note": "n"}
    site["properties"]["private"] = {"contact": "synthetic"}
    assert model.Site.from_feature(deep(site)).to_feature() == site


def test_new_ids_are_slugs_and_skip_retired_ones():
    collection = model.SiteCollection(retired_ids=["ir-ahvaz-01"])
    assert collection.new_id("IR", "Ahvāz") == "ir-ahvaz-02"
    assert collection.new_id("IR", "اهواز") == "ir-site-01"


def test_late_found_older_status_goes_before_newer_ones(site):
    s = model.Site.from_feature(site)
    s.add_status(model.StatusChange("at-risk", "2005", ["s1"]))
    assert [c.date for c in s.status_history] == ["2001", "2005", "2010-05-06"]
    assert s.status == "damaged"
    s.add_status(model.StatusChange("bulldozed", "2020-01", ["s2"]))
    assert s.status == "bulldozed"


def _schema():
    return json.loads(files("gravemap").joinpath("sites.schema.json").read_text("utf-8"))


def test_published_json_schema_accepts_valid_data(site):
    jsonschema.validate(make_collection(site), _schema())


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("properties", "status"), "paved"),
        (("properties", "verification"), "confirmed"),
        (("properties", "colour"), "red"),
        (("geometry", "coordinates"), [200, 0]),
        (("id",), "Not A Slug"),
    ],
)
def test_published_json_schema_rejects_what_validate_rejects(site, path, value):
    target = site
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    assert model.validate_collection(make_collection(site))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(make_collection(site), _schema())


def test_published_json_schema_rejects_script_urls(site):
    site["properties"]["sources"][0]["url"] = "javascript:alert(1)"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(make_collection(site), _schema())


@pytest.mark.parametrize("name", ["location", "sources", "status_history", "added", "victims"])
def test_null_fields_are_reported_not_skipped(site, name):
    site["properties"][name] = None
    found = [p for p in problems_of(site) if p.split(": ")[1] == name]
    assert found[0].endswith(
        f": {name}: is null; give a value" + (", or remove the field" if name == "victims" else "")
    )


# ---------------------------------------------------------------------------------------------
# Dates as the date contract stores them: partial ISO, spans, Solar Hijri text, undated.


def test_stored_solar_hijri_span_with_its_text_and_undated_entries_are_valid(site):
    props = site["properties"]
    props["status_history"] = [
        {"status": "unknown", "undated": True, "sources": ["s2"]},
        {
            "status": "intact",
            "date": "1988-07-23/1988-08-22",
            "date_text": "1367/05",
            "sources": ["s1"],
        },
        {"status": "damaged", "date": "2010-05-06", "sources": ["s1", "s2"]},
    ]
    props["sources"][1]["date"] = "2018-08-04"
    props["sources"][1]["date_text"] = "۱۳۹۷/۰۵/۱۳"
    assert problems_of(site) == []
    jsonschema.validate(make_collection(site), _schema())
    s = model.Site.from_feature(site)
    assert s.to_feature() == site
    assert s.status_history[0].undated is True and s.status_history[0].date is None


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        (
            {"status": "damaged", "date": "1397-05-12", "sources": ["s1"]},
            "status_history[0].date: '1397-05-12' has the year 1397, which is a Solar Hijri "
            "year stored as if Gregorian; enter it again as 1397/05/12 to convert it; "
            "write YYYY, YYYY-MM or YYYY-MM-DD",
        ),
        (
            {"status": "damaged", "date": "1988-08-22/1988-07-23", "sources": ["s1"]},
            "status_history[0].date: '1988-08-22/1988-07-23' ends before it starts; "
            "write YYYY, YYYY-MM or YYYY-MM-DD",
        ),
        (
            {"status": "damaged", "date_text": "1367/05", "undated": True, "sources": ["s1"]},
            "status_history[0].date_text: is given without a date; add the date it stands "
            "for, or remove date_text",
        ),
        (
            {"status": "damaged", "date": "2010", "undated": True, "sources": ["s1"]},
            "status_history[0].undated: is true but the entry has a date; remove undated, or "
            "remove the date if the source gives none",
        ),
        (
            {"status": "damaged", "undated": False, "sources": ["s1"]},
            "status_history[0].undated: is False; write true for an entry whose source gives "
            "no date, or remove it",
        ),
        (
            {"status": "damaged", "sources": ["s1"]},
            "status_history[0].date: is missing; give the date the source reports, or "
            '"undated": true if it gives none',
        ),
    ],
)
def test_status_entries_have_exactly_one_of_date_and_undated(site, entry, problem):
    site["properties"]["status_history"] = [entry]
    site["properties"]["status"] = "damaged"
    found = problems_of(site)
    assert found == [f"f.geojson:ir-synthetic-01: {problem}"]
    if "ends before it starts" not in problem:  # a cross-field rule: validate's, not the schema's
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(make_collection(site), _schema())


def test_undated_entries_come_before_dated_ones(site):
    history = site["properties"]["status_history"]
    history.append({"status": "intact", "undated": True, "sources": ["s1"]})
    site["properties"]["status"] = "intact"
    assert problems_of(site) == [
        "f.geojson:ir-synthetic-01: status_history[2].undated: is an undated entry after a "
        "dated one; put undated entries first in status_history (the latest dated one is the "
        "current status)"
    ]


def test_no_stored_date_anywhere_has_a_solar_hijri_year(site):
    site["properties"]["sources"][0]["date"] = "1367"
    site["properties"]["sources"][1]["accessed"] = "1405-09-11"
    found = problems_of(site)
    assert len(found) == 2
    assert all("which is a Solar Hijri year" in p for p in found)


def test_source_date_text_needs_a_date(site):
    site["properties"]["sources"][1]["date_text"] = "1367/05"
    assert problems_of(site) == [
        "f.geojson:ir-synthetic-01: sources[1].date_text: is given without a date; add the "
        "date it stands for, or remove date_text"
    ]


def test_add_status_puts_undated_first_and_the_latest_dated_entry_is_the_status(site):
    s = model.Site.from_feature(site)
    s.add_status(model.StatusChange("bulldozed", None, ["s1"], undated=True))
    assert [c.date for c in s.status_history] == [None, "2001", "2010-05-06"]
    assert s.status == "damaged"
    s.add_status(
        model.StatusChange("at-risk", "1988-07-23/1988-08-22", ["s1"], date_text="1367/05")
    )
    assert [c.date for c in s.status_history][:3] == [None, "1988-07-23/1988-08-22", "2001"]
    s.add_status(model.StatusChange("exhumed", None, ["s2"], undated=True))
    assert [(c.status, c.date) for c in s.status_history][:2] == [
        ("bulldozed", None),
        ("exhumed", None),
    ]
    assert s.status == "damaged"
    assert model.validate_collection(make_collection(s.to_feature())) == []


# ---------------------------------------------------------------------------------------------
# Correcting the record through the library (the CLI only parses and prints).


def test_site_cite_reuses_a_source_by_url_and_numbers_new_ones(site):
    s = model.Site.from_feature(site)
    again, added = s.cite(url="https://example.org/report-1", title="T", publisher="P")
    assert (again.id, added) == ("s1", False)
    new, added = s.cite(
        url="https://example.org/new",
        title="T",
        publisher="P",
        date=dates.parse_date("1367/05"),
        accessed="2026-11-01",
    )
    assert (new.id, added) == ("s3", True)
    assert (new.date, new.date_text) == ("1988-07-23/1988-08-22", "1367/05")


def test_edit_status_resorts_and_returns_the_new_number(site):
    s = model.Site.from_feature(site)
    entry, number = s.edit_status(1, date=dates.parse_date("2018-08-03"))
    assert number == 2 and entry.status == "intact"
    assert s.status == "intact"
    with pytest.raises(model.RecordError, match="has 2 status entries"):
        s.edit_status(3, note="x")


def test_delete_source_names_every_claim_citing_it(site):
    site["properties"]["victims"] = {"low": 3, "sources": ["s2"]}
    s = model.Site.from_feature(site)
    with pytest.raises(model.RecordError) as caught:
        s.delete_source("s2")
    assert str(caught.value).startswith(
        "s2 is cited by status entry 2 and victims of ir-synthetic-01;"
    )
    assert [x.id for x in s.sources] == ["s1", "s2"]


def test_new_site_is_the_one_way_to_build_a_site():
    collection = model.SiteCollection()
    site = model.new_site(
        collection,
        name="Synthetic",
        country="IR",
        lon=54.0,
        lat=34.0,
        location=model.Location("site", "manual", "Testville"),
        status="unknown",
        status_date=dates.parse_date("undated"),
        source={"url": "https://example.org/a", "title": "T", "publisher": "P"},
        city="Testville",
    )
    assert site.id == "ir-testville-01"
    assert site.status_history[0].to_json() == {
        "status": "unknown",
        "undated": True,
        "sources": ["s1"],
    }
    assert model.validate_collection(make_collection(site.to_feature())) == []


def test_a_site_with_a_province_and_no_city_takes_its_id_from_the_province():
    kw = {
        "name": "Synthetic",
        "country": "IR",
        "lon": 54.0,
        "lat": 34.0,
        "location": model.Location("province", "gazetteer", "Test Province"),
        "status": "unknown",
        "status_date": dates.parse_date("undated"),
        "source": {"url": "https://example.org/a", "title": "T", "publisher": "P"},
    }
    collection = model.SiteCollection()
    assert model.new_site(collection, province="Test Province", **kw).id == "ir-test-province-01"
    assert model.new_site(collection, **kw).id == "ir-site-01"  # nothing names the place


def test_move_and_victims_are_library_rules(site):
    s = model.Site.from_feature(site)
    s.move(34.5, 54.5, "site")
    assert (s.lat, s.lon, s.location.method, s.location.precision) == (34.5, 54.5, "manual", "site")
    with pytest.raises(model.RecordError, match="precision 'street' is not known"):
        s.move(34.5, 54.5, "street")
    with pytest.raises(model.UnattributedError):
        s.set_victims(high=30)
    s.set_victims(low=10, high=30, sources=["s2"])
    s.set_victims(note="synthetic note")  # a note alone amends the attributed record
    assert s.victims.to_json() == {
        "low": 10,
        "high": 30,
        "sources": ["s2"],
        "note": "synthetic note",
    }
    with pytest.raises(model.RecordError, match="has no source 's9'"):
        s.set_victims(low=1, sources=["s9"])


def test_geocoded_names_read_the_typed_geocoder_answer():
    from gravemap.geocode import Candidate, Located

    city = Candidate("Testville", "تست‌ویل", 31.0, 48.0, 1, "Khuzestan", "IR", 10, 100.0)
    province = Candidate("Khuzestan", None, 31.0, 48.0, None, "Khuzestan", "IR", None, 100.0)
    province = dataclasses.replace(province, precision="province")
    assert model.geocoded_names(city) == {
        "city": "Testville",
        "city_fa": "تست‌ویل",
        "province": "Khuzestan",
    }
    located = Located(48.0, 31.0, "city", "gazetteer", "testville", place=city)
    assert model.geocoded_names(located) == model.geocoded_names(city)
    assert model.geocoded_names(province) == {
        "city": None,
        "city_fa": None,
        "province": "Khuzestan",
    }
    assert model.geocoded_names(None) == {}
    assert model.geocoded_names(dataclasses.replace(located, place=None)) == {}
