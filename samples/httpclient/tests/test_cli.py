import unittest

try:
    from StringIO import StringIO
except ImportError:
    from io import StringIO

from tinyhttp.cli import dump_response, main
from tinyhttp.client import Response
from tinyhttp.headers import Headers

from tests.server import TestServer


class CliTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.server = TestServer().start()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def run_main(self, *argv):
        out = StringIO()
        status = main(list(argv), out)
        return status, out.getvalue()

    def test_get(self):
        status, output = self.run_main(self.server.url('/stream'))
        self.assertEqual(status, 0)
        self.assertEqual(output, 'first,second,third\n')

    def test_include_headers(self):
        status, output = self.run_main('-i', self.server.url('/cache'))
        lines = output.split('\n')
        self.assertEqual(lines[0], 'HTTP/1.0 200 OK')
        self.assertTrue('Content-Length: 6' in lines)
        self.assertTrue('Cache-Control: max-age=60, no-transform, '
                        'private="Set-Cookie, Vary"' in lines)
        self.assertEqual(lines[-3:], ['', 'cached', ''])

    def test_post_with_header(self):
        status, output = self.run_main(
            '-d', 'a=1', '-H', 'Content-Type: text/x-form',
            '-H', 'X-Custom: hi', self.server.url('/echo'))
        self.assertEqual(status, 0)
        self.assertTrue('"method": "POST"' in output)
        self.assertTrue('"HTTP_X_CUSTOM": "hi"' in output)
        self.assertTrue('"CONTENT_TYPE": "text/x-form"' in output)

    def test_not_found(self):
        status, output = self.run_main('-X', 'GET',
                                       self.server.url('/missing'))
        self.assertEqual(status, 1)
        self.assertEqual(output, 'not found\n')

    def test_usage(self):
        status, output = self.run_main()
        self.assertEqual(status, 2)
        self.assertTrue(output.startswith('usage: tinyhttp'))
        status, output = self.run_main('-Z', 'x')
        self.assertEqual(status, 2)
        self.assertTrue(output.startswith('error: '))

    def test_dump_response(self):
        import sys
        response = Response('http://h/', 200, 'OK',
                            Headers([('Content-Length', '5')]), b'hello',
                            'HTTP/1.1')
        old, sys.stdout = sys.stdout, StringIO()
        try:
            dump_response(response)
            output = sys.stdout.getvalue()
        finally:
            sys.stdout = old
        self.assertEqual(output, 'HTTP/1.1 200 OK\nContent-Length: 5\n\n'
                                 '(5 bytes of body)\n')

    def test_connection_error(self):
        status, output = self.run_main('http://127.0.0.1:1/')
        self.assertEqual(status, 1)
        self.assertTrue(output.startswith('error: cannot connect'))


if __name__ == '__main__':
    unittest.main()
