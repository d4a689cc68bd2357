# -*- coding: utf-8 -*-
"""End-to-end tests: the whole WSGI application, called in-process."""
import unittest
from wsgiref.validate import validator

from minishop import make_app
from tests.helpers import (call, run, raw_environ, make_environ, cookie_header,
                           multipart, multipart_type)
from tests.test_notify import FakeOpener

CAFE_URL = '/product/1/caf%C3%A9-cr%C3%A8me'


class PageTests(unittest.TestCase):

    def setUp(self):
        self.app = make_app()

    def test_index_lists_products_with_quoted_links(self):
        result = call(self.app, 'GET', u'/')
        self.assertEqual(result.status, '200 OK')
        self.assertEqual(result.header('Content-Type'), 'text/html; charset=utf-8')
        self.assertEqual(int(result.header('Content-Length')), len(result.body))
        self.assertTrue(b'<a href="' + CAFE_URL.encode('ascii') + b'">Caf\xc3\xa9 Cr\xc3\xa8me</a>'
                        in result.body)
        self.assertTrue(u'日本茶 Sencha'.encode('utf-8') in result.body)
        self.assertTrue(u'Rocket Mug 🚀'.encode('utf-8') in result.body)

    def test_index_order_by_price(self):
        body = call(self.app, 'GET', u'/', query='order=price').body
        self.assertTrue(body.index(b'Plain Tea') < body.index(b'M\xc3\xbcsli'))

    def test_product_page_and_etag(self):
        result = call(self.app, 'GET', u'/product/1/café-crème')
        self.assertEqual(result.code, 200)
        self.assertTrue(b'<title>Caf\xc3\xa9 Cr\xc3\xa8me</title>' in result.body)
        self.assertTrue(b'3.50 \xe2\x82\xac' in result.body)
        etag = result.header('ETag')
        self.assertTrue(etag.startswith('"'))
        again = call(self.app, 'GET', u'/product/1/café-crème',
                     headers={'HTTP_IF_NONE_MATCH': etag})
        self.assertEqual(again.status, '304 Not Modified')
        self.assertEqual(again.body, b'')
        self.assertEqual(again.header('Content-Length'), '0')

    def test_non_canonical_product_url_redirects(self):
        result = call(self.app, 'GET', u'/product/1')
        self.assertEqual(result.status, '301 Moved Permanently')
        self.assertEqual(result.header('Location'), CAFE_URL)

    def test_unknown_product(self):
        result = call(self.app, 'GET', u'/product/99/x')
        self.assertEqual(result.code, 404)
        self.assertTrue(b'No such product' in result.body)

    def test_search_with_non_ascii_query(self):
        result = call(self.app, 'GET', u'/search', query='q=m%C3%BCsli')
        self.assertEqual(result.code, 200)
        self.assertTrue(b'1 result(s) for <em>m\xc3\xbcsli</em>' in result.body)
        self.assertTrue(b'M\xc3\xbcsli Fr\xc3\xbcchte' in result.body)

    def test_search_escapes_html(self):
        result = call(self.app, 'GET', u'/search', query='q=%3Cb%3E')
        self.assertTrue(b'<em>&lt;b&gt;</em>' in result.body)

    def test_404_and_405(self):
        result = call(self.app, 'GET', u'/nowhere/日本')
        self.assertEqual(result.status, '404 Not Found')
        self.assertEqual(result.body, b'404 Not Found\n')
        self.assertEqual(result.header('Content-Length'), '14')
        result = call(self.app, 'DELETE', u'/cart')
        self.assertEqual(result.code, 405)
        self.assertEqual(result.header('Allow'), 'GET, POST')

    def test_404_as_json(self):
        result = call(self.app, 'GET', u'/nowhere',
                      headers={'HTTP_ACCEPT': 'application/json'})
        self.assertEqual(result.code, 404)
        self.assertEqual(result.header('Content-Type'), 'application/json')

    def test_head_has_length_but_no_body(self):
        result = call(self.app, 'HEAD', u'/')
        self.assertEqual(result.code, 200)
        self.assertEqual(result.body, b'')
        self.assertTrue(int(result.header('Content-Length')) > 100)

    def test_access_log(self):
        environ = make_environ('GET', u'/search')
        run(self.app, environ)
        log = u''.join(environ['wsgi.errors'].lines)
        self.assertTrue(u'GET /search -> 200' in log)


