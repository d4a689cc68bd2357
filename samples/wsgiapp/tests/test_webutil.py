# -*- coding: utf-8 -*-
import base64
import hashlib
import unittest

from minishop import webutil
from minishop.catalog import Product
from tests.helpers import make_environ


def collect(response):
    seen = {}

    def start_response(status, headers):
        seen['status'] = status
        seen['headers'] = headers
    body = b''.join(response(start_response))
    return seen['status'], seen['headers'], body


class StatusAndEscapeTests(unittest.TestCase):

    def test_status_line(self):
        self.assertEqual(webutil.status_line(404), '404 Not Found')
        self.assertEqual(webutil.status_line(303), '303 See Other')

    def test_escape(self):
        self.assertEqual(webutil.escape(u'<a href="x">Zoë & co</a>'),
                         u'&lt;a href=&quot;x&quot;&gt;Zoë &amp; co&lt;/a&gt;')


class ResponseTests(unittest.TestCase):

    def test_html_response_content_length_counts_bytes(self):
        status, headers, body = collect(webutil.html_response(u'<p>日本</p>'))
        self.assertEqual(status, '200 OK')
        self.assertEqual(body, b'<p>\xe6\x97\xa5\xe6\x9c\xac</p>')
        self.assertEqual(dict(headers)['Content-Length'], '13')

    def test_text_response(self):
        status, headers, body = collect(webutil.text_response(u'gone\n', 410))
        self.assertEqual(status, '410 Gone')
        self.assertEqual(body, b'gone\n')
        self.assertEqual(dict(headers)['Content-Length'], '5')

    def test_redirect_to_non_ascii_path(self):
        status, headers, body = collect(webutil.redirect(u'/merci/Zoë 日本'))
        self.assertEqual(status, '303 See Other')
        self.assertEqual(dict(headers)['Location'],
                         '/merci/Zo%C3%AB%20%E6%97%A5%E6%9C%AC')
        self.assertEqual(body, b'')
        self.assertEqual(dict(headers)['Content-Length'], '0')

    def test_set_cookie(self):
        response = webutil.Response(b'x')
        response.set_cookie('cart', '1:2', max_age=60)
        cookie = response.header('Set-Cookie')
        self.assertTrue(cookie.startswith('cart="1:2"') or cookie.startswith('cart=1:2'),
                        cookie)
        self.assertTrue('Max-Age=60' in cookie)
        self.assertTrue('Path=/' in cookie)


class TokenAndDigestTests(unittest.TestCase):

    def test_content_md5(self):
        body = b'{"a": 1}'
        expected = base64.b64encode(hashlib.md5(body).digest()).decode('ascii')
        self.assertEqual(webutil.content_md5(body), expected)
        self.assertTrue(isinstance(webutil.content_md5(body), str))

    def test_product_etag_changes_with_revision(self):
        product = Product(1, u'Café', 100)
        first = webutil.product_etag(product)
        self.assertTrue(isinstance(first, str))
        self.assertTrue(first.startswith('"') and first.endswith('"'))
        product.rename(u'Café noir')
        self.assertNotEqual(webutil.product_etag(product), first)

    def test_new_token(self):
        token = webutil.new_token()
        self.assertTrue(isinstance(token, str))
        self.assertEqual(len(token), 16)
        int(token, 16)
        self.assertNotEqual(token, webutil.new_token())


class CookieTests(unittest.TestCase):

    def test_cookie_text_roundtrip(self):
        for text in (u'Zoë', u'日本', u'🚀 rocket', u''):
            encoded = webutil.encode_cookie_text(text)
            self.assertTrue(isinstance(encoded, str))
            self.assertEqual(webutil.decode_cookie_text(encoded), text)

    def test_decode_garbage(self):
        self.assertEqual(webutil.decode_cookie_text('_w=='), None)

    def test_parse_cookies(self):
        environ = make_environ(cookie='cart="1:2,3:1"; who=Wm_Dqw==')
        cookies = webutil.parse_cookies(environ)
        self.assertEqual(cookies['cart'], '1:2,3:1')
        self.assertEqual(webutil.decode_cookie_text(cookies['who']), u'Zoë')

    def test_parse_bad_cookie(self):
        environ = make_environ(cookie='a="b')
        self.assertEqual(webutil.parse_cookies(environ), {})

    def test_accepts_json(self):
        self.assertTrue(webutil.accepts_json(make_environ(
            headers={'HTTP_ACCEPT': 'application/json'})))
        self.assertFalse(webutil.accepts_json(make_environ()))

    def test_wsgi_text(self):
        environ = make_environ(path=u'/caf\xe9')
        self.assertEqual(webutil.wsgi_text(environ, 'PATH_INFO'), u'/café')


if __name__ == '__main__':
    unittest.main()
