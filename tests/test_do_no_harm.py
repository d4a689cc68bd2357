"""Code that already runs on Python 3 is left alone, and scan and fix agree.

Each case is a minimal synthetic module: what ``portkit fix`` must make of it
(or leave), and what ``portkit scan`` reports.
"""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from portkit import py3code
from portkit.engine import analyse_text
from portkit.registry import all_codes

ALL = frozenset(all_codes())
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def _fix(text, codes=ALL, path=""):
    result = analyse_text(textwrap.dedent(text), codes, fix=True, path=path)
    return result.new_text, result.findings


def _unchanged(text, **kw):
    new, findings = _fix(text, **kw)
    assert new is None, new
    return findings


# -- Python-3-only files ------------------------------------------------------------
@pytest.mark.parametrize("text", [
    "def f(x: int | None = None) -> str:\n    print(x, end='')\n    return 7 / 2\n",
    "import urllib\nname = 'x'\nprint(f'{name}')\nvalue = 7 / 2\nd = {}.iteritems()\n",
    "async def handler(request):\n    return unicode(request)\n",
    "def f(a, *, key=None):\n    return a / 2, basestring\n",
    "def outer():\n    x = 1\n    def inner():\n        nonlocal x\n        x = long(x)\n    return inner\n",
    "def gen():\n    yield from range(3)\n    xrange(2)\n",
    "from __future__ import annotations\nimport urllib2\n",
    "class A(Base):\n    def __init__(self):\n        super().__init__()\n        self.n = 7 / 2\n",
    "class A(metaclass=Meta):\n    n = 7 / 2\n",
    "first, *rest = 'abc'.split()\nx = unicode(first)\n",
    "count: int = 0\nprint(count, end='')\n",
])
def test_python3_only_file_is_left_alone(text):
    assert _unchanged(text) == []


def test_python3_only_reason():
    import ast

    assert py3code.python3_only(ast.parse("x = f'{y}'\n")) == "an f-string"
    assert py3code.python3_only(ast.parse("print('a', end='')\nx = 7 / 2\n")) is None
    assert py3code.python3_only(ast.parse("def f(a, b=1, *args, **kw):\n    return a\n")) is None


# -- projects that declare Python 3 support ------------------------------------------
@pytest.mark.parametrize("metadata, declared", [
    (("setup.py", "from setuptools import setup\nsetup(name='x', classifiers=[\n"
      "    'Programming Language :: Python :: 3',\n])\n"), True),
    (("setup.py", "from setuptools import setup\nsetup(name='x', python_requires='>=3.7')\n"), True),
    (("setup.py", "from setuptools import setup\nsetup(name='x', python_requires='>=2.7, !=3.0.*')\n"), True),
    (("setup.py", "from setuptools import setup\nsetup(name='x', python_requires='<3')\n"), False),
    (("setup.py", "from setuptools import setup\nsetup(name='x', use_2to3=True, classifiers=[\n"
      "    'Programming Language :: Python :: 3',\n])\n"), False),
    (("setup.py", "from setuptools import setup\nsetup(name='x', classifiers=[\n"
      "    'Programming Language :: Python :: 2.7',\n])\n"), False),
    (("pyproject.toml", "[project]\nname = 'x'\nrequires-python = '>=3.8'\n"), True),
    (("setup.cfg", "[options]\npython_requires = >=3.6\n"), True),
])
def test_project_metadata_decides(tmp_path, metadata, declared):
    name, content = metadata
    (tmp_path / name).write_text(content)
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    module = package / "mod.py"
    module.write_text("from http import HTTPStatus\nhalf = 7 / 2\nd = {}\nfor k, v in d.iteritems():\n    pass\n")
    (package / "http.py").write_text("")
    new, findings = _fix(module.read_text(), path=str(module))
    if declared:
        assert new is None and findings == []
    else:
        assert new is not None and "six.iteritems" in new
    assert (py3code.project_on_python3(str(module)) is not None) == declared


def test_python2_syntax_in_a_python3_project_is_still_ported(tmp_path):
    (tmp_path / "setup.py").write_text("setup(python_requires='>=3.6')\n")
    module = tmp_path / "mod.py"
    module.write_text("print 'hello'\n")
    new, _ = _fix(module.read_text(), path=str(module))
    assert new == "from __future__ import print_function\nprint('hello')\n"


def test_settings_override_project_metadata(tmp_path):
    (tmp_path / "setup.py").write_text("setup(python_requires='>=3.6')\n")
    module = tmp_path / "mod.py"
    module.write_text("d = {}\nx = d.iteritems()\n")
    assert analyse_text(module.read_text(), ALL, fix=True, path=str(module)).new_text is None
    fixed = analyse_text(module.read_text(), ALL, fix=True, path=str(module), py3_ready="no").new_text
    assert "six.iteritems(d)" in fixed
    assert analyse_text("x = {}.iteritems()\n", ALL, fix=True, py3_ready="yes").new_text is None


