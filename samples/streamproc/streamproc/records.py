# -*- coding: utf-8 -*-
"""A compact binary record format.

File layout, all integers big endian::

    header   magic 'SPRC' | version (B) | flags (B) | record count (I)
    body     the packed records, optionally as a zlib chunk stream
    trailer  'END!' | CRC-32 of everything before the trailer (I)

A packed record is::

    key length (H) | value count (H) | timestamp (I) | key (UTF-8)
    values (d each) | tags length (H) | tags (ASCII, comma separated)

Version 1 files have a shorter header (magic, version, count as H), no
flags and are never compressed.  They can still be read.
"""
import os
import struct
import StringIO
import zlib

from streamproc import chunks

MAGIC = 'SPRC'
TRAILER = 'END!'
VERSION = 2
FLAG_COMPRESSED = 0x01

FILE_HEADER = struct.Struct('>4sBBI')
FILE_HEADER_V1 = struct.Struct('>4sBH')
RECORD_HEADER = struct.Struct('>HHI')
TRAILER_STRUCT = struct.Struct('>4sI')
MAX_KEY_LENGTH = 0xffff


class FormatError(ValueError):
    """Raised for data that is not a valid record file."""


class Record(object):
    """One record: a unicode key, a list of float values, a list of ASCII
    tags and a unix timestamp."""

    def __init__(self, key, values=(), tags=(), timestamp=0):
        if not isinstance(key, unicode):
            key = key.decode('utf-8')
        self.key = key
        self.values = [float(v) for v in values]
        self.tags = [str(t) for t in tags]
        self.timestamp = int(timestamp)

    @property
    def total(self):
        return sum(self.values)

    def __unicode__(self):
        values = u', '.join([u'%g' % v for v in self.values])
        return u'%s @%d: %s' % (self.key, self.timestamp, values)

    def __str__(self):
        return unicode(self).encode('utf-8')

    def __repr__(self):
        return 'Record(%r, %r, %r, %r)' % (self.key, self.values, self.tags,
                                          self.timestamp)

    def __nonzero__(self):
        return len(self.values) > 0

    def __eq__(self, other):
        if not isinstance(other, Record):
            return NotImplemented
        return (self.key == other.key and self.values == other.values and
                self.tags == other.tags and
                self.timestamp == other.timestamp)

    def __ne__(self, other):
        return not self == other


def pack_record(record):
    """Packs one Record into bytes."""
    key = record.key.encode('utf-8')
    if len(key) > MAX_KEY_LENGTH:
        raise FormatError, 'key too long: %d bytes' % len(key)
    parts = [RECORD_HEADER.pack(len(key), len(record.values),
                                record.timestamp), key]
    for value in record.values:
        parts.append(struct.pack('>d', value))
    tags = ','.join(record.tags)
    parts.append(struct.pack('>H', len(tags)) + tags)
    return ''.join(parts)


def unpack_record(data, offset=0):
    """Unpacks the record at `offset`; returns (record, next offset)."""
    try:
        klen, nvalues, timestamp = RECORD_HEADER.unpack_from(data, offset)
        offset += RECORD_HEADER.size
        key = data[offset:offset + klen].decode('utf-8')
        offset += klen
        values = struct.unpack_from('>%dd' % nvalues, data, offset)
        offset += 8 * nvalues
        (tlen,) = struct.unpack_from('>H', data, offset)
        offset += 2
    except struct.error, e:
        raise FormatError('truncated record at offset %d: %s' % (offset, e))
    tags = data[offset:offset + tlen]
    if len(tags) != tlen:
        raise FormatError('truncated tags at offset %d' % offset)
    offset += tlen
    if tags:
        tags = tags.split(',')
    else:
        tags = []
    return Record(key, values, tags, timestamp), offset


def dump_records(records, compress=False):
    """Serialises records into the file format; returns the bytes."""
    body = StringIO.StringIO()
    for record in records:
        body.write(pack_record(record))
    payload = body.getvalue()
    flags = 0
    if compress:
        payload = chunks.compress_chunks(payload)
        flags |= FLAG_COMPRESSED
    out = StringIO.StringIO()
    out.write(FILE_HEADER.pack(MAGIC, VERSION, flags, len(records)))
    out.write(payload)
    crc = zlib.crc32(out.getvalue()) & 0xffffffff
    out.write(TRAILER_STRUCT.pack(TRAILER, crc))
    return out.getvalue()


def peek_version(data):
    """The format version of `data`, or None if it is no record file."""
    if len(data) < 5 or data[:4] != MAGIC:
        return None
    return ord(data[4])


def load_records(data):
    """Parses the bytes of a record file (version 1 or 2) into a list of
    Records."""
    version = peek_version(data)
    if version is None:
        raise FormatError, 'not a record file (bad magic)'
    if version == 1:
        header_struct = FILE_HEADER_V1
        magic, version, count = FILE_HEADER_V1.unpack_from(data)
        flags = 0
    elif version == 2:
        header_struct = FILE_HEADER
        magic, version, flags, count = FILE_HEADER.unpack_from(data)
    else:
        raise FormatError, 'unsupported version %d' % version
    if len(data) < header_struct.size + TRAILER_STRUCT.size:
        raise FormatError, 'file too short'
    trailer, crc = TRAILER_STRUCT.unpack_from(data, len(data) -
                                              TRAILER_STRUCT.size)
    if trailer != TRAILER:
        raise FormatError, 'trailer missing'
    if zlib.crc32(data[:-TRAILER_STRUCT.size]) & 0xffffffff != crc:
        raise FormatError, 'checksum mismatch'
    payload = data[header_struct.size:-TRAILER_STRUCT.size]
    if flags & FLAG_COMPRESSED:
        payload = chunks.decompress_chunks(payload)
    records = []
    offset = 0
    for i in xrange(count):
        record, offset = unpack_record(payload, offset)
        records.append(record)
    if offset != len(payload):
        raise FormatError('%d stray bytes after the last record' % (
            len(payload) - offset))
    return records


def write_records(path, records, compress=False):
    """Writes a record file; returns its size in bytes."""
    data = dump_records(records, compress)
    f = open(path, 'wb')
    try:
        f.write(data)
    finally:
        f.close()
    os.chmod(path, 0644)
    return len(data)


def read_records(path):
    """Reads a record file written by write_records()."""
    f = open(path, 'rb')
    try:
        data = f.read()
    finally:
        f.close()
    return load_records(data)


def is_record_file(path):
    """Cheap check of the magic bytes at the start of a file."""
    f = open(path)
    try:
        magic = f.read(4)
    finally:
        f.close()
    return magic == MAGIC


def sort_records(records):
    """Sorts records in place by timestamp, then key."""
    records.sort(lambda a, b: cmp(a.timestamp, b.timestamp) or
                 cmp(a.key, b.key))
    return records
