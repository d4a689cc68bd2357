"""Builtins that Python 3 removed or changed: input, file, execfile, reduce,
intern, apply, buffer, cmp, coerce, and the ``cmp=`` argument of sorting."""
from __future__ import annotations

import ast
import io
import tokenize

from portkit.fixer import Example, Fixer
from portkit.fixutil import SIX, atom, defined_functions, is_loose
from portkit.model import ImportRequest
from portkit.registry import register

from fixers._classic import argument, builtin_visible, simple_reference

FUNCTOOLS = ImportRequest("functools")


def _builtin_name(node, ctx, name) -> bool:
    return type(node) is ast.Name and node.id == name and type(node.ctx) is ast.Load and ctx.is_builtin(node, name)


def _called(node, ctx) -> bool:
    parent = ctx.parent(node)
    return isinstance(parent, ast.Call) and parent.func is node


def _plain_call(call: ast.Call) -> bool:
    """Positional arguments only, none of them starred."""
    return not call.keywords and not any(isinstance(a, ast.Starred) for a in call.args)


def _module_name_free(ctx, node, name, module) -> bool:
    """Does ``name`` at ``node`` mean the module ``module`` or nothing yet?"""
    found, target = ctx.walk.binding(name, node._pk_scope)
    return not found or target == module


class _ReportBuiltin(Fixer):
    """Base: report every use of a builtin that Python 3 removed."""

    target = ""
    advice = ""
    fixable = False
    node_types = (ast.Name,)
    names_only = True

    def visit(self, node, ctx):
        if node.id != self.target or not _builtin_name(node, ctx, self.target):
            return
        ctx.report(node, "%s() is gone in Python 3: %s" % (self.target, self.advice))


@register
class Input(_ReportBuiltin):
    code = "PK215"
    name = "input-eval"
    summary = "input() evaluates what the user types on Python 2"
    target = "input"
    needles = frozenset(["input"])
    explanation = """
    What it does: reports every use of the builtin ``input``.

    Why: Python 2's ``input()`` is ``eval(raw_input())``: typing ``3`` gives
    the int 3, typing ``__import__('os').system(...)`` runs it.  Python 3's
    ``input()`` returns the text.  No rewrite keeps both behaviours, and the
    eval is almost never wanted.

    Fix by hand: ``six.moves.input()`` (``raw_input`` on 2, ``input`` on 3)
    and parse the text explicitly: ``int(...)``, ``float(...)``, or
    ``ast.literal_eval(...)`` for Python literals.  A module that imports
    ``input`` from ``six.moves`` (or defines its own) is not reported.
    """
    examples = (
        Example("age = input('Age: ')\n", None, findings=("PK215",)),
        Example("from six.moves import input\nname = input('Name: ')\n", None, title="Already portable"),
    )

    def visit(self, node, ctx):
        if node.id != "input" or not _builtin_name(node, ctx, "input"):
            return
        ctx.report(node, "input() evaluates the typed text on Python 2 and returns it on Python 3: use "
                   "six.moves.input() and parse the text explicitly (int(), ast.literal_eval())")


@register
class FileBuiltin(Fixer):
    code = "PK216"
    name = "file-builtin"
    summary = "file() does not exist on Python 3: use open()"
    explanation = """
    What it does: rewrites calls of the builtin ``file(...)`` to
    ``open(...)`` with the same arguments; reports other uses of the name
    (``isinstance(f, file)``, ``class Log(file)``).

    Why: ``file`` is gone in Python 3.  On 2.7 ``open(name, mode, buffering)``
    is ``file(name, mode, buffering)``, so the call keeps its behaviour there;
    on Python 3 ``open`` is ``io.open`` (text mode decodes: see the PK4
    rules on bytes and text for what the file is used for).

    Not rewritten: a call where ``open`` is rebound (a parameter or import
    called ``open`` would be called instead), and the type itself, whose
    Python 3 counterparts (``io.IOBase``, ``io.TextIOWrapper``...) are not the
    type of 2.7 file objects.
    """
    examples = (
        Example("data = file(path, 'rb').read()\n", "data = open(path, 'rb').read()\n"),
        Example("ok = isinstance(out, file)\n", None, title="The type: reported", findings=("PK216",)),
        Example("def f(file):\n    return file.read()\n", None, title="A parameter is not the builtin"),
    )
    needles = frozenset(["file"])
    node_types = (ast.Name,)
    names_only = True

    def visit(self, node, ctx):
        if node.id != "file" or not _builtin_name(node, ctx, "file"):
            return
        if not _called(node, ctx):
            ctx.report(node, "the file type is gone in Python 3 (files are io objects there): "
                       "use io.IOBase / hasattr(f, 'read') checks, by hand")
            return
        if not builtin_visible(ctx, node, "open"):
            ctx.report(node, "file() is gone in Python 3: use open(); not rewritten: open is rebound here")
            return
        ctx.report(node, "file() is gone in Python 3: use open()", edits=[ctx.replace(node, "open")])


