# -*- coding: utf-8 -*-
import base64
import hashlib
import json
import unittest

from minishop import make_app
from tests.helpers import call


def post_json(app, path, data):
    body = json.dumps(data).encode('utf-8')
    return call(app, 'POST', path, body=body, content_type='application/json')


def decode(result):
    return json.loads(result.body.decode('utf-8'))


class ProductApiTests(unittest.TestCase):

    def setUp(self):
        self.app = make_app()

    def test_list_products(self):
        result = call(self.app, 'GET', u'/api/products')
        self.assertEqual(result.code, 200)
        self.assertEqual(result.header('Content-Type'), 'application/json')
        self.assertEqual(int(result.header('Content-Length')), len(result.body))
        data = decode(result)
        self.assertEqual(data['count'], 5)
        names = set(p['name'] for p in data['products'])
        self.assertTrue(u'Rocket Mug 🚀' in names)
        self.assertTrue(u'日本茶 Sencha' in names)
        rocket = [p for p in data['products'] if p['id'] == 4][0]
        self.assertEqual(rocket['slug'], u'rocket-mug-🚀')
        self.assertEqual(rocket['in_stock'], False)

    def test_body_is_ascii_json_with_md5(self):
        result = call(self.app, 'GET', u'/api/products')
        self.assertTrue(b'\\u65e5\\u672c' in result.body)
        expected = base64.b64encode(hashlib.md5(result.body).digest()).decode('ascii')
        self.assertEqual(result.header('Content-MD5'), expected)

    def test_get_product(self):
        data = decode(call(self.app, 'GET', u'/api/products/1'))
        self.assertEqual(data['name'], u'Café Crème')
        self.assertEqual(data['label'], u'Café Crème (3.50 \u20ac)')
        self.assertEqual(data['description'], u'Doppelter Espresso mit Milch')

    def test_get_missing_product(self):
        result = call(self.app, 'GET', u'/api/products/77')
        self.assertEqual(result.code, 404)
        self.assertEqual(decode(result), {u'error': u'no product 77', u'status': 404})


class CartApiTests(unittest.TestCase):

    def setUp(self):
        self.app = make_app()

    def test_price_cart(self):
        result = post_json(self.app, u'/api/cart',
                           {'items': {'1': 2, '3': 1}, 'note': u'Für 日本 🚀'})
        self.assertEqual(result.code, 200)
        self.assertEqual(decode(result), {
            u'count': 3, u'total_cents': 1950,
            u'note': u'Für 日本 🚀', u'note_chars': 8})

    def test_invalid_json(self):
        result = call(self.app, 'POST', u'/api/cart', body=b'{"items": ',
                      content_type='application/json')
        self.assertEqual(result.code, 400)
        self.assertTrue(decode(result)['error'].startswith(u'invalid JSON: '))

    def test_not_an_object(self):
        result = post_json(self.app, u'/api/cart', [1, 2])
        self.assertEqual(result.code, 400)

    def test_bad_quantity(self):
        for qty in (u'2', 1.5, True):
            result = post_json(self.app, u'/api/cart', {'items': {'1': qty}})
            self.assertEqual(result.code, 400, qty)
        result = post_json(self.app, u'/api/cart', {'items': {'1': 500}})
        self.assertEqual(result.code, 400)
        self.assertTrue(u'out of range' in decode(result)['error'])

    def test_unknown_product(self):
        result = post_json(self.app, u'/api/cart', {'items': {'42': 1}})
        self.assertEqual(result.code, 404)

    def test_bad_note(self):
        result = post_json(self.app, u'/api/cart', {'items': {}, 'note': 5})
        self.assertEqual(result.code, 400)

    def test_get_not_allowed(self):
        result = call(self.app, 'GET', u'/api/cart')
        self.assertEqual(result.code, 405)
        self.assertEqual(result.header('Allow'), 'POST')


if __name__ == '__main__':
    unittest.main()
