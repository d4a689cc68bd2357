"""The speed shortcuts never hide a finding or change a fix.

portkit skips work with four prefilters:

* ``needles`` (``portkit.engine.Plan.active``): an ``ast`` fixer runs only
  when one of its needles occurs in the text;
* ``portkit.lift.may_need_lift`` and ``portkit.lift.needed_after_parse``:
  the Python 2 syntax stage runs only when a cheap regex says it may find
  something and either the text does not parse or it holds one of the few
  constructs that parse on Python 3 with another meaning;
* ``names_only``: a fixer of names is handed only the names spelled like
  one of its needles;
* ``fixers.bytes_flow.may_be_made``: the search for the sinks of the
  bytes/text rules infers the kind of a local callee or of a method's
  receiver only where the module (or its project) names something that
  makes such a function or object (``portkit.kinds.words_for_types``).

engine.py has no switch to turn them off, so these tests turn them off by
patching ``Plan.active`` (every ``ast`` fixer runs), ``may_be_made``, ``may_need_lift`` and
``needed_after_parse`` (always ``True``), and compare, input by input, what portkit reports and
writes with and without the shortcuts.  The inputs: every fixer's documented
examples (before and after), every fixture (input and expected output), the
files of ``samples/``, and a slice of the Python 2.7 standard library when
``python2.7`` is installed.

Per fixer: every input on which the fixer reports something without the
shortcuts must give exactly the same findings of that fixer with them; and,
by construction, every finding of a fixer with needles must come from a text
in which one of its needles occurs as a word (identifier needles) or as a
substring (other needles).
"""
from __future__ import annotations

import ast
import glob
import os
import re
import subprocess
import warnings
from contextlib import ExitStack, contextmanager
from functools import lru_cache
from typing import Dict, List, Tuple
from unittest import mock

import pytest

from portkit import engine
from portkit import lift as lift_stage
from portkit import source
from portkit.engine import AnalysisError, analyse_text
from portkit.positions import apply_edits
from portkit.registry import all_codes, load_fixers

from fixers import bytes_flow

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
ALL = frozenset(all_codes())
FIXERS = load_fixers()
AST_CODES = sorted(c for c, cls in FIXERS.items() if cls.stage == "ast")
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
STDLIB_EVERY = 40  # every n-th file of the 2.7 standard library
STDLIB_MAX_BYTES = 40_000


