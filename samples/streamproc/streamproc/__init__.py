"""streamproc -- CSV, binary record files and chunked compression."""
from streamproc.csvio import CSVError, UnicodeReader, UnicodeWriter, \
    read_csv, write_csv
from streamproc.chunks import ChunkError, ChunkReader, ChunkWriter, \
    compress_chunks, decompress_chunks
from streamproc.records import FormatError, Record, read_records, \
    write_records

__version__ = '1.3'
