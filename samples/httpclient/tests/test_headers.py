import unittest

from tinyhttp.headers import Headers
from tinyhttp.wire import build_request


class HeadersTest(unittest.TestCase):

    def test_case_insensitive(self):
        h = Headers([('Content-Type', 'text/plain')])
        self.assertEqual(h['content-type'], 'text/plain')
        self.assertEqual(h.get('CONTENT-TYPE'), 'text/plain')
        self.assertTrue('Content-type' in h)
        self.assertFalse('Content-Length' in h)
        self.assertRaises(KeyError, lambda: h['Content-Length'])
        self.assertEqual(h.get('Content-Length', '0'), '0')

    def test_multiple_values(self):
        h = Headers()
        h.add('Set-Cookie', 'a=1')
        h.add('set-cookie', 'b=2')
        self.assertEqual(h['Set-Cookie'], 'a=1')
        self.assertEqual(h.getlist('SET-COOKIE'), ['a=1', 'b=2'])
        self.assertEqual(len(h), 2)

    def test_set_replaces(self):
        h = Headers([('X-A', '1'), ('x-a', '2'), ('X-B', '3')])
        h['X-A'] = 4
        self.assertEqual(h.items(), [('X-B', '3'), ('X-A', '4')])
        del h['x-b']
        self.assertEqual(list(h), ['X-A'])

    def test_from_dict_is_sorted(self):
        h = Headers({'b': '2', 'a': '1'})
        self.assertEqual(h.keys(), ['a', 'b'])

    def test_update_and_copy(self):
        h = Headers([('A', '1')])
        c = h.copy()
        c.update({'B': '2'})
        c.update(Headers([('a', '3')]))
        self.assertEqual(h.items(), [('A', '1')])
        self.assertEqual(sorted(c.items()), [('B', '2'), ('a', '3')])

    def test_value_types_on_the_wire(self):
        h = Headers()
        h.add('X-Int', 42)
        h.add('X-Text', u'caf\xe9')
        h.add('X-Bytes', b'plain')
        self.assertEqual(h['X-Int'], '42')
        self.assertEqual(h['X-Bytes'], 'plain')
        self.assertEqual(build_request('GET', '/', h),
                         b'GET / HTTP/1.1\r\nX-Int: 42\r\n'
                         b'X-Text: caf\xe9\r\nX-Bytes: plain\r\n\r\n')

    def test_repr(self):
        self.assertTrue(repr(Headers([('A', '1')])).startswith('Headers('))


if __name__ == '__main__':
    unittest.main()