@register
class ExecFile(Fixer):
    code = "PK217"
    name = "execfile"
    summary = "execfile() does not exist on Python 3"
    explanation = """
    What it does: rewrites ``execfile(path[, globals[, locals]])`` to
    ``six.exec_(compile(open(path, 'rb').read(), path, 'exec')[, globals[, locals]])``.

    Why: ``execfile`` is gone in Python 3.  The replacement is equivalent on
    2.7 and 3: the file is read as bytes so that ``compile`` honours its
    coding declaration as ``execfile`` did; ``six.exec_`` without namespaces
    runs the code in the caller's globals and locals, as ``execfile`` does;
    the file name given to ``compile`` keeps tracebacks pointing at the file.
    (The file object is closed when it is garbage collected, at once on
    CPython.)

    Not rewritten (reported): a path that is not a plain name, attribute or
    string literal (it would be evaluated twice), keyword or ``*`` arguments,
    and uses of ``execfile`` other than a call.
    """
    examples = (
        Example("execfile('local.py')\n",
                "import six\nsix.exec_(compile(open('local.py', 'rb').read(), 'local.py', 'exec'))\n"),
        Example("execfile(path, namespace)\n",
                "import six\nsix.exec_(compile(open(path, 'rb').read(), path, 'exec'), namespace)\n"),
        Example("execfile(find_config())\n", None, title="The path would be evaluated twice: reported",
                findings=("PK217",)),
    )
    needles = frozenset(["execfile"])
    node_types = (ast.Name,)
    names_only = True

    def visit(self, node, ctx):
        if node.id != "execfile" or not _builtin_name(node, ctx, "execfile"):
            return
        advice = "execfile() is gone in Python 3: use six.exec_(compile(open(path, 'rb').read(), path, 'exec'))"
        if not _called(node, ctx):
            ctx.report(node, advice)
            return
        call = ctx.parent(node)
        args = call.args
        if not _plain_call(call) or not 1 <= len(args) <= 3:
            ctx.report(node, advice)
            return
        path = args[0]
        if not (simple_reference(path) or isinstance(path, ast.Constant) and isinstance(path.value, str)):
            ctx.report(node, advice + "; not rewritten: the path expression would be evaluated twice")
            return
        if not (builtin_visible(ctx, node, "open") and builtin_visible(ctx, node, "compile")):
            ctx.report(node, advice + "; not rewritten: open or compile is rebound here")
            return
        source = ctx.source(path)
        rest = "".join(", " + argument(ctx, a) for a in args[1:])
        text = "six.exec_(compile(open(%s, 'rb').read(), %s, 'exec')%s)" % (source, source, rest)
        ctx.report(node, advice, edits=[ctx.replace(call, text)], imports=[SIX])


