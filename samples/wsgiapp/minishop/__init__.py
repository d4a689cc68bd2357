# -*- coding: utf-8 -*-
"""minishop - a tiny shop written against the bare WSGI spec.

No framework, just the standard library.  Use :func:`make_app` to get a
WSGI callable::

    from minishop import make_app
    application = make_app()
"""

__version__ = '0.4.1'

from app import ShopApp, make_app
