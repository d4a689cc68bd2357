import os
import stat
import struct
import zlib

from streamproc.records import Record, FormatError, pack_record, \
    unpack_record, dump_records, load_records, peek_version, \
    write_records, read_records, is_record_file, sort_records

from tests.support import TempDirTestCase

ZURICH = Record(u'Z\xfcrich', [1.5, -2.0], ['a', 'b'], 1300000000)
PACKED_ZURICH = (b'\x00\x07\x00\x02M|m\x00Z\xc3\xbcrich'
                 b'?\xf8\x00\x00\x00\x00\x00\x00'
                 b'\xc0\x00\x00\x00\x00\x00\x00\x00'
                 b'\x00\x03a,b')


def sample_records(n=50):
    records = []
    for i in range(n):
        records.append(Record(u'sensor-%d-\u03b1' % (i % 7),
                              [i * 0.5, -i, 1e10 + i],
                              ['t%d' % (i % 3), 'x'], 1300000000 + i * 60))
    return records


class RecordTest(TempDirTestCase):

    def test_attributes(self):
        r = Record(b'caf\xc3\xa9', (1, 2), ('x',), '17')
        self.assertEqual(r.key, u'caf\xe9')
        self.assertEqual(r.values, [1.0, 2.0])
        self.assertEqual(r.tags, ['x'])
        self.assertEqual(r.timestamp, 17)
        self.assertEqual(r.total, 3.0)

    def test_text(self):
        r = Record(u'Z\xfcrich', [1.5, 2], timestamp=7)
        self.assertEqual(u'%s' % r, u'Z\xfcrich @7: 1.5, 2')
        self.assertEqual(str(Record(u'abc', [1, 2.5], timestamp=7)),
                         'abc @7: 1, 2.5')
        self.assertTrue(repr(r).startswith('Record('))

    def test_truth(self):
        self.assertFalse(Record(u'empty'))
        self.assertTrue(Record(u'full', [0.0]))

    def test_equality(self):
        self.assertEqual(Record(u'a', [1], ['t'], 5),
                         Record(b'a', [1.0], [u't'], 5))
        self.assertNotEqual(Record(u'a', [1]), Record(u'a', [2]))
        self.assertFalse(Record(u'a') == 'a')
        self.assertTrue(Record(u'a') != 'a')


class PackingTest(TempDirTestCase):

    def test_pack_known_bytes(self):
        self.assertEqual(pack_record(ZURICH), PACKED_ZURICH)

    def test_unpack_known_bytes(self):
        record, offset = unpack_record(PACKED_ZURICH)
        self.assertEqual(record, ZURICH)
        self.assertEqual(offset, len(PACKED_ZURICH))

    def test_unpack_at_offset(self):
        data = b'junk' + PACKED_ZURICH + PACKED_ZURICH
        record, offset = unpack_record(data, 4)
        record2, offset2 = unpack_record(data, offset)
        self.assertEqual(record2, ZURICH)
        self.assertEqual(offset2, len(data))

    def test_no_tags(self):
        record = Record(u'k', [], [], 0)
        self.assertEqual(unpack_record(pack_record(record))[0].tags, [])

    def test_truncated(self):
        self.assertRaises(FormatError, unpack_record, PACKED_ZURICH[:5])
        self.assertRaises(FormatError, unpack_record, PACKED_ZURICH[:-1])

    def test_key_too_long(self):
        self.assertRaises(FormatError, pack_record, Record(u'x' * 70000))


class FileFormatTest(TempDirTestCase):

    def test_known_file_bytes(self):
        data = dump_records([ZURICH])
        self.assertEqual(data[:10], b'SPRC\x02\x00\x00\x00\x00\x01')
        self.assertEqual(data[10:-8], PACKED_ZURICH)
        self.assertEqual(data[-8:], b'END!v\xf1\xb1%')

    def test_known_compressed_bytes(self):
        data = dump_records([Record(u'k', [1.0], [], 5)], compress=True)
        self.assertEqual(data[:10], b'SPRC\x02\x01\x00\x00\x00\x01')
        self.assertEqual(data[-8:], b'END!\xac\x9b\xf0#')

    def test_round_trip(self):
        records = sample_records()
        for compress in (False, True):
            data = dump_records(records, compress=compress)
            self.assertEqual(peek_version(data), 2)
            self.assertEqual(load_records(data), records)

    def test_compression_helps(self):
        records = sample_records(200)
        self.assertTrue(len(dump_records(records, compress=True)) * 2 <
                        len(dump_records(records)))

    def test_version_1(self):
        body = PACKED_ZURICH
        data = struct.pack('>4sBH', b'SPRC', 1, 1) + body + b'END!'
        data = data[:-4]
        crc = zlib.crc32(data) & 0xffffffff
        data += struct.pack('>4sI', b'END!', crc)
        self.assertEqual(peek_version(data), 1)
        self.assertEqual(load_records(data), [ZURICH])

    def test_bad_files(self):
        good = dump_records([ZURICH])
        self.assertEqual(peek_version(b'XXXX\x02'), None)
        self.assertRaises(FormatError, load_records, b'XXXX' + good[4:])
        self.assertRaises(FormatError, load_records, b'SPRC\x09' + good[5:])
        self.assertRaises(FormatError, load_records, good[:-1])
        corrupt = good[:12] + b'\xff' + good[13:]
        self.assertRaises(FormatError, load_records, corrupt)
        self.assertRaises(FormatError, load_records, good[:11])

    def test_stray_bytes(self):
        data = dump_records([ZURICH])
        data = data[:-8] + b'\x00\x00'
        crc = zlib.crc32(data) & 0xffffffff
        data += struct.pack('>4sI', b'END!', crc)
        self.assertRaises(FormatError, load_records, data)

    def test_files(self):
        path = self.path('data.sprc')
        records = sample_records(20)
        size = write_records(path, records, compress=True)
        self.assertEqual(size, os.path.getsize(path))
        self.assertEqual(stat.S_IMODE(os.stat(path).st_mode), 0o644)
        self.assertEqual(read_records(path), records)

    def test_is_record_file(self):
        path = self.path('data.sprc')
        write_records(path, sample_records(20), compress=True)
        self.assertTrue(is_record_file(path))
        csv_path = self.write_bytes('data.csv', b'a,b\n1,2\n')
        self.assertFalse(is_record_file(csv_path))

    def test_sort_records(self):
        records = [Record(u'b', [1], [], 20), Record(u'a', [1], [], 20),
                   Record(u'c', [1], [], 10)]
        sort_records(records)
        self.assertEqual([r.key for r in records], [u'c', u'a', u'b'])
