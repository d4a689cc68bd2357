"""Classic division: ``/`` floors integers on Python 2 and never on Python 3 (PK240)."""
from __future__ import annotations

import ast
from typing import Dict, Optional, Set

from portkit.fixer import Example, Fixer
from portkit.model import ImportRequest
from portkit.registry import register

from ._classic import names_by_id

FUTURE_DIVISION = ImportRequest("__future__", "division")
_MAX_DEPTH = 60

# Operators whose result is an int when both operands are ints (Div: classic
# division of ints is floor division, which is what it becomes).
_INT_OPS = (ast.Add, ast.Sub, ast.Mult, ast.FloorDiv, ast.Mod, ast.Div, ast.LShift, ast.RShift,
            ast.BitOr, ast.BitXor, ast.BitAnd)
# Operators whose result is a float when one operand is a float and the other a number.
_FLOAT_OPS = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.FloorDiv, ast.Mod, ast.Pow)
# ... and with any other operand (the idioms ``1.0 * x``, ``x + 0.0``).
_FLOAT_FORCING = (ast.Add, ast.Sub, ast.Mult)

_INT_CALLS = frozenset(["builtins.len", "builtins.int", "builtins.long", "builtins.ord"])
# Calls whose result is a float on Python 2 (round, floor and ceil return ints
# on 3, where ``/`` divides truly anyway: the quotient is the same).
_FLOAT_CALLS = frozenset(
    ["builtins.float", "builtins.round", "time.time"]
    + ["math." + f for f in "sqrt floor ceil exp log log10 pow sin cos tan asin acos atan atan2 sinh cosh "
                            "tanh hypot fabs radians degrees fsum fmod".split()]
)
_FLOAT_CONSTANTS = frozenset(["math.pi", "math.e"])
_RANGES = frozenset(["builtins.range", "builtins.xrange", "six.moves.range", "six.moves.xrange"])


def _binding_scope(walk, name: str, scope):
    """See :meth:`portkit.analysis.Walk.defining_scope`."""
    return walk.defining_scope(name, scope)


def _store_scope(walk, name: str, scope):
    if name in scope.globals and scope.kind != "module":
        return walk.module_scope
    return scope


