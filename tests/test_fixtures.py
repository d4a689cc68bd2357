"""Fixture-driven tests for every fixer, and the examples every fixer documents.

Fixtures: ``tests/fixtures/<CODE>/<case>.in.py`` (lift-stage codes, PK1xx, have
their own lift-level fixtures run by ``test_lift.py``; their documented
examples run here through the whole engine) and, when the fixer must
change it, ``<case>.out.py``; without an ``.out.py`` the input must come back
unchanged.  An optional ``<case>.codes`` lists the codes scanning the input
must report, one per line, in order.

For every case: the output is what ``portkit fix`` produces with all fixers;
fixing the output again changes nothing; every output compiles on Python 3
and (in one batched subprocess) on Python 2.7.
"""
from __future__ import annotations

import glob
import os

import pytest

from portkit import source
from portkit.engine import Analysed, AnalysisError, analyse_text
from portkit.registry import all_codes, load_fixers
from py_compile_check import py2_compile_errors, py3_compile_error

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "fixtures")
ALL = frozenset(all_codes())


def _cases():
    cases = []
    fixers = load_fixers()
    for path in sorted(glob.glob(os.path.join(FIXTURES, "*", "*.in.py"))):
        code = os.path.basename(os.path.dirname(path))
        if code in fixers and fixers[code].stage == "tokens":
            continue  # lift-level fixtures: tests/test_lift.py runs them
        name = os.path.basename(path)[: -len(".in.py")]
        cases.append(pytest.param(code, path, id="%s-%s" % (code, name)))
    return cases


def _examples():
    cases = []
    for code, cls in load_fixers().items():
        for number, example in enumerate(cls.examples, 1):
            cases.append(pytest.param(code, example, id="%s-example%d" % (code, number)))
    return cases


def _read(path):
    with open(path, "rb") as handle:
        return source.decode(handle.read()).text


def _fix(text):
    try:
        return analyse_text(text, ALL, fix=True)
    except AnalysisError as exc:
        # Report-only Python 2 syntax keeps a file unparseable: its findings
        # are still reported and the text is left alone.
        assert exc.findings and not all(f.fixable for f in exc.findings), str(exc)
        return Analysed(exc.findings, None)


OUTPUTS = {}


def _check(code, name, before, after, expected_codes):
    result = _fix(before)
    got = result.new_text if result.new_text is not None else before
    assert got == after
    codes = [f.code for f in result.findings]
    if expected_codes is not None:
        assert codes == list(expected_codes)
    elif after != before:
        assert code in codes, "fixing changed the text but %s reported nothing" % code
    else:
        assert code not in [f.code for f in result.findings if f.fixable]
    if after != before:
        again = _fix(after)
        assert again.new_text is None, "second fix changed the output again"
        assert py3_compile_error(after) is None
        OUTPUTS[name] = after


@pytest.mark.parametrize("code,path", _cases())
def test_fixture(code, path):
    before = _read(path)
    out_path = path[: -len(".in.py")] + ".out.py"
    after = _read(out_path) if os.path.exists(out_path) else before
    codes_path = path[: -len(".in.py")] + ".codes"
    expected = None
    if os.path.exists(codes_path):
        expected = [line.strip() for line in _read(codes_path).splitlines() if line.strip()]
    _check(code, path, before, after, expected)


@pytest.mark.parametrize("code,example", _examples())
def test_documented_example(code, example):
    after = example.before if example.after is None else example.after
    _check(code, "%s: %s" % (code, example.before[:40]), example.before, after, example.findings)


def test_outputs_compile_on_python27():
    """Runs last in this module: every changed output above compiles on 2.7."""
    assert OUTPUTS, "no fixture produced output"
    assert py2_compile_errors(OUTPUTS) == {}


def test_every_fixer_documents_itself():
    for code, cls in load_fixers().items():
        assert cls.name and cls.summary and cls.explanation.strip(), code
        assert cls.examples, "%s has no examples" % code
        assert any(e.after is not None for e in cls.examples) or not cls.fixable, code
        assert "\n" not in cls.summary, code


def test_pk237_message_when_the_class_has_index():
    """A class with __index__ needs no advice to define it: the message says
    what changes instead (hex() on 3 formats __index__ itself)."""
    src = ("class RequestId(object):\n    def __hex__(self):\n        return '%x' % self.n\n\n"
           "    def __index__(self):\n        return self.n\n\n\n"
           "class Flags(object):\n    def __oct__(self):\n        return oct(self.v)\n")
    found = {f.line: f.message for f in analyse_text(src, frozenset(["PK237"])).findings}
    assert "hex() calls __index__ instead" in found[2] and "define __index__" not in found[2]
    assert found[10].endswith("define __index__")
