"""Shared option decorators, parameter types and error handling for gravemap's commands.

Commands parse options, call one library function and print; everything they know about the
schema comes from `gravemap.model`. Library errors become one-line messages with exit status 1.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from gravemap import dates, model
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
            # Line breaks are kept: lists of problems span lines (each line escaped first).
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
    """A date as researchers write it, read by `gravemap.dates.parse_date`.

    ISO Gregorian (1988, 2017-06, 2018-04-30) or Solar Hijri with slashes (1397/05/12,
    ۱۳۹۷/۰۵/۱۲, 1367/05, a bare 1367). How a bare year was read is said on stderr. With
    `entered=True` the value is the whole `EnteredDate` (stored value, the source's own text),
    else the stored value alone; `undated=True` also accepts the word `undated`.
    """

    name = "DATE"

    def __init__(self, *, entered: bool = False, undated: bool = False) -> None:
        self.entered = entered
        self.undated = undated

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, dates.EnteredDate):
            return value if self.entered else value.value
        label = param.get_error_hint(ctx) if param is not None and ctx is not None else "date"
        try:
            found = dates.parse_date(str(value), field=label)
        except dates.DateError as exc:
            self.fail(exc.reason, param, ctx)
        if found.undated and not self.undated:
            self.fail(
                "'undated' is only for a status entry whose source gives no date; "
                "leave this option out instead",
                param,
                ctx,
            )
        if found.notice:
            info(f"note: {label}: {found.value}: {found.notice}")
        return found if self.entered else found.value


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
#: A date kept with the source's own text (Solar Hijri input): an `EnteredDate`.
ENTERED_DATE = PartialDate(entered=True)
#: The date of a status entry: an `EnteredDate`, `undated` allowed.
STATUS_DATE = PartialDate(entered=True, undated=True)
#: A source's date: `undated` records none (and with `cite --edit` removes a wrong one).
SOURCE_DATE = PartialDate(entered=True, undated=True)
DATE_HELP = (
    "YYYY, YYYY-MM or YYYY-MM-DD, or Solar Hijri with slashes (1397/05/12, ۱۳۹۷/۰۵/۱۲, "
    "1367/05, 1367)"
)
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
                type=SOURCE_DATE,
                help=f"When the source was published: {DATE_HELP}, e.g. 2018-07; 'undated' "
                "(or leaving it out) records none.",
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


def source_fields(kw: dict[str, Any]) -> dict[str, Any]:
    """The --source-* options as the keyword arguments of `Site.cite` / `model.new_site`."""
    return {
        "url": kw["source_url"],
        "title": kw["source_title"],
        "publisher": kw["source_publisher"],
        "date": kw.get("source_date"),
        "quote": kw.get("quote") or None,
        "accessed": kw.get("accessed"),
        "archived_url": kw.get("archived_url"),
    }


def cite_new_source(site: model.Site, kw: dict[str, Any]) -> tuple[model.Source, bool]:
    """Cite the source the --source-* options describe: (it, added?) (see `Site.cite`)."""
    return site.cite(**source_fields(kw))


def confirm(question: str, yes: bool) -> None:
    """Ask `question` at the terminal unless --yes; with no terminal to ask at, refuse."""
    if yes:
        return
    if not stdin_is_terminal():
        raise click.UsageError(
            f"{question.rstrip('?')}: this asks for confirmation and there is no terminal to "
            "ask at; add --yes to go ahead"
        )
    click.confirm(question, abort=True, err=True)


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
    click.echo(escape_controls(message), err=True)


def stdin_is_terminal() -> bool:
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False
