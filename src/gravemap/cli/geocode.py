"""`gravemap geocode`: resolve reported place names without adding a site."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from typing import IO, Any

import click

from gravemap.cli.options import format_option, info

#: Inputs at least this long get a progress bar on stderr.
PROGRESS_MIN = 50
TABLE_COLUMNS = ("query", "result", "name_fa", "province", "lat", "lon", "geonameid", "score")


def _read_queries(stream: IO[str]) -> list[str]:
    """One query a line; blank lines are skipped."""
    return [line.strip() for line in stream if line.strip()]


def _table_row(out: dict[str, Any]) -> dict[str, Any]:
    if "error" not in out:
        return {
            "query": out["query"],
            "result": out["name"],
            "name_fa": out["name_fa"] or "",
            "province": out["province"] or "",
            "lat": out["lat"],
            "lon": out["lon"],
            "geonameid": out["geonameid"] if out["geonameid"] is not None else "",
            "score": out["score"],
        }
    options = "; ".join(
        f"{c['name']} ({c['province'] or '?'})" for c in out.get("candidates") or []
    )
    return {
        "query": out["query"],
        "result": out["error"] + (f": {options}" if options else ""),
        "name_fa": "",
        "province": "",
        "lat": "",
        "lon": "",
        "geonameid": "",
        "score": "",
    }


def _progress(items: list[str]) -> Iterator[str]:
    """The queries, with a progress bar on stderr when the input is long."""
    if len(items) < PROGRESS_MIN:
        yield from items
        return
    with click.progressbar(items, label="geocoding", file=sys.stderr) as bar:
        yield from bar


@click.command("geocode")
@click.argument("queries", nargs=-1, metavar="QUERY...")
@click.option(
    "--input",
    "input_file",
    type=click.File("r", encoding="utf-8"),
    metavar="FILE",
    help="Read queries from FILE, one a line ('-' for stdin), after any QUERY arguments.",
)
@click.option(
    "--province",
    help="Only places in this province, e.g. Kurdistan or کردستان. Default: any; a query may "
    "also carry one after a comma ('Qorveh, Kurdistan').",
)
@click.option(
    "--country",
    default="IR",
    show_default=True,
    help="ISO 3166-1 alpha-2 code of the country to search, e.g. IR.",
)
@format_option(("table", "json", "jsonl"))
@click.option(
    "--candidates",
    "limit",
    type=click.IntRange(min=0),
    default=5,
    show_default=True,
    help="How many candidates to list for an ambiguous query or one with no clear match.",
)
@click.option(
    "--online",
    is_flag=True,
    help="Ask OpenStreetMap's Nominatim about queries the offline gazetteer cannot resolve "
    "(sends those queries over the network, one a second). Default: offline only.",
)
@click.pass_context
def geocode_command(
    ctx: click.Context,
    queries: tuple[str, ...],
    input_file: IO[str] | None,
    province: str | None,
    country: str,
    fmt: str,
    limit: int,
    online: bool,
) -> None:
    """Resolve reported places (any spelling or script) to GeoNames places, without adding.

    A query may end in a province after a comma or in parentheses ("Ahwaz (Khuzestan)"), carry
    a site description around the town ("Baha'i cemetery, Qorveh"), name a province alone
    (precision "province"), or be coordinates pasted from a map ("36.2605, 59.6168", Persian
    digits, 36°15'37.8"N 59°37'0.5"E: the place the point lies in, with "distance_km"). Each
    answer is a match with a score, or "ambiguous" or "no match" with candidates and, on
    stderr, what to do. Exit status is 0 when every query resolved and 1 when any had no match
    or was ambiguous.

    \b
    Examples:
      gravemap geocode Ahwaz "Qorveh, Kurdistan" کرمانشاه Bakhtaran
      gravemap geocode "Baha'i cemetery, Qorveh" "Ahwaz (Khuzestan)" "36.2605, 59.6168"
      gravemap geocode --input places.txt --format jsonl > places.jsonl
      cut -f3 reports.tsv | gravemap geocode --input - --format jsonl | jq .name
    """
    from gravemap.geocode import resolve_place, resolve_province
    from gravemap.text import escape_controls, escape_controls_in_json

    items = [q for q in queries]
    if input_file is not None:
        items.extend(_read_queries(input_file))
    if not items:
        raise click.UsageError("give one or more QUERY arguments or --input FILE")
    country = country.strip().upper()
    if province is not None and resolve_province(province, country) is None:
        raise click.BadParameter(
            f"{province!r} is not a province of {country}; give its name in English or "
            "Persian, e.g. Kurdistan or کردستان",
            param_hint="--province",
        )
    results = []
    messages: list[str] = []
    for query in _progress(items):
        result = resolve_place(
            query,
            country=country,
            province=province,
            candidates=limit,
            online=online,
        )
        results.append(result.to_json())
        if not result.ok:
            messages.append(f"{query!r}: {result.error}: {result.hint}")
        elif result.distance_km is not None and result.match is not None:
            messages.append(
                f"{query!r}: a point {result.distance_km:.1f} km from the centre of "
                f"{result.match.name}"
            )
        elif result.description:
            messages.append(f"{query!r}: {result.description!r} describes the site, not the place")
        if fmt == "jsonl":
            click.echo(escape_controls_in_json(json.dumps(results[-1], ensure_ascii=False)))
    if fmt == "json":
        click.echo(escape_controls_in_json(json.dumps(results, ensure_ascii=False, indent=2)))
    elif fmt == "table":
        from gravemap.cli.read import render_table

        table = render_table([_table_row(r) for r in results], TABLE_COLUMNS)
        click.echo(escape_controls(table, keep_newlines=True))  # queries may come from a file
    for message in messages:
        info(message)
    unresolved = sum("error" in r for r in results)
    if unresolved:
        info(
            f"{unresolved} of {len(results)} quer{'y' if len(results) == 1 else 'ies'} not "
            "resolved (no match or ambiguous)"
        )
        ctx.exit(1)
