"""Special methods and class-body conventions that Python 3 changed:
``__nonzero__``, ``__div__``, ``__getslice__``, ``__unicode__``,
``__metaclass__``, ``__eq__`` without ``__hash__``, ``__cmp__``."""
from __future__ import annotations

import ast
import builtins
import re

from portkit.fixer import Example, Fixer
from portkit.fixutil import SIX
from portkit.model import Edit
from portkit.registry import register

from fixers._classic import (
    FUNCTIONS,
    alone_on_lines,
    class_members,
    combine,
    indent_of,
    insert_after_member,
    insert_decorator,
    nodes_of,
    remove_statement,
)
from fixers._stdlib_common import module_visible


def _alias(ctx, cls, old: str, new: str, code_message: str, fixer_report=None):
    members = class_members(cls)
    member = members.get(old)
    if member is None or new in members:
        return
    edit = insert_after_member(ctx, member, "%s = %s" % (new, old))
    if edit is None:
        ctx.report(member, "%s; add %s = %s after it" % (code_message, new, old))
        return
    ctx.report(member, "%s: alias %s = %s added" % (code_message, new, old), edits=[edit])


@register
class NonZero(Fixer):
    code = "PK225"
    name = "nonzero-method"
    summary = "__nonzero__ is __bool__ on Python 3"
    explanation = """
    What it does: in a class that defines ``__nonzero__`` but not
    ``__bool__``, adds ``__bool__ = __nonzero__`` right after it.

    Why: Python 3 calls ``__bool__`` for ``if obj:``; without it, a class
    with ``__len__`` uses the length and any other class is always true.
    The alias keeps the one implementation for both versions.  A subclass
    that overrides ``__nonzero__`` needs its own alias: those of this module
    get one; check subclasses in other modules.
    """
    examples = (
        Example("class Cart(object):\n    def __nonzero__(self):\n        return bool(self.items)\n",
                "class Cart(object):\n    def __nonzero__(self):\n        return bool(self.items)\n"
                "    __bool__ = __nonzero__\n"),
        Example("class Cart(object):\n    def __nonzero__(self):\n        return True\n    __bool__ = __nonzero__\n",
                None, title="Already aliased"),
    )
    needles = frozenset(["__nonzero__"])
    node_types = (ast.ClassDef,)

    def visit(self, node, ctx):
        _alias(ctx, node, "__nonzero__", "__bool__", "Python 3 calls __bool__, not __nonzero__")


_DIVISION = (("__div__", "__truediv__"), ("__rdiv__", "__rtruediv__"), ("__idiv__", "__itruediv__"))


@register
class DivisionMethods(Fixer):
    code = "PK226"
    name = "div-methods"
    summary = "__div__ / __rdiv__ / __idiv__ are never called on Python 3"
    explanation = """
    What it does: adds ``__truediv__ = __div__`` (likewise ``__rtruediv__ =
    __rdiv__``, ``__itruediv__ = __idiv__``) after each classic division
    method of a class that lacks the true-division one.

    Why: Python 3's ``/`` calls only the ``__*truediv__`` methods.  The alias
    keeps the class's own division semantics for ``/`` on both versions (the
    class decides what its division means; portkit does not turn it into
    true division).  On 2.7, modules with ``from __future__ import division``
    also start using the alias, where ``/`` used to raise ``TypeError``.
    As with PK225, subclasses overriding ``__div__`` need their own alias
    (given in this module, to check in others).
    """
    examples = (
        Example("class Money(object):\n    def __div__(self, n):\n        return Money(self.cents // n)\n",
                "class Money(object):\n    def __div__(self, n):\n        return Money(self.cents // n)\n"
                "    __truediv__ = __div__\n"),
        Example("class V(object):\n    def __div__(self, n):\n        return self\n    def __truediv__(self, n):\n"
                "        return self\n", None, title="Both defined"),
    )
    needles = frozenset(old for old, _ in _DIVISION)
    node_types = (ast.ClassDef,)

    def visit(self, node, ctx):
        for old, new in _DIVISION:
            _alias(ctx, node, old, new, "Python 3 calls %s for /, never %s" % (new, old))


_SLICES = {"__getslice__": "__getitem__", "__setslice__": "__setitem__", "__delslice__": "__delitem__"}


