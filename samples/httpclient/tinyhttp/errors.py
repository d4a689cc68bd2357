"""Exceptions raised by tinyhttp."""
import httplib


class HTTPError(httplib.HTTPException):
    """Base class of every tinyhttp error.  `url` is the URL of the
    request that failed, if known."""

    def __init__(self, message, url=None):
        httplib.HTTPException.__init__(self, message)
        self.text = message
        self.url = url

    def __unicode__(self):
        text = self.text
        if isinstance(text, str):
            text = text.decode('utf-8', 'replace')
        if self.url:
            return u'%s (%s)' % (text, self.url)
        return text

    def __str__(self):
        return unicode(self).encode('utf-8')


class ConnectionError(HTTPError):
    """The TCP connection could not be established."""


class Timeout(HTTPError):
    """The server did not answer in time."""


class ProtocolError(HTTPError):
    """The server sent something that is not valid HTTP."""


class TooManyRedirects(HTTPError):
    """The redirect limit was exceeded."""


class StatusError(HTTPError):
    """Raised by Response.raise_for_status() for 4xx and 5xx answers."""

    def __init__(self, response):
        HTTPError.__init__(self, '%d %s' % (response.status, response.reason),
                           response.url)
        self.response = response
