"""Lists that became views and iterators: ``d.keys()``, ``map()``, ``range()``, ``.next()``."""
from __future__ import annotations

import ast
import re
from typing import Optional, Tuple

from portkit.fixer import Example, Fixer
from portkit.fixutil import SIX, defined_functions
from portkit.model import Edit
from portkit.registry import register

from fixers._classic import (
    FUNCTIONS,
    argument,
    attribute_assignments,
    builtin_visible,
    class_members,
    defining_scope,
    insert_after_member,
    loop_mutates,
    loops_between,
    nodes_of,
    plain_assignments,
    reaching_uses,
    reference_key,
)

VIEW, LAZY, RANGE = "view", "lazy", "range"

# Methods of list that a dict view / map object lacks; those of them that mutate.
LIST_METHODS = frozenset("append extend insert remove pop sort reverse index count".split())
MUTATING = frozenset("append extend insert remove pop sort reverse".split())
# range objects have index() and count().
RANGE_MISSING = MUTATING

_COMPARE = {ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">="}
_SEQUENCE_FUNCS = {"random.choice": False, "random.sample": False, "random.shuffle": True}
_JSON_FUNCS = frozenset(["json.dumps", "json.dump"])
_PRINTERS = frozenset(["builtins.print", "builtins.str", "builtins.repr"])

Reason = Optional[Tuple[str, bool]]  # (what the code does with the list, whether it mutates it)


def _wrap(ctx, node):
    """Edits wrapping the call ``node`` in ``list(...)``.

    Two edits, so that fixes inside the call still apply in the same round;
    the closing one replaces the call's own ``)`` (a zero-width ``)`` would be
    merged with an identical insertion at the same place, e.g. the ``)`` that
    closes a lifted ``print`` statement).
    """
    start, end = ctx.span(node)
    if ctx.text[end - 1:end] == ")":
        return [Edit(start, start, "list("), Edit(end - 1, end, "))")]
    return [Edit(start, end, "list(%s)" % ctx.source(node))]


def _report_wrap(ctx, node, message):
    if builtin_visible(ctx, node, "list"):
        ctx.report(node, message + ": wrapped in list()", edits=_wrap(ctx, node))
    else:
        ctx.report(node, message + ": wrap it in list(); not rewritten: the name list is rebound here")


def _direct(ctx, node, kind, receivers=()) -> Reason:
    """What the code does with the value of ``node`` that needs a list, if anything."""
    parent = ctx.parent(node)
    t = type(parent)
    if t is ast.Subscript and parent.value is node:
        c = type(parent.ctx)
        if c is ast.Store:
            return "assigned to by index", True
        if c is ast.Del:
            return "deleted from with del", True
        if kind == RANGE:
            if isinstance(parent.slice, ast.Slice):
                return _direct(ctx, parent, kind)  # a slice of a range is a range
            return None
        return ("sliced" if isinstance(parent.slice, ast.Slice) else "indexed"), False
    if t is ast.Attribute and parent.value is node:
        methods = RANGE_MISSING if kind == RANGE else LIST_METHODS
        if parent.attr in methods:
            return "used with .%s()" % parent.attr, parent.attr in MUTATING
        return None
    if t is ast.BinOp:
        if isinstance(parent.op, ast.Add):
            return "concatenated with +", False
        if isinstance(parent.op, ast.Mult):
            return "repeated with *", False
        if isinstance(parent.op, ast.Mod) and parent.right is node and kind == LAZY:
            return "formatted with %", False
        return None
    if t is ast.AugAssign and parent.target is node:
        return "extended with %s=" % ("+" if isinstance(parent.op, ast.Add) else "an operator "), True
    if t is ast.Tuple and kind == LAZY:
        grand = ctx.parent(parent)
        if isinstance(grand, ast.BinOp) and isinstance(grand.op, ast.Mod) and grand.right is parent:
            return "formatted with %", False
        return None
    if t is ast.Compare:
        if parent.left is node:
            ops = parent.ops[:1]
        else:
            i = next(i for i, c in enumerate(parent.comparators) if c is node)
            ops = parent.ops[i:i + 2]
        for op in ops:
            if type(op) in _COMPARE:
                return "compared with %s" % _COMPARE[type(op)], False
        return None
    if t is ast.Call and any(a is node for a in parent.args):
        name = ctx.resolve(parent.func)
        if name is None:
            return None
        if kind == LAZY and name == "builtins.len":
            return "passed to len()", False
        if kind == LAZY and name == "builtins.bool":
            return "tested for truth", False
        if kind == LAZY and name in _PRINTERS:
            return "printed", False
        if name in _SEQUENCE_FUNCS and parent.args[0] is node:
            mutates = _SEQUENCE_FUNCS[name]
            if kind != RANGE or mutates:
                return "passed to %s()" % name, mutates
        if name in _JSON_FUNCS and parent.args[0] is node:
            return "serialised with %s()" % name, False
        return None
    if t in (ast.For, ast.AsyncFor) and parent.iter is node and kind != RANGE:
        change = loop_mutates(ctx, parent, receivers, kind)
        if change:
            return "iterated by a loop that %s" % change, False
        return None
    if kind != LAZY:
        return None
    # Only iterators: truth value, laziness, escaping the function.
    if t in (ast.If, ast.While, ast.IfExp, ast.Assert) and parent.test is node:
        return "tested for truth (an iterator is always true)", False
    if t is ast.UnaryOp and isinstance(parent.op, ast.Not):
        return "tested for truth (an iterator is always true)", False
    if t is ast.BoolOp:
        return "used in and/or (an iterator is always true)", False
    if t is ast.Expr:
        return "evaluated for its side effects (an iterator does nothing until consumed)", False
    if t is ast.Return or (t is ast.Lambda and parent.body is node):
        return "returned to callers that may need a list", False
    if t is ast.Assign and parent.value is node:
        for target in parent.targets:
            if isinstance(target, (ast.Attribute, ast.Subscript)):
                return "stored where other code may need a list", False
            if isinstance(target, ast.Name):
                scope = defining_scope(ctx.walk, target.id, target._pk_scope)
                if scope is not None and scope.kind == "class":
                    return "stored as a class attribute", False
    return None


