"""Bytes/text kind inference: is this expression BYTES, TEXT or NATIVE?

Three kinds of string matter when one source must run on 2.7 and 3:

``BYTES``   ``str`` on 2, ``bytes`` on 3 (``b''``, ``.encode()``, digests, sockets)
``TEXT``    ``unicode`` on 2, ``str`` on 3 (``u''``, ``.decode()``, ``six.text_type``)
``NATIVE``  ``str`` on both (plain literals, ``str()``, WSGI environ values)

:func:`kind_of` labels an expression with one of them, or ``UNKNOWN``, and
gives the *reason* (``"u'' literal at line 12"``, ``"result of
hashlib.sha1().digest()"``, ``"environ['PATH_INFO'] (PEP 3333)"``) that
findings quote.  The evidence:

* literals (``b''``, ``u''``; a plain ``''`` is NATIVE, or TEXT under
  ``from __future__ import unicode_literals``);
* ``.encode()`` → BYTES, ``.decode()`` → TEXT, ``unicode()`` / ``six.text_type()``
  / ``six.ensure_text()`` → TEXT, ``str()`` → NATIVE, ``six.ensure_binary()`` → BYTES;
* ``%``, ``.format``, ``+`` and ``join`` by the kinds of their operands
  (on 2, NATIVE combined with TEXT gives TEXT);
* the API table of :mod:`portkit.kind_table` (hashlib, hmac, base64,
  binascii, zlib, struct, sockets, files by mode, buffers, json, urllib under
  all its spellings, cookies, uuid ...);
* WSGI: the ``environ`` parameter of a function taking ``(environ,
  start_response)`` (or any parameter so named) is the environ: its values
  are NATIVE, ``environ['wsgi.input'].read()`` is BYTES;
* flow, with light tracking on ``ast`` only: the assignments of a variable
  that can reach a use (an unconditional assignment earlier in the same
  block hides the ones before it; ``if isinstance(s, unicode): s =
  s.encode(...)`` leaves BYTES behind), augmented assignments, ``for``
  targets, returns of functions and methods, ``self.x`` attributes (every
  assignment in the class family, properties by their getter), and
  parameters by the arguments at their call sites.

Flow crosses module boundaries inside one project (the package tree around
the file): ``from .webutil import Response`` (or the implicit relative
``from webutil import Response`` of Python 2) leads to the class in
``webutil.py``, and a function's parameters take the kinds of the
arguments its callers in every module of the project pass.  The other
modules are read from disk, parsed once per process and cached by path,
size and mtime.

A variable whose reaching assignments disagree is a *mixed* string (the
message names every side).  Everything is computed lazily and memoised per
analysis in ``ctx.cache``, so only files that the PK4 fixers' needles select
pay for it.
"""
from __future__ import annotations

import ast
import bisect
import io
import itertools
import os
import re
import sys
import tokenize
from typing import Dict, List, Optional, Tuple

from . import kind_table as table
from .project import project_folder
from .analysis import child_fields

BYTES = "BYTES"
TEXT = "TEXT"
NATIVE = "NATIVE"
UNKNOWN = "UNKNOWN"
STRINGS = (BYTES, TEXT, NATIVE)


# ---------------------------------------------------------------------------
# Values
# ---------------------------------------------------------------------------
class Value:
    """What an expression evaluates to, as far as bytes and text go."""

    __slots__ = ()
    label = UNKNOWN
    reason = ""

    def describe(self) -> str:
        return "%s (%s)" % (self.label, self.reason) if self.reason else self.label


class Str(Value):
    """A string of one kind.

    ``portable``: its UTF-8 encoding on 3 is exactly the value it has on 2
    (ASCII data, a literal of a UTF-8 source); ``latin1``: its latin-1
    encoding on 3 is the value on 2 (a PEP 3333 environ value)."""

    __slots__ = ("label", "reason", "portable", "latin1", "ascii", "codec")

    def __init__(self, label, reason, portable=False, latin1=False, ascii=False, codec=None):
        self.label = label
        self.reason = reason
        self.portable = portable or ascii
        self.latin1 = latin1 or ascii
        self.ascii = ascii
        self.codec = codec  # BYTES made by .encode(codec)

    def __repr__(self):
        return "Str(%s, %r)" % (self.label, self.reason)


class Mixed(Value):
    """A string whose possible kinds disagree (several reaching assignments)."""

    __slots__ = ("parts",)
    label = UNKNOWN

    def __init__(self, parts):
        self.parts = parts  # tuple of Str, one per label

    @property
    def labels(self):
        return tuple(p.label for p in self.parts)

    @property
    def reason(self):
        return "; ".join("%s from %s" % (p.label, p.reason) for p in self.parts)

    def describe(self):
        return "%s (%s)" % (" or ".join(self.labels), self.reason)

    def __repr__(self):
        return "Mixed(%s)" % ", ".join(self.labels)


class Unknown(Value):
    __slots__ = ("reason",)

    def __init__(self, reason=""):
        self.reason = reason

    def __repr__(self):
        return "Unknown(%r)" % self.reason


class Other(Value):
    """Not a string: a number, a bool, an exception ..."""

    __slots__ = ("reason",)
    label = "OTHER"

    def __init__(self, reason=""):
        self.reason = reason

    def __repr__(self):
        return "Other(%r)" % self.reason


class NoneValue(Value):
    __slots__ = ()
    label = "NONE"
    reason = "None"


class Seq(Value):
    """A list, set, iterator or tuple of unknown length whose items are ``item``."""

    __slots__ = ("item", "reason")
    label = "SEQUENCE"

    def __init__(self, item, reason=""):
        self.item = item
        self.reason = reason

    def __repr__(self):
        return "Seq(%r)" % (self.item,)


class Tup(Value):
    __slots__ = ("items", "reason")
    label = "TUPLE"

    def __init__(self, items, reason=""):
        self.items = tuple(items)
        self.reason = reason

    def __repr__(self):
        return "Tup(%r)" % (self.items,)


class Map(Value):
    __slots__ = ("key", "value", "reason", "keys")
    label = "MAPPING"

    def __init__(self, key, value, reason="", keys=None):
        self.key = key
        self.value = value
        self.reason = reason
        self.keys = keys  # {constant key: Value} for dict displays, or None

    def __repr__(self):
        return "Map(%r: %r)" % (self.key, self.value)


class Obj(Value):
    """An object: of an API type of :data:`kind_table.TYPES` (``type``), or an
    instance of a class ``cls`` of module ``owner`` (a :class:`Kinds`)."""

    __slots__ = ("type", "cls", "owner", "reason", "extra")
    label = "OBJECT"

    def __init__(self, type=None, cls=None, owner=None, reason="", extra=None):
        self.type = type
        self.cls = cls
        self.owner = owner
        self.reason = reason
        self.extra = extra  # e.g. the pattern Value of a compiled regex

    def __repr__(self):
        return "Obj(%s)" % (self.type or getattr(self.cls, "name", "?"))


class Objs(Value):
    """One of several objects (a real socket or a test double): what is done to it
    gives the join of what each alternative gives."""

    __slots__ = ("alternatives", "reason")
    label = "OBJECT"

    def __init__(self, alternatives, reason=""):
        self.alternatives = tuple(alternatives)
        self.reason = reason

    def __repr__(self):
        return "Objs(%s)" % ", ".join(map(repr, self.alternatives))


class Func(Value):
    """A function or method (``node``) or a class (``cls``) of module ``owner``,
    or an API callable named by ``reason`` (a canonical dotted name)."""

    __slots__ = ("node", "cls", "owner", "reason")
    label = "CALLABLE"

    def __init__(self, node=None, cls=None, owner=None, reason=""):
        self.node = node
        self.cls = cls
        self.owner = owner
        self.reason = reason

    def __repr__(self):
        return "Func(%s)" % (getattr(self.node, "name", None) or getattr(self.cls, "name", None) or self.reason)


class Mod(Value):
    """A module of the project."""

    __slots__ = ("kinds", "reason")
    label = "MODULE"

    def __init__(self, kinds):
        self.kinds = kinds
        self.reason = "module %s" % kinds.dotted


def join(a: Optional[Value], b: Optional[Value]) -> Optional[Value]:
    """The value that is ``a`` on some paths and ``b`` on others (None: no information)."""
    if a is None:
        return b
    if b is None or a is b:
        return a
    ta, tb = type(a), type(b)
    if ta is NoneValue:
        return b
    if tb is NoneValue:
        return a
    if ta is Unknown:
        return a
    if tb is Unknown:
        return b
    if ta in (Str, Mixed) and tb in (Str, Mixed):
        parts = list(a.parts if ta is Mixed else (a,))
        for part in (b.parts if tb is Mixed else (b,)):
            for index, have in enumerate(parts):
                if have.label == part.label:
                    if (have.portable, have.latin1, have.ascii) != (part.portable, part.latin1, part.ascii):
                        parts[index] = Str(have.label, have.reason, have.portable and part.portable,
                                           have.latin1 and part.latin1, have.ascii and part.ascii)
                    break
            else:
                parts.append(part)
        if len(parts) == 1:
            return parts[0]
        return Mixed(tuple(parts))
    if ta is Other and tb is Other:
        return a
    if ta is Seq and tb is Seq:
        return Seq(join(a.item, b.item), a.reason)
    if ta is Tup and tb is Tup:
        if len(a.items) == len(b.items):
            return Tup([join(x, y) for x, y in zip(a.items, b.items)], a.reason)
        return Seq(join(tuple_item(a), tuple_item(b)), a.reason)
    if {ta, tb} == {Tup, Seq}:
        seq, tup = (a, b) if ta is Seq else (b, a)
        return Seq(join(seq.item, tuple_item(tup)), seq.reason)
    if ta is Map and tb is Map:
        return Map(join(a.key, b.key), join(a.value, b.value), a.reason)
    if ta is Obj and tb is Obj and a.type == b.type and a.cls is b.cls:
        return a
    if ta in (Obj, Objs) and tb in (Obj, Objs):
        alternatives = list(a.alternatives if ta is Objs else (a,))
        for other in (b.alternatives if tb is Objs else (b,)):
            if not any(x.type == other.type and x.cls is other.cls for x in alternatives):
                alternatives.append(other)
        if len(alternatives) > 6:
            return Unknown("one of many objects")
        return Objs(alternatives, "one of several objects")
    if ta is Func and tb is Func and a.node is b.node and a.cls is b.cls:
        if a.reason == b.reason:
            return a
        sa, sb = table.FUNCTIONS.get(a.reason), table.FUNCTIONS.get(b.reason)
        if a.node is None and a.cls is None and sa is not None and sb is not None and sa.result == sb.result:
            return a  # hashlib.sha256 or hashlib.sha384: the same kind of result
    if ta is Mod and tb is Mod and a.kinds is b.kinds:
        return a
    return Unknown("%s or %s" % (short(a), short(b)))


def portable(value) -> bool:
    """Does ``value`` point at no analysis (no module, class, function or
    node)?  Then another analysis of the same texts may take it as it is."""
    cls = type(value)
    if cls is Str or cls is Mixed or cls is Unknown or cls is Other or cls is NoneValue or value is None:
        return True
    if cls is Seq:
        return portable(value.item)
    if cls is Tup:
        return all(portable(item) for item in value.items)
    if cls is Map:
        return portable(value.key) and portable(value.value) and (
            value.keys is None or all(portable(v) for v in value.keys.values()))
    if cls is Obj:
        return value.cls is None and value.owner is None and (value.extra is None or isinstance(
            value.extra, Value) and portable(value.extra))
    return False


class _Owner:
    """A module of the project, in a value kept for other analyses (see
    :func:`detach`): its name and the tree its nodes are of."""

    __slots__ = ("dotted", "tree")

    def __init__(self, dotted, tree):
        self.dotted = dotted
        self.tree = tree


class _Detached:
    """A value whose modules are :class:`_Owner` stand-ins (see :func:`detach`)."""

    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value

    def attach(self, universe) -> Optional[Value]:
        """The value in ``universe`` (None if one of its modules is not the same reading there)."""
        try:
            return _attach(self.value, universe)
        except _NotHere:
            return None


class _NotHere(Exception):
    pass


def detach(value):
    """``value`` as another analysis of the same texts may take it: itself when
    it points at no analysis (:func:`portable`); a :class:`_Detached` when the
    modules it points at are readings that outlive this analysis (their
    classes and functions are nodes of those trees); else None."""
    if portable(value):
        return value
    try:
        return _Detached(_detach(value))
    except _NotHere:
        return None


def _detach(value):
    cls = type(value)
    if cls is Str or cls is Mixed or cls is Unknown or cls is Other or cls is NoneValue or value is None:
        return value
    if cls is Func or cls is Obj:
        if cls is Obj and value.extra is not None and not (isinstance(value.extra, Value) and portable(value.extra)):
            raise _NotHere()
        owner = value.owner
        if owner is not None:
            tree = owner.lasting_tree()
            if tree is None:
                raise _NotHere()
            owner = _Owner(owner.dotted, tree)
        if cls is Func:
            return Func(value.node, value.cls, owner, value.reason)
        return Obj(value.type, value.cls, owner, value.reason, value.extra)
    if cls is Seq:
        return Seq(_detach(value.item), value.reason)
    if cls is Tup:
        return Tup([_detach(item) for item in value.items], value.reason)
    if cls is Objs:
        return Objs([_detach(item) for item in value.alternatives], value.reason)
    if cls is Map:
        keys = value.keys
        if keys is not None:
            keys = {k: _detach(v) for k, v in keys.items()}
        return Map(_detach(value.key), _detach(value.value), value.reason, keys)
    if cls is Mod:
        tree = value.kinds.lasting_tree()
        if tree is None:
            raise _NotHere()
        moved = Mod.__new__(Mod)
        moved.kinds = _Owner(value.kinds.dotted, tree)
        moved.reason = value.reason
        return moved
    raise _NotHere()


def _attach(value, universe):
    cls = type(value)
    if cls is Str or cls is Mixed or cls is Unknown or cls is Other or cls is NoneValue or value is None:
        return value
    if cls is Func or cls is Obj:
        owner = value.owner
        if owner is not None:
            owner = universe.module(owner.dotted)
            if owner is None or owner.tree is not value.owner.tree:
                raise _NotHere()
        if cls is Func:
            return Func(value.node, value.cls, owner, value.reason)
        return Obj(value.type, value.cls, owner, value.reason, value.extra)
    if cls is Seq:
        return Seq(_attach(value.item, universe), value.reason)
    if cls is Tup:
        return Tup([_attach(item, universe) for item in value.items], value.reason)
    if cls is Objs:
        return Objs([_attach(item, universe) for item in value.alternatives], value.reason)
    if cls is Map:
        keys = value.keys
        if keys is not None:
            keys = {k: _attach(v, universe) for k, v in keys.items()}
        return Map(_attach(value.key, universe), _attach(value.value, universe), value.reason, keys)
    if cls is Mod:
        kinds = universe.module(value.kinds.dotted)
        if kinds is None or kinds.tree is not value.kinds.tree:
            raise _NotHere()
        return Mod(kinds)
    raise _NotHere()


def same(a, b) -> bool:
    """Do ``a`` and ``b`` say the same (reasons aside)?  Where a cycle settles."""
    if a is b:
        return True
    ta = type(a)
    if ta is not type(b):
        return False
    if ta is Str:
        return (a.label, a.portable, a.latin1, a.ascii, a.codec) == (b.label, b.portable, b.latin1, b.ascii, b.codec)
    if ta is Mixed or ta is Tup or ta is Objs or ta is tuple or ta is list:
        xs, ys = ((a.parts, b.parts) if ta is Mixed else (a.items, b.items) if ta is Tup
                  else (a.alternatives, b.alternatives) if ta is Objs else (a, b))
        return len(xs) == len(ys) and all(same(x, y) for x, y in zip(xs, ys))
    if ta is Seq:
        return same(a.item, b.item)
    if ta is Map:
        return same(a.key, b.key) and same(a.value, b.value) and same(a.keys, b.keys)
    if ta is dict:
        return a.keys() == b.keys() and all(same(v, b[k]) for k, v in a.items())
    if ta is Obj:
        return a.type == b.type and a.cls is b.cls and a.owner is b.owner and same(a.extra, b.extra)
    if ta is Func:
        return a.node is b.node and a.cls is b.cls and a.owner is b.owner and a.reason == b.reason
    if ta is Mod:
        return a.kinds is b.kinds
    if ta is _Bases:
        return same(a.items, b.items)
    if ta in (Unknown, Other, NoneValue):
        return True
    if isinstance(a, ast.AST) or isinstance(a, Value):
        return False  # distinct nodes (identity was checked first)
    return a == b


def short(value):
    if value is None:
        return "unknown"
    if isinstance(value, Str):
        return value.label
    if isinstance(value, Obj):
        return "an object"
    return value.label.lower()


def tuple_item(tup):
    item = None
    for value in tup.items:
        item = join(item, value)
    return item


def strings_of(value) -> Tuple[Str, ...]:
    """The string kinds ``value`` may have (() when it is not known to be a string)."""
    if isinstance(value, Str):
        return (value,)
    if isinstance(value, Mixed):
        return value.parts
    return ()


def is_sure(value, label=None) -> bool:
    return isinstance(value, Str) and (label is None or value.label == label)


def relabel(value, reason):
    if isinstance(value, Str):
        return Str(value.label, reason, value.portable, value.latin1, value.ascii, value.codec)
    return value


# ---------------------------------------------------------------------------
# The table's little kind language
# ---------------------------------------------------------------------------
def spec_value(spec: Optional[str], reason: str, args=()) -> Value:
    """``"B"`` → Str(BYTES) etc.; ``args`` are the call's argument values."""
    if spec is None or spec == "?":
        return Unknown(reason)
    if spec == "O":
        return Other(reason)
    if spec in ("B", "T", "N", "N+", "B+"):
        label = {"B": BYTES, "B+": BYTES, "T": TEXT, "N": NATIVE, "N+": NATIVE}[spec]
        return Str(label, reason, ascii=spec.endswith("+"))
    if spec.startswith("@"):
        return Obj(type=spec[1:], reason=reason)
    if spec.startswith("="):
        if spec == "=*":
            result = None
            for arg in args:
                result = join(result, arg)
            return relabel(result, reason) if result is not None else Unknown(reason)
        index = int(spec[1:])
        if index < len(args) and args[index] is not None:
            return args[index]
        return Unknown(reason)
    if spec.startswith("*"):
        index = int(spec[1:])
        if index < len(args) and args[index] is not None:
            return element_of(args[index], reason)
        return Unknown(reason)
    if spec == "[zip]":
        return Seq(Tup([element_of(a, reason) for a in args], reason), reason)
    if spec in ("[items]", "[values]", "[keys]"):
        if args and isinstance(args[0], Map):
            mapping = args[0]
            item = {"[items]": Tup([mapping.key, mapping.value]), "[values]": mapping.value,
                    "[keys]": mapping.key}[spec]
            return Seq(item, reason)
        return Seq(Unknown(reason), reason)
    if spec.startswith("[") and spec.endswith("]"):
        inner = spec[1:-1]
        if inner.startswith("*"):
            return Seq(spec_value(inner, reason, args), reason)
        return Seq(spec_value(inner, reason, args), reason)
    if spec.startswith("(") and spec.endswith(")"):
        return Tup([spec_value(p, reason, args) for p in split_spec(spec[1:-1])], reason)
    if spec.startswith("{") and spec.endswith("}"):
        key, value = split_spec(spec[1:-1], ":")
        return Map(spec_value(key, reason, args), spec_value(value, reason, args), reason)
    return Unknown(reason)


def split_spec(text, sep=","):
    parts, depth, current = [], 0, ""
    for char in text:
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        if char == sep and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    parts.append(current)
    return parts


