"""Implicit relative imports: ``import sibling`` inside a package (PK241)."""
from __future__ import annotations

import ast
import os
import re
import sys
from typing import List, Optional

from portkit.fixer import Example, Fixer
from portkit.fixutil import indentation, replace_statement, statement_alone_on_lines
from portkit.imports import in_import_cycle, is_sibling, listing
from portkit.model import ImportRequest
from portkit.registry import register

ABSOLUTE_IMPORT = ImportRequest("__future__", "absolute_import")
_IMPORT_MODULE = "importlib.import_module("
_MAIN = re.compile(r"""__name__\s*==\s*['"]__main__['"]|['"]__main__['"]\s*==\s*__name__""")
_STDLIB = frozenset(getattr(sys, "stdlib_module_names", ()))


def _package_dir(ctx) -> Optional[str]:
    """The directory of ``ctx.path`` when it is a package (has ``__init__.py``), else None."""
    key = "relative.package_dir"
    if key in ctx.cache:
        return ctx.cache[key]
    found = None
    if ctx.path:
        directory = os.path.dirname(os.path.abspath(ctx.path))
        entries = listing(directory)
        if entries is not None and "__init__.py" in entries:
            found = directory
            ctx.cache["relative.entries"] = entries
    ctx.cache[key] = found
    return found


def _is_sibling(ctx, name: str) -> bool:
    """Is there a module or package ``name`` next to the file (what Python 2's
    implicit relative import would find first)?"""
    memo = ctx.cache.setdefault("relative.siblings", {})
    if name in memo:
        return memo[name]
    directory = _package_dir(ctx)
    found = directory is not None and is_sibling(directory, ctx.cache["relative.entries"], name)
    memo[name] = found
    return found


def _runs_as_script(ctx) -> bool:
    return ctx.text.startswith("#!") or "__main__" in ctx.text and _MAIN.search(ctx.text) is not None


def _message(names) -> str:
    message = "implicit relative import of sibling module %s: Python 3 imports a top-level %s instead" % (
        ", ".join(names), "module" if len(names) == 1 else "modules")
    return message + _shadow_note(names)


def _module_span(ctx, node: ast.ImportFrom):
    parts = node.module.split(".")
    pattern = r"from\s+(%s)(?![\w.])" % r"\s*\.\s*".join(re.escape(p) for p in parts)
    match = re.compile(pattern).match(ctx.text, ctx.start(node))
    return (match.start(1), match.end(1)) if match else None


_TYPE_CHECKING = frozenset(["TYPE_CHECKING", "MYPY_CHECK_RUNNING", "MYPY"])


def _type_checking_only(ctx, node) -> bool:
    """Is ``node`` inside ``if TYPE_CHECKING:`` (or ``if False:``)?  Such imports
    never run; type checkers read them with Python 3 rules."""
    child, parent = node, ctx.parent(node)
    while parent is not None:
        if isinstance(parent, ast.If) and child in parent.body:
            test = parent.test
            name = test.id if isinstance(test, ast.Name) else test.attr if isinstance(test, ast.Attribute) else None
            if name in _TYPE_CHECKING or (isinstance(test, ast.Constant) and test.value is False):
                return True
        child, parent = parent, ctx.parent(parent)
    return False


def _in_script_guard(ctx, node) -> bool:
    """Is ``node`` inside the ``if __name__ != '__main__' or __package__:``
    block that the rewrite for scripts writes (either branch)?"""
    parent = ctx.parent(node)
    while parent is not None and not isinstance(parent, (ast.FunctionDef, ast.ClassDef, ast.Module)):
        if isinstance(parent, ast.If) and any(
                isinstance(n, ast.Name) and n.id == "__package__" for n in ast.walk(parent.test)):
            return True
        parent = ctx.parent(parent)
    return False


