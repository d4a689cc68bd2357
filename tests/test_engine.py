"""Engine behaviour on real-world and broken input: decoding, writing, errors."""
from __future__ import annotations

import os
import stat

import pytest

from portkit import source
from portkit.concurrency import run
from portkit.engine import analyse_text
from portkit.process import process_file
from portkit.registry import all_codes
from portkit.settings import Settings

ALL = frozenset(all_codes())
FIX = Settings(codes=ALL, fix=True, write=True)
SCAN = Settings(codes=ALL)

PY2_CODE = "import urllib2\n\ndef fetch(d):\n    for k, v in d.iteritems():\n        urllib2.urlopen(k)\n"
PY2_FIXED = "import six\n\ndef fetch(d):\n    for k, v in six.iteritems(d):\n        six.moves.urllib.request.urlopen(k)\n"


def write(path, data: bytes, mode=None):
    path.write_bytes(data)
    if mode is not None:
        os.chmod(path, mode)
    return str(path)


# -- decoding ------------------------------------------------------------------

def test_decode_keeps_latin1_cookie_and_round_trips():
    data = b"# -*- coding: latin-1 -*-\nname = u'caf\xe9'\n"
    decoded = source.decode(data)
    assert decoded.encoding == "iso8859-1"
    assert "caf\u00e9" in decoded.text
    assert decoded.encode(decoded.text) == data


def test_decode_bom_and_crlf_round_trip():
    data = source.BOM + b"x = 1\r\ny = 2\r\n"
    decoded = source.decode(data)
    assert decoded.bom and decoded.newline == "\r\n"
    assert decoded.text == "x = 1\ny = 2\n"
    assert decoded.encode(decoded.text) == data


def test_cookie_on_second_line_only_after_comment():
    assert source.find_cookie(b"#!/usr/bin/env python\n# coding: latin-1\n") == "latin-1"
    assert source.find_cookie(b"x = 1\n# coding: latin-1\n") is None


@pytest.mark.parametrize(
    "data,reason",
    [
        (b"x = '\xff\xfe'\n", "cannot decode line 1 as utf-8"),
        (b"# coding: klingon\nx = 1\n", "unknown encoding"),
        (b"# coding: ascii\nx = '\xc3\xa9'\n", "cannot decode line 2 as ascii"),
        (source.BOM + b"# coding: latin-1\nx = 1\n", "BOM conflicts"),
    ],
)
def test_undecodable_files_are_errors(tmp_path, data, reason):
    path = write(tmp_path / "bad.py", data)
    result, _, _ = process_file(path, FIX)
    assert result.error and reason in result.error
    assert open(path, "rb").read() == data


# -- fixing and writing --------------------------------------------------------

def test_fix_writes_and_keeps_crlf_bom_encoding_and_mode(tmp_path):
    original = source.BOM + PY2_CODE.replace("\n", "\r\n").encode()
    path = write(tmp_path / "m.py", original, 0o640)
    result, _, _ = process_file(path, FIX)
    assert result.error is None
    data = open(path, "rb").read()
    assert data == source.BOM + PY2_FIXED.replace("\n", "\r\n").encode()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o640


def test_fix_keeps_latin1_bytes(tmp_path):
    original = b"# -*- coding: latin-1 -*-\nlabel = 'caf\xe9'\nif d.has_key('x'): pass\n"
    path = write(tmp_path / "m.py", original)
    process_file(path, FIX)
    assert open(path, "rb").read() == b"# -*- coding: latin-1 -*-\nlabel = 'caf\xe9'\nif 'x' in d: pass\n"


def test_unchanged_file_is_not_rewritten(tmp_path):
    path = write(tmp_path / "ok.py", b"x = 1\n")
    before = os.stat(path).st_mtime_ns
    result, _, _ = process_file(path, FIX)
    assert result.new_content is None and result.error is None
    assert os.stat(path).st_mtime_ns == before


def test_read_only_file_is_reported_and_left_alone(tmp_path):
    path = write(tmp_path / "ro.py", PY2_CODE.encode(), 0o444)
    result, _, _ = process_file(path, FIX)
    assert "read-only" in result.error
    assert open(path, "rb").read() == PY2_CODE.encode()


