# -*- coding: utf-8 -*-
"""The App: route registration, dispatch and error handling."""

import itertools
import json
import re
import sys
import traceback
import urllib

from exceptions import HTTPError, NotFound, MethodNotAllowed
from request import Request
from response import Response
from template import escape

_rule_re = re.compile(r'<(?:(?P<converter>[a-z]+):)?(?P<name>\w+)>')

CONVERTERS = {
    'default': (r'[^/]+', lambda s: s),
    'int': (r'\d+', int),
    'path': (r'.+', lambda s: s),
}


class Rule(object):
    """``/user/<int:id>/<name>`` compiled to a regular expression."""

    def __init__(self, rule, endpoint, view, methods):
        self.rule = rule
        self.endpoint = endpoint
        self.view = view
        self.methods = methods
        self.converters = {}
        pattern = []
        pos = 0
        for m in _rule_re.finditer(rule):
            pattern.append(re.escape(rule[pos:m.start()]))
            converter = m.group('converter') or 'default'
            if not CONVERTERS.has_key(converter):
                raise ValueError, 'unknown converter %r in %r' % (converter, rule)
            regex, func = CONVERTERS[converter]
            pattern.append('(?P<%s>%s)' % (m.group('name'), regex))
            self.converters[m.group('name')] = func
            pos = m.end()
        pattern.append(re.escape(rule[pos:]))
        self.regex = re.compile('^%s$' % ''.join(pattern), re.UNICODE)

    def match(self, path):
        m = self.regex.match(path)
        if m is None:
            return None
        values = {}
        for name, value in m.groupdict().iteritems():
            values[name] = self.converters[name](value)
        return values

    def build(self, values):
        def replace(m):
            value = values.pop(m.group('name'))
            return urllib.quote(unicode(value).encode('utf-8'))
        return _rule_re.sub(replace, self.rule)


def redirect(location, code=302):
    """A redirect response; unicode locations are UTF-8 percent-encoded."""
    if isinstance(location, unicode):
        location = urllib.quote(location.encode('utf-8'), safe="/:?&=#%")
    response = Response(u'', status=code)
    response.set_header('Location', location)
    return response


class App(object):

    def __init__(self, name='microframe', debug=False, secret_key='change me'):
        self.name = name
        self.debug = debug
        self.secret_key = secret_key
        self.rules = []
        self.endpoints = {}
        self.error_handlers = {}
        self.middlewares = []
        self._request_ids = itertools.count(1)

    def route(self, rule, methods=('GET',), endpoint=None):
        def decorator(view):
            self.add_rule(rule, view, methods, endpoint)
            return view
        return decorator

    def add_rule(self, rule, view, methods=('GET',), endpoint=None):
        methods = map(str.upper, methods)
        if 'GET' in methods and 'HEAD' not in methods:
            methods.append('HEAD')
        endpoint = endpoint or view.__name__
        if self.endpoints.has_key(endpoint):
            raise ValueError, 'endpoint %r is already registered' % endpoint
        rule_obj = Rule(rule, endpoint, view, methods)
        self.rules.append(rule_obj)
        self.endpoints[endpoint] = rule_obj

    def errorhandler(self, code):
        def decorator(func):
            self.error_handlers[code] = func
            return func
        return decorator

    def url_for(self, endpoint, **values):
        rule = self.endpoints[endpoint]
        path = rule.build(values)
        if values:
            query = [(key, unicode(value).encode('utf-8'))
                     for key, value in sorted(values.iteritems())]
            path += '?' + urllib.urlencode(query)
        return path

    def match(self, request):
        allowed = set()
        for rule in self.rules:
            values = rule.match(request.path)
            if values is None:
                continue
            if request.method in rule.methods:
                return rule, values
            allowed.update(rule.methods)
        if allowed:
            raise MethodNotAllowed(allowed)
        raise NotFound, u'No page at %s' % request.path

    def make_response(self, rv):
        if isinstance(rv, Response):
            return rv
        if isinstance(rv, tuple):
            body, status = rv
            response = self.make_response(body)
            response.status_code = status
            return response
        if isinstance(rv, basestring):
            return Response(rv)
        if isinstance(rv, (dict, list)):
            return Response(json.dumps(rv), content_type='application/json')
        raise TypeError, 'view returned %r' % (rv,)

    def handle_http_error(self, request, error):
        if self.error_handlers.has_key(error.code):
            response = self.make_response(self.error_handlers[error.code](request, error))
            response.status_code = error.code
            return response
        response = Response(error.get_body(), status=error.code)
        for name, value in error.headers():
            response.set_header(name, value)
        return response

    def dispatch(self, request):
        try:
            rule, values = self.match(request)
            rv = apply(rule.view, (request,), values)
            return self.make_response(rv)
        except HTTPError, e:
            return self.handle_http_error(request, e)

    def wsgi_app(self, environ, start_response):
        request = Request(environ)
        request.id = self._request_ids.next()
        errors = environ['wsgi.errors']
        try:
            response = self.dispatch(request)
        except Exception, e:
            print >>errors, '[%s #%d] %s %s failed: %r' % (
                self.name, request.id, request.method, environ.get('PATH_INFO'), e)
            body = u'<h1>500 Internal Server Error</h1>'
            if self.debug:
                tb = traceback.format_exc().decode('utf-8', 'replace')
                body += u'<pre>%s</pre>' % escape(tb)
            start_response('500 Internal Server Error',
                           [('Content-Type', 'text/html; charset=utf-8'),
                            ('Content-Length', str(len(body)))])
            return [body]
        if self.debug:
            print >>sys.stderr, '[%s #%d] %s %s -> %s' % (
                self.name, request.id, request.method, environ.get('PATH_INFO'),
                response.status)
        return response(environ, start_response)

    def __call__(self, environ, start_response):
        stack = reduce(lambda app, middleware: middleware(app),
                       self.middlewares, self.wsgi_app)
        return stack(environ, start_response)