def _through_variables(ctx, node, kind, receivers=()) -> Reason:
    """Reasons found at the uses of the names that ``node`` is assigned to."""
    parent = ctx.parent(node)
    if not (isinstance(parent, ast.Assign) and parent.value is node):
        return None
    for target in parent.targets:
        if not isinstance(target, ast.Name):
            continue
        scope = defining_scope(ctx.walk, target.id, target._pk_scope)
        if scope is None or scope.kind not in ("module", "function"):
            continue
        uses = reaching_uses(ctx, parent, target.id, scope)
        for use in uses:
            reason = _direct(ctx, use, kind, receivers)
            if reason:
                return "%s (line %d)" % (reason[0], use.lineno), reason[1]
        if kind != LAZY or not uses:
            continue
        if len(uses) > 1:
            return "used %d times (an iterator is exhausted after one pass)" % len(uses), False
        use = uses[0]
        if use._pk_scope is not target._pk_scope:
            return ("used in a nested function or comprehension (line %d), which may run more than once"
                    % use.lineno), False
        assign_loops = loops_between(ctx, parent, None)
        if any(loop not in assign_loops for loop in loops_between(ctx, use, None)):
            return "iterated inside a loop (line %d)" % use.lineno, False
    return None


def _relied(ctx, node, kind, receivers=()) -> Reason:
    return _direct(ctx, node, kind, receivers) or _through_variables(ctx, node, kind, receivers)


# ---------------------------------------------------------------------------
_VIEW_METHODS = frozenset(["keys", "items", "values"])


