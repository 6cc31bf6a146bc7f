"""`gravemap export` and `gravemap import`: GeoJSON, GeoPackage, KML and CSV out and in."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from gravemap import model
from gravemap.cli.options import (
    DATE_HELP,
    HTTP_URL,
    SOURCE_DATE,
    STATUS_DATE,
    AppState,
    info,
    nonblank,
    pass_state,
    upper_code,
)
from gravemap.cli.read import filter_options, render_table
from gravemap.errors import InputError
from gravemap.exchange import EXPORT_FORMATS, IMPORT_FORMATS  # light: GDAL loads lazily
from gravemap.exchange.cells import synonyms_help
from gravemap.exchange.formats import LIMITS_TEXT
from gravemap.exchange.importing import fields_help

IMPORT_HELP = """Add the sites of a CSV, GeoJSON, KML or GeoPackage file.

Rows with coordinates keep them (say how precise with --precision, or a precision
column); rows that name a place (city, province) are geocoded offline. Every row needs
a source: a URL and a publisher (columns, or --source-url/--source-publisher for all).

All or nothing: if any row has a problem, nothing is written and every problem is
listed as FILE:row N: field: what is wrong; how to fix (CSV rows are numbered as in
the spreadsheet, the header being row 1; GeoJSON features and KML placemarks from 1).
Sites already in the data file (same source URL, name and place) are skipped, so
importing a file twice adds nothing the second time. gravemap's own exports are read
back whole, ids and all.

Rows that match a stored site (by id, or by a source URL only that site and that row
cite) are compared with it: what differs is listed, and applied with --update (corrected
fields, a new source, a new status entry); a match that says nothing new is skipped.

Everyday status words are understood, in English and Persian: {statuses}

