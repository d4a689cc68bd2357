"""Standard-library modules that Python 3 removed and six.moves does not cover
(PK252-PK259): commands, dircache, mimetools, rfc822, htmllib, sgmllib,
popen2 & co (reported), md5 / sha (→ hashlib), sets (→ set / frozenset),
exceptions (→ the builtins), new (→ types), UserDict / UserList / UserString
(→ six.moves), the old email module names, the modules removed in
Python 3.12 / 3.13, and ``cgi.escape`` (PK262, → the equivalent
``str.replace`` chain).

The modules that Python 3 merely renamed are PK206 (``fixers/modules_renamed.py``);
a module of its table is never reported here.
"""
from __future__ import annotations

import ast
from typing import Optional

from portkit.fixer import Example, Fixer
from portkit.fixutil import SIX, replace_statement
from portkit.model import ImportRequest
from portkit.registry import register

from ._stdlib_common import (
    builtin_visible,
    call_of,
    from_line,
    import_binds_exactly,
    module_span,
    module_visible,
    name_refs,
    plain_args,
    rename_attr,
    rewrite_import,
)
from .renamed_attributes import Outcome, _StdlibNames

try:  # PK206's table: modules renamed in Python 3 (six.moves)
    from .modules_renamed import MOVED as _PK206_MOVED
except ImportError:  # pragma: no cover - the table moved
    _PK206_MOVED = {}


class _GoneModule(_StdlibNames):
    module_gone = True


# ---------------------------------------------------------------------------
_SIX_MOVES = {
    # Python 2 module -> six.moves name (six has them; PK206's table may not yet)
    "gdbm": "dbm_gnu",
    "dummy_thread": "_dummy_thread",
    "Tix": "tkinter_tix",
    "ttk": "tkinter_ttk",
    "Tkconstants": "tkinter_constants",
    "Tkdnd": "tkinter_dnd",
    "tkColorChooser": "tkinter_colorchooser",
    "tkCommonDialog": "tkinter_commondialog",
    "tkFont": "tkinter_font",
    "tkSimpleDialog": "tkinter_tksimpledialog",
    "Dialog": "tkinter_dialog",
    "FileDialog": "tkinter_filedialog",
    "SimpleDialog": "tkinter_simpledialog",
    "_winreg": "winreg",
}

_REMOVED = {
    "commands": "use subprocess (subprocess.check_output(cmd, shell=True)); six.moves.getoutput replaces "
                "commands.getoutput, and on 2.7 subprocess has no getstatusoutput",
    "dircache": "use sorted(os.listdir(path)) (dircache cached the listing)",
    "mimetools": "use the email package (email.message_from_file, email.message.Message)",
    "rfc822": "use email.utils (parsedate, parseaddr, formatdate) and email.message_from_file",
    "htmllib": "there is no drop-in replacement (it is built on sgmllib): vendor Python 2.7's htmllib.py and "
               "sgmllib.py, or move to six.moves.html_parser.HTMLParser (and six.moves.html_entities), another API",
    "sgmllib": "there is no drop-in replacement; choose one: vendor it (copy Python 2.7's pure-Python sgmllib.py "
               "into the project, or depend on the sgmllib3k package, which installs the same module on 3), or move "
               "to six.moves.html_parser.HTMLParser (another API: handle_starttag/handle_endtag instead of the "
               "start_<tag>/end_<tag>/do_<tag> methods)",
    "popen2": "use subprocess.Popen(cmd, shell=True, stdin=PIPE, stdout=PIPE)",
    "posixfile": "use fcntl.lockf and the built-in open()",
    "mhlib": "use mailbox.MH",
    "mimify": "use the email package",
    "MimeWriter": "use the email package (email.mime)",
    "multifile": "use the email package (email.message_from_file parses multipart messages)",
    "compiler": "use the ast module",
    "fpformat": "use '%.*f' % (digits, x) formatting",
    "imputil": "use importlib / PEP 302 import hooks (sys.meta_path)",
    "ihooks": "use importlib / PEP 302 import hooks (sys.meta_path)",
    "rexec": "no replacement: restricted execution is not safe on any version",
    "Bastion": "no replacement: restricted execution is not safe on any version",
    "statvfs": "use the attributes of os.statvfs() results (f_bsize, f_frsize, ...)",
    "user": "no replacement: read the user's configuration file explicitly",
    "mutex": "use threading.Lock",
    "dl": "use ctypes",
    "audiodev": "no replacement in the standard library",
    "linuxaudiodev": "use ossaudiodev (itself gone in 3.13) or a third-party package",
    "sunaudiodev": "no replacement in the standard library",
    "sunaudio": "no replacement in the standard library",
    "pure": "no replacement (Purify support is gone)",
    "Canvas": "use the methods of six.moves.tkinter.Canvas (the canvas item classes are gone)",
    "toaiff": "no replacement in the standard library",
    "imageop": "no replacement in the standard library (use Pillow)",
    "timing": "use time.time() / time.perf_counter",
    "cfmfile": "no replacement",
    "bsddb185": "no replacement (use dbm)",
    "bsddb": "use dbm, or the bsddb3 package",
    "stringold": "use str methods",
    "sre": "use re",
    "anydbm": "use dbm on Python 3: try: import anydbm as dbm / except ImportError: import dbm",
    "dbhash": "use dbm on Python 3 (dbm.open)",
    "dumbdbm": "use dbm.dumb on Python 3: try: import dumbdbm / except ImportError: import dbm.dumb as dumbdbm",
    "whichdb": "use dbm.whichdb on Python 3",
    "markupbase": "it is _markupbase (internal) on Python 3: subclass six.moves.html_parser.HTMLParser instead",
    "DocXMLRPCServer": "its classes are in xmlrpc.server on Python 3 (try/except ImportError)",
    "FixTk": "no replacement: tkinter finds Tcl/Tk itself on Python 3",
    "test.test_support": "it is test.support on Python 3",
    "test.testall": "no replacement: run the test suite with python -m test",
    "MacOS": "no replacement (Mac OS 9 support is gone)",
    "macostools": "no replacement (Mac OS 9 support is gone)",
    "EasyDialogs": "no replacement (Mac OS 9 support is gone)",
    "ic": "no replacement (Mac OS 9 support is gone)",
    "cl": "no replacement (SGI IRIX support is gone)",
    "sv": "no replacement (SGI IRIX support is gone)",
    "al": "no replacement (SGI IRIX support is gone)",
    "gl": "no replacement (SGI IRIX support is gone)",
}
for _module, _name in _SIX_MOVES.items():
    _REMOVED[_module] = "import it from six.moves: from six.moves import %s as %s" % (_name, _module)
