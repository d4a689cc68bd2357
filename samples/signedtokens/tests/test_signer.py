import hashlib
import unittest

from tokensmith import signer as signer_module
from tokensmith.clock import FixedClock, EPOCH
from tokensmith.exc import BadData, BadSignature, BadTimeSignature, \
    SignatureExpired
from tokensmith.signer import KeyRing, Signer, TimestampSigner

from tests.support import captured_stderr


class SignerTest(unittest.TestCase):

    def test_known_signature(self):
        signer = Signer('secret', salt='s')
        self.assertEqual(signer.sign(b'value'),
                         b'value.lyIZt2cve8NiS16wo3JebFdSZ9fjq6CeJVa3_u_Svbs')

    def test_known_signatures_per_key_derivation(self):
        expected = {
            'concat': b'value.4Amj7C8FvbZo04TidE5kj-WOTyMjDbJk5JbKrc-eT5Q',
            'django-concat':
                b'value.1LA2XJPbTvIuudDb0RH9ijiqUJnjMdY05alCjhYXeFs',
            'hmac': b'value.Dk4SmCklcDVxgygPM4y-6oebKr_vPHvse4F0WEC2S7Y',
            'none': b'value.UOA-vmW-mLuL8RuiyJLVTAeayisNOwFidpxtdXolQ08',
        }
        for derivation, signed in expected.items():
            signer = Signer('secret', key_derivation=derivation)
            self.assertEqual(signer.sign(b'value'), signed)
            self.assertEqual(signer.unsign(signed), b'value')

    def test_sha1_digest(self):
        signer = Signer('secret', digest_method=hashlib.sha1)
        self.assertEqual(signer.sign(b'value'),
                         b'value.6tJDJoKL8dPliOsZwIZTA32VPVE')

    def test_round_trip(self):
        signer = Signer(b'secret')
        signed = signer.sign(b'hello world')
        self.assertTrue(signed.startswith(b'hello world.'))
        self.assertEqual(signer.unsign(signed), b'hello world')

    def test_unicode_value_and_key(self):
        signer = Signer(u's\xe9cret')
        signed = signer.sign(u'h\xe9llo')
        self.assertEqual(signer.unsign(signed), b'h\xc3\xa9llo')
        self.assertEqual(signer.unsign(signed.decode('utf-8')),
                         b'h\xc3\xa9llo')

    def test_tampered_value(self):
        signer = Signer('secret')
        signed = signer.sign(b'hello')
        forged = b'hellx' + signed[5:]
        try:
            signer.unsign(forged)
        except BadSignature as e:
            self.assertEqual(e.payload, b'hellx')
        else:
            self.fail('forged value accepted')

    def test_wrong_key(self):
        signed = Signer('secret').sign(b'hello')
        self.assertRaises(BadSignature, Signer('other').unsign, signed)
        self.assertFalse(Signer('other').validate(signed))
        self.assertTrue(Signer('secret').validate(signed))

    def test_wrong_salt(self):
        signed = Signer('secret', salt='a').sign(b'hello')
        self.assertRaises(BadSignature, Signer('secret', salt='b').unsign,
                          signed)

    def test_missing_separator(self):
        self.assertRaises(BadSignature, Signer('secret').unsign, b'hello')

    def test_garbage_signature(self):
        self.assertRaises(BadSignature, Signer('secret').unsign, b'hello.!!')

    def test_verify_signature_result(self):
        signer = Signer('secret')
        value, sig = signer.sign(b'payload').rsplit(b'.', 1)
        good = signer.verify_signature(value, sig)
        self.assertTrue(good)
        self.assertEqual(good.key_index, 0)
        self.assertFalse(good.needs_resign)
        bad = signer.verify_signature(b'other', sig)
        self.assertFalse(bad)
        self.assertEqual(bad.key_index, None)
        self.assertFalse(signer.verify_signature(value, b'AAAA'))

    def test_separator_from_alphabet(self):
        self.assertRaises(ValueError, Signer, 'secret', sep='-')

    def test_other_separator(self):
        signer = Signer('secret', sep=':')
        signed = signer.sign(b'a.b')
        self.assertTrue(signed.startswith(b'a.b:'))
        self.assertEqual(signer.unsign(signed), b'a.b')

    def test_unknown_key_derivation(self):
        signer = Signer('secret', key_derivation='rot13')
        self.assertRaises(TypeError, signer.sign, b'value')

    def test_derivations_differ(self):
        signatures = set()
        for derivation in ('concat', 'django-concat', 'hmac', 'none'):
            signer = Signer('secret', key_derivation=derivation)
            signatures.add(signer.sign(b'value'))
        self.assertEqual(len(signatures), 4)


