"""The base class of every fixer, and the documentation each one carries.

A fixer is a class in a module of the top-level ``fixers`` package, decorated
with :func:`portkit.registry.register`.  It declares:

``code``         unique, never reused (``PK201``)
``name``         a short kebab-case name (``dict-iter-methods``)
``summary``      one line, shown by ``portkit fixers``
``explanation``  what it does, why it matters, fix safety (``portkit explain``)
``examples``     :class:`Example` pairs that ``explain`` prints and the tests run
``fixable``      whether the code is ever rewritten (some findings of a
                 fixable code may still be report-only; the finding says so)
``needles``      words of which at least one must occur in a file's text for
                 the fixer to have anything to do; the engine skips the fixer
                 (and the parse, when no fixer is left) otherwise.  An empty
                 set means "always run".
``names_only``   True for a fixer of ``ast.Name`` nodes that looks only at
                 the names spelled like one of its needles: the engine hands
                 it those alone (a list filter instead of a call per name)
``stage``        ``"ast"`` (default): :meth:`visit` is called for each node of
                 ``node_types`` after one shared walk of the module
                 (``ast.Module`` in ``node_types``: once, with the module's
                 tree, for fixers that work on the whole module); or
                 ``"tokens"``: the fixer works on Python 2 source in the lift
                 stage, before anything is parsed (see :mod:`portkit.lift`).
"""
from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import ClassVar, FrozenSet, Optional, Tuple


@dataclass(frozen=True)
class Example:
    """``before`` is Python 2 code; ``after`` is what ``portkit fix`` makes of it.

    ``after=None`` means the code must be left exactly as it is (either it is
    already fine, or the finding is report-only).  ``findings`` is the list of
    codes that scanning ``before`` must report (all codes, of any fixer, in
    source order); ``None`` means "this fixer's code at least once when
    ``after`` differs, and never when it does not".
    """

    before: str
    after: Optional[str] = None
    title: str = ""
    findings: Optional[Tuple[str, ...]] = None


class Fixer:
    code: ClassVar[str] = ""
    name: ClassVar[str] = ""
    summary: ClassVar[str] = ""
    explanation: ClassVar[str] = ""
    examples: ClassVar[Tuple[Example, ...]] = ()
    fixable: ClassVar[bool] = True
    needles: ClassVar[FrozenSet[str]] = frozenset()
    stage: ClassVar[str] = "ast"
    node_types: ClassVar[Tuple[type, ...]] = ()
    names_only: ClassVar[bool] = False

    def visit(self, node: ast.AST, ctx) -> None:  # pragma: no cover - interface
        """Inspect ``node``; call ``ctx.report(node, message, ...)`` for findings."""
        raise NotImplementedError
