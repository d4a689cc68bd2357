"""Helpers shared by the tokensmith tests."""
import sys
from contextlib import contextmanager

try:
    from StringIO import StringIO
except ImportError:
    from io import StringIO


@contextmanager
def captured_stderr():
    """Collects what the code under test prints to sys.stderr."""
    old = sys.stderr
    sys.stderr = StringIO()
    try:
        yield sys.stderr
    finally:
        sys.stderr = old
