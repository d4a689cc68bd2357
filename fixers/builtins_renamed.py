"""Builtins that Python 3 renamed or removed: xrange, basestring, unicode, long, raw_input, unichr."""
from __future__ import annotations

import ast

from portkit.fixer import Example, Fixer
from portkit.fixutil import SIX
from portkit.registry import register

from ._stdlib_common import isinstance_call

# Modules whose ``from M import *`` may bind a name spelled like a Python 2
# builtin: ``None`` when any of them (the builtins re-exported), else the
# names it binds (its own, which run on 3).  No module of the 2.7 standard
# library exports ``unicode``, ``long``, ``basestring``, ``xrange``,
# ``unichr`` or ``raw_input`` through ``*``.
STAR_EXPORTS = {"__builtin__": None, "builtins": None, "six.moves": frozenset(["xrange", "unichr", "reduce", "intern"]),
                "filecmp": frozenset(["cmp"]), "functools": frozenset(["reduce"])}
# The names whose star-import exports were checked (every module of the 2.7
# standard library imported, its ``__all__`` or public names read): only
# filecmp (cmp) and functools (reduce) export one of them.
STAR_CHECKED = frozenset(["unicode", "long", "basestring", "xrange", "unichr", "raw_input", "file", "reduce",
                          "apply", "cmp", "execfile", "intern", "buffer", "coerce", "reload", "isinstance",
                          "issubclass", "int"])

STAR_NOTE = """
    A ``from M import *`` does not switch this off.  No module of the 2.7
    standard library exports these names through ``*``, so after a star
    import of one of them the names are still the builtins.  A star import
    of a module of the project or of another package (``from .compat
    import *``) is treated the same way.  Such a module that binds
    ``unicode``, ``long``, ``basestring``, ``xrange``, ``unichr`` or
    ``raw_input`` does so to alias the builtin on 2 (and its Python 3
    counterpart on 3), which is exactly what the six name is.  After ``from
    __builtin__ import *`` or ``from builtins import *`` the names are
    reported, not rewritten; after ``from six.moves import *`` its own
    ``xrange`` and ``unichr`` are left alone (they run on 3).
"""


def star_modules(ctx):
    """The modules of the file's ``from M import *`` statements (``.m`` for a
    relative one)."""
    found = ctx.cache.get("builtins.star_modules")
    if found is None:
        found = tuple("." * (n.level or 0) + (n.module or "")
                      for n in ctx.walk.index.get(ast.ImportFrom, ())
                      if any(a.name == "*" for a in n.names))
        ctx.cache["builtins.star_modules"] = found
    return found


def py2_builtin(ctx, node, name):
    """Is the name ``name`` at ``node`` the Python 2 builtin?  Like
    ``ctx.is_builtin``, except that a star import of a module that does not
    re-export the builtins leaves it the builtin (see ``STAR_NOTE``)."""
    if ctx.is_builtin(node, name):
        return True
    walk = ctx.walk
    if not walk.star_import or type(node) is not ast.Name or node.id != name or name not in STAR_CHECKED:
        return False
    scope = getattr(node, "_pk_scope", None)
    if scope is None or walk.defining_scope(name, scope) is not None:
        return False
    if star_binder(ctx, name) is not None:
        return False
    # The other analyses (the bytes/text inference) took the name for an
    # unknown one: after the rewrite they see six's name, in another round.
    ctx.unsettle()
    return True


def star_binder(ctx, name):
    """The module of a ``from M import *`` of the file that may bind ``name``, or None."""
    for module in star_modules(ctx):
        if module in STAR_EXPORTS:
            names = STAR_EXPORTS[module]
            if names is None or name in names:
                return module
    return None


def star_source(ctx, node, name):
    """The module of a ``from M import *`` that may bind ``name`` at ``node``
    that re-exports the builtins, when nothing else binds it; else None."""
    walk = ctx.walk
    if not walk.star_import or type(node) is not ast.Name or node.id != name:
        return None
    scope = getattr(node, "_pk_scope", None)
    if scope is None or walk.defining_scope(name, scope) is not None:
        return None
    module = star_binder(ctx, name)
    if module is not None and STAR_EXPORTS[module] is None:
        return module
    return None


def report_star_shadowed(ctx, node, name, replacement):
    """Report (not fix) a Python 2 builtin name that a star import may bind."""
    if type(node.ctx) is not ast.Load:
        return
    module = star_source(ctx, node, name)
    if module is not None:
        ctx.report(node, "%s may come from 'from %s import *': not rewritten; if it is the builtin, "
                         "use %s (and import the names you need from %s by name)"
                   % (name, module, replacement, module))


class _BuiltinName(Fixer):
    """Base: rewrite a builtin name (never a local, parameter or import)."""

    target = ""
    replacement = ""
    node_types = (ast.Name,)
    names_only = True

    def visit(self, node, ctx):
        if node.id != self.target or type(node.ctx) is not ast.Load:
            return
        if not py2_builtin(ctx, node, self.target):
            report_star_shadowed(ctx, node, self.target, self.replacement)
            return
        self.handle(node, ctx)

    def handle(self, node, ctx):
        ctx.report(
            node,
            "%s is gone in Python 3: use %s" % (self.target, self.replacement),
            edits=[ctx.replace(node, self.replacement)],
            imports=[SIX],
        )


