"""Where bytes and text must meet: the sinks, and where to fix what reaches them.

This module registers no fixer: it is the planner that the PK4 flow fixers
(:mod:`fixers.wsgi`, :mod:`fixers.bytes_text`) share.

A *sink* is a place that needs one kind of string: the items of a WSGI
response body (BYTES), ``start_response``'s status and headers (NATIVE),
``hashlib``/``hmac``/``base64``/``zlib``/``struct``/socket arguments
(BYTES), a cookie value (NATIVE), ``parse_qs``'s argument (NATIVE) ... (the
parameter kinds of :mod:`portkit.kind_table` and the WSGI rules of PEP 3333).

For every sink of the project (the modules that import the current one or
that it imports), the value that reaches it is traced backwards through
local variables, ``self`` attributes, parameters (to the arguments of every
caller) and returns, until a point whose kind is *sure*.  That point is
where the fix goes: the closest place to the sink where one conversion is
right for every value that passes.  A call of a project function whose
result has the wrong kind is fixed inside the function (at its returns)
unless one of its callers needs another kind.  Literals are fixed by their
prefix (``''`` → ``b''``), which is exact on 2.7.

Each module applies only the points that lie in it; the same plan is made
whichever module is analysed, so the fixes of a project agree.
"""
from __future__ import annotations

import ast
import itertools
import re
from typing import Dict, List, Optional

from portkit import kind_table as table
from portkit import kinds as K
from portkit.fixutil import SIX

_CHARSET = re.compile(r"charset=([A-Za-z0-9_.:-]+)")

# Need specs: "B" bytes; "N" native (WSGI: text on 2 is rejected too); "n"
# native or text (cookies); "q" bytes or native (quote); "[X]" items; "(A,B)".
SATISFY = {
    "B": (K.BYTES,),
    "N": (K.NATIVE,),
    "n": (K.NATIVE, K.TEXT),
    "q": (K.BYTES, K.NATIVE),
    "a": (K.BYTES, K.NATIVE, K.TEXT),
    "E": (K.NATIVE,),
}
NEED_WORD = {"B": "BYTES", "N": "a NATIVE str", "n": "a NATIVE str", "q": "BYTES or an ASCII str",
             "a": "BYTES or an ASCII str", "E": "a NATIVE str (PEP 3333: latin-1 on 3)"}

# Codes of the sinks (the fixers that report what reaches them).
BODY = "PK401"
HEADER = "PK402"
CONTENT_LENGTH = "PK405"
BYTES_API = "PK406"
QUOTE = "PK411"
COOKIE = "PK413"
NATIVE_API = "PK421"
STRINGIO = "PK410"
ENVIRON = "PK420"
CSV = "PK414"
_CGI_KEY = re.compile(r"^(?:[A-Z][A-Z0-9_]*)$")


def _is_py2_stringio(kinds, call):
    """Is ``call`` StringIO.StringIO() or cStringIO.StringIO()?  (The caller
    checks once per module that its text names StringIO at all.)"""
    if not isinstance(call.func, (ast.Name, ast.Attribute)):
        return False
    dotted = kinds.ctx.resolve(call.func)
    return dotted in ("StringIO.StringIO", "cStringIO.StringIO")


class Sink:
    __slots__ = ("node", "owner", "need", "code", "what", "charset", "wire")

    def __init__(self, node, owner, need, code, what, charset="utf-8", wire=False):
        self.node = node
        self.owner = owner
        self.need = need
        self.code = code
        self.what = what
        self.charset = charset
        self.wire = wire  # a socket: a NATIVE str goes on the wire as latin-1 (HTTP/1.x heads, line protocols)

    def where(self):
        return "%s line %d" % (_short_path(self.owner), self.node.lineno)


class Point:
    """A fix point: ``node`` (in module ``owner``) is ``value`` where ``need`` is needed."""

    __slots__ = ("node", "owner", "value", "need", "sink")

    def __init__(self, node, owner, value, need, sink):
        self.node = node
        self.owner = owner
        self.value = value
        self.need = need
        self.sink = sink


class Gap(Point):
    """A value of unknown kind reaches a sink: reported at the sink, not fixed."""


def _short_path(owner):
    path = getattr(owner.ctx, "path", "") or ""
    return path.replace("\\", "/").rsplit("/", 1)[-1] or owner.dotted


def satisfied(value, need) -> bool:
    if isinstance(value, K.Str):
        return _part_ok(value, need)
    if isinstance(value, K.Mixed):
        return all(_part_ok(p, need) for p in value.parts)
    return False


def _part_ok(part, need):
    if part.label in SATISFY.get(need, ()):
        return True
    return need == "q" and part.label == K.TEXT and part.ascii


# ---------------------------------------------------------------------------
# Sinks of one module
# ---------------------------------------------------------------------------
def sinks_of(kinds) -> List[Sink]:
    """The sinks of one module, memoised on its :class:`Kinds` (one analysis):
    not in the module's context, which a worker keeps for the next files and
    which would then keep this whole analysis alive."""
    found = getattr(kinds, "_pk4_sinks", None)
    if found is None:
        found = kinds._pk4_sinks = _shared_sinks(kinds)
    return found


def _shared_sinks(kinds) -> List[Sink]:
    """The sinks of another module of the project are the same for every
    file of the project analysed in this process, as long as the modules
    are (:meth:`Universe.shared_key`) and so are the overrides installed
    (the sure decodes of socket reads: :func:`install_wire` installs them
    for the modules around the current one).  They are kept on that
    module's (light) context, as plain tuples, and given to the next
    file's analysis of it.  (Without this, each file of a package searched
    the sinks of every module it imports again.)"""
    universe = kinds.universe
    if kinds is universe.current or any(layer != "wire" and overrides for layer, overrides in universe.layers.items()):
        return _find_sinks(kinds)
    key = universe.shared_key()
    if key is None:
        return _find_sinks(kinds)
    key = (key, universe.layer_key("wire"))
    kept = kinds.ctx.cache.setdefault("pk4.sinks", {})
    found = kept.get(key)
    if found is not None:
        return [Sink(node, kinds, need, code, what, charset, wire)
                for node, need, code, what, charset, wire in found]
    found = _find_sinks(kinds)
    if universe.cut:
        return found  # they may depend on the order of the queries (see Universe.cut)
    if len(kept) >= 8:  # a few sets of decodes at most in practice
        kept.clear()
    kept[key] = [(s.node, s.need, s.code, s.what, s.charset, s.wire) for s in found]
    return found


def _find_sinks(kinds) -> List[Sink]:
    found: List[Sink] = []
    for func in kinds.functions:
        arg = K.start_response_param(func)
        if arg is None:
            continue
        charset = _charset_in(func)
        what_body = "the WSGI response body of %s()" % func.name
        if kinds.yields.get(id(func)):
            for node in kinds.yields[id(func)]:
                if isinstance(node, ast.Yield) and node.value is not None:
                    found.append(Sink(node.value, kinds, "B", BODY, "an item of " + what_body, charset))
        else:
            for ret in kinds.returns.get(id(func), ()):
                if ret.value is not None:
                    found.append(Sink(ret.value, kinds, "[B]", BODY, what_body, charset))
    for name, calls in kinds.calls_by_name.items():
        for call in calls:
            _call_sinks(kinds, call, found)
    names_stringio = "StringIO" in kinds.ctx.text
    cookies = may_be_made(kinds, _COOKIE_WORDS)
    environs = [node for node in kinds.ctx.walk.index.get(ast.Dict, ()) if _is_environ_display(node)]
    wanted = bool(environs) + names_stringio + cookies
    if not wanted:
        return found  # the walk below would find nothing
    # the nodes of the one kind wanted (in the walk's order), or all of them in
    # that order when the sinks of two kinds must come in it
    if wanted > 1:
        nodes = K.tree_nodes(kinds.ctx)
    elif environs:
        nodes = environs
    else:
        nodes = kinds.ctx.walk.index.get(ast.Call if names_stringio else ast.Assign, ())
    environ_ids = {id(node) for node in environs}
    for node in nodes:
        if id(node) in environ_ids:
            for key, value in zip(node.keys, node.values):
                name = K.const_str(key)
                if name and _CGI_KEY.match(name):
                    found.append(Sink(value, kinds, "E", ENVIRON, "the environ value %s (PEP 3333)" % name))
        if names_stringio and isinstance(node, ast.Call) and _is_py2_stringio(kinds, node):
            label, why = kinds.buffer_kind(node)
            if label == K.BYTES:
                for write, owner in kinds.buffer_writes(node):
                    if owner is kinds:
                        found.append(Sink(write, kinds, "B", STRINGIO,
                                          "the io.BytesIO that replaces %s (%s)" % (
                                              K.brief(kinds.ctx, node.func), why)))
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Subscript) \
                and cookies:
            sub = node.targets[0]
            base = kinds.kind(sub.value)
            if isinstance(base, K.Obj) and base.type == "cookie":
                found.append(Sink(node.value, kinds, "n", COOKIE, "a cookie value (SimpleCookie item)"))
    return found


