# -*- coding: utf-8 -*-
import unittest

from minishop import forms
from tests.helpers import make_environ, multipart, multipart_type


class ReadBodyTests(unittest.TestCase):

    def test_reads_content_length_bytes_only(self):
        environ = make_environ('POST', body=b'abcdef')
        environ['CONTENT_LENGTH'] = '4'
        self.assertEqual(forms.read_body(environ), b'abcd')

    def test_large_body_in_chunks(self):
        data = b'\x00\xff' * 10000
        environ = make_environ('POST', body=data)
        self.assertEqual(forms.read_body(environ), data)

    def test_missing_length(self):
        environ = make_environ('POST', body=b'ignored')
        environ['CONTENT_LENGTH'] = ''
        self.assertEqual(forms.read_body(environ), b'')

    def test_too_large(self):
        environ = make_environ('POST', body=b'x')
        environ['CONTENT_LENGTH'] = str(forms.MAX_BODY + 1)
        self.assertRaises(forms.FormError, forms.read_body, environ)


class UrlencodedTests(unittest.TestCase):

    def test_non_ascii_values(self):
        body = b'name=Zo%C3%AB&note=%E6%97%A5%E6%9C%AC+%F0%9F%9A%80&qty=2&ignored=1'
        environ = make_environ('POST', body=body,
                               content_type='application/x-www-form-urlencoded')
        form = forms.parse_urlencoded(environ)
        self.assertEqual(form, {u'name': u'Zoë', u'note': u'日本 🚀', u'qty': u'2'})

    def test_blank_values_kept(self):
        environ = make_environ('POST', body=b'name=&qty=1')
        self.assertEqual(forms.parse_urlencoded(environ)['name'], u'')

    def test_query(self):
        environ = make_environ(query='q=caf%C3%A9&q=other&order=price')
        self.assertEqual(forms.parse_query(environ),
                         {u'q': u'café', u'order': u'price'})


class MultipartTests(unittest.TestCase):

    def test_fields_and_files(self):
        png = b'\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR'
        body = multipart([(u'caption', u'Grüße aus 日本')],
                         [(u'photo', u'café 🚀.png', b'image/png', png),
                          (u'photo', u'notes.txt', b'text/plain', u'é\r\n'.encode('utf-8'))])
        environ = make_environ('POST', body=body, content_type=multipart_type())
        self.assertTrue(forms.is_multipart(environ))
        fields, uploads = forms.parse_multipart(environ)
        self.assertEqual(fields, {u'caption': u'Grüße aus 日本'})
        self.assertEqual(len(uploads), 2)
        self.assertEqual(uploads[0].field, u'photo')
        self.assertEqual(uploads[0].filename, u'café 🚀.png')
        self.assertEqual(uploads[0].content_type, b'image/png')
        self.assertEqual(uploads[0].data, png)
        self.assertEqual(uploads[1].data, b'\xc3\xa9\r\n')
        self.assertEqual(len(uploads[1]), 4)

    def test_missing_boundary(self):
        environ = make_environ('POST', body=b'x', content_type='multipart/form-data')
        self.assertRaises(forms.FormError, forms.parse_multipart, environ)


if __name__ == '__main__':
    unittest.main()
