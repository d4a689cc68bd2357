# -*- coding: utf-8 -*-
"""A small JSON API next to the HTML pages."""

import json

from catalog import Cart
from forms import read_body
from webutil import Response, content_md5


def json_response(data, code=200):
    body = json.dumps(data, sort_keys=True)
    response = Response(body, code, 'application/json')
    response.add_header('Content-MD5', content_md5(body))
    return response


def json_error(code, message):
    return json_response({'error': message, 'status': code}, code)


def list_products(shop, environ):
    products = [p.to_dict() for p in shop.catalog.all()]
    return json_response({'products': products, 'count': len(products)})


def get_product(shop, environ, product_id):
    product = shop.catalog.get(int(product_id))
    if product is None:
        return json_error(404, u'no product %s' % product_id)
    data = product.to_dict()
    data['description'] = product.description
    data['label'] = unicode(product)
    return json_response(data)


def price_cart(shop, environ):
    """POST {"items": {"<id>": qty, ...}, "note": "..."} -> totals."""
    raw = read_body(environ)
    try:
        payload = json.loads(raw)
    except ValueError, e:
        return json_error(400, 'invalid JSON: %s' % e.message)
    if not isinstance(payload, dict):
        return json_error(400, 'expected an object')
    items = payload.get('items', {})
    cart = Cart()
    for key, qty in items.iteritems():
        if not isinstance(qty, (int, long)) or isinstance(qty, bool):
            return json_error(400, u'quantity for %s must be an integer' % key)
        try:
            product_id = int(key)
            cart.add(product_id, qty)
        except ValueError, e:
            return json_error(400, unicode(e))
        if shop.catalog.get(product_id) is None:
            return json_error(404, u'no product %s' % key)
    note = payload.get('note', u'')
    if not isinstance(note, basestring):
        return json_error(400, 'note must be a string')
    return json_response({
        'count': cart.count(),
        'total_cents': cart.total_cents(shop.catalog),
        'note': note,
        'note_chars': len(note),
    })


def register(router):
    router.add(r'^/api/products$', list_products)
    router.add(r'^/api/products/(?P<product_id>\d+)$', get_product)
    router.add(r'^/api/cart$', price_cart, ('POST',))