def _is_environ_display(node) -> bool:
    """``{'wsgi.input': ..., 'REQUEST_METHOD': ...}``: an environ built by hand."""
    return "wsgi.input" in [K.const_str(k) for k in node.keys if k is not None]


def _charset_in(func) -> str:
    for node in ast.walk(func):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            match = _CHARSET.search(node.value)
            if match:
                return match.group(1).lower()
    return "utf-8"


# Methods that take a kind of string on some API type (what _method_sinks looks at).
_SINK_METHODS = frozenset(
    [name for methods in table.TYPES.values() for name, sig in methods.items()
     if isinstance(sig, table.Sig) and any(need is not None for need in sig.params)] + ["pack"])


# The API functions whose calls _call_sinks() turns into sinks (the needs that
# _param_sink() reads, and the functions it names), and, per method name, the
# API types that have such a method with a string parameter.
def _sink_need(name, need) -> bool:
    return need in ("B", "Q", "A") or need == "[N]" and name.startswith("csv.") \
        or need == "N" and name.startswith("http.cookies")


_SINK_FUNCTIONS = frozenset(
    [name for name, sig in table.FUNCTIONS.items() if any(_sink_need(name, need) for need in sig.params)]
    + ["struct.pack", "urllib.request.Request", "urllib.request.urlopen", "urllib.parse.parse_qs",
       "urllib.parse.parse_qsl", "urllib.parse.urlsplit", "urllib.parse.urlparse", "urllib.parse.urljoin",
       "http.cookies.SimpleCookie"])
_SINK_TYPES = {
    name: frozenset([t for t, methods in table.TYPES.items()
                     if isinstance(methods.get(name), table.Sig)
                     and any(need is not None for need in methods[name].params)]
                    + (["struct"] if name == "pack" else []))
    for name in _SINK_METHODS}
# What a module must name for a local name to be such a function (an alias of
# it) or start_response, or for a receiver to be an object of such a type.
_CALLEE_WORDS = frozenset([K.api_word(name) for name in _SINK_FUNCTIONS]) | K.words_for_types(["start_response"])
_RECEIVER_WORDS = {name: K.words_for_types(types) for name, types in _SINK_TYPES.items()}
_COOKIE_WORDS = K.words_for_types(["cookie"])


def may_be_made(kinds, words) -> bool:
    """Can a value named by one of ``words`` reach ``kinds``' module?  False
    when no module whose values this analysis sees (the module, or every
    module of its project) contains one of them: then no such function,
    alias or object exists there (see :func:`portkit.kinds.words_for_types`),
    and its kind need not be inferred."""
    return kinds.universe.names_any(words)


def _may_be_callee(kinds) -> bool:
    """Can a local name be an API function with string parameters, or
    start_response (a parameter named so, or ``start`` in the WSGI
    signature ``(env, start)``)?"""
    start, env = K.START_WITH
    return may_be_made(kinds, _CALLEE_WORDS) or may_be_made(kinds, start) and may_be_made(kinds, env)


def _starred(args) -> bool:
    for arg in args:
        if type(arg) is ast.Starred:
            return True
    return False


def _call_sinks(kinds, call, found):
    """The sinks of one call (none where an argument is ``*args``: the
    positions are not known).  The cheap tests come first: most calls are
    of no API function and no API method."""
    func = call.func
    args = call.args
    cls = type(func)
    if cls is not ast.Name and cls is not ast.Attribute:
        return
    dotted = kinds.ctx.resolve(func)
    if dotted is not None:
        # An import or a builtin: a sink only if it names an API function of
        # the table, directly or through a module of the project.
        if dotted not in table.FUNCTIONS and table.canonical(dotted) not in table.FUNCTIONS \
                and not kinds.universe.names_project_module(dotted, kinds) or _starred(args):
            return
        callee = kinds.kind(func)
    elif cls is ast.Name:
        # a local name: an alias of an API function, or start_response itself
        if not _may_be_callee(kinds) or _starred(args):
            return
        callee = kinds.kind(func)
    else:
        # A method: its receiver's kind matters only for the methods an API
        # type has with a string parameter, and only where an object of such
        # a type can be made.  (The inference does not depend on the order of
        # queries, so the ones skipped change no other result.)
        if func.attr in _SINK_METHODS and args and may_be_made(kinds, _RECEIVER_WORDS[func.attr]) \
                and not _starred(args):
            receiver = kinds.kind(func.value)
            if isinstance(receiver, K.Obj) and receiver.type:
                _method_sinks(kinds, call, receiver, func.attr, found)
        return
    if isinstance(callee, K.Obj) and callee.type == "start_response":
        if args:
            found.append(Sink(args[0], kinds, "N", HEADER, "the WSGI status line"))
        if len(args) > 1:
            found.append(Sink(args[1], kinds, "[(N,N)]", HEADER, "the WSGI response headers"))
        return
    if not isinstance(callee, K.Func) or callee.node is not None or callee.cls is not None or not callee.reason:
        return
    canon = callee.reason
    sig = table.FUNCTIONS.get(canon)
    if sig is None:
        return
    name = canon.replace("builtins.", "")
    for index, need in enumerate(sig.params):
        if index >= len(args) or need is None:
            continue
        _param_sink(kinds, args[index], need, name, index, found)
    if canon == "struct.pack" and args:
        _struct_sinks(kinds, args[0], args[1:], found)
    if canon in ("urllib.request.Request",) and len(args) > 1:
        found.append(Sink(args[1], kinds, "B", BYTES_API, "the data of %s()" % name))
    if canon in ("urllib.request.urlopen",) and len(args) > 1:
        found.append(Sink(args[1], kinds, "B", BYTES_API, "the data of %s()" % name))
    if canon in ("urllib.parse.parse_qs", "urllib.parse.parse_qsl", "urllib.parse.urlsplit",
                 "urllib.parse.urlparse", "urllib.parse.urljoin") and args:
        for arg in args[:2 if canon.endswith("urljoin") else 1]:
            found.append(Sink(arg, kinds, "N", NATIVE_API, "the argument of %s()" % name))
    if canon == "http.cookies.SimpleCookie" and args:
        found.append(Sink(args[0], kinds, "n", COOKIE, "the argument of SimpleCookie()"))
    for kw in call.keywords:
        if canon in ("urllib.request.Request", "urllib.request.urlopen") and kw.arg == "data":
            found.append(Sink(kw.value, kinds, "B", BYTES_API, "the data of %s()" % name))


def _param_sink(kinds, node, need, name, index, found):
    if need == "N" and name.startswith("urllib.parse."):
        return  # handled with the other native-str APIs
    if need == "[N]" and name.startswith("csv."):
        found.append(Sink(node, kinds, "[N]", CSV, "the lines %s() reads (native str on both)" % name))
    elif need == "B":
        found.append(Sink(node, kinds, "B", BYTES_API, "argument %d of %s()" % (index + 1, name)))
    elif need == "Q":
        found.append(Sink(node, kinds, "q", QUOTE, "the argument of %s()" % name))
    elif need == "A":
        found.append(Sink(node, kinds, "a", BYTES_API, "argument %d of %s()" % (index + 1, name)))
    elif need == "N" and name.startswith("http.cookies"):
        found.append(Sink(node, kinds, "n", COOKIE, "the argument of %s()" % name))


def _struct_fields(kinds, fmt_node):
    """The field codes of a literal struct format (``'>4sH'`` → ``['s', 'H']``), or None."""
    literals = [fmt_node] if isinstance(fmt_node, ast.Constant) else kinds.literal_defs(fmt_node)
    if not literals or len(literals) != 1:
        return None
    fmt = literals[0].value
    if isinstance(fmt, bytes):
        fmt = fmt.decode("latin-1")
    fields = []
    for count, code in re.findall(r"(\d*)([xcbB?hHiIlLqQnNefdspP])", fmt):
        if code == "x":
            continue
        if code in "sp":
            fields.append(code)
        else:
            fields.extend([code] * int(count or 1))
    return fields


def _struct_sinks(kinds, fmt_node, values, found):
    """The ``'s'`` fields of a struct format take bytes."""
    fields = _struct_fields(kinds, fmt_node)
    if fields is None or any(isinstance(v, ast.Starred) for v in values):
        return
    for code, value in zip(fields, values):
        if code in "sp":
            found.append(Sink(value, kinds, "B", BYTES_API, "a %r field of struct.pack()" % code))


