"""`gravemap render`: the data file in, one self-contained HTML map out."""

from __future__ import annotations

import hashlib
import json

from gravemap.cli import main
from gravemap.store import dumps_collection

from conftest import make_collection, make_site


def write(tmp_path, *features):
    path = tmp_path / "sites.geojson"
    path.write_text(dumps_collection(make_collection(*features)), encoding="utf-8")
    return path


def test_render_writes_the_map_with_the_data_hash(runner, tmp_path):
    data = write(tmp_path, make_site())
    out = tmp_path / "maps" / "index.html"
    result = runner.invoke(main, ["--data", str(data), "render", "-o", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert hashlib.sha256(data.read_bytes()).hexdigest() in page
    assert "Synthetic test site" in page
    assert result.stderr == f"wrote {out}: 1 site\n"


def test_render_twice_gives_identical_files(runner, tmp_path):
    data = write(tmp_path, make_site(), make_site("ir-synthetic-02", name="Two"))
    outs = [tmp_path / "a.html", tmp_path / "b.html"]
    for out in outs:
        assert runner.invoke(main, ["--data", str(data), "render", "-o", str(out)]).exit_code == 0
    assert outs[0].read_bytes() == outs[1].read_bytes()


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
    data = write(
        tmp_path, make_site(), make_site("ir-synthetic-02", name="Hidden site", publish="withheld")
    )
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
    assert "ir-synthetic-01" in result.stderr and "no known city centre" in result.stderr
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
