"""gravemap.GridIndex on its own, in Chromium: no map, no DOM, supercluster's shape."""

from __future__ import annotations

import pytest

from gravemap.render import _asset

pytestmark = pytest.mark.browser


@pytest.fixture
def grid(browser):
    """evaluate(js) in a blank page holding only gravemap-grid.js."""
    context = browser.new_context()
    page = context.new_page()
    page.set_content("<!DOCTYPE html><title>grid</title>")
    page.add_script_tag(content=_asset("gravemap", "gravemap-grid.js"))
    yield page
    context.close()


def test_grid_index_needs_no_leaflet_and_no_dom(grid):
    assert grid.evaluate("() => typeof L") == "undefined"
    source = _asset("gravemap", "gravemap-grid.js")
    for word in ("L.", "document", "Leaflet."):
        assert word not in source.replace("No Leaflet", "").replace("no DOM", "")


def test_every_point_is_in_exactly_one_cluster_at_every_zoom(grid):
    counts = grid.evaluate(
        """() => {
          const pts = [];
          for (let i = 0; i < 500; i++) {
            pts.push([44 + (i * 7919 % 1900) / 100, 25 + (i * 104729 % 1400) / 100]);
          }
          const index = new gravemap.GridIndex({cellSize: 60, maxZoom: 18}).load(pts);
          const out = [];
          for (let z = 0; z <= 18; z++) {
            const seen = new Set();
            let total = 0;
            index.getClusters([-180, -85, 180, 85], z).forEach(c => {
              total += c.count;
              c.members.forEach(m => seen.add(m));
            });
            out.push([total, seen.size]);
          }
          return out;
        }"""
    )
    assert counts == [[500, 500]] * 19


def test_clusters_only_split_when_zooming_in(grid):
    nested = grid.evaluate(
        """() => {
          const pts = [];
          for (let i = 0; i < 300; i++) pts.push([50 + (i % 17) * 0.37, 30 + (i % 13) * 0.41]);
          const index = new gravemap.GridIndex().load(pts);
          for (let z = 0; z < 18; z++) {
            for (const child of index.getClusters([-180, -85, 180, 85], z + 1)) {
              const parent = index.cellOf(child.members[0], z);
              if (!child.members.every(m => parent.members.includes(m))) return false;
            }
          }
          return true;
        }"""
    )
    assert nested is True


def test_bbox_keeps_only_clusters_in_view(grid):
    ids = grid.evaluate(
        """() => {
          const index = new gravemap.GridIndex().load([[51.4, 35.7], [48.7, 31.3], [-3.7, 40.4]]);
          return index.getClusters([44, 25, 64, 40], 10).map(c => c.index).sort();
        }"""
    )
    assert ids == [0, 1]


def test_expansion_zoom_is_where_a_cluster_first_splits(grid):
    result = grid.evaluate(
        """() => {
          const index = new gravemap.GridIndex().load([[51.40, 35.70], [51.41, 35.70]]);
          const cluster = index.getClusters([-180, -85, 180, 85], 3)[0];
          const z = index.getClusterExpansionZoom(cluster.id);
          return {
            count: cluster.count,
            z: z,
            before: index.getClusters([-180, -85, 180, 85], z - 1).length,
            at: index.getClusters([-180, -85, 180, 85], z).length,
            leaves: index.getLeaves(cluster.id),
          };
        }"""
    )
    assert result["count"] == 2 and result["leaves"] == [0, 1]
    assert 3 < result["z"] <= 18
    assert (result["before"], result["at"]) == (1, 2)


def test_points_at_one_position_never_separate(grid):
    result = grid.evaluate(
        """() => {
          const index = new gravemap.GridIndex({maxZoom: 18}).load([[55, 33], [55, 33], [56, 33]]);
          const c = index.cellOf(0, 18);
          return [index.getClusterExpansionZoom(c.id), c.count, index.samePoint(c.members),
                  index.aloneZoom(2), index.aloneZoom(0)];
        }"""
    )
    expansion, count, same, alone_other, alone_shared = result
    assert (expansion, count, same) == (19, 2, True)
    assert alone_other < 18 and alone_shared == alone_other


def test_filter_clusters_only_the_chosen_points(grid):
    result = grid.evaluate(
        """() => {
          const index = new gravemap.GridIndex().load([[51, 35], [51.001, 35], [48, 31]]);
          index.filter([0, 2]);
          const all = index.getClusters([-180, -85, 180, 85], 2);
          return [all.reduce((n, c) => n + c.count, 0), index.includes(1), index.includes(2)];
        }"""
    )
    assert result == [2, False, True]
