"""The published map in headless Chromium: offline, safe, bilingual, and a permalink per site."""

from __future__ import annotations

import copy
import re

import pytest

from gravemap.render import render_map

from synthetic import synthetic_collection

pytestmark = pytest.mark.browser

SHA = "5" * 64


def render(data, **kwargs):
    kwargs.setdefault("data_sha256", SHA)
    kwargs.setdefault("tiles", "none")
    kwargs.setdefault("locator", lambda site_id, props: (33.0, 55.0))
    return render_map(data, **kwargs)


def open_site(opened, site_id):
    """Follow the permalink of `site_id` and wait for its popup."""
    opened.page.evaluate("id => { location.hash = '#site=' + encodeURIComponent(id); }", site_id)
    opened.page.wait_for_function(
        "id => document.querySelector('.leaflet-popup .gm-id')?.textContent === id", arg=site_id
    )
    return opened.popup_text()


def listed_ids(opened):
    return opened.page.eval_on_selector_all(
        "#gm-list li[data-site-id]", "els => els.map(e => e.getAttribute('data-site-id'))"
    )


ON_MAP = """() => {
  let n = 0;
  document.querySelectorAll('.gm-mk').forEach(() => n++);
  document.querySelectorAll('.gm-cluster span').forEach(s => n += Number(s.textContent));
  return n;
}"""


def test_every_site_is_listed_and_shown_without_network(open_map):
    data = synthetic_collection(30)
    opened = open_map(render(data))
    assert listed_ids(opened) == [f["id"] for f in data["features"]]
    count = opened.page.inner_text("#gm-count")
    assert count == "30 of 30 sites"
    # Every site is on the map: as a marker or inside a cluster's count.
    assert opened.page.evaluate(ON_MAP) == 30
    assert opened.errors == [] and opened.csp_violations() == []


def test_long_lists_are_rendered_in_chunks_and_scroll_to_the_end(open_map):
    data = synthetic_collection(450)
    opened = open_map(render(data))
    assert len(listed_ids(opened)) < 450  # not everything at once
    for _ in range(20):
        opened.page.eval_on_selector("#gm-panel", "p => { p.scrollTop = p.scrollHeight; }")
        opened.page.wait_for_timeout(100)
        if len(listed_ids(opened)) == 450:
            break
    assert listed_ids(opened) == [f["id"] for f in data["features"]]


def test_permalink_opens_the_popup_with_name_and_every_source_link(open_map):
    data = synthetic_collection(40)
    target = next(f for f in data["features"] if len(f["properties"]["sources"]) == 2)
    props = target["properties"]
    opened = open_map(render(data), fragment=f"#site={target['id']}")
    text = opened.popup_text()
    assert props["name"] in text and props["name_fa"] in text
    assert props["city"] in text and props["province"] in text
    links = opened.page.eval_on_selector_all(
        ".leaflet-popup .gm-sources a",
        "els => els.map(a => [a.getAttribute('href'), a.rel, a.target, a.textContent])",
    )
    expected = []
    for source in props["sources"]:
        expected.append([source["url"], "noopener noreferrer", "_blank", source["title"]])
        if "archived_url" in source:
            expected.append(
                [source["archived_url"], "noopener noreferrer", "_blank", "archived copy"]
            )
    assert links == expected
    for source in props["sources"]:
        assert source["publisher"] in text
    assert "Verification:" in text and "Location:" in text
    selected = opened.page.get_attribute("#gm-list li.gm-selected", "data-site-id")
    assert selected == target["id"]


def test_clicking_a_list_entry_updates_the_address_and_opens_the_site(open_map):
    data = synthetic_collection(20)
    opened = open_map(render(data))
    site_id = data["features"][7]["id"]
    opened.page.click(f'#gm-list li[data-site-id="{site_id}"] a')
    opened.page.wait_for_function("id => location.hash === '#site=' + id", arg=site_id)
    assert data["features"][7]["properties"]["name"] in opened.popup_text()
    # The same entry again (no hashchange) still opens it.
    opened.page.click(".leaflet-popup-close-button")
    opened.page.click(f'#gm-list li[data-site-id="{site_id}"] a')
    assert data["features"][7]["properties"]["name"] in opened.popup_text()