def test_missing_and_unreadable_files(tmp_path, monkeypatch):
    result, _, _ = process_file(str(tmp_path / "gone.py"), SCAN)
    assert result.error.startswith("cannot read")
    path = write(tmp_path / "secret.py", b"x = 1\n")
    real_open = open

    def fake_open(name, *args, **kwargs):
        if name == path:
            raise PermissionError(13, "Permission denied")
        return real_open(name, *args, **kwargs)

    monkeypatch.setattr("builtins.open", fake_open)
    result, _, _ = process_file(path, SCAN)
    assert result.error == "cannot read: Permission denied"


def test_syntax_error_is_one_line_and_others_still_processed(tmp_path):
    bad = write(tmp_path / "a_bad.py", b"def f(:\n    pass\n")
    good = write(tmp_path / "b_good.py", PY2_CODE.encode())
    results, _ = run([bad, good], FIX, jobs=1)
    assert results[0].error.startswith("syntax error at line 1")
    assert "\n" not in results[0].error
    assert open(good).read() == PY2_FIXED


def test_deep_nesting_is_an_error_not_a_crash(tmp_path):
    deep = write(tmp_path / "deep.py", ("x = " + " + ".join(["a"] * 100000) + "\n").encode())
    good = write(tmp_path / "good.py", PY2_CODE.encode())
    results, _ = run(sorted([deep, good]), FIX, jobs=2)
    by_path = {r.path: r for r in results}
    # Python 3.9's parser takes it; later ones refuse: either way, no crash.
    assert by_path[deep].error is None or "too deep" in by_path[deep].error
    assert by_path[good].error is None and open(good).read() == PY2_FIXED


def test_file_deleted_between_discovery_and_processing(tmp_path):
    path = write(tmp_path / "vanishing.py", b"x = 1\n")
    os.unlink(path)
    results, _ = run([path], SCAN, jobs=1)
    assert results[0].error.startswith("cannot read")


def test_output_is_identical_whatever_the_jobs(tmp_path):
    paths = [write(tmp_path / ("m%02d.py" % i), PY2_CODE.encode()) for i in range(12)]
    one, _ = run(paths, SCAN, jobs=1)
    two, _ = run(paths, SCAN, jobs=2)
    assert [(r.path, r.findings) for r in one] == [(r.path, r.findings) for r in two]


# -- suppression and selection ---------------------------------------------------

def test_suppression_comment_hides_finding_and_its_fix():
    text = "a = d.has_key(1)  # portkit: ignore[PK202]\nb = d.has_key(2)\n"
    result = analyse_text(text, ALL, fix=True)
    assert [(f.line, f.code) for f in result.findings] == [(2, "PK202")]
    assert result.new_text == "a = d.has_key(1)  # portkit: ignore[PK202]\nb = 2 in d\n"
    assert result.suppressed == 1


def test_bare_suppression_hides_every_code_on_the_line():
    text = "x = unicode(d.iteritems())  # portkit: ignore\n"
    result = analyse_text(text, ALL, fix=True)
    assert result.findings == [] and result.new_text is None


def test_selection_limits_findings_and_fixes():
    result = analyse_text("x = unicode(d.has_key(1))\n", frozenset(["PK202"]), fix=True)
    assert [f.code for f in result.findings] == ["PK202"]
    assert result.new_text == "x = unicode(1 in d)\n"


# -- imports helper --------------------------------------------------------------

@pytest.mark.parametrize(
    "before,after",
    [
        ('"""Doc."""\nx = unicode(y)\n', '"""Doc."""\nimport six\nx = six.text_type(y)\n'),
        (
            '"""Doc."""\nfrom __future__ import (absolute_import,\n    division)\nimport os\n\nx = unicode(y)\n',
            '"""Doc."""\nfrom __future__ import (absolute_import,\n    division)\nimport os\nimport six\n\nx = six.text_type(y)\n',
        ),
        ("#!/usr/bin/env python\n# coding: utf-8\nx = unicode(y)\n",
         "#!/usr/bin/env python\n# coding: utf-8\nimport six\nx = six.text_type(y)\n"),
        ("import six\nx = unicode(y)\n", "import six\nx = six.text_type(y)\n"),
        ("import os\nif x:\n    import six\ny = unicode(z)\n", "import os\nimport six\nif x:\n    import six\ny = six.text_type(z)\n"),
    ],
    ids=["after-docstring", "after-multiline-future-and-imports", "after-cookie", "no-duplicate", "before-first-use"],
)
def test_imports_are_placed_once_and_before_use(before, after):
    assert analyse_text(before, ALL, fix=True).new_text == after


