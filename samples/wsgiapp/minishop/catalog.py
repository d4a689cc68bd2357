# -*- coding: utf-8 -*-
"""In-memory product catalog and shopping cart."""

import itertools
import string
import sys
import threading
import unicodedata


class Product(object):
    """A product for sale.  Names are unicode, prices are in cents."""

    def __init__(self, id, name, price_cents, stock=None, description=u''):
        self.id = id
        self.name = name
        self.price_cents = price_cents
        if stock is None:
            stock = sys.maxint
        self.stock = stock
        self.description = description
        self.revision = 1

    @property
    def slug(self):
        return slugify(self.name)

    def rename(self, new_name):
        self.name = new_name
        self.revision += 1

    def price_label(self):
        return u'%d.%02d \u20ac' % divmod(self.price_cents, 100)

    def to_dict(self):
        return {
            'id': self.id,
            'name': self.name,
            'slug': self.slug,
            'price_cents': self.price_cents,
            'in_stock': self.stock > 0,
        }

    def __unicode__(self):
        return u'%s (%s)' % (self.name, self.price_label())

    def __str__(self):
        return unicode(self).encode('utf-8')

    def __repr__(self):
        return '<Product %d %r>' % (self.id, self.name)


def slugify(name):
    """Lower-case the name and join the words with dashes.

    Accented letters are kept (the shop has French and Japanese products
    and their URLs should stay readable), only punctuation is dropped.
    """
    name = unicodedata.normalize('NFC', name)
    words = []
    for word in name.lower().split():
        kept = u''.join(c for c in word if c not in string.punctuation)
        if kept:
            words.append(kept)
    return u'-'.join(words)


class Catalog(object):
    """Thread-safe in-memory product store."""

    def __init__(self):
        self._products = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def add(self, name, price_cents, stock=None, description=u''):
        if not isinstance(name, unicode):
            raise TypeError, 'product names must be unicode, got %r' % (name,)
        self._lock.acquire()
        try:
            product = Product(self._ids.next(), name, price_cents, stock,
                              description)
            self._products[product.id] = product
        finally:
            self._lock.release()
        return product

    def get(self, product_id):
        if self._products.has_key(product_id):
            return self._products[product_id]
        return None

    def all(self, order='name'):
        products = self._products.values()
        if order == 'price':
            products.sort(cmp=lambda a, b: cmp(a.price_cents, b.price_cents))
        else:
            products.sort(key=lambda p: p.name.lower())
        return products

    def search(self, query):
        words = filter(None, query.lower().split())
        if not words:
            return []
        hits = []
        for product in self._products.itervalues():
            haystack = product.name.lower() + u' ' + product.description.lower()
            if all(w in haystack for w in words):
                hits.append(product)
        hits.sort(key=lambda p: p.id)
        return hits

    def __len__(self):
        return len(self._products)


class Cart(object):
    """Maps product ids to quantities.  Serialised into a cookie."""

    MAX_QTY = 99

    def __init__(self, items=None):
        self.items = dict(items or {})

    def add(self, product_id, qty=1):
        if qty < 1 or qty > self.MAX_QTY:
            raise ValueError, 'quantity out of range: %d' % qty
        self.items[product_id] = min(self.items.get(product_id, 0) + qty,
                                     self.MAX_QTY)

    def total_cents(self, catalog):
        total = 0
        for product_id, qty in self.items.iteritems():
            product = catalog.get(product_id)
            if product is not None:
                total += product.price_cents * qty
        return total

    def count(self):
        return sum(self.items.itervalues())

    def serialize(self):
        """``"3:2,5:1"`` -- ids and quantities, sorted by id."""
        keys = self.items.keys()
        keys.sort()
        return ','.join('%d:%d' % (k, self.items[k]) for k in keys)

    @classmethod
    def parse(cls, value):
        items = {}
        for chunk in value.split(','):
            if ':' not in chunk:
                continue
            pid, qty = chunk.split(':', 1)
            try:
                items[int(pid)] = int(qty)
            except ValueError:
                continue
        return cls(items)

    def __nonzero__(self):
        return bool(self.items)


def demo_catalog():
    """The catalog the shop starts with."""
    catalog = Catalog()
    catalog.add(u'Café Crème', 350, description=u'Doppelter Espresso mit Milch')
    catalog.add(u'Müsli Früchte', 499, stock=12)
    catalog.add(u'日本茶 Sencha', 1250, stock=3, description=u'Grüner Tee aus Shizuoka')
    catalog.add(u'Rocket Mug 🚀', 1599, stock=0)
    catalog.add(u'Plain Tea', 100)
    return catalog
