"""`gravemap merge`: fold a second record of a site into the first; the second id is retired."""

from __future__ import annotations

import click

from gravemap.cli.options import SITE_ID, AppState, confirm, info, pass_state


@click.command("merge")
@click.argument("site_id", metavar="ID", type=SITE_ID)
@click.argument("other_id", metavar="OTHER", type=SITE_ID)
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
@pass_state
def merge_command(state: AppState, site_id: str, other_id: str, yes: bool) -> None:
    """Fold site OTHER into site ID: one site reported twice becomes one record.

    OTHER's sources move to ID (a URL ID already cites is not added twice), its status entries
    follow citing the renamed source ids, and fields ID lacks (Persian name, city, province,
    notes, victims, location note, private fields) are taken from OTHER. ID keeps its own id,
    name and point; the stricter publish level of the two applies. OTHER is removed and its id
    retired (never reused). Asks first unless --yes.

    \b
    Example:
      gravemap merge ir-tehran-01 ir-tehran-05
    """
    from gravemap.duplicates import merge_sites
    from gravemap.store import edit_collection, load_collection

    collection = load_collection(state.data)
    keep, other = collection.get(site_id), collection.get(other_id)
    if site_id == other_id:
        raise click.UsageError("name two different sites: ID and OTHER are the same")
    confirm(
        f"Merge {other_id} ({other.name}, {other.city or '?'}) into {site_id} ({keep.name}, "
        f"{keep.city or '?'}) and retire {other_id}?",
        yes,
    )
    with edit_collection(state.data) as collection:
        result = merge_sites(collection, site_id, other_id)
    renamed = ", ".join(f"{a}->{b}" for a, b in result.source_ids.items())
    info(f"{site_id}: sources {renamed} ({len(result.sources_added)} added)")
    info(
        f"{site_id}: {result.entries_added} status entries added, {result.entries_joined} "
        "joined to entries of the same status and date"
    )
    if result.filled:
        info(f"{site_id}: taken from {other_id}: {', '.join(result.filled)}")
    if result.kept:
        info(
            f"{site_id}: kept its own {', '.join(result.kept)} ({other_id} differed; see "
            f"`gravemap show {site_id}` and correct with `gravemap edit {site_id}`)"
        )
    if result.publish:
        info(f"{site_id}: publish is now {result.publish}, as {other_id} was")
    info(f"merged {other_id} into {site_id}; {other_id} is retired")
    click.echo(site_id)


COMMANDS = [merge_command]
