"""`gravemap list` and `gravemap show`: read the data as a table, JSON, JSON lines or CSV."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from collections.abc import Callable
from typing import Any

import click

from gravemap import dates, model
from gravemap.cli.options import SITE_ID, AppState, format_option, pass_state
from gravemap.text import escape_controls, escape_controls_in_json


def filter_options(f):
    """--status/--city/--province/--verification filters, shared by list and export."""
    for opt in reversed(
        [
            click.option(
                "--status",
                "statuses",
                multiple=True,
                type=click.Choice(model.STATUSES),
                help="Only sites whose current status is this (repeat for several).",
            ),
            click.option(
                "--city",
                help="Only sites in this city, in any spelling the geocoder knows, English or "
                "Persian (--city Ahwaz finds Ahvaz, --city اهواز too). Default: every city.",
            ),
            click.option("--province", help="Only sites in this province (case-insensitive)."),
            click.option(
                "--verification",
                type=click.Choice(model.VERIFICATIONS),
                help="Only sites with this verification level.",
            ),
        ]
    ):
        f = opt(f)
    return f


def _width(text: str) -> int:
    return sum(
        0
        if unicodedata.combining(ch) or unicodedata.category(ch) == "Cf"
        else 2
        if unicodedata.east_asian_width(ch) in "WF"
        else 1
        for ch in text
    )


def render_table(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> str:
    """Rows as aligned text, one line each: a line break or control in a cell (a multi-line
    note) is written as an escape, so no cell can start a line of its own."""
    cells = [[escape_controls(str(r[c])) for c in columns] for r in rows]
    widths = [max([_width(c)] + [_width(row[i]) for row in cells]) for i, c in enumerate(columns)]

    def line(values: list[str]) -> str:
        padded = (v + " " * (w - _width(v)) for v, w in zip(values, widths, strict=True))
        return "  ".join(padded).rstrip()

    return "\n".join(
        [line(list(columns)), line(["-" * w for w in widths])] + [line(row) for row in cells]
    )


TABLE_COLUMNS = (
    "id",
    "status",
    "status_date",
    "verification",
    "precision",
    "city",
    "province",
    "name",
)


def write_sites(sites: list[model.Site], fmt: str) -> None:
    """Print sites (already through the public view, unless asked) in one of the read formats."""
    if fmt == "json":
        features = [s.to_feature() for s in sites]
        click.echo(_json(features, indent=2))
    elif fmt == "jsonl":
        if sites:  # one write: click flushes after every echo
            click.echo("\n".join(_json(s.to_feature()) for s in sites))
    elif fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=model.SUMMARY_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(spreadsheet_row(model.summary_row(s)) for s in sites)
        click.echo(buffer.getvalue(), nl=False)
    elif not sites:
        click.echo("no sites", err=True)
    else:
        table = render_table([model.summary_row(s) for s in sites], TABLE_COLUMNS)
        click.echo(escape_controls(table, keep_newlines=True))


def _json(obj: Any, indent: int | None = None) -> str:
    """Data as JSON for stdout; terminal controls in it are JSON escapes, never raw."""
    text = json.dumps(obj, ensure_ascii=False, indent=indent, sort_keys=True)
    return escape_controls_in_json(text)


def spreadsheet_row(row: dict[str, Any]) -> dict[str, Any]:
    """A CSV row whose text cells a spreadsheet shows as text, never runs as a formula
    (the export's rule: `exchange.defuse_formula`)."""
    from gravemap.exchange import defuse_formula

    return {key: defuse_formula(value) for key, value in row.items()}


def load_listed(
    path: Any, include_private: bool, keep: Callable[[dict[str, Any]], bool] | None = None
) -> list[model.Site]:
    """The data file's sites as listings show them (`public.listed_sites`)."""
    from gravemap.public import listed_sites
    from gravemap.store import load_file

    return listed_sites(load_file(path).data, include_private=include_private, keep=keep)


def load_listed_site(path: Any, site_id: str, include_private: bool) -> model.Site:
    """One site as listings show it (`load_listed`); a withheld site only with include_private,
    and otherwise a message saying how to see it."""

    def wanted(feature: dict[str, Any]) -> bool:
        return feature.get("id") == site_id

    sites = model.SiteCollection(load_listed(path, include_private, wanted))
    try:
        return sites.get(site_id)
    except LookupError:
        if include_private or not load_listed(path, True, wanted):
            raise
        raise click.ClickException(
            f"site {site_id!r} is marked publish: withheld and left out of default output; "
            "add --include-private to show it"
        ) from None


INCLUDE_PRIVATE_HELP = (
    "Show everything stored: private fields, who added each site, withheld sites and the "
    "recorded points of publish: city sites. Default: what a published map shows, since "
    "listings get passed on."
)


@click.command("list")
@filter_options
@format_option()
@click.option("--include-private", is_flag=True, help=INCLUDE_PRIVATE_HELP)
@pass_state
def list_command(
    state: AppState,
    fmt: str,
    statuses: tuple[str, ...],
    city: str | None,
    province: str | None,
    verification: str | None,
    include_private: bool,
) -> None:
    """List sites: one line each, or every field as JSON / JSON lines / CSV.

    By default a listing shows what a published map shows: withheld sites are left out, sites
    marked publish: city are at their city's centre, private fields are dropped; CSV cells a
    spreadsheet would run as formulas get a leading apostrophe.

    \b
    Examples:
      gravemap list --status bulldozed --status built-upon
      gravemap list --format jsonl | jq .properties.status
      gravemap list --format csv > sites.csv
      gravemap list --include-private --format json
    """
    keep = model.site_filter(statuses, city, province, verification)
    write_sites(load_listed(state.data, include_private, keep), fmt)


@click.command("show")
@click.argument("site_id", metavar="ID", type=SITE_ID)
@format_option(("text", "json"), default="text")
@click.option("--include-private", is_flag=True, help=INCLUDE_PRIVATE_HELP)
@pass_state
def show_command(state: AppState, site_id: str, fmt: str, include_private: bool) -> None:
    """Show what is recorded about site ID, with its sources.

    By default the site as a published map shows it (no private fields; a publish: city site
    at its city's centre; a withheld site not at all); --include-private shows everything.

    \b
    Examples:
      gravemap show ir-ahvaz-01
      gravemap show ir-ahvaz-01 --include-private
      gravemap show ir-ahvaz-01 --format json | jq .properties.sources
    """
    site = load_listed_site(state.data, site_id, include_private)
    if fmt == "json":
        click.echo(_json(site.to_feature(), indent=2))
        return
    click.echo(escape_controls(describe(site), keep_newlines=True))


def describe(site: model.Site) -> str:
    """A human-readable account of one site, every claim with its sources."""
    fa = f" ({site.name_fa})" if site.name_fa else ""
    place = ", ".join(p for p in (site.city, site.province, site.country) if p)
    loc = site.location
    lines = [
        f"{site.id}: {site.name}{fa}",
        f"  place:        {place}",
        f"  location:     {site.lat}, {site.lon} (precision {loc.precision}, by {loc.method}"
        f", query {loc.query!r}" + (f", GeoNames {loc.geonameid}" if loc.geonameid else "") + ")",
    ]
    if loc.note:
        lines.append(f"  where:        {loc.note}")
    lines += [
        f"  status:       {site.status}",
        f"  verification: {site.verification}",
        f"  publish:      {site.publish}",
        "  history:",
    ]
    for change in site.status_history:
        note = f": {change.note}" if change.note else ""
        when = dates.format_date(change.date, change.date_text)
        lines.append(f"    {when}  {change.status}{note}  [{', '.join(change.sources)}]")
    if site.victims:
        v = site.victims
        count = v.count_text()
        lines.append(
            f"  victims:      {count} [{', '.join(v.sources)}]" + (f" {v.note}" if v.note else "")
        )
    lines.append("  sources:")
    for s in site.sources:
        date = f", {dates.format_date(s.date, s.date_text)}" if s.date else ""
        lines.append(f"    {s.id}  {s.publisher}{date}: {s.title}")
        lines.append(f"        {s.url}")
        if s.archived_url:
            lines.append(f"        archived: {s.archived_url}")
        if s.quote:
            lines.append(f"        \u201c{s.quote}\u201d")
    if site.notes:
        lines.append(f"  notes:        {site.notes}")
    if site.private:
        lines.append(f"  private:      {json.dumps(site.private, ensure_ascii=False)}")
    lines.append(
        f"  added:        {site.added.at}" + (f" by {site.added.by}" if site.added.by else "")
    )
    return "\n".join(lines)


COMMANDS = [list_command, show_command]