@register
class SliceMethods(Fixer):
    code = "PK227"
    name = "slice-methods"
    summary = "__getslice__ / __setslice__ / __delslice__ are never called on Python 3"
    fixable = False
    explanation = """
    What it does: reports every definition of ``__getslice__``,
    ``__setslice__`` and ``__delslice__`` in a class body, by ``def`` or by
    assignment (``__getslice__ = _slice``).

    Why: Python 3 passes a ``slice`` object to ``__getitem__`` /
    ``__setitem__`` / ``__delitem__`` instead.  Make those methods handle
    ``isinstance(index, slice)`` (2.7 calls them with a slice too when the
    ``*slice__`` method is missing, and always for extended slices), then
    delete the old methods.  Not rewritten: merging two methods needs a look.
    """
    examples = (
        Example("class Seq(object):\n    def __getslice__(self, i, j):\n        return self.data[i:j]\n", None,
                findings=("PK227",)),
    )
    needles = frozenset(_SLICES)
    node_types = (ast.ClassDef,)

    def visit(self, node, ctx):
        # defs and assignments alike (__getslice__ = _slice)
        for name, stmt in class_members(node).items():
            if name in _SLICES:
                ctx.report(stmt, "Python 3 never calls %s: handle slice objects in %s instead"
                           % (name, _SLICES[name]))


# ---------------------------------------------------------------------------
_UTF8 = re.compile(r"^utf[-_]?8$", re.I)


def _encodes_unicode(ctx, method) -> bool:
    """Is ``method`` just ``return <unicode of self>.encode('utf-8')``?"""
    body = method.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) and isinstance(
        body[0].value.value, str
    ):
        body = body[1:]
    if len(body) != 1 or not isinstance(body[0], ast.Return) or method.decorator_list:
        return False
    args = method.args
    if len(args.args) != 1 or args.vararg or args.kwarg or args.kwonlyargs or getattr(args, "posonlyargs", ()):
        return False
    this = args.args[0].arg
    value = body[0].value
    if not (isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and value.func.attr == "encode"):
        return False
    encoding = None
    if len(value.args) == 1 and not value.keywords:
        encoding = value.args[0]
    elif not value.args and len(value.keywords) == 1 and value.keywords[0].arg == "encoding":
        encoding = value.keywords[0].value
    if not (isinstance(encoding, ast.Constant) and isinstance(encoding.value, str) and _UTF8.match(encoding.value)):
        return False
    inner = value.func.value
    if not isinstance(inner, ast.Call) or inner.keywords:
        return False
    if isinstance(inner.func, ast.Attribute) and inner.func.attr == "__unicode__" and not inner.args:
        return isinstance(inner.func.value, ast.Name) and inner.func.value.id == this
    if len(inner.args) == 1 and isinstance(inner.args[0], ast.Name) and inner.args[0].id == this:
        name = ctx.resolve(inner.func)
        return name in ("builtins.unicode", "six.text_type")
    return False