def element_of(value, reason="") -> Value:
    """What iterating over ``value`` yields."""
    if value is None:
        return None  # no information (a cycle being followed)
    if isinstance(value, Seq):
        return value.item  # None for an empty display: nothing comes out of it
    if isinstance(value, Tup):
        return tuple_item(value)
    if isinstance(value, Map):
        return value.key if value.key is not None else Unknown(reason)
    if isinstance(value, Str):
        if value.label == BYTES:
            return Unknown("item of BYTES (%s): a 1-character str on 2, an int on 3" % value.reason)
        return value
    if isinstance(value, Obj) and value.type in table.TYPES:
        spec = table.TYPES[value.type].get("*")
        if isinstance(spec, str):
            return spec_value(spec, "line of %s" % value.reason)
    return Unknown(reason or "item of %s" % short(value))


def item_of(value, index=None, reason="") -> Value:
    if isinstance(value, Tup) and isinstance(index, int) and -len(value.items) <= index < len(value.items):
        return value.items[index]
    return element_of(value, reason)


# ---------------------------------------------------------------------------
# Tree helpers
# ---------------------------------------------------------------------------
FUNCS = (ast.FunctionDef, ast.AsyncFunctionDef)
LOOPS = (ast.For, ast.AsyncFor, ast.While, ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)
_STMT_LISTS = ("body", "orelse", "finalbody")
# An escape that puts a byte >= 0x80 in a native literal: \x80-\xff, \200-\377.
_HIGH_ESCAPE = re.compile(r"\\(?:[xX][89a-fA-F][0-9a-fA-F]|[23][0-7][0-7])")
TEXT_TYPES = ("builtins.unicode", "six.text_type")
BYTES_TYPES = ("builtins.str", "builtins.bytes", "six.binary_type")
_STRING_TYPES = frozenset(TEXT_TYPES + BYTES_TYPES + ("builtins.basestring", "six.string_types"))
_U_PREFIX = re.compile(r"(?<![\w'\"])[uU][rR]?['\"]")
_COOKIE = re.compile(r"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)")


def pos(node):
    return (node.lineno, node.col_offset)


def end(node):
    return (node.end_lineno, node.end_col_offset)


def has_u_prefix(ctx, node: ast.Constant) -> bool:
    """Does a str constant carry a ``u`` prefix in any of its parts?"""
    if getattr(node, "kind", None) == "u":
        return True
    source = ctx.source(node)
    if not _U_PREFIX.search(source):
        return False
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type == tokenize.STRING and token.string[:1] in "uU":
                return True
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return False
    return False


def is_ascii(text) -> bool:
    if isinstance(text, bytes):
        return True
    return text.isascii()


def body_members(node) -> Dict[str, list]:
    """The statements of a module's or class's body that define a name there:
    ``{name: [statement, ...]}`` in body order, for the ``def``s and classes
    (by their name) and the assignments to a plain name (once per statement).
    Purely syntactic, so kept on the node (memoised)."""
    found = getattr(node, "_pk_members", None)
    if found is None:
        found = {}
        for stmt in node.body:
            cls = type(stmt)
            if cls is ast.FunctionDef or cls is ast.AsyncFunctionDef or cls is ast.ClassDef:
                found.setdefault(stmt.name, []).append(stmt)
            elif cls is ast.Assign:
                names = []
                for target in stmt.targets:
                    if type(target) is ast.Name and target.id not in names:
                        names.append(target.id)
                for name in names:
                    found.setdefault(name, []).append(stmt)
        node._pk_members = found
    return found


_FUNCTION_TYPES = FUNCS + (ast.Lambda,)


def enclosing_function(ctx, node):
    parent_of = ctx.walk.parents.get  # ctx.parent(), without a call per step
    parent = parent_of(node)
    while parent is not None and not isinstance(parent, _FUNCTION_TYPES):
        parent = parent_of(parent)
    return parent


def enclosing_class(ctx, func):
    parent = ctx.parent(func)
    return parent if isinstance(parent, ast.ClassDef) else None


_BYTES_METHODS = frozenset(["update", "send", "sendall", "decode"])
# What shows a value is used as a native str: a str method with a '' literal
# argument, a regex applied to it, a comparison with a '' literal, a name.
_STR_METHODS = frozenset("startswith endswith split rsplit replace find rfind index rindex count strip lstrip "
                         "rstrip partition rpartition".split())
_REGEX_METHODS = frozenset("match search fullmatch findall finditer sub subn".split())
_NATIVE_BUILTINS = frozenset(["builtins.__import__", "builtins.getattr", "builtins.setattr", "builtins.hasattr",
                              "importlib.import_module"])


def _native_literal(node) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _from_text(expr, name) -> bool:
    """``expr`` is ``name``, or a method call on such an expression, or a
    ``.sub(...)`` with ``name`` among its arguments: text when ``name`` is."""
    if isinstance(expr, ast.Name):
        return expr.id == name
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute):
        if _from_text(expr.func.value, name):
            return True
        return expr.func.attr == "sub" and any(isinstance(a, ast.Name) and a.id == name for a in expr.args)
    return False


def is_native_str_of(node) -> bool:
    """``six.ensure_str(x) if isinstance(x, bytes) else str(x)`` (what PK408 writes for ``str(x)``)."""
    test, body, other = node.test, node.body, node.orelse
    if not (isinstance(test, ast.Call) and isinstance(test.func, ast.Name) and test.func.id == "isinstance"
            and len(test.args) == 2 and isinstance(test.args[0], ast.Name)):
        return False
    name = test.args[0].id
    return (isinstance(body, ast.Call) and isinstance(body.func, ast.Attribute) and body.func.attr == "ensure_str"
            and len(body.args) == 1 and isinstance(body.args[0], ast.Name) and body.args[0].id == name
            and isinstance(other, ast.Call) and isinstance(other.func, ast.Name) and other.func.id == "str"
            and len(other.args) == 1 and isinstance(other.args[0], ast.Name) and other.args[0].id == name)


def native_str_idiom(ctx, node):
    """``(name, encode call)`` when ``node`` is Python 2's "make it a native
    str" idiom, else None::

        if isinstance(name, unicode):        # or six.text_type
            name = name.encode(codec)        # or name.strip().encode(codec) ...

    with no ``else``, and ``name`` used afterwards in the same function as a
    native str (a ``''`` literal compared with it or given to one of its str
    methods, a regex applied to it, a name made of it, an API that
    :mod:`portkit.kind_table` says needs a native str) and never as bytes
    (passed where the table needs bytes, hashed, sent, or decoded).  On 2 ``name`` is a ``str`` on both paths; on 3 the
    encoding makes bytes where the other path keeps text, so the same
    program wants ``six.ensure_str(name, codec)`` there."""
    if not (isinstance(node, ast.If) and not node.orelse and len(node.body) == 1):
        return None
    test = node.test
    if not (isinstance(test, ast.Call) and isinstance(test.func, ast.Name) and test.func.id == "isinstance"
            and len(test.args) == 2 and isinstance(test.args[0], ast.Name) and not test.keywords):
        return None
    name = test.args[0].id
    types = test.args[1].elts if isinstance(test.args[1], ast.Tuple) else [test.args[1]]
    if not types or any(ctx.resolve(t) not in TEXT_TYPES for t in types):
        return None
    stmt = node.body[0]
    if not (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name)
            and stmt.targets[0].id == name):
        return None
    call = stmt.value
    if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr == "encode"
            and len(call.args) <= 1 and not call.keywords and all(const_str(a) for a in call.args)
            and _from_text(call.func.value, name)):
        return None
    scope = enclosing_function(ctx, node) or ctx.tree
    end = node.end_lineno
    native = False
    for use in ast.walk(scope):
        if not (isinstance(use, ast.Name) and use.id == name and isinstance(use.ctx, ast.Load)
                and use.lineno > end):
            continue
        parent = ctx.parent(use)
        if isinstance(parent, ast.Attribute) and parent.value is use:
            if parent.attr in _BYTES_METHODS:
                return None
            call_of = ctx.parent(parent)
            if parent.attr in _STR_METHODS and isinstance(call_of, ast.Call) and call_of.func is parent \
                    and any(_native_literal(a) for a in call_of.args):
                native = True
        elif isinstance(parent, ast.Call) and use in parent.args:
            func = parent.func
            if isinstance(func, ast.Attribute) and func.attr in _BYTES_METHODS:
                return None
            if isinstance(func, ast.Attribute) and func.attr in _REGEX_METHODS:
                native = True
                continue
            dotted = ctx.resolve(func)
            if dotted in _NATIVE_BUILTINS:
                native = True
                continue
            sig = table.FUNCTIONS.get(table.canonical(dotted) or "")
            position = parent.args.index(use)
            if sig is not None and position < len(sig.params):
                if sig.params[position] in ("B", "A"):
                    return None
                if sig.params[position] == "N":
                    native = True
        elif isinstance(parent, ast.Compare) and any(_native_literal(n) for n in [parent.left] + parent.comparators):
            native = True
    return (name, call) if native else None


def positional_params(func) -> List[ast.arg]:
    args = func.args
    return list(getattr(args, "posonlyargs", [])) + list(args.args)


def all_params(func) -> List[ast.arg]:
    args = func.args
    return positional_params(func) + list(args.kwonlyargs) + [a for a in (args.vararg, args.kwarg) if a]


def call_name(call: ast.Call) -> Optional[str]:
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return None


def const_str(node) -> Optional[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _target_names(target):
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, (ast.Tuple, ast.List)):
        return [n for e in target.elts for n in _target_names(e)]
    if isinstance(target, ast.Starred):
        return _target_names(target.value)
    return []


def _branch_decodes(parent, test, name) -> bool:
    """Does the branch that ``test`` guards (its ``if``'s body, or the true side
    of a conditional expression) call ``name.decode(...)``?"""
    if isinstance(parent, ast.If) and parent.test is test:
        parts = parent.body
    elif isinstance(parent, ast.IfExp) and parent.test is test:
        parts = [parent.body]
    else:
        return False
    for part in parts:
        for node in ast.walk(part):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "decode" \
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == name:
                return True
    return False


def _binds_of(target):
    """The names ``target`` binds (those :func:`target_binds` is true for)."""
    if isinstance(target, ast.Name):
        return (target.id,)
    if isinstance(target, (ast.Tuple, ast.List)):
        return [name for e in target.elts for name in _binds_of(e)]
    if isinstance(target, ast.Starred):
        return _binds_of(target.value)
    return ()


def target_binds(target, name) -> bool:
    return name in _binds_of(target)


def inside(node, container, ctx) -> bool:
    parent_of = ctx.walk.parents.get  # ctx.parent(), without a call per step
    while node is not None:
        if node is container:
            return True
        node = parent_of(node)
    return False


def _chain_of(node, ctx) -> frozenset:
    """The ids of ``node`` and of its parents: ``inside(node, c, ctx)`` is
    ``id(c) in _chain_of(node, ctx)``."""
    found = []
    parent_of = ctx.walk.parents.get
    while node is not None:
        found.append(id(node))
        node = parent_of(node)
    return frozenset(found)


def tree_nodes(ctx):
    """Every node of ``ctx``'s module in ``ast.walk`` order, listed once per tree
    (the module itself and the context/operator singletons are left out): the
    rules list their findings in that order; listing it once spares the
    repeated walks."""
    return ctx.walk.nodes  # the shared walk lists them in that order (tests/test_engine.py)


_NEW_SCOPES = FUNCS + (ast.Lambda, ast.ClassDef)
_NEW_SCOPE_TYPES = frozenset(_NEW_SCOPES)
_NAMED_SCOPE_TYPES = frozenset(FUNCS + (ast.ClassDef,))  # the new scopes but lambdas
# The fields of a statement (or handler, match case, module) that hold
# statements (or handlers, or cases), in field order; ``_BLOCK_FIELDS`` keeps
# the statement lists alone (``find_kill`` looks in no other field).
_BLOCK_CHILDREN = {
    cls: fields
    for cls, fields in (
        (cls, tuple(f for f in cls._fields if f in ("body", "handlers", "orelse", "finalbody", "cases")))
        for cls in (getattr(ast, name) for name in dir(ast))
        if isinstance(cls, type)
        and issubclass(cls, (ast.stmt, ast.excepthandler, ast.Module, getattr(ast, "match_case", ast.stmt))))
    if fields
}
_BLOCK_FIELDS = {cls: tuple(f for f in fields if f in _STMT_LISTS) for cls, fields in _BLOCK_CHILDREN.items()}


def walk_scope(node):
    """``node`` and the nodes below it in its own scope (not inside nested
    functions, lambdas or classes, which are listed but not entered), depth
    first; the context and operator singletons are left out."""
    found = []
    add = found.append
    stack = [node]
    pop = stack.pop
    push = stack.append
    AST = ast.AST
    Lambda = ast.Lambda
    while stack:
        current = pop()
        add(current)
        cls = type(current)
        if cls is ast.Constant or cls is ast.Name or current is not node and cls in _NEW_SCOPES:
            continue  # no child nodes to list (a Name's ctx is left out), or another scope
        # the children (child_nodes(), inlined), pushed in order: popped last first
        for name in child_fields(cls):
            value = getattr(current, name, None)
            if type(value) is list:
                for item in value:
                    if isinstance(item, AST) and type(item) is not Lambda:
                        push(item)
            elif isinstance(value, AST) and type(value) is not Lambda:
                push(value)
    return found


def stmt_defines(stmt, name) -> bool:
    for node in walk_scope(stmt):
        if isinstance(node, ast.Name) and node.id == name and not isinstance(node.ctx, ast.Load):
            return True
    return False


def terminates(branch) -> bool:
    return bool(branch) and isinstance(branch[-1], (ast.Return, ast.Raise, ast.Continue, ast.Break))


def mentions_isinstance(test, name) -> bool:
    for node in ast.walk(test):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "isinstance" \
                and node.args and isinstance(node.args[0], ast.Name) and node.args[0].id == name:
            return True
    return False


def decorator_name(node):
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Call):
        return decorator_name(node.func)
    return None


def is_static(func) -> bool:
    return any(decorator_name(d) == "staticmethod" for d in getattr(func, "decorator_list", ()))


def is_classmethod(func) -> bool:
    return any(decorator_name(d) == "classmethod" for d in getattr(func, "decorator_list", ()))


def is_property(func) -> bool:
    return any(decorator_name(d) in ("property", "cached_property") for d in getattr(func, "decorator_list", ()))


def default_of(func, arg):
    args = func.args
    positional = positional_params(func)
    if arg in positional:
        offset = len(positional) - len(args.defaults)
        index = positional.index(arg)
        if index >= offset:
            return args.defaults[index - offset]
        return None
    if arg in args.kwonlyargs:
        return args.kw_defaults[args.kwonlyargs.index(arg)]
    return None


def numeric_format(fmt) -> bool:
    """Is every conversion of a %-format numeric (so the result is ASCII if fmt is)?"""
    if not isinstance(fmt, (str, bytes)):
        return False
    text = fmt if isinstance(fmt, str) else fmt.decode("latin-1")
    if not is_ascii(text):
        return False
    for match in re.finditer(r"%(?:\([^)]*\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?(.)", text):
        if match.group(1) not in "diouxXeEfFgG%":
            return False
    return True


def source_of(ctx, node) -> str:
    try:
        return ctx.source(node)
    except Exception:  # pragma: no cover - synthetic nodes
        return "?"


