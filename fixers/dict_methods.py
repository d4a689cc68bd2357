"""dict methods that Python 3 removed: ``iteritems`` and friends, ``has_key``."""
from __future__ import annotations

import ast

from portkit import project
from portkit.fixer import Example, Fixer
from portkit.fixutil import SIX, defined_functions, needs_parens_as_comparison, operand
from portkit.registry import register

from fixers._classic import class_members, indent_of, insert_after_member, loop_mutates, reference_key

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


_PY3_FORM = {
    "iteritems": "iter(dict.items(%s))", "itervalues": "iter(dict.values(%s))", "iterkeys": "iter(dict.keys(%s))",
    "viewitems": "dict.items(%s)", "viewvalues": "dict.values(%s)", "viewkeys": "dict.keys(%s)",
}


def _py2_branch(ctx, node) -> bool:
    """Is ``node`` the Python 2 branch of ``(... if six.PY2 else ...)``?"""
    parent = ctx.parent(node)
    return isinstance(parent, ast.IfExp) and parent.body is node and ctx.resolve(parent.test) == "six.PY2"


def _plain_dict(ctx, node) -> bool:
    """Is ``node`` provably a plain dict (or os.environ), never an object of a
    class of this module?"""
    if isinstance(node, (ast.Dict, ast.DictComp)):
        return True
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in (
            "dict", "globals", "locals", "vars") and ctx.is_builtin(node.func, node.func.id):
        return True
    if isinstance(node, ast.Attribute) and node.attr == "__dict__":
        return True
    if ctx.resolve(node) == "os.environ":
        return True
    if isinstance(node, ast.Name):
        return _guarded_dict(ctx, node)
    return False


def _dict_subclasses_define(ctx, method) -> bool:
    """Could an object of a class of this module that defines ``method`` pass
    ``isinstance(x, dict)`` (a base other than object)?"""
    for cls in ctx.walk.index.get(ast.ClassDef, ()):
        if any(isinstance(m, ast.FunctionDef) and m.name == method for m in cls.body):
            for base in cls.bases:
                if not (isinstance(base, ast.Name) and base.id == "object" and ctx.is_builtin(base, "object")):
                    return True
    return False


def _is_dict_test(ctx, test, name) -> bool:
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And):
        return any(_is_dict_test(ctx, value, name) for value in test.values)
    return (isinstance(test, ast.Call) and isinstance(test.func, ast.Name) and test.func.id == "isinstance"
            and ctx.is_builtin(test.func, "isinstance") and len(test.args) == 2 and not test.keywords
            and isinstance(test.args[0], ast.Name) and test.args[0].id == name
            and isinstance(test.args[1], ast.Name) and test.args[1].id == "dict"
            and ctx.is_builtin(test.args[1], "dict"))


def _guarded_dict(ctx, name: ast.Name) -> bool:
    """``name`` inside the body of ``if isinstance(name, dict):``, not rebound
    in that body before it."""
    child, parent = name, ctx.parent(name)
    while parent is not None and not isinstance(parent, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda,
                                                         ast.ClassDef, ast.Module)):
        if isinstance(parent, ast.If) and any(child is stmt for stmt in parent.body) \
                and _is_dict_test(ctx, parent.test, name.id):
            where = (name.lineno, name.col_offset)
            for sub in ast.walk(parent):
                if isinstance(sub, ast.Name) and sub.id == name.id and type(sub.ctx) is not ast.Load \
                        and (sub.lineno, sub.col_offset) < where and sub is not name:
                    if (sub.lineno, sub.col_offset) > (parent.test.end_lineno, parent.test.end_col_offset):
                        return False
            return True
        child, parent = parent, ctx.parent(parent)
    return False


def _paired(ctx, method) -> bool:
    """Is every definition of ``method`` (``iteritems``) in this module a
    method of a class that also defines the plain one (``items``)?  Then
    ``six.iteritems(obj)``, which calls ``obj.iteritems()`` on 2 and
    ``iter(obj.items())`` on 3, works for those classes too."""
    key = ("pk201.paired", method)
    found = ctx.cache.get(key)
    if found is None:
        plain = method[4:]
        defs = [d for d in ctx.walk.index.get(ast.FunctionDef, ()) if d.name == method]
        found = True
        for definition in defs:
            cls = ctx.parent(definition)
            if isinstance(cls, ast.ClassDef) and _gets_plain_alias(ctx, cls, method):
                continue  # PK201 gives it the plain method on Python 3
            if not isinstance(cls, ast.ClassDef) or not any(
                    isinstance(m, (ast.FunctionDef, ast.AsyncFunctionDef)) and m.name == plain for m in cls.body):
                found = False
                break
        found = found and bool(defs)
        ctx.cache[key] = found
    return found


