"""The inference's indexes give what a walk over every node gives.

``portkit.kinds`` answers some questions from indexes instead of walking the
tree: a scope's bindings come from its statements alone, unless a list
comprehension or ``:=`` lies below one (``Kinds._all_defs``); a module's or
class's defining statements are indexed by name (``body_members``); the
"is this node inside that one" tests of ``reaching_defs`` are set lookups
(``_chain_of``).  These tests compare each with the plain walk it replaces,
on every input of tests/test_speed_shortcuts.py (documented examples,
fixtures, samples, a slice of the 2.7 standard library) and on a few
hand-written cases.
"""
from __future__ import annotations

import ast
import textwrap
import warnings

import pytest

from portkit import kinds as K
from portkit import lift as lift_stage
from portkit.analysis import Walk
from portkit.context import FileContext
from portkit.positions import LineIndex, apply_edits

from test_speed_shortcuts import inputs

TRICKY = {
    "comprehensions": """
        def f(items):
            total = [x for x in items]
            if items:
                doubled = [y * 2 for y in items if (z := y)]
            else:
                doubled = (w for w in items)
            for a, (b, c) in items:
                d = [e for e in [g for g in c]]
            return total, doubled, x, y, z
        """,
    "handlers and withs": """
        def g(path):
            try:
                with open(path) as handle, open(path) as (other):
                    data = handle.read()
            except IOError as exc:
                data = None
            else:
                data += 'x'
            finally:
                import os.path as osp, sys
                from os import sep as s
            class Inner(object):
                attr = [q for q in 'ab']
            def helper(v=[r for r in 'cd']):
                return lambda u: [t for t in u]
            return data, exc, Inner, helper
        """,
    "module and class": """
        X = 1
        X, Y = 2, 3
        class C(object):
            X = X
            def X(self):
                return [m for m in self]
            X = property(X)
            Z = W = 4
        def X():
            pass
        """,
    "lambda scope": """
        F = lambda a, b=[n for n in 'x']: [k for k in a]
        """,
    "match": """
        def h(command):
            match command:
                case [action, *rest] if (first := action):
                    result = [i for i in rest]
                case _:
                    result = None
            return result
        """,
}


def _context(text: str) -> FileContext:
    if lift_stage.may_need_lift(text):
        text = apply_edits(text, lift_stage.lift(text).edits)
    tree = ast.parse(text)
    return FileContext(text, tree, Walk(tree, ()), LineIndex(text), "")


def _trees():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name, (text, _) in sorted(inputs().items()):
            try:
                yield name, _context(text)
            except SyntaxError:
                continue
        for name, text in TRICKY.items():
            try:
                yield name, _context(textwrap.dedent(text))
            except SyntaxError:  # match on a Python before 3.10
                continue


def _reference_defs(kinds: K.Kinds, scope_node) -> dict:
    """``_all_defs`` as it was: every node below the scope's statements, in
    the order of ``walk_scope``."""
    found = {}

    def add(name, d):
        found.setdefault(name, []).append(d)

    if isinstance(scope_node, K.FUNCS + (ast.Lambda,)):
        for arg in K.all_params(scope_node):
            add(arg.arg, K.Def("param", arg, arg, (0, 0)))
        body = scope_node.body if isinstance(scope_node.body, list) else [scope_node.body]
    else:
        body = scope_node.body
    for stmt in body:
        if isinstance(stmt, K.FUNCS + (ast.ClassDef,)):
            add(stmt.name, K.Def("other", stmt, None, K.end(stmt), "def"))
            continue
        for node in K.walk_scope(stmt):
            K.Kinds._add_def(add, node, scope_node)
    return found


def _scopes(tree):
    yield tree
    for node in ast.walk(tree):
        if isinstance(node, K.FUNCS + (ast.Lambda, ast.ClassDef)):
            yield node


def _defs_key(defs: dict):
    return {name: [(d.kind, id(d.node), id(d.target), d.at, d.extra) for d in found]
            for name, found in defs.items()}


@pytest.fixture(scope="module")
def trees():
    return list(_trees())


def test_the_tricky_cases_parse(trees):
    names = {name for name, _ in trees}
    assert {"comprehensions", "handlers and withs", "module and class", "lambda scope"} <= names


def test_bindings_from_statements_match_the_full_walk(trees):
    checked = 0
    for name, ctx in trees:
        kinds = K.analysis(ctx)
        for scope in _scopes(ctx.tree):
            expected = _defs_key(_reference_defs(kinds, scope))
            assert _defs_key(kinds._all_defs(scope)) == expected, (name, getattr(scope, "name", "module"))
            checked += 1
    assert checked > 1000


def test_comprehension_variables_are_found(trees):
    ctx = dict(trees)["comprehensions"]
    kinds = K.analysis(ctx)
    func = ctx.tree.body[0]
    defs = kinds._all_defs(func)
    for name in ("x", "y", "z", "e", "g", "total", "doubled", "a", "b", "c", "d"):
        assert name in defs, name
    assert "w" not in defs  # a generator expression has its own scope


def test_body_members_match_a_scan_of_the_body(trees):
    for name, ctx in trees:
        for node in ast.walk(ctx.tree):
            if not isinstance(node, (ast.Module, ast.ClassDef)):
                continue
            members = K.body_members(node)
            expected = {}
            for stmt in node.body:
                names = []
                if isinstance(stmt, K.FUNCS + (ast.ClassDef,)):
                    names = [stmt.name]
                elif isinstance(stmt, ast.Assign):
                    names = [t.id for t in stmt.targets if isinstance(t, ast.Name)]
                for bound in dict.fromkeys(names):
                    expected.setdefault(bound, []).append(stmt)
            assert members == expected, name


def test_chains_answer_inside(trees):
    for name, ctx in list(trees)[:40]:
        nodes = ctx.walk.nodes[::7]
        for node in nodes[:60]:
            chain = K._chain_of(node, ctx)
            for container in nodes[:60]:
                assert (id(container) in chain) == K.inside(node, container, ctx), name
