"""portkit's runtime collector: what a Python 2.7 test run teaches the port.

Usage (``portkit init`` writes this into the ``py27`` env of a tox.ini)::

    PYTHONPATH=.portkit/collector python2.7 -3 -m portkit_collector run \\
        [--root DIR] [--output FILE] [--no-kinds] -- -m pytest tests

Everything after ``--`` is what would follow ``python`` on a command line:
``-m MODULE ARGS``, ``-c CODE ARGS`` or ``SCRIPT ARGS``.  It runs in this
process, so the interpreter's ``-3`` flag applies to it, with two recorders
active:

* **Python 3 warnings**: every ``DeprecationWarning`` and ``SyntaxWarning``
  (the categories ``-3`` uses), with file, line, message and count.  They are
  collected, not printed or raised, so a suite that passes still passes.  A
  warning's *scope* says where it was raised: ``project`` (a file under the
  root), ``site-packages``, ``stdlib`` or ``other``.
* **Kind evidence**: for every function defined in a file of the project, the
  kinds of its parameters and of its return value, with counts, observed by a
  ``sys.setprofile`` hook (cheap: it sees calls and returns, not lines).  The
  kinds are ``str`` (bytes on 2), ``unicode``, ``bytearray``, ``int`` (int
  and long), ``None`` and ``other``; ``self`` and ``cls`` are not recorded.
* **Boundary evidence**: the kinds of the arguments that the project's code
  passes to the standard library's bytes/text boundaries written in Python
  (:data:`BOUNDARIES`: base64, urllib quoting, urlparse, hmac, json, re,
  StringIO, Cookie, cgi, socket files), by call site: the arguments that
  were strings at least once.

At the end the results are merged into ``ROOT/.portkit/runtime.json`` (counts
added to those of earlier runs), written atomically under a lock file, and
the command's exit status becomes the collector's.

The file's layout (``"format": 1``)::

    {"format": 1, "root": "/abs/root", "runs": [{"python": "2.7.18", ...}],
     "warnings": [{"scope": "project", "path": "pkg/mod.py", "line": 3,
                   "category": "DeprecationWarning", "count": 2,
                   "message": "dict.has_key() not supported in 3.x; ..."}],
     "evidence": {"pkg/mod.py": {"parse:12": {"name": "parse", "line": 12,
                   "calls": 5, "params": {"data": {"str": 5}},
                   "return": {"unicode": 5}}}},
     "boundaries": {"pkg/mod.py": {"40 base64.b64encode": {"line": 40,
                   "function": "base64.b64encode", "calls": 3,
                   "params": {"s": {"unicode": 3}}}}},
     "files": {"pkg/mod.py": "<sha1 of the file when it was recorded>"}}

A run that sees a file whose SHA-1 differs from the recorded one drops that
file's earlier warnings and evidence before adding its own.

Project paths are relative to the root, with ``/``; other paths absolute.
``line`` of a function is ``co_firstlineno`` (its first decorator, if any).

This module is stdlib-only and written in the subset of Python that runs
unchanged on 2.7 and 3 (it is also how portkit's own tests exercise it on
Python 3).  Limits: warnings that a test framework's own filters ignore
before they are shown (a pytest ``filterwarnings = ignore`` line) are not
seen; compile-time warnings (``<>``, backquotes, tuple parameters) are only
raised when a module is compiled, so stale ``.pyc`` files hide them (the
generated tox env sets ``PYTHONDONTWRITEBYTECODE``); child processes are not
traced.
"""
from __future__ import absolute_import, division, print_function

import errno
import hashlib
import json
import opcode
import os
import runpy
import sys
import tempfile
import threading
import time
import traceback
import warnings

FORMAT = 1
VERSION = "1"
OUTPUT = os.path.join(".portkit", "runtime.json")
KINDS = ("str", "unicode", "bytearray", "int", "None", "other")
_STRING_KINDS = frozenset(["str", "unicode", "bytearray"])
MAX_RUNS = 20  # run records kept in the file (counts are kept whole)

_BYTES = type(b"")
_TEXT = type(u"")
# int and, on Python 2, long (the type of a big literal there).
_INTS = tuple(set([int, type(2 ** 64)]))
_RETURN_OPS = frozenset(
    opcode.opmap[name] for name in ("RETURN_VALUE", "RETURN_CONST") if name in opcode.opmap
)
_GENERATOR_FLAGS = 0x20 | 0x80 | 0x100 | 0x200  # generator, coroutine, async generators
_SKIPPED_PARAMS = frozenset(["self", "cls"])
_SKIPPED_DIRS = frozenset([".tox", ".nox", ".portkit", ".git", ".hg", ".venv", "venv", "env",
                           "site-packages", "dist-packages", "node_modules", "build"])


