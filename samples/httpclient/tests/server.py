"""A local WSGI test server for the tinyhttp tests.

It listens on 127.0.0.1 on a free port, serves the small application below
from a background thread and is shut down by the tests.  Nothing leaves the
loopback interface.
"""
import json
import threading
import zlib
from wsgiref.simple_server import make_server, WSGIRequestHandler
from wsgiref.util import request_uri

try:
    from urlparse import parse_qs
except ImportError:
    from urllib.parse import parse_qs

ECHO_HEADERS = ('HTTP_COOKIE', 'HTTP_AUTHORIZATION', 'HTTP_X_REQUEST_ID',
                'HTTP_USER_AGENT', 'HTTP_HOST', 'HTTP_ACCEPT_ENCODING',
                'HTTP_X_CUSTOM', 'CONTENT_TYPE', 'CONTENT_LENGTH')


class QuietHandler(WSGIRequestHandler):
    """Does not log every request to stderr."""

    def log_message(self, format, *args):
        pass


def _respond(start_response, status, body, content_type='text/plain',
             extra=()):
    headers = [('Content-Type', content_type),
               ('Content-Length', str(len(body)))]
    headers.extend(extra)
    start_response(status, headers)
    return [body]


def echo(environ, start_response):
    length = int(environ.get('CONTENT_LENGTH') or 0)
    body = environ['wsgi.input'].read(length) if length else b''
    info = {
        'method': environ['REQUEST_METHOD'],
        'path': '/' + request_uri(environ,
                                  include_query=False).split('/', 3)[3],
        'query': parse_qs(environ.get('QUERY_STRING', ''),
                          keep_blank_values=True),
        'raw_query': environ.get('QUERY_STRING', ''),
        'headers': dict([(name, environ[name]) for name in ECHO_HEADERS
                         if environ.get(name)]),
        'body': body.decode('utf-8', 'replace'),
    }
    payload = json.dumps(info, sort_keys=True).encode('ascii')
    if environ['REQUEST_METHOD'] == 'HEAD':
        start_response('200 OK', [('Content-Type', 'application/json'),
                                  ('Content-Length', str(len(payload)))])
        return [b'']
    return _respond(start_response, '200 OK', payload, 'application/json')


def app(environ, start_response):
    path = environ['PATH_INFO']
    query = parse_qs(environ.get('QUERY_STRING', ''))
    if path.startswith('/echo'):
        return echo(environ, start_response)
    if path == '/latin1':
        return _respond(start_response, '200 OK', b'caf\xe9 cr\xe8me',
                        'text/plain; charset=iso-8859-1')
    if path == '/stream':
        # no Content-Length: the body ends when the connection closes
        start_response('200 OK', [('Content-Type', 'text/plain')])
        return [b'first,', b'second,', b'third']
    if path == '/gzip':
        compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
        data = compressor.compress(b'hello gzip ' * 100) + compressor.flush()
        return _respond(start_response, '200 OK', data, 'text/plain',
                        [('Content-Encoding', 'gzip')])
    if path == '/setcookie':
        return _respond(start_response, '200 OK', b'cookies set', extra=[
            ('Set-Cookie', 'session=abc123; Path=/'),
            ('Set-Cookie', 'theme=dark; Path=/echo/theme; Max-Age=3600'),
            ('Set-Cookie', 'gone=x; Path=/; Max-Age=0'),
        ])
    if path == '/redirect':
        code = query.get('code', ['302'])[0]
        target = query.get('to', ['/echo'])[0]
        reasons = {'301': 'Moved Permanently', '302': 'Found',
                   '303': 'See Other', '307': 'Temporary Redirect'}
        return _respond(start_response, '%s %s' % (code, reasons[code]),
                        b'moved', extra=[('Location', target)])
    if path == '/loop':
        return _respond(start_response, '302 Found', b'again',
                        extra=[('Location', '/loop')])
    if path == '/cache':
        return _respond(start_response, '200 OK', b'cached', extra=[
            ('Cache-Control', 'max-age=60, no-transform, '
                              'private="Set-Cookie, Vary"')])
    if path == '/teapot':
        return _respond(start_response, "418 I'm a teapot", b'short and stout')
    return _respond(start_response, '404 Not Found', b'not found')


class TestServer(object):
    """Runs `app` on 127.0.0.1:<free port> in a daemon thread."""

    def __init__(self):
        self.httpd = make_server('127.0.0.1', 0, app,
                                 handler_class=QuietHandler)
        self.port = self.httpd.server_port
        self.thread = threading.Thread(target=self.httpd.serve_forever,
                                       kwargs={'poll_interval': 0.05})
        self.thread.daemon = True

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(5)

    def url(self, path='/'):
        return 'http://127.0.0.1:%d%s' % (self.port, path)
