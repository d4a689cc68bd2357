# -*- coding: utf-8 -*-
import os
import stat

from streamproc import csvio
from streamproc.csvio import CSVError, read_csv, write_csv

from tests.support import TempDirTestCase

HEADER = [u'name', u'city', u'note']
ROWS = [
    {u'name': u'J\xfcrgen', u'city': u'K\xf6ln', u'note': u'plain'},
    {u'name': u'\u5c71\u7530', u'city': u'\u6771\u4eac',
     u'note': u'comma, "quotes"'},
    {u'name': u'Ana', u'city': u'S\xe3o Paulo', u'note': u'two\nlines'},
]


class CSVRoundTripTest(TempDirTestCase):

    def test_round_trip(self):
        path = self.path('people.csv')
        self.assertEqual(write_csv(path, HEADER, ROWS), 3)
        header, rows = read_csv(path)
        self.assertEqual(header, HEADER)
        self.assertEqual(rows, ROWS)

    def test_file_is_utf8(self):
        path = self.path('people.csv')
        write_csv(path, HEADER, ROWS)
        data = self.read_bytes(path)
        self.assertTrue(data.startswith(b'name,city,note\r\nJ\xc3\xbcrgen,'))
        self.assertTrue(b'\xe6\x9d\xb1\xe4\xba\xac' in data)
        self.assertTrue(b'"comma, ""quotes"""' in data)
        self.assertFalse(b'\x00' in data)
        self.assertEqual(stat.S_IMODE(os.stat(path).st_mode), 0o644)

    def test_latin1(self):
        path = self.path('latin1.csv')
        write_csv(path, HEADER, ROWS[:1], encoding='latin-1')
        self.assertTrue(b'J\xfcrgen' in self.read_bytes(path))
        header, rows = read_csv(path, encoding='latin-1')
        self.assertEqual(rows, ROWS[:1])

    def test_sequence_rows_and_cell_types(self):
        path = self.path('mixed.csv')
        write_csv(path, [u'a', u'b', u'c', u'd'],
                  [[1, 2.5, None, b'bytes \xc3\xa9'], (u'x', u'y', u'', u'z')])
        header, rows = read_csv(path)
        self.assertEqual(rows[0], {u'a': u'1', u'b': u'2.5', u'c': u'',
                                   u'd': u'bytes \xe9'})
        self.assertEqual(rows[1][u'a'], u'x')

    def test_tab_delimiter(self):
        path = self.path('data.tsv')
        write_csv(path, HEADER, ROWS, delimiter='\t')
        self.assertTrue(self.read_bytes(path).startswith(
            b'name\tcity\tnote\r\n'))
        header, rows = read_csv(path, delimiter='\t')
        self.assertEqual(rows, ROWS)

    def test_blank_lines_skipped(self):
        path = self.write_bytes('blank.csv', b'a,b\r\n1,2\r\n\r\n3,4\r\n')
        header, rows = read_csv(path)
        self.assertEqual(rows, [{u'a': u'1', u'b': u'2'},
                                {u'a': u'3', u'b': u'4'}])

    def test_header_is_stripped(self):
        path = self.write_bytes('h.csv', b' a , b\n1,2\n')
        header, rows = read_csv(path)
        self.assertEqual(header, [u'a', u'b'])

    def test_empty_file(self):
        path = self.write_bytes('empty.csv', b'')
        self.assertRaises(CSVError, read_csv, path)

    def test_wrong_field_count(self):
        path = self.write_bytes('bad.csv', b'a,b\n1,2\n3\n')
        try:
            read_csv(path)
        except CSVError as e:
            self.assertTrue(':3: expected 2 fields, got 1' in str(e))
        else:
            self.fail('short row accepted')


class InMemoryTest(TempDirTestCase):

    def test_rows_to_csv_bytes(self):
        data = csvio.rows_to_csv_bytes([
            [u'name', u'city'],
            [u'J\xfcrgen', u'K\xf6ln, "Dom"'],
            [1, 2.5, None],
        ])
        self.assertEqual(
            data,
            b'name,city\r\nJ\xc3\xbcrgen,"K\xc3\xb6ln, ""Dom"""\r\n1,2.5,\r\n')

    def test_csv_bytes_to_rows(self):
        rows = csvio.csv_bytes_to_rows(
            b'name,city\r\nJ\xc3\xbcrgen,"K\xc3\xb6ln, ""Dom"""\r\n')
        self.assertEqual(rows, [[u'name', u'city'],
                                [u'J\xfcrgen', u'K\xf6ln, "Dom"']])

    def test_writer_counts_rows(self):
        from io import BytesIO
        buf = BytesIO()
        writer = csvio.UnicodeWriter(buf)
        writer.writerows([[u'a'], [u'b'], [u'c']])
        self.assertEqual(writer.rows_written, 3)
        self.assertEqual(buf.getvalue(), b'a\r\nb\r\nc\r\n')

    def test_reader_line_numbers(self):
        from io import BytesIO
        reader = csvio.UnicodeReader(BytesIO(b'a\n"b\nc"\nd\n'))
        rows = []
        for row in reader:
            rows.append((reader.line_num, row))
        self.assertEqual(rows, [(1, [u'a']), (3, [u'b\nc']), (4, [u'd'])])
