"""Writing files so that a crash, a kill or a full disk leaves the old file or the new, never half.

One helper for every file gravemap writes: the data file (under the store's lock), maps,
exports and caches. The new content goes to a temporary file in the same folder, named
`.NAME.PID.RANDOM.tmp`, which is flushed, fsynced and renamed over the target; on any error
the temporary file is removed and the target is untouched.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

__all__ = [
    "open_regular",
    "remove_stale_temporaries",
    "replace_atomically",
    "temporary_name_prefix",
    "write_atomic",
]


def open_regular(path: str | os.PathLike[str], *, follow_symlinks: bool = True) -> Any:
    """`path` opened for reading in binary, refused (OSError, EINVAL) unless a regular file.

    A named pipe would block the reader for ever and a device (/dev/zero, /dev/urandom) never
    ends, so neither is read: the file is opened without blocking and checked first. A folder
    raises IsADirectoryError. With `follow_symlinks=False` a symbolic link is refused too
    (OSError, ELOOP): a file received from someone else may be a link to another of yours.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    if not follow_symlinks:
        if os.path.islink(path):
            raise OSError(
                errno.ELOOP,
                "it is a symbolic link to another file (give that file itself)",
                str(path),
            )
        flags |= getattr(os, "O_NOFOLLOW", 0)  # a link made after the look above
    fd = os.open(path, flags)
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, "is a folder", str(path))
        if not stat.S_ISREG(mode):
            kind = (
                "a named pipe"
                if stat.S_ISFIFO(mode)
                else "a device"
                if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
                else "not a file"
            )
            raise OSError(errno.EINVAL, f"it is {kind}, not a regular file", str(path))
        if hasattr(os, "O_NONBLOCK"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def temporary_name_prefix(path: Path) -> str:
    """The prefix of the temporary files written beside `path` by this process."""
    return f".{path.name}.{os.getpid()}."


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive
        return True
    except OSError:
        return True
    return True


def remove_stale_temporaries(path: str | os.PathLike[str]) -> list[Path]:
    """Remove the temporary files that writers of `path` killed mid-write left behind.

    A writer killed by SIGKILL (or power loss) cannot clean up: its `.NAME.PID.RANDOM.tmp` is
    a full copy of what it was writing (for the data file, private fields included), which
    `git add -A` would commit. Only files of processes that no longer run are removed, never
    a live writer's. Returns the paths removed.
    """
    path = Path(path)
    parent = path.parent if str(path.parent) else Path(".")
    prefix = f".{path.name}."
    removed = []
    try:
        names = os.listdir(parent)
    except OSError:
        return removed
    for name in names:
        if not (name.startswith(prefix) and name.endswith(".tmp")):
            continue
        pid_text = name[len(prefix) : -len(".tmp")].split(".", 1)[0]
        if not pid_text.isdigit() or int(pid_text) == os.getpid() or _alive(int(pid_text)):
            continue
        with contextlib.suppress(OSError):
            os.unlink(parent / name)
            removed.append(parent / name)
    return removed


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):  # make the rename itself durable where the OS allows
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


@contextlib.contextmanager
def replace_atomically(path: str | os.PathLike[str], *, mode: int | None = None) -> Iterator[Path]:
    """Yield a temporary path beside `path`; when the block ends without error, it replaces `path`.

    Whoever writes the temporary path (Python, GDAL, pandas) must have closed it by then. The
    new file keeps the mode of the file it replaces (or `mode`, or the umask's default).
    """
    path = Path(path)
    parent = path.parent if str(path.parent) else Path(".")
    if mode is None:
        try:
            mode = path.stat().st_mode & 0o777
        except FileNotFoundError:
            mode = _default_mode()
    fd, tmp_name = tempfile.mkstemp(dir=parent, prefix=temporary_name_prefix(path), suffix=".tmp")
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        with open(tmp, "rb+") as written:
            os.fsync(written.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_folder(parent)


def write_atomic(
    path: str | os.PathLike[str], data: bytes | Iterable[bytes], *, mode: int | None = None
) -> None:
    """Replace `path` with `data` so that a crash leaves the old file or the new, never half.

    `data` is the bytes, or their parts in order (a large page is never joined in memory)."""
    with replace_atomically(path, mode=mode) as tmp, open(tmp, "wb") as out:
        if isinstance(data, (bytes, bytearray, memoryview)):
            out.write(data)
        else:
            out.writelines(data)
