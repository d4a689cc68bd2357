# -*- coding: utf-8 -*-
import os
import re
import shutil
import socket
import stat
import sys
import tempfile
import unittest

try:
    from StringIO import StringIO
except ImportError:
    from io import StringIO

import tinyhttp
from tinyhttp.client import Client, Response
from tinyhttp.errors import ConnectionError, HTTPError, StatusError, \
    Timeout, TooManyRedirects
from tinyhttp.headers import Headers

from tests.server import TestServer


class ClientTestCase(unittest.TestCase):
    """Starts one local server for all tests of a class."""

    @classmethod
    def setUpClass(cls):
        cls.server = TestServer().start()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def setUp(self):
        self.client = Client(timeout=5)

    def url(self, path):
        return self.server.url(path)


class BasicRequestTest(ClientTestCase):

    def test_get(self):
        response = self.client.get(self.url('/echo'))
        self.assertEqual(response.status, 200)
        self.assertEqual(response.reason, 'OK')
        self.assertTrue(response)
        self.assertTrue(response.ok)
        self.assertEqual(response.headers['Content-Type'], 'application/json')
        info = response.json()
        self.assertEqual(info[u'method'], u'GET')
        self.assertEqual(info[u'path'], u'/echo')
        headers = info[u'headers']
        self.assertEqual(headers[u'HTTP_HOST'], u'127.0.0.1:%d' %
                         self.server.port)
        self.assertEqual(headers[u'HTTP_USER_AGENT'], u'tinyhttp/0.9')
        self.assertEqual(headers[u'HTTP_ACCEPT_ENCODING'], u'gzip')
        self.assertTrue(re.match(u'^[0-9a-f]{12}$',
                                 headers[u'HTTP_X_REQUEST_ID']))
        self.assertEqual(self.client.requests_sent, 1)

    def test_body_is_bytes_and_text_decodes(self):
        response = self.client.get(self.url('/latin1'))
        self.assertEqual(response.body, b'caf\xe9 cr\xe8me')
        self.assertEqual(response.encoding, 'iso-8859-1')
        self.assertEqual(response.text, u'caf\xe9 cr\xe8me')

    def test_query_params(self):
        response = self.client.get(self.url('/echo'), params={
            'q': u'caf\xe9 cr\xe8me', 'n': 3, 'tag': ['a', 'b']})
        info = response.json()
        self.assertEqual(info[u'raw_query'],
                         u'n=3&q=caf%C3%A9+cr%C3%A8me&tag=a&tag=b')
        self.assertEqual(info[u'query'], {u'n': [u'3'],
                                          u'q': [u'caf\xe9 cr\xe8me'],
                                          u'tag': [u'a', u'b']})

    def test_non_ascii_path(self):
        response = self.client.get(self.url(u'/echo/caf\xe9/\u6771'))
        self.assertEqual(response.json()[u'path'],
                         u'/echo/caf%C3%A9/%E6%9D%B1')

    def test_custom_headers(self):
        response = self.client.get(self.url('/echo'),
                                   headers={'X-Custom': 'yes'})
        self.assertEqual(response.json()[u'headers'][u'HTTP_X_CUSTOM'],
                         u'yes')

    def test_head(self):
        response = self.client.head(self.url('/echo'))
        self.assertEqual(response.status, 200)
        self.assertEqual(response.body, b'')
        self.assertTrue(int(response.headers['Content-Length']) > 0)

    def test_stream_without_content_length(self):
        response = self.client.get(self.url('/stream'))
        self.assertFalse('Content-Length' in response.headers)
        self.assertEqual(response.body, b'first,second,third')

    def test_gzip(self):
        response = self.client.get(self.url('/gzip'))
        self.assertEqual(response.headers['Content-Encoding'], 'gzip')
        self.assertEqual(response.body, b'hello gzip ' * 100)

    def test_not_found(self):
        response = self.client.get(self.url('/nowhere'))
        self.assertEqual(response.status, 404)
        self.assertFalse(response)
        self.assertRaises(StatusError, response.raise_for_status)
        try:
            response.raise_for_status()
        except StatusError as e:
            self.assertEqual(str(e), '404 Not Found (%s)' %
                             self.url('/nowhere'))
            self.assertTrue(e.response is response)

    def test_reason_with_apostrophe(self):
        response = self.client.get(self.url('/teapot'))
        self.assertEqual((response.status, response.reason),
                         (418, "I'm a teapot"))
        self.assertEqual(repr(response), "<Response [418 I'm a teapot]>")

    def test_cache_control(self):
        response = self.client.get(self.url('/cache'))
        self.assertEqual(response.cache_control, {
            'max-age': '60', 'no-transform': True,
            'private': 'Set-Cookie, Vary'})
        self.assertEqual(self.client.get(self.url('/echo')).cache_control,
                         {})

    def test_module_level_helpers(self):
        self.assertEqual(tinyhttp.get(self.url('/echo')).status, 200)
        response = tinyhttp.post(self.url('/echo'), data={'a': '1'})
        self.assertEqual(response.json()[u'body'], u'a=1')


