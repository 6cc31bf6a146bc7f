"""`gravemap list` and `gravemap show`: read the data as a table, JSON, JSON lines or CSV."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from typing import Any

import click

from gravemap import dates, model
from gravemap.cli.options import SITE_ID, AppState, format_option, pass_state


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
                "--city", help="Only sites in this city (case-insensitive, English or Persian)."
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
    cells = [[str(r[c]) for c in columns] for r in rows]
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


def write_sites(sites: list[model.Site], fmt: str, include_private: bool = False) -> None:
    """Print sites to stdout in one of the read formats; JSON leaves private fields out."""
    if not include_private:
        sites = [s.without_private() for s in sites]
    if fmt == "json":
        features = [s.to_feature() for s in sites]
        click.echo(json.dumps(features, ensure_ascii=False, indent=2, sort_keys=True))
    elif fmt == "jsonl":
        for s in sites:
            click.echo(json.dumps(s.to_feature(), ensure_ascii=False, sort_keys=True))
    elif fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=model.SUMMARY_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(model.summary_row(s) for s in sites)
        click.echo(buffer.getvalue(), nl=False)
    elif not sites:
        click.echo("no sites", err=True)
    else:
        click.echo(render_table([model.summary_row(s) for s in sites], TABLE_COLUMNS))


@click.command("list")
@filter_options
@format_option()
@click.option(
    "--include-private",
    is_flag=True,
    help="With --format json/jsonl: keep the private fields and who added each site "
    "(left out by default, since listings get passed on).",
)
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

    \b
    Examples:
      gravemap list --status bulldozed --status built-upon
      gravemap list --format jsonl | jq .properties.status
      gravemap list --format csv > sites.csv
    """
    from gravemap.store import load_collection

    sites = model.select_sites(load_collection(state.data), statuses, city, province, verification)
    write_sites(sites, fmt, include_private)


@click.command("show")
@click.argument("site_id", metavar="ID", type=SITE_ID)
@format_option(("text", "json"), default="text")
@pass_state
def show_command(state: AppState, site_id: str, fmt: str) -> None:
    """Show everything recorded about site ID, private fields included.

    \b
    Examples:
      gravemap show ir-ahvaz-01
      gravemap show ir-ahvaz-01 --format json | jq .properties.sources
    """
    from gravemap.store import load_collection

    site = load_collection(state.data).get(site_id)
    if fmt == "json":
        click.echo(json.dumps(site.to_feature(), ensure_ascii=False, indent=2, sort_keys=True))
        return
    click.echo(describe(site))


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