def test_sites_sharing_one_point_stay_distinguishable(open_map):
    data = synthetic_collection(5)
    for feature in data["features"]:
        feature["geometry"]["coordinates"] = [55.0, 33.0]
        feature["properties"]["location"]["precision"] = "city"
    opened = open_map(render(data))
    assert opened.page.inner_text(".gm-cluster span") == "5"
    for feature in data["features"]:
        assert feature["properties"]["name"] in open_site(opened, feature["id"])
        # Spiderfied: the five markers are drawn apart, not stacked.
        positions = opened.page.eval_on_selector_all(
            ".gm-mk",
            "els => els.map(e => e.getBoundingClientRect().x + ',' + e.getBoundingClientRect().y)",
        )
        assert len(set(positions)) == 5
    # The approximate position is drawn as an area (dashed circle), not a point.
    assert opened.page.locator("path.leaflet-interactive, path[stroke-dasharray]").count() >= 1


def test_filters_narrow_the_list_and_the_map(open_map):
    data = synthetic_collection(60)
    opened = open_map(render(data))
    status = data["features"][3]["properties"]["status"]
    expected = [f["id"] for f in data["features"] if f["properties"]["status"] == status]
    opened.page.select_option("#gm-f-status", status)
    opened.page.wait_for_function(
        "n => document.querySelectorAll('#gm-list li').length == n", arg=len(expected)
    )
    assert listed_ids(opened) == expected
    assert opened.page.evaluate(ON_MAP) == len(expected)  # the map shows only those too
    opened.page.select_option("#gm-f-status", "")
    province = data["features"][4]["properties"]["province"]
    expected = [f["id"] for f in data["features"] if f["properties"]["province"] == province]
    provinces = sorted({f["properties"]["province"] for f in data["features"]})
    opened.page.wait_for_function("() => document.getElementById('gm-f-province').length > 1")
    assert opened.page.eval_on_selector_all(
        "#gm-f-province option", "els => els.map(e => e.value)"
    ) == ["", *provinces]
    opened.page.select_option("#gm-f-province", province)
    opened.page.wait_for_function(
        "n => document.querySelectorAll('#gm-list li').length == n", arg=len(expected)
    )
    assert listed_ids(opened) == expected
    opened.page.select_option("#gm-f-province", "")
    opened.page.fill("#gm-q", "site 00042")
    opened.page.wait_for_function("() => document.querySelectorAll('#gm-list li').length == 1")
    assert listed_ids(opened) == ["ir-synthetic-00042"]
    opened.page.fill("#gm-q", "")
    opened.page.wait_for_function("() => document.querySelectorAll('#gm-list li').length > 1")
    opened.page.fill("#gm-q", "آزمایشی ۰۰۰۴۲")  # the Persian name
    opened.page.wait_for_function("() => document.querySelectorAll('#gm-list li').length == 1")
    assert listed_ids(opened) == ["ir-synthetic-00042"]
    opened.page.fill("#gm-q", "")
    opened.page.wait_for_function("() => document.querySelectorAll('#gm-list li').length > 1")
    opened.page.fill("#gm-q", "آزمايشي ۰۰۰۴۲")  # Arabic yeh: folded to the Persian letter
    opened.page.wait_for_function("() => document.querySelectorAll('#gm-list li').length == 1")
    assert listed_ids(opened) == ["ir-synthetic-00042"]


def test_search_finds_a_city_in_any_spelling_the_geocoder_knows(open_map):
    data = synthetic_collection(3)
    places = [("Ahvaz", "اهواز", "Khuzestan"), ("Tabriz", "تبریز", "East Azerbaijan"),
              ("Testville", "تست‌ویل", "Gilan")]  # fmt: skip
    for feature, (city, city_fa, province) in zip(data["features"], places, strict=True):
        feature["properties"].update(city=city, city_fa=city_fa, province=province)
    opened = open_map(render_map(data, data_sha256="5" * 64))
    only = """id => [...document.querySelectorAll('#gm-list li[data-site-id]')]
        .map(e => e.getAttribute('data-site-id')).join() === id"""
    typed_ids = [
        (t, data["features"][0]["id"])
        for t in ("Ahwaz", "ahwāz", "Ahwa", "الأهواز", "Bandar Nasiri")
    ]  # an old name too
    typed_ids.append(("Tebriz", data["features"][1]["id"]))  # a spelling GeoNames lists
    for typed, site_id in typed_ids:
        opened.page.fill("#gm-q", "")
        opened.page.wait_for_function("() => document.querySelectorAll('#gm-list li').length > 1")
        opened.page.fill("#gm-q", typed)
        opened.page.wait_for_function(only, arg=site_id)


