"""Run the gravemap command line with `added.at` pinned, so that replaying the entry log is exact.

gravemap stamps each new site with the moment it is added (`added.at`). Replaying the log would
then differ from the published file on every run. This runner takes that moment from the
environment instead: `GRAVEMAP_ENTRY_AT` (an ISO 8601 UTC time such as 2026-11-27T03:35:35Z,
the time the pass was first entered) or else `SOURCE_DATE_EPOCH` (seconds since 1970, the
reproducible-builds convention). With neither set it is plain `gravemap`.

    GRAVEMAP_ENTRY_AT=2026-12-02T13:00:00Z python data/entry/gravemap_at.py --data x.geojson add ...

Only the clock changes: every command is gravemap's own, with its own checks.

`--serve` runs commands sent on stdin one after another in this one process (replay.sh uses it);
see `serve`.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import io
import os
import sys
from typing import BinaryIO

from gravemap import model

_REAL_CLOCK = model.utc_now


def pinned_moment(at: str | None = None) -> str | None:
    """The pinned time as gravemap writes it (YYYY-MM-DDTHH:MM:SSZ), or None.

    From `at` if given, else from the environment.
    """
    at = (os.environ.get("GRAVEMAP_ENTRY_AT", "") if at is None else at).strip()
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


def _field(stream: BinaryIO) -> str | None:
    """One NUL-terminated UTF-8 field from `stream`, or None at the end of input."""
    data = bytearray()
    while True:
        byte = stream.read(1)
        if not byte:
            return None
        if byte == b"\0":
            return data.decode("utf-8")
        data += byte


def _run(args: list[str]) -> tuple[str, int]:
    """Run one gravemap command in this process: what it printed on stdout, and its exit code."""
    from gravemap.cli import main as cli

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        try:
            cli.main(args=args, prog_name="gravemap")
            code = 0
        except SystemExit as exc:
            if exc.code is None or isinstance(exc.code, int):
                code = exc.code or 0
            else:
                print(exc.code, file=sys.stderr)
                code = 1
    return out.getvalue(), code


def serve(requests: BinaryIO, replies: BinaryIO) -> None:
    """Run commands as they arrive, one process for a whole replay (see replay.sh).

    A request is the moment to pin `added.at` to (GRAVEMAP_ENTRY_AT's value, or empty), the
    number of arguments and then each argument, every field ending in NUL. The reply is the
    command's stdout, a NUL, and its exit code on a line; its stderr is this process's. The
    gazetteer and the libraries load once instead of once per command, so a replay takes
    seconds, not minutes; its result is the same, byte for byte (the dataset test compares it
    with the published file).
    """
    while True:
        at = _field(requests)
        count = _field(requests)
        if at is None or count is None:
            return
        args = [_field(requests) or "" for _ in range(int(count))]
        _pin(pinned_moment(at))
        out, code = _run(args)
        replies.write(out.encode("utf-8") + b"\0" + f"{code}\n".encode())
        replies.flush()


def _pin(moment: str | None) -> None:
    """Make gravemap stamp new sites with `moment` (None: the real clock)."""
    model.utc_now = (lambda: moment) if moment is not None else _REAL_CLOCK


def main() -> None:
    _pin(pinned_moment())
    if sys.argv[1:] == ["--serve"]:
        serve(sys.stdin.buffer, sys.stdout.buffer)
        return
    from gravemap.cli import main as cli

    cli(prog_name="gravemap")


if __name__ == "__main__":
    main()
