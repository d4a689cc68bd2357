"""Run one sample's unittest suite, on Python 2.7 or 3, without porting it.

Usage:  python [-3] samples/run_sample_tests.py SAMPLE_DIR [--strict]

SAMPLE_DIR holds the sample's package(s) and a ``tests`` folder.  With
``--strict`` every DeprecationWarning (the category that ``python2.7 -3``
uses for Python 3 incompatibilities) and every SyntaxWarning raised from a
module that lives inside SAMPLE_DIR becomes an error, so a ported sample must
not trigger a single Python 3 warning from its own code.  Warnings raised by
the standard library are left alone.

This file is written to run unchanged on Python 2.7 and 3; portkit never
rewrites it.
"""
import os
import re
import sys
import unittest
import warnings


def _sample_modules(sample_dir):
    names = set()
    for entry in os.listdir(sample_dir):
        path = os.path.join(sample_dir, entry)
        if entry.endswith('.py'):
            names.add(entry[:-3])
        elif os.path.isdir(path) and os.path.exists(os.path.join(path, '__init__.py')):
            names.add(entry)
    names.add('tests')
    return sorted(names)


def main(argv):
    args = [a for a in argv if not a.startswith('--')]
    strict = '--strict' in argv
    if len(args) != 1:
        sys.stderr.write(__doc__)
        return 2
    sample_dir = os.path.abspath(args[0])
    sys.path.insert(0, sample_dir)
    if strict:
        # Runtime warnings carry the module's __name__; warnings raised while
        # compiling a module carry its file path without the '.py'.
        pattern = r'(%s)(\.|$)|%s' % ('|'.join(_sample_modules(sample_dir)),
                                      re.escape(sample_dir))
        for category in (DeprecationWarning, SyntaxWarning):
            warnings.filterwarnings('error', category=category, module=pattern)
    suite = unittest.TestLoader().discover(
        os.path.join(sample_dir, 'tests'), top_level_dir=sample_dir)
    result = unittest.TextTestRunner(verbosity=1).run(suite)
    if not result.testsRun:
        sys.stderr.write('no tests found in %s\n' % sample_dir)
        return 1
    return 0 if result.wasSuccessful() else 1


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
