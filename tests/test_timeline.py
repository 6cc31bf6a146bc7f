"""gravemap.timeline: entries per year and status, events, status as of a date, erasure, chart."""

from __future__ import annotations

import datetime as _dt
import re
import xml.etree.ElementTree as ET

import pytest

from gravemap import timeline
from gravemap.dates import DateError, parse_date
from gravemap.render import LABELS, STATUS_COLOURS

from conftest import make_collection, make_site

SOURCES = [
    {
        "id": "s1",
        "publisher": "Example Org",
        "title": "Synthetic one",
        "url": "https://example.org/1",
    },
    {
        "id": "s2",
        "publisher": "Other Example",
        "title": "Synthetic two",
        "url": "https://example.net/2",
    },
]


def site(site_id: str, history: list[dict], **props) -> dict:
    return make_site(
        site_id,
        status=history[-1]["status"],
        status_history=history,
        sources=SOURCES,
        verification="corroborated",
        **props,
    )


def entry(status: str, date: str | None = None, sources=("s1",), **extra) -> dict:
    out = {"status": status, "sources": list(sources), **extra}
    if date is None:
        out["undated"] = True
    else:
        out["date"] = date
    return out


# A Solar Hijri year as the data file stores it: 1388 SH = 21 March 2009 to 20 March 2010.
SH_1388 = "2009-03-21/2010-03-20"


def test_solar_hijri_fixture_is_what_dates_stores():
    assert parse_date("1388").value == SH_1388


@pytest.fixture
def testville() -> dict:
    return make_collection(
        site(
            "ir-testville-01",
            [
                entry("intact", "2001"),
                entry("bulldozed", "2009-01", note="synthetic bulldozing"),
                entry("at-risk", "2022-09", sources=("s1", "s2")),
            ],
        ),
        site(
            "ir-testville-02",
            [entry("unknown"), entry("bulldozed", "2009-06-02"), entry("bulldozed", "2009-07")],
            province="Other Test Province",
        ),
        site("ir-testville-03", [entry("built-upon", SH_1388, date_text="1388")]),
    )


def rows(line: timeline.Timeline) -> list[tuple]:
    return [(r.year, r.status, r.entries, r.sites, r.spanning) for r in line.counts]


def test_counts_entries_and_distinct_sites_per_year_and_status(testville):
    line = timeline.build_timeline(testville)
    assert rows(line) == [
        (2001, "intact", 1, 1, 0),
        (2009, "bulldozed", 3, 2, 0),
        (2009, "built-upon", 1, 1, 1),
        (2022, "at-risk", 1, 1, 0),
    ]
    assert line.years == list(range(2001, 2023))


def test_undated_entries_are_counted_apart_and_never_given_a_year(testville):
    line = timeline.build_timeline(testville)
    assert line.undated == {"unknown": 1}
    assert line.undated_sites == 1
    assert all(r.status != "unknown" for r in line.counts)
    assert all(e.status != "unknown" for e in line.events)


def test_solar_hijri_year_counts_once_in_the_year_it_starts_and_is_flagged(testville):
    line = timeline.build_timeline(testville)
    built = [e for e in line.events if e.status == "built-upon"]
    assert [(e.year, e.end_year, e.spans_years, e.date_text) for e in built] == [
        (2009, 2010, True, "1388")
    ]
    assert not any(r.year == 2010 for r in line.counts)


def test_events_are_dated_entries_oldest_first_with_their_publishers(testville):
    events = timeline.build_timeline(testville).events
    assert [(e.site, e.date) for e in events] == [
        ("ir-testville-01", "2001"),
        ("ir-testville-01", "2009-01"),
        ("ir-testville-03", SH_1388),
        ("ir-testville-02", "2009-06-02"),
        ("ir-testville-02", "2009-07"),
        ("ir-testville-01", "2022-09"),
    ]
    assert events[-1].publishers == ("Example Org", "Other Example")
    assert events[1].note == "synthetic bulldozing"
    shown = events[2].to_json()["shown"]
    assert "1388" in shown and "2009" in shown and "2010" in shown


def test_status_and_province_filters(testville):
    line = timeline.build_timeline(testville, statuses=["bulldozed"])
    assert rows(line) == [(2009, "bulldozed", 3, 2, 0)]
    line = timeline.build_timeline(testville, province="  other TEST province ")
    assert rows(line) == [(2009, "bulldozed", 2, 1, 0)]
    assert line.undated == {"unknown": 1}


def test_withheld_sites_are_left_out_unless_private_is_asked(testville):
    testville["features"][0]["properties"]["publish"] = "withheld"
    public = timeline.build_timeline(testville)
    assert {e.site for e in public.events} == {"ir-testville-02", "ir-testville-03"}
    everything = timeline.build_timeline(testville, include_private=True)
    assert "ir-testville-01" in {e.site for e in everything.events}


