"""`gravemap cite`: add a source to a site; correct or delete one."""

from __future__ import annotations

from typing import Any

import click

from gravemap.cli.options import (
    SITE_ID,
    AppState,
    cite_new_source,
    confirm,
    info,
    pass_state,
    source_options,
)


@click.command("cite")
@click.argument("site_id", metavar="ID", type=SITE_ID)
@source_options(required=False)
@click.option(
    "--edit",
    "edit_id",
    metavar="sN",
    help="Correct source sN (as `gravemap history ID` lists it) with the --source-* options, "
    "--quote and --archived-url ('' removes a quote or archived copy). Default: add a source.",
)
@click.option(
    "--delete",
    "delete_id",
    metavar="sN",
    help="Delete source sN, after confirmation; refused while a claim cites it.",
)
@click.option("--yes", "-y", is_flag=True, help="With --delete: do not ask for confirmation.")
@pass_state
def cite_command(
    state: AppState, site_id: str, edit_id: str | None, delete_id: str | None, yes: bool, **kw: Any
) -> None:
    """Add a source to site ID and print its new source id (s1, s2, ...); or correct one.

    A source that is already on the site (same URL) is not added twice.

    \b
    Examples:
      gravemap cite ir-ahvaz-01 --source-url https://www.amnesty.org/... \\
        --source-title "Iran: Road to be built over grave sites" \\
        --source-publisher "Amnesty International" --source-date 2018-07
      gravemap cite ir-ahvaz-01 --edit s2 --source-date 1397/05/12
      gravemap cite ir-ahvaz-01 --delete s3 --yes
    """
    from gravemap.store import edit_collection, load_collection

    given = {k: v for k, v in kw.items() if v is not None}
    if edit_id is not None and delete_id is not None:
        raise click.UsageError("give --edit sN or --delete sN, not both")
    if delete_id is not None:
        if given:
            raise click.UsageError("--delete sN takes no other change; give only --yes")
        site = load_collection(state.data).get(site_id)
        source = site.find_source(delete_id)
        site.delete_source(delete_id)  # refused here, before asking, while a claim cites it
        confirm(
            f"Delete source {delete_id} of {site_id} ({source.publisher}: {source.title})?", yes
        )
        with edit_collection(state.data) as collection:
            collection.get(site_id).delete_source(delete_id)
        info(f"{site_id}: deleted source {delete_id}")
        return
    if yes:
        raise click.UsageError("--yes goes with --delete sN")
    if edit_id is not None:
        if not given:
            raise click.UsageError(
                "--edit sN needs a change: --source-title, --source-url, --source-publisher, "
                "--source-date, --quote, --archived-url or --accessed"
            )
        with edit_collection(state.data) as collection:
            collection.get(site_id).edit_source(
                edit_id,
                title=kw["source_title"],
                url=kw["source_url"],
                publisher=kw["source_publisher"],
                date=kw["source_date"],
                quote=kw["quote"],
                archived_url=kw["archived_url"],
                accessed=kw["accessed"],
            )
        info(f"{site_id}: corrected source {edit_id}")
        return
    missing = [
        f"--{name.replace('_', '-')}"
        for name in ("source_url", "source_title", "source_publisher")
        if not kw[name]
    ]
    if missing:
        raise click.UsageError(f"a new source needs {', '.join(missing)}")
    with edit_collection(state.data) as collection:
        source, added = cite_new_source(collection.get(site_id), kw)
    if not added:
        info(f"{site_id} already cites {source.url} as {source.id}; nothing added")
    click.echo(source.id)


COMMANDS = [cite_command]
