"""Read and decode source files the way Python 2.7 does, and encode them back.

Python 2 source is ASCII unless a PEP 263 coding cookie (first or second
line) or a UTF-8 BOM says otherwise.  portkit is lenient where Python 2 is
strict: a file without a cookie that decodes as UTF-8 is accepted (Python 3
reads it that way).  The text handed to the rest of portkit always uses
``"\\n"`` line endings; :meth:`SourceFile.encode` restores the original ones,
the BOM and the encoding, so untouched bytes come back unchanged.
"""
from __future__ import annotations

import codecs
import os
import re
import stat
from dataclasses import dataclass

BOM = codecs.BOM_UTF8
_COOKIE = re.compile(rb"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)")
_BLANK_OR_COMMENT = re.compile(rb"^[ \t\f]*(?:[#\r\n]|$)")


class DecodeError(Exception):
    """The file's bytes cannot be turned into text; the message says why."""


@dataclass(frozen=True)
class SourceFile:
    text: str
    encoding: str  # codec name used for decoding and encoding
    bom: bool
    newline: str  # "\n", "\r\n" or "\r": the file's (dominant) line ending

    def encode(self, text: str) -> bytes:
        if self.newline != "\n":
            text = text.replace("\n", self.newline)
        data = text.encode(self.encoding)
        return BOM + data if self.bom else data


def find_cookie(data: bytes):
    """The encoding named by a PEP 263 cookie in the first two lines, or None."""
    lines = data.split(b"\n", 2)
    for index, line in enumerate(lines[:2]):
        match = _COOKIE.match(line)
        if match:
            return match.group(1).decode("ascii")
        if index == 0 and not _BLANK_OR_COMMENT.match(line):
            break
    return None


def _newline_of(text: str) -> str:
    crlf = text.count("\r\n")
    lf = text.count("\n") - crlf
    cr = text.count("\r") - crlf
    if crlf > lf and crlf >= cr:
        return "\r\n"
    if cr > lf and cr > crlf:
        return "\r"
    return "\n"


def decode(data: bytes) -> SourceFile:
    bom = data.startswith(BOM)
    if bom:
        data = data[len(BOM):]
    cookie = find_cookie(data)
    if cookie is not None:
        try:
            encoding = codecs.lookup(cookie).name
        except LookupError:
            raise DecodeError("unknown encoding in coding cookie: %r" % cookie)
        if bom and encoding != "utf-8":
            raise DecodeError("UTF-8 BOM conflicts with coding cookie %r" % cookie)
    else:
        encoding = "utf-8"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        where = data[: exc.start].count(b"\n") + 1
        hint = "" if cookie else " (no coding cookie; Python 2 needs one for non-ASCII bytes)"
        raise DecodeError("cannot decode line %d as %s%s" % (where, encoding, hint))
    newline = _newline_of(text)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return SourceFile(text=text, encoding=encoding, bom=bom, newline=newline)


class NotRegularFile(OSError):
    """The path names a FIFO, socket, device or folder: it is never read."""


def kind_of(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "a special file"


def _open_nonblocking(path: str, flags: int) -> int:
    return os.open(path, flags | getattr(os, "O_NONBLOCK", 0))


def read_bytes(path: str) -> bytes:
    """The bytes of the regular file ``path`` (a symbolic link is followed).

    Anything else raises :class:`NotRegularFile` without blocking: the type
    is checked before opening (opening a FIFO would wait for a writer, and
    opening a device can have effects), the open does not block, and the
    type is checked again on the opened file.
    """
    mode = os.stat(path).st_mode
    if not stat.S_ISREG(mode):
        raise NotRegularFile("%s, not a regular file; skipped" % kind_of(mode))
    with open(path, "rb", opener=_open_nonblocking) as handle:
        mode = os.fstat(handle.fileno()).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegularFile("%s, not a regular file; skipped" % kind_of(mode))
        return handle.read()


def read(path: str) -> SourceFile:
    return decode(read_bytes(path))
