"""Per-file results kept between runs.

One cache file per *key*: the settings fingerprint (portkit version, selected
codes, scan or fix), the Python version (the parser decides what parses), and
a fingerprint of portkit's own code (name, size and mtime of every module of
the ``portkit`` and ``fixers`` packages, so that editing a fixer in a checkout
never serves stale results).  The file lives in the user's cache folder
(``PORTKIT_CACHE_DIR``, else ``$XDG_CACHE_HOME/portkit``, else
``~/.cache/portkit``).

An entry is keyed by absolute path and holds the file's size, mtime and
content hash, and the findings:

* size and mtime unchanged: the result is reused without reading the file;
* otherwise the file is read and hashed; an unchanged hash reuses the result
  without parsing (:func:`portkit.process.process_file` with ``known_hash``);
* a file modified in the same instant the result was computed (a "racy"
  mtime, as git calls it) is always re-hashed next time, since a later write
  within the clock's granularity would not change its mtime;
* an entry also records a *stamp* of what outside the file its results
  depend on (:func:`project_stamp`: the bytes/text rules read the other
  modules of the file's package); an entry made under another stamp is stale
  and the file is analysed again.

Only results without errors and without changes to write are stored.  The
file is written with :mod:`marshal` (plain tuples and strings: fast to load,
and loading it runs no code, unlike pickle); a file that cannot be read or
does not have the expected shape is ignored as a whole, an entry of the wrong
shape or with a field of the wrong type is ignored alone (validated when it
is looked up).  Entries for files that no longer exist are dropped
when the cache is written.
"""
from __future__ import annotations

import hashlib
import marshal
import os
import sys
import time
from typing import Dict, Optional, Tuple

from .model import FileResult, Finding
from .project import project_folder
from .settings import Settings

FORMAT = 3  # bump when the entry layout changes
# (size, mtime_ns, hash, findings as tuples, suppressed, lines, stamp)
Entry = Tuple[int, int, str, tuple, int, int, str]
RACY_NS = 2_000_000_000  # an mtime this close to the analysis is not trusted alone

_code_fingerprint: Optional[str] = None


def default_dir() -> str:
    env = os.environ.get("PORTKIT_CACHE_DIR")
    if env:
        return env
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "portkit")


def code_fingerprint() -> str:
    """A hash of the names, sizes and mtimes of portkit's and the fixers' modules."""
    global _code_fingerprint
    if _code_fingerprint is None:
        import fixers

        parts = []
        for folder in (os.path.dirname(os.path.abspath(__file__)), os.path.dirname(os.path.abspath(fixers.__file__))):
            try:
                entries = sorted(os.scandir(folder), key=lambda e: e.name)
            except OSError:
                continue
            for entry in entries:
                if entry.name.endswith(".py"):
                    try:
                        st = entry.stat()
                    except OSError:
                        continue
                    parts.append("%s/%s:%d:%d" % (os.path.basename(folder), entry.name, st.st_size, st.st_mtime_ns))
        _code_fingerprint = hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]
    return _code_fingerprint


def cache_key(settings: Settings) -> str:
    return "%s-py%d%d-%s-f%d" % (settings.fingerprint(), sys.version_info[0], sys.version_info[1],
                                 code_fingerprint(), FORMAT)


_ENTRY_TYPES = (int, int, str, tuple, int, int, str)
_ROW_TYPES = (int, int, str, str, bool)


def _valid_entry(entry) -> bool:
    """An entry of the right shape *and* field types (a file written by
    another version, or damaged, can have the one without the other)."""
    if type(entry) is not tuple or len(entry) != len(_ENTRY_TYPES):
        return False
    if not all(type(value) is kind for value, kind in zip(entry, _ENTRY_TYPES)):
        return False
    for row in entry[3]:
        if type(row) is not tuple or len(row) != len(_ROW_TYPES):
            return False
        if not all(type(value) is kind for value, kind in zip(row, _ROW_TYPES)):
            return False
    return True


def _to_result(path: str, entry) -> Optional[FileResult]:
    """The FileResult of a stored entry, or None when the entry is not valid."""
    if not _valid_entry(entry):
        return None
    _, _, _, rows, suppressed, lines, _ = entry
    findings = tuple(Finding(*row) for row in rows)
    return FileResult(path, findings=findings, suppressed=suppressed, lines=lines, cached=True)


_STAMPS: Dict[str, str] = {}


def project_root(path: str) -> str:
    """The folder on ``sys.path`` that holds ``path``'s package (its own folder
    when it is not in a package): the tree the bytes/text inference reads."""
    return project_folder(path)


