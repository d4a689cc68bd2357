"""The one helper that adds imports for every fixer.

Fixers never edit import statements to add what they need; they return
:class:`~portkit.model.ImportRequest` values and this module turns the union
of them into insertions:

* ``from __future__`` imports go after the module docstring and after any
  existing ``__future__`` imports (multi-line and parenthesised ones included);
* other imports go after the leading block of top-level imports, so they come
  before any statement that could use them;
* a request that an existing top-level import already satisfies is dropped.
"""
from __future__ import annotations

import ast
import os
import re
import time
from typing import Dict, Iterable, List, Optional, Tuple

from .model import Edit, ImportRequest
from .positions import LineIndex


def _existing(tree: ast.Module) -> set:
    have = set()
    for stmt in tree.body:
        if isinstance(stmt, ast.Import):
            for alias in stmt.names:
                have.add(ImportRequest(alias.name, None, alias.asname))
        elif isinstance(stmt, ast.ImportFrom) and not stmt.level:
            for alias in stmt.names:
                have.add(ImportRequest(stmt.module or "", alias.name, alias.asname))
    return have


def _is_docstring(stmt: ast.stmt) -> bool:
    return (
        isinstance(stmt, ast.Expr)
        and isinstance(stmt.value, ast.Constant)
        and isinstance(stmt.value.value, str)
    )


def _is_future(stmt: ast.stmt) -> bool:
    return isinstance(stmt, ast.ImportFrom) and stmt.module == "__future__"


def _line_after(stmt: ast.stmt, lines: LineIndex) -> int:
    """Offset of the start of the line following ``stmt``."""
    end_line = stmt.end_lineno
    if end_line < len(lines.starts):
        return lines.starts[end_line]
    return len(lines.text)


def plan(tree: ast.Module, text: str, requests: Iterable[ImportRequest], lines: LineIndex = None) -> List[Edit]:
    """Insertion edits (on ``text``) that add the missing ``requests``."""
    have = _existing(tree)
    missing = sorted(set(r for r in requests if r not in have),
                     key=lambda r: (r.name is not None, r.module, r.name or "", r.asname or ""))
    if not missing:
        return []
    lines = lines or LineIndex(text)
    body = tree.body
    position = 0
    if body and _is_docstring(body[0]):
        position = 1
    while position < len(body) and _is_future(body[position]):
        position += 1
    future_anchor = body[position - 1] if position else None
    while position < len(body) and isinstance(body[position], (ast.Import, ast.ImportFrom)):
        position += 1
    import_anchor = body[position - 1] if position else None

    def insertion_point(anchor):
        if anchor is not None:
            return _line_after(anchor, lines)
        if body:
            first = body[0]
            line = min([first.lineno] + [d.lineno for d in getattr(first, "decorator_list", ())])
            return lines.offset(line, 0)
        return len(text)

    futures = [r for r in missing if r.is_future]
    others = [r for r in missing if not r.is_future]
    edits = []
    ending = "" if text.endswith("\n") or not text else "\n"
    if futures:
        at = insertion_point(future_anchor)
        prefix = ending if at == len(text) else ""
        names = ", ".join(r.name for r in futures)
        edits.append(Edit(at, at, prefix + "from __future__ import %s\n" % names))
    if others:
        at = insertion_point(import_anchor)
        prefix = ending if at == len(text) and not edits else ""
        edits.append(Edit(at, at, prefix + "".join(r.statement() + "\n" for r in others)))
    if len(edits) == 2 and edits[0].start == edits[1].start:
        edits = [Edit(edits[0].start, edits[0].start, edits[0].replacement + edits[1].replacement)]
    return edits


_MODULE_EXTENSIONS = (".py", ".so", ".pyd", "module.so")


_LISTINGS: Dict[str, Tuple[int, frozenset]] = {}
_RACY_NS = 2_000_000_000  # a folder changed this recently may change again within its mtime's tick


def listing(directory: str) -> Optional[frozenset]:
    """The names in ``directory`` (None when it cannot be read).  Kept for the
    next files of the same folder while the folder's mtime stays the same (and
    is not so recent that a change in the same tick could go unseen)."""
    try:
        stamp = os.stat(directory).st_mtime_ns
        cached = _LISTINGS.get(directory)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        entries = frozenset(os.listdir(directory))
    except OSError:
        return None
    if time.time_ns() - stamp > _RACY_NS:
        _LISTINGS[directory] = (stamp, entries)
    return entries


def is_sibling(directory: str, entries: frozenset, name: str) -> bool:
    """Is there a module or package ``name`` in ``directory`` (whose names are
    ``entries``): what Python 2's implicit relative import finds first?"""
    if any(name + ext in entries for ext in _MODULE_EXTENSIONS):
        return True
    if name in entries:
        sub = listing(os.path.join(directory, name))
        return sub is not None and "__init__.py" in sub
    return False