# The exact types of the common kinds (subclasses go through kind_of()).
_KIND_BY_TYPE = {_BYTES: "str", _TEXT: "unicode", bytearray: "bytearray", type(None): "None"}
for _type in _INTS:
    _KIND_BY_TYPE[_type] = "int"


# The bytes/text boundaries of the standard library written in Python (a
# C function's arguments are not visible to a profiler): for each module
# file (relative to the standard library), the functions whose argument kinds
# are recorded at each call from the project, by call site.
BOUNDARIES = {
    "base64.py": ("b64encode", "b64decode", "urlsafe_b64encode", "urlsafe_b64decode", "standard_b64encode",
                  "standard_b64decode", "b32encode", "b32decode", "b16encode", "b16decode",
                  "encodestring", "decodestring", "encodebytes", "decodebytes"),
    "urllib.py": ("quote", "quote_plus", "unquote", "unquote_plus", "urlencode"),
    "urllib/parse.py": ("quote", "quote_plus", "unquote", "unquote_plus", "urlencode", "parse_qs", "parse_qsl"),
    "urlparse.py": ("parse_qs", "parse_qsl", "urljoin", "urlsplit", "urlparse"),
    "hmac.py": ("new", "compare_digest"),
    "json/__init__.py": ("dumps", "loads"),
    "re.py": ("match", "search", "sub", "subn", "split", "findall", "finditer", "compile"),
    "StringIO.py": ("__init__", "write"),
    "Cookie.py": ("load",),
    "http/cookies.py": ("load",),
    "cgi.py": ("escape", "parse_header"),
    "socket.py": ("write", "sendall"),
}

_BOUNDARY_NAMES = frozenset(name for names in BOUNDARIES.values() for name in names)


def kind_of(value):
    """The kind name of ``value``: one of :data:`KINDS`."""
    if isinstance(value, _BYTES):
        return "str"
    if isinstance(value, _TEXT):
        return "unicode"
    if isinstance(value, bytearray):
        return "bytearray"
    if value is None:
        return "None"
    if type(value) in _INTS:  # not bool: True is no byte count
        return "int"
    return "other"


class Scopes(object):
    """Decides where a file lives: ``project``, ``site-packages``, ``stdlib``
    or ``other``, and how its path is written (relative to the root for the
    project's own files).  Answers are cached per file name as given."""

    def __init__(self, root):
        self.root = os.path.realpath(os.path.abspath(root))
        prefixes = set()
        for name in ("prefix", "exec_prefix", "base_prefix", "base_exec_prefix", "real_prefix"):
            value = getattr(sys, name, None)
            if value:
                prefixes.add(os.path.realpath(value))
        # The standard library of a virtualenv lives with its base Python.
        self.lib = os.path.realpath(os.path.dirname(os.__file__))
        prefixes.add(self.lib)
        self.stdlib = tuple(sorted(prefixes))
        self._cache = {}

    def where(self, filename):
        """``(scope, path)`` of ``filename``; ``(None, None)`` for code that
        has no file (``<string>``, ``<stdin>``)."""
        cached = self._cache.get(filename)
        if cached is not None:
            return cached
        answer = self._where(filename)
        self._cache[filename] = answer
        return answer

    def _where(self, filename):
        if not filename or filename.startswith("<"):
            return None, None
        path = os.path.realpath(os.path.abspath(filename))
        if path.endswith((".pyc", ".pyo")):
            path = path[:-1]
        parts = path.replace(os.sep, "/").split("/")
        if "site-packages" in parts or "dist-packages" in parts:
            return "site-packages", path
        if path == self.root or path.startswith(self.root + os.sep):
            relative = os.path.relpath(path, self.root).replace(os.sep, "/")
            if not _SKIPPED_DIRS.intersection(relative.split("/")[:-1]):
                return "project", relative
        for prefix in self.stdlib:
            if path.startswith(prefix + os.sep):
                return "stdlib", path
        return "other", path


