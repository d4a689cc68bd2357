"""Serializers: sign whole data structures instead of byte strings.

The payload is serialised with JSON.  URL safe serializers additionally
compress the JSON with zlib when that makes it shorter and base64 encode
it, so the token can go into a URL or a cookie.
"""
import hashlib
import zlib

try:
    import simplejson as json
except ImportError:
    import json

from tokensmith.encoding import want_bytes, base64_encode, base64_decode
from tokensmith.exc import BadData, BadHeader, BadPayload, BadSignature, \
    SignatureExpired
from tokensmith.signer import Signer, TimestampSigner


class Serializer(object):
    """Signs and serialises JSON compatible objects."""

    default_signer = Signer

    def __init__(self, secret_key, salt='tokensmith', signer=None,
                 signer_kwargs=None):
        self.secret_key = secret_key
        self.salt = salt
        if signer is None:
            signer = self.default_signer
        self.signer = signer
        self.signer_kwargs = signer_kwargs or {}

    def dump_payload(self, obj):
        """Dumps the encoded object as JSON (a byte string)."""
        return json.dumps(obj, separators=(',', ':'), sort_keys=True)

    def load_payload(self, payload):
        """Loads the encoded object (the JSON byte string)."""
        try:
            return json.loads(payload)
        except ValueError, e:
            raise BadPayload('Could not load the payload because an '
                             'exception occurred on unserializing the '
                             'data: %s' % e[0], original_error=e)

    def make_signer(self, salt=None):
        """Creates a new signer instance for the given salt."""
        if salt is None:
            salt = self.salt
        return self.signer(self.secret_key, salt=salt, **self.signer_kwargs)

    def dumps(self, obj, salt=None):
        """Returns a signed string serialised with the internal serializer.
        The result is a plain str, ready for a header or a URL."""
        payload = want_bytes(self.dump_payload(obj))
        rv = self.make_signer(salt).sign(payload)
        return str(rv)

    def dump(self, obj, f, salt=None):
        """Like dumps() but writes the token into a file object."""
        f.write(self.dumps(obj, salt))

    def loads(self, s, salt=None):
        """Reverse of dumps(), raises BadSignature if the signature
        validation fails."""
        s = want_bytes(s)
        return self.load_payload(self.make_signer(salt).unsign(s))

    def load(self, f, salt=None):
        """Like loads() but reads from a file object."""
        return self.loads(f.read(), salt)

    def loads_unsafe(self, s, salt=None):
        """Like loads() but without verifying the signature.  Returns a
        (signature_okay, payload) tuple.  Never trust the payload!"""
        try:
            return True, self.loads(s, salt=salt)
        except BadSignature, e:
            if e.payload is None:
                return False, None
            try:
                return False, self.load_payload(e.payload)
            except BadPayload:
                return False, None


class TimedSerializer(Serializer):
    """Uses the TimestampSigner instead of the default Signer."""

    default_signer = TimestampSigner

    def loads(self, s, max_age=None, return_timestamp=False, salt=None):
        """Reverse of dumps(); raises SignatureExpired if the token is
        older than `max_age` seconds."""
        base64d, timestamp = self.make_signer(salt).unsign(
            s, max_age, return_timestamp=True)
        payload = self.load_payload(base64d)
        if return_timestamp:
            return payload, timestamp
        return payload

    def is_expired(self, s, max_age, salt=None):
        """True if the token is correctly signed but too old."""
        try:
            self.loads(s, max_age=max_age, salt=salt)
        except SignatureExpired:
            return True
        except BadData:
            return False
        return False


