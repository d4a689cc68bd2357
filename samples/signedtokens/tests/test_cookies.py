import unittest

from tokensmith import cookies
from tokensmith.clock import FixedClock
from tokensmith.cookies import SignedCookieJar, parse_set_cookie

from tests.support import captured_stderr


def cookie_pair(set_cookie_value):
    """'name=value; Path=/; ...' -> 'name=value'"""
    return set_cookie_value.split(';')[0]


class SignedCookieJarTest(unittest.TestCase):

    def setUp(self):
        self.clock = FixedClock(1300000000)

    def make_jar(self, header=None, **kwargs):
        return SignedCookieJar('secret', header, clock=self.clock, **kwargs)

    def test_set_cookie_header(self):
        jar = self.make_jar()
        jar.set('user', u'j\xfcrgen', max_age=60)
        headers = jar.headers()
        self.assertEqual(len(headers), 1)
        name, value = headers[0]
        self.assertEqual(name, 'Set-Cookie')
        self.assertTrue(value.startswith('user='))
        lowered = value.lower()
        self.assertTrue('max-age=60' in lowered)
        self.assertTrue('path=/' in lowered)
        self.assertTrue('httponly' in lowered)
        self.assertFalse('secure' in lowered)
        self.assertTrue('expires=sun, 13 mar 2011 07:07:40 gmt' in lowered)
        self.assertFalse("'" in value)

    def test_round_trip(self):
        jar = self.make_jar()
        jar.set('user', u'j\xfcrgen')
        jar.set('lang', 'de')
        header = '; '.join([cookie_pair(v) for v in jar.header_values()])
        other = self.make_jar(header)
        self.assertEqual(other.names(), ['lang', 'user'])
        self.assertEqual(other.get('user'), u'j\xfcrgen')
        self.assertEqual(other.get('lang'), u'de')
        self.assertTrue('user' in other)

    def test_unicode_cookie_header(self):
        jar = self.make_jar()
        jar.set('sid', b'abc123')
        header = cookie_pair(jar.header_values()[0])
        other = self.make_jar(header.encode('ascii').decode('ascii'))
        self.assertEqual(other.get('sid'), u'abc123')

    def test_set_then_get_in_same_request(self):
        jar = self.make_jar()
        jar.set('sid', u'abc')
        self.assertEqual(jar.get('sid'), u'abc')

    def test_missing_cookie(self):
        jar = self.make_jar('other=1')
        self.assertEqual(jar.get('sid'), None)
        self.assertEqual(jar.get('sid', u'anon'), u'anon')
        self.assertEqual(jar.get_raw('other'), '1')

    def test_forged_cookie(self):
        jar = self.make_jar('sid=admin.Xf6A.AAAAAAAAAAAAAAAAAAAAAAAAAAA')
        with captured_stderr() as err:
            self.assertEqual(jar.get('sid', u'anon'), u'anon')
        self.assertTrue('rejected cookie sid' in err.getvalue())

    def test_expired_cookie(self):
        jar = self.make_jar(max_age=60)
        jar.set('sid', u'abc')
        header = cookie_pair(jar.header_values()[0])
        self.clock.advance(61)
        other = self.make_jar(header, max_age=60)
        self.assertEqual(other.get('sid'), None)
        self.assertEqual(other.get('sid', max_age=3600), u'abc')

    def test_expired_cookie_debug(self):
        jar = self.make_jar()
        jar.set('sid', u'abc')
        self.clock.advance(61)
        cookies.DEBUG = True
        try:
            with captured_stderr() as err:
                self.assertEqual(jar.get('sid', max_age=10), None)
        finally:
            cookies.DEBUG = False
        self.assertTrue('cookie sid expired' in err.getvalue())

    def test_attributes(self):
        jar = self.make_jar(domain='example.org', secure=True,
                            httponly=False, path='/app')
        jar.set('sid', u'abc')
        name, value, attrs = parse_set_cookie(jar.header_values()[0])
        self.assertEqual(name, 'sid')
        self.assertTrue(value.startswith('abc.'))
        self.assertEqual(attrs['path'], '/app')
        self.assertEqual(attrs['domain'], 'example.org')
        self.assertTrue(attrs['secure'])
        self.assertFalse('httponly' in attrs)
        self.assertFalse('max-age' in attrs)

    def test_delete(self):
        jar = self.make_jar('sid=whatever')
        jar.delete('sid')
        self.assertFalse('sid' in jar)
        value = jar.header_values()[0].lower()
        self.assertTrue(value.startswith('sid=""') or
                        value.startswith('sid=;'))
        self.assertTrue('max-age=0' in value)
        self.assertTrue('1970' in value)

    def test_headers_sorted(self):
        jar = self.make_jar()
        for name in ('c', 'a', 'b'):
            jar.set(name, name)
        names = [cookie_pair(v).split('=')[0] for v in jar.header_values()]
        self.assertEqual(names, ['a', 'b', 'c'])

    def test_repr(self):
        self.assertEqual(repr(self.make_jar('b=1; a=2')),
                         '<SignedCookieJar a, b>')


if __name__ == '__main__':
    unittest.main()