class Collector(object):
    """Records warnings and kind evidence for one run; :meth:`snapshot`
    gives them in the layout of runtime.json (one run's worth)."""

    def __init__(self, root, kinds=True):
        self.scopes = Scopes(root)
        self.kinds = kinds
        self.warnings = {}  # (scope, path, line, category, message) -> count
        self._functions = {}  # code object -> _Function, or False (not ours)
        self.boundaries = {}  # (path, line, "base64.b64encode") -> [calls, [kind counts per param], names]
        self._saved = None

    # -- warnings --------------------------------------------------------
    def record_warning(self, message, category, filename, lineno):
        """Count one warning (called by the hooked ``showwarning``)."""
        if not issubclass(category, (DeprecationWarning, SyntaxWarning)):
            return
        scope, path = self.scopes.where(filename)
        if scope is None:
            scope, path = "other", filename or "?"
        text = message if isinstance(message, (_BYTES, _TEXT)) else _text(message)
        key = (scope, path, int(lineno or 0), category.__name__, _native(text))
        self.warnings[key] = self.warnings.get(key, 0) + 1

    def _chain(self, inner):
        collector = self

        def showwarning(message, category, filename, lineno, file=None, line=None):
            collector.record_warning(message, category, filename, lineno)
            if inner is not None and not issubclass(category, (DeprecationWarning, SyntaxWarning)):
                return inner(message, category, filename, lineno, file, line)
            return None

        showwarning._portkit_collector = True
        return showwarning

    def _chain_recording(self, inner):
        """Wrap a test framework's own recorder (``catch_warnings(record=True)``):
        we count the warning and let the framework have it too."""
        collector = self

        def showwarning(message, category, filename, lineno, file=None, line=None):
            collector.record_warning(message, category, filename, lineno)
            return inner(message, category, filename, lineno, file, line)

        showwarning._portkit_collector = True
        return showwarning

    def install(self):
        """Hook the warnings machinery and, with kinds, the profiler."""
        collector = self
        base = warnings.catch_warnings

        class catch_warnings(base):
            # pytest (and others) record warnings inside catch_warnings(record=True),
            # replacing showwarning: chain ours in front of theirs.
            def __enter__(self):
                result = base.__enter__(self)
                current = warnings.showwarning
                if not getattr(current, "_portkit_collector", False):
                    warnings.showwarning = collector._chain_recording(current)
                return result

        self._saved = (warnings.showwarning, warnings.catch_warnings, list(warnings.filters))
        warnings.catch_warnings = catch_warnings
        warnings.showwarning = self._chain(warnings.showwarning)
        for category in (DeprecationWarning, SyntaxWarning):
            warnings.simplefilter("always", category)
        if self.kinds:
            profile = self._profiler()
            threading.setprofile(profile)
            sys.setprofile(profile)

    def uninstall(self):
        """Undo :meth:`install` (the profiler first: it must not see this)."""
        sys.setprofile(None)
        threading.setprofile(None)
        if self._saved is not None:
            warnings.showwarning, warnings.catch_warnings, filters = self._saved
            warnings.filters[:] = filters
            self._saved = None

    # -- kind evidence ---------------------------------------------------
    def _describe(self, code):
        scope, path = self.scopes.where(code.co_filename)
        if scope == "stdlib" and path.startswith(self.scopes.lib + os.sep):
            if code.co_name not in _BOUNDARY_NAMES:  # most code: no path work at all
                return False
            module = path[len(self.scopes.lib) + 1:].replace(os.sep, "/")
            if code.co_name in BOUNDARIES.get(module, ()):
                # The data are among the first three (s, safe; pattern, repl, string);
                # the rest are options.
                names = [n for n in code.co_varnames[:code.co_argcount] if n not in _SKIPPED_PARAMS][:3]
                dotted = module[:-3].replace("/__init__", "").replace("/", ".")
                return _Function(module, code.co_name, code.co_firstlineno, names, False, code.co_code,
                                 boundary="%s.%s" % (dotted, code.co_name))
        # Functions only: not module or class bodies (not CO_OPTIMIZED), nor
        # comprehensions and generator expressions.
        if scope != "project" or not code.co_flags & 0x1 or code.co_name.startswith("<") and code.co_name != "<lambda>":
            return False
        count = code.co_argcount + getattr(code, "co_kwonlyargcount", 0)
        names = [n for n in code.co_varnames[:count] if n not in _SKIPPED_PARAMS and not n.startswith(".")]
        return _Function(path, code.co_name, code.co_firstlineno, names,
                         bool(code.co_flags & _GENERATOR_FLAGS), code.co_code)

    def _profiler(self):
        """The ``sys.setprofile`` function: a closure over plain locals, as it
        runs for every call and return of the process, C functions included."""
        functions = self._functions
        describe = self._describe
        by_type = _KIND_BY_TYPE
        slow_kind = kind_of
        return_ops = _RETURN_OPS
        where = self.scopes.where
        boundaries = self.boundaries

        def record_boundary(frame, function):
            caller = frame.f_back
            if caller is None:
                return
            scope, path = where(caller.f_code.co_filename)
            if scope != "project":
                return
            key = (path, caller.f_lineno, function.boundary)
            entry = boundaries.get(key)
            if entry is None:
                entry = boundaries[key] = [0, [{} for _ in function.names], function.names]
            entry[0] += 1
            local = frame.f_locals
            for (name, _), counts in zip(function.pairs, entry[1]):
                if name in local:
                    value = local[name]
                    kind = by_type.get(type(value)) or slow_kind(value)
                    counts[kind] = counts.get(kind, 0) + 1

        def profile(frame, event, arg):
            if event == "call":
                code = frame.f_code
                function = functions.get(code)
                if function is None:
                    function = functions[code] = describe(code)
                if function is False:
                    return
                if function.boundary is not None:
                    record_boundary(frame, function)
                    return
                function.calls += 1
                if function.names:
                    local = frame.f_locals
                    for name, counts in function.pairs:
                        if name in local:
                            value = local[name]
                            kind = by_type.get(type(value)) or slow_kind(value)
                            counts[kind] = counts.get(kind, 0) + 1
            elif event == "return":
                function = functions.get(frame.f_code)
                if not function or function.generator or function.boundary is not None:
                    return
                # An exception leaving the frame is also a 'return' event (with
                # None): only a return instruction gives the value returned.
                lasti = frame.f_lasti
                if 0 <= lasti < len(function.code) and function.code[lasti] in return_ops:
                    kind = by_type.get(type(arg)) or slow_kind(arg)
                    function.returns[kind] = function.returns.get(kind, 0) + 1

        return profile

    # -- output ----------------------------------------------------------
    def snapshot(self):
        """This run's warnings and evidence, in runtime.json's layout."""
        rows = [
            {"scope": scope, "path": path, "line": line, "category": category,
             "message": message, "count": count}
            for (scope, path, line, category, message), count in self.warnings.items()
        ]
        evidence = {}
        for function in self._functions.values():
            if not function or not function.calls or function.boundary is not None:
                continue
            entry = evidence.setdefault(function.path, {}).setdefault(
                "%s:%d" % (function.name, function.line),
                {"name": function.name, "line": function.line, "calls": 0, "params": {}, "return": {}})
            entry["calls"] += function.calls
            for name, counts in zip(function.names, function.params):
                _add_counts(entry["params"].setdefault(name, {}), counts)
            _add_counts(entry["return"], function.returns)
        boundaries = {}
        for (path, line, name), (calls, counts, names) in self.boundaries.items():
            boundaries.setdefault(path, {})["%d %s" % (line, name)] = {
                "line": line, "function": name, "calls": calls,
                # Only the arguments that were strings (not flags, options, None).
                "params": dict((param, dict(c)) for param, c in zip(names, counts)
                               if _STRING_KINDS.intersection(c))}
        paths = set(evidence) | set(boundaries) | set(r["path"] for r in rows if r["scope"] == "project")
        files = {}
        for path in paths:
            digest = _sha1(os.path.join(self.scopes.root, path))
            if digest:
                files[path] = digest
        return {"warnings": _sorted_warnings(rows), "evidence": evidence, "boundaries": boundaries, "files": files}


