"""Signed cookies.

A SignedCookieJar reads the request's Cookie header, hands out the values
whose signature is still valid, and collects Set-Cookie header values for
the response::

    jar = SignedCookieJar(SECRET, environ.get('HTTP_COOKIE'))
    user = jar.get('user', max_age=3600)
    jar.set('user', u'j\xfcrgen')
    headers.extend(jar.headers())
"""
import Cookie
import sys
from email.utils import formatdate

from tokensmith.exc import BadSignature, SignatureExpired
from tokensmith.signer import TimestampSigner
from tokensmith.clock import default_clock

DEBUG = False


class SignedCookieJar(object):
    """Signed, timestamped cookies on top of Cookie.SimpleCookie."""

    def __init__(self, secret_key, cookie_header=None,
                 salt='tokensmith.cookie', max_age=None, path='/',
                 domain=None, secure=False, httponly=True, clock=None):
        self.clock = clock or default_clock
        self.signer = TimestampSigner(secret_key, salt=salt,
                                      clock=self.clock)
        self.max_age = max_age
        self.path = path
        self.domain = domain
        self.secure = secure
        self.httponly = httponly
        self.incoming = {}
        self.outgoing = Cookie.SimpleCookie()
        if cookie_header:
            self.load(cookie_header)

    def load(self, header):
        """Parses a Cookie request header ('a=1; b=2')."""
        if isinstance(header, unicode):
            header = header.encode('latin-1')
        cookie = Cookie.SimpleCookie()
        try:
            cookie.load(header)
        except Cookie.CookieError, e:
            print >>sys.stderr, 'tokensmith: ignoring bad cookie header: %s' \
                % e
            return
        for name, morsel in cookie.iteritems():
            self.incoming[name] = morsel.value

    def names(self):
        """Names of all incoming cookies, signed or not, sorted."""
        return sorted(self.incoming.keys())

    def get(self, name, default=None, max_age=None):
        """Returns the verified value of cookie `name` as unicode, or
        `default` if it is missing, forged or expired."""
        if not self.incoming.has_key(name):
            return default
        if max_age is None:
            max_age = self.max_age
        try:
            value = self.signer.unsign(self.incoming[name], max_age=max_age)
        except SignatureExpired, e:
            if DEBUG:
                print >>sys.stderr, 'tokensmith: cookie %s expired: %s' % (
                    name, e)
            return default
        except BadSignature, e:
            print >>sys.stderr, 'tokensmith: rejected cookie %s: %s' % (
                name, e)
            return default
        return value.decode('utf-8')

    def get_raw(self, name):
        """The unverified signed value of an incoming cookie."""
        return self.incoming.get(name)

    def set(self, name, value, max_age=None):
        """Signs `value` (unicode or UTF-8) and queues a Set-Cookie."""
        if isinstance(value, unicode):
            value = value.encode('utf-8')
        signed = self.signer.sign(value)
        self.outgoing[name] = signed
        self._apply_attributes(self.outgoing[name], max_age)
        self.incoming[name] = signed
        return signed

    def delete(self, name):
        """Queues a Set-Cookie that removes the cookie in the browser."""
        self.outgoing[name] = ''
        morsel = self.outgoing[name]
        morsel['path'] = self.path
        if self.domain:
            morsel['domain'] = self.domain
        morsel['max-age'] = 0
        morsel['expires'] = formatdate(0, usegmt=True)
        if self.incoming.has_key(name):
            del self.incoming[name]

    def _apply_attributes(self, morsel, max_age):
        morsel['path'] = self.path
        if self.domain:
            morsel['domain'] = self.domain
        if max_age is None:
            max_age = self.max_age
        if max_age is not None:
            morsel['max-age'] = max_age
            morsel['expires'] = formatdate(self.clock.now() + max_age,
                                           usegmt=True)
        if self.secure:
            morsel['secure'] = True
        if self.httponly:
            morsel['httponly'] = True

    def headers(self):
        """The queued cookies as a list of ('Set-Cookie', value) pairs,
        sorted by cookie name."""
        result = []
        for name in sorted(self.outgoing.keys()):
            result.append(('Set-Cookie', self.outgoing[name].OutputString()))
        return result

    def header_values(self):
        """Only the values of headers()."""
        return [value for header, value in self.headers()]

    def __contains__(self, name):
        return self.incoming.has_key(name)

    def __repr__(self):
        return '<SignedCookieJar %s>' % ', '.join(self.names())


def parse_set_cookie(header_value):
    """Parses one Set-Cookie header value into (name, value, attributes),
    e.g. for tests or for a client that stores signed cookies."""
    cookie = Cookie.SimpleCookie()
    cookie.load(header_value)
    name, morsel = cookie.items()[0]
    attributes = {}
    for key, value in morsel.iteritems():
        if value:
            attributes[key] = value
    return name, morsel.value, attributes
