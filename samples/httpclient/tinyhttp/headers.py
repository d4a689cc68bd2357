"""An ordered, case-insensitive multi-dict for HTTP headers."""


def _native(value):
    """Header values go on the wire as latin-1; numbers are formatted."""
    if isinstance(value, unicode):
        return value.encode('latin-1')
    if not isinstance(value, str):
        return str(value)
    return value


class Headers(object):
    """Keeps headers in the order they were added.  Lookups ignore case;
    a name may occur several times (Set-Cookie)."""

    def __init__(self, items=None):
        self._items = []
        if items:
            if isinstance(items, dict):
                items = sorted(items.iteritems())
            for name, value in items:
                self.add(name, value)

    def add(self, name, value):
        self._items.append((str(name), _native(value)))

    def __getitem__(self, name):
        key = name.lower()
        try:
            return (value for n, value in self._items
                    if n.lower() == key).next()
        except StopIteration:
            raise KeyError(name)

    def __setitem__(self, name, value):
        del self[name]
        self.add(name, value)

    def __delitem__(self, name):
        key = name.lower()
        self._items = [(n, v) for n, v in self._items if n.lower() != key]

    def __contains__(self, name):
        key = name.lower()
        for n, v in self._items:
            if n.lower() == key:
                return True
        return False

    def get(self, name, default=None):
        try:
            return self[name]
        except KeyError:
            return default

    def getlist(self, name):
        key = name.lower()
        return [v for n, v in self._items if n.lower() == key]

    def items(self):
        return list(self._items)

    def keys(self):
        return [n for n, v in self._items]

    def update(self, other):
        if isinstance(other, Headers):
            other = other.items()
        elif isinstance(other, dict):
            other = other.iteritems()
        for name, value in other:
            self[name] = value

    def copy(self):
        return Headers(self._items)

    def __len__(self):
        return len(self._items)

    def __iter__(self):
        return iter(self.keys())

    def __repr__(self):
        return 'Headers(%r)' % (self._items,)
