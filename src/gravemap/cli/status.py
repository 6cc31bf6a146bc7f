"""`gravemap status`: append a dated, cited status change to a site."""

from __future__ import annotations

from typing import Any

import click

from gravemap import dates, model
from gravemap.cli.options import (
    DATE_HELP,
    SITE_ID,
    STATUS_DATE,
    AppState,
    info,
    new_source,
    pass_state,
    source_options,
)


@click.command("status")
@click.argument("site_id", metavar="ID", type=SITE_ID)
@click.argument("status", type=click.Choice(model.STATUSES))
@click.option(
    "--date",
    "date_",
    type=STATUS_DATE,
    required=True,
    help=f"When this status was observed or reported: {DATE_HELP}, or 'undated' when the "
    "source gives no date (never the day you read it). E.g. 2022-09, 1401/06/25.",
)
@click.option(
    "--source",
    "source_ids",
    multiple=True,
    metavar="SOURCE_ID",
    help="Id of a source the site already has (e.g. s2); repeat for several.",
)
@source_options(required=False)
@click.option("--note", help="What the source says happened, in a sentence.")
@pass_state
def status_command(
    state: AppState,
    site_id: str,
    status: str,
    date_: dates.EnteredDate,
    source_ids: tuple[str, ...],
    note: str | None,
    **kw: Any,
) -> None:
    """Record that site ID had STATUS on a date, citing a source.

    Cite a source the site has (--source s1) or describe a new one (--source-url, --source-title,
    --source-publisher). Entries are kept oldest first; the latest becomes the site's status.

    \b
    Example:
      gravemap status ir-tehran-01 at-risk --date 2022-09 --source s3 --note "walled in"
    """
    from gravemap.store import edit_collection

    new = [kw["source_url"], kw["source_title"], kw["source_publisher"]]
    if any(new) and not all(new):
        raise click.UsageError(
            "a new source needs --source-url, --source-title and --source-publisher"
        )
    if not any(new) and not source_ids:
        raise click.UsageError(
            "cite the claim: --source SOURCE_ID (see `gravemap show ID`) or a new source "
            "with --source-url, --source-title and --source-publisher"
        )
    with edit_collection(state.data) as collection:
        site = collection.get(site_id)
        cites = list(dict.fromkeys(source_ids))
        if all(new):
            source = site.source_by_url(kw["source_url"])
            if source is None:
                source = new_source(site, **kw)
                site.sources.append(source)
            else:
                info(f"{site_id} already cites {source.url} as {source.id}; citing that")
            if source.id not in cites:
                cites.append(source.id)
        change = model.StatusChange(
            status=status,
            date=date_.value,
            date_text=date_.text,
            undated=date_.undated,
            sources=cites,
            note=note or None,
        )
        entry = site.add_status(change)
    if entry is not change:
        info(f"{site_id}: added to the existing {entry.status} entry of {entry.date}")
    info(f"{site_id}: {site.status}")


COMMANDS = [status_command]
