"""tokensmith -- signed tokens, signed cookies and password hashes.

    >>> from tokensmith import URLSafeSerializer
    >>> s = URLSafeSerializer('secret-key')
    >>> token = s.dumps({'user_id': 42})
    >>> s.loads(token)['user_id']
    42
"""
from exc import BadData, BadSignature, BadTimeSignature, SignatureExpired, \
    BadHeader, BadPayload
from clock import SystemClock, FixedClock, EPOCH
from signer import KeyRing, Signer, TimestampSigner, Verification
from serializer import Serializer, TimedSerializer, URLSafeSerializer, \
    URLSafeTimedSerializer, JSONWebSignatureSerializer
from cookies import SignedCookieJar, parse_set_cookie
from passwords import hash_password, check_password, needs_rehash, \
    generate_key, generate_key_file, load_key_file, rotate_key_file

__version__ = '0.4.2'
__all__ = [
    'BadData', 'BadSignature', 'BadTimeSignature', 'SignatureExpired',
    'BadHeader', 'BadPayload', 'SystemClock', 'FixedClock', 'EPOCH',
    'KeyRing', 'Signer', 'TimestampSigner', 'Verification', 'Serializer',
    'TimedSerializer', 'URLSafeSerializer', 'URLSafeTimedSerializer',
    'JSONWebSignatureSerializer', 'SignedCookieJar', 'parse_set_cookie',
    'hash_password', 'check_password', 'needs_rehash', 'generate_key',
    'generate_key_file', 'load_key_file', 'rotate_key_file',
]
