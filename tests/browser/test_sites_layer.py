"""gravemap.SitesLayer on a plain folium.Map, as a notebook uses it, in Chromium."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap

import pytest

import gravemap

from synthetic import synthetic_collection

pytestmark = pytest.mark.browser


def plain_map_html(data, **kwargs):
    import folium

    m = folium.Map(location=[32.4, 53.7], zoom_start=5, tiles=None)
    gravemap.SitesLayer(data, **kwargs).add_to(m)
    return m.get_root().render()


def test_sites_layer_on_a_plain_folium_map_shows_markers_and_popups(open_map):
    data = synthetic_collection(12)
    opened = open_map(plain_map_html(data))
    page = opened.page
    on_map = page.evaluate(
        """() => document.querySelectorAll('.gm-mk').length
          + [...document.querySelectorAll('.gm-cluster span')]
            .reduce((n, s) => n + Number(s.textContent), 0)"""
    )
    assert on_map == 12
    assert page.locator(".gm-legend").count() == 1
    # Clusters expand and markers open their popups.
    for _ in range(20):
        if page.locator(".gm-mk").count():
            break
        page.locator(".gm-cluster").first.click()
        page.wait_for_timeout(400)
    page.locator(".gm-mk").first.click()
    text = opened.popup_text()
    names = [f["properties"]["name"] for f in data["features"]]
    assert any(name in text for name in names)
    assert "Sources" in text
    # No gravemap page around it: the page's address is left alone.
    assert "#site=" not in page.url
    assert opened.errors == []
    # Leaflet and gravemap's files are inline; only folium's own CDN links remain.
    assert not [u for u in opened.outside_requests if u.endswith(("/leaflet.js", "/leaflet.css"))]


def test_sites_layer_keeps_withheld_sites_and_private_fields_out():
    data = synthetic_collection(3)
    data["features"][0]["properties"]["publish"] = "withheld"
    data["features"][1]["properties"]["private"] = {"contact": "secret-contact@example.org"}
    html = plain_map_html(data)
    assert data["features"][0]["properties"]["name"] not in html
    assert "secret-contact@example.org" not in html
    assert data["features"][2]["properties"]["name"] in html


def test_sites_layer_data_cannot_run_as_a_template_or_script(open_map):
    data = synthetic_collection(1)
    data["features"][0]["properties"]["name"] = "{{ 7*7 }} {% raw %} </script><b>x</b>"
    html = plain_map_html(data)
    block = re.search(r'<script type="application/json" id="[^"]+-sites">(.*?)</script>', html)
    assert json.loads(block.group(1))["sites"][0][5] == data["features"][0]["properties"]["name"]
    opened = open_map(html)
    opened.page.locator(".gm-mk").first.click()
    assert "{{ 7*7 }} {% raw %} </script><b>x</b>" in opened.popup_text()


def test_notebook_like_script_builds_a_map_from_the_data_file(tmp_path):
    from gravemap.store import dumps_collection

    data = tmp_path / "sites.geojson"
    data.write_text(dumps_collection(synthetic_collection(4)), encoding="utf-8")
    script = textwrap.dedent(
        f"""
        import folium, gravemap
        m = folium.Map(location=[32.4, 53.7], zoom_start=5)
        gravemap.SitesLayer({str(data)!r}, lang="fa").add_to(m)
        html = m._repr_html_()
        assert "gravemap.addTo(" in html and "Synthetic site" in html, html[:200]
        print("ok", len(html))
        """
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("ok ")