def _statement_plan(ctx, node):
    """None when ``node`` imports no sibling; else (message, relative lines or
    None, note).  The lines are the explicit relative form of the statement."""
    if _type_checking_only(ctx, node) or _in_script_guard(ctx, node):
        return None
    if isinstance(node, ast.ImportFrom):
        if node.level or not node.module:
            return None
        top = node.module.split(".")[0]
        if not _is_sibling(ctx, top):
            return None
        message = _message([top])
        span = _module_span(ctx, node)
        if span is None:
            return message, None, "; write from .%s import ..." % node.module
        start = ctx.start(node)
        text = ctx.source(node)
        text = text[:span[0] - start] + "." + node.module + text[span[1] - start:]
        return message, [text], ""
    siblings = [a for a in node.names if _is_sibling(ctx, a.name.split(".")[0])]
    if not siblings:
        return None
    names = [a.name.split(".")[0] for a in siblings]
    message = _message(names)
    lines: List[str] = []
    plain = [a for a in node.names if a not in siblings]
    if plain:
        lines.append("import " + ", ".join(a.name + (" as " + a.asname if a.asname else "") for a in plain))
    for alias in siblings:
        package, _, leaf = alias.name.rpartition(".")
        if package and not alias.asname:
            top = alias.name.split(".")[0]
            return message, None, ("; `import %s` binds %s and loads the submodule: write `from . import %s` "
                                   "and `from .%s import %s`" % (alias.name, top, top, package, leaf))
        bound = alias.asname or leaf
        if not package and in_import_cycle(ctx.path, leaf):
            # ``from . import x`` fails on 2.7 while x is still loading (an
            # import cycle); import_module() returns the module from
            # sys.modules as the implicit relative import did, on both.
            # the package's name; an __init__.py may also be loaded as the module "pkg.__init__"
            here = ("(__name__ if '__path__' in globals() else __name__.rpartition('.')[0])"
                    if os.path.basename(ctx.path) == "__init__.py" else "__name__.rpartition('.')[0]")
            if not any(line == "import importlib" for line in lines) and not re.search(
                    r"^import importlib[ \t]*$", ctx.text[:ctx.start(node)], re.M):
                lines.append("import importlib")  # here: it must come before its use
            lines.append("%s = %s%s + '.%s')" % (bound, _IMPORT_MODULE, here, leaf))
            continue
        text = "from %s import %s" % ("." + package if package else ".", leaf)
        if bound != leaf:
            text += " as " + bound
        lines.append(text)
    return message, lines, ""


_SCRIPT_TEST = "if __name__ != '__main__' or __package__:"
_SCRIPT_ELSE = "else:  # run as a script: the sibling modules are top-level modules there"


def _reindent(text: str, extra: str) -> str:
    return text.replace("\n", "\n" + extra)


def _script_groups(ctx, entries):
    """Runs of sibling imports on consecutive lines of one block, in order."""
    groups = []
    for node in sorted(entries, key=lambda n: (n.lineno, n.col_offset)):
        parent = ctx.parent(node)
        block = None
        for field in ("body", "orelse", "finalbody"):
            items = getattr(parent, field, None)
            if isinstance(items, list) and any(item is node for item in items):
                block = (id(parent), field)
        last = groups[-1][-1] if groups else None
        if (last is not None and last[1] == block and node.lineno == last[0].end_lineno + 1):
            groups[-1].append((node, block))
        else:
            groups.append([(node, block)])
    return [[node for node, _ in group] for group in groups]


def _script_edit(ctx, group, relative):
    """One edit turning the run of statements ``group`` into the guarded pair of branches."""
    for node in group:
        if not statement_alone_on_lines(ctx, node):
            return None
    indent = indentation(ctx, group[0])
    inner = indent + "    "
    first = [_reindent(line, "    ") for node in group for line in relative[node]]
    second = [_reindent(ctx.source(node), "    ") for node in group]
    lines = [_SCRIPT_TEST] + [inner + line for line in first] + [indent + _SCRIPT_ELSE]
    lines += [inner + line for line in second]
    return ctx.replace_span(ctx.start(group[0]), ctx.end(group[-1]), "\n".join(lines))


