"""`gravemap validate`: every problem in a data file in one run."""

from __future__ import annotations

from pathlib import Path

import click

from gravemap.cli.options import AppState, info, pass_state


@click.command("validate")
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@pass_state
def validate_command(state: AppState, file: Path | None) -> None:
    """Check FILE (default: the data file) and print every problem, one per line.

    Each line reads `FILE:ID: field: what is wrong; how to fix`. Exits 0 when the file is
    valid, 1 when any problem was found. A site in Iran whose point lies outside its stated
    province (by more than 10 km, Natural Earth's borders being generalised) is a warning
    naming both provinces; warnings alone still exit 0.

    \b
    Examples:
      gravemap validate
      gravemap validate colleague/sites.geojson
    """
    import hashlib

    from gravemap import validation_cache
    from gravemap.errors import DataFileError
    from gravemap.model import validate_collection
    from gravemap.store import parse_json, paused_gc, read_data_bytes
    from gravemap.text import escape_controls
    from gravemap.validation_fast import proven_valid, site_province_warnings

    path = file or state.data
    raw = read_data_bytes(path)  # a missing or unreadable file is an error, exit 1
    digest: list[str] = []  # worked out while the file's shares are checked
    with paused_gc():
        proof = proven_valid(
            raw,
            notes=site_province_warnings,
            meanwhile=lambda: digest.append(hashlib.sha256(raw).hexdigest()),
        )
    if proof is not None:  # valid: nothing to explain, only the warnings to print
        for warning in proof.notes:
            click.echo(escape_controls(warning.format(str(path))))
        validation_cache.remember(digest[0])  # later reads need not check
        info(f"{path}: valid ({proof.count} site{'s' if proof.count != 1 else ''})")
        return
    try:
        data = parse_json(raw, str(path))
    except DataFileError as exc:  # broken JSON is a problem found in the file: report it
        click.echo(escape_controls(str(exc)))
        raise SystemExit(1) from None
    with paused_gc():
        problems = validate_collection(data)
    for problem in problems:
        click.echo(escape_controls(problem.format(str(path))))
    from gravemap.basemap import province_warnings

    for warning in province_warnings(data):
        click.echo(escape_controls(warning.format(str(path))))
    if problems:
        info(f"{path}: {len(problems)} problem{'s' if len(problems) != 1 else ''}")
        raise SystemExit(1)
    validation_cache.remember(hashlib.sha256(raw).hexdigest())  # later reads need not check
    count = len(data["features"])
    info(f"{path}: valid ({count} site{'s' if count != 1 else ''})")


COMMANDS = [validate_command]
