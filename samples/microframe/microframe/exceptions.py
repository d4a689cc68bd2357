# -*- coding: utf-8 -*-
"""HTTP errors that views may raise; the App turns them into responses."""

import httplib
import string


class HTTPError(Exception):
    code = 500
    description = u'Something went wrong.'

    def __init__(self, description=None, code=None):
        Exception.__init__(self, description)
        if description is not None:
            self.description = description
        if code is not None:
            self.code = code

    @property
    def name(self):
        return httplib.responses.get(self.code, 'Unknown Error')

    def __unicode__(self):
        return u'%d %s: %s' % (self.code, self.name, self.description)

    def __str__(self):
        return unicode(self).encode('utf-8')

    def headers(self):
        return []

    def get_body(self):
        from template import escape
        return u'<!DOCTYPE html>\n<title>%d %s</title>\n<h1>%s</h1>\n<p>%s</p>\n' % (
            self.code, escape(self.name), escape(self.name), escape(self.description))


class BadRequest(HTTPError):
    code = 400
    description = u'The browser sent a request this server could not understand.'


class NotFound(HTTPError):
    code = 404
    description = u'The requested URL was not found on the server.'


class MethodNotAllowed(HTTPError):
    code = 405
    description = u'The method is not allowed for the requested URL.'

    def __init__(self, valid_methods=(), description=None):
        HTTPError.__init__(self, description)
        self.valid_methods = sorted(valid_methods)

    def headers(self):
        return [('Allow', string.join(self.valid_methods, ', '))]


class RequestTooLarge(HTTPError):
    code = 413
    description = u'The request body is too large.'
