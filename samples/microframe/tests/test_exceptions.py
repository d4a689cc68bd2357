# -*- coding: utf-8 -*-
import unittest

from microframe import HTTPError, NotFound, MethodNotAllowed, BadRequest


class ExceptionTests(unittest.TestCase):

    def test_unicode(self):
        e = NotFound(u'Kein Eintrag für 日本')
        self.assertEqual(unicode(e), u'404 Not Found: Kein Eintrag für 日本')
        self.assertEqual(e.code, 404)

    def test_str_of_ascii_error(self):
        self.assertEqual(str(BadRequest(u'nope')), '400 Bad Request: nope')

    def test_custom_code(self):
        e = HTTPError(u'odd', code=599)
        self.assertEqual(e.code, 599)
        self.assertEqual(e.name, 'Unknown Error')
        self.assertEqual(HTTPError().description, u'Something went wrong.')

    def test_body_is_escaped_html(self):
        body = NotFound(u'<script>').get_body()
        self.assertTrue(u'<h1>Not Found</h1>' in body)
        self.assertTrue(u'&lt;script&gt;' in body)

    def test_allow_header(self):
        e = MethodNotAllowed(['POST', 'GET'])
        self.assertEqual(e.headers(), [('Allow', 'GET, POST')])
        self.assertEqual(NotFound().headers(), [])


if __name__ == '__main__':
    unittest.main()
