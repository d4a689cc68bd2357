# -*- coding: utf-8 -*-
"""The Request object: a friendly view of a WSGI environ."""

import cStringIO
import json
import sys
import urllib
import urlparse
import Cookie
from wsgiref.util import application_uri, request_uri

from datastructures import MultiDict, decode_multi
from exceptions import BadRequest, RequestTooLarge


class Request(object):
    """Wraps a WSGI environ.  Text attributes are unicode."""

    charset = 'utf-8'
    max_content_length = sys.maxint

    def __init__(self, environ):
        self.environ = environ
        self.method = environ.get('REQUEST_METHOD', 'GET').upper()
        self.path = environ.get('PATH_INFO', '/').decode(self.charset)
        self.script_name = environ.get('SCRIPT_NAME', '').decode(self.charset)
        self._body = None
        self._form = None
        self._cookies = None

    def __repr__(self):
        return '<Request %s %r>' % (self.method, self.path)

    @property
    def url(self):
        return request_uri(self.environ)

    @property
    def host_url(self):
        return application_uri(self.environ).rstrip('/')

    @property
    def query_string(self):
        return self.environ.get('QUERY_STRING', '')

    @property
    def args(self):
        """The query string as a MultiDict of unicode values."""
        parsed = urlparse.parse_qs(self.query_string, keep_blank_values=True)
        return decode_multi(parsed, self.charset)

    @property
    def content_type(self):
        return self.environ.get('CONTENT_TYPE', '').split(';')[0].strip().lower()

    @property
    def content_length(self):
        try:
            return long(self.environ.get('CONTENT_LENGTH') or 0)
        except ValueError:
            return 0

    @property
    def body(self):
        """The raw request body.

        Read once from wsgi.input; the stream is replaced by a buffer so
        that other WSGI components can read the body again.
        """
        if self._body is None:
            length = self.content_length
            if length > self.max_content_length:
                raise RequestTooLarge()
            self._body = self.environ['wsgi.input'].read(length)
            self.environ['wsgi.input'] = cStringIO.StringIO(self._body)
        return self._body

    @property
    def form(self):
        """POSTed application/x-www-form-urlencoded fields (unicode)."""
        if self._form is None:
            if self.content_type == 'application/x-www-form-urlencoded':
                parsed = urlparse.parse_qs(self.body, keep_blank_values=True)
                self._form = decode_multi(parsed, self.charset)
            else:
                self._form = MultiDict()
        return self._form

    @property
    def values(self):
        """args and form combined; form wins."""
        combined = MultiDict()
        for source in (self.args, self.form):
            for key in source:
                for value in source.getall(key):
                    combined.add(key, value)
        return combined

    def get_json(self):
        if self.content_type != 'application/json':
            return None
        try:
            return json.loads(self.body.decode(self.charset))
        except ValueError, e:
            raise BadRequest(u'Invalid JSON: %s' % e.message)

    @property
    def cookies(self):
        """Cookie values, percent-decoded to unicode."""
        if self._cookies is None:
            jar = Cookie.SimpleCookie()
            try:
                jar.load(self.environ.get('HTTP_COOKIE', ''))
            except Cookie.CookieError:
                pass
            self._cookies = {}
            for name, morsel in jar.items():
                self._cookies[name] = urllib.unquote(morsel.value).decode(self.charset)
        return self._cookies

    @property
    def headers(self):
        """HTTP request headers, with their usual names (``User-Agent``)."""
        headers = {}
        for key, value in self.environ.iteritems():
            if key.startswith('HTTP_'):
                headers[key[5:].replace('_', '-').title()] = value
            elif key in ('CONTENT_TYPE', 'CONTENT_LENGTH') and value:
                headers[key.replace('_', '-').title()] = value
        return headers

    @property
    def is_xhr(self):
        if not self.environ.has_key('HTTP_X_REQUESTED_WITH'):
            return False
        return self.environ['HTTP_X_REQUESTED_WITH'].lower() == 'xmlhttprequest'

    @property
    def remote_addr(self):
        return self.environ.get('REMOTE_ADDR')
