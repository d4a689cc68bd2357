import zlib

from streamproc import checksum

from tests.support import TempDirTestCase


class ChecksumTest(TempDirTestCase):

    def test_crc32(self):
        self.assertEqual(checksum.crc32(b'hello'), 0x3610a686)
        self.assertEqual(checksum.crc32_hex(b'hello'), '3610a686')
        self.assertEqual(checksum.crc32(b''), 0)

    def test_crc32_is_unsigned(self):
        self.assertEqual(checksum.crc32(b'chunk-2'),
                         zlib.crc32(b'chunk-2') & 0xffffffff)
        self.assertTrue(checksum.crc32(b'chunk-2') >= 0x80000000)

    def test_adler32(self):
        self.assertEqual(checksum.adler32(b'Wikipedia'), 0x11e60398)

    def test_file_crc32(self):
        data = b''.join([('line %d\n' % i).encode('ascii')
                         for i in range(5000)])
        path = self.write_bytes('data.bin', data)
        self.assertEqual(checksum.file_crc32(path, chunk_size=1000),
                         checksum.crc32(data))

    def test_fletcher16(self):
        self.assertEqual(checksum.fletcher16(b'abcde'), 0xc8f0)
        self.assertEqual(checksum.fletcher16(b'abcdef'), 0x2057)
        self.assertEqual(checksum.fletcher16(b''), 0)
        self.assertEqual(checksum.fletcher16(b'\xff' * 3), 0)

    def test_xor_checksum(self):
        self.assertEqual(checksum.xor_checksum(b'\x01\x02\x04\xff'), 0xf8)
        self.assertEqual(checksum.xor_checksum(b''), 0)

    def test_hex_digests(self):
        self.assertEqual(checksum.sha1_hex(b'abc'),
                         'a9993e364706816aba3e25717850c26c9cd0d89d')
        self.assertEqual(checksum.md5_hex(b'abc'),
                         '900150983cd24fb0d6963f7d28e17f72')

    def test_hexdump(self):
        dump = checksum.hexdump(b'Hello, world!\x00\x01\xff and more')
        self.assertEqual(dump.split('\n'), [
            '00000000  48 65 6c 6c 6f 2c 20 77 6f 72 6c 64 21 00 01 ff'
            '  Hello, world!...',
            '00000010  ' + '20 61 6e 64 20 6d 6f 72 65'.ljust(47) + '  ' +
            ' and more',
        ])
        self.assertEqual(checksum.hexdump(b''), '')