@register
class UnicodeMethod(Fixer):
    code = "PK228"
    name = "unicode-method"
    summary = "__unicode__ is never called on Python 3"
    explanation = """
    What it does: for a class that defines ``__unicode__`` and a ``__str__``
    that only encodes it to UTF-8 (``return unicode(self).encode('utf-8')``
    or ``return self.__unicode__().encode('utf-8')``): renames
    ``__unicode__`` to ``__str__``, deletes the old ``__str__`` and decorates
    the class with ``@six.python_2_unicode_compatible``.

    Why: Python 3's ``str()`` calls ``__str__``, which must return text;
    ``__unicode__`` is never called.  On 2.7 the decorator moves the text
    method back to ``__unicode__`` and defines ``__str__`` as exactly the
    UTF-8 encoding the old code had, so both versions keep their behaviour.
    The decorator goes above the class's other decorators: one that rebuilds
    the class (``six.add_metaclass``, ``attr.s``) must run first, or the
    class it builds gets 2.7 methods bound to the class it replaced.

    A class with ``__unicode__`` and no ``__str__`` (on 2.7 its ``str()`` is
    the default ``<... object>``, which the decorator would change) gets a
    ``__str__`` on Python 3 only, ``if six.PY3: def __str__(self): return
    self.__unicode__()``: nothing changes on 2.7, and on 3 ``str()`` calls
    the class's own (or a subclass's) ``__unicode__``.

    Reported, not rewritten: a ``__str__`` that does anything else (another
    encoding, other text), and a class body that uses the name
    ``__unicode__`` itself.
    """
    examples = (
        Example(
            "class Product(object):\n    def __unicode__(self):\n        return self.name\n\n"
            "    def __str__(self):\n        return unicode(self).encode('utf-8')\n\n"
            "    def __repr__(self):\n        return '<Product>'\n",
            "import six\n@six.python_2_unicode_compatible\nclass Product(object):\n    def __str__(self):\n"
            "        return self.name\n\n    def __repr__(self):\n        return '<Product>'\n",
        ),
        Example("class Tag(object):\n    def __unicode__(self):\n        return self.label\n",
                "import six\nclass Tag(object):\n    def __unicode__(self):\n        return self.label\n"
                "    if six.PY3:\n        def __str__(self):\n            return self.__unicode__()\n",
                title="No __str__: one on Python 3 only (str() on 2.7 stays the default)"),
    )
    needles = frozenset(["__unicode__"])
    node_types = (ast.ClassDef,)

    def visit(self, node, ctx):
        members = class_members(node)
        method = members.get("__unicode__")
        if method is None:
            return
        message = "Python 3's str() never calls __unicode__"
        if not isinstance(method, FUNCTIONS):
            ctx.report(method, message + ": define __str__ returning text and decorate the class with "
                       "@six.python_2_unicode_compatible")
            return
        old = members.get("__str__")
        if old is None:
            if _has_py3_str(ctx, node):
                return  # what this rule wrote
            indent = indent_of(ctx, method)
            block = "if six.PY3:\n%s    def __str__(self):\n%s        return self.__unicode__()" % (indent, indent)
            edit = insert_after_member(ctx, method, block) if module_visible(ctx, method, "six") else None
            if edit is None:
                ctx.report(method, message + ": define __str__ returning the text on Python 3 only "
                           "(if six.PY3: def __str__(self): return self.__unicode__())")
                return
            ctx.report(method, message + ": __str__ returns it on Python 3 only (if six.PY3:); on 2.7 str() "
                       "stays the default", edits=[edit], imports=[SIX])
            return
        if not isinstance(old, FUNCTIONS) or not _encodes_unicode(ctx, old):
            ctx.report(method, message + ": make __str__ return the text and decorate the class with "
                       "@six.python_2_unicode_compatible; not rewritten: __str__ does more than encode "
                       "__unicode__() to UTF-8")
            return
        for stmt in node.body:
            if stmt is method or stmt is old:
                continue
            for sub in ast.walk(stmt):
                if isinstance(sub, ast.Name) and sub.id == "__unicode__":
                    ctx.report(method, message + "; not rewritten: the class body uses the name __unicode__")
                    return
        match = re.compile(r"def\s+(__unicode__)\b").search(ctx.text, ctx.start(method))
        # Outermost: a decorator that rebuilds the class (six.add_metaclass,
        # attr.s) would copy the 2.7 __unicode__, an unbound method of the
        # class it replaced, and break it.
        decorator = insert_decorator(ctx, node, "six.python_2_unicode_compatible", outermost=True)
        if match is None or decorator is None or not alone_on_lines(ctx, old):
            ctx.report(method, message + ": rename it __str__, delete the encoding __str__ and decorate the "
                       "class with @six.python_2_unicode_compatible")
            return
        edits = [
            decorator,
            Edit(match.start(1), match.end(1), "__str__"),
            remove_statement(ctx, old, node.body),
        ]
        ctx.report(method, message + ": renamed to __str__, the class decorated with "
                   "@six.python_2_unicode_compatible", edits=[combine(ctx, edits)], imports=[SIX])


# ---------------------------------------------------------------------------
def _has_py3_str(ctx, cls) -> bool:
    """Does the class body have ``if six.PY3:`` defining ``__str__``?"""
    for stmt in cls.body:
        if isinstance(stmt, ast.If) and ctx.resolve(stmt.test) == "six.PY3" and any(
                isinstance(sub, FUNCTIONS) and sub.name == "__str__" for sub in stmt.body):
            return True
    return False


def _plain_metaclass(ctx, cls, seen) -> bool:
    """Is the metaclass of ``cls`` ``type`` for sure (no custom metaclass anywhere up)?"""
    if id(cls) in seen:
        return False
    seen.add(id(cls))
    if "__metaclass__" in class_members(cls) or cls.keywords:
        return False
    if any(_decorator_name(d) == "add_metaclass" for d in cls.decorator_list):
        return False
    return all(_plain_base(ctx, base, seen) for base in cls.bases)


def _decorator_name(node):
    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Attribute):
        return node.attr
    return getattr(node, "id", None)


def _plain_base(ctx, base, seen) -> bool:
    """Is ``base`` a builtin type or a class of this module whose metaclass is ``type``?"""
    if not isinstance(base, ast.Name):
        return False
    local = [c for c in _module_classes(ctx) if c.name == base.id]
    if local:
        return all(_plain_metaclass(ctx, c, seen) for c in local)
    return ctx.is_builtin(base, base.id) and (
        isinstance(getattr(builtins, base.id, None), type) or base.id == "StandardError"
    )


