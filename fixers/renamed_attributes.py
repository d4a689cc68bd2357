"""Attributes of standard-library modules, functions and methods that Python 3
renamed or removed: itertools.izip & co, the string module's functions,
types.StringType & co, sys.maxint, os.getcwdu, operator.isCallable & co,
sys.exc_clear & co, f.func_name & co, m.im_self & co (PK242-PK251).

How references are found: ``string.join`` is rewritten only when ``string``
is the imported standard-library module (a local variable called ``string``
is left alone); ``from string import join`` is followed to every use of the
bound name.  When every use of a from-imported name is rewritten the name is
dropped from the import (the import would fail on Python 3); simple renames
keep the user's name through ``as`` (``from six.moves import zip as izip``)
and leave the uses untouched.
"""
from __future__ import annotations

import ast
import re
from typing import Dict, Optional, Tuple

from portkit.fixer import Example, Fixer
from portkit.fixutil import SIX, replace_statement
from portkit.model import ImportRequest
from portkit.registry import register

from ._stdlib_common import (
    argument_text,
    builtin_visible,
    call_of,
    from_aliases,
    from_line,
    import_binds_exactly,
    in_isinstance_types,
    isinstance_call,
    module_visible,
    name_refs,
    plain_args,
    rename_attr,
    rewrite_from,
    rewrite_import,
)

_ATOMS = (ast.Name, ast.Attribute, ast.Call, ast.Subscript, ast.List, ast.Tuple, ast.Dict, ast.Set,
          ast.ListComp, ast.DictComp, ast.SetComp, ast.GeneratorExp, ast.JoinedStr)


def _atom(node: ast.AST, text: str) -> str:
    """``text`` (the possibly rewritten source of ``node``) fit to stand before ``.method()``."""
    if isinstance(node, _ATOMS):
        return text
    if isinstance(node, ast.Constant) and isinstance(node.value, (str, bytes)):
        return text
    return "(%s)" % text


def _pure(node: ast.AST) -> bool:
    """Evaluating ``node`` has no side effect worth ordering (constant, name, dotted name)."""
    while isinstance(node, ast.Attribute):
        node = node.value
    return isinstance(node, (ast.Name, ast.Constant))


class Outcome:
    """What a fixer makes of one reference: a message, and edits when fixable."""

    __slots__ = ("message", "edits", "imports")

    def __init__(self, message: str, edits=None, imports=()):
        self.message = message
        self.edits = list(edits) if edits else []
        self.imports = tuple(imports)


class _StdlibNames(Fixer):
    """Base: references to ``module.name`` for the dotted names of ``rules``.

    Subclasses set ``rules`` (dotted name -> anything) and implement
    :meth:`outcome`; :meth:`alias_line` returns the replacement import line for
    ``from module import name [as bound]`` when the rename can be expressed by
    the import alone (uses are then left untouched).
    """

    rules: Dict[str, object] = {}
    node_types = (ast.Import, ast.ImportFrom)

    # Set by fixers of modules that Python 3 removed: every name imported
    # from them is a problem, and ``import module`` goes once unused.
    module_gone = False
    gone_modules: Dict[str, str] = {}  # module -> suggestion

    def __init__(self):
        self._modules = frozenset(k.rsplit(".", 1)[0] for k in self.rules) | frozenset(self.gone_modules)
        self._attrs = frozenset(k.rsplit(".", 1)[1] for k in self.rules)

    # -- hooks ---------------------------------------------------------------
    def outcome(self, ctx, ref: ast.AST, target: str) -> Outcome:  # pragma: no cover - interface
        raise NotImplementedError

    def alias_line(self, ctx, target: str, bound: str) -> Optional[str]:
        return None

    def import_message(self, target: str) -> str:
        return "%s does not exist on Python 3" % target

    def droppable(self, target: str) -> bool:
        """Can ``from module import name`` lose ``name`` once its uses are rewritten?
        (False for report-only names: an unused import of one is reported.)"""
        return True

    def module_fallback(self, module: str) -> Optional[str]:
        """The Python 3 module that ``import module`` stands for when it fails
        on 3 (``import module`` then stays as it is on 2.7, inside ``try:``)."""
        return None

    def fallback(self, target: str) -> Optional[Tuple[str, str]]:
        """``(module, name)`` of Python 3's stand-in for ``target`` when its uses
        are left to a person: ``from module import name`` then stays as it is
        on 2.7, inside ``try:``, and the stand-in is imported under the same
        name when it fails on 3, so that the module imports there."""
        return None

    def report_use(self, ctx, ref: ast.Name, target: str) -> bool:
        """Should a use of a from-imported name be reported (and rewritten)?"""
        return True

    # -- driving -------------------------------------------------------------
    # Every reference that resolves to ``module.name`` goes through an import
    # statement of the file, so only imports are visited; the references are
    # found from them (no per-node visit of every attribute and name).
    def visit(self, node, ctx):
        if type(node) is ast.ImportFrom:
            if not node.level and node.module in self._modules:
                self._import_from(ctx, node)
                self._from_uses(ctx, node)
            return
        for alias in node.names:
            module = alias.name if alias.asname else alias.name.split(".")[0]
            if module in self._modules:
                self._module_uses(ctx, alias.asname or module, module)
        if self.module_gone:
            self._import(ctx, node)

    def _once(self, ctx, node) -> bool:
        seen = ctx.cache.setdefault("stdlib.reported", set())
        key = (self.code, id(node))
        if key in seen:
            return False
        seen.add(key)
        return True

    def _module_uses(self, ctx, bound: str, module: str):
        """``module.name`` attribute references through the name ``bound``."""
        for use in name_refs(ctx, bound, module):
            parent = ctx.parent(use)
            if not isinstance(parent, ast.Attribute) or parent.value is not use or parent.attr not in self._attrs:
                continue
            target = "%s.%s" % (module, parent.attr)
            if target in self.rules and self._once(ctx, parent):
                self._report(ctx, parent, target)

    def _from_uses(self, ctx, node: ast.ImportFrom):
        """Uses of the names ``from module import name [as bound]`` binds."""
        for alias in node.names:
            target = "%s.%s" % (node.module, alias.name)
            if target not in self.rules:
                continue
            bound = alias.asname or alias.name
            if self.alias_line(ctx, target, bound) is not None:
                continue
            for use in name_refs(ctx, bound, target):
                if self.report_use(ctx, use, target) and self._once(ctx, use):
                    self._report(ctx, use, target)

    def _report(self, ctx, ref, target):
        result = self.outcome(ctx, ref, target)
        ctx.report(ref, result.message, edits=result.edits, imports=result.imports)

    def _import_from(self, ctx, node: ast.ImportFrom):
        keep, extra, done, left = [], [], [], []
        for alias in node.names:
            target = "%s.%s" % (node.module, alias.name)
            if target not in self.rules:
                keep.append(alias)
                if self.module_gone:
                    left.append(alias.name)
                continue
            bound = alias.asname or alias.name
            line = self.alias_line(ctx, target, bound)
            if line is not None:
                extra.append(line)
                done.append(alias.name)
                continue
            if self.droppable(target) and import_binds_exactly(ctx, node, bound, target) and all(
                self.outcome(ctx, use, target).edits for use in name_refs(ctx, bound, target)
            ):
                done.append(alias.name)
            else:
                keep.append(alias)
                left.append(alias.name)
        if done:
            edit = rewrite_from(ctx, node, keep, extra)
            message = "from %s import %s: %s" % (
                node.module, ", ".join(done),
                "imported under the Python 3 name" if extra else "every use rewritten, import removed")
            if extra and len(extra) < len(done):
                message = "from %s import %s: renamed in the import or every use rewritten" % (
                    node.module, ", ".join(done))
            if edit is None:
                message += " (not rewritten: the import shares its line with another statement)"
            ctx.report(node, message, edits=[edit] if edit else [], last=True)
        if left and not done and len(left) == len(node.names):
            fallbacks = [self.fallback("%s.%s" % (node.module, alias.name)) for alias in node.names]
            if all(fallbacks) and isinstance(ctx.parent(node), ast.Module):
                lines = ["try:", "    " + ctx.source(node), "except ImportError:  # Python 3: the uses are "
                         "reported, to be ported by hand"]
                lines += ["    from %s import %s as %s" % (module, name, alias.asname or alias.name)
                          for (module, name), alias in zip(fallbacks, node.names)]
                edit = replace_statement(ctx, node, lines)
                if edit is not None:
                    ctx.report(node, "from %s import %s: kept on 2.7; on 3, where it fails, %s is imported under "
                                     "that name so that the module imports (its uses are reported)" % (
                                         node.module, ", ".join(left),
                                         ", ".join("%s.%s" % f for f in fallbacks)), edits=[edit])
                    return
        if left:
            if self.module_gone:
                ctx.report(node, "module %s does not exist on Python 3: %s" % (
                    node.module, self.gone_modules.get(node.module, "port its uses")))
                return
            ctx.report(node, "from %s import %s: %s; the import fails there until every use is ported"
                       % (node.module, ", ".join(left), self.import_message("%s.%s" % (node.module, left[0]))))

    def _import(self, ctx, node: ast.Import):
        """``import module`` of a removed module: dropped once every use is rewritten."""
        keep, done, left = [], [], []
        for alias in node.names:
            module = alias.name
            if module not in self.gone_modules:
                keep.append(alias)
                continue
            bound = alias.asname or module
            if "." not in module and self._has_rules(module) and import_binds_exactly(ctx, node, bound, module) and all(
                self._use_fixable(ctx, use, module) for use in name_refs(ctx, bound, module)
            ):
                done.append(module)
            else:
                keep.append(alias)
                left.append(module)
        if done:
            edit = rewrite_import(ctx, node, keep)
            message = ("module %s does not exist on Python 3" if len(done) == 1 else
                       "modules %s do not exist on Python 3") % ", ".join(done)
            message += ": every use rewritten, import removed"
            if edit is None:
                message += " (not rewritten: the import shares its line with another statement)"
            ctx.report(node, message, edits=[edit] if edit else [], last=True)
        if left and not done and len(node.names) == 1 and isinstance(ctx.parent(node), ast.Module):
            alias = node.names[0]
            other = self.module_fallback(alias.name)
            if other is not None:
                bound = alias.asname or alias.name
                lines = ["try:", "    " + ctx.source(node), "except ImportError:  # Python 3",
                         "    import %s as %s" % (other, bound)]
                edit = replace_statement(ctx, node, lines)
                if edit is not None:
                    ctx.report(node, "module %s does not exist on Python 3: kept on 2.7; %s, its Python 3 "
                                     "twin, is imported under its name where it fails" % (alias.name, other),
                               edits=[edit])
                    return
        for module in left:
            ctx.report(node, "module %s does not exist on Python 3: %s" % (module, self.gone_modules[module]))

    def _has_rules(self, module: str) -> bool:
        """Does this fixer know how to rewrite uses of ``module`` (else its
        import is only reported, even when unused: it may be imported for
        its side effects)?"""
        prefix = module + "."
        return any(k.startswith(prefix) for k in self.rules)

    def _use_fixable(self, ctx, use: ast.Name, module: str) -> bool:
        parent = ctx.parent(use)
        if not isinstance(parent, ast.Attribute) or parent.value is not use:
            return False
        target = "%s.%s" % (module, parent.attr)
        return target in self.rules and bool(self.outcome(ctx, parent, target).edits)

    # -- rendering with nested rewrites --------------------------------------
    def render(self, ctx, node: ast.AST) -> str:
        """Source of ``node`` with this fixer's rewrites of references inside it applied."""
        start, end = ctx.span(node)
        edits = []
        for sub in ast.walk(node):
            if sub is node or not isinstance(sub, (ast.Attribute, ast.Name)):
                continue
            if isinstance(sub, ast.Attribute) and sub.attr not in self._attrs:
                continue
            if isinstance(sub, ast.Name) and sub.id not in from_aliases(ctx, self._modules):
                continue
            target = ctx.resolve(sub)
            if target not in self.rules:
                continue
            if isinstance(sub, ast.Name) and self.alias_line(ctx, target, sub.id) is not None:
                continue
            edits.extend(self.outcome(ctx, sub, target).edits)
        outer = []
        for edit in sorted(edits, key=lambda e: (e.start, -e.end)):
            if outer and edit.start < outer[-1].end:
                continue
            if start <= edit.start and edit.end <= end:
                outer.append(edit)
        text = ctx.text[start:end]
        for edit in reversed(outer):
            text = text[: edit.start - start] + edit.replacement + text[edit.end - start:]
        return text


