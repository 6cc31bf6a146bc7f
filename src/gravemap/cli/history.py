"""`gravemap history`: a site's numbered status entries and sources, as the corrections use them."""

from __future__ import annotations

import json
from typing import Any

import click

from gravemap import dates, model
from gravemap.cli.options import SITE_ID, AppState, format_option, pass_state
from gravemap.cli.read import INCLUDE_PRIVATE_HELP, load_listed_site
from gravemap.text import escape_controls, escape_controls_in_json


def history_record(site: model.Site) -> dict[str, Any]:
    """The numbered history and sources of a site as plain JSON (dates in both calendars)."""
    entries = []
    for number, entry in enumerate(site.status_history, 1):
        item: dict[str, Any] = {"number": number, **entry.to_json()}
        item["date_shown"] = {
            "en": dates.format_date(entry.date, entry.date_text, "en"),
            "fa": dates.format_date(entry.date, entry.date_text, "fa"),
        }
        entries.append(item)
    sources = []
    for source in site.sources:
        item = source.to_json()
        if source.date:
            item["date_shown"] = {
                "en": dates.format_date(source.date, source.date_text, "en"),
                "fa": dates.format_date(source.date, source.date_text, "fa"),
            }
        item["cited_by"] = site.claims_citing(source.id)
        sources.append(item)
    return {
        "id": site.id,
        "name": site.name,
        "status": site.status,
        "status_history": entries,
        "sources": sources,
    }


def _date_line(value: str | None, text: str | None) -> str:
    shown = dates.format_date(value, text, "en")
    if value is not None:
        shown = f"{value}  {shown}"
    if text:
        shown += f"  [as written: {text}]"
    return shown


def history_text(site: model.Site) -> str:
    """The history as a researcher reads it before correcting it."""
    publishers = {s.id: s.publisher for s in site.sources}
    last = len(site.status_history)
    lines = [
        f"{site.id}: {site.name} (status: {site.status})",
        f"status history, oldest first (`gravemap status {site.id} --edit N` or --delete N):",
    ]
    for number, entry in enumerate(site.status_history, 1):
        current = "  <- current status" if number == last else ""
        lines.append(
            f"  {number}. {entry.status}, {_date_line(entry.date, entry.date_text)}{current}"
        )
        cites = ", ".join(f"{c} ({publishers.get(c, '?')})" for c in entry.sources)
        lines.append(f"       sources: {cites}")
        if entry.note:
            lines.append(f"       note: {entry.note}")
    lines.append(f"sources (`gravemap cite {site.id} --edit sN` or --delete sN):")
    for source in site.sources:
        lines.append(f"  {source.id}  {source.publisher}: {source.title}")
        lines.append(f"       url: {source.url}")
        if source.archived_url:
            lines.append(f"       archived: {source.archived_url}")
        lines.append(
            "       date: "
            + (_date_line(source.date, source.date_text) if source.date else "undated")
        )
        if source.quote:
            lines.append(f"       quote: \u201c{source.quote}\u201d")
        claims = site.claims_citing(source.id)
        lines.append("       cited by: " + (", ".join(claims) if claims else "nothing"))
    return "\n".join(lines)


@click.command("history")
@click.argument("site_id", metavar="ID", type=SITE_ID)
@format_option(("table", "json"), default="table")
@click.option("--include-private", is_flag=True, help=INCLUDE_PRIVATE_HELP)
@pass_state
def history_command(state: AppState, site_id: str, fmt: str, include_private: bool) -> None:
    """Show site ID's numbered status entries and sources, dates in both calendars.

    The numbers are the ones `gravemap status ID --edit N` / `--delete N` and
    `gravemap cite ID --edit sN` / `--delete sN` take. Undated entries come first, then the
    dated ones oldest first; the last entry is the site's current status. Like `show`, it
    prints what a published map shows unless --include-private: a withheld site only with it.

    \b
    Examples:
      gravemap history ir-ahvaz-01
      gravemap history ir-ahvaz-01 --format json | jq '.status_history[0]'
      gravemap history ir-ahvaz-01 --include-private
    """
    site = load_listed_site(state.data, site_id, include_private)
    if fmt == "json":
        text = json.dumps(history_record(site), ensure_ascii=False, indent=2, sort_keys=True)
        click.echo(escape_controls_in_json(text))
    else:
        click.echo(escape_controls(history_text(site), keep_newlines=True))


COMMANDS = [history_command]