@register
class XRange(_BuiltinName):
    code = "PK203"
    name = "xrange"
    summary = "xrange() does not exist on Python 3"
    target = "xrange"
    replacement = "six.moves.range"
    needles = frozenset(["xrange"])
    explanation = """
    What it does: rewrites the builtin ``xrange`` to ``six.moves.range``
    (``xrange`` on 2, ``range`` on 3), so iteration stays lazy on both.

    Why not ``range``: on 2.7 ``range`` builds a list; replacing ``xrange`` by
    ``range`` would change memory use, and adding ``from six.moves import
    range`` would change every other ``range()`` of the module, some of
    which may rely on getting a list.

    Only the builtin is rewritten: a local variable, parameter or imported
    name called ``xrange`` is left alone.
    """ + STAR_NOTE
    examples = (
        Example("for i in xrange(10):\n    pass\n", "import six\nfor i in six.moves.range(10):\n    pass\n"),
        Example("from six.moves import xrange\nfor i in xrange(3):\n    pass\n", None, title="An imported xrange is fine"),
        Example("def f(xrange):\n    return xrange(2)\n", None, title="A parameter is not the builtin"),
    )


@register
class StringAndNumberTypes(_BuiltinName):
    code = "PK204"
    name = "py2-types"
    summary = "basestring / unicode / long do not exist on Python 3"
    needles = frozenset(["basestring", "unicode", "long"])
    explanation = """
    What it does: rewrites the builtins ``unicode`` → ``six.text_type``,
    ``basestring`` → ``(six.binary_type, six.text_type)`` or
    ``six.string_types`` and ``long`` → ``six.integer_types`` (the pair
    ``(int, long)`` as a whole) in ``isinstance``/``issubclass`` checks, and
    ``long(x)`` → ``int(x)``.

    ``basestring`` on 2.7 accepts ``str`` (bytes) and ``unicode``.
    ``six.string_types`` is ``basestring`` on 2 but only text on 3: a bytes
    value that passed the check on 2.7 fails it on 3 (a single bytes key is
    then iterated as ints, say).  ``(six.binary_type, six.text_type)`` is
    exact on both; portkit writes it unless the bytes/text inference proves
    the checked value is never bytes (TEXT, NATIVE, not a string), where the
    shorter ``six.string_types`` is the same.

    Why: none of the three names exist on Python 3.  ``six.string_types`` and
    ``six.integer_types`` are tuples, so they are only correct where a tuple
    of types is accepted: as the second argument of ``isinstance`` or
    ``issubclass`` (nested tuples are fine).  Elsewhere ``basestring`` and
    ``long`` are reported, not rewritten.  ``unicode`` is a single type and is
    rewritten everywhere (``unicode(x)``, ``unicode.lower``, ``type(x) is
    unicode``).  ``long(x)`` becomes ``int(x)``: on 2.7 ``int`` returns a long
    when the value needs one, so only the type of small results changes.

    Local variables, parameters and imports with these names are left alone.
    """ + STAR_NOTE
    examples = (
        Example("def wrap(value):\n    if isinstance(value, basestring):\n        value = [value]\n    return value\n",
                "import six\ndef wrap(value):\n    if isinstance(value, (six.binary_type, six.text_type)):\n"
                "        value = [value]\n    return value\n",
                title="Bytes or text: exactly what basestring accepted on 2.7"),
        Example("def show(value=u''):\n    if isinstance(value, basestring):\n        print(value)\n",
                "import six\ndef show(value=u''):\n    if isinstance(value, six.string_types):\n        print(value)\n",
                title="Known never to be bytes: six.string_types"),
        Example("text = unicode(raw, 'utf-8')\n", "import six\ntext = six.text_type(raw, 'utf-8')\n"),
        Example("ok = isinstance(n, (int, long))\n", "import six\nok = isinstance(n, six.integer_types)\n"),
        Example("ok = isinstance(n, (int, long, float))\n",
                "import six\nok = isinstance(n, (int, six.integer_types, float))\n"),
        Example("big = long(digits)\n", "big = int(digits)\n"),
        Example("kinds = [basestring]\n", None, title="Not an isinstance check: reported only",
                findings=("PK204",)),
        Example("def render(unicode=True):\n    return unicode\n", None, title="A parameter is not the builtin"),
        Example("from os.path import *\ntext = unicode(raw)\n",
                "from os.path import *\nimport six\ntext = six.text_type(raw)\n",
                title="A star import of a module that does not export the name keeps it the builtin"),
    )

    def visit(self, node, ctx):
        if node.id not in ("basestring", "unicode", "long") or type(node.ctx) is not ast.Load:
            return
        if not py2_builtin(ctx, node, node.id):
            report_star_shadowed(ctx, node, node.id, {"unicode": "six.text_type", "long": "int or six.integer_types",
                                                      "basestring": "six.string_types"}[node.id])
            return
        name = node.id
        if name == "unicode":
            ctx.report(node, "unicode is gone in Python 3: use six.text_type",
                       edits=[ctx.replace(node, "six.text_type")], imports=[SIX])
            return
        if isinstance_call(ctx, node, py2_builtin) is not None:
            if name == "basestring":
                target, why = string_types_for(ctx, node)
                ctx.report(node, "basestring is gone in Python 3: use %s%s" % (target, why),
                           edits=[ctx.replace(node, target)], imports=[SIX])
                return
            pair = _int_long_pair(node, ctx)
            if pair is not None:
                ctx.report(node, "long is gone in Python 3: (int, long) is six.integer_types",
                           edits=[ctx.replace(pair, "six.integer_types")], imports=[SIX])
                return
            ctx.report(node, "long is gone in Python 3: use six.integer_types",
                       edits=[ctx.replace(node, "six.integer_types")], imports=[SIX])
            return
        parent = ctx.parent(node)
        if name == "long" and isinstance(parent, ast.Call) and parent.func is node:
            ctx.report(node, "long() is gone in Python 3: use int()", edits=[ctx.replace(node, "int")])
            return
        hint = "six.string_types (a tuple)" if name == "basestring" else "six.integer_types (a tuple) or int"
        ctx.report(node, "%s is gone in Python 3: use %s; not rewritten outside isinstance()" % (name, hint))


