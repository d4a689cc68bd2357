"""Code that already runs on Python 3, which ``portkit fix`` leaves alone.

Three facts, each computed once per file (or once per project folder):

:func:`python3_only`
    the reason a parsed module can only be Python 3 code (an f-string, an
    annotation, ``async def``, keyword-only parameters, ``nonlocal``,
    ``yield from``, ``super()`` without arguments, ...), or None.  Such a
    file gets no Python 2 semantics at all: no implicit relative imports, no
    classic division, no ``str``/``unicode`` rewrites, no six.
:func:`project_on_python3`
    the reason the project a file belongs to already declares Python 3
    support in its packaging metadata (a ``Programming Language :: Python ::
    3`` classifier, or a ``python_requires`` / ``requires-python`` that
    admits a Python 3), or None.  A project that converts its sources with
    ``use_2to3`` at install time is Python 2 source, whatever it declares.
:func:`compat_module`
    the name a module binds to a Python version test at its top level
    (``PY3 = sys.version_info[0] == 3``): such a module is written for both
    already, and is left alone as a whole.
:func:`version_guarded`
    the source spans of the branches under a Python version test: ``if
    six.PY2:``, ``if PY3:`` (with ``PY3 = sys.version_info[0] == 3`` in the
    module, or a ``PY2``/``PY3``-style name imported from a compatibility
    module), ``if sys.version_info >= (3,):``, ``x if PY2 else y``,
    ``try: unicode except NameError:``, and ``try: import <a module only
    Python 3 has> except ImportError:``.  Each branch of such a test already
    runs on the version it is written for: neither is rewritten.
"""
from __future__ import annotations

import ast
import os
import re
from typing import Dict, List, Optional, Tuple

from .project import project_folder

__all__ = ["python3_only", "project_on_python3", "compat_module", "version_guarded", "Span"]

# (first line, first col, last line, end col): 1-based lines, 0-based columns
Span = Tuple[int, int, int, int]

# -- Python-3-only syntax ---------------------------------------------------------
_PY3_NODES = {
    ast.JoinedStr: "an f-string",
    ast.AnnAssign: "a variable annotation",
    ast.AsyncFunctionDef: "async def",
    ast.Await: "await",
    ast.AsyncFor: "async for",
    ast.AsyncWith: "async with",
    ast.Nonlocal: "nonlocal",
    ast.YieldFrom: "yield from",
    ast.NamedExpr: "an assignment expression (:=)",
}
for _name, _what in (("Match", "a match statement"), ("TryStar", "except*"), ("TypeAlias", "a type alias")):
    if hasattr(ast, _name):
        _PY3_NODES[getattr(ast, _name)] = _what


def python3_only(tree: ast.Module, index: Optional[Dict[type, list]] = None,
                 text: Optional[str] = None) -> Optional[str]:
    """Why ``tree`` (parsed from the file's own text) is Python 3 code, or None.

    ``index`` is a walk's node index (:class:`portkit.analysis.Walk`), used
    instead of walking the tree again when given; ``text``, the module's
    source, lets the checks of rare forms be skipped when their cue is not in
    it."""
    if index is None:
        index = {}
        for node in ast.walk(tree):
            index.setdefault(type(node), []).append(node)
    for node_type, what in _PY3_NODES.items():
        if index.get(node_type):
            return what
    for stmt in tree.body:
        if isinstance(stmt, ast.ImportFrom) and stmt.module == "__future__":
            if any(alias.name == "annotations" for alias in stmt.names):
                return "from __future__ import annotations"
        elif not (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant)):
            break
    for arg in index.get(ast.arg, ()):
        if arg.annotation is not None:
            return "a parameter annotation"
    for args in index.get(ast.arguments, ()):
        if args.kwonlyargs:
            return "keyword-only parameters"
        if getattr(args, "posonlyargs", None):
            return "positional-only parameters"
    for func in index.get(ast.FunctionDef, ()):
        if func.returns is not None:
            return "a return annotation"
    for cls in index.get(ast.ClassDef, ()):
        if cls.keywords:
            return "a keyword in a class statement (metaclass=...)"
    for node in index.get(ast.Raise, ()):
        if node.cause is not None:
            return "raise ... from ..."
    for node in index.get(ast.Starred, ()):
        if isinstance(node.ctx, ast.Store):
            return "starred assignment (a, *b = ...)"
    if text is None or "**" in text:
        for node in index.get(ast.Dict, ()):
            if None in node.keys:
                return "dict unpacking ({**a})"
    if text is None or "super()" in text:
        for node in index.get(ast.Call, ()):
            func = node.func
            if isinstance(func, ast.Name) and func.id == "super" and not node.args and not node.keywords:
                return "super() without arguments"
    return None