def _call_with_comments(ctx, call: ast.Call) -> bool:
    """Is there a comment in ``call`` outside its arguments (rewriting would drop it)?"""
    text = ctx.text
    position = ctx.end(call.func)
    for arg in list(call.args) + [k.value for k in call.keywords]:
        start, end = ctx.span(arg)
        if "#" in text[position:start]:
            return True
        position = max(position, end)
    return "#" in text[position:ctx.end(call)]


# ---------------------------------------------------------------------------
_ITERTOOLS = {
    "itertools.izip": "zip",
    "itertools.imap": "map",
    "itertools.ifilter": "filter",
    "itertools.ifilterfalse": "filterfalse",
    "itertools.izip_longest": "zip_longest",
}


@register
class ItertoolsIterators(_StdlibNames):
    code = "PK242"
    name = "itertools-iterators"
    summary = "itertools.izip / imap / ifilter / ifilterfalse / izip_longest do not exist on Python 3"
    explanation = """
    What it does: rewrites ``itertools.izip`` → ``six.moves.zip`` (likewise
    ``imap`` → ``map``, ``ifilter`` → ``filter``, ``ifilterfalse`` →
    ``filterfalse``, ``izip_longest`` → ``zip_longest``), and
    ``from itertools import izip`` → ``from six.moves import zip as izip``,
    which keeps every use of the name unchanged.

    Why: Python 3's builtins ``zip``/``map``/``filter`` are the lazy versions
    and itertools lost the ``i`` names.  ``six.moves.zip`` is
    ``itertools.izip`` on 2 and ``zip`` on 3: the same lazy iterator on both.

    Fix safety: exact.  The import keeps the module's own name (``izip``)
    rather than shadowing the builtin ``zip``, which other code of the module
    may rely on returning a list on 2.7.
    """
    examples = (
        Example("import itertools\npairs = itertools.izip(keys, values)\n",
                "import itertools\nimport six\npairs = six.moves.zip(keys, values)\n"),
        Example("from itertools import izip, chain\nfor a, b in izip(xs, ys):\n    pass\n",
                "from itertools import chain\nfrom six.moves import zip as izip\nfor a, b in izip(xs, ys):\n    pass\n"),
        Example("from itertools import izip_longest as zip_longest\n",
                "from six.moves import zip_longest\n"),
        Example("from six.moves import zip\nimport itertools\nchained = itertools.chain(a, b)\n", None,
                title="Names that exist on both are left alone"),
    )
    rules = _ITERTOOLS
    needles = frozenset(k.rsplit(".", 1)[1] for k in _ITERTOOLS)

    def alias_line(self, ctx, target, bound):
        return from_line("six.moves", _ITERTOOLS[target], bound)

    def outcome(self, ctx, ref, target):
        new = _ITERTOOLS[target]
        message = "%s is gone in Python 3: use six.moves.%s" % (target, new)
        if type(ref.ctx) is not ast.Load or not module_visible(ctx, ref, "six"):
            return Outcome(message)
        return Outcome(message, [ctx.replace(ref, "six.moves." + new)], [SIX])


# ---------------------------------------------------------------------------
# string module functions: name -> (min args, max args, str method)
_STRING_METHODS = {
    "capitalize": (1, 1, "capitalize"),
    "expandtabs": (1, 2, "expandtabs"),
    "find": (2, 4, "find"),
    "rfind": (2, 4, "rfind"),
    "index": (2, 4, "index"),
    "rindex": (2, 4, "rindex"),
    "count": (2, 4, "count"),
    "lower": (1, 1, "lower"),
    "upper": (1, 1, "upper"),
    "swapcase": (1, 1, "swapcase"),
    "split": (1, 3, "split"),
    "splitfields": (1, 3, "split"),
    "rsplit": (1, 3, "rsplit"),
    "strip": (1, 2, "strip"),
    "lstrip": (1, 2, "lstrip"),
    "rstrip": (1, 2, "rstrip"),
    "ljust": (2, 3, "ljust"),
    "rjust": (2, 3, "rjust"),
    "center": (2, 3, "center"),
    "replace": (3, 4, "replace"),
}
_STRING_NUMBERS = {"atoi": ("int", 2), "atol": ("int", 2), "atof": ("float", 1)}
_STRING_ERRORS = ("atoi_error", "atof_error", "atol_error", "index_error")
_STRING_REPORT = {
    "maketrans": "string.maketrans is gone in Python 3: for a bytes table use bytes.maketrans on 3 "
                 "(e.g. `(bytes.maketrans if six.PY3 else string.maketrans)(a, b)`); for text use a dict "
                 "{ord(c): replacement}, which unicode.translate (2) and str.translate (3) both take",
    "translate": "string.translate is gone in Python 3: call s.translate(table) on the string "
                 "(bytes.translate(table, delete) for deletions on bytes; the table format differs for text)",
    "zfill": "string.zfill is gone in Python 3: use s.zfill(width) (string.zfill also accepted numbers: "
             "use repr(n).zfill(width) for those)",
}
_STRING = {}
for _n in list(_STRING_METHODS) + list(_STRING_NUMBERS) + list(_STRING_ERRORS) + list(_STRING_REPORT) + [
        "join", "joinfields"]:
    _STRING["string." + _n] = _n


