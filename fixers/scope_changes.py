"""Names and attributes that Python 3 no longer provides: ``exception.message``,
list comprehension variables and ``except ... as e`` names after their block."""
from __future__ import annotations

import ast
import builtins

from portkit.fixer import Example, Fixer
from portkit.registry import register

from fixers._classic import (
    FUNCTIONS,
    bindings_in_scope,
    defining_scope,
    end_pos,
    inside,
    nodes_of,
    pos,
    uses_in_scope,
)


def _class_sets_message(cls: ast.ClassDef) -> bool:
    for node in ast.walk(cls):
        if isinstance(node, ast.Attribute) and node.attr == "message" and type(node.ctx) is ast.Store:
            return True
        if isinstance(node, FUNCTIONS) and node.name == "message":
            return True
        if isinstance(node, ast.Name) and node.id == "message" and type(node.ctx) is ast.Store:
            return True
    return False


def _handler_types(handler):
    kind = handler.type
    if kind is None:
        return []
    return list(kind.elts) if isinstance(kind, ast.Tuple) else [kind]


@register
class ExceptionMessage(Fixer):
    code = "PK232"
    name = "exception-message"
    summary = "BaseException.message does not exist on Python 3"
    explanation = """
    What it does: finds ``e.message`` where ``e`` is the name an ``except
    ... as e`` clause binds.  When every caught class is a builtin exception,
    it becomes ``(e.args[0] if len(e.args) == 1 else '')``, which is exactly
    how 2.7 computes ``BaseException.message``; otherwise it is reported.

    Why: ``BaseException.message`` was deprecated in 2.6 (``python -3``
    warns) and removed in Python 3 (AttributeError).  A person may prefer
    ``str(e)``, which is the same for the usual one-argument exceptions.

    Exception classes of this module that set a ``message`` attribute of
    their own are not reported; for imported exception classes the finding
    says to check whether the class defines ``message``.
    """
    examples = (
        Example("try:\n    data = json.loads(body)\nexcept ValueError as e:\n    log(e.message)\n",
                "try:\n    data = json.loads(body)\nexcept ValueError as e:\n"
                "    log((e.args[0] if len(e.args) == 1 else ''))\n"),
        Example("try:\n    fetch()\nexcept HTTPError as e:\n    log(e.message)\n", None,
                title="A class portkit does not know: reported", findings=("PK232",)),
        Example("class AppError(Exception):\n    def __init__(self, message):\n        self.message = message\n\n"
                "try:\n    run()\nexcept AppError as e:\n    log(e.message)\n", None,
                title="The module's exception defines message"),
    )
    needles = frozenset(["message"])
    node_types = (ast.ExceptHandler, ast.ClassDef)

    def visit(self, node, ctx):
        if type(node) is not ast.ExceptHandler:
            return
        name = node.name
        if not name:
            return
        scope = node._pk_scope
        imported = []
        for kind in _handler_types(node):
            if isinstance(kind, ast.Name):
                local = [c for c in _classes(ctx) if c.name == kind.id]
                if local:
                    if any(_class_sets_message(c) for c in local):
                        return
                    continue
                if ctx.is_builtin(kind, kind.id) and isinstance(getattr(builtins, kind.id, None), type):
                    continue
            imported.append(ctx.source(kind))
        for stmt in node.body:
            for sub in ast.walk(stmt):
                if not (isinstance(sub, ast.Attribute) and sub.attr == "message" and isinstance(sub.value, ast.Name)
                        and sub.value.id == name and type(sub.ctx) is ast.Load):
                    continue
                if defining_scope(ctx.walk, name, sub.value._pk_scope) is not scope:
                    continue
                hedge = " (unless %s defines message)" % ", ".join(imported) if imported else ""
                message = "exception.message is gone in Python 3%s: use str(%s) or %s.args[0]" % (hedge, name, name)
                if imported:
                    ctx.report(sub, message)
                else:
                    exact = "(%s.args[0] if len(%s.args) == 1 else '')" % (name, name)
                    ctx.report(sub, message, edits=[ctx.replace(sub, exact)])


def _handler_known(handler, ctx) -> bool:
    """Are all classes the handler catches builtins or plain classes of this
    module (so that indexing and ``message`` behave as BaseException's)?"""
    return all(isinstance(kind, ast.Name) and _class_known(kind, ctx, set()) for kind in _handler_types(handler))


