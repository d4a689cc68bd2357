"""Chunked zlib compression.

A stream is cut into chunks of at most `chunk_size` bytes.  Every chunk is
compressed on its own and framed with a 12 byte header::

    raw length (I) | compressed length (I) | CRC-32 of the raw bytes (i)

so a reader can check and decompress one chunk at a time.
"""
import cStringIO
import struct
import sys
import zlib

CHUNK_HEADER = struct.Struct('>IIi')
DEFAULT_CHUNK_SIZE = 64 * 1024
MAX_CHUNK_SIZE = 16 * 1024 * 1024

DEBUG = False


class ChunkError(ValueError):
    """Raised for truncated or corrupt chunk streams."""


def split_chunks(data, chunk_size):
    """Cuts a byte string into pieces of at most chunk_size bytes."""
    if chunk_size <= 0:
        raise ValueError, 'chunk_size must be positive'
    count = (len(data) + chunk_size - 1) / chunk_size
    return [data[i * chunk_size:(i + 1) * chunk_size] for i in xrange(count)]


def frame_chunk(raw, level=6):
    """Compresses one chunk and puts the header in front of it."""
    comp = zlib.compress(raw, level)
    return CHUNK_HEADER.pack(len(raw), len(comp), zlib.crc32(raw)) + comp


def iter_chunks(fileobj):
    """Yields the decompressed chunks of a framed stream."""
    while True:
        header = fileobj.read(CHUNK_HEADER.size)
        if not header:
            return
        if len(header) < CHUNK_HEADER.size:
            raise ChunkError('truncated chunk header')
        raw_len, comp_len, crc = CHUNK_HEADER.unpack(header)
        if raw_len > MAX_CHUNK_SIZE:
            raise ChunkError('chunk of %d bytes is too large' % raw_len)
        comp = fileobj.read(comp_len)
        if len(comp) != comp_len:
            raise ChunkError('truncated chunk: %d of %d bytes' % (
                len(comp), comp_len))
        try:
            raw = zlib.decompress(comp)
        except zlib.error, e:
            raise ChunkError('corrupt chunk: %s' % e)
        if len(raw) != raw_len:
            raise ChunkError('chunk length mismatch')
        if zlib.crc32(raw) != crc:
            raise ChunkError, 'CRC mismatch in chunk'
        if DEBUG:
            print >>sys.stderr, 'chunk: %d -> %d bytes' % (comp_len, raw_len)
        yield raw


def compress_chunks(data, chunk_size=DEFAULT_CHUNK_SIZE, level=6):
    """Compresses a whole byte string into a framed chunk stream."""
    out = cStringIO.StringIO()
    for chunk in split_chunks(data, chunk_size):
        out.write(frame_chunk(chunk, level))
    return out.getvalue()


def decompress_chunks(data):
    """The inverse of compress_chunks()."""
    return ''.join(iter_chunks(cStringIO.StringIO(data)))


def read_in_chunks(path, size=DEFAULT_CHUNK_SIZE):
    """Yields the contents of a file in blocks of `size` bytes."""
    f = open(path, 'rb')
    try:
        while True:
            block = f.read(size)
            if not block:
                break
            yield block
    finally:
        f.close()


class ChunkWriter(object):
    """A file-like object that compresses everything written to it into
    framed chunks on `fileobj`."""

    def __init__(self, fileobj, chunk_size=DEFAULT_CHUNK_SIZE, level=6):
        self.fileobj = fileobj
        self.chunk_size = chunk_size
        self.level = level
        self.buffer = cStringIO.StringIO()
        self.chunks_written = 0
        self.bytes_in = 0L
        self.bytes_out = 0L
        self.closed = False

    def write(self, data):
        if isinstance(data, unicode):
            raise TypeError, 'ChunkWriter.write() needs bytes, not unicode'
        if self.closed:
            raise ValueError, 'write to a closed ChunkWriter'
        self.buffer.write(data)
        self.bytes_in += len(data)
        if self.buffer.tell() >= self.chunk_size:
            self._drain(final=False)

    def _drain(self, final):
        pieces = split_chunks(self.buffer.getvalue(), self.chunk_size)
        if not final and pieces and len(pieces[-1]) < self.chunk_size:
            rest = pieces.pop()
        else:
            rest = ''
        for piece in pieces:
            self._emit(piece)
        self.buffer = cStringIO.StringIO()
        self.buffer.write(rest)

    def _emit(self, raw):
        framed = frame_chunk(raw, self.level)
        self.fileobj.write(framed)
        self.chunks_written += 1
        self.bytes_out += len(framed)

    def close(self):
        if not self.closed:
            self._drain(final=True)
            self.closed = True

    def ratio(self):
        """Compressed size relative to the input size."""
        if not self.bytes_in:
            return 0.0
        return float(self.bytes_out) / self.bytes_in

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()


class ChunkReader(object):
    """A file-like object that reads a framed chunk stream back."""

    def __init__(self, fileobj):
        self._chunks = iter_chunks(fileobj)
        self._buffer = ''
        self._eof = False

    def read(self, size=-1):
        while not self._eof and (size < 0 or len(self._buffer) < size):
            try:
                self._buffer += self._chunks.next()
            except StopIteration:
                self._eof = True
        if size < 0:
            size = len(self._buffer)
        data, self._buffer = self._buffer[:size], self._buffer[size:]
        return data