def _one_arg_context(ctx, ref) -> bool:
    """Is the function ``ref`` passed where it is called with one argument
    (``map(f, xs)``, ``filter(f, xs)``, ``key=f``)?"""
    parent = ctx.parent(ref)
    if isinstance(parent, ast.keyword) and parent.arg == "key":
        return True
    return (
        isinstance(parent, ast.Call)
        and len(parent.args) == 2
        and not parent.keywords
        and parent.args[0] is ref
        and isinstance(parent.func, ast.Name)
        and parent.func.id in ("map", "filter")
        and ctx.is_builtin(parent.func, parent.func.id)
    )


@register
class StringModuleFunctions(_StdlibNames):
    code = "PK243"
    name = "string-module-functions"
    summary = "string.join / split / lower / atoi ... are gone in Python 3 (use str methods)"
    explanation = """
    What it does: rewrites the ``string`` module's functions into methods of
    their first argument: ``string.join(words, sep)`` → ``sep.join(words)``,
    ``string.join(words)`` → ``" ".join(words)``, ``string.split(s, ",")`` →
    ``s.split(",")``, ``string.strip(s)`` → ``s.strip()`` (likewise lower,
    upper, swapcase, capitalize, expandtabs, find, rfind, index, rindex,
    count, lstrip, rstrip, ljust, rjust, center, replace, splitfields,
    joinfields); ``string.atoi(s[, base])`` / ``atol`` → ``int(s[, base])``,
    ``string.atof(s)`` → ``float(s)``; the exception aliases
    ``string.atoi_error`` / ``atof_error`` / ``atol_error`` / ``index_error``
    → ``ValueError``.  A function passed to ``map``/``filter`` or as ``key=``
    becomes ``lambda s: s.lower()`` (``int`` / ``float`` for atoi / atof).
    ``from string import join`` is followed to its uses, and dropped once they
    are all rewritten.

    Why: Python 3's ``string`` module keeps only constants, ``capwords``,
    ``Template`` and ``Formatter``; the functions were thin wrappers around
    the str methods already on 2.7 (they work on unicode too).

    Reported, not rewritten: ``string.maketrans`` (bytes or text table: see
    the message), ``string.translate`` (the table format differs for text),
    ``string.zfill`` (it accepted numbers), keyword or ``*args`` calls, a
    ``join`` whose two arguments both have side effects (the order of
    evaluation would change), a one-argument ``string.join`` in a module with
    ``unicode_literals`` (``" "`` would become text on 2.7), and a call with a
    comment between its arguments.
    """
    examples = (
        Example("import string\nline = string.join(fields, ',')\n",
                "import string\nline = ','.join(fields)\n"),
        Example("import string\nparts = string.split(string.strip(line), ':', 1)\n",
                "import string\nparts = line.strip().split(':', 1)\n"),
        Example("from string import atoi, lower\nn = atoi(text, 16)\nkey = lower(a + b)\n",
                "n = int(text, 16)\nkey = (a + b).lower()\n"),
        Example("import string\nnames = map(string.strip, lines)\n",
                "import string\nnames = map(lambda s: s.strip(), lines)\n"),
        Example("import string\ntable = string.maketrans('ab', 'xy')\n", None,
                title="maketrans: bytes or text? reported", findings=("PK243",)),
        Example("import string\nok = set(string.digits + string.ascii_letters)\n", None,
                title="Constants that exist on Python 3 are left alone"),
    )
    rules = _STRING
    needles = frozenset(["string"])

    def droppable(self, target):
        return _STRING[target] not in _STRING_REPORT

    def import_message(self, target):
        return "%s is gone in Python 3" % target

    def outcome(self, ctx, ref, target):
        name = _STRING[target]
        if name in _STRING_REPORT:
            return Outcome(_STRING_REPORT[name])
        if name in _STRING_ERRORS:
            message = "%s is gone in Python 3: it is ValueError" % target
            if type(ref.ctx) is ast.Load and builtin_visible(ctx, ref, "ValueError"):
                return Outcome(message, [ctx.replace(ref, "ValueError")])
            return Outcome(message)
        call = call_of(ctx, ref)
        if call is None:
            return self._reference(ctx, ref, target, name)
        if name in ("join", "joinfields"):
            return self._join(ctx, ref, call, target)
        if name in _STRING_NUMBERS:
            builtin, most = _STRING_NUMBERS[name]
            message = "%s is gone in Python 3: use %s()" % (target, builtin)
            if not plain_args(call) or not 1 <= len(call.args) <= most or _call_with_comments(ctx, call):
                return Outcome(message)
            if not builtin_visible(ctx, ref, builtin):
                return Outcome(message + " (%s is rebound in this module)" % builtin)
            args = ", ".join(self._arg(ctx, a) for a in call.args)
            return Outcome(message, [ctx.replace(call, "%s(%s)" % (builtin, args))])
        low, high, method = _STRING_METHODS[name]
        message = "%s() is gone in Python 3: use the str method s.%s()" % (target, method)
        if not plain_args(call) or not low <= len(call.args) <= high:
            return Outcome(message + " (not rewritten: keyword or unexpected arguments)")
        if _call_with_comments(ctx, call):
            return Outcome(message + " (not rewritten: comments between the arguments)")
        first = call.args[0]
        rest = ", ".join(self._arg(ctx, a) for a in call.args[1:])
        text = "%s.%s(%s)" % (_atom(first, self.render(ctx, first)), method, rest)
        return Outcome(message, [ctx.replace(call, text)])

    def _reference(self, ctx, ref, target, name):
        message = "%s is gone in Python 3" % target
        if type(ref.ctx) is not ast.Load or not _one_arg_context(ctx, ref):
            return Outcome(message + ": pass a function calling the str method instead")
        if name in _STRING_NUMBERS:
            builtin = _STRING_NUMBERS[name][0]
            if builtin_visible(ctx, ref, builtin):
                return Outcome(message + ": use %s" % builtin, [ctx.replace(ref, builtin)])
            return Outcome(message + ": use %s" % builtin)
        if name in ("join", "joinfields"):
            if "unicode_literals" in ctx.future:
                return Outcome(message + ": use lambda words: ' '.join(words)")
            return Outcome(message + ": use a lambda", [ctx.replace(ref, 'lambda words: " ".join(words)')])
        method = _STRING_METHODS[name][2]
        return Outcome(message + ": use a lambda calling s.%s()" % method,
                       [ctx.replace(ref, "lambda s: s.%s()" % method)])

    def _join(self, ctx, ref, call, target):
        message = "%s() is gone in Python 3: use sep.join(words)" % target
        if not plain_args(call) or not 1 <= len(call.args) <= 2:
            return Outcome(message + " (not rewritten: keyword or unexpected arguments)")
        if _call_with_comments(ctx, call):
            return Outcome(message + " (not rewritten: comments between the arguments)")
        words = call.args[0]
        if len(call.args) == 1:
            if "unicode_literals" in ctx.future:
                return Outcome(message + " (not rewritten: \" \" is text under unicode_literals; write "
                               "str(\" \").join(words) or decide the type)")
            sep_text = '" "'
        else:
            sep = call.args[1]
            if not (_pure(sep) or _pure(words)):
                return Outcome(message + " (not rewritten: both arguments have side effects)")
            sep_text = _atom(sep, self.render(ctx, sep))
        text = "%s.join(%s)" % (sep_text, self._arg(ctx, words))
        return Outcome(message, [ctx.replace(call, text)])

    def _arg(self, ctx, node):
        text = self.render(ctx, node)
        if isinstance(node, (ast.Yield, ast.YieldFrom, ast.NamedExpr)) or (
                isinstance(node, ast.GeneratorExp) and not text.startswith("(")):
            return "(%s)" % text
        return text


