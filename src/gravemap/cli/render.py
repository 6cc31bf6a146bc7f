"""`gravemap render`: publish the data file as one self-contained HTML map."""

from __future__ import annotations

from pathlib import Path

import click

from gravemap.cli.options import AppState, info, pass_state

DEFAULT_OUTPUT = Path("maps/index.html")


@click.command("render")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=DEFAULT_OUTPUT,
    show_default=True,
    help="Where to write the map, e.g. maps/index.html; '-' writes it to stdout.",
)
@click.option(
    "--title",
    default=None,
    help="Page title. Default: 'Reported mass-grave sites of the 1988 executions in Iran' "
    "(in Persian with --lang fa).",
)
@click.option(
    "--lang",
    type=click.Choice(["en", "fa"]),
    default="en",
    show_default=True,
    help="Interface language; fa gives a right-to-left Persian page.",
)
@click.option(
    "--tiles",
    default="none",
    show_default=True,
    metavar="none|osm|URL",
    help="Raster tiles above the built-in basemap: none (the page makes no request at all), "
    "osm (OpenStreetMap) or an http(s) template such as "
    "https://tiles.example.org/{z}/{x}/{y}.png (braces may hold only {s}, {z}, {x}, {y} and "
    "{r}). With tiles, the tile server sees which area a reader views, and the page says so.",
)
@click.option(
    "--include-withheld",
    is_flag=True,
    help="Also show sites marked publish: withheld, at their city centre, on a page marked "
    "INTERNAL (title and banner): for internal review only, never to publish.",
)
@pass_state
def render_command(
    state: AppState,
    output: Path,
    title: str | None,
    lang: str,
    tiles: str,
    include_withheld: bool,
) -> None:
    """Write the sites as one HTML file that opens offline, from disk or a USB stick.

    Every script, stylesheet and the basemap are inside the file: by default the page makes no
    request at all; --tiles osm|URL adds raster tiles from a tile server. What reaches the
    page is the public view (see README):
    private fields never do, sites marked publish: city are shown at their city's centre, and
    withheld sites are left out. The page shows the SHA-256 of the published data (the bytes
    `gravemap export --format geojson` writes by default), which `gravemap verify` checks.

    \b
    Example:  gravemap render -o maps/index.html --lang fa
    """
    from gravemap.render import TilesError, render_page, tile_source
    from gravemap.store import load_file

    try:
        tile_source(tiles)
    except TilesError as exc:
        raise click.BadParameter(str(exc).split("; ", 1)[-1], param_hint="'--tiles'") from None
    if str(output) != "-" and same_file(output, state.data):
        raise click.UsageError(f"-o {output} is the data file itself; write the map elsewhere")
    loaded = load_file(state.data)
    if len(loaded.collection) >= 5_000:  # a few seconds of work: say what is happening
        info(f"rendering {len(loaded.collection):,} sites from {state.data}...")
    page = render_page(  # the page's parts, written one after the other
        loaded.data,
        title=title,
        lang=lang,
        tiles=tiles,
        include_withheld=include_withheld,
    )
    if str(output) == "-":
        for part in page:
            click.echo(part, nl=False)
        return
    write_output(output, page)
    features = loaded.data["features"]
    withheld = (
        0
        if include_withheld
        else sum(f["properties"].get("publish") == "withheld" for f in features)
    )
    shown = len(features) - withheld
    note = f", {withheld} withheld" if withheld else ""
    if include_withheld:
        note += "; INTERNAL page (it shows withheld sites): do not publish it"
    info(f"wrote {output}: {shown} site{'s' if shown != 1 else ''}{note}")


def same_file(output: Path, data: Path) -> bool:
    """Whether writing `output` would replace the data file (same path, link or hard link)."""
    try:
        return output.resolve() == Path(data).resolve() or output.samefile(data)
    except OSError:
        return False


def write_output(output: Path, payload: bytes | list[bytes | bytearray]) -> None:
    """Replace `output` atomically; a full disk or read-only folder is one line, exit 1."""
    from gravemap.errors import DataFileError
    from gravemap.files import remove_stale_temporaries, write_atomic

    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_temporaries(output)  # half-written maps of renders that were killed
        write_atomic(output, payload)
    except OSError as exc:
        raise DataFileError(
            str(output), f"cannot be written ({exc.strerror or exc}); the old file, if any, is kept"
        ) from None
