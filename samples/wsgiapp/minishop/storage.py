# -*- coding: utf-8 -*-
"""Keeps uploaded files, optionally mirrored to a directory on disk."""

import os
import sys


class UploadStore(object):
    """Uploads grouped by the browser token that sent them."""

    def __init__(self, directory=None):
        self.directory = directory
        self._by_token = {}
        if directory is not None and not os.path.isdir(directory):
            os.makedirs(directory, 0755)

    def save(self, token, upload):
        files = self._by_token.setdefault(token, [])
        files.append(upload)
        if self.directory is not None:
            path = os.path.join(self.directory, '%s-%d.bin' % (token, len(files)))
            out = open(path, 'wb')
            try:
                out.write(upload.data)
            finally:
                out.close()
            os.chmod(path, 0644)
            print >>sys.stderr, 'minishop: stored %d bytes in %s' % (len(upload), path)
        return len(files)

    def files_for(self, token):
        return list(self._by_token.get(token, ()))

    def total_bytes(self):
        total = 0L
        for files in self._by_token.itervalues():
            for upload in files:
                total += len(upload)
        return total

    def __len__(self):
        return sum(len(files) for files in self._by_token.itervalues())
