"""What a Python 2.7 ``-3`` test run saw, read back for ``scan`` and ``fix``.

The collector (``portkit/collector/portkit_collector.py``, run by the py27 env
that ``portkit init`` writes) leaves ``.portkit/runtime.json`` at the root of
the user's project: the Python 3 warnings that 2.7 raised while the suite ran,
and the kinds of values each of the project's functions received and
returned.  This module

* finds that file (:func:`find_runtime_file`: ``.portkit/runtime.json`` in a
  folder of a given path or above it) and loads it (:func:`load`);
* maps each warning's message to the portkit codes of the same problem
  (:data:`WARNING_CODES`, :func:`codes_for`);
* annotates the results of a run (:func:`annotate`): a static finding at a
  line where 2.7 raised a matching warning is *confirmed at runtime*; a
  warning of the project's own code that no static finding covers becomes a
  finding of its own, code :data:`RUNTIME_CODE` (``"origin": "runtime"``);
* answers questions about kind evidence (:meth:`Runtime.observed_kinds`: a
  function's parameters and return value; :meth:`Runtime.boundary_calls`:
  what a line passed to base64, urllib quoting, hmac, json, re ...), the
  declared entry points for the bytes/text inference.

Runtime data describes the files as they were when the suite ran: each file's
SHA-1 is recorded with it, and the data of a file whose content has changed
since (after ``portkit fix``, say) is *stale*: its warnings are not matched
(their lines may have moved); kind evidence is still answered by function
name, with :meth:`Runtime.is_fresh` telling whether the file is unchanged.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass, replace
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

from .model import FileResult, Finding

RUNTIME_FILE = os.path.join(".portkit", "runtime.json")
RUNTIME_CODE = "PK901"
FORMAT = 1
# How far (in lines) a warning may be from the static finding it confirms:
# 2.7 attributes a multi-line expression to one of its lines.
LINE_SLACK = 2

# Python 2.7's ``-3`` messages (from the interpreter and the standard
# library's ``warnpy3k`` calls) and the portkit codes that find the same
# problem statically.  A message matching no pattern has no static rule: it is
# reported as PK901 wherever it is raised.
WARNING_CODES: Tuple[Tuple[str, Tuple[str, ...]], ...] = (
    (r"dict\.has_key\(\) not supported", ("PK202",)),
    (r"<> not supported", ("PK104",)),
    (r"backquote not supported", ("PK103",)),
    (r"tuple parameter unpacking has been removed|parenthesized argument names are invalid", ("PK111",)),
    (r"non-ascii bytes literals", ("PK114",)),
    (r"nonlocal is a keyword", ("PK116",)),
    (r"apply\(\) not supported", ("PK220",)),
    (r"buffer\(\) not supported", ("PK221",)),
    (r"coerce\(\) not supported", ("PK223",)),
    (r"execfile\(\) not supported", ("PK217",)),
    (r"reduce\(\) not supported", ("PK218",)),
    (r"reload\(\) is renamed", ("PK236",)),
    (r"the cmp argument is not supported", ("PK224",)),
    (r"Overriding __eq__ blocks inheritance of __hash__", ("PK230",)),
    # Also raised by ``except E, (a, b):`` (it indexes the exception).
    (r"not supported for exception classes", ("PK235", "PK105")),
    (r"__(get|set|del)slice__ has been removed", ("PK227",)),
    (r"xreadlines\(\) not supported", ("PK260",)),
    (r"sys\.exc_clear\(\) not supported", ("PK249",)),
    (r"BaseException\.message has been deprecated", ("PK232",)),
    (r"classic (int|long) division", ("PK240",)),
    (r"is not a text encoding", ("PK407",)),
    (r"decoding Unicode is not supported", ("PK418",)),
    (r"the (md5|sha) module is deprecated", ("PK253",)),
    (r"the sets module is deprecated", ("PK254",)),
    (r"'new' module has been removed", ("PK256",)),
    (r"MutableString has been removed", ("PK257",)),
    (r"urllib\.urlopen\(\) has been removed", ("PK207",)),
    (r"os\.path\.walk is removed|(tmpnam|tempnam|tmpfile) has been removed", ("PK247",)),
    (r"module has been removed in Python 3\.0|in 3\.x, \w+ has been removed in favor|"
     r"the \w+ module has been removed|module is not supported in 3\.x", ("PK252",)),
)
_COMPILED = tuple((re.compile(pattern), codes) for pattern, codes in WARNING_CODES)
_SUPPRESS = re.compile(r"#\s*portkit:\s*ignore(?:\[([A-Za-z0-9_, ]*)\])?")


class RuntimeFileError(Exception):
    """The runtime file cannot be read or is not a runtime.json; the message is for the user."""


def codes_for(message: str) -> Tuple[str, ...]:
    """The portkit codes of the problem a ``-3`` warning ``message`` names
    (empty when no static rule covers it)."""
    for pattern, codes in _COMPILED:
        if pattern.search(message):
            return codes
    return ()


@dataclass(frozen=True)
class WarningRecord:
    """One Python 3 warning of runtime.json (counted over all runs)."""

    scope: str  # project, site-packages, stdlib, other
    path: str  # relative to the root (with '/') for the project, else absolute
    line: int
    category: str
    message: str
    count: int

    @property
    def codes(self) -> Tuple[str, ...]:
        return codes_for(self.message)


@dataclass(frozen=True)
class KindMix:
    """What one parameter (or the return value) was seen to be: ``counts``
    maps each kind (``str``, ``unicode``, ``bytearray``, ``int``, ``None``,
    ``other``) to how often, over ``calls`` calls of the function."""

    counts: Dict[str, int]
    calls: int

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def only(self, minimum: int = 1) -> Optional[str]:
        """The one kind seen, when exactly one was and at least ``minimum`` times."""
        if len(self.counts) == 1:
            (kind, count), = self.counts.items()
            if count >= minimum:
                return kind
        return None

    def describe(self) -> str:
        """``"str 3, unicode 7"``: the mix, most frequent first."""
        return ", ".join("%s %d" % item for item in sorted(self.counts.items(), key=lambda i: (-i[1], i[0])))


@dataclass(frozen=True)
class BoundaryCall:
    """What one call site of the project passed to a bytes/text boundary of
    the standard library (``function``: ``"base64.b64encode"``); ``params``
    maps each argument's parameter name to its :class:`KindMix`."""

    function: str
    line: int
    calls: int
    params: Dict[str, KindMix]


