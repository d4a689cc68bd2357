# -*- coding: utf-8 -*-
"""Exceptions raised by tokensmith.

Every exception carries a human readable message.  Messages are kept as
unicode internally so that they can be shown in a localised web page; the
byte string form is UTF-8.
"""


class BadData(Exception):
    """Raised if bad data of any sort was encountered.  This is the base
    for all exceptions that tokensmith raises for untrusted input."""

    def __init__(self, message):
        Exception.__init__(self, message)
        self.msg = message

    def __unicode__(self):
        if isinstance(self.msg, unicode):
            return self.msg
        return self.msg.decode('utf-8', 'replace')

    def __str__(self):
        return unicode(self).encode('utf-8')


class BadSignature(BadData):
    """Raised if a signature does not match.  The unverified payload is
    kept on the exception (as `payload`) for debugging; never trust it."""

    def __init__(self, message, payload=None):
        BadData.__init__(self, message)
        self.payload = payload


class BadTimeSignature(BadSignature):
    """Raised for time based signatures that fail.  `date_signed` is the
    unix time the value was signed at, if it could be recovered."""

    def __init__(self, message, payload=None, date_signed=None):
        BadSignature.__init__(self, message, payload)
        self.date_signed = date_signed


class SignatureExpired(BadTimeSignature):
    """Raised if a signature is valid but older than the allowed max_age."""


class BadHeader(BadSignature):
    """Raised if a signed header is invalid in some form."""

    def __init__(self, message, payload=None, header=None, original_error=None):
        BadSignature.__init__(self, message, payload)
        self.header = header
        self.original_error = original_error


class BadPayload(BadData):
    """Raised if the payload could not be unserialized although the
    signature matched."""

    def __init__(self, message, original_error=None):
        BadData.__init__(self, message)
        self.original_error = original_error