A single coordinates column ("36.2605, 59.6168" as map sites copy it, Persian digits,
or degrees-minutes-seconds such as 35°36'44.4"N 51°23'10.2"E) is read as latitude,
longitude; lat and lon columns may hold degrees-minutes-seconds too. Latitude and
longitude that look swapped are refused. A row with coordinates needs no city. Dates
may be Gregorian (2019-05) or Solar Hijri with slashes (1398/02/15), or undated.

Prints the ids of the added sites on stdout.

Limits, so that a hostile or mistaken file is refused at once: a file may hold
{limits}.

\b
Examples:
  gravemap import sites.csv --dry-run
  gravemap import places.kml --precision site --source-publisher "Example Group"
  gravemap import list.csv --map city=Town --source-url https://example.org/list \\
    --source-publisher "Example Group" --status-date 2019
"""

#: Files with more rows than this show a progress bar (on stderr, when it is a terminal).
PROGRESS_MIN_ROWS = 20


@click.command("export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(EXPORT_FORMATS),
    help="geojson (gravemap's own form: re-importable exactly), gpkg (GeoPackage, "
    "for QGIS), kml (Google Earth / My Maps) or csv (UTF-8 with a byte-order mark, "
    "so Excel shows Persian text intact). Default: from the -o suffix.",
)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, allow_dash=True),
    help="File to write, e.g. sites.gpkg; '-' writes geojson or csv to stdout.",
)
@click.option(
    "--include-private",
    is_flag=True,
    help="Keep the private fields and who added each site, and every recorded point "
    "(implies --full-locations): a complete copy for a trusted colleague.",
)
@click.option(
    "--include-withheld",
    is_flag=True,
    help="Also export sites marked publish: withheld (placed at their city centre "
    "unless --full-locations).",
)
@click.option(
    "--full-locations",
    is_flag=True,
    help="Export recorded points even for sites marked publish: city.",
)
@filter_options
@pass_state
def export_command(
    state: AppState,
    fmt: str | None,
    output: str,
    include_private: bool,
    include_withheld: bool,
    full_locations: bool,
    statuses: tuple[str, ...],
    city: str | None,
    province: str | None,
    verification: str | None,
) -> None:
    """Write sites as GeoJSON, GeoPackage, KML or CSV, fit to hand on by default.

    An export is a file that can travel further than you meant, so by default it shows
    what a published map shows: private fields are left out, sites marked publish:
    withheld are left out, and sites marked publish: city are placed at their city's
    centre (their location then says precision city, and that the recorded point was
    not exported). For a colleague who must see everything, add --include-private
    (and --include-withheld).

    GeoPackage, KML and CSV keep every field: readable columns (status, history,
    sources...) plus the nested fields as JSON text (sources_json, status_history_json,
    location_json, victims_json, added_json), which `gravemap import` reads back. CSV is
    written in UTF-8 with a byte-order mark so that Excel opens Persian text intact, and a
    text cell that a spreadsheet would run as a formula (starting =, +, - or @) gets a
    leading apostrophe (import removes it).

    \b
    Examples:
      gravemap export -o sites.gpkg
      gravemap export --format kml -o sites.kml --status bulldozed
      gravemap export --format csv -o - > sites.csv
      gravemap export -o backup.geojson --include-private --include-withheld
    """
    from gravemap import exchange
    from gravemap.store import load_collection

    fmt = fmt or exchange.guess_export_format(output)
    if fmt is None:
        raise click.UsageError(
            "say which format to write with --format "
            + "|".join(EXPORT_FORMATS)
            + " (the -o suffix does not say)"
        )
    if output == "-" and fmt not in exchange.STREAM_FORMATS:
        raise click.UsageError(f"{fmt} cannot be written to stdout; give a file name with -o")
    if output != "-" and Path(output).resolve() == Path(state.data).resolve():
        raise click.UsageError(f"-o {output} is the data file itself; export to another file")
    collection = load_collection(state.data)
    sites = model.select_sites(collection, statuses, city, province, verification)
    options = exchange.ExportOptions(
        include_private=include_private,
        include_withheld=include_withheld,
        full_locations=full_locations,
    )
    prepared, summary = exchange.prepare_for_export(sites, options)
    target: Any = sys.stdout.buffer if output == "-" else output
    exchange.write_export(prepared, fmt, target, include_private=include_private)
    where = "stdout" if output == "-" else output
    info(
        f"exported {summary.written} site{'s' if summary.written != 1 else ''} to {where} as {fmt}"
    )
    if summary.withheld_left_out:
        info(
            f"left out {summary.withheld_left_out} withheld site"
            f"{'s' if summary.withheld_left_out != 1 else ''} (--include-withheld adds them)"
        )
    if summary.moved_to_city_centre:
        info(
            "placed at their city centre (publish: city): "
            + ", ".join(summary.moved_to_city_centre)
            + " (--full-locations keeps the points)"
        )
    if summary.private_left_out and any(s.private for s in sites):
        info("private fields were left out (--include-private keeps them)")


@click.command("import", help=IMPORT_HELP.format(limits=LIMITS_TEXT, statuses=synonyms_help()))
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(IMPORT_FORMATS),
    help="What FILE is. Default: from its suffix (.csv, .tsv, .geojson, .json, .kml, .gpkg).",
)
@click.option(
    "--map",
    "mappings",
    multiple=True,
    metavar="FIELD=COLUMN",
    help="Read FIELD from COLUMN, e.g. --map city=Town --map 'name=نام محل'; "
    "FIELD= ignores a column. Repeat for several. Default: guessed from the headers "
    "in English or Persian; a second column naming the same field (شهر beside City) is "
    "read where the first is empty. The fields, with some headers guessed for each: "
    + fields_help()
    + ".",
)
@click.option(
    "--precision",
    type=click.Choice(model.PRECISIONS),
    help="How precise the file's coordinates are: exact (stated by a source or survey), "
    "site (located by a researcher), city, province. Required when rows have "
    "coordinates and there is no precision column; never assumed.",
)
@click.option(
    "--source-url",
    type=HTTP_URL,
    help="Source for rows that give none, e.g. the spreadsheet's own provenance: "
    "https://example.org/list.xlsx",
)
@click.option(
    "--source-title",
    callback=nonblank,
    help="Title of the --source-url source. Default: its URL. (A row's own source "
    "with no title is cited by its URL.)",
)
@click.option(
    "--source-publisher",
    callback=nonblank,
    help="Publisher for rows that name none, e.g. 'Example Rights Group'.",
)
@click.option(
    "--source-date",
    type=SOURCE_DATE,
    help="Publication date of the --source-url source: " + DATE_HELP + ".",
)
@click.option(
    "--status-date",
    type=STATUS_DATE,
    help="When the statuses were reported, for rows with no date: "
    + DATE_HELP
    + ", or undated. Default: the source's date; a row with neither is a problem.",
)
@click.option(
    "--country",
    default="IR",
    show_default=True,
    callback=upper_code,
    help="ISO 3166-1 alpha-2 country for rows with no country column.",
)
@click.option(
    "--publish",
    type=click.Choice(model.PUBLISH_LEVELS),
    default="full",
    show_default=True,
    help="publish level for rows with no publish column.",
)
@click.option(
    "--encoding",
    default="utf-8",
    show_default=True,
    help="Text encoding of a CSV (a byte-order mark is handled), e.g. cp1256.",
)
@click.option(
    "--online",
    is_flag=True,
    help="Geocode places the offline gazetteer lacks through OpenStreetMap's Nominatim "
    "(tells the service what you look up).",
)
@click.option("--by", "added_by", help="Who is importing (kept in the file, not exported).")
@click.option(
    "--skip-invalid",
    is_flag=True,
    help="Import the good rows and list the bad ones, instead of importing nothing.",
)
@click.option(
    "--update",
    is_flag=True,
    help="Apply what rows matching a stored site (by id, or by a source URL only that site "
    "and that row cite) say differently: corrected fields, a new source, a new status "
    "entry. Default: list the differences and change nothing.",
)
@click.option("--dry-run", is_flag=True, help="Show what would be added; write nothing.")
@pass_state
def import_command(
    state: AppState,
    file: Path,
    fmt: str | None,
    mappings: tuple[str, ...],
    skip_invalid: bool,
    update: bool,
    dry_run: bool,
    **kw: Any,
) -> None:
    from gravemap import exchange
    from gravemap.store import edit_collection

    try:
        table = exchange.read_table(file, fmt, encoding=kw["encoding"])
    except InputError as exc:
        raise click.BadParameter(exc.message, param_hint=exc.field) from None
    mapping: dict[str, str] = {}
    if not exchange.is_own_form(table):
        try:
            mapping = exchange.apply_mapping_overrides(
                exchange.guess_mapping(table.columns), mappings, table.columns
            )
        except InputError as exc:
            raise click.BadParameter(exc.message, param_hint=exc.field) from None
    settings = exchange.ImportSettings(
        mapping=mapping,
        fallbacks=exchange.guess_fallbacks(table.columns, mapping),
        precision=kw["precision"],
        country=kw["country"],
        publish=kw["publish"],
        status_date=kw["status_date"],
        source_url=kw["source_url"],
        source_title=kw["source_title"],
        source_publisher=kw["source_publisher"],
        source_date=kw["source_date"],
        added_by=kw["added_by"],
        online=kw["online"],
    )
    total = len(table.features) if table.features is not None else len(table.rows)
    try:
        with _progress(total) as bar:
            prepared = exchange.prepare_import(
                table, settings, on_row=(lambda _n: bar.update(1)) if bar else None
            )
    except exchange.MissingPrecisionError as exc:
        raise click.UsageError(exc.message) from None
    _describe_mapping(prepared)
    for notice in prepared.notices:
        info(f"note: {notice}")
    with edit_collection(state.data, create=True, dry_run=dry_run) as collection:
        try:
            result = exchange.apply_import(
                collection, prepared, skip_invalid=skip_invalid, update=update
            )
        except exchange.ImportProblemsError as exc:
            raise click.ClickException(_problems_message(exc.problems, str(file))) from None
    if prepared.problems:  # only with --skip-invalid
        info(f"skipped {_rows(prepared.problems)} with problems:")
        for problem in prepared.problems:
            info("  " + problem.format(str(file)))
    if dry_run:
        if result.added:
            rows = [model.summary_row(site) for _row, site in result.added]
            click.echo(
                render_table(
                    rows,
                    (
                        "id",
                        "status",
                        "status_date",
                        "precision",
                        "city",
                        "province",
                        "name",
                        "sources",
                    ),
                )
            )
    else:
        for _row, site in result.added:
            click.echo(site.id)
    _describe_updates(result.updates, dry_run)
    for row, new_id, other, why in result.possible_duplicates:
        info(
            f"warning: row {row} ({new_id}) may be {other} reported again ({why}); compare "
            f"with `gravemap show {other}`, and join them with `gravemap merge {other} {new_id}`"
        )
    verb = "would add" if dry_run else "added"
    message = f"{file}: {verb} {len(result.added)} site{'s' if len(result.added) != 1 else ''}"
    if result.updates:
        applied = sum(u.applied for u in result.updates)
        if applied:
            message += f"; {'would update' if dry_run else 'updated'} {applied}"
        if applied < len(result.updates):
            message += f"; {len(result.updates) - applied} differ (not changed)"
    if result.skipped:
        message += f"; skipped {len(result.skipped)} already present"
    info(message + ("; dry run: nothing was written" if dry_run else ""))


def _describe_updates(updates: list[Any], dry_run: bool) -> None:
    """Each row that matches a stored site and differs: what differs, applied or not."""
    for change in updates:
        if change.applied:
            head = f"row {change.row}: {'would update' if dry_run else 'updated'}"
        else:
            head = f"row {change.row}: differs from"
        info(f"{head} {change.site_id} (matched by {change.matched_by}):")
        for line in change.changes:
            info(f"  {line}")
    if any(not u.applied for u in updates):
        info("pass --update to apply these changes")


def _rows(problems: list[model.Problem]) -> str:
    count = len({p.feature_id for p in problems})
    return f"{count} row{'s' if count != 1 else ''}"


def _problems_message(problems: list[model.Problem], source: str) -> str:
    lines = "\n".join("  " + p.format(source) for p in problems)
    return (
        f"nothing was imported: {_rows(problems)} of {source} "
        f"{'have' if len({p.feature_id for p in problems}) != 1 else 'has'} problems "
        f"(fix them, or pass --skip-invalid to import the other rows):\n{lines}"
    )


def _describe_mapping(prepared: Any) -> None:
    """Say which column fills which field, and which columns are ignored: nothing silently."""
    if prepared.own_form:
        info(f"{prepared.source}: gravemap's own format; reading whole sites")
        return
    if prepared.mapping:
        info(
            "columns: "
            + ", ".join(
                f"{f} <- {c}"
                + (f" (else {prepared.fallbacks[f]})" if f in prepared.fallbacks else "")
                for f, c in prepared.mapping.items()
            )
        )
    if prepared.ignored_columns:
        info(
            "ignored columns: "
            + ", ".join(prepared.ignored_columns)
            + " (use --map FIELD=COLUMN to read one)"
        )


class _NoBar:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def _progress(total: int) -> Any:
    """A progress bar on stderr for long files, shown only when stderr is a terminal."""
    if total < PROGRESS_MIN_ROWS or not _stderr_is_terminal():
        return _NoBar()
    return click.progressbar(length=total, label="importing", file=sys.stderr)


def _stderr_is_terminal() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


COMMANDS = [export_command, import_command]
