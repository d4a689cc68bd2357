"""The bytes/text kind inference (portkit.kinds) and the flow planner of the PK4 fixers."""
from __future__ import annotations

import ast
import textwrap

import pytest

from portkit import kinds as K
from portkit import lift as lift_stage
from portkit.analysis import Walk
from portkit.context import FileContext
from portkit.engine import analyse_text
from portkit.positions import LineIndex, apply_edits
from portkit.registry import all_codes


def context(source, path=""):
    text = textwrap.dedent(source)
    if lift_stage.may_need_lift(text):
        text = apply_edits(text, lift_stage.lift(text).edits)
    tree = ast.parse(text)
    return FileContext(text, tree, Walk(tree, ()), LineIndex(text), path)


def kind_at(source, marker="RESULT", path=""):
    """The value of the expression assigned to ``marker`` (its last assignment)."""
    ctx = context(source, path)
    node = None
    for stmt in ast.walk(ctx.tree):
        if isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) and t.id == marker for t in stmt.targets):
            node = stmt.value
    assert node is not None, "no %s = ... in the source" % marker
    return K.kind_of(ctx, node)


def label(source, marker="RESULT"):
    value = kind_at(source, marker)
    if isinstance(value, K.Str):
        return value.label
    if isinstance(value, K.Mixed):
        return "+".join(sorted(value.labels))
    return value.label


# -- evidence ---------------------------------------------------------------
@pytest.mark.parametrize("source,expected", [
    ("RESULT = b'x'", K.BYTES),
    ("RESULT = u'x'", K.TEXT),
    ("RESULT = 'x'", K.NATIVE),
    ("from __future__ import unicode_literals\nRESULT = 'x'", K.TEXT),
    ("RESULT = 'a' u'b'", K.TEXT),
    ("RESULT = u'x'.encode('utf-8')", K.BYTES),
    ("RESULT = b'x'.decode('utf-8')", K.TEXT),
    ("RESULT = unicode(5)", K.TEXT),
    ("import six\nRESULT = six.text_type(5)", K.TEXT),
    ("import six\nRESULT = six.ensure_binary(u'x')", K.BYTES),
    ("import six\nRESULT = six.ensure_str(b'x')", K.NATIVE),
    ("RESULT = str(3)", K.NATIVE),
    ("RESULT = '%d items' % 3", K.NATIVE),
    ("RESULT = '%s!' % u'x'", K.TEXT),
    ("RESULT = 'a' + u'b'", K.TEXT),
    ("RESULT = 'a' + b'b'", K.BYTES),
    ("RESULT = u', '.join(['a', 'b'])", K.TEXT),
    ("RESULT = b''.join([])", K.BYTES),
    ("import hashlib\nRESULT = hashlib.sha1(b'x').digest()", K.BYTES),
    ("import hashlib\nRESULT = hashlib.sha1(b'x').hexdigest()", K.NATIVE),
    ("import base64\nRESULT = base64.b64encode(b'x')", K.BYTES),
    ("import os\nRESULT = os.urandom(4)", K.BYTES),
    ("import json\nRESULT = json.dumps({})", K.NATIVE),
    ("import urllib\nRESULT = urllib.quote('a b')", K.NATIVE),
    ("import six\nRESULT = six.moves.urllib.parse.quote('a b')", K.NATIVE),
    ("import uuid\nRESULT = uuid.uuid4().hex", K.NATIVE),
    ("import uuid\nRESULT = uuid.uuid4().bytes", K.BYTES),
    ("import struct\nRESULT = struct.pack('>I', 1)", K.BYTES),
    ("import zlib\nRESULT = zlib.compress(b'x')", K.BYTES),
    ("RESULT = open('f', 'rb').read()", K.BYTES),
    ("RESULT = open('f').read()", K.NATIVE),
    ("import io\nRESULT = io.open('f', encoding='utf-8').read()", K.TEXT),
    ("import io\nRESULT = io.BytesIO(b'x').getvalue()", K.BYTES),
    ("RESULT = u'x'.upper().strip()", K.TEXT),
    ("RESULT = b'a,b'.split(b',')[0]", K.BYTES),
    ("RESULT = 'x'.encode('hex')", K.NATIVE),
])
def test_evidence(source, expected):
    assert label(source) == expected