def brief(ctx, node, limit=40) -> str:
    text = " ".join(source_of(ctx, node).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def wsgi_signature(func) -> bool:
    """Does ``func`` take ``(environ, start_response)`` (after ``self``)?"""
    if isinstance(func, ast.Lambda):
        return False
    names = [a.arg for a in positional_params(func)]
    if names and names[0] in ("self", "cls"):
        names = names[1:]
    return len(names) >= 2 and names[0] in ("environ", "env") and names[1] in ("start_response", "start")


def start_response_param(func) -> Optional[ast.arg]:
    """The ``start_response`` parameter of a function that answers a WSGI request."""
    if isinstance(func, ast.Lambda):
        return None
    for arg in positional_params(func):
        if arg.arg == "start_response":
            return arg
    if wsgi_signature(func):
        params = positional_params(func)
        names = [a.arg for a in params]
        offset = 1 if names and names[0] in ("self", "cls") else 0
        return params[offset + 1]
    return None


def version_test(ctx, test) -> Optional[int]:
    """2 when ``test`` is true exactly on Python 2 (``six.PY2``, ``str is bytes``,
    ``sys.version_info[0] == 2`` ...), 3 when exactly on 3, else None."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        inner = version_test(ctx, test.operand)
        return None if inner is None else 5 - inner
    if isinstance(test, (ast.Name, ast.Attribute)):
        dotted = ctx.resolve(test) or (test.id if isinstance(test, ast.Name) else None)
        if dotted in ("six.PY2", "PY2"):
            return 2
        if dotted in ("six.PY3", "PY3", "six.PY34"):
            return 3
        return None
    if isinstance(test, ast.Compare) and len(test.ops) == 1:
        left, op, right = test.left, test.ops[0], test.comparators[0]
        names = {n.id for n in (left, right) if isinstance(n, ast.Name)}
        if names == {"str", "bytes"} and isinstance(op, (ast.Is, ast.IsNot, ast.Eq, ast.NotEq)):
            return 2 if isinstance(op, (ast.Is, ast.Eq)) else 3
        text = source_of(ctx, left)
        if "version_info" in text or text.endswith("PY_MAJOR"):
            value = right.value if isinstance(right, ast.Constant) else (
                right.elts[0].value if isinstance(right, ast.Tuple) and right.elts
                and isinstance(right.elts[0], ast.Constant) else None)
            if not isinstance(value, int):
                return None
            if isinstance(op, ast.Eq):
                return 2 if value == 2 else 3 if value == 3 else None
            if isinstance(op, ast.NotEq):
                return 3 if value == 2 else 2 if value == 3 else None
            if isinstance(op, ast.Lt):
                return 2 if value == 3 else None
            if isinstance(op, ast.GtE):
                return 3 if value == 3 else None
            if isinstance(op, ast.Gt):
                return 3 if value == 2 else None
            if isinstance(op, ast.LtE):
                return 2 if value == 2 else None
    return None


def version_branch(ctx, node) -> Optional[int]:
    """2 or 3 when ``node`` only runs on that Python (inside a version test)."""
    child = node
    parent = ctx.parent(node)
    while parent is not None:
        if isinstance(parent, (ast.If, ast.IfExp, ast.While)) and child is not parent.test:
            version = version_test(ctx, parent.test)
            if version is not None:
                in_body = child in parent.body if isinstance(parent.body, list) else child is parent.body
                return version if in_body else 5 - version
        for field in _STMT_LISTS:
            block = getattr(parent, field, None)
            if isinstance(block, list) and child in block:
                # ``if six.PY2: return ...`` leaves the rest of the block to 3
                for stmt in block[:block.index(child)]:
                    if isinstance(stmt, ast.If) and not stmt.orelse and terminates(stmt.body):
                        version = version_test(ctx, stmt.test)
                        if version is not None:
                            return 5 - version
                break
        child, parent = parent, ctx.parent(parent)
    return None


def source_encoding(text: str) -> str:
    for line in text.split("\n", 2)[:2]:
        match = _COOKIE.match(line)
        if match:
            name = match.group(1).lower().replace("_", "-")
            return "utf-8" if name in ("utf8", "utf-8") else name
    return "utf-8"


# ---------------------------------------------------------------------------
# The project: the other modules of the package tree
# ---------------------------------------------------------------------------
MAX_PROJECT_MODULES = 400
MAX_DEPTH = 120  # nested computations followed before giving up (kept well under the recursion limit)
MAX_ROUNDS = 4  # times a cycle is gone round again before its value is taken as it is
_INFINITY = float("inf")
_UNSET = object()
RAISE_RECURSION = False  # debugging aid
_PROJECTS: Dict[str, "Project"] = {}
_SOURCES: Dict[str, tuple] = {}
_SERIALS = itertools.count(1)


class _LightContext:
    """Enough of :class:`portkit.context.FileContext` for the inference.
    ``serial`` tells this reading of the module from any other (see
    :meth:`Universe.shared_key`)."""

    def __init__(self, text, tree, walk, lines, path, raw_text=None):
        self.serial = next(_SERIALS)
        self.text = text
        # the file's text before the lift (``text`` is the lifted one)
        self.raw_text = text if raw_text is None else raw_text
        self.tree = tree
        self.walk = walk
        self.lines = lines
        self.path = path
        self.future = frozenset(walk.future)
        self.cache = {}

    def start(self, node):
        return self.lines.offset(node.lineno, node.col_offset)

    def end(self, node):
        return self.lines.offset(node.end_lineno, node.end_col_offset)

    def span(self, node):
        return self.start(node), self.end(node)

    def source(self, node):
        start, stop = self.span(node)
        return self.text[start:stop]

    def resolve(self, node):
        return self.walk.resolve(node)

    def is_builtin(self, node, name):
        return self.walk.is_builtin(node, name)

    def parent(self, node):
        return self.walk.parents.get(node)


def module_words(ctx) -> frozenset:
    """:func:`portkit.context.identifiers` of a module's text (memoised in its context)."""
    words = getattr(ctx, "words", None)
    if words is None:
        words = ctx.cache.get("words")
        if words is None:
            from .context import identifiers

            words = ctx.cache["words"] = identifiers(ctx.text)
    return words


def _load_module(path):
    """A light context for the module at ``path`` (cached by size and mtime), or None."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    key = (stat.st_size, stat.st_mtime_ns)
    cached = _SOURCES.get(path)
    if cached is not None and cached[0] == key:
        return cached[1]
    light = None
    try:
        from . import lift as lift_stage
        from . import source as source_mod
        from .analysis import Walk
        from .engine import parse
        from .positions import LineIndex

        raw = source_mod.read(path).text
        tree, text = lift_stage.parse_lifted(raw, parse)
        walk = Walk(tree, ())
        light = _LightContext(text, tree, walk, LineIndex(text), path, raw)
    except Exception:  # unreadable, undecodable or unparsable: not part of the picture
        light = None
    _SOURCES[path] = (key, light)
    return light


def reading_of(path, text):
    """The light context this process already made of the file at ``path``
    (as a module of a project), if the file is unchanged on disk and its text
    before the lift is ``text``; else None.  The engine then takes its tree and
    walk instead of parsing and walking the same text again."""
    cached = _SOURCES.get(os.path.abspath(path))
    if cached is None or cached[1] is None or cached[1].raw_text != text:
        return None
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return cached[1] if cached[0] == (stat.st_size, stat.st_mtime_ns) else None


# ---------------------------------------------------------------------------
# What a module must name for an object of an API type to be made
# ---------------------------------------------------------------------------
# The objects that the inference itself makes (see _special_call and
# _param_value), by the words a module must contain to make them.
_MADE_BY_WORDS = {
    "binfile": ("open", "file"),  # open() / file() / io.open() / codecs.open() with a 'b' mode
    "textfile": ("open", "file"),
    "nativefile": ("open", "file"),
    "struct": ("Struct",),
    "py2stringio": ("StringIO",),
    "pattern": ("compile",),
    "match": ("search", "match", "fullmatch", "finditer"),
    "super": ("super",),
    "environ": ("environ", "env"),  # a parameter named environ, or the WSGI signature (env, start)
    # a parameter named start_response, or the second of the WSGI signature
    # (env, start): "start" alone is no evidence, see START_WITH
    "start_response": ("start_response",),
}
# The WSGI signature (env, start): both words (one of each set) are needed.
START_WITH = (frozenset(["start"]), frozenset(["env", "environ"]))
_TYPE_IN_SPEC = re.compile(r"@([\w.]+)")
# Last names too common to tell anything (hashlib.new, hmac.new, md5.new,
# sha.new): such a function is reached only through an import of its module,
# so the module's name stands for it.
_GENERIC_LAST_NAMES = frozenset(["new"])


def api_word(name: str) -> str:
    """The word a module must contain to reach the table's function ``name``:
    its last name (``hashlib.md5`` → ``md5``), or for a too common one its
    module's (``hashlib.new`` → ``hashlib``)."""
    module, _, last = name.rpartition(".")
    if last in _GENERIC_LAST_NAMES and module:
        return module.split(".")[0]
    return last


def _type_words() -> Dict[str, frozenset]:
    """For every object type, the words of which a module must contain one
    for an object of that type to be made in it (where values flow from:
    the module, or every module of its project).

    An object of type ``t`` is made only by the inference (the types of
    :data:`_MADE_BY_WORDS`) or by a table spec that names ``@t``: a function
    or value of the table, which a module reaches only by writing its last
    name (``hashlib.md5``, ``from hashlib import md5 as m``; the Python 2
    spellings that :func:`kind_table.canonical` maps keep it), or a method,
    attribute, item or call of an object of another type ``u``, which must
    be made first (so ``t`` needs a word of ``u``)."""
    words: Dict[str, set] = {t: set(w) for t, w in _MADE_BY_WORDS.items()}
    needs: Dict[str, set] = {}  # t -> the types whose objects make a t

    def made(spec, word=None, by=None):
        for t in _TYPE_IN_SPEC.findall(spec):
            if word is not None:
                words.setdefault(t, set()).add(word)
            if by is not None:
                needs.setdefault(t, set()).add(by)

    for name, sig in table.FUNCTIONS.items():
        made(sig.result, word=api_word(name))
    for name, spec in table.VALUES.items():
        made(spec, word=api_word(name))
    for key, spec in table.ENVIRON_SPECIAL.items():
        made(spec, by="environ")
    for owner, members in table.TYPES.items():
        for spec in members.values():
            made(spec.result if isinstance(spec, table.Sig) else spec, by=owner)
    changed = True
    while changed:  # through types made from other types
        changed = False
        for t, makers in needs.items():
            for maker in makers:
                extra = words.get(maker, set()) - words.setdefault(t, set())
                if extra:
                    words[t] |= extra
                    changed = True
    return {t: frozenset(w) for t, w in words.items()}


TYPE_WORDS = _type_words()


def words_for_types(types) -> frozenset:
    """The words of which a module must contain one for an object of one of
    ``types`` to be made (see :func:`_type_words`)."""
    found = set()
    for t in types:
        found |= TYPE_WORDS.get(t, ())
    return frozenset(found)


class Project:
    """The importable modules under ``root`` (a folder on ``sys.path``)."""

    def __init__(self, root):
        self.root = root
        self.paths: Dict[str, str] = {}
        self.packages = set()
        self._scan()

    def _scan(self):
        root = self.root
        try:
            entries = sorted(os.listdir(root))
        except OSError:
            return
        for entry in entries:
            path = os.path.join(root, entry)
            if entry.endswith(".py") and os.path.isfile(path):
                self.paths[entry[:-3]] = path
            elif os.path.isdir(path) and os.path.isfile(os.path.join(path, "__init__.py")):
                self._scan_package(path, entry)
            if len(self.paths) > MAX_PROJECT_MODULES:
                break

    def _scan_package(self, folder, dotted):
        self.packages.add(dotted)
        self.paths[dotted] = os.path.join(folder, "__init__.py")
        try:
            entries = sorted(os.listdir(folder))
        except OSError:
            return
        for entry in entries:
            if len(self.paths) > MAX_PROJECT_MODULES:
                return
            path = os.path.join(folder, entry)
            if entry.endswith(".py") and entry != "__init__.py" and os.path.isfile(path):
                self.paths[dotted + "." + entry[:-3]] = path
            elif os.path.isdir(path) and os.path.isfile(os.path.join(path, "__init__.py")):
                self._scan_package(path, dotted + "." + entry)

    @property
    def usable(self):
        return 0 < len(self.paths) <= MAX_PROJECT_MODULES

    def dotted_of(self, path) -> Optional[str]:
        by_path = self.__dict__.get("_by_path")
        if by_path is None:
            by_path = self._by_path = {}
            for dotted, known in self.paths.items():
                by_path.setdefault(os.path.abspath(known), dotted)  # the first, as a search in order finds
        return by_path.get(os.path.abspath(path))


def project_root(path) -> Optional[str]:
    if not path or not os.path.isdir(os.path.dirname(os.path.abspath(path))):
        return None
    return project_folder(path)


def project_for(path) -> Optional[Project]:
    root = project_root(path)
    if root is None:
        return None
    project = _PROJECTS.get(root)
    if project is None:
        project = Project(root)
        _PROJECTS[root] = project
    if not project.usable or project.dotted_of(path) is None:
        return None
    return project


class Universe:
    """The :class:`Kinds` of every module of the project, for one analysis."""

    def __init__(self, ctx):
        self.ctx = ctx
        self.project = project_for(getattr(ctx, "path", ""))
        dotted = self.project.dotted_of(ctx.path) if self.project else None
        self.modules: Dict[str, "Kinds"] = {}
        self._all = None
        self._subclasses = None
        self.stale = False  # the overrides changed since the memoised values were computed
        self.version = 0  # counts the changes of the overrides (see shared_values())
        # a computation was cut short (depth, recursion, a cycle that did not
        # settle): what follows may depend on the order of the queries, so
        # nothing more is shared from here (see shared_values())
        self.cut = False
        self.sharing: Dict[int, "Kinds"] = {}  # id(kinds.memo) -> kinds, for the modules whose values are shared
        self.opened_by: Dict[int, tuple] = {}
        self.layers: Dict[str, list] = {}  # id(read() call) -> (text-mode open() call, owner)
        # The computations under way (see evaluate()): key -> serial number.
        self.positions: Dict[object, int] = {}
        self.serial = 0
        self.top = 0  # serial of the innermost computation under way
        self.depth = 0
        self.floor = _INFINITY  # lowest serial the innermost computation depended on
        self.heads: Dict[object, Value] = {}  # value handed to a cycle back to a computation under way
        self.provisional: Dict[object, tuple] = {}  # key -> (value, floor): depends on a cycle not closed yet
        self.pending: List[tuple] = []  # (store, key) of the provisional values, oldest first
        self.current = Kinds(ctx, self, dotted or "__main__",
                             bool(self.project and dotted in self.project.packages))
        self.current.may_share = False
        if dotted:
            self.modules[dotted] = self.current
        self._missing = set()
        self._shared = _UNSET
        self._overrides_at = -1
        self._overrides = None

    def names_any(self, words: frozenset) -> bool:
        """Does a module whose values this analysis can see (the current one,
        or any module of the project) contain one of ``words`` as an
        identifier?  Memoised per set of words."""
        memo = self.__dict__.setdefault("_names_any", {})
        found = memo.get(words)
        if found is None:
            found = not words.isdisjoint(module_words(self.ctx)) or self.project is not None and any(
                not words.isdisjoint(module_words(k.ctx)) for k in self.all_modules() if k is not self.current)
            memo[words] = found
        return found

    def shared_key(self) -> Optional[tuple]:
        """What the analysis of another module of the project depends on, as
        a key that is the same for every file of the project analysed in this
        process: the reading (``serial``) of every module.  None when there
        is no project, or when the current file's text is not the one on disk
        (a second round of ``fix``, a text read from elsewhere): values
        computed here may then differ from those of another file's analysis.
        The values themselves do not depend on which module is the current
        one, nor on the order of the queries (see :meth:`evaluate`)."""
        if self._shared is _UNSET:
            self._shared = self._shared_key()
        return self._shared

    def _shared_key(self) -> Optional[tuple]:
        if self.project is None:
            return None
        path = self.project.paths.get(self.current.dotted)
        cached = _SOURCES.get(path) if path else None
        if cached is None or cached[1] is None or cached[1].text != self.ctx.text:
            return None  # this file's own reading is not known, or not this text
        try:
            stat = os.stat(path)
        except OSError:
            return None
        if cached[0] != (stat.st_size, stat.st_mtime_ns):
            return None
        serials = []
        for dotted in sorted(self.project.paths):
            if self.modules.get(dotted) is self.current:
                serials.append(cached[1].serial)
                continue
            kinds = self.module(dotted)
            serials.append(kinds.ctx.serial if kinds is not None else 0)
        return tuple(serials)

    def dispose(self) -> None:
        """Drop everything this analysis computed.  Its values point at their
        module (``owner``) and the modules at the universe: left alone, the
        whole analysis, trees included, is one cycle that only the garbage
        collector frees, walking every object of it first."""
        for kinds in list(self.modules.values()) + [self.current]:
            vars(kinds).clear()
        vars(self).clear()

    def module(self, dotted) -> Optional["Kinds"]:
        kinds = self.modules.get(dotted)
        if kinds is not None or self.project is None or dotted in self._missing:
            return kinds
        path = self.project.paths.get(dotted)
        light = _load_module(path) if path else None
        if light is None:
            self._missing.add(dotted)
            return None
        kinds = Kinds(light, self, dotted, dotted in self.project.packages)
        self.modules[dotted] = kinds
        return kinds

    # -- cycles: memoised values that do not depend on the order of queries --
    def evaluate(self, store, key, compute):
        """``compute()``, memoised in ``store[key]``, with cycles gone round to a fixed point.

        A computation that meets itself again (``x = f(y)``, ``y = g(x)``)
        gets the value its cycle has so far: nothing (None) the first time.
        When it ends, it is computed again with its own new value handed to
        the cycle, until that value no longer changes (at most MAX_ROUNDS
        times).  What was computed inside the cycle is *provisional* until
        then: reused while the cycle is gone round, memoised (or dropped)
        with it.  So every memoised value is the one its cycle settles on,
        whichever member of the cycle was asked for first: skipping or
        reordering queries changes no result.  (Lowlinks are serial numbers,
        as in Tarjan's strongly connected components.)

        Returns None while ``key`` is being computed (and is not known yet)."""
        at = self.positions.get(key)
        if at is not None:  # a cycle back to a computation under way
            if at < self.floor:
                self.floor = at
            return self.heads.get(key)  # what it came to in the previous round (None at first)
        entry = self.provisional.get(key)
        if entry is not None:  # computed in this round of a cycle still open
            if entry[1] < self.floor:
                self.floor = entry[1]
            return entry[0]
        if self.depth >= MAX_DEPTH:
            if self.top < self.floor:
                self.floor = self.top  # what asked is incomplete (and settles on the same cut)
            self.cut = True
            return None
        self.serial += 1
        me = self.serial
        self.positions[key] = me
        self.depth += 1
        outer_floor, outer_top = self.floor, self.top
        self.top = me
        mark = len(self.pending)
        low = _INFINITY
        rounds = 0
        seeded = []  # members of this frame's cycle given a starting value
        value = None
        try:
            while True:
                self.floor = _INFINITY
                try:
                    value = compute()
                except RecursionError:
                    if RAISE_RECURSION:
                        raise
                    value = Unknown("too deeply nested to follow")
                    self.cut = True
                low = self.floor
                if low == _INFINITY and not seeded:
                    # no cycle came through here (the common case): no member
                    # of one is pending since ``mark`` (its floor would be ours)
                    if value is not None:
                        store[key] = value
                    break
                if low < me:  # depends on a computation under way further out
                    self.provisional[key] = (value, low)
                    self.pending.append((store, key))
                    break
                if low == me and not self._settled(key, value, mark):
                    if rounds < MAX_ROUNDS:
                        # the cycle came back here: round again, every member of
                        # the cycle starting from the value it came to this round
                        rounds += 1
                        heads = self.heads
                        heads[key] = value
                        for _, inner in self.pending[mark:]:
                            heads[inner] = self.provisional.pop(inner)[0]
                            seeded.append(inner)
                        del self.pending[mark:]
                        continue
                    self.cut = True  # taken as it is: it may depend on where the cycle was entered
                for inner in seeded:
                    self.heads.pop(inner, None)
                sharing = self.sharing if not (self.stale or self.cut) else None
                for inner_store, inner in self.pending[mark:]:  # the cycle is settled
                    inner_value = self.provisional.pop(inner)[0]
                    if inner_value is not None:
                        inner_store[inner] = inner_value
                        if sharing:  # a member's settled value is shared as the head's is (see Kinds.kind)
                            owner = sharing.get(id(inner_store))
                            shared = owner._shared_values() if owner is not None else None
                            kept = detach(inner_value) if shared is not None else None
                            if kept is not None:
                                shared[inner] = kept
                del self.pending[mark:]
                if value is not None:
                    store[key] = value
                low = _INFINITY
                break
        finally:
            if low == _INFINITY:  # settled (a provisional value's start stays for its cycle's next round)
                self.heads.pop(key, None)
            del self.positions[key]
            self.depth -= 1
            self.top = outer_top
            self.floor = low if low < outer_floor else outer_floor
        return value

    def _settled(self, key, value, mark) -> bool:
        """Did this round of the cycle headed by ``key`` give every member the
        value it started from?"""
        heads = self.heads
        if key not in heads or not same(value, heads[key]):
            return False
        provisional = self.provisional
        return all(inner in heads and same(provisional[inner][0], heads[inner])
                   for _, inner in self.pending[mark:])

    def guard(self, key) -> bool:
        """Start a computation that is not memoised (and stops short on a cycle
        back to itself); False on such a cycle.  End it with :meth:`unguard`."""
        at = self.positions.get(key)
        if at is not None:
            if at < self.floor:
                self.floor = at
            return False
        self.serial += 1
        self.positions[key] = self.serial
        return True

    def unguard(self, key) -> None:
        del self.positions[key]

    def methods_named(self, name):
        """``[(method, owner)]`` of every class method called ``name`` in the project."""
        index = getattr(self, "_methods", None)
        if index is None:
            index = self._methods = {}
            for kinds in self.all_modules():
                for cls in kinds.classes.values():
                    for stmt in cls.body:
                        if isinstance(stmt, FUNCS):
                            index.setdefault(stmt.name, []).append((stmt, kinds))
        return index.get(name, [])

    def override(self, kinds, node, value, layer="plan"):
        """From now on ``node`` of module ``kinds`` has ``value`` (a planned fix)."""
        kinds.overrides[id(node)] = value
        self.layers.setdefault(layer, []).append((kinds, id(node), node))
        self.stale = True
        self.version += 1

    def layer_key(self, layer) -> tuple:
        """The overrides of one layer, by module and position (the same in every
        analysis of the same texts)."""
        return tuple(sorted((kinds.dotted, node.lineno, node.col_offset, node.end_lineno, node.end_col_offset)
                            for kinds, _, node in self.layers.get(layer, ())))

    def clear_layer(self, layer):
        """Drop the overrides of one layer (the planner's, before it plans again)."""
        for kinds, key, _ in self.layers.pop(layer, ()):
            kinds.overrides.pop(key, None)
            self.stale = True
            self.version += 1

    def forget(self):
        """Drop every memoised value, if the overrides changed since the last
        time: the values depend on nothing else (and not on the order of the
        queries), so with the same overrides they would come out the same."""
        if not self.stale:
            return
        self.stale = False
        for kinds in list(self.modules.values()) + [self.current]:
            kinds.memo.clear()
            kinds.memo2.clear()

    def shared_values(self, kinds) -> Optional[dict]:
        """The settled values of the nodes of ``kinds``, another module of the
        project, that every analysis in this process shares while the modules
        (:meth:`shared_key`) and every override are the same as here: a dict
        kept on that module's (light) context, or None.  A value depends on
        nothing else (see :meth:`evaluate` and :meth:`forget`), so one that an
        earlier file's analysis settled is the one this analysis would settle.
        A value is kept as :func:`detach` gives it (one that points at a class
        or function of a module is re-owned by the next analysis's module), and
        none once a computation of this analysis was cut short (``cut``)."""
        if kinds is self.current or self.project is None:
            return None
        key = self.shared_key()
        if key is None:
            return None
        overrides = self._overrides_key()
        if overrides is None:
            return None
        kept = kinds.ctx.cache.setdefault("pk4.values", {})
        found = kept.get((key, overrides))
        if found is None:
            if len(kept) >= 16:  # a few sets of overrides per module in practice
                kept.clear()
            found = kept[(key, overrides)] = {}
        return found

    def _overrides_key(self) -> Optional[tuple]:
        """Every override, by layer, module, position and value; None if one
        is not a plain string kind."""
        if self._overrides_at == self.version:
            return self._overrides
        found = []
        for layer, entries in self.layers.items():
            for kinds, key, node in entries:
                value = kinds.overrides.get(key)
                if type(value) is not Str:
                    found = None
                    break
                found.append((layer, kinds.dotted, node.lineno, node.col_offset, node.end_lineno,
                              node.end_col_offset, value.label, value.reason, value.portable, value.latin1,
                              value.ascii, value.codec))
            if found is None:
                break
        self._overrides = None if found is None else tuple(sorted(found))
        self._overrides_at = self.version
        return self._overrides

    def all_modules(self):
        if self.project is None:
            return [self.current]
        if self._all is None:
            result = []
            for dotted in sorted(self.project.paths):
                kinds = self.module(dotted)
                if kinds is not None:
                    result.append(kinds)
            if self.current not in result:
                result.append(self.current)
            self._all = result
        return self._all

    def subclasses(self):
        """``{id(base class): [(subclass, owner)]}`` over the whole project (once)."""
        if self._subclasses is None:
            index = {}
            for kinds in self.all_modules():
                for cls in kinds.classes.values():
                    bases = kinds.bases_of(cls)
                    for base, _ in (bases.items if bases is not None else ()):
                        index.setdefault(id(base), []).append((cls, kinds))
            self._subclasses = index
        return self._subclasses

    def names_project_module(self, target: str, origin: "Kinds") -> bool:
        """May the import target ``target`` (seen from ``origin``) lie in the
        project?  As :meth:`locate` decides, without loading anything."""
        return bool(self._candidates(target, origin))

    def _candidates(self, target: str, origin: "Kinds") -> List[str]:
        """The dotted names in the project that ``target`` may be (by Python 2's rules)."""
        if self.project is None or not target:
            return []
        package = origin.dotted if origin.is_package else origin.dotted.rpartition(".")[0]
        if target.startswith("."):
            level = len(target) - len(target.lstrip("."))
            rest = target[level:]
            for _ in range(level - 1):
                package = package.rpartition(".")[0]
            return [(package + "." + rest).strip(".") if rest else package]
        first = target.split(".")[0]
        if package and package + "." + first in self.project.paths:
            return [package + "." + target]  # Python 2's implicit relative import
        if first in self.project.paths:
            return [target]
        return []

    def locate(self, target: str, origin: "Kinds"):
        """``(module Kinds, [attribute names])`` for an import target, or None."""
        for full in self._candidates(target, origin):
            parts = full.split(".")
            for index in range(len(parts), 0, -1):
                name = ".".join(parts[:index])
                if name in self.project.paths:
                    kinds = self.module(name)
                    if kinds is None:
                        return None
                    return kinds, parts[index:]
        return None

    def entity(self, target: str, origin: "Kinds", depth=0) -> Optional[Value]:
        located = self.locate(target, origin)
        if located is None:
            return None
        kinds, parts = located
        return kinds.export(parts, depth)


# ---------------------------------------------------------------------------
# Definitions
# ---------------------------------------------------------------------------
class Def:
    """One binding of a name: ``kind`` is "assign", "aug", "for", "comp",
    "with", "param", "other"; ``node`` the statement (or arg); ``target`` the
    bound target; ``at`` the position after which it holds."""

    __slots__ = ("kind", "node", "target", "at", "extra")

    def __init__(self, kind, node, target, at, extra=None):
        self.kind = kind
        self.node = node
        self.target = target
        self.at = at
        self.extra = extra

    @property
    def value_node(self):
        if self.kind == "assign":
            return self.node.value
        return None

    def __repr__(self):
        return "Def(%s@%s)" % (self.kind, self.at)


class Kill:
    """What every path to a use passes: a plain assignment (``value`` None) or a
    statement that decides the kind (an isinstance coercion, a narrowing)."""

    __slots__ = ("node", "value")

    def __init__(self, node, value):
        self.node = node
        self.value = value


# ---------------------------------------------------------------------------
# The inference for one module
# ---------------------------------------------------------------------------
class Kinds:
    """Kind inference for one module; get the current file's with :func:`analysis`."""

    def dispose(self) -> None:
        """See :meth:`Universe.dispose` (the file's analysis is done)."""
        if "universe" in vars(self):
            self.universe.dispose()

    def __init__(self, ctx, universe, dotted="__main__", is_package=False):
        self.ctx = ctx
        self.universe = universe
        self.dotted = dotted
        self.is_package = is_package
        self.tree = ctx.tree
        self.unicode_literals = "unicode_literals" in ctx.future
        self.encoding = source_encoding(ctx.text)
        self.memo: Dict[int, Value] = {}
        self.memo2: Dict[tuple, Value] = {}
        self.defs_memo: Dict[Tuple[int, str], List[Def]] = {}
        self.overrides: Dict[int, Value] = {}  # node id -> its value once a planned fix is applied
        self._shared_at = -1  # universe.version when _shared was looked up
        self._shared = None  # see Universe.shared_values
        # the values of the current module are never shared (nor those of a
        # module without a project): see Universe.__init__
        self.may_share = universe.project is not None
        self._import_index = None
        cached = ctx.cache.get("pk4.index") if hasattr(ctx, "cache") else None
        if cached is not None and cached[0] is ctx.tree:
            (_, self.classes, self.module_functions, self.calls_by_name, self.loads_by_name, self.attr_stores,
             self.attr_loads, self.returns, self.yields, self.arg_owner, self.functions, self.scope_defs,
             self.defined_names) = cached
        else:
            self._index()
            self.scope_defs: Dict[int, Dict[str, List[Def]]] = {}
            self.defined_names: Dict[int, frozenset] = {}
            if hasattr(ctx, "cache"):
                ctx.cache["pk4.index"] = (
                    ctx.tree, self.classes, self.module_functions, self.calls_by_name, self.loads_by_name,
                    self.attr_stores, self.attr_loads, self.returns, self.yields, self.arg_owner, self.functions,
                    self.scope_defs, self.defined_names)

    def __repr__(self):
        return "Kinds(%s)" % self.dotted

    # -- index -----------------------------------------------------------
    def _index(self):
        ctx = self.ctx
        self.classes: Dict[str, ast.ClassDef] = {}
        self.module_functions: Dict[str, ast.AST] = {}
        self.calls_by_name: Dict[str, List[ast.Call]] = {}
        self.loads_by_name: Dict[str, List[ast.AST]] = {}
        self.attr_stores: Dict[str, List[ast.Attribute]] = {}
        self.attr_loads: Dict[str, List[ast.Attribute]] = {}
        self.returns: Dict[int, List[ast.AST]] = {}
        self.yields: Dict[int, List[ast.AST]] = {}
        self.arg_owner: Dict[int, ast.AST] = {}
        self.functions: List[ast.AST] = []
        for stmt in self.tree.body:
            if isinstance(stmt, FUNCS):
                self.module_functions[stmt.name] = stmt
            elif isinstance(stmt, ast.ClassDef):
                self.classes[stmt.name] = stmt
        index = ctx.walk.index
        if not (index.get(ast.AsyncFunctionDef) or index.get(ast.YieldFrom)):
            self._index_by_type(index)
            return
        # their nodes go in one list with those of another type: in the walk's order
        for node in tree_nodes(self.ctx):
            cls = type(node)
            if cls is ast.Name:
                if type(node.ctx) is ast.Load:
                    self.loads_by_name.setdefault(node.id, []).append(node)
            elif cls is ast.Attribute:
                if type(node.ctx) is ast.Store:
                    self.attr_stores.setdefault(node.attr, []).append(node)
                elif type(node.ctx) is ast.Load:
                    self.attr_loads.setdefault(node.attr, []).append(node)
            elif cls is ast.Call:
                name = call_name(node)
                if name:
                    self.calls_by_name.setdefault(name, []).append(node)
            elif cls in FUNCS or cls is ast.Lambda:
                if cls is not ast.Lambda:
                    self.functions.append(node)
                for arg in all_params(node):
                    self.arg_owner[id(arg)] = node
            elif cls is ast.ClassDef:
                self.classes.setdefault(node.name, node)
            elif cls is ast.Return:
                func = enclosing_function(ctx, node)
                if func is not None:
                    self.returns.setdefault(id(func), []).append(node)
            elif cls in (ast.Yield, ast.YieldFrom):
                func = enclosing_function(ctx, node)
                if func is not None:
                    self.yields.setdefault(id(func), []).append(node)

    def _index_by_type(self, index):
        """The loop of :meth:`_index`, one node type at a time: each list of
        the index comes out the same (the walk's list of a type gives its
        nodes in the walk's order), without a test of every node's type."""
        load, store = ast.Load, ast.Store
        found = self.loads_by_name
        for node in index.get(ast.Name, ()):
            if type(node.ctx) is load:
                names = found.get(node.id)
                if names is None:
                    found[node.id] = [node]
                else:
                    names.append(node)
        stores, loads = self.attr_stores, self.attr_loads
        for node in index.get(ast.Attribute, ()):
            context = type(node.ctx)
            if context is store:
                stores.setdefault(node.attr, []).append(node)
            elif context is load:
                loads.setdefault(node.attr, []).append(node)
        calls = self.calls_by_name
        for node in index.get(ast.Call, ()):
            name = call_name(node)
            if name:
                calls.setdefault(name, []).append(node)
        arg_owner = self.arg_owner
        for cls in (ast.FunctionDef, ast.Lambda):
            for node in index.get(cls, ()):
                if cls is not ast.Lambda:
                    self.functions.append(node)
                for arg in all_params(node):
                    arg_owner[id(arg)] = node
        for node in index.get(ast.ClassDef, ()):
            self.classes.setdefault(node.name, node)
        ctx = self.ctx
        for node in index.get(ast.Return, ()):
            func = enclosing_function(ctx, node)
            if func is not None:
                self.returns.setdefault(id(func), []).append(node)
        for node in index.get(ast.Yield, ()):
            func = enclosing_function(ctx, node)
            if func is not None:
                self.yields.setdefault(id(func), []).append(node)

    def owns(self, node) -> bool:
        """Is ``node`` part of this module's tree?"""
        return node in self.ctx.walk.parents

    # -- entry point -----------------------------------------------------
    def kind(self, node: ast.AST) -> Optional[Value]:
        """The value of ``node`` (None only while a cycle is being followed)."""
        key = id(node)
        value = self.memo.get(key)
        if value is not None:
            return value
        if key in self.overrides:
            return self.overrides[key]
        universe = self.universe
        shared = None
        if self.may_share and not universe.stale:
            shared = self._shared_values()
            if shared is not None:
                value = shared.get(key)
                if value is not None and (type(value) is not _Detached or (value := value.attach(universe))):
                    self.memo[key] = value
                    return value
        value = universe.evaluate(self.memo, key, lambda: self._kind(node))
        if value is None:
            if not universe.depth:
                value = self.memo[key] = Unknown("no assignment reaches line %d" % getattr(node, "lineno", 0))
        elif shared is not None and not (universe.stale or universe.cut) and self.memo.get(key) is value:
            kept = detach(value)
            if kept is not None:
                shared[key] = kept
        return value

    def value(self, node) -> Value:
        value = self.kind(node)
        return value if value is not None else Unknown("")

    def _guarded(self, key, compute, node=_UNSET):
        """Memoise ``compute()`` under ``key``; None while it is being computed.

        ``node``: the node of this module that ``key`` names, if any (None: the
        key names no node); then the value is shared with the other analyses
        of this process (see :meth:`Universe.shared_values`) when
        :func:`detach` can keep it and the node is this module's (a key holds
        an ``id()``, which is only a name while the node lives)."""
        memo2 = self.memo2
        if key in memo2:
            return memo2[key]
        universe = self.universe
        shared = None
        if node is not _UNSET and self.may_share and not universe.stale and (
                node is None or node in self.ctx.walk.parents):
            shared = self._shared_values()
            if shared is not None:
                value = shared.get(key)
                if value is not None and (type(value) is not _Detached or (value := value.attach(universe))):
                    memo2[key] = value
                    return value
        value = universe.evaluate(memo2, key, compute)
        if value is None:
            if not universe.depth:
                memo2[key] = None
        elif shared is not None and not (universe.stale or universe.cut) and memo2.get(key) is value:
            kept = detach(value)
            if kept is not None:
                shared[key] = kept
        return value

    def lasting_tree(self):
        """This module's tree if it is that of the module's reading in this
        process (which outlives this analysis, see :func:`reading_of`), else None."""
        found = self.__dict__.get("_lasting", _UNSET)
        if found is _UNSET:
            found = None
            path = getattr(self.ctx, "path", "")
            cached = _SOURCES.get(os.path.abspath(path)) if path else None
            if cached is not None and cached[1] is not None and cached[1].tree is self.tree:
                found = self.tree
            self._lasting = found
        return found

    def _shared_values(self) -> Optional[dict]:
        universe = self.universe
        if self._shared_at != universe.version:
            self._shared = universe.shared_values(self)
            self._shared_at = universe.version
            if self._shared is not None:
                universe.sharing[id(self.memo)] = self
        return self._shared

    def line(self, node) -> int:
        return getattr(node, "lineno", 0)

    def _kind(self, node) -> Optional[Value]:
        method = _KIND_METHODS.get(type(node))
        if method is None:
            return Unknown("%s expression" % type(node).__name__)
        return method(self, node)

    # -- literals and displays -------------------------------------------
    def _k_Constant(self, node):
        value = node.value
        line = self.line(node)
        if isinstance(value, bytes):
            return Str(BYTES, "b'' literal at line %d" % line, ascii=True)
        if isinstance(value, str):
            ascii = is_ascii(value)
            portable = ascii or self.encoding == "utf-8"
            if has_u_prefix(self.ctx, node):
                return Str(TEXT, "u'' literal at line %d" % line, portable, ascii=ascii)
            if self.unicode_literals:
                return Str(TEXT, "literal at line %d under unicode_literals" % line, portable, ascii=ascii)
            latin1 = False
            if not ascii:
                # On 2 a native literal holds the source's bytes for the characters
                # written as such, and the escaped byte for \xNN / \NNN: only the
                # first kind is UTF-8 on 3 (in a UTF-8 file), only the second latin-1.
                try:
                    written = self.ctx.source(node)
                except Exception:
                    written = ""
                escaped = _HIGH_ESCAPE.search(written) is not None
                if escaped:
                    portable = False
                    latin1 = written.isascii() and all(ord(c) < 256 for c in value)
            return Str(NATIVE, "'' literal at line %d" % line, portable, latin1=latin1, ascii=ascii)
        if value is None:
            return NoneValue()
        return Other("constant at line %d" % line)

    def _k_JoinedStr(self, node):
        return Str(TEXT if self.unicode_literals else NATIVE, "f-string at line %d" % self.line(node))

    def _k_List(self, node):
        return self._display(node, "list")

    def _k_Set(self, node):
        return self._display(node, "set")

    def _k_Tuple(self, node):
        return Tup([self.kind(e) if not isinstance(e, ast.Starred) else Unknown("starred")
                    for e in node.elts], "tuple at line %d" % self.line(node))

    def _display(self, node, what):
        item = None
        for elt in node.elts:
            if isinstance(elt, ast.Starred):
                item = join(item, element_of(self.kind(elt.value)))
            else:
                item = join(item, self.kind(elt))
        return Seq(item, "%s at line %d" % (what, self.line(node)))

    def _k_Dict(self, node):
        key = value = None
        keys = {}
        for k, v in zip(node.keys, node.values):
            if k is None:
                continue
            kv = self.kind(k)
            vv = self.kind(v)
            key = join(key, kv)
            value = join(value, vv)
            text = const_str(k)
            if text is not None and vv is not None:
                keys[text] = vv
        return Map(key, value, "dict at line %d" % self.line(node), keys)

    def _k_ListComp(self, node):
        return Seq(self.kind(node.elt), "comprehension at line %d" % self.line(node))

    _k_SetComp = _k_ListComp
    _k_GeneratorExp = _k_ListComp

    def _k_DictComp(self, node):
        return Map(self.kind(node.key), self.kind(node.value), "dict comprehension")

    def _k_IfExp(self, node):
        if is_native_str_of(node):
            # (six.ensure_str(x) if isinstance(x, bytes) else str(x)): str(x) on 2, on 3
            # the bytes decoded as UTF-8: a native str like six.ensure_str's
            inner = self.kind(node.body.args[0])
            return Str(NATIVE, "six.ensure_str() or str() at line %d" % node.lineno, portable=True,
                       ascii=isinstance(inner, Str) and inner.ascii)
        return join(self.kind(node.body), self.kind(node.orelse))

    def _k_BoolOp(self, node):
        result = None
        for value in node.values:
            result = join(result, self.kind(value))
        return result

    def _k_NamedExpr(self, node):
        return self.kind(node.value)

    def _k_Lambda(self, node):
        return Func(node=node, owner=self, reason="lambda")

    def _k_Compare(self, node):
        return Other("comparison")

    def _k_UnaryOp(self, node):
        return Other("not" if isinstance(node.op, ast.Not) else "number")

    def _k_Await(self, node):
        return Unknown("await")

    def _k_Starred(self, node):
        return Unknown("starred")

    def _k_Slice(self, node):
        return Other("slice")

    # -- operators ---------------------------------------------------------
    def _k_BinOp(self, node):
        op = type(node.op)
        left = self.kind(node.left)
        if op is ast.Mod:
            return self.format_result(node, left, node.right)
        right = self.kind(node.right)
        if op is ast.Add:
            return self.concat(left, right)
        if op is ast.Mult:
            for side in (left, right):
                if isinstance(side, (Str, Mixed, Seq, Tup)):
                    return side
            if isinstance(left, Other) and isinstance(right, Other):
                return Other("number")
            return Unknown("product")
        if isinstance(left, Other) and isinstance(right, Other):
            return Other("number")
        if left is None and isinstance(right, Other) or right is None and isinstance(left, Other):
            return Other("number")
        return Unknown("%s of %s and %s" % (op.__name__, short(left), short(right)))

    def concat(self, left, right):
        """``left + right``: on 2, NATIVE + TEXT is TEXT and NATIVE + BYTES is BYTES."""
        if left is None or isinstance(left, NoneValue):
            return right  # None + x fails anyway: only the string paths count
        if right is None or isinstance(right, NoneValue):
            return left
        if isinstance(left, (Seq, Tup)) and isinstance(right, (Seq, Tup)):
            return join(Seq(element_of(left)), Seq(element_of(right)))
        if isinstance(left, Other) and isinstance(right, Other):
            return Other("number")
        if isinstance(left, Str) and isinstance(right, Str):
            labels = {left.label, right.label}
            portable = left.portable and right.portable
            latin1 = left.latin1 and right.latin1
            ascii = left.ascii and right.ascii
            if len(labels) == 1:
                return Str(left.label, left.reason, portable, latin1, ascii)
            if labels == {NATIVE, TEXT}:
                text = left if left.label == TEXT else right
                return Str(TEXT, text.reason, portable, latin1, ascii)
            if labels == {NATIVE, BYTES}:
                data = left if left.label == BYTES else right
                return Str(BYTES, data.reason, portable, latin1, ascii)
            return Mixed((left, right))
        if isinstance(left, (Str, Mixed)) and isinstance(right, (Str, Mixed)):
            result = None
            for a in strings_of(left):
                for b in strings_of(right):
                    result = join(result, self.concat(a, b))
            return result
        if isinstance(left, Unknown):
            return left
        if isinstance(right, Unknown):
            return right
        return Unknown("sum of %s and %s" % (short(left), short(right)))

    def format_args(self, right_node) -> List[Optional[Value]]:
        """The values that ``fmt % right`` interpolates."""
        if isinstance(right_node, ast.Tuple):
            return [self.kind(e) for e in right_node.elts]
        if isinstance(right_node, ast.Dict):
            return [self.kind(v) for v in right_node.values]
        value = self.kind(right_node)
        if isinstance(value, Tup):
            return list(value.items)
        if isinstance(value, Map):
            if value.keys:
                return list(value.keys.values())
            return [value.value]
        return [value]

    def format_result(self, node, left, right_node):
        if left is None:
            return None
        if isinstance(left, Other):
            return Other("number")
        if isinstance(left, Mixed):
            return left
        if not isinstance(left, Str):
            return Unknown("%% of %s" % short(left))
        args = self.format_args(right_node)
        fmt = node.left
        ascii = left.ascii and isinstance(fmt, ast.Constant) and (numeric_format(fmt.value) or all(
            isinstance(a, Other) or isinstance(a, Str) and a.ascii for a in args))
        portable = left.portable and all(isinstance(a, Other) or isinstance(a, Str) and a.portable
                                         and a.label == left.label for a in args)
        if left.label == NATIVE:
            for arg in args:
                if isinstance(arg, Str) and arg.label == TEXT:
                    return Str(TEXT, "'' %% TEXT at line %d (%s)" % (self.line(node), arg.reason))
                if isinstance(arg, Mixed) and TEXT in arg.labels:
                    return Mixed((Str(TEXT, arg.reason), left))
            return Str(NATIVE, "%s formatting at line %d" % (
                "'' literal" if isinstance(fmt, ast.Constant) else "NATIVE", self.line(node)),
                portable, ascii=ascii)
        return Str(left.label, left.reason, portable, ascii=ascii)

    # -- subscripts and attributes ----------------------------------------
    def _k_Subscript(self, node):
        base = self.kind(node.value)
        index = node.slice
        if isinstance(index, ast.Slice):
            if isinstance(base, (Str, Mixed, Seq)):
                return base
            if isinstance(base, Tup):
                return Seq(tuple_item(base), base.reason)
            return base if base is None else Unknown("slice of %s" % short(base))
        return self.item_value(base, index, node)

    def item_value(self, base, index, node):
        if isinstance(base, Str):
            if base.label == BYTES:
                return Unknown("item of BYTES (%s): a 1-character str on 2, an int on 3" % base.reason)
            return base
        if isinstance(base, Seq):
            return base.item if base.item is not None else Unknown(base.reason)
        if isinstance(base, Tup):
            if isinstance(index, ast.Constant) and isinstance(index.value, int):
                return item_of(base, index.value, base.reason)
            return tuple_item(base) or Unknown(base.reason)
        if isinstance(base, Map):
            key = const_str(index)
            if base.keys and key is not None and key in base.keys:
                return base.keys[key]
            return base.value if base.value is not None else Unknown(base.reason)
        if isinstance(base, Obj):
            if base.type == "environ":
                return self.environ_value(index, node)
            spec = table.TYPES.get(base.type or "", {}).get("[]")
            if isinstance(spec, str):
                return spec_value(spec, "item of %s" % base.reason)
            if base.cls is not None:
                owner = base.owner or self
                method = owner.method(base.cls, "__getitem__")
                if method is not None:
                    return method[1].returns_of(method[0])
        if base is None:
            return None
        return Unknown("item of %s" % short(base))

    def environ_value(self, key_node, node):
        key = const_str(key_node)
        if key is not None and key in table.ENVIRON_SPECIAL:
            return spec_value(table.ENVIRON_SPECIAL[key], "environ[%r]" % key)
        what = "environ[%r]" % key if key is not None else "an environ value"
        return Str(NATIVE, "%s (PEP 3333: the raw bytes on 2, decoded as latin-1 on 3)" % what, latin1=True)

    def _k_Name(self, node):
        if not isinstance(node.ctx, ast.Load):
            return Unknown("store")
        return self.name_value(node.id, node)

    def _k_Attribute(self, node):
        dotted = self.ctx.resolve(node)
        if dotted:
            found = self.universe.entity(dotted, self)
            if found is not None:
                return found
            canon = table.canonical(dotted)
            if canon in table.VALUES:
                return spec_value(table.VALUES[canon], dotted)
            return Func(reason=canon)
        base = self.kind(node.value)
        return self.attribute_of(base, node.attr, node)

    def attribute_of(self, base, attr, node):
        if isinstance(base, Objs):
            result = None
            for alternative in base.alternatives:
                result = join(result, self.attribute_of(alternative, attr, node))
            return result
        if isinstance(base, Mod):
            found = base.kinds.export([attr])
            return found if found is not None else Unknown("%s.%s" % (base.kinds.dotted, attr))
        if isinstance(base, Obj):
            if base.type:
                spec = table.TYPES.get(base.type, {}).get(attr)
                if isinstance(spec, str):
                    return spec_value(spec, "%s.%s" % (base.reason or base.type, attr))
                if isinstance(spec, table.Sig):
                    return Func(reason="%s.%s" % (base.type, attr))
                return Unknown("attribute %s of %s" % (attr, base.reason or base.type))
            if base.cls is not None:
                return (base.owner or self).class_attribute(base.cls, attr)
        if isinstance(base, Func) and base.cls is not None:
            return (base.owner or self).class_attribute(base.cls, attr)
        if base is None:
            return None
        if isinstance(base, (Str, Mixed)):
            return Func(reason="str.%s" % attr)
        return Unknown("attribute .%s of %s" % (attr, short(base)))

    # -- calls -------------------------------------------------------------
    def _k_Call(self, node):
        func = node.func
        if isinstance(func, (ast.Attribute, ast.Name)):
            dotted = self.ctx.resolve(func)
            if dotted is not None:
                found = self.universe.entity(dotted, self)
                if found is not None:
                    return self.call_value(node, found)
                return self.api_call(node, dotted)
            if isinstance(func, ast.Attribute):
                receiver = self.kind(func.value)
                value = self.method_call(node, receiver, func.attr)
                if func.attr == "strftime" and (value is None or isinstance(value, Unknown)) and node.args \
                        and isinstance(node.args[0], ast.Constant) and type(node.args[0].value) is str \
                        and not has_u_prefix(self.ctx, node.args[0]) and not self.unicode_literals:
                    # date, datetime, time and struct_time all format a native str into a native str
                    return Str(NATIVE, ".strftime() at line %d" % self.line(node))
                return value
            return self.call_value(node, self.name_value(func.id, func))
        return self.call_value(node, self.kind(func))

    def call_value(self, node, callee):
        if self.is_wsgi_call(node) and not (isinstance(callee, Func) and (callee.node or callee.cls)):
            return Seq(Str(BYTES, "an item of the response of the WSGI application called at line %d (PEP 3333)"
                           % self.line(node)), "WSGI response")
        if isinstance(callee, Func):
            owner = callee.owner or self
            if callee.cls is not None:
                return Obj(cls=callee.cls, owner=owner, reason="%s instance" % callee.cls.name)
            if callee.node is not None and not isinstance(callee.node, ast.Lambda):
                return owner.returns_of(callee.node)
            if callee.reason:
                return self.api_call(node, callee.reason, canonical=True)
        if isinstance(callee, Obj) and callee.type:
            spec = table.TYPES.get(callee.type, {}).get("()")
            if isinstance(spec, str):
                return spec_value(spec, "%s()" % (callee.reason or callee.type))
        if callee is None:
            return None
        return Unknown("result of %s" % brief(self.ctx, node.func))

    def is_wsgi_call(self, node) -> bool:
        """``app(environ, start_response)``: calling a WSGI application."""
        if len(node.args) != 2 or node.keywords:
            return False
        first, second = node.args
        name = second.id if isinstance(second, ast.Name) else second.attr if isinstance(second, ast.Attribute) \
            else None
        if name != "start_response":
            return False
        env = self.kind(first)
        return isinstance(env, Obj) and env.type == "environ" or isinstance(first, ast.Name) and first.id in (
            "environ", "env")

    def arg_values(self, node) -> List[Optional[Value]]:
        return [self.kind(a) if not isinstance(a, ast.Starred) else Unknown("*args") for a in node.args]

    def api_call(self, node, dotted, canonical=False):
        canon = dotted if canonical else table.canonical(dotted)
        special = self._special_call(node, canon)
        if special is not None:
            return special
        sig = table.FUNCTIONS.get(canon)
        name = canon.replace("builtins.", "")
        if sig is not None:
            reason = ("%s()" if sig.result.startswith("@") else "result of %s()") % name
            return spec_value(sig.result, reason, self.arg_values(node))
        if canon.startswith("str."):
            return Unknown("result of %s()" % name)
        return Unknown("result of %s()" % name)

    def _special_call(self, node, canon):
        args = node.args
        line = self.line(node)
        if canon in ("builtins.open", "builtins.file", "io.open", "codecs.open"):
            mode = const_str(args[1]) if len(args) > 1 else None
            for kw in node.keywords:
                if kw.arg == "mode":
                    mode = const_str(kw.value)
            if mode is None and (len(args) > 1 or any(k.arg == "mode" for k in node.keywords)):
                return Unknown("file opened with a computed mode")
            mode = mode or "r"
            where = "%s(..., %r) at line %d" % (canon.split(".")[-1], mode, line)
            if "b" in mode:
                return Obj(type="binfile", reason="binary file " + where)
            if canon in ("io.open", "codecs.open"):
                return Obj(type="textfile", reason="text file " + where)
            return Obj(type="nativefile", owner=self, reason="text-mode file " + where, extra=node)
        if canon == "builtins.str":
            if not args:
                return Str(NATIVE, "str() at line %d" % line, ascii=True)
            arg = self.kind(args[0])
            # str() of text on 2 encodes it with ASCII: whatever comes out is ASCII
            ascii = isinstance(arg, Other) or isinstance(arg, Str) and (arg.ascii or arg.label == TEXT)
            return Str(NATIVE, "str() at line %d" % line, isinstance(arg, Str) and arg.portable, ascii=ascii)
        if canon == "builtins.bytes":
            if not args:
                return Str(BYTES, "bytes() at line %d" % line, ascii=True)
            arg = self.kind(args[0])
            if isinstance(arg, Str) and arg.label == BYTES or isinstance(arg, Obj) and arg.type == "bytearray":
                return Str(BYTES, "bytes() at line %d" % line)
            return Unknown("bytes() at line %d (str() on 2)" % line)
        if canon in ("builtins.unicode", "six.text_type"):
            return Str(TEXT, "%s() at line %d" % (canon.split(".")[-1], line))
        if canon in ("six.ensure_text", "six.ensure_binary", "six.ensure_str", "six.b", "six.u"):
            label = {"six.ensure_text": TEXT, "six.u": TEXT, "six.ensure_binary": BYTES, "six.b": BYTES}.get(
                canon, NATIVE)
            inner = self.kind(args[0]) if args else None
            ascii = isinstance(inner, Str) and inner.ascii
            # six converts with UTF-8 both ways, so a native str it makes is UTF-8-consistent
            portable = label == NATIVE and len(args) < 2 or ascii
            return Str(label, "%s() at line %d" % (canon, line), portable, ascii=ascii)
        if canon == "string.join":
            return self.join_result(node, args[1] if len(args) > 1 else None, args[0] if args else None)
        if canon == "builtins.super":
            func = enclosing_function(self.ctx, node)
            cls = enclosing_class(self.ctx, func) if func is not None else None
            if cls is not None:
                return Obj(type="super", cls=cls, owner=self, reason="super() in %s" % cls.name)
        if canon in ("builtins.staticmethod", "builtins.classmethod") and args:
            return self.kind(args[0])
        if canon == "builtins.dict":
            if args:
                items = element_of(self.kind(args[0]))
                if isinstance(items, Tup) and len(items.items) == 2:
                    return Map(items.items[0], items.items[1], "dict() at line %d" % line)
                if isinstance(self.kind(args[0]), Map):
                    return self.kind(args[0])
            return Map(None, None, "dict() at line %d" % line)
        if canon == "struct.Struct" and args:
            return Obj(type="struct", reason="struct.Struct() at line %d" % line, extra=(args[0], self))
        if canon in ("StringIO.StringIO", "cStringIO.StringIO"):
            return Obj(type="py2stringio", owner=self, reason="%s() at line %d" % (canon, line), extra=node)
        if canon in ("re.compile",):
            pattern = self.kind(args[0]) if args else None
            return Obj(type="pattern", reason="re.compile() at line %d" % line, extra=(pattern, args[0] if args else None))
        if canon in ("re.search", "re.match", "re.fullmatch"):
            subject = self.kind(args[1]) if len(args) > 1 else None
            return Obj(type="match", reason="%s() at line %d" % (canon, line), extra=(subject, None))
        if canon in ("re.findall", "re.split"):
            subject = self.kind(args[1]) if len(args) > 1 else None
            groups = _group_count(args[0]) if args else 0
            return self._findall(subject, groups, canon, line)
        if canon in ("urllib.parse.parse_qs",):
            return Map(Str(NATIVE, "key of parse_qs() at line %d" % line),
                       Seq(Str(NATIVE, "value of parse_qs() at line %d" % line)), "parse_qs()")
        if canon in ("urllib.parse.parse_qsl",):
            pair = Tup([Str(NATIVE, "parse_qsl() at line %d" % line)] * 2)
            return Seq(pair, "parse_qsl()")
        if canon == "builtins.map" and len(args) == 2:
            fn = self.kind(args[0])
            if isinstance(fn, Func) and fn.reason in ("builtins.ord", "builtins.int", "builtins.len"):
                return Seq(Other("number"), "map()")
            return Seq(Unknown("map()"), "map()")
        return None

    def _findall(self, subject, groups, what, line):
        reason = "%s() at line %d" % (what, line)
        item = subject if isinstance(subject, (Str, Mixed)) else Unknown(reason)
        if groups > 1:
            return Seq(Tup([item] * groups, reason), reason)
        return Seq(item, reason)

    def method_call(self, node, receiver, name):
        line = self.line(node)
        if isinstance(receiver, Objs):
            result = None
            for alternative in receiver.alternatives:
                value = self.method_call(node, alternative, name)
                if value is None:
                    continue
                result = join(result, value)
            return result
        if isinstance(receiver, (Str, Mixed)):
            return self.str_method(node, receiver, name, line)
        if name in ("encode", "decode") and node.args and isinstance(receiver, (Unknown, type(None))):
            codec = const_str(node.args[0])
            if codec and codec.lower() in table.BYTES_CODECS:
                # str.encode('hex'/'base64'/'zlib') gives a native str on 2 whatever the receiver
                return self.str_method(node, Str(NATIVE, "a str"), name, line)
            if codec and codec.lower() not in table.BYTES_CODECS and re.match(r"^[\w.-]+$", codec):
                # whatever the string was, a text codec gives bytes (encode) or text (decode)
                return Str(BYTES if name == "encode" else TEXT, ".%s(%r) at line %d" % (name, codec, line))
        if isinstance(receiver, Obj):
            if receiver.type:
                return self.api_method(node, receiver, name)
            if receiver.cls is not None:
                owner = receiver.owner or self
                found = owner.method(receiver.cls, name)
                if found is not None:
                    return found[1].returns_of(found[0])
                attr = owner.class_attribute(receiver.cls, name)
                return self.call_value(node, attr) if attr is not None else None
        if isinstance(receiver, Map):
            if name in ("get", "pop", "setdefault"):
                key = const_str(node.args[0]) if node.args else None
                result = receiver.keys[key] if receiver.keys and key in receiver.keys else receiver.value
                if len(node.args) > 1:
                    result = join(result, self.kind(node.args[1]))
                return result if result is not None else Unknown(receiver.reason)
            if name in ("items", "iteritems", "viewitems"):
                return Seq(Tup([receiver.key, receiver.value]), receiver.reason)
            if name in ("keys", "iterkeys", "viewkeys"):
                return Seq(receiver.key, receiver.reason)
            if name in ("values", "itervalues", "viewvalues"):
                return Seq(receiver.value, receiver.reason)
            if name == "copy":
                return receiver
            if name in ("has_key", "update", "clear"):
                return Other(name)
        if isinstance(receiver, Seq):
            if name in ("pop", "next", "__next__"):
                return receiver.item or Unknown(receiver.reason)
            if name in ("index", "count", "append", "extend", "insert", "sort", "reverse", "remove"):
                return Other(name)
        if isinstance(receiver, Func):
            if receiver.cls is not None:
                owner = receiver.owner or self
                found = owner.method(receiver.cls, name)
                if found is not None:
                    return found[1].returns_of(found[0])
            if receiver.reason and not receiver.node and not receiver.cls:
                return self.api_call(node, receiver.reason + "." + name, canonical=True)
        if isinstance(receiver, Mod):
            found = receiver.kinds.export([name])
            return self.call_value(node, found) if found is not None else Unknown("%s.%s()" % (receiver.kinds.dotted, name))
        if receiver is None:
            return None
        if isinstance(receiver, Unknown) and name not in _COMMON_METHODS and not name.startswith("__"):
            found = self.universe.methods_named(name)
            if found:
                result = None
                for func, owner in found:
                    result = join(result, owner.returns_of(func))
                if isinstance(result, (Str, Mixed)):
                    return result
        return Unknown("result of %s()" % brief(self.ctx, node.func))

    def str_method(self, node, receiver, name, line):
        if name == "encode":
            codec = const_str(node.args[0]) if node.args else None
            if codec and codec.lower() in table.BYTES_CODECS:
                return Str(NATIVE, ".encode(%r) at line %d" % (codec, line),
                           ascii=codec.lower().startswith(("hex", "base64")))
            normal = (codec or "").lower().replace("-", "").replace("_", "")
            ascii = normal in ("ascii", "usascii") or all(p.ascii for p in strings_of(receiver))
            return Str(BYTES, ".encode() at line %d" % line, normal in ("utf8", "ascii", "usascii"), ascii=ascii,
                       codec=codec if normal in ("latin1", "iso88591", "l1", "cp1252") else None)
        if name == "decode":
            codec = const_str(node.args[0]) if node.args else None
            if codec and codec.lower() in table.BYTES_CODECS:
                return Str(BYTES, ".decode(%r) at line %d" % (codec, line))
            return Str(TEXT, ".decode() at line %d" % line)
        if name == "join":
            return self.join_result(node, node.func.value, node.args[0] if node.args else None)
        if name == "format":
            if isinstance(receiver, Str):
                return Str(receiver.label, "%s.format() at line %d" % (receiver.label.lower(), line))
            return receiver
        spec = table.STR_METHODS.get(name)
        if spec == "=":
            return receiver
        if spec == "[=]":
            return Seq(receiver, receiver.reason)
        if spec == "(=,=,=)":
            return Tup([receiver] * 3, receiver.reason)
        if spec == "O":
            return Other("%s()" % name)
        return Unknown(".%s() of a string" % name)

    def api_method(self, node, receiver, name):
        rtype = receiver.type
        line = self.line(node)
        if rtype == "super":
            owner = receiver.owner or self
            result = None
            members = list(owner.family(receiver.cls))
            seen = {id(k) for k, _ in members}
            index = 0
            while index < len(members):  # the bases of the subclasses too: a mixin's super()
                klass, klass_owner = members[index]
                index += 1
                bases = klass_owner.bases_of(klass)
                for base, base_owner in (bases.items if bases is not None else ()):
                    if id(base) not in seen:
                        seen.add(id(base))
                        members.append((base, base_owner))
            for klass, klass_owner in members:
                if klass is receiver.cls:
                    continue
                for stmt in body_members(klass).get(name, ()):
                    if isinstance(stmt, FUNCS):
                        result = join(result, klass_owner.returns_of(stmt))
            return result if result is not None else Unknown("super().%s()" % name)
        if rtype == "environ" and name in ("get", "pop", "setdefault") and node.args:
            result = self.environ_value(node.args[0], node)
            if len(node.args) > 1:
                default = self.kind(node.args[1])
                if not (isinstance(default, Str) and default.label == NATIVE):
                    result = join(result, default)
            return result
        if rtype == "pattern":
            subject = self.kind(node.args[0]) if node.args else None
            if name in ("search", "match", "fullmatch"):
                return Obj(type="match", reason=".%s() at line %d" % (name, line), extra=(subject, None))
            if name in ("findall", "split"):
                groups = _group_count(receiver.extra[1]) if receiver.extra and receiver.extra[1] is not None else 0
                return self._findall(subject, groups, "." + name, line)
            if name == "finditer":
                return Seq(Obj(type="match", reason=".finditer() at line %d" % line, extra=(subject, None)))
            if name == "sub":
                return self.kind(node.args[1]) if len(node.args) > 1 else Unknown("sub()")
            return Unknown(".%s()" % name)
        if rtype == "match":
            subject = receiver.extra[0] if receiver.extra else None
            if name == "group":
                if len(node.args) > 1:
                    return Tup([subject] * len(node.args))
                return subject if isinstance(subject, (Str, Mixed)) else Unknown("match group")
            if name == "groups":
                return Seq(subject, "groups()")
            if name == "groupdict":
                return Map(Str(NATIVE, "group name"), subject, "groupdict()")
            if name in ("start", "end", "span"):
                return Other(name)
            return Unknown(".%s()" % name)
        sig = table.TYPES.get(rtype, {}).get(name)
        if isinstance(sig, table.Sig):
            reason = ("%s.%s()" if sig.result.startswith("@") else "result of %s.%s()") % (
                receiver.reason or rtype, name)
            value = spec_value(sig.result, reason, self.arg_values(node))
            if rtype == "nativefile" and isinstance(value, Str) and receiver.extra is not None:
                # the open() call belongs to the module that made the file object
                self.universe.opened_by[id(node)] = (receiver.extra, receiver.owner or self)
            return value
        if rtype == "py2stringio" and name in ("getvalue", "read", "readline"):
            if receiver.extra is not None:
                maker = receiver.owner or self  # the StringIO() call is a node of the module that made it
                label, why = maker.buffer_kind(receiver.extra)
                if why == "being decided":
                    return None  # a cycle: what is written depends on what is read
                if label in (BYTES, TEXT):
                    return Str(label, "content of the %s (%s)" % (receiver.reason, why))
                content = maker.buffer_content(receiver.extra)[0]
                if isinstance(content, (Str, Mixed)):
                    return relabel(content, "content of the %s" % receiver.reason) if isinstance(
                        content, Str) else content
            return Unknown("content of a StringIO buffer (bytes or text)")
        return Unknown("result of .%s()" % name)

    def written_by_callee(self, call, index):
        """What ``call`` writes into the file object it gets as argument ``index``:
        native strings for ``csv.writer``; for a function or class of the project,
        the writes to the parameter (or to the attribute it is stored in).
        None when that cannot be told."""
        func = call.func
        dotted = self.ctx.resolve(func) if isinstance(func, (ast.Name, ast.Attribute)) else None
        if dotted in ("csv.writer", "csv.DictWriter") and index == 0:
            return Str(NATIVE, "what csv.writer() writes (native str)")
        callee = self.kind(func)
        if not isinstance(callee, Func):
            return None
        owner = callee.owner or self
        if callee.cls is not None:
            found = owner.method(callee.cls, "__init__")
            if found is None:
                return None
            target, owner = found
            shift = 1
        elif callee.node is not None and not isinstance(callee.node, ast.Lambda):
            target, shift = callee.node, 0
        else:
            return None
        params = positional_params(target)
        if index + shift >= len(params):
            return None
        return owner.writes_to_param(target, params[index + shift])

    def writes_to_param(self, func, arg):
        """The join of what is written (``.write(x)``) to parameter ``arg`` of ``func``,
        directly or through the ``self`` attribute it is stored in; None if unknowable."""
        result = None
        cls = enclosing_class(self.ctx, func)
        for node in walk_scope(func):
            if not (isinstance(node, ast.Name) and node.id == arg.arg and isinstance(node.ctx, ast.Load)):
                continue
            use = self.ctx.parent(node)
            if isinstance(use, ast.Attribute) and use.value is node and use.attr in ("write", "writelines"):
                call = self.ctx.parent(use)
                if isinstance(call, ast.Call) and call.args:
                    value = self.kind(call.args[0])
                    result = join(result, value if use.attr == "write" else element_of(value))
                continue
            if isinstance(use, ast.Assign) and use.value is node and len(use.targets) == 1 \
                    and isinstance(use.targets[0], ast.Attribute) and cls is not None \
                    and self.self_class(use.targets[0].value) is cls:
                for load, owner in self.attribute_loads(cls, use.targets[0].attr):
                    attr_use = owner.ctx.parent(load)
                    if isinstance(attr_use, ast.Attribute) and attr_use.value is load and attr_use.attr == "write":
                        call = owner.ctx.parent(attr_use)
                        if isinstance(call, ast.Call) and call.args:
                            result = join(result, owner.kind(call.args[0]))
                continue
            if isinstance(use, ast.Call) and node in use.args:
                inner = self.written_by_callee(use, use.args.index(node))
                if inner is None:
                    return None
                result = join(result, inner)
                continue
            return None
        return result

    def buffer_holders(self, creation):
        """``[(load, owner)]``: the loads of the variable or attribute that holds the buffer."""
        parent = self.ctx.parent(creation)
        if isinstance(parent, ast.Assign) and parent.value is creation and len(parent.targets) == 1:
            target = parent.targets[0]
            if isinstance(target, ast.Name):
                scope = self.scope_of(target.id, target)
                return [(load, self) for load in self.loads_by_name.get(target.id, ())
                        if scope is not None and self.scope_of(target.id, load) is scope]
            if isinstance(target, ast.Attribute):
                cls = self.self_class(target.value)
                if cls is not None:
                    return self.attribute_loads(cls, target.attr)
        return []

    def buffer_writes(self, creation):
        """The argument nodes written to the buffer ``creation`` makes: ``[(node, owner)]``."""
        writes = [(creation.args[0], self)] if creation.args else []
        parent = self.ctx.parent(creation)
        holders = []
        if isinstance(parent, ast.Assign) and parent.value is creation and len(parent.targets) == 1:
            target = parent.targets[0]
            if isinstance(target, ast.Name):
                scope = self.scope_of(target.id, target)
                holders = [(load, self) for load in self.loads_by_name.get(target.id, ())
                           if scope is not None and self.scope_of(target.id, load) is scope]
            elif isinstance(target, ast.Attribute):
                cls = self.self_class(target.value)
                if cls is not None:
                    holders = self.attribute_loads(cls, target.attr)
        for load, owner in holders:
            use = owner.ctx.parent(load)
            if isinstance(use, ast.Attribute) and use.value is load and use.attr == "write":
                call = owner.ctx.parent(use)
                if isinstance(call, ast.Call) and call.func is use and call.args:
                    writes.append((call.args[0], owner))
        return writes

    def buffer_content(self, creation):
        """``(value, escapes)``: what is written into the buffer that ``creation``
        (a ``StringIO()`` call) makes, and whether it is handed to code that
        may write more (a function, a csv writer, ``print >>``)."""
        found = self._guarded(("buffer", id(creation)), lambda: _Bases(self._buffer_content(creation)))
        return found.items if found is not None else (None, True)

    def buffer_kind(self, creation):
        """``(BYTES | TEXT | NATIVE | None, why)``: what the ``StringIO()`` made by
        ``creation`` holds, so it can become ``io.BytesIO``, ``io.StringIO`` or
        ``six.StringIO`` (None: undecidable)."""
        found = self._guarded(("bufkind", id(creation)), lambda: _Bases(self._buffer_kind(creation)))
        return found.items if found is not None else (None, "being decided")

    def _buffer_kind(self, creation):
        role = self._buffer_role(creation)
        if role is not None:
            return role
        content, escapes = self.buffer_content(creation)
        parts = strings_of(content)
        labels = {p.label for p in parts}
        if isinstance(content, Unknown) or content is not None and not parts:
            return None, "it holds %s" % describe(content)
        if escapes and not labels:
            return None, "it is handed to code that writes to it"
        if BYTES in labels and TEXT not in labels:
            return BYTES, "it holds BYTES (%s)" % next(p.reason for p in parts if p.label == BYTES)
        if labels == {TEXT}:
            return TEXT, "it holds TEXT (%s)" % parts[0].reason
        if labels <= {NATIVE, TEXT} and labels:
            return NATIVE, "it holds native strings"
        if not labels:
            return None, "nothing shows what it holds"
        return None, "it holds both BYTES and TEXT"

    def _buffer_role(self, creation):
        """A buffer put in the environ (a dict display, ``environ[key] = ...`` or
        ``environ.setdefault(key, ...)``): ``wsgi.input`` holds bytes,
        ``wsgi.errors`` gets native text."""
        parent = self.ctx.parent(creation)
        key = None
        if isinstance(parent, ast.Dict) and creation in parent.values:
            key = const_str(parent.keys[parent.values.index(creation)])
        elif isinstance(parent, ast.Assign) and parent.value is creation and len(parent.targets) == 1 \
                and isinstance(parent.targets[0], ast.Subscript):
            key = const_str(parent.targets[0].slice)
        elif isinstance(parent, ast.Call) and isinstance(parent.func, ast.Attribute) \
                and parent.func.attr == "setdefault" and len(parent.args) == 2 and parent.args[1] is creation:
            key = const_str(parent.args[0])  # environ.setdefault('wsgi.input', StringIO(''))
        if key == "wsgi.input":
            return BYTES, "it is the environ's wsgi.input (PEP 3333: bytes)"
        if key == "wsgi.errors":
            return NATIVE, "it is the environ's wsgi.errors (native strings are written to it)"
        return None

    def _buffer_content(self, creation):
        content = self.kind(creation.args[0]) if creation.args else None
        escapes = False
        holders = []  # (load node, owner)
        parent = self.ctx.parent(creation)
        if isinstance(parent, ast.Assign) and parent.value is creation and len(parent.targets) == 1:
            target = parent.targets[0]
            if isinstance(target, ast.Name):
                scope = self.scope_of(target.id, target)
                for load in self.loads_by_name.get(target.id, ()):
                    if scope is not None and self.scope_of(target.id, load) is scope:
                        holders.append((load, self))
            elif isinstance(target, ast.Attribute):
                cls = self.self_class(target.value)
                if cls is None:
                    return content, True
                holders.extend(self.attribute_loads(cls, target.attr))
            else:
                return content, True
        elif isinstance(parent, ast.Call) and creation in parent.args:
            extra = self.written_by_callee(parent, parent.args.index(creation))
            if extra is None:
                return content, True
            return join(content, extra), False
        elif isinstance(parent, ast.keyword):
            return content, True
        for load, owner in holders:
            use = owner.ctx.parent(load)
            if isinstance(use, ast.Attribute) and use.value is load:
                call = owner.ctx.parent(use)
                if isinstance(call, ast.Call) and call.func is use:
                    if use.attr == "write" and call.args:
                        content = join(content, owner.kind(call.args[0]))
                    elif use.attr == "writelines" and call.args:
                        content = join(content, element_of(owner.kind(call.args[0])))
                continue
            if isinstance(use, ast.keyword) and use.arg == "file":
                content = join(content, Str(NATIVE, "print() output"))
                continue
            if isinstance(use, ast.Call) and load in use.args:
                extra = owner.written_by_callee(use, use.args.index(load))
                if extra is not None:
                    content = join(content, extra)
                    continue
            if isinstance(use, (ast.Call, ast.keyword, ast.Return, ast.Tuple, ast.List, ast.Dict)) \
                    or isinstance(use, ast.Assign) and load is use.value:
                escapes = True
        return content, escapes

    def join_result(self, node, sep_node, items_node):
        sep = self.kind(sep_node) if sep_node is not None else Str(NATIVE, "' '", ascii=True)
        items = element_of(self.kind(items_node)) if items_node is not None else None
        if isinstance(sep, Str) and sep.label in (TEXT, BYTES):
            # u''.join(...) is unicode on 2 whatever the items; b''.join(...) is bytes.
            text = source_of(self.ctx, sep_node) if sep_node is not None else ""
            if len(text) > 12:
                text = sep.label + " separator"
            ascii = sep.ascii and isinstance(items, Str) and items.ascii
            return Str(sep.label, "%s.join() at line %d" % (text, self.line(node)),
                       isinstance(items, Str) and items.portable and sep.portable, ascii=ascii)
        if items is None:
            return sep
        if isinstance(items, Unknown) and isinstance(sep, Str):
            return Unknown("join of %s" % items.reason)
        return self.concat(sep, items) if isinstance(sep, (Str, Mixed)) else Unknown("join")

    # -- names -------------------------------------------------------------
    def scope_of(self, name, node):
        """The walk scope that binds ``name`` as seen from ``node`` (None: builtin)."""
        scope = getattr(node, "_pk_scope", None)
        first = True
        while scope is not None:
            if scope.kind == "class" and not first:
                scope = scope.parent
                continue
            if name in scope.globals and scope.kind != "module":
                scope = self.ctx.walk.module_scope
                continue
            if name in scope.bindings:
                return scope
            scope = scope.parent
            first = False
        return None

    def name_value(self, name, node):
        scope = self.scope_of(name, node)
        if scope is None:
            if name in ("True", "False"):
                return Other("bool")
            if name == "None":
                return NoneValue()
            return Func(reason="builtins." + name)
        target = scope.bindings.get(name)
        if target is not None:  # an import
            found = self.universe.entity(target, self)
            if found is not None:
                return found
            return Func(reason=table.canonical(target))
        if scope.kind == "module":
            return self.module_value(name, node)
        if scope.kind == "function":
            return self.local_value(scope.node, name, node)
        if scope.kind == "comprehension":
            return self.comprehension_value(scope.node, name)
        if scope.kind == "class":
            return self.class_body_value(scope.node, name)
        return Unknown(name)

    def comprehension_value(self, comp, name):
        for gen in comp.generators:
            if target_binds(gen.target, name):
                return self.target_value(gen.target, name, element_of(self.kind(gen.iter)))
        return Unknown(name)

    def module_value(self, name, node=None):
        """A module-level name: its def/class, or the join of its assignments."""
        for stmt in body_members(self.tree).get(name, ()):
            if isinstance(stmt, FUNCS):
                return Func(node=stmt, owner=self, reason="function %s" % name)
            if isinstance(stmt, ast.ClassDef):
                return Func(cls=stmt, owner=self, reason="class %s" % name)
        defs = self.defs_in(self.tree, name)
        if not defs:
            return Unknown(name)
        if node is not None and enclosing_function(self.ctx, node) is None \
                and isinstance(getattr(node, "ctx", None), ast.Load) and self.owns(node):
            return self.reaching_value(self.tree, name, node)
        return self._guarded(("module", name), lambda: self._join_defs(defs, name), None)

    def _join_defs(self, defs, name):
        value = None
        for d in defs:
            value = join(value, self.def_value(d, name))
        value = self.with_additions(self.tree, name, value)
        return value if value is not None else Unknown(name)

    def export(self, parts, depth=0):
        """The value of ``module.parts`` for another module's import."""
        if not parts:
            return Mod(self)
        if depth > 8:
            return None
        name = parts[0]
        binding = self.ctx.walk.module_scope.bindings.get(name, "missing")
        if binding == "missing":
            if self.is_package:
                sub = self.universe.module(self.dotted + "." + name)
                if sub is not None:
                    return sub.export(parts[1:], depth + 1)
            return None
        if binding is not None:
            found = self.universe.entity(binding, self, depth + 1)
            if found is None:
                return Func(reason=table.canonical(binding)) if len(parts) == 1 else None
            value = found
        else:
            value = self.module_value(name)
        for attr in parts[1:]:
            if isinstance(value, Mod):
                value = value.kinds.export([attr], depth + 1)
            elif isinstance(value, Func) and value.cls is not None:
                value = (value.owner or self).class_attribute(value.cls, attr)
            else:
                return None
            if value is None:
                return None
        return value

    def class_body_value(self, cls, name):
        value = None
        for stmt in body_members(cls).get(name, ()):
            if isinstance(stmt, FUNCS):
                value = join(value, Func(node=stmt, owner=self, reason="method %s" % name))
            elif isinstance(stmt, ast.Assign):
                for target in stmt.targets:
                    if isinstance(target, ast.Name) and target.id == name:
                        value = join(value, self.kind(stmt.value))
        return value if value is not None else Unknown(name)

    def local_value(self, func, name, use):
        comp = self._binding_listcomp(name, use, func)
        if comp is not None:
            return self.comprehension_value(comp, name)
        return self.reaching_value(func, name, use)

    def reaching_value(self, scope_node, name, use):
        defs, kill = self.reaching_defs(scope_node, name, use)
        result = None
        for d in defs:
            result = join(result, self.def_value(d, name))
        if kill is not None and kill.value is not None:
            result = join(result, kill.value)
        if not defs and (kill is None or kill.value is None):
            return Unknown("%s is not assigned before line %d" % (name, self.line(use)))
        return self.with_additions(scope_node, name, result)

    def literal_defs(self, node):
        """The string literals a name is only ever assigned (``MAGIC = 'SPRC'``), or None."""
        if not isinstance(node, ast.Name):
            return None
        scope = self.scope_of(node.id, node)
        if scope is None or scope.bindings.get(node.id) is not None or scope.kind == "class":
            return None
        if scope.kind == "module":
            defs = self.defs_in(self.tree, node.id)
        elif scope.kind == "function":
            defs, kill = self.reaching_defs(scope.node, node.id, node)
            if kill is not None and kill.value is not None:
                return None
        else:
            return None
        found = []
        for d in defs:
            if d.kind != "assign" or not isinstance(d.target, ast.Name):
                return None
            value = d.node.value
            if not (isinstance(value, ast.Constant) and isinstance(value.value, (str, bytes))):
                return None
            found.append(value)
        return found or None

    def _binding_listcomp(self, name, use, stop):
        parent_of = self.ctx.walk.parents.get
        parent = parent_of(use)
        while parent is not None and parent is not stop:
            if type(parent) is ast.ListComp and any(target_binds(g.target, name) for g in parent.generators):
                return parent
            parent = parent_of(parent)
        return None

    def with_additions(self, scope_node, name, value):
        """A list or dict variable also holds what ``.append()`` / ``[k] = v`` put in it."""
        if not isinstance(value, (Seq, Map)):
            return value
        key = ("adds", id(scope_node), name)
        if not self.universe.guard(key):
            return value
        try:
            for node in self.additions(scope_node, name):
                if isinstance(value, Seq) and isinstance(node, ast.Call):
                    attr = node.func.attr
                    if attr == "append":
                        value = Seq(join(value.item, self.kind(node.args[0])), value.reason)
                    elif attr == "insert":
                        value = Seq(join(value.item, self.kind(node.args[1])), value.reason)
                    elif attr == "extend":
                        value = Seq(join(value.item, element_of(self.kind(node.args[0]))), value.reason)
                elif isinstance(value, Map) and isinstance(node, ast.Assign):
                    sub = node.targets[0]
                    value = Map(join(value.key, self.kind(sub.slice)), join(value.value, self.kind(node.value)),
                                value.reason)
        finally:
            self.universe.unguard(key)
        return value

    def additions(self, scope_node, name):
        """``name.append(x)`` calls and ``name[k] = v`` statements in the scope."""
        found = []
        for load in self.loads_by_name.get(name, ()):
            scope = self.scope_of(name, load)
            if scope is None or scope.node is not scope_node:
                continue
            parent = self.ctx.parent(load)
            if isinstance(parent, ast.Attribute) and parent.value is load:
                call = self.ctx.parent(parent)
                if isinstance(call, ast.Call) and call.func is parent and parent.attr in ("append", "insert", "extend"):
                    if len(call.args) == (2 if parent.attr == "insert" else 1):
                        found.append(call)
            elif isinstance(parent, ast.Subscript) and parent.value is load and isinstance(parent.ctx, ast.Store):
                assign = self.ctx.parent(parent)
                if isinstance(assign, ast.Assign) and assign.targets == [parent]:
                    found.append(assign)
        return found

    # -- definitions and what reaches a use ---------------------------------
    def defs_in(self, scope_node, name) -> List[Def]:
        table_ = self.scope_defs.get(id(scope_node))
        if table_ is None:
            table_ = self.scope_defs[id(scope_node)] = self._all_defs(scope_node)
        return table_.get(name, [])

    def _all_defs(self, scope_node) -> Dict[str, List[Def]]:
        """Every binding in a scope, by name, in the order of :func:`walk_scope`.

        Only statements bind, but for list comprehensions (whose variables leak
        on 2.7) and ``:=``: below the statements that hold neither, only the
        statements are visited (in the same order); the others are walked
        whole."""
        found: Dict[str, List[Def]] = {}

        def add(name, d):
            found.setdefault(name, []).append(d)

        if isinstance(scope_node, FUNCS + (ast.Lambda,)):
            for arg in all_params(scope_node):
                add(arg.arg, Def("param", arg, arg, (0, 0)))
            body = scope_node.body if isinstance(scope_node.body, list) else [scope_node.body]
        else:
            body = scope_node.body
        holders = self._comprehension_holders()
        for stmt in body:
            if isinstance(stmt, FUNCS + (ast.ClassDef,)):
                add(stmt.name, Def("other", stmt, None, end(stmt), "def"))
                continue  # its body is another scope (walk_scope enters the node it starts from)
            stack = [stmt]
            while stack:
                node = stack.pop()
                cls = type(node)
                if cls in _NAMED_SCOPE_TYPES and node is not stmt:
                    add(node.name, Def("other", node, None, end(node), "def"))
                    continue  # listed, not entered (as walk_scope does)
                if id(node) in holders:
                    for sub in walk_scope(node):
                        self._add_def(add, sub, scope_node)
                    continue
                self._add_def(add, node, scope_node)
                for field in _BLOCK_CHILDREN.get(cls, ()):
                    stack.extend(getattr(node, field))
        return found

    @staticmethod
    def _add_def(add, node, scope_node) -> None:
        cls = type(node)
        if cls is ast.Assign:
            for target in node.targets:
                for name in _target_names(target):
                    add(name, Def("assign", node, target, end(node)))
        elif cls is ast.AugAssign:
            if isinstance(node.target, ast.Name):
                add(node.target.id, Def("aug", node, node.target, end(node)))
        elif cls is ast.AnnAssign:
            if isinstance(node.target, ast.Name) and node.value is not None:
                add(node.target.id, Def("assign", node, node.target, end(node)))
        elif cls is ast.For or cls is ast.AsyncFor:
            for name in _target_names(node.target):
                add(name, Def("for", node, node.target, end(node.target)))
        elif cls is ast.With or cls is ast.AsyncWith:
            for item in node.items:
                if item.optional_vars is not None:
                    for name in _target_names(item.optional_vars):
                        add(name, Def("with", item, item.optional_vars, end(item.optional_vars)))
        elif cls is ast.ExceptHandler:
            if node.name:
                add(node.name, Def("other", node, None, pos(node), "exception"))
        elif cls is ast.Import or cls is ast.ImportFrom:
            for alias in node.names:
                add(alias.asname or alias.name.split(".")[0], Def("other", node, None, end(node), "import"))
        elif cls in _NAMED_SCOPE_TYPES and node is not scope_node:
            add(node.name, Def("other", node, None, end(node), "def"))
        elif cls is ast.ListComp:
            for gen in node.generators:
                for name in _target_names(gen.target):
                    add(name, Def("comp", gen, gen.target, end(gen.target)))
        elif cls is ast.NamedExpr:
            add(node.target.id, Def("assign", node, node.target, end(node)))

    def _comprehension_holders(self) -> set:
        """The ids of the nodes that hold a list comprehension or a ``:=`` below them."""
        holders = self.defined_names.get("comprehension holders")
        if holders is None:
            holders = self.defined_names["comprehension holders"] = set()
            index = self.ctx.walk.index
            parent_of = self.ctx.walk.parents.get
            for node in itertools.chain(index.get(ast.ListComp, ()), index.get(ast.NamedExpr, ())):
                parent = parent_of(node)
                while parent is not None and id(parent) not in holders:
                    holders.add(id(parent))
                    parent = parent_of(parent)
        return holders

    def isinstance_names(self, test) -> frozenset:
        """The names ``test`` checks with ``isinstance(name, ...)`` (memoised)."""
        key = ("isinstance", id(test))
        names = self.defined_names.get(key)
        if names is None:
            names = self.defined_names[key] = frozenset(
                n.args[0].id for n in ast.walk(test)
                if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "isinstance"
                and n.args and isinstance(n.args[0], ast.Name))
        return names

    def defines(self, stmt, name) -> bool:
        """Does ``stmt`` bind ``name`` (not in nested scopes)?  Memoised per statement."""
        return name in self.bound_names(stmt)

    def bound_names(self, stmt) -> frozenset:
        """The names ``stmt`` binds with a Name target (not in nested scopes), memoised."""
        names = self.defined_names.get(id(stmt))
        if names is None:
            names = self.defined_names[id(stmt)] = frozenset(
                n.id for n in walk_scope(stmt) if isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Load))
        return names

    def reaching_defs(self, scope_node, name, use):
        """``(defs, kill)``: the definitions of ``name`` that may reach ``use``.

        (``inside()`` tests are set lookups here: each definition's chain of
        parents is listed once, the use's and the kill's once per call.)"""
        defs = self.defs_in(scope_node, name)
        kill = self.find_kill(scope_node, name, use)
        use_at = pos(use)
        loops = self.loops_around(use, scope_node)
        kept = []
        kill_node = kill.node if kill else None
        use_up = kill_up = None
        for d in defs:
            node = d.node
            if node is use or d.target is use:
                continue
            if d.extra == "exception":
                if use_up is None:
                    use_up = _chain_of(use, self.ctx)
                if id(node) not in use_up:
                    continue  # ``except E as e`` binds e for its own handler only
            up = self._def_chain(node)
            if kill_node is not None:
                within = id(kill_node) in up
                if not within and d.at <= end(kill_node):
                    continue
                if within and kill.value is not None:
                    continue  # the kill's own value stands for it
            around = [loop for loop in loops if id(loop) in up] if loops else loops
            in_loop = bool(around)
            if d.at > use_at:
                if not in_loop:
                    continue  # after the use, and not round a loop
                if kill_node is not None:
                    if kill_up is None:
                        kill_up = _chain_of(kill_node, self.ctx)
                    if id(around[0]) in kill_up:
                        continue  # round a loop only through the kill
            if d.kind in ("assign", "aug") and node is not kill_node and not in_loop:
                if use_up is None:
                    use_up = _chain_of(use, self.ctx)
                if id(node) in use_up:
                    continue
            kept.append(d)
        return kept, kill

    def _def_chain(self, node) -> frozenset:
        """:func:`_chain_of` a definition's node, memoised."""
        key = ("chain", id(node))
        found = self.defined_names.get(key)
        if found is None:
            found = self.defined_names[key] = _chain_of(node, self.ctx)
        return found

    def loops_around(self, node, stop):
        loops = []
        parent_of = self.ctx.walk.parents.get
        parent = parent_of(node)
        while parent is not None and parent is not stop:
            if isinstance(parent, LOOPS):
                loops.append(parent)
            parent = parent_of(parent)
        return loops

    def find_kill(self, scope_node, name, use) -> Optional[Kill]:
        """The nearest statement that every path to ``use`` passes and that
        decides ``name`` (an assignment, an isinstance coercion or narrowing)."""
        child = use
        parent_of = self.ctx.walk.parents.get  # ctx.parent(), without a call per step
        parent = parent_of(use)
        while parent is not None:
            # only statements (and handlers) have blocks, in these fields
            for field in _BLOCK_FIELDS.get(type(parent), ()):
                block = getattr(parent, field)
                positions, assigned, ifs, merged = self.block_index(block)
                index = positions.get(id(child))
                if index is None:
                    continue
                # only the assignments of ``name`` and the ifs can kill it
                at = merged.get(name)
                if at is None:
                    at = merged[name] = sorted(set(assigned.get(name, ())).union(ifs)) if ifs else \
                        assigned.get(name, [])
                for i in reversed(at[:bisect.bisect_left(at, index)]):
                    stmt = block[i]
                    found = self.kills(stmt, name)
                    if found is not False:
                        return Kill(stmt, found)
                if isinstance(parent, ast.If) and field in ("body", "orelse"):
                    narrowed = self.narrowing(parent.test, name, field == "body")
                    if narrowed is not None:
                        return Kill(parent.test, narrowed)
                break
            if parent is scope_node or type(parent) in _NEW_SCOPE_TYPES:
                break
            child, parent = parent, parent_of(parent)
        return None

    def block_index(self, block):
        """``(positions, assigned, ifs, merged)`` for a statement list (memoised):
        ``positions`` maps id(statement) to its index, ``assigned`` maps a
        name to the indexes of the assignments and augmented assignments of
        it, ``ifs`` lists the indexes of the ``if`` statements: the only
        statements for which :meth:`kills` can be other than False;
        ``merged`` caches, per name, the sorted union of the two."""
        key = ("block", id(block))
        found = self.defined_names.get(key)
        if found is None:
            positions = {}
            assigned: Dict[str, List[int]] = {}
            ifs = []
            for index, stmt in enumerate(block):
                positions[id(stmt)] = index
                cls = type(stmt)
                if cls is ast.Assign:
                    for target in stmt.targets:
                        for bound in _binds_of(target):
                            assigned.setdefault(bound, []).append(index)
                elif cls is ast.AugAssign:
                    if isinstance(stmt.target, ast.Name):
                        assigned.setdefault(stmt.target.id, []).append(index)
                elif cls is ast.If:
                    ifs.append(index)
            found = self.defined_names[key] = (positions, assigned, ifs, {})
        return found

    def kills(self, stmt, name):
        """False, or the value ``name`` surely has after ``stmt`` (None: its own def)."""
        cls = type(stmt)
        if cls is ast.If:
            found = self._guarded(("kill", id(stmt), name), lambda: _Bases(self._kills(stmt, name)))
            return found.items if found is not None else False
        return self._kills(stmt, name)

    def _kills(self, stmt, name):
        cls = type(stmt)
        if cls is ast.Assign:
            for target in stmt.targets:
                if target_binds(target, name):
                    return None
            return False
        if cls is ast.AugAssign:
            return None if isinstance(stmt.target, ast.Name) and stmt.target.id == name else False
        if cls is ast.If:
            value = self.if_outcome(stmt, name)
            return value if value is not None else False
        return False

    def if_outcome(self, stmt, name):
        """The value of ``name`` after an ``if`` whose every path decides it."""
        if not self.defines(stmt, name) and name not in self.isinstance_names(stmt.test):
            return None
        outcomes = []
        for branch, truth in ((stmt.body, True), (stmt.orelse, False)):
            if terminates(branch):
                continue
            value = self.branch_value(branch, name)
            if value is None:
                narrowed = self.narrowing(stmt.test, name, truth)
                if narrowed is None:
                    return None
                value = narrowed
            outcomes.append(value)
        result = None
        for value in outcomes:
            result = join(result, value)
        if result is None or isinstance(result, Unknown):
            return None
        return result

    def idiom_value(self, assign):
        """NATIVE for the assignment of :func:`native_str_idiom`, else None."""
        value = assign.value
        if type(value) is not ast.Call or type(value.func) is not ast.Attribute or value.func.attr != "encode":
            return None
        parent = self.ctx.parent(assign)
        if type(parent) is ast.If and parent.body[0] is assign and native_str_idiom(self.ctx, parent):
            codec = const_str(assign.value.args[0]) if assign.value.args else "ascii"
            return Str(NATIVE, "made a native str at line %d (six.ensure_str on 3)" % assign.lineno,
                       portable=(codec or "").lower().replace("_", "-") in ("utf-8", "utf8", "ascii"))
        return None

    def branch_value(self, branch, name):
        """The value of ``name`` at the end of ``branch`` if it is assigned there unconditionally."""
        for stmt in reversed(branch):
            if isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in stmt.targets):
                idiom = self.idiom_value(stmt)
                return idiom if idiom is not None else self.kind(stmt.value)
            if isinstance(stmt, ast.If):
                inner = self.if_outcome(stmt, name)
                if inner is not None:
                    return inner
            if self.defines(stmt, name):
                return None
        return None

    def _checked_type(self, node):
        """The dotted type an isinstance() test checks; ``(six.binary_type,
        six.text_type)`` (what PK204 writes for ``basestring``) is
        ``builtins.basestring``, and ``types.StringType`` is ``builtins.str``."""
        if isinstance(node, ast.Tuple) and node.elts:
            types = {self.ctx.resolve(elt) for elt in node.elts}
            if types <= _STRING_TYPES and types.intersection(TEXT_TYPES) and types.intersection(BYTES_TYPES):
                return "builtins.basestring"
            return None
        typ = self.ctx.resolve(node)
        return "builtins.str" if typ == "types.StringType" else typ

    def narrowing(self, test, name, truth):
        """The kind an ``isinstance(name, T)`` test gives ``name`` when it is ``truth``."""
        if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            return self.narrowing(test.operand, name, not truth)
        if not (isinstance(test, ast.Call) and isinstance(test.func, ast.Name) and test.func.id == "isinstance"
                and len(test.args) == 2 and isinstance(test.args[0], ast.Name) and test.args[0].id == name):
            return None
        typ = self._checked_type(test.args[1])
        where = "isinstance(%s, %s) at line %d" % (name, source_of(self.ctx, test.args[1]), self.line(test))
        if typ in TEXT_TYPES:
            label = TEXT if truth else BYTES
        elif typ == "builtins.str":
            # Python 2's str.  A branch that decodes the value treats it as bytes
            # (PK419 turns the test into isinstance(x, bytes)); otherwise the code
            # goes on to use it as a native str (getattr(obj, 'prefix_' + x),
            # formatting...).  A value that fails the test is text, if a string.
            if not truth:
                label = TEXT
            elif _branch_decodes(self.ctx.parent(test), test, name):
                label = BYTES
            else:
                label = NATIVE
        elif typ in BYTES_TYPES:
            label = BYTES if truth else TEXT
        elif typ in ("builtins.basestring", "six.string_types") and truth:
            # a ready-made string: a native str, or text (bytes given as a str of 2 pass unchanged)
            reason = "checked by " + where
            return Mixed((Str(NATIVE, reason, portable=True), Str(TEXT, reason)))
        else:
            return None
        if truth:
            reason = "checked by " + where
        else:
            reason = "not %s after %s" % ("TEXT" if label == BYTES else "str" if typ == "builtins.str" else "BYTES",
                                          where)
        return Str(label, reason)

    def def_value(self, d, name):
        kind = d.kind
        if kind == "assign":
            idiom = self.idiom_value(d.node)
            if idiom is not None:
                return idiom
            value = self.kind(d.node.value)
            if value is None:
                return None
            return self.target_value(d.target, name, self.versioned(d.node, value))
        if kind == "aug":
            return self._guarded(("aug", id(d.node)), lambda: self._aug_value(d.node, name), d.node)
        if kind in ("for", "comp"):
            iterable = d.node.iter
            return self.target_value(d.target, name, element_of(
                self.kind(iterable), "item of %s" % brief(self.ctx, iterable, 30)))
        if kind == "with":
            return self.target_value(d.target, name, self.kind(d.node.context_expr))
        if kind == "param":
            return self.param_value(d.node)
        if d.extra == "def":
            if isinstance(d.node, ast.ClassDef):
                return Func(cls=d.node, owner=self, reason="class %s" % name)
            return Func(node=d.node, owner=self, reason="function %s" % name)
        if d.extra == "exception":
            handler = d.node
            if handler.type is not None and not isinstance(handler.type, ast.Tuple):
                caught = self.kind(handler.type)
                if isinstance(caught, Func) and caught.cls is not None:
                    return Obj(cls=caught.cls, owner=caught.owner or self, reason="%s caught as %s" % (
                        caught.cls.name, name))
            return Other("exception %s" % name)
        if d.extra == "import":
            return self.import_value(d.node, name)
        return Unknown("%s %s" % (d.extra or "binding", name))

    def import_value(self, node, name):
        """What an import statement binds to ``name`` (``try: import A / except: import B``
        of the same API joins to that API)."""
        for alias in node.names:
            bound = alias.asname or alias.name.split(".")[0]
            if bound != name:
                continue
            if isinstance(node, ast.ImportFrom):
                target = "." * (node.level or 0) + (node.module or "") + "." + alias.name
            else:
                target = alias.name if alias.asname else alias.name.split(".")[0]
            found = self.universe.entity(target, self)
            if found is not None:
                return found
            return Func(reason=table.canonical(target))
        return Unknown("import %s" % name)

    def _aug_value(self, node, name):
        before = self.value_before(node, name)
        if isinstance(node.op, ast.Add):
            return self.concat(before, self.kind(node.value))
        if isinstance(node.op, ast.Mod):
            return self.format_result(node, before, node.value)
        if isinstance(node.op, ast.Mult):
            return before
        return Other("number") if isinstance(before, Other) else Unknown("augmented assignment")

    def value_before(self, stmt, name):
        """The value of ``name`` just before ``stmt`` (an augmented assignment) runs."""
        scope = enclosing_function(self.ctx, stmt) or self.tree
        defs, kill = self.reaching_defs(scope, name, stmt.target)
        result = None
        for d in defs:
            if d.node is stmt:
                continue
            result = join(result, self.def_value(d, name))
        if kill is not None and kill.value is not None:
            result = join(result, kill.value)
        return result

    def target_value(self, target, name, value):
        if isinstance(target, ast.Name):
            return value
        if isinstance(target, (ast.Tuple, ast.List)):
            for index, elt in enumerate(target.elts):
                if isinstance(elt, ast.Starred):
                    if target_binds(elt.value, name):
                        return Seq(element_of(value))
                    continue
                if target_binds(elt, name):
                    if value is None:
                        return None
                    return self.target_value(elt, name, item_of(value, index))
        return Unknown("unpacked %s" % name)

    # -- functions, parameters, classes --------------------------------------
    def returns_of(self, func) -> Optional[Value]:
        return self._guarded(("returns", id(func)), lambda: self._returns_of(func), func)

    def _returns_of(self, func):
        yields = self.yields.get(id(func), ())
        if yields:
            item = None
            for node in yields:
                if isinstance(node, ast.Yield) and node.value is not None:
                    item = join(item, self.kind(node.value))
                elif isinstance(node, ast.YieldFrom):
                    item = join(item, element_of(self.kind(node.value)))
            return Seq(item, "generator %s()" % func.name)
        result = None
        for node in self.returns.get(id(func), ()):
            value = self.kind(node.value) if node.value is not None else NoneValue()
            result = join(result, self.versioned(node, value))
        return result if result is not None else NoneValue()

    def versioned(self, node, value):
        """BYTES made only on 2, or TEXT made only on 3, is a native str."""
        if not isinstance(value, Str) or value.label == NATIVE:
            return value
        version = version_branch(self.ctx, node)
        if version == 2 and value.label == BYTES or version == 3 and value.label == TEXT:
            return Str(NATIVE, "%s, on Python %d only" % (value.reason, version), latin1=value.latin1,
                       portable=value.portable)
        return value

    def resolve_class(self, expr):
        """The (cls, owner) a base-class expression names, or None."""
        value = self.kind(expr)
        if isinstance(value, Func) and value.cls is not None:
            return value.cls, value.owner or self
        return None

    def bases_of(self, cls):
        return self._guarded(("bases", id(cls)), lambda: _Bases(
            [b for b in (self.resolve_class(e) for e in cls.bases) if b]))

    def method(self, cls, name, seen=None):
        """``(method node, owner Kinds)`` of ``cls`` or of a base class, or None."""
        for stmt in body_members(cls).get(name, ()):
            if isinstance(stmt, FUNCS):
                return stmt, self
        seen = seen if seen is not None else set()
        seen.add(id(cls))
        bases = self.bases_of(cls)
        for base, owner in (bases.items if bases is not None else ()):
            if id(base) in seen:
                continue
            found = owner.method(base, name, seen)
            if found is not None:
                return found
        return None

    def family(self, cls):
        """``[(cls, owner)]``: ``cls``, its bases, and its subclasses in the project."""
        found = self._guarded(("family", id(cls)), lambda: _Bases(self._family(cls)))
        return found.items if found is not None else [(cls, self)]

    def _family(self, cls):
        members = [(cls, self)]
        ids = {id(cls)}
        index = 0
        while index < len(members):
            klass, owner = members[index]
            index += 1
            bases = owner.bases_of(klass)
            for base, base_owner in (bases.items if bases is not None else ()):
                if id(base) not in ids:
                    ids.add(id(base))
                    members.append((base, base_owner))
        # subclasses anywhere in the project (of cls, of its bases, of those ...)
        subclasses = self.universe.subclasses()
        index = 0
        while index < len(members):
            klass, _ = members[index]
            index += 1
            for other, kinds in subclasses.get(id(klass), ()):
                if id(other) not in ids:
                    ids.add(id(other))
                    members.append((other, kinds))
        return members

    def class_attribute(self, cls, attr):
        return self._guarded(("attr", id(cls), attr), lambda: self._class_attribute(cls, attr), cls)

    def _class_attribute(self, cls, attr):
        members = self.family(cls)
        result = None
        for klass, owner in members:
            for stmt in body_members(klass).get(attr, ()):
                if isinstance(stmt, FUNCS):
                    if is_property(stmt):
                        return owner.returns_of(stmt)
                    return Func(node=stmt, owner=owner, reason="method %s" % attr)
                if isinstance(stmt, ast.Assign):
                    value = stmt.value
                    if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) \
                            and value.func.id == "property" and value.args:
                        getter = value.args[0]
                        if isinstance(getter, ast.Name):
                            found = owner.method(klass, getter.id)
                            if found is not None:
                                return found[1].returns_of(found[0])
                        return Unknown("property %s" % attr)
                    result = join(result, owner.kind(value))
        for store, owner in self.attribute_stores(cls, attr):
            parent = owner.ctx.parent(store)
            if isinstance(parent, ast.Assign) and store in parent.targets:
                result = join(result, owner.kind(parent.value))
            elif isinstance(parent, ast.AugAssign):
                result = join(result, owner.kind(parent.value))
            elif isinstance(parent, (ast.Tuple, ast.List)) and isinstance(owner.ctx.parent(parent), ast.Assign) \
                    and parent in owner.ctx.parent(parent).targets:
                value = owner.kind(owner.ctx.parent(parent).value)
                result = join(result, item_of(value, parent.elts.index(store)) if value is not None else None)
            else:
                result = join(result, Unknown("attribute %s set at line %d" % (attr, owner.line(store))))
        if result is None:
            return Unknown("attribute %s" % attr)
        return owner_with_additions(self, cls, attr, result)

    def attribute_stores(self, cls, attr):
        """``[(Attribute store node, owner)]`` of ``self.attr = ...`` in the class family."""
        found = self._guarded(("stores", id(cls), attr), lambda: _Bases(self._attribute_stores(cls, attr)))
        return found.items if found is not None else []

    def _attribute_stores(self, cls, attr):
        members = self.family(cls)
        ids = {id(k) for k, _ in members}
        found = []
        for kinds in {id(o): o for _, o in members}.values():
            for store in kinds.attr_stores.get(attr, ()):
                owner_cls = kinds.self_class(store.value)
                if owner_cls is not None and id(owner_cls) in ids:
                    found.append((store, kinds))
        return found

    def attribute_loads(self, cls, attr):
        """``[(Attribute load node, owner)]`` of ``self.attr`` in the class family."""
        members = self.family(cls)
        ids = {id(k) for k, _ in members}
        found = []
        for kinds in {id(o): o for _, o in members}.values():
            for load in kinds.attr_loads.get(attr, ()):
                owner_cls = kinds.self_class(load.value)
                if owner_cls is not None and id(owner_cls) in ids:
                    found.append((load, kinds))
        return found

    def self_class(self, node):
        """The class ``node`` (a Name) is the ``self`` of, or None (memoised: structural)."""
        if not isinstance(node, ast.Name):
            return None
        key = ("self", id(node))
        names = self.defined_names
        if key in names:
            return names[key]
        found = names[key] = self._self_class(node)
        return found

    def _self_class(self, node):
        func = enclosing_function(self.ctx, node)
        while func is not None:
            cls = enclosing_class(self.ctx, func)
            if not isinstance(func, ast.Lambda):
                params = positional_params(func)
                if cls is not None and params and params[0].arg == node.id and not is_static(func):
                    return cls
            func = enclosing_function(self.ctx, func)
        return None

    def param_value(self, arg) -> Optional[Value]:
        func = self.arg_owner.get(id(arg))
        if func is None:
            return Unknown("parameter %s" % arg.arg)
        return self._guarded(("param", id(func), arg.arg), lambda: self._param_value(func, arg), func)

    def _param_value(self, func, arg):
        name = arg.arg
        if isinstance(func, ast.Lambda):
            return Unknown("lambda parameter %s" % name)
        params = positional_params(func)
        cls = enclosing_class(self.ctx, func)
        if cls is not None and not is_static(func) and params and params[0] is arg:
            if is_classmethod(func):
                return Func(cls=cls, owner=self, reason="class %s" % cls.name)
            return Obj(cls=cls, owner=self, reason="%s instance" % cls.name)
        if name == "environ":
            return Obj(type="environ", reason="the WSGI environ")
        if name == "start_response" or start_response_param(func) is arg:
            return Obj(type="start_response", reason="WSGI start_response")
        if arg in (func.args.vararg, func.args.kwarg):
            return Unknown("*%s" % name)
        sites = self.call_sites(func)
        if sites is None:
            return self._unknown_param(func, name, "its callers are not all known")
        index = params.index(arg) if arg in params else None
        result = None
        default = default_of(func, arg)
        if default is not None:
            result = join(result, self.kind(default))
        if not sites and result is None:
            return self._unknown_param(func, name, "no call in the project")
        for call, shift, owner in sites:
            found = argument_for(call, func, arg, index, shift)
            if found is False:
                forwarded = owner.forwarded_keyword(call, name)
                if forwarded is None:
                    return Unknown("parameter %s of %s(): called with *args/**kwargs" % (name, func.name))
                for node, node_owner in forwarded:
                    result = join(result, node_owner.kind(node))
                continue
            if found is not None:
                result = join(result, owner.kind(found))
            elif default is None and arg not in func.args.kwonlyargs:
                result = join(result, Unknown("missing argument"))
        if result is None:
            return None
        if isinstance(result, Str) and "passed as" not in result.reason:
            result = relabel(result, "%s, passed as %s" % (result.reason, name))
        return result

    def _unknown_param(self, func, name, why):
        """UNKNOWN for a parameter, unless the 2.7 test run's kind evidence
        (:func:`portkit.runtime.parameter_evidence`) says more."""
        reason = "parameter %s of %s(): %s" % (name, func.name, why)
        from .runtime import parameter_evidence

        return parameter_evidence(self.ctx.path, func, name, reason) or Unknown(reason)

    def forwarded_keyword(self, call, name, depth=0):
        """``f(..., **kwargs)`` inside ``def g(..., **kwargs)``: ``[(node, owner)]`` of what
        the callers of ``g`` pass as keyword ``name`` (None when not knowable)."""
        if depth > 6:
            return None
        star = [k for k in call.keywords if k.arg is None]
        if len(star) != 1 or any(isinstance(a, ast.Starred) for a in call.args):
            return None
        func = enclosing_function(self.ctx, call)
        if func is None or isinstance(func, ast.Lambda) or func.args.kwarg is None:
            return None
        if not (isinstance(star[0].value, ast.Name) and star[0].value.id == func.args.kwarg.arg):
            return None
        if any(a.arg == name for a in all_params(func)):
            return None  # taken by the forwarding function itself
        sites = self.call_sites(func)
        if sites is None:
            return None
        found = []
        for outer, _, owner in sites:
            for kw in outer.keywords:
                if kw.arg == name:
                    found.append((kw.value, owner))
                elif kw.arg is None:
                    more = owner.forwarded_keyword(outer, name, depth + 1)
                    if more is None:
                        return None
                    found.extend(more)
        return found

    def call_sites(self, func):
        """``[(call, shift, owner)]`` of the calls of ``func`` in the project, or None
        when it escapes (is used as a value, so unknown callers may exist)."""
        found = self._guarded(("sites", id(func)), lambda: _Bases(self._call_sites(func)))
        return found.items if found is not None else []

    def _call_sites(self, func):
        name = func.name
        cls = enclosing_class(self.ctx, func)
        if func.decorator_list and not all(decorator_name(d) in ("staticmethod", "classmethod", "property")
                                           for d in func.decorator_list):
            return None
        sites = []
        if cls is None:
            if self.module_functions.get(name) is not func:
                return None
            for load in self.loads_by_name.get(name, ()):
                if self.scope_of(name, load) is not self.ctx.walk.module_scope:
                    continue
                site = _site_of(self, load)
                if site is None:
                    return None
                sites.append(site)
            for kinds in self.universe.all_modules():
                if kinds is self:
                    continue
                for use in kinds.uses_of(self.dotted, name):
                    site = _site_of(kinds, use)
                    if site is None:
                        return None
                    sites.append(site)
            return sites
        if name.startswith("__") and name.endswith("__") and name != "__init__":
            return None
        members = self.family(cls)
        ids = {id(k) for k, _ in members}
        if name == "__init__":
            for klass, owner in members:
                if owner.method(klass, "__init__") != (func, self):
                    continue
                for kinds in self.universe.all_modules():
                    uses = list(kinds.uses_of(owner.dotted, klass.name)) if kinds is not owner else [
                        load for load in kinds.loads_by_name.get(klass.name, ())
                        if kinds.scope_of(klass.name, load) is kinds.ctx.walk.module_scope]
                    for use in uses:
                        parent = kinds.ctx.parent(use)
                        if isinstance(parent, ast.Call) and parent.func is use:
                            sites.append((parent, 1, kinds))
            for kinds in self.universe.all_modules():
                for call in kinds.calls_by_name.get("__init__", ()):
                    receiver = call.func.value if isinstance(call.func, ast.Attribute) else None
                    if isinstance(receiver, ast.Call) and call_name(receiver) == "super":
                        sub = enclosing_class(kinds.ctx, enclosing_function(kinds.ctx, call) or call)
                        bases = kinds.bases_of(sub) if sub is not None else None
                        for base, base_owner in (bases.items if bases is not None else ()):
                            if base_owner.method(base, "__init__") == (func, self):
                                sites.append((call, 1, kinds))
                                break
                    elif receiver is not None:
                        value = kinds.kind(receiver)
                        if isinstance(value, Func) and value.cls is not None and id(value.cls) in ids \
                                and (value.owner or kinds).method(value.cls, "__init__") == (func, self):
                            sites.append((call, 0, kinds))
            return sites
        distinctive = name not in _COMMON_METHODS
        for kinds in self.universe.all_modules():
            for call in kinds.calls_by_name.get(name, ()):
                if not isinstance(call.func, ast.Attribute):
                    continue
                receiver = call.func.value
                owner_cls = kinds.self_class(receiver)
                if owner_cls is not None:
                    if id(owner_cls) in ids:
                        sites.append((call, 1, kinds))
                    continue
                value = kinds.kind(receiver)
                if isinstance(value, Obj) and value.cls is not None:
                    if id(value.cls) in ids:
                        sites.append((call, 1, kinds))
                    continue
                if isinstance(value, Func) and value.cls is not None:
                    if id(value.cls) in ids:
                        sites.append((call, 0, kinds))
                    continue
                if isinstance(value, (Str, Mixed, Map, Seq, Tup, Other, NoneValue, Mod)) \
                        or isinstance(value, Obj) and value.type \
                        or isinstance(value, Func) and value.node is None and value.cls is None:
                    continue
                if not distinctive and any(id(enclosing_class(o.ctx, m)) not in ids
                                           for m, o in self.universe.methods_named(name)):
                    return None  # another class of the project has a method of that name too
                sites.append((call, 1, kinds))
            for load in kinds.attr_loads.get(name, ()):
                parent = kinds.ctx.parent(load)
                if not (isinstance(parent, ast.Call) and parent.func is load):
                    owner_cls = kinds.self_class(load.value)
                    if owner_cls is not None and id(owner_cls) in ids:
                        return None  # a bound method passed around
        return sites

    def uses_of(self, module, name):
        """Loads in this module that refer to ``module.name`` (through imports)."""
        index = self._import_index
        if index is None:
            # Structural (this tree and the project's layout): kept with the
            # module's context, so a worker builds it once per module, not once
            # per file whose analysis looks into the module.
            cached = self.ctx.cache.get("pk4.import_index")
            if cached is not None and cached[0] is self.tree:
                index = cached[1]
            else:
                index = self._build_import_index()
                self.ctx.cache["pk4.import_index"] = (self.tree, index)
            self._import_index = index
        return index.get((module, name), ())

    def _build_import_index(self):
        index = {}
        project = self.universe.project
        for name, loads in self.loads_by_name.items():
            for load in loads:
                scope = self.scope_of(name, load)
                if scope is None:
                    continue
                target = scope.bindings.get(name)
                if not target:
                    continue
                located = self.universe.locate(target, self)
                if located is None:
                    continue
                module, rest = located
                chain, attrs = [load], []
                node, parent = load, self.ctx.parent(load)
                while isinstance(parent, ast.Attribute) and parent.value is node:
                    attrs.append(parent.attr)
                    chain.append(parent)
                    node, parent = parent, self.ctx.parent(parent)
                path = list(rest) + attrs
                at = 0
                while at < len(path) and project is not None and module.dotted + "." + path[at] in project.paths:
                    sub = self.universe.module(module.dotted + "." + path[at])
                    if sub is None:
                        break
                    module, at = sub, at + 1
                if at >= len(path):
                    continue
                position = at - len(rest) + 1 if at >= len(rest) else 0
                index.setdefault((module.dotted, path[at]), []).append(chain[position])
        return index