# ---------------------------------------------------------------------------
_LETTERS = {
    "string.letters": "ascii_letters",
    "string.lowercase": "ascii_lowercase",
    "string.uppercase": "ascii_uppercase",
}


@register
class StringLocaleConstants(_StdlibNames):
    code = "PK244"
    name = "string-letters"
    summary = "string.letters / lowercase / uppercase are gone in Python 3 (use string.ascii_*)"
    explanation = """
    What it does: rewrites ``string.letters`` → ``string.ascii_letters``,
    ``string.lowercase`` → ``string.ascii_lowercase``, ``string.uppercase``
    → ``string.ascii_uppercase``; ``from string import letters`` →
    ``from string import ascii_letters as letters``.

    Why: Python 3 removed the three names; the ``ascii_`` ones exist on both.

    Fix safety: on 2.7 ``string.letters`` and friends are locale-dependent:
    a ``locale.setlocale(LC_CTYPE or LC_ALL, ...)`` call anywhere in the
    program can add accented letters to them, while the ``ascii_`` versions
    never change.  Programs that never call ``setlocale`` see identical
    values.  A module that mentions ``setlocale`` itself is reported, not
    rewritten; if another module of your program sets a locale and relies on
    the extra letters, use ``ignore`` for PK244 there.
    """
    examples = (
        Example("import string\nVALID = string.letters + string.digits + '_'\n",
                "import string\nVALID = string.ascii_letters + string.digits + '_'\n"),
        Example("from string import lowercase\n", "from string import ascii_lowercase as lowercase\n"),
        Example("import locale, string\nlocale.setlocale(locale.LC_ALL, '')\nalpha = string.letters\n", None,
                title="The module sets a locale: reported", findings=("PK244",)),
    )
    rules = _LETTERS
    needles = frozenset(k.rsplit(".", 1)[1] for k in _LETTERS)

    def _locale_dependent(self, ctx):
        return "setlocale" in ctx.text

    def alias_line(self, ctx, target, bound):
        if self._locale_dependent(ctx):
            return None
        return from_line("string", _LETTERS[target], bound)

    def import_message(self, target):
        return "%s is gone in Python 3 (use string.%s)" % (target, _LETTERS[target])

    def outcome(self, ctx, ref, target):
        new = _LETTERS[target]
        message = "%s is gone in Python 3: use string.%s" % (target, new)
        if self._locale_dependent(ctx):
            return Outcome(message + " (this module calls setlocale: on 2.7 %s follows the locale, "
                           "string.%s does not)" % (target, new))
        if type(ref.ctx) is not ast.Load or not isinstance(ref, ast.Attribute):
            return Outcome(message)
        return Outcome(message, [rename_attr(ctx, ref, new)])


# ---------------------------------------------------------------------------
_TYPES_BUILTIN = {
    "StringType": "str", "IntType": "int", "FloatType": "float", "ComplexType": "complex",
    "BooleanType": "bool", "ListType": "list", "DictType": "dict", "DictionaryType": "dict",
    "TupleType": "tuple", "TypeType": "type", "ObjectType": "object", "SliceType": "slice",
}
_TYPES_EXPR = {
    "NoneType": ("type(None)", ("type",)),
    "EllipsisType": ("type(Ellipsis)", ("type", "Ellipsis")),
    "NotImplementedType": ("type(NotImplemented)", ("type", "NotImplemented")),
    "DictProxyType": ("type(type.__dict__)", ("type",)),
}
_TYPES_SIX = {"UnicodeType": "six.text_type", "XRangeType": "six.moves.range"}
_TYPES_ISINSTANCE = {"StringTypes": "six.string_types", "LongType": "six.integer_types",
                     "ClassType": "six.class_types"}
_TYPES_REPORT = {
    "InstanceType": "types.InstanceType (old-style instances) is gone in Python 3: every class is new-style; "
                    "test isinstance(x, object) or the real class",
    "FileType": "types.FileType is gone in Python 3: test isinstance(f, io.IOBase) (io.IOBase does not match "
                "2.7's file objects: use (file, io.IOBase) on 2 via six.PY2)",
    "BufferType": "types.BufferType is gone in Python 3: use memoryview (2.7 has it too)",
}
_TYPES = {"types." + n: n for n in list(_TYPES_BUILTIN) + list(_TYPES_EXPR) + list(_TYPES_SIX)
          + list(_TYPES_ISINSTANCE) + list(_TYPES_REPORT) + ["UnboundMethodType"]}


def _checked_value(ctx, ref) -> Optional[ast.AST]:
    """``x`` of ``isinstance(x, ...ref...)`` and ``type(x) is/==/!= ref``."""
    call = isinstance_call(ctx, ref)
    if call is not None:
        return call.args[0] if call.func.id == "isinstance" else None
    parent = ctx.parent(ref)
    if isinstance(parent, ast.Compare) and len(parent.comparators) == 1 \
            and isinstance(parent.ops[0], (ast.Is, ast.IsNot, ast.Eq, ast.NotEq)):
        other = parent.left if parent.comparators[0] is ref else parent.comparators[0]
        if isinstance(other, ast.Call) and len(other.args) == 1 and not other.keywords \
                and ctx.is_builtin(other.func, "type"):
            return other.args[0]
    return None


def _string_type_for(ctx, ref) -> Tuple[Optional[str], str]:
    """What replaces ``types.StringType`` at ``ref``, and a note for the message.

    On 2 ``StringType`` is the bytes type, which a native string also is.
    ``str`` keeps the test for native strings (the usual case: names,
    headers, status lines); where the bytes/text inference is sure that the
    tested value is BYTES on 3 it is ``bytes`` (``str`` on 2.7); where the
    value may be text, or bytes and a native string, no one type keeps the
    test's meaning: reported (None)."""
    checked = _checked_value(ctx, ref)
    if checked is None:
        return "str", ""
    try:
        from portkit import kinds as K
        value = K.kind_of(ctx, checked)
        strings = K.strings_of(value)
        shown = K.describe(value)
    except Exception:  # the inference must never stop this rewrite
        return "str", ""
    labels = {s.label for s in strings}
    code = K.brief(ctx, checked, 30)
    if labels == {K.BYTES}:
        return "bytes", " (%s is %s: bytes on 3, the same type as str on 2)" % (code, shown)
    if K.TEXT in labels:
        return None, (": %s is %s, which this test rejects on 2 but str accepts on 3: test six.binary_type to keep "
                      "2.7's meaning" % (code, shown))
    if labels == {K.BYTES, K.NATIVE}:
        return None, (": %s is %s: on 2 both are str, on 3 no one type matches both: test (bytes, str) "
                      "or convert the value first" % (code, shown))
    if value is None or isinstance(value, K.Unknown):
        return "str", " (str is text on 3: where %s holds binary data, such as a WSGI response body or socket "\
                      "data, use bytes)" % code
    return "str", ""