class Kinds:
    """Which expressions of one module are provably ``int`` or ``float``.

    Variables count only when they are local to a function (or comprehension)
    and every assignment of theirs there is itself provably of the kind:
    module and class attributes can be changed from outside.  The sets of
    such variables are the greatest fixpoint (``n = 0`` ... ``n += 1`` is an
    int), which is sound: every value the variable ever holds comes from one
    of those assignments.
    """

    def __init__(self, ctx):
        self.ctx = ctx
        self.walk = ctx.walk
        sites, bad = self._collect()
        self.sites, self.bad = sites, bad
        candidates = {k for k in sites if k not in bad and k[0].kind in ("function", "comprehension")}
        self.ints: Set[tuple] = set(candidates)
        self.floats: Set[tuple] = set(candidates)
        self._fixpoint(sites, self.ints, self._int_site)
        self._fixpoint(sites, self.floats, self._float_site)

    # -- collecting assignments ---------------------------------------------
    def _collect(self):
        walk = self.walk
        sites: Dict[tuple, list] = {}
        bad: Set[tuple] = set()
        bad_names: Set[str] = set()
        bad_scopes = set()
        for node in self.ctx.walk.nodes:
            kind = type(node)
            scope = getattr(node, "_pk_scope", None)
            if kind is ast.Name:
                if type(node.ctx) is ast.Load or scope is None:
                    if (type(node.ctx) is ast.Load and node.id in ("exec", "execfile", "locals", "vars")
                            and scope is not None):
                        bad_scopes.add(scope)
                    continue
                if type(node.ctx) is ast.Del:
                    continue
                key = (_store_scope(walk, node.id, scope), node.id)
                parent = walk.parents.get(node)
                if isinstance(parent, ast.Assign) and any(t is node for t in parent.targets):
                    site = ("value", parent.value)
                elif isinstance(parent, ast.AnnAssign) and parent.target is node:
                    if parent.value is None:
                        continue
                    site = ("value", parent.value)
                elif isinstance(parent, ast.AugAssign) and parent.target is node:
                    site = ("aug", parent)
                elif isinstance(parent, (ast.For, ast.AsyncFor, ast.comprehension)) and parent.target is node:
                    site = ("for", parent.iter)
                elif isinstance(parent, ast.NamedExpr) and parent.target is node:
                    site = ("value", parent.value)
                else:
                    bad.add(key)
                    continue
                sites.setdefault(key, []).append(site)
            elif kind in (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef):
                if scope is not None:
                    bad.add((_store_scope(walk, node.name, scope), node.name))
            elif kind is ast.arg:
                if scope is not None:
                    bad.add((scope, node.arg))
            elif kind in (ast.Import, ast.ImportFrom):
                if scope is None:
                    continue
                for alias in node.names:
                    if alias.name == "*":
                        bad_scopes.add(scope)
                        continue
                    bound = alias.asname or alias.name.split(".")[0]
                    bad.add((_store_scope(walk, bound, scope), bound))
            elif kind is ast.ExceptHandler:
                if node.name and scope is not None:
                    bad.add((_store_scope(walk, node.name, scope), node.name))
            elif kind is ast.Nonlocal:
                bad_names.update(node.names)
            elif kind.__name__ in ("MatchAs", "MatchStar", "MatchMapping"):
                name = getattr(node, "name", None) or getattr(node, "rest", None)
                if name:
                    bad_names.add(name)
        for key in sites:
            if key[1] in bad_names or key[0] in bad_scopes:
                bad.add(key)
        return sites, bad

    def _fixpoint(self, sites, chosen: Set[tuple], check) -> None:
        changed = True
        while changed:
            changed = False
            for key in list(chosen):
                if not all(check(site) for site in sites[key]):
                    chosen.discard(key)
                    changed = True

    def _int_site(self, site) -> bool:
        kind, node = site
        if kind == "value":
            return self.is_int(node)
        if kind == "for":
            return isinstance(node, ast.Call) and self.ctx.resolve(node.func) in _RANGES
        op = node.op
        if isinstance(op, ast.Pow):
            return _non_negative_int(node.value)
        return isinstance(op, _INT_OPS) and self.is_int(node.value)

    def _float_site(self, site) -> bool:
        kind, node = site
        if kind == "value":
            return self.is_float(node)
        if kind == "for":
            return False
        if isinstance(node.op, _FLOAT_FORCING):  # x += n with x a float: still a float
            return True
        return isinstance(node.op, _FLOAT_OPS) and (self.is_float(node.value) or self.is_int(node.value))

    # -- expressions ----------------------------------------------------------
    def _variable(self, node: ast.Name):
        scope = getattr(node, "_pk_scope", None)
        if scope is None:
            return None
        found = _binding_scope(self.walk, node.id, scope)
        if found is None:
            return None
        return (found, node.id)

    def is_int(self, node, depth: int = 0) -> bool:
        if depth > _MAX_DEPTH:
            return False
        kind = type(node)
        if kind is ast.Constant:
            return type(node.value) in (int, bool)
        if kind is ast.Name:
            key = self._variable(node)
            return key is not None and key in self.ints
        if kind is ast.BinOp:
            if isinstance(node.op, ast.Pow):
                return self.is_int(node.left, depth + 1) and _non_negative_int(node.right)
            return (isinstance(node.op, _INT_OPS) and self.is_int(node.left, depth + 1)
                    and self.is_int(node.right, depth + 1))
        if kind is ast.UnaryOp:
            if isinstance(node.op, ast.Not):
                return True
            return self.is_int(node.operand, depth + 1)
        if kind is ast.Call:
            target = self.ctx.resolve(node.func)
            if target in _INT_CALLS:
                return True
            if target == "builtins.abs" and len(node.args) == 1:
                return self.is_int(node.args[0], depth + 1)
            return False
        if kind is ast.IfExp:
            return self.is_int(node.body, depth + 1) and self.is_int(node.orelse, depth + 1)
        return False

    def is_float(self, node, depth: int = 0) -> bool:
        if depth > _MAX_DEPTH:
            return False
        kind = type(node)
        if kind is ast.Constant:
            return type(node.value) in (float, complex)
        if kind is ast.Name:
            key = self._variable(node)
            return key is not None and key in self.floats
        if kind is ast.Attribute:
            return self.ctx.resolve(node) in _FLOAT_CONSTANTS
        if kind is ast.BinOp:
            left, right = node.left, node.right
            if self.is_float(left, depth + 1):
                other = right
            elif self.is_float(right, depth + 1):
                other = left
            else:
                return False
            if isinstance(node.op, _FLOAT_FORCING):
                return True
            return isinstance(node.op, _FLOAT_OPS) and (self.is_float(other, depth + 1) or
                                                        self.is_int(other, depth + 1))
        if kind is ast.UnaryOp:
            return isinstance(node.op, (ast.USub, ast.UAdd)) and self.is_float(node.operand, depth + 1)
        if kind is ast.Call:
            return self.ctx.resolve(node.func) in _FLOAT_CALLS
        if kind is ast.IfExp:
            return self.is_float(node.body, depth + 1) and self.is_float(node.orelse, depth + 1)
        return False


