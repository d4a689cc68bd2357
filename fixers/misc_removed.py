"""Builtins and protocol methods that Python 3 dropped, not covered elsewhere:
``StandardError``, ``reload``, ``round`` semantics, ``__coerce__``/``__oct__``/``__hex__``,
and ``translate`` with a ``deletechars`` argument."""
from __future__ import annotations

import ast

from portkit.fixer import Example, Fixer
from portkit.fixutil import SIX
from portkit.kinds import enclosing_class, enclosing_function
from portkit.registry import register

from fixers._classic import class_members


@register
class RemovedBuiltinsMisc(Fixer):
    code = "PK236"
    name = "removed-builtins-misc"
    summary = "StandardError / reload() are gone and round() changed on Python 3"
    explanation = """
    What it does: rewrites the builtin ``reload`` to ``six.moves.reload_module``
    (the builtin on 2, ``importlib.reload`` on 3).  Reports the builtin
    ``StandardError`` (Python 3 has no such class; ``Exception`` is the
    nearest, but on 2.7 it also covers ``StopIteration`` and warnings, so the
    choice is a person's) and ``round(x)`` with one argument (Python 3 rounds
    halves to even and returns an int, 2.7 rounds away from zero and returns
    a float).
    """
    examples = (
        Example("reload(settings)\n", "import six\nsix.moves.reload_module(settings)\n"),
        Example("try:\n    run()\nexcept StandardError:\n    pass\n", None, findings=("PK236",),
                title="StandardError: reported"),
        Example("n = round(2.5)\n", None, findings=("PK236",), title="round(): reported"),
        Example("n = round(2.567, 2)\n", None, title="round with ndigits keeps a float on both"),
    )
    needles = frozenset(["StandardError", "reload", "round"])
    node_types = (ast.Name,)
    names_only = True

    def visit(self, node, ctx):
        name = node.id
        if name not in self.needles or type(node.ctx) is not ast.Load or not ctx.is_builtin(node, name):
            return
        if name == "reload":
            ctx.report(node, "reload() is gone in Python 3: use six.moves.reload_module()",
                       edits=[ctx.replace(node, "six.moves.reload_module")], imports=[SIX])
        elif name == "StandardError":
            ctx.report(node, "StandardError is gone in Python 3: catch Exception (which on 2.7 also "
                             "covers StopIteration and warnings) or the specific classes")
        else:
            parent = ctx.parent(node)
            if isinstance(parent, ast.Call) and parent.func is node and len(parent.args) == 1 and not parent.keywords \
                    and not isinstance(parent.args[0], ast.Starred):
                ctx.report(node, "round(x) returns an int and rounds halves to even on Python 3: "
                                 "use int(math.floor(x + 0.5)) or decimal where 2.7's result matters")


@register
class RemovedSpecialMethods(Fixer):
    code = "PK237"
    name = "removed-special-methods"
    summary = "__coerce__ / __oct__ / __hex__ are never called on Python 3"
    fixable = False
    explanation = """
    What it does: reports classes that define ``__coerce__``, ``__oct__`` or
    ``__hex__``.

    Why: Python 3 calls none of them: mixed-type arithmetic goes through the
    reflected methods (``__radd__``...), and ``oct()``/``hex()`` use
    ``__index__``.  Define ``__index__`` (for integer-like classes) or the
    reflected operators instead; the old methods can stay for 2.7.
    """
    examples = (
        Example("class Flags(object):\n    def __hex__(self):\n        return hex(self.value)\n", None,
                findings=("PK237",)),
    )
    needles = frozenset(["__coerce__", "__oct__", "__hex__"])
    node_types = (ast.FunctionDef,)

    def visit(self, node, ctx):
        cls = ctx.parent(node)
        if node.name in self.needles and isinstance(cls, ast.ClassDef):
            if node.name == "__coerce__":
                hint = "define the reflected operators"
            elif "__index__" in class_members(cls):
                # the class has __index__ already: Python 3's hex()/oct() use it, and
                # format it themselves ('0x...'), whatever this method returned on 2
                hint = "%s() calls __index__ instead and formats it itself: check that it gives the same text" % (
                    node.name.strip("_"))
            else:
                hint = "define __index__"
            ctx.report(node, "%s is never called on Python 3: %s" % (node.name, hint))