def test_reasons_are_quotable():
    value = kind_at("x = 1\nRESULT = u'caf\\xe9'\n")
    assert value.describe() == "TEXT (u'' literal at line 2)"
    value = kind_at("import hashlib\nRESULT = hashlib.sha1(b'x').digest()\n")
    assert value.reason == "result of hashlib.sha1().digest()"


def test_portable_and_ascii():
    assert kind_at("import json\nRESULT = json.dumps({})").ascii
    assert kind_at("RESULT = '%d-%d' % (1, 2)").ascii
    value = kind_at("def f(environ, start_response):\n    RESULT = environ['PATH_INFO']\n")
    assert value.label == K.NATIVE and value.latin1 and not value.portable


# -- WSGI -------------------------------------------------------------------------
def test_environ_values():
    source = """
    def app(environ, start_response):
        RESULT = environ.get('QUERY_STRING', '')
        BODY = environ['wsgi.input'].read()
        return []
    """
    value = kind_at(source)
    assert value.label == K.NATIVE and "PEP 3333" in value.reason
    assert kind_at(source, "BODY").label == K.BYTES


def test_calling_an_application_gives_bytes():
    source = """
    def run(app, environ):
        def start_response(status, headers):
            pass
        RESULT = b''.join(app(environ, start_response))
        CHUNKS = app(environ, start_response)
    """
    value = kind_at(source, "CHUNKS")
    assert isinstance(value, K.Seq) and value.item.label == K.BYTES


# -- flow -------------------------------------------------------------------------
def test_join_of_assignments_is_mixed():
    source = """
    def f(flag):
        if flag:
            x = b'a'
        else:
            x = u'b'
        RESULT = x
    """
    value = kind_at(source)
    assert isinstance(value, K.Mixed) and set(value.labels) == {K.BYTES, K.TEXT}
    assert "BYTES or TEXT" in value.describe() or "TEXT or BYTES" in value.describe()


def test_unconditional_assignment_hides_earlier_ones():
    source = """
    def f():
        x = u'a'
        x = b'b'
        RESULT = x
    """
    assert label(source) == K.BYTES


def test_isinstance_coercion():
    source = """
    def want_bytes(s):
        if isinstance(s, unicode):
            s = s.encode('utf-8')
        return s

    RESULT = want_bytes(u'x')
    """
    assert label(source) == K.BYTES


def test_isinstance_raise_narrows():
    source = """
    def write(data):
        if isinstance(data, unicode):
            raise TypeError('bytes only')
        RESULT = data
    """
    assert label(source) == K.BYTES


def test_augmented_assignment_in_loop():
    source = """
    def f(items):
        out = u''
        for item in items:
            out += u'<li>%s</li>' % item
        RESULT = out
    """
    assert label(source) == K.TEXT


def test_parameters_from_call_sites():
    source = """
    def f(a):
        RESULT = a

    f(u'x')
    f(u'y')
    """
    assert label(source) == K.TEXT


def test_parameter_escaping_is_unknown():
    source = """
    def f(a):
        RESULT = a

    callbacks = [f]
    """
    assert kind_at(source).label == K.UNKNOWN


def test_self_attributes_and_properties():
    source = """
    class R(object):
        def __init__(self):
            self.data = b''
        def feed(self, chunk):
            self.data += chunk
        def _get(self):
            return self.data
        value = property(_get)
        @property
        def text(self):
            return self.data.decode('utf-8')

    r = R()
    r.feed(b'x')
    RESULT = r.value
    TEXT = r.text
    """
    assert label(source) == K.BYTES
    assert label(source, "TEXT") == K.TEXT


