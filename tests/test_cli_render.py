"""`gravemap render`: the data file in, one self-contained HTML map out."""

from __future__ import annotations

import hashlib
import json
import re

import pytest

from gravemap.cli import main
from gravemap.store import dumps_collection

from conftest import make_collection, make_site


def write(tmp_path, *features):
    path = tmp_path / "sites.geojson"
    path.write_text(dumps_collection(make_collection(*features)), encoding="utf-8")
    return path


def test_render_writes_the_map_with_the_published_data_hash(runner, tmp_path):
    data = write(tmp_path, make_site())
    out = tmp_path / "maps" / "index.html"
    result = runner.invoke(main, ["--data", str(data), "render", "-o", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "Synthetic test site" in page
    assert result.stderr == f"wrote {out}: 1 site\n"
    exported = tmp_path / "export.geojson"
    assert (
        runner.invoke(
            main, ["--data", str(data), "export", "--format", "geojson", "-o", str(exported)]
        ).exit_code
        == 0
    )
    published = hashlib.sha256(exported.read_bytes()).hexdigest()
    assert f'<code id="gm-sha" dir="ltr">{published}</code>' in page


def city_level_site(**props):
    """A publish: city site at a synthetic recorded point, linked to Ahvaz in the gazetteer."""
    site = make_site(
        "ir-ahvaz-01",
        publish="city",
        city="Ahvaz",
        location={"precision": "site", "method": "manual", "query": "x", "geonameid": 144448},
        private={"contact": "PRIVATE-SENTINEL-0c7e"},
        **props,
    )
    site["geometry"]["coordinates"] = [48.712345, 31.354321]
    return site


def test_the_map_hash_covers_only_the_published_data_not_the_true_point(runner, tmp_path):
    """Finding 3: the hash of the data file let a city site's true point be brute-forced."""
    data = write(tmp_path, city_level_site())
    out = tmp_path / "index.html"
    assert runner.invoke(main, ["--data", str(data), "render", "-o", str(out)]).exit_code == 0
    page = out.read_text(encoding="utf-8")
    assert hashlib.sha256(data.read_bytes()).hexdigest() not in page
    moved = city_level_site()
    moved["geometry"]["coordinates"] = [48.70001, 31.30002]
    moved["properties"]["private"] = {"contact": "someone else"}
    (tmp_path / "other").mkdir()
    other = write(tmp_path / "other", moved)
    out2 = tmp_path / "index2.html"
    assert runner.invoke(main, ["--data", str(other), "render", "-o", str(out2)]).exit_code == 0
    assert out2.read_text(encoding="utf-8") == page  # nothing unpublished changes the page


def test_render_include_withheld_uses_the_export_location_rule_and_marks_the_page_internal(
    runner, tmp_path
):
    """Finding 4: withheld sites were shown at their precise point on a public-looking page."""
    hidden = make_site("ir-ahvaz-02", name="Hidden site", publish="withheld", city="Ahvaz")
    hidden["properties"]["location"] = {
        "precision": "exact",
        "method": "manual",
        "query": "x",
        "geonameid": 144448,
        "note": "NOTE-SENTINEL behind the wall",
    }
    hidden["geometry"]["coordinates"] = [48.712345, 31.354321]
    data = write(tmp_path, make_site(), hidden)
    out = tmp_path / "index.html"
    result = runner.invoke(
        main, ["--data", str(data), "render", "-o", str(out), "--include-withheld"]
    )
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "Hidden site" in page
    # The basemap block holds Natural Earth's own numbers (Khuzestan's label point is 31.35).
    basemap = re.search(r'<script type="application/json" id="[^"]+-basemap">.*?</script>', page)
    sites_only = page.replace(basemap.group(), "")
    for leak in ("48.712", "31.354", "48.71", "31.35", "NOTE-SENTINEL"):
        assert leak not in sites_only
    assert "<title>INTERNAL, do not publish: " in page
    assert '<p id="gm-internal" role="alert">Internal review copy' in page
    assert "INTERNAL page" in result.stderr
    public = runner.invoke(main, ["--data", str(data), "render", "-o", str(out)])
    assert public.exit_code == 0
    page = out.read_text(encoding="utf-8")
    assert "gm-internal" not in page and "INTERNAL" not in page


def test_render_include_withheld_refuses_a_withheld_site_linked_to_no_place(runner, tmp_path):
    data = write(tmp_path, make_site("ir-synthetic-02", publish="withheld"))
    out = tmp_path / "index.html"
    result = runner.invoke(
        main, ["--data", str(data), "render", "-o", str(out), "--include-withheld"]
    )
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ir-synthetic-02: is withheld")
    assert "--geonameid" in result.stderr and not out.exists()


def test_render_refuses_to_overwrite_the_data_file(runner, tmp_path):
    """Finding 15: `render -o DATAFILE` replaced the data with HTML."""
    data = write(tmp_path, make_site())
    before = data.read_bytes()
    link = tmp_path / "link.geojson"
    link.symlink_to(data)
    for target in (data, link):
        result = runner.invoke(main, ["--data", str(data), "render", "-o", str(target)])
        assert result.exit_code == 2
        assert "is the data file itself" in result.stderr
        assert data.read_bytes() == before


def test_render_into_a_read_only_folder_is_one_line_and_keeps_the_old_map(
    runner, tmp_path, monkeypatch
):
    import errno
    import os
    import tempfile

    data = write(tmp_path, make_site())
    folder = tmp_path / "maps"
    folder.mkdir()
    out = folder / "index.html"
    out.write_text("OLD MAP", encoding="utf-8")
    folder.chmod(0o555)
    try:
        if os.access(folder, os.W_OK):  # root writes anyway: refuse as the OS would for others

            def refused(*args, **kwargs):
                raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

            monkeypatch.setattr(tempfile, "mkstemp", refused)
        result = runner.invoke(main, ["--data", str(data), "render", "-o", str(out)])
    finally:
        monkeypatch.undo()
        folder.chmod(0o755)
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {out}: cannot be written (Permission denied); the old file, if any, is kept\n"
    )
    assert out.read_text(encoding="utf-8") == "OLD MAP"


def test_render_to_a_full_disk_is_one_line_and_keeps_the_old_map(runner, tmp_path, monkeypatch):
    import errno
    import os

    data = write(tmp_path, make_site())
    out = tmp_path / "index.html"
    out.write_text("OLD MAP", encoding="utf-8")

    def full(fd):  # a full disk shows at the latest when the written data is flushed
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    with monkeypatch.context() as patched:
        patched.setattr(os, "fsync", full)
        result = runner.invoke(main, ["--data", str(data), "render", "-o", str(out)])
    assert result.exit_code == 1, result.output
    assert result.stderr == f"Error: {out}: cannot be written (No space left on device); " + (
        "the old file, if any, is kept\n"
    )
    assert out.read_text(encoding="utf-8") == "OLD MAP"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_render_twice_gives_identical_files(runner, tmp_path):
    data = write(tmp_path, make_site(), make_site("ir-synthetic-02", name="Two"))
    outs = [tmp_path / "a.html", tmp_path / "b.html"]
    for out in outs:
        assert runner.invoke(main, ["--data", str(data), "render", "-o", str(out)]).exit_code == 0
    assert outs[0].read_bytes() == outs[1].read_bytes()


def test_render_to_stdout_writes_the_bytes_it_writes_to_a_file(runner, tmp_path):
    # The page is written in parts (its data blocks are never joined into one string).
    from gravemap.render import render_map

    sites = [make_site(f"ir-synthetic-{n:02d}", name=f"Site {n} & <b>") for n in range(3)]
    data = write(tmp_path, *sites)
    out = tmp_path / "map.html"
    assert runner.invoke(main, ["--data", str(data), "render", "-o", str(out)]).exit_code == 0
    result = runner.invoke(main, ["--data", str(data), "render", "-o", "-"])
    assert result.exit_code == 0
    assert result.stdout_bytes == out.read_bytes()
    assert out.read_text(encoding="utf-8") == render_map(json.loads(data.read_text()))


def test_render_reads_the_data_path_from_the_environment(runner, tmp_path):
    data = write(tmp_path, make_site())
    result = runner.invoke(
        main, ["render", "-o", "-", "--tiles", "none"], env={"GRAVEMAP_DATA": str(data)}
    )
    assert result.exit_code == 0
    assert result.stdout.startswith("<!DOCTYPE html>")
    assert "tile.openstreetmap.org" not in result.stdout


def test_render_persian_and_title(runner, tmp_path):
    data = write(tmp_path, make_site())
    result = runner.invoke(
        main,
        ["--data", str(data), "render", "-o", "-", "--lang", "fa", "--title", "<b>Test</b> map"],
    )
    assert result.exit_code == 0
    assert '<html lang="fa" dir="rtl">' in result.stdout
    assert "<title>&lt;b&gt;Test&lt;/b&gt; map</title>" in result.stdout


def test_render_leaves_out_withheld_sites_and_says_so(runner, tmp_path):
    hidden = make_site("ir-synthetic-02", name="Hidden site", publish="withheld")
    hidden["properties"]["location"]["geonameid"] = 144448  # Ahvaz in the offline gazetteer
    data = write(tmp_path, make_site(), hidden)
    out = tmp_path / "index.html"
    result = runner.invoke(main, ["--data", str(data), "render", "-o", str(out)])
    assert result.exit_code == 0
    assert "Hidden site" not in out.read_text(encoding="utf-8")
    assert result.stderr == f"wrote {out}: 1 site, 1 withheld\n"
    result = runner.invoke(
        main, ["--data", str(data), "render", "-o", str(out), "--include-withheld"]
    )
    assert "Hidden site" in out.read_text(encoding="utf-8")


def test_render_refuses_a_bad_tiles_value(runner, tmp_path):
    data = write(tmp_path, make_site())
    result = runner.invoke(main, ["--data", str(data), "render", "--tiles", "javascript:x"])
    assert result.exit_code == 2
    assert "--tiles" in result.stderr and "osm, none or an http" in result.stderr


def test_render_publish_city_without_a_centre_is_an_error_naming_the_site(runner, tmp_path):
    site = make_site(publish="city", city="Nowhere-Synthetic-Town")
    site["properties"]["location"]["precision"] = "exact"
    data = write(tmp_path, site)
    out = tmp_path / "index.html"
    result = runner.invoke(main, ["--data", str(data), "render", "-o", str(out)])
    assert result.exit_code == 1
    assert "ir-synthetic-01" in result.stderr and "city centre is unknown" in result.stderr
    assert "--geonameid" in result.stderr and result.stderr.count("\n") == 1
    assert not out.exists()


def test_render_missing_data_file_is_a_one_line_error(runner, tmp_path):
    result = runner.invoke(main, ["--data", str(tmp_path / "none.geojson"), "render"])
    assert result.exit_code == 1
    assert "does not exist" in result.stderr


def test_render_help_documents_every_option(runner):
    result = runner.invoke(main, ["render", "--help"])
    assert result.exit_code == 0
    for option in ("--output", "--title", "--lang", "--tiles", "--include-withheld"):
        assert option in result.output
    json.dumps(result.output)


# --- gravemap verify ----------------------------------------------------------------------------


def test_verify_says_a_map_matches_its_data_file_and_its_default_export(runner, tmp_path):
    withheld = make_site("ir-testville-05", publish="withheld", private={"k": "PRIVATE"})
    data = write(tmp_path, make_site(), city_level_site(), withheld)
    page = tmp_path / "index.html"
    exported = tmp_path / "published.geojson"
    assert runner.invoke(main, ["--data", str(data), "render", "-o", str(page)]).exit_code == 0
    assert runner.invoke(main, ["--data", str(data), "export", "-o", str(exported)]).exit_code == 0
    published = hashlib.sha256(exported.read_bytes()).hexdigest()
    assert f'id="gm-sha" dir="ltr">{published}<' in page.read_text(encoding="utf-8")
    for args in ([str(page)], [str(page), str(exported)], [str(page), str(data)]):
        result = runner.invoke(main, ["--data", str(data), "verify", *args])
        assert result.exit_code == 0, result.output
        assert result.stdout.startswith(f"{page} matches ")


def test_verify_refuses_a_map_of_other_data_with_one_line(runner, tmp_path):
    data = write(tmp_path, make_site())
    page = tmp_path / "index.html"
    assert runner.invoke(main, ["--data", str(data), "render", "-o", str(page)]).exit_code == 0
    changed = make_site(notes="a published note that changed")
    other = tmp_path / "other.geojson"
    other.write_text(dumps_collection(make_collection(changed)), encoding="utf-8")
    result = runner.invoke(main, ["--data", str(data), "verify", str(page), str(other)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {page} does not match {other}: the map shows ")
    assert result.stderr.count("\n") == 1
    not_a_map = tmp_path / "note.html"
    not_a_map.write_text("<p>hello</p>", encoding="utf-8")
    result = runner.invoke(main, ["--data", str(data), "verify", str(not_a_map)])
    assert result.exit_code == 1 and "shows no gravemap data hash" in result.stderr


def test_verify_knows_an_internal_map_from_its_data_file(runner, tmp_path):
    hidden = make_site("ir-ahvaz-02", publish="withheld", city="Ahvaz")
    hidden["properties"]["location"]["geonameid"] = 144448
    data = write(tmp_path, make_site(), hidden)
    page = tmp_path / "internal.html"
    args = ["--data", str(data), "render", "-o", str(page), "--include-withheld"]
    assert runner.invoke(main, args).exit_code == 0
    assert runner.invoke(main, ["--data", str(data), "verify", str(page)]).exit_code == 0


# --- finding 2: a tile template is data, never a Jinja2 template --------------------------------


@pytest.mark.parametrize(
    "tiles",
    [
        "https://tiles.example.org/{z}/{x}/{y}.png?a={{7+7}}",
        "https://tiles.example.org/{z}/{x}/{y}.png?{{config}}",
        "https://tiles.example.org/{z}/{x}/{y}.png?a={%raw%}",
        "https://tiles.example.org/{z}/{x}/{y}.png?{%if(1)%}x{%endif%}",
        "https://tiles.example.org/{z}/{x}/{y}.png?{#comment#}",
        "https://tiles.example.org/{z}/{x}/{y}}.png",
        "https://tiles.example.org/{z}/{x}/{y}.png?{",
        "https://tiles.example.org/{z}/{x}/{y}.png?k={apikey}",
        "https://tiles.example.org/{z}/{x}/{{y}}.png",
    ],
)
def test_render_refuses_any_brace_that_is_not_a_tile_placeholder(runner, tmp_path, tiles):
    data = write(tmp_path, make_site())
    out = tmp_path / "index.html"
    result = runner.invoke(main, ["--data", str(data), "render", "-o", str(out), "--tiles", tiles])
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr and "14" not in result.stderr
    assert result.stderr.splitlines()[-1].startswith("Error: Invalid value for '--tiles': '")
    assert "is not a tile placeholder" in result.stderr
    assert not out.exists()


def page_config(page):
    """The SitesLayer's configuration block of a rendered page."""
    found = re.search(
        r'<script type="application/json" id="gravemap_sites-config">(.*?)</script>', page
    )
    return json.loads(found.group(1))


def test_a_tile_template_reaches_the_page_as_json_data_not_template_text(monkeypatch, tmp_path):
    """Even a template that escaped the check could not run: Jinja2 never sees it."""
    from gravemap import render as render_module

    hostile = "https://tiles.example.org/{z}/{x}/{y}.png?a={{7+7}}&b={%raw%}"
    monkeypatch.setattr(
        render_module,
        "tile_source",
        lambda tiles: (hostile, "Map tiles: tiles.example.org", "https://tiles.example.org"),
    )
    page = render_module.render_map(make_collection(make_site()), data_sha256="0" * 64, tiles="osm")
    assert page_config(page)["tiles"]["url"] == hostile
    assert "a=14" not in page and "{{7+7}}" not in page


def test_leaflet_placeholders_are_kept(tmp_path):
    from gravemap.render import render_map

    tiles = "https://{s}.tiles.example.org/{z}/{x}/{y}{r}.png?k=1&q=2"
    page = render_map(make_collection(make_site()), data_sha256="0" * 64, tiles=tiles)
    assert page_config(page)["tiles"]["url"] == tiles
    assert "img-src data: https://*.tiles.example.org" in page
