"""Password hashing and secret key files.

Hashes look like 'sha256$1000$<salt>$<hex digest>': the method, the number
of HMAC iterations, a hex salt from os.urandom and the hex digest.  They are
plain ASCII strings and can be stored in any database column.
"""
import hashlib
import hmac
import os
import sys

from tokensmith.encoding import constant_time_compare

DEFAULT_METHOD = 'sha256'
DEFAULT_ITERATIONS = 1000
SALT_CHARS = 16

HASH_METHODS = {
    'sha256': hashlib.sha256,
    'sha1': hashlib.sha1,
}


def gen_salt(length=SALT_CHARS):
    """Returns a random salt of `length` hex characters."""
    if length <= 0 or length % 2:
        raise ValueError, 'salt length must be a positive even number'
    return os.urandom(length / 2).encode('hex')


def _hash_internal(method, salt, password, iterations):
    """Iterated HMAC of the password keyed with the salt; returns the hex
    digest."""
    if isinstance(password, unicode):
        password = password.encode('utf-8')
    hash_func = HASH_METHODS[method]
    rv = hmac.new(salt, password, hash_func).digest()
    for i in xrange(iterations - 1):
        rv = hmac.new(salt, rv, hash_func).digest()
    return rv.encode('hex')


def hash_password(password, method=DEFAULT_METHOD,
                  iterations=DEFAULT_ITERATIONS, salt_length=SALT_CHARS):
    """Hashes a password (unicode or UTF-8 bytes) with a fresh salt."""
    if not HASH_METHODS.has_key(method):
        raise ValueError, 'unknown hash method %r' % method
    if method == 'sha1':
        print >>sys.stderr, 'tokensmith: warning: sha1 password hashes are ' \
            'deprecated, use sha256'
    if iterations < 1:
        raise ValueError, 'iterations must be at least 1'
    salt = gen_salt(salt_length)
    digest = _hash_internal(method, salt, password, iterations)
    return '%s$%d$%s$%s' % (method, iterations, salt, digest)


def split_hash(pwhash):
    """Splits a password hash into (method, iterations, salt, digest);
    raises ValueError for malformed hashes."""
    if pwhash.count('$') != 3:
        raise ValueError, 'malformed password hash'
    fields = iter(pwhash.split('$'))
    method = fields.next()
    iterations = int(fields.next())
    salt = fields.next()
    digest = fields.next()
    if not HASH_METHODS.has_key(method):
        raise ValueError, 'unknown hash method %r' % method
    return method, iterations, salt, digest


def check_password(pwhash, password):
    """True if `password` matches the hash made by hash_password()."""
    try:
        method, iterations, salt, digest = split_hash(pwhash)
    except ValueError, e:
        print >>sys.stderr, 'tokensmith: cannot check password: %s' % e
        return False
    return constant_time_compare(
        _hash_internal(method, salt, password, iterations), digest)


def needs_rehash(pwhash, method=DEFAULT_METHOD,
                 iterations=DEFAULT_ITERATIONS):
    """True if the hash was made with weaker settings than the current
    defaults and should be replaced on the next successful login."""
    try:
        old_method, old_iterations, salt, digest = split_hash(pwhash)
    except ValueError:
        return True
    return old_method != method or old_iterations < iterations


def generate_key(nbytes=32):
    """A random secret key of 2*nbytes hex characters."""
    return os.urandom(nbytes).encode('hex')


def generate_key_file(path, nbytes=32):
    """Writes a new key file (readable by the owner only) and returns the
    key."""
    key = generate_key(nbytes)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0600)
    f = os.fdopen(fd, 'w')
    try:
        f.write('# tokensmith secret keys, newest first\n')
        f.write(key + '\n')
    finally:
        f.close()
    os.chmod(path, 0600)
    return key


def load_key_file(path):
    """Returns the keys of a key file, newest first (ready for KeyRing)."""
    f = file(path)
    try:
        keys = [line.strip() for line in f
                if line.strip() and not line.startswith('#')]
    finally:
        f.close()
    if not keys:
        raise ValueError, 'no keys found in %s' % path
    return keys


def rotate_key_file(path, keep=3, nbytes=32):
    """Puts a fresh key in front of the key file and keeps at most `keep`
    keys.  Returns the new list of keys."""
    keys = [generate_key(nbytes)] + load_key_file(path)
    del keys[keep:]
    tmp_path = path + '.tmp'
    fd = os.open(tmp_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0600)
    f = os.fdopen(fd, 'w')
    try:
        f.write('# tokensmith secret keys, newest first\n')
        for key in keys:
            print >>f, key
    finally:
        f.close()
    os.rename(tmp_path, path)
    return keys


if __name__ == '__main__':
    # python -m tokensmith.passwords PASSWORD  -> a hash for a config file
    if len(sys.argv) != 2:
        print 'usage: python -m tokensmith.passwords PASSWORD'
        sys.exit(2)
    print hash_password(sys.argv[1])
