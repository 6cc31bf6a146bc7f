"""Opening an untrusted KML or GeoPackage through GDAL with its own driver only, and no network.

GDAL picks a driver by a file's content, not its name: a GDAL virtual dataset
(`<OGRVRTDataSource>`) or pipeline saved as `.kml` or `.gpkg` would read any other file
(`CSV:/etc/passwd`, the researcher's own data file) or fetch `/vsicurl/http://...`. pyogrio
gives no way to name the drivers allowed to open a file (pyogrio#310), so this module closes
the hole in layers, each enough on its own for the attacks tried:

1. The content is checked in Python before GDAL sees it: a KML must be well-formed XML whose
   root element is `<kml>` with no DOCTYPE; a GeoPackage must be SQLite with the GeoPackage
   application id. Anything else is refused with one line.
2. GDAL reads the bytes from memory (`/vsimem/`), never the user's path, so no sibling file
   and no path prefix (`CSV:`, `/vsicurl/`) is ever interpreted.
3. While the file is open, every GDAL driver except the format's own (LIBKML or KML; GPKG) is
   deregistered, and the drivers are put back, in their order, afterwards.
4. GDAL's network file systems are closed for the duration (`CPL_VSIL_CURL_ALLOWED_FILENAME`,
   `CPL_VSIL_CURL_ALLOWED_EXTENSIONS`), folder listing is off, and the driver that actually
   opened the file is checked.
"""

from __future__ import annotations

import contextlib
import ctypes
import glob
import os
import warnings
import xml.parsers.expat
from collections.abc import Iterator
from pathlib import Path

from gravemap.errors import DataFileError
from gravemap.exchange.formats import MAX_LAYERS, MAX_ROWS, too_large

#: The only GDAL drivers that may open each format.
ALLOWED_DRIVERS: dict[str, tuple[str, ...]] = {"kml": ("LIBKML", "KML"), "gpkg": ("GPKG",)}

#: GDAL configuration while an untrusted file is open: no network, no folder listing, no
#: SQLite access to other files, no Python in VRTs.
SAFE_CONFIG: dict[str, str] = {
    "CPL_VSIL_CURL_ALLOWED_FILENAME": "/gravemap-imports-never-use-the-network",
    "CPL_VSIL_CURL_ALLOWED_EXTENSIONS": ".gravemap-imports-never-use-the-network",
    "GDAL_DISABLE_READDIR_ON_OPEN": "EMPTY_DIR",
    "OGR_SQLITE_ALLOW_EXTERNAL_ACCESS": "NO",
    "GDAL_VRT_ENABLE_PYTHON": "NO",
}

_SQLITE_MAGIC = b"SQLite format 3\x00"
#: GeoPackage 1.2+ writes "GPKG" as the SQLite application id; 1.0 and 1.1 wrote GP10, GP11.
_GPKG_APPLICATION_IDS = (b"GPKG", b"GP10", b"GP11")
_VRT_ROOTS = ("OGRVRTDataSource", "VRTDataset")


def check_content(data: bytes, fmt: str, path: str) -> None:
    """Refuse bytes that are not what `fmt` says (a VRT, other XML, not a GeoPackage...)."""
    if fmt == "kml":
        _check_kml(data, path)
    elif fmt == "gpkg":
        _check_gpkg(data, path)
    else:  # pragma: no cover - read_table only sends these two here
        raise DataFileError(path, f"{fmt} is not read through GDAL")


def _vrt_refusal(path: str, what: str) -> DataFileError:
    return DataFileError(
        path,
        f"is a GDAL virtual dataset ({what}), not the file its name says; such a file makes "
        "GDAL read other files or the network, so it is refused (ask the sender for the "
        "original KML, GeoPackage or CSV)",
    )


