"""Adding prepared sites to a collection: new sites, rows that match stored ones, duplicates.

`apply_import` is meant to run inside `store.edit_collection`, so an import is one locked,
atomic write. A row that matches a stored site is never dropped silently: it is skipped when
it says nothing new, otherwise what differs is reported and, when asked, applied.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from gravemap import dates, model
from gravemap.exchange.importing import (
    Candidate,
    ImportProblemsError,
    ImportResult,
    PreparedImport,
    SiteUpdate,
)


def _name_key(site: model.Site) -> str:
    return " ".join(site.name.split()).casefold()


def site_keys(site: model.Site) -> set[tuple[str, str, str]]:
    """What makes two sites the same report: a shared source URL, the same name and place."""
    name = _name_key(site)
    city = " ".join((site.city or site.location.query).split()).casefold()
    return {(s.url.strip(), name, city) for s in site.sources}


# From least to most restrictive.
_PUBLISH_ORDER = ("full", "city", "withheld")


def _keep() -> None:
    """A difference reported but never applied."""


#: Site fields a row can correct on a stored site, compared when the row gives them.
UPDATABLE_FIELDS = ("name", "name_fa", "city", "city_fa", "province", "notes", "publish")


def apply_import(
    collection: model.SiteCollection,
    prepared: PreparedImport,
    *,
    skip_invalid: bool = False,
    update: bool = False,
) -> ImportResult:
    """Add the prepared sites; rows matching a stored site are compared with it, never dropped.

    A row matches a stored site by id (gravemap's own form), by a source URL that only that
    site and only that row cite, or by the same source URL, name and place. A match that says
    nothing new is skipped; one that differs is reported in `ImportResult.updates` and, with
    `update`, applied (corrected fields, a new source, a new status history entry). An added
    site that looks like one already there (`duplicates.similar_sites`'s rule, through a
    `SiteIndex`: a similar name in the same place, a shared source) is added and named in
    `ImportResult.possible_duplicates`.

    Raises ImportProblemsError if any row has a problem and `skip_invalid` is false, before
    touching the collection. A gravemap site keeps its id unless the collection uses (or once
    used) it.
    """
    if prepared.problems and not skip_invalid:
        raise ImportProblemsError(prepared.problems, prepared.source)
    from gravemap.duplicates import SiteIndex

    result = ImportResult()
    # Stored sites indexed by place once: each row is compared with the sites in its place,
    # not with every site (rows x sites comparisons made a large import take minutes).
    index = SiteIndex(collection)
    known: dict[tuple[str, str, str], str] = {}
    cited_by: dict[str, set[str]] = {}
    for site in collection:
        for key in site_keys(site):
            known.setdefault(key, site.id)
        for source in site.sources:
            cited_by.setdefault(source.url.strip(), set()).add(site.id)
    # A URL that several rows of the file cite is the list's own address, not one site's.
    rows_citing: dict[str, int] = {}
    for candidate in prepared.candidates:
        for url in {s.url.strip() for s in candidate.site.sources}:
            rows_citing[url] = rows_citing.get(url, 0) + 1
    taken_ids = {s.id for s in collection}
    used_ids = taken_ids | set(collection.retired_ids)  # kept up to date: ids are never reused
    for candidate in prepared.candidates:
        site = copy.deepcopy(candidate.site)
        match, how = _match(site, candidate, taken_ids, known, cited_by, rows_citing)
        if match is not None:
            stored = collection.get(match)
            changes = _differences(stored, site, candidate.given)
            if not changes:
                result.skipped.append((candidate.row, match))
                continue
            change = SiteUpdate(candidate.row, match, how, [c for c, _ in changes])
            if update:
                for _text, apply in changes:
                    if apply is not _keep:
                        apply()
                        change.applied = True
                index.add(stored)  # its place or sources may have changed
            result.updates.append(change)
            continue
        if not (candidate.keep_id and site.id not in used_ids):
            site.id = collection.new_id(site.country, site.city or site.name, taken=used_ids)
        for other, why in index.similar(site):
            result.possible_duplicates.append((candidate.row, site.id, other, why))
        collection.add(site)
        index.add(site)
        taken_ids.add(site.id)
        used_ids.add(site.id)
        for key in site_keys(site):
            known.setdefault(key, site.id)
        for source in site.sources:
            cited_by.setdefault(source.url.strip(), set()).add(site.id)
        result.added.append((candidate.row, site))
    return result


def _match(
    site: model.Site,
    candidate: Candidate,
    taken_ids: set[str],
    known: dict[tuple[str, str, str], str],
    cited_by: dict[str, set[str]],
    rows_citing: dict[str, int],
) -> tuple[str | None, str]:
    if candidate.keep_id and site.id in taken_ids:
        # Ids are only unique within one file: a colleague's ir-ahvaz-01 may be another site.
        # The same id is the same site when it also shares a source URL or the name.
        urls = {s.url.strip() for s in site.sources}
        shares_url = any(site.id in cited_by.get(url, set()) for url in urls)
        same_name = any(k[1] == _name_key(site) and v == site.id for k, v in known.items())
        if shares_url or same_name:
            return site.id, "id"
    for source in site.sources:
        url = source.url.strip()
        sites = cited_by.get(url, set())
        if len(sites) == 1 and rows_citing.get(url, 0) == 1:
            return next(iter(sites)), f"source URL {url}"
    for key in site_keys(site):
        if key in known:
            return known[key], "source URL, name and place"
    return None, ""


def _differences(
    stored: model.Site, row: model.Site, given: frozenset[str] | None
) -> list[tuple[str, Callable[[], None]]]:
    """(what differs, how to apply it) between a stored site and a matching row's site."""
    changes: list[tuple[str, Callable[[], None]]] = []

    def gives(fieldname: str) -> bool:
        return given is None or fieldname in given

    for fieldname in UPDATABLE_FIELDS:
        new = getattr(row, fieldname)
        old = getattr(stored, fieldname)
        if not gives(fieldname) or new is None or new == old:
            continue
        text = f"{fieldname}: {old!r} -> {new!r}"
        if fieldname == "publish" and _PUBLISH_ORDER.index(new) < _PUBLISH_ORDER.index(old):
            # A spreadsheet never makes a site more public: that is `gravemap edit`'s to do.
            changes.append((f"{text} (not applied: use gravemap edit to publish more)", _keep))
            continue

        def apply(fieldname: str = fieldname, new: Any = new) -> None:
            setattr(stored, fieldname, new)

        changes.append((text, apply))
    moved = abs(row.lat - stored.lat) > 1e-7 or abs(row.lon - stored.lon) > 1e-7
    if (gives("lat") or gives("coordinates")) and row.location.method == "manual" and moved:

        def move() -> None:
            stored.lat, stored.lon = row.lat, row.lon
            stored.location = copy.deepcopy(row.location)

        changes.append((f"point: ({stored.lat}, {stored.lon}) -> ({row.lat}, {row.lon})", move))
    by_id = {s.id: s for s in row.sources}
    for entry in row.status_history:
        same = any(
            e.status == entry.status and e.date == entry.date and e.undated == entry.undated
            for e in stored.status_history
        )
        if same:
            continue
        when = entry.date_text or entry.date or "undated"

        def add_entry(entry: model.StatusChange = entry) -> None:
            ids = []
            for source_id in entry.sources:
                source = by_id[source_id]
                cited, _added = stored.cite(
                    url=source.url,
                    title=source.title,
                    publisher=source.publisher,
                    date=dates.EnteredDate(source.date, source.date_text, "gregorian")
                    if source.date
                    else None,
                    quote=source.quote,
                    accessed=source.accessed or "",  # none given: none recorded, not today
                    archived_url=source.archived_url,
                )
                ids.append(cited.id)
            stored.add_status(
                model.StatusChange(
                    status=entry.status,
                    date=entry.date,
                    date_text=entry.date_text,
                    undated=entry.undated,
                    sources=ids,
                    note=entry.note,
                )
            )

        changes.append((f"new status entry: {entry.status} ({when})", add_entry))
    return changes
