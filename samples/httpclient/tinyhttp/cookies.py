"""A small cookie jar: remembers Set-Cookie answers and produces the
Cookie header for later requests (domain and path matching, Max-Age)."""
import Cookie
import sys
import time


def default_path(request_path):
    """The default cookie path of RFC 6265: the request path up to, but
    not including, its last slash."""
    if not request_path.startswith('/') or request_path.count('/') == 1:
        return '/'
    return request_path[:request_path.rindex('/')]


def path_matches(request_path, cookie_path):
    if request_path == cookie_path:
        return True
    if request_path.startswith(cookie_path):
        return cookie_path.endswith('/') or \
            request_path[len(cookie_path)] == '/'
    return False


class CookieJar(object):
    """Cookies keyed by (domain, path, name)."""

    def __init__(self, clock=time.time):
        self.clock = clock
        self._cookies = {}

    def extract(self, host, request_path, set_cookie_values):
        """Stores the cookies of the Set-Cookie header values of one
        response to a request for `host` and `request_path`."""
        for header in set_cookie_values:
            parsed = Cookie.SimpleCookie()
            try:
                parsed.load(header)
            except Cookie.CookieError, e:
                print >>sys.stderr, 'tinyhttp: ignoring Set-Cookie %r: %s' % (
                    header, e)
                continue
            for name, morsel in parsed.iteritems():
                domain = (morsel['domain'] or host).lstrip('.').lower()
                path = morsel['path'] or default_path(request_path)
                expires = None
                if morsel['max-age'] != '':
                    try:
                        expires = self.clock() + long(morsel['max-age'])
                    except ValueError:
                        pass
                key = (domain, path, name)
                if expires is not None and expires <= self.clock():
                    if self._cookies.has_key(key):
                        del self._cookies[key]
                    continue
                self._cookies[key] = (morsel.value, expires)

    def header_for(self, host, path):
        """The value of the Cookie header for a request, '' if none.
        Cookies with longer paths come first."""
        now = self.clock()
        host = host.lower()
        matches = []
        for (domain, cpath, name), (value, expires) in \
                self._cookies.iteritems():
            if expires is not None and expires <= now:
                continue
            if host != domain and not host.endswith('.' + domain):
                continue
            if not path_matches(path, cpath):
                continue
            matches.append((-len(cpath), name, value))
        matches.sort()
        return '; '.join(['%s=%s' % (name, value)
                          for length, name, value in matches])

    def get(self, name, default=None):
        """The value of the first cookie called `name` (any domain)."""
        for (domain, path, cname), (value, expires) in \
                sorted(self._cookies.items()):
            if cname == name:
                return value
        return default

    def names(self):
        return sorted(set([name for domain, path, name
                           in self._cookies.iterkeys()]))

    def clear_expired(self):
        """Forgets expired cookies; returns how many were removed."""
        now = self.clock()
        removed = 0
        for key in self._cookies.keys():
            value, expires = self._cookies[key]
            if expires is not None and expires <= now:
                del self._cookies[key]
                removed += 1
        return removed

    def clear(self):
        self._cookies.clear()

    def __len__(self):
        return len(self._cookies)
