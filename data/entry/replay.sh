#!/usr/bin/env bash
# Replay the whole dataset, both passes, from an empty file: the one way data/sites.geojson is made.
#
#   bash data/entry/replay.sh OUT.geojson        (or: GRAVEMAP_DATA=OUT.geojson bash data/entry/replay.sh)
#
# OUT must not exist yet: the log adds every site, so running it on a filled file would add them
# twice (if a replay stops on an error, delete OUT before the next). The result is byte-for-byte
# data/sites.geojson:
#
#   bash data/entry/replay.sh /tmp/sites.geojson && cmp /tmp/sites.geojson data/sites.geojson
#
# Every command is gravemap's own, run through data/entry/gravemap_at.py, which pins the one thing
# that would otherwise differ on each run: `added.at`, the moment a site is added. Each pass pins it
# to when that pass was entered. $PYTHON is the Python that has gravemap installed (default python3).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out=${1:-${GRAVEMAP_DATA:-}}
if [ -z "$out" ]; then
  echo "replay.sh: name the file to create: bash data/entry/replay.sh OUT.geojson" >&2
  exit 2
fi
if [ -e "$out" ]; then
  echo "replay.sh: $out already exists; the log adds every site, so give a path that does not exist yet" >&2
  exit 2
fi
export GRAVEMAP_DATA=$out
# One gravemap process runs every command in turn (gravemap_at.py --serve): the gazetteer loads
# once, not once per command. gm sends a command's arguments and prints what it printed on
# stdout; its exit status is the command's. Its stderr goes straight to this script's stderr.
coproc GM { exec "${PYTHON:-python3}" "$here/gravemap_at.py" --serve; }
gm() {
  local out rc
  printf '%s\0' "${GRAVEMAP_ENTRY_AT:-}" "$#" "$@" >&"${GM[1]}"
  IFS= read -r -d '' out <&"${GM[0]}"
  IFS= read -r rc <&"${GM[0]}"
  printf '%s' "$out"
  return "$rc"
}

# Pass 1: shared/sources/1988-reported-sites.md, entered 27 November 2026.
export GRAVEMAP_ENTRY_AT=2026-11-27T03:35:35Z
source "$here/1988-reported-sites.sh"

# Pass 2: shared/sources/1988-reported-sites-2.md, entered 2 December 2026, with the corrections
# to pass 1 that its rules call for.
export GRAVEMAP_ENTRY_AT=2026-12-02T13:00:00Z
source "$here/1988-reported-sites-2.sh"

gm validate
