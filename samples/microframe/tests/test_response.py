# -*- coding: utf-8 -*-
import hashlib
import unittest

from microframe import Response
from microframe.response import check_signed_value
from tests.helpers import make_environ, call


class ResponseBodyTests(unittest.TestCase):

    def test_unicode_body_is_encoded(self):
        response = Response(u'<p>Café 日本 🚀</p>')
        self.assertEqual(response.body, b'<p>Caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x9a\x80</p>')
        self.assertEqual(response.text, u'<p>Café 日本 🚀</p>')

    def test_bytes_body_is_kept(self):
        response = Response(b'\x89PNG', content_type='image/png')
        self.assertEqual(response.body, b'\x89PNG')

    def test_other_charset(self):
        response = Response(u'Grüße', charset='latin-1', content_type='text/plain')
        self.assertEqual(response.body, b'Gr\xfc\xdfe')
        start, body = call(response, make_environ())
        self.assertEqual(start.header('Content-Type'), 'text/plain; charset=latin-1')

    def test_status(self):
        self.assertEqual(Response().status, '200 OK')
        self.assertEqual(Response(status=404).status, '404 Not Found')
        self.assertEqual(Response(status=599).status, '599 UNKNOWN')

    def test_wsgi_call(self):
        response = Response(u'日本', status=201)
        response.set_header('X-Thing', 'a')
        response.set_header('x-thing', 'b')
        start, body = call(response, make_environ())
        self.assertEqual(start.status, '201 Created')
        self.assertEqual(body, b'\xe6\x97\xa5\xe6\x9c\xac')
        self.assertEqual(start.header('Content-Length'), '6')
        self.assertEqual(start.header('Content-Type'), 'text/html; charset=utf-8')
        self.assertEqual(start.header('X-Thing'), 'b')
        self.assertEqual(len(start.headers), 3)

    def test_head_has_no_body(self):
        start, body = call(Response(u'abc'), make_environ('HEAD'))
        self.assertEqual(body, b'')
        self.assertEqual(start.header('Content-Length'), '3')

    def test_default_body_is_empty(self):
        start, body = call(Response(status=204, content_type='image/gif'), make_environ())
        self.assertEqual(body, b'')
        self.assertEqual(start.header('Content-Type'), 'image/gif')

    def test_etag_and_attachment(self):
        response = Response(b'data')
        response.add_etag()
        self.assertEqual(response.get_header('etag'),
                         '"%s"' % hashlib.md5(b'data').hexdigest())
        response.attachment(u'résumé 日本.pdf')
        self.assertEqual(response.get_header('Content-Disposition'),
                         "attachment; filename*=UTF-8''r%C3%A9sum%C3%A9%20%E6%97%A5%E6%9C%AC.pdf")
        self.assertEqual(response.get_header('missing', 'x'), 'x')


class CookieTests(unittest.TestCase):

    def test_unicode_cookie_is_percent_encoded(self):
        response = Response()
        response.set_cookie('name', u'Zoë 🚀', max_age=3600, httponly=True)
        header = response.get_header('Set-Cookie')
        self.assertTrue(header.startswith('name=Zo%C3%AB%20%F0%9F%9A%80; '), header)
        self.assertTrue('Max-Age=3600' in header)
        self.assertTrue('Path=/' in header)
        self.assertTrue('httponly' in header.lower())

    def test_expires_timestamp(self):
        response = Response()
        response.set_cookie('a', 'b', expires=0)
        self.assertTrue('expires=Thu, 01 Jan 1970 00:00:00 GMT' in response.get_header('Set-Cookie'))

    def test_delete_cookie(self):
        response = Response()
        response.delete_cookie('name')
        header = response.get_header('Set-Cookie')
        self.assertTrue('Max-Age=0' in header)

    def test_signed_cookie_roundtrip(self):
        response = Response()
        response.set_signed_cookie('user', u'Zoë', 's3cret')
        raw = response.get_header('Set-Cookie').split(';')[0].split('=', 1)[1]
        try:
            from urllib import unquote
        except ImportError:
            from urllib.parse import unquote
        signed = unquote(raw)
        if isinstance(signed, bytes):
            signed = signed.decode('utf-8')
        self.assertEqual(check_signed_value(signed, 's3cret'), u'Zoë')
        self.assertEqual(check_signed_value(signed, 'other'), None)
        self.assertEqual(check_signed_value(signed.replace(u'Zo', u'Jo'), 's3cret'), None)
        self.assertEqual(check_signed_value(u'garbage', 's3cret'), None)


if __name__ == '__main__':
    unittest.main()