for _module in list(_REMOVED):
    if _module in _PK206_MOVED:  # PK206 handles it
        del _REMOVED[_module]


@register
class RemovedModules(_GoneModule):
    code = "PK252"
    name = "removed-modules"
    summary = "standard library module removed in Python 3 (commands, rfc822, mimetools, htmllib, popen2 ...)"
    explanation = """
    What it does: reports imports of modules that Python 3 removed without a
    drop-in successor, with the replacement to use: ``commands`` (subprocess),
    ``dircache``, ``mimetools`` / ``rfc822`` / ``mimify`` / ``MimeWriter`` /
    ``multifile`` (the email package), ``htmllib`` / ``sgmllib``
    (``six.moves.html_parser``), ``popen2`` (subprocess), ``posixfile``,
    ``mhlib``, ``compiler`` (ast), ``fpformat``, ``imputil`` / ``ihooks``,
    ``rexec`` / ``Bastion``, ``statvfs``, ``user``, ``mutex``, ``dl``,
    ``anydbm`` / ``dbhash`` / ``dumbdbm`` / ``whichdb`` (dbm),
    ``markupbase``, ``DocXMLRPCServer``, ``test.test_support`` and the
    platform modules of IRIX and Mac OS 9.  Modules that six.moves renames
    but PK206 does not cover yet (``gdbm``, ``dummy_thread``, ``_winreg``,
    ``Tix``, ``ttk``, ``tkFont``, ``Tkconstants``...) are reported with their
    six.moves name.

    The rewrites: ``commands.getoutput`` → ``six.moves.getoutput``
    (``commands.getoutput`` on 2, ``subprocess.getoutput`` on 3); when it
    was the only use of ``commands``, the import goes.  ``import markupbase``
    stays as it is on 2.7, inside ``try:``, and Python 3's ``_markupbase``
    (the same module, renamed private) is imported under its name where it
    fails.

    Why: these imports fail on Python 3.  The replacements need decisions
    (APIs differ), so they are not rewritten.
    """
    examples = (
        Example("import rfc822\nwhen = rfc822.parsedate(header)\n", None,
                title="Reported with the replacement to use", findings=("PK252",)),
        Example("import commands\nout = commands.getoutput('uname -a')\n",
                "import six\nout = six.moves.getoutput('uname -a')\n"),
        Example("from commands import getstatusoutput\n", None, findings=("PK252",),
                title="No drop-in replacement on both versions: reported"),
        Example("import markupbase\n", "try:\n    import markupbase\nexcept ImportError:  # Python 3\n"
                "    import _markupbase as markupbase\n", title="markupbase is _markupbase on 3"),
    )
    gone_modules = _REMOVED
    rules = {"commands.getoutput": "getoutput"}
    needles = frozenset(m.split(".")[-1] for m in _REMOVED)

    def alias_line(self, ctx, target, bound):
        return from_line("six.moves", "getoutput", bound)

    def module_fallback(self, module):
        # the same module, renamed private on 3 (what a vendored sgmllib builds on)
        return "_markupbase" if module == "markupbase" else None

    def outcome(self, ctx, ref, target):
        message = "commands.getoutput is gone in Python 3: use six.moves.getoutput"
        if type(ref.ctx) is ast.Load and module_visible(ctx, ref, "six"):
            return Outcome(message, [ctx.replace(ref, "six.moves.getoutput")], [SIX])
        return Outcome(message)

    def visit(self, node, ctx):
        if isinstance(node, ast.Import):
            dotted = [a for a in node.names if "." in a.name and a.name in self.gone_modules]
            for alias in dotted:
                ctx.report(node, "module %s does not exist on Python 3: %s" % (alias.name, self.gone_modules[alias.name]))
            if len(dotted) == len(node.names):
                return
        super().visit(node, ctx)


# ---------------------------------------------------------------------------
_HASH = {
    "md5.new": ("md5", "md5"), "md5.md5": ("md5", "md5"), "md5.digest_size": ("md5", None),
    "md5.blocksize": ("md5", "report"),
    "sha.new": ("sha1", "sha1"), "sha.sha": ("sha1", "sha1"), "sha.digest_size": ("sha1", None),
    "sha.digestsize": ("sha1", None), "sha.blocksize": ("sha1", "report"),
}


@register
class Md5ShaModules(_GoneModule):
    code = "PK253"
    name = "md5-sha-modules"
    summary = "modules md5 and sha are gone in Python 3 (use hashlib)"
    explanation = """
    What it does: rewrites ``md5.new(x)`` / ``md5.md5(x)`` →
    ``hashlib.md5(x)``, ``sha.new(x)`` / ``sha.sha(x)`` → ``hashlib.sha1(x)``,
    ``md5.digest_size`` → ``hashlib.md5().digest_size`` (likewise for sha),
    ``from md5 import new`` → ``from hashlib import md5 as new``; the
    ``import md5`` / ``import sha`` goes once every use is rewritten.

    Why: both modules were deprecated aliases of hashlib since 2.5 and are
    gone in Python 3.  On 2.7 ``md5.new`` *is* ``hashlib.md5``.

    Bytes: hashlib wants bytes on Python 3; hashing text is a PK4 finding.
    """
    examples = (
        Example("import md5\n\ndef etag(body):\n    return md5.new(body).hexdigest()\n",
                "import hashlib\n\ndef etag(body):\n    return hashlib.md5(body).hexdigest()\n"),
        Example("from sha import sha\ndigest = sha(data).digest()\n",
                "from hashlib import sha1 as sha\ndigest = sha(data).digest()\n"),
    )
    gone_modules = {"md5": "use hashlib.md5", "sha": "use hashlib.sha1"}
    rules = _HASH
    needles = frozenset(["md5", "sha"])

    def droppable(self, target):
        return _HASH[target][1] != "report"

    def alias_line(self, ctx, target, bound):
        algorithm, kind = _HASH[target]
        if kind in (None, "report"):
            return None
        return from_line("hashlib", algorithm, bound)

    def outcome(self, ctx, ref, target):
        algorithm, kind = _HASH[target]
        if kind == "report":
            return Outcome("%s is gone in Python 3: hashlib.%s().block_size is the real block size (%s was 1)"
                           % (target, algorithm, target))
        new = "hashlib.%s" % algorithm + ("().digest_size" if kind is None else "")
        message = "%s is gone in Python 3: use %s" % (target, new)
        if type(ref.ctx) is ast.Load and module_visible(ctx, ref, "hashlib"):
            return Outcome(message, [ctx.replace(ref, new)], [ImportRequest("hashlib")])
        return Outcome(message)