# -- version guards ------------------------------------------------------------------
GUARDED = [
    """\
    import sys
    PY2 = sys.version_info[0] == 2
    if PY2:
        text_type = unicode
        def iteritems(d):
            return d.iteritems()
    else:
        text_type = str
        def iteritems(d):
            return iter(d.items())
    """,
    """\
    import six
    if six.PY2:
        from urllib import quote
        long_type = long
    """,
    """\
    import sys
    if sys.version_info >= (3,):
        string_types = (str,)
    else:
        string_types = (basestring,)
    """,
    """\
    import sys
    if sys.version_info < (3, 0):
        range_ = xrange
    """,
    """\
    from .compat import PY3
    if not PY3:
        chars = unichr
    """,
    """\
    import six
    empty = u'' if six.PY2 else ''
    reader = raw_input if six.PY2 else input
    """,
    """\
    try:
        text_type = unicode
    except NameError:
        text_type = str
    """,
    """\
    try:
        from urllib.parse import quote
    except ImportError:
        from urllib import quote
    """,
    """\
    try:
        from urllib2 import urlopen
    except ImportError:
        from urllib.request import urlopen
    """,
    """\
    import sys
    if sys.version_info.major == 2:
        def u(s):
            return unicode(s, 'unicode_escape')
    """,
    """\
    if str is bytes:
        native = unicode
    """,
]


@pytest.mark.parametrize("text", GUARDED)
def test_version_guarded_branches_are_left_alone(text):
    assert _unchanged(text) == []


def test_code_outside_the_guard_is_still_ported():
    text = """\
    from .compat import PY2
    x = 1
    if PY2:
        text_type = unicode
    def f(d):
        return d.iteritems()
    """
    new, findings = _fix(text)
    assert [f.line for f in findings] == [6]
    assert "        text_type = unicode" not in new and "    text_type = unicode" in new
    assert "six.iteritems(d)" in new


def test_a_try_import_of_python2_modules_only_is_not_a_guard():
    text = """\
    try:
        from cStringIO import StringIO
    except ImportError:
        from StringIO import StringIO
    x = {}.iteritems()
    """
    _, findings = _fix(text)
    assert findings and any(f.line == 5 for f in findings)


def test_version_tests_that_hold_on_both_are_not_guards():
    text = """\
    import sys
    if sys.version_info >= (2, 6):
        d = {}.iteritems()
    """
    new, _ = _fix(text)
    assert new is not None and "six.iteritems" in new


# -- scan and fix agree ----------------------------------------------------------------
def test_print_call_with_keywords_gets_its_import():
    new, findings = _fix("import sys\nprint('x', end='')\n")
    assert [(f.code, f.fixable) for f in findings] == [("PK101", True)]
    assert new == "from __future__ import print_function\nimport sys\nprint('x', end='')\n"


def test_a_suppressed_print_statement_is_not_rewritten():
    text = "print 'a'\nprint 'b'  # portkit: ignore[PK101]\n"
    new, findings = _fix(text)
    assert new is None
    assert [(f.line, f.code, f.fixable) for f in findings] == [(1, "PK101", False)]
    assert "suppressed" in findings[0].message and "does not parse on 3" in findings[0].message


def test_a_suppressed_line_fix_leaves_only_that_line():
    text = "a = `x`\nb = `y`  # portkit: ignore[PK103]\nc = d.has_key(1)  # portkit: ignore[PK103]\n"
    new, findings = _fix(text)
    assert new == "a = repr(x)\nb = `y`  # portkit: ignore[PK103]\nc = 1 in d  # portkit: ignore[PK103]\n"
    assert [(f.line, f.code) for f in findings] == [(1, "PK103"), (3, "PK202")]


def test_deselecting_a_python2_syntax_code_leaves_its_statements():
    text = "print x\nb = `y`\nc = d.has_key(1)\n"
    codes = frozenset(c for c in ALL if c != "PK101")
    new, findings = _fix(text, codes=codes)
    assert new == "print x\nb = repr(y)\nc = 1 in d\n"
    assert "PK101" not in {f.code for f in findings}


def test_pk116_is_not_reported_on_python3_annotations():
    text = "def f(x: int | None = None, y: str | None = None) -> None:\n    print(x, end='')\n"
    assert _unchanged(text) == []


def _run(args, cwd):
    env = dict(os.environ, PYTHONPATH=ROOT, PORTKIT_NO_CACHE="1", NO_COLOR="1")
    return subprocess.run([sys.executable, "-m", "portkit"] + args, cwd=str(cwd), capture_output=True, text=True,
                          env=env)


@pytest.mark.parametrize("content, fixable", [
    ("import sys\nprint('x', end='')\n", True),
    ("print 'a'\nprint 'b'  # portkit: ignore[PK101]\n", False),
    ("def f(x: int | None = None):\n    print(x, end='')\n", False),
    ("import six\nif six.PY2:\n    t = unicode\n", False),
    ("x = `y`\n", True),
])
def test_fix_check_exits_1_exactly_when_scan_has_a_fixable_finding(tmp_path, content, fixable):
    (tmp_path / "mod.py").write_text(content)
    scan = _run(["scan", "--no-cache", "mod.py"], tmp_path)
    check = _run(["fix", "--check", "--no-cache", "mod.py"], tmp_path)
    assert ("[*]" in scan.stdout) == fixable, scan.stdout
    assert check.returncode == (1 if fixable else 0), check.stdout + check.stderr