# -- the project's declared Python versions ----------------------------------------
_METADATA = ("pyproject.toml", "setup.cfg", "setup.py")
_CLASSIFIER_3 = re.compile(r"Programming Language\s*::\s*Python\s*::\s*3")
_REQUIRES = re.compile(r"""(?:python_requires|requires-python)\s*[=:]\s*['"]([^'"]+)['"]""")
_REQUIRES_CFG = re.compile(r"^\s*python_requires\s*=\s*(.+)$", re.M)
_USE_2TO3 = re.compile(r"use_2to3\s*=\s*True|build_py_2to3|\blib2to3\b")
_PROJECT_CACHE: Dict[Tuple[str, str], Optional[str]] = {}


def _admits_python3(spec: str) -> bool:
    """Whether a version specifier (``>=3.6``, ``>=2.7, !=3.0.*``, ``<3``)
    admits some Python 3 release (a light reading of PEP 440)."""
    clauses = [c.strip() for c in spec.split(",") if c.strip()]
    if not clauses:
        return False
    for probe in ((3, 9), (3, 11), (3, 6)):
        if all(_clause_admits(clause, probe) for clause in clauses):
            return True
    return False


def _clause_admits(clause: str, version: Tuple[int, int]) -> bool:
    match = re.match(r"(~=|==|!=|<=|>=|<|>)\s*([0-9][0-9.]*)(\.\*)?$", clause)
    if not match:
        return True  # not understood: it decides nothing
    op, number, star = match.groups()
    wanted = tuple(int(p) for p in number.strip(".").split(".")[:2])
    have = version[: len(wanted)]
    if star:
        same = have == wanted
        return same if op == "==" else (not same if op == "!=" else True)
    if op == "==":
        return have == wanted
    if op == "!=":
        return have != wanted
    if op == ">=":
        return version >= wanted
    if op == ">":
        return version > wanted
    if op == "<=":
        return have <= wanted
    if op == "<":
        return version < wanted
    return version >= wanted  # ~=


def _declares_python3(folder: str) -> Optional[str]:
    texts = {}
    for name in _METADATA:
        path = os.path.join(folder, name)
        try:
            with open(path, "rb") as handle:
                texts[name] = handle.read(1 << 20).decode("utf-8", "replace")
        except OSError:
            continue
    if not texts:
        return None
    if any(_USE_2TO3.search(text) for text in texts.values()):
        return ""  # Python 2 source, converted at install time
    for name, text in texts.items():
        for match in _REQUIRES.finditer(text):
            if _admits_python3(match.group(1)):
                return "%s: python_requires %r" % (name, match.group(1))
        if name == "setup.cfg":
            for match in _REQUIRES_CFG.finditer(text):
                spec = match.group(1).strip()
                if _admits_python3(spec):
                    return "setup.cfg: python_requires %r" % spec
        if _CLASSIFIER_3.search(text):
            return "%s: a 'Programming Language :: Python :: 3' classifier" % name
    return ""