def _sha1(path):
    try:
        with open(path, "rb") as handle:
            return hashlib.sha1(handle.read()).hexdigest()
    except (IOError, OSError):
        return None


class _Function(object):
    """What the profiler keeps about one code object of the project."""

    __slots__ = ("path", "name", "line", "names", "params", "pairs", "returns", "calls", "generator", "code",
                 "boundary")

    def __init__(self, path, name, line, names, generator, code, boundary=None):
        self.path, self.name, self.line, self.names = path, name, line, names
        self.params = [{} for _ in names]
        self.pairs = tuple(zip(names, self.params))
        self.returns = {}
        self.calls = 0
        self.generator = generator
        self.code = bytearray(code)  # items are ints on 2 and 3
        self.boundary = boundary  # "base64.b64encode" for a stdlib boundary (see BOUNDARIES)


def _text(value):
    try:
        return u"%s" % (value,)
    except Exception:
        return repr(value)


def _native(text):
    """A native str for the message (bytes on 2 are kept; text is encoded)."""
    if isinstance(text, str):
        return text
    if isinstance(text, _TEXT):
        return text.encode("utf-8")
    return text.decode("utf-8", "replace")


def _add_counts(into, counts):
    for kind, count in counts.items():
        into[kind] = into.get(kind, 0) + count