@register
class Reduce(Fixer):
    code = "PK218"
    name = "reduce"
    summary = "reduce() is not a builtin on Python 3: use functools.reduce"
    explanation = """
    What it does: rewrites the builtin ``reduce`` to ``functools.reduce``
    and adds ``import functools``.

    Why: Python 3 moved ``reduce`` to ``functools``.  ``functools.reduce``
    exists since 2.6 and is the very same function as the 2.7 builtin, so the
    rewrite is exact on both.  (``from functools import reduce`` would be
    exact too; the qualified name gives every use its own visible change and
    shares ``import functools`` with PK224.)  A module that imports
    ``reduce`` or binds the name itself is left alone; so is a use where the
    name ``functools`` means something else (reported).
    """
    examples = (
        Example("import operator\n\ntotal = reduce(operator.add, values, 0)\n",
                "import operator\nimport functools\n\ntotal = functools.reduce(operator.add, values, 0)\n"),
        Example("from functools import reduce\nproduct = reduce(mul, xs)\n", None, title="Already imported"),
    )
    needles = frozenset(["reduce"])
    node_types = (ast.Name,)
    names_only = True

    def visit(self, node, ctx):
        if node.id != "reduce" or not _builtin_name(node, ctx, "reduce"):
            return
        message = "reduce() is not a builtin on Python 3: use functools.reduce"
        if not _module_name_free(ctx, node, "functools", "functools"):
            ctx.report(node, message + "; not rewritten: the name functools is rebound here")
            return
        ctx.report(node, message, edits=[ctx.replace(node, "functools.reduce")], imports=[FUNCTOOLS])


@register
class Intern(Fixer):
    code = "PK219"
    name = "intern"
    summary = "intern() is sys.intern() on Python 3"
    explanation = """
    What it does: rewrites the builtin ``intern`` to ``six.moves.intern``
    (the builtin on 2, ``sys.intern`` on 3).  Local names called ``intern``
    are left alone.
    """
    examples = (
        Example("key = intern(name)\n", "import six\nkey = six.moves.intern(name)\n"),
    )
    needles = frozenset(["intern"])
    node_types = (ast.Name,)
    names_only = True

    def visit(self, node, ctx):
        if node.id != "intern" or not _builtin_name(node, ctx, "intern"):
            return
        ctx.report(node, "intern() is sys.intern() on Python 3: use six.moves.intern",
                   edits=[ctx.replace(node, "six.moves.intern")], imports=[SIX])


def _has_comment(source: str) -> bool:
    try:
        return any(t.type == tokenize.COMMENT for t in tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError):
        return True


def _star_operand(ctx, node) -> str:
    text = ctx.source(node)
    return "(%s)" % text if is_loose(node) else text


@register
class Apply(Fixer):
    code = "PK220"
    name = "apply"
    summary = "apply(f, args, kwargs) does not exist on Python 3: use f(*args, **kwargs)"
    explanation = """
    What it does: rewrites ``apply(f, args)`` to ``f(*args)`` and
    ``apply(f, args, kwargs)`` to ``f(*args, **kwargs)``; a literal tuple of
    arguments is spliced in (``apply(f, (a, b))`` → ``f(a, b)``).

    Why: ``apply`` is gone in Python 3 (deprecated since 2.3).  The call
    syntax evaluates the same expressions in the same order and makes the
    same call; only the error raised for a non-sequence ``args`` differs.

    Not rewritten (reported): ``apply`` with keyword or ``*`` arguments, with
    other than 1 to 3 arguments, or used as a value.
    """
    examples = (
        Example("rv = apply(rule.view, (request,), values)\n", "rv = rule.view(request, **values)\n"),
        Example("result = apply(func, args)\n", "result = func(*args)\n"),
        Example("callbacks = map(apply, funcs)\n", None, title="Used as a value: reported",
                findings=("PK220",)),
    )
    needles = frozenset(["apply"])
    node_types = (ast.Name,)
    names_only = True

    def visit(self, node, ctx):
        if node.id != "apply" or not _builtin_name(node, ctx, "apply"):
            return
        advice = "apply() is gone in Python 3: use f(*args, **kwargs)"
        if not _called(node, ctx):
            ctx.report(node, advice)
            return
        call = ctx.parent(node)
        args = call.args
        if not _plain_call(call) or not 1 <= len(args) <= 3:
            ctx.report(node, advice)
            return
        parts = []
        if len(args) >= 2:
            positional = args[1]
            source = ctx.source(positional)
            if isinstance(positional, ast.Tuple) and source.startswith("(") and source.endswith(")"):
                if _has_comment(source):
                    if len(args) == 3 or not positional.elts:
                        ctx.report(node, advice)
                        return
                    parts.append(source[1:-1])  # keep the comments and the layout
                else:
                    parts.extend(argument(ctx, e) for e in positional.elts)
            else:
                parts.append("*" + _star_operand(ctx, positional))
        if len(args) == 3:
            parts.append("**" + _star_operand(ctx, args[2]))
        text = "%s(%s)" % (atom(ctx, args[0]), ", ".join(parts))
        ctx.report(node, advice, edits=[ctx.replace(call, text)])


