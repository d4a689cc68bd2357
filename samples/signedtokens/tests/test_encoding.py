import unittest

from tokensmith import encoding
from tokensmith.encoding import want_bytes, base64_encode, base64_decode, \
    int_to_bytes, bytes_to_int, constant_time_compare
from tokensmith.exc import BadData


class WantBytesTest(unittest.TestCase):

    def test_unicode_is_encoded(self):
        self.assertEqual(want_bytes(u'caf\xe9'), b'caf\xc3\xa9')

    def test_bytes_pass_through(self):
        self.assertEqual(want_bytes(b'\x00\xff'), b'\x00\xff')

    def test_other_encoding(self):
        self.assertEqual(want_bytes(u'caf\xe9', 'latin-1'), b'caf\xe9')


class Base64Test(unittest.TestCase):

    def test_padding_is_stripped(self):
        self.assertEqual(base64_encode(b'a'), b'YQ')
        self.assertEqual(base64_encode(b'ab'), b'YWI')
        self.assertEqual(base64_encode(b'abc'), b'YWJj')

    def test_url_safe_alphabet(self):
        self.assertEqual(base64_encode(b'\xfb\xff\xbf'), b'-_-_')

    def test_unicode_input(self):
        self.assertEqual(base64_encode(u'\xe9'), b'w6k')

    def test_decode_adds_padding(self):
        self.assertEqual(base64_decode(b'YQ'), b'a')
        self.assertEqual(base64_decode(b'YWI'), b'ab')
        self.assertEqual(base64_decode(u'YWJj'), b'abc')

    def test_round_trip_binary(self):
        data = b'\x00\x01\x02\xfd\xfe\xff' * 7
        self.assertEqual(base64_decode(base64_encode(data)), data)

    def test_invalid_data(self):
        self.assertRaises(BadData, base64_decode, b'a')


class IntPackingTest(unittest.TestCase):

    def test_small_numbers(self):
        self.assertEqual(int_to_bytes(0), b'')
        self.assertEqual(int_to_bytes(1), b'\x01')
        self.assertEqual(int_to_bytes(256), b'\x01\x00')

    def test_round_trip(self):
        for num in (0, 1, 255, 256, 6157430, 2 ** 40 + 3, 2 ** 64 - 1):
            self.assertEqual(bytes_to_int(int_to_bytes(num)), num)

    def test_negative(self):
        self.assertRaises(ValueError, int_to_bytes, -1)

    def test_too_large(self):
        self.assertRaises(OverflowError, int_to_bytes, 2 ** 64)
        self.assertRaises(BadData, bytes_to_int, b'\x01' * 9)


class CompareTest(unittest.TestCase):

    def test_equal(self):
        self.assertTrue(constant_time_compare(b'abc', b'abc'))
        self.assertTrue(constant_time_compare(b'', b''))

    def test_not_equal(self):
        self.assertFalse(constant_time_compare(b'abc', b'abd'))
        self.assertFalse(constant_time_compare(b'abc', b'ab'))
        self.assertFalse(constant_time_compare(b'\x00\xff', b'\xff\x00'))

    def test_unicode_and_bytes(self):
        self.assertTrue(constant_time_compare(u'abc', b'abc'))
        self.assertTrue(constant_time_compare(u'caf\xe9', b'caf\xc3\xa9'))


class FingerprintTest(unittest.TestCase):

    def test_sha1_hexdigest(self):
        self.assertEqual(encoding.sha1_hexdigest(b'abc'),
                         u'a9993e364706816aba3e25717850c26c9cd0d89d')
        self.assertEqual(encoding.sha1_hexdigest(u'abc'),
                         u'a9993e364706816aba3e25717850c26c9cd0d89d')


if __name__ == '__main__':
    unittest.main()