# ---------------------------------------------------------------------------
@register
class SetsModule(_GoneModule):
    code = "PK254"
    name = "sets-module"
    summary = "module sets is gone in Python 3 (use the builtins set / frozenset)"
    explanation = """
    What it does: rewrites ``sets.Set`` → ``set`` and ``sets.ImmutableSet`` →
    ``frozenset`` (also through ``from sets import Set``, whose uses are
    renamed); the import goes once every use is rewritten.

    Why: the builtins replaced the module in 2.4; Python 3 removed it.

    Reported instead: ``sets.BaseSet``, a class that subclasses ``Set`` (it
    may use the module's internals such as ``_data``), a module that calls
    ``union_update`` (a ``sets.Set`` method that ``set`` calls ``update``), or
    a module where ``set``/``frozenset`` is rebound.  ``repr()`` changes
    (``Set([1])`` → ``set([1])``) and pickles of ``sets.Set`` objects are not
    interchangeable.
    """
    examples = (
        Example("import sets\nseen = sets.Set()\nfrozen = sets.ImmutableSet(names)\n",
                "seen = set()\nfrozen = frozenset(names)\n"),
        Example("from sets import Set\n\ndef unique(items):\n    return Set(items)\n",
                "\ndef unique(items):\n    return set(items)\n"),
        Example("from sets import Set\n\nclass OrderedSet(Set):\n    pass\n", None,
                title="Subclasses may use the module's internals: reported", findings=("PK254", "PK254")),
    )
    gone_modules = {"sets": "use the builtins set and frozenset"}
    rules = {"sets.Set": "set", "sets.ImmutableSet": "frozenset", "sets.BaseSet": None}
    needles = frozenset(["sets"])

    def droppable(self, target):
        return self.rules[target] is not None

    def outcome(self, ctx, ref, target):
        new = self.rules[target]
        if new is None:
            return Outcome("sets.BaseSet is gone in Python 3: test isinstance(x, (set, frozenset))")
        message = "%s is gone in Python 3: use the builtin %s" % (target, new)
        parent = ctx.parent(ref)
        if isinstance(parent, ast.ClassDef) and ref in parent.bases:
            return Outcome(message + " (not rewritten: a subclass may use the internals of %s)" % target)
        if "union_update" in ctx.text:
            return Outcome(message + " (not rewritten: rename union_update() to update() first)")
        if type(ref.ctx) is ast.Load and builtin_visible(ctx, ref, new):
            return Outcome(message, [ctx.replace(ref, new)])
        return Outcome(message)


# ---------------------------------------------------------------------------
_EXCEPTIONS_BOTH = frozenset("""ArithmeticError AssertionError AttributeError BaseException BufferError
BytesWarning DeprecationWarning EOFError EnvironmentError Exception FloatingPointError FutureWarning
GeneratorExit IOError ImportError ImportWarning IndentationError IndexError KeyError KeyboardInterrupt
LookupError MemoryError NameError NotImplementedError OSError OverflowError PendingDeprecationWarning
ReferenceError RuntimeError RuntimeWarning StopIteration SyntaxError SyntaxWarning SystemError SystemExit
TabError TypeError UnboundLocalError UnicodeDecodeError UnicodeEncodeError UnicodeError
UnicodeTranslateError UnicodeWarning UserWarning ValueError Warning ZeroDivisionError""".split())
_EXCEPTIONS_REPORT = {
    "StandardError": "exceptions.StandardError is gone in Python 3: use Exception",
    "WindowsError": "exceptions.WindowsError exists on Windows only: on Python 3 it is OSError",
}


@register
class ExceptionsModule(_GoneModule):
    code = "PK255"
    name = "exceptions-module"
    summary = "module exceptions is gone in Python 3 (the exceptions are builtins)"
    explanation = """
    What it does: rewrites ``exceptions.ValueError`` → ``ValueError`` (every
    exception that is a builtin on both 2.7 and 3) and drops
    ``from exceptions import ValueError`` (uses of an ``as`` name are renamed);
    ``import exceptions`` goes once every use is rewritten.

    Why: Python 2's ``exceptions`` module only re-exported the builtins;
    Python 3 removed it.

    Reported: ``StandardError`` (use ``Exception``), ``WindowsError``
    (``OSError`` on 3), and a module that rebinds the builtin name.
    """
    examples = (
        Example("import exceptions\n\nclass Timeout(exceptions.RuntimeError):\n    pass\n",
                "\nclass Timeout(RuntimeError):\n    pass\n"),
        Example("from exceptions import Exception as BaseError\nraise BaseError('x')\n",
                "raise Exception('x')\n"),
        Example("import exceptions\nclass Old(exceptions.StandardError):\n    pass\n", None,
                title="Reported", findings=("PK255", "PK255")),
    )
    gone_modules = {"exceptions": "the exceptions are builtins on Python 3: use them directly"}
    rules = {"exceptions." + n: n for n in list(_EXCEPTIONS_BOTH) + list(_EXCEPTIONS_REPORT)}
    needles = frozenset(["exceptions"])

    def droppable(self, target):
        return target.split(".", 1)[1] not in _EXCEPTIONS_REPORT

    def report_use(self, ctx, ref, target):
        return ref.id != target.split(".", 1)[1]  # uses of the builtin's own name need nothing

    def outcome(self, ctx, ref, target):
        name = target.split(".", 1)[1]
        if name in _EXCEPTIONS_REPORT:
            return Outcome(_EXCEPTIONS_REPORT[name])
        message = "%s is gone in Python 3: it is the builtin %s" % (target, name)
        # ``from exceptions import ValueError``: the name is the builtin once
        # that import (its only binding) is gone.
        same = isinstance(ref, ast.Name) and ref.id == name and ctx.resolve(ref) == target
        if type(ref.ctx) is ast.Load and (same or builtin_visible(ctx, ref, name)):
            # (a from-imported name spelled like the builtin is "rewritten" to
            # itself: nothing changes but the import goes)
            return Outcome(message, [ctx.replace(ref, name)])
        return Outcome(message)


