"""gravemap.render: one self-contained, safe, reproducible HTML page from the sites."""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import re
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gravemap import __version__
from gravemap.render import (
    CORE_KEYS,
    DETAIL_KEYS,
    PRECISIONS,
    STATUSES,
    PublishError,
    TilesError,
    format_date,
    json_for_html,
    public_sites,
    render_map,
    safe_url,
    tile_source,
)

from synthetic import synthetic_collection

SHA = "0123456789abcdef" * 4
CENTRE = (35.5, 55.5)  # where the fake gazetteer puts every city


def fake_locator(site_id, props):
    return CENTRE


def no_city(site_id, props):
    return None


def site(site_id="ir-synthetic-01", **props):
    """One valid synthetic site; keyword arguments replace properties."""
    feature = copy.deepcopy(synthetic_collection(1)["features"][0])
    feature["id"] = site_id
    feature["properties"].update(props)
    return feature


def collection(*features):
    return {"type": "FeatureCollection", "gravemap": {"schema": 1}, "features": list(features)}


def render(coll, **kwargs):
    kwargs.setdefault("data_sha256", SHA)
    kwargs.setdefault("locator", fake_locator)
    return render_map(coll, **kwargs)


def embedded_sites(page):
    """The page's two data blocks decoded back into `public_sites` records."""
    core = json.loads(block(page, "gravemap_sites-sites"))
    dates, *lines = block(page, "gravemap_sites-details").split("\n")
    assert len(lines) == len(core["sites"])
    strings = core["strings"]
    assert strings[0] == ""
    sites = []
    for row, line in zip(core["sites"], lines, strict=True):
        record = dict(zip(CORE_KEYS, row, strict=True))
        kind = record.pop("k")
        record["s"], record["p"] = STATUSES[kind // 4], PRECISIONS[kind % 4]
        for key in ("v", "c", "cf", "pv"):
            record[key] = strings[record[key]]
        record = {key: value for key, value in record.items() if value != "" or key == "v"}
        record.update(unpack(json.loads(line), ""))
        sites.append(record)
    return {"dates": json.loads(dates), "sites": sites}


def unpack(values, kind):
    """A record packed by `DETAIL_KEYS` (see render.page_data) back into a dict."""
    out = {}
    for key, value in zip(DETAIL_KEYS[kind], values, strict=False):
        if value is None:
            continue
        if key in ("h", "src"):
            value = [unpack(item, key) for item in value]
        elif key == "vi":
            value = unpack(value, key)
        out[key] = value
    return out


def block(page, block_id):
    match = re.search(
        rf'<script type="application/json" id="{block_id}">(.*?)</script>', page, re.S
    )
    return match.group(1)


# --- reproducible and checkable --------------------------------------------------------------


def test_same_data_gives_byte_identical_html():
    data = synthetic_collection(40)
    first = render(data)
    second = render(copy.deepcopy(data))
    assert first == second
    assert first.encode("utf-8") == second.encode("utf-8")


def test_page_shows_data_hash_and_gravemap_version():
    page = render(collection(site()))
    assert f'<code id="gm-sha" dir="ltr">{SHA}</code>' in page
    assert f'<span id="gm-version" dir="ltr">{__version__}</span>' in page


def test_folium_random_ids_do_not_appear():
    page = render(collection(site()))
    assert re.search(r"_[0-9a-f]{32}", page) is None
    assert 'id="gravemap_map"' in page and 'id="gravemap_sites-sites"' in page


# --- self-contained ----------------------------------------------------------------------------


def test_every_script_and_stylesheet_is_inline():
    page = render(collection(site()), tiles="none")
    assert "<link" not in page
    assert re.search(r"<script[^>]*\ssrc=", page) is None
    assert "@import" not in page
    for cdn in ("cdn.jsdelivr", "cdnjs", "code.jquery", "bootstrapcdn", "unpkg"):
        assert cdn not in page
    assert "gravemap.GridIndex = GridIndex" in page  # its own clustering, not a plug-in
    assert "markercluster" not in page.lower()
    assert "Leaflet" in page and "leaflet-container" in page
    assert "sourceMappingURL" not in page
    # Leaflet's images are data: URIs, so nothing is fetched from the disk either.
    assert "images/" not in page


def test_tiles_none_has_no_outside_address_in_scripts_styles_or_policy():
    page = render(collection(site()), tiles="none")
    assert "tile.openstreetmap.org" not in page
    assert '"tiles":null' in block(page, "gravemap_sites-config")
    assert "img-src data:;" in csp(page)


def test_tiles_osm_credits_openstreetmap_and_geonames():
    page = render(collection(site()), tiles="osm")
    assert "https://tile.openstreetmap.org/{z}/{x}/{y}.png" in page
    assert "OpenStreetMap" in page
    assert "GeoNames" in page and "CC BY 4.0" in page
    assert "img-src data: https://tile.openstreetmap.org;" in csp(page)


def test_tiles_url_template_is_used_and_allowed_by_the_policy():
    page = render(collection(site()), tiles="https://{s}.tiles.example.org/{z}/{x}/{y}.png")
    assert '"https://{s}.tiles.example.org/{z}/{x}/{y}.png"' in page
    assert "img-src data: https://*.tiles.example.org;" in csp(page)


@pytest.mark.parametrize(
    "tiles",
    [
        "javascript:alert(1)//{z}/{x}/{y}",
        "ftp://tiles.example.org/{z}/{x}/{y}.png",
        "https://tiles.example.org/tiles.png",
        "https://tiles.example.org/{z}/{x}/{y}.png'; script-src *",
        "https://user@tiles.example.org/{z}/{x}/{y}.png",
        " https://tiles.example.org/{z}/{x}/{y}.png",
        "https:///{z}/{x}/{y}.png",
    ],
)
def test_unusable_tiles_are_refused(tiles):
    with pytest.raises(TilesError, match="osm, none or an http"):
        tile_source(tiles)


def csp(page):
    match = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', page)
    assert match, "no Content-Security-Policy meta tag"
    return match.group(1).replace("&#x27;", "'")


def test_policy_allows_exactly_the_inline_scripts_and_styles():
    page = render(collection(site()))
    policy = csp(page)
    assert policy.startswith("default-src 'none'; ")
    assert page.index("Content-Security-Policy") < page.index("<script")
    assert page.index("Content-Security-Policy") < page.index("<style")
    for tag in ("script", "style"):
        blocks = re.findall(rf"<{tag}>(.*?)</{tag}>", page, re.S)
        assert blocks
        for block in blocks:
            digest = base64.b64encode(hashlib.sha256(block.encode()).digest()).decode()
            assert f"'sha256-{digest}'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


# --- what reaches the page -----------------------------------------------------------------


def test_private_field_and_internal_fields_never_reach_the_html():
    marker = "PRIVATE-MARKER-7f3a9c"
    feature = site(private={"witness": marker, "phone": marker})
    feature["properties"]["added"] = {"at": "2026-01-01T00:00:00Z", "by": "ADDED-BY-9e1d"}
    feature["properties"]["location"]["query"] = "QUERY-TEXT-5c2b"
    page = render(collection(feature), include_withheld=True)
    assert marker not in page
    assert "ADDED-BY-9e1d" not in page
    assert "QUERY-TEXT-5c2b" not in page


def test_publish_city_moves_the_point_and_hides_the_true_coordinates():
    lon, lat = 56.123457, 33.987651
    feature = site(publish="city")
    feature["geometry"]["coordinates"] = [lon, lat]
    feature["properties"]["location"] = {
        "precision": "exact",
        "method": "manual",
        "query": f"{lat}, {lon}",
        "note": "Behind the wall, 200 m north of the gate",
    }
    page = render(collection(feature))
    for text in ("56.123", "33.987", "56.12", "33.98", "200 m north"):
        assert text not in page
    record = embedded_sites(page)["sites"][0]
    assert (record["y"], record["x"]) == CENTRE
    assert record["p"] == "city" and record["pc"] == 1


def test_publish_city_without_a_centre_names_the_site_and_never_falls_back():
    feature = site("ir-synthetic-77", publish="city")
    with pytest.raises(PublishError, match="ir-synthetic-77.*city centre is unknown.*--geonameid"):
        render(collection(feature), locator=no_city)


def test_publish_city_refuses_text_that_states_the_true_point():
    feature = site("ir-synthetic-78", publish="city", notes="GPS 33.98765, 56.12346")
    feature["geometry"]["coordinates"] = [56.123457, 33.987651]
    with pytest.raises(PublishError, match="ir-synthetic-78.*notes|ir-synthetic-78.*coordinates"):
        render(collection(feature))


def test_publish_city_uses_the_gazetteer_by_geonameid():
    pytest.importorskip("gravemap.gazetteer")
    from gravemap.gazetteer import place_by_geonameid

    feature = site(publish="city", city="Ahvaz", province="Khuzestan")
    feature["properties"]["location"]["geonameid"] = 144448
    place = place_by_geonameid(144448)
    if place is None:
        pytest.skip("gazetteer has no Ahvaz (geonameid 144448)")
    record = public_sites(collection(feature))["sites"][0]
    assert (record["y"], record["x"]) == (round(place.lat, 6), round(place.lon, 6))


def test_withheld_sites_are_left_out_unless_asked_for():
    hidden = site("ir-synthetic-02", name="WITHHELD-NAME-3b8e", publish="withheld")
    page = render(collection(site(), hidden))
    assert "WITHHELD-NAME-3b8e" not in page
    assert "ir-synthetic-02" not in page
    assert "WITHHELD-NAME-3b8e" in render(collection(site(), hidden), include_withheld=True)


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox",
        "https://exa\x00mple.org/",
        "//example.org/no-scheme",
        "https:///no-host",
    ],
)
def test_unsafe_source_url_is_shown_as_text_never_as_a_link(url):
    feature = site()
    feature["properties"]["sources"][0]["url"] = url
    feature["properties"]["sources"][0]["archived_url"] = url
    source = public_sites(collection(feature))["sites"][0]["src"][0]
    assert "u" not in source and "a" not in source
    assert source["ut"] == url and source["at"] == url
    page = render(collection(feature))
    assert 'href="javascript' not in page.lower()
    embedded = embedded_sites(page)["sites"][0]["src"][0]
    assert "u" not in embedded and "a" not in embedded and embedded["ut"] == url


