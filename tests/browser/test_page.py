"""The page as its readers open it: offline, on phones, from the keyboard, printed, in Persian.

Each test pins one promise of issue 12 in headless Chromium.
"""

from __future__ import annotations

import copy
import re
import shutil
import subprocess

import pytest

from gravemap.render import render_map

from synthetic import synthetic_collection

pytestmark = pytest.mark.browser

SHA = "5" * 64
PHONE = {"width": 390, "height": 844}


def render(data, **kwargs):
    kwargs.setdefault("data_sha256", SHA)
    kwargs.setdefault("locator", lambda site_id, props: (33.0, 55.0))
    return render_map(data, **kwargs)


def wait_open(page, site_id):
    page.wait_for_function(
        "id => [...document.querySelectorAll('.gm-id')].some(e => e.textContent === id"
        " && e.getBoundingClientRect().width > 0)",
        arg=site_id,
    )


def shown_site(page, site_id, selector):
    """Text of `selector` in the open popup of `site_id` (a closing popup may still fade)."""
    return page.evaluate(
        """([id, sel]) => [...document.querySelectorAll('.leaflet-popup')]
          .find(p => p.querySelector('.gm-id')?.textContent === id)
          .querySelector(sel).innerText""",
        [site_id, selector],
    )


def synthetic_towns(n=3):
    """Synthetic sites in a synthetic town, one of them in a real province (Gilan)."""
    data = synthetic_collection(n)
    props = data["features"][0]["properties"]
    props.update(city="Testville", city_fa="تست‌ویل", province="Gilan")
    props = data["features"][1]["properties"]
    props.update(city="Testville", city_fa="تست‌ویل", province="Testville")
    return data


# --- offline -----------------------------------------------------------------------------------


def test_by_default_the_page_makes_no_request_at_all(open_map):
    page_html = render_map(synthetic_collection(30), data_sha256=SHA)  # tiles left at default
    opened = open_map(page_html, fragment="#site=ir-synthetic-00003")
    wait_open(opened.page, "ir-synthetic-00003")
    opened.page.mouse.wheel(0, -300)
    opened.page.wait_for_timeout(300)
    assert opened.requests == [opened.url.split("#")[0]]
    assert opened.outside_requests == []
    assert opened.csp_violations() == [] and opened.errors == []


def test_basemap_is_drawn_offline_not_one_flat_colour(open_map, colour_shares):
    opened = open_map(render(synthetic_collection(5)))
    page = opened.page
    assert page.locator("path.gm-basemap-province").count() == 31
    shot = page.locator("#gm-map-wrap").screenshot()
    shares = colour_shares(shot)
    assert shares[0] < 0.6, shares[:5]  # no colour fills most of the map (it was 86%)
    assert sum(1 for s in shares if s > 0.03) >= 3, shares[:5]  # land, sea, neighbours
    labels = page.eval_on_selector_all(
        ".gm-basemap-label[data-shown=true]", "els => els.map(e => e.textContent)"
    )
    assert "Caspian Sea" in labels


def test_with_tiles_the_page_says_the_tile_server_sees_the_area(open_map):
    opened = open_map(render(synthetic_collection(3), tiles="osm"))
    notice = opened.page.locator("#gm-tiles-notice")
    assert notice.is_visible()
    assert "tile.openstreetmap.org" in notice.inner_text()
    assert "sees which area" in notice.inner_text()
    quiet = open_map(render(synthetic_collection(3)))
    assert quiet.page.locator("#gm-tiles-notice").count() == 0


# --- phones ------------------------------------------------------------------------------------

UNCOVERED = """() => {
  const sheet = document.getElementById('gm-sheet');
  const r = sheet.getBoundingClientRect();
  const inside = r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight + 0.5
    && r.right <= innerWidth + 0.5;
  const probes = [];
  for (const fx of [0.05, 0.5, 0.95]) for (const fy of [0.02, 0.5, 0.98]) {
    const x = r.left + fx * r.width, y = r.top + fy * r.height;
    const hit = document.elementFromPoint(x, y);
    probes.push(Boolean(hit && sheet.contains(hit)));
  }
  const close = document.getElementById('gm-sheet-close').getBoundingClientRect();
  const closeHit = document.elementFromPoint(close.left + close.width / 2,
                                             close.top + close.height / 2);
  return {inside, probes, scrolls: getComputedStyle(sheet).overflowY,
          closeOnScreen: close.top >= 0 && close.bottom <= innerHeight && close.left >= 0
            && close.right <= innerWidth,
          closeUncovered: Boolean(closeHit && closeHit.closest('#gm-sheet-close')),
          width: r.width};
}"""


