"""Low level helpers: byte coercion, URL safe base64, integer packing and
a constant time string comparison."""
import base64
import hashlib
import struct
import sys
from itertools import izip

from tokensmith.exc import BadData

# Characters that may appear in the output of base64_encode().  A separator
# must never be one of them.
BASE64_ALPHABET = ('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'
                   '0123456789-_=')


def want_bytes(s, encoding='utf-8', errors='strict'):
    """Returns `s` as a byte string, encoding unicode with `encoding`."""
    if isinstance(s, unicode):
        s = s.encode(encoding, errors)
    return s


def base64_encode(string):
    """base64 encodes a single byte string (and is tolerant to getting
    called with a unicode string).  The padding is stripped so the result
    is safe for URLs and cookies."""
    string = want_bytes(string)
    return base64.urlsafe_b64encode(string).rstrip('=')


def base64_decode(string):
    """base64 decodes a single byte string (and is tolerant to getting
    called with a unicode string).  Missing padding is added back."""
    string = want_bytes(string, encoding='ascii', errors='ignore')
    string += '=' * (-len(string) % 4)
    try:
        return base64.urlsafe_b64decode(string)
    except (TypeError, ValueError), e:
        raise BadData('Invalid base64-encoded data: %s' % e)


def int_to_bytes(num):
    """Packs a non-negative integer into the shortest big endian byte
    string (8 bytes at most)."""
    if num < 0:
        raise ValueError, 'int_to_bytes() needs a non-negative number'
    if num > 0xffffffffffffffffL:
        raise OverflowError, 'number too large to pack'
    return struct.pack('>Q', num).lstrip('\x00')


def bytes_to_int(bytestr):
    """The inverse of int_to_bytes()."""
    if len(bytestr) > 8:
        raise BadData('packed integer is too long')
    return struct.unpack('>Q', '\x00' * (8 - len(bytestr)) + bytestr)[0]


def constant_time_compare(val1, val2):
    """Returns True if the two strings are equal, False otherwise.

    The time taken is independent of the number of characters that match,
    which protects signatures against timing attacks."""
    val1 = want_bytes(val1)
    val2 = want_bytes(val2)
    if len(val1) != len(val2):
        return False
    result = 0
    for x, y in izip(val1, val2):
        result |= ord(x) ^ ord(y)
    return result == 0


def sha1_hexdigest(data):
    """Hex SHA-1 of `data`, used for key fingerprints in log messages."""
    return hashlib.sha1(want_bytes(data)).digest().encode('hex')


def debug(message):
    """Writes a debug line to stderr.  Only called when DEBUG is set."""
    print >>sys.stderr, 'tokensmith: %s' % message