def _sorted_warnings(rows):
    return sorted(rows, key=lambda r: (r["scope"] != "project", r["scope"], r["path"], r["line"],
                                       r["category"], r["message"]))


def empty():
    """A runtime.json document with nothing in it."""
    return {"format": FORMAT, "root": None, "runs": [], "warnings": [], "evidence": {}, "boundaries": {},
            "files": {}}


def merge(document, run):
    """Add ``run`` (a :meth:`Collector.snapshot`, maybe with a ``runs`` list)
    into ``document`` (runtime.json's content) and return it: warnings that
    are the same (scope, path, line, category, message) add their counts,
    and so do the kind counts of a function (by path and ``name:line``)."""
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        document = empty()
    # A file whose content changed since the data was recorded starts afresh:
    # old lines and functions would not match the new text.
    hashes = document.setdefault("files", {})
    changed = set(path for path, digest in run.get("files", {}).items()
                  if hashes.get(path) not in (None, digest))
    if changed:
        document["warnings"] = [r for r in document.get("warnings", [])
                                if not (r["scope"] == "project" and r["path"] in changed)]
        for path in changed:
            document.get("evidence", {}).pop(path, None)
            document.get("boundaries", {}).pop(path, None)
    hashes.update(run.get("files", {}))
    index = {}
    for row in document.get("warnings", []):
        index[(row["scope"], row["path"], row["line"], row["category"], row["message"])] = row
    for row in run.get("warnings", []):
        key = (row["scope"], row["path"], row["line"], row["category"], row["message"])
        if key in index:
            index[key]["count"] += row["count"]
        else:
            index[key] = dict(row)
    document["warnings"] = _sorted_warnings(list(index.values()))
    evidence = document.setdefault("evidence", {})
    for path, functions in run.get("evidence", {}).items():
        into_file = evidence.setdefault(path, {})
        for key, entry in functions.items():
            into = into_file.setdefault(key, {"name": entry["name"], "line": entry["line"], "calls": 0,
                                              "params": {}, "return": {}})
            into["calls"] += entry.get("calls", 0)
            for name, counts in entry.get("params", {}).items():
                _add_counts(into["params"].setdefault(name, {}), counts)
            _add_counts(into["return"], entry.get("return", {}))
    boundaries = document.setdefault("boundaries", {})
    for path, calls in run.get("boundaries", {}).items():
        into_file = boundaries.setdefault(path, {})
        for key, entry in calls.items():
            into = into_file.setdefault(key, {"line": entry["line"], "function": entry["function"], "calls": 0,
                                              "params": {}})
            into["calls"] += entry.get("calls", 0)
            for name, counts in entry.get("params", {}).items():
                _add_counts(into["params"].setdefault(name, {}), counts)
    runs = document.setdefault("runs", []) + list(run.get("runs", []))
    document["runs"] = runs[-MAX_RUNS:]
    if run.get("root"):
        document["root"] = run["root"]
    return document


def load(path):
    """The document at ``path``, or an empty one when it is missing or not
    a runtime.json of this format."""
    try:
        with open(path) as handle:
            document = json.load(handle)
    except (IOError, OSError, ValueError):
        return empty()
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        return empty()
    return document


