"""Analyse one text once and collect findings and edits from every fixer.

The flow for one text:

1. *lift* (only when needed): Python-2-only syntax becomes valid Python 3 by
   the token-stage fixers of :mod:`portkit.lift`;
2. *parse* the (lifted) text with ``ast``;
3. *walk* it once (:class:`portkit.analysis.Walk`), indexing the node types
   that the active fixers asked for; fixers whose ``needles`` do not occur in
   the text are not run at all;
4. *fix*: every fixer visits its nodes and reports findings with edits;
5. *compose*: the edits of the selected, unsuppressed findings are mapped back
   onto the original text, the imports they need are placed by
   :mod:`portkit.imports`, and the result is checked to parse again.  Edits
   that overlap are applied over several rounds until nothing changes.
"""
from __future__ import annotations

import ast
import re
import sys
import warnings
from dataclasses import dataclass
from functools import lru_cache
from typing import FrozenSet, List, Optional

from . import imports as import_helper
from . import lift as lift_stage
from . import py3code
from .analysis import Walk
from .context import FileContext, Record, identifiers
from .model import Edit, Finding
from .positions import EditMap, LineIndex, apply_edits, select_edits
from .registry import load_fixers

MAX_ROUNDS = 4
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_SUPPRESS = re.compile(r"#\s*portkit:\s*ignore(?:\[([A-Za-z0-9_, ]*)\])?")


def parse(text: str) -> ast.Module:
    """``ast.parse`` without the SyntaxWarnings Python 3.12+ prints for
    Python 2 idioms (invalid escapes, ``1if x``): they are not the user's
    concern here and must not reach stderr."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ast.parse(text)


class AnalysisError(Exception):
    """The text cannot be analysed or fixed; the message is for the user.

    ``findings`` holds what could still be reported (the Python-2-syntax
    findings of a file that stays unparseable because of a report-only one).
    """

    def __init__(self, message, findings=()):
        super().__init__(message)
        self.findings = list(findings)


@dataclass
class Analysed:
    findings: List[Finding]
    new_text: Optional[str]  # None when nothing changes (or not fixing)
    suppressed: int = 0
    # Why the file was left alone as code that already runs on Python 3
    # (py3code.python3_only / project_on_python3), or None.
    python3: Optional[str] = None


class _Python3Code(Exception):
    """Raised inside a round: the file already runs on Python 3 (the reason)."""


class Plan:
    """The fixer instances and prefilter for one selection of codes."""

    def __init__(self, codes: FrozenSet[str]):
        registry = load_fixers()
        self.codes = codes
        self.token_codes = frozenset(c for c, cls in registry.items() if cls.stage == "tokens")
        # lift codes whose fix is one for the whole file (TokenFixer.lift_scope)
        self.file_scoped = frozenset(c for c in self.token_codes if getattr(registry[c], "lift_scope", "") == "file")
        self.ast_fixers = [registry[c]() for c in sorted(codes) if registry[c].stage == "ast"]
        words, others = set(), set()
        self.always = []
        for fixer in self.ast_fixers:
            if not fixer.needles:
                self.always.append(fixer)
            for needle in fixer.needles:
                (words if _IDENT.match(needle) else others).add(needle)
        self.other_needles = sorted(others)
        self.words = frozenset(words)
        self.lift_selected = bool(self.token_codes & codes)

    def active(self, text: str, words: frozenset):
        """The fixers whose needles occur in ``text`` (or that have none).

        ``words`` are the identifiers of the text (:func:`identifiers`); a
        needle that is an identifier is present when it is one of them.
        Wherever a regex ``\\bneedle\\b`` would match, the identifier scan
        yields exactly that word (the character before it is not a word
        character), so this never runs fewer fixers than a word search would."""
        present = set(self.words.intersection(words))
        present.update(n for n in self.other_needles if n in text)
        return [f for f in self.ast_fixers if not f.needles or present & f.needles]


@lru_cache(maxsize=16)
def plan_for(codes: FrozenSet[str]) -> Plan:
    return Plan(codes)


def _suppressions(lines: LineIndex):
    """``{line: None | set(codes)}`` for lines carrying ``# portkit: ignore``."""
    found = {}
    text = lines.text
    if "portkit:" not in text:
        return found
    for match in _SUPPRESS.finditer(text):
        line, _ = lines.position(match.start())
        codes = match.group(1)
        found[line] = None if codes is None else {c.strip() for c in codes.split(",") if c.strip()}
    return found


def _is_suppressed(suppressions, line: int, code: str) -> bool:
    if line not in suppressions:
        return False
    codes = suppressions[line]
    return codes is None or any(code.startswith(c) for c in codes)


