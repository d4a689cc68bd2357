import unittest

from tinyhttp.cookies import CookieJar, default_path, path_matches


class FakeClock(object):

    def __init__(self, now=1300000000.0):
        self.now = now

    def __call__(self):
        return self.now


class PathTest(unittest.TestCase):

    def test_default_path(self):
        self.assertEqual(default_path('/'), '/')
        self.assertEqual(default_path('/login'), '/')
        self.assertEqual(default_path('/app/login'), '/app')
        self.assertEqual(default_path('relative'), '/')

    def test_path_matches(self):
        self.assertTrue(path_matches('/app/x', '/app'))
        self.assertTrue(path_matches('/app', '/app'))
        self.assertTrue(path_matches('/app/x', '/'))
        self.assertFalse(path_matches('/application', '/app'))
        self.assertFalse(path_matches('/', '/app'))


class CookieJarTest(unittest.TestCase):

    def setUp(self):
        self.clock = FakeClock()
        self.jar = CookieJar(clock=self.clock)

    def test_store_and_send(self):
        self.jar.extract('example.org', '/login', [
            'sid=abc; Path=/', 'pref=1; Path=/app; Max-Age=60'])
        self.assertEqual(len(self.jar), 2)
        self.assertEqual(self.jar.header_for('example.org', '/'), 'sid=abc')
        self.assertEqual(self.jar.header_for('example.org', '/app/x'),
                         'pref=1; sid=abc')
        self.assertEqual(self.jar.header_for('other.org', '/'), '')
        self.assertEqual(self.jar.get('pref'), '1')
        self.assertEqual(self.jar.get('missing', 'no'), 'no')
        self.assertEqual(self.jar.names(), ['pref', 'sid'])

    def test_domain_matching(self):
        self.jar.extract('www.example.org', '/', [
            'a=1; Domain=.example.org; Path=/', 'b=2'])
        self.assertEqual(self.jar.header_for('api.example.org', '/'), 'a=1')
        self.assertEqual(self.jar.header_for('WWW.example.org', '/'),
                         'a=1; b=2')

    def test_default_path_from_request(self):
        self.jar.extract('h', '/app/login', ['c=1'])
        self.assertEqual(self.jar.header_for('h', '/app/page'), 'c=1')
        self.assertEqual(self.jar.header_for('h', '/other'), '')

    def test_expiry(self):
        self.jar.extract('h', '/', ['short=1; Max-Age=10', 'long=2',
                                    'bad=3; Max-Age=soon'])
        self.assertEqual(self.jar.header_for('h', '/'),
                         'bad=3; long=2; short=1')
        self.clock.now += 11
        self.assertEqual(self.jar.header_for('h', '/'), 'bad=3; long=2')
        self.assertEqual(self.jar.clear_expired(), 1)
        self.assertEqual(len(self.jar), 2)

    def test_delete_with_max_age_zero(self):
        self.jar.extract('h', '/', ['sid=1'])
        self.jar.extract('h', '/', ['sid=deleted; Max-Age=0'])
        self.assertEqual(len(self.jar), 0)
        self.jar.extract('h', '/', ['never=1; Max-Age=0'])
        self.assertEqual(len(self.jar), 0)

    def test_clear(self):
        self.jar.extract('h', '/', ['a=1', 'b=2'])
        self.jar.clear()
        self.assertEqual(self.jar.header_for('h', '/'), '')


if __name__ == '__main__':
    unittest.main()
