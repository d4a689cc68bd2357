# -*- coding: utf-8 -*-
"""microframe - request/response objects and routing in a few hundred lines.

    from microframe import App, Response

    app = App(__name__)

    @app.route('/hello/<name>')
    def hello(request, name):
        return u'Hello, %s!' % name
"""

__version__ = '0.9'

from app import App, redirect
from datastructures import MultiDict
from exceptions import HTTPError, NotFound, BadRequest, MethodNotAllowed
from request import Request
from response import Response
from template import Template, Markup, escape