# Calls that raise TypeError on 2.7 (and 3) for a float argument: a quotient
# passed to them must be an int for the program to work at all.
_STRICT_INT_CALLS = frozenset(["builtins.range", "builtins.xrange", "six.moves.range", "six.moves.xrange",
                               "os.urandom", "builtins.chr", "builtins.unichr", "six.unichr", "six.int2byte"])
# Operators that keep a float a float (so a float quotient still fails where
# the result ends up).
_PASSING_OPS = (ast.Add, ast.Sub, ast.Mult, ast.FloorDiv, ast.Mod)


class IntDemand:
    """Which divisions are consumed where only an int works.

    ``os.urandom(n / 2)``, ``range(total / size)``, ``items[:len(items) / 2]``,
    ``'-' * (width / 2)``: when such a quotient is a float, Python 2.7 itself
    raises TypeError (these calls and slices refuse floats), and ``//`` of
    floats is a float too.  So ``//`` changes nothing that works on 2.7:
    with integer operands it is 2.7's ``/``, with float operands both fail
    alike.  The quotient may pass through ``+ - * // %`` on the way
    (``range(n / 2 + 1)``) and through a local variable assigned once whose
    every use is such a place (``count = a / b`` ... ``xrange(count)``).
    """

    def __init__(self, ctx, kinds: Kinds):
        self.ctx = ctx
        self.kinds = kinds

    def wants_int(self, node, depth: int = 0) -> bool:
        if depth > 4:
            return False
        ctx = self.ctx
        child, parent = node, ctx.parent(node)
        while isinstance(parent, ast.BinOp) and isinstance(parent.op, _PASSING_OPS):
            if isinstance(parent.op, ast.Mult) and self._sequence(parent.right if parent.left is child else parent.left):
                return True
            child, parent = parent, ctx.parent(parent)
        while isinstance(parent, ast.UnaryOp) and isinstance(parent.op, (ast.USub, ast.UAdd)):
            child, parent = parent, ctx.parent(parent)
        if isinstance(parent, ast.Call) and child in parent.args and not parent.keywords:
            if not any(isinstance(a, ast.Starred) for a in parent.args):
                return ctx.resolve(parent.func) in _STRICT_INT_CALLS
            return False
        if isinstance(parent, ast.Slice):
            holder = ctx.parent(parent)
            return isinstance(holder, ast.Subscript) and self._sequence(holder.value)
        if isinstance(parent, ast.Subscript) and parent.slice is child:
            return self._sequence(parent.value, indexable=True)
        if isinstance(parent, ast.Assign) and parent.value is child and len(parent.targets) == 1:
            target = parent.targets[0]
            if isinstance(target, ast.Name):
                return self._variable_wants_int(target, depth)
        return False

    def _variable_wants_int(self, target: ast.Name, depth: int) -> bool:
        """A function's local variable assigned only here, every use of which wants an int."""
        scope = getattr(target, "_pk_scope", None)
        if scope is None or scope.kind != "function":
            return False
        sites, bad = self.kinds.sites, self.kinds.bad
        key = (_store_scope(self.ctx.walk, target.id, scope), target.id)
        if key in bad or len(sites.get(key, ())) != 1 or key[0] is not scope:
            return False
        uses = [n for n in names_by_id(self.ctx).get(target.id, ())
                if type(n.ctx) is ast.Load and _binding_scope(self.ctx.walk, n.id, n._pk_scope) is scope]
        return bool(uses) and all(self.wants_int(use, depth + 1) for use in uses)

    def _sequence(self, node, indexable: bool = False) -> bool:
        """Is ``node`` a str, bytes, list or tuple (which refuse float counts, slices and indexes)?"""
        if isinstance(node, (ast.List, ast.Tuple, ast.ListComp)):
            return True
        if isinstance(node, ast.Constant) and isinstance(node.value, (str, bytes)):
            return True
        if isinstance(node, ast.JoinedStr):
            return True
        try:
            from portkit import kinds as K
            value = K.kind_of(self.ctx, node)
        except Exception:  # the bytes/text inference must not stop this fixer
            return False
        return bool(K.strings_of(value)) and not isinstance(value, K.Mixed) or isinstance(value, (K.Seq, K.Tup))


