"""High level conversions between CSV files and binary record files, with
statistics and a small command line interface."""
import os
import sys
import zlib

import csvio
from records import Record, read_records, write_records, sort_records, \
    peek_version
from checksum import file_crc32, hexdump

VERBOSE = False


class Stats(object):
    """Counters and messages collected during a conversion."""

    def __init__(self):
        self.counts = {}
        self.messages = []
        self.min_ts = sys.maxint
        self.max_ts = -sys.maxint - 1

    def incr(self, name, n=1):
        if self.counts.has_key(name):
            self.counts[name] += n
        else:
            self.counts[name] = n

    def note(self, message):
        self.messages.append(message)
        if VERBOSE:
            print >>sys.stderr, 'streamproc:', message

    def see_timestamp(self, timestamp):
        self.min_ts = min(self.min_ts, timestamp)
        self.max_ts = max(self.max_ts, timestamp)

    def total(self):
        return sum(self.counts.itervalues())

    def format_report(self):
        """The counters as aligned 'name  value' lines, sorted by name."""
        lines = []
        for name, value in sorted(self.counts.iteritems()):
            lines.append('%-16s %8d' % (name, value))
        if self.max_ts >= self.min_ts:
            lines.append('%-16s %8d' % ('time span', self.max_ts -
                                         self.min_ts))
        return '\n'.join(lines)

    def packed_log(self):
        """The messages, newline separated and zlib compressed, for
        storing next to the output file."""
        return zlib.compress('\n'.join(self.messages))


def csv_to_records(csv_path, key_field, value_fields, tag_field=None,
                   time_field=None, stats=None, encoding='utf-8'):
    """Reads a CSV file into a list of Records.  Rows with values that are
    not numbers are skipped (and counted in `stats`)."""
    if stats is None:
        stats = Stats()
    if isinstance(value_fields, basestring):
        value_fields = [value_fields]
    header, rows = csvio.read_csv(csv_path, encoding=encoding)
    for name in [key_field] + list(value_fields):
        if name not in header:
            raise ValueError, 'no column %r in %s' % (name, csv_path)
    records = []
    for lineno, row in enumerate(rows):
        stats.incr('rows')
        raw_values = map(unicode.strip, [row[name] for name in value_fields])
        try:
            values = [float(v) for v in raw_values if v]
        except ValueError, e:
            stats.incr('bad rows')
            stats.note('line %d: %s' % (lineno + 2, e))
            continue
        if len(values) < len(raw_values):
            stats.incr('missing values')
        tags = []
        if tag_field:
            tags = [str(t) for t in row[tag_field].split()]
        timestamp = 0
        if time_field and row[time_field]:
            timestamp = long(row[time_field])
        stats.see_timestamp(timestamp)
        records.append(Record(row[key_field].strip(), values, tags,
                              timestamp))
    return records


def index_by_tag(records):
    """Maps every tag to the set of records that carry it."""
    index = {}
    for record in records:
        for tag in record.tags:
            index.setdefault(tag, set()).add(record)
    return index


def records_to_csv(records, csv_path, encoding='utf-8'):
    """Writes records to CSV: key, timestamp, tags, value_1 .. value_n."""
    width = max([len(r.values) for r in records] or [0])
    header = [u'key', u'timestamp', u'tags'] + [
        u'value_%d' % (i + 1) for i in xrange(width)]
    rows = []
    for record in records:
        values = record.values + [None] * (width - len(record.values))
        rows.append([record.key, record.timestamp, u' '.join(record.tags)] +
                    values)
    return csvio.write_csv(csv_path, header, rows, encoding=encoding)


def convert_csv_to_binary(csv_path, out_path, key_field, value_fields,
                          tag_field=None, time_field=None, compress=True):
    """CSV -> record file.  Records without values are dropped.  Returns
    the Stats of the run."""
    stats = Stats()
    records = csv_to_records(csv_path, key_field, value_fields, tag_field,
                             time_field, stats)
    kept = [record for record in records if record]
    if len(kept) < len(records):
        stats.incr('empty records', len(records) - len(kept))
    sort_records(kept)
    size = write_records(out_path, kept, compress=compress)
    stats.incr('records written', len(kept))
    stats.note('wrote %d records (%d bytes) to %s' % (len(kept), size,
                                                      out_path))
    return stats


def convert_binary_to_csv(in_path, csv_path, encoding='utf-8'):
    """Record file -> CSV.  Returns the number of records."""
    records = read_records(in_path)
    return records_to_csv(records, csv_path, encoding)


def describe_file(path):
    """Facts about a record file: size, version, CRC-32 and a hexdump of
    the first bytes."""
    f = open(path, 'rb')
    try:
        head = f.read(32)
    finally:
        f.close()
    info = {
        'size': os.path.getsize(path),
        'version': peek_version(head),
        'crc32': '%08x' % file_crc32(path),
        'head': hexdump(head[:16]),
    }
    return info


def main(argv, out=sys.stdout):
    """streamproc tocsv IN OUT | streamproc tobin IN OUT KEY VALUE...
    | streamproc info FILE"""
    if len(argv) < 2:
        print >>out, main.__doc__
        return 2
    command = argv[0]
    if command == 'tobin' and len(argv) >= 5:
        stats = convert_csv_to_binary(argv[1], argv[2], argv[3], argv[4:])
        print >>out, stats.format_report()
    elif command == 'tocsv' and len(argv) == 3:
        count = convert_binary_to_csv(argv[1], argv[2])
        print >>out, 'converted %d records' % count
    elif command == 'info':
        info = describe_file(argv[1])
        for key in sorted(info.keys()):
            if key != 'head':
                print >>out, '%-8s %s' % (key, info[key])
        print >>out, info['head']
    else:
        print >>out, main.__doc__
        return 2
    return 0


if __name__ == '__main__':
    exit_status = main(sys.argv[1:])
    if VERBOSE:
        print 'streamproc: exit status', exit_status
    sys.exit(exit_status)