def _parse(text: str, lines_for_errors: LineIndex, emap: Optional[EditMap]):
    try:
        return parse(text)
    except SyntaxError as exc:
        line = exc.lineno or 0
        if emap is not None and line:
            lifted = LineIndex(text)
            if line <= len(lifted.starts):
                line, _ = lines_for_errors.position(emap.clamp(lifted.starts[line - 1]))
        raise AnalysisError("syntax error at line %d: %s" % (line, exc.msg))
    except (RecursionError, MemoryError):
        raise AnalysisError("expression nesting too deep to parse")
    except ValueError as exc:  # e.g. NUL bytes
        raise AnalysisError("cannot parse: %s" % exc)


def _reading_of(path: str, text: str):
    """:func:`portkit.kinds.reading_of`, when the bytes/text rules have read
    modules in this process (else there is none)."""
    kinds = sys.modules.get("portkit.kinds")
    return kinds.reading_of(path, text) if path and kinds is not None else None


def _visit_all(active, walk, ctx) -> None:
    """Every active fixer visits its nodes; a fixer's crash becomes an AnalysisError."""
    for fixer in active:
        ctx.fixer = fixer
        try:
            for node_type in fixer.node_types:
                nodes = walk.index[node_type]
                if node_type is ast.Name and fixer.names_only:
                    needles = fixer.needles
                    nodes = [n for n in nodes if n.id in needles]
                for node in nodes:
                    fixer.visit(node, ctx)
        except RecursionError:
            raise AnalysisError("fixer %s (%s) failed: nesting too deep" % (fixer.code, fixer.name))
        except AnalysisError:
            raise
        except Exception as exc:  # a bug in a fixer must not stop the run
            raise AnalysisError(
                "fixer %s (%s) failed: %s: %s" % (fixer.code, fixer.name, type(exc).__name__, exc)
            )


def _lift_outcome(result, codes, file_scoped, suppressions, guarded):
    """What the lift stage contributes to a round: ``(findings, edits, imports,
    suppressed)``.

    A finding that is not selected, suppressed (``# portkit: ignore``) or
    inside a version-guarded branch (``guarded(line, col)``) is not reported,
    and the edits its fixer made on its logical line are not written (the
    analysis still read the lifted text).  A fixer whose fix is one for the
    whole file (``lift_scope = "file"``: a future import, a renamed
    parameter, the indentation) writes nothing in that file then, and its
    other findings say why they are left."""
    held = {}  # code -> logical lines whose finding is left alone
    whole = set()
    kept = []
    suppressed = 0
    for (code, finding), logical in zip(result.findings, result.finding_lines):
        if code not in codes:
            continue
        quiet = _is_suppressed(suppressions, finding.line, code)
        if quiet or guarded(finding.line, finding.col):
            suppressed += quiet
            held.setdefault(code, set()).add(logical)
            if code in file_scoped:
                whole.add(code)
            continue
        kept.append(finding)
    findings = []
    for finding in kept:
        if finding.code in whole and finding.fixable:
            finding = Finding(finding.line, finding.col, finding.code,
                              "%s (not fixed: another %s finding of this file is suppressed or under a version "
                              "guard, and this fix is made for the whole file; the file keeps Python 2 syntax that "
                              "does not parse on 3)" % (finding.message, finding.code), False)
        findings.append(finding)
    edits = []
    written = set()
    for edit, (code, logical) in zip(result.edits, result.edit_keys):
        if code in codes and code not in whole and logical not in held.get(code, ()):
            edits.append(edit)
            written.add(code)
    wanted = written | {f.code for f in findings if f.fixable}
    imports = {request for request, by in result.import_codes.items() if by & wanted}
    return findings, edits, imports, suppressed


def _within(spans, offset: int) -> bool:
    for start, end in spans:
        if start <= offset < end:
            return True
    return False


def _python3_ready(tree, text: str, path: str, py3_ready: str) -> None:
    """Raise :class:`_Python3Code` for a text that parses as it is and is
    already Python 3 code by its project's metadata, or a 2/3 compatibility
    module (see :mod:`portkit.py3code`)."""
    if py3_ready == "no":
        return
    reason = "declared by the settings" if py3_ready == "yes" else py3code.project_on_python3(path)
    if reason:
        raise _Python3Code("the project declares Python 3 support (%s)" % reason)
    alias = py3code.compat_module(tree, text)
    if alias:
        raise _Python3Code("a 2/3 compatibility module (it defines %s from the Python version)" % alias)


