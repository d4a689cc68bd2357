"""Small helpers that fixers share: precedence, call pieces, import edits."""
from __future__ import annotations

import ast
from typing import List, Optional

from .model import Edit, ImportRequest

SIX = ImportRequest("six")

# Node types whose source must be parenthesised when used as the operand of a
# comparison (``in``), of an arithmetic operator, or as a call's receiver.
_LOOSE = (ast.BoolOp, ast.Compare, ast.IfExp, ast.Lambda, ast.NamedExpr, ast.Yield, ast.YieldFrom, ast.Starred)


def is_loose(node: ast.AST) -> bool:
    return isinstance(node, _LOOSE) or (isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not))


def operand(ctx, node: ast.AST) -> str:
    """Source of ``node`` fit to stand as an operand of ``in`` or ``+``."""
    text = ctx.source(node)
    return "(%s)" % text if is_loose(node) or "\n" in text and not _bracketed(text) else text


def atom(ctx, node: ast.AST) -> str:
    """Source of ``node`` fit to stand before ``.attr`` or ``(...)``."""
    text = ctx.source(node)
    if isinstance(node, (ast.Name, ast.Attribute, ast.Call, ast.Subscript, ast.Constant, ast.List,
                         ast.Tuple, ast.Dict, ast.Set, ast.ListComp, ast.DictComp, ast.SetComp, ast.GeneratorExp)):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, (int, float, complex))):
            return text
    return "(%s)" % text


def _bracketed(text: str) -> bool:
    return text[:1] in "([{" and text[-1:] in ")]}"


def needs_parens_as_comparison(node: ast.AST, ctx) -> bool:
    """Would ``a in b`` replacing ``node`` need parentheses in its parent?"""
    parent = ctx.parent(node)
    if isinstance(parent, (ast.Expr, ast.If, ast.While, ast.Assign, ast.AnnAssign, ast.Return, ast.BoolOp,
                           ast.Call, ast.keyword, ast.Assert, ast.List, ast.Tuple, ast.Set, ast.Lambda,
                           ast.comprehension, ast.AugAssign, ast.IfExp, ast.Dict, ast.FormattedValue)):
        if isinstance(parent, ast.Call) and parent.func is node:
            return True
        return False
    if isinstance(parent, ast.UnaryOp) and isinstance(parent.op, ast.Not):
        return False
    return True


def call_args_source(ctx, call: ast.Call) -> str:
    """The exact source between a call's parentheses (comments and layout kept)."""
    text = ctx.text
    start = ctx.end(call.func)
    end = ctx.end(call)
    inner = text[start:end]
    open_at = inner.index("(")
    return inner[open_at + 1:-1]


def module_level_names(tree: ast.Module):
    """Names of functions and methods defined anywhere in the module."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            names.add(node.name)
    return names


def defined_functions(ctx) -> set:
    """Memoised :func:`module_level_names` for this file."""
    names = ctx.cache.get("defined_functions")
    if names is None:
        names = set()
        for node in ctx.walk.index.get(ast.FunctionDef, ()):
            names.add(node.name)
        if ast.FunctionDef not in ctx.walk.index:
            names = module_level_names(ctx.tree)
        ctx.cache["defined_functions"] = names
    return names


def line_bounds(ctx, node: ast.stmt):
    """(start of the statement's first line, offset after its last line's newline)."""
    start = ctx.lines.starts[node.lineno - 1]
    end_line = node.end_lineno
    end = ctx.lines.starts[end_line] if end_line < len(ctx.lines.starts) else len(ctx.text)
    return start, end


def statement_alone_on_lines(ctx, node: ast.stmt) -> bool:
    start, end = line_bounds(ctx, node)
    before = ctx.text[start:ctx.start(node)]
    after = ctx.text[ctx.end(node):end]
    return before.strip() == "" and (after.strip() == "" or after.strip().startswith("#"))


def indentation(ctx, node: ast.stmt) -> str:
    start = ctx.lines.starts[node.lineno - 1]
    return ctx.text[start:ctx.start(node)]


def replace_statement(ctx, node: ast.stmt, lines: List[str]) -> Optional[Edit]:
    """Replace a simple statement standing alone on its line(s) with ``lines``.

    An empty list removes it (``pass`` is left when it was a block's only
    statement).  Returns None when the statement shares its line with others
    (``a; b``), which callers report instead of fixing.
    """
    if not statement_alone_on_lines(ctx, node):
        return None
    indent = indentation(ctx, node)
    if not lines:
        parent = ctx.parent(node)
        for field in ("body", "orelse", "finalbody", "handlers"):
            block = getattr(parent, field, None)
            if isinstance(block, list) and node in block and len(block) == 1:
                lines = ["pass"]
                break
    if not lines:
        start, end = line_bounds(ctx, node)
        return Edit(start, end, "")
    start, end = ctx.span(node)
    return Edit(start, end, ("\n" + indent).join(lines))