def test_version_branches_are_native():
    source = """
    import six

    def wsgi_str(text):
        data = text.encode('utf-8')
        if six.PY2:
            return data
        return data.decode('latin-1')

    RESULT = wsgi_str(u'x')
    """
    assert label(source) == K.NATIVE


def test_exception_binding_stays_in_its_handler():
    source = """
    class A(Exception):
        def __init__(self):
            self.payload = b'x'

    class B(Exception):
        pass

    def f():
        try:
            pass
        except B as e:
            pass
        except A as e:
            RESULT = e.payload
    """
    assert label(source) == K.BYTES


# -- across modules -----------------------------------------------------------------
@pytest.fixture
def project(tmp_path):
    package = tmp_path / "shop"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "util.py").write_text(textwrap.dedent("""
        import base64, hashlib

        def digest(body):
            return base64.b64encode(hashlib.md5(body).digest())

        def text_response(message):
            return Response(message)

        class Response(object):
            def __init__(self, body=''):
                self.body = body
            def __call__(self, environ, start_response):
                start_response('200 OK', [('Content-MD5', digest(self.body))])
                return [self.body]
        """))
    (package / "views.py").write_text(textwrap.dedent("""
        from util import text_response, digest

        def page(environ):
            return text_response(u'gone\\n')

        RESULT = digest(b'x')
        """))
    return package


def test_cross_module_values(project):
    views = str(project / "views.py")
    ctx = context(open(views).read(), views)
    node = [n for n in ast.walk(ctx.tree) if isinstance(n, ast.Assign)][-1].value
    assert K.kind_of(ctx, node).label == K.BYTES
    util = str(project / "util.py")
    ctx = context(open(util).read(), util)
    message = [n for n in ast.walk(ctx.tree) if isinstance(n, ast.Name) and n.id == "message"
               and isinstance(n.ctx, ast.Load)][0]
    value = K.kind_of(ctx, message)
    assert value.label == K.TEXT and "passed as message" in value.reason


def test_cross_module_fixes_land_where_the_kind_is_known(project):
    util = str(project / "util.py")
    result = analyse_text(open(util).read(), frozenset(all_codes()), fix=True, path=util)
    text = result.new_text
    # the header value is fixed inside digest(), whose every caller can take a native str
    assert "return six.ensure_str(base64.b64encode(hashlib.md5(body).digest()))" in text
    # the body holds TEXT (from views.py) or NATIVE (the default): one conversion where it is needed
    assert "return [six.ensure_binary(self.body)]" in text


def test_project_is_found_from_the_path(project):
    found = K.project_for(str(project / "views.py"))
    assert found is not None and {"shop", "shop.util", "shop.views"} <= set(found.paths)
    assert K.project_for("") is None


def test_analysis_is_memoised():
    ctx = context("RESULT = b'x'\n")
    assert K.analysis(ctx) is K.analysis(ctx)
    assert ctx.cache["pk4.kinds"] is K.analysis(ctx)


def test_describe_unknown():
    assert K.describe(K.Unknown("parameter x")) == "UNKNOWN (parameter x)"
    assert K.describe(None) == "UNKNOWN"


# -- module scope: a method does not bind a module-level name -------------------------------
def test_method_name_does_not_shadow_module_import():
    source = """
    try:
        import simplejson as json
    except ImportError:
        import json

    class Response(object):
        def json(self):
            return json.loads('{}')

    RESULT = json.dumps({})
    """
    assert label(source) == K.NATIVE


def test_basestring_narrowing_is_native_or_text():
    source = """
    def f(params):
        if isinstance(params, basestring):
            return params
        return None

    RESULT = f('a=1')
    """
    value = kind_at(source)
    assert isinstance(value, (K.Str, K.Mixed))