@register
class TypesConstants(_StdlibNames):
    code = "PK245"
    name = "types-constants"
    summary = "types.StringType / IntType / NoneType ... are gone in Python 3"
    explanation = """
    What it does: rewrites the ``types`` names that Python 3 removed into the
    builtins they always were: ``StringType`` → ``str``, ``IntType`` →
    ``int``, ``FloatType`` → ``float``, ``ComplexType`` → ``complex``,
    ``BooleanType`` → ``bool``, ``ListType`` → ``list``, ``DictType`` and
    ``DictionaryType`` → ``dict``, ``TupleType`` → ``tuple``, ``TypeType`` →
    ``type``, ``ObjectType`` → ``object``, ``SliceType`` → ``slice``,
    ``NoneType`` → ``type(None)``, ``EllipsisType`` → ``type(Ellipsis)``,
    ``NotImplementedType`` → ``type(NotImplemented)``, ``DictProxyType`` →
    ``type(type.__dict__)``, ``UnicodeType`` → ``six.text_type``,
    ``XRangeType`` → ``six.moves.range``, ``UnboundMethodType`` →
    ``types.MethodType`` (the same object on 2.7).  ``from types import
    StringType`` is followed to its uses and dropped.

    In the second argument of ``isinstance``/``issubclass`` only:
    ``StringTypes`` → ``(six.binary_type, six.text_type)`` (exactly
    ``(str, unicode)`` on 2.7 and bytes or text on 3), or
    ``six.string_types`` where the checked value is known never to be bytes
    (see PK204), ``ClassType`` →
    ``six.class_types``, and ``LongType`` → ``six.integer_types`` when the
    same check also accepts ``int`` (``(IntType, LongType)``): on 2.7
    ``LongType`` alone excludes ``int``, so a lone ``LongType`` is reported.

    Reported: ``InstanceType``, ``FileType``, ``BufferType`` (no equivalent),
    and the isinstance-only names elsewhere.

    Why: Python 3 dropped every ``types`` alias of a builtin.  On 2.7
    ``types.StringType is str``, so ``str`` means exactly the same there.
    A module that rebinds ``str``, ``int``... is reported, not rewritten.

    ``StringType`` is the bytes type of 2, which native strings also are, so
    in ``isinstance(x, StringType)`` and ``type(x) is StringType`` the
    bytes/text inference decides: ``bytes`` where ``x`` is surely BYTES on 3
    (a request body read from ``wsgi.input``; ``bytes is str`` on 2.7),
    reported where ``x`` may be text (the test rejects it on 2, ``str``
    would accept it on 3) or both bytes and a native string, ``str``
    otherwise (a header name, a status line: native strings), with a note
    when the kind of ``x`` is unknown.
    """
    examples = (
        Example("import types\nif type(x) is types.StringType:\n    pass\n",
                "import types\nif type(x) is str:\n    pass\n"),
        Example("import types\n\ndef body(environ):\n    data = environ['wsgi.input'].read()\n"
                "    assert type(data) is types.StringType\n    return data\n",
                "import types\n\ndef body(environ):\n    data = environ['wsgi.input'].read()\n"
                "    assert type(data) is bytes\n    return data\n",
                title="A request body is bytes on 3: bytes, not str"),
        Example("from types import IntType, LongType, NoneType\nok = isinstance(n, (IntType, LongType))\n"
                "empty = type(v) == NoneType\n",
                "import six\nok = isinstance(n, (int, six.integer_types))\nempty = type(v) == type(None)\n"),
        Example("import types\nok = isinstance(s, types.StringTypes)\n",
                "import types\nimport six\nok = isinstance(s, (six.binary_type, six.text_type))\n"),
        Example("import types\nold = isinstance(obj, types.InstanceType)\n", None,
                title="No Python 3 equivalent: reported", findings=("PK245",)),
        Example("import types\nf = isinstance(x, types.FunctionType)\n", None,
                title="Names that exist on Python 3 are left alone"),
    )
    rules = _TYPES
    needles = frozenset(_TYPES.values())

    def droppable(self, target):
        return _TYPES[target] not in _TYPES_REPORT

    def alias_line(self, ctx, target, bound):
        if _TYPES[target] == "UnboundMethodType":
            return from_line("types", "MethodType", bound)
        return None

    def import_message(self, target):
        return "%s is gone in Python 3" % target

    def outcome(self, ctx, ref, target):
        name = _TYPES[target]
        if name in _TYPES_REPORT:
            return Outcome(_TYPES_REPORT[name])
        load = type(ref.ctx) is ast.Load
        if name == "UnboundMethodType":
            message = "types.UnboundMethodType is gone in Python 3: it is types.MethodType on 2.7"
            if load and isinstance(ref, ast.Attribute):
                return Outcome(message, [rename_attr(ctx, ref, "MethodType")])
            return Outcome(message)
        if name in _TYPES_BUILTIN:
            new = _TYPES_BUILTIN[name]
            note = ""
            if name == "StringType" and load:
                new, note = _string_type_for(ctx, ref)
                if new is None:
                    return Outcome("%s is gone in Python 3%s" % (target, note))
            message = "%s is gone in Python 3: use %s%s" % (target, new, note)
            if load and builtin_visible(ctx, ref, new):
                return Outcome(message, [ctx.replace(ref, new)])
            return Outcome(message + " (not rewritten: %s is rebound in this module)" % new if load else message)
        if name in _TYPES_EXPR:
            new, needs = _TYPES_EXPR[name]
            message = "%s is gone in Python 3: use %s" % (target, new)
            if load and all(builtin_visible(ctx, ref, n) for n in needs):
                return Outcome(message, [ctx.replace(ref, new)])
            return Outcome(message)
        if name in _TYPES_SIX:
            new = _TYPES_SIX[name]
            message = "%s is gone in Python 3: use %s" % (target, new)
            if load and module_visible(ctx, ref, "six"):
                return Outcome(message, [ctx.replace(ref, new)], [SIX])
            return Outcome(message)
        new = _TYPES_ISINSTANCE[name]
        message = "%s is gone in Python 3: use %s (a tuple) in isinstance/issubclass" % (target, new)
        types_ = in_isinstance_types(ctx, ref) if load else None
        if types_ is None and load and name == "StringTypes" and module_visible(ctx, ref, "six"):
            # (str, unicode) on 2.7: the very tuple, wherever it is used (type(x) in ...)
            return Outcome("%s is gone in Python 3: use (six.binary_type, six.text_type), the same tuple on 2.7"
                           % target, [ctx.replace(ref, "(six.binary_type, six.text_type)")], [SIX])
        if types_ is None and load and name == "ClassType" and module_visible(ctx, ref, "six"):
            pair = ctx.parent(ref)
            if isinstance(pair, ast.Tuple) and len(pair.elts) == 2 and pair.elts[1] is ref and isinstance(
                    pair.elts[0], ast.Name) and pair.elts[0].id == "type" and ctx.is_builtin(pair.elts[0], "type"):
                # (type, types.ClassType) is six.class_types on 2.7, wherever it is used
                return Outcome("(type, types.ClassType): types.ClassType is gone in Python 3; six.class_types is "
                               "this very tuple on 2.7", [ctx.replace(pair, "six.class_types")], [SIX])
        if types_ is None:
            return Outcome(message + "; not rewritten outside isinstance()")
        if name == "LongType" and not any(self._is_int(ctx, t) for t in types_):
            return Outcome("types.LongType is gone in Python 3: on 2.7 it excludes int; use six.integer_types "
                           "if int is meant too, or drop the check")
        if not module_visible(ctx, ref, "six"):
            return Outcome(message)
        if name == "StringTypes":
            from .builtins_renamed import string_types_for
            new, why = string_types_for(ctx, ref)
            message = "%s is gone in Python 3: use %s%s" % (target, new, why)
        return Outcome(message, [ctx.replace(ref, new)], [SIX])

    def _is_int(self, ctx, node):
        if isinstance(node, ast.Name) and node.id == "int" and ctx.is_builtin(node, "int"):
            return True
        return ctx.resolve(node) == "types.IntType"


# ---------------------------------------------------------------------------
@register
class SysMaxint(_StdlibNames):
    code = "PK246"
    name = "sys-maxint"
    summary = "sys.maxint is gone in Python 3 (use sys.maxsize)"
    explanation = """
    What it does: rewrites ``sys.maxint`` → ``sys.maxsize`` and
    ``from sys import maxint`` → ``from sys import maxsize as maxint``.

    Why: Python 3 has one unbounded int type and no ``maxint``.
    ``sys.maxsize`` (the largest container index) exists on 2.6+ and 3, and
    is what ``maxint`` is used for almost always: "a very large number", a
    sentinel, a slice end.

    Fix safety: equal to ``sys.maxint`` on Linux and macOS builds of 2.7;
    on 64-bit Windows ``maxint`` is 2**31-1 while ``maxsize`` is 2**63-1.  Code
    that relies on the exact C ``long`` limit (overflow checks, struct
    packing with ``'l'``) should use an explicit constant instead.
    """
    examples = (
        Example("import sys\nbest = sys.maxint\n", "import sys\nbest = sys.maxsize\n"),
        Example("from sys import maxint\nlow = -maxint - 1\n", "from sys import maxsize as maxint\nlow = -maxint - 1\n"),
        Example("import sys\nlimit = sys.maxsize\n", None, title="Already portable"),
    )
    rules = {"sys.maxint": "maxint"}
    needles = frozenset(["maxint"])

    def alias_line(self, ctx, target, bound):
        return from_line("sys", "maxsize", bound)

    def outcome(self, ctx, ref, target):
        message = "sys.maxint is gone in Python 3: use sys.maxsize"
        if type(ref.ctx) is ast.Load and isinstance(ref, ast.Attribute):
            return Outcome(message, [rename_attr(ctx, ref, "maxsize")])
        return Outcome(message)