def clickable(page, selector):
    """The first element matching `selector` wholly in the map, clear of controls, or None."""
    index = page.evaluate(
        """sel => {
          const inside = (r, o) => r.left >= o.left && r.right <= o.right
            && r.top >= o.top && r.bottom <= o.bottom;
          const apart = (r, o) => r.right < o.left || r.left > o.right
            || r.bottom < o.top || r.top > o.bottom;
          const map = document.getElementById('gm-map-wrap').getBoundingClientRect();
          const legend = document.querySelector('.gm-legend').getBoundingClientRect();
          const zoom = document.querySelector('.leaflet-control-zoom').getBoundingClientRect();
          return [...document.querySelectorAll(sel)].findIndex(e => {
            const r = e.getBoundingClientRect();
            return inside(r, map) && apart(r, legend) && apart(r, zoom);
          });
        }""",
        selector,
    )
    return page.locator(selector).nth(index) if index >= 0 else None


ZOOM = "window.gravemap.map.getZoom()"


def test_clicking_a_cluster_zooms_in_until_its_sites_separate(open_map):
    data = synthetic_collection(200)
    opened = open_map(render(data))
    page = opened.page
    for attempt in range(25):
        cluster = clickable(page, ".gm-cluster")
        if cluster is None:
            assert attempt > 0, "the overview shows no cluster"
            break
        zoom = page.evaluate(f"() => {ZOOM}")
        fanned = page.locator(".leaflet-overlay-pane path").count()
        cluster.click()
        page.wait_for_function(
            f"([z, f]) => {ZOOM} > z"
            " || document.querySelectorAll('.leaflet-overlay-pane path').length > f",
            arg=[zoom, fanned],
        )
        if page.locator(".leaflet-overlay-pane path").count() > fanned:
            break  # fanned out: the sites of one point (or the deepest zoom)
    # Whatever is shown now, each marker opens its own site.
    clickable(page, ".gm-mk").click()  # a marker is shown once clusters are expanded
    site_id = page.evaluate("() => decodeURIComponent(location.hash.slice(6))")
    page.wait_for_function(
        "id => document.querySelector('.leaflet-popup .gm-id')?.textContent === id", arg=site_id
    )
    assert opened.errors == []


PAYLOADS = [
    "<script>window.__pwned=1</script>",
    '<img src=x onerror="window.__pwned=1;alert(1)">',
    "${window.__pwned=1}",
    "\\`;window.__pwned=1;//",
    "</script><script>window.__pwned=1</script>",
    '"><svg onload=window.__pwned=1>',
    "'-alert(1)-'",
]
BAD_URLS = [
    "javascript:window.__pwned=1",
    "JaVaScRiPt:window.__pwned=1",
    " javascript:window.__pwned=1",
    "data:text/html,<script>window.__pwned=1</script>",
    "java\nscript:window.__pwned=1",
]


def planted(payload, n, url):
    """A site with `payload` in every text field (the id too: render_map takes raw data)."""
    feature = copy.deepcopy(synthetic_collection(1)["features"][0])
    feature["id"] = f"x{n}{payload}"
    props = feature["properties"]
    for key in (
        "name",
        "name_fa",
        "city",
        "city_fa",
        "province",
        "notes",
        "country",
        "verification",
    ):
        props[key] = payload
    props["location"]["note"] = payload
    props["location"]["method"] = payload
    props["status_history"] = [
        # Dates are refused unless they are ISO dates (test_render), so none carries a payload.
        {"status": "damaged", "date": "2018-07", "sources": ["s1", payload], "note": payload}
    ]
    props["sources"] = [
        {
            "id": "s1",
            "publisher": payload,
            "title": payload,
            "url": url,
            "date": "2018",
            "quote": payload,
            "archived_url": url,
        },
        {
            "id": payload,
            "publisher": payload,
            "title": payload,
            "url": "https://example.org/" + payload,
        },
    ]
    props["victims"] = {"low": 1, "high": 2, "sources": [payload], "note": payload}
    return feature


@pytest.mark.parametrize("lang", ["en", "fa"])
def test_planted_payloads_in_every_field_never_run(open_map, lang):
    features = [planted(p, n, BAD_URLS[n % len(BAD_URLS)]) for n, p in enumerate(PAYLOADS)]
    data = {"type": "FeatureCollection", "features": features}
    opened = open_map(render(data, lang=lang, title=PAYLOADS[0]))
    for feature in features:
        text = open_site(opened, feature["id"])
        assert feature["properties"]["name"].strip() in text  # shown as text
    opened.page.fill("#gm-q", "script")
    opened.page.wait_for_timeout(400)
    hrefs = opened.page.eval_on_selector_all("a[href]", "els => els.map(a => a.href)")
    assert all(re.match(r"^(https?|file):", href) for href in hrefs), hrefs
    assert opened.pwned() is False
    assert opened.dialogs == []
    assert opened.errors == []
    assert opened.csp_violations() == []


