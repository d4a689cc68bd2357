"""Helpers shared by the classic-catalogue fixers (PK210-PK239).

No fixer lives here.  The helpers answer questions about one file that the
engine's walk does not answer directly: which scope a name is bound in, where
a name is used and rebound, which methods a class body defines, and how to
insert a line after a method or above a class.
"""
from __future__ import annotations

import ast
from typing import Dict, List, Optional, Tuple

from portkit.model import Edit
from portkit.positions import apply_edits

FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_COMPS = (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)


# -- positions ---------------------------------------------------------------
def pos(node: ast.AST) -> Tuple[int, int]:
    return (node.lineno, node.col_offset)


def end_pos(node: ast.AST) -> Tuple[int, int]:
    return (node.end_lineno, node.end_col_offset)


def inside(node: ast.AST, outer: ast.AST) -> bool:
    """Is ``node`` textually within ``outer``?"""
    return pos(outer) <= pos(node) and end_pos(node) <= end_pos(outer)


# -- scopes and names --------------------------------------------------------
def defining_scope(walk, name: str, scope):
    """See :meth:`portkit.analysis.Walk.defining_scope`."""
    return walk.defining_scope(name, scope)


def builtin_visible(ctx, node: ast.AST, name: str) -> bool:
    """Would the name ``name``, written at ``node``, be the builtin?"""
    scope = getattr(node, "_pk_scope", None)
    return scope is not None and defining_scope(ctx.walk, name, scope) is None




# Node types the name helpers below read (the engine's walk indexes every
# type; some fixers list these in ``node_types`` and ignore them in ``visit``).
SCOPE_TYPES = (ast.Name, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.ExceptHandler, ast.Import,
               ast.ImportFrom)


def nodes_of(ctx, *types) -> List[ast.AST]:
    """Every node of the given types, from the walk's index when it has them."""
    index = ctx.walk.index  # the walk indexes every node type that occurs
    if len(types) == 1:
        return index.get(types[0], [])
    return [n for t in types for n in index.get(t, ())]


def plain_assignments(ctx, name: str, scope) -> Optional[List[ast.AST]]:
    """The values assigned to ``name`` in ``scope`` when every binding of it
    there is a plain ``name = value`` (None otherwise)."""
    values = []
    for node in nodes_of(ctx, ast.Name):
        if node.id != name or type(node.ctx) is ast.Load:
            continue
        if ctx.walk.defining_scope(node.id, node._pk_scope) is not scope:
            continue
        parent = ctx.parent(node)
        if not (isinstance(parent, ast.Assign) and parent.targets == [node]):
            return None
        values.append(parent.value)
    return values


def attribute_assignments(ctx, attr: str) -> Optional[List[ast.AST]]:
    """The values assigned to ``<anything>.attr`` in the module when every
    store of such an attribute is a plain ``obj.attr = value`` (None
    otherwise, or when the module calls ``setattr``)."""
    if "setattr" in ctx.words:
        return None
    values = []
    for node in nodes_of(ctx, ast.Attribute):
        if node.attr != attr or type(node.ctx) is ast.Load:
            continue
        parent = ctx.parent(node)
        if not (isinstance(parent, ast.Assign) and parent.targets == [node]):
            return None
        values.append(parent.value)
    return values


def names_by_id(ctx) -> Dict[str, List[ast.Name]]:
    """``{identifier: [Name nodes]}`` for the whole module, in source order."""
    table = ctx.cache.get("classic.names")
    if table is None:
        table = {}
        for node in nodes_of(ctx, ast.Name):
            table.setdefault(node.id, []).append(node)
        for nodes_of_name in table.values():
            nodes_of_name.sort(key=pos)
        ctx.cache["classic.names"] = table
    return table


def bindings_in_scope(ctx, name: str, scope) -> List[ast.AST]:
    """Nodes that (re)bind ``name`` in ``scope``: assignment targets (``+=``
    excluded: it reads first), ``for``/``with``/``except ... as`` targets,
    imports, ``def``/``class`` statements.  In source order."""
    key = ("classic.bindings", name, id(scope))
    found = ctx.cache.get(key)
    if found is not None:
        return found
    found = []
    walk = ctx.walk
    for node in names_by_id(ctx).get(name, ()):
        if type(node.ctx) is ast.Store and not isinstance(ctx.parent(node), ast.AugAssign):
            if defining_scope(walk, name, node._pk_scope) is scope:
                found.append(node)
    for node in _binders(ctx):
        if getattr(node, "_pk_scope", None) is None:
            continue
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound = [node.name]
        elif isinstance(node, ast.ExceptHandler):
            bound = [node.name] if node.name else []
        else:
            bound = [(a.asname or a.name).split(".")[0] for a in node.names]
        if name in bound and defining_scope(walk, name, node._pk_scope) is scope:
            found.append(node)
    found.sort(key=pos)
    ctx.cache[key] = found
    return found