@register
class Buffer(_ReportBuiltin):
    code = "PK221"
    name = "buffer"
    summary = "buffer() does not exist on Python 3"
    target = "buffer"
    needles = frozenset(["buffer"])
    advice = ("use memoryview() (2.7 and 3), whose slices are memoryviews too; "
              "call .tobytes() where bytes are needed")
    explanation = """
    What it does: reports every use of the builtin ``buffer``.

    Why: ``buffer`` is gone in Python 3.  ``memoryview`` exists on 2.7 and 3
    but is not a drop-in replacement (slicing and comparison differ, ``str()``
    of it is not the bytes), so the code needs a look.
    """
    examples = (
        Example("view = buffer(data, 4)\n", None, findings=("PK221",)),
    )


def _side_effect_free(node) -> bool:
    """A name, a constant, or attributes / constant subscripts of those:
    evaluating it twice gives the same value and runs no code of the program
    (properties aside)."""
    while True:
        if isinstance(node, (ast.Name, ast.Constant)):
            return True
        if isinstance(node, ast.Attribute):
            node = node.value
            continue
        if isinstance(node, ast.Subscript):
            index = node.slice
            if isinstance(index, ast.Index):  # pragma: no cover - Python < 3.9
                index = index.value
            if not isinstance(index, (ast.Constant, ast.Name)):
                return False
            node = node.value
            continue
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) and isinstance(node.operand, ast.Constant):
            return True
        return False


# Parents in which ``(a > b) - (a < b)`` needs no parentheses.
_LOOSE_PARENTS = (ast.Call, ast.keyword, ast.Return, ast.Assign, ast.AnnAssign, ast.AugAssign, ast.Expr,
                  ast.Lambda, ast.BoolOp, ast.Compare, ast.IfExp, ast.List, ast.Tuple, ast.Set, ast.Dict,
                  ast.FormattedValue, ast.Subscript)


def _cmp_expression(ctx, call) -> str:
    a, b = (ctx.source(arg) for arg in call.args)
    a = "(%s)" % a if is_loose(call.args[0]) else a
    b = "(%s)" % b if is_loose(call.args[1]) else b
    text = "(%s > %s) - (%s < %s)" % (a, b, a, b)
    parent = ctx.parent(call)
    if isinstance(parent, ast.Call) and parent.func is call:
        return "(%s)" % text
    if isinstance(parent, ast.BinOp) and isinstance(parent.op, (ast.Add, ast.Sub)) and parent.left is call:
        return text
    if isinstance(parent, ast.Subscript) and parent.value is call:
        return "(%s)" % text
    if isinstance(parent, _LOOSE_PARENTS):
        return text
    return "(%s)" % text


_CMP_VALUE = "getattr(six.moves.builtins, 'cmp', lambda a, b: (a > b) - (a < b))"


