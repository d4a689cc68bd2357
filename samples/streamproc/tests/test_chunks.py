import zlib
from io import BytesIO

from streamproc import chunks
from streamproc.chunks import ChunkError, ChunkReader, ChunkWriter, \
    compress_chunks, decompress_chunks, split_chunks, read_in_chunks

from tests.support import TempDirTestCase

PIECES = [('chunk-%d' % i).encode('ascii') for i in range(8)]


class SplitTest(TempDirTestCase):

    def test_split(self):
        self.assertEqual(split_chunks(b'abcdefg', 3), [b'abc', b'def', b'g'])
        self.assertEqual(split_chunks(b'abcdef', 3), [b'abc', b'def'])
        self.assertEqual(split_chunks(b'', 3), [])
        self.assertRaises(ValueError, split_chunks, b'abc', 0)

    def test_read_in_chunks(self):
        path = self.write_bytes('f.bin', b'0123456789')
        self.assertEqual(list(read_in_chunks(path, 4)),
                         [b'0123', b'4567', b'89'])


class CompressTest(TempDirTestCase):

    def test_some_crcs_have_the_high_bit_set(self):
        # the interesting case for the signed/unsigned CRC handling
        crcs = [zlib.crc32(p) & 0xffffffff for p in PIECES]
        self.assertTrue([c for c in crcs if c >= 0x80000000])

    def test_round_trip_small_chunks(self):
        data = b''.join(PIECES)
        stream = compress_chunks(data, chunk_size=7)
        self.assertEqual(decompress_chunks(stream), data)

    def test_chunks_are_framed_separately(self):
        stream = compress_chunks(b''.join(PIECES), chunk_size=7)
        parts = list(chunks.iter_chunks(BytesIO(stream)))
        self.assertEqual(parts, PIECES)

    def test_round_trip_binary(self):
        data = bytes(bytearray(range(256))) * 1000
        stream = compress_chunks(data, chunk_size=10000)
        self.assertTrue(len(stream) < len(data))
        self.assertEqual(decompress_chunks(stream), data)

    def test_empty(self):
        self.assertEqual(compress_chunks(b''), b'')
        self.assertEqual(decompress_chunks(b''), b'')

    def test_corruption(self):
        stream = compress_chunks(b''.join(PIECES), chunk_size=7)
        self.assertRaises(ChunkError, decompress_chunks, stream[:5])
        self.assertRaises(ChunkError, decompress_chunks, stream[:-1])
        broken_crc = stream[:8] + b'\x00\x00\x00\x00' + stream[12:]
        self.assertRaises(ChunkError, decompress_chunks, broken_crc)
        broken_data = stream[:13] + b'\xff\xff' + stream[15:]
        self.assertRaises(ChunkError, decompress_chunks, broken_data)

    def test_debug_output(self):
        import sys
        try:
            from StringIO import StringIO
        except ImportError:
            from io import StringIO
        old, sys.stderr = sys.stderr, StringIO()
        chunks.DEBUG = True
        try:
            decompress_chunks(compress_chunks(b'abc'))
            output = sys.stderr.getvalue()
        finally:
            chunks.DEBUG = False
            sys.stderr = old
        self.assertTrue('-> 3 bytes' in output)


class StreamTest(TempDirTestCase):

    def test_writer_and_reader(self):
        path = self.path('stream.z')
        f = open(path, 'wb')
        writer = ChunkWriter(f, chunk_size=10)
        for piece in PIECES:
            writer.write(piece)
        writer.close()
        f.close()
        self.assertEqual(writer.chunks_written, 6)
        self.assertEqual(writer.bytes_in, 56)
        self.assertTrue(writer.ratio() > 1.0)
        f = open(path, 'rb')
        reader = ChunkReader(f)
        self.assertEqual(reader.read(3), b'chu')
        self.assertEqual(reader.read(12), b'nk-0chunk-1c')
        self.assertEqual(reader.read(), b''.join(PIECES)[15:])
        self.assertEqual(reader.read(), b'')
        f.close()

    def test_writer_context_manager(self):
        buf = BytesIO()
        with ChunkWriter(buf, chunk_size=1000) as writer:
            writer.write(b'x' * 2500)
            writer.write(b'y')
        self.assertEqual(writer.chunks_written, 3)
        self.assertEqual(decompress_chunks(buf.getvalue()),
                         b'x' * 2500 + b'y')
        self.assertEqual(ChunkWriter(BytesIO()).ratio(), 0.0)

    def test_writer_rejects_text_and_closed(self):
        writer = ChunkWriter(BytesIO())
        self.assertRaises(TypeError, writer.write, u'text')
        writer.close()
        self.assertRaises(ValueError, writer.write, b'late')
