"""libcst, only on the statements that change.

Most fixes are small span replacements computed from ``ast`` positions.  A
fix that restructures a statement (a decorator added to a class, a keyword
argument renamed inside a call, a method alias added to a class body) uses
:func:`rewrite_statement`: the one statement's source is parsed with libcst,
transformed, and spliced back, so formatting and comments inside it are kept
by libcst and everything outside it is untouched.  The rest of the module is
never given to libcst, which keeps ``portkit fix`` fast.
"""
from __future__ import annotations

import ast
from typing import Callable

from .model import Edit

_PREFIX = "if 1:\n"


class RewriteError(Exception):
    pass


def _libcst():
    import libcst  # imported on first use: scanning never pays for it

    return libcst


def statement_source_span(ctx, stmt: ast.stmt):
    """(start of the statement's first line, including decorators; end offset)."""
    first = stmt.lineno
    for decorator in getattr(stmt, "decorator_list", ()):
        first = min(first, decorator.lineno)
    return ctx.lines.starts[first - 1], ctx.end(stmt)


def rewrite_statement(ctx, stmt: ast.stmt, transform: Callable) -> Edit:
    """An edit replacing ``stmt`` by ``transform(libcst_statement)``.

    ``transform`` receives the libcst node of the statement (for example a
    ``libcst.ClassDef``) and returns its replacement (a node, or a
    ``libcst.FlattenSentinel`` of several).  Raises :class:`RewriteError`
    when the statement cannot be parsed on its own.
    """
    cst = _libcst()
    start, end = statement_source_span(ctx, stmt)
    source = ctx.text[start:end]
    first_line = source.split("\n", 1)[0]
    indent = first_line[: len(first_line) - len(first_line.lstrip(" \t"))]
    wrapped = (_PREFIX + source if indent else source) + "\n"
    try:
        module = cst.parse_module(wrapped)
    except (cst.ParserSyntaxError, RecursionError) as exc:
        raise RewriteError("libcst cannot parse the statement at line %d: %s" % (stmt.lineno, exc))
    if indent:
        holder = module.body[0]
        target = holder.body.body[0]
        new = transform(target)
        new_module = module.with_deep_changes(holder.body, body=_replace_first(holder.body.body, new, cst))
        code = new_module.code[len(_PREFIX):]
    else:
        target = module.body[0]
        new = transform(target)
        new_module = module.with_changes(body=_replace_first(module.body, new, cst))
        code = new_module.code
    if code.endswith("\n") and not source.endswith("\n"):
        code = code[:-1]
    return Edit(start, end, code)


def _replace_first(body, new, cst):
    if isinstance(new, cst.FlattenSentinel):
        return tuple(new.nodes) + tuple(body[1:])
    return (new,) + tuple(body[1:])