def _module_classes(ctx):
    classes = ctx.cache.get("classic.classdefs")
    if classes is None:
        classes = nodes_of(ctx, ast.ClassDef)
        ctx.cache["classic.classdefs"] = classes
    return classes


@register
class Metaclass(Fixer):
    code = "PK229"
    name = "metaclass-attribute"
    summary = "__metaclass__ in a class body is ignored by Python 3"
    explanation = """
    What it does: replaces ``__metaclass__ = M`` in a class body with the
    decorator ``@six.add_metaclass(M)`` on the class (placed right above the
    ``class`` line; the assignment line is removed, ``pass`` is left if it
    was the only statement).

    Why: Python 3 takes the metaclass only from ``class C(metaclass=M)``,
    which 2.7 cannot parse; ``six.add_metaclass`` rebuilds the class with
    ``M`` on both versions.

    Fix safety: the decorator first creates the class with its bases'
    metaclass, then rebuilds it with ``M``.  That is only invisible when the
    bases' metaclass is plain ``type``, so the fix is applied when every base
    is a builtin or a class of this module without a custom metaclass.
    Otherwise (an imported base such as a framework model, whose metaclass
    might register the temporary class) the finding is reported.  Also
    reported: a metaclass expression that uses names of the class body, an
    assignment sharing its line, and a module-level ``__metaclass__`` (the
    default metaclass of old-style classes, which Python 3 ignores).
    ``C.__metaclass__`` no longer exists after the fix.
    """
    examples = (
        Example("class Plugin(object):\n    __metaclass__ = PluginMeta\n\n    def run(self):\n        pass\n",
                "import six\n@six.add_metaclass(PluginMeta)\nclass Plugin(object):\n    def run(self):\n"
                "        pass\n"),
        Example("class Base:\n    __metaclass__ = abc.ABCMeta\n",
                "import six\n@six.add_metaclass(abc.ABCMeta)\nclass Base:\n    pass\n"),
        Example("class Article(models.Model):\n    __metaclass__ = TranslatedMeta\n", None,
                title="An imported base: reported", findings=("PK229",)),
    )
    needles = frozenset(["__metaclass__"])
    node_types = (ast.ClassDef, ast.Assign)

    def visit(self, node, ctx):
        if isinstance(node, ast.Assign):
            if (len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
                    and node.targets[0].id == "__metaclass__" and isinstance(ctx.parent(node), ast.Module)):
                ctx.report(node, "a module-level __metaclass__ is ignored by Python 3 (all classes are new-style "
                           "there): derive the module's classes from object, or use @six.add_metaclass")
            return
        stmt = None
        for item in node.body:
            if isinstance(item, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "__metaclass__" for t in item.targets
            ):
                stmt = item
        if stmt is None:
            return
        message = "Python 3 ignores __metaclass__ in the class body: use @six.add_metaclass(M)"
        if len(stmt.targets) != 1 or not isinstance(stmt.targets[0], ast.Name):
            ctx.report(stmt, message)
            return
        members = set(class_members(node)) - {"__metaclass__"}
        used = {n.id for n in ast.walk(stmt.value) if isinstance(n, ast.Name)}
        if used & members:
            ctx.report(stmt, message + "; not rewritten: the metaclass expression uses names of the class body")
            return
        if not all(_plain_base(ctx, base, {id(node)}) for base in node.bases) or node.keywords:
            ctx.report(stmt, message + "; not rewritten: a base class may have a metaclass of its own, which "
                       "would also see the temporary class add_metaclass creates")
            return
        decorator = insert_decorator(ctx, node, "six.add_metaclass(%s)" % ctx.source(stmt.value))
        removal = remove_statement(ctx, stmt, node.body)
        if decorator is None or removal is None:
            ctx.report(stmt, message + "; not rewritten: the assignment shares its line with other code")
            return
        ctx.report(stmt, message, edits=[combine(ctx, [decorator, removal])], imports=[SIX])


# ---------------------------------------------------------------------------
def _hash_source(ctx, cls: ast.ClassDef):
    """The class whose ``__hash__`` instances of ``cls`` use on 2.7, as source
    text, when Python 3 gives the same object under that name; else None."""
    if cls.keywords or len(cls.bases) != 1:
        return None
    base = cls.bases[0]
    if not isinstance(base, ast.Name):
        return None
    if ctx.is_builtin(base, base.id):
        value = getattr(builtins, base.id, None)
        return base.id if isinstance(value, type) else None
    for stmt in ctx.tree.body:  # a class of this module that defines __hash__ itself
        if isinstance(stmt, ast.ClassDef) and stmt.name == base.id and "__hash__" in class_members(stmt):
            scope = getattr(base, "_pk_scope", None)
            if scope is not None and ctx.walk.defining_scope(base.id, scope) is ctx.walk.module_scope:
                bindings = [n for n in ctx.tree.body if isinstance(n, (ast.ClassDef, ast.FunctionDef))
                            and n.name == base.id]
                return base.id if len(bindings) == 1 else None
    return None