def _module_plan(ctx):
    """(every sibling import fixable?, {node: (message, edit or None)}), memoised."""
    plan = ctx.cache.get("relative.plan")
    if plan is not None:
        return plan
    entries = {}
    for node_type in (ast.Import, ast.ImportFrom):
        for node in ctx.walk.index.get(node_type, ()):
            entry = _statement_plan(ctx, node)
            if entry is not None:
                entries[node] = entry
    nodes = {}
    if _runs_as_script(ctx):
        relative = {node: lines for node, (_, lines, _) in entries.items()}
        for node, (message, lines, note) in entries.items():
            if lines is None:
                nodes[node] = (message + note, None)
        for group in _script_groups(ctx, [n for n in entries if relative[n] is not None]):
            edit = _script_edit(ctx, group, relative)
            for node in group:
                message = entries[node][0]
                if edit is None:
                    nodes[node] = (message + "; not rewritten: the import shares its line with another "
                                   "statement", None)
                else:
                    nodes[node] = (message + ": made explicit when imported from the package, kept as it "
                                   "is when the file runs as a script", edit)
    else:
        for node, (message, lines, note) in entries.items():
            if lines is None:
                nodes[node] = (message + note, None)
                continue
            if isinstance(node, ast.ImportFrom):
                span = _module_span(ctx, node)
                nodes[node] = (message + ": made explicit", ctx.replace_span(span[0], span[1], "." + node.module))
                continue
            edit = replace_statement(ctx, node, lines)
            if edit is None:
                nodes[node] = (message + "; write %s (not rewritten: the import shares its line)" % lines[-1],
                               None)
            else:
                nodes[node] = (message + ": made explicit", edit)
    plan = (all(edit is not None for _, edit in nodes.values()), nodes)
    ctx.cache["relative.plan"] = plan
    return plan


def _shadow_note(names) -> str:
    shadowing = [n for n in names if n in _STDLIB]
    if not shadowing:
        return ""
    return (" (it shadows the standard library module %s on Python 2; the rewrite keeps that)"
            % ", ".join(shadowing))