class PostTest(ClientTestCase):

    def test_form(self):
        response = self.client.post(self.url('/echo'),
                                    data={'name': u'J\xfcrgen', 'x': '1'})
        info = response.json()
        self.assertEqual(info[u'method'], u'POST')
        self.assertEqual(info[u'body'], u'name=J%C3%BCrgen&x=1')
        self.assertEqual(info[u'headers'][u'CONTENT_TYPE'],
                         u'application/x-www-form-urlencoded')
        self.assertEqual(info[u'headers'][u'CONTENT_LENGTH'], u'20')

    def test_text(self):
        response = self.client.post(self.url('/echo'), data=u'gr\xfc\xdfe')
        info = response.json()
        self.assertEqual(info[u'body'], u'gr\xfc\xdfe')
        self.assertEqual(info[u'headers'][u'CONTENT_LENGTH'], u'7')

    def test_bytes(self):
        response = self.client.post(self.url('/echo'), data=b'\xc3\xa9t\xc3\xa9',
                                    headers={'Content-Type': 'text/x-raw'})
        info = response.json()
        self.assertEqual(info[u'body'], u'\xe9t\xe9')
        self.assertEqual(info[u'headers'][u'CONTENT_TYPE'], u'text/x-raw')

    def test_json(self):
        payload = {'name': u'\u6771\u4eac', 'values': [1, 2.5, None],
                   'ok': True}
        response = self.client.post_json(self.url('/echo'), payload)
        info = response.json()
        self.assertEqual(info[u'headers'][u'CONTENT_TYPE'],
                         u'application/json')
        import json
        self.assertEqual(json.loads(info[u'body']), payload)


class RedirectTest(ClientTestCase):

    def test_follow(self):
        response = self.client.get(self.url('/redirect?to=/echo/target'))
        self.assertEqual(response.status, 200)
        self.assertEqual(response.json()[u'path'], u'/echo/target')
        self.assertEqual([r.status for r in response.history], [302])
        self.assertEqual(response.url, self.url('/echo/target'))

    def test_303_turns_post_into_get(self):
        response = self.client.post(
            self.url('/redirect?code=303&to=/echo/done'), data={'a': '1'})
        info = response.json()
        self.assertEqual(info[u'method'], u'GET')
        self.assertEqual(info[u'body'], u'')
        self.assertNotEqual(info[u'headers'].get(u'CONTENT_TYPE'),
                            u'application/x-www-form-urlencoded')
        self.assertFalse(u'CONTENT_LENGTH' in info[u'headers'])

    def test_307_keeps_method_and_body(self):
        response = self.client.post(
            self.url('/redirect?code=307&to=/echo/again'), data={'a': '1'})
        info = response.json()
        self.assertEqual(info[u'method'], u'POST')
        self.assertEqual(info[u'body'], u'a=1')

    def test_loop(self):
        client = Client(timeout=5, max_redirects=3)
        try:
            client.get(self.url('/loop'))
        except TooManyRedirects as e:
            self.assertEqual(u'%s' % e, u'more than 3 redirects (%s)' %
                             self.url('/loop'))
        else:
            self.fail('redirect loop not detected')
        self.assertEqual(client.requests_sent, 4)


class CookieTest(ClientTestCase):

    def test_cookies_are_sent_back(self):
        self.client.get(self.url('/setcookie'))
        self.assertEqual(self.client.cookies.names(), ['session', 'theme'])
        info = self.client.get(self.url('/echo')).json()
        self.assertEqual(info[u'headers'][u'HTTP_COOKIE'], u'session=abc123')
        info = self.client.get(self.url('/echo/theme/x')).json()
        self.assertEqual(info[u'headers'][u'HTTP_COOKIE'],
                         u'theme=dark; session=abc123')

    def test_fresh_client_has_no_cookies(self):
        info = self.client.get(self.url('/echo')).json()
        self.assertFalse(u'HTTP_COOKIE' in info[u'headers'])