def _one_round(text: str, plan: Plan, encoding: str, path: str, want_edits: bool = True,
               py3_ready: str = "auto"):
    """Analyse ``text`` once.  Returns (findings, edits_on_text, dropped_any,
    suppressed, final).

    Without ``want_edits`` (a scan) no edit is mapped or composed: the edits
    come back empty.  ``final``: every fix found was applied, no fixer left
    something for the next round (``FileContext.unsettle``), and no import
    they add can be an implicit relative one (a vendored ``six.py`` next to
    the file), so analysing the text they give would find nothing more: the
    Python 2 syntax stage's edits give the text every fixer just analysed,
    the bytes/text rules see the kinds their fixes give in the round itself
    (overrides), and every other fixer's output is final by itself (each
    fixture's output, and the whole standard library's and site-packages',
    is fixed again in the tests and checks and changes no more)."""
    lines = LineIndex(text)
    lift_result = None
    emap = None
    analysed = text
    # A module of a project that this process already read (for the
    # bytes/text rules of another file) is not parsed and walked again.
    reading = _reading_of(path, text)
    if reading is not None and reading.text == text:  # it parsed without the lift
        tree = reading.tree
        needs_lift = lift_stage.may_need_lift(text) and lift_stage.needed_after_parse(text, tree)
    elif reading is not None:  # the lift changed it (so first_parse() said it was needed)
        tree, needs_lift = None, True
    else:
        # Parse first: most of what the lift rewrites does not parse on 3, so a
        # text that parses needs the lift only for the few constructs that parse
        # on 3 with another meaning (a fixed file, 2/3 code).
        try:
            tree, needs_lift = lift_stage.first_parse(text, parse)
        except (RecursionError, MemoryError):
            raise AnalysisError("expression nesting too deep to parse")
        except ValueError as exc:
            raise AnalysisError("cannot parse: %s" % exc)
    as_is = tree  # the text parsed as it is (Python 3 syntax), or None
    if as_is is not None:
        _python3_ready(as_is, text, path, py3_ready)
    if needs_lift:
        try:
            lift_result = lift_stage.lift(text, encoding=encoding)
        except RecursionError:
            raise AnalysisError("nesting too deep for the Python 2 syntax stage")
        if lift_result.edits:
            analysed = apply_edits(text, lift_result.edits)
            emap = EditMap(lift_result.edits)
            tree = None
        try:
            if tree is None:
                if reading is not None and reading.text == analysed:
                    tree = reading.tree
                else:
                    tree = _parse(analysed, lines, emap)
                if emap is None:  # it parses as it is (the lift looked, and changed nothing)
                    as_is = tree
                    _python3_ready(as_is, text, path, py3_ready)
        except AnalysisError as exc:
            found = sorted(
                f for code, f in lift_result.findings
                if code in plan.codes and not _is_suppressed(_suppressions(lines), f.line, code)
            )
            manual = sorted({f.code for f in found if not f.fixable})
            if manual:
                message = "%s (Python 2 syntax that needs a person: %s; file left unchanged)" % (exc, ", ".join(manual))
            else:
                message = str(exc)
            raise AnalysisError(message, found)

    alines = lines if emap is None else LineIndex(analysed)
    words = identifiers(analysed)
    active = plan.active(analysed, words)
    records: List[Record] = []
    ctx = None
    unsettled = False
    if active:
        wanted = {t for f in active for t in f.node_types}
        if reading is not None and tree is reading.tree:
            walk = reading.walk
            for node_type in wanted:
                walk.index.setdefault(node_type, [])
        else:
            walk = Walk(tree, wanted)
        if tree is as_is:
            reason = py3code.python3_only(tree, walk.index, analysed)
            if reason:
                raise _Python3Code("Python 3 only: %s" % reason)
        ctx = FileContext(analysed, tree, walk, alines, path, words)
        try:
            _visit_all(active, walk, ctx)
        finally:
            ctx.dispose()
        records = ctx.records
        unsettled = ctx.unsettled
    elif tree is as_is and lift_result is not None and lift_result.findings:
        reason = py3code.python3_only(tree)
        if reason:
            raise _Python3Code("Python 3 only: %s" % reason)

    # Branches under a Python version test are left as they are.
    guarded = [(alines.offset(a, b), alines.offset(c, d))
               for a, b, c, d in py3code.version_guarded(tree, analysed, walk.index if active else None)]
    suppressions = _suppressions(lines)
    suppressed = 0
    findings: List[Finding] = []
    groups: List[List[Edit]] = []
    requests = set()
    dropped = False

    if lift_result is not None:
        # Python 2 syntax in a version-guarded branch is not Python 3 code (the
        # file would not parse on 3): only a text that parses as it is keeps
        # its guarded branches out of the lift's fixes.
        original = guarded if emap is None else []

        def in_guard(line, col):
            return bool(original) and _within(original, lines.starts[line - 1] + col)

        lift_findings, lift_edits, lift_imports, quiet = _lift_outcome(
            lift_result, plan.codes, plan.file_scoped, suppressions, in_guard)
        findings.extend(lift_findings)
        suppressed += quiet
        if lift_edits:
            groups.append(lift_edits)
        requests.update(lift_imports)

    fix_groups = []
    for record in records:
        if guarded and _within(guarded, record.offset):
            continue
        offset = record.offset if emap is None else emap.clamp(record.offset)
        line, col = lines.position(offset)
        if _is_suppressed(suppressions, line, record.code):
            suppressed += 1
            continue
        findings.append(Finding(line, col, record.code, record.message, record.fixable))
        if not record.fixable or not want_edits:
            continue
        mapped = []
        for edit in record.edits:
            if emap is None:
                mapped.append(edit)
                continue
            start = emap.to_original(edit.start)
            end = emap.to_original(edit.end)
            if start is None or end is None:
                mapped = None
                break
            mapped.append(Edit(start, end, edit.replacement))
        if mapped is None:
            dropped = True
            continue
        fix_groups.append((mapped, record.imports, record.last, record.code))

    if not want_edits:
        return sorted(set(findings)), [], False, suppressed, False
    # Imports go in first (they are insertions at line starts), then fixes;
    # a fix whose edits cannot all apply is dropped whole, with its imports.
    accepted_requests = set(requests)
    for mapped, imports, _, _ in fix_groups:
        accepted_requests.update(imports)
    import_edits = []
    if accepted_requests:
        for edit in import_helper.plan(tree, analysed, accepted_requests, alines):
            if emap is None:
                import_edits.append(edit)
            else:
                at = emap.to_original(edit.start)
                if at is None:
                    dropped = True
                else:
                    import_edits.append(Edit(at, at, edit.replacement))
    first = groups + [import_edits] + [g for g, _, last, _ in fix_groups if not last]
    lasts = [g for g, _, last, _ in fix_groups if last]
    kept, rejected = select_edits(first)
    if lasts:
        if rejected or dropped:
            dropped = True  # they wait for the round in which the rest lands
        else:
            kept, rejected = select_edits(first + lasts)
    dropped = dropped or rejected
    unique = sorted(set(findings))
    final = not dropped and not unsettled and not import_helper.may_import_a_sibling(path, accepted_requests)
    return unique, kept, dropped, suppressed, final


