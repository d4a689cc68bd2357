"""Per-file results kept between runs.

One cache file per settings fingerprint (portkit version, selected codes,
scan or fix) in the user's cache folder.  An entry is keyed by path and holds
the file's size, mtime and content hash: a file whose size and mtime are
unchanged is not even read; one whose content hash is unchanged is not parsed.
Only results without errors and without changes to write are stored.
"""
from __future__ import annotations

import os
import pickle
import tempfile
from typing import Dict, Optional, Tuple

from .model import FileResult
from .settings import Settings

Entry = Tuple[int, int, str, FileResult]  # size, mtime_ns, hash, result


def default_dir() -> str:
    env = os.environ.get("PORTKIT_CACHE_DIR")
    if env:
        return env
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "portkit")


class Cache:
    def __init__(self, settings: Settings):
        self.path = os.path.join(settings.cache_dir, "results-%s.pickle" % settings.fingerprint())
        self.entries: Dict[str, Entry] = {}
        self.dirty = False
        try:
            with open(self.path, "rb") as handle:
                loaded = pickle.load(handle)
            if isinstance(loaded, dict):
                self.entries = loaded
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, ValueError, TypeError):
            self.entries = {}

    @staticmethod
    def _stat(path: str):
        try:
            st = os.stat(path)
        except OSError:
            return None
        return st.st_size, st.st_mtime_ns

    def lookup(self, path: str) -> Tuple[Optional[FileResult], Optional[str]]:
        """``(result, None)`` when size and mtime match; else ``(None, known hash)``."""
        key = os.path.abspath(path)
        entry = self.entries.get(key)
        if entry is None:
            return None, None
        stat = self._stat(path)
        if stat is not None and stat == entry[:2]:
            return entry[3], None
        return None, entry[2]

    def cached_result(self, path: str) -> Optional[FileResult]:
        entry = self.entries.get(os.path.abspath(path))
        return entry[3] if entry else None

    def store(self, path: str, digest: str, result: FileResult) -> None:
        if result.error or result.new_content is not None:
            return
        stat = self._stat(path)
        if stat is None:
            return
        self.entries[os.path.abspath(path)] = (stat[0], stat[1], digest, result)
        self.dirty = True

    def save(self) -> None:
        if not self.dirty:
            return
        folder = os.path.dirname(self.path)
        try:
            os.makedirs(folder, exist_ok=True)
            fd, temp = tempfile.mkstemp(dir=folder, prefix=".results-", suffix=".tmp")
            with os.fdopen(fd, "wb") as handle:
                pickle.dump(self.entries, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temp, self.path)
        except OSError:
            pass  # a cache that cannot be written is only slower
