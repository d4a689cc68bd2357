# -*- coding: utf-8 -*-
import io
from wsgiref.util import setup_testing_defaults


def wsgi_str(text):
    """unicode -> PEP 3333 native string (UTF-8 bytes seen through latin-1)."""
    data = text.encode('utf-8')
    if str is bytes:
        return data
    return data.decode('latin-1')


class ErrorLog(object):

    def __init__(self):
        self.lines = []

    def write(self, text):
        self.lines.append(text)

    def writelines(self, lines):
        self.lines.extend(lines)

    def flush(self):
        pass


def make_environ(method='GET', path=u'/', query='', body=b'', content_type=None,
                 **extra):
    environ = {
        'REQUEST_METHOD': method,
        'SCRIPT_NAME': '',
        'PATH_INFO': wsgi_str(path),
        'QUERY_STRING': query,
        'CONTENT_LENGTH': str(len(body)),
        'wsgi.input': io.BytesIO(body),
        'wsgi.errors': ErrorLog(),
    }
    if content_type:
        environ['CONTENT_TYPE'] = content_type
    environ.update(extra)
    setup_testing_defaults(environ)
    return environ


class StartResponse(object):

    def __init__(self):
        self.status = None
        self.headers = None

    def __call__(self, status, headers, exc_info=None):
        self.status = status
        self.headers = headers
        return lambda data: None

    def header(self, name):
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None


def call(app, environ):
    start = StartResponse()
    chunks = app(environ, start)
    body = b''.join(chunks)
    if hasattr(chunks, 'close'):
        chunks.close()
    return start, body
