# -*- coding: utf-8 -*-
"""Regex based URL dispatch on PATH_INFO and REQUEST_METHOD."""

import re
import sys

from webutil import wsgi_text


class NotFound(Exception):
    pass


class MethodNotAllowed(Exception):

    def __init__(self, allowed):
        Exception.__init__(self, 'method not allowed')
        self.allowed = allowed


class Route(object):

    def __init__(self, pattern, handler, methods, name):
        self.regex = re.compile(pattern, re.UNICODE)
        self.handler = handler
        self.methods = methods
        self.name = name

    def match(self, path):
        m = self.regex.match(path)
        if m is None:
            return None
        return m.groupdict()


class Router(object):
    """Routes are tried in the order they were added.

    ``pattern`` is a regular expression matched against the *decoded*
    (unicode) path; named groups become keyword arguments of the handler.
    """

    def __init__(self, debug=False):
        self.routes = []
        self.by_name = {}
        self.debug = debug

    def add(self, pattern, handler, methods=('GET',), name=None):
        route = Route(pattern, handler, methods, name or handler.__name__)
        self.routes.append(route)
        self.by_name[route.name] = route
        return route

    def names(self):
        names = self.by_name.keys()
        names.sort()
        return names

    def resolve(self, environ):
        """Return ``(handler, kwargs)`` or raise NotFound/MethodNotAllowed."""
        path = wsgi_text(environ, 'PATH_INFO', '/')
        method = environ.get('REQUEST_METHOD', 'GET').upper()
        if method == 'HEAD':
            method = 'GET'
        allowed = []
        for i in xrange(len(self.routes)):
            route = self.routes[i]
            kwargs = route.match(path)
            if kwargs is None:
                continue
            if method in route.methods:
                if self.debug:
                    print >>sys.stderr, 'route %d (%s) matched' % (i, route.name)
                return route.handler, kwargs
            allowed.extend(route.methods)
        if allowed:
            raise MethodNotAllowed(sorted(set(allowed)))
        raise NotFound, path


PRODUCT_PAGE = ur'^/product/(?P<product_id>\d+)(?:/(?P<slug>[^/]+))?/?$'