def test_empty_collection_has_no_years():
    line = timeline.build_timeline(make_collection())
    assert (line.counts, line.events, line.years, line.undated_entries) == ([], [], [], 0)


# ---------------------------------------------------------------------------------------------
# A site over time.


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        ("2000", None),  # nothing reported yet
        ("2001", "intact"),
        ("2008-12-31", "intact"),
        ("2009", "bulldozed"),
        ("2009-01", "bulldozed"),
        ("2010", "bulldozed"),
        ("2022-08", "bulldozed"),
        ("2022-09", "at-risk"),
        ("2023", "at-risk"),
        (_dt.date(2009, 1, 31), "bulldozed"),
        (_dt.date(2009, 1, 30), "intact"),  # January 2009 is not known to be over by the 30th
    ],
)
def test_status_as_of_is_the_last_entry_known_to_be_on_or_before(testville, when, expected):
    assert timeline.status_as_of(testville["features"][0], when) == expected


def test_an_entry_counts_once_its_whole_span_is_past(testville):
    sh_site = testville["features"][2]
    assert timeline.status_as_of(sh_site, "2009") is None  # 1388 SH runs to March 2010
    assert timeline.status_as_of(sh_site, "2010-02") is None
    assert timeline.status_as_of(sh_site, "2010-03-19") is None
    assert timeline.status_as_of(sh_site, "2010-03-20") == "built-upon"
    assert timeline.status_as_of(sh_site, "2010-03") == "built-upon"
    assert timeline.status_as_of(sh_site, "2010") == "built-upon"


def test_undated_entries_never_decide_a_status_as_of_a_date(testville):
    second = testville["features"][1]
    assert timeline.status_as_of(second, "2009-05") is None
    assert timeline.status_as_of(second, "2009-06") == "bulldozed"


def test_status_as_of_accepts_features_properties_and_sites(testville):
    from gravemap.model import Site

    feature = testville["features"][0]
    for form in (feature, feature["properties"], Site.from_feature(feature)):
        assert timeline.status_as_of(form, "2010") == "bulldozed"


def test_status_as_of_refuses_what_is_not_a_date(testville):
    with pytest.raises(DateError):
        timeline.status_as_of(testville["features"][0], "yesterday")


def test_erasure_mark_survives_a_later_status(testville):
    first = testville["features"][0]
    assert timeline.erasure(first) == timeline.Erasure("bulldozed", "2009-01", 2009)
    assert timeline.erasure(first, "2008") is None  # not yet, as of 2008
    assert timeline.erasure(first, "2023") == timeline.Erasure("bulldozed", "2009-01", 2009)


def test_erasure_names_the_first_dated_one_and_an_undated_one_has_no_year():
    both = site("ir-testville-09", [entry("paved-over"), entry("built-upon", "2016-06")])
    assert timeline.erasure(both) == timeline.Erasure("built-upon", "2016-06", 2016)
    only_undated = site("ir-testville-08", [entry("bulldozed")])
    assert timeline.erasure(only_undated) == timeline.Erasure("bulldozed", None, None)
    assert timeline.erasure(only_undated, "2020") is None
    assert timeline.erasure(site("ir-testville-07", [entry("damaged", "2016")])) is None


# ---------------------------------------------------------------------------------------------
# The chart.

SVG = "{http://www.w3.org/2000/svg}"


def chart(line: timeline.Timeline, lang: str = "en") -> str:
    return timeline.chart_svg(
        line, colours=STATUS_COLOURS, names=LABELS[lang]["status_names"], lang=lang
    )


def test_chart_bars_are_the_timeline_numbers(testville):
    line = timeline.build_timeline(testville)
    page = chart(line)
    svg = ET.fromstring(page[: page.index("</svg>") + 6])
    years = svg.findall(f"{SVG}g[@class='gm-tl-year']")
    assert [int(a.get("data-year")) for a in years] == line.years
    heights: dict[tuple[int, str], float] = {}
    for a in years:
        assert (a.get("role"), a.get("tabindex")) == ("button", "0")
        for bar in a.findall(f"{SVG}rect[@class='gm-tl-bar']"):
            heights[(int(a.get("data-year")), bar.get("data-status"))] = float(bar.get("height"))
            assert bar.get("fill") == f"url(#gm-tlp-{bar.get('data-status')})"
    assert set(heights) == {(r.year, r.status) for r in line.counts}
    unit = heights[(2001, "intact")]
    assert {k: round(h / unit, 6) for k, h in heights.items()} == {
        (r.year, r.status): r.entries for r in line.counts
    }