@register
class CmpBuiltin(Fixer):
    code = "PK222"
    name = "cmp-builtin"
    summary = "cmp() does not exist on Python 3"
    needles = frozenset(["cmp"])
    explanation = """
    What it does: rewrites ``cmp(a, b)`` to ``(a > b) - (a < b)`` when both
    arguments are plain names, constants, or attributes and constant
    subscripts of those (each is evaluated twice); reports every other use
    of the builtin ``cmp``.  A ``cmp`` inside a sort comparison that PK224
    turns into a ``key=`` function goes with it (no finding here).

    Why: ``cmp`` is gone in Python 3.  ``(a > b) - (a < b)`` is -1, 0 or 1
    like ``cmp`` on 2.7 and 3.  On 2.7 ``>`` and ``<`` fall back to
    ``__cmp__`` and to the default ordering of unrelated types exactly like
    ``cmp``; the results differ only for values whose ``<`` is not an order
    (sets compare by inclusion, where ``cmp`` raises TypeError; NaN) or
    classes whose ``__lt__``/``__gt__`` disagree with their ``__cmp__``.

    ``cmp`` used as a value (a default parameter ``sort_using=cmp``, a
    class attribute) becomes ``getattr(six.moves.builtins, 'cmp', lambda a,
    b: (a > b) - (a < b))``: the builtin itself on 2.7.

    Not rewritten (reported): arguments with calls or other operations
    (they would be evaluated twice), ``*`` or keyword arguments
    (``sorted(x, cmp=cmp)`` is PK224's).
    """
    examples = (
        Example("order = cmp(a.price, b.price)\n", "order = (a.price > b.price) - (a.price < b.price)\n"),
        Example("def by_total(a, b):\n    return -cmp(a.total, b.total)\n",
                "def by_total(a, b):\n    return -((a.total > b.total) - (a.total < b.total))\n"),
        Example("diff = cmp(len(a), len(b))\n", None, title="Calls would run twice: reported",
                findings=("PK222",)),
        Example("def cmp(a, b):\n    return (a > b) - (a < b)\nx = cmp(1, 2)\n", None,
                title="A function of the module is not the builtin"),
        Example("class Loader(object):\n    order = cmp\n",
                "import six\nclass Loader(object):\n"
                "    order = getattr(six.moves.builtins, 'cmp', lambda a, b: (a > b) - (a < b))\n",
                title="As a value: the builtin itself on 2.7"),
    )
    node_types = (ast.Name,)
    names_only = True

    def visit(self, node, ctx):
        if node.id != "cmp" or not _builtin_name(node, ctx, "cmp"):
            return
        advice = "cmp() is gone in Python 3: use (a > b) - (a < b), or rewrite the comparison with key= functions"
        if not _called(node, ctx):
            parent = ctx.parent(node)
            if isinstance(parent, ast.keyword) and parent.arg == "cmp" or _sort_argument(ctx, node):
                return  # sorted(x, cmp=cmp): PK224 turns it into key=functools.cmp_to_key(cmp) ...
            if type(node.ctx) is ast.Load:
                ctx.report(node, "cmp is gone in Python 3: %s is the builtin itself on 2.7, and -1, 0 or 1 by "
                                 "(a > b) - (a < b) on 3" % _CMP_VALUE,
                           edits=[ctx.replace(node, _CMP_VALUE)], imports=[SIX])
                return
            ctx.report(node, advice)
            return
        call = ctx.parent(node)
        if _covered_by_key_rewrite(ctx, call):
            return
        if not _plain_call(call) or len(call.args) != 2:
            ctx.report(node, advice)
            return
        if not all(_side_effect_free(a) for a in call.args):
            ctx.report(node, advice + "; not rewritten: an argument would be evaluated twice")
            return
        ctx.report(node, "cmp() is gone in Python 3: (a > b) - (a < b) gives the same -1, 0 or 1",
                   edits=[ctx.replace(call, _cmp_expression(ctx, call))])


@register
class Coerce(_ReportBuiltin):
    code = "PK223"
    name = "coerce"
    summary = "coerce() does not exist on Python 3"
    target = "coerce"
    needles = frozenset(["coerce"])
    advice = "convert the operands explicitly (Python 3 has no coercion protocol)"
    explanation = """
    What it does: reports every use of the builtin ``coerce``.

    Why: Python 3 removed ``coerce`` and the ``__coerce__`` protocol; mixed
    arithmetic goes through the reflected operators (``__radd__``...).
    """
    examples = (
        Example("a, b = coerce(x, y)\n", None, findings=("PK223",)),
    )


