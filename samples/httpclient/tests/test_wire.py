import socket
import unittest
import zlib

from tinyhttp.errors import ProtocolError, Timeout
from tinyhttp.headers import Headers
from tinyhttp.wire import SocketReader, build_request, decode_content, \
    looks_gzipped, parse_status_line, read_body, read_head


class FakeSocket(object):
    """Hands out canned bytes in small pieces, like a slow network."""

    def __init__(self, data, piece=7, timeout_at_end=False):
        self.data = data
        self.piece = piece
        self.timeout_at_end = timeout_at_end

    def recv(self, n):
        if not self.data and self.timeout_at_end:
            raise socket.timeout('timed out')
        n = min(n, self.piece)
        chunk, self.data = self.data[:n], self.data[n:]
        return chunk


def parse(data, method='GET', limit=1000000, piece=7):
    reader = SocketReader(FakeSocket(data, piece))
    version, status, reason, headers = read_head(reader)
    body = read_body(reader, method, status, headers, limit)
    return version, status, reason, headers, body


class BuildRequestTest(unittest.TestCase):

    def test_get(self):
        headers = Headers([('Host', 'example.org'), ('Accept', '*/*')])
        self.assertEqual(build_request('GET', '/a?b=1', headers),
                         b'GET /a?b=1 HTTP/1.1\r\nHost: example.org\r\n'
                         b'Accept: */*\r\n\r\n')

    def test_post_with_body(self):
        headers = Headers([('Content-Length', 5)])
        self.assertEqual(build_request('POST', '/', headers, b'\x00\xffab\n'),
                         b'POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\n'
                         b'\x00\xffab\n')


class SocketReaderTest(unittest.TestCase):

    def test_lines_and_bytes(self):
        reader = SocketReader(FakeSocket(b'one\r\ntwo\nrest of it', 3))
        self.assertEqual(reader.readline(), b'one')
        self.assertEqual(reader.readline(), b'two')
        self.assertEqual(reader.read(4), b'rest')
        self.assertEqual(reader.read_all(), b' of it')
        self.assertEqual(reader.read_all(), b'')
        self.assertEqual(reader.bytes_received, 19)

    def test_closed_early(self):
        reader = SocketReader(FakeSocket(b'abc'))
        self.assertRaises(ProtocolError, reader.readline)
        reader = SocketReader(FakeSocket(b'abc'))
        self.assertRaises(ProtocolError, reader.read, 4)

    def test_limit(self):
        reader = SocketReader(FakeSocket(b'x' * 100, 10))
        self.assertRaises(ProtocolError, reader.read_all, 50)

    def test_timeout(self):
        reader = SocketReader(FakeSocket(b'HTTP/1.1', timeout_at_end=True))
        self.assertRaises(Timeout, reader.readline)


class StatusLineTest(unittest.TestCase):

    def test_parse(self):
        self.assertEqual(parse_status_line('HTTP/1.1 200 OK'),
                         ('HTTP/1.1', 200, 'OK'))
        self.assertEqual(parse_status_line('HTTP/1.0 404 Not Found'),
                         ('HTTP/1.0', 404, 'Not Found'))

    def test_missing_reason(self):
        self.assertEqual(parse_status_line('HTTP/1.1 503'),
                         ('HTTP/1.1', 503, 'Service Unavailable'))

    def test_bad(self):
        self.assertRaises(ProtocolError, parse_status_line, 'SPAM 200 OK')
        self.assertRaises(ProtocolError, parse_status_line, 'HTTP/1.1 abc')
        self.assertRaises(ProtocolError, parse_status_line, '')


class ResponseParsingTest(unittest.TestCase):

    def test_content_length(self):
        version, status, reason, headers, body = parse(
            b'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n'
            b'Content-Length: 5\r\n\r\nhello and more')
        self.assertEqual((version, status, reason),
                         ('HTTP/1.1', 200, 'OK'))
        self.assertEqual(headers['content-type'], 'text/plain')
        self.assertEqual(body, b'hello')

    def test_chunked(self):
        data = (b'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n'
                b'5\r\nhello\r\n'
                b'7;name=value\r\n, world\r\n'
                b'A\r\n\x00\x01\x02\x03\x04\x05\x06\x07\x08\t\r\n'
                b'0\r\nX-Trailer: yes\r\n\r\n')
        body = parse(data, piece=3)[4]
        self.assertEqual(body, b'hello, world\x00\x01\x02\x03\x04\x05\x06'
                               b'\x07\x08\t')

    def test_chunked_errors(self):
        head = b'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n'
        self.assertRaises(ProtocolError, parse, head + b'zz\r\nhello\r\n')
        self.assertRaises(ProtocolError, parse,
                          head + b'5\r\nhelloXX0\r\n\r\n')
        self.assertRaises(ProtocolError, parse, head + b'5\r\nhel')
        self.assertRaises(ProtocolError, parse,
                          head + b'ff\r\n' + b'x' * 255 + b'\r\n0\r\n\r\n',
                          limit=100)

    def test_read_until_close(self):
        body = parse(b'HTTP/1.0 200 OK\r\nServer: x\r\n\r\nall of it')[4]
        self.assertEqual(body, b'all of it')

    def test_no_body(self):
        data = b'HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n'
        self.assertEqual(parse(data, method='HEAD')[4], b'')
        self.assertEqual(parse(b'HTTP/1.1 204 No Content\r\n\r\n')[4], b'')

    def test_folded_and_repeated_headers(self):
        headers = parse(b'HTTP/1.1 200 OK\r\nX-Long: one\r\n  two\r\n'
                        b'Set-Cookie: a=1\r\nSet-Cookie: b=2\r\n'
                        b'Content-Length: 0\r\n\r\n')[3]
        self.assertEqual(headers['X-Long'], 'one two')
        self.assertEqual(headers.getlist('set-cookie'), ['a=1', 'b=2'])

    def test_latin1_header_value(self):
        headers = parse(b'HTTP/1.1 200 OK\r\nX-Name: caf\xe9\r\n'
                        b'Content-Length: 0\r\n\r\n')[3]
        self.assertEqual(len(headers['X-Name']), 4)

    def test_bad_headers(self):
        self.assertRaises(ProtocolError, parse,
                          b'HTTP/1.1 200 OK\r\nno colon here\r\n\r\n')
        self.assertRaises(ProtocolError, parse,
                          b'HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n')
        many = b''.join([b'X-' + str(i).encode('ascii') + b': 1\r\n'
                         for i in range(120)])
        self.assertRaises(ProtocolError, parse,
                          b'HTTP/1.1 200 OK\r\n' + many + b'\r\n')


class ContentEncodingTest(unittest.TestCase):

    def test_gzip(self):
        compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
        data = compressor.compress(b'payload ' * 10) + compressor.flush()
        self.assertTrue(looks_gzipped(data))
        headers = Headers([('Content-Encoding', 'gzip')])
        self.assertEqual(decode_content(data, headers), b'payload ' * 10)

    def test_not_really_gzip(self):
        headers = Headers([('Content-Encoding', 'gzip')])
        self.assertFalse(looks_gzipped(b'plain text'))
        self.assertRaises(ProtocolError, decode_content, b'plain', headers)
        self.assertRaises(ProtocolError, decode_content,
                          b'\x1f\x8bgarbage', headers)

    def test_deflate_and_identity(self):
        headers = Headers([('Content-Encoding', 'deflate')])
        self.assertEqual(decode_content(zlib.compress(b'abc'), headers),
                         b'abc')
        self.assertEqual(decode_content(b'abc', Headers()), b'abc')


if __name__ == '__main__':
    unittest.main()