@pytest.mark.parametrize("old,new", [
    ("basestring", "(six.binary_type, six.text_type)"),  # what PK204 writes
    ("types.StringType", "str"),  # what PK245 writes
])
def test_the_rewritten_isinstance_types_narrow_like_the_python2_ones(old, new):
    """A fix that spells an isinstance() type the Python 3 way keeps every
    kind the rules see (the fix needs no second analysis round)."""
    source = """
    import six, types

    def f(params):
        if isinstance(params, %s):
            RESULT = params
    """
    before, after = kind_at(source % old), kind_at(source % new)
    assert type(before) is type(after) and isinstance(before, (K.Str, K.Mixed))
    assert [(s.label, s.portable) for s in K.strings_of(before)] == [(s.label, s.portable) for s in K.strings_of(after)]


# -- cycles: results do not depend on the order of queries ---------------------
def test_a_def_after_the_use_in_a_loop_does_not_reach_it_through_a_kill():
    source = """
    def items(data):
        for k in data:
            if isinstance(k, bytes):
                RESULT = k
                k = k.decode('utf-8')
    """
    assert label(source) == K.BYTES


def test_a_def_after_the_use_in_a_loop_reaches_it_without_a_kill():
    source = """
    def loop(data):
        x = b'start'
        for _ in data:
            RESULT = x
            x = x.decode('ascii')
    """
    assert label(source) == "BYTES+TEXT"


CYCLIC = """
import struct

class Record(object):
    def __init__(self, tags):
        self.tags = [str(t) for t in tags]

def pack(record):
    tags = ','.join(record.tags)
    return struct.pack('>H', len(tags)) + tags

def unpack(data):
    tags = data[2:]
    if tags:
        tags = tags.split(',')
    else:
        tags = []
    again = pack(Record(tags))
    return Record(again.split(','))

def load(path):
    with open(path, 'rb') as handle:
        return unpack(handle.read())

def walk(node, seen):
    while node is not None:
        seen = seen + node.name
        node = walk(node.next, seen)
    return seen
"""


def _every_load(ctx, order):
    kinds = K.analysis(ctx)
    names = [n for n in ast.walk(ctx.tree) if isinstance(n, (ast.Name, ast.Attribute, ast.Call))]
    if order == "reversed":
        names.reverse()
    elif order == "calls first":
        names.sort(key=lambda n: not isinstance(n, ast.Call))
    # An UNKNOWN's reason may come from either round of its cycle: only its label counts.
    return {(n.lineno, n.col_offset, n.end_lineno, n.end_col_offset, type(n).__name__):
            K.UNKNOWN if isinstance(kinds.value(n), K.Unknown) else K.describe(kinds.value(n))
            for n in names}


@pytest.mark.parametrize("order", ["reversed", "calls first"])
def test_values_do_not_depend_on_the_order_of_queries(order):
    """Values met inside cycles (a parameter fed by a call in a function it
    calls, a loop, mutual recursion) are gone round to a fixed point and
    memoised with their cycle, so asking in another order gives the same."""
    expected = _every_load(context(CYCLIC), "walk")
    assert any("BYTES" in text for text in expected.values())
    assert _every_load(context(CYCLIC), order) == expected


@pytest.mark.parametrize("name", ["records.py", "chunks.py"])
def test_sample_values_do_not_depend_on_the_order_of_queries(name):
    import os
    path = os.path.join(os.path.dirname(__file__), "..", "samples", "streamproc", "streamproc", name)
    with open(path) as handle:
        text = handle.read()
    expected = _every_load(context(text, path), "walk")
    assert _every_load(context(text, path), "reversed") == expected
    assert _every_load(context(text, path), "calls first") == expected