# ---------------------------------------------------------------------------
_NEW = {
    "new.instancemethod": "MethodType", "new.function": "FunctionType", "new.module": "ModuleType",
    "new.classobj": None, "new.code": None, "new.instance": None,
}
_NEW_REPORT = {
    "classobj": "new.classobj is gone in Python 3: use type(name, bases, namespace) (a new-style class)",
    "code": "new.code is gone in Python 3: use types.CodeType (its arguments differ on 3: build it with "
            "code.replace() on 3.8+)",
    "instance": "new.instance is gone in Python 3: use cls.__new__(cls) and update its __dict__",
}


@register
class NewModule(_GoneModule):
    code = "PK256"
    name = "new-module"
    summary = "module new is gone in Python 3 (use types)"
    explanation = """
    What it does: rewrites ``new.instancemethod(f, obj)`` →
    ``types.MethodType(f, obj)``, ``new.function`` → ``types.FunctionType``,
    ``new.module`` → ``types.ModuleType`` (the same objects on 2.7); the
    ``import new`` goes once every use is rewritten.

    Reported: ``new.instancemethod`` with a third (class) argument or
    ``None`` as the instance (unbound methods do not exist on 3),
    ``new.classobj``, ``new.code``, ``new.instance``.

    Why: ``new`` was deprecated in 2.6 and removed in Python 3.
    """
    examples = (
        Example("import new\nbound = new.instancemethod(func, obj)\n",
                "import types\nbound = types.MethodType(func, obj)\n"),
        Example("from new import function\n", "from types import FunctionType as function\n"),
        Example("import new\nKlass = new.classobj('Klass', (), {})\n", None,
                title="Reported", findings=("PK256", "PK256")),
    )
    gone_modules = {"new": "use the types module"}
    rules = _NEW
    needles = frozenset(["new"])

    def droppable(self, target):
        return _NEW[target] is not None

    def alias_line(self, ctx, target, bound):
        name = _NEW[target]
        if name in ("FunctionType", "ModuleType"):
            return from_line("types", name, bound)
        return None

    def outcome(self, ctx, ref, target):
        name = _NEW[target]
        short_name = target.split(".", 1)[1]
        if name is None:
            return Outcome(_NEW_REPORT[short_name])
        message = "%s is gone in Python 3: use types.%s" % (target, name)
        if name == "MethodType":
            call = call_of(ctx, ref)
            if call is None or not plain_args(call) or len(call.args) != 2 or (
                    isinstance(call.args[1], ast.Constant) and call.args[1].value is None):
                return Outcome(message + " (not rewritten: only new.instancemethod(function, instance) has "
                               "an equivalent; unbound methods are plain functions on 3)")
        if type(ref.ctx) is ast.Load and module_visible(ctx, ref, "types"):
            return Outcome(message, [ctx.replace(ref, "types." + name)], [ImportRequest("types")])
        return Outcome(message)



# -- DictMixin -> the collections ABCs (a class body rewritten with libcst) ---
# The methods DictMixin gives a class that the ABC does not, or builds from
# other methods: (name, source, condition on the class's own members).
_DICTMIXIN_METHODS = (
    ("__iter__", "def __iter__(self):\n    for k in self.keys():\n        yield k\n", None),
    ("__len__", "def __len__(self):\n    return len(self.keys())\n", None),
    ("__repr__", "def __repr__(self):\n    return repr(dict(six.iteritems(self)))\n", None),
    # DictMixin's has_key is the lookup that Mapping.__contains__ does; an
    # alias, not a def, so that the module does not define a has_key method
    # (PK202 reports every has_key() call of a project that defines one).
    ("has_key", "has_key = six.moves.collections_abc.Mapping.__contains__\n", None),
    ("__contains__", "def __contains__(self, key):\n    return self.has_key(key)\n", "has_key"),
    ("items", "def items(self):\n    return list(self.iteritems())\n", "iteritems"),
    ("values", "def values(self):\n    return [v for _, v in self.iteritems()]\n", "iteritems"),
    ("itervalues", "def itervalues(self):\n    for _, v in self.iteritems():\n        yield v\n", "iteritems"),
)


