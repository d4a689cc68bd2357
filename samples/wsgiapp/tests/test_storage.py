# -*- coding: utf-8 -*-
import os
import shutil
import stat
import tempfile
import unittest

from minishop.forms import Upload
from minishop.storage import UploadStore


class UploadStoreTests(unittest.TestCase):

    def setUp(self):
        self.tmp = tempfile.mkdtemp()

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def test_memory_only(self):
        store = UploadStore()
        store.save('abc', Upload(u'f', u'日本.txt', b'text/plain', b'12345'))
        self.assertEqual(len(store), 1)
        self.assertEqual(store.total_bytes(), 5)
        self.assertEqual(store.files_for('abc')[0].filename, u'日本.txt')
        self.assertEqual(store.files_for('nope'), [])

    def test_mirror_to_disk(self):
        directory = os.path.join(self.tmp, 'uploads')
        store = UploadStore(directory)
        store.save('abc', Upload(u'f', u'a.bin', b'application/octet-stream', b'\x00\x01'))
        count = store.save('abc', Upload(u'f', u'b.bin', b'application/octet-stream', b'\xff'))
        self.assertEqual(count, 2)
        path = os.path.join(directory, 'abc-2.bin')
        with open(path, 'rb') as f:
            self.assertEqual(f.read(), b'\xff')
        self.assertEqual(stat.S_IMODE(os.stat(path).st_mode), 0o644)


if __name__ == '__main__':
    unittest.main()
