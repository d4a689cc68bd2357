"""One walk over a module's ``ast``: parents, scopes, name resolution, node index.

The walk records, for every node, its parent (``walk.parents[node]``, read
through ``ctx.parent(node)``) and the scope it is evaluated in
(``node._pk_scope``), the names each scope binds, and
a list of nodes per type that the selected fixers asked for.  Names are then
resolved lazily, once every binding of the module is known, with Python's own
rules (class bodies are not visible from nested functions, ``global`` goes to
the module, a name bound anywhere in a function is local to all of it).

This is deliberately light: no libcst, no metadata providers.  It is what
makes ``portkit scan`` fast enough to run on every commit.
"""
from __future__ import annotations

import ast
import weakref
from typing import Dict, Iterable, List, Optional

BUILTIN = "builtins."
_LOCAL = None  # binding value for a name that is not a plain import


class Scope:
    __slots__ = ("kind", "_node", "parent", "bindings", "globals", "nonlocals")

    def __init__(self, kind: str, node: ast.AST, parent: Optional["Scope"]):
        self.kind = kind  # "module", "function", "class", "comprehension"
        # Weak: every node of the scope points at it (``_pk_scope``), and a
        # strong reference back would make each tree one big cycle, which only
        # the garbage collector can free (it walked every node of every file).
        self._node = weakref.ref(node)
        self.parent = parent
        # name -> dotted import target ("urllib2", "os.path.join") or None
        self.bindings: Dict[str, Optional[str]] = {}
        self.globals: set = set()
        self.nonlocals: set = set()

    @property
    def node(self) -> ast.AST:
        return self._node()

    def bind(self, name: str, target: Optional[str] = _LOCAL) -> None:
        if name in self.globals and self.kind != "module":
            scope = self
            while scope.parent is not None:
                scope = scope.parent
            scope.bind(name, target)
            return
        if name in self.bindings and self.bindings[name] != target:
            self.bindings[name] = _LOCAL
        else:
            self.bindings[name] = target


_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
# Shared instances in parsed trees: never indexed, never given a parent.
_SINGLETONS = frozenset(
    cls
    for base in (ast.expr_context, ast.operator, ast.unaryop, ast.cmpop, ast.boolop)
    for cls in base.__subclasses__()
)
_COMPREHENSIONS = (ast.GeneratorExp, ast.SetComp, ast.DictComp)
# The node types the walk does more with than list their children.
_SCOPE_MATTERS = frozenset(
    (ast.Name, ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.arguments, ast.arg, ast.ClassDef, ast.Import,
     ast.ImportFrom, ast.Global, ast.Nonlocal, ast.ExceptHandler, ast.comprehension, ast.Constant) + _COMPREHENSIONS)
# Fields that only ever hold the singletons above.
_SINGLETON_FIELDS = frozenset(["ctx", "op", "ops"])
_CHILD_FIELDS: Dict[type, tuple] = {}


def child_fields(cls: type) -> tuple:
    """The fields of the node type ``cls`` that may hold child nodes (the
    context and operator fields left out), in order; memoised."""
    fields = _CHILD_FIELDS.get(cls)
    if fields is None:
        fields = _CHILD_FIELDS[cls] = tuple(f for f in cls._fields if f not in _SINGLETON_FIELDS)
    return fields


def child_nodes(node: ast.AST) -> List[ast.AST]:
    """``list(ast.iter_child_nodes(node))`` less the context and operator
    singletons, in the same order, at a fraction of the cost (no generators,
    the field names of each node type looked up once)."""
    fields = child_fields(type(node))
    found = []
    add = found.append
    for name in fields:
        value = getattr(node, name, None)
        if type(value) is list:
            for item in value:
                if isinstance(item, ast.AST):
                    add(item)
        elif isinstance(value, ast.AST):
            add(value)
    return found