class CartFlowTests(unittest.TestCase):

    def setUp(self):
        self.opener = FakeOpener(200)
        self.app = make_app(webhook_url='http://backoffice.example.org/orders',
                            opener=self.opener)

    def add(self, body, cookie=None):
        return call(self.app, 'POST', u'/cart', body=body, cookie=cookie,
                    content_type='application/x-www-form-urlencoded')

    def test_add_sets_cookies_and_redirects(self):
        result = self.add(b'product_id=3&qty=2&name=Zo%C3%AB')
        self.assertEqual(result.status, '303 See Other')
        self.assertEqual(result.header('Location'), '/cart')
        cookies = cookie_header(result)
        page = call(self.app, 'GET', u'/cart', cookie=cookies)
        self.assertTrue(b'2 \xc3\x97 \xe6\x97\xa5\xe6\x9c\xac\xe8\x8c\xb6 Sencha' in page.body)
        self.assertTrue(b'Total: 25.00 \xe2\x82\xac' in page.body)
        home = call(self.app, 'GET', u'/', cookie=cookies)
        self.assertTrue(b'Hello, Zo\xc3\xab!' in home.body)
        self.assertTrue(b'Cart: 2 item(s)' in home.body)

    def test_empty_cart(self):
        page = call(self.app, 'GET', u'/cart')
        self.assertTrue(b'Your cart is empty.' in page.body)

    def test_bad_form(self):
        result = self.add(b'product_id=abc')
        self.assertEqual(result.code, 400)
        result = self.add(b'product_id=42')
        self.assertEqual(result.code, 400)
        self.assertTrue(b'unknown product 42' in result.body)

    def test_checkout_posts_order_and_redirects_to_unicode_url(self):
        first = self.add(b'product_id=1&qty=2&name=%E5%A4%AA%E9%83%8E')
        result = call(self.app, 'POST', u'/checkout', cookie=cookie_header(first))
        self.assertEqual(result.code, 303)
        self.assertEqual(result.header('Location'), '/merci/%E5%A4%AA%E9%83%8E')
        self.assertTrue('cart=""; Max-Age=0' in result.header('Set-Cookie')
                        or 'cart=; Max-Age=0' in result.header('Set-Cookie'))
        self.assertEqual(len(self.opener.requests), 1)
        self.assertEqual(self.opener.requests[0].data,
                         b'customer=%E5%A4%AA%E9%83%8E&items=1%3A2&total=700')
        page = call(self.app, 'GET', u'/merci/太郎')
        self.assertTrue(u'Merci, 太郎!'.encode('utf-8') in page.body)

    def test_rename_redirects_to_new_slug(self):
        result = call(self.app, 'POST', u'/product/5/rename',
                      body=b'new_name=Th%C3%A9+%F0%9F%8D%B5',
                      content_type='application/x-www-form-urlencoded')
        self.assertEqual(result.status, '303 See Other')
        self.assertEqual(result.header('Location'), '/product/5/th%C3%A9-%F0%9F%8D%B5')
        page = run(self.app, raw_environ('GET', b'/product/5/th\xc3\xa9-\xf0\x9f\x8d\xb5'))
        self.assertEqual(page.code, 200)
        self.assertTrue(b'<title>Th\xc3\xa9 \xf0\x9f\x8d\xb5</title>' in page.body)

    def test_rename_requires_name(self):
        result = call(self.app, 'POST', u'/product/5/rename', body=b'new_name=+')
        self.assertEqual(result.code, 400)


class UploadTests(unittest.TestCase):

    def setUp(self):
        self.app = make_app()

    def test_upload_form(self):
        result = call(self.app, 'GET', u'/upload')
        self.assertTrue(b'enctype="multipart/form-data"' in result.body)

    def test_multipart_upload(self):
        body = multipart([(u'caption', u'Grüße 🚀')],
                         [(u'photo', u'日本.png', b'image/png', b'\x89PNG\r\n\x1a\n\xff')])
        result = run(self.app, raw_environ('POST', b'/upload', body, multipart_type()))
        self.assertEqual(result.code, 200)
        self.assertTrue(b'<p class="caption">Gr\xc3\xbc\xc3\x9fe \xf0\x9f\x9a\x80</p>'
                        in result.body)
        self.assertTrue(b'<td>\xe6\x97\xa5\xe6\x9c\xac.png</td><td>image/png</td><td>9</td>'
                        in result.body)
        self.assertTrue(b'<td>Ewh3Q/DWMXqSML9k9AnysA==</td>' in result.body)
        self.assertTrue(b'<td>89504e470d0a1a0a</td>' in result.body)
        token = result.header('Set-Cookie').split(';')[0].split('=', 1)[1]
        self.assertEqual(len(token), 16)
        self.assertEqual(len(self.app.uploads.files_for(token)), 1)

    def test_upload_keeps_token(self):
        body = multipart([], [(u'photo', u'a.txt', b'text/plain', b'hi')])
        result = run(self.app, raw_environ('POST', b'/upload', body, multipart_type(),
                                           cookie='upload_token=0123456789abcdef'))
        self.assertEqual(result.code, 200)
        self.assertEqual(self.app.uploads.total_bytes(), 2)
        self.assertEqual(len(self.app.uploads.files_for('0123456789abcdef')), 1)


class ValidatorTests(unittest.TestCase):
    """wsgiref.validate checks the types the application hands the server."""

    def setUp(self):
        self.app = validator(make_app())

    def check(self, *args, **kwargs):
        result = call(self.app, *args, **kwargs)
        self.assertEqual(int(result.header('Content-Length')), len(result.body))
        return result

    def test_pages(self):
        self.check('GET', u'/')
        self.check('GET', u'/product/2/müsli-früchte')
        self.check('GET', u'/search', query='q=%E6%97%A5%E6%9C%AC')
        self.check('GET', u'/api/products')

    def test_redirect(self):
        result = self.check('GET', u'/product/3')
        self.assertEqual(result.header('Location'),
                         '/product/3/%E6%97%A5%E6%9C%AC%E8%8C%B6-sencha')


if __name__ == '__main__':
    unittest.main()