def _non_negative_int(node) -> bool:
    return isinstance(node, ast.Constant) and type(node.value) is int and node.value >= 0


def _operator_offset(ctx, start: int, end: int, token: str) -> Optional[int]:
    """Offset of ``token`` between ``start`` and ``end`` (only brackets,
    blanks, continuations and comments are there)."""
    text = ctx.text
    i = start
    while i < end:
        char = text[i]
        if char == "#":
            newline = text.find("\n", i, end)
            if newline < 0:
                return None
            i = newline + 1
            continue
        if text.startswith(token, i) and not text.startswith(token + "/", i) and not (
                token == "/" and text.startswith("/=", i)):
            return i
        i += 1
    return None


def _operands(node):
    if isinstance(node, ast.BinOp):
        return node.left, node.right, "/"
    return node.target, node.value, "/="


def _plan(ctx):
    """{division node: (kind, operator offset)} for the module; kind is
    "int", "float" or "unknown"."""
    plan = ctx.cache.get("division.plan")
    if plan is not None:
        return plan
    kinds = Kinds(ctx)
    demand = IntDemand(ctx, kinds)
    plan = {}
    nodes = [n for n in ctx.walk.index.get(ast.BinOp, ()) if isinstance(n.op, ast.Div)]
    nodes += [n for n in ctx.walk.index.get(ast.AugAssign, ()) if isinstance(n.op, ast.Div)]
    for node in nodes:
        left, right, token = _operands(node)
        offset = _operator_offset(ctx, ctx.end(left), ctx.start(right), token)
        if kinds.is_float(left) or kinds.is_float(right):
            kind = "float"
        elif kinds.is_int(left) and kinds.is_int(right) or demand.wants_int(node):
            kind = "int" if offset is not None else "unknown"
        else:
            kind = "unknown"
        plan[node] = (kind, offset)
    ctx.cache["division.plan"] = plan
    ctx.cache["division.undecided"] = sum(1 for kind, _ in plan.values() if kind == "unknown")
    return plan


def _shown(ctx, node) -> str:
    text = " ".join(ctx.source(node).split())
    return text if len(text) <= 40 else text[:37] + "..."


_MULTIPLICATIVE = (ast.Mult, ast.Div, ast.FloorDiv, ast.Mod, ast.MatMult)


def _operand_shown(ctx, node, right: bool) -> str:
    """:func:`_shown`, parenthesised where it is an operand of ``//``."""
    text = _shown(ctx, node)
    loose = isinstance(node, (ast.BoolOp, ast.Compare, ast.IfExp, ast.Lambda, ast.NamedExpr)) or (
        isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not))
    if isinstance(node, ast.BinOp) and not isinstance(node.op, ast.Pow):
        loose = loose or right or not isinstance(node.op, _MULTIPLICATIVE)
    return "(%s)" % text if loose else text