def _package_entries(directory: str) -> Optional[frozenset]:
    """The names in ``directory`` when it is a package (has ``__init__.py``)."""
    entries = listing(directory)
    return entries if entries is not None and "__init__.py" in entries else None


def may_import_a_sibling(path: str, requests: Iterable[ImportRequest]) -> bool:
    """Whether an import added to the module at ``path`` finds a module of its
    own package on Python 2 (``import six`` next to a vendored ``six.py``):
    an implicit relative import, which the next analysis of the file reports
    (PK241)."""
    names = {r.module.partition(".")[0] for r in requests if r.module != "__future__"}
    if not names or not path:
        return False
    directory = os.path.dirname(os.path.abspath(path))
    entries = _package_entries(directory)
    return entries is not None and any(is_sibling(directory, entries, name) for name in names)


# -- import cycles between the modules of one package --------------------------------
_IMPORT_LINE = re.compile(
    r"^[ \t]*(?:from[ \t]+(\.*)([\w.]*)[ \t]+import[ \t]+(\([^)]*\)|[^#\n]*(?:\\\n[^#\n]*)*)"
    r"|import[ \t]+([^#\n]*(?:\\\n[^#\n]*)*))", re.M)
_GRAPHS: Dict[str, Tuple[frozenset, Dict[str, Tuple[int, frozenset]], Dict[str, frozenset]]] = {}


_IMPORT_MODULE_CALL = re.compile(r"""import_module\(.*?['"]\.(\w+)['"]\s*\)""")


def _names_in(clause: str) -> List[str]:
    clause = clause.strip().strip("()").replace("\\\n", " ")
    return [part.split(" as ")[0].strip() for part in clause.split(",") if part.strip()]


def _module_edges(text: str, package: str, modules: frozenset) -> frozenset:
    """The modules of the package (``modules``; ``__init__`` for the package
    itself) that ``text`` imports anywhere (inside functions too: an
    over-approximation of what it imports while it loads)."""
    found = set(name for name in _IMPORT_MODULE_CALL.findall(text) if name in modules)  # PK241's cycle form

    def dotted(parts, names=()):
        """``import a.b`` / ``from a.b import names``, without dots in front."""
        if parts[0] in modules:
            found.add(parts[0])
        elif parts[0] == package:  # the package spelled out
            found.add("__init__")
            if len(parts) > 1 and parts[1] in modules:
                found.add(parts[1])
            elif len(parts) == 1:
                found.update(n for n in names if n in modules)

    for level, module, names, plain in _IMPORT_LINE.findall(text):
        if plain:
            for name in _names_in(plain):
                dotted(name.split("."))
        elif level == "." and module:
            if module.split(".")[0] in modules:
                found.add(module.split(".")[0])
        elif level == ".":
            found.add("__init__")
            found.update(n for n in _names_in(names) if n in modules)
        elif not level and module:
            dotted(module.split("."), _names_in(names))
    return frozenset(found)


def in_import_cycle(path: str, sibling: str) -> bool:
    """Whether the module ``sibling`` of the package that holds ``path`` may
    import (directly or through other modules of the package, or the package
    itself) the module at ``path`` back: then ``from . import sibling`` can run
    while ``sibling`` is still loading, which Python 2.7 refuses ("cannot
    import name") where its implicit relative ``import sibling`` worked.

    The edges are read from the modules' text with a regex (every import
    statement, wherever it is), so a cycle may be seen where there is none at
    run time, never the reverse."""
    directory = os.path.dirname(os.path.abspath(path))
    entries = _package_entries(directory)
    if entries is None:
        return False
    modules = frozenset(name[:-3] for name in entries if name.endswith(".py") and name != "__init__.py")
    modules |= frozenset(name for name in entries
                         if "." not in name and name not in modules and is_sibling(directory, entries, name))
    package = os.path.basename(directory)
    cached = _GRAPHS.get(directory)
    if cached is None or cached[0] != entries:
        cached = (entries, {}, {})
        _GRAPHS[directory] = cached
    _, stamps, edges = cached

    def edges_of(module: str) -> frozenset:
        file = os.path.join(directory, module + ".py") if module != "__init__" else os.path.join(directory,
                                                                                                "__init__.py")
        if not os.path.isfile(file):
            file = os.path.join(directory, module, "__init__.py")
        try:
            stamp = os.stat(file).st_mtime_ns
        except OSError:
            return frozenset()
        known = stamps.get(module)
        if known is not None and known[0] == stamp:
            return known[1]
        try:
            with open(file, "rb") as handle:
                text = handle.read().decode("utf-8", "replace")
        except OSError:
            return frozenset()
        found = _module_edges(text, package, modules)
        stamps[module] = (stamp, found)
        return found

    me = os.path.basename(path)[:-3] if path.endswith(".py") else os.path.basename(path)
    if me == "__init__":
        me = "__init__"
    seen = {sibling}
    todo = [sibling]
    while todo:
        current = todo.pop()
        for nxt in edges_of(current):
            if nxt == me:
                return True
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return False
