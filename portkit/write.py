"""Write a file atomically, keeping its permissions.

The new content goes to a temporary file in the same folder, is flushed to
disk, gets the original's mode, and replaces the original with one rename:
a crash leaves either the old file or the new one, never half of either.
"""
from __future__ import annotations

import os
import stat
import tempfile


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


def write_atomic(path: str, data: bytes) -> None:
    check_writable(path)
    mode = stat.S_IMODE(os.stat(path).st_mode)
    folder = os.path.dirname(os.path.abspath(path))
    fd, temp = tempfile.mkstemp(prefix=".portkit-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException as exc:
        try:
            os.unlink(temp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise WriteError("cannot write: %s" % (exc.strerror or exc))
        raise
