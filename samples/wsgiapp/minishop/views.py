# -*- coding: utf-8 -*-
"""HTML pages of the shop.  Every handler takes (shop, environ, **kwargs)."""

import base64
import hashlib
import urllib

from catalog import Cart
from forms import parse_urlencoded, parse_multipart, parse_query, FormError
from webutil import (Response, escape, html_response, redirect, parse_cookies,
                     encode_cookie_text, decode_cookie_text, product_etag,
                     new_token)
import notify

PAGE = u'''<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>%(title)s</title></head>
<body><h1>%(title)s</h1>
%(content)s
<p class="cart">Cart: %(cart_count)d item(s)</p>
</body></html>
'''


def layout(environ, title, content):
    cart = Cart.parse(parse_cookies(environ).get('cart', ''))
    return PAGE % {'title': escape(title), 'content': content,
                   'cart_count': cart.count()}


def product_url(product):
    """The canonical, *unquoted* path of a product page (unicode)."""
    return u'/product/%d/%s' % (product.id, product.slug)


def href(path):
    return urllib.quote(path.encode('utf-8'), safe='/')


def product_list(products):
    if not products:
        return u'<p>No products.</p>'
    rows = []
    for product in products:
        rows.append(u'<li><a href="%s">%s</a> %s</li>' % (
            href(product_url(product)), escape(product.name),
            escape(product.price_label())))
    return u'<ul>\n%s\n</ul>' % u'\n'.join(rows)


def index(shop, environ):
    cookies = parse_cookies(environ)
    greeting = u''
    if cookies.has_key('who'):
        who = decode_cookie_text(cookies['who'])
        if who:
            greeting = u'<p class="hello">Hello, %s!</p>\n' % escape(who)
    order = parse_query(environ).get(u'order', u'name')
    content = greeting + product_list(shop.catalog.all(order=order))
    return html_response(layout(environ, u'Minishop', content))


def product_page(shop, environ, product_id, slug=None):
    product = shop.catalog.get(int(product_id))
    if product is None:
        return html_response(layout(environ, u'Not found',
                                    u'<p>No such product.</p>'), 404)
    if slug != product.slug:
        return redirect(product_url(product), 301)
    etag = product_etag(product)
    if environ.get('HTTP_IF_NONE_MATCH') == etag:
        response = Response('', 304)
        response.headers = [('ETag', etag)]
        return response
    content = u'<p class="price">%s</p>\n<p>%s</p>\n' % (
        escape(product.price_label()), escape(product.description))
    content += (u'<form method="post" action="/cart">'
                u'<input type="hidden" name="product_id" value="%d">'
                u'<input name="qty" value="1"><input name="name">'
                u'<button>Add to cart</button></form>' % product.id)
    response = html_response(layout(environ, product.name, content))
    response.add_header('ETag', etag)
    return response


def rename_product(shop, environ, product_id):
    product = shop.catalog.get(int(product_id))
    if product is None:
        return html_response(u'<p>No such product.</p>', 404)
    form = parse_urlencoded(environ)
    new_name = form.get('new_name', u'').strip()
    if not new_name:
        raise FormError, 'new_name is required'
    product.rename(new_name)
    return redirect(product_url(product))


def search(shop, environ):
    query = parse_query(environ).get(u'q', u'')
    hits = shop.catalog.search(query)
    content = u'<p>%d result(s) for <em>%s</em></p>\n%s' % (
        len(hits), escape(query), product_list(hits))
    return html_response(layout(environ, u'Search', content))


def add_to_cart(shop, environ):
    form = parse_urlencoded(environ)
    cart = Cart.parse(parse_cookies(environ).get('cart', ''))
    try:
        product_id = int(form.get('product_id', u'0'))
        qty = int(form.get('qty', u'1') or u'1')
    except ValueError, e:
        raise FormError, 'bad number: %s' % e
    if shop.catalog.get(product_id) is None:
        raise FormError, 'unknown product %d' % product_id
    cart.add(product_id, qty)
    response = redirect(u'/cart')
    response.set_cookie('cart', cart.serialize())
    name = form.get('name', u'').strip()
    if name:
        response.set_cookie('who', encode_cookie_text(name))
    return response


def show_cart(shop, environ):
    cart = Cart.parse(parse_cookies(environ).get('cart', ''))
    if not cart:
        return html_response(layout(environ, u'Your cart', u'<p>Your cart is empty.</p>'))
    rows = []
    for product_id, qty in sorted(cart.items.iteritems()):
        product = shop.catalog.get(product_id)
        if product is not None:
            rows.append(u'<li>%d \xd7 %s</li>' % (qty, escape(product.name)))
    total = cart.total_cents(shop.catalog)
    content = u'<ul>%s</ul>\n<p class="total">Total: %d.%02d \u20ac</p>' % (
        u''.join(rows), total // 100, total % 100)
    return html_response(layout(environ, u'Your cart', content))


def checkout(shop, environ):
    cookies = parse_cookies(environ)
    cart = Cart.parse(cookies.get('cart', ''))
    if not cart:
        return redirect(u'/cart')
    customer = decode_cookie_text(cookies.get('who', '')) or u'anonymous'
    if shop.webhook_url:
        notify.send_order(shop.webhook_url, cart, customer, shop.catalog,
                          opener=shop.opener)
    response = redirect(u'/merci/%s' % customer)
    response.delete_cookie('cart')
    return response


def thanks(shop, environ, customer):
    content = u'<p>Merci, %s! Your order is on its way.</p>' % escape(customer)
    return html_response(layout(environ, u'Merci', content))


UPLOAD_FORM = u'''<form method="post" action="/upload" enctype="multipart/form-data">
<input name="caption"><input type="file" name="photo" multiple>
<button>Upload</button></form>'''


def upload_form(shop, environ):
    return html_response(layout(environ, u'Upload', UPLOAD_FORM))


def upload(shop, environ):
    fields, uploads = parse_multipart(environ)
    token = parse_cookies(environ).get('upload_token')
    if not token:
        token = new_token()
    caption = fields.get(u'caption', u'')
    rows = []
    for item in uploads:
        shop.uploads.save(token, item)
        checksum = base64.b64encode(hashlib.md5(item.data).digest())
        preview = item.data[:8].encode('hex')
        rows.append(u'<tr><td>%s</td><td>%s</td><td>%d</td><td>%s</td><td>%s</td></tr>' % (
            escape(item.filename), escape(item.content_type.decode('latin-1')),
            len(item), checksum, preview))
    content = u'<p class="caption">%s</p>\n<table>%s</table>' % (
        escape(caption), u'\n'.join(rows))
    response = html_response(layout(environ, u'Uploaded', content))
    response.set_cookie('upload_token', token)
    return response


def register(router):
    from routing import PRODUCT_PAGE
    router.add(r'^/$', index)
    router.add(PRODUCT_PAGE, product_page)
    router.add(r'^/product/(?P<product_id>\d+)/rename$', rename_product, ('POST',))
    router.add(r'^/search$', search)
    router.add(r'^/cart$', show_cart)
    router.add(r'^/cart$', add_to_cart, ('POST',))
    router.add(r'^/checkout$', checkout, ('POST',))
    router.add(r'^/merci/(?P<customer>[^/]+)$', thanks)
    router.add(r'^/upload$', upload_form)
    router.add(r'^/upload$', upload, ('POST',))
