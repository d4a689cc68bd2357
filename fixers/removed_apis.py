"""Standard-library functions and methods that Python 3.9-3.13 removed while
their modules stayed: ``base64.encodestring``, ``Thread.isAlive``,
``inspect.getargspec``, and the ``getheaders`` message API."""
from __future__ import annotations

import ast

from portkit.fixer import Example, Fixer
from portkit.fixutil import SIX
from portkit.model import ImportRequest
from portkit.registry import register

from portkit.model import Edit

from ._classic import FUNCTIONS, attribute_assignments, class_members, indent_of, insert_after_member, \
    plain_assignments
from ._stdlib_common import module_visible
from .renamed_attributes import Outcome, _StdlibNames


def _py2_branch(ctx, node) -> bool:
    """Is ``node`` the Python 2 branch of ``(a if six.PY2 else b)`` (or of
    ``(b if six.PY3 else a)``): one of these fixers' own rewrites?"""
    parent = ctx.parent(node)
    if not isinstance(parent, ast.IfExp):
        return False
    test = ctx.resolve(parent.test)
    return (parent.body is node and test == "six.PY2") or (parent.orelse is node and test == "six.PY3")


# ---------------------------------------------------------------------------
_BASE64 = {"base64.encodestring": "encodebytes", "base64.decodestring": "decodebytes"}


class _NotInPy2Branch(_StdlibNames):
    """Names this module's fixers write as ``(old if six.PY2 else new)``: the
    Python 2 branch of that is left alone."""

    def report_use(self, ctx, ref, target):
        return not _py2_branch(ctx, ref)

    def _report(self, ctx, ref, target):
        if not _py2_branch(ctx, ref):
            super()._report(ctx, ref, target)


@register
class Base64Legacy(_NotInPy2Branch):
    code = "PK268"
    name = "base64-encodestring"
    summary = "base64.encodestring / decodestring are gone in Python 3.9 (encodebytes / decodebytes)"
    explanation = """
    What it does: rewrites ``base64.encodestring`` to ``(base64.encodestring
    if six.PY2 else base64.encodebytes)``, and ``decodestring`` the same way
    with ``decodebytes``.  A name imported with ``from base64 import
    encodestring`` is rewritten at each use, and the import goes.

    Why: Python 3.9 removed the two names.  Python 2.7 has no
    ``encodebytes`` / ``decodebytes``, so the new names alone would break 2.7.

    Fix safety: exact on 2.7, where the expression is the old function itself.
    On 3 ``encodebytes`` does what ``encodestring`` did (it takes bytes, like
    every base64 function there; PK406 deals with text given to it).
    """
    examples = (
        Example("import base64\nbody = base64.encodestring(data)\n",
                "import base64\nimport six\nbody = (base64.encodestring if six.PY2 else base64.encodebytes)(data)\n"),
        Example("from base64 import decodestring\nraw = decodestring(body)\n",
                "import base64\nimport six\nraw = (base64.decodestring if six.PY2 else base64.decodebytes)(body)\n",
                title="A from-import: each use, then the import goes"),
    )
    rules = _BASE64
    needles = frozenset(["encodestring", "decodestring"])


    def outcome(self, ctx, ref, target):
        old = target.rsplit(".", 1)[1]
        new = _BASE64[target]
        message = "base64.%s is gone in Python 3.9: use base64.%s there (2.7 has only %s)" % (old, new, old)
        if type(ref.ctx) is not ast.Load or not module_visible(ctx, ref, "six"):
            return Outcome(message)
        if isinstance(ref, ast.Attribute):
            module = ctx.source(ref.value)
            return Outcome(message, [ctx.replace(ref, "(%s.%s if six.PY2 else %s.%s)" % (module, old, module, new))],
                           [SIX])
        if not module_visible(ctx, ref, "base64"):
            return Outcome(message)
        return Outcome(message, [ctx.replace(ref, "(base64.%s if six.PY2 else base64.%s)" % (old, new))],
                       [ImportRequest("base64"), SIX])


# ---------------------------------------------------------------------------
_THREAD_MAKERS = frozenset(["threading.Thread", "threading.Timer", "threading.currentThread",
                            "threading.current_thread", "threading._MainThread"])