@dataclass(frozen=True, order=True)
class RuntimeFinding(Finding):
    """A :class:`Finding` with what the runtime data says of it.

    ``confirmed``: a static finding at a line where the 2.7 run raised a
    matching warning; ``origin``: ``"static"`` or ``"runtime"`` (a warning no
    static rule found); ``runtime_count``: how often 2.7 raised it."""

    confirmed: bool = False
    origin: str = "static"
    runtime_count: int = 0


class Runtime:
    """A loaded runtime.json: warnings, kind evidence and file hashes, with
    paths relative to ``root`` (the folder that holds ``.portkit``)."""

    def __init__(self, document: dict, root: str, source: str = ""):
        self.root = os.path.realpath(root)
        self.source = source
        self.document = document
        self.warnings = [
            WarningRecord(w["scope"], w["path"], int(w["line"]), w["category"], w["message"], int(w["count"]))
            for w in document.get("warnings", [])
        ]
        self.evidence: Dict[str, dict] = document.get("evidence", {})
        self.boundaries: Dict[str, dict] = document.get("boundaries", {})
        self.hashes: Dict[str, str] = document.get("files", {})
        self._fresh: Dict[str, bool] = {}

    def relative(self, path: str) -> Optional[str]:
        """``path`` as runtime.json writes it (relative to the root, ``/``),
        or None for a file outside the root."""
        real = os.path.realpath(path)
        if real != self.root and not real.startswith(self.root + os.sep):
            return None
        return os.path.relpath(real, self.root).replace(os.sep, "/")

    def is_fresh(self, path: str) -> bool:
        """Whether the file (a path as given, or relative to the root) is
        unchanged since the run recorded it (no recorded hash: assumed so)."""
        rel = path if not os.path.isabs(path) and path in self.hashes else self.relative(path)
        if rel is None:
            return False
        if rel not in self._fresh:
            recorded = self.hashes.get(rel)
            if recorded is None:
                self._fresh[rel] = True
            else:
                try:
                    with open(os.path.join(self.root, rel), "rb") as handle:
                        self._fresh[rel] = hashlib.sha1(handle.read()).hexdigest() == recorded
                except OSError:
                    self._fresh[rel] = False
        return self._fresh[rel]

    def project_warnings(self, path: Optional[str] = None) -> List[WarningRecord]:
        """The warnings raised from the project's own files (of one file,
        given as a path relative to the root)."""
        return [w for w in self.warnings if w.scope == "project" and (path is None or w.path == path)]

    def elsewhere(self) -> Dict[str, int]:
        """Warning counts by scope for the ones raised outside the project."""
        out: Dict[str, int] = {}
        for w in self.warnings:
            if w.scope != "project":
                out[w.scope] = out.get(w.scope, 0) + w.count
        return out

    def observed_kinds(self, path: str, function: str, target: str, line: Optional[int] = None) -> Optional[KindMix]:
        """The kinds the 2.7 run saw for ``target`` of ``function`` in the
        file ``path`` (as given to portkit, or relative to the root).

        ``target`` is a parameter's name, or ``"return"`` for the return
        value (a parameter named ``return`` cannot exist).  ``function`` is
        the bare name (``__init__``, not ``Shop.__init__``); when a file
        defines several functions of that name, ``line`` (the ``def`` line,
        or the first decorator's) picks the nearest one at or after the
        recorded first line, and without it the answer is None (ambiguous).
        None also when the function was never called or the target is not
        one of its parameters.  Stale files answer too (see :meth:`is_fresh`)."""
        rel = path if not os.path.isabs(path) and path in self.evidence else self.relative(path)
        functions = self.evidence.get(rel or "", {})
        candidates = [entry for entry in functions.values() if entry.get("name") == function]
        if not candidates:
            return None
        if len(candidates) > 1:
            if line is None:
                return None
            before = [e for e in candidates if e["line"] <= line]
            candidates = [max(before, key=lambda e: e["line"])] if before else []
            if not candidates:
                return None
        entry = candidates[0]
        counts = entry.get("return") if target == "return" else entry.get("params", {}).get(target)
        if counts is None:
            return None
        return KindMix(dict(counts), int(entry.get("calls", 0)))


    def boundary_calls(self, path: str, line: Optional[int] = None) -> List[BoundaryCall]:
        """The calls from the file ``path`` (as given to portkit, or relative
        to the root) to the standard library's bytes/text boundaries that the
        2.7 run saw (see the collector's ``BOUNDARIES``), of one line or all,
        in line order."""
        rel = path if not os.path.isabs(path) and path in self.boundaries else self.relative(path)
        out = []
        for entry in self.boundaries.get(rel or "", {}).values():
            if line is None or entry["line"] == line:
                calls = int(entry.get("calls", 0))
                params = {name: KindMix(dict(counts), calls) for name, counts in entry.get("params", {}).items()}
                out.append(BoundaryCall(entry["function"], int(entry["line"]), calls, params))
        return sorted(out, key=lambda call: (call.line, call.function))


