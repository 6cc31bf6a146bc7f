"""Shared option decorators, parameter types and error handling for gravemap's commands.

Commands parse options, call one library function and print; everything they know about the
schema comes from `gravemap.model`. Library errors become one-line messages with exit status 1.
"""

from __future__ import annotations

import datetime as _dt
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from gravemap import model
from gravemap.errors import GravemapError, ValidationError
from gravemap.text import escape_controls

DATA_ENV = "GRAVEMAP_DATA"


@dataclass
class AppState:
    """What the group passes to every command: where the data file is."""

    data: Path


pass_state = click.make_pass_decorator(AppState)


class GravemapGroup(click.Group):
    """A click group that turns gravemap's own errors into one-line messages, never tracebacks.

    Every message is passed through `text.escape_controls`: they quote ids, field names and
    file names that may come from a hostile file, and a terminal must show them, not obey them.
    """

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return self._invoke(ctx)
        except click.ClickException as exc:
            exc.message = escape_controls(exc.message, keep_newlines=True)
            raise

    def _invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ValidationError as exc:
            raise click.ClickException(format_validation_error(exc)) from None
        except GravemapError as exc:
            raise click.ClickException(escape_controls(str(exc))) from None


def format_validation_error(exc: ValidationError) -> str:
    """All problems, one per line, prefixed by a sentence saying nothing was written."""
    lines = [escape_controls(p.format(exc.source)) for p in exc.problems]
    if len(lines) == 1:
        return f"{lines[0]} (nothing was written)"
    head = "the data would not be valid, so nothing was written:"
    return head + "\n  " + "\n  ".join(lines)


class PartialDate(click.ParamType):
    """An ISO 8601 date that may be partial: 1988, 2017-06, 2018-04-30."""

    name = "DATE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        value = str(value).strip()
        problem = model.date_problem(value)
        if problem:
            self.fail(f"{problem}; write YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2018-07)", param, ctx)
        return value


class HttpUrl(click.ParamType):
    """An http:// or https:// address; anything else (javascript:, data:, file:) is refused."""

    name = "URL"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        value = str(value).strip()
        problem = model.url_problem(value)
        if problem:
            self.fail(f"{problem}; give the source's http:// or https:// address", param, ctx)
        return value


class Slug(click.ParamType):
    name = "ID"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        value = str(value)
        if not model.ID_PATTERN.fullmatch(value):
            self.fail(f"{value!r} is not a site id (e.g. ir-ahvaz-01)", param, ctx)
        return value


PARTIAL_DATE = PartialDate()
HTTP_URL = HttpUrl()
SITE_ID = Slug()


def nonblank(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    """Callback: refuse an empty or whitespace-only text option."""
    if isinstance(value, str):
        if not value.strip():
            raise click.BadParameter("must not be empty", ctx=ctx, param=param)
        return value.strip()
    return value


def upper_code(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    """Callback: a country code in capitals (ir -> IR)."""
    return value.strip().upper() if isinstance(value, str) else value


def source_options(required: bool) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """--source-url/--source-title/--source-publisher/... describing one new source."""

    def decorator(f: Callable[..., Any]) -> Callable[..., Any]:
        opts = [
            click.option(
                "--source-url",
                type=HTTP_URL,
                required=required,
                help="Address of the source (http or https only), e.g. "
                "https://justice4iran.org/11284/",
            ),
            click.option(
                "--source-title",
                callback=nonblank,
                required=required,
                help="Title of the source document or page.",
            ),
            click.option(
                "--source-publisher",
                callback=nonblank,
                required=required,
                help="Who published it, e.g. 'Amnesty International'. Name a party "
                "to the conflict as such.",
            ),
            click.option(
                "--source-date",
                type=PARTIAL_DATE,
                help="When the source was published (YYYY, YYYY-MM or YYYY-MM-DD).",
            ),
            click.option("--quote", help="A short quote from the source that supports the claim."),
            click.option(
                "--accessed", type=PARTIAL_DATE, help="When you read the source. Default: today."
            ),
            click.option(
                "--archived-url",
                type=HTTP_URL,
                help="Address of an archived copy (e.g. a web archive snapshot).",
            ),
        ]
        for opt in reversed(opts):
            f = opt(f)
        return f

    return decorator


def new_source(site: model.Site | None, **kw: Any) -> model.Source:
    """Build a Source from the --source-* options, with the next free id on `site`."""
    accessed = kw.get("accessed") or _dt.date.today().isoformat()
    return model.Source(
        id=site.next_source_id() if site else "s1",
        publisher=kw["source_publisher"],
        title=kw["source_title"],
        url=kw["source_url"],
        date=kw.get("source_date"),
        quote=kw.get("quote") or None,
        accessed=accessed,
        archived_url=kw.get("archived_url"),
    )


FORMATS = ("table", "json", "jsonl", "csv")


def format_option(choices: tuple[str, ...] = FORMATS, default: str = "table"):
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(choices),
        default=default,
        show_default=True,
        help="Output format: " + ", ".join(choices) + ".",
    )


def info(message: str) -> None:
    """A message for the person at the terminal (stderr), never mixed into data on stdout;
    control characters in it are shown escaped, never obeyed (see `text.escape_controls`)."""
    click.echo(escape_controls(message, keep_newlines=True), err=True)


def stdin_is_terminal() -> bool:
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def data_path_default() -> str:
    return os.environ.get(DATA_ENV) or "data/sites.geojson"
