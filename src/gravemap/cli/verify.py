"""`gravemap verify MAP [FILE]`: was this map built from this data (or this export)?"""

from __future__ import annotations

from pathlib import Path

import click

from gravemap.cli.options import AppState, pass_state


@click.command("verify")
@click.argument("map_path", metavar="MAP", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@pass_state
def verify_command(state: AppState, map_path: Path, file: Path | None) -> None:
    """Check that the map MAP was built from FILE (default: the data file).

    A map shows the SHA-256 of its published data: exactly the bytes that
    `gravemap export --format geojson` writes by default. FILE may be a data file (its
    published data is computed) or such an export. Exits 0 when they match, 1 with one line
    saying so when they do not.

    \b
    Examples:
      gravemap verify maps/index.html
      gravemap verify received/index.html published.geojson
    """
    from gravemap.files import open_regular
    from gravemap.public import verify_map
    from gravemap.store import read_data_bytes
    from gravemap.text import escape_controls

    file = file or state.data
    data = read_data_bytes(file)
    try:
        page = open_regular(map_path)  # a named pipe or device is refused, not read
    except OSError as exc:
        raise click.ClickException(f"{map_path}: cannot be read ({exc.strerror or exc})") from None
    with page:
        result = verify_map(page, data, page_source=str(map_path), data_source=str(file))
    if not result.matches:
        raise click.ClickException(
            f"{map_path} does not match {file}: the map shows SHA-256 {result.page_sha256}, "
            f"{file} publishes {result.file_sha256}"
        )
    message = f"{map_path} matches {file}: published data SHA-256 {result.page_sha256}"
    click.echo(escape_controls(message))


COMMANDS = [verify_command]