def test_walk_lists_nodes_in_ast_walk_order():
    """Rules that used ``ast.walk`` use ``Walk.nodes`` instead (their findings
    come out in the same order): the two orders must agree."""
    import ast

    from portkit.analysis import _SINGLETONS, Walk

    source = (
        "import os, sys as system\n"
        "from x import *\n"
        "@deco(1)\n"
        "def f(a, b=os.sep, *args, **kw):\n"
        "    global g\n"
        "    g = [y for y in args if y] + list(z for z in kw for w in z)\n"
        "    return {k: v for k, v in kw.items()}, lambda q=1: q\n"
        "class C(Base, metaclass=Meta):\n"
        "    attr = f(1)\n"
        "    def m(self, x: int = 2) -> int:\n"
        "        try:\n"
        "            return x[0] + self.attr\n"
        "        except (KeyError, IndexError) as e:\n"
        "            raise ValueError(e)\n"
    )
    tree = ast.parse(source)
    walk = Walk(tree)
    expected = [n for n in ast.walk(tree) if n is not tree and type(n) not in _SINGLETONS]
    assert [id(n) for n in walk.nodes] == [id(n) for n in expected]
    # scopes: a default is evaluated outside the function, a parameter inside
    func = tree.body[2]
    assert func.args.defaults[0]._pk_scope is walk.module_scope
    assert func.args.args[0]._pk_scope.node is func
    assert walk.resolve(func.args.defaults[0]) == "os.sep"


def test_a_fixer_of_ast_module_is_visited_once_with_the_tree():
    import ast

    from portkit.analysis import Walk

    tree = ast.parse("x = 1\ny = 2\n")
    walk = Walk(tree, (ast.Assign,))
    assert walk.index[ast.Module] == [tree]
    assert tree not in walk.nodes
    assert len(walk.index[ast.Assign]) == 2


def _rounds_of(text, path=""):
    """The fixed text of ``text`` and the texts each analysis round saw."""
    from unittest import mock

    from portkit import engine
    from portkit.registry import all_codes

    calls = []
    original = engine._one_round

    def counted(*args, **kwargs):
        calls.append(args[0])
        return original(*args, **kwargs)

    with mock.patch.object(engine, "_one_round", counted):
        result = engine.analyse_text(text, frozenset(all_codes()), fix=True, path=path)
    return result.new_text, calls


def test_a_final_fix_needs_no_second_round():
    """Python 2 syntax and the classic fixers' rewrites: the fixers analysed
    that text already, so the fix is composed from one analysis (and still
    checked to parse)."""
    from unittest import mock

    from portkit import engine

    fixed, calls = _rounds_of("print 'x'\n")
    assert fixed == "from __future__ import print_function\nprint('x')\n"
    assert len(calls) == 1
    fixed, calls = _rounds_of("print 'x'\nfor i in xrange(3): pass\n")
    assert "six.moves.range" in fixed
    assert len(calls) == 1
    # the result is still checked to parse
    with mock.patch.object(engine, "apply_edits", lambda text, edits: text + "(\n"):
        with pytest.raises(engine.AnalysisError, match="does not parse"):
            _rounds_of("for i in xrange(3): pass\n")


def test_a_finding_inside_a_planned_point_gets_another_round():
    """The format whose result is sent becomes six.ensure_binary(...): the
    bytes formatted into it (which show as "b'...'" on 3) wait for the next
    round, which rewrites inside the new call; that round is final."""
    text = (
        "import socket\n\nCRLF = b'\\r\\n'\n\n\nclass Conn(object):\n"
        "    def __init__(self, host):\n        self.sock = socket.create_connection((host, 143))\n\n"
        "    def command(self, name):\n        self.sock.sendall('%s%s' % (name, CRLF))\n"
    )
    fixed, calls = _rounds_of(text)
    assert "six.ensure_binary('%s%s' % (name, six.ensure_str(CRLF)), 'latin-1')" in fixed
    assert len(calls) == 2
    assert "six.ensure_binary('%s%s' % (name, CRLF), 'latin-1')" in calls[1]
    assert analyse_text(fixed, frozenset(all_codes()), fix=True).new_text is None