def _method_sinks(kinds, call, receiver, name, found):
    if receiver.type == "struct" and name == "pack" and receiver.extra is not None:
        fmt_node, fmt_owner = receiver.extra
        if fmt_owner is kinds:
            _struct_sinks(kinds, fmt_node, call.args, found)
    sig = table.TYPES.get(receiver.type, {}).get(name)
    if not isinstance(sig, table.Sig):
        return
    what = "%s.%s()" % (receiver.reason or receiver.type, name)
    for index, need in enumerate(sig.params):
        if index >= len(call.args) or need is None:
            continue
        node = call.args[index]
        if need.startswith("[") and receiver.type == "csvwriter":
            found.append(Sink(node, kinds, need, CSV, "the cells of %s (native str on both)" % what))
        elif need == "B":
            found.append(Sink(node, kinds, "B", BYTES_API, "argument %d of %s" % (index + 1, what),
                              wire=receiver.type == "socket"))
        elif need == "N" and receiver.type in ("cookie", "morsel"):
            found.append(Sink(node, kinds, "n", COOKIE, "argument %d of %s" % (index + 1, what)))


# ---------------------------------------------------------------------------
# Tracing a sink back to its fix points
# ---------------------------------------------------------------------------
class Planner:
    def __init__(self, current):
        self.current = current
        self.points: List[Point] = []
        self.gaps: List[Point] = []
        self.seen = set()

    def run(self):
        for module in self.relevant_modules():
            for sink in sinks_of(module):
                self.trace(sink.node, sink.owner, sink.need, sink, 0)
        self.by_node: Dict[int, Point] = {}
        kept = []
        for point in self.points:
            if id(point.node) not in self.by_node:
                self.by_node[id(point.node)] = point
                kept.append(point)
        self.points = kept
        self._install_overrides()
        return self

    def _install_overrides(self):
        """Let the local rules see the kinds the planned fixes give."""
        universe = self.current.universe
        for point in self.points:
            if conversion(point.owner.ctx, point) is None:
                continue
            label = K.BYTES if point.need in ("B", "q", "a") else K.NATIVE
            universe.override(point.owner, point.node,
                              K.Str(label, "%s once fixed" % K.brief(point.owner.ctx, point.node, 30),
                                    ascii=isinstance(point.value, K.Str) and point.value.ascii), "plan")
        universe.forget()

    def points_for(self, code):
        return [p for p in self.points if p.sink.code == code and p.owner is self.current]

    def gaps_for(self, code):
        seen = set()
        found = []
        for gap in self.gaps:
            if gap.sink.code != code or gap.sink.owner is not self.current or gap.owner is not self.current:
                continue
            if not isinstance(gap.value, K.Unknown) or code == QUOTE:
                continue  # not a string at all (an undefined name in a snippet), or quote() of a str: fine
            if id(gap.sink.node) in seen:
                continue
            seen.add(id(gap.sink.node))
            found.append(gap)
        return found

    def relevant_modules(self):
        universe = self.current.universe
        if universe.project is None:
            return [self.current]
        mine = self.current
        result = [mine]
        for kinds in universe.all_modules():
            if kinds is mine:
                continue
            if mine.dotted in imported_modules(kinds) or kinds.dotted in imported_modules(mine):
                result.append(kinds)
        return result

    # -- the trace -----------------------------------------------------------
    def trace(self, node, owner, need, sink, depth):
        key = (id(node), need)
        if key in self.seen or depth > 40:
            return
        self.seen.add(key)
        if K.version_branch(owner.ctx, node) is not None:
            return  # code written for one version on purpose
        value = owner.value(node)
        if need.startswith("["):
            self.trace_items(node, owner, need[1:-1], sink, depth, value)
            return
        if need.startswith("("):
            self.trace_tuple(node, owner, K.split_spec(need[1:-1]), sink, depth)
            return
        if satisfied(value, need):
            if _sum_of_strings(node, owner, need) and not all(
                    satisfied(owner.value(side), need) for side in (node.left, node.right)):
                # NATIVE + BYTES is BYTES on 2 but a TypeError on 3: each side needs the kind
                self.trace(node.left, owner, need, sink, depth + 1)
                self.trace(node.right, owner, need, sink, depth + 1)
            return
        if isinstance(value, K.Str):
            callee = self.project_callee(node, owner)
            if callee is not None and self.callers_agree(callee, need):
                func, func_owner = callee
                for ret in func_owner.returns.get(id(func), ()):
                    if ret.value is not None:
                        self.trace(ret.value, func_owner, need, sink, depth + 1)
                return
            point = Point(node, owner, value, need, sink)
            literals = owner.literal_defs(node)
            if literals and all(K.is_ascii(n.value) for n in literals) and not _joins_with(owner, node):
                for literal in literals:  # MAGIC = 'SPRC': fix the constant where it is written
                    self.trace(literal, owner, need, sink, depth + 1)
                return
            if self.literal_param(node, owner) and self.trace_through(node, owner, need, sink, depth, value):
                return
            if conversion(owner.ctx, point) is None and self.trace_through(node, owner, need, sink, depth, value):
                return
            self.points.append(point)
            return
        if isinstance(value, K.Mixed):
            if (self.local_variable(node, owner) or self.parameter(node, owner)
                    or self.project_callee(node, owner) is not None) \
                    and self.trace_through(node, owner, need, sink, depth, value):
                return  # a local variable, a parameter or a call: fix what is assigned, passed or returned
            # one conversion right for every kind it may have, where it is needed
            point = Point(node, owner, value, need, sink)
            if conversion(owner.ctx, point) is not None:
                self.points.append(point)
                return
            if self.trace_through(node, owner, need, sink, depth, value):
                return
            self.points.append(point)
            return
        # UNKNOWN: the sources of a local variable whose kind is known are fixed (each
        # fix is exact on 2); the unknown ones, and anything else, are reported
        if (isinstance(node, (ast.IfExp, ast.BoolOp)) or self.local_variable(node, owner)
                or self.parameter(node, owner) or self.project_callee(node, owner) is not None
                or _sum_of_strings(node, owner, need)) \
                and self.trace_through(node, owner, need, sink, depth, value):
            return
        self.gaps.append(Gap(node, owner, value, need, sink))

    def trace_through(self, node, owner, need, sink, depth, value):
        """Follow a value that is not sure to where it comes from; False if it cannot be."""
        if isinstance(node, ast.Name):
            scope = owner.scope_of(node.id, node)
            if scope is None or scope.bindings.get(node.id) is not None:
                return False
            scope_node = scope.node
            if scope.kind == "comprehension":
                return False
            defs, kill = owner.reaching_defs(scope_node, node.id, node)
            if kill is not None and kill.value is not None:
                assigned = _branch_assignments(kill.node, node.id)
                if not assigned:
                    return False
                for value_node in assigned:  # if ...: x = a / else: x = b
                    self.trace(value_node, owner, need, sink, depth + 1)
                return True
            if not defs:
                return False
            traced = False
            for d in defs:
                traced = self.trace_def(d, owner, node.id, need, sink, depth) or traced
            if not traced and not isinstance(value, (K.Str, K.Mixed)):
                self.gaps.append(Gap(node, owner, value, need, sink))
            return True
        if isinstance(node, ast.Attribute):
            base = owner.value(node.value)
            if isinstance(base, K.Obj) and base.cls is not None:
                cls_owner = base.owner or owner
                if _is_property(cls_owner, base.cls, node.attr):
                    return False
                stores = cls_owner.attribute_stores(base.cls, node.attr)
                if not stores:
                    return False
                for store, store_owner in stores:
                    parent = store_owner.ctx.parent(store)
                    if isinstance(parent, ast.Assign) and store in parent.targets:
                        self.trace(parent.value, store_owner, need, sink, depth + 1)
                    elif isinstance(parent, ast.AugAssign):
                        self.trace(parent.value, store_owner, need, sink, depth + 1)
                return True
            return False
        if isinstance(node, ast.IfExp):
            self.trace(node.body, owner, need, sink, depth + 1)
            self.trace(node.orelse, owner, need, sink, depth + 1)
            return True
        if isinstance(node, ast.BoolOp):
            for part in node.values:
                self.trace(part, owner, need, sink, depth + 1)
            return True
        if _sum_of_strings(node, owner, need) or isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add) \
                and need in ("B", "N") \
                and all(isinstance(owner.value(side), (K.Str, K.Mixed)) for side in (node.left, node.right)):
            self.trace(node.left, owner, need, sink, depth + 1)
            self.trace(node.right, owner, need, sink, depth + 1)
            return True
        if isinstance(node, ast.Call):
            callee = self.project_callee(node, owner)
            if callee is not None and self.callers_agree(callee, need):
                func, func_owner = callee
                for ret in func_owner.returns.get(id(func), ()):
                    if ret.value is not None:
                        self.trace(ret.value, func_owner, need, sink, depth + 1)
                return True
        return False

    def local_variable(self, node, owner) -> bool:
        """Is ``node`` a local variable whose every reaching definition is an assignment?"""
        if not isinstance(node, ast.Name):
            return False
        scope = owner.scope_of(node.id, node)
        if scope is None or scope.kind != "function" or scope.bindings.get(node.id) is not None:
            return False
        defs, kill = owner.reaching_defs(scope.node, node.id, node)
        if kill is not None and kill.value is not None:
            return bool(_branch_assignments(kill.node, node.id))
        return bool(defs) and all(d.kind in ("assign", "aug") and isinstance(d.target, ast.Name) for d in defs)

    def parameter(self, node, owner) -> bool:
        """Is ``node`` a parameter (its only reaching definition) whose callers are all known?"""
        if not isinstance(node, ast.Name):
            return False
        scope = owner.scope_of(node.id, node)
        if scope is None or scope.kind != "function" or scope.bindings.get(node.id) is not None:
            return False
        defs, kill = owner.reaching_defs(scope.node, node.id, node)
        if kill is not None or len(defs) != 1 or defs[0].kind != "param":
            return False
        func = owner.arg_owner.get(id(defs[0].node))
        return func is not None and not isinstance(func, ast.Lambda) and owner.call_sites(func) is not None

    def literal_param(self, node, owner) -> bool:
        """Is ``node`` a parameter that every caller (and the default) gives a string literal?

        Then the literals are fixed where they are written (exact), rather than
        the parameter converted (which would break a caller passing the right kind)."""
        if not isinstance(node, ast.Name):
            return False
        scope = owner.scope_of(node.id, node)
        if scope is None or scope.kind != "function" or scope.bindings.get(node.id) is not None:
            return False
        defs, kill = owner.reaching_defs(scope.node, node.id, node)
        if kill is not None or len(defs) != 1 or defs[0].kind != "param":
            return False
        arg = defs[0].node
        func = owner.arg_owner.get(id(arg))
        if func is None or isinstance(func, ast.Lambda):
            return False
        sites = owner.call_sites(func)
        if sites is None:
            return False
        params = K.positional_params(func)
        index = params.index(arg) if arg in params else None
        default = K.default_of(func, arg)
        found = [default] if default is not None else []
        for call, shift, _ in sites:
            passed = K.argument_for(call, func, arg, index, shift)
            if passed is False:
                return False
            if passed is not None:
                found.append(passed)
        return bool(found) and all(isinstance(n, ast.Constant) and isinstance(n.value, (str, bytes))
                                   and K.is_ascii(n.value) for n in found)

    def trace_def(self, d, owner, name, need, sink, depth):
        """Follow one definition; False when it leads nowhere (a parameter without callers)."""
        if d.kind == "assign" and isinstance(d.target, ast.Name):
            self.trace(d.node.value, owner, need, sink, depth + 1)
        elif d.kind == "aug":
            self.trace(d.node.value, owner, need, sink, depth + 1)
        elif d.kind == "param":
            return self.trace_param(d.node, owner, need, sink, depth)
        else:
            value = owner.def_value(d, name)
            if not satisfied(value, need) and not isinstance(value, (K.Str, K.Mixed)):
                self.gaps.append(Gap(d.target or d.node, owner, value, need, sink))
        return True

    def trace_param(self, arg, owner, need, sink, depth):
        func = owner.arg_owner.get(id(arg))
        if func is None or isinstance(func, ast.Lambda):
            return False
        traced = False
        default = K.default_of(func, arg)
        if default is not None:
            self.trace(default, owner, need, sink, depth + 1)
            traced = True
        sites = owner.call_sites(func)
        if not sites:
            return traced
        params = K.positional_params(func)
        index = params.index(arg) if arg in params else None
        for call, shift, call_owner in sites:
            found = K.argument_for(call, func, arg, index, shift)
            if found:
                self.trace(found, call_owner, need, sink, depth + 1)
                traced = True
        return traced

    def trace_items(self, node, owner, item_need, sink, depth, value):
        if isinstance(value, K.Obj) and value.cls is not None:
            # an iterator of the project: what its next() returns
            cls_owner = value.owner or owner
            for name in ("next", "__next__"):
                found = cls_owner.method(value.cls, name)
                if found is not None:
                    func, func_owner = found
                    for ret in func_owner.returns.get(id(func), ()):
                        if ret.value is not None:
                            self.trace(ret.value, func_owner, item_need, sink, depth + 1)
            return
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            for elt in node.elts:
                if not isinstance(elt, ast.Starred):
                    self.trace(elt, owner, item_need, sink, depth + 1)
            return
        if isinstance(node, (ast.ListComp, ast.GeneratorExp, ast.SetComp)):
            self.trace(node.elt, owner, item_need, sink, depth + 1)
            return
        if isinstance(node, ast.Name):
            scope = owner.scope_of(node.id, node)
            if scope is None or scope.bindings.get(node.id) is not None or scope.kind == "comprehension":
                return
            defs, _ = owner.reaching_defs(scope.node, node.id, node)
            for d in defs:
                if d.kind == "assign" and isinstance(d.target, ast.Name):
                    self.trace(d.node.value, owner, "[%s]" % item_need, sink, depth + 1)
                elif d.kind == "param":
                    self.trace_param(d.node, owner, "[%s]" % item_need, sink, depth)
            for addition in owner.additions(scope.node, node.id):
                if isinstance(addition, ast.Call) and addition.func.attr in ("append", "insert"):
                    self.trace(addition.args[-1], owner, item_need, sink, depth + 1)
            return
        if isinstance(node, ast.Attribute):
            base = owner.value(node.value)
            if isinstance(base, K.Obj) and base.cls is not None:
                cls_owner = base.owner or owner
                for store, store_owner in cls_owner.attribute_stores(base.cls, node.attr):
                    parent = store_owner.ctx.parent(store)
                    if isinstance(parent, ast.Assign) and store in parent.targets:
                        self.trace(parent.value, store_owner, "[%s]" % item_need, sink, depth + 1)
                for load, load_owner in cls_owner.attribute_loads(base.cls, node.attr):
                    parent = load_owner.ctx.parent(load)
                    if isinstance(parent, ast.Attribute) and parent.value is load and parent.attr in ("append",
                                                                                                    "insert"):
                        call = load_owner.ctx.parent(parent)
                        if isinstance(call, ast.Call) and call.func is parent and call.args:
                            self.trace(call.args[-1], load_owner, item_need, sink, depth + 1)
            return
        if isinstance(node, ast.Call):
            callee = self.project_callee(node, owner)
            if callee is not None:
                func, func_owner = callee
                if func_owner.yields.get(id(func)):
                    for y in func_owner.yields[id(func)]:
                        if isinstance(y, ast.Yield) and y.value is not None:
                            self.trace(y.value, func_owner, item_need, sink, depth + 1)
                    return
                if K.start_response_param(func) is not None:
                    return  # another WSGI responder: its own sinks cover it
                for ret in func_owner.returns.get(id(func), ()):
                    if ret.value is not None:
                        self.trace(ret.value, func_owner, "[%s]" % item_need, sink, depth + 1)
            return
        if isinstance(node, ast.IfExp):
            self.trace(node.body, owner, "[%s]" % item_need, sink, depth + 1)
            self.trace(node.orelse, owner, "[%s]" % item_need, sink, depth + 1)

    def trace_tuple(self, node, owner, needs, sink, depth):
        if isinstance(node, ast.Tuple) and len(node.elts) == len(needs):
            for elt, need in zip(node.elts, needs):
                self.trace(elt, owner, need, sink, depth + 1)
            if sink.code == HEADER and len(node.elts) == 2:
                name = K.const_str(node.elts[0])
                if name and name.lower() == "content-length":
                    self.content_length(node.elts[1], owner, sink, depth)

    def content_length(self, node, owner, sink, depth):
        """``str(len(body))``: the length of what the body will be, in bytes."""
        for sub in ast.walk(node):
            if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Name) and sub.func.id == "len" \
                    and len(sub.args) == 1 and owner.ctx.is_builtin(sub.func, "len"):
                func = K.enclosing_function(owner.ctx, sub)
                charset = _charset_in(func) if func is not None else "utf-8"
                cl_sink = Sink(sub.args[0], owner, "B", CONTENT_LENGTH,
                               "the length in a Content-Length header", charset)
                target = sub.args[0]
                value = owner.value(target)
                if isinstance(value, (K.Str, K.Mixed)) and not satisfied(value, "B"):
                    self.trace(target, owner, "B", cl_sink, depth + 1)

    # -- helpers ------------------------------------------------------------
    def project_callee(self, node, owner):
        """``(function node, owner)`` when ``node`` calls a function or method of the project."""
        if not isinstance(node, ast.Call):
            return None
        func = node.func
        callee = None
        if isinstance(func, ast.Name):
            callee = owner.kind(func)
        elif isinstance(func, ast.Attribute):
            if owner.ctx.resolve(func) is not None:
                callee = owner.kind(func)
            else:
                receiver = owner.kind(func.value)
                if isinstance(receiver, K.Obj) and receiver.cls is not None:
                    found = (receiver.owner or owner).method(receiver.cls, func.attr)
                    return found
                if isinstance(receiver, K.Mod):
                    callee = receiver.kinds.export([func.attr])
        else:
            callee = owner.kind(func)
        if isinstance(callee, K.Func) and callee.node is not None and not isinstance(callee.node, ast.Lambda):
            return callee.node, callee.owner or owner
        if isinstance(callee, K.Obj) and callee.cls is not None:
            found = (callee.owner or owner).method(callee.cls, "__call__")
            return found
        return None

    def callers_agree(self, callee, need) -> bool:
        """Do all callers of ``callee`` take its result as ``need`` (or not care)?"""
        func, owner = callee
        sites = owner.call_sites(func)
        if sites is None:
            return False
        for call, _, call_owner in sites:
            if _used_as_other_kind(call, call_owner, need):
                return False
            other = direct_need(call, call_owner)
            if other is not None and other != need and not (other in SATISFY and need in SATISFY and set(
                    SATISFY[other]) & set(SATISFY[need])):
                return False
        return True