# ---------------------------------------------------------------------------
def _looks_like_comparison(ctx, node) -> bool:
    """Is a positional argument of ``x.sort(...)`` visibly a comparison function?"""
    if isinstance(node, ast.Lambda):
        return len(node.args.args) == 2
    if isinstance(node, ast.Name):
        name = node.id.lower()
        return ctx.is_builtin(node, "cmp") or node.id in defined_functions(ctx) or "cmp" in name or "compar" in name
    if isinstance(node, ast.Attribute):
        return "cmp" in node.attr.lower() or "compar" in node.attr.lower()
    return False


def _sort_call(ctx, node):
    """(method?, cmp index, key index) when ``node`` is a call of the builtin
    ``sorted`` or of a ``.sort`` method; else None."""
    func = node.func
    if type(func) is ast.Name:
        if func.id != "sorted" or not ctx.is_builtin(func, "sorted"):
            return None
        return False, 1, 2
    if type(func) is ast.Attribute and func.attr == "sort":
        return True, 0, 1
    return None


def _sort_argument(ctx, node) -> bool:
    """Is ``node`` the positional comparison argument of sorted() / .sort()?"""
    call = ctx.parent(node)
    if not isinstance(call, ast.Call) or call.func is node:
        return False
    shape = _sort_call(ctx, call)
    return shape is not None and len(call.args) > shape[1] and call.args[shape[1]] is node


# Expressions a key function may compute: no code of the program runs (bar
# properties), so calling it once per item instead of once per comparison
# changes nothing.
_PURE_CALLS = frozenset(["len", "abs"])
_PURE_METHODS = frozenset(["lower", "upper", "strip", "casefold"])


def _pure_of(ctx, node, param: str) -> bool:
    """Is ``node`` a pure expression of the lambda parameter ``param``?"""
    for sub in ast.walk(node):
        if isinstance(sub, (ast.Name, ast.Constant, ast.Attribute, ast.Load, ast.Tuple, ast.expr_context)):
            continue
        if isinstance(sub, ast.Subscript):
            continue
        if isinstance(sub, ast.Index):  # pragma: no cover - Python < 3.9
            continue
        if isinstance(sub, ast.Call) and not sub.keywords and not any(isinstance(a, ast.Starred) for a in sub.args):
            func = sub.func
            if isinstance(func, ast.Name) and func.id in _PURE_CALLS and ctx.is_builtin(func, func.id):
                continue
            # getattr(a, 'name'[, default]): an attribute read, like a.name
            if isinstance(func, ast.Name) and func.id == "getattr" and ctx.is_builtin(func, "getattr") \
                    and len(sub.args) in (2, 3) and isinstance(sub.args[1], ast.Constant) \
                    and isinstance(sub.args[1].value, str):
                continue
            if isinstance(func, ast.Attribute) and func.attr in _PURE_METHODS and not sub.args:
                continue
        return False
    return True


class _Rename(ast.NodeTransformer):
    def __init__(self, old, new):
        self.old, self.new = old, new

    def visit_Name(self, node):
        if node.id == self.old:
            return ast.copy_location(ast.Name(id=self.new, ctx=node.ctx), node)
        return node


def _names_in(node):
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def _key_parts(ctx, func: ast.Lambda):
    """For ``lambda a, b: cmp(X(a), X(b)) [or cmp(Y(a), Y(b)) ...]`` the list
    of the ``X(a)`` nodes and whether every comparison is reversed
    (``cmp(X(b), X(a))``); None when the lambda is not of that shape."""
    args = func.args
    if (len(args.args) != 2 or args.vararg or args.kwarg or args.defaults or args.kwonlyargs
            or getattr(args, "posonlyargs", None)):
        return None
    a, b = args.args[0].arg, args.args[1].arg
    body = func.body
    calls = body.values if isinstance(body, ast.BoolOp) and isinstance(body.op, ast.Or) else [body]
    parts, directions = [], set()
    for call in calls:
        if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == "cmp"
                and ctx.is_builtin(call.func, "cmp") and _plain_call(call) and len(call.args) == 2):
            return None
        first, second = call.args
        for mine, other, direction in ((first, second, "up"), (second, first, "down")):
            names = _names_in(mine)
            if a in names and b not in names and b in _names_in(other) and a not in _names_in(other):
                try:
                    renamed = _Rename(a, b).visit(ast.parse("(%s)" % ctx.source(mine), mode="eval").body)
                except SyntaxError:
                    return None
                if ast.dump(renamed) == ast.dump(other) and _pure_of(ctx, mine, a):
                    parts.append(mine)
                    directions.add(direction)
                    break
        else:
            return None
    if len(directions) != 1 or "cmp" in {a, b}:
        return None
    return parts, directions == {"down"}