def _thread_classes(ctx):
    """Names of the classes of this module that derive (in the module) from threading.Thread."""
    found = ctx.cache.get("apis.thread_classes")
    if found is None:
        found = set()
        classes = [c for c in ctx.walk.index.get(ast.ClassDef, ())]
        changed = True
        while changed:
            changed = False
            for cls in classes:
                if cls.name in found:
                    continue
                for base in cls.bases:
                    if ctx.resolve(base) in ("threading.Thread", "threading.Timer") or (
                            isinstance(base, ast.Name) and base.id in found):
                        found.add(cls.name)
                        changed = True
                        break
        ctx.cache["apis.thread_classes"] = found
    return found


def _makes_thread(ctx, node) -> bool:
    if not isinstance(node, ast.Call):
        return False
    if ctx.resolve(node.func) in _THREAD_MAKERS:
        return True
    return isinstance(node.func, ast.Name) and node.func.id in _thread_classes(ctx) and \
        ctx.walk.defining_scope(node.func.id, node.func._pk_scope) is ctx.walk.module_scope


def _is_thread(ctx, receiver) -> bool:
    """Is ``receiver`` provably a threading.Thread (or a subclass of the module)?"""
    if _makes_thread(ctx, receiver):
        return True
    if isinstance(receiver, ast.Name) and receiver.id == "self":
        node = receiver
        while node is not None and not isinstance(node, FUNCTIONS):
            node = ctx.parent(node)
        cls = ctx.parent(node) if node is not None else None
        return isinstance(cls, ast.ClassDef) and cls.name in _thread_classes(ctx) and bool(
            node.args.args) and node.args.args[0].arg == "self" and not node.decorator_list
    if isinstance(receiver, ast.Name):
        scope = ctx.walk.defining_scope(receiver.id, receiver._pk_scope)
        if scope is None or scope.kind == "class":
            return False
        if scope.kind == "function":
            args = scope.node.args
            if receiver.id in [a.arg for a in list(getattr(args, "posonlyargs", ())) + args.args + args.kwonlyargs]:
                return False
        values = plain_assignments(ctx, receiver.id, scope)
        return bool(values) and all(_makes_thread(ctx, v) for v in values)
    if isinstance(receiver, ast.Attribute) and isinstance(receiver.value, ast.Name):
        values = attribute_assignments(ctx, receiver.attr)
        return bool(values) and all(_makes_thread(ctx, v) for v in values)
    return False


@register
class ThreadIsAlive(Fixer):
    code = "PK269"
    name = "thread-isalive"
    summary = "Thread.isAlive() is gone in Python 3.9: use is_alive()"
    explanation = """
    What it does: rewrites ``t.isAlive`` to ``t.is_alive`` where ``t`` is
    known to be a ``threading.Thread``: a ``threading.Thread(...)``,
    ``threading.Timer(...)`` or ``threading.current_thread()`` /
    ``currentThread()`` value, an instance of a class of this module derived
    from ``threading.Thread``, ``self`` in a method of such a class, or a
    name or attribute only ever assigned one of those.  Other ``isAlive``
    receivers are reported.

    Why: Python 3.9 removed ``Thread.isAlive``; ``is_alive`` exists on 2.7
    (since 2.6) and 3.

    Fix safety: exact on 2.7, where ``Thread.is_alive`` and
    ``Thread.isAlive`` are the same function.  Not rewritten when this
    module defines its own ``isAlive`` (a subclass may override it), or when
    the receiver is not known to be a thread (another class's ``isAlive``
    would be lost).  A subclass in another module that overrides
    ``isAlive`` (and not ``is_alive``) would no longer be called through
    ``self.is_alive()``: check such subclasses.
    """
    examples = (
        Example("import threading\nworker = threading.Thread(target=run)\nworker.start()\n"
                "while worker.isAlive():\n    pass\n",
                "import threading\nworker = threading.Thread(target=run)\nworker.start()\n"
                "while worker.is_alive():\n    pass\n"),
        Example("import threading\n\nclass Poller(threading.Thread):\n    def stop(self):\n"
                "        return self.isAlive()\n",
                "import threading\n\nclass Poller(threading.Thread):\n    def stop(self):\n"
                "        return self.is_alive()\n", title="self in a Thread subclass"),
        Example("def wait(job):\n    return job.isAlive()\n", None, title="Not known to be a thread: reported",
                findings=("PK269",)),
    )
    needles = frozenset(["isAlive"])
    node_types = (ast.Attribute,)

    def visit(self, node, ctx):
        if node.attr != "isAlive" or type(node.ctx) is not ast.Load:
            return
        message = "Thread.isAlive() is gone in Python 3.9: use is_alive() (2.7 has it)"
        own = any(isinstance(f, FUNCTIONS) and f.name == "isAlive" for f in ctx.walk.index.get(ast.FunctionDef, ()))
        if own:
            ctx.report(node, message + "; not rewritten: this module defines its own isAlive()")
            return
        if not _is_thread(ctx, node.value):
            ctx.report(node, message + " if %s is a threading.Thread; not rewritten: nothing here shows that it is"
                       % ctx.source(node.value))
            return
        start = ctx.end(node) - len("isAlive")
        if ctx.text[start:ctx.end(node)] != "isAlive":
            ctx.report(node, message)
            return
        ctx.report(node, message, edits=[ctx.replace_span(start, ctx.end(node), "is_alive")])