@register
class ClassicDivision(Fixer):
    code = "PK240"
    name = "classic-division"
    summary = "'/' floors integers on Python 2 but not on Python 3"
    explanation = """
    What it does: looks at every ``/`` and ``/=`` of a module that lacks
    ``from __future__ import division`` and sorts them:

    * an operand is provably a float (a float literal, ``float(...)``,
      ``round(...)``, ``math.sqrt(...)``, ``1.0 * x``, a local variable only
      ever assigned such values): ``/`` divides truly on both versions and
      stays;
    * both operands are provably integers (int literals, ``len(...)``,
      ``int(...)``, ``ord(...)``, arithmetic of those, ``%`` and ``//`` of
      ints, a local variable of the function only ever assigned such values,
      a loop variable over ``range()``): the ``/`` becomes ``//``, which
      is exactly what Python 2 computed (``100/10 * 10`` → ``100//10 * 10``,
      still the int 100, not 100.0);
    * the quotient goes where only an int works: an argument of
      ``range``/``xrange``/``six.moves.range``, ``os.urandom``, ``chr``,
      ``unichr``; a slice bound or index of a str, bytes, list or tuple; a
      repeat count (``'-' * (width / 2)``), possibly through ``+ - * // %``
      or a local variable assigned once and used only in such places
      (``count = a / b`` ... ``xrange(count)``): Python 2.7 itself raises
      TypeError there for a float quotient, and ``//`` of floats is a float
      too, so ``//`` is exact for whatever operands worked on 2.7 (with
      integers it is 2.7's ``/``) — the ``/`` becomes ``//`` whatever the
      operands' types;
    * anything else is undecidable.

    When every ``/`` of the module is decided, the integer ones are rewritten
    and ``from __future__ import division`` is added, so that the module
    divides the same way on 2.7 as on 3 from then on.  When any ``/`` is
    undecidable, nothing of the module's division is changed: each
    undecidable ``/`` is reported with the choice to make (``//`` for an
    integer quotient, ``float(a) / b`` for a true one), the provably integer
    ones are reported as held back, and the next run completes the module.

    Why: ``7 / 2`` is 3 on Python 2 and 3.5 on Python 3; an unnoticed float
    index or count fails far from the division.  Tools that add the future
    import blindly turn ``100/10 * 10`` into the float 100.0.

    Only variables local to a function are trusted: a module or class
    attribute can be assigned a float from elsewhere.  A module that already
    has ``from __future__ import division`` needs nothing.  Fix safety: with
    the future import, ``2.0 / x`` calls ``x.__rtruediv__`` on 2.7 instead of
    ``__rdiv__``; numbers of the standard library and numpy define both.
    """
    examples = (
        Example("half = len(items) / 2\n", "from __future__ import division\nhalf = len(items) // 2\n"),
        Example("total = 100/10 * 10\nratio = total / 3.0\n",
                "from __future__ import division\ntotal = 100//10 * 10\nratio = total / 3.0\n",
                title="Integers get //, floats keep /"),
        Example("def middle(items):\n    n = len(items)\n    n /= 2\n    return items[n]\n",
                "from __future__ import division\ndef middle(items):\n    n = len(items)\n    n //= 2\n"
                "    return items[n]\n"),
        Example("import os\ndef salt(length):\n    return os.urandom(length / 2)\n",
                "from __future__ import division\nimport os\ndef salt(length):\n    return os.urandom(length // 2)\n",
                title="Only an int works there (a float fails on 2.7 too): //"),
        Example("def mean(values):\n    return sum(values) / len(values)\n", None,
                title="Undecidable: reported with the choice to make", findings=("PK240",)),
        Example("pages = len(rows) / 20\nmean = total / count\n", None,
                title="One undecidable '/' holds back the whole module", findings=("PK240", "PK240")),
        Example("from __future__ import division\nmean = total / count\n", None, title="Already Python 3 division"),
        Example("scale = width / 2.0\n", None, title="A float operand: the same on 2 and 3"),
    )
    needles = frozenset(["/"])
    node_types = (ast.BinOp, ast.AugAssign)

    def visit(self, node, ctx):
        if not isinstance(node.op, ast.Div) or "division" in ctx.future:
            return
        kind, offset = _plan(ctx)[node]
        if kind == "float":
            return
        left, right, token = _operands(node)
        undecided = ctx.cache["division.undecided"]
        expression = _shown(ctx, node)
        if kind == "unknown":
            a, b = _shown(ctx, left), _shown(ctx, right)
            if token == "/=":
                choice = "`%s //= %s` if both are integers, `%s = %s / float(%s)` for a true quotient" % (
                    a, b, a, a, b)
            else:
                choice = "`%s // %s` if both are integers, `float(%s) / %s` for a true quotient" % (
                    _operand_shown(ctx, left, False), _operand_shown(ctx, right, True), a,
                    _operand_shown(ctx, right, True))
            ctx.report(node, "classic division `%s`: integers floor on Python 2 but not on 3; write %s"
                       % (expression, choice), offset=offset)
            return
        if undecided:
            ctx.report(node, "classic division of integers `%s`: becomes `%s` (with from __future__ import "
                       "division) once the %d undecidable division%s of this module %s resolved"
                       % (expression, token.replace("/", "//", 1), undecided, "" if undecided == 1 else "s",
                          "is" if undecided == 1 else "are"), offset=offset)
            return
        ctx.report(node, "classic division of integers `%s`: `%s` keeps Python 2's floored result on 3"
                   % (expression, token.replace("/", "//", 1)),
                   edits=[ctx.replace_span(offset, offset + 1, "//")], imports=[FUTURE_DIVISION], offset=offset)
