"""Bytes/text kind inference: is this expression BYTES, TEXT or NATIVE?

Three kinds of string matter when one source must run on 2.7 and 3:

``BYTES``   ``str`` on 2, ``bytes`` on 3 (``b''``, ``.encode()``, digests, sockets)
``TEXT``    ``unicode`` on 2, ``str`` on 3 (``u''``, ``.decode()``, ``six.text_type``)
``NATIVE``  ``str`` on both (plain literals, ``str()``, WSGI environ values)

:func:`kind_of` labels an expression with one of them, or ``UNKNOWN``, and
gives the *reason* (``"u'' literal at line 12"``, ``"result of
hashlib.sha1().digest()"``, ``"environ value (PEP 3333)"``) that findings
quote.  The evidence:

* literals (``b''``, ``u''``; a plain ``''`` is NATIVE, or TEXT under
  ``from __future__ import unicode_literals``);
* ``.encode()`` → BYTES, ``.decode()`` → TEXT, ``unicode()`` / ``six.text_type()``
  / ``six.ensure_text()`` → TEXT, ``str()`` → NATIVE, ``six.ensure_binary()`` → BYTES;
* ``%``, ``.format``, ``+`` and ``join`` by the kinds of their operands
  (on 2, NATIVE combined with TEXT gives TEXT);
* the API table of :mod:`portkit.kind_table` (hashlib, hmac, base64,
  binascii, zlib, struct, sockets, files by mode, buffers, json, urllib under
  all its spellings, cookies, uuid ...);
* WSGI: a parameter ``environ`` of a function taking ``(environ,
  start_response)`` (or named so by convention) is the environ: its values
  are NATIVE, ``environ['wsgi.input'].read()`` is BYTES;
* flow, with light tracking on ``ast`` only: the assignments of a local
  variable that can reach the use (an unconditional assignment in a block
  hides earlier ones; ``if isinstance(s, unicode): s = s.encode(...)``
  leaves BYTES behind), augmented assignments, ``for`` targets, the returns
  of functions and methods of the same module, ``self.x`` attributes (every
  assignment in the class, properties by their getter), and parameters by
  the arguments at their call sites in the same module.

A variable whose reaching assignments disagree is a *mixed* string (the
message names both sides); nothing is rewritten on UNKNOWN or mixed values
except where the fix is right for every kind (``six.ensure_binary`` of a
WSGI body item, ``six.ensure_str`` of a header).

Everything is computed lazily and memoised per file in ``ctx.cache``, so
only files that the PK4 fixers' needles select pay for it.
"""
from __future__ import annotations

import ast
import re
from typing import Dict, List, Optional, Tuple

from . import kind_table as table

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

    @property
    def is_str(self) -> bool:
        return False

    def describe(self) -> str:
        return "%s (%s)" % (self.label, self.reason) if self.reason else self.label


class Str(Value):
    """A string of one kind.  ``portable``: its UTF-8 encoding on 3 is exactly
    the value it has on 2 (ASCII data, or a literal in a UTF-8 source)."""

    __slots__ = ("label", "reason", "portable", "node")

    def __init__(self, label, reason, portable=False, node=None):
        self.label = label
        self.reason = reason
        self.portable = portable
        self.node = node

    @property
    def is_str(self):
        return True

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
    """Not a string: a number, a bool, a class, a module ..."""

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
    """An object: of an API type of :data:`kind_table.TYPES` (``type``) or an
    instance of a class of this module (``cls``)."""

    __slots__ = ("type", "cls", "reason")
    label = "OBJECT"

    def __init__(self, type=None, cls=None, reason=""):
        self.type = type
        self.cls = cls
        self.reason = reason

    def __repr__(self):
        return "Obj(%s)" % (self.type or getattr(self.cls, "name", "?"))


class Func(Value):
    """A function or method of this module (``node``), or a class (``cls``)."""

    __slots__ = ("node", "cls", "bound", "reason")
    label = "CALLABLE"

    def __init__(self, node=None, cls=None, bound=None, reason=""):
        self.node = node
        self.cls = cls
        self.bound = bound  # the class whose instance the method is bound to
        self.reason = reason


BOTTOM = None  # "no information": the identity of join


def join(a: Optional[Value], b: Optional[Value]) -> Optional[Value]:
    """The value that is ``a`` on some paths and ``b`` on others."""
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
                    if have.portable and not part.portable:
                        parts[index] = part
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
        return Seq(join(_tuple_item(a), _tuple_item(b)), a.reason)
    if {ta, tb} == {Tup, Seq}:
        seq, tup = (a, b) if ta is Seq else (b, a)
        return Seq(join(seq.item, _tuple_item(tup)), seq.reason)
    if ta is Map and tb is Map:
        return Map(join(a.key, b.key), join(a.value, b.value), a.reason)
    if ta is Obj and tb is Obj and a.type == b.type and a.cls is b.cls:
        return a
    if ta is Func and tb is Func and a.node is b.node and a.cls is b.cls:
        return a
    return Unknown("%s or %s" % (_short(a), _short(b)))


def _short(value):
    if isinstance(value, Str):
        return value.label
    if isinstance(value, Obj):
        return "an object"
    return value.label.lower()


def _tuple_item(tup):
    item = None
    for value in tup.items:
        item = join(item, value)
    return item


def strings_of(value) -> Tuple[Str, ...]:
    """The string kinds ``value`` may have ((), when it is not known to be a string)."""
    if isinstance(value, Str):
        return (value,)
    if isinstance(value, Mixed):
        return value.parts
    return ()


def is_sure(value, label=None) -> bool:
    return isinstance(value, Str) and (label is None or value.label == label)


# ---------------------------------------------------------------------------
# Parsing the table's little kind language
# ---------------------------------------------------------------------------
_SPLIT = re.compile(r"[,:]")


def _spec_value(spec: str, reason: str, args=(), analyzer=None) -> Optional[Value]:
    """``"B"`` → Str(BYTES) etc.  ``args`` are the call's argument values."""
    if spec is None or spec == "?":
        return Unknown(reason)
    if spec == "O":
        return Other(reason)
    if spec in ("B", "T", "N", "N+"):
        label = {"B": BYTES, "T": TEXT, "N": NATIVE, "N+": NATIVE}[spec]
        return Str(label, reason, portable=(spec == "N+"))
    if spec.startswith("@"):
        return Obj(type=spec[1:], reason=reason)
    if spec.startswith("="):
        if spec == "=*":
            result = None
            for arg in args:
                result = join(result, arg)
            return result if result is not None else Unknown(reason)
        index = int(spec[1:])
        return args[index] if index < len(args) and args[index] is not None else Unknown(reason)
    if spec.startswith("*"):
        index = int(spec[1:])
        if index < len(args) and args[index] is not None:
            return element_of(args[index], reason)
        return Unknown(reason)
    if spec == "[zip]":
        items = [element_of(a, reason) for a in args]
        return Seq(Tup(items, reason), reason)
    if spec in ("[items]", "[values]", "[keys]"):
        if args and isinstance(args[0], Map):
            mapping = args[0]
            item = {"[items]": Tup([mapping.key, mapping.value]), "[values]": mapping.value,
                    "[keys]": mapping.key}[spec]
            return Seq(item, reason)
        return Seq(Unknown(reason), reason)
    if spec.startswith("[") and spec.endswith("]"):
        return Seq(_spec_value(spec[1:-1], reason, args, analyzer), reason)
    if spec.startswith("(") and spec.endswith(")"):
        return Tup([_spec_value(p, reason, args, analyzer) for p in _parts(spec[1:-1])], reason)
    if spec.startswith("{") and spec.endswith("}"):
        key, value = _parts(spec[1:-1], ":")
        return Map(_spec_value(key, reason, args, analyzer), _spec_value(value, reason, args, analyzer), reason)
    return Unknown(reason)