@pytest.mark.parametrize("lang", ["en", "fa"])
def test_phone_opening_a_site_link_sees_the_whole_site_with_a_close_control(open_map, lang):
    data = synthetic_collection(40)
    target = next(f for f in data["features"] if len(f["properties"]["sources"]) == 2)
    opened = open_map(render(data, lang=lang), fragment=f"#site={target['id']}", phone=True)
    page = opened.page
    wait_open(page, target["id"])
    state = page.evaluate(UNCOVERED)
    assert state["inside"], state
    assert all(state["probes"]), state
    assert state["closeOnScreen"] and state["closeUncovered"], state
    assert state["scrolls"] == "auto"
    assert state["width"] <= PHONE["width"]
    assert page.locator(".leaflet-popup").count() == 0  # a sheet, not a popup wider than it
    # The legend starts folded; credits never cover the sheet (checked above) or the scale.
    assert page.evaluate("document.querySelector('.gm-legend').open") is False
    scale = page.locator(".leaflet-control-scale-line").bounding_box()
    credit = page.locator(".leaflet-control-attribution").bounding_box()
    apart = (
        scale["x"] + scale["width"] <= credit["x"]
        or credit["x"] + credit["width"] <= scale["x"]
        or scale["y"] + scale["height"] <= credit["y"]
        or credit["y"] + credit["height"] <= scale["y"]
    )
    assert apart, (scale, credit)
    page.click("#gm-sheet-close")
    assert page.locator("#gm-sheet").is_hidden()


def test_pinch_zoom_is_allowed():
    page_html = render(synthetic_collection(2))
    viewports = re.findall(r'<meta name="viewport" content="([^"]*)"', page_html)
    assert viewports == ["width=device-width, initial-scale=1"]


# --- keyboard ----------------------------------------------------------------------------------


def focused(page):
    return page.evaluate(
        """() => {
          const a = document.activeElement;
          return {cls: a.className || '', tag: a.tagName,
                  inSite: Boolean(a.closest('.gm-pop')), id: a.closest('[data-site-id]')
                    ? a.closest('[data-site-id]').getAttribute('data-site-id') : null};
        }"""
    )


@pytest.mark.parametrize("key", ["Enter", " "])
def test_keyboard_opens_a_marker_moves_focus_in_and_escape_returns_it(open_map, key):
    data = synthetic_collection(3)
    for n, feature in enumerate(data["features"]):  # far apart: three separate markers
        feature["geometry"]["coordinates"] = [48.0 + 4 * n, 30.0 + 2 * n]
    opened = open_map(render(data))
    page = opened.page
    marker = page.locator(".gm-mk").first
    marker.focus()
    title = marker.get_attribute("title")
    page.keyboard.press(key)
    site_id = page.evaluate("() => decodeURIComponent(location.hash.slice(6))")
    wait_open(page, site_id)
    assert focused(page)["inSite"] is True
    assert title.startswith(
        next(f for f in data["features"] if f["id"] == site_id)["properties"]["name"]
    )
    page.keyboard.press("Escape")
    page.wait_for_function("() => !document.querySelector('.leaflet-popup')")
    assert page.evaluate("document.activeElement.getAttribute('title')") == title


def test_keyboard_expands_clusters_and_escape_closes_from_the_list(open_map):
    data = synthetic_collection(60)
    opened = open_map(render(data))
    page = opened.page
    cluster = page.locator(".gm-cluster").first
    zoom = page.evaluate("() => gravemap.map.getZoom()")
    cluster.focus()
    page.keyboard.press("Enter")
    page.wait_for_function(
        "z => gravemap.map.getZoom() > z || document.querySelector('.leaflet-overlay-pane path')",
        arg=zoom,
    )
    # From the list: focus goes into the site, Escape brings it back to the entry.
    link = page.locator("#gm-list li a").nth(2)
    link.focus()
    page.keyboard.press("Enter")
    site_id = page.locator("#gm-list li").nth(2).get_attribute("data-site-id")
    wait_open(page, site_id)
    assert focused(page)["inSite"] is True
    selected = page.get_attribute("#gm-list li.gm-selected", "data-site-id")
    assert selected == site_id  # list and map in step
    page.keyboard.press("Escape")
    page.wait_for_function("() => !document.querySelector('.leaflet-popup')")
    assert focused(page)["id"] == site_id


def test_markers_and_clusters_have_names_and_the_clusters_show_their_statuses(open_map):
    data = synthetic_collection(60)
    opened = open_map(render(data))
    page = opened.page
    rings = page.eval_on_selector_all(
        ".gm-cluster-disc", "els => els.map(e => e.style.backgroundImage || e.style.background)"
    )
    assert rings and all("conic-gradient" in ring for ring in rings)
    titles = page.eval_on_selector_all(".gm-cluster", "els => els.map(e => e.title)")
    assert all(re.match(r"\d+ of 60 sites: \d+ \w", t) for t in titles), titles