def test_a_bytes_text_fix_that_reveals_nothing_is_final():
    """A planned conversion whose rewritten text the rules already saw (its
    kind is overridden in the round): one analysis, then the parse check."""
    text = "import hashlib\n\n\ndef digest(name):\n    return hashlib.md5(name.encode('utf-8')).hexdigest()\n\n\n" \
           "def key(user):\n    return hashlib.sha1('user:' + digest(user)).hexdigest()\n"
    fixed, calls = _rounds_of(text)
    assert fixed != text
    assert len(calls) == 1
    assert analyse_text(fixed, frozenset(all_codes()), fix=True).new_text is None


def test_the_rules_see_a_planned_fix_in_the_same_round():
    """The literal made bytes by PK406 meets a native string in the sum
    around it: PK409 reports that in the same analysis (scan shows both)."""
    text = 'import struct\n\nname = "hello"\nrecord = struct.pack(">4s", "foo") + name\n'
    codes = [f.code for f in analyse_text(text, frozenset(all_codes())).findings]
    assert codes == ["PK409", "PK406"]
    fixed, calls = _rounds_of(text)
    assert fixed == 'import struct\n\nname = b"hello"\nrecord = struct.pack(">4s", b"foo") + name\n'
    assert len(calls) == 1  # the round saw every fix: it is final


def test_dropped_edits_get_another_round():
    """Overlapping edits: the outer one waits for the next round."""
    fixed, calls = _rounds_of("d = {}\nx = dict(d.iteritems()).has_key(1)\n")
    # the second round applies the outer one; that fix is final
    assert len(calls) == 2
    assert fixed == "import six\nd = {}\nx = 1 in dict(six.iteritems(d))\n"


def test_an_added_import_of_a_vendored_sibling_gets_another_round(tmp_path):
    """``import six`` added next to a vendored ``six.py`` is an implicit
    relative import on 2: the round after the fix makes it explicit, and a
    second fix changes nothing."""
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "six.py").write_text("")
    path = str(package / "mod.py")
    text = "def f(d):\n    return d.iteritems()\n"
    result = analyse_text(text, frozenset(all_codes()), fix=True, path=path)
    assert result.new_text == (
        "from __future__ import absolute_import\nfrom . import six\n"
        "def f(d):\n    return six.iteritems(d)\n"
    )
    assert analyse_text(result.new_text, frozenset(all_codes()), fix=True, path=path).new_text is None
    # without the sibling, the first round is final (the folder's listing is not kept across the change)
    (package / "six.py").unlink()
    fixed, calls = _rounds_of(text, path)
    assert fixed == "import six\ndef f(d):\n    return six.iteritems(d)\n" and len(calls) == 1


def test_an_analysis_leaves_no_cycle_holding_its_trees():
    """Reference counting frees a file's trees and inference as soon as it is
    done: the garbage collector (which would walk every node first) finds no
    node, Kinds or Line of it.  Closures that refer to themselves may remain."""
    import ast
    import gc

    from portkit import kinds

    path = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                        "samples", "wsgiapp", "minishop", "app.py")
    with open(path, "rb") as handle:
        text = source.decode(handle.read()).text
    analyse_text(text, frozenset(all_codes()), fix=True, path=path)  # caches of the worker
    gc.collect()
    enabled = gc.isenabled()
    gc.disable()
    try:
        analyse_text(text, frozenset(all_codes()), fix=True, path=path)
        gc.set_debug(gc.DEBUG_SAVEALL)
        gc.collect()
        garbage = list(gc.garbage)
    finally:
        gc.set_debug(0)
        del gc.garbage[:]
        if enabled:
            gc.enable()
    assert not [o for o in garbage if isinstance(o, (ast.AST, kinds.Kinds, kinds.Universe))]
    assert len(garbage) < 2000, len(garbage)


