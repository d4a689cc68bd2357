# -*- coding: utf-8 -*-
"""A deliberately tiny template helper built on ``%(name)s`` formatting."""

import os


class Markup(unicode):
    """Unicode that is already safe HTML and must not be escaped again."""

    def __html__(self):
        return self

    def __repr__(self):
        return 'Markup(%s)' % unicode.__repr__(self)


def escape(value):
    """Turn any value into HTML-safe unicode."""
    if hasattr(value, '__html__'):
        return Markup(value.__html__())
    if value is None:
        return Markup(u'')
    if isinstance(value, str):
        value = value.decode('utf-8')
    elif not isinstance(value, unicode):
        value = unicode(value)
    return Markup(value.replace(u'&', u'&amp;').replace(u'<', u'&lt;')
                  .replace(u'>', u'&gt;').replace(u'"', u'&quot;')
                  .replace(u"'", u'&#39;'))


class Template(object):
    """``Template(u'<h1>%(title)s</h1>').render(title=u'Caf\\xe9')``

    Every value is escaped unless it is :class:`Markup`.  Lists of values
    can be rendered with :meth:`render_each`.
    """

    def __init__(self, source, name='<string>'):
        if not isinstance(source, unicode):
            raise TypeError, 'template source must be unicode'
        self.source = source
        self.name = name

    def render(self, **context):
        escaped = {}
        for key, value in context.iteritems():
            escaped[key] = escape(value)
        try:
            return Markup(self.source % escaped)
        except KeyError, e:
            raise KeyError('template %s needs %s' % (self.name, e))

    def render_each(self, rows, separator=u'\n'):
        parts = []
        for i in xrange(len(rows)):
            context = dict(rows[i])
            context['index'] = i + 1
            parts.append(self.render(**context))
        return Markup(separator.join(parts))


class TemplateLoader(object):
    """Loads ``*.html`` templates (UTF-8) from a directory, with caching."""

    def __init__(self, directory, auto_reload=True):
        self.directory = directory
        self.auto_reload = auto_reload
        self._cache = {}

    def load(self, name):
        path = os.path.join(self.directory, name)
        mtime = os.path.getmtime(path)
        if self._cache.has_key(name):
            template, cached_mtime = self._cache[name]
            if not self.auto_reload or cached_mtime == mtime:
                return template
        source = open(path).read().decode('utf-8')
        template = Template(source, name)
        self._cache[name] = (template, mtime)
        return template

    def render(self, template_name, **context):
        return self.load(template_name).render(**context)