def _joins_with(owner, node) -> bool:
    """Is the module-level name ``node`` also a ``.join()`` separator (``CRLF.join(lines)``)?
    Then changing its literal would change the kind of what it joins: fix the use instead."""
    if not isinstance(node, ast.Name):
        return False
    for load in owner.loads_by_name.get(node.id, ()):
        parent = owner.ctx.parent(load)
        if isinstance(parent, ast.Attribute) and parent.value is load and parent.attr == "join":
            return True
    return False


def _used_as_other_kind(call, owner, need) -> bool:
    """Is the result of ``call`` added to (or formatted with) a sure string of a kind
    that does not satisfy ``need``?  (``base + '?' + encode_params(params)``: that
    caller takes the result as a native str, so it must stay one.)"""
    wants_bytes = K.BYTES in SATISFY.get(need, ()) and need != "a"
    parent = owner.ctx.parent(call)
    if isinstance(parent, ast.BinOp) and isinstance(parent.op, (ast.Add, ast.Mod)):
        if isinstance(parent.op, ast.Mod) and parent.right is call:
            return _other_kind(parent.left, owner, wants_bytes)
        return _other_kind(parent.left if parent.right is call else parent.right, owner, wants_bytes)
    if isinstance(parent, ast.Compare) and len(parent.comparators) == 1:
        return _other_kind(parent.left if parent.left is not call else parent.comparators[0], owner, wants_bytes)
    if isinstance(parent, ast.Call) and call in parent.args and len(parent.args) == 2 \
            and isinstance(parent.func, ast.Attribute) and parent.func.attr.startswith("assert"):
        return _other_kind(parent.args[1] if parent.args[0] is call else parent.args[0], owner, wants_bytes)
    return False


