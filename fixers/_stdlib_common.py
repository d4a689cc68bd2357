"""Helpers shared by the fixers of renamed and removed standard-library names
(PK242-PK258: ``fixers/renamed_attributes.py`` and ``fixers/removed_modules.py``).

No fixer lives here.  The questions answered:

* which names a file binds with ``from MODULE import NAME [as ALIAS]`` and
  ``import MODULE [as ALIAS]``;
* which references (``MODULE.NAME`` attributes, from-imported ``ALIAS`` names)
  resolve to a dotted name of interest;
* whether a name written at some node would be the builtin (or a given module);
* how to rewrite a ``from``/``import`` statement that loses some of its names.
"""
from __future__ import annotations

import ast
import re
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

from portkit.fixutil import replace_statement


# -- scopes ------------------------------------------------------------------
def defining_scope(walk, name: str, scope):
    """See :meth:`portkit.analysis.Walk.defining_scope`."""
    return walk.defining_scope(name, scope)


def builtin_visible(ctx, node: ast.AST, name: str) -> bool:
    """Would ``name`` written at ``node`` be the builtin (nothing in the file binds it)?"""
    scope = getattr(node, "_pk_scope", None)
    return scope is not None and defining_scope(ctx.walk, name, scope) is None


def module_visible(ctx, node: ast.AST, name: str, module: Optional[str] = None) -> bool:
    """Can ``name`` written at ``node`` refer to ``import module``?  True when the
    name is free (the import to be added will bind it) or already that module."""
    module = module or name
    scope = getattr(node, "_pk_scope", None)
    if scope is None:
        return False
    found, target = ctx.walk.binding(name, scope)
    # Free: the import to be added at the top binds it.  Otherwise it must
    # already be that module.
    return not found or target == module




# -- imports and references ----------------------------------------------------
def from_aliases(ctx, modules: Iterable[str]) -> Dict[str, set]:
    """{bound name: {original dotted names}} of ``from M import N [as A]`` for M in ``modules``."""
    modules = frozenset(modules)
    key = ("stdlib.from_aliases", modules)
    found = ctx.cache.get(key)
    if found is None:
        found = {}
        for node in ctx.walk.index.get(ast.ImportFrom, ()):
            if node.level or node.module not in modules:
                continue
            for alias in node.names:
                if alias.name != "*":
                    found.setdefault(alias.asname or alias.name, set()).add(node.module + "." + alias.name)
        ctx.cache[key] = found
    return found


def import_aliases(ctx, modules: Iterable[str]) -> Dict[str, str]:
    """{bound name: module} of ``import M [as A]`` for M in ``modules`` (dotted M only with ``as``)."""
    modules = frozenset(modules)
    key = ("stdlib.import_aliases", modules)
    found = ctx.cache.get(key)
    if found is None:
        found = {}
        for node in ctx.walk.index.get(ast.Import, ()):
            for alias in node.names:
                if alias.name in modules:
                    bound = alias.asname or alias.name.split(".")[0]
                    found[bound] = alias.name
        ctx.cache[key] = found
    return found


def name_refs(ctx, bound: str, target: str) -> List[ast.Name]:
    """Load references of the name ``bound`` that resolve to ``target`` (memoised per file)."""
    index = ctx.cache.get("stdlib.names_by_id")
    if index is None:
        index = {}
        for name in ctx.walk.index.get(ast.Name, ()):
            index.setdefault(name.id, []).append(name)
        ctx.cache["stdlib.names_by_id"] = index
    return [n for n in index.get(bound, ()) if type(n.ctx) is ast.Load and ctx.resolve(n) == target]


def import_binds_exactly(ctx, node: ast.stmt, bound: str, target: str) -> bool:
    """Is ``bound`` in the scope of the import ``node`` bound to ``target`` only
    (not also rebound by an assignment, another import, a ``def``...)?"""
    scope = getattr(node, "_pk_scope", None)
    if scope is None:
        return False
    if bound in scope.globals and scope.kind != "module":
        scope = ctx.walk.module_scope
    return scope.bindings.get(bound, None) == target


def alias_text(alias: ast.alias) -> str:
    return alias.name + (" as " + alias.asname if alias.asname else "")