# --- labels ------------------------------------------------------------------------------------


def test_no_label_is_left_under_a_marker_or_cluster(open_map):
    data = synthetic_collection(80)
    opened = open_map(render(data))
    page = opened.page
    page.wait_for_selector(".gm-city-label", state="attached")
    settled = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
    for _ in range(3):
        page.evaluate(settled)
        # The page's own passes (one a frame after a change, one when it has settled) are done.
        page.wait_for_function("() => window.gravemap.labelsSettled()")
        clashes = page.evaluate(
            """() => {
              const boxes = [...document.querySelectorAll(
                '.leaflet-marker-pane .leaflet-marker-icon')].map(m => m.getBoundingClientRect());
              return [...document.querySelectorAll('.gm-city-label, .gm-basemap-label')]
                .filter(l => getComputedStyle(l).visibility === 'visible'
                  && getComputedStyle(l).display !== 'none' && l.getBoundingClientRect().width)
                .filter(l => { const r = l.getBoundingClientRect();
                  return boxes.some(b => r.left < b.right && b.left < r.right
                    && r.top < b.bottom && b.top < r.bottom); })
                .map(l => l.textContent);
            }"""
        )
        assert clashes == []
        page.evaluate(
            """() => new Promise(r => {
              gravemap.map.once('moveend', () => setTimeout(r, 50));
              gravemap.map.zoomIn();
            })"""
        )


# --- wording, search ----------------------------------------------------------------------------


def test_verification_counts_the_publishers_shown_never_one_source_above_several(open_map):
    data = synthetic_collection(20)
    two = [f for f in data["features"] if len(f["properties"]["sources"]) == 2]
    for feature in two:
        feature["properties"]["verification"] = "reported"
    opened = open_map(render(data))
    for feature in two[:3]:
        opened.page.evaluate("id => { location.hash = '#site=' + id; }", feature["id"])
        wait_open(opened.page, feature["id"])
        text = opened.popup_text()
        assert "one source" not in text.lower()
        assert "Verification: Reported — 2 sources from 2 publishers" in text


def test_no_matches_is_said_and_show_more_only_when_there_is_more(open_map):
    opened = open_map(render(synthetic_collection(5)))
    page = opened.page
    assert page.locator("#gm-more").is_hidden()
    assert page.locator("#gm-empty").is_hidden()
    page.fill("#gm-q", "zzz-nothing-like-this")
    page.wait_for_selector("#gm-empty", state="visible")
    assert page.inner_text("#gm-empty") == "No site matches this search or filter."
    assert page.locator("#gm-more").is_hidden()
    big = open_map(render(synthetic_collection(120)))
    assert big.page.locator("#gm-more").is_visible()


def test_the_hash_says_what_it_covers_and_how_to_check_it(open_map):
    opened = open_map(render(synthetic_collection(2)))
    about = opened.page.inner_text("#gm-about")
    assert SHA in about
    assert "gravemap export --format geojson" in about
    assert "gravemap verify" in about and "sha256sum" in about


# --- Persian -------------------------------------------------------------------------------------


def test_persian_page_speaks_persian_names_places_controls_and_scale(open_map):
    data = synthetic_towns(3)
    opened = open_map(render(data, lang="fa"), fragment=f"#site={data['features'][0]['id']}")
    page = opened.page
    wait_open(page, data["features"][0]["id"])
    place = shown_site(page, data["features"][0]["id"], ".gm-place")
    assert place == "تست‌ویل، گیلان"  # Persian city and province, no city three times
    title = page.inner_text(".leaflet-popup .gm-pop-title")
    assert title.startswith("مکان آزمایشی")  # the Persian name first
    assert page.get_attribute(".leaflet-control-zoom-in", "title") == "بزرگ‌نمایی"
    assert page.get_attribute(".leaflet-control-zoom-out", "title") == "کوچک‌نمایی"
    assert page.get_attribute(".leaflet-popup-close-button", "aria-label") == "بستن"
    scale = page.inner_text(".leaflet-control-scale-line")
    assert re.fullmatch(r"[۰-۹]+ (کیلومتر|متر)", scale), scale
    # A province named like its city is not repeated.
    page.evaluate("id => { location.hash = '#site=' + id; }", data["features"][1]["id"])
    wait_open(page, data["features"][1]["id"])
    assert shown_site(page, data["features"][1]["id"], ".gm-place") == "تست‌ویل"
    assert "پشتیبانی‌شده" in page.inner_text("#gm-f-verification")
    assert "موقعیت شهرها" in page.inner_text(".leaflet-control-attribution")
    assert "تأییدشده" not in page.content()