def find_runtime_file(paths: Iterable[str]) -> Optional[str]:
    """``.portkit/runtime.json`` in the folder of the first given path that
    has one, or in a folder above it (the project root)."""
    for path in paths:
        folder = os.path.abspath(path)
        if not os.path.isdir(folder):
            folder = os.path.dirname(folder)
        while True:
            candidate = os.path.join(folder, RUNTIME_FILE)
            if os.path.isfile(candidate):
                return candidate
            parent = os.path.dirname(folder)
            if parent == folder:
                break
            folder = parent
    return None


def load(path: str) -> Runtime:
    """Read the runtime file at ``path``; its root is the folder above
    ``.portkit`` (so a copied project keeps working), else the recorded one."""
    try:
        with open(path, encoding="utf-8") as handle:
            document = json.load(handle)
    except (OSError, ValueError) as exc:
        raise RuntimeFileError("cannot read runtime file %s: %s" % (path, exc))
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise RuntimeFileError("%s is not a portkit runtime file (format %d)" % (path, FORMAT))
    folder = os.path.dirname(os.path.abspath(path))
    if os.path.basename(folder) == ".portkit":
        root = os.path.dirname(folder)
    else:
        root = document.get("root") or folder
    return Runtime(document, root, path)


def _suppressed(text_lines: Sequence[str], line: int, code: str) -> bool:
    if not 0 < line <= len(text_lines):
        return False
    match = _SUPPRESS.search(text_lines[line - 1])
    if match is None:
        return False
    codes = match.group(1)
    return codes is None or any(code.startswith(c.strip()) for c in codes.split(",") if c.strip())


