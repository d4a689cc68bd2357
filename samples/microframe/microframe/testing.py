# -*- coding: utf-8 -*-
"""Call a WSGI application in-process, the way a browser would."""

import json
import urllib
import StringIO
from wsgiref.util import setup_testing_defaults


def encode_pairs(data):
    """(name, value) pairs from a dict or a list, unicode values as UTF-8."""
    if isinstance(data, dict):
        items = sorted(data.iteritems())
    else:
        items = list(data)
    pairs = []
    for key, value in items:
        if isinstance(value, unicode):
            value = value.encode('utf-8')
        pairs.append((key, value))
    return pairs


class ClientResponse(object):

    def __init__(self, status, headers, data):
        self.status = status
        self.status_code = int(status.split(None, 1)[0])
        self.headers = headers
        self.data = data

    def get_header(self, name, default=None):
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return default

    def get_headers(self, name):
        return [v for (k, v) in self.headers if k.lower() == name.lower()]

    @property
    def text(self):
        return self.data.decode('utf-8')

    @property
    def json(self):
        return json.loads(self.data)


class Client(object):
    """Keeps cookies between requests, like a tiny browser."""

    def __init__(self, app):
        self.app = app
        self.cookies = {}

    def build_environ(self, method, path, query=None, data=None,
                      content_type=None, headers=None):
        body = ''
        if isinstance(data, dict):
            body = urllib.urlencode(encode_pairs(data))
            content_type = content_type or 'application/x-www-form-urlencoded'
        elif data is not None:
            body = data
        environ = {
            'REQUEST_METHOD': method,
            'SCRIPT_NAME': '',
            'PATH_INFO': path.encode('utf-8'),
            'QUERY_STRING': urllib.urlencode(encode_pairs(query or {})),
            'CONTENT_LENGTH': str(len(body)),
            'wsgi.input': StringIO.StringIO(body),
            'wsgi.errors': StringIO.StringIO(),
        }
        if content_type:
            environ['CONTENT_TYPE'] = content_type
        if self.cookies:
            environ['HTTP_COOKIE'] = '; '.join(
                '%s=%s' % item for item in sorted(self.cookies.items()))
        for name, value in (headers or {}).iteritems():
            environ['HTTP_' + name.upper().replace('-', '_')] = value
        setup_testing_defaults(environ)
        return environ

    def open(self, method, path, **kwargs):
        environ = self.build_environ(method, path, **kwargs)
        captured = []

        def start_response(status, headers, exc_info=None):
            captured[:] = [status, headers]
        app_iter = self.app(environ, start_response)
        try:
            data = ''.join(app_iter)
        finally:
            if hasattr(app_iter, 'close'):
                app_iter.close()
        response = ClientResponse(captured[0], captured[1], data)
        response.errors = environ['wsgi.errors'].getvalue()
        self._store_cookies(response)
        return response

    def _store_cookies(self, response):
        for header in response.get_headers('Set-Cookie'):
            pair = header.split(';', 1)[0]
            name, value = pair.split('=', 1)
            if 'Max-Age=0' in header:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value

    def get(self, path, **kwargs):
        return self.open('GET', path, **kwargs)

    def post(self, path, **kwargs):
        return self.open('POST', path, **kwargs)
