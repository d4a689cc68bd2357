# -*- coding: utf-8 -*-
"""Containers shared by the request and the router."""


class MultiDict(object):
    """A dict that keeps every value sent for a key (``?tag=a&tag=b``).

    ``d[key]`` returns the first value, ``d.getall(key)`` all of them.
    """

    def __init__(self, mapping=None):
        self._data = {}
        if mapping is not None:
            for key, values in mapping.iteritems():
                if not isinstance(values, list):
                    values = [values]
                self._data[key] = list(values)

    def __getitem__(self, key):
        return self._data[key][0]

    def __setitem__(self, key, value):
        self._data[key] = [value]

    def add(self, key, value):
        self._data.setdefault(key, []).append(value)

    def get(self, key, default=None, type=None):
        if not self._data.has_key(key):
            return default
        value = self._data[key][0]
        if type is not None:
            try:
                value = type(value)
            except (TypeError, ValueError):
                return default
        return value

    def getall(self, key):
        return list(self._data.get(key, ()))

    def __contains__(self, key):
        return key in self._data

    def __iter__(self):
        return self._data.iterkeys()

    def keys(self):
        return self._data.keys()

    def items(self):
        """(key, first value) pairs."""
        return [(key, values[0]) for key, values in self._data.iteritems()]

    def to_dict(self, flat=True):
        if flat:
            return dict(self.items())
        return dict((k, list(v)) for k, v in self._data.iteritems())

    def __nonzero__(self):
        return bool(self._data)

    def __repr__(self):
        return 'MultiDict(%r)' % (self._data,)


def decode_multi(parsed, charset='utf-8', errors='replace'):
    """Decode the result of ``urlparse.parse_qs`` into a unicode MultiDict."""
    result = MultiDict()
    for key, values in parsed.iteritems():
        name = key.decode(charset, errors)
        for value in values:
            result.add(name, value.decode(charset, errors))
    return result