def project_on_python3(path: str) -> Optional[str]:
    """The reason ``path``'s project declares Python 3 support, or None.

    The metadata looked at is that of the file's own folder and of each
    folder above it up to the folder that holds its top-level package (one
    more when that one is a ``src``/``lib`` folder); the nearest folder with
    a ``pyproject.toml``, ``setup.cfg`` or ``setup.py`` decides."""
    if not path:
        return None
    folder = os.path.dirname(os.path.abspath(path))
    top = project_folder(path)
    if os.path.basename(top) in ("src", "lib"):
        top = os.path.dirname(top)
    key = (folder, top)
    if key in _PROJECT_CACHE:
        return _PROJECT_CACHE[key]
    found = None
    while True:
        verdict = _declares_python3(folder)
        if verdict is not None:
            found = verdict or None
            break
        parent = os.path.dirname(folder)
        if folder == top or parent == folder:
            break
        folder = parent
    _PROJECT_CACHE[key] = found
    return found


# -- version guards ------------------------------------------------------------------
_PY2_NAMES = re.compile(r"^_*(?:IS_?)?PY(?:THON)?_?(2|3)K?$", re.I)
_PY2_BUILTINS = frozenset(
    "unicode basestring long unichr xrange raw_input reduce file buffer cmp execfile reload intern "
    "apply coerce StandardError".split())
# Modules (or packages) that only Python 3's standard library has.
_PY3_MODULES = frozenset(
    "builtins configparser copyreg queue reprlib socketserver _thread _dummy_thread winreg tkinter "
    "http html xmlrpc urllib.parse urllib.request urllib.error urllib.response urllib.robotparser "
    "_markupbase dbm.gnu dbm.ndbm dbm.dumb collections.abc".split())
# Modules that only Python 2's standard library has (a try: of their import
# whose handler imports none of them is a 2/3 switch).
_PY2_MODULES = frozenset(
    "StringIO cStringIO urllib2 urlparse HTMLParser htmlentitydefs httplib Cookie cookielib ConfigParser Queue "
    "SocketServer BaseHTTPServer SimpleHTTPServer CGIHTTPServer cPickle __builtin__ copy_reg thread repr Tkinter "
    "xmlrpclib SimpleXMLRPCServer robotparser UserDict UserList UserString sgmllib htmllib markupbase mimetools "
    "rfc822 commands sets md5 sha new exceptions dircache popen2 anydbm dbhash dumbdbm whichdb gdbm mimify "
    "MimeWriter multifile posixfile imputil ihooks rexec Bastion statvfs user mutex dl fpformat DocXMLRPCServer "
    "_winreg dummy_thread".split())
_SYS_2 = {"version_info": (2, 7, 18, "final", 0), "hexversion": 0x20712F0, "version": "2.7.18",
          "major": 2}
_SYS_3 = {"version_info": (3, 11, 7, "final", 0), "hexversion": 0x30B07F0, "version": "3.11.7",
          "major": 3}
_UNKNOWN = object()