def test_a_folder_listing_is_kept_only_while_the_folder_is_unchanged(tmp_path, monkeypatch):
    from portkit import imports

    (tmp_path / "a.py").write_text("")
    old = 1_000_000_000
    os.utime(tmp_path, ns=(old, old))
    listed = []
    real = os.listdir
    monkeypatch.setattr(imports.os, "listdir", lambda d: listed.append(d) or real(d))
    assert imports.listing(str(tmp_path)) == {"a.py"}
    assert imports.listing(str(tmp_path)) == {"a.py"} and len(listed) == 1  # kept
    (tmp_path / "b.py").write_text("")  # the folder's mtime changes
    assert imports.listing(str(tmp_path)) == {"a.py", "b.py"} and len(listed) == 2
    assert imports.listing(str(tmp_path)) == {"a.py", "b.py"} and len(listed) == 3  # too recent to keep
    assert imports.listing(str(tmp_path / "missing")) is None


@pytest.mark.parametrize("text", [
    "a.b(c_d, 2re) # print\n",
    "x = u'caf\\xe9'  # na\u00efve re\n",
    "print>>sys.stderr, 'x'\nexec'code'\nif a<>b: pass\n",
    "\u2014print\u2014 re.compile(x)\n",
    "",
])
def test_identifiers_yield_every_word_a_word_search_finds(text):
    """The needles prefilter relies on it: wherever ``\\bX\\b`` matches an
    identifier X, ``identifiers`` yields X (the ASCII fast path too)."""
    import re

    from portkit.context import identifiers

    words = identifiers(text)
    for match in re.finditer(r"[A-Za-z_][A-Za-z0-9_]*", text):
        word = match.group()
        if re.search(r"\b%s\b" % word, text):
            assert word in words, word


def test_a_package_goes_to_one_worker_and_the_output_stays_the_same(tmp_path, monkeypatch):
    """The files of a project whose modules the bytes/text rules read for each
    other go to the pool as one task (``concurrency._batches``), the other files
    one by one; with the pool or without, the results and the fixes are the same."""
    import shutil

    from portkit import concurrency

    samples = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "samples")
    for name in ("httpclient", "wsgiapp"):
        shutil.copytree(os.path.join(samples, name), str(tmp_path / name))
    for i in range(3):
        write(tmp_path / ("m%02d.py" % i), PY2_CODE.encode())
    paths = sorted(str(p) for p in tmp_path.rglob("*.py"))
    todo = [(path, None) for path in paths]
    sizes = {path: os.path.getsize(path) for path in paths}
    from portkit.kinds import project_root

    for workers, cap in ((1, 9), (2, 8), (64, 8)):  # a share of the work: len(todo) // (4 * workers), at least 8
        batches = concurrency._batches(todo, sizes, SCAN, workers)
        assert sorted(path for batch in batches for path, _ in batch) == paths
        roots = {}
        for batch in batches:
            assert len(batch) <= cap and len({project_root(path) for path, _ in batch}) == 1
            roots.setdefault(project_root(batch[0][0]), []).append(len(batch))
        # each project (httpclient 16 files, wsgiapp 19, the loose modules 3) in as few tasks as the cap allows
        assert sorted(sorted(counts) for counts in roots.values()) == sorted(
            sorted([cap] * (n // cap) + ([n % cap] if n % cap else [])) for n in (3, 16, 19)), roots
    assert all(len(batch) == 1 for batch in concurrency._batches(todo, sizes, Settings(codes=frozenset(["PK202"])), 2))

    monkeypatch.setattr(concurrency, "SERIAL_BYTES", 0)  # the pool, even for these few files
    for settings in (SCAN, Settings(codes=ALL, fix=True, diff=True)):
        one, diffs_one = run(paths, settings, jobs=1)
        two, diffs_two = run(paths, settings, jobs=2)
        assert [(r.path, r.findings, r.error) for r in one] == [(r.path, r.findings, r.error) for r in two]
        assert diffs_one == diffs_two
    assert any(r.findings for r in one) and diffs_one
