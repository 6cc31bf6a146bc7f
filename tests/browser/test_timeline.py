"""The timeline on the published map: every site's status as of a date, in headless Chromium."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from gravemap import timeline
from gravemap.cli import main
from gravemap.public import published_sha256
from gravemap.render import LABELS, render_map
from gravemap.store import load_file

from conftest import make_collection, make_site

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
DATASET = ROOT / "data" / "sites.geojson"
DOCS = ROOT / "docs"
KHAVARAN = "ir-tehran-01"
AHVAZ = "ir-ahvaz-01"
# The months of the "as of" control, as the page's timeline config lists them.
MONTHS = "JSON.parse(document.getElementById('gm-tl-config').textContent).months"


@pytest.fixture(scope="module")
def dataset_pages() -> dict[str, str]:
    data = load_file(DATASET).data
    sha = published_sha256(data)
    return {
        lang: render_map(data, data_sha256=sha, lang=lang, tiles="none") for lang in ("en", "fa")
    }


def feature(site_id: str) -> dict:
    """The site as the data file holds it (for the library's answer to compare with)."""
    return next(f for f in load_file(DATASET).data["features"] if f["id"] == site_id)


def test_every_site_as_of_every_date_is_the_librarys_answer(open_map, dataset_pages):
    """One rule: the page's status and erasure mark as of a date are timeline's."""
    opened = open_map(dataset_pages["en"])
    features = load_file(DATASET).data["features"]
    for when in ("1995", "2005", "2009", "2009-01", "2009-01-05", "2010", "2018-07", "2023", None):
        opened.page.evaluate("d => gravemap.setAsOf(d)", when)
        page_view = opened.page.evaluate(
            """() => [...Array(gravemap.sites.total).keys()].map(i => [gravemap.sites.id(i),
                 gravemap.sites.statusOf(i), (gravemap.sites.erasureAt(i, gravemap.getAsOf(),
                 ["bulldozed", "paved-over", "built-upon"]) || [0, 0, null])[2]])"""
        )
        expected = []
        for f in features:
            if f["properties"].get("publish") == "withheld":
                continue
            status = f["properties"]["status"] if when is None else timeline.status_as_of(f, when)
            erased = timeline.erasure(f, when)
            expected.append(
                [f["id"], status or "not-yet-reported", erased.status if erased else None]
            )
        assert page_view == expected, when


def status_of(opened, site_id: str) -> str:
    return opened.page.evaluate("id => gravemap.statusOf(id)", site_id)


def list_entry(opened, site_id: str) -> str:
    return opened.page.inner_text(f'#gm-list li[data-site-id="{site_id}"]')


def test_asof_2010_shows_khavaran_bulldozed(open_map, dataset_pages):
    opened = open_map(dataset_pages["en"], "#asof=2010")
    assert status_of(opened, KHAVARAN) == "bulldozed"
    assert list_entry(opened, KHAVARAN).endswith(" · Bulldozed 2009")
    assert opened.page.input_value("#gm-tl-range") == str(
        opened.page.evaluate(MONTHS + ".findIndex(m => m[0] === '2010-12')")
    )
    assert opened.page.inner_text("#gm-tl-output") == "2010 (1388–1389 SH)"
    assert opened.errors == []


def test_asof_2023_shows_khavaran_at_risk_and_still_bulldozed_in_2009(open_map, dataset_pages):
    opened = open_map(dataset_pages["en"], "#asof=2023")
    assert status_of(opened, KHAVARAN) == "at-risk"
    assert "At risk · bulldozed 2009" in list_entry(opened, KHAVARAN)


def test_asof_2005_shows_ahvaz_not_yet_built_upon(open_map, dataset_pages):
    opened = open_map(dataset_pages["en"], f"#site={AHVAZ}&asof=2005")
    assert status_of(opened, AHVAZ) == "not-yet-reported"
    entry = list_entry(opened, AHVAZ)
    assert "Not yet reported" in entry and "uilt upon" not in entry
    swatch = opened.page.get_attribute(f'#gm-list li[data-site-id="{AHVAZ}"] .gm-sw', "class")
    assert "gm-not-yet" in swatch and "gm-erased" not in swatch
    popup = opened.popup_text()
    assert "Not yet reported (As of 2005 (1383–1384 SH))" in popup
    assert "Built upon 2018" not in popup
    # The history stays whole: what is reported later is still there to read.
    assert "20 July 2018 (29 Tir 1397 SH) — Built upon — Amnesty International" in popup


def test_khavaran_says_bulldozed_with_no_fragment(open_map, dataset_pages):
    opened = open_map(dataset_pages["en"])
    assert opened.page.evaluate("location.hash") == ""
    assert status_of(opened, KHAVARAN) == "at-risk"
    assert "At risk · bulldozed 2009" in list_entry(opened, KHAVARAN)
    swatch = opened.page.get_attribute(f'#gm-list li[data-site-id="{KHAVARAN}"] .gm-sw', "class")
    assert "gm-erased" in swatch and "gm-st-at-risk" in swatch
    assert opened.page.inner_text("#gm-tl-output") == "the latest reports"
    legend = opened.page.inner_text(".gm-legend")
    assert "Dark ring: reported bulldozed, paved over or built upon" in legend
    assert "Hollow grey: nothing reported yet by the chosen date" in legend


def test_popup_history_names_each_publisher_and_the_erasure(open_map, dataset_pages):
    opened = open_map(dataset_pages["en"], f"#site={KHAVARAN}")
    popup = opened.popup_text()
    assert "January 2009 (Dey–Bahman 1387 SH) — Bulldozed — Amnesty International" in popup
    assert "Reported bulldozed: January 2009 (Dey–Bahman 1387 SH)" in popup
    assert opened.page.locator(".gm-pop .gm-erasure .gm-sw.gm-erased").count() == 1


def test_the_slider_moves_with_the_keyboard_and_replaces_the_fragment(open_map, dataset_pages):
    opened = open_map(dataset_pages["en"], f"#site={KHAVARAN}")
    page = opened.page
    months = page.evaluate(MONTHS + ".map(m => m[0])")
    history_length = page.evaluate("history.length")
    page.focus("#gm-tl-range")
    page.keyboard.press("Home")
    page.wait_for_function("() => location.hash.includes('asof=')")
    assert page.evaluate("location.hash") == f"#site={KHAVARAN}&asof={months[0]}"
    page.keyboard.press("ArrowRight")
    page.keyboard.press("PageUp")
    page.wait_for_function(f"() => location.hash.endsWith('asof={months[13]}')")
    assert page.evaluate("gravemap.getAsOf()") == months[13]
    assert page.get_attribute("#gm-tl-range", "aria-valuetext") == page.inner_text("#gm-tl-output")
    # To January 2009: Khavaran bulldozed, its open popup too.
    target = months.index("2009-01")
    for _ in range(target - 13):
        page.keyboard.press("ArrowRight")
    page.wait_for_function("() => location.hash.endsWith('asof=2009-01')")
    assert status_of(opened, KHAVARAN) == "bulldozed"
    assert "Bulldozed (As of January 2009" in opened.popup_text()
    page.keyboard.press("End")
    page.wait_for_function("() => !location.hash.includes('asof')")
    assert page.evaluate("location.hash") == f"#site={KHAVARAN}"
    assert page.evaluate("history.length") == history_length  # replaced, never pushed
    assert opened.errors == []


def test_play_steps_through_time_and_pauses(open_map, dataset_pages):
    opened = open_map(dataset_pages["en"], "#asof=2003")
    page = opened.page
    start = int(page.input_value("#gm-tl-range"))
    page.click("#gm-tl-play")
    assert page.get_attribute("#gm-tl-play", "aria-pressed") == "true"
    page.wait_for_function(f"() => Number(document.querySelector('#gm-tl-range').value) > {start}")
    page.click("#gm-tl-play")
    assert page.get_attribute("#gm-tl-play", "aria-pressed") == "false"
    assert page.inner_text("#gm-tl-play") == "Play"
    stopped = page.input_value("#gm-tl-range")
    page.wait_for_timeout(300)
    assert page.input_value("#gm-tl-range") == stopped


def test_the_charts_years_are_the_commands_years(open_map, dataset_pages):
    result = CliRunner().invoke(main, ["--data", str(DATASET), "timeline", "--format", "json"])
    rows = json.loads(result.stdout)["years"]
    opened = open_map(dataset_pages["en"])
    page = opened.page
    bars = page.eval_on_selector_all(
        "#gm-timeline .gm-tl-year",
        "as => as.flatMap(a => [...a.querySelectorAll('.gm-tl-bar')].map("
        "b => [Number(a.dataset.year), b.dataset.status]))",
    )
    assert sorted(bars) == sorted([row["year"], row["status"]] for row in rows)
    table = page.eval_on_selector_all(
        ".gm-tl-table tbody tr",
        "trs => trs.map(tr => [Number(tr.dataset.year), ...[...tr.cells].slice(2).map("
        "c => Number(c.textContent))])",
    )
    assert table == [[row["year"], row["entries"], row["sites"]] for row in rows]
    # Clicking a year shows every site as of that year; an open site stays open.
    page.evaluate(f"gravemap.openSite('{KHAVARAN}')")
    page.click('#gm-timeline .gm-tl-year[data-year="2009"]')
    page.wait_for_function("() => location.hash.endsWith('asof=2009')")
    assert page.evaluate("location.hash") == f"#site={KHAVARAN}&asof=2009"
    assert status_of(opened, KHAVARAN) == timeline.status_as_of(feature(KHAVARAN), "2009")
    assert "gm-tl-current" in page.get_attribute('.gm-tl-year[data-year="2009"]', "class")
    assert page.get_attribute('.gm-tl-year[data-year="2009"]', "aria-pressed") == "true"
    # A year is a button for the keyboard too.
    page.focus('#gm-timeline .gm-tl-year[data-year="2018"]')
    page.keyboard.press("Enter")
    page.wait_for_function("() => location.hash.endsWith('asof=2018')")
    assert status_of(opened, AHVAZ) == timeline.status_as_of(feature(AHVAZ), "2018")
    assert page.get_attribute('.gm-tl-year[data-year="2009"]', "aria-pressed") == "false"


def test_persian_control_is_labelled_in_both_calendars(open_map, dataset_pages):
    opened = open_map(dataset_pages["fa"], "#asof=2018-07")
    page = opened.page
    assert page.inner_text("#gm-tl-output") == "تیر–مرداد ۱۳۹۷ (ژوئیه ۲۰۱۸)"
    assert page.get_attribute("#gm-tl-range", "aria-valuetext") == "تیر–مرداد ۱۳۹۷ (ژوئیه ۲۰۱۸)"
    assert page.inner_text("label[for=gm-tl-range]") == "وضعیت هر مکان در تاریخ"
    # Ahvaz as of July 2018: its latest entry known by then, and the year it was first erased.
    shown = timeline.status_as_of(feature(AHVAZ), "2018-07")
    assert status_of(opened, AHVAZ) == shown
    erased = timeline.erasure(feature(AHVAZ), "2018-07")
    names = LABELS["fa"]["status_names"]
    mark = " ۲۰۱۸" if erased.status == shown else f" · {names[erased.status]} ۲۰۱۸"
    assert list_entry(opened, AHVAZ).endswith(names[shown] + mark)
    assert opened.errors == []


def test_undated_entries_are_marked_undated_and_never_decide_a_date(open_map):
    site = make_site(
        "ir-testville-01",
        status="bulldozed",
        status_history=[
            {"status": "paved-over", "undated": True, "sources": ["s2"]},
            {"status": "bulldozed", "date": "2009-03-21/2010-03-20", "sources": ["s1"]},
        ],
    )
    page_html = render_map(make_collection(site), data_sha256="0" * 64, tiles="none")
    opened = open_map(page_html, "#site=ir-testville-01&asof=2009")
    popup = opened.popup_text()
    assert "undated — Paved over — Other Example" in popup
    assert "1388 SH (21 March 2009–20 March 2010) — Bulldozed — Example Org" in popup
    # 1388 SH is not over by the end of 2009: nothing is known to have happened by then.
    assert status_of(opened, "ir-testville-01") == "not-yet-reported"
    opened.page.evaluate("gravemap.setAsOf('2010')")
    assert status_of(opened, "ir-testville-01") == "bulldozed"
    assert "Bulldozed 2009–2010" in list_entry(opened, "ir-testville-01")
    opened.page.evaluate("gravemap.setAsOf(null)")
    assert "Bulldozed 2009–2010" in list_entry(opened, "ir-testville-01")
    assert opened.page.locator(".gm-undated").count() == 1


def test_screenshots_of_the_slider_at_two_dates(open_map, dataset_pages):
    DOCS.mkdir(exist_ok=True)
    for asof in ("2009-01", "2023"):
        opened = open_map(dataset_pages["en"], f"#site={KHAVARAN}&asof={asof}")
        opened.popup_text()
        opened.page.screenshot(path=str(DOCS / f"timeline-{asof}.png"))
        assert (DOCS / f"timeline-{asof}.png").stat().st_size > 10_000
