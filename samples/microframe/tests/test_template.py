# -*- coding: utf-8 -*-
import io
import os
import shutil
import tempfile
import unittest

from microframe import Template, Markup, escape
from microframe.template import TemplateLoader


class EscapeTests(unittest.TestCase):

    def test_escape_text(self):
        self.assertEqual(escape(u'<a href="x">Zoë & \'co\'</a>'),
                         u'&lt;a href=&quot;x&quot;&gt;Zoë &amp; &#39;co&#39;&lt;/a&gt;')

    def test_escape_utf8_bytes(self):
        self.assertEqual(escape(u'<日本>'.encode('utf-8')), u'&lt;日本&gt;')

    def test_escape_other_values(self):
        self.assertEqual(escape(42), u'42')
        self.assertEqual(escape(None), u'')
        self.assertEqual(escape(Markup(u'<b>ok</b>')), u'<b>ok</b>')
        self.assertTrue(isinstance(escape(u'x'), Markup))


class TemplateTests(unittest.TestCase):

    def test_render(self):
        t = Template(u'<h1>%(title)s</h1>%(body)s <i>%(n)s</i>')
        html = t.render(title=u'Café <3', body=Markup(u'<p>日本</p>'), n=3)
        self.assertEqual(html, u'<h1>Café &lt;3</h1><p>日本</p> <i>3</i>')

    def test_render_each(self):
        t = Template(u'<li>%(index)s. %(name)s</li>')
        html = t.render_each([{'name': u'Zoë'}, {'name': u'🚀'}])
        self.assertEqual(html, u'<li>1. Zoë</li>\n<li>2. 🚀</li>')

    def test_missing_key(self):
        self.assertRaises(KeyError, Template(u'%(x)s', 'page.html').render)

    def test_source_must_be_text(self):
        self.assertRaises(TypeError, Template, b'<p>bytes</p>')


class LoaderTests(unittest.TestCase):

    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.write(u'hello.html', u'<p>Grüße, %(name)s!</p>\n')

    def tearDown(self):
        shutil.rmtree(self.dir)

    def write(self, name, text):
        with io.open(os.path.join(self.dir, name), 'w', encoding='utf-8') as f:
            f.write(text)

    def test_load_utf8_file(self):
        loader = TemplateLoader(self.dir)
        self.assertEqual(loader.render('hello.html', name=u'日本'), u'<p>Grüße, 日本!</p>\n')

    def test_cache(self):
        loader = TemplateLoader(self.dir, auto_reload=False)
        first = loader.load('hello.html')
        self.write(u'hello.html', u'changed')
        self.assertTrue(loader.load('hello.html') is first)


if __name__ == '__main__':
    unittest.main()