def test_safe_urls_are_kept():
    assert safe_url("https://example.org/a?b=c#d") == "https://example.org/a?b=c#d"
    assert safe_url("HTTP://EXAMPLE.ORG/") == "HTTP://EXAMPLE.ORG/"
    assert safe_url("https://example.org/ünïcode") == "https://example.org/ünïcode"
    assert safe_url("https://example.org/a b") is None


PAYLOADS = [
    "<script>window.__pwned=1</script>",
    "</script><script>window.__pwned=1</script>",
    "<img src=x onerror=window.__pwned=1>",
    "${window.__pwned=1}",
    "\\`;window.__pwned=1;//",
    "\u2028\u2029<!--<script>",
    "&lt;script&gt;",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_user_text_never_appears_as_markup(payload):
    feature = site(name=payload, name_fa=payload, notes=payload, city=payload, province=payload)
    page = render(collection(feature), title=payload)
    assert "<script>window.__pwned" not in page
    assert "<img src=x" not in page
    for block in re.findall(r"<script[^>]*>(.*?)</script>", page, re.S):
        assert "\u2028" not in block and "\u2029" not in block  # line ends to old JS parsers
    record = embedded_sites(page)["sites"][0]
    assert record["n"] == payload and record["no"] == payload


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_embedded_json_round_trips_and_cannot_end_its_script(text):
    encoded = json_for_html({"t": text})
    assert "<" not in encoded and ">" not in encoded and "&" not in encoded
    assert "\u2028" not in encoded and "\u2029" not in encoded
    assert json.loads(encoded) == {"t": text}


def test_lone_surrogates_are_replaced_not_crashed_on():
    page = render(collection(site(name="broken \ud800 text")))
    assert embedded_sites(page)["sites"][0]["n"] == "broken \ufffd text"
    page.encode("utf-8")


# --- bilingual -------------------------------------------------------------------------------


def test_persian_page_is_right_to_left_with_persian_labels():
    page = render(collection(site()), lang="fa")
    assert '<html lang="fa" dir="rtl">' in page
    assert "جستجو" in page  # "Search"
    english = render(collection(site()))
    assert '<html lang="en" dir="ltr">' in english


@pytest.mark.parametrize(
    ("value", "lang", "shown"),
    [
        ("1988", "en", "1988 (1366–1367 SH)"),
        ("2017-06", "en", "June 2017 (Khordad–Tir 1396 SH)"),
        ("2018-03", "en", "March 2018 (Esfand 1396–Farvardin 1397 SH)"),
        ("2018-04-30", "en", "30 April 2018 (10 Ordibehesht 1397 SH)"),
        ("1988", "fa", "۱۳۶۶–۱۳۶۷ (۱۹۸۸)"),
        ("2018-04-30", "fa", "۱۰ اردیبهشت ۱۳۹۷ (۳۰ آوریل ۲۰۱۸)"),
        ("not a date", "en", "not a date"),
    ],
)
def test_dates_are_shown_in_both_calendars_honestly(value, lang, shown):
    assert format_date(value, lang) == shown


def test_dates_are_embedded_once_each():
    data = public_sites(synthetic_collection(50))
    assert len({iso for iso, _shown in data["dates"]}) == len(data["dates"])


# --- scale -----------------------------------------------------------------------------------


def test_embedded_data_decodes_to_exactly_the_public_records():
    data = synthetic_collection(300)
    data["features"][5]["properties"]["notes"] = "line one\nline two \u2028 <b>&</b>"
    data["features"][6]["properties"].pop("name_fa")
    page = render(data)
    assert embedded_sites(page) == public_sites(data, locator=fake_locator)
    # Repeated text (provinces, cities, verification) is stored once.
    strings = json.loads(block(page, "gravemap_sites-sites"))["strings"]
    assert len(strings) == len(set(strings)) < 60


def test_sites_are_embedded_once_as_data_not_as_folium_objects():
    page = render(synthetic_collection(300))
    assert len(embedded_sites(page)["sites"]) == 300
    assert "L.marker(" not in page.split('id="gravemap_sites-sites"')[0].split("</style>")[-1]
    assert page.count("Synthetic site 00042") == 1


@pytest.mark.slow
def test_five_thousand_sites_render_in_well_under_a_second_per_thousand():
    data = synthetic_collection(5000)
    render(synthetic_collection(10))  # imports and caches, as the CLI pays them once
    start = time.perf_counter()
    render(data, tiles="none")
    assert time.perf_counter() - start < 5.0  # naive folium: about 7 s on this machine


def test_default_title_follows_the_interface_language():
    page_fa = render(collection(site()), lang="fa")
    assert "<title>محل‌های گزارش‌شدهٔ گورهای جمعی اعدام‌های ۱۳۶۷ در ایران</title>" in page_fa
    page_en = render(collection(site()))
    assert "<title>Reported mass-grave sites of the 1988 executions in Iran</title>" in page_en
    assert "<title>A &lt;b&gt; title</title>" in render(collection(site()), title="A <b> title")


@pytest.mark.parametrize(
    "notes",
    [
        "Found at 35°41'20\"N 51°46'40\"E, past the ridge.",
        "35° 41.333' N, 51° 46.667' E",
        "۳۵٫۶۸۸۸ ۵۱٫۷۷۷۸",
    ],
)
def test_publish_city_refuses_the_true_point_in_degrees_minutes_or_persian_digits(notes):
    feature = site("ir-synthetic-79", publish="city", notes=notes)
    feature["geometry"]["coordinates"] = [51.777777, 35.688888]
    with pytest.raises(PublishError, match="ir-synthetic-79"):
        render(collection(feature))


@pytest.mark.parametrize("publish", ["Withheld", "withheld ", "City", "public"])
def test_an_unknown_publish_level_is_refused_not_published_in_full(publish):
    with pytest.raises(PublishError, match="ir-synthetic-01.*use one of: full, city, withheld"):
        render(collection(site(publish=publish)))


def test_a_history_date_that_is_not_a_date_is_refused():
    feature = site()
    feature["properties"]["status_history"][0]["date"] = "35.888888 51.777777"
    with pytest.raises(PublishError, match="is not a date"):
        render(collection(feature))


def test_a_tile_template_cannot_carry_a_script_comment():
    with pytest.raises(TilesError):
        render(collection(site()), tiles="https://a.example/{z}/{x}/{y}.png?/*gravemap:details*/")


def test_import_gravemap_stays_light_and_sites_layer_loads_folium_on_first_use():
    import subprocess
    import sys

    probe = (
        "import sys, gravemap\n"
        "assert 'folium' not in sys.modules, 'import gravemap imported folium'\n"
        "layer = gravemap.SitesLayer\n"
        "assert 'folium' in sys.modules and layer.__name__ == 'SitesLayer'\n"
        "print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert out.stdout == "ok\n", out.stderr


def test_a_page_makes_the_public_view_once_and_shows_the_hash_of_its_export(monkeypatch):
    # The sites, the page's hash and the timeline chart come from one public view: made three
    # times, it was a third of the time of rendering 100,000 sites.
    from gravemap import public
    from gravemap.render import render_map

    calls = []
    real = public.public_view

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(public, "public_view", counting)
    data = synthetic_collection(30)
    page = render_map(data)
    assert len(calls) == 1
    shown = re.search(r'id="gm-sha"[^>]*>\s*([0-9a-f]{64})', page).group(1)
    assert shown == hashlib.sha256(public.published_geojson(data)).hexdigest()


# The data blocks of a page, pinned. `render/fixture.json` holds every case the encoder meets:
# hostile and control characters, braces Jinja would read, refused URLs, city- and
# province-level and withheld sites, undated and Solar Hijri span dates, victims as huge
# integers or a boolean, coordinates tiny enough to print with an exponent, non-string text.
# `render/expected.json` holds what render wrote for it (its blocks and the page's hash): a
# change to the encoding shows here. Regenerate it only for a change made on purpose.
RENDER_DATA = Path(__file__).parent / "data" / "render"
PINNED_BLOCKS = ("gravemap_sites-sites", "gravemap_sites-details", "gm-tl-config")


def pinned_fixture(variant):
    data = json.loads((RENDER_DATA / "fixture.json").read_text(encoding="utf-8"))
    kwargs = {
        "en": {},
        "fa": {"lang": "fa"},
        "en-withheld": {"include_withheld": True},
        "en-surrogate": {"data_sha256": "0" * 64},
    }[variant]
    if variant == "en-surrogate":  # a lone surrogate has no UTF-8 form: no export, no hash
        data["features"][6]["properties"]["name"] = "broken \ud800 surrogate"
    return data, kwargs


@pytest.mark.parametrize("variant", ["en", "fa", "en-withheld", "en-surrogate"])
def test_page_data_and_hash_are_the_pinned_bytes(variant):
    data, kwargs = pinned_fixture(variant)
    expected = json.loads((RENDER_DATA / "expected.json").read_text(encoding="utf-8"))[variant]
    page = render_map(data, locator=fake_locator, **kwargs)
    assert re.search(r'id="gm-sha"[^>]*>([0-9a-f]{64})<', page).group(1) == expected["sha256"]
    for block_id in PINNED_BLOCKS:
        assert block(page, block_id) == expected[block_id], block_id


# --- the benchmark against folium's FastMarkerCluster (issue 15) --------------------------------

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "render_bench.py"


def test_fast_marker_cluster_baseline_maps_every_site_with_its_escaped_name(tmp_path):
    import importlib.util

    spec = importlib.util.spec_from_file_location("render_bench", BENCH)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    data = synthetic_collection(20)
    data["features"][3]["properties"]["name"] = "<b>bold</b>"
    (tmp_path / "sites.geojson").write_text(json.dumps(data), encoding="utf-8")
    assert bench.fmc_map(tmp_path / "sites.geojson", tmp_path / "fmc.html") == 20
    page = (tmp_path / "fmc.html").read_text(encoding="utf-8")
    assert "L.markerClusterGroup(" in page and bench.FMC_CALLBACK in page
    assert page.count('"Synthetic site 000') == 19
    assert "\\u0026lt;b\\u0026gt;bold" in page  # escaped, then made safe by folium's tojson


def test_render_benchmark_compares_with_fast_marker_cluster_in_fresh_processes():
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, str(BENCH), "--sizes", "--naive-sizes", "--fmc-sizes", "20"]
        + ["--fmc-runs", "1"],
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(proc.stdout.splitlines()[-1])["fmc"]["20"]
    assert result["sites"] == 20
    for kind in ("gravemap", "fmc"):
        assert result[kind]["s"] > result[kind]["cpu_s"] / 2 > 0
        assert result[kind]["peak_mb"] > result["bench_process_peak_mb"]
        assert result[kind]["page_mb"] > 0
    assert set(result["ratio"]) == {"s", "cpu_s", "peak_mb"}
    assert "gravemap/FastMarkerCluster: time" in proc.stdout


@settings(max_examples=500, deadline=None)
@given(
    st.from_regex(r"(?i)https?://[a-zſKİı0-9.\-]{0,12}(:[0-9]{0,6})?([/?#][ -~é]{0,12})?")
    | st.text(max_size=30)
)
def test_the_quick_url_check_accepts_only_what_the_one_url_rule_accepts(url):
    from gravemap import render as render_module
    from gravemap.model import is_safe_url

    assert (render_module.safe_url(url) is not None) == is_safe_url(url)


@pytest.mark.parametrize(
    "url", ["httpſ://example.org", "https://exampleſ.org/", "https://\u212a.example/", "hTtPſ://x"]
)
def test_a_link_with_letters_that_only_fold_to_ascii_is_decided_by_the_one_url_rule(url):
    from gravemap.model import is_safe_url
    from gravemap.render import safe_url

    assert (safe_url(url) is not None) == is_safe_url(url)
