"""dict methods that Python 3 removed: ``iteritems`` and friends, ``has_key``."""
from __future__ import annotations

import ast

from portkit import project
from portkit.fixer import Example, Fixer
from portkit.fixutil import SIX, defined_functions, needs_parens_as_comparison, operand
from portkit.registry import register

_ITER = {
    "iteritems": "iteritems",
    "itervalues": "itervalues",
    "iterkeys": "iterkeys",
    "viewitems": "viewitems",
    "viewvalues": "viewvalues",
    "viewkeys": "viewkeys",
}


def _is_module(node, ctx) -> bool:
    """Is ``node`` a name bound by an import (``six``, ``os.environ``'s ``os``)?"""
    if type(node) is not ast.Name:
        return False
    found, target = ctx.walk.binding(node.id, node._pk_scope)
    return found and target is not None


def _method_call(node: ast.Call, names) -> bool:
    func = node.func
    return type(func) is ast.Attribute and func.attr in names


@register
class DictIterMethods(Fixer):
    code = "PK201"
    name = "dict-iter-methods"
    summary = "d.iteritems() / itervalues() / iterkeys() / view*() do not exist on Python 3"
    explanation = """
    What it does: rewrites ``d.iteritems()`` to ``six.iteritems(d)`` (likewise
    ``itervalues``, ``iterkeys``, ``viewitems``, ``viewvalues``, ``viewkeys``).

    Why: Python 3 dicts have only ``items()``/``values()``/``keys()``, which
    return views.  ``six.iteritems(d)`` calls ``d.iteritems()`` on Python 2 and
    ``iter(d.items())`` on Python 3, so behaviour on 2.7 is unchanged.

    Receivers: portkit cannot always know that ``d`` is a dict.  A call with
    positional arguments is not a dict method and is only reported.  When the
    module itself defines a method of that name (a dict-like class of its own),
    calls are reported but not rewritten: the class must grow ``items()``
    first.  Everything else is rewritten: on 2.7 ``six.iteritems(x)`` calls
    exactly the method the old code called.
    """
    examples = (
        Example("for k, v in d.iteritems():\n    handle(k, v)\n",
                "import six\nfor k, v in six.iteritems(d):\n    handle(k, v)\n"),
        Example("total = sum(self.prices.itervalues())\n",
                "import six\ntotal = sum(six.itervalues(self.prices))\n"),
        Example("items = d.items()\n", None, title="Already portable"),
        Example("class Bag(object):\n    def iteritems(self):\n        return iter(self.pairs)\n\n"
                "def dump(bag):\n    return list(bag.iteritems())\n", None,
                title="The module defines its own iteritems: reported, not rewritten",
                findings=("PK201",)),
    )
    needles = frozenset(_ITER)
    node_types = (ast.Call,)

    def visit(self, node, ctx):
        if not _method_call(node, _ITER):
            return
        method = node.func.attr
        if _is_module(node.func.value, ctx):
            return  # six.iteritems(d), a module's own function
        if node.args:
            ctx.report(node.func, "%s() called with arguments: not a dict method; check the receiver" % method)
            return
        if method in defined_functions(ctx):
            ctx.report(
                node.func,
                "%s() is defined in this module too: give that class %s() and call six.%s()"
                % (method, method[4:], _ITER[method]),
            )
            return
        receiver = ctx.source(node.func.value)
        extra = "".join(", " + ctx.source(k) for k in node.keywords)
        replacement = "six.%s(%s%s)" % (_ITER[method], receiver, extra)
        ctx.report(
            node.func,
            "dict.%s() is gone in Python 3: use six.%s(d)" % (method, _ITER[method]),
            edits=[ctx.replace(node, replacement)],
            imports=[SIX],
        )


@register
class HasKey(Fixer):
    code = "PK202"
    name = "has-key"
    summary = "d.has_key(k) does not exist on Python 3"
    explanation = """
    What it does: rewrites ``d.has_key(k)`` to ``k in d``, adding parentheses
    where precedence needs them.

    Why: ``has_key`` was removed in Python 3 (``python -3`` warns about it);
    ``in`` works on 2 and 3 for dicts and for every mapping of the standard
    library (``os.environ``, ``cgi.FieldStorage``, ``email.message.Message``).

    Fix safety: a call with other than one positional argument is reported
    only; so is a call when the module, or any module of its project,
    defines a ``has_key`` method (its class may lack ``__contains__``, or
    give ``in`` another meaning).
    """
    examples = (
        Example("if environ.has_key('HTTP_COOKIE'):\n    pass\n",
                "if 'HTTP_COOKIE' in environ:\n    pass\n"),
        Example("found = not form.has_key(name)\n", "found = not name in form\n"),
        Example("ok = d.has_key(a or b) == flag\n", "ok = ((a or b) in d) == flag\n",
                title="Parentheses where precedence needs them"),
        Example("if key in d:\n    pass\n", None, title="Already portable"),
    )
    needles = frozenset(["has_key"])
    node_types = (ast.Call,)

    def visit(self, node, ctx):
        if not _method_call(node, ("has_key",)) or _is_module(node.func.value, ctx):
            return
        if len(node.args) != 1 or node.keywords or isinstance(node.args[0], ast.Starred):
            ctx.report(node.func, "has_key() is gone in Python 3: use 'key in d'")
            return
        if "has_key" in defined_functions(ctx):
            ctx.report(node.func, "has_key() is defined in this module: give the class __contains__ and use 'key in d'")
            return
        if project.defines_method(ctx.path, "has_key"):
            ctx.report(node.func, "has_key() is a method of a class of this project too, whose 'in' may mean "
                                  "something else: use 'key in d' where d is a dict, and give that class "
                                  "__contains__")
            return
        text = "%s in %s" % (operand(ctx, node.args[0]), operand(ctx, node.func.value))
        if needs_parens_as_comparison(node, ctx):
            text = "(%s)" % text
        ctx.report(node.func, "dict.has_key() is gone in Python 3: use 'key in d'", edits=[ctx.replace(node, text)])
