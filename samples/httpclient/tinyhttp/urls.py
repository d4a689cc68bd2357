"""URL helpers: splitting, percent-encoding and query strings."""
import urllib
import urlparse

DEFAULT_PORTS = {'http': 80}
SAFE_PATH_CHARS = "/%;,=@!$&'()*+:~-._"
SAFE_QUERY_CHARS = "/%;,=@!$&'()*+:~-._?"


def quote_path(path):
    """Percent-encodes a path given as unicode or UTF-8 bytes.  Existing
    %XX escapes are kept."""
    if isinstance(path, unicode):
        path = path.encode('utf-8')
    return urllib.quote(path, safe=SAFE_PATH_CHARS)


def split_url(url):
    """Splits an http:// URL into (host, port, request path).  The path
    includes the query string and is percent-encoded."""
    if isinstance(url, unicode):
        url = url.encode('utf-8')
    parts = urlparse.urlsplit(url)
    if parts.scheme != 'http':
        raise ValueError, 'only http:// URLs are supported, not %r' % url
    if not parts.hostname:
        raise ValueError, 'no host in %r' % url
    port = parts.port or DEFAULT_PORTS[parts.scheme]
    path = quote_path(parts.path or '/')
    if parts.query:
        path += '?' + urllib.quote(parts.query, safe=SAFE_QUERY_CHARS)
    return parts.hostname, port, path


def encode_params(params):
    """Encodes a dict or a list of pairs as a query string.  unicode is
    sent as UTF-8, None as an empty value, and list values repeat the
    key.  Dicts are encoded in sorted key order."""
    if isinstance(params, basestring):
        return params
    if isinstance(params, dict):
        items = sorted(params.iteritems())
    else:
        items = list(params)
    pairs = []
    for key, value in items:
        if isinstance(value, (list, tuple)):
            values = value
        else:
            values = [value]
        for v in values:
            if isinstance(v, unicode):
                v = v.encode('utf-8')
            elif v is None:
                v = ''
            elif not isinstance(v, str):
                v = str(v)
            pairs.append((key, v))
    return urllib.urlencode(pairs)


def build_url(base, path=None, params=None):
    """Joins `path` onto `base` and appends the encoded `params`."""
    url = base
    if path:
        url = urlparse.urljoin(base, path)
    if params:
        sep = '?' in url and '&' or '?'
        url = url + sep + encode_params(params)
    return url


def join_location(base, location):
    """Resolves a Location header against the URL of the request."""
    return urlparse.urljoin(base, location)