def _check_kml(data: bytes, path: str) -> None:
    root: list[str] = []
    counts = {"Placemark": 0, "Folder": 0, "Document": 0}

    def start(name: str, _attrs: object) -> None:
        local = name.rsplit(" ", 1)[-1]
        if not root:
            root.append(local)
        if local in counts:
            # Counted here, in one linear pass, before GDAL spends time on each folder.
            counts[local] += 1
            if counts["Placemark"] > MAX_ROWS:
                raise _TooLarge(f"more than {MAX_ROWS:,} placemarks")
            if counts["Folder"] + counts["Document"] > MAX_LAYERS:
                raise _TooLarge(f"more than {MAX_LAYERS} folders")

    def doctype(*_args: object) -> None:
        raise _Refused("has a DOCTYPE declaration, which KML never needs (entities are refused)")

    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = start
    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    try:
        parser.Parse(data, True)
    except _TooLarge as exc:
        raise too_large(path, str(exc)) from None
    except _Refused as exc:
        raise DataFileError(path, f"is not plain KML: it {exc}") from None
    except xml.parsers.expat.ExpatError as exc:
        if root and root[0] in _VRT_ROOTS:
            raise _vrt_refusal(path, f"<{root[0]}>") from None
        if data.lstrip()[:1] != b"<":
            what = "a GDAL pipeline (JSON)" if data.lstrip()[:1] in (b"{", b"[") else "not XML"
            raise DataFileError(
                path, f"is not KML ({what}); export the map from Google Earth or My Maps as KML"
            ) from None
        raise DataFileError(
            path,
            f"is not well-formed KML (line {exc.lineno}, column {exc.offset}: "
            f"{xml.parsers.expat.ErrorString(exc.code)}); export it again from Google Earth "
            "or My Maps",
        ) from None
    if root and root[0] in _VRT_ROOTS:
        raise _vrt_refusal(path, f"<{root[0]}>")
    if root != ["kml"]:
        found = f"<{root[0]}>" if root else "no element"
        raise DataFileError(
            path,
            f"is XML with {found} at its root, not KML (<kml>); export the map from Google "
            "Earth or My Maps as KML",
        )


class _Refused(Exception):
    pass


class _TooLarge(Exception):
    pass


def _check_gpkg(data: bytes, path: str) -> None:
    if data.lstrip()[:1] == b"<" and any(r.encode() in data[:4096] for r in _VRT_ROOTS):
        raise _vrt_refusal(path, "XML")
    if not data.startswith(_SQLITE_MAGIC):
        raise DataFileError(
            path,
            "is not a GeoPackage (it does not start as an SQLite database does); save it "
            "from QGIS as GeoPackage, or give its real format with --format",
        )
    if data[68:72] not in _GPKG_APPLICATION_IDS:
        raise DataFileError(
            path,
            "is an SQLite database but not a GeoPackage (its application id is not GPKG); "
            "save it from QGIS as GeoPackage",
        )
    layers = _gpkg_layer_count(data, path)
    if layers > MAX_LAYERS:
        raise too_large(path, f"{layers:,} layers")


def _gpkg_layer_count(data: bytes, path: str) -> int:
    """The rows of gpkg_contents, counted by Python's SQLite before GDAL opens the file.

    GDAL's GeoPackage driver takes time quadratic in the number of layers to list them
    (2,000 layers: 1 s; 4,000: 7 s), so a hostile file is refused before it gets there. Only
    the schema and one table are read; no view or trigger of the file runs.
    """
    import sqlite3

    db = sqlite3.connect(":memory:")
    try:
        if hasattr(db, "deserialize"):  # Python 3.11+
            db.deserialize(data)
        else:  # pragma: no cover - Python 3.10 reads the file itself
            db.close()
            db = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro&immutable=1", uri=True)
        db.execute("PRAGMA trusted_schema = OFF")
        kind = db.execute("SELECT type FROM sqlite_master WHERE name = 'gpkg_contents'").fetchone()
        if kind != ("table",):
            raise DataFileError(
                path, "is not a GeoPackage (it has no gpkg_contents table); save it from QGIS"
            )
        return int(db.execute("SELECT count(*) FROM gpkg_contents").fetchone()[0])
    except sqlite3.Error as exc:
        raise DataFileError(path, f"is not a readable GeoPackage ({exc})") from None
    finally:
        db.close()