# ---------------------------------------------------------------------------
_OS_REPORT = {
    "popen2": "os.popen2 is gone in Python 3: use subprocess.Popen(cmd, shell=True, stdin=PIPE, stdout=PIPE)",
    "popen3": "os.popen3 is gone in Python 3: use subprocess.Popen(cmd, shell=True, stdin=PIPE, stdout=PIPE, "
              "stderr=PIPE)",
    "popen4": "os.popen4 is gone in Python 3: use subprocess.Popen(cmd, shell=True, stdin=PIPE, stdout=PIPE, "
              "stderr=STDOUT)",
    "tmpnam": "os.tmpnam is gone in Python 3: use tempfile.mkstemp() or tempfile.NamedTemporaryFile()",
    "tempnam": "os.tempnam is gone in Python 3: use tempfile.mkstemp(dir=..., prefix=...)",
    "tmpfile": "os.tmpfile is gone in Python 3: use tempfile.TemporaryFile()",
}
_OS = {"os.getcwdu": "getcwdu", "os.errno": "errno"}
_OS.update({"os." + n: n for n in _OS_REPORT})


@register
class OsRemoved(_StdlibNames):
    code = "PK247"
    name = "os-removed"
    summary = "os.getcwdu / os.popen2 / os.tmpnam / os.errno ... are gone in Python 3"
    explanation = """
    What it does: rewrites ``os.getcwdu`` → ``six.moves.getcwd`` (text on both:
    ``getcwdu`` on 2, ``getcwd`` on 3), ``from os import getcwdu`` → ``from
    six.moves import getcwd as getcwdu``, and ``os.errno`` → ``errno`` (the
    module; ``import errno`` is added).

    Reported: ``os.popen2`` / ``popen3`` / ``popen4`` (use ``subprocess``),
    ``os.tmpnam`` / ``tempnam`` / ``tmpfile`` (use ``tempfile``).

    Why: Python 3 removed them; ``os.errno`` was never documented and went in
    3.7.
    """
    examples = (
        Example("import os\nhere = os.getcwdu()\n", "import os\nimport six\nhere = six.moves.getcwd()\n"),
        Example("import os\nif err.errno == os.errno.ENOENT:\n    pass\n",
                "import os\nimport errno\nif err.errno == errno.ENOENT:\n    pass\n"),
        Example("import os\nchild_in, child_out = os.popen2('sort')\n", None,
                title="Use subprocess: reported", findings=("PK247",)),
    )
    rules = _OS
    needles = frozenset(_OS.values())

    def droppable(self, target):
        return _OS[target] not in _OS_REPORT

    def alias_line(self, ctx, target, bound):
        name = _OS[target]
        if name == "getcwdu":
            return from_line("six.moves", "getcwd", bound)
        if name == "errno":
            return "import errno" + ("" if bound == "errno" else " as " + bound)
        return None

    def outcome(self, ctx, ref, target):
        name = _OS[target]
        if name in _OS_REPORT:
            return Outcome(_OS_REPORT[name])
        load = type(ref.ctx) is ast.Load
        if name == "getcwdu":
            message = "os.getcwdu is gone in Python 3: use six.moves.getcwd"
            if load and module_visible(ctx, ref, "six"):
                return Outcome(message, [ctx.replace(ref, "six.moves.getcwd")], [SIX])
            return Outcome(message)
        message = "os.errno is gone in Python 3.7+: import errno"
        if load and module_visible(ctx, ref, "errno"):
            return Outcome(message, [ctx.replace(ref, "errno")], [ImportRequest("errno")])
        return Outcome(message)


# ---------------------------------------------------------------------------
_OPERATOR_RENAMED = {"sequenceIncludes": "contains", "repeat": "mul", "irepeat": "imul"}
_OPERATOR_REPORT = {
    "isSequenceType": "operator.isSequenceType is gone in Python 3: use "
                      "isinstance(x, six.moves.collections_abc.Sequence)",
    "isMappingType": "operator.isMappingType is gone in Python 3: use "
                     "isinstance(x, six.moves.collections_abc.Mapping)",
    "isNumberType": "operator.isNumberType is gone in Python 3: use isinstance(x, numbers.Number)",
    "div": "operator.div is gone in Python 3: use operator.floordiv for integers (Python 2's result) or "
           "operator.truediv for a true quotient",
    "idiv": "operator.idiv is gone in Python 3: use operator.ifloordiv or operator.itruediv",
    "getslice": "operator.getslice is gone in Python 3: use operator.getitem(a, slice(b, c))",
    "setslice": "operator.setslice is gone in Python 3: use operator.setitem(a, slice(b, c), v)",
    "delslice": "operator.delslice is gone in Python 3: use operator.delitem(a, slice(b, c))",
}
_OPERATOR = {"operator.isCallable": "isCallable"}
_OPERATOR.update({"operator." + n: n for n in list(_OPERATOR_RENAMED) + list(_OPERATOR_REPORT)})


@register
class OperatorRemoved(_StdlibNames):
    code = "PK248"
    name = "operator-removed"
    summary = "operator.isCallable / sequenceIncludes / repeat / div ... are gone in Python 3"
    explanation = """
    What it does: rewrites ``operator.isCallable`` → ``callable`` (the
    builtin, back in 3.2), ``operator.sequenceIncludes`` →
    ``operator.contains``, ``operator.repeat`` → ``operator.mul``,
    ``operator.irepeat`` → ``operator.imul`` (from-imports keep their name
    through ``as``).

    Reported: ``isSequenceType`` / ``isMappingType`` / ``isNumberType``
    (use ``isinstance`` with the abstract base classes), ``div`` / ``idiv``
    (floor or true division? decide), ``getslice`` / ``setslice`` /
    ``delslice`` (use the item functions with a ``slice``).

    Why: Python 3 removed them; the replacements exist on 2.7 with the same
    behaviour for the arguments the old functions accepted.
    """
    examples = (
        Example("import operator\nif operator.isCallable(handler):\n    pass\n",
                "import operator\nif callable(handler):\n    pass\n"),
        Example("from operator import sequenceIncludes\n", "from operator import contains as sequenceIncludes\n"),
        Example("import operator\nOPS = {'/': operator.div, '*': operator.mul}\n", None,
                title="Floor or true division? reported", findings=("PK248",)),
    )
    rules = _OPERATOR
    needles = frozenset(_OPERATOR.values())

    def droppable(self, target):
        return _OPERATOR[target] not in _OPERATOR_REPORT

    def alias_line(self, ctx, target, bound):
        name = _OPERATOR[target]
        if name in _OPERATOR_RENAMED:
            return from_line("operator", _OPERATOR_RENAMED[name], bound)
        return None

    def outcome(self, ctx, ref, target):
        name = _OPERATOR[target]
        if name in _OPERATOR_REPORT:
            return Outcome(_OPERATOR_REPORT[name])
        load = type(ref.ctx) is ast.Load
        if name == "isCallable":
            message = "operator.isCallable is gone in Python 3: use the builtin callable"
            if load and builtin_visible(ctx, ref, "callable"):
                return Outcome(message, [ctx.replace(ref, "callable")])
            return Outcome(message)
        new = _OPERATOR_RENAMED[name]
        message = "%s is gone in Python 3: use operator.%s" % (target, new)
        if load and isinstance(ref, ast.Attribute):
            return Outcome(message, [rename_attr(ctx, ref, new)])
        return Outcome(message)


# ---------------------------------------------------------------------------
_SYS_EXC = {"exc_type": 0, "exc_value": 1, "exc_traceback": 2}
_SYS_REPORT = {
    "setcheckinterval": "sys.setcheckinterval is gone in Python 3.9: use sys.setswitchinterval(seconds) on 3",
    "getcheckinterval": "sys.getcheckinterval is gone in Python 3.9: use sys.getswitchinterval() on 3",
    "subversion": "sys.subversion is gone in Python 3: use platform.python_implementation() / sys.version_info",
    "py3kwarning": "sys.py3kwarning is gone in Python 3: it is False there; remove the check",
    "long_info": "sys.long_info is sys.int_info in Python 3: use getattr(sys, 'int_info', None) or sys.long_info",
    "setdefaultencoding": "sys.setdefaultencoding is gone in Python 3: decode and encode explicitly instead",
    "exitfunc": "sys.exitfunc is gone in Python 3: use atexit.register(func)",
}
_SYS = {"sys.exc_clear": "exc_clear"}
_SYS.update({"sys." + n: n for n in list(_SYS_EXC) + list(_SYS_REPORT)})