@register
class ImplicitRelativeImport(Fixer):
    code = "PK241"
    name = "implicit-relative-import"
    summary = "implicit relative import of a sibling module (absolute on Python 3)"
    explanation = """
    What it does: in a module of a package (its directory has
    ``__init__.py``), an import of a name that exists next to the file
    (``sibling.py``, a ``sibling/`` package, an extension module) is made
    explicitly relative: ``import sibling`` → ``from . import sibling``,
    ``import sibling as s`` → ``from . import sibling as s``,
    ``import sibling.sub as s`` → ``from .sibling import sub as s``,
    ``from sibling import x`` → ``from .sibling import x``; and
    ``from __future__ import absolute_import`` is added so that 2.7 resolves
    every other import the way Python 3 does.  When the sibling may import
    this module back while it loads (an import cycle in the package),
    ``import sibling`` becomes ``sibling =
    importlib.import_module(__name__.rpartition('.')[0] + '.sibling')``:
    Python 2.7 refuses ``from . import sibling`` while ``sibling`` is still
    loading, and ``import_module`` returns it from ``sys.modules`` as the
    implicit relative import did.

    Why: Python 2 looks for ``import sibling`` in the importing module's
    package first; Python 3 only looks at top-level modules, so the import
    fails there or, worse, finds another module of the same name.  A local
    ``json.py`` or ``email/`` shadows the standard library on Python 2: the
    rewrite keeps exactly the module that 2.7 imported (and the message says
    so: renaming the module may be the better fix).

    A module of the package that also runs as a script (a ``#!`` line or an
    ``if __name__ == '__main__'`` block) imports its siblings as top-level
    modules when it is run as ``python pkg/tool.py`` (its directory is
    ``sys.path[0]``), where relative imports fail.  Each run of sibling
    imports on consecutive lines is then kept in both forms::

        if __name__ != '__main__' or __package__:
            from . import helpers
        else:  # run as a script: the sibling modules are top-level modules there
            import helpers

    which imports exactly what 2.7 imported in all three ways of running it
    (``import pkg.tool``, ``python -m pkg.tool`` where ``__package__`` is
    set, ``python pkg/tool.py``), on 2.7 and on 3.

    Not changed: text without a file path (portkit cannot look at the
    directory), files in a directory without ``__init__.py`` (scripts, whose
    imports are absolute from their own directory on both versions), modules
    that already import ``absolute_import``, imports under ``if
    TYPE_CHECKING:`` (they never run; type checkers read them with Python 3's
    rules) or inside the guard above.  Reported, not rewritten:
    ``import sibling.sub`` without ``as`` (it binds ``sibling``: two imports
    are needed) and imports sharing a line with another statement.  While
    such a finding remains, the future import is not added (it would break
    the import left alone on 2.7).
    """
    # The rewrite depends on the files next to the module, which an example
    # (text without a path) cannot show: ``after`` equal to ``before`` records
    # that text without a path is never changed.  The rewrites themselves are
    # tested in tests/fixtures/PK241/test_package_paths.py.
    examples = (
        Example("import helpers\nfrom models import User\n", "import helpers\nfrom models import User\n",
                title="Without a file path (as here) nothing changes: in pkg/views.py next to "
                      "pkg/helpers.py and pkg/models.py this becomes `from __future__ import "
                      "absolute_import` + `from . import helpers` + `from .models import User`"),
    )
    needles = frozenset(["import"])
    node_types = (ast.Import, ast.ImportFrom)

    def visit(self, node, ctx):
        if not ctx.path or "absolute_import" in ctx.future or _package_dir(ctx) is None:
            return
        clean, nodes = _module_plan(ctx)
        entry = nodes.get(node)
        if entry is None:
            return
        message, edit = entry
        if edit is None:
            ctx.report(node, message)
            return
        ctx.report(node, message, edits=[edit], imports=[ABSOLUTE_IMPORT] if clean else [])


@register
class ImportStarInFunction(Fixer):
    code = "PK261"
    name = "import-star-not-module-level"
    summary = "'from m import *' inside a function or class is a syntax error on Python 3"
    fixable = False
    explanation = """
    What it does: reports ``from module import *`` inside a function or a
    class body.

    Why: Python 2.7 only warns (it disables fast locals in that function);
    Python 3 refuses to compile the module ("import * only allowed at module
    level").  Nothing is rewritten: the fix is to import the names the
    function uses (``from module import a, b``) or to move the import to the
    top of the module, and only the author knows which names are meant.
    """
    examples = (
        Example("def helpers():\n    from os.path import *\n    return join('a', 'b')\n", None,
                title="Reported", findings=("PK261",)),
        Example("from os.path import *\n", None, title="Module level is fine"),
    )
    needles = frozenset(["*"])
    node_types = (ast.ImportFrom,)

    def visit(self, node, ctx):
        if not any(alias.name == "*" for alias in node.names):
            return
        scope = getattr(node, "_pk_scope", None)
        if scope is None or scope.kind == "module":
            return
        module = "." * (node.level or 0) + (node.module or "")
        where = "a class body" if scope.kind == "class" else "a function"
        ctx.report(node, "`from %s import *` in %s does not compile on Python 3: import the names used "
                         "(from %s import a, b) or move the import to module level" % (module, where, module))