def _key_lambda(ctx, func: ast.Lambda, parts) -> str:
    param = func.args.args[0].arg
    texts = [" ".join(ctx.source(p).split()) if "\n" in ctx.source(p) else ctx.source(p) for p in parts]
    if len(texts) == 1:
        body = texts[0]
        if isinstance(parts[0], ast.Tuple) and not body.startswith("("):
            body = "(%s)" % body
    else:
        body = "(%s)" % ", ".join(texts)
    return "lambda %s: %s" % (param, body)


def _sort_plan(ctx, node: ast.Call):
    """(message, edits, imports) for a sorted()/.sort() call with a cmp
    function, or None when there is none.  Memoised per call."""
    memo = ctx.cache.setdefault("sortcmp.plans", {})
    if id(node) in memo:
        return memo[id(node)]
    plan = memo[id(node)] = _make_sort_plan(ctx, node)
    return plan


def _make_sort_plan(ctx, node):
    shape = _sort_call(ctx, node)
    if shape is None:
        return None
    method, cmp_index, key_index = shape
    args = node.args
    keywords = {k.arg: k for k in node.keywords}
    cmp_node = keywords.get("cmp")
    positional = len(args) > cmp_index
    if cmp_node is None and not positional:
        return None
    label = "x.sort()" if method else "sorted()"
    advice = "%s has no cmp argument on Python 3: use key=functools.cmp_to_key(f)" % label
    if None in keywords or any(isinstance(a, ast.Starred) for a in args):
        return advice, [], []
    if cmp_node is not None and positional or len(args) > cmp_index + 1 or "key" in keywords:
        return (advice + "; not rewritten: the call also passes key= (2.7 compares the keys with "
                "cmp: combine them by hand) or passes key/reverse positionally"), [], []
    value = cmp_node.value if cmp_node is not None else args[cmp_index]
    if isinstance(value, ast.Constant) and value.value is None:
        return "%s: cmp=None is the default; drop it (Python 3 has no cmp argument)" % label, [], []
    if method and "sort" in defined_functions(ctx):
        return advice + "; not rewritten: this module defines its own sort() method", [], []
    if method and cmp_node is None and isinstance(value, ast.Constant):
        return None  # numpy's a.sort(axis), not a comparison function
    if method and cmp_node is None and not _looks_like_comparison(ctx, value):
        return ("x.sort(f): if f is a comparison function, use key=functools.cmp_to_key(f) "
                "(Python 3 has no cmp argument)"), [], []
    target = cmp_node if cmp_node is not None else value
    if isinstance(value, ast.Name) and value.id == "cmp" and ctx.is_builtin(value, "cmp"):
        return ("%s: cmp=cmp is the default order (Python 3 has no cmp argument): key=None" % label,
                [ctx.replace(target, "key=None")], [])
    if isinstance(value, ast.Lambda):
        shape = _key_parts(ctx, value)
        if shape is not None:
            parts, reverse = shape
            text = "key=" + _key_lambda(ctx, value, parts)
            if reverse:
                if "reverse" in keywords:
                    shape = None
                else:
                    text += ", reverse=True"
            if shape is not None:
                return ("%s has no cmp argument on Python 3: the comparison compares one key of each item, "
                        "key= gives the same order" % label, [ctx.replace(target, text)], [])
    if not _module_name_free(ctx, node, "functools", "functools"):
        return advice + "; not rewritten: the name functools is rebound here", [], []
    text = "key=functools.cmp_to_key(%s)" % argument(ctx, value)
    return advice, [ctx.replace(target, text)], [FUNCTOOLS]