def test_a_worker_keeps_no_analysis_alive_in_the_modules_it_caches():
    """The contexts of the other modules of a package are kept by a worker
    for the next files; nothing of one file's analysis (its Universe, its
    Kinds and their memoised values) may stay reachable from them, or a
    worker holds two analyses of the whole package at once."""
    import gc
    import os

    root = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "samples", "wsgiapp", "minishop")
    path = os.path.join(root, "app.py")
    with open(path) as handle:
        text = handle.read()
    analyse_text(text, frozenset(all_codes()), path=path)
    cached = [light for _, light in K._SOURCES.values() if light is not None]
    assert cached, "the analysis looked into the package's other modules"
    # everything reachable from their caches, AST nodes not entered
    seen, todo, held = set(), [light.cache for light in cached], []
    while todo:
        obj = todo.pop()
        if id(obj) in seen or isinstance(obj, (ast.AST, str, bytes, int)):
            continue
        seen.add(id(obj))
        if isinstance(obj, (K.Kinds, K.Universe)):
            held.append(obj)
            continue
        todo.extend(gc.get_referents(obj))
    assert held == [], "a cached module context keeps an analysis alive: %s" % held[:3]


def _sample_sources(sample):
    """``(paths, {path: text})`` of the ``.py`` files of ``samples/<sample>``."""
    import glob
    import os

    root = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "samples", sample)
    paths = sorted(glob.glob(os.path.join(root, "**", "*.py"), recursive=True))
    texts = {}
    for path in paths:
        with open(path) as handle:
            texts[path] = handle.read()
    return paths, texts


def _analyse_each(order, texts, fix, fresh):
    """``{path: (findings, fixed text)}`` of the files analysed in ``order`` in
    this process; with ``fresh``, each as the first file of its process."""
    codes = frozenset(all_codes())
    found = {}
    for path in order:
        if fresh:
            K._SOURCES.clear()
            K._PROJECTS.clear()
        result = analyse_text(texts[path], codes, fix=fix, path=path)
        found[path] = (result.findings, result.new_text)
    return found


@pytest.mark.parametrize("sample", ["httpclient", "wsgiapp"])
def test_a_package_modules_sinks_are_searched_once_per_process(monkeypatch, sample):
    """The sinks of the other modules of a package are kept for the next file
    of the package (``Universe.shared_key``), and the engine takes the tree
    and walk of a module already read for another file instead of parsing it
    again (``kinds.reading_of``): each file's findings and fixes are still
    exactly those of an analysis in a fresh process, and a scan searches each
    module's sinks once or twice, not once per file."""
    from fixers import bytes_flow
    from portkit import engine

    paths, texts = _sample_sources(sample)
    searched = []
    find_sinks = bytes_flow._find_sinks

    def counting(kinds):
        if kinds is not kinds.universe.current:
            searched.append(kinds.dotted)
        return find_sinks(kinds)

    monkeypatch.setattr(bytes_flow, "_find_sinks", counting)
    reused = []
    reading_of = engine._reading_of

    def counting_readings(path, text):
        reading = reading_of(path, text)
        if reading is not None:
            reused.append(path)
        return reading

    monkeypatch.setattr(engine, "_reading_of", counting_readings)

    def results(fix, fresh):
        return _analyse_each(paths, texts, fix, fresh)

    for fix in (False, True):
        del searched[:]
        del reused[:]
        fresh = results(fix, fresh=True)
        unshared = len(searched)
        assert not reused  # each file is the first one of its process
        del searched[:]
        assert results(fix, fresh=False) == fresh
        assert len(reused) >= len(paths) // 2  # each file read once, for another one or for itself
        assert any(found for found, _ in fresh.values())
        if not fix:
            assert len(searched) < unshared
            if sample == "wsgiapp":  # once per module
                assert max(searched.count(name) for name in searched) == 1, sorted(searched)
            # (samples/httpclient reads sockets: the sure decodes of its reads
            # that are installed depend on the modules around the current file,
            # and are part of the key)
            before = len(searched)
            results(fix, fresh=False)
            assert len(searched) == before, "nothing changed: every other module's sinks were kept"


