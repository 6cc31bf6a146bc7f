"""The offline basemap drawn by static/basemap.js on a bare Leaflet map, under a strict CSP.

The page is built here (Leaflet from xstatic-leaflet, the packaged basemap data and script, all
inlined); it makes no request. Screenshots go to test-artifacts/ and, with
GRAVEMAP_UPDATE_DOCS=1, to docs/basemap-*.png.
"""

from __future__ import annotations

import base64
import hashlib
import os
import shutil
from pathlib import Path

import pytest

from gravemap import basemap
from gravemap.render import _asset

DOCS = Path(__file__).resolve().parents[2] / "docs"
DESKTOP = {"width": 1400, "height": 900}
PHONE = {"width": 390, "height": 844}
IRAN_BOUNDS = [[25.0, 44.0], [39.8, 63.4]]

INIT = """
(function () {
  var map = L.map("map", {maxZoom: 12, minZoom: 3, zoomSnap: 1});
  map.fitBounds(%(bounds)s);
  var data = JSON.parse(document.getElementById("gm-basemap-data").textContent);
  window.gmBasemap = GravemapBasemap.addTo(map, data, {lang: "%(lang)s"});
  window.gmMap = map;
  window.gravemapReady = true;
})();
"""


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def basemap_page(lang: str = "en") -> str:
    assets = basemap.page_assets()
    leaflet_js = _asset("leaflet", "leaflet.js")
    leaflet_css = _asset("leaflet", "leaflet.css")
    page_css = "html,body,#map{height:100%;margin:0}body{font-family:sans-serif}"
    init = INIT % {"bounds": IRAN_BOUNDS, "lang": lang}
    scripts = [leaflet_js, assets["script"], init]
    csp = (
        "default-src 'none'; script-src "
        + " ".join(_hash(s) for s in scripts)
        + "; style-src "
        + " ".join(_hash(s) for s in (leaflet_css, page_css))
        + "; img-src data:"
    )
    assert "<" not in assets["data"]  # safe to inline as it is
    direction = "rtl" if lang == "fa" else "ltr"
    return (
        f'<!doctype html><html lang="{lang}" dir="{direction}"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>basemap</title><style>{leaflet_css}</style><style>{page_css}</style>"
        f'</head><body><div id="map"></div>'
        f'<script type="application/json" id="gm-basemap-data">{assets["data"]}</script>'
        + "".join(f"<script>{s}</script>" for s in scripts)
        + "</body></html>"
    )


def shown_labels(opened, kind: str) -> list[str]:
    return opened.page.eval_on_selector_all(
        f'.gm-basemap-label-{kind}[data-shown="true"]', "els => els.map(e => e.textContent)"
    )


def screenshot(opened, artifacts: Path, name: str) -> None:
    path = artifacts / name
    opened.page.screenshot(path=str(path))
    if os.environ.get("GRAVEMAP_UPDATE_DOCS") == "1":
        shutil.copy(path, DOCS / name)


@pytest.mark.parametrize("lang", ["en", "fa"])
def test_basemap_draws_provinces_neighbours_and_labels_offline(open_map, artifacts, lang):
    opened = open_map(basemap_page(lang), viewport=DESKTOP)
    page = opened.page
    assert opened.outside_requests == []
    assert [r for r in opened.requests if not r.startswith("file:")] == []
    assert opened.errors == []
    assert opened.csp_violations() == []
    assert page.locator("path.gm-basemap-province").count() == 31
    # countries + provinces + lakes + Iran's outline, all SVG paths in the basemap's own pane
    assert page.locator(".leaflet-gravemapBasemap-pane path").count() >= 31 + 19 + 7 + 1
    names = {p.name_en if lang == "en" else p.name_fa for p in basemap.provinces()}
    provinces = shown_labels(opened, "province")
    assert len(provinces) >= 12 and set(provinces) <= names
    seas = shown_labels(opened, "sea")
    expected = {"en": {"Caspian Sea", "Persian Gulf"}, "fa": {"دریای خزر", "خلیج فارس"}}[lang]
    assert expected <= set(seas)
    countries = shown_labels(opened, "country")
    assert {"en": "Iraq", "fa": "عراق"}[lang] in countries
    assert page.eval_on_selector(".gm-basemap-label-province", "e => e.lang") == lang
    # scenery for screen readers, and nothing in it takes keyboard focus
    assert (
        page.locator(".leaflet-gravemapBasemapLabels-pane").get_attribute("aria-hidden") == "true"
    )
    assert page.locator(".leaflet-gravemapBasemapLabels-pane [tabindex]").count() == 0
    screenshot(opened, artifacts, f"basemap-desktop-{lang}.png")


@pytest.mark.parametrize("lang", ["en", "fa"])
def test_basemap_on_a_phone_shows_seas_and_countries_without_overlaps(open_map, artifacts, lang):
    opened = open_map(basemap_page(lang), viewport=PHONE)
    assert opened.outside_requests == [] and opened.errors == []
    boxes = opened.page.eval_on_selector_all(
        '.gm-basemap-label[data-shown="true"]',
        "els => els.map(e => { const r = e.getBoundingClientRect();"
        " return [r.left, r.top, r.right, r.bottom]; })",
    )
    assert len(boxes) >= 5
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), (a, b)
    screenshot(opened, artifacts, f"basemap-phone-{lang}.png")


def test_basemap_is_not_one_flat_colour(open_map, colour_shares):
    """No single colour fills most of the map (the offline page used to be 86% grey)."""
    opened = open_map(basemap_page("en"), viewport=DESKTOP)
    assert colour_shares(opened.page.screenshot())[0] < 0.5


def test_zooming_in_shows_more_province_labels(open_map):
    opened = open_map(basemap_page("en"), viewport=PHONE)
    before = len(shown_labels(opened, "province"))
    opened.page.evaluate("() => window.gmMap.setView([32.5, 53], 6, {animate: false})")
    opened.page.wait_for_timeout(100)
    after = shown_labels(opened, "province")
    assert len(after) > before
    assert "Isfahan" in after
