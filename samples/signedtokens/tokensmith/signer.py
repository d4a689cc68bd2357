"""Signers: append an HMAC signature to a byte string and check it again.

A Signer is built from one secret key or from a KeyRing of several keys.
The first key of the ring signs, every key of the ring verifies, so keys
can be rotated without logging everybody out.
"""
import hashlib
import hmac

from tokensmith import encoding
from tokensmith.encoding import want_bytes, base64_encode, base64_decode, \
    int_to_bytes, bytes_to_int, constant_time_compare, BASE64_ALPHABET
from tokensmith.exc import BadData, BadSignature, BadTimeSignature, \
    SignatureExpired
from tokensmith.clock import EPOCH, default_clock

DEBUG = False


class KeyRing(object):
    """An ordered list of secret keys, newest first."""

    def __init__(self, secret_keys, max_keys=3):
        if isinstance(secret_keys, basestring):
            secret_keys = [secret_keys]
        self.keys = [want_bytes(key) for key in secret_keys]
        self.max_keys = max_keys
        if not self.keys:
            raise ValueError, 'a KeyRing needs at least one secret key'

    def __iter__(self):
        return iter(self.keys)

    def __len__(self):
        return len(self.keys)

    @property
    def current(self):
        """The key used for signing."""
        return self.keys[0]

    def rotate(self, new_key):
        """Makes `new_key` the signing key.  Older keys stay valid for
        verification until more than max_keys keys are on the ring."""
        self.keys.insert(0, want_bytes(new_key))
        del self.keys[self.max_keys:]
        if DEBUG:
            encoding.debug('rotated keys, %d on the ring' % len(self.keys))

    def fingerprints(self):
        """Short hex fingerprints of the keys, safe to log."""
        return [encoding.sha1_hexdigest(key)[:8] for key in self.keys]


class Verification(object):
    """The result of Signer.verify_signature().  It is true if the
    signature matched; `key_index` says which key of the ring matched."""

    def __init__(self, valid, key_index=None):
        self.valid = valid
        self.key_index = key_index

    @property
    def needs_resign(self):
        """True if the value was signed by an older key of the ring."""
        return self.valid and self.key_index > 0

    def __nonzero__(self):
        return self.valid

    def __repr__(self):
        return '<Verification valid=%r key_index=%r>' % (self.valid,
                                                         self.key_index)