class AuthTest(ClientTestCase):

    def test_basic_auth(self):
        client = Client(timeout=5, auth=('user', 'pass'))
        info = client.get(self.url('/echo')).json()
        self.assertEqual(info[u'headers'][u'HTTP_AUTHORIZATION'],
                         u'Basic dXNlcjpwYXNz')

    def test_basic_auth_unicode(self):
        client = Client(timeout=5, auth=(u'j\xfcrgen', u'p\xe4ss'))
        info = client.get(self.url('/echo')).json()
        self.assertEqual(info[u'headers'][u'HTTP_AUTHORIZATION'],
                         u'Basic asO8cmdlbjpww6Rzcw==')


class DebugAndDownloadTest(ClientTestCase):

    def test_debug_output(self):
        client = Client(timeout=5, debug=True)
        old, sys.stderr = sys.stderr, StringIO()
        try:
            client.get(self.url('/redirect?to=/echo'))
            output = sys.stderr.getvalue()
        finally:
            sys.stderr = old
        self.assertTrue('tinyhttp: > GET ' in output)
        self.assertTrue('tinyhttp: redirected to ' in output)
        self.assertTrue('tinyhttp: < 200 OK' in output)

    def test_download(self):
        tmpdir = tempfile.mkdtemp(prefix='tinyhttp-')
        try:
            path = os.path.join(tmpdir, 'body.bin')
            self.assertEqual(self.client.download(self.url('/latin1'), path),
                             10)
            f = open(path, 'rb')
            self.assertEqual(f.read(), b'caf\xe9 cr\xe8me')
            f.close()
            self.assertEqual(stat.S_IMODE(os.stat(path).st_mode), 0o644)
            self.assertRaises(StatusError, self.client.download,
                              self.url('/missing'), path)
        finally:
            shutil.rmtree(tmpdir)


class NetworkErrorTest(unittest.TestCase):

    def test_connection_refused(self):
        s = socket.socket()
        s.bind(('127.0.0.1', 0))
        port = s.getsockname()[1]
        s.close()
        client = Client(timeout=2)
        try:
            client.get('http://127.0.0.1:%d/' % port)
        except ConnectionError as e:
            self.assertTrue(u'cannot connect to 127.0.0.1:%d' % port
                            in u'%s' % e)
        else:
            self.fail('connected to a closed port')

    def test_read_timeout(self):
        listener = socket.socket()
        listener.bind(('127.0.0.1', 0))
        listener.listen(1)
        try:
            port = listener.getsockname()[1]
            client = Client(timeout=0.2)
            self.assertRaises(Timeout, client.get,
                              'http://127.0.0.1:%d/' % port)
        finally:
            listener.close()

    def test_errors_are_http_errors(self):
        self.assertTrue(issubclass(Timeout, HTTPError))
        e = HTTPError(u'caf\xe9 failed', u'http://h/caf\xe9')
        self.assertEqual(u'%s' % e, u'caf\xe9 failed (http://h/caf\xe9)')
        self.assertEqual(str(HTTPError('plain')), 'plain')
        self.assertEqual(u'%s' % HTTPError(b'caf\xc3\xa9'), u'caf\xe9')


class ResponseObjectTest(unittest.TestCase):

    def make(self, status=200, ctype=None, body=b''):
        headers = Headers()
        if ctype:
            headers.add('Content-Type', ctype)
        return Response('http://h/', status, 'X', headers, body)

    def test_truth(self):
        self.assertTrue(self.make(200))
        self.assertTrue(self.make(302))
        self.assertFalse(self.make(404))
        self.assertFalse(self.make(500))

    def test_encoding(self):
        self.assertEqual(self.make(ctype='text/html; charset="UTF-8"')
                         .encoding, 'UTF-8')
        self.assertEqual(self.make(ctype='application/json').encoding,
                         'utf-8')
        self.assertEqual(self.make(ctype='text/plain').encoding,
                         'iso-8859-1')
        self.assertEqual(self.make().encoding, 'iso-8859-1')

    def test_json_and_text(self):
        response = self.make(ctype='application/json; charset=utf-8',
                             body=b'{"a": "\xc3\xa9"}')
        self.assertEqual(response.json(), {u'a': u'\xe9'})
        self.assertEqual(response.text, u'{"a": "\xe9"}')


if __name__ == '__main__':
    unittest.main()
