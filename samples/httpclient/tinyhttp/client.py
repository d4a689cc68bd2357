"""The client: connects, sends a request, reads the response, follows
redirects and keeps cookies."""
import base64
import os
import socket
import sys
import urllib2

try:
    import simplejson as json
except ImportError:
    import json

from tinyhttp.cookies import CookieJar
from tinyhttp.errors import ConnectionError, StatusError, Timeout, \
    TooManyRedirects
from tinyhttp.headers import Headers
from tinyhttp.urls import build_url, encode_params, join_location, split_url
from tinyhttp.wire import SocketReader, build_request, decode_content, \
    read_body, read_head

VERSION = '0.9'
MAX_BODY = 10L * 1024 * 1024
REDIRECT_CODES = (301, 302, 303, 307, 308)


class Response(object):
    """status (int), reason and headers (native strings), body (bytes);
    `text` and `json()` decode the body."""

    def __init__(self, url, status, reason, headers, body,
                 version='HTTP/1.1'):
        self.url = url
        self.status = status
        self.reason = reason
        self.headers = headers
        self.body = body
        self.version = version
        self.history = []

    @property
    def ok(self):
        return 200 <= self.status < 400

    def __nonzero__(self):
        return self.ok

    @property
    def encoding(self):
        """The charset parameter of the Content-Type, or a default."""
        ctype = self.headers.get('Content-Type', '')
        for param in ctype.split(';')[1:]:
            name, sep, value = param.strip().partition('=')
            if name.strip().lower() == 'charset':
                return value.strip('"\' ')
        if ctype.startswith('application/json'):
            return 'utf-8'
        return 'iso-8859-1'

    @property
    def text(self):
        return self.body.decode(self.encoding, 'replace')

    def json(self):
        return json.loads(self.text)

    @property
    def cache_control(self):
        """The Cache-Control directives as a dict; directives without a
        value map to True."""
        result = {}
        value = self.headers.get('Cache-Control')
        if not value:
            return result
        for item in urllib2.parse_http_list(value):
            name, sep, arg = item.partition('=')
            result[name.strip().lower()] = sep and arg.strip().strip('"') \
                or True
        return result

    def raise_for_status(self):
        if self.status >= 400:
            raise StatusError(self)

    def __repr__(self):
        return '<Response [%d %s]>' % (self.status, self.reason)


class Client(object):
    """A tiny HTTP/1.1 client.  One connection per request."""

    def __init__(self, timeout=10, max_redirects=5, user_agent=None,
                 auth=None, cookies=None, debug=False, max_body=MAX_BODY):
        self.timeout = timeout
        self.max_redirects = max_redirects
        self.user_agent = user_agent or 'tinyhttp/%s' % VERSION
        self.auth = auth
        if cookies is None:
            cookies = CookieJar()
        self.cookies = cookies
        self.debug = debug
        self.max_body = max_body
        self.default_headers = Headers([('Accept-Encoding', 'gzip'),
                                        ('Connection', 'close')])
        self.requests_sent = 0

    def _log(self, message):
        if self.debug:
            print >>sys.stderr, 'tinyhttp:', message

    def _connect(self, host, port):
        try:
            return socket.create_connection((host, port), self.timeout)
        except socket.timeout:
            raise Timeout('timed out connecting to %s:%d' % (host, port))
        except socket.error, (code, message):
            raise ConnectionError, 'cannot connect to %s:%d: %s' % (
                host, port, message)

    def _auth_header(self):
        username, password = self.auth
        if isinstance(username, unicode):
            username = username.encode('utf-8')
        if isinstance(password, unicode):
            password = password.encode('utf-8')
        credentials = base64.b64encode('%s:%s' % (username, password))
        return 'Basic %s' % credentials

    def request(self, method, url, params=None, data=None, json_body=None,
                headers=None):
        """Sends a request and returns the final Response after following
        redirects.  `data` may be a dict (form encoded), unicode (sent as
        UTF-8 text) or bytes; `json_body` is serialised as JSON."""
        method = method.upper()
        if params:
            url = build_url(url, params=params)
        req_headers = self.default_headers.copy()
        req_headers['User-Agent'] = self.user_agent
        body = None
        if json_body is not None:
            body = json.dumps(json_body)
            req_headers['Content-Type'] = 'application/json'
        elif isinstance(data, (dict, list)):
            body = encode_params(data)
            req_headers['Content-Type'] = 'application/x-www-form-urlencoded'
        elif isinstance(data, unicode):
            body = data.encode('utf-8')
            req_headers['Content-Type'] = 'text/plain; charset=utf-8'
        elif data is not None:
            body = data
        if headers:
            req_headers.update(headers)
        if self.auth:
            req_headers['Authorization'] = self._auth_header()

        history = []
        for attempt in xrange(self.max_redirects + 1):
            response = self._send(method, url, req_headers, body)
            if response.status not in REDIRECT_CODES or \
                    'Location' not in response.headers:
                response.history = history
                return response
            history.append(response)
            url = join_location(url, response.headers['Location'])
            self._log('redirected to %s' % url)
            if response.status == 303 or (response.status in (301, 302) and
                                          method == 'POST'):
                method = 'GET'
                body = None
                del req_headers['Content-Type']
        raise TooManyRedirects('more than %d redirects' % self.max_redirects,
                               url)

    def _send(self, method, url, headers, body):
        host, port, path = split_url(url)
        headers = headers.copy()
        if port == 80:
            headers['Host'] = host
        else:
            headers['Host'] = '%s:%d' % (host, port)
        cookie_path = path.split('?')[0]
        cookie = self.cookies.header_for(host, cookie_path)
        if cookie:
            headers['Cookie'] = cookie
        if body is not None:
            headers['Content-Length'] = len(body)
        headers['X-Request-Id'] = os.urandom(6).encode('hex')
        request = build_request(method, path, headers, body)
        self._log('> %s %s' % (method, url))
        sock = self._connect(host, port)
        try:
            sock.sendall(request)
            reader = SocketReader(sock)
            version, status, reason, resp_headers = read_head(reader)
            raw_body = read_body(reader, method, status, resp_headers,
                                 self.max_body)
        finally:
            sock.close()
        self.requests_sent += 1
        body = decode_content(raw_body, resp_headers)
        self.cookies.extract(host, cookie_path,
                             resp_headers.getlist('Set-Cookie'))
        self._log('< %d %s (%d bytes)' % (status, reason, len(body)))
        return Response(url, status, reason, resp_headers, body, version)

    def get(self, url, params=None, headers=None):
        return self.request('GET', url, params=params, headers=headers)

    def head(self, url, headers=None):
        return self.request('HEAD', url, headers=headers)

    def post(self, url, data=None, headers=None):
        return self.request('POST', url, data=data, headers=headers)

    def post_json(self, url, obj, headers=None):
        return self.request('POST', url, json_body=obj, headers=headers)

    def download(self, url, path):
        """Saves the body of a GET to `path`; returns its size."""
        response = self.get(url)
        response.raise_for_status()
        f = open(path, 'wb')
        try:
            f.write(response.body)
        finally:
            f.close()
        os.chmod(path, 0644)
        return len(response.body)


def get(url, **kwargs):
    return Client().request('GET', url, **kwargs)


def post(url, **kwargs):
    return Client().request('POST', url, **kwargs)
