"""What gravemap reads and writes: format names, file suffixes, the columns of its tabular form.

Shared by the writers (`export`), the readers (`readers`) and the row mapping (`importing`), so
that a column name or a formula rule is declared once.
"""

from __future__ import annotations

from typing import Any

from gravemap.errors import DataFileError

EXPORT_FORMATS = ("geojson", "gpkg", "kml", "csv")
IMPORT_FORMATS = ("csv", "geojson", "kml", "gpkg")
#: Formats that can be written to a stream (`-o -`); GeoPackage and KML need a real file.
STREAM_FORMATS = ("geojson", "csv")
SUFFIXES = {
    ".geojson": "geojson",
    ".json": "geojson",
    ".gpkg": "gpkg",
    ".kml": "kml",
    ".csv": "csv",
    ".tsv": "csv",
    ".txt": "csv",
}
LAYER_NAME = "sites"

# Columns of the tabular exports, beyond `model.SUMMARY_COLUMNS`: readable summaries, then the
# nested fields as JSON text so a re-import restores them exactly.
READABLE_COLUMNS = ("history", "victims", "notes")
JSON_COLUMNS = {
    "location": "location_json",
    "status_history": "status_history_json",
    "sources": "sources_json",
    "victims": "victims_json",
    "added": "added_json",
    "private": "private_json",
}
# A table with these columns was written by `export` and is read back as whole sites.
OWN_FORM_COLUMNS = ("location_json", "status_history_json", "sources_json")
OWN_FORM_TEXT = (
    "name",
    "name_fa",
    "city",
    "city_fa",
    "province",
    "country",
    "verification",
    "publish",
    "notes",
)


# A spreadsheet runs a cell that starts with one of these as a formula (=HYPERLINK(...) can send
# data away); OWASP's advice for CSV is to prefix such text cells with an apostrophe.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def defuse_formula(text: Any) -> Any:
    """Text a spreadsheet will show as text: `=1+1` -> `'=1+1`; anything else unchanged."""
    if isinstance(text, str) and text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def restore_formula_text(text: str) -> str:
    """Undo `defuse_formula` when reading a CSV back."""
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


#: Limits on what an import reads, so that a hostile or mistaken file is refused at once
#: instead of taking minutes or gigabytes: a spreadsheet of sites is far below every one.
MAX_FILE_BYTES = 50_000_000
MAX_ROWS = 100_000
MAX_COLUMNS = 500
MAX_CELLS = 5_000_000
MAX_LAYERS = 100
LIMITS_TEXT = (
    f"at most {MAX_FILE_BYTES // 1_000_000} MB, {MAX_ROWS:,} rows, {MAX_COLUMNS} columns, "
    f"{MAX_CELLS:,} cells and {MAX_LAYERS} layers (KML folders, GeoPackage tables)"
)


def too_large(path: str, what: str) -> DataFileError:
    """The one message for a file over a limit: what it has, the limits, what to do."""
    return DataFileError(
        path, f"has {what}; gravemap imports {LIMITS_TEXT}: split the file and import each part"
    )