def _binders(ctx):
    nodes = ctx.cache.get("classic.binders")
    if nodes is None:
        nodes = nodes_of(ctx, *SCOPE_TYPES[1:])
        ctx.cache["classic.binders"] = nodes
    return nodes


def uses_in_scope(ctx, name: str, scope) -> List[ast.Name]:
    """``Name`` nodes that read ``name`` bound in ``scope`` (nested functions
    included; ``del name`` and ``name += ...`` count as reads)."""
    walk = ctx.walk
    uses = []
    for node in names_by_id(ctx).get(name, ()):
        kind = type(node.ctx)
        if kind is ast.Store and not isinstance(ctx.parent(node), ast.AugAssign):
            continue
        if defining_scope(walk, name, node._pk_scope) is scope:
            uses.append(node)
    return uses


def statement_of(ctx, node: ast.AST) -> Optional[ast.stmt]:
    while node is not None and not isinstance(node, ast.stmt):
        node = ctx.parent(node)
    return node


def blocks_of(ctx, stmt: ast.stmt):
    """The statement lists (``(parent id, field)``) that contain ``stmt``,
    innermost first, up to the enclosing function, class or module."""
    blocks = []
    node = stmt
    while node is not None:
        parent = ctx.parent(node)
        if parent is None:
            break
        for field in ("body", "orelse", "finalbody", "handlers"):
            block = getattr(parent, field, None)
            if isinstance(block, list) and any(item is node for item in block):
                blocks.append((id(parent), field))
                break
        if isinstance(parent, FUNCTIONS + (ast.ClassDef, ast.Lambda)):
            break
        node = parent
    return blocks


def loops_between(ctx, node: ast.AST, stop: ast.AST) -> List[ast.AST]:
    """Loop statements whose repeated part encloses ``node``, below ``stop``."""
    loops = []
    child, parent = node, ctx.parent(node)
    while parent is not None and parent is not stop:
        if isinstance(parent, (ast.For, ast.AsyncFor)) and child is not parent.iter:
            loops.append(parent)
        elif isinstance(parent, ast.While):
            loops.append(parent)
        elif isinstance(parent, ast.comprehension):
            comp = ctx.parent(parent)
            if child is not parent.iter or comp.generators[0] is not parent:
                loops.append(comp)
        elif isinstance(parent, _COMPS) and not isinstance(child, ast.comprehension):
            loops.append(parent)
        if isinstance(parent, FUNCTIONS + (ast.ClassDef, ast.Lambda)):
            break
        child, parent = parent, ctx.parent(parent)
    return loops


def reaching_uses(ctx, assign: ast.stmt, name: str, scope) -> List[ast.Name]:
    """Reads of ``name`` that may see the value ``assign`` gives it.

    A read counts when it comes after ``assign`` in the text and no
    rebinding of the name in a block that encloses ``assign`` lies between
    the two (a rebinding in an ``else`` branch does not hide the ``if``
    branch's value).  Reads earlier in the text, reached again through a
    loop, are not counted.
    """
    start = end_pos(assign)
    kills = []
    mine = set(blocks_of(ctx, assign))
    for binding in bindings_in_scope(ctx, name, scope):
        if pos(binding) < start or inside(binding, assign):
            continue
        stmt = statement_of(ctx, binding) if not isinstance(binding, ast.stmt) else binding
        if stmt is None:
            continue
        if isinstance(binding, ast.ExceptHandler):
            continue  # binds only inside the handler
        block = blocks_of(ctx, stmt)[:1]
        if block and block[0] in mine:
            kills.append(pos(binding))
    uses = []
    for use in uses_in_scope(ctx, name, scope):
        where = pos(use)
        if where < start:
            continue
        if any(start <= k < where for k in kills):
            continue
        uses.append(use)
    return uses


