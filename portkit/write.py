"""Write a file atomically, keeping its permissions.

The new content goes to a temporary file in the same folder, is flushed to
disk, gets the original's mode, and replaces the original with one rename:
a crash leaves either the old file or the new one, never half of either.

A symbolic link is followed: its target is rewritten in place and the link
is kept.  A file with more than one hard link is refused with an error (a
rename would give this name a new file and leave the other names with the
old content, and an in-place rewrite could be left half-done).

The temporary file is named ``.portkit-<pid>-<random>.tmp``; one left behind
by a run that was killed is removed by the next run that writes in its
folder (:func:`remove_stale`), once its process is gone.
"""
from __future__ import annotations

import os
import re
import stat
import tempfile
from typing import Iterable, List

TEMP_PREFIX = ".portkit-"
TEMP_SUFFIX = ".tmp"
_TEMP_NAME = re.compile(r"^\.portkit-(?:(\d+)-)?.*\.tmp$")


class WriteError(Exception):
    pass


def check_writable(path: str) -> None:
    """Refuse read-only files (root could write them, but the user said no)."""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        raise WriteError("cannot stat: %s" % (exc.strerror or exc))
    if not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        raise WriteError("file is read-only; not changed")


def is_temp_name(name: str) -> bool:
    return bool(_TEMP_NAME.match(name))


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return False  # this process writes one file at a time: an older one of ours is stale
    if os.name == "nt":
        return True  # os.kill(pid, 0) would end the process there
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, but belongs to someone else
    return True


def remove_stale(paths: Iterable[str]) -> List[str]:
    """Remove the temporary files among ``paths`` whose writer is gone; returns those removed."""
    removed = []
    for path in paths:
        match = _TEMP_NAME.match(os.path.basename(path))
        if not match:
            continue
        if match.group(1) and _alive(int(match.group(1))):
            continue  # another portkit is writing it right now
        try:
            if not stat.S_ISREG(os.lstat(path).st_mode):
                continue
            os.unlink(path)
        except OSError:
            continue
        removed.append(path)
    return removed


_CLEANED = set()  # folders already cleaned by this process


def _remove_stale_in(folder: str) -> None:
    if folder in _CLEANED:
        return
    _CLEANED.add(folder)
    try:
        names = [n for n in os.listdir(folder) if n.startswith(TEMP_PREFIX) and n.endswith(TEMP_SUFFIX)]
    except OSError:
        return
    remove_stale(os.path.join(folder, n) for n in names)


def target_of(path: str) -> str:
    """The file that writing ``path`` changes: a symbolic link's target."""
    return os.path.realpath(path) if os.path.islink(path) else path


def write_atomic(path: str, data: bytes) -> None:
    target = target_of(path)
    check_writable(target)
    try:
        st = os.stat(target)
    except OSError as exc:
        raise WriteError("cannot stat: %s" % (exc.strerror or exc))
    if not stat.S_ISREG(st.st_mode):
        raise WriteError("not a regular file; not changed")
    if st.st_nlink > 1:
        raise WriteError(
            "file has %d hard links; not changed (portkit replaces a file by renaming a new one "
            "over it, which would split the links)" % st.st_nlink
        )
    mode = stat.S_IMODE(st.st_mode)
    folder = os.path.dirname(os.path.abspath(target))
    _remove_stale_in(folder)
    try:
        fd, temp = tempfile.mkstemp(prefix="%s%d-" % (TEMP_PREFIX, os.getpid()), suffix=TEMP_SUFFIX, dir=folder)
    except OSError as exc:
        raise WriteError("cannot create a temporary file in %s: %s; not changed" % (folder, exc.strerror or exc))
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode)
        os.replace(temp, target)
    except BaseException as exc:
        try:
            os.unlink(temp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise WriteError("cannot write: %s" % (exc.strerror or exc))
        raise