# node type -> the Kinds method that computes the value of such a node (_kind)
_KIND_METHODS = {getattr(ast, name[3:]): method for name, method in vars(Kinds).items()
                 if name.startswith("_k_") and isinstance(getattr(ast, name[3:], None), type)}


class _Bases(Value):
    """A memoisable list (of bases, family members, stores or call sites)."""

    __slots__ = ("items",)

    def __init__(self, items):
        self.items = items


def _site_of(kinds, use):
    """``(call, shift, kinds)`` when the load ``use`` of a function is a call of it
    (``f(...)``, or ``self.assertRaises(E, f, ...)``); None when it escapes."""
    parent = kinds.ctx.parent(use)
    if isinstance(parent, ast.Call):
        if parent.func is use:
            return parent, 0, kinds
        name = call_name(parent)
        if name and name.startswith(("assertRaises", "failUnlessRaises")) and len(parent.args) >= 2 \
                and parent.args[1] is use:
            return parent, -2, kinds
    return None


def owner_with_additions(kinds, cls, attr, value):
    """``self.items.append(x)`` adds to the attribute's sequence."""
    if not isinstance(value, Seq):
        return value
    for load, owner in kinds.attribute_loads(cls, attr):
        parent = owner.ctx.parent(load)
        if isinstance(parent, ast.Attribute) and parent.value is load and parent.attr in ("append", "insert"):
            call = owner.ctx.parent(parent)
            if isinstance(call, ast.Call) and call.func is parent and call.args:
                value = Seq(join(value.item, owner.kind(call.args[-1])), value.reason)
    return value


