# -*- coding: utf-8 -*-
"""Small helpers for speaking HTTP by hand: statuses, responses, cookies."""

import base64
import cgi
import hashlib
import httplib
import os
import urllib
import Cookie


def status_line(code):
    return '%d %s' % (code, httplib.responses[code])


def escape(text):
    """Escape text for use inside HTML, including attribute values."""
    return cgi.escape(text, True)


def wsgi_text(environ, key, default=''):
    """Read a CGI variable from the environ and decode it from UTF-8."""
    value = environ.get(key, default)
    return value.decode('utf-8')


class Response(object):
    """Collects status, headers and body; turns them into a WSGI answer."""

    def __init__(self, body='', code=200, content_type='text/html; charset=utf-8'):
        self.code = code
        self.body = body
        self.headers = [('Content-Type', content_type)]

    def add_header(self, name, value):
        self.headers.append((name, value))

    def header(self, name):
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None

    def set_cookie(self, name, value, path='/', max_age=None):
        cookie = Cookie.SimpleCookie()
        cookie[name] = value
        cookie[name]['path'] = path
        if max_age is not None:
            cookie[name]['max-age'] = max_age
        self.headers.append(('Set-Cookie', cookie[name].OutputString()))

    def delete_cookie(self, name, path='/'):
        self.set_cookie(name, '', path=path, max_age=0)

    def __call__(self, start_response):
        self.headers.append(('Content-Length', str(len(self.body))))
        start_response(status_line(self.code), self.headers)
        return [self.body]


def html_response(page, code=200):
    """``page`` is a unicode document; it goes out as UTF-8."""
    return Response(page.encode('utf-8'), code)


def text_response(message, code=200):
    return Response(message, code, 'text/plain; charset=utf-8')


def redirect(path, code=303):
    """Redirect to a path that may contain any unicode characters."""
    location = urllib.quote(path.encode('utf-8'), safe='/')
    response = Response('', code)
    response.add_header('Location', location)
    return response


def content_md5(body):
    """Base64 MD5 digest of the body, as used by the Content-MD5 header."""
    return base64.b64encode(hashlib.md5(body).digest())


def product_etag(product):
    tag = hashlib.md5('%d-%d' % (product.id, product.revision)).hexdigest()
    return '"%s"' % tag


def new_token():
    """Random token used to tie a browser to its uploads."""
    return os.urandom(8).encode('hex')


def parse_cookies(environ):
    """Return the request's cookies as a dict of name -> str value."""
    cookie = Cookie.SimpleCookie()
    try:
        cookie.load(environ.get('HTTP_COOKIE', ''))
    except Cookie.CookieError, e:
        print >>environ['wsgi.errors'], 'minishop: bad cookie header: %s' % e
        return {}
    values = {}
    for name, morsel in cookie.iteritems():
        values[name] = morsel.value
    return values


def encode_cookie_text(text):
    """Cookies may only carry ASCII: base64 the UTF-8 encoded text."""
    return base64.urlsafe_b64encode(text.encode('utf-8'))


def decode_cookie_text(value):
    try:
        return base64.urlsafe_b64decode(value).decode('utf-8')
    except (TypeError, ValueError), e:
        return None


def accepts_json(environ):
    if environ.has_key('HTTP_ACCEPT'):
        return 'application/json' in environ['HTTP_ACCEPT']
    return False