class _Guards:
    def __init__(self, tree: ast.Module):
        self.tree = tree
        self.aliases: Dict[str, str] = {}  # name -> "py2" | "py3": true on that version
        self.spans: List[Span] = []
        self._collect_aliases()

    # which version a test is true on: "py2", "py3", or None
    def _collect_aliases(self) -> None:
        for stmt in self.tree.body:
            if isinstance(stmt, ast.ImportFrom):
                for alias in stmt.names:
                    match = _PY2_NAMES.match(alias.name)
                    if match:
                        self.aliases[alias.asname or alias.name] = "py" + match.group(1)
            elif isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
                side = self.test(stmt.value)
                if side is not None:
                    self.aliases[stmt.targets[0].id] = side

    def test(self, node: ast.AST) -> Optional[str]:
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            side = self.test(node.operand)
            return None if side is None else ("py3" if side == "py2" else "py2")
        if isinstance(node, ast.Name):
            return self.aliases.get(node.id)
        if isinstance(node, ast.Attribute) and node.attr in ("PY2", "PY3") and isinstance(node.value, ast.Name) \
                and node.value.id == "six":
            return node.attr.lower()
        if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.And):
            sides = {self.test(value) for value in node.values} - {None}
            return sides.pop() if len(sides) == 1 else None
        if isinstance(node, (ast.Compare, ast.Call)) and _may_test_version(node):
            on2, on3 = _evaluate(node, _SYS_2), _evaluate(node, _SYS_3)
            if isinstance(on2, bool) and isinstance(on3, bool) and on2 != on3:
                return "py2" if on2 else "py3"
        return None

    def collect(self, index: Optional[Dict[type, list]]) -> List[Span]:
        if index is None:
            nodes = ast.walk(self.tree)
        else:
            nodes = [n for t in (ast.If, ast.IfExp, ast.Try) for n in index.get(t, ())]
        for node in nodes:
            if isinstance(node, (ast.If, ast.IfExp)):
                if self.test(node.test) is not None:
                    for part in (node.body, node.orelse):
                        self._add(part)
            elif isinstance(node, ast.Try) and self._switch(node):
                self._add(node.body)
                for handler in node.handlers:
                    self._add(handler.body)
                self._add(node.orelse)
        return self.spans

    def _add(self, part) -> None:
        nodes = part if isinstance(part, list) else [part]
        for node in nodes:
            self.spans.append((node.lineno, node.col_offset, node.end_lineno, node.end_col_offset))

    def _switch(self, node: ast.Try) -> bool:
        """``try: <Python 2 only> except NameError:`` or ``try: import <Python 3
        only> except ImportError:`` (either way round)."""
        caught = set()
        for handler in node.handlers:
            kinds = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
            caught.update(k.id for k in kinds if isinstance(k, ast.Name))
        parts = [node.body] + [h.body for h in node.handlers]
        if "NameError" in caught and _loads_python2_builtin(node.body) \
                and not any(_loads_python2_builtin(handler.body) for handler in node.handlers):
            return True  # (a handler that uses unicode too is a fallback for old Pythons 2, which runs on 3)
        if "ImportError" in caught or "ModuleNotFoundError" in caught:
            for part in parts:
                for stmt in part:
                    if _imports_python3_module(stmt):
                        return True
            if any(_imports_module(stmt, _PY2_MODULES) for stmt in node.body) and not any(
                    isinstance(sub, (ast.Import, ast.ImportFrom))
                    for handler in node.handlers for stmt in handler.body for sub in ast.walk(stmt)):
                # try: <Python 2's import> except ImportError: <a stand-in made here, no import>
                # (a handler that imports may be a fallback for old Pythons 2)
                return True
        return False


def _loads_python2_builtin(body) -> bool:
    for stmt in body:
        for sub in ast.walk(stmt):
            if isinstance(sub, ast.Name) and sub.id in _PY2_BUILTINS and isinstance(sub.ctx, ast.Load):
                return True
    return False


def _imports_module(stmt: ast.stmt, modules) -> bool:
    """Does ``stmt`` import (the top of) one of ``modules``?"""
    if isinstance(stmt, ast.Import):
        return any(alias.name.split(".")[0] in modules for alias in stmt.names)
    return isinstance(stmt, ast.ImportFrom) and not stmt.level and bool(stmt.module) \
        and stmt.module.split(".")[0] in modules


def _imports_python3_module(stmt: ast.stmt) -> bool:
    names = []
    if isinstance(stmt, ast.Import):
        names = [alias.name for alias in stmt.names]
    elif isinstance(stmt, ast.ImportFrom) and not stmt.level and stmt.module:
        names = [stmt.module] + [stmt.module + "." + alias.name for alias in stmt.names]
    for name in names:
        parts = name.split(".")
        if any(".".join(parts[:n]) in _PY3_MODULES for n in range(1, len(parts) + 1)):
            return True
    return False


def _root_name(node) -> Optional[str]:
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Call)):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None