# -- classes -----------------------------------------------------------------
def class_members(cls: ast.ClassDef) -> Dict[str, ast.stmt]:
    """Names a class body defines directly: methods and simple assignments."""
    members = {}
    for stmt in cls.body:
        if isinstance(stmt, FUNCTIONS):
            members[stmt.name] = stmt
        elif isinstance(stmt, ast.Assign):
            for target in stmt.targets:
                for sub in ast.walk(target):
                    if isinstance(sub, ast.Name):
                        members[sub.id] = stmt
        elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
            members[stmt.target.id] = stmt
    return members


def line_start(ctx, lineno: int) -> int:
    return ctx.lines.starts[lineno - 1]


def line_after(ctx, lineno: int) -> Tuple[int, str]:
    """(offset of the line after ``lineno``, prefix) -- prefix is ``"\\n"`` when
    ``lineno`` is the last line and the text does not end with a newline."""
    starts = ctx.lines.starts
    if lineno < len(starts):
        return starts[lineno], ""
    return len(ctx.text), ("" if ctx.text.endswith("\n") else "\n")


def indent_of(ctx, node: ast.stmt) -> str:
    return ctx.text[line_start(ctx, node.lineno):ctx.start(node)]


def alone_on_lines(ctx, node: ast.stmt) -> bool:
    """Does ``node`` start its first line and end its last one (comments aside)?"""
    before = ctx.text[line_start(ctx, node.lineno):ctx.start(node)]
    end, _ = line_after(ctx, node.end_lineno)
    after = ctx.text[ctx.end(node):end]
    rest = after.strip()
    return before.strip() == "" and (rest == "" or rest.startswith("#"))


def insert_after_member(ctx, member: ast.stmt, line: str) -> Optional[Edit]:
    """An edit adding ``line`` after the class member ``member`` (same indentation)."""
    if not alone_on_lines(ctx, member):
        return None
    if isinstance(member, FUNCTIONS) and member.body and not alone_on_lines(ctx, member.body[-1]):
        if member.body[-1].lineno != member.lineno:
            return None
    at, prefix = line_after(ctx, member.end_lineno)
    if prefix:  # the last line of a file without a final newline
        return Edit(at, at, "\n%s%s" % (indent_of(ctx, member), line))
    return Edit(at, at, "%s%s\n" % (indent_of(ctx, member), line))


def insert_decorator(ctx, cls: ast.ClassDef, decorator: str, outermost: bool = False) -> Optional[Edit]:
    """An edit adding ``@decorator`` to a class: right above the ``class``
    line (applied first), or with ``outermost`` above its other decorators
    (applied last).

    The edit replaces the ``class`` keyword or the first decorator's ``@``
    (not a zero-width insertion at the line start), so that an import the
    engine inserts at the start of that line lands before the decorator.
    """
    if outermost and cls.decorator_list:
        first = cls.decorator_list[0]
        begin = line_start(ctx, first.lineno)
        at = ctx.text.rfind("@", begin, ctx.start(first))
        indent = ctx.text[begin:at]
        if at < 0 or indent.strip():
            return None
        return Edit(at, at + 1, "@%s\n%s@" % (decorator, indent))
    start = ctx.start(cls)
    begin = line_start(ctx, cls.lineno)
    indent = ctx.text[begin:start]
    if indent.strip() or ctx.text[start:start + 5] != "class":
        return None  # ``if x: class C: ...`` and similar
    return Edit(start, start + 5, "@%s\n%sclass" % (decorator, indent))


def simple_reference(node: ast.AST) -> bool:
    """A name or a chain of attributes of a name: evaluating it twice is safe."""
    while isinstance(node, ast.Attribute):
        node = node.value
    return isinstance(node, ast.Name)


def reference_key(node: ast.AST):
    """A hashable key for a name or attribute chain (``self.items`` → ``('self', 'items')``),
    constant subscripts included (``token['data']`` → ``('token', "['data']")``)."""
    parts = []
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        if isinstance(node, ast.Attribute):
            parts.append(node.attr)
        elif isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, (str, int)):
            parts.append("[%r]" % (node.slice.value,))
        else:
            return None
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return tuple(reversed(parts))