class URLSafeSerializerMixin(object):
    """Compresses the JSON with zlib if that helps, and base64 encodes it
    without padding.  A leading '.' marks a compressed payload."""

    def dump_payload(self, obj):
        json_str = super(URLSafeSerializerMixin, self).dump_payload(obj)
        is_compressed = False
        compressed = zlib.compress(json_str)
        if len(compressed) < (len(json_str) - 1):
            json_str = compressed
            is_compressed = True
        base64d = base64_encode(json_str)
        if is_compressed:
            base64d = '.' + base64d
        return base64d

    def load_payload(self, payload):
        payload = want_bytes(payload)
        if not payload:
            raise BadPayload('empty payload')
        decompress = False
        if payload[0] == '.':
            payload = payload[1:]
            decompress = True
        try:
            json_bytes = base64_decode(payload)
        except BadData, e:
            raise BadPayload('Could not base64 decode the payload because '
                             'of an exception', original_error=e)
        if decompress:
            try:
                json_bytes = zlib.decompress(json_bytes)
            except zlib.error, e:
                raise BadPayload('Could not zlib decompress the payload '
                                 'before decoding the payload',
                                 original_error=e)
        return super(URLSafeSerializerMixin, self).load_payload(json_bytes)


class URLSafeSerializer(URLSafeSerializerMixin, Serializer):
    """Works like Serializer but dumps and loads into a URL safe string
    consisting of the upper and lowercase character of the alphabet as well
    as '_', '-' and '.'."""


class URLSafeTimedSerializer(URLSafeSerializerMixin, TimedSerializer):
    """Works like TimedSerializer but dumps and loads into a URL safe
    string."""


class JSONWebSignatureSerializer(Serializer):
    """A compact JSON Web Signature (header.payload.signature) serializer
    for the HMAC algorithms."""

    jws_algorithms = {
        'HS256': hashlib.sha256,
        'HS384': hashlib.sha384,
        'HS512': hashlib.sha512,
    }
    default_algorithm = 'HS256'

    def __init__(self, secret_key, salt=None, algorithm_name=None,
                 extra_headers=None):
        Serializer.__init__(self, secret_key, salt=salt)
        if algorithm_name is None:
            algorithm_name = self.default_algorithm
        if not self.jws_algorithms.has_key(algorithm_name):
            raise NotImplementedError, 'Algorithm %s not supported' % (
                algorithm_name,)
        self.algorithm_name = algorithm_name
        self.extra_headers = extra_headers or {}

    def make_signer(self, salt=None):
        if salt is None:
            salt = self.salt
        key_derivation = salt is None and 'none' or 'django-concat'
        return Signer(self.secret_key, salt=salt or '', sep='.',
                      key_derivation=key_derivation,
                      digest_method=self.jws_algorithms[self.algorithm_name])

    def make_header(self, header_fields=None):
        header = {}
        for key, value in self.extra_headers.iteritems():
            header[key] = value
        if header_fields:
            for key, value in header_fields.iteritems():
                header[key] = value
        header['alg'] = self.algorithm_name
        return header

    def dumps(self, obj, salt=None, header_fields=None):
        """Returns the compact serialisation header.payload.signature as a
        byte string."""
        header = self.make_header(header_fields)
        header_b64 = base64_encode(self.dump_payload(header))
        payload_b64 = base64_encode(self.dump_payload(obj))
        signer = self.make_signer(salt)
        return signer.sign(header_b64 + '.' + payload_b64)

    def loads(self, s, salt=None, return_header=False):
        signed = self.make_signer(salt).unsign(want_bytes(s))
        if '.' not in signed:
            raise BadPayload('No "." found in value')
        header_b64, payload_b64 = signed.split('.', 1)
        try:
            header = self.load_payload(base64_decode(header_b64))
        except BadData, e:
            raise BadHeader('Could not load the header', payload=signed,
                            original_error=e)
        if not isinstance(header, dict):
            raise BadHeader('Header payload is not a JSON object',
                            header=header)
        if not header.has_key('alg') or header['alg'] != self.algorithm_name:
            raise BadHeader('Algorithm mismatch', header=header,
                            payload=signed)
        payload = self.load_payload(base64_decode(payload_b64))
        if return_header:
            return payload, header
        return payload
