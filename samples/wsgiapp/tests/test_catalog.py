# -*- coding: utf-8 -*-
import unittest

from minishop.catalog import Catalog, Cart, Product, slugify, demo_catalog


class ProductTests(unittest.TestCase):

    def test_unicode_label(self):
        product = Product(1, u'Café Crème', 350)
        self.assertEqual(unicode(product), u'Café Crème (3.50 \u20ac)')

    def test_str_is_utf8_on_ascii_product(self):
        product = Product(7, u'Plain Tea', 100)
        self.assertEqual(str(product).split(' (')[0], 'Plain Tea')

    def test_unlimited_stock_by_default(self):
        product = Product(1, u'Müsli', 499)
        self.assertTrue(product.stock > 10 ** 9)

    def test_rename_bumps_revision(self):
        product = Product(1, u'Tea', 100)
        product.rename(u'Thé vert')
        self.assertEqual(product.revision, 2)
        self.assertEqual(product.slug, u'thé-vert')

    def test_slugify_keeps_non_ascii(self):
        self.assertEqual(slugify(u'Café Crème'), u'café-crème')
        self.assertEqual(slugify(u'日本茶 Sencha!'), u'日本茶-sencha')
        self.assertEqual(slugify(u'Rocket Mug 🚀'), u'rocket-mug-🚀')


class CatalogTests(unittest.TestCase):

    def setUp(self):
        self.catalog = demo_catalog()

    def test_add_requires_unicode(self):
        self.assertRaises(TypeError, self.catalog.add, 42, 100)

    def test_order_by_name_and_price(self):
        names = [p.name for p in self.catalog.all()]
        self.assertEqual(names[0], u'Café Crème')
        prices = [p.price_cents for p in self.catalog.all(order='price')]
        self.assertEqual(prices, sorted(prices))

    def test_search_non_ascii(self):
        hits = self.catalog.search(u'GRÜNER tee')
        self.assertEqual([p.name for p in hits], [u'日本茶 Sencha'])

    def test_blank_search_finds_nothing(self):
        self.assertEqual(self.catalog.search(u'   '), [])

    def test_get_unknown(self):
        self.assertTrue(self.catalog.get(999) is None)
        self.assertEqual(len(self.catalog), 5)


class CartTests(unittest.TestCase):

    def test_empty_cart_is_false(self):
        self.assertFalse(Cart())
        self.assertTrue(Cart({1: 1}))

    def test_serialize_roundtrip(self):
        cart = Cart()
        cart.add(3, 2)
        cart.add(1)
        cart.add(3)
        self.assertEqual(cart.serialize(), '1:1,3:3')
        self.assertEqual(Cart.parse(cart.serialize()).items, {1: 1, 3: 3})

    def test_parse_ignores_garbage(self):
        self.assertEqual(Cart.parse('1:2,x:y,,7').items, {1: 2})

    def test_quantity_range(self):
        self.assertRaises(ValueError, Cart().add, 1, 0)
        self.assertRaises(ValueError, Cart().add, 1, 100)

    def test_total(self):
        catalog = demo_catalog()
        cart = Cart({1: 2, 5: 1, 99: 4})
        self.assertEqual(cart.total_cents(catalog), 800)
        self.assertEqual(cart.count(), 7)


if __name__ == '__main__':
    unittest.main()