# The methods that change a dict, and a list, in place.
DICT_MUTATORS = frozenset("pop popitem clear update setdefault __setitem__ __delitem__".split())
LIST_MUTATORS = frozenset("append extend insert remove pop sort reverse clear __setitem__ __delitem__".split())


def loop_mutates(ctx, loop: ast.For, receivers, kind) -> Optional[str]:
    """How the body of ``loop`` changes one of ``receivers`` (reference keys),
    or None; ``kind`` is "view" (the loop runs over a dict's keys, items or
    values), or "lazy" / "range" (over a list made another way)."""
    if not receivers:
        return None
    methods = DICT_MUTATORS if kind == "view" else LIST_MUTATORS
    exempt = None
    if kind == "view":  # d[k] = v for the loop's own key does not resize the dict
        target = loop.target
        if isinstance(target, ast.Tuple) and target.elts:
            target = target.elts[0]
        if isinstance(target, ast.Name):
            exempt = target.id
    stack = list(loop.body)
    while stack:
        node = stack.pop()
        if isinstance(node, FUNCTIONS + (ast.ClassDef, ast.Lambda)):
            continue
        kind_ = type(node)
        if kind_ is ast.Subscript and type(node.ctx) is not ast.Load and reference_key(node.value) in receivers:
            if not (type(node.ctx) is ast.Store and isinstance(node.slice, ast.Name) and node.slice.id == exempt):
                return "changes %s" % reference_text(reference_key(node.value))
        elif kind_ is ast.Call and isinstance(node.func, ast.Attribute) and node.func.attr in methods:
            if reference_key(node.func.value) in receivers:
                return "calls %s.%s()" % (reference_text(reference_key(node.func.value)), node.func.attr)
        elif kind_ is ast.AugAssign and kind == "lazy" and reference_key(node.target) in receivers:
            return "extends %s" % reference_text(reference_key(node.target))
        stack.extend(ast.iter_child_nodes(node))
    return None


def reference_text(key) -> str:
    """``('token', "['data']", 'x')`` → ``token['data'].x``."""
    return "".join(part if part.startswith("[") or not n else "." + part for n, part in enumerate(key))


def combine(ctx, edits) -> Edit:
    """One edit doing all of ``edits`` (non-overlapping) over the text they span.

    The engine drops an edit that overlaps another and applies the rest; a
    fix made of several edits must not be applied in part, so fixers whose
    edits only make sense together return them combined.
    """
    edits = sorted(edits, key=lambda e: (e.start, e.end))
    start = edits[0].start
    end = max(e.end for e in edits)
    shifted = [Edit(e.start - start, e.end - start, e.replacement) for e in edits]
    return Edit(start, end, apply_edits(ctx.text[start:end], shifted))


def remove_statement(ctx, stmt: ast.stmt, block) -> Optional[Edit]:
    """Delete the lines of a simple statement that stands alone on them.

    ``pass`` replaces it when it is the only statement of ``block``; a blank
    line right after it goes too when the line before it is blank or is the
    block's header (no doubled or leading blank lines are left behind).
    """
    if not alone_on_lines(ctx, stmt):
        return None
    start = line_start(ctx, stmt.lineno)
    end, _ = line_after(ctx, stmt.end_lineno)
    if len(block) == 1:
        newline = "\n" if ctx.text[start:end].endswith("\n") else ""
        return Edit(start, end, "%spass%s" % (indent_of(ctx, stmt), newline))
    lines = ctx.lines
    first = block[0] is stmt
    blank_before = stmt.lineno > 1 and not lines.line_text(stmt.lineno - 1).strip()
    if block[-1] is stmt:
        # The blank lines that separated it from the statement before go too.
        line = stmt.lineno - 1
        while line > block[-2].end_lineno and not lines.line_text(line).strip():
            start = line_start(ctx, line)
            line -= 1
    elif stmt.end_lineno < len(lines.starts) and not lines.line_text(stmt.end_lineno + 1).strip():
        if first or blank_before:
            end, _ = line_after(ctx, stmt.end_lineno + 1)
    return Edit(start, end, "")


def argument(ctx, node: ast.AST) -> str:
    """Source of ``node`` fit to stand as a call argument (``(yield)`` keeps
    the parentheses its node does not include)."""
    text = ctx.source(node)
    if isinstance(node, (ast.Yield, ast.YieldFrom, ast.NamedExpr)):
        return "(%s)" % text
    return text