def test_chart_reads_without_colour_and_has_a_text_alternative(testville):
    page = chart(timeline.build_timeline(testville))
    assert '<title id="gm-tl-title">Reported status entries per year</title>' in page
    assert "from 2001 to 2022" in page and "6 dated entries" in page
    patterns = re.findall(r'<pattern id="gm-tlp-([a-z-]+)".*?</pattern>', page)
    assert patterns == ["intact", "at-risk", "bulldozed", "built-upon"]
    textures = re.findall(r"<pattern .*?</pattern>", page)
    assert len(set(re.sub(r'fill="#[0-9A-Fa-f]+"|id="[^"]+"', "", t) for t in textures)) == 4
    table = page[page.index("<table") :]
    cells = re.findall(
        r"<tr data-year=\"(\d+)\"><th[^>]*>\d+</th><td>([^<]+)</td>"
        r"<td>(\d+)</td><td>(\d+)</td>",
        table,
    )
    assert cells == [
        ("2001", "Intact", "1", "1"),
        ("2009", "Bulldozed", "3", "2"),
        ("2009", "Built upon", "1", "1"),
        ("2022", "At risk", "1", "1"),
    ]
    assert "Undated entries, not placed in any year: 1 (at 1 sites)." in page
    assert "runs into 2010" in page
    assert 'aria-label="2009: 4 entries (Bulldozed 3, Built upon 1). Show every' in page
    assert "style=" not in page  # the page's CSP allows no inline style


def test_chart_in_persian_uses_persian_digits(testville):
    page = chart(timeline.build_timeline(testville), lang="fa")
    assert ">۲۰۰۹</th>" in page and "تخریب‌شده با بولدوزر" in page
    assert 'data-year="2009"' in page


def test_chart_escapes_status_names():
    line = timeline.build_timeline(make_collection(site("ir-x-01", [entry("intact", "2001")])))
    page = timeline.chart_svg(line, colours={}, names={"intact": "<b>&"}, lang="en")
    assert "<b>" not in page and "&lt;b&gt;&amp;" in page


def test_chart_of_nothing_says_so():
    assert "No dated status entries" in chart(timeline.build_timeline(make_collection()))


# ---------------------------------------------------------------------------------------------
# On the map.


def render_page(collection: dict, lang: str = "en") -> str:
    from gravemap.render import render_map

    return render_map(collection, data_sha256="0" * 64, lang=lang, tiles="none")


def page_config(page: str) -> dict:
    import json

    block = page.split('<script type="application/json" id="gm-tl-config">', 1)[1]
    return json.loads(block.split("</script>", 1)[0])


def test_map_embeds_the_chart_of_the_same_timeline(testville):
    page = render_page(testville)
    expected = chart(timeline.build_timeline(testville))
    assert expected in page
    assert (
        page.index('<aside id="gm-panel"')
        < page.index('id="gm-timeline"')
        < page.index('<ol id="gm-list"')
    )


def test_map_config_carries_every_month_and_year_in_both_calendars(testville):
    config = page_config(render_page(testville))
    months = config["months"]
    assert months[0] == ["2001-01", "January 2001 (Dey–Bahman 1379 SH)"]
    assert months[-1][0] == "2022-09"  # the end of the last dated entry
    assert len(months) == 21 * 12 + 9
    assert config["years"]["2009"] == "2009 (1387–1388 SH)"
    assert config["erasure"] == ["bulldozed", "paved-over", "built-upon"]
    fa = page_config(render_page(testville, "fa"))
    assert fa["months"][0] == ["2001-01", "دی–بهمن ۱۳۷۹ (ژانویه ۲۰۰۱)"]


def date_table(page: str) -> dict[str, str]:
    """The page's table of dates as shown (the first line of the layer's details block)."""
    import json

    block = re.search(r'<script type="application/json" id="[^"]*-details">([^\n]*)', page)
    return dict(json.loads(block.group(1).replace("\\u0026", "&")))


def test_map_shows_solar_hijri_spans_and_undated_entries_in_the_history(testville):
    shown = date_table(render_page(testville))
    assert shown[SH_1388] == "1388 SH (21 March 2009–20 March 2010)"
    assert shown[""] == "undated"
    assert date_table(render_page(testville, "fa"))[""] == "بدون تاریخ"


def test_counting_without_events_gives_the_same_numbers_and_span(testville):
    full = timeline.build_timeline(testville)
    lean = timeline.build_timeline(testville, events=False)
    assert lean.events == [] and lean.counts == full.counts and lean.undated == full.undated
    assert (lean.first_day, lean.last_day) == (_dt.date(2001, 1, 1), _dt.date(2022, 9, 30))
    assert (full.first_day, full.last_day) == (lean.first_day, lean.last_day)