def write_merged(path, run, timeout=30.0):
    """Merge ``run`` into the file at ``path``: under a lock file (so that two
    runs that finish together both count), written to a temporary file in
    the same folder and renamed over the old one (so a reader never sees
    half a file)."""
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        try:
            os.makedirs(folder)
        except OSError as exc:
            if exc.errno != errno.EEXIST:
                raise
    lock = path + ".lock"
    deadline = time.time() + timeout
    held = False
    while not held:
        try:
            os.close(os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
            held = True
        except OSError as exc:
            if exc.errno != errno.EEXIST:
                raise
            if time.time() > deadline:  # a crashed run left it: take it over
                held = True
            else:
                time.sleep(0.05)
    try:
        document = merge(load(path), run)
        fd, temp = tempfile.mkstemp(prefix=".runtime-", suffix=".tmp", dir=folder)
        try:
            with os.fdopen(fd, "w") as handle:
                json.dump(document, handle, indent=1, sort_keys=True)
                handle.write("\n")
            if os.name == "nt" and os.path.exists(path):  # rename does not replace on 2.7/Windows
                os.remove(path)
            os.rename(temp, path)
        except BaseException:
            if os.path.exists(temp):
                os.remove(temp)
            raise
    finally:
        try:
            os.remove(lock)
        except OSError:
            pass
    return document


def _run_command(command):
    """Run ``command`` (what follows ``python``) in this process; return
    its exit status."""
    try:
        if command[0] == "-m":
            sys.argv = [command[1]] + command[2:]
            runpy.run_module(command[1], run_name="__main__", alter_sys=True)
        elif command[0] == "-c":
            sys.argv = ["-c"] + command[2:]
            code = compile(command[1], "<string>", "exec")
            exec(code, {"__name__": "__main__", "__builtins__": __builtins__})
        else:
            sys.argv = list(command)
            sys.path[0] = os.path.dirname(os.path.abspath(command[0]))
            runpy.run_path(command[0], run_name="__main__")
    except SystemExit as exc:
        code = exc.code
        if code is None:
            return 0
        if isinstance(code, int):  # also False/True (unittest's sys.exit(not ok))
            return int(code)
        sys.stderr.write("%s\n" % (code,))
        return 1
    except Exception:  # the command crashed: what was recorded is still written
        traceback.print_exc()
        return 1
    return 0


USAGE = """usage: python -3 -m portkit_collector run [--root DIR] [--output FILE] [--no-kinds] -- COMMAND...

COMMAND is what would follow 'python': -m MODULE ARGS, -c CODE ARGS or SCRIPT ARGS.
Records Python 3 warnings and the kinds of values seen by the project's functions
into ROOT/.portkit/runtime.json (merged with earlier runs)."""


def main(argv):
    """The command line: ``run [options] -- COMMAND...``; exit status 2 on a
    usage error, else the command's own."""
    if not argv or argv[0] != "run" or "--" not in argv:
        sys.stderr.write(USAGE + "\n")
        return 2
    split = argv.index("--")
    options, command = argv[1:split], argv[split + 1:]
    root, output, kinds = os.getcwd(), None, True
    while options:
        option = options.pop(0)
        if option in ("--root", "--output") and options:
            value = options.pop(0)
            if option == "--root":
                root = value
            else:
                output = value
        elif option == "--no-kinds":
            kinds = False
        else:
            sys.stderr.write("unknown option %s\n%s\n" % (option, USAGE))
            return 2
    if not command or (command[0] in ("-m", "-c") and len(command) < 2):
        sys.stderr.write(USAGE + "\n")
        return 2
    root = os.path.abspath(root)
    output = os.path.abspath(output or os.path.join(root, OUTPUT))
    collector = Collector(root, kinds=kinds)
    started = time.time()
    collector.install()
    try:
        status = _run_command(command)
    finally:
        collector.uninstall()
    run = collector.snapshot()
    run["root"] = collector.scopes.root
    run["runs"] = [{
        "python": "%d.%d.%d" % tuple(sys.version_info[:3]),
        "py3k_warnings": bool(getattr(sys, "py3kwarning", False)),
        "command": command,
        "exit": status,
        "seconds": round(time.time() - started, 3),
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "kinds": kinds,
    }]
    write_merged(output, run)
    own = sum(r["count"] for r in run["warnings"] if r["scope"] == "project")
    others = sum(r["count"] for r in run["warnings"]) - own
    functions = sum(len(v) for v in run["evidence"].values())
    sys.stderr.write("portkit collector: %d Python 3 warning%s from the project (%d from elsewhere), "
                     "kinds of %d function%s; merged into %s\n"
                     % (own, "" if own == 1 else "s", others, functions, "" if functions == 1 else "s", output))
    if sys.version_info[0] == 2 and not getattr(sys, "py3kwarning", False):
        sys.stderr.write("portkit collector: python was started without -3: no Python 3 warnings were raised\n")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
