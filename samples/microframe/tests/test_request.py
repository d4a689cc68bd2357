# -*- coding: utf-8 -*-
import json
import unittest

from microframe import Request, BadRequest
from microframe.exceptions import RequestTooLarge
from tests.helpers import make_environ


class RequestBasicsTests(unittest.TestCase):

    def test_method_and_unicode_path(self):
        request = Request(make_environ('post', u'/wiki/Café/日本'))
        self.assertEqual(request.method, 'POST')
        self.assertEqual(request.path, u'/wiki/Café/日本')
        self.assertEqual(request.script_name, u'')

    def test_urls(self):
        request = Request(make_environ('GET', u'/a b', query='x=1'))
        self.assertEqual(request.host_url, 'http://127.0.0.1')
        self.assertEqual(request.url, 'http://127.0.0.1/a%20b?x=1')

    def test_args(self):
        request = Request(make_environ(query='q=caf%C3%A9&tag=a&tag=%E6%97%A5&empty='))
        self.assertEqual(request.args[u'q'], u'café')
        self.assertEqual(request.args.getall(u'tag'), [u'a', u'日'])
        self.assertEqual(request.args[u'empty'], u'')
        self.assertEqual(request.query_string, 'q=caf%C3%A9&tag=a&tag=%E6%97%A5&empty=')

    def test_headers(self):
        request = Request(make_environ(HTTP_USER_AGENT='curl/7.19', HTTP_X_REQUESTED_WITH='XMLHttpRequest',
                                       content_type='text/plain'))
        self.assertEqual(request.headers['User-Agent'], 'curl/7.19')
        self.assertEqual(request.headers['Content-Type'], 'text/plain')
        self.assertTrue(request.is_xhr)
        self.assertFalse(Request(make_environ()).is_xhr)
        self.assertEqual(request.remote_addr, None)

    def test_cookies(self):
        request = Request(make_environ(HTTP_COOKIE='name=Zo%C3%AB; lang=fr; emoji=%F0%9F%9A%80'))
        self.assertEqual(request.cookies, {u'name': u'Zoë', u'lang': u'fr', u'emoji': u'🚀'})
        self.assertEqual(Request(make_environ()).cookies, {})


class RequestBodyTests(unittest.TestCase):

    def test_form(self):
        body = u'name=Zoë&msg=日本 🚀&msg=2'.encode('utf-8').replace(b' ', b'+')
        environ = make_environ('POST', body=body,
                               content_type='application/x-www-form-urlencoded; charset=utf-8')
        request = Request(environ)
        self.assertEqual(request.content_type, 'application/x-www-form-urlencoded')
        self.assertEqual(request.content_length, len(body))
        self.assertEqual(request.form[u'name'], u'Zoë')
        self.assertEqual(request.form.getall(u'msg'), [u'日本 🚀', u'2'])

    def test_form_percent_encoded(self):
        environ = make_environ('POST', body=b'name=%E5%A4%AA%E9%83%8E',
                               content_type='application/x-www-form-urlencoded')
        self.assertEqual(Request(environ).form[u'name'], u'太郎')

    def test_body_is_bytes_and_can_be_read_again(self):
        data = b'\x00\x01binary\xff'
        environ = make_environ('PUT', body=data, content_type='application/octet-stream')
        request = Request(environ)
        self.assertEqual(request.body, data)
        self.assertEqual(request.body, data)
        self.assertEqual(environ['wsgi.input'].read(), data)
        self.assertFalse(request.form)

    def test_values_merges_args_and_form(self):
        environ = make_environ('POST', query='a=1&b=2', body=b'b=3',
                               content_type='application/x-www-form-urlencoded')
        values = Request(environ).values
        self.assertEqual(values.getall(u'b'), [u'2', u'3'])
        self.assertEqual(values[u'a'], u'1')

    def test_json(self):
        body = json.dumps({'note': u'Grüße 🚀'}).encode('utf-8')
        request = Request(make_environ('POST', body=body, content_type='application/json'))
        self.assertEqual(request.get_json(), {u'note': u'Grüße 🚀'})
        self.assertEqual(Request(make_environ('POST', body=body)).get_json(), None)

    def test_bad_json(self):
        request = Request(make_environ('POST', body=b'{nope', content_type='application/json'))
        self.assertRaises(BadRequest, request.get_json)

    def test_too_large(self):
        class SmallRequest(Request):
            max_content_length = 4
        request = SmallRequest(make_environ('POST', body=b'12345'))
        try:
            request.body
        except RequestTooLarge as e:
            self.assertEqual(e.code, 413)
        else:
            self.fail('no RequestTooLarge')

    def test_bad_content_length(self):
        environ = make_environ('POST', body=b'abc')
        environ['CONTENT_LENGTH'] = 'abc'
        self.assertEqual(Request(environ).content_length, 0)
        self.assertEqual(Request(environ).body, b'')


if __name__ == '__main__':
    unittest.main()