class KeyRingTest(unittest.TestCase):

    def test_single_key(self):
        ring = KeyRing('secret')
        self.assertEqual(len(ring), 1)
        self.assertEqual(ring.current, b'secret')

    def test_bytes_key(self):
        ring = KeyRing(b'secret')
        self.assertEqual(list(ring), [b'secret'])

    def test_empty(self):
        self.assertRaises(ValueError, KeyRing, [])

    def test_old_keys_verify(self):
        token = Signer('old').sign(b'session-data')
        signer = Signer(KeyRing(['new', 'old']))
        self.assertEqual(signer.unsign(token), b'session-data')
        value, sig = token.rsplit(b'.', 1)
        result = signer.verify_signature(value, sig)
        self.assertTrue(result)
        self.assertEqual(result.key_index, 1)
        self.assertTrue(result.needs_resign)
        new_token = signer.sign(b'session-data')
        self.assertEqual(new_token, Signer('new').sign(b'session-data'))

    def test_rotate_drops_oldest(self):
        ring = KeyRing(['k1'], max_keys=2)
        token = Signer(ring).sign(b'x')
        ring.rotate('k2')
        self.assertEqual(Signer(ring).unsign(token), b'x')
        ring.rotate(u'k3')
        self.assertEqual(list(ring), [b'k3', b'k2'])
        self.assertRaises(BadSignature, Signer(ring).unsign, token)

    def test_rotate_debug_output(self):
        signer_module.DEBUG = True
        try:
            with captured_stderr() as err:
                ring = KeyRing(['k1'])
                ring.rotate('k2')
        finally:
            signer_module.DEBUG = False
        self.assertTrue('2 on the ring' in err.getvalue())

    def test_fingerprints(self):
        ring = KeyRing(['abc', 'def'])
        self.assertEqual(ring.fingerprints(), [u'a9993e36', u'589c2233'])


class TimestampSignerTest(unittest.TestCase):

    def setUp(self):
        self.clock = FixedClock(1300000000)
        self.signer = TimestampSigner('secret', clock=self.clock)

    def test_known_value(self):
        self.assertEqual(self.signer.sign(b'value'),
                         b'value.Xf6A.q2JG4voC6mnBvkkEDsZXwUU6MQsdM2ZiNrAgPOtwH5E')

    def test_round_trip(self):
        signed = self.signer.sign(b'value')
        self.clock.advance(10)
        self.assertEqual(self.signer.unsign(signed, max_age=20), b'value')
        self.assertEqual(self.signer.unsign(signed), b'value')

    def test_return_timestamp(self):
        signed = self.signer.sign(u'v\xe4lue')
        value, ts = self.signer.unsign(signed, return_timestamp=True)
        self.assertEqual(value, b'v\xc3\xa4lue')
        self.assertEqual(ts, 1300000000)

    def test_expired(self):
        signed = self.signer.sign(b'value')
        self.clock.advance(100)
        try:
            self.signer.unsign(signed, max_age=60)
        except SignatureExpired as e:
            self.assertEqual(e.date_signed, 1300000000)
            self.assertEqual(e.payload, b'value')
            self.assertTrue(u'100' in u'%s' % e)
        else:
            self.fail('expired signature accepted')
        self.assertFalse(self.signer.validate(signed, max_age=60))
        self.assertTrue(self.signer.validate(signed, max_age=100))

    def test_max_age_must_be_integer(self):
        signed = self.signer.sign(b'value')
        self.assertRaises(TypeError, self.signer.unsign, signed, '60')
        self.assertEqual(self.signer.unsign(signed, max_age=2 ** 40),
                         b'value')

    def test_bad_signature_keeps_timestamp(self):
        signed = self.signer.sign(b'value')
        forged = signed[:-3] + b'AAA'
        try:
            self.signer.unsign(forged)
        except BadTimeSignature as e:
            self.assertEqual(e.date_signed, 1300000000 - EPOCH)
            self.assertEqual(e.payload, b'value')
        else:
            self.fail('forged signature accepted')

    def test_plain_signer_value_has_no_timestamp(self):
        plain = Signer('secret', salt='tokensmith.TimestampSigner')
        signed = plain.sign(b'value')
        self.assertRaises(BadTimeSignature, self.signer.unsign, signed)

    def test_garbage(self):
        self.assertRaises(BadSignature, self.signer.unsign, b'garbage')
        self.assertRaises(BadTimeSignature, self.signer.unsign, b'a.b.c')
        self.assertRaises(BadData, self.signer.unsign, b'a.b')


class ExceptionTest(unittest.TestCase):

    def test_unicode_message(self):
        e = BadSignature(u'caf\xe9 rejected')
        self.assertEqual(u'%s' % e, u'caf\xe9 rejected')
        self.assertEqual(e.msg, u'caf\xe9 rejected')

    def test_ascii_message(self):
        e = BadData('plain message')
        self.assertEqual(str(e), 'plain message')
        self.assertEqual(u'%s' % e, u'plain message')


if __name__ == '__main__':
    unittest.main()