def _other_kind(node, owner, wants_bytes) -> bool:
    """Is ``node`` (or a term of a sum) a sure string of the other kind?"""
    value = owner.value(node)
    if isinstance(value, K.Str):  # only bytes against text/native is a conflict on 3
        return (value.label != K.BYTES) if wants_bytes else (value.label == K.BYTES)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _other_kind(node.left, owner, wants_bytes) or _other_kind(node.right, owner, wants_bytes)
    return False


def _sum_of_strings(node, owner, need) -> bool:
    """``head + body`` of two strings: both sides need the same kind (``+`` of bytes and
    str fails on 3, while NATIVE + BYTES is BYTES on 2), so each is traced on its own."""
    if not (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add) and need in ("B", "N")):
        return False
    sides = [owner.value(node.left), owner.value(node.right)]
    return all(isinstance(v, (K.Str, K.Mixed)) for v in sides)


def _branch_assignments(stmt, name):
    """The values that ``name`` is last assigned in every branch of an ``if`` (None if a
    branch does not end with such an assignment)."""
    if not isinstance(stmt, ast.If):
        return None
    found = []
    for branch in (stmt.body, stmt.orelse):
        if K.terminates(branch):
            continue
        if not branch:
            return None
        last = branch[-1]
        if isinstance(last, ast.Assign) and len(last.targets) == 1 and isinstance(last.targets[0], ast.Name) \
                and last.targets[0].id == name:
            found.append(last.value)
        elif isinstance(last, ast.If):
            inner = _branch_assignments(last, name)
            if inner is None:
                return None
            found.extend(inner)
        else:
            return None
    return found or None


def _is_property(owner, cls, attr):
    for klass, klass_owner in owner.family(cls):
        for stmt in K.body_members(klass).get(attr, ()):
            if isinstance(stmt, K.FUNCS) and K.is_property(stmt):
                return True
            if isinstance(stmt, ast.Assign):
                value = stmt.value
                if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "property":
                    return True
    return False


def direct_need(node, owner) -> Optional[str]:
    """The kind the immediate context of ``node`` needs, if it is a sink."""
    parent = owner.ctx.parent(node)
    if isinstance(parent, ast.Call) and node in parent.args:
        index = parent.args.index(node)
        func = parent.func
        callee = owner.kind(func) if isinstance(func, ast.Name) or owner.ctx.resolve(func) else None
        if isinstance(callee, K.Func) and callee.reason and callee.node is None and callee.cls is None:
            sig = table.FUNCTIONS.get(callee.reason)
            if sig is not None and index < len(sig.params) and sig.params[index] == "B":
                return "B"
        if isinstance(func, ast.Attribute) and callee is None:
            receiver = owner.kind(func.value)
            if isinstance(receiver, K.Obj) and receiver.type:
                sig = table.TYPES.get(receiver.type, {}).get(func.attr)
                if isinstance(sig, table.Sig) and index < len(sig.params) and sig.params[index] == "B":
                    return "B"
    return None


def imported_modules(kinds) -> set:
    found = getattr(kinds, "_pk4_imports", None)
    if found is not None:
        return found
    cached = kinds.ctx.cache.get("pk4.imports") if hasattr(kinds.ctx, "cache") else None
    if cached is not None and cached[0] is kinds.tree:
        kinds._pk4_imports = cached[1]
        return cached[1]
    found = set()
    universe = kinds.universe
    index = kinds.ctx.walk.index
    for node in itertools.chain(index.get(ast.Import, ()), index.get(ast.ImportFrom, ())):
        if type(node) is ast.Import:
            targets = [a.name for a in node.names]
        else:
            module = "." * (node.level or 0) + (node.module or "")
            targets = [module + "." + a.name if module.strip(".") or node.level else a.name for a in node.names]
            targets.append(module)
        for target in targets:
            located = universe.locate(target, kinds) if target.strip(".") or target.startswith(".") else None
            if located is not None:
                found.add(located[0].dotted)
                module, rest = located
                if rest and universe.project is not None and module.dotted + "." + rest[0] in universe.project.paths:
                    found.add(module.dotted + "." + rest[0])
    kinds._pk4_imports = found
    if hasattr(kinds.ctx, "cache"):
        kinds.ctx.cache["pk4.imports"] = (kinds.tree, found)
    return found


# Set by :mod:`fixers.bytes_text`: ``MIXING(ctx, found)`` runs the local mixing rules
# with the current overrides, adds its findings to ``found`` and installs the kinds
# their literal fixes give (layer "mix").
MIXING = None