def argument_for(call, func, arg, index, shift):
    """The argument expression ``call`` passes for ``arg`` (None: not passed;
    False: not knowable because of ``*args``/``**kwargs``)."""
    for kw in call.keywords:
        if kw.arg == arg.arg:
            return kw.value
    if index is not None:
        position = index - shift
        stars = [i for i, a in enumerate(call.args) if isinstance(a, ast.Starred)]
        if stars and stars[0] <= position:
            return False
        if 0 <= position < len(call.args):
            return call.args[position]
    if any(k.arg is None for k in call.keywords):
        return False
    return None


_COMMON_METHODS = frozenset("""get set add update write read readline append pop keys items values close
open send recv load loads dump dumps encode decode join split format copy clear remove insert extend index
count find replace strip run start stop next sort lower upper match search sub group render save delete
parse setdefault""".split())


def _group_count(pattern_node) -> int:
    text = const_str(pattern_node) if pattern_node is not None else None
    if text is None and isinstance(pattern_node, ast.Constant) and isinstance(pattern_node.value, bytes):
        text = pattern_node.value.decode("latin-1")
    if text is None:
        return 0
    try:
        return re.compile(text).groups
    except re.error:
        return 0


# ---------------------------------------------------------------------------
# Public helpers
# ---------------------------------------------------------------------------
def ensure_stack():
    """Room for :data:`MAX_DEPTH` nested computations of several frames each."""
    if sys.getrecursionlimit() < 4000:
        sys.setrecursionlimit(4000)


def analysis(ctx) -> Kinds:
    """The memoised :class:`Kinds` of this file (with its project universe)."""
    kinds = ctx.cache.get("pk4.kinds")
    if kinds is None:
        ensure_stack()
        kinds = Universe(ctx).current
        ctx.cache["pk4.kinds"] = kinds
    return kinds


def kind_of(ctx, node) -> Value:
    """The :class:`Value` of expression ``node`` (never None)."""
    return analysis(ctx).value(node)


def describe(value) -> str:
    """``"TEXT (u'' literal at line 12)"``."""
    if value is None:
        return UNKNOWN
    if isinstance(value, (Str, Mixed)):
        return value.describe()
    if isinstance(value, Unknown):
        return "UNKNOWN (%s)" % value.reason if value.reason else UNKNOWN
    return "not a string (%s)" % value.reason if value.reason else "not a string"