def analyse_text(text: str, codes: FrozenSet[str], fix: bool = False, encoding: str = "utf-8", path: str = "",
                 py3_ready: str = "auto") -> Analysed:
    """Findings for ``text`` and, with ``fix``, the fixed text (or None).

    ``py3_ready``: ``"auto"`` leaves a file alone when its project declares
    Python 3 support (:func:`portkit.py3code.project_on_python3`), ``"yes"``
    always, ``"no"`` never (a file with Python-3-only syntax is always left
    alone)."""
    plan = plan_for(frozenset(codes))
    try:
        findings, edits, dropped, suppressed, final = _one_round(text, plan, encoding, path, want_edits=fix,
                                                                 py3_ready=py3_ready)
    except _Python3Code as exc:
        return Analysed([], None, 0, python3=str(exc))
    if not fix or not edits:
        return Analysed(findings, None, suppressed)
    current = apply_edits(text, edits)
    # Fix to a fixed point: overlapping edits wait for the next round, and
    # so does what a fix hides (a format inside the call a bytes/text fix
    # wraps around it).  A round that finds nothing more also proves that a
    # second ``portkit fix`` would change nothing; it is needed only after a
    # round that is not ``final``.
    rounds = 1
    parsed = False  # whether a round parsed the final text (it is valid then)
    while not final and rounds < MAX_ROUNDS:
        _, edits, _, _, final = _one_round(current, plan, encoding, path, py3_ready="no")
        if not edits:
            parsed = True
            break
        current = apply_edits(current, edits)
        rounds += 1
    if current == text:
        return Analysed(findings, None, suppressed)
    if not parsed:
        _check_result(current, plan, encoding)
    return Analysed(findings, current, suppressed)


def _check_result(text: str, plan: Plan, encoding: str) -> None:
    """The fixed text must still parse (after lifting what was not selected).
    A text that parses on Python 3 as it is passes: whether the lift would
    change its meaning does not matter here."""
    try:
        try:
            parse(text)  # most fixed texts parse as they are (no prefilter needed first)
        except SyntaxError:
            lifted = lift_stage.lift(text, encoding=encoding)
            parse(apply_edits(text, lifted.edits) if lifted.edits else text)
    except SyntaxError as exc:
        raise AnalysisError(
            "internal error: the fixes would produce code that does not parse (line %s: %s); file left unchanged"
            % (exc.lineno, exc.msg)
        )