def _class_known(name: ast.Name, ctx, seen) -> bool:
    """``name`` is a builtin class, or a class of this module whose every base
    is known too and none of which defines ``__getitem__``/``__iter__`` or
    sets ``message``."""
    local = [c for c in _classes(ctx) if c.name == name.id]
    if not local:
        return ctx.is_builtin(name, name.id) and isinstance(getattr(builtins, name.id, None), type)
    if name.id in seen:
        return False  # a cycle of names: give up
    seen.add(name.id)
    for cls in local:
        if _class_sets_message(cls) or _defines(cls, ("__getitem__", "__iter__")):
            return False
        if cls.keywords or not all(isinstance(b, ast.Name) and _class_known(b, ctx, seen) for b in cls.bases):
            return False
    return True


def _defines(cls: ast.ClassDef, names) -> bool:
    return any(isinstance(n, FUNCTIONS) and n.name in names for n in cls.body)


@register
class ExceptionIndexing(Fixer):
    code = "PK235"
    name = "exception-indexing"
    summary = "exceptions cannot be indexed on Python 3 (use e.args[i])"
    explanation = """
    What it does: rewrites ``e[0]`` to ``e.args[0]`` where ``e`` is the name
    an ``except ... as e`` clause binds and every caught class is a builtin
    exception or a plain exception class of this module.  Other receivers are
    reported.

    Why: Python 2's ``BaseException.__getitem__`` returned ``self.args[i]``
    (``python -3`` warns about it); Python 3 exceptions are not sequences
    (TypeError).  ``e.args[i]`` is the same value on both.
    """
    examples = (
        Example("try:\n    os.remove(path)\nexcept OSError as e:\n    code = e[0]\n",
                "try:\n    os.remove(path)\nexcept OSError as e:\n    code = e.args[0]\n"),
        Example("try:\n    call()\nexcept RemoteError as e:\n    code = e[0]\n", None,
                title="A class portkit does not know: reported", findings=("PK235",)),
    )
    needles = frozenset(["except"])
    node_types = (ast.ExceptHandler,)

    def visit(self, node, ctx):
        name = node.name
        if not name:
            return
        # A handler that binds the name again (``e = rows``, ``for e in ...``)
        # may index something else: report only.
        rebound = any(
            isinstance(sub, ast.Name) and sub.id == name and type(sub.ctx) is not ast.Load
            for stmt in node.body
            for sub in ast.walk(stmt)
        )
        known = not rebound and _handler_known(node, ctx)
        for stmt in node.body:
            for sub in ast.walk(stmt):
                if not (isinstance(sub, ast.Subscript) and isinstance(sub.value, ast.Name)
                        and sub.value.id == name and type(sub.ctx) is ast.Load):
                    continue
                if defining_scope(ctx.walk, name, sub.value._pk_scope) is not node._pk_scope:
                    continue
                message = "exceptions are not sequences on Python 3: use %s.args[...]" % name
                if known:
                    start = ctx.end(sub.value)
                    ctx.report(sub, message, edits=[ctx.replace_span(start, start, ".args")])
                elif rebound:
                    ctx.report(sub, message + " (not rewritten: the handler binds %s again)" % name)
                else:
                    ctx.report(sub, message + " (check that the class and its bases have no __getitem__)")


def _classes(ctx):
    classes = ctx.cache.get("classic.classdefs")
    if classes is None:
        classes = nodes_of(ctx, ast.ClassDef)
        ctx.cache["classic.classdefs"] = classes
    return classes


def _rebound_by_listcomp(ctx, use, name) -> bool:
    """Is ``use`` inside a list comprehension that binds ``name`` itself?"""
    node = ctx.parent(use)
    while node is not None and not isinstance(node, FUNCTIONS + (ast.ClassDef, ast.Lambda, ast.Module)):
        if isinstance(node, ast.ListComp) and any(t.id == name for t in _comprehension_targets(node)):
            return True
        node = ctx.parent(node)
    return False