def test_no_request_leaves_the_page_with_tiles_none(open_map):
    opened = open_map(
        render(synthetic_collection(50), tiles="none"), fragment="#site=ir-synthetic-00003"
    )
    opened.popup_text()
    opened.page.mouse.wheel(0, -300)
    opened.page.wait_for_timeout(300)
    assert opened.outside_requests == []
    assert opened.requests == [opened.url.split("#")[0]]
    assert opened.csp_violations() == []


def test_with_osm_tiles_only_the_tile_server_is_asked(open_map):
    opened = open_map(render(synthetic_collection(10), tiles="osm"))
    opened.page.wait_for_timeout(300)
    assert opened.outside_requests  # tiles were asked for (and refused: no network in tests)
    assert all(u.startswith("https://tile.openstreetmap.org/") for u in opened.outside_requests)
    assert opened.csp_violations() == []
    assert "OpenStreetMap" in opened.page.inner_text(".leaflet-control-attribution")
    assert "GeoNames" in opened.page.inner_text(".leaflet-control-attribution")


def test_persian_page_is_right_to_left_with_persian_names_first(open_map, artifacts):
    data = synthetic_collection(40)
    opened = open_map(render(data, lang="fa"), fragment="#site=ir-synthetic-00016")
    page = opened.page
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.evaluate("document.documentElement.lang") == "fa"
    assert page.evaluate("getComputedStyle(document.getElementById('gm-panel')).direction") == "rtl"
    panel = page.locator("#gm-panel").bounding_box()
    map_box = page.locator("#gm-map-wrap").bounding_box()
    assert panel["x"] > map_box["x"]  # the list sits on the right
    first = page.inner_text('#gm-list li[data-site-id="ir-synthetic-00016"] .gm-item-names > *')
    assert first == data["features"][16]["properties"]["name_fa"]
    text = opened.popup_text()
    assert "تاریخچهٔ وضعیت" in text  # "Status history"
    assert re.search(r"[۰-۹]{4}", text)  # Solar Hijri year in Persian digits
    page.wait_for_timeout(400)  # the popup's fade-in
    page.screenshot(path=str(artifacts / "map-fa.png"))


def test_english_page_screenshot_and_persian_names_stay_readable(open_map, artifacts):
    data = synthetic_collection(300)
    opened = open_map(render(data), fragment="#site=ir-synthetic-00016")
    page = opened.page
    spans = page.eval_on_selector_all(
        '#gm-list li[data-site-id="ir-synthetic-00016"] .gm-fa',
        "els => els.map(e => [e.lang, e.dir])",
    )
    assert spans == [["fa", "auto"]]
    text = opened.popup_text()
    assert "Status history" in text and "SH)" in text
    page.wait_for_timeout(400)
    page.screenshot(path=str(artifacts / "map-en.png"))
    overview = open_map(render(data)).page  # the first view: all of Iran, clustered
    overview.screenshot(path=str(artifacts / "map-en-overview.png"))


def test_city_centres_are_labelled_so_a_map_without_tiles_says_where_it_is(open_map):
    data = synthetic_collection(12)
    hostile = '<img src=x onerror="window.__pwned=1">'
    for feature in data["features"]:
        feature["properties"]["location"]["precision"] = "city"
        feature["properties"]["publish"] = "full"
    data["features"][0]["properties"]["city"] = hostile
    opened = open_map(render(data))
    opened.page.wait_for_selector(".gm-city-label", state="attached")  # drawn when idle
    labels = opened.page.eval_on_selector_all(
        ".gm-city-label", "els => els.map(e => e.textContent)"
    )
    centres = {tuple(f["geometry"]["coordinates"][:2]) for f in data["features"]}
    assert len(labels) == len(centres)
    assert hostile in labels  # shown as text, never run
    assert opened.page.evaluate("() => window.__pwned === undefined")
    assert opened.page.evaluate("() => document.querySelectorAll('.gm-city-label img').length") == 0
    assert opened.errors == [] and opened.csp_violations() == []


@pytest.mark.parametrize("value", ["constructor", "__proto__", "toString"])
def test_popups_open_whatever_the_verification_or_status_text(open_map, value):
    data = synthetic_collection(3)
    target = data["features"][1]
    target["properties"]["verification"] = value  # not valid data: the page must still cope
    opened = open_map(render(data))
    text = open_site(opened, target["id"])
    assert value in text
    assert opened.errors == []