def _parts(text, sep=","):
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
    if isinstance(value, Seq):
        return value.item if value.item is not None else Unknown(reason)
    if isinstance(value, Tup):
        item = _tuple_item(value)
        return item if item is not None else Unknown(reason)
    if isinstance(value, Map):
        return value.key if value.key is not None else Unknown(reason)
    if isinstance(value, Str):
        if value.label == BYTES:
            return Unknown("item of BYTES (%s): a 1-character str on 2, an int on 3" % value.reason)
        return value
    if isinstance(value, Obj) and value.type in table.TYPES:
        spec = table.TYPES[value.type].get("*")
        if isinstance(spec, str):
            return _spec_value(spec, "item of %s" % value.reason)
    return Unknown(reason)


def item_of(value, index=None, reason="") -> Value:
    if isinstance(value, Tup) and isinstance(index, int) and -len(value.items) <= index < len(value.items):
        item = value.items[index]
        return item if item is not None else Unknown(reason)
    return element_of(value, reason)


# ---------------------------------------------------------------------------
# Helpers on the tree
# ---------------------------------------------------------------------------
_FUNCS = (ast.FunctionDef, ast.AsyncFunctionDef)
_LOOPS = (ast.For, ast.AsyncFor, ast.While)
_STMT_LISTS = ("body", "orelse", "finalbody")
_TEXT_TYPES = ("builtins.unicode", "six.text_type")
_BYTES_TYPES = ("builtins.str", "builtins.bytes", "six.binary_type")
_U_PREFIX = re.compile(r"(?<![\w'\"])[uU][rR]?['\"]")


def _pos(node):
    return (node.lineno, node.col_offset)


def _end(node):
    return (node.end_lineno, node.end_col_offset)


def literal_text_prefix(ctx, node: ast.Constant) -> bool:
    """Does a str constant carry a ``u`` prefix in any of its parts?"""
    if getattr(node, "kind", None) == "u":
        return True
    source = ctx.source(node)
    return bool(_U_PREFIX.search(source)) and _has_u_token(source)


def _has_u_token(source: str) -> bool:
    import io
    import tokenize

    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type == tokenize.STRING and token.string[:1] in "uU":
                return True
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return False
    return False


def is_ascii_literal(node) -> bool:
    if not isinstance(node, ast.Constant):
        return False
    value = node.value
    if isinstance(value, bytes):
        return True
    return isinstance(value, str) and all(ord(c) < 128 for c in value)


def enclosing_function(ctx, node):
    parent = ctx.parent(node)
    while parent is not None and not isinstance(parent, _FUNCS + (ast.Lambda,)):
        parent = ctx.parent(parent)
    return parent


def enclosing_class(ctx, func):
    parent = ctx.parent(func)
    return parent if isinstance(parent, ast.ClassDef) else None


def positional_params(func) -> List[ast.arg]:
    args = func.args
    return list(getattr(args, "posonlyargs", [])) + list(args.args)


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


def _stmt_defines(stmt, name) -> bool:
    """Does ``stmt`` (anywhere inside, not in nested scopes) bind ``name``?"""
    for node in _walk_scope(stmt):
        if isinstance(node, ast.Name) and node.id == name and not isinstance(node.ctx, ast.Load):
            return True
    return False