# ---------------------------------------------------------------------------
_ARGSPEC_FIELDS = {"args": "args", "varargs": "varargs", "defaults": "defaults", "keywords": "varkw"}


@register
class GetArgSpec(_NotInPy2Branch):
    code = "PK270"
    name = "inspect-getargspec"
    summary = "inspect.getargspec() is gone in Python 3.11 (getfullargspec returns 7 fields)"
    explanation = """
    What it does: where the result of ``inspect.getargspec(f)`` is only read
    through ``.args``, ``.varargs``, ``.defaults`` or ``.keywords``, or
    unpacked into four names, rewrites the call to
    ``(inspect.getargspec if six.PY2 else inspect.getfullargspec)(f)``
    (``.keywords`` becomes ``[2]``, the unpacking takes ``[:4]``).  Other
    uses are reported.

    Why: Python 3.11 removed ``getargspec``.  ``getfullargspec`` returns a
    7-field ``FullArgSpec`` whose third field is called ``varkw``, so it is
    not a drop-in replacement: a 4-name unpacking fails, and ``.keywords``
    does not exist.

    Fix safety: exact on 2.7, where the expression is ``getargspec`` itself,
    and ``ArgSpec[2]`` is ``.keywords`` and ``ArgSpec[:4]`` the whole tuple.
    """
    examples = (
        Example("import inspect\nnames = inspect.getargspec(func).args\n",
                "import inspect\nimport six\nnames = (inspect.getargspec if six.PY2 else inspect.getfullargspec)"
                "(func).args\n"),
        Example("import inspect\nargs, varargs, kw, defaults = inspect.getargspec(func)\n",
                "import inspect\nimport six\nargs, varargs, kw, defaults = (inspect.getargspec if six.PY2 else "
                "inspect.getfullargspec)(func)[:4]\n", title="Unpacked into four names"),
        Example("import inspect\nspec = inspect.getargspec(func)\n", None, title="Kept whole: reported",
                findings=("PK270",)),
    )
    rules = {"inspect.getargspec": "getfullargspec"}
    needles = frozenset(["getargspec"])


    def outcome(self, ctx, ref, target):
        message = ("inspect.getargspec() is gone in Python 3.11: on 3 use inspect.getfullargspec(), whose result "
                   "has 7 fields (varkw for keywords)")
        call = ctx.parent(ref)
        if not (isinstance(call, ast.Call) and call.func is ref) or not module_visible(ctx, ref, "six"):
            return Outcome(message)
        if isinstance(ref, ast.Attribute):
            module = ctx.source(ref.value)
        elif module_visible(ctx, ref, "inspect"):
            module = "inspect"
        else:
            return Outcome(message)
        imports = [SIX] + ([ImportRequest("inspect")] if isinstance(ref, ast.Name) else [])
        func = "(%s.getargspec if six.PY2 else %s.getfullargspec)" % (module, module)
        user = ctx.parent(call)
        if isinstance(user, ast.Attribute) and user.value is call and user.attr in _ARGSPEC_FIELDS:
            if user.attr == "keywords":
                start = ctx.end(call)
                return Outcome(message, [ctx.replace(ref, func), ctx.replace_span(start, ctx.end(user), "[2]")],
                               imports)
            return Outcome(message, [ctx.replace(ref, func)], imports)
        if isinstance(user, ast.Assign) and user.value is call and len(user.targets) == 1 and isinstance(
                user.targets[0], (ast.Tuple, ast.List)) and len(user.targets[0].elts) == 4 and not any(
                isinstance(e, ast.Starred) for e in user.targets[0].elts):
            end = ctx.end(call)
            return Outcome(message, [ctx.replace(ref, func), ctx.replace_span(end, end, "[:4]")], imports)
        return Outcome(message + "; the result is kept whole: rewrite its uses, e.g. getattr(inspect, "
                                 "'getfullargspec', inspect.getargspec)(f)[:4]")


