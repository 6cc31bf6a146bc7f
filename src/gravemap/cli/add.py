"""`gravemap add`: geocode a reported place and add a site with its first source and status."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import click

from gravemap import model
from gravemap.cli.options import (
    DATE_HELP,
    STATUS_DATE,
    AppState,
    info,
    nonblank,
    pass_state,
    source_fields,
    source_options,
    stdin_is_terminal,
    upper_code,
)
from gravemap.errors import InputError

if TYPE_CHECKING:
    from gravemap.geocode import Candidate, Located


# Possible duplicates warned about one per line; the rest are named on one line.
SHOWN_SIMILAR = 5


@click.command("add")
@click.option(
    "--name",
    required=True,
    callback=nonblank,
    help="The site's name as reported, e.g. 'Khavaran cemetery'.",
)
@click.option("--name-fa", help="The site's name in Persian, e.g. 'خاوران'.")
@click.option(
    "--city",
    help="The reported place, in any spelling or script: 'Ahwaz', 'اهواز', "
    "'Qorveh, Kurdistan', 'Ahwaz (Khuzestan)', or a description around the town "
    '("Baha\'i cemetery, Qorveh": the rest goes to the location note). Coordinates pasted '
    "here ('36.2605, 59.6168', DMS) are the point and need --precision. Geocoded offline "
    "unless --lat/--lon are given.",
)
@click.option("--city-fa", help="The city's name in Persian (default: from the gazetteer).")
@click.option("--province", help="Province, to tell namesakes apart (default: from the gazetteer).")
@click.option(
    "--country",
    default="IR",
    show_default=True,
    callback=upper_code,
    help="ISO 3166-1 alpha-2 country code.",
)
@click.option(
    "--status",
    "status_",
    type=click.Choice(model.STATUSES),
    default="unknown",
    show_default=True,
    help="The site's status as the source reports it.",
)
@click.option(
    "--status-date",
    type=STATUS_DATE,
    help=f"When that status was observed or reported: {DATE_HELP}, or 'undated' when the "
    "source gives no date. Default: --source-date.",
)
@click.option("--status-note", help="What the source says happened, in a sentence.")
@source_options(required=True)
@click.option(
    "--verification",
    type=click.Choice(model.VERIFICATIONS),
    default="reported",
    show_default=True,
    help="reported: one source; corroborated: two or more "
    "independent publishers; verified: imagery or on-site confirmation.",
)
@click.option("--notes", help="Public free-text notes.")
@click.option(
    "--location-note",
    help="Where the site lies, as described by the source, e.g. "
    "'3 km east of Behesht Abad cemetery'.",
)
@click.option(
    "--lat",
    type=click.FloatRange(-90, 90),
    help="Latitude (WGS 84); skips geocoding. Without --city, the city and province come from "
    "the place the point lies in (within 50 km).",
)
@click.option(
    "--lon", type=click.FloatRange(-180, 180), help="Longitude (WGS 84); skips geocoding."
)
@click.option(
    "--precision",
    type=click.Choice(model.PRECISIONS),
    help="How precise --lat/--lon are: exact (stated by a source or survey), site "
    "(located by a researcher), city (city centre), province. Required with --lat/--lon.",
)
@click.option(
    "--publish",
    type=click.Choice(model.PUBLISH_LEVELS),
    default="full",
    show_default=True,
    help="How much of the location published maps show: full, city "
    "(city centre only) or withheld (left out of maps and exports).",
)
@click.option(
    "--pick",
    type=click.IntRange(min=1),
    help="For an ambiguous place: take candidate N of the list gravemap printed.",
)
@click.option(
    "--online",
    is_flag=True,
    help="If the offline gazetteer finds nothing, ask OpenStreetMap's Nominatim. "
    "This tells the service what you are looking up.",
)
@click.option("--by", "added_by", help="Who is adding the site (kept in the file, not published).")
@click.option("--dry-run", is_flag=True, help="Print the site that would be added; write nothing.")
@pass_state
def add_command(state: AppState, **kw: Any) -> None:
    """Add a site: geocode the reported place, store it with its source and status.

    Prints the new site's id on stdout. Warns on stderr, naming the existing id, when a site in
    the same city has a similar name (either script, any transliteration) or cites the same
    source URL; the site is still added (join two records with `gravemap merge`).

    \b
    Example:
      gravemap add --name "Tazeh Abad cemetery" --city Rasht --status built-upon \\
        --status-date 2016 --source-url https://justice4iran.org/11284/ \\
        --source-title "Rasht mass grave" --source-publisher "Justice for Iran" \\
        --location-note "three to four trenches of about 9 m"
    """
    from gravemap.duplicates import similar_sites
    from gravemap.store import edit_collection

    located = _locate(kw)
    location = model.Location.of(located)
    lon, lat = located.lon, located.lat
    status_date = kw["status_date"] or kw["source_date"]
    if not status_date:
        raise click.UsageError(
            "--status-date is needed (the source gives no --source-date): "
            "say when the status was reported, e.g. --status-date 2018-07, or "
            "--status-date undated if the source gives no date"
        )
    # A geocoded place is named as the gazetteer names it, so one city is spelled one way;
    # what the researcher typed stays in location.query.
    names = model.geocoded_names(located)
    with edit_collection(state.data, create=True, dry_run=kw["dry_run"]) as collection:
        site = model.new_site(
            collection,
            name=kw["name"],
            country=kw["country"],
            lon=lon,
            lat=lat,
            location=location,
            status=kw["status_"],
            status_date=status_date,
            status_note=kw["status_note"],
            source=source_fields(kw),
            name_fa=kw["name_fa"],
            city=names.get("city") or _typed_city(kw, located),
            city_fa=kw["city_fa"] or names.get("city_fa"),
            province=names.get("province") or kw["province"],
            verification=kw["verification"],
            publish=kw["publish"],
            notes=kw["notes"],
            added_by=kw["added_by"],
        )
        similar = similar_sites(collection, site)
        collection.add(site)
    for other, reason in similar[:SHOWN_SIMILAR]:
        info(
            f"warning: {other} may be this site reported again ({reason}); compare with "
            f"`gravemap show {other}`, and join them with `gravemap merge {other} {site.id}`"
        )
    if len(similar) > SHOWN_SIMILAR:
        more = ", ".join(other for other, _ in similar[SHOWN_SIMILAR:])
        info(f"warning: {len(similar) - SHOWN_SIMILAR} more may be this site too: {more}")
    if kw["dry_run"]:
        click.echo(json.dumps(site.to_feature(), ensure_ascii=False, indent=2, sort_keys=True))
        info("dry run: nothing was written")
    else:
        click.echo(site.id)


def _locate(kw: dict[str, Any]) -> Located:
    """The site's point and how it was found (`gravemap.geocode.locate`): given coordinates, or
    the geocoded --city. The CLI checks the options and turns the library's errors into
    messages and, in a terminal, a question."""
    from gravemap.geocode.coordinates import parse_coordinates
    from gravemap.geocode.locate import (
        AmbiguousPlaceError,
        CityLinkError,
        PickError,
        PlaceNotFoundError,
        locate,
    )

    given = kw["lat"] is not None or kw["lon"] is not None
    if given and (kw["lat"] is None or kw["lon"] is None):
        raise click.UsageError("give both --lat and --lon, or neither (to geocode --city)")
    pasted = not given and kw["city"] and parse_coordinates(kw["city"]) is not None
    if (given or pasted) and not kw["precision"]:
        what = "--lat/--lon" if given else f"--city {kw['city']!r} (a point)"
        raise click.UsageError(
            f"--precision is needed with {what}: exact, site, city or province "
            "(a city centre is not a grave's position)"
        )
    if not given and not kw["city"]:
        raise click.UsageError("give --city (the reported place) or --lat/--lon with --precision")
    if not given and not pasted and kw["precision"]:
        raise click.UsageError(
            "--precision goes with --lat/--lon; a geocoded place has precision 'city'"
        )
    pick = kw["pick"]
    query = kw["city"]
    while True:
        try:
            located = locate(
                kw["city"],
                province=kw["province"],
                country=kw["country"],
                lat=kw["lat"],
                lon=kw["lon"],
                precision=kw["precision"],
                note=kw["location_note"] or None,
                publish=kw["publish"],
                online=kw["online"],
                pick=pick,
            )
        except (AmbiguousPlaceError, PlaceNotFoundError) as exc:
            result = exc.result
            candidates = list(result.candidates)
            if not candidates:
                raise InputError(
                    "--city",
                    f"no place called {query!r} in {kw['country']}; {result.hint}; or give "
                    "--lat/--lon with --precision",
                ) from None
            _print_candidates(query, candidates)
            if pick is None and stdin_is_terminal():
                pick = click.prompt("Which one?", type=click.IntRange(1, len(candidates)))
                continue
            if result.error == "ambiguous":
                raise InputError(
                    "--city",
                    f"{query!r} is ambiguous: {len(candidates)} candidates (listed above); "
                    "choose one with --pick N or add the province",
                ) from None
            raise InputError(
                "--city",
                f"{query!r} is no match: {result.hint}; or choose a candidate (listed above) "
                "with --pick N",
            ) from None
        except PickError as exc:
            if exc.reason == "not ambiguous":
                raise click.UsageError(
                    f"--pick: {query!r} is not ambiguous; leave --pick out"
                ) from None
            raise click.BadParameter(str(exc), param_hint="--pick") from None
        except CityLinkError as exc:
            why = f"--city {exc.why}" if exc.city else exc.why
            raise click.UsageError(
                f"--publish city shows the city's centre instead of the point, but {why}: name "
                "the city as the gazetteer knows it (see `gravemap geocode`), or use --publish "
                "withheld"
            ) from None
        if located.notice:
            info(f"note: {located.notice}")
        return located


def _typed_city(kw: dict[str, Any], located: Located) -> str | None:
    """--city as typed, for a site the gazetteer names no city of; None when --city held
    coordinates or named a province (not a city)."""
    if located.place is not None and located.place.precision == "province":
        return None
    from gravemap.geocode import parse_coordinates

    return None if kw["city"] and parse_coordinates(kw["city"]) else kw["city"]


def _print_candidates(query: str, candidates: list[Candidate]) -> None:
    from gravemap.geocode import candidate_label

    info(f"{query!r} could mean:")
    for i, candidate in enumerate(candidates, 1):
        info(f"  {i}. {candidate_label(candidate)}")


COMMANDS = [add_command]