def plan(ctx):
    """The memoised :class:`Planner` (run) for this file.

    The flow plan and the local literal fixes of the mixing rules feed each
    other (``self.buffer = ''`` becomes ``b''``, so what is read from the buffer
    is bytes, so a body built from it needs no conversion), so they are
    computed in turns until the literal fixes reveal nothing new: the plan of
    the last turn is the one applied.  The same fixed point is reached whether
    the other modules were already fixed or not."""
    planner = ctx.cache.get("pk4.plan")
    if planner is not None:
        return planner
    current = K.analysis(ctx)
    universe = current.universe
    found = {}
    seen = set()
    install_wire(universe, Planner(current).relevant_modules())
    universe.forget()
    for _ in range(4):
        universe.clear_layer("plan")
        universe.forget()
        planner = Planner(current).run()
        ctx.cache["pk4.plan"] = planner
        if MIXING is None:
            break
        fresh = MIXING(ctx, found) - seen
        if not fresh:
            break
        seen |= fresh
        del ctx.cache["pk4.plan"]
    ctx.cache["pk4.plan"] = planner
    spans = [ctx.span(p.node) for p in planner.points if p.owner is current]
    kept = []
    for finding in found.values():
        if any(edit.start < stop and start < edit.end for edit in finding.edits for start, stop in spans):
            ctx.unsettle()  # the plan rewrites that place: the finding waits for the next round
            continue
        kept.append(finding)
    ctx.cache["pk4.mixing"] = kept
    return planner


# ---------------------------------------------------------------------------
# Turning a point into an edit
# ---------------------------------------------------------------------------
def conversion(ctx, point: Point):
    """``(replacement text, description, imports)`` for a point, or None."""
    node = point.node
    value = point.value
    need = point.need
    charset = point.sink.charset if point.sink else "utf-8"
    source = ctx.source(node)
    if need in ("B", "q", "a"):
        found = _to_bytes(ctx, node, value, charset, source, point.owner)
        if found is None and point.sink is not None and point.sink.wire and isinstance(value, K.Str) \
                and value.label == K.NATIVE and not isinstance(node, ast.Constant):
            return ("six.ensure_binary(%s, 'latin-1')" % source,
                    "wrap it in six.ensure_binary(..., 'latin-1') (the same str on 2; a native str goes on "
                    "the wire as latin-1 on 3, as HTTP/1.x heads are)", (SIX,))
        return found
    if need in ("N", "n"):
        return _to_native(ctx, node, value, source, text_ok=(need == "n"))
    if need == "E":
        return _to_environ(ctx, node, value, source)
    return None


def _to_environ(ctx, node, value, source):
    """PEP 3333 environ values: the raw bytes on 2, those bytes decoded as latin-1 on 3."""
    if isinstance(value, K.Str):
        if value.label == K.BYTES:
            return ("six.ensure_str(%s, 'latin-1')" % source,
                    "wrap it in six.ensure_str(..., 'latin-1') (the raw bytes on 2, latin-1 text on 3)", (SIX,))
        if value.label == K.TEXT:
            if isinstance(node, ast.Constant) and K.is_ascii(node.value) and "unicode_literals" not in ctx.future:
                new = _literal_prefix_change(ctx, node, "")
                if new is not None:
                    return new, "drop the u prefix", ()
            return ("six.ensure_str(%s.encode('utf-8'), 'latin-1')" % _atom(ctx, node),
                    "encode it and wrap it in six.ensure_str(..., 'latin-1')", (SIX,))
    return None


def _literal_prefix_change(ctx, node, new_prefix):
    """``'abc'`` → ``b'abc'``: only plain single-token ASCII literals."""
    source = ctx.source(node)
    if not isinstance(node, ast.Constant) or not isinstance(node.value, (str, bytes)):
        return None
    match = re.match(r"^([A-Za-z]*)(['\"])", source)
    if not match:
        return None
    prefix = match.group(1)
    if isinstance(node.value, str) and not K.is_ascii(node.value):
        # '\x8b' written with escapes is one byte on 2: b'\x8b' is the same str there
        if not ("b" in new_prefix and K.is_ascii(source) and "u" not in prefix.lower()
                and "unicode_literals" not in ctx.future):
            return None
    rest = source[len(prefix):]
    # a single string token only (no implicit concatenation)
    try:
        import io
        import tokenize

        tokens = [t for t in tokenize.generate_tokens(io.StringIO(source).readline)
                  if t.type == tokenize.STRING]
    except (tokenize.TokenError, SyntaxError):
        return None
    if len(tokens) != 1:
        return None
    raw = "r" if "r" in prefix.lower() else ""
    if "\\N{" in rest or (not raw and re.search(r"\\[uU]", rest) and "b" in new_prefix):
        return None
    return new_prefix + raw + rest


def _atom(ctx, node):
    text = ctx.source(node)
    if isinstance(node, (ast.Name, ast.Attribute, ast.Call, ast.Subscript, ast.List, ast.Tuple, ast.Dict,
                         ast.ListComp, ast.GeneratorExp)):
        return text
    if isinstance(node, ast.Constant) and isinstance(node.value, (str, bytes)):
        return text
    return "(%s)" % text


def splice(ctx, node, replacements):
    """The source of ``node`` with sub-nodes replaced: ``[(sub, text)]``."""
    start, stop = ctx.span(node)
    pieces = sorted((ctx.span(sub), text) for sub, text in replacements)
    out, at = [], start
    for (a, b), text in pieces:
        out.append(ctx.text[at:a])
        out.append(text)
        at = b
    out.append(ctx.text[at:stop])
    return "".join(out)


_CONVERSION = re.compile(r"%(\([^)]*\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?(.)")


def bytes_format(ctx, node, kinds):
    """``'%s|%s' % (value, stamp)`` → ``b'%s|%s' % (value, stamp.encode('ascii'))``, or None."""
    fmt = node.left
    if not (isinstance(fmt, ast.Constant) and isinstance(fmt.value, str) and K.is_ascii(fmt.value)):
        return None
    convs = [m.group(2) for m in _CONVERSION.finditer(fmt.value) if m.group(2) != "%"]
    if any(m.group(1) for m in _CONVERSION.finditer(fmt.value)):
        return None
    args = node.right.elts if isinstance(node.right, ast.Tuple) else [node.right]
    if len(convs) != len(args) or any(isinstance(a, ast.Starred) for a in args):
        return None
    prefix = _literal_prefix_change(ctx, fmt, "b")
    if prefix is None:
        return None
    replacements = [(fmt, prefix)]
    for conv, arg in zip(convs, args):
        value = kinds.value(arg)
        if conv in "diouxXeEfFgGc":
            if not isinstance(value, K.Other):
                return None
            continue
        if conv != "s":
            return None
        if K.is_sure(value, K.BYTES):
            continue
        if isinstance(value, K.Str) and value.label in (K.NATIVE, K.TEXT):
            if isinstance(arg, ast.Constant):
                new = _literal_prefix_change(ctx, arg, "b")
                if new is None:
                    return None
                replacements.append((arg, new))
            elif value.ascii and isinstance(arg, (ast.Name, ast.Attribute)):
                replacements.append((arg, "six.ensure_binary(%s)" % ctx.source(arg)))
            elif value.ascii or value.label == K.TEXT:
                replacements.append((arg, "%s.encode(%s)" % (_atom(ctx, arg), "'ascii'" if value.ascii
                                                               else "'utf-8'")))
            else:
                return None
            continue
        return None
    return splice(ctx, node, replacements)


def _to_bytes(ctx, node, value, charset, source, owner):
    charset_arg = "'%s'" % charset
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod) and isinstance(value, K.Str) \
            and value.label == K.NATIVE and not value.ascii:
        text = bytes_format(ctx, node, owner)
        if text is not None:
            return text, "make it a bytes format (b'' % ... works on 2.7 and 3.5+)", (SIX,) if "six." in text else ()
    if isinstance(value, K.Str):
        if value.label == K.TEXT:
            if isinstance(node, ast.Constant) and K.is_ascii(node.value) and "unicode_literals" not in ctx.future:
                new = _literal_prefix_change(ctx, node, "b")
                if new is not None:
                    return new, "make it a b'' literal", ()
            return "%s.encode(%s)" % (_atom(ctx, node), charset_arg), "encode it with .encode(%s)" % charset_arg, ()
        if value.label == K.NATIVE:
            if isinstance(node, ast.Constant):
                new = _literal_prefix_change(ctx, node, "b")
                if new is not None:
                    return new, "make it a b'' literal (the same str on 2)", ()
                return "six.ensure_binary(%s)" % source, "wrap it in six.ensure_binary() (the same str on 2)", (SIX,)
            if value.ascii and isinstance(node, (ast.Name, ast.Attribute)):
                return ("six.ensure_binary(%s)" % source,
                        "wrap it in six.ensure_binary() (the same str on 2; bytes pass unchanged)", (SIX,))
            if value.ascii:
                return ("%s.encode('ascii')" % _atom(ctx, node),
                        "encode it (the value is ASCII, so this is the same str on 2)", ())
            if value.latin1 and not value.portable:
                return ("six.ensure_binary(%s, 'latin-1')" % source,
                        "recover the raw bytes with six.ensure_binary(..., 'latin-1') (the same str on 2; on 3 "
                        "latin-1 gives back the bytes 2 held)", (SIX,))
            if value.portable:
                return ("six.ensure_binary(%s)" % source,
                        "wrap it in six.ensure_binary() (the same str on 2, UTF-8 on 3)", (SIX,))
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "join" \
                    and isinstance(node.func.value, ast.Constant) and isinstance(node.func.value.value, str) \
                    and K.is_ascii(node.func.value.value):
                # '\n'.join(lines) of native strs: the same str on 2; on 3 the text is encoded as UTF-8
                return ("six.ensure_binary(%s)" % source,
                        "wrap it in six.ensure_binary() (the same str on 2, UTF-8 on 3)", (SIX,))
            return None
        return None
    if isinstance(value, K.Mixed):
        natives = [p for p in value.parts if p.label == K.NATIVE]
        if any(not p.portable for p in natives):
            return None
        return ("six.ensure_binary(%s, %s)" % (source, charset_arg) if charset != "utf-8"
                else "six.ensure_binary(%s)" % source,
                "wrap it in six.ensure_binary(), which is right for every kind it may have", (SIX,))
    return None