def _plain_base(ctx, base) -> bool:
    return isinstance(base, ast.Name) and base.id == "object" and ctx.is_builtin(base, "object")


def _gets_plain_alias(ctx, cls: ast.ClassDef, method: str) -> bool:
    """Does the class define ``method`` (``iteritems``) as a method, and neither
    the plain one (``items``) nor any base but ``object``?  Then it gets
    ``if six.PY3: items = iteritems`` (nothing changes on 2.7), and
    ``six.iteritems(obj)`` works on its objects on 3."""
    if not any(isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and stmt.name == method
               for stmt in cls.body):
        return False
    if cls.keywords or not all(_plain_base(ctx, b) for b in cls.bases):
        return False
    return method[4:] not in class_members(cls) and not any(
        isinstance(stmt, ast.If) for stmt in cls.body)  # an `if six.PY3:` block may hold it already


def _inside_plain(ctx, node, method) -> bool:
    """Is ``node`` a call on a plain name (``self``) inside a method of a class
    of the module, a class that defines ``method`` (``iteritems``)?
    (``items()`` written as ``list(self.iteritems())`` would call itself
    through six.iteritems on 3; ``self.data.iteritems()`` would not.)"""
    if isinstance(node.func, ast.Attribute) and not isinstance(node.func.value, ast.Name):
        return False
    parent = ctx.parent(node)
    while parent is not None:
        if isinstance(parent, ast.ClassDef) and any(
                isinstance(m, (ast.FunctionDef, ast.AsyncFunctionDef)) and m.name == method for m in parent.body):
            return True
        parent = ctx.parent(parent)
    return False


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
    first.  Calls whose receiver is provably a plain dict are still
    rewritten there: a dict display or comprehension, ``dict(...)``,
    ``globals()`` / ``locals()`` / ``vars()``, an ``obj.__dict__``,
    ``os.environ``, and a name in the body of ``if isinstance(name, dict):``
    (when no class of the module that defines the method has a base other
    than ``object``).  And when every class of the module that defines
    ``iteritems`` also defines ``items`` (a dict-like class with both), all
    calls are rewritten, except inside those classes (their ``items()`` is
    often ``list(self.iteritems())``, which would then call itself on 3): on
    3 ``six.iteritems(obj)`` calls ``obj.items()``, which such a class has.  Everything else is rewritten: on 2.7
    ``six.iteritems(x)`` calls exactly the method the old code called.

    ``dict.iteritems(x)`` calls the dict class's own method, skipping an
    override (a dict subclass's ``iteritems`` calling its base): it becomes
    ``(dict.iteritems(x) if six.PY2 else iter(dict.items(x)))``, the same
    call on 2.7 (``x`` is evaluated once, in the branch taken).
    """
    examples = (
        Example("for k, v in d.iteritems():\n    handle(k, v)\n",
                "import six\nfor k, v in six.iteritems(d):\n    handle(k, v)\n"),
        Example("total = sum(self.prices.itervalues())\n",
                "import six\ntotal = sum(six.itervalues(self.prices))\n"),
        Example("items = d.items()\n", None, title="Already portable"),
        Example("class Bag(object):\n    def iteritems(self):\n        return iter(self.pairs)\n\n"
                "def dump(bag):\n    return list(bag.iteritems())\n",
                "import six\nclass Bag(object):\n    def iteritems(self):\n        return iter(self.pairs)\n"
                "    if six.PY3:\n        items = iteritems\n\n"
                "def dump(bag):\n    return list(six.iteritems(bag))\n",
                title="The module's class defines only iteritems: it gets items on Python 3 only"),
        Example("class Bag(Base):\n    def iteritems(self):\n        return iter(self.pairs)\n\n"
                "def dump(options):\n    if isinstance(options, dict):\n        return list(options.iteritems())\n"
                "    return list(options.iteritems())\n",
                None,
                title="A class with another base (it may be a dict) is left as it is: its calls are reported",
                findings=("PK201", "PK201")),
        Example("class Bag(object):\n    def items(self):\n        return list(self.pairs)\n\n"
                "    def iteritems(self):\n        return iter(self.pairs)\n\n"
                "def dump(bag):\n    return list(bag.iteritems())\n",
                "import six\nclass Bag(object):\n    def items(self):\n        return list(self.pairs)\n\n"
                "    def iteritems(self):\n        return iter(self.pairs)\n\n"
                "def dump(bag):\n    return list(six.iteritems(bag))\n",
                title="The module's class has items() next to iteritems(): rewritten"),
        Example("class Multi(dict):\n    def iteritems(self):\n        for k, v in dict.iteritems(self):\n"
                "            yield k, v[0]\n",
                "import six\nclass Multi(dict):\n    def iteritems(self):\n"
                "        for k, v in (dict.iteritems(self) if six.PY2 else iter(dict.items(self))):\n"
                "            yield k, v[0]\n", title="The dict class's own method"),
    )
    needles = frozenset(_ITER)
    node_types = (ast.Call, ast.ClassDef)

    def visit(self, node, ctx):
        if isinstance(node, ast.ClassDef):
            self._alias_plain(node, ctx)
            return
        if not _method_call(node, _ITER):
            return
        method = node.func.attr
        if _is_module(node.func.value, ctx):
            return  # six.iteritems(d), a module's own function
        receiver = node.func.value
        if isinstance(receiver, ast.Name) and receiver.id == "dict" and ctx.is_builtin(receiver, "dict"):
            self._unbound(node, ctx, method)
            return
        if node.args:
            ctx.report(node.func, "%s() called with arguments: not a dict method; check the receiver" % method)
            return
        if method in defined_functions(ctx) and not (_paired(ctx, method) and not _inside_plain(ctx, node, method)) \
                and not (
                _plain_dict(ctx, receiver) and not (isinstance(receiver, ast.Name)
                                                    and _dict_subclasses_define(ctx, method))):
            ctx.report(
                node.func,
                "%s() is defined in this module too: give that class %s() and call six.%s()"
                % (method, method[4:], _ITER[method]),
            )
            return
        key = reference_key(node.func.value)
        receiver = ctx.source(node.func.value)
        extra = "".join(", " + ctx.source(k) for k in node.keywords)
        replacement = "six.%s(%s%s)" % (_ITER[method], receiver, extra)
        message = "dict.%s() is gone in Python 3: use six.%s(d)" % (method, _ITER[method])
        loop = ctx.parent(node)
        change = loop_mutates(ctx, loop, {key}, "view") if isinstance(loop, ast.For) and loop.iter is node \
            and key is not None and method.startswith("iter") else None
        if change is not None:
            # the loop changes the dict: 2.7 went on only where the keys stayed the
            # same; Python 3 raises there too.  A list of them is what the loop means.
            replacement = "list(%s)" % replacement
            message += "; the loop %s, so iterate over a list: list(six.%s(d))" % (change, _ITER[method])
        ctx.report(node.func, message, edits=[ctx.replace(node, replacement)], imports=[SIX])

    @staticmethod
    def _alias_plain(cls, ctx):
        """``if six.PY3: items = iteritems`` in a class that defines only the
        Python 2 method (see :func:`_gets_plain_alias`)."""
        for method in ("iteritems", "iterkeys", "itervalues"):
            if not _gets_plain_alias(ctx, cls, method):
                continue
            member = next(m for m in cls.body if isinstance(m, (ast.FunctionDef, ast.AsyncFunctionDef))
                          and m.name == method)
            indent = indent_of(ctx, member)
            edit = insert_after_member(ctx, member, "if six.PY3:\n%s    %s = %s" % (indent, method[4:], method))
            message = ("%s.%s() has no %s() for Python 3's six.%s() to call" % (cls.name, method, method[4:], method))
            if edit is None:
                ctx.report(member, message + ": add 'if six.PY3: %s = %s' to the class" % (method[4:], method))
            else:
                ctx.report(member, message + ": %s = %s on Python 3 only (nothing changes on 2.7)" % (
                    method[4:], method), edits=[edit], imports=[SIX])

    @staticmethod
    def _unbound(node, ctx, method):
        """``dict.iteritems(x)``: the dict class's own method (a subclass's
        override is skipped), which six.iteritems(x) would not call."""
        if _py2_branch(ctx, node):
            return
        message = "dict.%s is gone in Python 3" % method
        if len(node.args) != 1 or node.keywords or isinstance(node.args[0], ast.Starred):
            ctx.report(node.func, message + ": use (dict.%s(x) if six.PY2 else %s)" % (method, _PY3_FORM[method] % "x"))
            return
        arg = ctx.source(node.args[0])
        if isinstance(node.args[0], (ast.Yield, ast.YieldFrom, ast.NamedExpr)):
            arg = "(%s)" % arg
        new = "(dict.%s(%s) if six.PY2 else %s)" % (method, arg, _PY3_FORM[method] % arg)
        ctx.report(node.func, message + ": the dict method itself on 2.7, %s on 3" % (_PY3_FORM[method] % "x"),
                   edits=[ctx.replace(node, new)], imports=[SIX])


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
