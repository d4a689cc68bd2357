import os
import re
import shutil
import stat
import tempfile
import unittest

from tokensmith.passwords import gen_salt, hash_password, check_password, \
    split_hash, needs_rehash, generate_key, generate_key_file, \
    load_key_file, rotate_key_file, _hash_internal
from tokensmith.signer import KeyRing, Signer

from tests.support import captured_stderr

HEX = re.compile(r'^[0-9a-f]+$')


class PasswordHashTest(unittest.TestCase):

    def test_known_digests(self):
        self.assertEqual(
            _hash_internal('sha256', 'abcd', 'password', 3),
            u'74db6dc167a64d7f347af988d0bbdfe7a392a9f79b57a12d36a21d5e885a9176')
        self.assertEqual(_hash_internal('sha1', 'abcd', u'p\xe4ss', 1),
                         u'dcab10f2380ebdfb0de339927aaee9000dc14e28')

    def test_format(self):
        pwhash = hash_password(u'secret')
        method, iterations, salt, digest = pwhash.split('$')
        self.assertEqual(method, 'sha256')
        self.assertEqual(iterations, '1000')
        self.assertEqual(len(salt), 16)
        self.assertTrue(HEX.match(salt))
        self.assertEqual(len(digest), 64)
        self.assertTrue(HEX.match(digest))

    def test_check(self):
        pwhash = hash_password(u'p\xe4ssword', iterations=50)
        self.assertTrue(check_password(pwhash, u'p\xe4ssword'))
        self.assertTrue(check_password(pwhash, b'p\xc3\xa4ssword'))
        self.assertFalse(check_password(pwhash, u'password'))
        self.assertFalse(check_password(pwhash, u''))

    def test_salts_differ(self):
        self.assertNotEqual(hash_password(u'x', iterations=1),
                            hash_password(u'x', iterations=1))

    def test_sha1_warns(self):
        with captured_stderr() as err:
            pwhash = hash_password(u'x', method='sha1', iterations=10)
        self.assertTrue('deprecated' in err.getvalue())
        self.assertTrue(pwhash.startswith('sha1$10$'))
        self.assertTrue(check_password(pwhash, u'x'))

    def test_bad_arguments(self):
        self.assertRaises(ValueError, hash_password, u'x', method='md5')
        self.assertRaises(ValueError, hash_password, u'x', iterations=0)

    def test_malformed_hash(self):
        self.assertRaises(ValueError, split_hash, 'sha256$1000$abc')
        self.assertRaises(ValueError, split_hash, 'md5$1$ab$cd')
        self.assertRaises(ValueError, split_hash, 'sha256$many$ab$cd')
        with captured_stderr() as err:
            self.assertFalse(check_password('garbage', u'x'))
        self.assertTrue('malformed' in err.getvalue())

    def test_needs_rehash(self):
        self.assertFalse(needs_rehash(hash_password(u'x')))
        self.assertTrue(needs_rehash(hash_password(u'x', iterations=10)))
        self.assertTrue(needs_rehash('garbage'))

    def test_gen_salt(self):
        salt = gen_salt(8)
        self.assertEqual(len(salt), 8)
        self.assertTrue(HEX.match(salt))
        self.assertRaises(ValueError, gen_salt, 7)
        self.assertRaises(ValueError, gen_salt, 0)


class KeyFileTest(unittest.TestCase):

    def setUp(self):
        self.tmpdir = tempfile.mkdtemp(prefix='tokensmith-')
        self.path = os.path.join(self.tmpdir, 'keys.txt')

    def tearDown(self):
        shutil.rmtree(self.tmpdir)

    def test_generate_key(self):
        key = generate_key()
        self.assertEqual(len(key), 64)
        self.assertTrue(HEX.match(key))
        self.assertEqual(len(generate_key(4)), 8)

    def test_key_file(self):
        key = generate_key_file(self.path)
        self.assertEqual(stat.S_IMODE(os.stat(self.path).st_mode), 0o600)
        self.assertEqual(load_key_file(self.path), [key])

    def test_rotate(self):
        first = generate_key_file(self.path)
        keys = rotate_key_file(self.path, keep=2)
        self.assertEqual(len(keys), 2)
        self.assertEqual(keys[1], first)
        self.assertEqual(load_key_file(self.path), keys)
        self.assertEqual(stat.S_IMODE(os.stat(self.path).st_mode), 0o600)
        keys = rotate_key_file(self.path, keep=2)
        self.assertEqual(len(keys), 2)
        self.assertFalse(first in keys)

    def test_rotation_with_signer(self):
        generate_key_file(self.path)
        token = Signer(KeyRing(load_key_file(self.path))).sign(b'data')
        rotate_key_file(self.path)
        signer = Signer(KeyRing(load_key_file(self.path)))
        self.assertEqual(signer.unsign(token), b'data')
        self.assertNotEqual(signer.sign(b'data'), token)

    def test_empty_key_file(self):
        f = open(self.path, 'w')
        f.write('# nothing here\n\n')
        f.close()
        self.assertRaises(ValueError, load_key_file, self.path)


if __name__ == '__main__':
    unittest.main()