def _dictmixin_plan(ctx, ref):
    """``(abc, [added method names], None)`` for a class whose only base is
    ``ref`` (DictMixin) and that can be based on the ABC exactly enough, or
    ``(None, None, why not)``."""
    from fixers._classic import class_members

    cls = ctx.parent(ref)
    if not isinstance(cls, ast.ClassDef) or ref not in cls.bases:
        return None, None, "not a class base"
    if len(cls.bases) != 1 or cls.keywords:
        return None, None, "the class has other bases (DictMixin makes a classic class; the ABC a new-style one)"
    members = class_members(cls)
    if "__metaclass__" in members or "__slots__" in members:
        return None, None, "the class sets __metaclass__ or __slots__"
    functions = {n for n, m in members.items() if isinstance(m, (ast.FunctionDef, ast.AsyncFunctionDef))}
    if not {"__getitem__", "keys"} <= functions:
        return None, None, "the class does not define both __getitem__ and keys(), which DictMixin needs"
    if any(n in members and n not in functions for n, _, _ in _DICTMIXIN_METHODS):
        return None, None, "the class binds a DictMixin method name to something other than a method"
    mutable = {"__setitem__", "__delitem__"} & functions
    if len(mutable) == 1:
        return None, None, "the class defines only one of __setitem__ / __delitem__"
    if len(ctx.lines.starts) and cls.body and cls.body[0].lineno == cls.lineno:
        return None, None, "the class body is on the class line"
    if _next_below(ctx, cls):
        return None, None, ("the class or a subclass defines next(): with __iter__ it would be taken for an "
                            "iterator")
    abc = "MutableMapping" if mutable else "Mapping"
    added = [name for name, _, needs in _DICTMIXIN_METHODS
             if name not in members and (needs is None or needs in functions)]
    return abc, added, None


def _next_below(ctx, cls) -> bool:
    """Does ``cls``, or a class of the module derived from it, define next()?"""
    family = {cls.name}
    classes = list(ctx.walk.index.get(ast.ClassDef, ()))
    grown = True
    while grown:
        grown = False
        for other in classes:
            if other.name not in family and any(isinstance(b, ast.Name) and b.id in family for b in other.bases):
                family.add(other.name)
                grown = True
    return any(other.name in family and any(isinstance(m, (ast.FunctionDef, ast.AsyncFunctionDef)) and m.name == "next"
                                            for m in other.body) for other in classes)


def _dictmixin_edit(ctx, ref, abc, added):
    """The libcst rewrite of the class statement: the base becomes the ABC and
    the methods ``added`` go at the end of its body."""
    from portkit import cst as pcst

    cache = ctx.cache.setdefault("pk257.dictmixin", {})
    cls = ctx.parent(ref)
    if id(cls) in cache:
        return cache[id(cls)]
    sources = {name: source for name, source, _ in _DICTMIXIN_METHODS}
    index = cls.bases.index(ref)

    def transform(node):
        import libcst

        bases = list(node.bases)
        bases[index] = bases[index].with_changes(
            value=libcst.parse_expression("six.moves.collections_abc.%s" % abc))
        methods = [libcst.parse_statement(sources[name]).with_changes(leading_lines=[libcst.EmptyLine(indent=False)])
                   for name in added]
        body = node.body
        return node.with_changes(bases=bases, body=body.with_changes(body=list(body.body) + methods))

    try:
        edit = pcst.rewrite_statement(ctx, cls, transform)
    except pcst.RewriteError:
        edit = None
    cache[id(cls)] = edit
    return edit

# ---------------------------------------------------------------------------
_USER = {
    "UserDict.UserDict": "UserDict", "UserDict.IterableUserDict": "UserDict",
    "UserList.UserList": "UserList", "UserString.UserString": "UserString",
    "UserDict.DictMixin": None, "UserString.MutableString": None,
}
_USER_REPORT = {
    "UserDict.DictMixin": "UserDict.DictMixin is gone in Python 3: subclass "
                          "six.moves.collections_abc.MutableMapping (it needs __getitem__, __setitem__, "
                          "__delitem__, __iter__ and __len__)",
    "UserString.MutableString": "UserString.MutableString is gone in Python 3: use a list of parts or "
                                "io.StringIO",
}