def _lines_of(path: str) -> List[str]:
    try:
        with open(path, "rb") as handle:
            return handle.read().decode("utf-8", "replace").splitlines()
    except OSError:
        return []


@dataclass
class Summary:
    """What :func:`annotate` did, for the closing lines of ``scan`` and ``fix``."""

    source: str = ""
    confirmed: int = 0
    runtime_only: int = 0
    stale_files: int = 0
    elsewhere: Dict[str, int] = None

    def lines(self) -> List[str]:
        out = ["runtime evidence from %s: %d finding%s confirmed at runtime, %d found only at runtime (%s)"
               % (self.source, self.confirmed, "" if self.confirmed == 1 else "s", self.runtime_only, RUNTIME_CODE)]
        if self.stale_files:
            out.append("runtime: %d file%s changed since the 2.7 run; their warnings were not matched "
                       "(run the py27 env again)" % (self.stale_files, "" if self.stale_files == 1 else "s"))
        if self.elsewhere:
            out.append("runtime: warnings outside the project, kept apart: %s"
                       % ", ".join("%s %d" % item for item in sorted(self.elsewhere.items())))
        return out


def annotate(results: Sequence[FileResult], runtime: Runtime, codes: Iterable[str]) -> Tuple[List[FileResult], Summary]:
    """Results with every finding a :class:`RuntimeFinding`: confirmed where
    a project warning of a matching code was raised at its line (give or take
    :data:`LINE_SLACK`), plus a :data:`RUNTIME_CODE` finding for each warning
    no static finding covers (when that code is selected and not suppressed
    by ``# portkit: ignore`` on its line).  Files changed since the run are
    left unannotated (their findings unconfirmed)."""
    codes = frozenset(codes)
    summary = Summary(source=runtime.source, elsewhere=runtime.elsewhere())
    out = []
    for result in results:
        findings = [RuntimeFinding(f.line, f.col, f.code, f.message, f.fixable) for f in result.findings]
        rel = runtime.relative(result.path)
        warnings = runtime.project_warnings(rel) if rel is not None else []
        if warnings and not runtime.is_fresh(result.path):
            summary.stale_files += 1
            warnings = []
        extra = []
        text_lines = None
        for warning in warnings:
            wanted = warning.codes
            best = None
            for index, finding in enumerate(findings):
                distance = abs(finding.line - warning.line)
                if finding.code in wanted and distance <= LINE_SLACK and (best is None or distance < best[0]):
                    best = (distance, index)
            if best is not None:
                finding = findings[best[1]]
                if not finding.confirmed:
                    summary.confirmed += 1
                findings[best[1]] = replace(finding, confirmed=True,
                                            runtime_count=finding.runtime_count + warning.count)
                continue
            if RUNTIME_CODE not in codes:
                continue
            if text_lines is None:
                text_lines = _lines_of(result.path)
            if _suppressed(text_lines, warning.line, RUNTIME_CODE):
                continue
            missed = " (no %s finding here: a gap in the static rules)" % "/".join(wanted) if wanted else ""
            extra.append(RuntimeFinding(
                warning.line, 0, RUNTIME_CODE,
                "Python 3 warning raised by 2.7 -3 (%d time%s): %s%s"
                % (warning.count, "" if warning.count == 1 else "s", warning.message, missed),
                False, confirmed=False, origin="runtime", runtime_count=warning.count))
        summary.runtime_only += len(extra)
        if extra or findings:
            merged = sorted(findings + extra, key=lambda f: (f.line, f.col, f.code, f.message))
            result = replace(result, findings=tuple(merged))
        out.append(result)
    return out, summary


