# -*- coding: utf-8 -*-
"""Tell the fulfilment back-office about a new order (HTTP POST)."""

import sys
import urllib
import urllib2

USER_AGENT = 'minishop/0.4 (+http://shop.example.org/)'


def build_order_request(url, cart, customer, catalog):
    """An urllib2.Request POSTing the order as a urlencoded form."""
    params = [
        ('customer', customer.encode('utf-8')),
        ('items', cart.serialize()),
        ('total', str(cart.total_cents(catalog))),
    ]
    data = urllib.urlencode(params)
    return urllib2.Request(url, data, {
        'Content-Type': 'application/x-www-form-urlencoded',
        'User-Agent': USER_AGENT,
    })


def send_order(url, cart, customer, catalog, opener=None):
    """POST the order; return the HTTP status or None on network errors."""
    request = build_order_request(url, cart, customer, catalog)
    if opener is None:
        opener = urllib2.build_opener()
    try:
        response = opener.open(request, timeout=10)
    except urllib2.HTTPError, e:
        print >>sys.stderr, 'minishop: back-office refused order: %d' % e.code
        return e.code
    except urllib2.URLError, e:
        print >>sys.stderr, 'minishop: back-office unreachable: %s' % (e.reason,)
        return None
    try:
        return response.getcode()
    finally:
        response.close()