@register
class SysRemoved(_StdlibNames):
    code = "PK249"
    name = "sys-removed"
    summary = "sys.exc_clear / exc_type / exc_value / exc_traceback ... are gone in Python 3"
    explanation = """
    What it does: removes ``sys.exc_clear()`` calls (``pass`` is left when the
    call was the only statement of its block) and rewrites
    ``sys.exc_type`` / ``exc_value`` / ``exc_traceback`` →
    ``sys.exc_info()[0]`` / ``[1]`` / ``[2]``.

    Why: on Python 3 the exception being handled is cleared when its
    ``except`` block ends, so there is nothing to clear and no
    ``exc_clear``.  The three globals were deprecated since 1.5 (not thread
    safe) and are gone; ``sys.exc_info()`` exists on both.

    Fix safety: on 2.7 the removed ``exc_clear()`` would also have freed the
    traceback (and the frames it holds) before the end of the function, and
    made a later ``sys.exc_info()`` in the same frame return ``(None, None,
    None)``.  Code that depends on either should ``del`` its references to
    the traceback instead.  A call that is part of a larger expression or
    shares its line with another statement is reported.

    Reported: ``sys.setcheckinterval`` / ``getcheckinterval`` (removed in
    3.9), ``sys.subversion``, ``sys.py3kwarning``, ``sys.long_info``,
    ``sys.setdefaultencoding``, ``sys.exitfunc``.
    """
    examples = (
        Example("import sys\ntry:\n    run()\nexcept Exception:\n    log()\n    sys.exc_clear()\n",
                "import sys\ntry:\n    run()\nexcept Exception:\n    log()\n"),
        Example("import sys\ntry:\n    run()\nexcept Exception:\n    sys.exc_clear()\n",
                "import sys\ntry:\n    run()\nexcept Exception:\n    pass\n"),
        Example("import sys\nkind = sys.exc_type\n", "import sys\nkind = sys.exc_info()[0]\n"),
        Example("import sys\nsys.setcheckinterval(1000)\n", None, title="Reported", findings=("PK249",)),
    )
    rules = _SYS
    needles = frozenset(_SYS.values())

    def droppable(self, target):
        return _SYS[target] not in _SYS_REPORT

    def outcome(self, ctx, ref, target):
        name = _SYS[target]
        if name in _SYS_REPORT:
            return Outcome(_SYS_REPORT[name])
        load = type(ref.ctx) is ast.Load
        if name in _SYS_EXC:
            new = "exc_info()[%d]" % _SYS_EXC[name]
            message = "%s is gone in Python 3: use sys.%s" % (target, new)
            if not load:
                return Outcome(message)
            if isinstance(ref, ast.Attribute):
                return Outcome(message, [ctx.replace(ref, "%s.%s" % (ctx.source(ref.value), new))])
            if module_visible(ctx, ref, "sys"):
                return Outcome(message, [ctx.replace(ref, "sys." + new)], [ImportRequest("sys")])
            return Outcome(message)
        message = "sys.exc_clear() is gone in Python 3 (an exception is cleared when its handler ends)"
        call = call_of(ctx, ref)
        statement = ctx.parent(call) if call is not None else None
        if call is None or call.args or call.keywords or not isinstance(statement, ast.Expr):
            return Outcome(message + ": remove it")
        edit = replace_statement(ctx, statement, [])
        if edit is None:
            return Outcome(message + ": remove it (not rewritten: it shares its line)")
        return Outcome(message + ": call removed", [edit])


# ---------------------------------------------------------------------------
_FIELDS = re.compile(r"^[\w\s,]*$")


def _owned_attributes(ctx) -> set:
    """Attribute names the module gives its own objects: class-body names,
    ``self.x = ...`` stores, and words of string constants (namedtuple fields,
    getattr names).  Memoised."""
    owned = ctx.cache.get("stdlib.owned_attrs")
    if owned is None:
        owned = set()
        docs = set()
        for node in ctx.walk.nodes:  # parents first: an Expr comes before its value
            if isinstance(node, ast.ClassDef):
                for stmt in node.body:
                    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                        owned.add(stmt.name)
                    elif isinstance(stmt, ast.Assign):
                        owned.update(t.id for t in stmt.targets if isinstance(t, ast.Name))
            elif isinstance(node, ast.Attribute) and type(node.ctx) is ast.Store:
                if isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"):
                    owned.add(node.attr)
            elif isinstance(node, ast.Expr):
                docs.add(id(node.value))
            elif (isinstance(node, ast.Constant) and isinstance(node.value, str) and len(node.value) < 200
                  and id(node) not in docs and _FIELDS.match(node.value)):
                owned.update(node.value.replace(",", " ").split())
        ctx.cache["stdlib.owned_attrs"] = owned
    return owned


def _receiver_is_module(ctx, node: ast.Attribute) -> bool:
    """Is ``node.value`` a name bound by ``import x`` (a module: ``mod.func_name``
    is a global of that module, not a function attribute)?"""
    value = node.value
    if not isinstance(value, ast.Name):
        return False
    target = ctx.resolve(value)
    if target is None or target.startswith("builtins."):
        return False
    key = "stdlib.import_bound"
    bound = ctx.cache.get(key)
    if bound is None:
        bound = set()
        for stmt in ctx.walk.index.get(ast.Import, ()):
            if isinstance(stmt, ast.Import):
                for alias in stmt.names:
                    bound.add((alias.asname or alias.name.split(".")[0],
                               alias.name if alias.asname else alias.name.split(".")[0]))
        ctx.cache[key] = bound
    return (value.id, target) in bound


class _AttributeRename(Fixer):
    """Base: ``x.old`` attribute names that are distinctive enough to rewrite
    on any receiver, unless the module defines that attribute itself."""

    table: Dict[str, Tuple[str, str]] = {}  # old -> (kind, new); kind: "attr", "six", "report"
    node_types = (ast.Attribute,)

    def visit(self, node, ctx):
        old = node.attr
        if old not in self.table or _receiver_is_module(ctx, node):
            return
        kind, new = self.table[old]
        receiver = node.value
        base = self.base_message(old, kind, new)
        if kind == "report":
            ctx.report(node, base)
            return
        if old in _owned_attributes(ctx):
            if (type(node.ctx) is ast.Store and isinstance(receiver, ast.Name)
                    and receiver.id in ("self", "cls")):
                return  # the module's own attribute being defined
            ctx.report(node, base + " (not rewritten: this module defines an attribute %s of its own)" % old)
            return
        load = type(node.ctx) is ast.Load
        if kind == "attr" or not load:
            store = self.store_names.get(old)
            if kind != "attr" and store is None:
                ctx.report(node, base + " (read-only attribute)")
                return
            if kind != "attr":
                base = "function attribute %s is %s on Python 3 (and 2.6+)" % (old, store)
            ctx.report(node, base, edits=[rename_attr(ctx, node, new if kind == "attr" else store)])
            return
        if not module_visible(ctx, node, "six"):
            ctx.report(node, base + " (not rewritten: six is rebound in this module)")
            return
        function = self.six_function(ctx, node, new)
        if isinstance(function, tuple):  # (None, why): the receiver is ambiguous
            ctx.report(node, base + " (not rewritten: %s)" % function[1])
            return
        if function != new:
            base = self.base_message(old, kind, function)
        ctx.report(node, base, edits=[ctx.replace(node, "six.%s(%s)" % (function, argument_text(ctx, receiver)))],
                   imports=[SIX])

    store_names: Dict[str, str] = {}

    def base_message(self, old, kind, new):
        raise NotImplementedError

    def six_function(self, ctx, node, new):
        return new


_FUNCTION_ATTRS = {
    "func_name": ("attr", "__name__"),
    "func_doc": ("attr", "__doc__"),
    "func_dict": ("attr", "__dict__"),
    "func_code": ("six", "get_function_code"),
    "func_defaults": ("six", "get_function_defaults"),
    "func_globals": ("six", "get_function_globals"),
    "func_closure": ("six", "get_function_closure"),
}


