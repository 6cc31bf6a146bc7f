"""`gravemap timeline`: status entries per year and status, or the dated entries themselves."""

from __future__ import annotations

import csv
import io
import json

import click

from gravemap import model
from gravemap.cli.options import AppState, format_option, info, pass_state

CSV_HEADER = ("year", "status", "entries", "sites")
EVENT_COLUMNS = ("date", "site", "status", "publishers", "note")


@click.command("timeline")
@format_option(("table", "csv", "json"), default="table")
@click.option(
    "--status",
    "statuses",
    multiple=True,
    type=click.Choice(model.STATUSES),
    help="Only entries reporting this status (repeat for several). Default: every status.",
)
@click.option(
    "--province",
    help="Only sites in this province (case-insensitive), e.g. Khuzestan. Default: all.",
)
@click.option(
    "--events",
    is_flag=True,
    help="List the dated entries themselves, oldest first, instead of counting them.",
)
@click.option(
    "--include-private",
    is_flag=True,
    help="Count every site as stored, withheld ones too. Default: what a published map shows.",
)
@pass_state
def timeline_command(
    state: AppState,
    fmt: str,
    statuses: tuple[str, ...],
    province: str | None,
    events: bool,
    include_private: bool,
) -> None:
    """What was reported when: status entries per year and status, and the sites they concern.

    An entry counts in the year its date starts; one dated by a Solar Hijri year or month
    that runs into the next Gregorian year counts once, in the year it starts, and is flagged
    (`*` in the table, "spanning" in JSON). Undated entries are never given a year: they are
    counted apart (on stderr for CSV, whose header stays year,status,entries,sites). Reads the
    public view, as a published map does.

    \b
    Examples:
      gravemap timeline
      gravemap timeline --format csv > timeline.csv
      gravemap timeline --status bulldozed --province Tehran
      gravemap timeline --events --format json | jq '.[].publishers'
    """
    from gravemap.store import load_file
    from gravemap.timeline import build_timeline

    line = build_timeline(
        load_file(state.data).data,
        statuses=statuses,
        province=province,
        include_private=include_private,
    )
    if events:
        _print_events(line, fmt)
        return
    undated = (
        f"{line.undated_entries} undated entr{'y' if line.undated_entries == 1 else 'ies'} "
        f"(at {line.undated_sites} site{'' if line.undated_sites == 1 else 's'}) "
        "not counted in any year"
    )
    if fmt == "json":
        click.echo(json.dumps(line.to_json(), ensure_ascii=False, indent=2))
    elif fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(CSV_HEADER)
        writer.writerows((r.year, r.status, r.entries, r.sites) for r in line.counts)
        click.echo(buffer.getvalue(), nl=False)
        if line.undated_entries:
            info(f"note: {undated}")
    elif not line.counts and not line.undated_entries:
        info("no status entries")
    else:
        from gravemap.cli.read import render_table

        rows = [
            {
                "year": r.year,
                "status": r.status,
                "entries": f"{r.entries}{'*' if r.spanning else ''}",
                "sites": r.sites,
            }
            for r in line.counts
        ]
        if rows:
            click.echo(render_table(rows, CSV_HEADER))
        if any(r.spanning for r in line.counts):
            click.echo(
                "* includes entries dated by a Solar Hijri year or month that runs into "
                "the next year"
            )
        if line.undated_entries:
            click.echo(f"undated: {undated}")


def _print_events(line, fmt: str) -> None:
    from gravemap import dates

    if fmt == "json":
        click.echo(json.dumps([e.to_json() for e in line.events], ensure_ascii=False, indent=2))
        return
    rows = [
        {
            "date": e.date if fmt == "csv" else dates.format_date(e.date, e.date_text),
            "site": e.site,
            "status": e.status,
            "publishers": "; ".join(e.publishers),
            "note": e.note or "",
        }
        for e in line.events
    ]
    if fmt == "csv":
        from gravemap.cli.read import spreadsheet_row

        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=EVENT_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(spreadsheet_row(r) for r in rows)
        click.echo(buffer.getvalue(), nl=False)
    elif rows:
        from gravemap.cli.read import render_table

        click.echo(render_table(rows, EVENT_COLUMNS))
    else:
        info("no dated status entries")
    if line.undated_entries and fmt != "json":
        info(f"note: {line.undated_entries} undated entries are not listed (they have no date)")


COMMANDS = [timeline_command]
