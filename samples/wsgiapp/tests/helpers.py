# -*- coding: utf-8 -*-
"""Drive a WSGI application in-process, without a server."""

import io
from wsgiref.util import setup_testing_defaults


def wsgi_str(text):
    """A unicode path/value as a PEP 3333 "native string".

    Python 2 servers hand the application UTF-8 bytes; Python 3 servers
    hand it the same bytes decoded as latin-1.
    """
    data = text.encode('utf-8')
    if str is bytes:
        return data
    return data.decode('latin-1')


class ErrorLog(object):
    """Stands in for wsgi.errors and remembers what was written."""

    def __init__(self):
        self.lines = []

    def write(self, text):
        self.lines.append(text)

    def writelines(self, lines):
        for line in lines:
            self.write(line)

    def flush(self):
        pass


class Result(object):

    def __init__(self):
        self.status = None
        self.headers = None
        self.body = b''

    @property
    def code(self):
        return int(self.status.split(' ', 1)[0])

    def header(self, name):
        values = self.header_list(name)
        if values:
            return values[-1]
        return None

    def header_list(self, name):
        return [v for (k, v) in self.headers if k.lower() == name.lower()]

    def start_response(self, status, headers, exc_info=None):
        self.status = status
        self.headers = list(headers)
        return self.write

    def write(self, data):
        self.body += data


def run(app, environ):
    result = Result()
    app_iter = app(environ, result.start_response)
    try:
        for chunk in app_iter:
            result.body += chunk
    finally:
        if hasattr(app_iter, 'close'):
            app_iter.close()
    return result


def make_environ(method='GET', path=u'/', query='', body=b'',
                 content_type=None, cookie=None, headers=None):
    """A complete environ via wsgiref.util.setup_testing_defaults."""
    environ = {
        'REQUEST_METHOD': method,
        'SCRIPT_NAME': '',
        'PATH_INFO': wsgi_str(path),
        'QUERY_STRING': query,
        'wsgi.input': io.BytesIO(body),
        'wsgi.errors': ErrorLog(),
    }
    if body or method == 'POST':
        environ['CONTENT_LENGTH'] = str(len(body))
    if content_type is not None:
        environ['CONTENT_TYPE'] = content_type
    if cookie is not None:
        environ['HTTP_COOKIE'] = cookie
    if headers:
        environ.update(headers)
    setup_testing_defaults(environ)
    return environ


def call(app, *args, **kwargs):
    return run(app, make_environ(*args, **kwargs))


def raw_environ(method, path_bytes, body=b'', content_type='', cookie=''):
    """Hand-built environ (no wsgiref helpers) from a raw URL path."""
    if str is bytes:
        path = path_bytes
    else:
        path = path_bytes.decode('latin-1')
    return {
        'REQUEST_METHOD': method,
        'SCRIPT_NAME': '',
        'PATH_INFO': path,
        'QUERY_STRING': '',
        'CONTENT_TYPE': content_type,
        'CONTENT_LENGTH': str(len(body)),
        'HTTP_COOKIE': cookie,
        'SERVER_NAME': 'shop.example.org',
        'SERVER_PORT': '80',
        'SERVER_PROTOCOL': 'HTTP/1.1',
        'wsgi.version': (1, 0),
        'wsgi.url_scheme': 'http',
        'wsgi.input': io.BytesIO(body),
        'wsgi.errors': ErrorLog(),
        'wsgi.multithread': False,
        'wsgi.multiprocess': False,
        'wsgi.run_once': False,
    }


def cookie_header(result):
    """Turn the Set-Cookie headers of a response into a Cookie header."""
    pairs = []
    for value in result.header_list('Set-Cookie'):
        pairs.append(value.split(';', 1)[0])
    return '; '.join(pairs)


BOUNDARY = b'----minishop7MA4YWxkTrZu0gW'


def multipart(fields, files, boundary=BOUNDARY):
    """Encode a multipart/form-data body.

    ``fields``: list of (unicode name, unicode value);
    ``files``: list of (unicode name, unicode filename, bytes type, bytes data).
    """
    lines = []
    for name, value in fields:
        lines.append(b'--' + boundary)
        lines.append(b'Content-Disposition: form-data; name="' +
                     name.encode('utf-8') + b'"')
        lines.append(b'')
        lines.append(value.encode('utf-8'))
    for name, filename, ctype, data in files:
        lines.append(b'--' + boundary)
        lines.append(b'Content-Disposition: form-data; name="' +
                     name.encode('utf-8') + b'"; filename="' +
                     filename.encode('utf-8') + b'"')
        lines.append(b'Content-Type: ' + ctype)
        lines.append(b'')
        lines.append(data)
    lines.append(b'--' + boundary + b'--')
    lines.append(b'')
    return b'\r\n'.join(lines)


def multipart_type(boundary=BOUNDARY):
    return str('multipart/form-data; boundary=' + boundary.decode('ascii'))
