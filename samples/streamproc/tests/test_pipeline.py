# -*- coding: utf-8 -*-
import zlib

try:
    from StringIO import StringIO
except ImportError:
    from io import StringIO

from streamproc import pipeline
from streamproc.csvio import read_csv
from streamproc.records import Record, read_records

from tests.support import TempDirTestCase

CSV_DATA = (
    u'station,temp,humidity,tags,time\r\n'
    u'K\xf6ln,12.5,80,rain city,1300000060\r\n'
    u'M\xfcnchen,8.0,,snow,1300000000\r\n'
    u'Z\xfcrich,n/a,55,,1300000120\r\n'
    u'Oslo,,,,1300000180\r\n'
    u'\u6771\u4eac,21.25,60,city,1300000030\r\n'
).encode('utf-8')


class PipelineTest(TempDirTestCase):

    def setUp(self):
        TempDirTestCase.setUp(self)
        self.csv_path = self.write_bytes('weather.csv', CSV_DATA)

    def test_csv_to_records(self):
        stats = pipeline.Stats()
        records = pipeline.csv_to_records(
            self.csv_path, u'station', [u'temp', u'humidity'], u'tags',
            u'time', stats)
        self.assertEqual([r.key for r in records],
                         [u'K\xf6ln', u'M\xfcnchen', u'Oslo', u'\u6771\u4eac'])
        self.assertEqual(records[0], Record(u'K\xf6ln', [12.5, 80.0],
                                            ['rain', 'city'], 1300000060))
        self.assertEqual(stats.counts, {'rows': 5, 'bad rows': 1,
                                        'missing values': 2})
        self.assertEqual(len(stats.messages), 1)
        self.assertTrue(stats.messages[0].startswith('line 4: '))

    def test_index_by_tag(self):
        records = pipeline.csv_to_records(
            self.csv_path, u'station', [u'temp', u'humidity'], u'tags')
        index = pipeline.index_by_tag(records)
        self.assertEqual(sorted(index.keys()), ['city', 'rain', 'snow'])
        self.assertEqual(sorted([r.key for r in index['city']]),
                         [u'K\xf6ln', u'\u6771\u4eac'])
        self.assertEqual(len(index['snow']), 1)

    def test_single_value_field(self):
        records = pipeline.csv_to_records(self.csv_path, u'station',
                                          u'humidity')
        self.assertEqual([r.values for r in records],
                         [[80.0], [], [55.0], [], [60.0]])

    def test_unknown_column(self):
        self.assertRaises(ValueError, pipeline.csv_to_records,
                          self.csv_path, u'station', [u'pressure'])

    def test_convert_round_trip(self):
        bin_path = self.path('weather.sprc')
        stats = pipeline.convert_csv_to_binary(
            self.csv_path, bin_path, u'station', [u'temp', u'humidity'],
            tag_field=u'tags', time_field=u'time')
        self.assertEqual(stats.counts['records written'], 3)
        self.assertEqual(stats.counts['empty records'], 1)
        records = read_records(bin_path)
        self.assertEqual([r.key for r in records],
                         [u'M\xfcnchen', u'\u6771\u4eac', u'K\xf6ln'])
        out_csv = self.path('out.csv')
        self.assertEqual(pipeline.convert_binary_to_csv(bin_path, out_csv), 3)
        header, rows = read_csv(out_csv)
        self.assertEqual(header, [u'key', u'timestamp', u'tags',
                                  u'value_1', u'value_2'])
        self.assertEqual(rows[0], {u'key': u'M\xfcnchen',
                                   u'timestamp': u'1300000000',
                                   u'tags': u'snow', u'value_1': u'8.0',
                                   u'value_2': u''})
        self.assertEqual(rows[2][u'tags'], u'rain city')

    def test_report(self):
        stats = pipeline.convert_csv_to_binary(
            self.csv_path, self.path('w.sprc'), u'station', [u'temp'],
            time_field=u'time')
        report = stats.format_report().split('\n')
        self.assertEqual(report[0], 'bad rows                1')
        self.assertTrue('time span             180' in report)
        self.assertEqual(stats.total(), 1 + 2 + 3 + 5)

    def test_empty_stats(self):
        stats = pipeline.Stats()
        self.assertEqual(stats.format_report(), '')
        self.assertEqual(stats.total(), 0)

    def test_packed_log(self):
        stats = pipeline.Stats()
        stats.note('first')
        stats.note('second')
        self.assertEqual(zlib.decompress(stats.packed_log()),
                         b'first\nsecond')

    def test_verbose(self):
        import sys
        old, sys.stderr = sys.stderr, StringIO()
        pipeline.VERBOSE = True
        try:
            pipeline.Stats().note('hello')
            output = sys.stderr.getvalue()
        finally:
            pipeline.VERBOSE = False
            sys.stderr = old
        self.assertEqual(output, 'streamproc: hello\n')

    def test_describe_file(self):
        bin_path = self.path('weather.sprc')
        pipeline.convert_csv_to_binary(self.csv_path, bin_path, u'station',
                                       [u'temp'], compress=False)
        info = pipeline.describe_file(bin_path)
        self.assertEqual(info['version'], 2)
        self.assertEqual(len(info['crc32']), 8)
        self.assertTrue(info['head'].startswith(
            '00000000  53 50 52 43 02 00 00 00 00 03'))
        self.assertTrue(info['head'].endswith('SPRC............'))

    def test_main(self):
        bin_path = self.path('weather.sprc')
        out = StringIO()
        self.assertEqual(pipeline.main(['tobin', self.csv_path, bin_path,
                                        'station', 'temp'], out), 0)
        self.assertTrue('records written' in out.getvalue())
        out = StringIO()
        self.assertEqual(pipeline.main(['tocsv', bin_path,
                                        self.path('o.csv')], out), 0)
        self.assertEqual(out.getvalue(), 'converted 3 records\n')
        out = StringIO()
        self.assertEqual(pipeline.main(['info', bin_path], out), 0)
        lines = out.getvalue().split('\n')
        self.assertTrue(lines[0].startswith('crc32    '))
        self.assertEqual(lines[2], 'version  2')
        out = StringIO()
        self.assertEqual(pipeline.main(['bogus'], out), 2)
        self.assertTrue('streamproc tocsv' in out.getvalue())