def _to_native(ctx, node, value, source, text_ok=False):
    if isinstance(value, K.Str):
        if value.label == K.BYTES and isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr == "encode" and len(node.args) == 1 and not node.keywords \
                and K.const_str(node.args[0]):
            # x.encode('utf-8') made bytes for 2 only: six.ensure_str encodes on 2, keeps text on 3
            return ("six.ensure_str(%s, %s)" % (ctx.source(node.func.value), ctx.source(node.args[0])),
                    "use six.ensure_str(..., %s) instead (the same str on 2, text on 3)" % ctx.source(node.args[0]),
                    (SIX,))
        if value.label == K.BYTES:
            if isinstance(node, ast.Constant):
                new = _literal_prefix_change(ctx, node, "")
                if new is not None and "unicode_literals" not in ctx.future:
                    return new, "drop the b prefix (the same str on 2)", ()
            if value.codec:
                return ("six.ensure_str(%s, %r)" % (source, value.codec),
                        "wrap it in six.ensure_str(..., %r) (the same str on 2)" % value.codec, (SIX,))
            return "six.ensure_str(%s)" % source, "wrap it in six.ensure_str() (the same str on 2)", (SIX,)
        if value.label == K.TEXT and not text_ok:
            if isinstance(node, ast.Constant) and K.is_ascii(node.value):
                if "unicode_literals" in ctx.future:
                    return "str(%s)" % source, "make it a native str with str()", ()
                new = _literal_prefix_change(ctx, node, "")
                if new is not None:
                    return new, "drop the u prefix", ()
            # six.ensure_str() would encode it on 2.7, where the code after it
            # may well expect the unicode it has today: a person decides
            return None
        return None
    if isinstance(value, K.Mixed) and K.TEXT not in value.labels:
        # BYTES or NATIVE: a str on 2.7 either way, which six.ensure_str() returns as it is
        return "six.ensure_str(%s)" % source, "wrap it in six.ensure_str(), which is right for every kind", (SIX,)
    return None


def message(point: Point, fix_text: Optional[str]) -> str:
    sink = point.sink
    here = point.owner
    value = K.describe(point.value)
    need = NEED_WORD.get(point.need, point.need)
    where = "" if sink.owner is here else " (in %s)" % sink.where()
    text = "%s%s needs %s; %s is %s" % (sink.what, where, need, K.brief(here.ctx, point.node), value)
    if fix_text:
        text += ": %s" % fix_text
    elif isinstance(point.value, K.Str) and point.value.label in (K.NATIVE, K.TEXT) and point.need in ("B", "[B]"):
        # the kind is known; what is not is the encoding of content that may be non-ASCII
        text += ("; it may hold non-ASCII text, so the encoding is a person's choice: encode it where it is "
                 "made (e.g. six.ensure_binary(x) for UTF-8; the same str on 2)")
    else:
        text += "; convert it explicitly where its kind is known"
    return text


# ---------------------------------------------------------------------------
# The base of the flow fixers
# ---------------------------------------------------------------------------
from portkit.fixer import Fixer  # noqa: E402  (kept apart: the planner needs no fixer machinery)


class FlowFixer(Fixer):
    """Reports (and fixes) the points the planner found for this fixer's sinks.

    ``needles`` are empty on purpose: a point may lie in a module that
    mentions nothing of the sink (``Response('', 304)`` in ``views.py``
    feeds the body that ``webutil.py`` hands to the WSGI server), so no word
    of the file can tell that there is nothing to do.

    The kinds its fixes give are seen by every rule in the same round (the
    "plan" layer of overrides); a finding that a point hides unsettles the
    round (see :func:`plan` and ``bytes_text.claimed``).
    """

    node_types = (ast.Module,)  # visited once: the plan covers the whole module
    needles = frozenset()

    def visit(self, node, ctx):
        done = ctx.cache.setdefault("pk4.flow.done", set())
        if self.code in done:
            return
        done.add(self.code)
        planner = plan(ctx)
        for point in planner.points_for(self.code):
            converted = conversion(ctx, point)
            if converted is None:
                ctx.report(point.node, message(point, None))
                continue
            text, description, imports = converted
            ctx.report(point.node, message(point, description), edits=[ctx.replace(point.node, text)],
                       imports=imports)
        for gap in planner.gaps_for(self.code):
            ctx.report(gap.node, message(gap, None))


# ---------------------------------------------------------------------------
# Socket bytes used as native strings (PK423)
# ---------------------------------------------------------------------------
WIRE = "PK423"
_RECV = frozenset(["recv", "recvfrom", "recv_into"])
# str methods whose string arguments must have the receiver's kind on 3, and whose
# result is derived from the receiver (the taint goes on through them)
_DERIVING = frozenset("""split rsplit partition rpartition strip lstrip rstrip lower upper title capitalize
swapcase replace splitlines expandtabs zfill ljust rjust center""".split())
_TESTING = frozenset("startswith endswith find rfind index rindex count".split())
_NEUTRAL_CALLS = frozenset(["builtins.int", "builtins.len", "builtins.float", "builtins.bool"])


class WireDecode:
    """``node`` (a call returning bytes read from a socket) feeds code that treats
    its value as a native str: decode it with latin-1 where it enters."""

    __slots__ = ("node", "owner", "source", "native", "binary", "where")

    def __init__(self, node, owner, source, native, binary, where):
        self.node = node
        self.owner = owner
        self.source = source      # why the value is socket bytes
        self.native = native      # [(node, what)] native-string uses
        self.binary = binary      # [(node, what)] bytes uses
        self.where = where        # "line" / "the parameter line of parse_status_line()"

    @property
    def sure(self):
        return bool(self.native) and not self.binary


def _reads_socket(owner, cls):
    """Does a class of the family of ``cls`` call ``.recv()`` (a socket reader)?"""
    memo = owner.__dict__.setdefault("_pk4_wire_cls", {})
    key = id(cls)
    if key in memo:
        return memo[key]
    memo[key] = None
    found = None
    for klass, klass_owner in owner.family(cls):
        # the module's calls by name, not a walk of the class
        hits = [call for name in _RECV for call in klass_owner.calls_by_name.get(name, ())
                if isinstance(call.func, ast.Attribute) and K.inside(call, klass, klass_owner.ctx)]
        if len(hits) > 1 and len({call.func.attr for call in hits}) > 1:
            first = {id(call) for call in hits}
            hits = [sub for sub in ast.walk(klass) if id(sub) in first]  # the first in ast.walk order
        if hits:
            found = "%s.%s() reads %s" % (klass.name, "%s", K.brief(klass_owner.ctx, hits[0].func, 30))
            break
    memo[key] = found
    return found


_WIRE_READS = frozenset(["recv", "recvfrom", "read", "readline"])


def _def_names(universe) -> frozenset:
    """The names of every function and method of the modules ``universe``
    sees: a method that ``Kinds.method`` finds is one of them."""
    found = getattr(universe, "_pk4_def_names", None)
    if found is None:
        names = set()
        for module in universe.all_modules():
            index = module.ctx.walk.index
            for cls in (ast.FunctionDef, ast.AsyncFunctionDef):
                names.update(node.name for node in index.get(cls, ()))
        found = universe._pk4_def_names = frozenset(names)
    return found


