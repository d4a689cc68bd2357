# -*- coding: utf-8 -*-
import unittest

from microframe.datastructures import MultiDict, decode_multi

try:
    from urlparse import parse_qs
except ImportError:
    from urllib.parse import parse_qs


class MultiDictTests(unittest.TestCase):

    def test_first_and_all_values(self):
        d = MultiDict({u'tag': [u'rouge', u'grün'], u'q': u'日本'})
        self.assertEqual(d[u'tag'], u'rouge')
        self.assertEqual(d.getall(u'tag'), [u'rouge', u'grün'])
        self.assertEqual(d[u'q'], u'日本')
        self.assertEqual(d.getall(u'missing'), [])

    def test_get_with_type(self):
        d = MultiDict({u'page': u'3', u'bad': u'x'})
        self.assertEqual(d.get(u'page', type=int), 3)
        self.assertEqual(d.get(u'bad', 1, type=int), 1)
        self.assertEqual(d.get(u'nope', u'default'), u'default')

    def test_truth_and_iteration(self):
        self.assertFalse(MultiDict())
        d = MultiDict()
        d.add(u'a', u'1')
        d.add(u'b', u'2')
        d.add(u'a', u'3')
        self.assertTrue(d)
        self.assertEqual(sorted(d), [u'a', u'b'])
        self.assertEqual(sorted(d.keys()), [u'a', u'b'])
        self.assertEqual(d.to_dict(), {u'a': u'1', u'b': u'2'})
        self.assertEqual(d.to_dict(flat=False), {u'a': [u'1', u'3'], u'b': [u'2']})
        self.assertTrue(u'a' in d)
        d[u'a'] = u'z'
        self.assertEqual(d.getall(u'a'), [u'z'])

    def test_decode_multi(self):
        parsed = parse_qs('name=Zo%C3%AB&tag=%F0%9F%9A%80&tag=x&bad=%FF',
                          keep_blank_values=True)
        d = decode_multi(parsed)
        self.assertEqual(d[u'name'], u'Zoë')
        self.assertEqual(d.getall(u'tag'), [u'🚀', u'x'])
        self.assertEqual(d[u'bad'], u'\ufffd')


if __name__ == '__main__':
    unittest.main()