class _CountingStore(dict):
    """A shared store of values (Universe.shared_values) that counts its hits."""

    hits = 0

    def get(self, key, default=None):
        found = dict.get(self, key, default)
        if found is not None:
            _CountingStore.hits += 1
        return found


@pytest.mark.parametrize("sample", ["httpclient", "microframe", "signedtokens", "streamproc", "wsgiapp"])
def test_a_package_modules_values_are_shared_within_a_process(monkeypatch, sample):
    """The settled values of the other modules of a package are shared by the
    analyses of the next files of the package (``Universe.shared_values``):
    in either order, each file's findings and fixes are exactly those of an
    analysis in a fresh process, and later files take values from the store."""
    paths, texts = _sample_sources(sample)
    shared_values = K.Universe.shared_values

    def counting(universe, kinds):
        found = shared_values(universe, kinds)
        if found is None:
            return None
        if not isinstance(found, _CountingStore):  # the same dict object stays in the module's cache
            store = kinds.ctx.cache["pk4.values"]
            key = next(k for k, v in store.items() if v is found)
            found = store[key] = _CountingStore(found)
        return found

    monkeypatch.setattr(K.Universe, "shared_values", counting)

    for fix in (False, True):
        expected = _analyse_each(paths, texts, fix, fresh=True)
        assert any(found for found, _ in expected.values())
        for order in (paths, paths[::-1]):
            K._SOURCES.clear()
            K._PROJECTS.clear()
            _CountingStore.hits = 0
            assert _analyse_each(order, texts, fix, fresh=False) == expected
            assert _CountingStore.hits > 0
    K._SOURCES.clear()
    K._PROJECTS.clear()


def test_only_values_that_point_at_no_analysis_are_portable():
    text = K.Str(K.TEXT, "u'' literal")
    assert K.portable(text)
    assert K.portable(K.Mixed((text, K.Str(K.BYTES, "b'' literal"))))
    assert K.portable(K.Seq(K.Tup([text, K.Other("int")])))
    assert K.portable(K.Map(text, K.Unknown("x"), keys={"a": text}))
    assert K.portable(K.Obj(type="socket"))
    assert not K.portable(K.Obj(type="struct", extra=(ast.Constant("<H"), None)))
    assert not K.portable(K.Seq(K.Func(node=ast.Pass(), owner=object())))
    assert not K.portable(K.Map(text, K.Obj(cls=ast.ClassDef(), owner=object())))
    assert not K.portable(K.Mod.__new__(K.Mod))


def test_values_that_point_at_lasting_readings_are_re_owned_by_the_next_analysis():
    """A value that points at a module's class or function is kept for other
    analyses only when that module's tree is a reading that outlives this
    analysis; another analysis takes it with its own module of the same name,
    and only when that module is the same reading."""
    tree = ast.parse("def f(): pass")
    func = tree.body[0]

    class Module:
        def __init__(self, dotted, tree, lasting):
            self.dotted, self.tree, self._lasting = dotted, tree, lasting

        def lasting_tree(self):
            return self.tree if self._lasting else None

    class Analysis:
        def __init__(self, *modules):
            self.modules = {m.dotted: m for m in modules}

        def module(self, dotted):
            return self.modules.get(dotted)

    text = K.Str(K.NATIVE, "'' literal")
    assert K.detach(text) is text  # nothing to re-own
    assert K.detach(K.Func(node=func, owner=Module("pkg.a", tree, lasting=False))) is None
    kept = K.detach(K.Seq(K.Func(node=func, owner=Module("pkg.a", tree, lasting=True), reason="function f")))
    assert isinstance(kept, K._Detached)
    there = Module("pkg.a", tree, lasting=True)
    moved = kept.attach(Analysis(there))
    assert isinstance(moved, K.Seq) and moved.item.owner is there and moved.item.node is func
    assert kept.attach(Analysis(Module("pkg.a", ast.parse("def f(): pass"), lasting=True))) is None
    assert kept.attach(Analysis()) is None
