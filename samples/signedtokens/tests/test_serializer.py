import re
import unittest

from tokensmith.clock import FixedClock
from tokensmith.encoding import base64_encode
from tokensmith.exc import BadData, BadHeader, BadPayload, BadSignature, \
    SignatureExpired
from tokensmith.serializer import Serializer, TimedSerializer, \
    URLSafeSerializer, URLSafeTimedSerializer, JSONWebSignatureSerializer

URL_SAFE = re.compile(r'^[A-Za-z0-9_.-]+$')

SAMPLE = {
    'user': u'j\xfcrgen',
    'ids': [1, 2, 3],
    'admin': False,
    'nested': {'k': u'\u20ac'},
}


class SerializerTest(unittest.TestCase):

    def test_known_token(self):
        token = Serializer('secret').dumps({'a': 1, 'b': [1, 2]})
        self.assertEqual(
            token,
            '{"a":1,"b":[1,2]}.yFaO9WK5SC3e9bhnaZ-YGClto1Oy7lVGgLKKYdf2lb0')

    def test_dumps_returns_native_string(self):
        token = Serializer('secret').dumps({'a': 1})
        self.assertTrue(isinstance(token, str))
        self.assertTrue(token.startswith('{"a":1}.'))

    def test_round_trip(self):
        s = Serializer('secret')
        self.assertEqual(s.loads(s.dumps(SAMPLE)), SAMPLE)
        self.assertEqual(s.loads(s.dumps([1, u'two', None])),
                         [1, u'two', None])

    def test_loads_accepts_unicode(self):
        s = Serializer('secret')
        token = s.dumps({'a': 1})
        self.assertEqual(s.loads(token.encode('ascii').decode('ascii')),
                         {u'a': 1})

    def test_tampered(self):
        s = Serializer('secret')
        token = s.dumps({'admin': False})
        forged = token.replace('false', 'true')
        self.assertRaises(BadSignature, s.loads, forged)
        ok, payload = s.loads_unsafe(forged)
        self.assertFalse(ok)
        self.assertEqual(payload, {u'admin': True})

    def test_loads_unsafe_good_token(self):
        s = Serializer('secret')
        self.assertEqual(s.loads_unsafe(s.dumps([1])), (True, [1]))
        self.assertEqual(s.loads_unsafe('no separator'), (False, None))

    def test_salt(self):
        s = Serializer('secret')
        token = s.dumps({'a': 1}, salt='activate')
        self.assertRaises(BadSignature, s.loads, token)
        self.assertEqual(s.loads(token, salt='activate'), {u'a': 1})

    def test_bad_payload(self):
        s = Serializer('secret')
        token = s.make_signer().sign(b'not json')
        try:
            s.loads(token)
        except BadPayload as e:
            self.assertTrue(e.original_error is not None)
            self.assertTrue(u'unserializing' in u'%s' % e)
        else:
            self.fail('bad payload accepted')

    def test_file_api(self):
        from io import BytesIO
        s = Serializer('secret')
        token = s.dumps({'a': 1})
        buf = BytesIO(token.encode('ascii'))
        self.assertEqual(s.load(buf), {u'a': 1})


class URLSafeSerializerTest(unittest.TestCase):

    def test_known_token(self):
        token = URLSafeSerializer('secret').dumps({'a': 1})
        self.assertEqual(
            token, 'eyJhIjoxfQ.hqck-McwCpA7FbzB_G9YcYpxqOHI5AKE-aqTHcEen9Q')

    def test_known_compressed_token(self):
        token = URLSafeSerializer('secret').dumps(['spam'] * 50)
        self.assertEqual(
            token, '.eJyLViouSMxV0hmlaEHFAgCWIWr_.'
                   'h8R7fqO-AajmnS5lSHsvYldWFGybdXXXrA_T5FH-4cY')

    def test_small_payload_is_not_compressed(self):
        s = URLSafeSerializer('secret')
        token = s.dumps({'a': 1})
        self.assertFalse(token.startswith('.'))
        self.assertTrue(URL_SAFE.match(token))
        self.assertEqual(s.loads(token), {u'a': 1})

    def test_large_payload_is_compressed(self):
        s = URLSafeSerializer('secret')
        data = {'items': [u'repeated text \xe9'] * 100}
        token = s.dumps(data)
        self.assertTrue(token.startswith('.'))
        self.assertTrue(URL_SAFE.match(token))
        self.assertTrue(len(token) < 200)
        self.assertEqual(s.loads(token), data)

    def test_round_trip(self):
        s = URLSafeSerializer('secret')
        self.assertEqual(s.loads(s.dumps(SAMPLE)), SAMPLE)

    def test_broken_payloads(self):
        s = URLSafeSerializer('secret')
        signer = s.make_signer()
        self.assertRaises(BadPayload, s.loads, signer.sign(b'!!!'))
        self.assertRaises(BadPayload, s.loads, signer.sign(b'.eJyL'))
        self.assertRaises(BadPayload, s.loads, signer.sign(b''))


