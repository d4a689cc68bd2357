"""Temporary directory handling shared by the streamproc tests."""
import os
import shutil
import tempfile
import unittest


class TempDirTestCase(unittest.TestCase):
    """Gives every test a fresh temporary directory, removed afterwards."""

    def setUp(self):
        self.tmpdir = tempfile.mkdtemp(prefix='streamproc-')

    def tearDown(self):
        shutil.rmtree(self.tmpdir)

    def path(self, name):
        return os.path.join(self.tmpdir, name)

    def write_bytes(self, name, data):
        path = self.path(name)
        f = open(path, 'wb')
        try:
            f.write(data)
        finally:
            f.close()
        return path

    def read_bytes(self, path):
        f = open(path, 'rb')
        try:
            return f.read()
        finally:
            f.close()