def _first_use_after(ctx, name, scope, after, skip_inside=()):
    """The first read of ``name`` (bound in ``scope``) after position ``after``
    with no rebinding of the name between (a list comprehension binding the
    name again covers its own reads)."""
    kills = [pos(b) for b in bindings_in_scope(ctx, name, scope) if pos(b) >= after]
    for use in uses_in_scope(ctx, name, scope):
        where = pos(use)
        if where < after or any(inside(use, block) for block in skip_inside):
            continue
        if _rebound_by_listcomp(ctx, use, name):
            continue
        if any(after <= k < where for k in kills):
            continue
        return use
    return None


def _comprehension_targets(comp):
    names = []
    for gen in comp.generators:
        for sub in ast.walk(gen.target):
            if isinstance(sub, ast.Name):
                names.append(sub)
    return names


@register
class ListComprehensionLeak(Fixer):
    code = "PK233"
    name = "listcomp-variable-leak"
    summary = "a list comprehension's variable is used after it (Python 3 does not leak it)"
    fixable = False
    explanation = """
    What it does: reports a read of a list comprehension's loop variable
    after the comprehension, in the same function, when nothing rebinds the
    name in between.

    Why: on 2.7 ``[x for x in xs]`` assigns ``x`` in the enclosing function,
    so after it ``x`` is the last item.  On Python 3 the comprehension has its
    own scope: the later ``x`` is whatever it was before (or a NameError).
    Not rewritten: assign the value explicitly (``x = xs[-1]``) or rename the
    comprehension variable, depending on what the code meant.
    """
    examples = (
        Example("def last(rows):\n    names = [r.name for r in rows]\n    return r\n", None,
                findings=("PK233",)),
        Example("def f(rows):\n    names = [r.name for r in rows]\n    for r in rows:\n        print(r)\n", None,
                title="Rebound before use"),
    )
    needles = frozenset(["for"])
    node_types = (ast.ListComp,)

    def visit(self, node, ctx):
        if type(node) is not ast.ListComp:
            return
        scope = node._pk_scope
        if scope.kind == "comprehension":
            return
        after = end_pos(node)
        seen = set()
        for target in _comprehension_targets(node):
            name = target.id
            if name in seen or name == "_":
                continue
            seen.add(name)
            if defining_scope(ctx.walk, name, target._pk_scope) is not scope:
                continue
            use = _first_use_after(ctx, name, scope, after, skip_inside=[node])
            if use is not None:
                ctx.report(use, "%s is the variable of the list comprehension on line %d: Python 3 does not "
                           "leak it out of the comprehension" % (name, node.lineno))


def _exits(body) -> bool:
    last = body[-1] if body else None
    return isinstance(last, (ast.Return, ast.Raise, ast.Continue, ast.Break))


@register
class ExceptNameLeak(Fixer):
    code = "PK234"
    name = "except-name-leak"
    summary = "the name of an 'except ... as e' clause is used after the block (Python 3 deletes it)"
    fixable = False
    explanation = """
    What it does: reports a read of the name bound by ``except ... as e``
    after the ``except`` block, in the same function, when nothing rebinds it
    in between (handlers that always leave with return/raise/break/continue
    are skipped).

    Why: Python 3 deletes ``e`` at the end of the ``except`` block (to break
    the reference cycle through the traceback), even when it was bound
    before the ``try``; a later read raises NameError/UnboundLocalError.
    Not rewritten: copy the exception to another name inside the block
    (``error = e``) and use that.
    """
    examples = (
        Example("try:\n    connect()\nexcept IOError as e:\n    pass\nif e:\n    log(e)\n", None,
                findings=("PK234",)),
        Example("try:\n    connect()\nexcept IOError as e:\n    error = e\nlog(error)\n", None,
                title="Copied inside the block"),
    )
    needles = frozenset(["except"])
    node_types = (ast.ExceptHandler,)

    def visit(self, node, ctx):
        if type(node) is not ast.ExceptHandler:
            return
        name = node.name
        if not name or _exits(node.body):
            return
        scope = defining_scope(ctx.walk, name, node._pk_scope)
        if scope is None:
            return
        try_node = ctx.parent(node)
        siblings = [h for h in getattr(try_node, "handlers", ()) if h is not node]
        use = _first_use_after(ctx, name, scope, end_pos(node), skip_inside=siblings)
        if use is not None:
            ctx.report(use, "%s was bound by the except clause on line %d: Python 3 deletes it at the end of "
                       "that block; copy it to another name inside the block" % (name, node.lineno))