def _wire_source(kinds, call) -> Optional[str]:
    """Why ``call`` returns bytes read from a socket, or None."""
    func = call.func
    if not isinstance(func, ast.Attribute):
        return None
    if func.attr not in _WIRE_READS and func.attr not in _def_names(kinds.universe):
        return None  # no API read, and no method of that name in the project (see below): the receiver is not needed
    receiver = kinds.kind(func.value)
    if isinstance(receiver, K.Obj) and receiver.type == "socket" and func.attr in ("recv", "recvfrom"):
        return "%s reads a socket" % K.brief(kinds.ctx, call, 30)
    if isinstance(receiver, K.Obj) and receiver.type == "sockfile" and func.attr in ("read", "readline"):
        return "%s reads a socket's file (sock.makefile())" % K.brief(kinds.ctx, call, 30)
    if not (isinstance(receiver, K.Obj) and receiver.cls is not None):
        return None
    cls_owner = receiver.owner or kinds
    found = cls_owner.method(receiver.cls, func.attr)
    if found is None:
        return None
    why = _reads_socket(cls_owner, receiver.cls)
    if not why:
        return None
    value = kinds.value(call)
    if not any(part.label == K.BYTES for part in K.strings_of(value)) and not isinstance(value, K.Unknown):
        # NATIVE or Mixed(NATIVE, BYTES) before the buffer literals are fixed: still the socket's bytes
        if not K.strings_of(value):
            return None
    return why % func.attr


def _native_literal(kinds, node) -> Optional[bool]:
    """True: a plain (native) non-empty literal; False: a b'' literal; None: neither."""
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bytes):
            return False
        if isinstance(node.value, str) and node.value and not K.has_u_prefix(kinds.ctx, node) \
                and not kinds.unicode_literals:
            return True
    if isinstance(node, ast.Tuple) and node.elts:
        found = [_native_literal(kinds, e) for e in node.elts]
        if all(f is True for f in found):
            return True
        if any(f is False for f in found):
            return False
    return None


class _Taint:
    """Forward walk of the values derived from one name inside one function."""

    def __init__(self, kinds, func):
        self.kinds = kinds
        self.ctx = kinds.ctx
        self.func = func
        self.native = []
        self.binary = []
        self.names = set()
        self.budget = 200

    def run(self, name):
        todo = [name]
        while todo and self.budget > 0:
            current = todo.pop()
            if current in self.names:
                continue
            self.names.add(current)
            for load in self.kinds.loads_by_name.get(current, ()):
                if K.enclosing_function(self.ctx, load) is self.func:
                    todo.extend(self.use(load))
        return self

    def what(self, node):
        return "%s at line %d" % (K.brief(self.ctx, node, 30), node.lineno)

    def use(self, node):
        """Classify the use of tainted ``node``; the names that become tainted."""
        self.budget -= 1
        if self.budget <= 0:
            return []
        parent = self.ctx.parent(node)
        kinds = self.kinds
        if isinstance(parent, ast.Attribute) and parent.value is node:
            call = self.ctx.parent(parent)
            if not (isinstance(call, ast.Call) and call.func is parent):
                return []
            name = parent.attr
            if name in _DERIVING or name in _TESTING:
                for arg in call.args:
                    lit = _native_literal(kinds, arg)
                    if lit is True:
                        self.native.append((call, self.what(call)))
                    elif lit is False:
                        self.binary.append((call, self.what(call)))
                return self.use(call) if name in _DERIVING else []
            if name == "decode":
                self.binary.append((call, self.what(call)))
            return []
        if isinstance(parent, ast.Subscript) and parent.value is node:
            return self.use(parent)
        if isinstance(parent, ast.Compare):
            others = [parent.left] + list(parent.comparators)
            for other in others:
                if other is node:
                    continue
                lit = _native_literal(kinds, other)
                if lit is True:
                    self.native.append((parent, self.what(parent)))
                elif lit is False:
                    self.binary.append((parent, self.what(parent)))
            return []
        if isinstance(parent, ast.BinOp):
            if isinstance(parent.op, ast.Add):
                other = parent.right if parent.left is node else parent.left
                lit = _native_literal(kinds, other)
                if lit is True:
                    self.native.append((parent, self.what(parent)))
                elif lit is False:
                    self.binary.append((parent, self.what(parent)))
                else:
                    value = kinds.value(other)
                    if isinstance(value, K.Str) and value.label == K.BYTES and not isinstance(other, ast.Name):
                        self.binary.append((parent, self.what(parent)))
                return self.use(parent)
            return []
        if isinstance(parent, (ast.Tuple, ast.List)) and node in parent.elts:
            return self.use(parent)
        if isinstance(parent, ast.Assign) and parent.value is node:
            names = []
            for target in parent.targets:
                names.extend(K._target_names(target))
            return names
        if isinstance(parent, ast.Call) and node in parent.args:
            callee = kinds.kind(parent.func) if isinstance(parent.func, (ast.Name, ast.Attribute)) else None
            if isinstance(callee, K.Func) and callee.node is None and callee.cls is None and callee.reason:
                if callee.reason in _NEUTRAL_CALLS:
                    return []
                sig = table.FUNCTIONS.get(callee.reason)
                index = parent.args.index(node)
                if sig is not None and index < len(sig.params) and sig.params[index] == "B":
                    self.binary.append((parent, self.what(parent)))
            elif isinstance(parent.func, ast.Attribute):
                receiver = kinds.kind(parent.func.value)
                if isinstance(receiver, K.Obj) and receiver.type:
                    sig = table.TYPES.get(receiver.type, {}).get(parent.func.attr)
                    index = parent.args.index(node)
                    if isinstance(sig, table.Sig) and index < len(sig.params) and sig.params[index] == "B":
                        self.binary.append((parent, self.what(parent)))
            return []
        return []


def _param_taint(kinds, call, arg_node, depth=0):
    """The uses of the parameter that ``arg_node`` (an argument of ``call``) binds, in
    the called project function; None when the callee or the parameter is not known."""
    func = call.func
    callee = kinds.kind(func) if isinstance(func, (ast.Name, ast.Attribute)) else None
    if not (isinstance(callee, K.Func) and callee.node is not None and isinstance(callee.node, K.FUNCS)):
        return None
    target = callee.node
    owner = callee.owner or kinds
    if call.keywords or any(isinstance(a, ast.Starred) for a in call.args):
        return None
    params = K.positional_params(target)
    shift = 1 if isinstance(func, ast.Attribute) and callee.cls is not None and not K.is_static(target) else 0
    index = call.args.index(arg_node) + shift
    if index >= len(params):
        return None
    name = params[index].arg
    defs = owner.defs_in(target, name)
    if len(defs) != 1 or defs[0].kind != "param":
        return None  # rebound in the function
    return _Taint(owner, target).run(name), "the parameter %s of %s()" % (name, target.name)


def wire_decodes(kinds) -> List[WireDecode]:
    """The socket-bytes values of module ``kinds`` that enter native-string code."""
    found = getattr(kinds, "_pk4_wire", None)
    if found is not None:
        return found
    found = []
    kinds._pk4_wire = found
    if kinds.unicode_literals:
        return found  # plain literals are text there: no native-string evidence to read
    for calls in kinds.calls_by_name.values():
        for call in calls:
            parent = kinds.ctx.parent(call)
            if isinstance(parent, ast.Assign) and parent.value is call and len(parent.targets) == 1 \
                    and isinstance(parent.targets[0], ast.Name):
                func = K.enclosing_function(kinds.ctx, call)
                if func is None or isinstance(func, ast.Lambda):
                    continue
                name = parent.targets[0].id
                if len(kinds.defs_in(func, name)) != 1:
                    continue
                source = _wire_source(kinds, call)
                if source is None:
                    continue
                taint = _Taint(kinds, func).run(name)
                where = name
            elif isinstance(parent, ast.Call) and call in parent.args:
                if not isinstance(call.func, ast.Attribute):
                    continue
                source = _wire_source(kinds, call)
                if source is None:
                    continue
                found_taint = _param_taint(kinds, parent, call)
                if found_taint is None:
                    continue
                taint, where = found_taint
            else:
                continue
            if taint.native or taint.binary:
                found.append(WireDecode(call, kinds, source, taint.native, taint.binary, where))
    return found


def install_wire(universe, modules):
    """Let every rule see the sure decodes as native strs (layer "wire")."""
    universe.clear_layer("wire")
    if not any("recv" in text or "makefile" in text
               for text in (getattr(module.ctx, "text", "") or "" for module in modules)):
        return  # no socket is read in these modules: nothing to decode (a cheap gate)
    for module in modules:
        for decode in wire_decodes(module):
            if decode.sure:
                universe.override(module, decode.node, K.Str(
                    K.NATIVE, "%s, decoded as latin-1 once fixed" % K.brief(module.ctx, decode.node, 30),
                    latin1=True), "wire")