def _candidate_names(ctx, node) -> Optional[List[str]]:
    """The values ``node`` (the module name given to ``__import__``) can have:
    a string literal, or a name that an enclosing ``if`` tests against string
    literals (``if kind in ("dom", "tree"):``, ``if kind == "dom":``); None
    when they are not known."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if not isinstance(node, ast.Name):
        return None
    child, parent = node, ctx.parent(node)
    while parent is not None and not isinstance(parent, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Module)):
        if isinstance(parent, ast.If) and child in parent.body:
            test = parent.test
            if isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.left, ast.Name) \
                    and test.left.id == node.id:
                right = test.comparators[0]
                if isinstance(test.ops[0], ast.In) and isinstance(right, (ast.Tuple, ast.List, ast.Set)):
                    values = [e.value for e in right.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
                    if len(values) == len(right.elts):
                        return values
                if isinstance(test.ops[0], ast.Eq) and isinstance(right, ast.Constant) \
                        and isinstance(right.value, str):
                    return [right.value]
        child, parent = parent, ctx.parent(parent)
    return None


@register
class DynamicRelativeImport(Fixer):
    code = "PK272"
    name = "dynamic-implicit-relative-import"
    summary = "__import__(name, globals()) finds a sibling module first on Python 2 only"
    explanation = """
    What it does: in a module of a package, ``__import__(name, globals())``
    (with up to ``locals()`` and a ``fromlist``, but no ``level``) whose
    ``name`` is known (a string literal, or a variable that an enclosing
    ``if`` compares with string literals) and is a module next to the file
    gets ``level=1`` (``__import__(name, globals(), None, [], 1)``): the
    explicitly relative import.

    Why: on 2.7 ``__import__`` without a level tries the importing module's
    package first (level -1), whatever ``from __future__ import
    absolute_import`` says; Python 3 only looks at top-level modules, so the
    import fails (or finds another module).  With the name a sibling, 2.7's
    first try succeeds and is exactly the level-1 import; on 3 it is the same.

    Reported: a name that may or may not be a sibling, or whose values are
    not known.  A name that is never a sibling is left alone (absolute on
    both).
    """
    examples = (
        Example("def load(kind):\n    if kind in ('dom', 'tree'):\n        return __import__(kind, globals())\n",
                "def load(kind):\n    if kind in ('dom', 'tree'):\n        return __import__(kind, globals())\n",
                title="Without a file path (as here) nothing changes: in a package next to dom.py and tree.py "
                      "the call becomes __import__(kind, globals(), None, [], 1) (tests/fixtures/PK241/"
                      "test_package_paths.py)"),
    )
    needles = frozenset(["__import__"])
    node_types = (ast.Call,)

    def visit(self, node, ctx):
        func = node.func
        if not (isinstance(func, ast.Name) and func.id == "__import__" and ctx.is_builtin(func, "__import__")):
            return
        if node.keywords or not 2 <= len(node.args) <= 4 or any(isinstance(a, ast.Starred) for a in node.args):
            return
        if not ctx.path or _package_dir(ctx) is None:
            return
        names = _candidate_names(ctx, node.args[0])
        message = "__import__() without a level looks for a module of this package first on Python 2 only"
        if names is None:
            ctx.report(node, message + ": pass level=1 if the name is a sibling module, 0 if it is a top-level one")
            return
        siblings = [n for n in names if _is_sibling(ctx, n.split(".")[0])]
        if not siblings:
            return  # absolute on both
        if len(siblings) != len(names):
            ctx.report(node, message + ": %s %s a sibling, %s not: import them apart" % (
                ", ".join(siblings), "is" if len(siblings) == 1 else "are",
                ", ".join(n for n in names if n not in siblings)))
            return
        missing = ["None", "[]", "1"][len(node.args) - 2:]
        end = ctx.end(node.args[-1])
        ctx.report(node, message + ": %s %s a sibling: level=1, the explicitly relative import" % (
            ", ".join(siblings), "is" if len(siblings) == 1 else "are"),
            edits=[ctx.replace_span(end, end, ", " + ", ".join(missing))])
