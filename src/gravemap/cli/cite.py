"""`gravemap cite`: add a source to a site."""

from __future__ import annotations

from typing import Any

import click

from gravemap.cli.options import SITE_ID, AppState, info, new_source, pass_state, source_options


@click.command("cite")
@click.argument("site_id", metavar="ID", type=SITE_ID)
@source_options(required=True)
@pass_state
def cite_command(state: AppState, site_id: str, **kw: Any) -> None:
    """Add a source to site ID and print its new source id (s1, s2, ...).

    A source that is already on the site (same URL) is not added twice.

    \b
    Example:
      gravemap cite ir-ahvaz-01 --source-url https://www.amnesty.org/... \\
        --source-title "Iran: Road to be built over grave sites" \\
        --source-publisher "Amnesty International" --source-date 2018-07
    """
    from gravemap.store import edit_collection

    with edit_collection(state.data) as collection:
        site = collection.get(site_id)
        existing = site.source_by_url(kw["source_url"])
        if existing:
            info(f"{site_id} already cites {kw['source_url']} as {existing.id}; nothing added")
            click.echo(existing.id)
            return
        source = new_source(site, **kw)
        site.sources.append(source)
    click.echo(source.id)


COMMANDS = [cite_command]