def project_stamp(path: str) -> str:
    """A fingerprint of the Python files of ``path``'s project (names, sizes,
    mtimes), computed once per project root and run."""
    root = project_root(path)
    stamp = _STAMPS.get(root)
    if stamp is None:
        from .discover import DEFAULT_EXCLUDES

        parts = []
        for folder, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if d not in DEFAULT_EXCLUDES and not d.endswith(".egg-info"))
            for name in sorted(files):
                if name.endswith(".py"):
                    try:
                        st = os.stat(os.path.join(folder, name))
                    except OSError:
                        continue
                    parts.append("%s/%s:%d:%d" % (os.path.relpath(folder, root), name, st.st_size, st.st_mtime_ns))
        # surrogateescape: a file name that is not UTF-8 still has its bytes
        stamp = _STAMPS[root] = hashlib.blake2b("\n".join(parts).encode("utf-8", "surrogateescape"),
                                                digest_size=12).hexdigest()
    return stamp


class Cache:
    def __init__(self, settings: Settings):
        self.path = os.path.join(settings.cache_dir, "results-%s.marshal" % cache_key(settings))
        self.entries: Dict[str, Entry] = {}
        self.dirty = False
        self.hits = 0  # results reused without reading the file
        try:
            with open(self.path, "rb") as handle:
                loaded = marshal.load(handle)
        except FileNotFoundError:
            return
        except Exception:  # corrupt, truncated, another format: start afresh
            self.dirty = True
            return
        if isinstance(loaded, dict):
            self.entries = loaded
        else:
            self.dirty = True

    @staticmethod
    def _stat(path: str):
        try:
            st = os.stat(path)
        except OSError:
            return None
        return st.st_size, st.st_mtime_ns

    def _entry(self, key: str):
        entry = self.entries.get(key)
        if not _valid_entry(entry):
            return None
        return entry

    def lookup(self, path: str, stamp: str = "") -> Tuple[Optional[FileResult], Optional[str]]:
        """``(result, None)`` when size and mtime match; else ``(None, known hash or None)``.

        ``stamp`` stands for everything outside the file that its results
        depend on (the other modules of its package, which the bytes/text
        inference reads): an entry made under another stamp is stale.
        """
        key = os.path.abspath(path)
        entry = self._entry(key)
        if entry is None or entry[6] != stamp:
            return None, None
        stat = self._stat(path)
        if stat is not None and stat[0] == entry[0] and stat[1] == entry[1]:
            result = _to_result(path, entry)
            if result is not None:
                self.hits += 1
                return result, None
            return None, None
        return None, entry[2] if isinstance(entry[2], str) else None

    def cached_result(self, path: str) -> Optional[FileResult]:
        """The stored result of ``path`` (whose content hash was just found unchanged)."""
        key = os.path.abspath(path)
        entry = self._entry(key)
        if entry is None:
            return None
        stat = self._stat(path)
        if stat is not None and (stat[0], stat[1]) != entry[:2]:
            # Same content, new mtime (touched, or checked out again): refresh the stat.
            self.entries[key] = self._fresh(stat, entry[2], entry[3], entry[4], entry[5], entry[6])
            self.dirty = True
        return _to_result(path, entry)

    @staticmethod
    def _fresh(stat, digest, rows, suppressed, lines, stamp) -> Entry:
        size, mtime_ns = stat
        if time.time_ns() - mtime_ns < RACY_NS:
            size = -1  # racy: compare the hash next time, not the stat
        return (size, mtime_ns, digest, rows, suppressed, lines, stamp)

    def store(self, path: str, digest: str, result: FileResult, stamp: str = "") -> None:
        if result.error or result.new_content is not None:
            return
        stat = self._stat(path)
        if stat is None:
            return
        rows = tuple((f.line, f.col, f.code, f.message, f.fixable) for f in result.findings)
        self.entries[os.path.abspath(path)] = self._fresh(stat, digest, rows, result.suppressed, result.lines, stamp)
        self.dirty = True

    def save(self) -> None:
        if not self.dirty:
            return
        import tempfile  # only a run that changed something pays for it

        entries = {k: v for k, v in self.entries.items() if os.path.exists(k)}
        folder = os.path.dirname(self.path)
        try:
            os.makedirs(folder, exist_ok=True)
            fd, temp = tempfile.mkstemp(dir=folder, prefix=".results-", suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as handle:
                    marshal.dump(entries, handle)
                os.replace(temp, self.path)
            except BaseException:
                try:
                    os.unlink(temp)
                except OSError:
                    pass
                raise
        except (OSError, ValueError):
            pass  # a cache that cannot be written is only slower
        self.dirty = False
