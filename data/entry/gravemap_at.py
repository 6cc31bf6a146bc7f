"""Run the gravemap command line with `added.at` pinned, so that replaying the entry log is exact.

gravemap stamps each new site with the moment it is added (`added.at`). Replaying the log would
then differ from the published file on every run. This runner takes that moment from the
environment instead: `GRAVEMAP_ENTRY_AT` (an ISO 8601 UTC time such as 2026-11-27T03:35:35Z,
the time the pass was first entered) or else `SOURCE_DATE_EPOCH` (seconds since 1970, the
reproducible-builds convention). With neither set it is plain `gravemap`.

    GRAVEMAP_ENTRY_AT=2026-12-02T13:00:00Z python data/entry/gravemap_at.py --data x.geojson add ...

Only the clock changes: every command is gravemap's own, with its own checks.
"""

from __future__ import annotations

import datetime as _dt
import os
import sys


def pinned_moment() -> str | None:
    """The pinned time as gravemap writes it (YYYY-MM-DDTHH:MM:SSZ), or None."""
    at = os.environ.get("GRAVEMAP_ENTRY_AT", "").strip()
    if at:
        moment = _dt.datetime.fromisoformat(at.replace("Z", "+00:00"))
    elif os.environ.get("SOURCE_DATE_EPOCH", "").strip():
        moment = _dt.datetime.fromtimestamp(int(os.environ["SOURCE_DATE_EPOCH"]), _dt.timezone.utc)
    else:
        return None
    if moment.tzinfo is None:
        sys.exit(f"gravemap_at: GRAVEMAP_ENTRY_AT={at!r} has no time zone; end it with Z")
    moment = moment.astimezone(_dt.timezone.utc).replace(microsecond=0)
    return moment.isoformat().replace("+00:00", "Z")


def main() -> None:
    from gravemap import model

    moment = pinned_moment()
    if moment is not None:
        model.utc_now = lambda: moment
    from gravemap.cli import main as cli

    cli(prog_name="gravemap")


if __name__ == "__main__":
    main()
