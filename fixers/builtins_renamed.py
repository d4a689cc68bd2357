"""Builtins that Python 3 renamed or removed: xrange, basestring, unicode, long, raw_input, unichr."""
from __future__ import annotations

import ast

from portkit.fixer import Example, Fixer
from portkit.fixutil import SIX
from portkit.registry import register


def _in_isinstance_types(node: ast.AST, ctx) -> bool:
    """Is ``node`` (part of) the second argument of isinstance/issubclass?"""
    parent = ctx.parent(node)
    while isinstance(parent, ast.Tuple):
        node, parent = parent, ctx.parent(parent)
    return (
        isinstance(parent, ast.Call)
        and len(parent.args) == 2
        and parent.args[1] is node
        and isinstance(parent.func, ast.Name)
        and parent.func.id in ("isinstance", "issubclass")
        and ctx.is_builtin(parent.func, parent.func.id)
    )


class _BuiltinName(Fixer):
    """Base: rewrite a builtin name (never a local, parameter or import)."""

    target = ""
    replacement = ""
    node_types = (ast.Name,)

    def visit(self, node, ctx):
        if node.id != self.target or type(node.ctx) is not ast.Load or not ctx.is_builtin(node, self.target):
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
    """
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
    ``basestring`` → ``six.string_types`` and ``long`` → ``six.integer_types``
    in ``isinstance``/``issubclass`` checks, and ``long(x)`` → ``int(x)``.

    Why: none of the three names exist on Python 3.  ``six.string_types`` and
    ``six.integer_types`` are tuples, so they are only correct where a tuple
    of types is accepted: as the second argument of ``isinstance`` or
    ``issubclass`` (nested tuples are fine).  Elsewhere ``basestring`` and
    ``long`` are reported, not rewritten.  ``unicode`` is a single type and is
    rewritten everywhere (``unicode(x)``, ``unicode.lower``, ``type(x) is
    unicode``).  ``long(x)`` becomes ``int(x)``: on 2.7 ``int`` returns a long
    when the value needs one, so only the type of small results changes.

    Local variables, parameters and imports with these names are left alone.
    """
    examples = (
        Example("if isinstance(value, basestring):\n    value = [value]\n",
                "import six\nif isinstance(value, six.string_types):\n    value = [value]\n"),
        Example("text = unicode(raw, 'utf-8')\n", "import six\ntext = six.text_type(raw, 'utf-8')\n"),
        Example("ok = isinstance(n, (int, long))\n", "import six\nok = isinstance(n, (int, six.integer_types))\n"),
        Example("big = long(digits)\n", "big = int(digits)\n"),
        Example("kinds = [basestring]\n", None, title="Not an isinstance check: reported only",
                findings=("PK204",)),
        Example("def render(unicode=True):\n    return unicode\n", None, title="A parameter is not the builtin"),
    )

    def visit(self, node, ctx):
        if node.id not in ("basestring", "unicode", "long") or type(node.ctx) is not ast.Load:
            return
        if not ctx.is_builtin(node, node.id):
            return
        name = node.id
        if name == "unicode":
            ctx.report(node, "unicode is gone in Python 3: use six.text_type",
                       edits=[ctx.replace(node, "six.text_type")], imports=[SIX])
            return
        if _in_isinstance_types(node, ctx):
            target = "six.string_types" if name == "basestring" else "six.integer_types"
            ctx.report(node, "%s is gone in Python 3: use %s" % (name, target),
                       edits=[ctx.replace(node, target)], imports=[SIX])
            return
        parent = ctx.parent(node)
        if name == "long" and isinstance(parent, ast.Call) and parent.func is node:
            ctx.report(node, "long() is gone in Python 3: use int()", edits=[ctx.replace(node, "int")])
            return
        hint = "six.string_types (a tuple)" if name == "basestring" else "six.integer_types (a tuple) or int"
        ctx.report(node, "%s is gone in Python 3: use %s; not rewritten outside isinstance()" % (name, hint))


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
    """
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
    """
    examples = (
        Example("sep = unichr(0x2014)\n", "import six\nsep = six.unichr(0x2014)\n"),
    )
