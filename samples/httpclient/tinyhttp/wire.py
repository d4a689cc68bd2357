"""HTTP/1.1 on the wire: serialising requests and parsing responses read
from a socket."""
import httplib
import socket
import sys
import zlib

from tinyhttp.errors import ProtocolError, Timeout
from tinyhttp.headers import Headers

CRLF = '\r\n'
MAX_LINE = 65536
MAX_HEADERS = 100
READ_SIZE = 8192


def build_request(method, path, headers, body=None):
    """Serialises a request (request line, headers, blank line, body) into
    the string that is sent over the socket."""
    lines = ['%s %s HTTP/1.1' % (method, path)]
    for name, value in headers.items():
        lines.append('%s: %s' % (name, value))
    head = CRLF.join(lines) + CRLF + CRLF
    if body:
        return head + body
    return head


class SocketReader(object):
    """Buffered reading of lines and counted bytes from a socket."""

    def __init__(self, sock, read_size=READ_SIZE):
        self.sock = sock
        self.read_size = read_size
        self.buffer = ''
        self.eof = False
        self.bytes_received = 0

    def _fill(self):
        if self.eof:
            return False
        try:
            data = self.sock.recv(self.read_size)
        except socket.timeout:
            raise Timeout('timed out waiting for the server')
        if not data:
            self.eof = True
            return False
        self.bytes_received += len(data)
        self.buffer += data
        return True

    def readline(self):
        """One line without its line ending (CRLF or a bare LF)."""
        while '\n' not in self.buffer:
            if len(self.buffer) > MAX_LINE:
                raise ProtocolError('header line too long')
            if not self._fill():
                raise ProtocolError('connection closed in the middle of a '
                                    'line')
        line, self.buffer = self.buffer.split('\n', 1)
        return line.rstrip('\r')

    def read(self, n):
        """Exactly n bytes."""
        while len(self.buffer) < n:
            if not self._fill():
                raise ProtocolError('connection closed after %d of %d bytes'
                                    % (len(self.buffer), n))
        data, self.buffer = self.buffer[:n], self.buffer[n:]
        return data

    def read_all(self, limit=sys.maxint):
        """Everything up to the end of the stream."""
        while self._fill():
            if len(self.buffer) > limit:
                raise ProtocolError('body larger than %d bytes' % limit)
        data, self.buffer = self.buffer, ''
        return data


def parse_status_line(line):
    """'HTTP/1.1 200 OK' -> ('HTTP/1.1', 200, 'OK').  A missing reason
    phrase is filled in from httplib.responses."""
    parts = line.split(None, 2)
    if len(parts) < 2 or not parts[0].startswith('HTTP/'):
        raise ProtocolError('bad status line: %r' % (line,))
    try:
        status = int(parts[1])
    except ValueError:
        raise ProtocolError('bad status code: %r' % (line,))
    if len(parts) == 3:
        reason = parts[2]
    else:
        reason = httplib.responses.get(status, '')
    return parts[0], status, reason


def read_head(reader):
    """Reads the status line and the headers; returns (version, status,
    reason, Headers)."""
    version, status, reason = parse_status_line(reader.readline())
    headers = Headers()
    last = None
    for i in xrange(MAX_HEADERS + 1):
        line = reader.readline()
        if not line:
            break
        if line[0] in ' \t' and last is not None:
            # obsolete line folding: continues the previous header
            name, value = last
            del headers[name]
            last = (name, value + ' ' + line.strip())
            headers.add(*last)
            continue
        name, sep, value = line.partition(':')
        if not sep or not name.strip():
            raise ProtocolError('bad header line: %r' % (line,))
        last = (name.strip(), value.strip())
        headers.add(*last)
    else:
        raise ProtocolError('more than %d headers' % MAX_HEADERS)
    return version, status, reason, headers


def read_chunked(reader, limit):
    """Reads a body sent with Transfer-Encoding: chunked."""
    parts = []
    total = 0
    while True:
        line = reader.readline()
        try:
            size = int(line.split(';', 1)[0].strip(), 16)
        except ValueError:
            raise ProtocolError('bad chunk size line: %r' % (line,))
        if size == 0:
            break
        total += size
        if total > limit:
            raise ProtocolError('body larger than %d bytes' % limit)
        parts.append(reader.read(size))
        if reader.read(2) != CRLF:
            raise ProtocolError('chunk not followed by CRLF')
    while reader.readline():
        pass            # skip the trailer headers
    return ''.join(parts)


def read_body(reader, method, status, headers, limit):
    """Reads the body according to the framing rules of RFC 7230."""
    if method == 'HEAD' or status in (204, 304) or 100 <= status < 200:
        return ''
    if headers.get('Transfer-Encoding', '').lower() == 'chunked':
        return read_chunked(reader, limit)
    if 'Content-Length' in headers:
        try:
            length = long(headers['Content-Length'])
        except ValueError:
            raise ProtocolError('bad Content-Length: %r' %
                                headers['Content-Length'])
        if length > limit:
            raise ProtocolError('body larger than %d bytes' % limit)
        return reader.read(length)
    return reader.read_all(limit)


def looks_gzipped(body):
    """True if the body starts with the gzip magic number."""
    return len(body) > 2 and body[0] == '\x1f' and body[1] == '\x8b'


def decode_content(body, headers):
    """Undoes a gzip or deflate Content-Encoding."""
    encoding = headers.get('Content-Encoding', '').lower()
    if encoding in ('gzip', 'x-gzip'):
        if not looks_gzipped(body):
            raise ProtocolError('Content-Encoding is gzip, but the body is '
                                'not gzip data')
        try:
            return zlib.decompress(body, 16 + zlib.MAX_WBITS)
        except zlib.error, e:
            raise ProtocolError('bad gzip body: %s' % e)
    if encoding == 'deflate':
        return zlib.decompress(body)
    return body
