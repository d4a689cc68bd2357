"""Process one file: read, decode, analyse, and (for fix) write or diff.

:func:`process_file` runs in worker processes; it never raises, every outcome
is a :class:`~portkit.model.FileResult`.
"""
from __future__ import annotations

import difflib
import hashlib
import traceback
from typing import Optional

from . import source
from .engine import AnalysisError, analyse_text
from .model import FileResult
from .settings import Settings
from .write import WriteError, write_atomic


def content_hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def process_file(path: str, settings: Settings, known_hash: Optional[str] = None):
    """Returns ``(FileResult, content_hash or None, diff text or None)``.

    When ``known_hash`` equals the hash of the file's content, nothing is
    analysed and ``(None, hash, None)`` is returned: the caller's cached
    result is still valid.  Only regular files are read (a FIFO, socket or
    device is an error, and reading never blocks).
    """
    try:
        data = source.read_bytes(path)
    except source.NotRegularFile as exc:
        return FileResult(path, error=str(exc)), None, None
    except OSError as exc:
        return FileResult(path, error="cannot read: %s" % (exc.strerror or exc)), None, None
    return process_data(path, data, settings, known_hash)


def process_data(path: str, data: bytes, settings: Settings, known_hash: Optional[str] = None):
    """:func:`process_file` for ``data`` read already (from ``path``, or from
    stdin on behalf of ``path``); writes only when ``settings.write``."""
    digest = content_hash(data)
    if known_hash is not None and digest == known_hash:
        return None, digest, None
    try:
        decoded = source.decode(data)
    except source.DecodeError as exc:
        return FileResult(path, error=str(exc)), digest, None
    lines = decoded.text.count("\n") + 1
    try:
        analysed = analyse_text(decoded.text, settings.codes, fix=settings.fix, encoding=decoded.encoding, path=path)
    except AnalysisError as exc:
        # fix refuses the file: what it would fix is not offered ([*]), only what needs a person
        kept = tuple(f for f in exc.findings if not f.fixable)
        return FileResult(path, kept, error=str(exc), lines=lines), digest, None
    except RecursionError:
        return FileResult(path, error="nesting too deep to analyse", lines=lines), digest, None
    except Exception as exc:  # never let one file stop the run
        last = traceback.extract_tb(exc.__traceback__)[-1]
        return (
            FileResult(path, error="internal error: %s: %s (at %s:%s)" % (type(exc).__name__, exc, last.filename, last.lineno), lines=lines),
            digest,
            None,
        )
    new_content = None
    diff = None
    if analysed.new_text is not None:
        try:
            new_content = decoded.encode(analysed.new_text)
        except UnicodeEncodeError as exc:
            return FileResult(path, error="fixed text cannot be encoded as %s: %s" % (decoded.encoding, exc), lines=lines), digest, None
        if settings.diff:
            diff = "".join(
                difflib.unified_diff(
                    decoded.text.splitlines(True),
                    analysed.new_text.splitlines(True),
                    "a/" + path.lstrip("/"),
                    "b/" + path.lstrip("/"),
                )
            )
        try:
            if settings.write:
                write_atomic(path, new_content)
        except WriteError as exc:
            return FileResult(path, tuple(analysed.findings), error=str(exc), lines=lines), digest, diff
    result = FileResult(
        path,
        findings=tuple(analysed.findings),
        new_content=new_content,
        suppressed=analysed.suppressed,
        lines=lines,
    )
    return result, digest, diff