class TimedSerializerTest(unittest.TestCase):

    def setUp(self):
        self.clock = FixedClock(1300000000)

    def test_known_token(self):
        s = URLSafeTimedSerializer('secret',
                                   signer_kwargs={'clock': self.clock})
        self.assertEqual(s.dumps({'a': 1}),
                         'eyJhIjoxfQ.Xf6A.'
                         'kFt-Dv2VSGT7t3-UrfGu1arZtHxcA4V3WzxIcPft-JY')

    def test_max_age(self):
        for cls in (TimedSerializer, URLSafeTimedSerializer):
            s = cls('secret', signer_kwargs={'clock': self.clock})
            token = s.dumps(SAMPLE)
            self.clock.advance(30)
            self.assertEqual(s.loads(token, max_age=60), SAMPLE)
            self.clock.advance(60)
            self.assertRaises(SignatureExpired, s.loads, token, max_age=60)
            self.assertTrue(s.is_expired(token, 60))
            self.assertFalse(s.is_expired(token, 600))
            self.assertFalse(s.is_expired('garbage', 60))

    def test_return_timestamp(self):
        s = URLSafeTimedSerializer('secret',
                                   signer_kwargs={'clock': self.clock})
        token = s.dumps([u'x'])
        payload, ts = s.loads(token, return_timestamp=True)
        self.assertEqual(payload, [u'x'])
        self.assertEqual(ts, 1300000000)


class JSONWebSignatureTest(unittest.TestCase):

    def test_known_token(self):
        s = JSONWebSignatureSerializer('secret')
        self.assertEqual(
            s.dumps({'a': 1}),
            b'eyJhbGciOiJIUzI1NiJ9.eyJhIjoxfQ.'
            b'LrlPmSL4FxrzAHJSYbKzsA997COXdYCeFKlt3zt5DIY')

    def test_round_trip_with_header(self):
        s = JSONWebSignatureSerializer('secret', algorithm_name='HS512',
                                       extra_headers={'typ': 'JWT'})
        token = s.dumps(SAMPLE, header_fields={'kid': 'key-1'})
        self.assertEqual(token.count(b'.'), 2)
        payload, header = s.loads(token, return_header=True)
        self.assertEqual(payload, SAMPLE)
        self.assertEqual(header, {u'alg': u'HS512', u'typ': u'JWT',
                                  u'kid': u'key-1'})

    def test_algorithm_mismatch(self):
        s = JSONWebSignatureSerializer('secret')
        header_b64 = base64_encode(b'{"alg":"none"}')
        payload_b64 = base64_encode(b'{}')
        token = s.make_signer().sign(header_b64 + b'.' + payload_b64)
        self.assertRaises(BadHeader, s.loads, token)

    def test_header_not_an_object(self):
        s = JSONWebSignatureSerializer('secret')
        token = s.make_signer().sign(base64_encode(b'[1]') + b'.' +
                                     base64_encode(b'{}'))
        self.assertRaises(BadHeader, s.loads, token)
        token = s.make_signer().sign(b'@@@.' + base64_encode(b'{}'))
        self.assertRaises(BadData, s.loads, token)

    def test_wrong_algorithm_signature(self):
        token = JSONWebSignatureSerializer('secret').dumps({'a': 1})
        s512 = JSONWebSignatureSerializer('secret', algorithm_name='HS512')
        self.assertRaises(BadSignature, s512.loads, token)

    def test_unsupported_algorithm(self):
        self.assertRaises(NotImplementedError, JSONWebSignatureSerializer,
                          'secret', algorithm_name='RS256')


if __name__ == '__main__':
    unittest.main()