def _walk_scope(node):
    """ast.walk that yields nested functions and classes but does not enter them."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        if current is not node and isinstance(current, _FUNCS + (ast.Lambda, ast.ClassDef)):
            continue
        for child in ast.iter_child_nodes(current):
            if isinstance(child, ast.Lambda):
                continue
            stack.append(child)


# ---------------------------------------------------------------------------
# The analysis of one file
# ---------------------------------------------------------------------------
class _Def:
    """One binding of a name: ``kind`` is "assign", "aug", "for", "with",
    "param", "coerce", "other"; ``node`` the statement or arg; ``target``
    the Name node; ``at`` the position after which it holds."""

    __slots__ = ("kind", "node", "target", "at", "extra")

    def __init__(self, kind, node, target, at, extra=None):
        self.kind = kind
        self.node = node
        self.target = target
        self.at = at
        self.extra = extra


class Kinds:
    """Kind inference for one file; get it with :func:`analysis`."""

    def __init__(self, ctx):
        self.ctx = ctx
        self.tree = ctx.tree
        self.unicode_literals = "unicode_literals" in ctx.future
        self.memo: Dict[int, Value] = {}
        self.busy: set = set()
        self.returns_memo: Dict[int, Value] = {}
        self.param_memo: Dict[Tuple[int, str], Value] = {}
        self.attr_memo: Dict[Tuple[int, str], Value] = {}
        self.defs_memo: Dict[Tuple[int, str], List[_Def]] = {}
        self._index()

    # -- index -----------------------------------------------------------
    def _index(self):
        self.functions: List[ast.AST] = []
        self.classes: Dict[str, ast.ClassDef] = {}
        self.module_functions: Dict[str, ast.AST] = {}
        self.calls_by_name: Dict[str, List[ast.Call]] = {}
        self.loads_by_name: Dict[str, List[ast.AST]] = {}
        self.attr_stores: Dict[str, List[Tuple[ast.Attribute, ast.AST]]] = {}
        self.attr_loads: Dict[str, List[ast.Attribute]] = {}
        self.global_stores: Dict[str, List[ast.AST]] = {}
        self.returns: Dict[int, List[ast.AST]] = {}
        self.yields: Dict[int, List[ast.AST]] = {}
        self.wsgi_apps: set = set()
        self.arg_owner: Dict[int, ast.AST] = {}
        for stmt in self.tree.body:
            if isinstance(stmt, _FUNCS):
                self.module_functions[stmt.name] = stmt
        for node in ast.walk(self.tree):
            cls = type(node)
            if cls in _FUNCS or cls is ast.Lambda:
                if cls is not ast.Lambda:
                    self.functions.append(node)
                args = node.args
                for arg in list(getattr(args, "posonlyargs", [])) + args.args + args.kwonlyargs + [
                        a for a in (args.vararg, args.kwarg) if a]:
                    self.arg_owner[id(arg)] = node
            elif cls is ast.ClassDef:
                self.classes.setdefault(node.name, node)
            elif cls is ast.Call:
                name = call_name(node)
                if name:
                    self.calls_by_name.setdefault(name, []).append(node)
            elif cls is ast.Name:
                if isinstance(node.ctx, ast.Load):
                    self.loads_by_name.setdefault(node.id, []).append(node)
            elif cls is ast.Attribute:
                if isinstance(node.ctx, ast.Store):
                    self.attr_stores.setdefault(node.attr, []).append(node)
                elif isinstance(node.ctx, ast.Load):
                    self.attr_loads.setdefault(node.attr, []).append(node)
            elif cls is ast.Return:
                func = enclosing_function(self.ctx, node)
                if func is not None:
                    self.returns.setdefault(id(func), []).append(node)
            elif cls in (ast.Yield, ast.YieldFrom):
                func = enclosing_function(self.ctx, node)
                if func is not None:
                    self.yields.setdefault(id(func), []).append(node)

    # -- entry point -----------------------------------------------------
    def kind(self, node: ast.AST) -> Value:
        key = id(node)
        value = self.memo.get(key)
        if value is not None:
            return value
        if key in self.busy:
            return None  # a cycle contributes nothing
        self.busy.add(key)
        try:
            value = self._kind(node)
        except RecursionError:
            value = Unknown("too deeply nested to follow")
        finally:
            self.busy.discard(key)
        if value is None:
            if self.busy:
                return None  # only cyclic information: do not memoise
            value = Unknown("no assignment reaches here")
        self.memo[key] = value
        return value

    def kind_or_none(self, node):
        """Like :meth:`kind` but None (no information) for a cycle."""
        key = id(node)
        if key in self.busy and key not in self.memo:
            return None
        return self.kind(node)

    def line(self, node) -> int:
        return getattr(node, "lineno", 0)

    # -- expressions -----------------------------------------------------
    def _kind(self, node) -> Optional[Value]:
        method = getattr(self, "_k_" + type(node).__name__, None)
        if method is None:
            return Unknown("%s expression" % type(node).__name__)
        return method(node)

    def _k_Constant(self, node):
        value = node.value
        line = self.line(node)
        if isinstance(value, bytes):
            return Str(BYTES, "b'' literal at line %d" % line, True, node)
        if isinstance(value, str):
            if literal_text_prefix(self.ctx, node):
                return Str(TEXT, "u'' literal at line %d" % line, True, node)
            if self.unicode_literals:
                return Str(TEXT, "literal under unicode_literals at line %d" % line, True, node)
            return Str(NATIVE, "'' literal at line %d" % line, True, node)
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
        return Tup([self.kind_or_none(e) if not isinstance(e, ast.Starred) else Unknown("starred")
                    for e in node.elts], "tuple at line %d" % self.line(node))

    def _display(self, node, what):
        item = None
        for elt in node.elts:
            if isinstance(elt, ast.Starred):
                item = join(item, element_of(self.kind(elt.value)))
            else:
                item = join(item, self.kind_or_none(elt))
        return Seq(item, "%s at line %d" % (what, self.line(node)))

    def _k_Dict(self, node):
        key = value = None
        keys = {}
        for k, v in zip(node.keys, node.values):
            if k is None:
                continue
            kv = self.kind_or_none(k)
            vv = self.kind_or_none(v)
            key = join(key, kv)
            value = join(value, vv)
            text = const_str(k)
            if text is not None and vv is not None:
                keys[text] = vv
        return Map(key, value, "dict at line %d" % self.line(node), keys)

    def _k_ListComp(self, node):
        return Seq(self.kind_or_none(node.elt), "list comprehension at line %d" % self.line(node))

    _k_SetComp = _k_ListComp
    _k_GeneratorExp = _k_ListComp

    def _k_DictComp(self, node):
        return Map(self.kind_or_none(node.key), self.kind_or_none(node.value), "dict comprehension")

    def _k_IfExp(self, node):
        return join(self.kind_or_none(node.body), self.kind_or_none(node.orelse))

    def _k_BoolOp(self, node):
        result = None
        for value in node.values:
            result = join(result, self.kind_or_none(value))
        return result

    def _k_NamedExpr(self, node):
        return self.kind(node.value)

    def _k_Lambda(self, node):
        return Func(node=node, reason="lambda")

    def _k_Compare(self, node):
        return Other("comparison")

    def _k_UnaryOp(self, node):
        if isinstance(node.op, ast.Not):
            return Other("not")
        return Other("number")

    def _k_Await(self, node):
        return Unknown("await")

    def _k_Starred(self, node):
        return Unknown("starred")

    def _k_Slice(self, node):
        return Other("slice")

    def _k_BinOp(self, node):
        op = type(node.op)
        left = self.kind_or_none(node.left)
        if op is ast.Mod:
            return self.format_result(node, left, node.right)
        right = self.kind_or_none(node.right)
        if op is ast.Add:
            return self.concat(left, right, node)
        if op is ast.Mult:
            for side, other in ((left, right), (right, left)):
                if isinstance(side, (Str, Mixed)):
                    return side
                if isinstance(side, (Seq, Tup)):
                    return side
            if isinstance(left, Other) and isinstance(right, Other):
                return Other("number")
            return Unknown("product")
        if isinstance(left, Other) and isinstance(right, Other):
            return Other("number")
        if left is None and isinstance(right, Other) or right is None and isinstance(left, Other):
            return Other("number")
        return Unknown("%s of %s and %s" % (op.__name__, _short(left or Unknown()), _short(right or Unknown())))

    def concat(self, left, right, node):
        """``left + right``: on 2, NATIVE + TEXT is TEXT and NATIVE + BYTES is BYTES."""
        if left is None:
            return right
        if right is None:
            return left
        if isinstance(left, (Seq, Tup)) and isinstance(right, (Seq, Tup)):
            return join(Seq(element_of(left)), Seq(element_of(right)))
        if isinstance(left, Other) and isinstance(right, Other):
            return Other("number")
        if isinstance(left, Str) and isinstance(right, Str):
            labels = {left.label, right.label}
            if len(labels) == 1:
                return Str(left.label, left.reason, left.portable and right.portable)
            if labels == {NATIVE, TEXT}:
                text = left if left.label == TEXT else right
                return Str(TEXT, text.reason, left.portable and right.portable)
            if labels == {NATIVE, BYTES}:
                data = left if left.label == BYTES else right
                return Str(BYTES, data.reason, left.portable and right.portable)
            return Mixed((left, right))
        if isinstance(left, (Str, Mixed)) and isinstance(right, (Str, Mixed)):
            result = None
            for a in strings_of(left):
                for b in strings_of(right):
                    result = join(result, self.concat(a, b, node))
            return result
        if isinstance(left, Unknown):
            return left
        if isinstance(right, Unknown):
            return right
        return Unknown("sum of %s and %s" % (_short(left), _short(right)))

    def format_args(self, right_node) -> List[Optional[Value]]:
        """The values that ``fmt % right`` interpolates."""
        if isinstance(right_node, ast.Tuple):
            return [self.kind_or_none(e) for e in right_node.elts]
        if isinstance(right_node, ast.Dict):
            return [self.kind_or_none(v) for v in right_node.values]
        value = self.kind_or_none(right_node)
        if isinstance(value, Tup):
            return list(value.items)
        if isinstance(value, Map):
            if value.keys:
                return list(value.keys.values())
            return [value.value]
        return [value]

    def format_result(self, node, left, right_node):
        if isinstance(left, Other) or left is None:
            right = self.kind_or_none(right_node)
            if isinstance(left, Other) and isinstance(right, Other):
                return Other("number")
            if left is None:
                return None
            return Unknown("%% of a non-string")
        if not isinstance(left, Str):
            return left if isinstance(left, (Mixed, Unknown)) else Unknown("% of %s" % _short(left))
        args = self.format_args(right_node)
        fmt = node.left
        portable = left.portable and isinstance(fmt, ast.Constant) and _numeric_format(fmt.value)
        if left.label == NATIVE:
            for arg in args:
                if isinstance(arg, Str) and arg.label == TEXT:
                    return Str(TEXT, "%s formatted with TEXT (%s)" % (left.reason, arg.reason))
                if isinstance(arg, Mixed) and TEXT in arg.labels:
                    return Mixed((Str(TEXT, arg.reason), left))
            return Str(NATIVE, "%s formatting at line %d" % ("'' literal" if isinstance(fmt, ast.Constant)
                                                            else "NATIVE", self.line(node)), portable)
        return Str(left.label, left.reason, portable)

    def _k_Subscript(self, node):
        base = self.kind_or_none(node.value)
        index = node.slice
        if isinstance(index, ast.Index):  # pragma: no cover - Python < 3.9
            index = index.value
        if isinstance(index, ast.Slice):
            if isinstance(base, (Str, Mixed, Seq)):
                return base
            if isinstance(base, Tup):
                return Seq(_tuple_item(base), base.reason)
            return base if base is None else Unknown("slice of %s" % _short(base))
        if isinstance(base, Str):
            if base.label == BYTES:
                return Unknown("item of BYTES (%s): a 1-character str on 2, an int on 3" % base.reason)
            return Str(base.label, base.reason, base.portable)
        if isinstance(base, Seq):
            return base.item if base.item is not None else Unknown(base.reason)
        if isinstance(base, Tup):
            if isinstance(index, ast.Constant) and isinstance(index.value, int):
                return item_of(base, index.value, base.reason)
            return _tuple_item(base) or Unknown(base.reason)
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
                return _spec_value(spec, "item of %s" % base.reason)
            if base.cls is not None:
                method = self.method(base.cls, "__getitem__")
                if method is not None:
                    return self.returns_of(method)
        if base is None:
            return None
        return Unknown("item of %s" % _short(base))

    def environ_value(self, key_node, node):
        key = const_str(key_node)
        if key is not None and key in table.ENVIRON_SPECIAL:
            return _spec_value(table.ENVIRON_SPECIAL[key], "environ[%r]" % key)
        what = "environ[%r]" % key if key is not None else "environ value"
        return Str(NATIVE, "%s (PEP 3333: latin-1-decoded str on 3)" % what, False, node)

    def _k_Name(self, node):
        if not isinstance(node.ctx, ast.Load):
            return Unknown("store")
        return self.name_value(node.id, node)

    def _k_Attribute(self, node):
        dotted = self.ctx.resolve(node)
        if dotted:
            canon = table.canonical(dotted)
            if canon in table.VALUES:
                return _spec_value(table.VALUES[canon], dotted)
            if canon in table.FUNCTIONS or canon.startswith("builtins."):
                return Func(reason=canon)
            return Other("module attribute %s" % dotted) if self._looks_like_module(dotted) else Unknown(dotted)
        base = self.kind_or_none(node.value)
        return self.attribute_of(base, node.attr, node)

    def _looks_like_module(self, dotted):
        return False

    def attribute_of(self, base, attr, node):
        if isinstance(base, Obj):
            if base.type:
                spec = table.TYPES.get(base.type, {}).get(attr)
                if isinstance(spec, str):
                    return _spec_value(spec, "%s.%s" % (base.reason or base.type, attr))
                if isinstance(spec, table.Sig):
                    return Func(reason="%s.%s" % (base.type, attr))
                return Unknown("attribute %s of %s" % (attr, base.reason or base.type))
            if base.cls is not None:
                return self.class_attribute(base.cls, attr, node)
        if isinstance(base, Func) and base.cls is not None:
            return self.class_attribute(base.cls, attr, node, on_class=True)
        if base is None:
            return None
        return Unknown("attribute .%s" % attr)

    def _k_Call(self, node):
        func = node.func
        if isinstance(func, ast.Attribute):
            dotted = self.ctx.resolve(func)
            if dotted is None:
                receiver = self.kind_or_none(func.value)
                return self.method_call(node, receiver, func.attr)
            return self.api_call(node, dotted)
        if isinstance(func, ast.Name):
            dotted = self.ctx.resolve(func)
            if dotted is not None:
                return self.api_call(node, dotted)
            callee = self.name_value(func.id, func)
            return self.call_value(node, callee)
        callee = self.kind_or_none(func)
        return self.call_value(node, callee)

    def call_value(self, node, callee):
        if isinstance(callee, Func):
            if callee.cls is not None:
                return Obj(cls=callee.cls, reason="%s instance" % callee.cls.name)
            if callee.node is not None and not isinstance(callee.node, ast.Lambda):
                return self.returns_of(callee.node)
            if callee.reason:
                return self.api_call(node, callee.reason, resolved=True)
        if callee is None:
            return None
        return Unknown("result of a call")

    def arg_values(self, node) -> List[Optional[Value]]:
        return [self.kind_or_none(a) if not isinstance(a, ast.Starred) else Unknown("*args") for a in node.args]

    def api_call(self, node, dotted, resolved=False):
        canon = table.canonical(dotted) if not resolved else dotted
        sig = table.FUNCTIONS.get(canon)
        short = canon.replace("builtins.", "")
        if sig is not None:
            special = self._special_call(node, canon)
            if special is not None:
                return special
            reason = ("%s()" if sig.result.startswith("@") else "result of %s()") % short
            return _spec_value(sig.result, reason, self.arg_values(node), self)
        # a class or function imported from elsewhere: unknown
        return Unknown("result of %s()" % short)

    def _special_call(self, node, canon):
        args = node.args
        if canon in ("builtins.open", "builtins.file", "io.open"):
            mode = const_str(args[1]) if len(args) > 1 else None
            for kw in node.keywords:
                if kw.arg == "mode":
                    mode = const_str(kw.value)
            if mode is None and (len(args) > 1 or any(k.arg == "mode" for k in node.keywords)):
                return Unknown("file opened with a computed mode")
            mode = mode or "r"
            where = "%s(..., %r) at line %d" % (canon.split(".")[-1], mode, self.line(node))
            if "b" in mode:
                return Obj(type="binfile", reason="binary file " + where)
            if canon == "io.open":
                return Obj(type="textfile", reason="text file " + where)
            return Obj(type="nativefile", reason="text-mode file " + where)
        if canon == "builtins.str":
            if not args:
                return Str(NATIVE, "str() at line %d" % self.line(node), True)
            arg = self.kind_or_none(args[0])
            portable = isinstance(arg, Other) or isinstance(arg, Str) and arg.portable
            return Str(NATIVE, "str() at line %d" % self.line(node), portable)
        if canon == "builtins.bytes":
            return Unknown("bytes() at line %d (str on 2)" % self.line(node))
        if canon in ("builtins.unicode", "six.text_type"):
            return Str(TEXT, "%s() at line %d" % (canon.split(".")[-1], self.line(node)))
        if canon in ("six.ensure_text", "six.ensure_binary", "six.ensure_str", "six.b", "six.u"):
            label = {"six.ensure_text": TEXT, "six.u": TEXT, "six.ensure_binary": BYTES, "six.b": BYTES}.get(
                canon, NATIVE)
            portable = False
            if args and label in (NATIVE, BYTES):
                inner = self.kind_or_none(args[0])
                portable = isinstance(inner, Str) and inner.portable
            return Str(label, "%s() at line %d" % (canon, self.line(node)), portable)
        if canon == "string.join":
            return self.join_result(node, args[1] if len(args) > 1 else None, args[0] if args else None)
        return None

    def method_call(self, node, receiver, name):
        line = self.line(node)
        if isinstance(receiver, (Str, Mixed)):
            if name == "encode":
                codec = const_str(node.args[0]) if node.args else None
                if codec and codec.lower() in table.BYTES_CODECS:
                    if codec.lower().startswith("hex"):
                        return Str(NATIVE, ".encode(%r) at line %d" % (codec, line), True)
                    return Str(NATIVE, ".encode(%r) at line %d" % (codec, line))
                return Str(BYTES, ".encode() at line %d" % line, codec is not None and codec.lower().replace(
                    "-", "").replace("_", "") in ("utf8", "ascii"))
            if name == "decode":
                codec = const_str(node.args[0]) if node.args else None
                if codec and codec.lower() in table.BYTES_CODECS:
                    return Str(BYTES, ".decode(%r) at line %d" % (codec, line))
                return Str(TEXT, ".decode() at line %d" % line)
            if name == "join":
                return self.join_result(node, node.func.value, node.args[0] if node.args else None)
            if name == "format":
                if isinstance(receiver, Str):
                    return Str(receiver.label, "%s.format() at line %d" % (receiver.reason, line))
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
        if isinstance(receiver, Obj):
            if receiver.type:
                if receiver.type == "environ" and name in ("get", "pop", "setdefault") and node.args:
                    return self.environ_value(node.args[0], node)
                sig = table.TYPES.get(receiver.type, {}).get(name)
                if isinstance(sig, table.Sig):
                    word = _type_word(receiver)
                    reason = ("%s.%s()" if sig.result.startswith("@") else "result of %s.%s()") % (word, name)
                    return _spec_value(sig.result, reason, self.arg_values(node), self)
                if receiver.type == "py2stringio" and name in ("getvalue", "read"):
                    return self.stringio_content(receiver)
                return Unknown("result of .%s()" % name)
            if receiver.cls is not None:
                method = self.method(receiver.cls, name)
                if method is not None:
                    return self.returns_of(method)
                value = self.class_attribute(receiver.cls, name, node.func)
                return self.call_value(node, value) if value is not None else None
        if isinstance(receiver, Map):
            if name in ("get", "pop", "setdefault"):
                key = const_str(node.args[0]) if node.args else None
                if receiver.keys and key in receiver.keys:
                    result = receiver.keys[key]
                else:
                    result = receiver.value
                if len(node.args) > 1:
                    result = join(result, self.kind_or_none(node.args[1]))
                return result if result is not None else Unknown(receiver.reason)
            if name in ("items", "iteritems", "viewitems"):
                return Seq(Tup([receiver.key, receiver.value]), receiver.reason)
            if name in ("keys", "iterkeys", "viewkeys"):
                return Seq(receiver.key, receiver.reason)
            if name in ("values", "itervalues", "viewvalues"):
                return Seq(receiver.value, receiver.reason)
            if name == "copy":
                return receiver
        if isinstance(receiver, Seq):
            if name == "pop":
                return receiver.item or Unknown(receiver.reason)
            if name in ("index", "count"):
                return Other(name)
        if isinstance(receiver, Func) and receiver.cls is not None:
            method = self.method(receiver.cls, name)
            if method is not None:
                return self.returns_of(method)
        if receiver is None:
            return None
        return Unknown("result of .%s()" % name)

    def join_result(self, node, sep_node, items_node):
        sep = self.kind_or_none(sep_node) if sep_node is not None else Str(NATIVE, "' '", True)
        items = element_of(self.kind_or_none(items_node)) if items_node is not None else None
        if isinstance(sep, Str) and sep.label in (TEXT, BYTES):
            # u''.join(...) is unicode on 2 whatever the items; b''.join(...) is bytes.
            portable = sep.portable and isinstance(items, Str) and items.portable
            text = ctx_source(self.ctx, sep_node) if sep_node is not None else ""
            if len(text) > 12:
                text = sep.label + " separator"
            return Str(sep.label, "%s.join() at line %d" % (text, self.line(node)), portable)
        if items is None or isinstance(items, Unknown) and isinstance(sep, Str):
            return Unknown("join of %s" % (items.reason if items is not None else "unknown items"))
        return self.concat(sep, items, node) if isinstance(sep, (Str, Mixed)) else Unknown("join")

    def stringio_content(self, receiver):
        return Unknown("content of a %s" % receiver.reason)

    # -- names -----------------------------------------------------------
    def scope_of(self, name, node):
        """The scope node (module, function, class or comprehension) binding ``name``."""
        scope = node._pk_scope
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
            return Func(reason="builtins." + name)
        target = scope.bindings.get(name)
        if target is not None:  # an import
            return Func(reason=table.canonical(target))
        if scope.kind == "module":
            return self.module_name_value(name, node)
        if scope.kind == "function":
            return self.local_value(scope.node, name, node)
        if scope.kind == "comprehension":
            return self.comprehension_value(scope.node, name)
        if scope.kind == "class":
            return self.class_body_value(scope.node, name)
        return Unknown(name)

    def comprehension_value(self, comp, name):
        for gen in comp.generators:
            if _stmt_defines(gen.target, name):
                return self.target_value(gen.target, name, element_of(self.kind(gen.iter)))
        return Unknown(name)

    def module_name_value(self, name, node):
        value = None
        func = self.module_functions.get(name)
        found = False
        for stmt in self.tree.body:
            if isinstance(stmt, _FUNCS) and stmt.name == name:
                value = join(value, Func(node=stmt, reason="function %s" % name))
                found = True
            elif isinstance(stmt, ast.ClassDef) and stmt.name == name:
                value = join(value, Func(cls=stmt, reason="class %s" % name))
                found = True
        if func is not None or found:
            return value
        defs = self.defs_in(self.tree, name)
        if not defs:
            return Unknown(name)
        fn = enclosing_function(self.ctx, node)
        if fn is None and isinstance(getattr(node, "ctx", None), ast.Load):
            return self.reaching(self.tree, name, node, defs)
        for d in defs:
            value = join(value, self.def_value(d, name))
        return value if value is not None else Unknown(name)

    def class_body_value(self, cls, name):
        value = None
        for stmt in cls.body:
            if isinstance(stmt, _FUNCS) and stmt.name == name:
                value = join(value, Func(node=stmt, reason="method %s" % name))
            elif isinstance(stmt, ast.Assign):
                for target in stmt.targets:
                    if isinstance(target, ast.Name) and target.id == name:
                        value = join(value, self.kind_or_none(stmt.value))
        return value if value is not None else Unknown(name)

    def local_value(self, func, name, use):
        comp = self._binding_listcomp(name, use, func)
        if comp is not None:
            return self.comprehension_value(comp, name)
        defs = self.defs_in(func, name)
        value = self.reaching(func, name, use, defs)
        return self.with_additions(func, name, value)

    def _binding_listcomp(self, name, use, stop):
        parent = self.ctx.parent(use)
        while parent is not None and parent is not stop:
            if isinstance(parent, ast.ListComp) and any(_target_binds(g.target, name) for g in parent.generators):
                return parent
            parent = self.ctx.parent(parent)
        return None

    def with_additions(self, scope_node, name, value):
        """A list or dict variable also holds what ``.append()`` / ``[k] = v`` put in it."""
        if not isinstance(value, (Seq, Map)):
            return value
        key = ("adds", id(scope_node), name)
        if key in self.busy:
            return value
        self.busy.add(key)
        try:
            for load in self.loads_by_name.get(name, ()):
                if self.scope_of(name, load) is None or self.scope_of(name, load).node is not scope_node:
                    continue
                parent = self.ctx.parent(load)
                if isinstance(value, Seq) and isinstance(parent, ast.Attribute) and parent.value is load:
                    call = self.ctx.parent(parent)
                    if not (isinstance(call, ast.Call) and call.func is parent):
                        continue
                    if parent.attr == "append" and len(call.args) == 1:
                        value = Seq(join(value.item, self.kind_or_none(call.args[0])), value.reason)
                    elif parent.attr == "insert" and len(call.args) == 2:
                        value = Seq(join(value.item, self.kind_or_none(call.args[1])), value.reason)
                    elif parent.attr == "extend" and len(call.args) == 1:
                        value = Seq(join(value.item, element_of(self.kind(call.args[0]))), value.reason)
                elif isinstance(value, Map) and isinstance(parent, ast.Subscript) and parent.value is load \
                        and isinstance(parent.ctx, ast.Store):
                    assign = self.ctx.parent(parent)
                    if isinstance(assign, ast.Assign):
                        value = Map(join(value.key, self.kind_or_none(parent.slice)),
                                    join(value.value, self.kind_or_none(assign.value)), value.reason)
        finally:
            self.busy.discard(key)
        return value

    # -- definitions and reaching ------------------------------------------
    def defs_in(self, scope_node, name) -> List[_Def]:
        key = (id(scope_node), name)
        defs = self.defs_memo.get(key)
        if defs is not None:
            return defs
        defs = []
        if isinstance(scope_node, _FUNCS + (ast.Lambda,)):
            args = scope_node.args
            every = list(getattr(args, "posonlyargs", [])) + list(args.args) + list(args.kwonlyargs)
            for arg in every + [a for a in (args.vararg, args.kwarg) if a]:
                if arg.arg == name:
                    defs.append(_Def("param", arg, arg, (0, 0)))
            body = scope_node.body if isinstance(scope_node.body, list) else [scope_node.body]
        else:
            body = scope_node.body
        for stmt in body:
            for node in _walk_scope(stmt):
                cls = type(node)
                if cls is ast.Assign:
                    for target in node.targets:
                        if _target_binds(target, name):
                            defs.append(_Def("assign", node, target, _end(node)))
                elif cls is ast.AugAssign:
                    if isinstance(node.target, ast.Name) and node.target.id == name:
                        defs.append(_Def("aug", node, node.target, _end(node)))
                elif cls is ast.AnnAssign:
                    if isinstance(node.target, ast.Name) and node.target.id == name and node.value is not None:
                        defs.append(_Def("assign", node, node.target, _end(node)))
                elif cls in (ast.For, ast.AsyncFor):
                    if _target_binds(node.target, name):
                        defs.append(_Def("for", node, node.target, _end(node.target)))
                elif cls in (ast.With, ast.AsyncWith):
                    for item in node.items:
                        if item.optional_vars is not None and _target_binds(item.optional_vars, name):
                            defs.append(_Def("with", item, item.optional_vars, _end(item.optional_vars)))
                elif cls is ast.ExceptHandler:
                    if node.name == name:
                        defs.append(_Def("other", node, None, _pos(node), "exception"))
                elif cls in (ast.Import, ast.ImportFrom):
                    for alias in node.names:
                        if (alias.asname or alias.name.split(".")[0]) == name:
                            defs.append(_Def("other", node, None, _end(node), "import"))
                elif cls in _FUNCS + (ast.ClassDef,) and node is not scope_node and node.name == name:
                    defs.append(_Def("other", node, None, _end(node), "def"))
                elif cls is ast.ListComp:
                    for gen in node.generators:
                        if _target_binds(gen.target, name):
                            defs.append(_Def("comp", gen, gen.target, _end(gen.target)))
                elif cls is ast.NamedExpr and node.target.id == name:
                    defs.append(_Def("assign", node, node.target, _end(node)))
        self.defs_memo[key] = defs
        return defs

    def reaching(self, scope_node, name, use, defs):
        """The value of ``name`` at ``use`` from the definitions that reach it."""
        kill = self._find_kill(scope_node, name, use)
        use_at = _pos(use)
        loops = self._loops_around(use, scope_node)
        result = None
        considered = False
        kill_stmt = kill[0] if kill else None
        for d in defs:
            if kill_stmt is not None:
                if not _inside(d.node, kill_stmt, self.ctx) and d.at <= _end(kill_stmt):
                    continue
                if _inside(d.node, kill_stmt, self.ctx) and kill[1] is not None:
                    continue  # the kill's own value stands for it
            if d.at > use_at and not any(_inside(d.node, loop, self.ctx) for loop in loops):
                continue
            if d.kind == "assign" and _inside(use, d.node, self.ctx) and d.node is not kill_stmt:
                if not any(_inside(d.node, loop, self.ctx) for loop in loops):
                    continue
            considered = True
            result = join(result, self.def_value(d, name))
        if kill is not None and kill[1] is not None:
            considered = True
            result = join(result, kill[1])
        if not considered:
            return Unknown("%s is not assigned before line %d" % (name, self.line(use)))
        return result

    def _loops_around(self, node, stop):
        loops = []
        parent = self.ctx.parent(node)
        while parent is not None and parent is not stop:
            if isinstance(parent, _LOOPS + (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
                loops.append(parent)
            parent = self.ctx.parent(parent)
        return loops

    def _find_kill(self, scope_node, name, use):
        """The nearest statement that every path to ``use`` passes and that
        decides ``name``: ``(statement, value_or_None)`` or None.

        ``value`` is None for a plain assignment (its def is used as is)."""
        child = use
        parent = self.ctx.parent(use)
        while parent is not None:
            for field in _STMT_LISTS:
                block = getattr(parent, field, None)
                if not isinstance(block, list) or child not in block:
                    continue
                index = block.index(child)
                for stmt in reversed(block[:index]):
                    found = self._kills(stmt, name)
                    if found is not False:
                        return (stmt, found)
                if field == "body" and isinstance(parent, ast.If):
                    narrowed = self._narrowing(parent.test, name, True)
                    if narrowed is not None:
                        return (parent.test, narrowed)
                if field == "orelse" and isinstance(parent, ast.If):
                    narrowed = self._narrowing(parent.test, name, False)
                    if narrowed is not None:
                        return (parent.test, narrowed)
                break
            if parent is scope_node or isinstance(parent, _FUNCS + (ast.Lambda, ast.ClassDef)):
                break
            child, parent = parent, self.ctx.parent(parent)
        return None

    def _kills(self, stmt, name):
        """False, or the value ``name`` surely has after ``stmt`` (None: use its def)."""
        cls = type(stmt)
        if cls is ast.Assign:
            for target in stmt.targets:
                if _target_binds(target, name):
                    return None
            return False
        if cls is ast.AugAssign:
            return None if isinstance(stmt.target, ast.Name) and stmt.target.id == name else False
        if cls is ast.If:
            value = self._if_outcome(stmt, name)
            return value if value is not None else False
        return False

    def _if_outcome(self, stmt, name):
        """The value of ``name`` after an ``if`` whose every path decides it."""
        if not _stmt_defines(stmt, name) and not _mentions_isinstance(stmt.test, name):
            return None
        outcomes = []
        for branch, truth in ((stmt.body, True), (stmt.orelse, False)):
            if _terminates(branch):
                continue
            value = self._branch_value(branch, name)
            if value is None:
                narrowed = self._narrowing(stmt.test, name, truth)
                if narrowed is None:
                    return None
                value = narrowed
            outcomes.append(value)
        result = None
        for value in outcomes:
            result = join(result, value)
        if result is None or not isinstance(result, (Str, Mixed)):
            return None
        return result

    def _branch_value(self, branch, name):
        """The value of ``name`` at the end of ``branch`` if assigned there unconditionally."""
        for stmt in reversed(branch):
            if isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name
                                                    for t in stmt.targets):
                return self.kind_or_none(stmt.value)
            if isinstance(stmt, ast.If):
                inner = self._if_outcome(stmt, name)
                if inner is not None:
                    return inner
            if _stmt_defines(stmt, name):
                return None
        return None

    def _narrowing(self, test, name, truth):
        """The kind an ``isinstance(name, T)`` test gives ``name`` when it is ``truth``."""
        if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            return self._narrowing(test.operand, name, not truth)
        if not (isinstance(test, ast.Call) and isinstance(test.func, ast.Name) and test.func.id == "isinstance"
                and len(test.args) == 2 and isinstance(test.args[0], ast.Name) and test.args[0].id == name):
            return None
        typ = self.ctx.resolve(test.args[1])
        where = "isinstance(%s, %s) at line %d" % (name, ctx_source(self.ctx, test.args[1]), self.line(test))
        if typ in _TEXT_TYPES:
            label = TEXT if truth else BYTES
        elif typ in _BYTES_TYPES:
            label = BYTES if truth else TEXT
        else:
            return None
        reason = ("checked by " if truth else "not TEXT after " if label == BYTES else "not BYTES after ") + where
        return Str(label, reason)

    def def_value(self, d, name):
        kind = d.kind
        if kind == "assign":
            node = d.node
            value = self.kind_or_none(node.value)
            if value is None:
                return None
            return self.target_value(d.target, name, value)
        if kind == "aug":
            node = d.node
            before = self.reaching_before(node, name)
            if isinstance(node.op, ast.Add):
                return self.concat(before, self.kind_or_none(node.value), node)
            if isinstance(node.op, ast.Mod):
                return self.format_result(node, before, node.value)
            if isinstance(node.op, ast.Mult):
                return before
            return Other("number") if isinstance(before, Other) else Unknown("augmented assignment")
        if kind in ("for", "comp"):
            iterable = d.node.iter
            return self.target_value(d.target, name, element_of(self.kind(iterable), "loop over %s"
                                                                   % ctx_source(self.ctx, iterable)[:30]))
        if kind == "with":
            value = self.kind(d.node.context_expr)
            return self.target_value(d.target, name, value)
        if kind == "param":
            return self.param_value(d.node)
        if d.extra == "def":
            if isinstance(d.node, ast.ClassDef):
                return Func(cls=d.node, reason="class %s" % name)
            return Func(node=d.node, reason="function %s" % name)
        return Unknown("%s %s" % (d.extra or "binding", name))

    def reaching_before(self, stmt, name):
        func = enclosing_function(self.ctx, stmt) or self.tree
        defs = [d for d in self.defs_in(func, name) if d.node is not stmt]
        return self.reaching(func, name, stmt.target if isinstance(stmt, ast.AugAssign) else stmt, defs)

    def target_value(self, target, name, value):
        if isinstance(target, ast.Name):
            return value
        if isinstance(target, (ast.Tuple, ast.List)):
            for index, elt in enumerate(target.elts):
                if isinstance(elt, ast.Starred):
                    if _target_binds(elt.value, name):
                        return Seq(element_of(value))
                    continue
                if _target_binds(elt, name):
                    if value is None:
                        return None
                    return self.target_value(elt, name, item_of(value, index))
        return Unknown("unpacked %s" % name)

    # -- functions, parameters, classes ------------------------------------
    def returns_of(self, func) -> Value:
        key = id(func)
        if key in self.returns_memo:
            return self.returns_memo[key]
        if ("ret", key) in self.busy:
            return None
        self.busy.add(("ret", key))
        try:
            result = None
            yields = self.yields.get(key, ())
            if yields:
                item = None
                for node in yields:
                    if isinstance(node, ast.Yield) and node.value is not None:
                        item = join(item, self.kind_or_none(node.value))
                    elif isinstance(node, ast.YieldFrom):
                        item = join(item, element_of(self.kind(node.value)))
                result = Seq(item, "generator %s" % func.name)
            else:
                for node in self.returns.get(key, ()):
                    result = join(result, self.kind_or_none(node.value) if node.value is not None else NoneValue())
                if result is None:
                    result = NoneValue()
        finally:
            self.busy.discard(("ret", key))
        if isinstance(result, Str):
            result = Str(result.label, result.reason, result.portable, result.node)
        self.returns_memo[key] = result
        return result

    def method(self, cls, name, seen=None):
        """The method ``name`` of ``cls`` (or of a base class in this module)."""
        for stmt in cls.body:
            if isinstance(stmt, _FUNCS) and stmt.name == name:
                return stmt
        seen = seen or set()
        for base in cls.bases:
            if isinstance(base, ast.Name) and base.id in self.classes and base.id not in seen:
                seen.add(base.id)
                found = self.method(self.classes[base.id], name, seen)
                if found is not None:
                    return found
        return None

    def _class_family(self, cls):
        """``cls``, its bases and subclasses in this module."""
        family = [cls]
        names = {cls.name}
        changed = True
        while changed:
            changed = False
            for other in self.classes.values():
                if other in family:
                    continue
                related = any(isinstance(b, ast.Name) and b.id in names for b in other.bases)
                related = related or any(isinstance(b, ast.Name) and b.id == other.name
                                         for c in family for b in c.bases)
                if related:
                    family.append(other)
                    names.add(other.name)
                    changed = True
        return family

    def class_attribute(self, cls, attr, node, on_class=False):
        key = (id(cls), attr)
        if key in self.attr_memo:
            return self.attr_memo[key]
        if ("attr",) + key in self.busy:
            return None
        self.busy.add(("attr",) + key)
        try:
            value = self._class_attribute(cls, attr)
        finally:
            self.busy.discard(("attr",) + key)
        self.attr_memo[key] = value
        return value

    def _class_attribute(self, cls, attr):
        family = self._class_family(cls)
        result = None
        for klass in family:
            for stmt in klass.body:
                if isinstance(stmt, _FUNCS) and stmt.name == attr:
                    if any(_decorator_name(d) == "property" for d in stmt.decorator_list):
                        return self.returns_of(stmt)
                    return Func(node=stmt, bound=cls, reason="method %s" % attr)
                if isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) and t.id == attr
                                                        for t in stmt.targets):
                    value = stmt.value
                    if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) \
                            and value.func.id == "property" and value.args:
                        getter = value.args[0]
                        if isinstance(getter, ast.Name):
                            method = self.method(klass, getter.id)
                            if method is not None:
                                return self.returns_of(method)
                        return Unknown("property %s" % attr)
                    result = join(result, self.kind_or_none(value))
        for store in self.attr_stores.get(attr, ()):
            owner = self._self_class(store.value)
            if owner is None or owner not in family:
                continue
            parent = self.ctx.parent(store)
            if isinstance(parent, ast.Assign) and store in parent.targets:
                result = join(result, self.kind_or_none(parent.value))
            elif isinstance(parent, ast.AugAssign):
                result = join(result, self.kind_or_none(parent.value))
            else:
                result = join(result, Unknown("attribute %s set at line %d" % (attr, self.line(store))))
        if result is None:
            return Unknown("attribute %s" % attr)
        return result

    def _self_class(self, node):
        """The class ``node`` (a Name) is the ``self`` of, or None."""
        if not isinstance(node, ast.Name):
            return None
        func = enclosing_function(self.ctx, node)
        while func is not None:
            params = positional_params(func) if not isinstance(func, ast.Lambda) else []
            cls = enclosing_class(self.ctx, func)
            if cls is not None and params and params[0].arg == node.id and not _is_static(func):
                return cls
            func = enclosing_function(self.ctx, func)
        return None

    def param_value(self, arg) -> Value:
        func = self.arg_owner.get(id(arg))
        if not isinstance(func, _FUNCS + (ast.Lambda,)):
            return Unknown("parameter %s" % arg.arg)
        key = (id(func), arg.arg)
        if key in self.param_memo:
            return self.param_memo[key]
        if ("param",) + key in self.busy:
            return None
        self.busy.add(("param",) + key)
        try:
            value = self._param_value(func, arg)
        finally:
            self.busy.discard(("param",) + key)
        self.param_memo[key] = value
        return value

    def _param_value(self, func, arg):
        name = arg.arg
        if isinstance(func, ast.Lambda):
            return Unknown("lambda parameter %s" % name)
        params = positional_params(func)
        cls = enclosing_class(self.ctx, func)
        is_method = cls is not None and not _is_static(func)
        if is_method and params and params[0] is arg:
            if _is_classmethod(func):
                return Func(cls=cls, reason="class %s" % cls.name)
            return Obj(cls=cls, reason="%s instance" % cls.name)
        if name == "environ" or name == "start_response":
            wsgi = wsgi_role(func)
            if wsgi or name == "environ":
                if name == "environ":
                    return Obj(type="environ", reason="WSGI environ (PEP 3333)")
                return Obj(type="start_response", reason="WSGI start_response")
        if arg in (func.args.vararg, func.args.kwarg):
            return Unknown("*%s" % name)
        if func.decorator_list and not all(_decorator_name(d) in ("staticmethod", "classmethod", "property")
                                           for d in func.decorator_list):
            return Unknown("parameter %s of decorated %s()" % (name, func.name))
        calls = self.call_sites(func, cls)
        if calls is None:
            return Unknown("parameter %s of %s(): callers not all in this module" % (name, func.name))
        index = params.index(arg) if arg in params else None
        result = None
        default = _default_of(func, arg)
        if default is not None:
            result = join(result, self.kind_or_none(default))
        if not calls and result is None:
            return Unknown("parameter %s of %s(): no caller in this module" % (name, func.name))
        for call, shift in calls:
            if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
                return Unknown("parameter %s of %s(): called with *args/**kwargs" % (name, func.name))
            found = None
            for kw in call.keywords:
                if kw.arg == name:
                    found = kw.value
            if found is None and index is not None:
                position = index - shift
                if 0 <= position < len(call.args):
                    found = call.args[position]
            if found is not None:
                result = join(result, self.kind_or_none(found))
            elif default is None and arg not in func.args.kwonlyargs:
                result = join(result, Unknown("missing argument"))
        if result is None:
            return None
        if isinstance(result, Str):
            result = Str(result.label, "%s, passed as %s" % (result.reason, name), result.portable)
        return result

    def call_sites(self, func, cls):
        """[(call, shift)] of the calls of ``func`` in this module, or None when it
        escapes (used as a value, so unknown callers may exist)."""
        name = func.name
        sites = []
        if cls is None:
            if self.module_functions.get(name) is not func:
                return None
            for load in self.loads_by_name.get(name, ()):
                parent = self.ctx.parent(load)
                if isinstance(parent, ast.Call) and parent.func is load:
                    if self.scope_of(name, load) is self.ctx.walk.module_scope:
                        sites.append((parent, 0))
                    continue
                if self.scope_of(name, load) is self.ctx.walk.module_scope:
                    return None
            return sites
        if name.startswith("__") and name.endswith("__") and name != "__init__":
            return None
        family = self._class_family(cls)
        if name == "__init__":
            for klass in family:
                for load in self.loads_by_name.get(klass.name, ()):
                    parent = self.ctx.parent(load)
                    if isinstance(parent, ast.Call) and parent.func is load:
                        if self.method(klass, "__init__") is func:
                            sites.append((parent, 1))
                    elif isinstance(parent, ast.Attribute) and parent.attr == "__init__":
                        call = self.ctx.parent(parent)
                        if isinstance(call, ast.Call) and call.func is parent:
                            sites.append((call, 0))
            for call in self.calls_by_name.get("__init__", ()):
                if isinstance(call.func, ast.Attribute) and isinstance(call.func.value, ast.Call) \
                        and call_name(call.func.value) == "super":
                    sites.append((call, 1))
            return sites
        for load in self.attr_loads.get(name, ()):
            parent = self.ctx.parent(load)
            receiver = load.value
            owner = self._self_class(receiver)
            if owner is None and isinstance(receiver, ast.Name) and receiver.id in self.classes:
                if isinstance(parent, ast.Call) and parent.func is load and self.classes[receiver.id] in family:
                    sites.append((parent, 0))
                    continue
            if owner is not None and owner in family:
                if isinstance(parent, ast.Call) and parent.func is load:
                    sites.append((parent, 1))
                    continue
                return None
            if owner is None:
                # obj.name(...) on something else: might be an instance of cls
                return None
        return sites


def _target_binds(target, name) -> bool:
    if isinstance(target, ast.Name):
        return target.id == name
    if isinstance(target, (ast.Tuple, ast.List)):
        return any(_target_binds(e, name) for e in target.elts)
    if isinstance(target, ast.Starred):
        return _target_binds(target.value, name)
    return False


def _inside(node, container, ctx) -> bool:
    while node is not None:
        if node is container:
            return True
        node = ctx.parent(node)
    return False


def _terminates(branch) -> bool:
    return bool(branch) and isinstance(branch[-1], (ast.Return, ast.Raise, ast.Continue, ast.Break))


def _mentions_isinstance(test, name) -> bool:
    for node in ast.walk(test):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "isinstance" \
                and node.args and isinstance(node.args[0], ast.Name) and node.args[0].id == name:
            return True
    return False


def _decorator_name(node):
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Call):
        return _decorator_name(node.func)
    return None


def _is_static(func) -> bool:
    return any(_decorator_name(d) == "staticmethod" for d in getattr(func, "decorator_list", ()))


def _is_classmethod(func) -> bool:
    return any(_decorator_name(d) == "classmethod" for d in getattr(func, "decorator_list", ()))


def _default_of(func, arg):
    args = func.args
    positional = list(getattr(args, "posonlyargs", [])) + list(args.args)
    if arg in positional:
        offset = len(positional) - len(args.defaults)
        index = positional.index(arg)
        if index >= offset:
            return args.defaults[index - offset]
        return None
    if arg in args.kwonlyargs:
        return args.kw_defaults[args.kwonlyargs.index(arg)]
    return None


def _numeric_format(fmt) -> bool:
    """Is every conversion of a %-format numeric (so the result is ASCII if fmt is)?"""
    if not isinstance(fmt, (str, bytes)):
        return False
    text = fmt if isinstance(fmt, str) else fmt.decode("latin-1")
    if any(ord(c) > 127 for c in text):
        return False
    for match in re.finditer(r"%(?:\([^)]*\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?(.)", text):
        if match.group(1) not in "diouxXeEfFgG%":
            return False
    return True


def _type_word(obj):
    return obj.reason or obj.type


def ctx_source(ctx, node) -> str:
    try:
        return ctx.source(node)
    except Exception:  # pragma: no cover - synthetic nodes
        return "?"


def wsgi_role(func) -> bool:
    """Does ``func`` take ``(environ, start_response)`` (after ``self``)?"""
    if isinstance(func, ast.Lambda):
        return False
    names = [a.arg for a in positional_params(func)]
    if names and names[0] in ("self", "cls"):
        names = names[1:]
    return len(names) >= 2 and names[0] in ("environ", "env", "environment") and names[1] in (
        "start_response", "start", "start_resp")


# ---------------------------------------------------------------------------
# Public helpers
# ---------------------------------------------------------------------------
def analysis(ctx) -> Kinds:
    """The memoised :class:`Kinds` of this file."""
    kinds = ctx.cache.get("pk4.kinds")
    if kinds is None:
        kinds = Kinds(ctx)
        ctx.cache["pk4.kinds"] = kinds
    return kinds


def kind_of(ctx, node) -> Value:
    """The :class:`Value` of expression ``node`` (never None)."""
    value = analysis(ctx).kind(node)
    return value if value is not None else Unknown("")


def describe(value) -> str:
    """``"TEXT (u'' literal at line 12)"``."""
    if value is None:
        return UNKNOWN
    if isinstance(value, (Str, Mixed)):
        return value.describe()
    if isinstance(value, Unknown):
        return "UNKNOWN (%s)" % value.reason if value.reason else UNKNOWN
    return "not a string (%s)" % value.reason if value.reason else "not a string"