@register
class UserCollections(_GoneModule):
    code = "PK257"
    name = "user-collections"
    summary = "modules UserDict / UserList / UserString are gone in Python 3 (use six.moves)"
    explanation = """
    What it does: rewrites ``from UserDict import UserDict`` →
    ``from six.moves import UserDict``, ``UserList.UserList`` →
    ``six.moves.UserList``, ``UserString.UserString`` →
    ``six.moves.UserString``, ``UserDict.IterableUserDict`` →
    ``six.moves.UserDict``; ``import UserDict`` goes once every use is
    rewritten.

    Why: Python 3 moved the classes into ``collections``.

    Fix safety: on 2.7 ``six.moves.UserDict`` is ``IterableUserDict``, the
    subclass of ``UserDict.UserDict`` that adds ``__iter__``: everything that
    worked keeps working, and iterating over the mapping now works on 2.7
    too (it did not).  Reported: ``MutableString``.

    ``DictMixin``: a class whose only base is ``DictMixin`` and that defines
    ``__getitem__`` and ``keys()`` (what DictMixin needs) is based on
    ``six.moves.collections_abc.MutableMapping``, or ``Mapping`` when it
    defines neither ``__setitem__`` nor ``__delitem__``.  The methods that
    DictMixin gave it and the ABC does not give, or builds another way, are
    added with DictMixin's own code, unless the class defines them:
    ``__iter__`` and ``__len__`` from ``keys()``, ``__repr__`` (a dict's
    repr), ``has_key`` (an alias of ``Mapping.__contains__``, which does
    DictMixin's ``self[key]`` lookup), ``__contains__`` through the class's own
    ``has_key``, and ``items`` / ``values`` / ``itervalues`` through its own
    ``iteritems``.  The class statement is rewritten with libcst, which only
    parses that statement.  What still differs on 2.7: the class becomes a
    new-style class (DictMixin is a classic one), ``isinstance(x, Mapping)``
    becomes true, and ``<`` / ``>`` between the mapping and a dict (from
    DictMixin's ``__cmp__``) are gone; ``==`` and ``!=`` are kept.  Reported
    instead: other bases, ``__metaclass__`` or ``__slots__`` in the class,
    ``__getitem__`` or ``keys`` missing, and only one of ``__setitem__`` /
    ``__delitem__``.  The import of DictMixin is then kept as it is on 2.7,
    inside ``try:``, and ``collections.abc.MutableMapping`` is imported under
    its name when it fails on 3, so that the module still imports there.
    """
    examples = (
        Example("from UserDict import UserDict\n\nclass Settings(UserDict):\n    pass\n",
                "from six.moves import UserDict\n\nclass Settings(UserDict):\n    pass\n"),
        Example("import UserList\n\nclass Stack(UserList.UserList):\n    pass\n",
                "import six\n\nclass Stack(six.moves.UserList):\n    pass\n"),
        Example("from UserDict import DictMixin\n\nclass Row(DictMixin):\n    def __getitem__(self, key):\n"
                "        return self.values_[key]\n\n    def keys(self):\n        return ['id']\n",
                "import six\n\nclass Row(six.moves.collections_abc.Mapping):\n    def __getitem__(self, key):\n"
                "        return self.values_[key]\n\n    def keys(self):\n        return ['id']\n\n"
                "    def __iter__(self):\n        for k in self.keys():\n            yield k\n\n"
                "    def __len__(self):\n        return len(self.keys())\n\n"
                "    def __repr__(self):\n        return repr(dict(six.iteritems(self)))\n\n"
                "    has_key = six.moves.collections_abc.Mapping.__contains__\n",
                title="DictMixin: the ABC, and DictMixin's methods the class needs"),
        Example("from UserDict import DictMixin\nok = isinstance(x, DictMixin)\n",
                "try:\n    from UserDict import DictMixin\n"
                "except ImportError:  # Python 3: the uses are reported, to be ported by hand\n"
                "    from collections.abc import MutableMapping as DictMixin\nok = isinstance(x, DictMixin)\n",
                title="Not a class base: reported; the import stays on 2.7, and on 3 the module imports",
                findings=("PK257", "PK257")),
    )
    gone_modules = {"UserDict": "use six.moves.UserDict (or six.moves.collections_abc.MutableMapping for "
                                "DictMixin)",
                    "UserList": "use six.moves.UserList",
                    "UserString": "use six.moves.UserString"}
    rules = _USER
    needles = frozenset(["UserDict", "UserList", "UserString"])

    def droppable(self, target):
        return _USER[target] is not None or target == "UserDict.DictMixin"

    def fallback(self, target):
        # DictMixin's methods are built on the class's own __getitem__ and keys(), as
        # MutableMapping's are on __getitem__, __iter__ and __len__
        return ("collections.abc", "MutableMapping") if target == "UserDict.DictMixin" else None

    def alias_line(self, ctx, target, bound):
        new = _USER[target]
        return None if new is None else from_line("six.moves", new, bound)

    def outcome(self, ctx, ref, target):
        new = _USER[target]
        if target == "UserDict.DictMixin":
            return self._dictmixin(ctx, ref)
        if new is None:
            return Outcome(_USER_REPORT[target])
        message = "%s is gone in Python 3: use six.moves.%s" % (target, new)
        if type(ref.ctx) is ast.Load and module_visible(ctx, ref, "six"):
            return Outcome(message, [ctx.replace(ref, "six.moves." + new)], [SIX])
        return Outcome(message)

    def _dictmixin(self, ctx, ref):
        report = _USER_REPORT["UserDict.DictMixin"]
        if type(ref.ctx) is not ast.Load or not module_visible(ctx, ref, "six"):
            return Outcome(report)
        abc, added, why = _dictmixin_plan(ctx, ref)
        if abc is None:
            return Outcome("%s (not rewritten: %s)" % (report, why))
        edit = _dictmixin_edit(ctx, ref, abc, added)
        if edit is None:
            return Outcome("%s (not rewritten: the class statement could not be rewritten)" % report)
        message = "UserDict.DictMixin is gone in Python 3: based on six.moves.collections_abc.%s" % abc
        if added:
            message += ", with the DictMixin methods it needs added (%s)" % ", ".join(added)
        ctx.unsettle()  # the class changed shape: the other fixers look at it again
        return Outcome(message, [edit], [SIX])


# ---------------------------------------------------------------------------
_EMAIL = {
    "Charset": "charset", "Encoders": "encoders", "Errors": "errors", "FeedParser": "feedparser",
    "Generator": "generator", "Header": "header", "Iterators": "iterators", "Message": "message",
    "Parser": "parser", "Utils": "utils", "base64MIME": "base64mime", "quopriMIME": "quoprimime",
    "MIMEAudio": "mime.audio", "MIMEBase": "mime.base", "MIMEImage": "mime.image",
    "MIMEMessage": "mime.message", "MIMEMultipart": "mime.multipart",
    "MIMENonMultipart": "mime.nonmultipart", "MIMEText": "mime.text",
}


