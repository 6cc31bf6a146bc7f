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
    default="osm",
    show_default=True,
    metavar="osm|none|URL",
    help="Background map: osm (OpenStreetMap), none (the page makes no request at all), or "
    "an http(s) template such as https://tiles.example.org/{z}/{x}/{y}.png.",
)
@click.option(
    "--include-withheld",
    is_flag=True,
    help="Also show sites marked publish: withheld (for internal review only).",
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

    Every script and stylesheet is inside the file; only map tiles come from outside, and
    --tiles none turns them off. The page shows the data file's SHA-256 so a reader can check
    the map against its data. Private fields never reach the page; sites marked publish: city
    are shown at their city's centre, and withheld sites are left out.

    \b
    Example:  gravemap render -o maps/index.html --lang fa --tiles none
    """
    from gravemap.render import TilesError, render_map, tile_source
    from gravemap.store import load_file, write_atomic

    try:
        tile_source(tiles)
    except TilesError as exc:
        raise click.BadParameter(str(exc).split("; ", 1)[-1], param_hint="'--tiles'") from None
    loaded = load_file(state.data)
    if len(loaded.collection) >= 5_000:  # a few seconds of work: say what is happening
        info(f"rendering {len(loaded.collection):,} sites from {state.data}...")
    page = render_map(
        loaded.data,
        data_sha256=loaded.sha256,
        title=title,
        lang=lang,
        tiles=tiles,
        include_withheld=include_withheld,
    )
    if str(output) == "-":
        click.echo(page, nl=False)
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(output, page.encode("utf-8"))
    sites = [s for s in loaded.collection if include_withheld or s.publish != "withheld"]
    withheld = len(loaded.collection) - len(sites)
    note = f", {withheld} withheld" if withheld else ""
    info(f"wrote {output}: {len(sites)} site{'s' if len(sites) != 1 else ''}{note}")