def from_line(module: str, name: str, bound: Optional[str] = None) -> str:
    """``from module import name`` (``as bound`` when the bound name differs)."""
    text = "from %s import %s" % (module, name)
    if bound and bound != name:
        text += " as " + bound
    return text


def rewrite_from(ctx, node: ast.ImportFrom, keep: Sequence[ast.alias], extra: Sequence[str]):
    """An edit replacing ``from M import ...`` by ``from M import <keep>`` and
    the ``extra`` lines (None when the statement shares its line)."""
    lines = []
    if keep:
        module = "." * (node.level or 0) + (node.module or "")
        lines.append("from %s import %s" % (module, ", ".join(alias_text(a) for a in keep)))
    lines.extend(extra)
    return replace_statement(ctx, node, lines)


def rewrite_import(ctx, node: ast.Import, keep: Sequence[ast.alias], extra: Sequence[str] = ()):
    lines = []
    if keep:
        lines.append("import " + ", ".join(alias_text(a) for a in keep))
    lines.extend(extra)
    return replace_statement(ctx, node, lines)


def module_span(ctx, node: ast.ImportFrom) -> Optional[Tuple[int, int]]:
    """Offsets of the dotted module name in ``from MODULE import ...``."""
    start = ctx.start(node)
    pattern = r"from\s+(%s)(?![\w.])" % r"\s*\.\s*".join(re.escape(p) for p in (node.module or "").split("."))
    match = re.compile(pattern).match(ctx.text, start)
    if not match:
        return None
    return match.start(1), match.end(1)


def attr_name_span(ctx, node: ast.Attribute) -> Tuple[int, int]:
    """Offsets of the attribute name of ``x.attr`` (the last characters of the node)."""
    end = ctx.end(node)
    return end - len(node.attr), end


def rename_attr(ctx, node: ast.Attribute, new: str):
    start, end = attr_name_span(ctx, node)
    return ctx.replace_span(start, end, new)


def call_of(ctx, node: ast.AST) -> Optional[ast.Call]:
    """The call whose function ``node`` is, if any."""
    parent = ctx.parent(node)
    if isinstance(parent, ast.Call) and parent.func is node:
        return parent
    return None


def plain_args(call: ast.Call) -> bool:
    """Only positional, non-starred arguments?"""
    return not call.keywords and not any(isinstance(a, ast.Starred) for a in call.args)


def argument_text(ctx, node: ast.AST) -> str:
    """Source of ``node`` fit to be a call argument."""
    text = ctx.source(node)
    if isinstance(node, (ast.Yield, ast.YieldFrom, ast.NamedExpr)) or (
        isinstance(node, ast.GeneratorExp) and not text.startswith("(")
    ):
        return "(%s)" % text
    return text


def isinstance_call(ctx, node: ast.AST, is_builtin=None) -> Optional[ast.Call]:
    """The call of the builtin isinstance/issubclass whose second argument is
    ``node`` or a tuple holding it (at any depth), or None.  ``is_builtin(ctx,
    node, name)`` decides what is the builtin (default: ``ctx.is_builtin``)."""
    parent = ctx.parent(node)
    top = node
    while isinstance(parent, ast.Tuple):
        top, parent = parent, ctx.parent(parent)
    if (
        isinstance(parent, ast.Call)
        and len(parent.args) == 2
        and parent.args[1] is top
        and isinstance(parent.func, ast.Name)
        and parent.func.id in ("isinstance", "issubclass")
        and (ctx.is_builtin(parent.func, parent.func.id) if is_builtin is None
             else is_builtin(ctx, parent.func, parent.func.id))
    ):
        return parent
    return None


def in_isinstance_types(ctx, node: ast.AST) -> Optional[List[ast.AST]]:
    """When ``node`` is (inside a tuple that is) the second argument of the
    builtin isinstance/issubclass, the flattened list of type expressions
    there; otherwise None."""
    call = isinstance_call(ctx, node)
    if call is None:
        return None
    flat = []
    stack = [call.args[1]]
    while stack:
        item = stack.pop()
        if isinstance(item, ast.Tuple):
            stack.extend(item.elts)
        else:
            flat.append(item)
    return flat


def short(ctx, node: ast.AST, limit: int = 40) -> str:
    """The node's source on one line, cut to ``limit`` characters."""
    text = " ".join(ctx.source(node).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."
