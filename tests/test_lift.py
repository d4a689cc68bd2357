"""Tests of the lift stage (portkit.lift, portkit.py2tokens, fixers/py2syntax.py).

Fixtures: ``tests/fixtures/PK1xx/NAME.in.py`` and ``NAME.out.py`` (the text
after lift's edits; no ``.out.py``: lift must not change the file).  Markers
(comment lines inside ``.in.py``):

``# expect-imports: STMT; STMT``  the imports lift must request (default: none)
``# expect-findings: CODE CODE``  the exact codes lift reports, in order
``# lift-run``                    run the input and the lifted output (with the
                                  imports placed) on python2.7: same output
``# lift-run: py3``               also run the lifted output on Python 3 (no error)
``# not-py2``                     the input is not valid Python 2 (Python 3 code
                                  that lift must leave alone)

Every case is checked for: expected output, Python 3 compile (this
interpreter, python3.9 and python3.13 when present), Python 2.7 compile of
input and output (one batched python2.7 subprocess per session),
idempotence (lift of the output with its imports placed makes no edit), and
``may_need_lift`` being True whenever lift reports anything.  The fixer
classes' ``examples`` are checked the same way.
"""
from __future__ import annotations

import ast
import codecs
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import warnings

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from portkit.fixer import Example  # noqa: E402
from portkit.lift import LiftResult, apply_edits, lift, may_need_lift, needed_after_parse, surely_python2  # noqa: E402
from portkit.model import Edit, Finding, ImportRequest  # noqa: E402
from portkit.py2tokens import ERROR, tokenize  # noqa: E402