@register
class DictViewsAsLists(Fixer):
    code = "PK210"
    name = "dict-views-as-lists"
    summary = "d.keys() / items() / values() used as a list (a view on Python 3)"
    explanation = """
    What it does: wraps ``d.keys()``, ``d.items()`` and ``d.values()`` in
    ``list(...)`` where the code relies on getting a list, and nowhere else.

    Why: on Python 3 these return views.  A view can be iterated, passed to
    ``len()``, ``sorted()``, ``set()``, ``list()`` or ``"".join()`` and tested
    with ``in``: none of that is touched.  A view cannot be indexed or sliced,
    has no ``.sort()``/``.append()``/``.index()``..., cannot be concatenated
    with ``+``, compares differently (``d.keys() == [...]`` is always False,
    values views compare by identity), cannot be passed to
    ``random.choice()`` or ``json.dumps()``, and is live: a ``for`` loop over
    ``d.keys()`` whose body adds or deletes keys of ``d`` raises
    ``RuntimeError`` on Python 3.  Those uses are wrapped, also when the view
    is first assigned to a local name (``keys = d.keys(); keys.sort()``).

    Fix safety: on 2.7 ``list()`` of the list ``keys()`` returns is an equal
    copy, so behaviour is kept.  When the module itself defines a method of
    that name and the code mutates the result (``obj.keys().sort()``), the
    copy could matter: reported, not rewritten.  A view that leaves the
    function (returned, stored, passed to other functions) is left alone:
    portkit cannot see how it is used, and views support what most callers
    do with them.  A loop body that changes the dict only through another
    name or a called function is not detected.
    """
    examples = (
        Example("first = d.keys()[0]\n", "first = list(d.keys())[0]\n"),
        Example("names = routes.keys()\nnames.sort()\n", "names = list(routes.keys())\nnames.sort()\n",
                title="Through a local name"),
        Example("merged = dict(a.items() + b.items())\n",
                "merged = dict(list(a.items()) + list(b.items()))\n"),
        Example("for key in cache.keys():\n    if expired(key):\n        del cache[key]\n",
                "for key in list(cache.keys()):\n    if expired(key):\n        del cache[key]\n",
                title="The loop deletes keys while iterating"),
        Example("for key, value in d.items():\n    show(key, value)\nn = len(d.keys())\n", None,
                title="Iterated and measured: already portable"),
        Example("for k, v in d.items():\n    d[k] = v.strip()\n", None,
                title="Replacing the values of existing keys does not resize the dict"),
    )
    needles = _VIEW_METHODS
    node_types = (ast.Call,)

    def visit(self, node, ctx):
        if type(node) is not ast.Call:
            return
        func = node.func
        if type(func) is not ast.Attribute or func.attr not in _VIEW_METHODS or node.args or node.keywords:
            return
        receiver = reference_key(func.value)
        reason = _relied(ctx, node, VIEW, {receiver} if receiver else ())
        if not reason:
            return
        what, mutates = reason
        method = func.attr
        if mutates and method in defined_functions(ctx):
            ctx.report(node, "%s() returns a view on Python 3; here it is %s, and this module defines its own "
                       "%s(): wrap it in list() if it is a dict" % (method, what, method))
            return
        _report_wrap(ctx, node, "%s() returns a view on Python 3, not a list; here it is %s" % (method, what))


# ---------------------------------------------------------------------------
_LAZY = frozenset(["map", "filter", "zip"])