class Signer(object):
    """Signs byte strings with HMAC and verifies them again.

    The signature is base64 encoded and separated from the value by `sep`.
    `key_derivation` is one of 'concat', 'django-concat', 'hmac' or 'none'.
    """

    default_digest_method = staticmethod(hashlib.sha256)
    default_key_derivation = 'django-concat'

    def __init__(self, secret_key, salt='tokensmith.Signer', sep='.',
                 key_derivation=None, digest_method=None):
        if isinstance(secret_key, KeyRing):
            self.keyring = secret_key
        else:
            self.keyring = KeyRing(secret_key)
        if sep in BASE64_ALPHABET:
            raise ValueError, 'The given separator cannot be used because ' \
                'it may be contained in the signature itself.'
        self.sep = sep
        self.salt = salt
        if key_derivation is None:
            key_derivation = self.default_key_derivation
        self.key_derivation = key_derivation
        if digest_method is None:
            digest_method = self.default_digest_method
        self.digest_method = digest_method

    def derive_key(self, secret_key):
        """Derives the HMAC key from a secret key and the salt, so that one
        secret can serve several purposes without signatures being valid
        for another purpose."""
        secret_key = want_bytes(secret_key)
        if self.key_derivation == 'concat':
            return self.digest_method(want_bytes(self.salt) +
                                      secret_key).digest()
        elif self.key_derivation == 'django-concat':
            salt = want_bytes(self.salt)
            return self.digest_method(salt + 'signer' + secret_key).digest()
        elif self.key_derivation == 'hmac':
            mac = hmac.new(secret_key, digestmod=self.digest_method)
            mac.update(self.salt)
            return mac.digest()
        elif self.key_derivation == 'none':
            return secret_key
        raise TypeError, 'Unknown key derivation method %r' % (
            self.key_derivation,)

    def get_signature(self, value, secret_key=None):
        """Returns the base64 encoded signature for `value` (signed with
        the current key unless `secret_key` is given)."""
        if secret_key is None:
            secret_key = self.keyring.current
        key = self.derive_key(secret_key)
        mac = hmac.new(key, want_bytes(value), self.digest_method)
        return base64_encode(mac.digest())

    def sign(self, value):
        """Signs the given byte string: returns 'value<sep>signature'."""
        value = want_bytes(value)
        return '%s%s%s' % (value, self.sep, self.get_signature(value))

    def verify_signature(self, value, sig):
        """Checks `sig` against every key of the ring."""
        value = want_bytes(value)
        try:
            sig = base64_decode(sig)
        except BadData:
            return Verification(False)
        for index, secret_key in enumerate(self.keyring):
            key = self.derive_key(secret_key)
            mac = hmac.new(key, value, self.digest_method)
            if constant_time_compare(sig, mac.digest()):
                if DEBUG and index:
                    encoding.debug('value signed with old key #%d' % index)
                return Verification(True, key_index=index)
        return Verification(False)

    def unsign(self, signed_value):
        """Returns the value (a byte string) if the signature is valid,
        raises BadSignature otherwise."""
        signed_value = want_bytes(signed_value)
        sep = want_bytes(self.sep)
        if sep not in signed_value:
            raise BadSignature('No "%s" found in value' % self.sep)
        value, sig = signed_value.rsplit(sep, 1)
        if self.verify_signature(value, sig):
            return value
        raise BadSignature('Signature does not match', payload=value)

    def validate(self, signed_value):
        """Just validates the signed value: returns True or False."""
        try:
            self.unsign(signed_value)
            return True
        except BadSignature:
            return False


class TimestampSigner(Signer):
    """Works like the regular Signer but also records the time of the
    signing and can be used to expire signatures."""

    def __init__(self, secret_key, salt='tokensmith.TimestampSigner',
                 clock=None, **kwargs):
        Signer.__init__(self, secret_key, salt=salt, **kwargs)
        self.clock = clock or default_clock

    def get_timestamp(self):
        """Seconds since the tokensmith EPOCH, as an integer."""
        return self.clock.now() - EPOCH

    def sign(self, value):
        """Signs the given byte string and appends a timestamp."""
        value = want_bytes(value)
        sep = want_bytes(self.sep)
        timestamp = base64_encode(int_to_bytes(self.get_timestamp()))
        value = value + sep + timestamp
        return value + sep + self.get_signature(value)

    def unsign(self, value, max_age=None, return_timestamp=False):
        """Works like the regular Signer.unsign() but can also validate the
        time.  With `return_timestamp` a (value, unix time) tuple is
        returned."""
        try:
            result = Signer.unsign(self, value)
            sig_error = None
        except BadSignature, e:
            sig_error = e
            result = e.payload or ''
        sep = want_bytes(self.sep)
        if sep not in result:
            if sig_error:
                raise sig_error
            raise BadTimeSignature('timestamp missing', payload=result)

        value, timestamp = result.rsplit(sep, 1)
        try:
            timestamp = bytes_to_int(base64_decode(timestamp))
        except BadData:
            timestamp = None

        if sig_error is not None:
            raise BadTimeSignature(unicode(sig_error), payload=value,
                                   date_signed=timestamp)
        if timestamp is None:
            raise BadTimeSignature('Malformed timestamp', payload=value)

        if max_age is not None:
            if not isinstance(max_age, (int, long)):
                raise TypeError, 'max_age must be a whole number of seconds'
            age = self.get_timestamp() - timestamp
            if age > max_age:
                raise SignatureExpired(
                    'Signature age %s > %s seconds' % (age, max_age),
                    payload=value, date_signed=timestamp + EPOCH)

        if return_timestamp:
            return value, timestamp + EPOCH
        return value

    def validate(self, signed_value, max_age=None):
        """Just validates the given signed value."""
        try:
            self.unsign(signed_value, max_age=max_age)
            return True
        except BadSignature:
            return False