@register
class TranslateDeleteChars(Fixer):
    code = "PK238"
    name = "translate-deletechars"
    summary = "str.translate(table, deletechars) has no second argument on Python 3"
    explanation = """
    What it does: ``s.translate(None, deletechars)`` (no table, only
    characters to delete) becomes

    * ``s.translate(None, b'...')`` when ``s`` is known to be BYTES and
      ``deletechars`` is a plain literal: ``bytes.translate`` keeps the
      two-argument form on 3, and ``b''`` is the same ``str`` on 2.7;
    * ``(s.translate(None, chars) if six.PY2 else
      s.translate(str.maketrans('', '', chars)))`` when ``s`` is known to be
      a native str or text and ``chars`` is a plain literal or a simple
      name: the same call on 2.7 (``s`` is evaluated once, in the branch
      taken), and Python 3's way of deleting characters from a ``str``.

    Other two-argument calls (a real table, a receiver of unknown kind) are
    reported.

    Why: on 2.7 that form works on byte strings; Python 3's ``str.translate``
    takes one mapping (characters to delete map to None), while
    ``bytes.translate(table, delete)`` keeps the two-argument form.  Decide
    whether ``s`` is bytes or text, then use ``bytes.translate`` or build the
    mapping with ``str.maketrans('', '', deletechars)``.
    """
    examples = (
        Example("def clean(raw):\n    return raw.translate(None, '\\r\\n')\n", None, findings=("PK238",),
                title="Kind unknown: reported"),
        Example("def slug():\n    name = 'a-b'\n    return name.translate(None, '-')\n",
                "import six\ndef slug():\n    name = 'a-b'\n    return (name.translate(None, '-') "
                "if six.PY2 else name.translate(str.maketrans('', '', '-')))\n",
                title="A native str"),
        Example("import os\ntoken = os.urandom(8).translate(None, '\\x00')\n",
                "import os\ntoken = os.urandom(8).translate(None, b'\\x00')\n", title="Bytes"),
        Example("clean = text.translate(table)\n", None),
    )
    needles = frozenset(["translate"])
    node_types = (ast.Call,)

    def visit(self, node, ctx):
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr == "translate" and len(node.args) == 2 and not node.keywords:
            if self._own_method(func.value, ctx):
                return
            if ctx.parent(node) is not None and self._py2_branch(ctx, node):
                return
            message = ("translate() with deletechars: on Python 3 only bytes.translate takes two "
                       "arguments; for text use str.maketrans('', '', deletechars)")
            table, chars = node.args
            label = self._label(ctx, func.value) if self._no_table(table) else None
            literal = isinstance(chars, ast.Constant) and type(chars.value) is str
            text = ctx.source(chars)
            if label == "BYTES" and literal and text[:1] in "'\"" and "unicode_literals" not in ctx.future:
                ctx.report(func, message + ": the receiver is bytes, so the deleted characters become b''",
                           edits=[ctx.replace(chars, "b" + text)])
                return
            if label in ("NATIVE", "TEXT") and (literal or isinstance(chars, ast.Name)):
                receiver = ctx.source(func.value)
                if not isinstance(func.value, (ast.Name, ast.Attribute, ast.Call, ast.Subscript, ast.Constant)):
                    receiver = "(%s)" % receiver
                new = "(%s if six.PY2 else %s.translate(str.maketrans('', '', %s)))" % (
                    ctx.source(node), receiver, text)
                ctx.report(func, message + ": the receiver is a native str or text", edits=[ctx.replace(node, new)],
                           imports=[SIX])
                return
            ctx.report(func, message)

    @staticmethod
    def _no_table(node) -> bool:
        return isinstance(node, ast.Constant) and node.value is None

    @staticmethod
    def _py2_branch(ctx, node) -> bool:
        parent = ctx.parent(node)
        return isinstance(parent, ast.IfExp) and parent.body is node and ctx.resolve(parent.test) == "six.PY2"

    @staticmethod
    def _label(ctx, node):
        """BYTES, NATIVE or TEXT when the inference is sure of ``node``'s kind."""
        try:
            from portkit import kinds as K
            strings = K.strings_of(K.kind_of(ctx, node))
        except Exception:  # the inference must never stop this fixer
            return None
        labels = {s.label for s in strings}
        return labels.pop() if len(labels) == 1 else None

    @staticmethod
    def _own_method(receiver, ctx) -> bool:
        """``self.translate(a, b)`` in a method of a class that defines translate itself."""
        if not (isinstance(receiver, ast.Name) and receiver.id in ("self", "cls")):
            return False
        method = enclosing_function(ctx, receiver)
        cls = enclosing_class(ctx, method) if method is not None else None
        return cls is not None and "translate" in class_members(cls)
