"""UTF-8 CSV import and export.

The csv module only handles byte strings, so the classes below are the
recipe from the csv documentation: input is recoded to UTF-8 before csv
sees it and decoded again per cell; output is written to a queue as UTF-8
and recoded into the target encoding.
"""
import codecs
import csv
import cStringIO
import os
import StringIO


class CSVError(ValueError):
    """Raised for CSV files that do not have the expected shape."""


class UTF8Recoder:
    """Iterator that reads an encoded stream and reencodes the input to
    UTF-8."""

    def __init__(self, f, encoding):
        self.reader = codecs.getreader(encoding)(f)

    def __iter__(self):
        return self

    def next(self):
        return self.reader.next().encode('utf-8')


class UnicodeReader:
    """A CSV reader which will iterate over lines in the CSV file "f",
    which is encoded in the given encoding.  Rows are lists of unicode."""

    def __init__(self, f, dialect=csv.excel, encoding='utf-8', **kwds):
        f = UTF8Recoder(f, encoding)
        self.reader = csv.reader(f, dialect=dialect, **kwds)
        self.line_num = 0

    def next(self):
        row = self.reader.next()
        self.line_num = self.reader.line_num
        return [unicode(s, 'utf-8') for s in row]

    def __iter__(self):
        return self


def _cell(value):
    """Turns one cell value into unicode: None becomes an empty cell,
    byte strings are taken as UTF-8, numbers are formatted."""
    if value is None:
        return u''
    if isinstance(value, unicode):
        return value
    if isinstance(value, str):
        return value.decode('utf-8')
    if isinstance(value, float):
        return unicode(repr(value))
    return unicode(value)


class UnicodeWriter:
    """A CSV writer which will write rows to CSV file "f", which is encoded
    in the given encoding."""

    def __init__(self, f, dialect=csv.excel, encoding='utf-8', **kwds):
        # Redirect output to a queue
        self.queue = cStringIO.StringIO()
        self.writer = csv.writer(self.queue, dialect=dialect, **kwds)
        self.stream = f
        self.encoder = codecs.getincrementalencoder(encoding)()
        self.rows_written = 0

    def writerow(self, row):
        self.writer.writerow([_cell(s).encode('utf-8') for s in row])
        # Fetch UTF-8 output from the queue ...
        data = self.queue.getvalue()
        data = data.decode('utf-8')
        # ... and reencode it into the target encoding
        data = self.encoder.encode(data)
        # write to the target stream
        self.stream.write(data)
        # empty queue
        self.queue.truncate(0)
        self.rows_written += 1

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def read_csv(path, encoding='utf-8', delimiter=','):
    """Reads a CSV file with a header line.  Returns (header, rows): the
    header is a list of unicode column names, every row a dict mapping
    column name to unicode value.  Blank lines are skipped."""
    f = open(path, 'rb')
    try:
        reader = UnicodeReader(f, encoding=encoding,
                               delimiter=str(delimiter))
        try:
            header = reader.next()
        except StopIteration:
            raise CSVError, '%s: no header line' % path
        header = [name.strip() for name in header]
        rows = []
        for values in reader:
            if not values:
                continue
            if len(values) != len(header):
                raise CSVError('%s:%d: expected %d fields, got %d' % (
                    path, reader.line_num, len(header), len(values)))
            rows.append(dict(zip(header, values)))
    finally:
        f.close()
    return header, rows


def write_csv(path, header, rows, encoding='utf-8', delimiter=','):
    """Writes a header line and the rows (dicts or sequences) to `path`.
    The file is made world readable.  Returns the number of rows."""
    f = open(path, 'wb')
    try:
        writer = UnicodeWriter(f, encoding=encoding,
                               delimiter=str(delimiter))
        writer.writerow(header)
        for row in rows:
            if isinstance(row, dict):
                writer.writerow([row.get(name) for name in header])
            else:
                writer.writerow(row)
    finally:
        f.close()
    os.chmod(path, 0644)
    return len(rows)


def rows_to_csv_bytes(rows, encoding='utf-8'):
    """Encodes rows (sequences) as CSV in memory; returns the bytes."""
    buf = StringIO.StringIO()
    writer = UnicodeWriter(buf, encoding=encoding)
    writer.writerows(rows)
    return buf.getvalue()


def csv_bytes_to_rows(data, encoding='utf-8'):
    """Parses CSV bytes into a list of rows (lists of unicode)."""
    reader = UnicodeReader(cStringIO.StringIO(data), encoding=encoding)
    return [row for row in reader]
