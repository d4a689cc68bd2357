# -*- coding: utf-8 -*-
import unittest

try:
    from urllib2 import HTTPError, URLError
except ImportError:
    from urllib.error import HTTPError, URLError

from minishop import notify
from minishop.catalog import Cart, demo_catalog


class FakeResponse(object):

    def __init__(self, code):
        self.code = code
        self.closed = False

    def getcode(self):
        return self.code

    def close(self):
        self.closed = True


class FakeOpener(object):

    def __init__(self, code=200, error=None):
        self.code = code
        self.error = error
        self.requests = []
        self.responses = []

    def open(self, request, timeout=None):
        self.requests.append(request)
        if self.error is not None:
            raise self.error
        response = FakeResponse(self.code)
        self.responses.append(response)
        return response


class NotifyTests(unittest.TestCase):

    def setUp(self):
        self.catalog = demo_catalog()
        self.cart = Cart({1: 2})

    def test_request_is_urlencoded_post(self):
        request = notify.build_order_request('http://backoffice.example.org/orders',
                                             self.cart, u'Zoë', self.catalog)
        self.assertEqual(request.get_method(), 'POST')
        self.assertEqual(request.get_full_url(), 'http://backoffice.example.org/orders')
        self.assertEqual(request.data, b'customer=Zo%C3%AB&items=1%3A2&total=700')
        self.assertEqual(request.get_header('Content-type'),
                         'application/x-www-form-urlencoded')

    def test_send_order(self):
        opener = FakeOpener(201)
        status = notify.send_order('http://backoffice.example.org/orders', self.cart,
                                   u'日本', self.catalog, opener=opener)
        self.assertEqual(status, 201)
        self.assertEqual(len(opener.requests), 1)
        self.assertTrue(opener.responses[0].closed)

    def test_http_error(self):
        error = HTTPError('http://backoffice.example.org/orders', 503, 'Busy', {}, None)
        status = notify.send_order('http://backoffice.example.org/orders', self.cart,
                                   u'x', self.catalog, opener=FakeOpener(error=error))
        self.assertEqual(status, 503)

    def test_network_error(self):
        status = notify.send_order('http://backoffice.example.org/orders', self.cart,
                                   u'x', self.catalog,
                                   opener=FakeOpener(error=URLError('no route')))
        self.assertEqual(status, None)


if __name__ == '__main__':
    unittest.main()