class Walk:
    """Walk ``tree`` once.

    ``nodes`` holds every node of the module except the module itself and the
    context and operator singletons (``Load``, ``Add``...), parents before
    their children; ``index[type]`` the nodes of each type, in the same
    order (an empty list for the ``wanted`` types that do not occur).  Fixers
    use these instead of walking the tree again with ``ast.walk``.
    """

    def __init__(self, tree: ast.Module, wanted: Iterable[type] = ()):
        self.module_scope = Scope("module", tree, None)
        self.index: Dict[type, List[ast.AST]] = {t: [] for t in wanted}
        self.index[ast.Module] = [tree]  # for fixers that look at the module once, as a whole
        self.nodes: List[ast.AST] = []
        self.future: set = set()
        # After ``from x import *`` an unbound name may come from x: such names
        # are unknown, never builtins.
        self.star_import = False
        self._resolved: Dict[ast.AST, Optional[str]] = {}  # node -> resolve(node) (the node kept alive)
        # node -> its parent, here rather than on the nodes: a tree without
        # cycles is freed as soon as its analysis is dropped.
        self.parents: Dict[ast.AST, ast.AST] = {tree: None}
        self.tree = tree
        tree._pk_scope = self.module_scope
        self._walk_body(tree, self.module_scope)

    # -- walking ---------------------------------------------------------
    def _walk_body(self, root: ast.AST, scope: Scope) -> None:
        """Breadth-first, children in field order: ``nodes`` comes out in
        ``ast.walk`` order (less the module and the singletons), so that
        analyses that depend on the order of ``ast.walk`` can use it as is."""
        index = self.index
        nodes = self.nodes
        add = nodes.append
        parents = self.parents
        queue = [(child, root, scope) for child in child_nodes(root)]
        push = queue.append
        singletons = _SINGLETONS
        known_fields = _CHILD_FIELDS
        scope_matters = _SCOPE_MATTERS
        AST = ast.AST
        Name, Constant, Load = ast.Name, ast.Constant, ast.Load
        at = 0
        while at < len(queue):
            child, parent, sc = queue[at]
            at += 1
            cls = type(child)
            if cls in singletons:
                continue
            parents[child] = parent
            child._pk_scope = sc
            add(child)
            bucket = index.get(cls)
            if bucket is None:
                index[cls] = [child]
            else:
                bucket.append(child)
            inner = sc
            if cls in scope_matters:  # the others (most nodes) go straight to their children
                if cls is Name:
                    if type(child.ctx) is not Load:
                        sc.bind(child.id)
                    continue
                if cls is Constant:
                    continue  # no child nodes
                if cls in _FUNCTIONS:
                    inner = Scope("function", child, sc)
                    if cls is not ast.Lambda:
                        sc.bind(child.name)
                    # arguments: its names in the function's scope, defaults and
                    # annotations outside (see the ast.arguments case)
                    push((child.args, child, inner))
                    if cls is ast.Lambda:
                        push((child.body, child, inner))
                        continue
                    for part in child.body:
                        push((part, child, inner))
                    for part in child.decorator_list:
                        push((part, child, sc))
                    if child.returns is not None:
                        push((child.returns, child, sc))
                    continue
                if cls is ast.arguments:
                    outer = sc.parent
                    for arg in _all_args(child):
                        sc.bind(arg.arg)
                    for field in child._fields:
                        value = getattr(child, field, None)
                        if field in ("defaults", "kw_defaults"):
                            for part in value:
                                if part is not None:
                                    push((part, child, outer))
                        elif isinstance(value, list):
                            for part in value:
                                push((part, child, sc))
                        elif value is not None:
                            push((value, child, sc))
                    continue
                if cls is ast.arg:
                    if child.annotation is not None:
                        push((child.annotation, child, sc.parent))
                    continue
                if cls is ast.ClassDef:
                    sc.bind(child.name)
                    inner = Scope("class", child, sc)
                    for part in child.bases:
                        push((part, child, sc))
                    for part in child.keywords:
                        push((part, child, sc))
                    for part in child.body:
                        push((part, child, inner))
                    for part in child.decorator_list:
                        push((part, child, sc))
                    continue
                if cls is ast.Import or cls is ast.ImportFrom:
                    if cls is ast.Import:
                        for alias in child.names:
                            if alias.asname:
                                sc.bind(alias.asname, alias.name)
                            else:
                                top = alias.name.split(".")[0]
                                sc.bind(top, top)
                    else:
                        module = ("." * (child.level or 0)) + (child.module or "")
                        if module == "__future__":
                            self.future.update(a.name for a in child.names)
                        for alias in child.names:
                            if alias.name != "*":
                                sc.bind(alias.asname or alias.name, module + "." + alias.name)
                            else:
                                self.star_import = True
                    for alias in child.names:
                        push((alias, child, sc))
                    continue
                if cls is ast.Global:
                    sc.globals.update(child.names)
                    continue
                if cls is ast.Nonlocal:
                    sc.nonlocals.update(child.names)
                    continue
                if cls is ast.ExceptHandler and child.name:
                    sc.bind(child.name)
                elif cls in _COMPREHENSIONS:
                    # These have their own scope on 2 and 3 (list comprehensions
                    # leak on 2.7, so they stay in the enclosing scope here).
                    inner = Scope("comprehension", child, sc)
                elif cls is ast.comprehension and sc.node is parent and sc.kind == "comprehension":
                    # The first iterable is evaluated in the enclosing scope.
                    push((child.target, child, sc))
                    push((child.iter, child, sc.parent if child is parent.generators[0] else sc))
                    for cond in child.ifs:
                        push((cond, child, sc))
                    continue
            # child_nodes(child), inlined: this loop runs for most nodes of the file
            fields = known_fields.get(cls) or child_fields(cls)
            for name in fields:
                value = getattr(child, name, None)
                if type(value) is list:
                    for item in value:
                        if isinstance(item, AST):
                            push((item, child, inner))
                elif isinstance(value, AST):
                    push((value, child, inner))

    # -- questions fixers ask -------------------------------------------
    def defining_scope(self, name: str, scope: Scope) -> Optional[Scope]:
        """The scope that binds ``name`` as seen from ``scope``; None when
        nothing in the module binds it (a builtin, or an unknown global)."""
        first = True
        while scope is not None:
            if scope.kind == "class" and not first:
                scope = scope.parent
                continue
            if name in scope.globals and scope.kind != "module":
                scope = self.module_scope
                continue
            if name in scope.bindings:
                return scope
            scope = scope.parent
            first = False
        return None

    def binding(self, name: str, scope: Scope):
        """``(found, target)`` for ``name`` looked up from ``scope``."""
        found = self.defining_scope(name, scope)
        if found is None:
            return False, None
        return True, found.bindings[name]

    def resolve(self, node: ast.AST) -> Optional[str]:
        """The dotted name ``node`` refers to, or None when it is not known.

        ``unicode`` (not rebound anywhere visible) → ``"builtins.unicode"``;
        ``urllib2.urlopen`` after ``import urllib2`` → ``"urllib2.urlopen"``;
        ``urlopen`` after ``from urllib2 import urlopen`` → ``"urllib2.urlopen"``;
        a local variable, parameter or attribute of one → None.
        """
        resolved = self._resolved
        if node in resolved:
            return resolved[node]
        resolved[node] = found = self._resolve(node)
        return found

    def _resolve(self, node: ast.AST) -> Optional[str]:
        attrs = []
        while type(node) is ast.Attribute:
            attrs.append(node.attr)
            node = node.value
        if type(node) is not ast.Name:
            return None
        found, target = self.binding(node.id, node._pk_scope)
        if found:
            if target is None:
                return None
            base = target
        elif attrs or self.star_import:
            return None  # attribute of an unknown global, or maybe from import *
        else:
            base = BUILTIN + node.id
        if attrs:
            base += "." + ".".join(reversed(attrs))
        return base

    def is_builtin(self, node: ast.AST, name: str) -> bool:
        return type(node) is ast.Name and node.id == name and self.resolve(node) == BUILTIN + name


def _all_args(args: ast.arguments):
    for arg in getattr(args, "posonlyargs", ()):
        yield arg
    for arg in args.args:
        yield arg
    if args.vararg:
        yield args.vararg
    for arg in args.kwonlyargs:
        yield arg
    if args.kwarg:
        yield args.kwarg
