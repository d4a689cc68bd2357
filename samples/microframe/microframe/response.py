# -*- coding: utf-8 -*-
"""The Response object: status, headers, cookies and an encoded body."""

import hashlib
import hmac
import httplib
import time
import urllib
import Cookie
from email.utils import formatdate


class Response(object):
    """An HTTP response.

    ``body`` may be given as unicode (it is encoded with ``charset``) or as
    an already encoded str.
    """

    charset = 'utf-8'
    default_content_type = 'text/html'

    def __init__(self, body='', status=200, headers=None, content_type=None,
                 charset=None):
        if charset is not None:
            self.charset = charset
        self.status_code = status
        self.headers = list(headers or [])
        self.content_type = content_type or self.default_content_type
        self.body = body

    def _get_body(self):
        return self._body

    def _set_body(self, value):
        if isinstance(value, unicode):
            value = value.encode(self.charset)
        self._body = value

    body = property(_get_body, _set_body)

    @property
    def text(self):
        return self._body.decode(self.charset)

    @property
    def status(self):
        return '%d %s' % (self.status_code,
                          httplib.responses.get(self.status_code, 'UNKNOWN'))

    def get_header(self, name, default=None):
        name = name.lower()
        for key, value in self.headers:
            if key.lower() == name:
                return value
        return default

    def set_header(self, name, value):
        self.headers = [(k, v) for (k, v) in self.headers
                        if k.lower() != name.lower()]
        self.headers.append((name, value))

    def set_cookie(self, name, value, max_age=None, expires=None, path='/',
                   httponly=False):
        """Set a cookie; unicode values are UTF-8 percent-encoded."""
        if isinstance(value, unicode):
            value = value.encode('utf-8')
        jar = Cookie.SimpleCookie()
        jar[name] = urllib.quote(value)
        morsel = jar[name]
        morsel['path'] = path
        if max_age is not None:
            morsel['max-age'] = max_age
        if expires is not None:
            if isinstance(expires, (int, long, float)):
                expires = formatdate(expires, usegmt=True)
            morsel['expires'] = expires
        if httponly:
            morsel['httponly'] = True
        self.headers.append(('Set-Cookie', morsel.OutputString()))

    def delete_cookie(self, name, path='/'):
        self.set_cookie(name, '', max_age=0, expires=0, path=path)

    def set_signed_cookie(self, name, value, secret_key, max_age=None):
        """A cookie whose value carries an HMAC so it cannot be forged."""
        if isinstance(value, unicode):
            value = value.encode('utf-8')
        stamp = '%d' % time.time()
        payload = '%s|%s' % (value, stamp)
        mac = hmac.new(secret_key, payload, hashlib.sha1).hexdigest()
        self.set_cookie(name, '%s|%s' % (payload, mac), max_age=max_age)

    def add_etag(self):
        self.set_header('ETag', '"%s"' % hashlib.md5(self.body).hexdigest())

    def attachment(self, filename):
        quoted = urllib.quote(filename.encode('utf-8'))
        self.set_header('Content-Disposition',
                        "attachment; filename*=UTF-8''%s" % quoted)

    def __call__(self, environ, start_response):
        headers = list(self.headers)
        if self.content_type.startswith('text/') or \
                self.content_type == 'application/json':
            ctype = '%s; charset=%s' % (self.content_type, self.charset)
        else:
            ctype = self.content_type
        headers.insert(0, ('Content-Type', ctype))
        headers.append(('Content-Length', str(len(self.body))))
        start_response(self.status, headers)
        if environ.get('REQUEST_METHOD') == 'HEAD':
            return []
        return [self.body]

    def __repr__(self):
        return '<Response %s, %d bytes>' % (self.status, len(self.body))


def check_signed_value(signed, secret_key, max_age=None):
    """Return the unicode value of a signed cookie, or None if forged/stale."""
    if signed.count('|') < 2:
        return None
    payload, mac = signed.rsplit('|', 1)
    expected = hmac.new(secret_key, payload.encode('utf-8'), hashlib.sha1).hexdigest()
    if mac != expected:
        return None
    value, stamp = payload.rsplit('|', 1)
    if max_age is not None and time.time() - int(stamp) > max_age:
        return None
    return value