@register
class EmailLegacyNames(Fixer):
    code = "PK258"
    name = "email-legacy-names"
    summary = "email.Utils / email.MIMEText ... (the 2.4 names) are gone in Python 3"
    explanation = """
    What it does: rewrites the Python 2.4 module names of the email package
    into the lowercase ones that 2.5+ and 3 have: ``email.Utils`` →
    ``email.utils``, ``email.MIMEText`` → ``email.mime.text`` (likewise
    Charset, Encoders, Errors, FeedParser, Generator, Header, Iterators,
    Message, Parser, base64MIME, quopriMIME and the MIME* modules), in
    ``from email.MIMEText import MIMEText``, ``import email.Utils``,
    ``from email import Utils`` and attribute uses ``email.Utils.formatdate``
    (``import email.utils`` is added for those).

    Why: 2.7 kept the old names as lazy aliases; Python 3 removed them.  The
    new names are the same modules on 2.7.
    """
    examples = (
        Example("from email.MIMEText import MIMEText\n", "from email.mime.text import MIMEText\n"),
        Example("import email.Utils\nstamp = email.Utils.formatdate()\n",
                "import email.utils\nstamp = email.utils.formatdate()\n"),
        Example("from email import Utils, message_from_string\n",
                "from email import message_from_string\nfrom email import utils as Utils\n"),
    )
    needles = frozenset(_EMAIL)
    node_types = (ast.ImportFrom, ast.Import)

    def _attribute(self, node, ctx):
        new = _EMAIL[node.attr]
        message = "email.%s is email.%s on Python 3 (and 2.5+)" % (node.attr, new)
        if isinstance(ctx.parent(node), ast.Attribute):
            imports = [] if ("email." + new) in _email_imports(ctx) else [ImportRequest("email." + new)]
            ctx.report(node, message, edits=[rename_attr(ctx, node, new)], imports=imports)
        else:
            ctx.report(node, message + " (a module object: import email.%s)" % new)

    def _attribute_uses(self, ctx, bound):
        seen = ctx.cache.setdefault("stdlib.email_seen", set())
        for use in name_refs(ctx, bound, "email"):
            parent = ctx.parent(use)
            if isinstance(parent, ast.Attribute) and parent.value is use and parent.attr in _EMAIL:
                if id(parent) not in seen:
                    seen.add(id(parent))
                    self._attribute(parent, ctx)

    def visit(self, node, ctx):
        kind = type(node)
        if kind is ast.Import:
            for alias in node.names:
                if alias.name.split(".")[0] == "email" and (not alias.asname or alias.name == "email"):
                    self._attribute_uses(ctx, alias.asname or "email")
        if kind is ast.ImportFrom:
            if node.level or not node.module:
                return
            parts = node.module.split(".")
            if parts[0] != "email":
                return
            if len(parts) >= 2 and parts[1] in _EMAIL:
                span = module_span(ctx, node)
                new = "email.%s%s" % (_EMAIL[parts[1]], "".join("." + p for p in parts[2:]))
                message = "module %s is %s on Python 3 (and 2.5+)" % (node.module, new)
                ctx.report(node, message, edits=[ctx.replace_span(span[0], span[1], new)] if span else [])
                return
            if node.module == "email":
                old = [a for a in node.names if a.name in _EMAIL]
                if not old:
                    return
                keep = [a for a in node.names if a.name not in _EMAIL]
                lines = []
                if keep:
                    lines.append("from email import " + ", ".join(
                        a.name + (" as " + a.asname if a.asname else "") for a in keep))
                for alias in old:
                    package, _, leaf = ("email." + _EMAIL[alias.name]).rpartition(".")
                    lines.append(from_line(package, leaf, alias.asname or alias.name))
                edit = replace_statement(ctx, node, lines)
                ctx.report(node, "email.%s is email.%s on Python 3 (and 2.5+)" % (old[0].name, _EMAIL[old[0].name]),
                           edits=[edit] if edit else [])
            return
        # import email.X [as y]
        changed = False
        names = []
        for alias in node.names:
            parts = alias.name.split(".")
            if parts[0] == "email" and len(parts) >= 2 and parts[1] in _EMAIL:
                changed = True
                name = "email.%s%s" % (_EMAIL[parts[1]], "".join("." + p for p in parts[2:]))
                names.append(name + (" as " + alias.asname if alias.asname else ""))
            else:
                names.append(alias.name + (" as " + alias.asname if alias.asname else ""))
        if changed:
            edit = replace_statement(ctx, node, ["import " + ", ".join(names)])
            ctx.report(node, "the email package's 2.4 module names are gone in Python 3: use the lowercase ones",
                       edits=[edit] if edit else [])


def _email_imports(ctx) -> set:
    """The email submodules that ``import email.X`` statements import (new names)."""
    found = ctx.cache.get("stdlib.email_imports")
    if found is None:
        found = set()
        for node in ctx.walk.index.get(ast.Import, ()):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "email" and len(parts) >= 2 and not alias.asname:
                    found.add("email." + _EMAIL.get(parts[1], parts[1]))
        ctx.cache["stdlib.email_imports"] = found
    return found


# ---------------------------------------------------------------------------
_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"))


def _quote_flag(node) -> Optional[bool]:
    """The truth of a constant ``quote`` argument (None when not a constant)."""
    if isinstance(node, ast.Constant) and (node.value is None or type(node.value) in (bool, int)):
        return bool(node.value)
    return None


