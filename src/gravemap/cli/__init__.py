"""gravemap's command line: a thin skin over the library (see `gravemap --help`)."""

from __future__ import annotations

from pathlib import Path

import click

from gravemap import __version__
from gravemap.cli.options import DATA_ENV, AppState, GravemapGroup
from gravemap.store import DEFAULT_DATA

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group(cls=GravemapGroup, context_settings=CONTEXT_SETTINGS)
@click.option(
    "--data",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar=DATA_ENV,
    default=DEFAULT_DATA,
    show_default=True,
    help=f"The sites file to read and change (also set by ${DATA_ENV}).",
)
@click.version_option(__version__, prog_name="gravemap")
@click.pass_context
def main(ctx: click.Context, data: Path) -> None:
    """Document reported mass-grave sites with their sources, and publish safe maps.

    \b
    Researchers:  gravemap add --name "..." --city Ahvaz --status bulldozed ...
    Reviewers:    gravemap list; gravemap show ir-ahvaz-01; gravemap validate
    Advocates:    gravemap render -o maps/index.html

    Every site carries its sources, its dated status history and how precise its location is.
    Nothing here uses the network unless you pass --online.
    """
    ctx.obj = AppState(data=data)


def _register() -> None:
    """Add every command; their modules import heavy libraries only when a command runs."""
    from gravemap.cli import (
        add,
        cite,
        edit,
        exchange,
        geocode,
        history,
        merge,
        read,
        remove,
        render,
        status,
        timeline,
        verify,
    )
    from gravemap.cli import validate as validate_module

    modules = (
        add,
        status,
        history,
        cite,
        edit,
        merge,
        remove,
        read,
        validate_module,
        exchange,
        timeline,
        verify,
    )
    for module in modules:
        for command in module.COMMANDS:
            main.add_command(command)
    main.add_command(geocode.geocode_command)
    main.add_command(render.render_command)


_register()