def _covered_by_key_rewrite(ctx, call: ast.Call) -> bool:
    """Is the ``cmp(...)`` call ``call`` part of a sort comparison lambda that
    PK224 turns into a key function?"""
    node = ctx.parent(call)
    if isinstance(node, ast.BoolOp):
        node = ctx.parent(node)
    if not isinstance(node, ast.Lambda):
        return False
    holder = ctx.parent(node)
    sort = ctx.parent(holder) if isinstance(holder, ast.keyword) else holder
    if not isinstance(sort, ast.Call):
        return False
    plan = _sort_plan(ctx, sort)
    return bool(plan and plan[1] and "key=functools" not in plan[1][0].replacement)


@register
class SortCmp(Fixer):
    code = "PK224"
    name = "sort-cmp"
    summary = "sorted(x, cmp=f) / x.sort(cmp=f): Python 3 has no cmp argument"
    explanation = """
    What it does: rewrites the ``cmp`` argument of the builtin ``sorted()``
    and of ``.sort()``, keyword (``cmp=f``) or positional (``sorted(x, f)``,
    ``x.sort(f)``):

    * a comparison lambda that compares one expression of each item with
      the builtin ``cmp`` (``lambda a, b: cmp(a.price, b.price)``, or a chain
      ``cmp(a.day, b.day) or cmp(a.name, b.name)``) becomes a key function
      (``key=lambda a: a.price``, ``key=lambda a: (a.day, a.name)``); with
      every ``cmp`` reversed (``cmp(b.x, a.x)``) ``reverse=True`` is added;
    * ``cmp=cmp`` (the default order) becomes ``key=None``;
    * any other function ``f`` becomes ``key=functools.cmp_to_key(f)``.

    Why: Python 3 sorts only with ``key=``.  ``functools.cmp_to_key`` (2.7
    and 3) wraps a comparison function into a key that calls it for every
    comparison, so the order is exactly the one ``cmp`` gave.  A key
    function gives the same order as ``cmp`` of the keys, and the sort stays
    stable (``reverse=True`` keeps equal items in their original order, as
    the reversed comparison did); the key expression is only rewritten when
    it runs no code of the program (names, attributes, constant subscripts,
    ``len()``, ``.lower()``), since it is now computed once per item (also
    for a list of one item, which ``cmp`` never looked at).

    Not rewritten (reported): a call that also passes ``key`` (2.7 applies
    ``cmp`` to the keys; the combined key calls ``key`` more often), calls
    with ``*``/``**`` arguments or a positional ``reverse``, ``.sort()`` when
    the module defines its own ``sort`` method, and ``x.sort(f)`` when ``f``
    is not visibly a comparison function (``numpy``'s ``a.sort(axis)``).
    """
    examples = (
        Example("products.sort(cmp=lambda a, b: a.rank - b.rank)\n",
                "import functools\nproducts.sort(key=functools.cmp_to_key(lambda a, b: a.rank - b.rank))\n"),
        Example("products.sort(cmp=lambda a, b: cmp(a.price, b.price))\n",
                "products.sort(key=lambda a: a.price)\n", title="cmp of one key of each item: key="),
        Example("rows.sort(lambda x, y: cmp(x.day, y.day) or cmp(x.name.lower(), y.name.lower()))\n",
                "rows.sort(key=lambda x: (x.day, x.name.lower()))\n"),
        Example("newest = sorted(rows, cmp=lambda a, b: cmp(b.date, a.date))\n",
                "newest = sorted(rows, key=lambda a: a.date, reverse=True)\n", title="Reversed comparison"),
        Example("names = sorted(names, compare_names)\n",
                "import functools\nnames = sorted(names, key=functools.cmp_to_key(compare_names))\n"),
        Example("rows.sort(key=len)\n", None, title="Already portable"),
        Example("rows.sort(cmp=by_date, key=get_row)\n", None, title="Both cmp and key: reported",
                findings=("PK224",)),
    )
    needles = frozenset(["sort", "sorted"])
    node_types = (ast.Call,)

    def visit(self, node, ctx):
        plan = _sort_plan(ctx, node)
        if plan is None:
            return
        message, edits, imports = plan
        ctx.report(node, message, edits=edits, imports=imports)