# ---------------------------------------------------------------------------
@register
class MessageGetHeaders(Fixer):
    code = "PK271"
    name = "message-getheaders"
    summary = "the mimetools / rfc822 header API (getheaders) is get_all() on Python 3"
    explanation = """
    What it does: a class (based on ``object`` alone) that defines
    ``getheaders(self, name)`` without ``get_all`` (a stand-in for a
    response's ``info()`` message, as cookie-handling tests write) gets
    ``def get_all(self, name, default=None): return self.getheaders(name) or
    default`` after that method.  Calls ``msg.getheaders(name)`` with one
    argument are reported.

    Why: Python 2's ``mimetools.Message`` / ``rfc822.Message`` (what
    ``urllib2`` responses' ``info()`` returns, and what ``cookielib`` reads)
    have ``getheaders(name)``; Python 3's ``email.message.Message`` has
    ``get_all(name, failobj)`` instead, and ``http.cookiejar`` calls that.
    A stand-in class needs both methods.  A caller needs
    ``msg.get_all(name, [])`` on 3, e.g.
    ``(msg.getheaders(name) if six.PY2 else msg.get_all(name, []))``.
    A call is not rewritten: the receiver's class decides.

    Fix safety: on 2.7 nothing calls ``get_all`` on such an object (the
    2.7 library uses ``getheaders``), so adding it changes nothing there.  A
    class with other bases (one may define ``get_all``) is reported.
    """
    examples = (
        Example("class FakeHeaders(object):\n    def __init__(self, headers):\n        self.headers = headers\n\n"
                "    def getheaders(self, name):\n        return self.headers.get(name.lower(), [])\n",
                "class FakeHeaders(object):\n    def __init__(self, headers):\n        self.headers = headers\n\n"
                "    def getheaders(self, name):\n        return self.headers.get(name.lower(), [])\n\n"
                "    def get_all(self, name, default=None):\n        return self.getheaders(name) or default\n"),
        Example("cookies = response.info().getheaders('Set-Cookie')\n", None, findings=("PK271",)),
        Example("pairs = response.getheaders()\n", None, title="HTTPResponse.getheaders() exists on 3"),
    )
    needles = frozenset(["getheaders"])
    node_types = (ast.ClassDef, ast.Call)

    def visit(self, node, ctx):
        if type(node) is ast.ClassDef:
            members = class_members(node)
            method = members.get("getheaders")
            if isinstance(method, FUNCTIONS) and "get_all" not in members and len(method.args.args) == 2:
                message = ("class %s has getheaders() but not get_all(): Python 3's http.cookiejar and email API "
                           "call get_all(name, default)" % node.name)
                plain = all(isinstance(b, ast.Name) and b.id == "object" and ctx.is_builtin(b, "object")
                            for b in node.bases) and not node.keywords
                edit = None
                if plain and method.args.args[0].arg == "self":
                    indent = indent_of(ctx, method)
                    edit = insert_after_member(
                        ctx, method, "\n%sdef get_all(self, name, default=None):\n%s    return self.getheaders(name) "
                                     "or default" % (indent, indent))
                    if edit is not None and edit.replacement.startswith(indent + "\n"):
                        edit = Edit(edit.start, edit.end, edit.replacement[len(indent):])
                    elif edit is not None:
                        edit = None  # the method ends the file without a newline: reported
                if edit is None:
                    ctx.report(method, message + "; add def get_all(self, name, default=None): return "
                                                 "self.getheaders(name) or default")
                else:
                    ctx.report(method, message + ": get_all() added, built on getheaders()", edits=[edit])
            return
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr == "getheaders" and len(node.args) == 1 \
                and not node.keywords and not (isinstance(func.value, ast.Name) and func.value.id == "self"):
            ctx.report(func, "%s.getheaders(name) is the Python 2 message API: on 3 an email.message.Message "
                             "has get_all(name, []) instead; write (m.getheaders(n) if six.PY2 else "
                             "m.get_all(n, [])) if it is a response's message" % ctx.source(func.value))