def find_python(version):
    """An interpreter for ``version`` ("2.7", "3.13") that actually runs, or None."""
    candidates = sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/%s.*/bin/python%s" % (version, version))))
    candidates.append(shutil.which("python" + version))
    for exe in candidates:
        if exe and subprocess.run([exe, "-c", "pass"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0:
            return exe
    return None


PY27 = find_python("2.7")
FIXTURES = os.path.join(HERE, "fixtures")
COOKIE = re.compile(rb"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)")


# -- support (also used by tests/corpus_lift_check.py) --------------------------
def place_imports(text: str, imports) -> str:
    """Stand-in for the engine's import placer: after the module docstring,
    leading comments and ``from __future__`` imports; futures first."""
    if not imports:
        return text
    futures = sorted(i.statement() for i in imports if i.is_future)
    others = sorted(i.statement() for i in imports if not i.is_future)
    block = "".join(s + "\n" for s in futures + others)
    lines = text.splitlines(True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            tree = ast.parse(text)
        except SyntaxError:
            tree = None
    at = 0  # insert before this 0-based line index
    if tree is not None and tree.body:
        body = tree.body
        k = 0
        first = body[0]
        if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
            at = first.end_lineno
            k = 1
        while k < len(body) and isinstance(body[k], ast.ImportFrom) and body[k].module == "__future__":
            at = body[k].end_lineno
            k += 1
        if at == 0:
            deco = getattr(first, "decorator_list", None) or []
            at = min([first.lineno] + [d.lineno for d in deco]) - 1
    else:
        while at < len(lines) and (lines[at].startswith("#") or not lines[at].strip()):
            at += 1
    if 0 < at <= len(lines) and not lines[at - 1].endswith("\n"):
        lines[at - 1] += "\n"
    return "".join(lines[:at]) + block + "".join(lines[at:])


_RUNNER = r'''
import sys, json, marshal, hashlib, types
try:
    from StringIO import StringIO
except ImportError:
    from io import StringIO
try:
    import six
except ImportError:
    six = types.ModuleType("six")
    if sys.version_info[0] == 2:
        exec(compile("def reraise(tp, value, tb=None):\n    raise tp, value, tb\n", "six", "exec"), six.__dict__)
    else:
        exec(compile("def reraise(tp, value, tb=None):\n    if value is None:\n        value = tp()\n    raise value.with_traceback(tb)\n", "six", "exec"), six.__dict__)
    sys.modules["six"] = six
import warnings
warnings.simplefilter("ignore")
out = []
for item in json.loads(sys.stdin.read()):
    path = item["path"]
    src = item["src"].encode(item.get("encoding") or "utf-8")
    res = {"key": item.get("key", path), "path": path}
    try:
        code = compile(src, path, "exec", 0, True)
    except Exception as e:
        res["ok"] = False
        res["error"] = "%s: %s" % (type(e).__name__, e)
        out.append(res)
        continue
    res["ok"] = True
    res["hash"] = hashlib.md5(marshal.dumps(code)).hexdigest()
    if item.get("run"):
        buf = StringIO()
        old = sys.stdout
        sys.stdout = buf
        try:
            exec(code, {"__name__": "__main__", "__file__": path})
            res["exc"] = None
        except BaseException as e:
            res["exc"] = "%s: %s" % (type(e).__name__, e)
        sys.stdout = old
        value = buf.getvalue()
        if not isinstance(value, type(u"")):
            value = value.decode("utf-8", "replace")
        res["stdout"] = value
    out.append(res)
sys.stdout.write(json.dumps(out))
'''


def compile_many(exe, items):
    """Compile (and, for items with ``run``, run) many sources in one ``exe``
    subprocess.  ``items``: dicts ``key``, ``path``, ``src`` (str), ``encoding``,
    ``run``.  Returns key -> result dict (``ok``, ``error``, ``hash``, ``stdout``, ``exc``)."""
    proc = subprocess.run([exe, "-c", _RUNNER], input=json.dumps(items).encode(), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if proc.returncode:
        raise RuntimeError("%s failed: %s" % (exe, proc.stderr.decode(errors="replace")[-2000:]))
    return {r["key"]: r for r in json.loads(proc.stdout.decode())}


def py2_compile_many(items):
    if PY27 is None:
        pytest.skip("python2.7 is not installed")
    return compile_many(PY27, items)


def read_source(path):
    """``(text, encoding)`` of a source file as the engine reads it."""
    raw = open(path, "rb").read()
    enc = "utf-8"
    for line in raw.splitlines()[:2]:
        m = COOKIE.match(line)
        if m:
            enc = codecs.lookup(m.group(1).decode()).name
            break
    return raw.decode(enc).replace("\r\n", "\n"), enc


# -- the cases -----------------------------------------------------------------
class Case:
    def __init__(self, id, code, src, expected, encoding="utf-8", path=None, findings=None, imports=None, run=False, run3=False):
        self.id = id
        self.code = code
        self.src = src
        self.expected = expected  # None: must not change
        self.encoding = encoding
        self.path = path or id
        self.findings = findings  # expected codes in order, or None
        self.imports = imports  # expected import statements (set), or None: not checked
        self.run = run
        self.run3 = run3


def _fixture_cases():
    cases = []
    for inp in sorted(glob.glob(os.path.join(FIXTURES, "PK1*", "*.in.py"))):
        code = os.path.basename(os.path.dirname(inp))
        name = os.path.basename(inp)[: -len(".in.py")]
        src, enc = read_source(inp)
        outp = inp[: -len(".in.py")] + ".out.py"
        expected = read_source(outp)[0] if os.path.exists(outp) else None
        m = re.search(r"^# expect-imports: (.*)$", src, re.M)
        imports = {s.strip() for s in m.group(1).split(";")} if m else set()
        m = re.search(r"^# expect-findings: (.*)$", src, re.M)
        findings = tuple(m.group(1).split()) if m else None
        m = re.search(r"^# lift-run(: py3)?$", src, re.M)
        cases.append(
            Case("%s/%s" % (code, name), code, src, expected, enc, inp, findings, imports, bool(m), bool(m and m.group(1)))
        )
    return cases


def _token_fixers():
    from fixers import py2syntax

    return sorted(
        (obj for obj in vars(py2syntax).values() if isinstance(obj, type) and issubclass(obj, py2syntax.TokenFixer) and obj.code),
        key=lambda c: c.code,
    )


def _example_cases():
    cases = []
    for cls in _token_fixers():
        for n, ex in enumerate(cls.examples):
            cases.append(Case("%s/example%d" % (cls.code, n), cls.code, ex.before, ex.after, findings=ex.findings))
            cases[-1].example = ex
    return cases


# Self-contained Python 2 programs: no expected text, but everything else is
# checked, and they run on python2.7 before and after (same output).
SNIPPETS = {
    "eof_no_newline": "x = 1\nprint x",
    "eof_bare_print": "print",
    "semicolons": "x = 1; print x; y = 2; print y,; print",
    "print_lambda_call": "print (lambda: 1)() is None",
    "print_dict_strings": 'print {1: 2}, u"x", "a" "b"',
    "print_chevron_tuple": "import sys\nprint >>sys.stdout, (1, 2)\nprint >>sys.stdout, (1, 2),\nprint",
    "print_conditional": "a = 1\nprint (a, 2) if a else 3\nprint(a)(1) if 0 else 4",
    "print_chevron_paren": 'import sys\nprint >>(sys.stdout), "x"',
    "print_multiline_tuple": "print (1,\n       2)",
    "print_concat_lines": 'print ("a"\n       "b")',
    "print_try_else": 'try: pass\nexcept: pass\nelse: print "else"',
    "decorated_tuple_params": "def d(f): return f\n@d\ndef f((a, b), c=lambda (x, y): x):\n    return a + b + c((5, 6))\nprint f((1, 2))",
    "def_at_eof": "def f((a, b)): return a\nprint f((1, 2))\ndef g((a, b)): pass",
    "def_docstring_at_eof": 'def g((a, b)):\n    "doc"',
    "def_inline_docstring": 'def f((a, b)): "doc"; return a\nprint f((1, 2)), f.__doc__',
    "def_comment_in_params": "def f(a, # first\n      (b, c)):\n    return a + b + c\nprint f(1, (2, 3))",
    "def_tab_body": "def f((a, b)):\n\treturn a\nprint f((1, 2))",
    "class_exec": 'class C: exec "x = 1"\nprint C.x',
    "exec_in_string": 'g = {"y": [1]}\nexec "z = 1 in y" in g\nprint g["z"]',
    "raise_one_liner": 'try:\n  if 1: raise ValueError, "a"\nexcept ValueError, e: print e.args',
    "raise_instance_value": 'class E(Exception): pass\ntry:\n  raise E, E("x").args[0]\nexcept E, e:\n  print e.args',
    "except_continuation": 'try:\n  1/0\nexcept ZeroDivisionError, \\\n   e:\n  print "ok"',
    "backtick_multiline": "print `(1,\n  2)`, `[`1`,\n `2`]`",
    "backtick_after_keywords": 'x = 1\nprint not `x`, `x` in "1", [`x` for x in (1,)]\nif `x`: print `x` + `x`',
    "tabs_continuation": "if 1:\n\tx = (1,\n  2)\n        y = 3\nprint x, y",
    "tabs_comment_lines": "if 1:\n\tx = 1\n  # comment\n        y = 2\n\t# tab comment\nprint x, y",
    "tabs_nested": "def f():\n\tif 1:\n\t\treturn 1\n        return 2\nprint f()",
    "tabs_dedent": "if 1:\n    if 1:\n\tx = 1\n    y = 2\nprint x, y",
    "tabs_and_tuple_param": "def f((a, b)):\n\tif a:\n\t\treturn a\n        return b\nprint f((0, 2))",
    "lambda_nested_tuples": "f = lambda (a, b): (lambda (c, d): a + c)((b, 1))\nprint f((1, 2))",
    "lambda_default": "f = lambda (a, b)=(1, 2): a * b\nprint f(), f((3, 4))",
    "lambda_in_dict": "d = {1: lambda (a, b): a, 2: lambda (a, b): b}\nprint d[1]((5, 6)), d[2]((5, 6))",
    "lambda_keyword_args": "def g(a=0, **k): return a\nf = lambda (a, b): g(a=a, b=b)\nprint f((7, 8))",
    "lambda_attribute": "class O: a = 3\nf = lambda (o, a): o.a + a\nprint f((O, 1))",
    "lambda_star": "f = lambda (a, b), *r: (a, b, r)\nprint f((1, 2), 3)",
    "octal_contexts": "print 0777 & 0644, -0777, [01,02], 0777L ** 2",
    "long_contexts": "print 1L, 0L, 2L * 3, 017L, 0b1L, 0o7L, 1l .real",
    "bytes_escapes_kept": "x = b'\\xc3\\xa9 \u00e9'\nprint repr(x)",
    "unicode_escape_docstring": 'def f():\n    """C:\\users"""\nprint repr(f.__doc__)',
    "listcomp_nested": "print [[y for y in 1, 2] for x in 3, 4]",
    "listcomp_lambdas": "print [f() for f in lambda: 1, lambda: 2]",
    "lambda_commas_in_statements": "class W:\n  def write(self, s): sys.stdout.write(s[:9])\n"
    "import sys\nprint >>W(), lambda a, b: a, 1\nprint (lambda a, b: a)(1, 2)\n"
    "try:\n  raise ValueError, lambda a, b: a\nexcept ValueError, e:\n  print e.args[0](3, 4)",
}

CASES = _fixture_cases() + _example_cases()
UNCHECKED = object()
for _name, _src in sorted(SNIPPETS.items()):
    CASES.append(Case("snippet/" + _name, None, _src, UNCHECKED, run=True))


def _lift_case(case):
    res = lift(case.src, encoding=case.encoding)
    out = apply_edits(case.src, res.edits)
    full = place_imports(out, res.imports)
    return res, out, full


@pytest.fixture(scope="session")
def compiled():
    """One python2.7 subprocess (and one per extra Python 3) for all cases."""
    items2 = []
    items3 = []
    for case in CASES:
        res, out, full = _lift_case(case)
        items2.append({"key": case.id + ":in", "path": case.path, "src": case.src, "encoding": case.encoding, "run": case.run})
        items2.append({"key": case.id + ":out", "path": case.path, "src": full, "encoding": case.encoding, "run": case.run})
        if case.expected is not None or not any(not f.fixable for c, f in res.findings):
            items3.append({"key": case.id, "path": case.path, "src": full, "encoding": case.encoding, "run": case.run3})
    results = {"py2": py2_compile_many(items2)}
    for exe in ("3.9", "3.13", sys.executable):
        path = find_python(exe) if exe != sys.executable else exe
        if path:
            results[exe] = compile_many(path, [dict(i, run=i["run"] and exe == sys.executable) for i in items3])
    return results


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_case(case, compiled):
    res, out, full = _lift_case(case)
    assert isinstance(res, LiftResult)
    assert getattr(res, "conflicts", 0) == 0, "overlapping edits"
    codes = [c for c, f in res.findings]
    if res.findings:
        assert may_need_lift(case.src), "may_need_lift is False but lift found %s" % codes
        tree = _parses_on_3(case.src)
        if tree is not None:
            assert needed_after_parse(case.src, tree), "needed_after_parse is False but lift found %s" % codes
    # the expected text
    if case.expected is UNCHECKED:
        pass
    elif case.expected is None:
        assert res.edits == [], "expected no change, got:\n" + out
        if isinstance(getattr(case, "example", None), Example):
            assert full == case.src
    elif isinstance(getattr(case, "example", None), Example):
        assert full == case.expected
    else:
        assert out == case.expected
    # findings
    if case.findings is not None:
        assert tuple(codes) == case.findings
    elif case.expected is not None and case.code:
        assert case.code in codes
    elif isinstance(getattr(case, "example", None), Example):
        assert case.code not in codes
    for c, f in res.findings:
        assert isinstance(f, Finding) and f.code == c and f.line >= 1 and f.col >= 0
        if case.expected is None and c == case.code:
            assert not f.fixable or c in ("PK101",), "a fixable finding without edits: %s" % (f,)
    # imports
    if case.imports is not None and not hasattr(case, "example"):
        assert {i.statement() for i in res.imports} == case.imports
    # idempotence
    again = lift(full, encoding=case.encoding)
    assert again.edits == [], "not idempotent: %r" % (again.edits,)
    if res.edits:
        assert not [f for c, f in again.findings if f.fixable and c != "PK101"]
    # Python 2.7: input and output compile, same behaviour
    r_in = compiled["py2"][case.id + ":in"]
    r_out = compiled["py2"][case.id + ":out"]
    if "# not-py2" not in case.src:
        assert r_in["ok"], "the input does not compile on 2.7: %s" % r_in.get("error")
    if "# not-py2" not in case.src or res.edits or res.imports:
        assert r_out["ok"], "the output does not compile on 2.7: %s" % r_out.get("error")
    if case.run:
        assert r_in["exc"] is None, r_in["exc"]
        # ``print x,`` + ``print`` drops the soft space before the newline on
        # Python 2; print(x, end=' ') cannot (documented in PK101).
        soft = lambda r: (re.sub(r" +\n", "\n", r["stdout"]), r["exc"])  # noqa: E731
        assert soft(r_out) == soft(r_in)
    # Python 3
    for exe, results in compiled.items():
        if exe == "py2" or case.id not in results:
            continue
        r = results[case.id]
        assert r["ok"], "%s: %s" % (exe, r.get("error"))
        if exe == sys.executable and case.run3:
            assert r["exc"] is None, r["exc"]
    if case.expected is not None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(full, case.path, "exec", dont_inherit=True)


# -- unit tests ------------------------------------------------------------------
def test_fixture_folders_cover_every_code():
    codes = {cls.code for cls in _token_fixers()}
    assert codes == {"PK1%02d" % n for n in range(1, 17)}
    for code in codes:
        assert glob.glob(os.path.join(FIXTURES, code, "*.in.py")), code


def test_fixer_docs():
    for cls in _token_fixers():
        assert cls.stage == "tokens"
        assert cls.name and cls.summary and cls.explanation and cls.examples, cls.code
        assert any(ex.after is not None for ex in cls.examples) or not cls.fixable


def test_tokens_cover_the_text():
    for case in CASES:
        pos = 0
        for kind, s, a, b in tokenize(case.src):
            assert kind != ERROR
            assert case.src[a:b] == s
            assert not case.src[pos:a].strip(" \t\f"), (case.id, case.src[pos:a])
            pos = b
        assert not case.src[pos:].strip(" \t\f")


def test_result_shape():
    src = "print `x` <> 0777L\nexec c in g\n"
    res = lift(src)
    assert all(isinstance(e, Edit) for e in res.edits)
    assert res.edits == sorted(res.edits)
    assert all(a.end <= b.start for a, b in zip(res.edits, res.edits[1:]))
    assert res.imports == {ImportRequest("__future__", "print_function")}
    assert [(c, f.line, f.col) for c, f in res.findings] == [
        ("PK101", 1, 0),
        ("PK103", 1, 6),
        ("PK104", 1, 10),
        ("PK108", 1, 13),
        ("PK109", 1, 13),
        ("PK102", 2, 0),
    ]
    assert apply_edits(src, res.edits) == "print(repr(x) != 0o777)\nexec(c, g)\n"


def test_codes_filter():
    src = "print `x` <> 1\n"
    res = lift(src, codes=["PK104"])
    assert [c for c, f in res.findings] == ["PK104"]
    assert apply_edits(src, res.edits) == "print `x` != 1\n"
    assert res.imports == set()


def test_untokenizable_text_is_left_alone():
    for src in ("x = 'unterminated\nprint x\n", 'print """never closed\n', "print $x\n"):
        res = lift(src)
        assert res.edits == [] and res.findings == [] and res.imports == set()


def test_python3_only_file_keeps_print_calls():
    src = "x = f'{a}'\nprint('a', x)\n"
    assert lift(src).edits == []
    src = "def f(a) -> int:\n    print(a, 1)\n"
    assert lift(src).edits == []


def _parses_on_3(text):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return ast.parse(text)
    except (SyntaxError, ValueError):
        return None


@pytest.mark.parametrize("src", [
    "print\n",  # a bare print parses on 3 (a name)
    "print >>sys.stderr, 'x'\n",  # a tuple on 3
    "print ('a', 1)\n",  # a call with two arguments on 3
    "exec (code) in ns\n",  # a comparison on 3
    "dash = '\\N{EM DASH}'\n",
    "s = '\\u00e9'\n",
])
def test_needed_after_parse_constructs_that_parse_on_3(src):
    tree = _parses_on_3(src)
    assert tree is not None
    assert lift(src).findings, "the lift changes this"
    assert needed_after_parse(src, tree)


@pytest.mark.parametrize("src", [
    "from __future__ import print_function\nprint('a', 1, file=f)\n",
    "from __future__ import unicode_literals\ns = '\\u00e9'\n",
    "x = '0777 10L `a` <> ur'\n",  # only in a string: the lift finds nothing
    "try:\n    pass\nexcept (A, B) as e:\n    pass\n# except A, e:\n",
])
def test_needed_after_parse_false_when_the_lift_finds_nothing(src):
    tree = _parses_on_3(src)
    assert tree is not None and may_need_lift(src)
    assert not lift(src).findings
    assert not needed_after_parse(src, tree)


def test_surely_python2_is_only_a_cue():
    assert surely_python2("print 'x'\n") and _parses_on_3("print 'x'\n") is None
    assert surely_python2("try:\n    f()\nexcept IOError, e:\n    pass\n")
    assert not surely_python2("print('x')\n")


def test_may_need_lift_negative():
    for src in (
        "import os\n\ndef f(a, b=(1, 2)):\n    return [x for x in (a, b)]\n",
        "x = {'a': 1}\ntry:\n    pass\nexcept (A, B):\n    raise ValueError('x, y')\n",
        "s = u'caf\u00e9'\nt = 0o777 + 0x1F + 10\n",
    ):
        assert not may_need_lift(src)
        assert lift(src).findings == []


def test_encoding_parameter():
    res = lift("x = b'\u00e9'\n", encoding="latin-1")
    assert apply_edits("x = b'\u00e9'\n", res.edits) == "x = b'\\xe9'\n"
    res = lift("x = b'\u20ac'\n", encoding="latin-1")
    assert res.edits == [] and [(c, f.fixable) for c, f in res.findings] == [("PK114", False)]


def test_tab_expansion_keeps_form_feed():
    src = "if 1:\n\f\tx = 1\n        y = 2\n"
    res = lift(src)
    assert apply_edits(src, res.edits) == "if 1:\n\f        x = 1\n        y = 2\n"