def for_paths(paths: Sequence[str], runtime_path: Optional[str], no_runtime: bool,
              files: Sequence[str] = ()) -> Tuple[Optional[Runtime], Optional[str]]:
    """The runtime data a ``scan`` or ``fix`` of ``paths`` uses: none with
    ``no_runtime``; the file ``runtime_path`` (a :class:`RuntimeFileError`
    when it is unreadable); else the ``.portkit/runtime.json`` found by
    :func:`find_runtime_file`, or none.  Returns ``(runtime, warning)``: an
    automatically found file that cannot be read is ignored, with a warning
    for stderr.  The freshness of ``files`` is checked now, before a fix
    rewrites them."""
    if no_runtime:
        return None, None
    warning = None
    if runtime_path:
        runtime = load(runtime_path)
    else:
        found = find_runtime_file(paths)
        if found is None:
            return None, None
        try:
            runtime = load(found)
        except RuntimeFileError as exc:
            return None, "warning: %s; ignored (--no-runtime to silence)" % exc
    for path in files:
        if runtime.relative(path) in runtime.hashes:
            runtime.is_fresh(path)
    return runtime, warning


# -- kind evidence for the bytes/text inference --------------------------------------
# ``scan`` / ``fix --runtime-kinds`` put the runtime file's path here, in the
# environment, so that worker processes (which inherit it) read the same file;
# the inference asks :func:`parameter_evidence` where it would say UNKNOWN.
KINDS_ENV = "PORTKIT_RUNTIME_KINDS"
MIN_CALLS = 3  # calls that must agree before one kind is used
_EVIDENCE: Dict[str, Optional[Runtime]] = {}


def evidence_runtime() -> Optional[Runtime]:
    """The runtime data named by ``$PORTKIT_RUNTIME_KINDS`` (loaded once per
    process), or None when it is unset or unreadable."""
    path = os.environ.get(KINDS_ENV)
    if not path:
        return None
    if path not in _EVIDENCE:
        try:
            _EVIDENCE[path] = load(path)
        except RuntimeFileError:
            _EVIDENCE[path] = None
    return _EVIDENCE[path]


def parameter_evidence(path: str, func, name: str, reason: str):
    """What the bytes/text inference says of parameter ``name`` of ``func``
    (an ``ast.FunctionDef`` of the file ``path``) where it has no static
    answer (``reason`` says why): None without runtime kind evidence; else a
    ``kinds.Str`` TEXT when 2.7 saw only ``unicode`` over at least
    :data:`MIN_CALLS` calls, or a ``kinds.Unknown`` whose reason adds what was
    seen (``str`` alone stays unknown: on 2.7 it is bytes or a native str,
    which only the code's use tells apart; a mix stays a report and shows it).
    Never consulted where the inference has a static answer, so evidence
    never overrides a proof."""
    runtime = evidence_runtime()
    if runtime is None or not path:
        return None
    mix = runtime.observed_kinds(path, func.name, name, line=getattr(func, "lineno", None))
    if mix is None or not mix.counts:
        return None
    from . import kinds

    if mix.only(MIN_CALLS) == "unicode":
        return kinds.Str(kinds.TEXT, "seen at runtime: unicode in %d call%s of %s()"
                         % (mix.total, "" if mix.total == 1 else "s", func.name))
    return kinds.Unknown("%s; seen at runtime: %s" % (reason, mix.describe()))