def _may_test_version(node) -> bool:
    """A cheap look before :func:`_evaluate`: a comparison of something of
    ``sys`` (or of ``str``/``bytes``), or a ``sys.version.startswith()``."""
    if isinstance(node, ast.Compare):
        return _root_name(node.left) in ("sys", "str", "bytes") or any(
            _root_name(c) in ("sys", "str", "bytes") for c in node.comparators)
    return _root_name(node) == "sys"


def _evaluate(node: ast.AST, facts: dict):
    """A value for the few expressions a version test is made of, with
    ``sys`` as ``facts`` says; ``_UNKNOWN`` for anything else."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Tuple):
        items = tuple(_evaluate(e, facts) for e in node.elts)
        return _UNKNOWN if any(i is _UNKNOWN for i in items) else items
    if isinstance(node, ast.Attribute):
        if isinstance(node.value, ast.Name) and node.value.id == "sys" and node.attr in facts:
            return facts[node.attr]
        if node.attr == "major":
            base = _evaluate(node.value, facts)
            return base[0] if isinstance(base, tuple) else _UNKNOWN
        return _UNKNOWN
    if isinstance(node, ast.Subscript):
        base = _evaluate(node.value, facts)
        if base is _UNKNOWN:
            return _UNKNOWN
        index = node.slice
        try:
            if isinstance(index, ast.Slice):
                lower = _evaluate(index.lower, facts) if index.lower else None
                upper = _evaluate(index.upper, facts) if index.upper else None
                return base[lower:upper]
            return base[_evaluate(index, facts)]
        except Exception:
            return _UNKNOWN
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "startswith" \
            and len(node.args) == 1:
        base, arg = _evaluate(node.func.value, facts), _evaluate(node.args[0], facts)
        if isinstance(base, str) and isinstance(arg, str):
            return base.startswith(arg)
        return _UNKNOWN
    if isinstance(node, ast.Compare) and len(node.ops) == 1:
        left, right = _evaluate(node.left, facts), _evaluate(node.comparators[0], facts)
        if left is _UNKNOWN or right is _UNKNOWN:
            return _identity_test(node, facts)
        op = type(node.ops[0])
        try:
            return {ast.Eq: lambda a, b: a == b, ast.NotEq: lambda a, b: a != b, ast.Lt: lambda a, b: a < b,
                    ast.LtE: lambda a, b: a <= b, ast.Gt: lambda a, b: a > b,
                    ast.GtE: lambda a, b: a >= b}[op](left, right)
        except (KeyError, TypeError):
            return _UNKNOWN
    return _UNKNOWN


def _identity_test(node: ast.Compare, facts: dict):
    """``str is bytes`` (true on 2 only) and ``str is not bytes``."""
    names = [node.left, node.comparators[0]]
    if all(isinstance(n, ast.Name) for n in names) and {n.id for n in names} == {"str", "bytes"}:
        same = facts["major"] == 2
        op = type(node.ops[0])
        if op in (ast.Is, ast.Eq):
            return same
        if op in (ast.IsNot, ast.NotEq):
            return not same
    return _UNKNOWN


_CUES = re.compile(r"PY[23_]|[Pp]y[23]|version|NameError|ImportError|ModuleNotFoundError| is (?:bytes|str)")


def compat_module(tree: ast.Module, text: str) -> Optional[str]:
    """The name a module assigns a Python version test to at its top level
    (``PY3 = sys.version_info[0] == 3``), or None: such a module is written
    for 2 and 3 already (a compatibility module) and is left alone whole."""
    if "version" not in text and "hexversion" not in text:
        return None
    guards = _Guards.__new__(_Guards)
    guards.aliases = {}
    for stmt in tree.body:
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
            if guards.test(stmt.value) is not None:
                return stmt.targets[0].id
    return None


def version_guarded(tree: ast.Module, text: str, index: Optional[Dict[type, list]] = None) -> List[Span]:
    """The spans of the branches under a Python version test (see the module doc).

    ``text`` is the module's source: a file without a cue for a version test
    is not looked at; ``index`` a walk's node index, when there is one."""
    if _CUES.search(text) is None:
        return []
    return _Guards(tree).collect(index)