def _int_long_pair(node, ctx):
    """The tuple ``(int, long)`` / ``(long, int)`` that ``node`` is part of, if so."""
    parent = ctx.parent(node)
    if not isinstance(parent, ast.Tuple) or len(parent.elts) != 2:
        return None
    other = parent.elts[0] if parent.elts[1] is node else parent.elts[1]
    if isinstance(other, ast.Name) and other.id == "int" and py2_builtin(ctx, other, "int"):
        return parent
    return None


BYTES_OR_TEXT = "(six.binary_type, six.text_type)"


def string_types_for(ctx, node):
    """What replaces ``basestring`` (or ``types.StringTypes``) at ``node``, a
    type in the second argument of isinstance/issubclass: ``(target, why)``.

    ``basestring`` on 2.7 accepts ``str`` (bytes) and ``unicode``;
    ``six.string_types`` is ``basestring`` on 2 but only ``str`` (text) on 3,
    so it drops bytes.  ``(six.binary_type, six.text_type)`` is exact on both
    and is used unless the kind inference proves that the checked value is
    never bytes (TEXT, NATIVE, or not a string at all).
    """
    call = isinstance_call(ctx, node, py2_builtin)
    if call.func.id == "issubclass":
        return BYTES_OR_TEXT, " (bytes subclasses are basestring subclasses on 2.7)"
    try:
        from portkit import kinds as K
        value = K.kind_of(ctx, call.args[0])
    except Exception:  # the inference must never stop this rewrite
        value = None
    if value is not None:
        strings = K.strings_of(value)
        if strings and all(s.label in (K.TEXT, K.NATIVE) for s in strings):
            return "six.string_types", ""
        if not strings and isinstance(value, (K.Other, K.NoneValue, K.Seq, K.Tup, K.Map, K.Obj)):
            return "six.string_types", ""
        if strings and any(s.label == K.BYTES for s in strings):
            return BYTES_OR_TEXT, " (the value may be bytes, which six.string_types excludes on 3)"
    return BYTES_OR_TEXT, (" (six.string_types would exclude bytes on 3, and the value is not known "
                           "to be text)")


@register
class RawInput(_BuiltinName):
    code = "PK205"
    name = "raw-input"
    summary = "raw_input() is input() on Python 3"
    target = "raw_input"
    replacement = "six.moves.input"
    needles = frozenset(["raw_input"])
    explanation = """
    What it does: rewrites the builtin ``raw_input`` to ``six.moves.input``
    (``raw_input`` on 2, ``input`` on 3).

    Why: Python 3 renamed ``raw_input`` to ``input``; Python 2's own ``input``
    evaluates what the user types (see PK2 ``input`` in the catalogue).
    """ + STAR_NOTE
    examples = (
        Example("name = raw_input('Name: ')\n", "import six\nname = six.moves.input('Name: ')\n"),
    )


@register
class Unichr(_BuiltinName):
    code = "PK208"
    name = "unichr"
    summary = "unichr() is chr() on Python 3"
    target = "unichr"
    replacement = "six.unichr"
    needles = frozenset(["unichr"])
    explanation = """
    What it does: rewrites the builtin ``unichr`` to ``six.unichr``
    (``unichr`` on 2, ``chr`` on 3).

    Why: Python 3's ``chr`` returns text; ``unichr`` is gone.  Python 2's
    ``chr`` returns a byte string, so ``chr`` alone is not a replacement.
    """ + STAR_NOTE
    examples = (
        Example("sep = unichr(0x2014)\n", "import six\nsep = six.unichr(0x2014)\n"),
    )