@register
class EqWithoutHash(Fixer):
    code = "PK230"
    name = "eq-without-hash"
    summary = "a class defining __eq__ without __hash__ is unhashable on Python 3"
    explanation = """
    What it does: in a class that defines ``__eq__`` but not ``__hash__``
    and has one base, a builtin class (``object``, ``Exception``,
    ``tuple``...) or a class of the module that defines ``__hash__`` itself,
    adds ``__hash__ = Base.__hash__`` right after ``__eq__``.  Other such
    classes are reported (``python2.7 -3`` warns about the same thing).

    Why: Python 3 sets ``__hash__ = None`` in a class that defines
    ``__eq__`` without ``__hash__``, so its instances can no longer be dict
    keys or set members; 2.7 keeps the inherited hash (the identity hash of
    ``object``, usually).  ``__hash__ = object.__hash__`` is exactly what
    2.7 did, on both versions.  Note that an identity hash is not consistent
    with a value ``__eq__`` (equal instances are different set members, on
    2.7 too): where instances are used as keys, define a ``__hash__`` of the
    fields ``__eq__`` compares, or ``__hash__ = None`` if they are mutable.

    Not rewritten: classes with several bases, a metaclass, or a base whose
    ``__hash__`` Python 3 may have dropped as well (an imported class, a
    class of the module without its own ``__hash__``).  A class without
    bases is an old-style class on 2.7, unhashable there too once it defines
    ``__eq__``; it is reported, since it becomes new-style on 3.
    """
    examples = (
        Example("class Point(object):\n    def __eq__(self, other):\n        return self.xy == other.xy\n",
                "class Point(object):\n    def __eq__(self, other):\n        return self.xy == other.xy\n"
                "    __hash__ = object.__hash__\n"),
        Example("class Point(Base, Mixin):\n    def __eq__(self, other):\n        return self.xy == other.xy\n",
                None, findings=("PK230",), title="Several bases: reported"),
        Example("class Point(object):\n    def __eq__(self, other):\n        return self.xy == other.xy\n"
                "    def __hash__(self):\n        return hash(self.xy)\n", None, title="Hash defined"),
    )
    needles = frozenset(["__eq__"])
    node_types = (ast.ClassDef,)

    def visit(self, node, ctx):
        members = class_members(node)
        if "__eq__" not in members or "__hash__" in members:
            return
        message = ("class %s defines __eq__ but not __hash__: its instances are unhashable on Python 3"
                   % node.name)
        base = _hash_source(ctx, node)
        edit = insert_after_member(ctx, members["__eq__"], "__hash__ = %s.__hash__" % base) if base else None
        if edit is None:
            ctx.report(node, message + "; define __hash__ (the fields __eq__ compares), or __hash__ = None")
            return
        ctx.report(node, message + ": __hash__ = %s.__hash__ keeps the hash 2.7 inherits (a hash of the fields "
                   "__eq__ compares would be consistent with it)" % base, edits=[edit])


@register
class CmpMethod(Fixer):
    code = "PK231"
    name = "cmp-method"
    summary = "__cmp__ is never called on Python 3"
    fixable = False
    explanation = """
    What it does: reports every ``__cmp__`` method.

    Why: Python 3 compares only through the rich comparison methods.  Define
    ``__eq__`` and ``__lt__`` (and ``__hash__``, see PK230) and decorate the
    class with ``functools.total_ordering`` (2.7 and 3) for the rest.  Not
    rewritten: ``__cmp__`` often compares in ways (mixed types, ``None``)
    that need a decision.
    """
    examples = (
        Example("class Version(object):\n    def __cmp__(self, other):\n        return cmp(self.t, other.t)\n",
                "class Version(object):\n    def __cmp__(self, other):\n"
                "        return (self.t > other.t) - (self.t < other.t)\n", findings=("PK231", "PK222")),
    )
    needles = frozenset(["__cmp__"])
    node_types = (ast.ClassDef,)

    def visit(self, node, ctx):
        member = class_members(node).get("__cmp__")
        if member is not None:
            ctx.report(member, "Python 3 never calls __cmp__: define __eq__ and __lt__ and decorate the class "
                       "with @functools.total_ordering")
