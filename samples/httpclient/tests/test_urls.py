import unittest

from tinyhttp.urls import build_url, encode_params, join_location, \
    quote_path, split_url


class QuotePathTest(unittest.TestCase):

    def test_ascii(self):
        self.assertEqual(quote_path('/a/b.html'), '/a/b.html')
        self.assertEqual(quote_path('/a b'), '/a%20b')

    def test_unicode(self):
        self.assertEqual(quote_path(u'/caf\xe9/\u6771\u4eac'),
                         '/caf%C3%A9/%E6%9D%B1%E4%BA%AC')

    def test_utf8_bytes(self):
        self.assertEqual(quote_path(b'/caf\xc3\xa9'), '/caf%C3%A9')

    def test_existing_escapes_are_kept(self):
        self.assertEqual(quote_path('/a%20b'), '/a%20b')


class SplitUrlTest(unittest.TestCase):

    def test_simple(self):
        self.assertEqual(split_url('http://example.org/x?y=1'),
                         ('example.org', 80, '/x?y=1'))

    def test_port_and_empty_path(self):
        self.assertEqual(split_url('http://127.0.0.1:8080'),
                         ('127.0.0.1', 8080, '/'))

    def test_unicode_url(self):
        self.assertEqual(
            split_url(u'http://Example.org/caf\xe9?q=cr\xe8me'),
            ('example.org', 80, '/caf%C3%A9?q=cr%C3%A8me'))

    def test_bad_urls(self):
        self.assertRaises(ValueError, split_url, 'https://example.org/')
        self.assertRaises(ValueError, split_url, 'ftp://example.org/')
        self.assertRaises(ValueError, split_url, 'http:///path')


class EncodeParamsTest(unittest.TestCase):

    def test_dict_is_sorted(self):
        self.assertEqual(encode_params({'b': 2, 'a': u'x y'}), 'a=x+y&b=2')

    def test_pairs_keep_order(self):
        self.assertEqual(encode_params([('z', '1'), ('a', '2')]),
                         'z=1&a=2')

    def test_unicode_and_bytes_values(self):
        self.assertEqual(encode_params([('q', u'caf\xe9'),
                                        ('raw', b'caf\xc3\xa9'),
                                        ('none', None)]),
                         'q=caf%C3%A9&raw=caf%C3%A9&none=')

    def test_list_values(self):
        self.assertEqual(encode_params({'tag': ['a', 'b'], 'n': 1.5}),
                         'n=1.5&tag=a&tag=b')

    def test_string_passes_through(self):
        self.assertEqual(encode_params('a=1&b=2'), 'a=1&b=2')
        self.assertEqual(encode_params(u'a=1'), u'a=1')


class BuildUrlTest(unittest.TestCase):

    def test_build(self):
        self.assertEqual(build_url('http://h/a/b', 'c', {'x': 1}),
                         'http://h/a/c?x=1')
        self.assertEqual(build_url('http://h/a?x=1', params={'y': 2}),
                         'http://h/a?x=1&y=2')
        self.assertEqual(build_url('http://h/a'), 'http://h/a')

    def test_join_location(self):
        self.assertEqual(join_location('http://h/a/b', '/c'), 'http://h/c')
        self.assertEqual(join_location('http://h/a/b', 'c?d=1'),
                         'http://h/a/c?d=1')
        self.assertEqual(join_location('http://h/a', 'http://o/'),
                         'http://o/')


if __name__ == '__main__':
    unittest.main()