@register
class FunctionAttributes(_AttributeRename):
    code = "PK250"
    name = "function-attributes"
    summary = "f.func_name / func_code / func_defaults ... are gone in Python 3"
    explanation = """
    What it does: rewrites the Python 2 function attributes:
    ``f.func_name`` → ``f.__name__``, ``f.func_doc`` → ``f.__doc__``,
    ``f.func_dict`` → ``f.__dict__``, ``f.func_code`` →
    ``six.get_function_code(f)``, ``f.func_defaults`` →
    ``six.get_function_defaults(f)``, ``f.func_globals`` →
    ``six.get_function_globals(f)``, ``f.func_closure`` →
    ``six.get_function_closure(f)``.  Assignments use the dunder names, which
    2.6+ has too (``f.func_defaults = d`` → ``f.__defaults__ = d``).

    Why: Python 3 kept only the dunder names.

    How sure portkit is about the receiver: it cannot know that ``f`` is a
    function, but these names exist nowhere else in the standard library
    (bound methods forward them to their function on 2 and 3 alike).  So any
    receiver is rewritten, except (reported instead) when the module gives
    its own objects an attribute of that name (a class attribute or method,
    a ``self.func_name = ...`` store, or the name in a string, such as
    namedtuple fields), or when the receiver is an imported module
    (``mod.func_name`` is a global of ``mod``).
    """
    examples = (
        Example("def traced(f):\n    log(f.func_name, f.func_code.co_filename)\n    return f\n",
                "import six\ndef traced(f):\n    log(f.__name__, six.get_function_code(f).co_filename)\n    return f\n"),
        Example("handler.func_defaults = (None,)\n", "handler.__defaults__ = (None,)\n"),
        Example("class Job(object):\n    def __init__(self, func_name):\n        self.func_name = func_name\n\n"
                "def label(job):\n    return job.func_name\n", None,
                title="The module has its own func_name attribute: reported", findings=("PK250",)),
    )
    table = _FUNCTION_ATTRS
    store_names = {"func_code": "__code__", "func_defaults": "__defaults__"}
    needles = frozenset(_FUNCTION_ATTRS)

    def base_message(self, old, kind, new):
        if kind == "attr":
            return "function attribute %s is %s on Python 3" % (old, new)
        return "function attribute %s is gone in Python 3: use six.%s(f)" % (old, new)


_METHOD_ATTRS = {
    "im_self": ("six", "get_method_self"),
    "im_func": ("six", "get_method_function"),
    "im_class": ("report", ""),
}


@register
class MethodAttributes(_AttributeRename):
    code = "PK251"
    name = "method-attributes"
    summary = "m.im_self / im_func / im_class are gone in Python 3"
    explanation = """
    What it does: rewrites ``m.im_self`` → ``six.get_method_self(m)`` and
    ``m.im_func`` → ``six.get_method_function(m)`` where ``m`` is a bound
    method, and ``Class.method.im_func`` → ``six.get_unbound_function(
    Class.method)`` where it is an unbound one (a plain function on Python 3,
    which has no ``__func__``).

    How sure portkit must be: the attribute names are distinctive, so what
    matters is bound versus unbound.  Bound: a variable (``m.im_func``),
    ``self.method``, ``obj.method`` with ``obj`` a lower-case variable.
    Unbound: ``cls.method``, ``C.method`` with ``C`` a class of this module or
    a capitalised imported name.  Anything else (``getattr(o, n).im_func``,
    ``eval(...)``, a capitalised local) is reported with both spellings, and
    so is ``Class.method.im_self`` (no ``__self__`` on 3).  On 2.7 every
    rewrite reads exactly the attribute the old code read.

    Reported: ``m.im_class`` (no Python 3 equivalent: for a bound method
    ``type(six.get_method_self(m))`` is usually what is meant), assignments,
    and modules that define such an attribute themselves.

    Why: Python 3 renamed them ``__self__`` / ``__func__`` and has no unbound
    methods.
    """
    examples = (
        Example("def owner(bound):\n    return bound.im_self, bound.im_func\n",
                "import six\ndef owner(bound):\n    return six.get_method_self(bound), six.get_method_function(bound)\n"),
        Example("class A(object):\n    def run(self):\n        pass\n\nraw = A.run.im_func\n",
                "import six\nclass A(object):\n    def run(self):\n        pass\n\nraw = six.get_unbound_function(A.run)\n"),
        Example("cls = meth.im_class\n", None, title="No equivalent: reported", findings=("PK251",)),
    )
    table = _METHOD_ATTRS
    store_names = {}
    needles = frozenset(_METHOD_ATTRS)

    def base_message(self, old, kind, new):
        if kind == "report":
            return ("method attribute im_class is gone in Python 3: for a bound method use "
                    "type(six.get_method_self(m)); unbound methods are plain functions on 3")
        if new == "get_unbound_function":
            return "unbound method attribute %s is gone in Python 3 (unbound methods are functions there): " \
                   "use six.get_unbound_function(C.method)" % old
        return "method attribute %s is gone in Python 3: use six.%s(m)" % (old, new)

    def six_function(self, ctx, node, new):
        """How sure is the receiver a bound method (``six.get_method_*``), an
        unbound one (``Class.method``: a plain function on 3), or unknown?"""
        receiver = node.value
        if isinstance(receiver, ast.Name):
            return new  # a variable holding a method: bound in the usual case
        kind = _method_receiver(ctx, receiver)
        if kind == "bound":
            return new
        if kind == "unbound":
            if new == "get_method_function":
                return "get_unbound_function"
            return (None, "Class.method is a plain function on Python 3, without __self__")
        return (None, "portkit cannot tell a bound method (six.%s(m)) from an unbound one "
                      "(Class.method: six.get_unbound_function(m) for im_func)" % new)


def _method_receiver(ctx, receiver) -> str:
    """"bound" for ``obj.method`` (obj a variable or self), "unbound" for
    ``Class.method`` (a class of this module, ``cls``, or a capitalised
    imported name), "unknown" otherwise."""
    if not isinstance(receiver, ast.Attribute) or not isinstance(receiver.value, ast.Name):
        return "unknown"
    owner = receiver.value
    if owner.id == "cls":
        return "unbound"
    if owner.id == "self":
        return "bound"
    target = ctx.resolve(owner)
    if target is None:
        if owner.id in _module_classes(ctx):
            return "unbound"
        return "unknown" if owner.id[:1].isupper() else "bound"
    if target.startswith("builtins."):
        return "unknown"
    leaf = target.rsplit(".", 1)[-1]
    if _receiver_is_module(ctx, receiver):
        return "unknown"
    return "unbound" if leaf[:1].isupper() else "unknown"


def _module_classes(ctx) -> set:
    names = ctx.cache.get("stdlib.classes")
    if names is None:
        names = {n.name for n in ctx.walk.index.get(ast.ClassDef, ())}
        ctx.cache["stdlib.classes"] = names
    return names


# ---------------------------------------------------------------------------
@register
class Xreadlines(Fixer):
    code = "PK260"
    name = "xreadlines"
    summary = "f.xreadlines() does not exist on Python 3 (iterate over the file)"
    explanation = """
    What it does: rewrites ``for line in f.xreadlines():`` → ``for line in f:``
    (likewise in comprehensions) and ``f.xreadlines()`` elsewhere →
    ``iter(f)``.

    Why: files are their own line iterators since 2.3; ``xreadlines`` was
    kept on 2.7 for compatibility and is gone in Python 3.  ``iter(f)``
    returns the file itself, as ``xreadlines()`` did on 2.7.

    Receivers: the name is distinctive (no other standard-library object has
    it), so any receiver is rewritten unless the module defines an
    ``xreadlines`` of its own (then the call is reported).  A call with
    arguments is reported.
    """
    examples = (
        Example("for line in open(path).xreadlines():\n    handle(line)\n",
                "for line in open(path):\n    handle(line)\n"),
        Example("lines = log_file.xreadlines()\n", "lines = iter(log_file)\n"),
        Example("class Reader(object):\n    def xreadlines(self):\n        return iter(self.lines)\n\n"
                "rows = [r for r in Reader().xreadlines()]\n", None,
                title="The module defines its own xreadlines: reported", findings=("PK260",)),
    )
    needles = frozenset(["xreadlines"])
    node_types = (ast.Call,)

    def visit(self, node, ctx):
        func = node.func
        if not isinstance(func, ast.Attribute) or func.attr != "xreadlines" or _receiver_is_module(ctx, func):
            return
        message = "file.xreadlines() is gone in Python 3: iterate over the file itself"
        if node.args or node.keywords:
            ctx.report(func, message + " (not rewritten: called with arguments)")
            return
        if "xreadlines" in _owned_attributes(ctx):
            ctx.report(func, message + " (not rewritten: this module defines an xreadlines of its own)")
            return
        parent = ctx.parent(node)
        receiver = func.value
        if isinstance(parent, (ast.For, ast.AsyncFor, ast.comprehension)) and parent.iter is node:
            text = ctx.source(receiver)
            if not isinstance(receiver, (ast.Name, ast.Attribute, ast.Call, ast.Subscript)):
                text = "(%s)" % text
            ctx.report(func, message, edits=[ctx.replace(node, text)])
            return
        if not builtin_visible(ctx, node, "iter"):
            ctx.report(func, message + ": use iter(f) (not rewritten: iter is rebound in this module)")
            return
        ctx.report(func, message + ": iter(f)", edits=[ctx.replace(node, "iter(%s)" % argument_text(ctx, receiver))])