@register
class CgiEscape(_StdlibNames):
    code = "PK262"
    name = "cgi-escape"
    summary = "cgi.escape() is gone in Python 3.8 (and cgi in 3.13)"
    explanation = """
    What it does: rewrites ``cgi.escape(s)`` to
    ``s.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;')``,
    and ``cgi.escape(s, True)`` (``quote=True``) to the same with
    ``.replace('"', '&quot;')`` added; ``from cgi import escape`` is
    followed to its uses.  The import of ``cgi`` goes once nothing else of
    the module is used.

    Why: ``cgi.escape`` was removed in Python 3.8 and the whole ``cgi``
    module in 3.13.  The chain of ``replace`` calls *is* the code of
    ``cgi.escape`` on 2.7, so the result is the same for str and unicode on
    2.7 and for str on 3.  ``html.escape`` (3 only) is not a drop-in
    replacement: it also escapes ``'`` and quotes by default.

    ``cgi.escape`` used as a value (``escape = cgi.escape``,
    ``map(cgi.escape, names)``) becomes ``(lambda s, quote=None: <the
    chain with '&quot;'> if quote else <the chain>)``: the same results and
    exceptions for every argument, though the function is then a lambda (its
    ``__name__`` differs, and it cannot be pickled by reference).

    Not rewritten (reported): a ``quote`` argument that is not a constant,
    ``*``/``**`` arguments, and modules with
    ``from __future__ import unicode_literals`` (the literals would be
    unicode, which 2.7 cannot mix with non-ASCII byte strings).
    """
    examples = (
        Example("import cgi\n\ndef h(text):\n    return cgi.escape(text, True)\n",
                "\ndef h(text):\n    return text.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;')"
                ".replace('\"', '&quot;')\n"),
        Example("from cgi import escape\nsafe = escape(name)\n",
                "safe = name.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;')\n"),
        Example("import cgi\nsafe = cgi.escape(text, quote)\n", None,
                title="quote not a constant: reported", findings=("PK259", "PK262")),
        Example("from cgi import escape\nsafe = map(escape, names)\n",
                "safe = map((lambda s, quote=None: s.replace('&', '&amp;').replace('<', '&lt;').replace('>', "
                "'&gt;').replace('\"', '&quot;') if quote else s.replace('&', '&amp;').replace('<', '&lt;')"
                ".replace('>', '&gt;')), names)\n", title="Used as a value: a lambda"),
    )
    rules = {"cgi.escape": "escape"}
    needles = frozenset(["cgi"])

    def outcome(self, ctx, ref, target):
        message = "cgi.escape() is gone in Python 3.8: use the equivalent str.replace() chain"
        call = call_of(ctx, ref)
        if type(ref.ctx) is not ast.Load:
            return Outcome(message + " (not rewritten: not a call)")
        if "unicode_literals" in ctx.future:
            return Outcome(message + " (not rewritten: unicode_literals would make the literals unicode)")
        if call is None:
            chain = "s" + "".join(".replace(%r, %r)" % pair for pair in _ESCAPES)
            value = "(lambda s, quote=None: %s.replace('\"', '&quot;') if quote else %s)" % (chain, chain)
            return Outcome(message + " (a value: a lambda of the same chain)", [ctx.replace(ref, value)])
        args = list(call.args)
        keywords = list(call.keywords)
        if any(isinstance(a, ast.Starred) for a in args) or any(k.arg is None for k in keywords):
            return Outcome(message + " (not rewritten: * or ** arguments)")
        quote = None
        if keywords:
            if len(keywords) != 1 or keywords[0].arg != "quote" or len(args) != 1:
                return Outcome(message + " (not rewritten: unexpected arguments)")
            quote = keywords[0].value
        elif len(args) == 2:
            quote = args[1]
        elif len(args) != 1:
            return Outcome(message + " (not rewritten: unexpected arguments)")
        flag = False if quote is None else _quote_flag(quote)
        if flag is None:
            return Outcome(message + " (not rewritten: quote is not a constant; use .replace('\"', '&quot;') "
                           "when it is true)")
        escapes = _ESCAPES + ((('"', "&quot;"),) if flag else ())
        text = _receiver(ctx, args[0]) + "".join(
            ".replace(%s, %s)" % (repr(a) if a != '"' else "'\"'", repr(b)) for a, b in escapes)
        return Outcome(message, [ctx.replace(call, text)])

    def visit(self, node, ctx):
        super().visit(node, ctx)
        if type(node) is not ast.Import:
            return
        keep, done = [], []
        for alias in node.names:
            if alias.name != "cgi":
                keep.append(alias)
                continue
            bound = alias.asname or "cgi"
            uses = name_refs(ctx, bound, "cgi")
            if uses and import_binds_exactly(ctx, node, bound, "cgi") and all(
                    self._use_fixable(ctx, use, "cgi") for use in uses):
                done.append(alias)
            else:
                keep.append(alias)
        if done:
            edit = rewrite_import(ctx, node, keep)
            if edit is not None:
                ctx.report(node, "import cgi: every use (cgi.escape) rewritten, import removed", edits=[edit],
                           last=True)


def _receiver(ctx, node) -> str:
    text = ctx.source(node)
    if isinstance(node, (ast.Name, ast.Attribute, ast.Call, ast.Subscript, ast.List, ast.Tuple, ast.Dict,
                         ast.ListComp, ast.DictComp, ast.SetComp, ast.Set, ast.JoinedStr)):
        return text
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return text
    if isinstance(node, ast.GeneratorExp) and text.startswith("("):
        return text
    return "(%s)" % text


# ---------------------------------------------------------------------------
_LATE = {
    # removed in 3.12
    "asynchat": "3.12: use asyncio", "asyncore": "3.12: use asyncio", "smtpd": "3.12: use the aiosmtpd package",
    "imp": "3.12: use importlib (six.moves.reload_module for imp.reload)",
    "distutils": "3.12: use setuptools / sysconfig / shutil",
    # removed in 3.13
    "aifc": "3.13", "audioop": "3.13", "cgi": "3.13: parse with urllib.parse.parse_qs / email.message",
    "cgitb": "3.13", "chunk": "3.13", "crypt": "3.13: use hashlib / the passlib package",
    "imghdr": "3.13: use the filetype package or Pillow", "mailcap": "3.13", "msilib": "3.13",
    "nis": "3.13", "nntplib": "3.13", "ossaudiodev": "3.13",
    "pipes": "3.13: use six.moves.shlex_quote for pipes.quote, subprocess for templates",
    "sndhdr": "3.13", "spwd": "3.13", "sunau": "3.13", "telnetlib": "3.13: use the telnetlib3 package",
    "uu": "3.13: use base64 / binascii", "xdrlib": "3.13", "lib2to3": "3.13",
}


@register
class ModulesRemovedLater(Fixer):
    code = "PK259"
    name = "modules-removed-in-3-12"
    fixable = False
    summary = "standard library module removed in Python 3.12 or 3.13 (imp, asyncore, cgi, pipes ...)"
    explanation = """
    What it does: reports imports of modules that exist on 2.7 and on early
    Python 3 but were removed in 3.12 (asynchat, asyncore, smtpd, imp,
    distutils) or 3.13 (aifc, audioop, cgi, cgitb, chunk, crypt, imghdr,
    mailcap, msilib, nis, nntplib, ossaudiodev, pipes, sndhdr, spwd, sunau,
    telnetlib, uu, xdrlib, lib2to3), with the replacement to use.

    Why: portkit's output must run on every Python from 3.9 on; these
    imports work on 3.9-3.11 and fail on later versions.  Nothing is
    rewritten: the replacements have other APIs.
    """
    examples = (
        Example("import imp\nmod = imp.load_source('plugin', path)\n", None,
                title="Reported", findings=("PK259",)),
        Example("import importlib\n", None, title="Fine"),
    )
    needles = frozenset(_LATE)
    node_types = (ast.Import, ast.ImportFrom)

    def visit(self, node, ctx):
        if isinstance(node, ast.Import):
            modules = [a.name for a in node.names]
        elif node.level or not node.module:
            return
        else:
            modules = [node.module]
        for module in modules:
            top = module.split(".")[0]
            if top in _LATE:
                ctx.report(node, "module %s is removed in Python %s" % (top, _LATE[top]))
