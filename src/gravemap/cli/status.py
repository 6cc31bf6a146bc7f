"""`gravemap status`: record a dated, cited status change; correct or delete an entry."""

from __future__ import annotations

from typing import Any

import click

from gravemap import dates, model
from gravemap.cli.options import (
    DATE_HELP,
    SITE_ID,
    STATUS_DATE,
    AppState,
    cite_new_source,
    confirm,
    info,
    pass_state,
    source_options,
)


@click.command("status")
@click.argument("site_id", metavar="ID", type=SITE_ID)
@click.argument("status", type=click.Choice(model.STATUSES), required=False)
@click.option(
    "--date",
    "date_",
    type=STATUS_DATE,
    help=f"When this status was observed or reported: {DATE_HELP}, or 'undated' when the "
    "source gives no date (never the day you read it). Required for a new entry. "
    "E.g. 2022-09, 1401/06/25.",
)
@click.option(
    "--source",
    "source_ids",
    multiple=True,
    metavar="SOURCE_ID",
    help="Id of a source the site already has (e.g. s2); repeat for several. With --edit, "
    "replaces the sources the entry cites.",
)
@source_options(required=False)
@click.option("--note", help="What the source says happened, in a sentence ('' removes it).")
@click.option(
    "--edit",
    "edit_number",
    type=click.IntRange(min=1),
    metavar="N",
    help="Correct entry N (numbered by `gravemap history ID`) with --status, --date, --note, "
    "--source or a new source. Default: add a new entry.",
)
@click.option(
    "--status",
    "new_status",
    type=click.Choice(model.STATUSES),
    help="With --edit: the corrected status.",
)
@click.option(
    "--delete",
    "delete_number",
    type=click.IntRange(min=1),
    metavar="N",
    help="Delete entry N (numbered by `gravemap history ID`), after confirmation.",
)
@click.option("--yes", "-y", is_flag=True, help="With --delete: do not ask for confirmation.")
@pass_state
def status_command(
    state: AppState,
    site_id: str,
    status: str | None,
    date_: dates.EnteredDate | None,
    source_ids: tuple[str, ...],
    note: str | None,
    edit_number: int | None,
    new_status: str | None,
    delete_number: int | None,
    yes: bool,
    **kw: Any,
) -> None:
    """Record that site ID had STATUS on a date, citing a source; or correct an entry.

    Cite a source the site has (--source s1) or describe a new one (--source-url, --source-title,
    --source-publisher). Undated entries come first, then dated ones oldest first; the latest
    becomes the site's status, also after a correction or deletion.

    \b
    Examples:
      gravemap status ir-tehran-01 at-risk --date 2022-09 --source s3 --note "walled in"
      gravemap status ir-tehran-01 at-risk --date 1401/06 --source s3
      gravemap status ir-tehran-01 --edit 2 --date 2022-10 --note "walled in by October"
      gravemap status ir-tehran-01 --delete 3 --yes
    """
    from gravemap.store import edit_collection, load_collection

    new = [kw["source_url"], kw["source_title"], kw["source_publisher"]]
    if any(new) and not all(new):
        raise click.UsageError(
            "a new source needs --source-url, --source-title and --source-publisher"
        )
    if edit_number is not None and delete_number is not None:
        raise click.UsageError("give --edit N or --delete N, not both")
    if delete_number is not None:
        given = [status, date_, note, new_status, *source_ids, *new]
        if any(v is not None for v in given):
            raise click.UsageError("--delete N takes no other change; give only --yes")
        site = load_collection(state.data).get(site_id)
        entry = site.status_entry(delete_number)
        when = dates.format_date(entry.date, entry.date_text)
        confirm(
            f"Delete status entry {delete_number} of {site_id} ({entry.status}, {when}, "
            f"citing {', '.join(entry.sources)})?",
            yes,
        )
        with edit_collection(state.data) as collection:
            site = collection.get(site_id)
            site.delete_status(delete_number)
        info(f"{site_id}: deleted status entry {delete_number}; status: {site.status}")
        return
    if yes:
        raise click.UsageError("--yes goes with --delete N")
    if edit_number is not None:
        if status is not None:
            raise click.UsageError(
                f"with --edit, give the corrected status as --status {status}, not as STATUS"
            )
        changes = [new_status, date_, note, *source_ids, *new]
        if all(v is None for v in changes):
            raise click.UsageError(
                "--edit N needs a change: --status, --date, --note, --source or a new source"
            )
        with edit_collection(state.data) as collection:
            site = collection.get(site_id)
            cites = list(source_ids)
            if all(new):
                cites.append(_cite(site, kw).id)
            entry, number = site.edit_status(
                edit_number,
                status=new_status,
                date=date_,
                note=note,
                sources=cites or None,
            )
        moved = f" (now entry {number})" if number != edit_number else ""
        info(f"{site_id}: corrected status entry {edit_number}{moved}; status: {site.status}")
        return
    if new_status is not None:
        raise click.UsageError("--status goes with --edit N; a new entry takes STATUS")
    if status is None:
        raise click.UsageError(
            "give STATUS (one of: " + ", ".join(model.STATUSES) + "), or --edit N / --delete N"
        )
    if date_ is None:
        raise click.UsageError(
            "--date is needed: when the source reports this status (e.g. --date 2022-09), or "
            "--date undated if it gives no date"
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
            source = _cite(site, kw)
            if source.id not in cites:
                cites.append(source.id)
        change = model.StatusChange.entered(status, date_, cites, note)
        entry = site.add_status(change)
    if entry is not change:
        info(f"{site_id}: added to the existing {entry.status} entry of {entry.date}")
    info(f"{site_id}: {site.status}")


def _cite(site: model.Site, kw: dict[str, Any]) -> model.Source:
    source, added = cite_new_source(site, kw)
    if not added:
        info(f"{site.id} already cites {source.url} as {source.id}; citing that")
    return source


COMMANDS = [status_command]