def _stdlib_dir():
    try:
        out = subprocess.run(
            ["python2.7", "-c", "import os; print(os.path.dirname(os.__file__))"],
            capture_output=True, text=True, cwd=REPO, timeout=60,
            # pyenv's shim resolves python2.7 from the repo's .python-version, unless
            # PYENV_VERSION (set by the shim that started this Python) pins another.
            env={k: v for k, v in os.environ.items() if k not in ("PYENV_VERSION", "PYENV_DIR")},
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() if out.returncode == 0 else None


@lru_cache(maxsize=1)
def inputs() -> Dict[str, Tuple[str, bool]]:
    """{name: (text, fix)} of every input the shortcuts are checked on.

    Documented examples and fixtures are fixed (findings and fixed text are
    compared); the larger samples and library files are scanned (findings).
    """
    found: Dict[str, Tuple[str, bool]] = {}
    for code, cls in FIXERS.items():
        for number, example in enumerate(cls.examples, 1):
            found["%s example %d" % (code, number)] = (example.before, True)
            if example.after is not None:
                found["%s example %d (after)" % (code, number)] = (example.after, True)
    paths = [(p, True) for p in sorted(glob.glob(os.path.join(HERE, "fixtures", "*", "*.py")))]
    paths += [(p, False) for p in sorted(glob.glob(os.path.join(REPO, "samples", "**", "*.py"), recursive=True))]
    stdlib = _stdlib_dir()
    if stdlib:
        library = sorted(
            p for p in glob.glob(os.path.join(stdlib, "**", "*.py"), recursive=True)
            if "site-packages" not in p and os.path.getsize(p) <= STDLIB_MAX_BYTES
        )
        paths += [(p, False) for p in library[::STDLIB_EVERY]]
    for path, fix in paths:
        with open(path, "rb") as handle:
            data = handle.read()
        try:
            text = source.decode(data).text
        except source.DecodeError:
            continue
        name = os.path.relpath(path, stdlib) if stdlib and path.startswith(stdlib) else os.path.relpath(path, REPO)
        found[name] = (text, fix)
    return found


def _analyse(text: str, fix: bool) -> Tuple:
    try:
        result = analyse_text(text, ALL, fix=fix)
    except AnalysisError:
        # The message names the first fixer that failed, which depends on
        # which fixers run: compare only that the input fails either way.
        return ("error",), None
    return tuple(result.findings), result.new_text


@contextmanager
def _shortcuts(needles: bool, lift_prefilter: bool):
    with ExitStack() as stack:
        stack.enter_context(warnings.catch_warnings())
        warnings.simplefilter("ignore")  # SyntaxWarnings of the inputs
        if not needles:
            stack.enter_context(mock.patch.object(engine.Plan, "active", lambda self, text, words: list(self.ast_fixers)))
            for cls in FIXERS.values():
                if cls.names_only:
                    stack.enter_context(mock.patch.object(cls, "names_only", False))
            stack.enter_context(mock.patch.object(bytes_flow, "may_be_made", lambda kinds, words: True))
        if not lift_prefilter:
            stack.enter_context(mock.patch.object(lift_stage, "may_need_lift", lambda text: True))
            stack.enter_context(mock.patch.object(lift_stage, "needed_after_parse", lambda text, tree: True))
        yield


@lru_cache(maxsize=None)
def results(shortcuts: bool) -> Dict[str, Tuple]:
    """Every input analysed with both shortcuts (True) or with neither (False)."""
    with _shortcuts(shortcuts, shortcuts):
        return {name: _analyse(text, fix) for name, (text, fix) in inputs().items()}


def one(name: str, needles: bool, lift_prefilter: bool) -> Tuple:
    text, fix = inputs()[name]
    with _shortcuts(needles, lift_prefilter):
        return _analyse(text, fix)


def _of(findings, code) -> List:
    if findings and findings[0] == "error":
        return [findings]
    return [f for f in findings if f.code == code]


def test_the_inputs_cover_the_ast_fixers():
    """Each ast fixer reports on some input (unless even its own examples give it nothing
    without a real file around them, as for implicit relative imports)."""
    full = results(False)
    silent = [c for c in AST_CODES if not any(_of(f, c) for f, _ in full.values() if f[:1] != ("error",))]
    own = {c for c in silent if any(_of(full[n][0], c) for n in full if n.startswith(c + " example"))}
    assert own == set()
    assert len(silent) <= len(AST_CODES) // 10, "too few inputs: %s report nothing" % silent


@pytest.mark.parametrize("code", AST_CODES)
def test_needles_never_hide_a_finding(code):
    cls = FIXERS[code]
    full = results(False)
    fast = results(True)
    hidden = []
    for name, (findings, _) in full.items():
        expected = _of(findings, code)
        if expected and _of(fast[name][0], code) != expected:
            # Which shortcut hides it?  Only the needles are this test's business.
            if _of(one(name, False, True)[0], code) == expected:
                continue
            hidden.append("%s: %s" % (name, expected[:3]))
    assert not hidden, "%s's needles %s hide findings on:\n  %s" % (code, sorted(cls.needles), "\n  ".join(hidden))


def test_shortcuts_change_no_fix_and_no_error():
    """With and without the shortcuts: identical findings, fixed text and errors, input by input."""
    full = results(False)
    fast = results(True)
    differ = [name for name in full if full[name] != fast[name]]
    assert differ == []


def test_lift_prefilter_never_hides_a_finding():
    full = results(False)
    fast = results(True)
    differ = []
    for name in full:
        if full[name] != fast[name]:
            without = one(name, True, False)  # needles on, lift prefilter off
            if without != fast[name]:
                differ.append("%s:\n    without: %s\n    with:    %s" % (name, without[0][:4], fast[name][0][:4]))
    assert not differ, "may_need_lift() or needed_after_parse() hides something on:\n" + "\n".join(differ)


def _analysed_text(text: str) -> str:
    """The text the engine hands to the ast fixers (lifted when needed)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # invalid escapes in the inputs (PK264's cases)
            ast.parse(text)
        needs_lift = lift_stage.may_need_lift(text)
    except (SyntaxError, ValueError):
        needs_lift = True
    if not needs_lift:
        return text
    lifted = lift_stage.lift(text)
    return apply_edits(text, lifted.edits)


def _has_needle(text: str, needles) -> bool:
    for needle in needles:
        if _IDENT.match(needle):
            if re.search(r"\b%s\b" % re.escape(needle), text):
                return True
        elif needle in text:
            return True
    return False


@pytest.mark.parametrize("code", [c for c in AST_CODES if FIXERS[c].needles])
def test_every_finding_comes_with_a_needle(code):
    """Sound by construction: no finding of a fixer in a text that lacks all its needles."""
    needles = FIXERS[code].needles
    full = results(False)
    texts = inputs()
    bad = []
    for name, (findings, _) in full.items():
        if _of(findings, code) and findings[:1] != ("error",):
            if not _has_needle(_analysed_text(texts[name][0]), needles):
                bad.append(name)
    assert not bad, "%s reports on texts without any of %s: %s" % (code, sorted(needles), bad)


@pytest.mark.parametrize("code", [c for c in AST_CODES if FIXERS[c].needles])
def test_needles_are_well_formed(code):
    needles = FIXERS[code].needles
    assert isinstance(needles, frozenset)
    for needle in needles:
        assert isinstance(needle, str) and needle, "%s has an empty needle" % code
        assert needle == needle.strip(), "%s: needle %r has surrounding blanks" % (code, needle)


@pytest.mark.parametrize("code", sorted(c for c, cls in FIXERS.items() if cls.names_only))
def test_names_only_fixers_look_at_names_alone(code):
    cls = FIXERS[code]
    assert cls.node_types == (ast.Name,)
    assert cls.needles and all(_IDENT.match(n) for n in cls.needles)