# ---------------------------------------------------------------------------------------------
# Driver allow-list


def _libgdal_path() -> str | None:
    """The GDAL library pyogrio loaded (the same handle, so the same driver registry)."""
    with contextlib.suppress(OSError), open("/proc/self/maps", encoding="utf-8") as maps:
        for line in maps:
            name = line.split()[-1] if line.strip() else ""
            if "libgdal" in os.path.basename(name):
                return name
    import pyogrio

    here = Path(pyogrio.__file__).parent
    for pattern in ("../pyogrio.libs/libgdal*", ".dylibs/libgdal*", "../pyogrio/.dylibs/libgdal*"):
        found = sorted(glob.glob(str(here / pattern)))
        if found:
            return found[0]
    return None


def _gdal_library() -> ctypes.CDLL | None:
    path = _libgdal_path()
    if path is None:
        return None
    try:
        lib = ctypes.CDLL(path)
        lib.GDALGetDriverCount.restype = ctypes.c_int
        lib.GDALGetDriver.restype = ctypes.c_void_p
        lib.GDALGetDriver.argtypes = [ctypes.c_int]
        lib.GDALGetDriverShortName.restype = ctypes.c_char_p
        lib.GDALGetDriverShortName.argtypes = [ctypes.c_void_p]
        lib.GDALDeregisterDriver.argtypes = [ctypes.c_void_p]
        lib.GDALRegisterDriver.argtypes = [ctypes.c_void_p]
        lib.GDALRegisterDriver.restype = ctypes.c_int
    except (OSError, AttributeError):
        return None
    return lib


@contextlib.contextmanager
def only_drivers(names: tuple[str, ...]) -> Iterator[bool]:
    """Deregister every GDAL driver not in `names` for the block; yields whether it could."""
    import pyogrio  # noqa: F401 - loads GDAL and registers its drivers

    lib = _gdal_library()
    if lib is None:
        yield False
        return
    allowed = {n.encode() for n in names}
    original = [lib.GDALGetDriver(i) for i in range(lib.GDALGetDriverCount())]
    removed = [h for h in original if lib.GDALGetDriverShortName(h) not in allowed]
    for handle in removed:
        lib.GDALDeregisterDriver(handle)
    try:
        yield True
    finally:
        # Put every driver back in its first order, so GDAL prefers what it preferred before.
        for i in range(lib.GDALGetDriverCount() - 1, -1, -1):
            lib.GDALDeregisterDriver(lib.GDALGetDriver(i))
        for handle in original:
            lib.GDALRegisterDriver(handle)


@contextlib.contextmanager
def no_network() -> Iterator[None]:
    """GDAL configured for an untrusted file (SAFE_CONFIG), restored afterwards."""
    import pyogrio

    before = {k: pyogrio.get_gdal_config_option(k) for k in SAFE_CONFIG}
    pyogrio.set_gdal_config_options(SAFE_CONFIG)
    try:
        yield
    finally:
        pyogrio.set_gdal_config_options(before)


@contextlib.contextmanager
def untrusted(fmt: str) -> Iterator[None]:
    """The GDAL state in which an untrusted `fmt` file is read: its drivers only, no network."""
    with only_drivers(ALLOWED_DRIVERS[fmt]), no_network(), warnings.catch_warnings():
        # GDAL reads the bytes from /vsimem/ under a name without `.gpkg`, and says so.
        warnings.filterwarnings(
            "ignore", message=".*non conformant file extension", category=RuntimeWarning
        )
        yield


def check_driver(driver: str | None, fmt: str, path: str) -> None:
    """Refuse a file that a driver other than the format's own opened."""
    if driver not in ALLOWED_DRIVERS[fmt]:
        raise DataFileError(
            path,
            f"was recognised by GDAL as {driver}, not {fmt.upper()}; it is refused (ask the "
            "sender for the original file)",
        )