# --- accessibility -----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "fa"])
@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
@pytest.mark.parametrize("site_open", [False, True], ids=["closed", "open"])
def test_axe_finds_no_violation_of_moderate_impact_or_above(open_map, lang, phone, site_open):
    from axe_playwright_python.sync_playwright import Axe

    data = synthetic_towns(30)
    fragment = f"#site={data['features'][0]['id']}" if site_open else ""
    opened = open_map(render(data, lang=lang), fragment=fragment, phone=phone, bypass_csp=True)
    if site_open:
        wait_open(opened.page, data["features"][0]["id"])
    opened.page.wait_for_timeout(600)  # labels placed when the page is idle
    results = Axe().run(opened.page)
    serious = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
        if v["impact"] in ("moderate", "serious", "critical")
    ]
    assert serious == []


# --- print -------------------------------------------------------------------------------------


def test_printed_pdf_holds_every_site_with_its_sources_and_the_hash(open_map, tmp_path):
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "pdftotext is needed (apt-get install poppler-utils)"
    data = synthetic_collection(12)
    opened = open_map(render(data))
    page = opened.page
    page.emulate_media(media="print")
    pdf = tmp_path / "map.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    text = subprocess.run(
        [pdftotext, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = re.sub(r"\s+", " ", text)
    for feature in data["features"]:
        assert feature["properties"]["name"] in flat
        for source in feature["properties"]["sources"]:
            assert source["publisher"] in flat
    assert SHA in flat.replace(" ", "")
    assert "Printed on" in flat
    pages = text.count("\f")
    assert pages >= 13  # the map, then one page a site, then the version and hash
    # Controls are not printed.
    assert "Show more" not in flat and "Zoom in" not in flat


def test_printing_keeps_the_colours_that_carry_the_status(open_map):
    # A browser prints without "background graphics" unless asked: the legend's swatches, the
    # markers' fills and the sea would print white, and the colour key would mean nothing.
    opened = open_map(render(synthetic_collection(12)))
    page = opened.page
    page.emulate_media(media="print")
    page.evaluate("() => window.gravemap.preparePrint()")  # what the beforeprint event does
    adjust = page.evaluate(
        """() => ['#gm-map-wrap', '.gm-print-legend .gm-sw', '#gm-map-wrap .leaflet-marker-icon']
          .map(sel => document.querySelector(sel))
          .map(el => el && getComputedStyle(el).getPropertyValue('print-color-adjust'))"""
    )
    assert adjust == ["exact", "exact", "exact"]


def test_printing_a_filtered_list_prints_only_those_sites(open_map, tmp_path):
    data = synthetic_collection(12)
    opened = open_map(render(data))
    page = opened.page
    page.fill("#gm-q", "site 00004")
    page.wait_for_function("() => document.querySelectorAll('#gm-list li').length == 1")
    page.emulate_media(media="print")
    page.wait_for_function("() => document.querySelectorAll('.gm-print-site').length == 1")
    names = page.eval_on_selector_all(
        ".gm-print-site .gm-name", "els => els.map(e => e.textContent)"
    )
    assert names == ["Synthetic site 00004"]


# --- the timeline's hook -----------------------------------------------------------------------


def test_set_as_of_recolours_from_each_sites_history_and_keeps_it_in_the_fragment(open_map):
    data = synthetic_collection(1)
    props = data["features"][0]["properties"]
    props["status_history"] = [
        {"status": "intact", "date": "2001", "sources": ["s1"]},
        {"status": "bulldozed", "date": "2009-01", "sources": ["s1"]},
        {"status": "at-risk", "date": "2022-05-01", "sources": ["s1"]},
    ]
    props["status"] = "at-risk"
    site_id = data["features"][0]["id"]
    opened = open_map(render(copy.deepcopy(data)), fragment=f"#site={site_id}&asof=2010")
    page = opened.page
    wait_open(page, site_id)
    assert page.evaluate("id => gravemap.statusOf(id)", site_id) == "bulldozed"
    assert "Bulldozed" in page.inner_text(".leaflet-popup .gm-pop-status")
    assert page.locator(".gm-mk.gm-st-bulldozed").count() == 1
    page.evaluate("() => gravemap.setAsOf('2000')")
    assert page.evaluate("location.hash") == f"#site={site_id}&asof=2000"
    assert page.locator(".gm-mk.gm-approx.gm-st-unknown").count() == 1  # not yet reported
    assert "Not yet reported" in page.inner_text("#gm-list")
    page.evaluate("() => gravemap.setAsOf(null)")
    assert page.evaluate("location.hash") == f"#site={site_id}"
    assert page.locator(".gm-mk.gm-st-at-risk").count() == 1
    with pytest.raises(Exception, match="asof must be"):
        page.evaluate("() => gravemap.setAsOf('2010-5')")
