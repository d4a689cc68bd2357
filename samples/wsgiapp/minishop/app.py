# -*- coding: utf-8 -*-
"""The WSGI entry point: routing, error pages and access logging."""

import traceback

import api
import views
from catalog import demo_catalog
from forms import FormError
from routing import Router, NotFound, MethodNotAllowed
from storage import UploadStore
from webutil import text_response, html_response, accepts_json


class ShopApp(object):
    """The shop as a WSGI callable."""

    def __init__(self, catalog=None, upload_dir=None, webhook_url=None,
                 opener=None, debug=False):
        if catalog is None:
            catalog = demo_catalog()
        self.catalog = catalog
        self.uploads = UploadStore(upload_dir)
        self.webhook_url = webhook_url
        self.opener = opener
        self.debug = debug
        self.router = Router(debug)
        views.register(self.router)
        api.register(self.router)

    def handle(self, environ):
        try:
            handler, kwargs = self.router.resolve(environ)
            return handler(self, environ, **kwargs)
        except NotFound, e:
            if accepts_json(environ):
                return api.json_error(404, u'not found')
            return text_response(u'404 Not Found\n', 404)
        except MethodNotAllowed, e:
            response = text_response(u'405 Method Not Allowed\n', 405)
            response.add_header('Allow', ', '.join(e.allowed))
            return response
        except FormError, e:
            return text_response(u'400 Bad Request: %s\n' % e, 400)

    def __call__(self, environ, start_response):
        errors = environ['wsgi.errors']
        try:
            response = self.handle(environ)
        except Exception, e:
            traceback.print_exc(file=errors)
            page = u'<h1>Internal Server Error</h1>'
            if self.debug:
                page += u'<pre>%s</pre>' % repr(e)
            response = html_response(page, 500)
        print >>errors, 'minishop: %s %s -> %d' % (
            environ.get('REQUEST_METHOD'), environ.get('PATH_INFO'), response.code)
        app_iter = response(start_response)
        if environ.get('REQUEST_METHOD') == 'HEAD':
            return []
        return app_iter


def make_app(**options):
    return ShopApp(**options)
