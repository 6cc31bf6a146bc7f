"""`gravemap remove`: remove a site, after confirmation; its id is never reused."""

from __future__ import annotations

import click

from gravemap.cli.options import SITE_ID, AppState, confirm, info, pass_state


@click.command("remove")
@click.argument("site_id", metavar="ID", type=SITE_ID)
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
@pass_state
def remove_command(state: AppState, site_id: str, yes: bool) -> None:
    """Remove site ID from the data file.

    Asks first unless --yes; with no terminal to ask at (a script, a pipe), refuses unless
    --yes. The id is recorded as retired, so no later site gets it.

    \b
    Example:
      gravemap remove ir-ahvaz-03
    """
    from gravemap.store import edit_collection, load_collection

    site = load_collection(state.data).get(site_id)
    confirm(f"Remove {site_id} ({site.name}, {site.city or '?'})?", yes)
    with edit_collection(state.data) as collection:
        collection.remove(site_id)
    info(f"removed {site_id}")


COMMANDS = [remove_command]
