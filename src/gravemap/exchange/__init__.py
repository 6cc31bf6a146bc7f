"""Import and export: the files researchers already use (CSV, GeoJSON, KML, GeoPackage).

The package is split along its seams:

- `formats`: format names, file suffixes, the columns of the tabular form, formula defusing;
- `export`: what may leave the file (`prepare_for_export`) and the writers (`write_export`);
- `readers`: reading an input file into a `Table` of rows (`read_table`);
- `cells`: everyday status words and coordinates as spreadsheet cells hold them;
- `importing`: mapping columns to fields, building sites from rows (`prepare_import`);
- `adding`: adding them to a collection, matching stored sites, `--update` (`apply_import`);
- `gdal`: opening an untrusted KML or GeoPackage with its own driver only, and no network.

Every public name is re-exported here, so `from gravemap import exchange` is all a caller needs.
geopandas and pyogrio are imported inside the functions that need them: loading them costs
about a second, which commands that do not export should not pay.
"""

from __future__ import annotations

from gravemap.errors import DataFileError, GravemapError, InputError
from gravemap.exchange.adding import UPDATABLE_FIELDS, apply_import, site_keys
from gravemap.exchange.export import (
    CityCentre,
    ExportError,
    ExportOptions,
    ExportSummary,
    export_collection_json,
    guess_export_format,
    kml_description,
    prepare_for_export,
    record_columns,
    site_record,
    write_export,
)
from gravemap.exchange.formats import (
    EXPORT_FORMATS,
    FORMULA_STARTS,
    IMPORT_FORMATS,
    JSON_COLUMNS,
    LAYER_NAME,
    OWN_FORM_COLUMNS,
    OWN_FORM_TEXT,
    READABLE_COLUMNS,
    STREAM_FORMATS,
    SUFFIXES,
    defuse_formula,
    restore_formula_text,
)
from gravemap.exchange.importing import (
    IMPORT_FIELDS,
    PLACEHOLDER_ID,
    Candidate,
    ImportProblemsError,
    ImportResult,
    ImportSettings,
    MissingPrecisionError,
    PreparedImport,
    Resolver,
    apply_mapping_overrides,
    default_resolver,
    fields_help,
    guess_fallbacks,
    guess_mapping,
    html_to_text,
    is_own_form,
    normalise_header,
    prepare_import,
    read_date,
    table_has_coordinates,
)
from gravemap.exchange.readers import (
    Row,
    Table,
    guess_import_format,
    parse_number,
    read_table,
)

__all__ = [
    "EXPORT_FORMATS",
    "FORMULA_STARTS",
    "IMPORT_FIELDS",
    "IMPORT_FORMATS",
    "JSON_COLUMNS",
    "LAYER_NAME",
    "OWN_FORM_COLUMNS",
    "OWN_FORM_TEXT",
    "PLACEHOLDER_ID",
    "READABLE_COLUMNS",
    "STREAM_FORMATS",
    "SUFFIXES",
    "UPDATABLE_FIELDS",
    "Candidate",
    "CityCentre",
    "DataFileError",
    "ExportError",
    "ExportOptions",
    "ExportSummary",
    "GravemapError",
    "ImportProblemsError",
    "ImportResult",
    "ImportSettings",
    "InputError",
    "MissingPrecisionError",
    "PreparedImport",
    "Resolver",
    "Row",
    "Table",
    "apply_import",
    "apply_mapping_overrides",
    "default_resolver",
    "defuse_formula",
    "export_collection_json",
    "guess_export_format",
    "guess_import_format",
    "guess_mapping",
    "html_to_text",
    "fields_help",
    "guess_fallbacks",
    "read_date",
    "is_own_form",
    "kml_description",
    "normalise_header",
    "parse_number",
    "prepare_for_export",
    "prepare_import",
    "read_table",
    "record_columns",
    "restore_formula_text",
    "site_keys",
    "site_record",
    "table_has_coordinates",
    "write_export",
]