def _stringy(node) -> bool:
    """A str or tuple literal (filter() returns the same type on 2.7)."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, (str, bytes))
    return isinstance(node, (ast.JoinedStr, ast.Tuple))


@register
class LazyBuiltinsAsLists(Fixer):
    code = "PK211"
    name = "map-filter-zip-as-lists"
    summary = "map() / filter() / zip() results used as lists (iterators on Python 3)"
    explanation = """
    What it does: wraps ``map(...)``, ``filter(...)`` and ``zip(...)`` in
    ``list(...)`` where the code relies on getting a list; rewrites
    ``map(None, xs)`` to ``list(xs)`` and ``map(None, a, b)`` to
    ``list(six.moves.zip_longest(a, b))``.

    Why: on Python 3 the three return one-shot iterators.  Iterating once, or
    passing the result to ``list()``, ``sorted()``, ``set()``, ``tuple()``,
    ``dict()``, ``"".join()``, ``sum()``, ``any()``... is fine and left alone.
    A list is relied on when the result is indexed or sliced, passed to
    ``len()``, ``bool()``, ``random.choice()``, ``json.dumps()`` or printed,
    concatenated, compared, given a list method, tested for truth (an
    iterator is always true: ``if filter(...)`` silently changes meaning),
    evaluated for side effects only (``map(log, items)`` as a statement does
    nothing on 3), looped over while the loop changes the input list, or
    assigned to a local name that is then used in one of these ways or more
    than once, in a loop, or from a nested function (the second pass over an
    iterator sees nothing).

    Decision on results that leave the function: ``return map(...)``, a
    lambda's result (``key=lambda v: map(int, v.split('.'))``) and results
    stored on an attribute, in a container item or as a class attribute are
    wrapped: callers were written for a list, and an iterator fails them
    silently (truth value, second pass).  A result passed to some other
    function is left alone.

    Fix safety: ``list(map(f, xs))`` is exactly the 2.7 result.  Not fixed,
    only reported: ``map(f, a, b)`` with several iterables (2.7 pads the
    shorter ones with None, Python 3 stops at the shortest: check the lengths
    are equal), and ``filter()`` over a string or tuple literal (2.7 returns
    a string or tuple).
    """
    examples = (
        Example("parts = map(int, version.split('.'))\nmajor = parts[0]\n",
                "parts = list(map(int, version.split('.')))\nmajor = parts[0]\n"),
        Example("if filter(is_valid, rows):\n    save(rows)\n",
                "if list(filter(is_valid, rows)):\n    save(rows)\n", title="An iterator is always true"),
        Example("map(register, plugins)\n", "list(map(register, plugins))\n",
                title="Called for its side effects"),
        Example("def pairs(a, b):\n    return zip(a, b)\n", "def pairs(a, b):\n    return list(zip(a, b))\n",
                title="Returned: callers expect a list"),
        Example("cells = map(None, row)\n", "cells = list(row)\n"),
        Example("for name in map(str.strip, lines):\n    print(name)\nlabel = ', '.join(map(str, ids))\n", None,
                title="Iterated once or consumed: already portable"),
        Example("total = sum(map(add, xs, ys))\n", None, title="Several iterables: reported",
                findings=("PK211",)),
    )
    needles = _LAZY
    node_types = (ast.Call,)

    def visit(self, node, ctx):
        if type(node) is not ast.Call:
            return
        func = node.func
        if type(func) is not ast.Name or func.id not in _LAZY or not ctx.is_builtin(func, func.id):
            return
        name = func.id
        args = node.args
        if node.keywords:
            return
        starred = any(isinstance(a, ast.Starred) for a in args)
        if name == "map" and len(args) >= 2 and isinstance(args[0], ast.Constant) and args[0].value is None:
            self._map_none(node, ctx, args, starred)
            return
        receivers = set()
        for arg in (args if name == "zip" else args[1:]):
            key = reference_key(arg)
            if key:
                receivers.add(key)
        reason = _relied(ctx, node, LAZY, receivers)
        if name == "map" and (len(args) > 2 or starred):
            extra = "; the result is %s, so also wrap it in list()" % reason[0] if reason else ""
            ctx.report(node, "map() with several iterables: Python 3 stops at the shortest one, 2.7 pads "
                       "with None; check that the lengths are equal%s" % extra)
            return
        if name == "filter" and len(args) == 2 and _stringy(args[1]):
            ctx.report(node, "filter() over a string or tuple returns a string or tuple on 2.7 and an iterator "
                       "on Python 3: use ''.join(...) / tuple(...) explicitly")
            return
        if not reason:
            return
        _report_wrap(ctx, node, "%s() returns an iterator on Python 3, not a list; here it is %s" % (name, reason[0]))

    def _map_none(self, node, ctx, args, starred):
        if starred or not builtin_visible(ctx, node, "list"):
            ctx.report(node, "map(None, ...) fails on Python 3: use list(x) for one iterable, "
                       "list(six.moves.zip_longest(...)) for several")
            return
        if len(args) == 2:
            text = "list(%s)" % argument(ctx, args[1])
            ctx.report(node, "map(None, xs) fails on Python 3: use list(xs)", edits=[ctx.replace(node, text)])
            return
        text = "list(six.moves.zip_longest(%s))" % ", ".join(argument(ctx, a) for a in args[1:])
        ctx.report(node, "map(None, a, b) fails on Python 3: use list(six.moves.zip_longest(a, b))",
                   edits=[ctx.replace(node, text)], imports=[SIX])


# ---------------------------------------------------------------------------
@register
class RangeAsList(Fixer):
    code = "PK212"
    name = "range-as-list"
    summary = "range() result used as a mutable list (a range object on Python 3)"
    explanation = """
    What it does: wraps ``range(...)`` in ``list(...)`` where the code needs a
    real list: concatenation (``range(n) + [x]``), repetition, list methods
    that a range lacks (``.append()``, ``.sort()``, ``.pop()``...), item
    assignment or ``del r[i]``, comparison (``range(3) == [0, 1, 2]`` is False
    on Python 3), ``random.shuffle()`` and ``json.dumps()``, also through a
    local name (``r = range(n); r.append(n)``).

    Why: Python 3's ``range`` returns an immutable sequence.  Indexing,
    slicing, ``len()``, ``in``, iteration, ``reversed()``, ``.index()`` and
    ``.count()`` work on it, so those uses are left alone.

    Fix safety: ``list(range(...))`` is exactly the 2.7 value.  A range that
    leaves the function is left alone (see PK210).
    """
    examples = (
        Example("slots = range(4) + [None]\n", "slots = list(range(4)) + [None]\n"),
        Example("import random\norder = range(len(items))\nrandom.shuffle(order)\n",
                "import random\norder = list(range(len(items)))\nrandom.shuffle(order)\n"),
        Example("for i in range(3):\n    print(i)\nlast = range(10)[-1]\n", None,
                title="Iteration and indexing work on Python 3"),
    )
    needles = frozenset(["range"])
    node_types = (ast.Call,)

    def visit(self, node, ctx):
        if type(node) is not ast.Call:
            return
        func = node.func
        if type(func) is not ast.Name or func.id != "range" or not ctx.is_builtin(func, "range"):
            return
        reason = _relied(ctx, node, RANGE)
        if not reason:
            return
        _report_wrap(ctx, node, "range() returns a range object on Python 3, not a list; here it is %s" % reason[0])


# ---------------------------------------------------------------------------
def _next_methods(ctx):
    """``(with_args, plain)``: the ``next`` methods of the module's classes,
    those taking arguments and those taking only ``self``."""
    found = ctx.cache.get("classic.next_methods")
    if found is None:
        with_args, plain = [], []
        for node in nodes_of(ctx, ast.ClassDef):
            member = class_members(node).get("next")
            if isinstance(member, FUNCTIONS):
                args = member.args
                count = len(getattr(args, "posonlyargs", ())) + len(args.args)
                if count != 1 or args.vararg or args.kwarg or args.kwonlyargs:
                    with_args.append((node, member))
                else:
                    plain.append((node, member))
        found = (with_args, plain)
        ctx.cache["classic.next_methods"] = found
    return found


_NEXT_STORE = re.compile(r"\.\s*next\s*=(?!=)")


def _next_assigned(ctx) -> bool:
    """Does the module store an attribute called ``next`` (``self.next = handler``)?"""
    found = ctx.cache.get("classic.next_assigned")
    if found is None:
        found = _NEXT_STORE.search(ctx.text) is not None
        ctx.cache["classic.next_assigned"] = found
    return found


def _iter_returned_classes(ctx):
    """Names of classes that some ``__iter__`` method of the module returns an instance of."""
    names = ctx.cache.get("classic.iter_returned")
    if names is None:
        names = set()
        for node in nodes_of(ctx, ast.FunctionDef):
            if node.name == "__iter__":
                for sub in ast.walk(node):
                    if isinstance(sub, ast.Return) and isinstance(sub.value, ast.Call):
                        func = sub.value.func
                        if isinstance(func, ast.Name):
                            names.add(func.id)
        ctx.cache["classic.iter_returned"] = names
    return names


def _classes_by_name(ctx):
    table = ctx.cache.get("classic.classes")
    if table is None:
        table = {}
        for node in nodes_of(ctx, ast.ClassDef):
            table.setdefault(node.name, []).append(node)
        ctx.cache["classic.classes"] = table
    return table


def is_iterator_class(ctx, cls: ast.ClassDef, seen=None) -> bool:
    """Does ``cls`` (or a base defined in this module) define ``__iter__``, is it
    returned by an ``__iter__``, or does it derive from an ``Iterator`` ABC?"""
    seen = seen or set()
    if id(cls) in seen:
        return False
    seen.add(id(cls))
    if "__iter__" in class_members(cls) or cls.name in _iter_returned_classes(ctx):
        return True
    for base in cls.bases:
        last = base.attr if isinstance(base, ast.Attribute) else getattr(base, "id", None)
        if last == "Iterator" and ctx.resolve(base) != "six.Iterator":
            return True
        if isinstance(base, ast.Name):
            for other in _classes_by_name(ctx).get(base.id, ()):
                if other is not cls and is_iterator_class(ctx, other, seen):
                    return True
    return False


_NEXT_OK = frozenset(["six.next", "six.advance_iterator", "six.moves.builtins.next", "__builtin__.next"])


@register
class NextMethodCall(Fixer):
    code = "PK213"
    name = "next-method-call"
    summary = "it.next() does not exist on Python 3: use next(it)"
    explanation = """
    What it does: rewrites ``it.next()`` (no arguments) to ``next(it)``.

    Why: Python 3 renamed the iterator method to ``__next__``; the builtin
    ``next()`` (2.6+) calls the right one on each version.

    Fix safety: on 2.7 ``next(x)`` calls ``x.next()``.  On Python 3 it
    needs ``__next__``: generators, files, csv readers and every iterator of
    the standard library have it, and PK214 gives this module's iterator
    classes the alias.  Not rewritten (reported) when ``next`` is rebound
    where the call is (a local ``next`` would be called instead of the
    builtin), when the receiver is an imported name (a module's ``next``
    function), when this module defines a ``next`` method that takes
    arguments (the call may be that method), when it defines ``next(self)``
    in a class that is not an iterator (no alias for it), or when it assigns
    an attribute called ``next`` (``self.next = handler``: ``next(obj)``
    looks the method up on the type, not the instance).  An object of a
    class defined in another module whose ``next()`` is not an iterator
    method (2.7's ``multifile.MultiFile``) cannot be told apart: check the
    findings on such receivers.
    """
    examples = (
        Example("fields = iter(line.split('$'))\nmethod = fields.next()\n",
                "fields = iter(line.split('$'))\nmethod = next(fields)\n"),
        Example("request.id = self._ids.next()\n", "request.id = next(self._ids)\n"),
        Example("class Pager(object):\n    def next(self, n):\n        return n + 1\n\nx = pager.next()\n", None,
                title="A module next() method with arguments: reported", findings=("PK213",)),
        Example("node = node.next\n", None, title="An attribute, not a call"),
    )
    needles = frozenset(["next"])
    node_types = (ast.Call, ast.ClassDef, ast.FunctionDef)

    def visit(self, node, ctx):
        if type(node) is not ast.Call:
            return
        func = node.func
        if type(func) is not ast.Attribute or func.attr != "next" or node.args or node.keywords:
            return
        message = "the iterator method next() is __next__() on Python 3: use next(it)"
        found, target = ctx.walk.binding("next", node._pk_scope)
        if found and target not in _NEXT_OK:
            ctx.report(node, message + "; not rewritten: the name next is rebound here")
            return
        receiver = func.value
        imported = ctx.resolve(receiver) if isinstance(receiver, ast.Name) else None
        if imported is not None and not imported.startswith("builtins."):
            ctx.report(node, message + "; not rewritten: %s is imported (a module's next()?)" % receiver.id)
            return
        if isinstance(receiver, ast.Call) and isinstance(receiver.func, ast.Name) and receiver.func.id == "super":
            ctx.report(node, message + "; not rewritten: next(super(...)) does not call the parent's next()")
            return
        if isinstance(receiver, ast.Name) and receiver.id in _classes_by_name(ctx):
            ctx.report(node, message + "; not rewritten: %s is a class of this module" % receiver.id)
            return
        with_args, plain = _next_methods(ctx)
        if _next_assigned(ctx):
            ctx.report(node, message + "; not rewritten: this module assigns a next attribute (obj.next = ...), "
                       "which next(obj) would not call")
            return
        if with_args:
            ctx.report(node, message + "; not rewritten: this module defines a next() method taking arguments")
            return
        if any(not is_iterator_class(ctx, cls) for cls, _ in plain):
            ctx.report(node, message + "; not rewritten: this module defines next() on a class that is "
                       "not an iterator (give it __next__ = next first)")
            return
        text = argument(ctx, receiver)
        if not (isinstance(receiver, ast.GeneratorExp) and text.startswith("(") and text.endswith(")")):
            text = "(%s)" % text  # a generator expression keeps its own parentheses: next(x for x in y)
        ctx.report(node, message, edits=[ctx.replace(node, "next%s" % text)])


@register
class IteratorNextMethod(Fixer):
    code = "PK214"
    name = "iterator-next-method"
    summary = "an iterator class defines next() but not __next__()"
    explanation = """
    What it does: in a class that defines ``next(self)`` and is an iterator,
    adds ``__next__ = next`` right after the method, at the same indentation.

    Why: Python 3's iterator protocol calls ``__next__``; a class with only
    ``next`` raises ``TypeError: iter() returned non-iterator`` in a ``for``
    loop.  The alias keeps ``next`` for Python 2 and for any code calling it
    by name.

    A class counts as an iterator when it (or a base class defined in the
    module) defines ``__iter__``, when an ``__iter__`` method of the module
    returns an instance of it, or when it derives from an ``Iterator`` ABC.
    Other classes defining ``next(self)`` are reported (a pager's "next page"
    method needs no alias, but then ``obj.next()`` calls must stay as they
    are).  Classes that already define ``__next__`` are left alone.

    The alias names the function, not the method name: a subclass that
    overrides ``next`` needs its own alias.  Subclasses in this module get
    one (they define ``next`` and inherit ``__iter__``); check subclasses in
    other modules.
    """
    examples = (
        Example(
            "class Countdown(object):\n    def __init__(self, n):\n        self.n = n\n\n"
            "    def __iter__(self):\n        return self\n\n    def next(self):\n"
            "        if self.n <= 0:\n            raise StopIteration\n        self.n -= 1\n        return self.n\n",
            "class Countdown(object):\n    def __init__(self, n):\n        self.n = n\n\n"
            "    def __iter__(self):\n        return self\n\n    def next(self):\n"
            "        if self.n <= 0:\n            raise StopIteration\n        self.n -= 1\n        return self.n\n"
            "    __next__ = next\n",
        ),
        Example("class Pager(object):\n    def next(self):\n        return self.page + 1\n", None,
                title="Not an iterator: reported", findings=("PK214",)),
    )
    needles = frozenset(["next"])
    node_types = (ast.ClassDef, ast.FunctionDef)

    def visit(self, node, ctx):
        if type(node) is not ast.ClassDef:
            return
        members = class_members(node)
        method = members.get("next")
        if not isinstance(method, FUNCTIONS) or "__next__" in members:
            return
        args = method.args
        if len(getattr(args, "posonlyargs", ())) + len(args.args) != 1 or args.vararg or args.kwonlyargs:
            return
        if not is_iterator_class(ctx, node):
            ctx.report(method, "class %s defines next() but is not an iterator: if it is used as one, add "
                       "__next__ = next after the method" % node.name)
            return
        edit = insert_after_member(ctx, method, "__next__ = next")
        message = "iterator class %s: Python 3 calls __next__(), not next()" % node.name
        if edit is None:
            ctx.report(method, message + "; add __next__ = next after the method")
            return
        ctx.report(method, message + ": alias __next__ = next added", edits=[edit])


# -- bound-method references: it.next without a call ---------------------------
# Calls whose result is an iterator on 2.7 (with a next() method).
_ITERATOR_CALLS = frozenset(["builtins.iter", "builtins.reversed", "builtins.enumerate", "builtins.open",
                             "builtins.file", "io.open", "csv.reader", "csv.DictReader"] + [
    "itertools." + name for name in "count cycle repeat chain islice izip imap ifilter ifilterfalse "
                                    "izip_longest groupby product permutations combinations starmap "
                                    "takewhile dropwhile compress combinations_with_replacement".split()])


def _generator_function(ctx, name: ast.Name) -> bool:
    """Is ``name`` (called) a module-level function of this file, bound once,
    whose body yields (a generator function)?"""
    if ctx.walk.defining_scope(name.id, name._pk_scope) is not ctx.walk.module_scope:
        return False
    defs = [d for d in ctx.tree.body if isinstance(d, ast.FunctionDef) and d.name == name.id]
    if len(defs) != 1 or defs[0].decorator_list:
        return False
    stores = [n for n in nodes_of(ctx, ast.Name) if n.id == name.id and type(n.ctx) is not ast.Load]
    if stores:
        return False
    for sub in _own_nodes(defs[0]):
        if isinstance(sub, (ast.Yield, ast.YieldFrom)):
            return True
    return False


def _own_nodes(func):
    """The nodes of a function's body, not those of nested functions, classes and lambdas."""
    stack = list(func.body)
    while stack:
        node = stack.pop()
        yield node
        for child in ast.iter_child_nodes(node):
            if not isinstance(child, FUNCTIONS + (ast.ClassDef, ast.Lambda)):
                stack.append(child)


def _makes_iterator(ctx, node) -> bool:
    """Does evaluating ``node`` give an iterator (an object with next() on 2.7)?"""
    if isinstance(node, ast.GeneratorExp):
        return True
    if not isinstance(node, ast.Call):
        return False
    target = ctx.resolve(node.func)
    if target in _ITERATOR_CALLS:
        return True
    return isinstance(node.func, ast.Name) and _generator_function(ctx, node.func)


def _bound_to_iterators(ctx, receiver) -> bool:
    """Is ``receiver`` (a name, or ``obj.attr``) only ever bound to iterators?"""
    if isinstance(receiver, ast.Name):
        scope = ctx.walk.defining_scope(receiver.id, receiver._pk_scope)
        if scope is None:
            return False
        if scope.kind == "function":
            args = scope.node.args
            names = [a.arg for a in list(getattr(args, "posonlyargs", ())) + args.args + args.kwonlyargs]
            names += [a.arg for a in (args.vararg, args.kwarg) if a is not None]
            if receiver.id in names:
                return False
        values = plain_assignments(ctx, receiver.id, scope)
        if values is None:
            return False
        for node in nodes_of(ctx, ast.Import, ast.ImportFrom, ast.FunctionDef, ast.ClassDef, ast.ExceptHandler):
            bound = [getattr(node, "name", None)] if not isinstance(node, (ast.Import, ast.ImportFrom)) else [
                (a.asname or a.name).split(".")[0] for a in node.names]
            if receiver.id in bound and ctx.walk.defining_scope(receiver.id, node._pk_scope) is scope:
                return False
        return bool(values) and all(_makes_iterator(ctx, v) for v in values)
    if isinstance(receiver, ast.Attribute) and isinstance(receiver.value, ast.Name):
        values = attribute_assignments(ctx, receiver.attr)
        return bool(values) and all(_makes_iterator(ctx, v) for v in values)
    return False


def _expects_stop_iteration(ctx, node) -> bool:
    """``assertRaises(StopIteration, x.next)``: the test says x is an iterator."""
    call = ctx.parent(node)
    if not (isinstance(call, ast.Call) and len(call.args) >= 2 and call.args[1] is node):
        return False
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    first = call.args[0]
    return name in ("assertRaises", "failUnlessRaises", "raises") and isinstance(first, ast.Name) \
        and first.id == "StopIteration" and ctx.is_builtin(first, "StopIteration")


@register
class NextMethodReference(Fixer):
    code = "PK267"
    name = "next-method-reference"
    summary = "it.next referenced without a call (a bound method) does not exist on Python 3"
    explanation = """
    What it does: rewrites a reference to an iterator's ``next`` method that
    is not called on the spot (``self._advance = it.next``,
    ``assertRaises(StopIteration, gen.next)``, ``map(f, [rows.next] * 3)``) to
    ``(it.__next__ if six.PY3 else it.next)``.  It is rewritten only when
    the receiver is known to be an iterator: a generator expression, a call
    of ``iter``, ``reversed``, ``enumerate``, ``open``, ``csv.reader`` or an
    ``itertools`` function, a call of a generator function of this module,
    or a name or attribute that is only ever assigned such values.

    Why: Python 3 renamed the method to ``__next__``; ``it.next`` raises
    AttributeError there.  PK213 rewrites the calls ``it.next()``; a
    reference needs a callable.

    Fix safety: exact on 2.7, where the expression is ``it.next`` itself, the
    same bound method (the receiver is evaluated once, in the branch taken).
    ``functools.partial(next, it)`` or ``lambda: next(it)`` would not be:
    they are different objects (no ``im_self``, another ``repr``, other
    equality).  A ``.next`` attribute of anything else (a linked list's
    ``node.next``, a pager's ``next`` page) is left alone.  It is reported
    only when the code shows an iterator without proving it: in
    ``assertRaises(StopIteration, x.next)``.
    """
    examples = (
        Example("def numbers():\n    yield 1\n\ngen = numbers()\nstep = gen.next\n",
                "import six\ndef numbers():\n    yield 1\n\ngen = numbers()\nstep = (gen.__next__ if six.PY3 else gen.next)\n"),
        Example("class Reader(object):\n    def __init__(self, lines):\n        self._lines = iter(lines)\n"
                "        self.readline = self._lines.next\n",
                "import six\nclass Reader(object):\n    def __init__(self, lines):\n        self._lines = iter(lines)\n"
                "        self.readline = (self._lines.__next__ if six.PY3 else self._lines.next)\n",
                title="An attribute only ever assigned an iterator"),
        Example("def check(self, it):\n    self.assertRaises(StopIteration, it.next)\n", None,
                title="An iterator by the test's word only: reported", findings=("PK267",)),
        Example("node = node.next\n", None, title="Any other .next attribute is left alone"),
    )
    needles = frozenset(["next"])
    node_types = (ast.Attribute,)

    def visit(self, node, ctx):
        if node.attr != "next" or type(node.ctx) is not ast.Load:
            return
        parent = ctx.parent(node)
        if isinstance(parent, ast.Call) and parent.func is node:
            return  # a call: PK213
        if isinstance(parent, ast.IfExp) and parent.orelse is node and ctx.resolve(parent.test) == "six.PY3":
            return  # the Python 2 branch of this fixer's own rewrite
        receiver = node.value
        proven = _makes_iterator(ctx, receiver) or _bound_to_iterators(ctx, receiver)
        if not proven:
            if _expects_stop_iteration(ctx, node):
                ctx.report(node, "%s.next is __next__ on Python 3: write (%s.__next__ if six.PY3 else %s.next) "
                                 "once %s is known to be an iterator (not rewritten: nothing here proves it)"
                           % ((ctx.source(receiver),) * 4))
            return
        from ._stdlib_common import module_visible

        text = argument(ctx, receiver)
        if not isinstance(receiver, (ast.Name, ast.Attribute, ast.Call, ast.Subscript)) and not (
                isinstance(receiver, ast.GeneratorExp) and text.startswith("(")):
            text = "(%s)" % text
        message = "the iterator method next is __next__ on Python 3"
        if not module_visible(ctx, node, "six"):
            ctx.report(node, message + ": use (it.__next__ if six.PY3 else it.next) (not rewritten: six is "
                                       "another name here)")
            return
        new = "(%s.__next__ if six.PY3 else %s.next)" % (text, text)
        ctx.report(node, message + ": (it.__next__ if six.PY3 else it.next) is the same method on 2.7",
                   edits=[ctx.replace(node, new)], imports=[SIX])