def test_a_buffer_made_in_another_module_is_read_with_that_module(tmp_path):
    """A StringIO() made by a class of another (longer) module and read in this
    one: its content is looked up in the module that made it (it was looked up
    with this module's lines, an IndexError past their end)."""
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "maker.py").write_text(
        "from StringIO import StringIO\n" + "\n" * 60 +
        "class Holder(object):\n    def __init__(self):\n        self.buf = StringIO('')\n"
        "        self.buf.write('x')\n")
    user = package / "user.py"
    user.write_text("from maker import Holder\n\ndef body(environ, start_response):\n"
                    "    h = Holder()\n    return [h.buf.getvalue()]\n")
    result = analyse_text(user.read_text(), ALL, fix=True, path=str(user))
    assert all("failed" not in f.message for f in result.findings)


def test_has_key_of_a_project_class_is_reported(tmp_path):
    """d.has_key(k) -> k in d is exact for dicts only: when a module of the
    project defines has_key (a class whose 'in' may mean something else), the
    call is reported in every module of the project."""
    (tmp_path / "tree.py").write_text(
        "class Node(object):\n    def has_key(self, key):\n        return key in self.attrs\n\n"
        "    def __contains__(self, item):\n        return item in self.children\n")
    test = tmp_path / "test_tree.py"
    test.write_text("from tree import Node\n\ndef check(node):\n    return node.has_key('x')\n")
    new, findings = _fix(test.read_text(), path=str(test))
    assert new is None
    assert [(f.code, f.fixable) for f in findings] == [("PK202", False)]
    other = tmp_path / "sub"
    other.mkdir()
    alone = other / "mod.py"
    alone.write_text("def check(d):\n    return d.has_key('x')\n")
    assert _fix(alone.read_text(), path=str(alone))[0] == "def check(d):\n    return 'x' in d\n"


def test_py3_ready_option_and_setting(tmp_path):
    (tmp_path / "setup.py").write_text("setup(name='x', python_requires='>=2.7')\n")
    (tmp_path / "mod.py").write_text("d = {}\nx = d.iteritems()\n")
    assert _run(["fix", "--check", "--no-cache", "mod.py"], tmp_path).returncode == 0
    assert _run(["fix", "--check", "--no-cache", "--py3-ready", "no", "mod.py"], tmp_path).returncode == 1
    (tmp_path / "setup.cfg").write_text("[portkit]\npy3-ready = no\n")
    assert _run(["fix", "--check", "--no-cache", "mod.py"], tmp_path).returncode == 1
    (tmp_path / "setup.cfg").write_text("[portkit]\npy3-ready = maybe\n")
    bad = _run(["scan", "--no-cache", "mod.py"], tmp_path)
    assert bad.returncode == 2 and "py3-ready" in bad.stderr


def test_a_fallback_for_old_pythons_2_is_not_a_version_guard():
    text = """\
    try:
        basestring
    except NameError:
        basestring = (str, unicode)
    """
    new, _ = _fix(text)
    assert new is not None and "unicode)" not in new and "six.text_type" in new


def test_the_buffers_portkit_writes_keep_their_kinds():
    """A module fixed earlier in the run uses six.BytesIO / six.moves.cStringIO:
    the inference still knows what they hold (a sibling read after it was
    fixed lost its buffers' kinds, and their contents went to io.StringIO)."""
    from portkit import kind_table

    assert kind_table.FUNCTIONS[kind_table.canonical("six.BytesIO")].result == "@bytesio"
    assert kind_table.FUNCTIONS[kind_table.canonical("six.moves.cStringIO")].result == "@nativeio"
    assert kind_table.TYPES["nativeio"]["getvalue"].result == "N"


def test_a_python2_import_with_a_python3_stand_in_is_a_version_guard():
    text = ("try:\n    from HTMLParser import HTMLParseError\nexcept ImportError:\n"
            "    HTMLParseError = type('HTMLParseError', (Exception,), {})\n")
    assert _unchanged(text) == []
    # a handler that imports may be a fallback for an old Python 2: not a guard
    new, _ = _fix("try:\n    from urlparse import parse_qs\nexcept ImportError:\n    from cgi import parse_qs\n")
    assert new is not None and "six.moves.urllib.parse" in new


def test_a_compatibility_module_is_left_alone_whole():
    text = """\
    import sys
    PY3 = sys.version_info[0] == 3
    print_ = getattr(__builtins__, 'print', None)
    if print_ is None:
        def print_(*args):
            if isinstance(args[0], unicode):
                pass
    """
    assert _unchanged(text) == []
    assert analyse_text(textwrap.dedent(text), ALL, fix=True, py3_ready="no").new_text is not None
