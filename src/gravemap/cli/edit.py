"""`gravemap edit`: change a site's fields (never its id)."""

from __future__ import annotations

from typing import Any

import click

from gravemap import model
from gravemap.cli.options import SITE_ID, AppState, info, nonblank, pass_state, upper_code

TEXT_FIELDS = ("name", "name_fa", "city", "city_fa", "province", "country", "notes")
CLEARABLE = ("name_fa", "city_fa", "province", "notes", "victims", "location.note", "private")


@click.command("edit")
@click.argument("site_id", metavar="ID", type=SITE_ID)
@click.option("--name", callback=nonblank, help="The site's name as reported.")
@click.option("--name-fa", help="The site's name in Persian.")
@click.option("--city", help="City name.")
@click.option("--city-fa", help="City name in Persian.")
@click.option("--province", help="Province.")
@click.option("--country", callback=upper_code, help="ISO 3166-1 alpha-2 country code, e.g. IR.")
@click.option("--notes", help="Public free-text notes (replaces the old notes).")
@click.option(
    "--verification",
    type=click.Choice(model.VERIFICATIONS),
    help="reported, corroborated (two or more independent publishers) or verified.",
)
@click.option(
    "--publish",
    type=click.Choice(model.PUBLISH_LEVELS),
    help="full, city (city centre only on maps) or withheld.",
)
@click.option("--location-note", help="Where the site lies, as the source describes it.")
@click.option(
    "--lat", type=click.FloatRange(-90, 90), help="New latitude (with --lon, --precision)."
)
@click.option("--lon", type=click.FloatRange(-180, 180), help="New longitude.")
@click.option(
    "--precision",
    type=click.Choice(model.PRECISIONS),
    help="How precise the new point is: exact, site, city or province.",
)
@click.option(
    "--geonameid",
    type=click.IntRange(min=1),
    help="Link the site to this GeoNames place (see `gravemap geocode`): the city whose "
    "centre `--publish city` shows.",
)
@click.option("--victims-low", type=click.IntRange(min=0), help="Lowest reported count.")
@click.option("--victims-high", type=click.IntRange(min=0), help="Highest reported count.")
@click.option(
    "--victims-source",
    multiple=True,
    metavar="SOURCE_ID",
    help="Source id(s) the counts come from (required with a count).",
)
@click.option("--victims-note", help="Who gives which count, in a sentence.")
@click.option(
    "--private",
    "private_items",
    multiple=True,
    metavar="KEY=VALUE",
    help="Set a private field (never published or exported), e.g. contact=...",
)
@click.option(
    "--clear",
    "clear_fields",
    multiple=True,
    type=click.Choice(CLEARABLE),
    help="Remove an optional field.",
)
@pass_state
def edit_command(state: AppState, site_id: str, **kw: Any) -> None:
    """Change fields of site ID. The id itself never changes.

    \b
    Examples:
      gravemap edit ir-ahvaz-01 --name-fa "پادادشهر" --location-note "3 km east of ..."
      gravemap edit ir-ahvaz-01 --victims-low 44 --victims-source s1
      gravemap edit ir-ahvaz-01 --publish city
    """
    from gravemap.store import edit_collection

    if not any(v not in (None, ()) for v in kw.values()):
        raise click.UsageError("nothing to change: give at least one option (see --help)")
    with edit_collection(state.data) as collection:
        site = collection.get(site_id)
        _apply(site, kw)
    info(f"edited {site_id}")


def _apply(site: model.Site, kw: dict[str, Any]) -> None:
    for name in kw["clear_fields"]:
        if name == "location.note":
            site.location.note = None
        else:
            setattr(site, name, None)
    for name in TEXT_FIELDS:
        if kw[name] is not None:
            setattr(site, name, kw[name].strip() or None)
    for name in ("verification", "publish"):
        if kw[name] is not None:
            setattr(site, name, kw[name])
    if kw["location_note"] is not None:
        site.location.note = kw["location_note"].strip() or None
    if kw["lat"] is not None or kw["lon"] is not None or kw["precision"] is not None:
        if kw["lat"] is None or kw["lon"] is None or kw["precision"] is None:
            raise click.UsageError("a new point needs --lat, --lon and --precision together")
        site.move(kw["lat"], kw["lon"], kw["precision"])
    if kw["geonameid"] is not None:
        try:
            site.link_city(kw["geonameid"])
        except model.RecordError as exc:
            raise click.BadParameter(str(exc), param_hint="--geonameid") from None
    counts = kw["victims_low"] is not None or kw["victims_high"] is not None
    if counts or kw["victims_source"] or kw["victims_note"] is not None:
        try:
            site.set_victims(
                low=kw["victims_low"],
                high=kw["victims_high"],
                sources=kw["victims_source"],
                note=kw["victims_note"],
            )
        except model.UnattributedError:
            raise click.UsageError(
                "a victims count must be attributed: add --victims-source ID"
            ) from None
    for item in kw["private_items"]:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"{item!r} is not KEY=VALUE", param_hint="--private")
        site.private = {**(site.private or {}), key.strip(): value}


COMMANDS = [edit_command]
