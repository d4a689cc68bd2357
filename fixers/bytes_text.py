"""Bytes and text: APIs that need bytes, byte codecs, bytes shown as text, mixed kinds,
StringIO, bytes indexing, native strings that must stay native, csv.

The flow rules (PK406, PK410's writes, PK411, PK413, PK421) share the planner
of :mod:`fixers.bytes_flow`; the others look at one expression with the
kinds of :mod:`portkit.kinds` (as they will be once the planned fixes are
applied, so that fixing twice changes nothing).
"""
from __future__ import annotations

import ast
import re

from fixers import bytes_flow as flow
from portkit import kind_table as table
from portkit import kinds as K
from portkit.fixer import Example, Fixer
from portkit.fixutil import SIX, replace_statement
from portkit.model import ImportRequest
from portkit.registry import register

BINASCII = ImportRequest("binascii")
CODECS = ImportRequest("codecs")
IO = ImportRequest("io")


def planned_kinds(ctx):
    """The current module's Kinds, with the planned flow fixes taken as done."""
    flow.plan(ctx)
    return K.analysis(ctx)


def kinds_after_plan(ctx):
    """The current module's Kinds, with the flow fixes and the literal fixes of the
    mixing rules (PK404/PK408/PK409/PK422) taken as done."""
    flow.plan(ctx)
    return K.analysis(ctx)


def value_of(ctx, node):
    return kinds_after_plan(ctx).value(node)


def claimed(ctx, node) -> bool:
    """Is ``node`` a point that a flow fixer rewrites, or inside one?  (A
    node around a point is not claimed: its kind is the fixed one, and the
    rules may go on from there in the same round.)  A rule asks only where
    it has a finding to report, which then waits for the next round of
    ``portkit fix``, on the rewritten text: the round is unsettled."""
    planner = flow.plan(ctx)
    current = K.analysis(ctx)
    start, stop = ctx.span(node)
    for point in planner.points:
        if point.owner is not current:
            continue
        a, b = ctx.span(point.node)
        if a <= start and stop <= b:
            ctx.unsettle()
            return True
    return False


def literal_prefix(ctx, node, prefix):
    return flow._literal_prefix_change(ctx, node, prefix)


def atom(ctx, node):
    return flow._atom(ctx, node)


def _is_literal(node):
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _repeat_literal(node):
    """``'=' * n`` → the ``'='`` constant."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult):
        for side in (node.left, node.right):
            if _is_literal(side):
                return side
    return None


def literal_edits(ctx, node, prefix="b"):
    """Edits giving the literal(s) that ``node`` is (or that a constant name is only ever
    assigned, ``MAGIC = 'SPRC'``) the ``prefix``; None when that is not possible."""
    literal = node if _is_literal(node) else _repeat_literal(node)
    literals = [literal] if literal is not None else planned_kinds(ctx).literal_defs(node)
    if not literals:
        return None
    if literal is None and _used_as_text(ctx, node):
        return None
    current = K.analysis(ctx)
    edits = []
    for lit in literals:
        if not current.owns(lit) or not isinstance(lit.value, str):
            return None
        new = literal_prefix(ctx, lit, prefix)
        if new is None:
            return None
        edits.append(ctx.replace(lit, new))
    return edits


def _used_as_text(ctx, name_node) -> bool:
    """Is the constant ``name_node`` names also used with native or text strings
    (``CRLF.join(lines)`` as well as ``data != CRLF``)?  Then it must stay native."""
    kinds = planned_kinds(ctx)
    scope = kinds.scope_of(name_node.id, name_node)
    for load in kinds.loads_by_name.get(name_node.id, ()):
        if kinds.scope_of(name_node.id, load) is not scope:
            continue
        parent = ctx.parent(load)
        peers = []
        if isinstance(parent, ast.BinOp):
            peers = [parent.right if parent.left is load else parent.left]
        elif isinstance(parent, ast.Compare):
            peers = [n for n in [parent.left] + parent.comparators if n is not load]
        elif isinstance(parent, ast.Attribute) and parent.value is load:
            call = ctx.parent(parent)
            if isinstance(call, ast.Call) and call.func is parent:
                peers = list(call.args)
                if parent.attr == "join" and call.args:
                    item = K.element_of(kinds.value(call.args[0]))
                    if isinstance(item, K.Str) and item.label != K.BYTES:
                        return True
                    peers = []
        for peer in peers:
            value = kinds.value(peer)
            if isinstance(value, K.Str) and value.label != K.BYTES and not _is_literal(peer):
                return True
    return False


def to_bytes_edit(ctx, node, value):
    """An edit making ``node`` (NATIVE or TEXT, sure) BYTES exactly, or None."""
    if isinstance(node, ast.Name):
        edits = literal_edits(ctx, node)
        if edits and len(edits) == 1:
            return edits[0], "make %s a b'' literal where it is assigned" % node.id, ()
    literal = node if _is_literal(node) else _repeat_literal(node)
    if literal is not None:
        new = literal_prefix(ctx, literal, "b")
        if new is not None:
            return ctx.replace(literal, new), "make %s a b'' literal" % K.brief(ctx, literal), ()
        return None
    if isinstance(value, K.Str) and value.label == K.NATIVE:
        if value.ascii:
            return ctx.replace(node, "%s.encode('ascii')" % atom(ctx, node)), "encode it (ASCII)", ()
        if value.latin1 and not value.portable:
            return (ctx.replace(node, "six.ensure_binary(%s, 'latin-1')" % ctx.source(node)),
                    "recover its raw bytes with six.ensure_binary(..., 'latin-1') (PEP 3333)", (SIX,))
        if value.portable:
            return ctx.replace(node, "six.ensure_binary(%s)" % ctx.source(node)), "wrap it in six.ensure_binary()", (
                SIX,)
    return None


# ---------------------------------------------------------------------------
# Flow rules
# ---------------------------------------------------------------------------
@register
class BytesApi(flow.FlowFixer):
    code = flow.BYTES_API
    name = "bytes-api-arg"
    summary = "text or a native str passed to an API that needs bytes (hashlib, hmac, base64, zlib, sockets ...)"
    explanation = """
    What it does: follows what is passed to APIs that take bytes —
    ``hashlib.*()`` and ``.update()``, ``hmac.new()``, ``base64`` and
    ``binascii`` encoders, ``zlib``, ``struct.unpack``, socket ``send``,
    binary files' ``write``, the ``data`` of ``urllib2.Request`` /
    ``urlopen`` — back to where its kind is known, and converts it there:
    TEXT is encoded (``.encode('utf-8')``), a plain ASCII literal becomes
    ``b''``, a NATIVE value of known ASCII content (``'%d-%d' % ...``,
    ``json.dumps()``, ``urlencode()``) is encoded, a ``%``-format that mixes
    in BYTES becomes a bytes format.

    Why: Python 2 accepts ``str`` (and ASCII ``unicode``) there; Python 3
    raises ``TypeError: Unicode-objects must be encoded before hashing`` /
    ``a bytes-like object is required``.

    Fix safety: every conversion gives 2.7 the very same ``str``.  A NATIVE
    value of unknown content (a parameter nobody in the project calls) is
    reported: ``six.ensure_binary(x)`` would be right only if it holds UTF-8.
    """
    examples = (
        Example(
                'import hashlib\n'
                '\n'
                'def app(environ, start_response):\n'
                "    tag = hashlib.md5(environ['PATH_INFO']).hexdigest()\n"
                "    start_response('200 OK', [('ETag', tag)])\n"
                "    return [b'']\n",
                'import hashlib\n'
                'import six\n'
                '\n'
                'def app(environ, start_response):\n'
                "    tag = hashlib.md5(six.ensure_binary(environ['PATH_INFO'], 'latin-1')).hexdigest()\n"
                "    start_response('200 OK', [('ETag', tag)])\n"
                "    return [b'']\n",
                title="In a WSGI application"),
        Example("import hashlib\n\ndef page_etag(page):\n    return hashlib.sha1(u'v1:' + page).hexdigest()\n\n"
                "TAG = page_etag(u'<h1>Caf\\xe9</h1>')\n",
                "import hashlib\n\ndef page_etag(page):\n"
                "    return hashlib.sha1((u'v1:' + page).encode('utf-8')).hexdigest()\n\n"
                "TAG = page_etag(u'<h1>Caf\\xe9</h1>')\n",
                title="TEXT is encoded"),
        Example("import hashlib\n\ndef revision_tag(id, revision):\n"
                "    return hashlib.md5('%d-%d' % (id, revision)).hexdigest()\n",
                "import hashlib\n\ndef revision_tag(id, revision):\n"
                "    return hashlib.md5(('%d-%d' % (id, revision)).encode('ascii')).hexdigest()\n",
                title="A NATIVE string of digits: encoding it is exact on 2"),
        Example("import hmac, hashlib\n\ndef sign(key, value):\n"
                "    return hmac.new(key, value, hashlib.sha1).hexdigest()\n\nSIG = sign('secret', 'payload')\n",
                "import hmac, hashlib\n\ndef sign(key, value):\n"
                "    return hmac.new(key, value, hashlib.sha1).hexdigest()\n\nSIG = sign(b'secret', b'payload')\n",
                title="Literals passed through a parameter become b'' where they are written"),
        Example("import zlib\n\ndef pack(data):\n    return zlib.compress(data)\n", None,
                title="A parameter nobody calls: UNKNOWN, reported", findings=("PK406",)),
    )


@register
class QuoteText(flow.FlowFixer):
    code = flow.QUOTE
    name = "quote-text"
    summary = "urllib quote() of text that may be non-ASCII"
    explanation = """
    What it does: ``urllib.quote(x)`` (under any spelling:
    ``six.moves.urllib.parse.quote``, ``quote_plus``) where ``x`` is TEXT
    that is not known to be ASCII gets ``x.encode('utf-8')``.

    Why: Python 2's ``quote`` raises ``KeyError`` on non-ASCII ``unicode``;
    Python 3 encodes text as UTF-8 itself.  Quoting the UTF-8 bytes gives
    the same result on both.

    Fix safety: exact; ASCII text quotes the same either way.
    """
    examples = (
        Example(
                'import urllib\n'
                '\n'
                'def app(environ, start_response):\n'
                "    name = u'caf\\xe9'\n"
                "    start_response('302 Found', [('Location', '/t/' + urllib.quote(name))])\n"
                "    return [b'']\n",
                'import six\n'
                '\n'
                'def app(environ, start_response):\n'
                "    name = u'caf\\xe9'\n"
                "    start_response('302 Found', [('Location', '/t/' + six.moves.urllib.parse.quote(name.encode('utf-8')))])\n"
                "    return [b'']\n",
                title="In a WSGI application"),
        Example("import urllib\n\ndef link(name):\n    return '/tag/' + urllib.quote(name)\n\nX = link(u'caf\\xe9')\n",
                "import six\n\ndef link(name):\n    return '/tag/' + six.moves.urllib.parse.quote("
                "name.encode('utf-8'))\n\nX = link(u'caf\\xe9')\n"),
        Example("from six.moves.urllib.parse import quote\n\ndef link(path):\n"
                "    return quote(path.encode('utf-8'))\n", None, title="Already encoded"),
    )


@register
class CookieValue(flow.FlowFixer):
    code = flow.COOKIE
    name = "cookie-native"
    summary = "bytes given to Cookie.SimpleCookie / http.cookies"
    explanation = """
    What it does: values stored in a ``SimpleCookie`` (``cookie[name] =
    value``) and strings given to ``SimpleCookie(...)`` / ``.load(...)`` are
    followed back to where they are made; BYTES become
    ``six.ensure_str(...)`` (e.g. a base64 token).

    Why: ``http.cookies`` on 3 works on ``str``: a bytes value is stored as
    the text ``"b'...'"`` and never comes back.  On 2 the module works on
    native ``str``.

    Fix safety: ``six.ensure_str`` returns a 2.7 ``str`` unchanged.
    """
    examples = (
        Example(
                'import base64\n'
                'import Cookie\n'
                '\n'
                'def app(environ, start_response):\n'
                '    jar = Cookie.SimpleCookie()\n'
                "    jar['who'] = base64.urlsafe_b64encode(u'Zo\\xeb'.encode('utf-8'))\n"
                "    start_response('200 OK', [('Set-Cookie', jar['who'].OutputString())])\n"
                "    return [b'']\n",
                'import base64\n'
                'from six.moves import http_cookies as Cookie\n'
                'import six\n'
                '\n'
                'def app(environ, start_response):\n'
                '    jar = Cookie.SimpleCookie()\n'
                "    jar['who'] = six.ensure_str(base64.urlsafe_b64encode(u'Zo\\xeb'.encode('utf-8')))\n"
                "    start_response('200 OK', [('Set-Cookie', jar['who'].OutputString())])\n"
                "    return [b'']\n",
                title="In a WSGI application"),
        Example("import base64\nimport Cookie\n\ndef remember(name):\n    jar = Cookie.SimpleCookie()\n"
                "    jar['who'] = base64.urlsafe_b64encode(name.encode('utf-8'))\n    return jar.output()\n",
                "import base64\nfrom six.moves import http_cookies as Cookie\nimport six\n\ndef remember(name):\n"
                "    jar = Cookie.SimpleCookie()\n"
                "    jar['who'] = six.ensure_str(base64.urlsafe_b64encode(name.encode('utf-8')))\n"
                "    return jar.output()\n"),
    )


@register
class NativeApi(flow.FlowFixer):
    code = flow.NATIVE_API
    name = "native-api-arg"
    summary = "bytes passed to an API that works on native strings (parse_qs)"
    explanation = """
    What it does: ``parse_qs(body)`` / ``parse_qsl(body)`` where ``body`` is
    BYTES (a request body read from ``wsgi.input``) becomes
    ``parse_qs(six.ensure_str(body))``.

    Why: on 2 the query functions take and give ``str``; on 3, given bytes,
    they return bytes keys and values (and unquote ``%XX`` escapes
    inconsistently), so lookups with ``'name'`` keys miss.  Given a native
    str they return native strings on both, and the values can then be
    decoded with ``six.ensure_text(v, 'utf-8')``.

    Fix safety: ``six.ensure_str`` is the identity on 2.7 ``str``.
    """
    examples = (
        Example(
                'import urlparse\n'
                '\n'
                'def app(environ, start_response):\n'
                "    form = urlparse.parse_qs(environ['wsgi.input'].read())\n"
                "    start_response('200 OK', [])\n"
                "    return [b'%d fields' % len(form)]\n",
                'from six.moves.urllib import parse as urlparse\n'
                'import six\n'
                '\n'
                'def app(environ, start_response):\n'
                "    form = urlparse.parse_qs(six.ensure_str(environ['wsgi.input'].read()))\n"
                "    start_response('200 OK', [])\n"
                "    return [b'%d fields' % len(form)]\n",
                title="In a WSGI application"),
        Example("import urlparse\n\ndef form(environ):\n    body = environ['wsgi.input'].read()\n"
                "    return urlparse.parse_qs(body)\n",
                "from six.moves.urllib import parse as urlparse\nimport six\n\ndef form(environ):\n"
                "    body = environ['wsgi.input'].read()\n    return urlparse.parse_qs(six.ensure_str(body))\n"),
    )


# ---------------------------------------------------------------------------
# Byte codecs
# ---------------------------------------------------------------------------
_CODEC_NAMES = {"hex": "hex", "hex_codec": "hex", "base64": "base64", "base_64": "base64",
                "base64_codec": "base64", "zlib": "zlib", "zip": "zlib", "zlib_codec": "zlib", "bz2": "bz2",
                "bz2_codec": "bz2", "rot13": "rot13", "rot_13": "rot13", "string_escape": "string_escape",
                "uu": "uu", "uu_codec": "uu", "quopri": "quopri", "quopri_codec": "quopri",
                "quotedprintable": "quopri"}


@register
class BytesCodec(Fixer):
    code = "PK407"
    name = "bytes-codec"
    summary = "str.encode('hex'/'base64'/'zlib'/...) and .decode('hex'/'base64'): not text codecs on 3"
    explanation = """
    What it does:

    * ``h.digest().encode('hex')`` → ``h.hexdigest()`` (a hash or HMAC);
    * ``x.encode('hex')`` → ``six.ensure_str(binascii.hexlify(x))``, or
      ``binascii.hexlify(x)`` where bytes are needed;
    * ``x.decode('hex')`` → ``binascii.unhexlify(x)``;
    * ``x.encode('base64')`` → ``six.ensure_str(codecs.encode(x, 'base64'))``,
      ``x.decode('base64')`` → ``codecs.decode(x, 'base64')``;
    * ``'zlib'``, ``'bz2'``, ``'uu'``, ``'quopri'``, ``'rot13'`` →
      ``codecs.encode(x, ...)`` / ``codecs.decode(x, ...)``;
    * ``'string_escape'`` is reported (``codecs.escape_encode`` is undocumented).

    Why: Python 3's ``bytes`` has no ``.encode`` and these are not text
    encodings: ``LookupError`` / ``AttributeError``.

    Fix safety: on 2.7 every replacement returns the same ``str``.  On 2,
    ``.encode('hex')`` gave a native ``str``, while ``hexlify`` gives bytes on
    3: where the result is used as a string (the usual case: a token, a
    header, a log line) it is wrapped in ``six.ensure_str``, which is the
    identity on 2.
    """
    examples = (
        Example(
                'import os\n'
                '\n'
                'def app(environ, start_response):\n'
                "    token = os.urandom(8).encode('hex')\n"
                "    start_response('200 OK', [('Set-Cookie', 'token=' + token)])\n"
                "    return [b'']\n",
                'import os\n'
                'import binascii\n'
                'import six\n'
                '\n'
                'def app(environ, start_response):\n'
                '    token = six.ensure_str(binascii.hexlify(os.urandom(8)))\n'
                "    start_response('200 OK', [('Set-Cookie', 'token=' + token)])\n"
                "    return [b'']\n",
                title="In a WSGI application"),
        Example("import os\n\ndef new_token():\n    return os.urandom(8).encode('hex')\n",
                "import os\nimport binascii\nimport six\n\ndef new_token():\n"
                "    return six.ensure_str(binascii.hexlify(os.urandom(8)))\n"),
        Example("import hashlib\n\ndef fingerprint(data):\n    return hashlib.sha1(data).digest().encode('hex')\n",
                "import hashlib\n\ndef fingerprint(data):\n    return hashlib.sha1(data).hexdigest()\n",
                title="A digest in hex is hexdigest()"),
        Example("def unpack(token):\n    return token.decode('hex')\n",
                "import binascii\ndef unpack(token):\n    return binascii.unhexlify(token)\n"),
        Example("def compress(data):\n    return data.encode('zlib')\n",
                "import codecs\ndef compress(data):\n    return codecs.encode(data, 'zlib')\n"),
        Example("def name(x):\n    return x.encode('utf-8')\n", None, title="A text codec"),
    )
    needles = frozenset(_CODEC_NAMES)
    node_types = (ast.Call,)

    def visit(self, node, ctx):
        func = node.func
        if not (isinstance(func, ast.Attribute) and func.attr in ("encode", "decode")):
            return
        if len(node.args) != 1 or node.keywords:
            return
        codec = K.const_str(node.args[0])
        if codec is None or codec.lower() not in _CODEC_NAMES:
            return
        codec = _CODEC_NAMES[codec.lower()]
        receiver = func.value
        kinds = kinds_after_plan(ctx)
        value = kinds.value(receiver)
        source = ctx.source(receiver)
        what = "%s.%s(%r)" % (K.brief(ctx, receiver, 30), func.attr, codec)
        if K.is_sure(value, K.TEXT):
            ctx.report(node, "%s: %s is %s; %r is not a text codec on 3: encode the text first" % (
                what, K.brief(ctx, receiver), K.describe(value), codec))
            return
        needs_bytes = flow.direct_need(node, kinds) == "B"
        if func.attr == "encode":
            if codec == "hex":
                digest = self._digest_receiver(receiver, kinds)
                if digest is not None:
                    text = "%s.hexdigest()" % ctx.source(digest)
                    ctx.report(node, "%s: a hex digest is .hexdigest(), a native str on both" % what,
                               edits=[ctx.replace(node, text)])
                    return
                inner = "binascii.hexlify(%s)" % source
                imports = [BINASCII]
            elif codec == "string_escape":
                ctx.report(node, "%s: 'string_escape' is not a codec on 3: use codecs.escape_encode(x)[0] "
                                 "(bytes) or repr()" % what)
                return
            else:
                inner = "codecs.encode(%s, %r)" % (source, codec)
                imports = [CODECS]
            wrap = codec in ("hex", "base64") and not needs_bytes
            if wrap:
                text = "six.ensure_str(%s)" % inner
                imports.append(SIX)
                how = "%s, wrapped in six.ensure_str() so the result stays a native str on 3" % inner.split("(")[0]
            else:
                text = inner
                how = inner.split("(")[0]
            ctx.report(node, "%s: bytes have no .encode() on 3 and %r is not a text codec: use %s" % (
                what, codec, how), edits=[ctx.replace(node, text)], imports=imports)
            return
        # decode
        if codec == "string_escape":
            ctx.report(node, "%s: 'string_escape' is not a codec on 3: use codecs.escape_decode(x)[0]" % what)
            return
        if codec == "hex":
            text, imports = "binascii.unhexlify(%s)" % source, [BINASCII]
        else:
            arg = source
            imports = [CODECS]
            if K.is_sure(value, K.NATIVE) and codec != "rot13":
                arg = "six.ensure_binary(%s)" % source
                imports.append(SIX)
            text = "codecs.decode(%s, %r)" % (arg, codec)
        ctx.report(node, "%s: %r is not a text codec on 3: use %s" % (what, codec, text.split("(")[0]),
                   edits=[ctx.replace(node, text)], imports=imports)

    @staticmethod
    def _digest_receiver(receiver, kinds):
        """``h`` when ``receiver`` is ``h.digest()`` of a hash or HMAC object."""
        if isinstance(receiver, ast.Call) and isinstance(receiver.func, ast.Attribute) \
                and receiver.func.attr == "digest" and not receiver.args:
            owner = kinds.value(receiver.func.value)
            if isinstance(owner, K.Obj) and owner.type in ("hash", "hmac"):
                return receiver.func.value
        return None


# ---------------------------------------------------------------------------
# Mixed kinds: BYTES shown as text, BYTES combined with text
# ---------------------------------------------------------------------------
def _from_wsgi_input(value) -> bool:
    return any(p.label == K.BYTES and "wsgi.input" in p.reason for p in K.strings_of(value))


class _Finding:
    __slots__ = ("code", "node", "message", "edits", "imports", "changes")

    def __init__(self, code, node, message, edits=(), imports=(), changes=()):
        self.code = code
        self.node = node
        self.message = message
        self.edits = tuple(edits)
        self.imports = tuple(imports)
        self.changes = tuple(changes)  # (node, Value it has once fixed)


_NOT_STR = frozenset((ast.List, ast.ListComp, ast.Dict, ast.DictComp, ast.Set, ast.SetComp, ast.Lambda, ast.Slice,
                      ast.Compare, ast.UnaryOp))


# Methods whose receiver _Mixing.call() checks (besides table.STR_ARG_METHODS):
# mapping lookups, compiled-pattern uses, str.join.
_RECEIVER_METHODS = frozenset(
    ("get", "pop", "setdefault", "has_key", "join")
    + ("search", "match", "fullmatch", "findall", "finditer", "split", "sub", "subn")
)


def _may_be_str(node) -> bool:
    """False when ``node`` is surely no string (a number, a container display,
    a comparison, a unary operation): its kind need not be inferred."""
    cls = type(node)
    if cls is ast.Constant:
        return isinstance(node.value, (str, bytes))
    return cls not in _NOT_STR  # -x, ~x, not x: never a string


def mixing_findings(ctx):
    """Findings of PK404/PK408/PK409/PK422 for this file (computed with the plan)."""
    flow.plan(ctx)
    return ctx.cache["pk4.mixing"]


def _run_mixing(ctx, by_key):
    """One turn of the mixing rules: add the findings to ``by_key`` and return the ids of
    the nodes whose kind their fixes change.

    A fix can reveal the next one (once ``headers.get('name', '')`` has bytes keys and
    default, the dict built from it has bytes keys too), so the search is repeated
    with the fixed kinds until it finds nothing new."""
    kinds = K.analysis(ctx)
    universe = kinds.universe
    changed = set()
    for _ in range(5):
        fresh = []
        for finding in _Mixing(ctx).run():
            key = (finding.code, id(finding.node))
            have = by_key.get(key)
            if have is not None and (have.edits or not finding.edits):
                continue
            by_key[key] = finding
            fresh.append(finding)
        changes = [c for f in fresh for c in f.changes if id(c[0]) not in changed]
        if not changes:
            break
        for node, value in changes:
            universe.override(kinds, node, value, "mix")
            changed.add(id(node))
        universe.forget()
    return changed


flow.MIXING = _run_mixing


class _Mixing:
    def __init__(self, ctx):
        self.ctx = ctx
        self.kinds = planned_kinds(ctx)
        self.found = []
        self.patterns = {}
        self.edited = {}

    def v(self, node):
        return self.kinds.value(node)

    def add(self, code, node, message, edits=(), imports=()):
        if K.version_branch(self.ctx, node) is not None:
            return
        changes = []
        for edit in edits:
            target = self.node_at(edit.start, edit.end)
            label = _label_of_replacement(edit.replacement)
            if target is not None and label is not None:
                changes.append((target, K.Str(label, "%s once fixed" % K.brief(self.ctx, target, 30), ascii=True)))
        self.found.append(_Finding(code, node, message, edits, imports, changes))

    def node_at(self, start, stop):
        if not self.edited:
            for sub in K.tree_nodes(self.ctx):
                if isinstance(sub, ast.expr):
                    self.edited.setdefault(self.ctx.span(sub), sub)
        return self.edited.get((start, stop))

    def code_for(self, bytes_value, default):
        return "PK404" if _from_wsgi_input(bytes_value) else default

    def run(self):
        rules = {
            ast.BinOp: self.binop,
            ast.Compare: self.compare,
            ast.Call: self.call,
            ast.Subscript: self.subscript,
            ast.BoolOp: self.boolop,
            ast.AugAssign: self.augassign,
        }.get
        for node in K.tree_nodes(self.ctx):  # in the walk's order: the order of the findings
            rule = rules(type(node))
            if rule is not None:
                rule(node)
        self.regex_findings()
        return self.found

    def binop(self, node):
        if isinstance(node.op, ast.Add):
            self.add_op(node)
        elif isinstance(node.op, ast.Mod):
            self.format_op(node)

    def subscript(self, node):
        if isinstance(node.ctx, ast.Load):
            self.lookup(node)

    def boolop(self, node):
        if isinstance(node.op, ast.Or):
            self.fallback(node)

    def augassign(self, node):
        if isinstance(node.op, ast.Add):
            self.add_op(node)

    # -- a + b ---------------------------------------------------------------
    def add_op(self, node):
        if isinstance(node, ast.AugAssign):
            target = node.target
            if isinstance(target, ast.Name):
                left = self.kinds.value_before(node, target.id)
            elif isinstance(target, ast.Attribute):
                left = self.kinds.attribute_of(self.v(target.value), target.attr, target)
            else:
                return
            right = self.v(node.value)
            left_node, right_node = target, node.value
            if isinstance(left, K.Mixed) and set(left.labels) == {K.BYTES, K.NATIVE} and K.is_sure(right, K.BYTES):
                self.literal_initialised(node, target, right)
                return
        else:
            if not _may_be_str(node.left) or not _may_be_str(node.right):
                return
            left = self.v(node.left)
            if not isinstance(left, K.Str):
                return  # only two strings can mix (the other side's kind is not needed)
            right = self.v(node.right)
            left_node, right_node = node.left, node.right
        if not (isinstance(left, K.Str) and isinstance(right, K.Str)):
            return
        labels = {left.label, right.label}
        if K.BYTES not in labels or len(labels) == 1:
            return
        ctx = self.ctx
        if claimed(ctx, node):
            return
        data, other, other_node = (left, right, right_node) if left.label == K.BYTES else (right, left, left_node)
        if isinstance(node, ast.AugAssign) and other_node is left_node:
            self.add(self.code_for(data, "PK409"), node, "%s += %s: %s and BYTES (%s) cannot be added on 3" % (
                K.brief(ctx, left_node, 25), K.brief(ctx, right_node, 25), other.describe(), data.reason))
            return
        code = self.code_for(data, "PK409")
        head = "%s + %s: BYTES (%s) and %s" % (K.brief(ctx, left_node, 25), K.brief(ctx, right_node, 25),
                                             data.reason, other.describe())
        fixed = to_bytes_edit(ctx, other_node, other) if other.label in (K.NATIVE, K.TEXT) and (
            _is_literal(other_node) or _repeat_literal(other_node) is not None or other.label == K.NATIVE) else None
        if fixed is not None and other.label == K.NATIVE and not (_is_literal(other_node) or _repeat_literal(
                other_node) is not None or isinstance(other_node, ast.Name) and literal_edits(ctx, other_node)) \
                and not (other.ascii or other.latin1 or other.portable):
            fixed = None
        if fixed is not None and other.label == K.TEXT and not _is_literal(other_node):
            fixed = None
        if fixed is not None:
            edit, how, imports = fixed
            self.add(code, node, "%s cannot be added on 3 (TypeError): %s" % (head, how), [edit], imports)
        else:
            self.add(code, node, "%s cannot be added on 3 (TypeError): decode the bytes or encode the text "
                                 "explicitly" % head)

    def literal_initialised(self, node, target, added):
        """``buf = ''`` ... ``buf += data`` with BYTES data: the start value is b''."""
        ctx = self.ctx
        kinds = self.kinds
        literals = []
        if isinstance(target, ast.Name):
            scope = kinds.scope_of(target.id, target)
            if scope is None or scope.bindings.get(target.id) is not None:
                return
            for d in kinds.defs_in(scope.node, target.id):
                if d.kind == "assign" and isinstance(d.target, ast.Name) and _is_literal(d.node.value):
                    literals.append(d.node.value)
        elif isinstance(target, ast.Attribute):
            base = self.v(target.value)
            if not (isinstance(base, K.Obj) and base.cls is not None):
                return
            for store, owner in (base.owner or kinds).attribute_stores(base.cls, target.attr):
                parent = owner.ctx.parent(store)
                if owner is not K.analysis(ctx):
                    continue
                if isinstance(parent, ast.Assign) and _is_literal(parent.value):
                    literals.append(parent.value)
                elif isinstance(parent, ast.Tuple) and isinstance(owner.ctx.parent(parent), ast.Assign):
                    value = owner.ctx.parent(parent).value  # data, self.buffer = self.buffer, ''
                    if isinstance(value, ast.Tuple) and len(value.elts) == len(parent.elts):
                        element = value.elts[parent.elts.index(store)]
                        if _is_literal(element):
                            literals.append(element)
        for literal in literals:
            new = literal_prefix(ctx, literal, "b")
            if new is not None and not claimed(ctx, literal):
                self.add(self.code_for(added, "PK409"), literal,
                         "%s starts as %s but BYTES (%s) are added to it (line %d): make it a b'' literal" % (
                             K.brief(ctx, target), self.v(literal).describe(), added.reason, node.lineno),
                         [ctx.replace(literal, new)])

    # -- x or '' ------------------------------------------------------------------
    def fallback(self, node):
        """``data or ''``: the fallback literal must be of the data's kind."""
        first = self.v(node.values[0])
        if isinstance(first, K.Mixed) and set(first.labels) == {K.BYTES, K.NATIVE}:
            # the NATIVE part may be this very fallback, come back through a cycle
            own = {self.v(v).reason for v in node.values[1:] if _is_literal(v)}
            if all(p.reason in own for p in first.parts if p.label == K.NATIVE):
                first = next(p for p in first.parts if p.label == K.BYTES)
        if not K.is_sure(first, K.BYTES):
            return
        for literal in node.values[1:]:
            value = self.v(literal)
            if _is_literal(literal) and isinstance(value, K.Str) and value.label != K.BYTES \
                    and not claimed(self.ctx, literal):
                new = literal_prefix(self.ctx, literal, "b")
                if new is not None:
                    self.add(self.code_for(first, "PK409"), literal,
                             "%s: the value is BYTES (%s) but the fallback %s is %s; make it a b'' literal" % (
                                 K.brief(self.ctx, node, 40), first.reason, K.brief(self.ctx, literal),
                                 value.describe()), [self.ctx.replace(literal, new)])

    # -- fmt % args ------------------------------------------------------------
    def format_op(self, node):
        ctx = self.ctx
        fmt = self.v(node.left)
        if not isinstance(fmt, K.Str):
            return
        args = node.right.elts if isinstance(node.right, ast.Tuple) else [node.right]
        if isinstance(node.right, ast.Dict):
            args = [v for v in node.right.values]
        if fmt.label == K.BYTES:
            bad = [a for a in args if isinstance(self.v(a), K.Str) and self.v(a).label == K.TEXT]
            for arg in bad:
                edits, how = [], "encode it"
                if _is_literal(arg):
                    new = literal_prefix(ctx, arg, "b")
                    if new is not None:
                        edits, how = [ctx.replace(arg, new)], "make it a b'' literal"
                self.add("PK409", arg, "b'%%s' %% %s: the format is BYTES (%s) and %s is %s; bytes formatting "
                                       "rejects text on 3: %s" % (K.brief(ctx, arg), fmt.reason, K.brief(ctx, arg),
                                                                  self.v(arg).describe(), how), edits)
            return
        if claimed(ctx, node):
            return
        if isinstance(node.right, ast.Name) and isinstance(self.v(node.right), K.Tup):
            return
        if fmt.label == K.NATIVE and _structural(node.left) and any(
                K.is_sure(self.v(a), K.BYTES) for a in args):
            text = flow.bytes_format(ctx, node, self.kinds)
            if text is not None:
                data = next(self.v(a) for a in args if K.is_sure(self.v(a), K.BYTES))
                self.add(self.code_for(data, "PK408"), node,
                         "%s joins BYTES (%s) with %%s: on 3 that shows \"b'...'\"; the format only puts "
                         "separators between the values, so make it a bytes format (b'' %% ... works on 2.7 and "
                         "3.5+)" % (K.brief(ctx, node, 40), data.reason), [ctx.replace(node, text)],
                         (SIX,) if "six." in text else ())
                return
        conversions = _conversions_of(ctx, self.kinds, node)
        for arg in args:
            value = self.v(arg)
            if not K.is_sure(value, K.BYTES):
                continue
            code = self.code_for(value, "PK408")
            conversion = conversions.get(id(arg)) if conversions is not None else None
            if conversion in ("r", "a"):
                self.add(code, arg, "%s is %s formatted with %%%s: on 3 its repr shows b'...' where 2 showed "
                                    "'...'; not rewritten (decoding could fail where 2's repr did not)" % (
                                        K.brief(ctx, arg), value.describe(), conversion))
                continue
            if conversions is None:
                self.add(code, arg, "%s is %s formatted into %s: if the conversion is %%s, on 3 that shows "
                                    "\"b'...'\"; not rewritten, since the format's conversions are not known "
                                    "here" % (K.brief(ctx, arg), value.describe(), fmt.label))
                continue
            if any(part.reason.startswith("not ") for part in K.strings_of(value)):
                # "not text after isinstance(...)": a number just as well, and
                # six.ensure_str() would raise on it
                self.add(code, arg, "%s is %s formatted into %s: if it is bytes, on 3 that shows \"b'...'\"; "
                                    "not rewritten, since it may be any non-text value here" % (
                                        K.brief(ctx, arg), value.describe(), fmt.label))
                continue
            if fmt.label == K.TEXT:
                if _is_literal_bytes(arg):
                    new = literal_prefix(ctx, arg, "")
                    edit, how = ctx.replace(arg, new), "drop the b prefix"
                else:
                    edit, how = ctx.replace(arg, "%s.decode('ascii')" % atom(ctx, arg)), \
                        "decode it explicitly with .decode('ascii') (what 2 did implicitly)"
                imports = ()
            else:
                if _is_literal_bytes(arg) and "unicode_literals" not in ctx.future:
                    edit, how, imports = ctx.replace(arg, literal_prefix(ctx, arg, "")), "drop the b prefix", ()
                else:
                    edit, how, imports = ctx.replace(arg, "six.ensure_str(%s)" % ctx.source(arg)), \
                        "wrap it in six.ensure_str() (the same str on 2)", (SIX,)
            self.add(code, arg, "%s is %s formatted into %s with %%s: on 3 that shows \"b'...'\": %s" % (
                K.brief(ctx, arg), value.describe(), fmt.label, how), [edit], imports)

    # -- a == b, a in b --------------------------------------------------------------
    def compare(self, node):
        if len(node.ops) != 1:
            return
        op = node.ops[0]
        left, right_node = node.left, node.comparators[0]
        if isinstance(op, (ast.Eq, ast.NotEq)):
            # pair() needs two strings: a side that is not one (often a literal,
            # cheap to know) spares the inference of the other
            if not _may_be_str(left) or not _may_be_str(right_node):
                return
            lv = self.v(left)
            if not isinstance(lv, K.Str):
                return  # pair() compares two strings only
            rv = self.v(right_node)
            self.pair(node, left, lv, right_node, rv, "==" if isinstance(op, ast.Eq) else "!=")
        elif isinstance(op, (ast.In, ast.NotIn)):
            if not _may_be_str(left):
                return
            container = rv = self.v(right_node)
            if not isinstance(container, (K.Str, K.Map, K.Seq)):
                return
            lv = self.v(left)
            if isinstance(container, K.Str):
                self.pair(node, left, lv, right_node, container, "in")
            elif isinstance(container, K.Map):
                self.key_check(node, left, lv, container, "in")
            elif isinstance(container, K.Seq) and isinstance(container.item, K.Str):
                self.pair(node, left, lv, right_node, container.item, "in")

    def pair(self, node, a, av, b, bv, op):
        """``a OP b`` with kinds that differ in a way 3 cares about."""
        if not (isinstance(av, K.Str) and isinstance(bv, K.Str)):
            return
        if av.label == bv.label or K.BYTES not in (av.label, bv.label):
            return
        ctx = self.ctx
        if claimed(ctx, node):
            return
        data, other, other_node = (av, bv, b) if av.label == K.BYTES else (bv, av, a)
        code = self.code_for(data, "PK409")
        head = "%s %s %s: BYTES (%s) against %s" % (K.brief(ctx, a, 25), op, K.brief(ctx, b, 25), data.reason,
                                                   other.describe())
        if op != "in" or other_node is a:
            edits = literal_edits(ctx, other_node)
            if edits:
                self.add(code, node, "%s is always False on 3: make %s a b'' literal" % (
                    head, K.brief(ctx, other_node)), edits)
                return
            source = other_node
            if isinstance(source, ast.Name):  # magic = f.read(4)
                scope = self.kinds.scope_of(source.id, source)
                if scope is not None and scope.kind == "function":
                    defs, _ = self.kinds.reaching_defs(scope.node, source.id, source)
                    if len(defs) == 1 and defs[0].kind == "assign":
                        source = defs[0].node.value
            constant = _module_constant(ctx, self.kinds, other_node)
            if constant is not None and other.label == K.NATIVE:
                new = flow._literal_prefix_change(ctx, constant, "b")
                if new is not None:  # CRLF = '\r\n' stays native for its other uses
                    self.add(code, node, "%s is always False on 3: compare with %s (the value of %s, as bytes; "
                                         "the same str on 2)" % (head, new, other_node.id),
                             [ctx.replace(other_node, new)])
                    return
            opened = self.kinds.universe.opened_by.get(id(source))
            if opened is not None and opened[1] is K.analysis(ctx):
                edit = _binary_mode_edit(ctx, opened[0])
                if edit is not None:
                    self.add(code, node, "%s is never equal on 3: the file is opened in text mode; read it in "
                                         "binary mode ('rb', bytes on both)" % head, [edit])
                    return
        self.add(code, node, "%s is always False on 3 (or a TypeError for 'in'): compare values of one kind" % head)

    def key_check(self, node, key, kv, mapping, op):
        if not (isinstance(kv, K.Str) and isinstance(mapping.key, K.Str)):
            return
        if kv.label == mapping.key.label or K.BYTES not in (kv.label, mapping.key.label):
            return
        ctx = self.ctx
        if claimed(ctx, node):
            return
        head = "%s: the keys are %s and %s is %s" % (K.brief(ctx, node, 40), mapping.key.describe(),
                                                    K.brief(ctx, key, 25), kv.describe())
        if mapping.key.label == K.BYTES and _is_literal(key):
            new = literal_prefix(ctx, key, "b")
            if new is not None:
                self.add("PK409", key, "%s; on 3 the lookup misses: make it a b'' literal" % head,
                         [ctx.replace(key, new)])
                return
        self.add("PK409", key, "%s; on 3 the lookup misses: use keys of one kind" % head)

    def lookup(self, node):
        if not _may_be_str(node.slice):
            return  # key_check() compares string keys only
        base = self.v(node.value)
        if isinstance(base, K.Map) and not isinstance(node.slice, ast.Slice):
            self.key_check(node, node.slice, self.v(node.slice), base, "[]")

    # -- calls: join, str methods with arguments, dict methods, str(bytes) ------------
    def call(self, node):
        ctx = self.ctx
        func = node.func
        if isinstance(func, ast.Name) and func.id == "str" and ctx.is_builtin(func, "str") and len(node.args) == 1 \
                and not node.keywords:
            parent = ctx.parent(node)
            if isinstance(parent, ast.IfExp) and parent.orelse is node and K.is_native_str_of(parent):
                return  # the str() of a value that is not bytes, as this rule writes it
            value = self.v(node.args[0])
            if any(part.reason.startswith("not ") for part in K.strings_of(value)):
                return  # "not text after isinstance(...)": a number just as well (str(42))
            if (K.is_sure(value, K.BYTES) or isinstance(value, K.Mixed) and K.BYTES in value.labels) \
                    and not claimed(ctx, node):
                code = self.code_for(value, "PK408")
                arg = node.args[0]
                head = "str(%s): %s is %s; on 3 str() of bytes gives \"b'...'\"" % (
                    K.brief(ctx, arg), K.brief(ctx, arg), value.describe())
                if isinstance(arg, ast.Name):
                    # The inference follows strings only: the name may hold a
                    # number or an object as well, which six.ensure_str()
                    # rejects.  This form is str() itself on 2.7 for every value.
                    name = arg.id
                    self.add(code, node, head + ": decode bytes only (the same str on 2 for every value)",
                             [ctx.replace(node, "(six.ensure_str(%s) if isinstance(%s, bytes) else str(%s))" % (
                                 name, name, name))], (SIX,))
                elif K.is_sure(value, K.BYTES) and not isinstance(arg, ast.Attribute):
                    self.add(code, node, head + ": use six.ensure_str() (the same str on 2)",
                             [ctx.replace(node, "six.ensure_str(%s)" % ctx.source(arg))], (SIX,))
                else:
                    self.add(code, node, head + ": not rewritten, since it may hold other values too; use "
                                                "six.ensure_str() where it is bytes")
            return
        if isinstance(func, ast.Name) and func.id == "print" and ctx.is_builtin(func, "print"):
            for arg in node.args:
                if isinstance(arg, ast.Starred):
                    continue
                value = self.v(arg)
                if (K.is_sure(value, K.BYTES) or isinstance(value, K.Mixed) and K.BYTES in value.labels
                        and K.TEXT not in value.labels) and not claimed(ctx, arg):
                    self.add("PK408", arg, "print(%s): %s is %s; on 3 print() shows bytes as \"b'...'\": use "
                                           "six.ensure_str() (the same str on 2)" % (
                                               K.brief(ctx, arg), K.brief(ctx, arg), value.describe()),
                             [ctx.replace(arg, "six.ensure_str(%s)" % ctx.source(arg))], (SIX,))
            return
        if not isinstance(func, ast.Attribute):
            return
        name = func.attr
        if name not in _RECEIVER_METHODS and name not in table.STR_ARG_METHODS:
            return  # nothing below looks at other methods: the receiver's kind is not needed
        receiver = self.v(func.value)
        if isinstance(receiver, K.Map) and name in ("get", "pop", "setdefault", "has_key") and node.args:
            self.key_check(node, node.args[0], self.v(node.args[0]), receiver, name)
            if len(node.args) > 1 and name != "has_key":
                self.default_check(node, node.args[1], receiver)
            return
        if isinstance(receiver, K.Obj) and receiver.type in ("pattern",):
            self.pattern_use(node, receiver)
            return
        if not isinstance(receiver, K.Str):
            return
        if name == "join" and node.args:
            items = K.element_of(self.v(node.args[0]))
            if isinstance(items, K.Str) and items.label == K.BYTES and receiver.label in (K.NATIVE, K.TEXT):
                if claimed(ctx, node):
                    return
                sep = func.value
                code = self.code_for(items, "PK409")
                head = "%s.join(...): the items are BYTES (%s) and the separator is %s" % (
                    K.brief(ctx, sep, 12), items.reason, receiver.describe())
                new = literal_prefix(ctx, sep, "b") if _is_literal(sep) else None
                if new is not None:
                    self.add(code, node, "%s; on 3 str.join() rejects bytes: make the separator b''" % head,
                             [ctx.replace(sep, new)])
                else:
                    self.add(code, node, "%s; on 3 str.join() rejects bytes" % head)
            return
        positions = table.STR_ARG_METHODS.get(name)
        if not positions or receiver.label != K.BYTES:
            return
        for index in positions:
            if index >= len(node.args):
                continue
            arg = node.args[index]
            value = self.v(arg)
            if not isinstance(value, K.Str) or value.label == K.BYTES:
                continue
            if claimed(ctx, arg):
                continue
            code = self.code_for(receiver, "PK409")
            head = "%s.%s(%s): the string is BYTES (%s) and the argument is %s" % (
                K.brief(ctx, func.value, 20), name, K.brief(ctx, arg, 20), receiver.reason, value.describe())
            fixed = to_bytes_edit(ctx, arg, value) if _is_literal(arg) or value.label == K.NATIVE else None
            if fixed is not None:
                edit, how, imports = fixed
                self.add(code, arg, "%s; bytes methods reject str arguments on 3: %s" % (head, how), [edit], imports)
            else:
                self.add(code, arg, "%s; bytes methods reject str arguments on 3" % head)

    def default_check(self, node, default, mapping):
        value = self.v(default)
        if not (isinstance(value, K.Str) and isinstance(mapping.value, K.Str)):
            return
        if mapping.value.label != K.BYTES or value.label == K.BYTES:
            return
        if not _is_literal(default) or claimed(self.ctx, default):
            return
        new = literal_prefix(self.ctx, default, "b")
        if new is None:
            return
        self.add("PK409", default, "%s: the values are %s and the default %s is %s; make it a b'' literal" % (
            K.brief(self.ctx, node, 40), mapping.value.describe(), K.brief(self.ctx, default),
            value.describe()), [self.ctx.replace(default, new)])

    # -- regular expressions -------------------------------------------------
    def pattern_use(self, node, pattern_obj):
        if node.func.attr not in ("search", "match", "fullmatch", "findall", "finditer", "split", "sub", "subn"):
            return
        index = 1 if node.func.attr in ("sub", "subn") else 0
        if len(node.args) <= index or not pattern_obj.extra:
            return
        pattern_value, pattern_node = pattern_obj.extra
        subject = self.v(node.args[index])
        self.patterns.setdefault(id(pattern_node), (pattern_node, pattern_value, []))[2].append((node, subject))

    def regex_findings(self):
        ctx = self.ctx
        # re.search() needs re imported; the walk lists the calls in its order
        calls = ctx.walk.index.get(ast.Call, ()) if "re" in K.module_words(ctx) else ()
        for call in calls:
            dotted = ctx.resolve(call.func) if isinstance(call.func, (ast.Name, ast.Attribute)) else None
            if dotted in ("re.search", "re.match", "re.fullmatch", "re.findall", "re.finditer", "re.split") \
                    and len(call.args) >= 2:
                pattern_node = call.args[0]
                self.patterns.setdefault(id(pattern_node), (pattern_node, self.v(pattern_node), []))[2].append(
                    (call, self.v(call.args[1])))
        for pattern_node, pattern_value, uses in self.patterns.values():
            if not isinstance(pattern_value, K.Str) or pattern_value.label == K.BYTES:
                continue
            kinds = {s.label for _, s in uses if isinstance(s, K.Str)}
            if K.BYTES not in kinds:
                continue
            node = uses[[s.label if isinstance(s, K.Str) else None for _, s in uses].index(K.BYTES)][0]
            subject = next(s for _, s in uses if isinstance(s, K.Str) and s.label == K.BYTES)
            head = "the pattern %s is %s but is applied to BYTES (%s)" % (
                K.brief(ctx, pattern_node, 30), pattern_value.describe(), subject.reason)
            owned = K.analysis(ctx).owns(pattern_node)
            if kinds == {K.BYTES} and owned and _is_literal(pattern_node) and not claimed(ctx, pattern_node):
                new = literal_prefix(ctx, pattern_node, "b")
                if new is not None:
                    self.add("PK422", pattern_node, "%s; on 3 a str pattern cannot match bytes: make it a bytes "
                                                    "pattern" % head, [ctx.replace(pattern_node, new)])
                    continue
            self.add("PK422", node, "%s; on 3 a str pattern cannot match bytes: use a bytes pattern (b'' / br'')"
                     % head)


_SPEC = re.compile(r"%(?:\(([^)]*)\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?[hlL]?([diouxXeEfFgGcrsa%])")


def _format_text(kinds, node):
    """The text of a format string: a literal, literals joined with ``+``, or a
    name bound once in its scope to such a literal; None otherwise."""
    if isinstance(node, ast.Constant):
        return node.value if isinstance(node.value, (str, bytes)) else None
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _format_text(kinds, node.left), _format_text(kinds, node.right)
        if left is None or right is None or type(left) is not type(right):
            return None
        return left + right
    if isinstance(node, ast.Name):
        scope = kinds.scope_of(node.id, node)
        if scope is None:
            return None
        defs = kinds.defs_in(scope.node, node.id)
        if len(defs) == 1 and defs[0].kind == "assign" and isinstance(defs[0].target, ast.Name) \
                and isinstance(defs[0].node, ast.Assign):
            return _format_text(kinds, defs[0].node.value)
    return None


def _conversions_of(ctx, kinds, node):
    """``{id(arg): conversion letter}`` for the arguments of ``fmt % args``,
    or None when the format or the arguments cannot be matched up."""
    text = _format_text(kinds, node.left)
    if text is None:
        return None
    if isinstance(text, bytes):
        text = text.decode("latin-1")
    specs = [m for m in _SPEC.finditer(text) if m.group(4) != "%"]
    right = node.right
    if isinstance(right, ast.Dict):
        by_key = {}
        for m in specs:
            if m.group(1) is None:
                return None
            by_key.setdefault(m.group(1), set()).add(m.group(4))
        found = {}
        for key, value in zip(right.keys, right.values):
            name = K.const_str(key) if key is not None else None
            if name is None:
                return None
            letters = by_key.get(name, set())
            found[id(value)] = "r" if "r" in letters or "a" in letters else (min(letters) if letters else None)
        return found
    if any(m.group(1) is not None or m.group(2) == "*" or m.group(3) == "*" for m in specs):
        return None
    args = right.elts if isinstance(right, ast.Tuple) else [right]
    if any(isinstance(a, ast.Starred) for a in args) or len(args) != len(specs):
        return None
    return {id(arg): m.group(4) for arg, m in zip(args, specs)}


def _module_constant(ctx, kinds, node):
    """The literal of ``NAME = '...'`` when ``node`` is a NAME bound once, at module level,
    to a plain string literal and never rebound (no ``global``): else None."""
    if not isinstance(node, ast.Name):
        return None
    scope = kinds.scope_of(node.id, node)
    if scope is None or scope.kind != "module":
        return None
    defs = kinds.defs_in(kinds.tree, node.id)
    if len(defs) != 1 or defs[0].kind != "assign" or not isinstance(defs[0].target, ast.Name):
        return None
    value = defs[0].node.value
    if not (isinstance(value, ast.Constant) and isinstance(value.value, str)):
        return None
    if "global" in ctx.text and any(isinstance(sub, ast.Global) and node.id in sub.names
                                    for sub in K.tree_nodes(kinds.ctx)):
        return None
    return value


def _previous_statement(ctx, stmt):
    parent = ctx.parent(stmt)
    for field in ("body", "orelse", "finalbody"):
        block = getattr(parent, field, None)
        if isinstance(block, list) and stmt in block:
            index = block.index(stmt)
            return block[index - 1] if index else None
    return None


def _binary_mode_edit(ctx, call):
    """``open(path)`` / ``open(path, 'r')`` → ``open(path, 'rb')``."""
    if call.keywords or not call.args or len(call.args) > 2:
        return None
    if len(call.args) == 2:
        mode = K.const_str(call.args[1])
        if mode not in ("r", "rU", "U"):
            return None
        return ctx.replace(call.args[1], "'rb'")
    at = ctx.end(call.args[0])
    return ctx.replace_span(at, at, ", 'rb'")


def _structural(fmt_node) -> bool:
    """A format whose text is only separators between the values (``'%s.%s'``, ``'%s|%s'``)."""
    if not _is_literal(fmt_node):
        return False
    rest = re.sub(r"%(?:\([^)]*\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?.", "", fmt_node.value)
    return not re.search(r"[\w\s]", rest)


def _label_of_replacement(text):
    """The kind an expression written as ``text`` (by one of the fixes here) has."""
    if re.match(r"^[bB][rR]?['\"]|^[rR][bB]['\"]", text) and not re.search(r"['\"]\s*%", text) \
            or re.match(r"^[bB][rR]?['\"][^'\"]*['\"]\s*%", text) or text.startswith("six.ensure_binary(") \
            or re.search(r"\.encode\([^()]*\)$", text) or text.startswith(("binascii.", "codecs.encode(")):
        return K.BYTES
    if text.startswith(("six.ensure_str(", "(six.ensure_str(", "str(")) or re.match(r"^['\"]", text):
        return K.NATIVE
    if text.startswith("six.ensure_text(") or re.search(r"\.decode\([^()]*\)$", text) or re.match(
            r"^[uU]['\"]", text):
        return K.TEXT
    return None


def _is_literal_bytes(node):
    return isinstance(node, ast.Constant) and isinstance(node.value, bytes)


class _MixingFixer(Fixer):
    """Reports this code's entries of :func:`mixing_findings`.  The kinds its
    fixes give are seen by every rule in the same round (the "mix" layer of
    overrides); what the plan's points hide is left for the next round
    (:func:`claimed`)."""

    node_types = (ast.Module,)  # visited once: the plan covers the whole module

    def visit(self, node, ctx):
        done = ctx.cache.setdefault("pk4.mixing.done", set())
        if self.code in done:
            return
        done.add(self.code)
        for finding in mixing_findings(ctx):
            if finding.code == self.code:
                ctx.report(finding.node, finding.message, edits=finding.edits, imports=finding.imports)


_MIXING_NEEDLES = frozenset()


@register
class BytesShownAsText(_MixingFixer):
    code = "PK408"
    name = "bytes-as-text"
    summary = "str() or '%s' % of bytes: \"b'...'\" on 3"
    explanation = """
    What it does: ``str(x)`` where ``x`` is BYTES becomes
    ``six.ensure_str(x)``; BYTES interpolated with ``%s`` into a NATIVE
    format are wrapped in ``six.ensure_str()``, into a TEXT format
    ``.decode('ascii')``.

    Why: on 3, ``str(b'ab')`` and ``'%s' % b'ab'`` give ``"b'ab'"``.  On 2
    they give ``'ab'``; ``u'%s' % 'ab'`` decodes the bytes as ASCII.

    Fix safety: exact on 2.7: ``six.ensure_str`` returns the ``str``
    unchanged, and ``.decode('ascii')`` is what 2 did implicitly.  Where the
    formatted result itself must be bytes, the format becomes a bytes format
    instead (PK406).
    """
    examples = (
        Example(
                'import base64, hashlib\n'
                '\n'
                'def app(environ, start_response):\n'
                "    data = environ['wsgi.input'].read()\n"
                '    checksum = base64.b64encode(hashlib.md5(data).digest())\n'
                "    page = u'<p>MD5: %s</p>' % checksum\n"
                "    start_response('200 OK', [('Content-Type', 'text/html; charset=utf-8')])\n"
                "    return [page.encode('utf-8')]\n",
                'import base64, hashlib\n'
                '\n'
                'def app(environ, start_response):\n'
                "    data = environ['wsgi.input'].read()\n"
                '    checksum = base64.b64encode(hashlib.md5(data).digest())\n'
                "    page = u'<p>MD5: %s</p>' % checksum.decode('ascii')\n"
                "    start_response('200 OK', [('Content-Type', 'text/html; charset=utf-8')])\n"
                "    return [page.encode('utf-8')]\n",
                title="In a WSGI application"),
        Example("import base64, hashlib\n\ndef upload_row(data):\n"
                "    checksum = base64.b64encode(hashlib.md5(data).digest())\n"
                "    return u'<td>%s</td>' % checksum\n",
                "import base64, hashlib\n\ndef upload_row(data):\n"
                "    checksum = base64.b64encode(hashlib.md5(data).digest())\n"
                "    return u'<td>%s</td>' % checksum.decode('ascii')\n"),
        Example("import os\n\ndef token():\n    return str(os.urandom(4))\n",
                "import os\nimport six\n\ndef token():\n    return six.ensure_str(os.urandom(4))\n"),
        Example("def label(n):\n    return '%d items' % n\n", None, title="Numbers are fine"),
    )
    needles = _MIXING_NEEDLES


@register
class MixedKinds(_MixingFixer):
    code = "PK409"
    name = "bytes-text-mix"
    summary = "bytes and text (or native str) mixed in +, %, ==, in, join, lookups or bytes methods"
    explanation = """
    What it does: reports every place where BYTES meet TEXT or a NATIVE
    string — ``a + b``, ``b'%s' % text``, ``a == b``, ``x in data``,
    ``''.join(chunks)``, ``data.split(',')``, ``headers.get('name')`` on a
    dict with bytes keys — with both kinds and their reasons.  Where one side
    is a literal whose prefix can change exactly, it is fixed: ``''`` →
    ``b''`` (the same ``str`` on 2); a NATIVE environ value gets
    ``six.ensure_binary(x, 'latin-1')``.

    Why: Python 2 coerces (ASCII) silently; Python 3 raises ``TypeError``
    for ``+``, ``join``, ``%`` and bytes methods, and ``==``/``in`` are just
    ``False``, so lookups miss.

    Fix safety: a ``b`` prefix on an ASCII literal changes nothing on 2.
    """
    examples = (
        Example(
                'import zlib\n'
                '\n'
                'def app(environ, start_response):\n'
                "    chunks = [zlib.compress(b'a'), zlib.compress(b'b')]\n"
                "    body = ''.join(zlib.decompress(c) for c in chunks)\n"
                "    start_response('200 OK', [])\n"
                '    return [body]\n',
                'import zlib\n'
                '\n'
                'def app(environ, start_response):\n'
                "    chunks = [zlib.compress(b'a'), zlib.compress(b'b')]\n"
                "    body = b''.join(zlib.decompress(c) for c in chunks)\n"
                "    start_response('200 OK', [])\n"
                '    return [body]\n',
                title="In a WSGI application"),
        Example("def parts(environ):\n    body = environ['wsgi.input'].read()\n    return body.split('&')\n",
                "def parts(environ):\n    body = environ['wsgi.input'].read()\n    return body.split(b'&')\n",
                findings=("PK404",), title="(a wsgi.input value: reported as PK404)"),
        Example("import zlib\n\ndef unpack(chunks):\n    data = ''.join(zlib.decompress(c) for c in chunks)\n"
                "    return data\n",
                "import zlib\n\ndef unpack(chunks):\n    data = b''.join(zlib.decompress(c) for c in chunks)\n"
                "    return data\n"),
        Example("import struct\n\ndef pad(data):\n    return '\\x00' * (8 - len(data)) + data\n\n"
                "X = pad(struct.pack('>I', 1))\n",
                "import struct\n\ndef pad(data):\n    return b'\\x00' * (8 - len(data)) + data\n\n"
                "X = pad(struct.pack('>I', 1))\n"),
        Example("def f(data, name):\n    return data.encode('utf-8') + name\n\nf(u'a', u'b')\n", None,
                title="TEXT that is not a literal: reported", findings=("PK409",)),
    )
    needles = _MIXING_NEEDLES


@register
class RegexKind(_MixingFixer):
    code = "PK422"
    name = "regex-bytes"
    summary = "a str regular expression applied to bytes"
    explanation = """
    What it does: a pattern written as a plain (or ``r''``) literal that is
    only ever applied to BYTES (a request body, file data) becomes a bytes
    pattern: ``re.compile(r'(\\w+)="([^"]*)"')`` → ``re.compile(br'...')``.

    Why: on 3, ``re`` refuses to match a str pattern against bytes
    (``TypeError: cannot use a string pattern on a bytes-like object``).

    Fix safety: exact on 2 (``br''`` is the same ``str`` as ``r''``).  A
    pattern applied to both kinds is reported.
    """
    examples = (
        Example(
                'import re\n'
                '\n'
                '_field = re.compile(r\'name="([^"]*)"\')\n'
                '\n'
                'def app(environ, start_response):\n'
                "    names = _field.findall(environ['wsgi.input'].read())\n"
                "    start_response('200 OK', [])\n"
                "    return [b', '.join(names)]\n",
                'import re\n'
                '\n'
                '_field = re.compile(br\'name="([^"]*)"\')\n'
                '\n'
                'def app(environ, start_response):\n'
                "    names = _field.findall(environ['wsgi.input'].read())\n"
                "    start_response('200 OK', [])\n"
                "    return [b', '.join(names)]\n",
                title="In a WSGI application"),
        Example("import re\n\n_pair = re.compile(r'(\\w+)=(\\w+)')\n\ndef pairs(environ):\n"
                "    return _pair.findall(environ['wsgi.input'].read())\n",
                "import re\n\n_pair = re.compile(br'(\\w+)=(\\w+)')\n\ndef pairs(environ):\n"
                "    return _pair.findall(environ['wsgi.input'].read())\n"),
    )
    needles = frozenset()  # a pattern may be applied in another module


# ---------------------------------------------------------------------------
# StringIO / cStringIO
# ---------------------------------------------------------------------------
_STRINGIO = ("StringIO.StringIO", "cStringIO.StringIO")


def _stringio_uses(ctx):
    """[(node, is_call)] of every use of the StringIO / cStringIO modules and classes."""
    uses = []
    if "StringIO" not in ctx.text:
        return uses  # both modules are named in the import that a use needs
    for node in ctx.walk.index.get(ast.Name, ()):  # the names, in the walk's order
        if type(node.ctx) is ast.Load:
            target = ctx.resolve(node)
            if target in ("StringIO", "cStringIO"):
                parent = ctx.parent(node)
                if isinstance(parent, ast.Attribute) and parent.value is node:
                    uses.append(parent)
                else:
                    uses.append(node)
            elif target in _STRINGIO:
                uses.append(node)
    return uses


@register
class StringIOKind(flow.FlowFixer):
    code = flow.STRINGIO
    name = "stringio"
    summary = "StringIO / cStringIO: io.BytesIO, io.StringIO or six.StringIO by what the buffer holds"
    explanation = """
    What it does: every ``StringIO.StringIO(...)`` and
    ``cStringIO.StringIO(...)`` becomes

    * ``six.BytesIO(...)`` (for ``StringIO.StringIO``) or ``io.BytesIO(...)``
      (for ``cStringIO.StringIO``) when the buffer holds BYTES (chunks read
      from a socket or ``wsgi.input``, ``zlib`` output, a buffer used as
      ``wsgi.input``); its plain ``''`` literals become ``b''``;
    * ``six.StringIO(...)`` (for ``StringIO.StringIO``) or
      ``six.moves.cStringIO(...)`` (for ``cStringIO.StringIO``) when text or
      native strings are written to it (a ``wsgi.errors`` stream, ``print
      >>buf``): the very class on 2, ``io.StringIO`` on 3;

    and once every use is rewritten, the ``import StringIO`` /
    ``import cStringIO`` goes.  A buffer whose content cannot be told (handed
    to other code that writes to it) is reported.

    Why: neither module exists on 3; ``io.StringIO`` takes only ``unicode``
    on 2 and ``io.BytesIO`` only bytes on 3, so the right class depends on
    the content.

    Fix safety: exact on 2.7 (``six.StringIO`` and ``six.BytesIO`` are
    ``StringIO.StringIO``, ``six.moves.cStringIO`` is
    ``cStringIO.StringIO``), but for a ``cStringIO`` buffer of bytes:
    ``io.BytesIO`` holds the same ``str`` on 2, but it is another class
    (its repr, ``isinstance`` with ``cStringIO``'s types) and it refuses
    ``unicode``, which ``cStringIO`` encodes as ASCII.
    """
    examples = (
        Example(
                'import StringIO\n'
                '\n'
                'def app(environ, start_response):\n'
                '    buf = StringIO.StringIO()\n'
                "    buf.write(environ['wsgi.input'].read())\n"
                "    start_response('200 OK', [])\n"
                '    return [buf.getvalue()]\n',
                'import six\n'
                '\n'
                'def app(environ, start_response):\n'
                '    buf = six.BytesIO()\n'
                "    buf.write(environ['wsgi.input'].read())\n"
                "    start_response('200 OK', [])\n"
                '    return [buf.getvalue()]\n',
                title="In a WSGI application"),
        Example("import StringIO\n\ndef read_all(stream):\n    buf = StringIO.StringIO()\n    while True:\n"
                "        chunk = stream.recv(1024)\n        if not chunk:\n            break\n"
                "        buf.write(chunk)\n    return buf.getvalue()\n\nimport socket\nX = read_all(socket.socket())\n",
                "import six\n\ndef read_all(stream):\n    buf = six.BytesIO()\n    while True:\n"
                "        chunk = stream.recv(1024)\n        if not chunk:\n            break\n"
                "        buf.write(chunk)\n    return buf.getvalue()\n\nimport socket\nX = read_all(socket.socket())\n"),
        Example("import cStringIO\n\ndef environ_for(body=''):\n"
                "    return {'wsgi.input': cStringIO.StringIO(body), 'wsgi.errors': cStringIO.StringIO()}\n",
                "import io\nimport six\n\ndef environ_for(body=b''):\n"
                "    return {'wsgi.input': io.BytesIO(body), 'wsgi.errors': six.moves.cStringIO()}\n",
                title="wsgi.input holds bytes, wsgi.errors gets native strings"),
        Example("from StringIO import StringIO\n\ndef render(rows):\n    out = StringIO()\n"
                "    for row in rows:\n        out.write(u'<li>%s</li>' % row)\n    return out.getvalue()\n",
                "import six\n\ndef render(rows):\n    out = six.StringIO()\n"
                "    for row in rows:\n        out.write(u'<li>%s</li>' % row)\n    return out.getvalue()\n"),
        Example("import StringIO\n\ndef capture(func):\n    buf = StringIO.StringIO()\n    func(buf)\n"
                "    return buf.getvalue()\n",
                "import six\n\ndef capture(func):\n    buf = six.StringIO()\n    func(buf)\n"
                "    return buf.getvalue()\n",
                title="Handed to other code: reported (PK266 keeps StringIO.StringIO on 2.7)",
                findings=("PK266", "PK266", "PK410")),
    )

    def visit(self, node, ctx):
        done = ctx.cache.setdefault("pk4.flow.done", set())
        first = self.code not in done
        flow.FlowFixer.visit(self, node, ctx)
        if first:
            self.rewrite(ctx)

    def truncations(self, ctx, kinds, creation, new):
        """``buf.truncate(0)`` rewinds a StringIO on 2 but not an io buffer: seek(0) first."""
        current = K.analysis(ctx)
        for load, owner in kinds.buffer_holders(creation):
            if owner is not current:
                continue
            attr = ctx.parent(load)
            call = ctx.parent(attr) if isinstance(attr, ast.Attribute) and attr.attr == "truncate" else None
            stmt = ctx.parent(call) if isinstance(call, ast.Call) and call.func is attr else None
            if not isinstance(stmt, ast.Expr) or len(call.args) != 1 or K.const_str(call.args[0]) is not None \
                    or not (isinstance(call.args[0], ast.Constant) and call.args[0].value == 0):
                continue
            key = ("pk4.truncate", id(stmt))
            if ctx.cache.get(key):
                continue
            ctx.cache[key] = True
            previous = _previous_statement(ctx, stmt)
            if previous is not None and "seek(0)" in ctx.source(previous):
                continue
            edit = replace_statement(ctx, stmt, ["%s.seek(0)" % ctx.source(load), ctx.source(stmt)])
            ctx.report(stmt, "%s.truncate(0) also rewinds a StringIO on 2 but not the %s that replaces it: "
                             "seek(0) first" % (K.brief(ctx, load), new), edits=[edit] if edit else [])

    def rewrite(self, ctx):
        uses = _stringio_uses(ctx)
        if not uses:
            return
        kinds = kinds_after_plan(ctx)
        all_done = True
        handled = set()  # the Name nodes whose use is rewritten here
        for use in uses:
            call = ctx.parent(use)
            if not (isinstance(call, ast.Call) and call.func is use):
                all_done = False
                ctx.report(use, "%s is used without being called: it cannot be mapped to io.BytesIO or "
                                "io.StringIO automatically" % K.brief(ctx, use))
                continue
            label, why = kinds.buffer_kind(call)
            old = K.brief(ctx, use)
            c_module = ctx.resolve(use) == "cStringIO.StringIO" or isinstance(use, ast.Name) and \
                ctx.resolve(use) == "cStringIO"
            if label == K.BYTES:
                # six.BytesIO is StringIO.StringIO on 2; cStringIO has no such twin, and
                # io.BytesIO is the C buffer of bytes that holds the same str
                new, imports = ("io.BytesIO", [IO]) if c_module else ("six.BytesIO", [SIX])
            elif label in (K.TEXT, K.NATIVE):
                # the very class on 2.7, io.StringIO on 3
                new, imports = ("six.moves.cStringIO", [SIX]) if c_module else ("six.StringIO", [SIX])
            else:
                all_done = False
                ctx.report(call, "%s(): %s; use io.BytesIO for bytes, io.StringIO for text (unicode on 2) or "
                                 "six.StringIO for native strings" % (old, why))
                continue
            ctx.report(call, "%s() is gone on 3; %s: use %s()" % (old, why, new),
                       edits=[ctx.replace(use, new)], imports=imports)
            handled.add(id(use.value if isinstance(use, ast.Attribute) else use))
            self.truncations(ctx, kinds, call, new)
        if all_done:
            # A name bound by two imports (from StringIO and from cStringIO) has
            # uses that resolve to neither: they must not lose their import.
            bound = {alias.asname or alias.name for stmt in K.tree_nodes(ctx)
                     if isinstance(stmt, (ast.Import, ast.ImportFrom)) for alias in stmt.names
                     if (stmt.module if isinstance(stmt, ast.ImportFrom) else alias.name) in ("StringIO", "cStringIO")}
            all_done = not any(type(n.ctx) is ast.Load and n.id in bound and id(n) not in handled
                               for n in ctx.walk.index.get(ast.Name, ()))
        if all_done:
            for stmt in K.tree_nodes(ctx):
                if isinstance(stmt, ast.Import) and any(a.name in ("StringIO", "cStringIO") for a in stmt.names):
                    keep = [a for a in stmt.names if a.name not in ("StringIO", "cStringIO")]
                    lines = ["import " + ", ".join(a.name + (" as " + a.asname if a.asname else "") for a in keep)] \
                        if keep else []
                    edit = replace_statement(ctx, stmt, lines)
                    ctx.report(stmt, "the StringIO / cStringIO modules are gone on 3; every use is rewritten",
                               edits=[edit] if edit else [])
                elif isinstance(stmt, ast.ImportFrom) and stmt.module in ("StringIO", "cStringIO") \
                        and not stmt.level:
                    edit = replace_statement(ctx, stmt, [])
                    ctx.report(stmt, "the %s module is gone on 3; every use is rewritten" % stmt.module,
                               edits=[edit] if edit else [])


# ---------------------------------------------------------------------------
# __str__ returning text
# ---------------------------------------------------------------------------
@register
class WireNative(Fixer):
    code = flow.WIRE
    name = "socket-bytes-as-native"
    summary = "bytes read from a socket used as a native str: decode them with latin-1"
    explanation = """
    What it does: a value read from a socket (``sock.recv()``, or a method of
    a class of the project that reads a socket, such as a line reader) that
    is assigned to a local variable, or passed to a function of the project,
    whose uses are native-string operations (``.split(':')``,
    ``.startswith('HTTP/')``, ``line[0] in ' \\t'``, ``value + ' '``: plain
    literals on the other side) and never bytes operations (``b''``
    literals, ``zlib``, ``sendall``, ``.decode()``) is wrapped in
    ``six.ensure_str(..., 'latin-1')`` where it enters that code.

    Why: on 2, ``recv()`` gives a native ``str``, so code that parses an
    HTTP/1.x head (or any line protocol) works with plain literals, stores
    the pieces in header dicts and compares them with native strings.  On
    3, ``recv()`` gives ``bytes``: ``b'HTTP/1.1'.startswith('HTTP/')`` is a
    TypeError and ``b'x'[0]`` an int.  Turning every literal into ``b''``
    would make the parsed names and values bytes, which the rest of the
    program (and its callers) take as native strs.  Decoding with latin-1
    maps every byte to one character, so nothing is lost, and HTTP/1.x
    head lines are latin-1 on the wire.

    Fix safety: exact on 2.7 (``six.ensure_str`` returns a ``str``
    unchanged).  When the same value is also used as bytes, it is only
    reported, with both uses.
    """
    examples = (
        Example(
                'class LineReader(object):\n'
                '    def __init__(self, sock):\n'
                '        self.sock = sock\n'
                '\n'
                '    def readline(self):\n'
                '        return self.sock.recv(1024)\n'
                '\n'
                '\n'
                'def read_header(reader):\n'
                '    line = reader.readline()\n'
                "    name, sep, value = line.partition(':')\n"
                '    return name.strip(), value.strip()\n'
                '\n'
                '\n'
                'def main(sock):\n'
                '    return read_header(LineReader(sock))\n',
                'import six\n'
                'class LineReader(object):\n'
                '    def __init__(self, sock):\n'
                '        self.sock = sock\n'
                '\n'
                '    def readline(self):\n'
                '        return self.sock.recv(1024)\n'
                '\n'
                '\n'
                'def read_header(reader):\n'
                "    line = six.ensure_str(reader.readline(), 'latin-1')\n"
                "    name, sep, value = line.partition(':')\n"
                '    return name.strip(), value.strip()\n'
                '\n'
                '\n'
                'def main(sock):\n'
                '    return read_header(LineReader(sock))\n',
                title="An HTTP header line"),
        Example(
                'import zlib\n'
                'class LineReader(object):\n'
                '    def __init__(self, sock):\n'
                '        self.sock = sock\n'
                '\n'
                '    def readline(self):\n'
                '        return self.sock.recv(1024)\n'
                '\n'
                '\n'
                'def read_body(reader):\n'
                '    data = reader.readline()\n'
                '    return zlib.decompress(data)\n'
                '\n'
                '\n'
                'def main(sock):\n'
                '    return read_body(LineReader(sock))\n',
                None, title="Bytes stay bytes"),
    )
    needles = frozenset(["recv", "makefile"])  # some module of the project reads a socket; see bytes_flow.install_wire
    node_types = (ast.Call,)

    def visit(self, node, ctx):
        decodes = ctx.cache.get("pk4.wire.by_node")
        if decodes is None:
            flow.plan(ctx)
            current = K.analysis(ctx)
            decodes = ctx.cache["pk4.wire.by_node"] = {id(d.node): d for d in flow.wire_decodes(current)}
        decode = decodes.get(id(node))
        if decode is None or K.version_branch(ctx, node) is not None:
            return
        native = ", ".join(what for _, what in decode.native[:3]) or "no native-string use"
        head = "%s is bytes from a socket on 3 (%s), used as a native str (%s)" % (
            K.brief(ctx, node), decode.source, native)
        if decode.where != node and not decode.where.startswith("the parameter"):
            head = "%s = %s" % (decode.where, head)
        if not decode.sure:
            binary = ", ".join(what for _, what in decode.binary[:3])
            if not decode.native:
                return
            ctx.report(node, "%s and as bytes (%s): decode it with six.ensure_str(..., 'latin-1') where it is "
                             "text, or use b'' literals where it is bytes" % (head, binary))
            return
        ctx.report(node, "%s: decode it with six.ensure_str(..., 'latin-1') (the same str on 2; "
                         "HTTP/1.x head lines are latin-1)" % head,
                   edits=[ctx.replace(node, "six.ensure_str(%s, 'latin-1')" % ctx.source(node))], imports=[SIX])


@register
class NativeNormaliser(Fixer):
    code = "PK424"
    name = "native-normaliser"
    summary = "a function that makes native strs encodes text on 2: six.ensure_str"
    explanation = """
    What it does: in a function whose job is to return a native ``str``
    whatever it is given (it returns ``str(x)`` for other values), the
    Python 2 idiom ``if isinstance(x, unicode): return x.encode(enc)``
    becomes ``return six.ensure_str(x, enc)``, and a later ``return x`` (a
    byte string, after the text case) becomes
    ``return six.ensure_str(x, enc)``.

    Why: on 2 every branch returns a ``str``.  On 3 ``x.encode(enc)`` gives
    ``bytes`` where the other branches give ``str``: header values, names
    and keys made by such a function turn into ``b'...'`` when they are
    formatted, and never compare equal to the ``str`` they should be.

    Fix safety: exact on 2.7 (``six.ensure_str`` encodes ``unicode`` with
    ``enc`` and returns a ``str`` unchanged); on 3 text is returned as it is
    and bytes are decoded with the same ``enc``.  Functions without a
    ``str(...)`` branch (they may be meant to return bytes) are left alone.
    """
    examples = (
        Example(
                'import six\n'
                'def _native(value):\n'
                "    if isinstance(value, six.text_type):\n"
                "        return value.encode('latin-1')\n"
                '    if not isinstance(value, bytes):\n'
                '        return str(value)\n'
                '    return value\n'
                '\n'
                'def header_line(name, value):\n'
                "    return '%s: %s' % (name, _native(value))\n",
                'import six\n'
                'def _native(value):\n'
                "    if isinstance(value, six.text_type):\n"
                "        return six.ensure_str(value, 'latin-1')\n"
                '    if not isinstance(value, bytes):\n'
                '        return str(value)\n'
                "    return six.ensure_str(value, 'latin-1')\n"
                '\n'
                'def header_line(name, value):\n'
                "    return '%s: %s' % (name, _native(value))\n",
                title="Header values"),
        Example(
                'import six\n'
                'def to_bytes(value):\n'
                "    if isinstance(value, six.text_type):\n"
                "        return value.encode('utf-8')\n"
                '    return value\n',
                None, title="Meant to return bytes: left alone"),
    )
    needles = frozenset(["unicode", "text_type"])
    node_types = (ast.FunctionDef,)

    def visit(self, node, ctx):
        params = {a.arg for a in K.positional_params(node)}
        encode = None
        position = None
        for index, stmt in enumerate(node.body):
            if not (isinstance(stmt, ast.If) and not stmt.orelse and len(stmt.body) == 1
                    and isinstance(stmt.body[0], ast.Return)):
                continue
            test = stmt.test
            if not (isinstance(test, ast.Call) and isinstance(test.func, ast.Name) and test.func.id == "isinstance"
                    and len(test.args) == 2 and isinstance(test.args[0], ast.Name) and test.args[0].id in params):
                continue
            if ctx.resolve(test.args[1]) not in K.TEXT_TYPES:
                continue
            value = stmt.body[0].value
            name = test.args[0].id
            if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and value.func.attr == "encode" \
                    and isinstance(value.func.value, ast.Name) and value.func.value.id == name \
                    and len(value.args) == 1 and not value.keywords and K.const_str(value.args[0]):
                encode, position = value, index
                break
        if encode is None:
            return
        name = encode.func.value.id
        returns = [n for n in ast.walk(node) if isinstance(n, ast.Return) and n.value is not None
                   and K.enclosing_function(ctx, n) is node]
        native = [r for r in returns if isinstance(r.value, ast.Call) and isinstance(r.value.func, ast.Name)
                  and r.value.func.id == "str" and ctx.is_builtin(r.value.func, "str")]
        if not native:
            return
        later = [stmt.value for stmt in node.body[position + 1:]
                 if isinstance(stmt, ast.Return) and isinstance(stmt.value, ast.Name) and stmt.value.id == name]
        if any(r.value is not encode and r.value not in later and r not in native for r in returns):
            return  # another kind of return: not sure what the function is for
        if any(K.stmt_defines(stmt, name) for stmt in node.body):
            return  # rebound: the later returns may not be the argument
        codec = ctx.source(encode.args[0])
        text = "six.ensure_str(%s, %s)" % (name, codec)
        edits = [ctx.replace(encode, text)] + [ctx.replace(r, text) for r in later]
        ctx.report(encode, "%s() returns str(...) (a native str) for other values, but %s gives bytes on 3: use "
                           "six.ensure_str(%s, %s)%s (the same str on 2)" % (
                               node.name, K.brief(ctx, encode), name, codec,
                               ", also for the bytes returned at line %d" % later[0].lineno if later else ""),
                   edits=edits, imports=[SIX])


@register
class NativeStrIdiom(Fixer):
    code = "PK430"
    name = "native-str-idiom"
    summary = "if isinstance(x, unicode): x = x.encode(c) makes a native str: six.ensure_str(x, c)"
    explanation = """
    What it does: Python 2's idiom for "give me a native ``str``"::

        if isinstance(name, unicode):
            name = name.encode('utf-8')

    becomes ``name = six.ensure_str(name, 'utf-8')`` inside the same test,
    when ``name`` is then used as a native string (formatted, compared
    with ``''`` literals, matched with ``str`` patterns, used as a key or a
    module name) and never as bytes (hashed, sent, decoded, or passed where
    an API needs bytes): then it is left alone.

    Why: on 2 both paths leave a ``str``.  On 3 the test is true for every
    ``str``, and ``.encode()`` turns the text into ``bytes``; the bytes then
    reach ``__import__``, URL quoting, ``os.path``, headers, ``%``
    formatting and comparisons with ``''`` literals, and all of them
    break.  ``six.ensure_str`` encodes on 2 and keeps the text on 3.

    Fix safety: exact on 2.7: inside the test the value is ``unicode``, and
    ``six.ensure_str(u, c)`` is ``u.encode(c)``.
    """
    examples = (
        Example(
            "def module_name(name):\n"
            "    if isinstance(name, unicode):\n"
            "        name = name.encode('ascii')\n"
            "    return __import__(name)\n",
            "import six\n"
            "def module_name(name):\n"
            "    if isinstance(name, six.text_type):\n"
            "        name = six.ensure_str(name, 'ascii')\n"
            "    return __import__(name)\n",
            findings=("PK204", "PK430"),
        ),
        Example(
            "import hashlib\n"
            "def digest(data):\n"
            "    if isinstance(data, unicode):\n"
            "        data = data.encode('utf-8')\n"
            "    return hashlib.sha1(data).hexdigest()\n",
            "import hashlib\n"
            "import six\n"
            "def digest(data):\n"
            "    if isinstance(data, six.text_type):\n"
            "        data = data.encode('utf-8')\n"
            "    return hashlib.sha1(data).hexdigest()\n",
            title="used as bytes afterwards: the encoding stays",
            findings=("PK204",),
        ),
    )
    needles = frozenset(["unicode", "text_type"])
    node_types = (ast.If,)

    def visit(self, node, ctx):
        found = K.native_str_idiom(ctx, node)
        if found is None:
            return
        name, call = found
        receiver = ctx.source(call.func.value)
        args = "".join(", " + ctx.source(a) for a in call.args)
        ctx.report(call, "%s is made a native str here (a str on 2 either way), but on 3 %s gives bytes where the "
                         "other path keeps text: use six.ensure_str(%s%s) (the same str on 2)" % (
                             name, K.brief(ctx, call), receiver, args),
                   edits=[ctx.replace(call, "six.ensure_str(%s%s)" % (receiver, args))], imports=[SIX])


@register
class StrReturnsText(Fixer):
    code = "PK412"
    name = "str-returns-text"
    summary = "__str__ returns text (unicode on 2): add six.python_2_unicode_compatible"
    explanation = """
    What it does: a class whose ``__str__`` returns TEXT (``u''`` literals,
    ``.decode()`` results) and that has no ``__unicode__`` gets
    ``@six.python_2_unicode_compatible``.

    Why: Python 2's ``str(obj)`` encodes a ``unicode`` result with ASCII and
    fails on anything else; Python 3 wants text.  The decorator makes
    ``__str__`` return UTF-8 bytes on 2 (and ``__unicode__`` the text), and
    does nothing on 3.

    Classes that define ``__unicode__`` are PK3 work (the classes fixer
    turns ``__unicode__`` into ``__str__`` with the same decorator).

    Fix safety: on 2, ASCII results are unchanged; non-ASCII results, which
    raised ``UnicodeEncodeError``, become UTF-8.
    """
    examples = (
        Example(
                'class Page(object):\n'
                '    def __init__(self, title):\n'
                '        self.title = title\n'
                '\n'
                '    def __str__(self):\n'
                "        return u'<title>%s</title>' % self.title\n"
                '\n'
                'def app(environ, start_response):\n'
                "    start_response('200 OK', [])\n"
                "    return [unicode(Page(u'x')).encode('utf-8')]\n",
                'import six\n'
                '@six.python_2_unicode_compatible\n'
                'class Page(object):\n'
                '    def __init__(self, title):\n'
                '        self.title = title\n'
                '\n'
                '    def __str__(self):\n'
                "        return u'<title>%s</title>' % self.title\n"
                '\n'
                'def app(environ, start_response):\n'
                "    start_response('200 OK', [])\n"
                "    return [six.text_type(Page(u'x')).encode('utf-8')]\n",
                title="In a WSGI application"),
        Example("class Tag(object):\n    def __init__(self, name):\n        self.name = name\n\n"
                "    def __str__(self):\n        return u'#%s' % self.name\n",
                "import six\n@six.python_2_unicode_compatible\nclass Tag(object):\n"
                "    def __init__(self, name):\n        self.name = name\n\n"
                "    def __str__(self):\n        return u'#%s' % self.name\n"),
        Example("class Tag(object):\n    def __str__(self):\n        return 'tag'\n", None, title="Native"),
    )
    needles = frozenset(["__str__"])
    node_types = (ast.ClassDef,)

    def visit(self, node, ctx):
        methods = {s.name: s for s in node.body if isinstance(s, K.FUNCS)}
        method = methods.get("__str__")
        if method is None or "__unicode__" in methods:
            return
        if any(K.decorator_name(d) == "python_2_unicode_compatible" for d in node.decorator_list):
            return
        kinds = kinds_after_plan(ctx)
        value = kinds.returns_of(method)
        if not K.is_sure(value, K.TEXT):
            return
        first = node.decorator_list[0] if node.decorator_list else node
        line_start = ctx.lines.starts[first.lineno - 1]
        if ctx.text[line_start:ctx.start(first) - (1 if node.decorator_list else 0)].strip():
            ctx.report(node, "%s.__str__ returns %s: decorate the class with @six.python_2_unicode_compatible"
                       % (node.name, value.describe()))
            return
        indent = ctx.text[line_start:ctx.start(first)].rstrip("@")
        ctx.report(node, "%s.__str__ returns %s; on 2 str() would encode it with ASCII: decorate the class with "
                         "@six.python_2_unicode_compatible" % (node.name, value.describe()),
                   edits=[ctx.replace_span(line_start, line_start, indent + "@six.python_2_unicode_compatible\n")],
                   imports=[SIX])


# ---------------------------------------------------------------------------
# csv
# ---------------------------------------------------------------------------
@register
class CsvBytes(flow.FlowFixer):
    code = flow.CSV
    name = "csv-bytes-text"
    summary = "csv reads and writes bytes on 2.7 and text on 3"
    explanation = """
    What it does: reports every ``csv.reader`` / ``csv.writer`` /
    ``DictReader`` / ``DictWriter`` with what each side needs, and fixes the
    one mechanical part: cells and lines that the code encodes to UTF-8
    *for* the csv module (``writer.writerow([c.encode('utf-8') for c in
    row])``, a line iterator returning ``line.encode('utf-8')``) become
    ``six.ensure_str(c, 'utf-8')``: UTF-8 bytes on 2, the text itself on 3,
    which is what the module wants on each.

    Why: the 2.7 ``csv`` module is byte-oriented: files opened ``'rb'`` /
    ``'wb'``, cells are ``str`` (encode text to UTF-8 before writing, decode
    after reading).  On 3 it is text-oriented: files opened in text mode
    with ``newline=''`` and an ``encoding``, cells are ``str``.  No single
    call works on both.

    What to do: branch once, at the file: ``if six.PY2: f = open(path,
    'rb')`` … ``else: f = io.open(path, newline='', encoding='utf-8')``,
    and encode/decode cells only on 2 (``six.ensure_text(cell, 'utf-8')``
    reading, ``cell.encode('utf-8') if six.PY2 else cell`` writing); or use
    the ``backports.csv`` package, which gives 2.7 the 3 API.  The
    ``UnicodeReader``/``UnicodeWriter`` recipe of the 2.7 documentation
    needs the same branch.  Nothing is rewritten.
    """
    examples = (
        Example(
                'import csv\n'
                'import StringIO\n'
                '\n'
                'def app(environ, start_response):\n'
                "    rows = csv.reader(StringIO.StringIO(environ['wsgi.input'].read()))\n"
                "    start_response('200 OK', [])\n"
                "    return [b'%d rows' % len(list(rows))]\n",
                'import csv\n'
                'import six\n'
                '\n'
                'def app(environ, start_response):\n'
                "    rows = csv.reader(six.BytesIO(environ['wsgi.input'].read()))\n"
                "    start_response('200 OK', [])\n"
                "    return [b'%d rows' % len(list(rows))]\n",
                title="In a WSGI application"),
        Example("import csv\n\ndef rows(path):\n    with open(path, 'rb') as f:\n        return list(csv.reader(f))\n",
                None, findings=("PK414",)),
        Example("import csv\n\ndef save(f, rows):\n    writer = csv.writer(f)\n    for row in rows:\n"
                "        writer.writerow([cell.encode('utf-8') for cell in row])\n\nsave(open('x', 'wb'), [[u'a']])\n",
                "import csv\nimport six\n\ndef save(f, rows):\n    writer = csv.writer(f)\n    for row in rows:\n"
                "        writer.writerow([six.ensure_str(cell, 'utf-8') for cell in row])\n\n"
                "save(open('x', 'wb'), [[u'a']])\n",
                findings=("PK414", "PK414")),
    )
    needles = frozenset()  # what is encoded for csv may be written in another module

    def visit(self, node, ctx):
        done = ctx.cache.setdefault("pk4.flow.done", set())
        if self.code in done:
            return
        flow.FlowFixer.visit(self, node, ctx)
        if "csv" not in ctx.text:
            return  # a csv reader or writer made here needs csv imported here
        for call in K.tree_nodes(ctx):
            if isinstance(call, ast.Call):
                self.creation(call, ctx)

    def creation(self, node, ctx):
        dotted = ctx.resolve(node.func) if isinstance(node.func, (ast.Name, ast.Attribute)) else None
        if dotted not in ("csv.reader", "csv.writer", "csv.DictReader", "csv.DictWriter"):
            return
        kind = "reads" if "eader" in dotted else "writes"
        target = K.brief(ctx, node.args[0]) if node.args else "its file"
        ctx.report(node, "%s() %s bytes on 2.7 (file opened 'rb'/'wb', cells UTF-8 str) but text on 3 (file opened "
                         "with newline='' and an encoding, cells str): open %s per version (six.PY2) and "
                         "encode/decode cells only on 2, or use backports.csv" % (dotted, kind, target))


# ---------------------------------------------------------------------------
# Bytes indexed or iterated
# ---------------------------------------------------------------------------
def _loop_char_uses(ctx, loop, names):
    """``(ord calls, other loads)`` of ``names`` inside ``loop``'s body, or None."""
    calls, raw = [], []
    body = loop.body if isinstance(loop, ast.For) else [loop.elt] + [c for g in loop.generators for c in g.ifs]
    for stmt in body:
        for sub in ast.walk(stmt):
            if isinstance(sub, ast.Name) and sub.id in names:
                if not isinstance(sub.ctx, ast.Load):
                    return None
                parent = ctx.parent(sub)
                if isinstance(parent, ast.Call) and isinstance(parent.func, ast.Name) and parent.func.id == "ord" \
                        and parent.args == [sub] and ctx.is_builtin(parent.func, "ord"):
                    calls.append(parent)
                else:
                    raw.append(sub)
    return calls, raw


def _native_joined(ctx, comp):
    """Is the comprehension ``comp`` the argument of ``''.join()`` with a plain literal separator?"""
    parent = ctx.parent(comp)
    return isinstance(parent, ast.Call) and parent.args == [comp] and isinstance(parent.func, ast.Attribute) \
        and parent.func.attr == "join" and _is_literal(parent.func.value) \
        and K.is_sure(value_of(ctx, parent.func.value), K.NATIVE)


def _loop_ord_only(ctx, loop, names):
    """Every load of ``names`` inside ``loop``'s body is the argument of ``ord()``: the ord calls."""
    calls = []
    body = loop.body if isinstance(loop, ast.For) else [loop.elt]
    for stmt in body:
        for sub in ast.walk(stmt):
            if isinstance(sub, ast.Name) and sub.id in names:
                if not isinstance(sub.ctx, ast.Load):
                    return None
                parent = ctx.parent(sub)
                if isinstance(parent, ast.Call) and isinstance(parent.func, ast.Name) and parent.func.id == "ord" \
                        and parent.args == [sub] and ctx.is_builtin(parent.func, "ord"):
                    calls.append(parent)
                else:
                    return None
    return calls


@register
class BytesIndexing(Fixer):
    code = "PK415"
    name = "bytes-indexing"
    summary = "bytes indexed or iterated: single items are ints on 3"
    explanation = """
    What it does:

    * ``ord(data[i])`` → ``six.indexbytes(data, i)``;
    * ``data[i] == 'x'`` → ``data[i:i + 1] == b'x'``;
    * ``for c in data: ... ord(c) ...`` (every use of ``c`` inside ``ord()``,
      also over ``zip(a, b)`` of bytes) → ``for c in six.iterbytes(data): ... c ...``;
    * ``map(ord, data)`` → ``six.iterbytes(data)`` where the result is only
      iterated;
    * other indexing or iteration of BYTES is reported.

    Why: on 2 an item of a byte string is a 1-character ``str``; on 3 it is
    an ``int``.  ``six.indexbytes`` and ``six.iterbytes`` give ints on both.

    Fix safety: exact on 2.7; the slices are the same 1-character ``str``.
    """
    examples = (
        Example(
                'def app(environ, start_response):\n'
                "    body = environ['wsgi.input'].read()\n"
                "    compressed = body[0] == '\\x1f'\n"
                "    start_response('200 OK', [])\n"
                "    return [b'gzip' if compressed else b'plain']\n",
                'def app(environ, start_response):\n'
                "    body = environ['wsgi.input'].read()\n"
                "    compressed = body[0:1] == b'\\x1f'\n"
                "    start_response('200 OK', [])\n"
                "    return [b'gzip' if compressed else b'plain']\n",
                title="In a WSGI application"),
        Example("import os\n\ndef checksum(data):\n    total = 0\n    for i in range(len(data)):\n"
                "        total += ord(data[i])\n    return total\n\nX = checksum(os.urandom(4))\n",
                "import os\nimport six\n\ndef checksum(data):\n    total = 0\n    for i in range(len(data)):\n"
                "        total += six.indexbytes(data, i)\n    return total\n\nX = checksum(os.urandom(4))\n"),
        Example("import os\n\ndef parity(data):\n    x = 0\n    for c in data:\n        x ^= ord(c)\n    return x\n\n"
                "X = parity(os.urandom(4))\n",
                "import os\nimport six\n\ndef parity(data):\n    x = 0\n    for c in six.iterbytes(data):\n"
                "        x ^= c\n    return x\n\nX = parity(os.urandom(4))\n"),
        Example("import zlib\n\ndef compressed(payload):\n    data = zlib.decompress(payload)\n"
                "    return data[0] == '.'\n",
                "import zlib\n\ndef compressed(payload):\n    data = zlib.decompress(payload)\n"
                "    return data[0:1] == b'.'\n"),
    )
    needles = frozenset()  # any subscript of bytes
    node_types = (ast.Subscript, ast.For, ast.comprehension, ast.Call)

    def bytes_value(self, ctx, node):
        value = value_of(ctx, node)
        return value if K.is_sure(value, K.BYTES) else None

    def visit(self, node, ctx):
        if isinstance(node, ast.Subscript):
            self.subscript(node, ctx)
        elif isinstance(node, (ast.For, ast.comprehension)):
            self.loop(node, ctx)
        elif isinstance(node, ast.Call):
            self.map_ord(node, ctx)

    def subscript(self, node, ctx):
        if not isinstance(node.ctx, ast.Load) or isinstance(node.slice, ast.Slice):
            return
        data = self.bytes_value(ctx, node.value)
        if data is None:
            return
        parent = ctx.parent(node)
        head = "%s: an item of BYTES (%s) is a 1-character str on 2 but an int on 3" % (K.brief(ctx, node), data.reason)
        if isinstance(parent, ast.Call) and isinstance(parent.func, ast.Name) and parent.func.id == "ord" \
                and parent.args == [node] and ctx.is_builtin(parent.func, "ord"):
            text = "six.indexbytes(%s, %s)" % (ctx.source(node.value), ctx.source(node.slice))
            ctx.report(node, "%s: use six.indexbytes()" % head, edits=[ctx.replace(parent, text)], imports=[SIX])
            return
        if isinstance(parent, ast.Compare) and len(parent.ops) == 1 and isinstance(parent.ops[0], (
                ast.Eq, ast.NotEq)):
            other = parent.comparators[0] if parent.left is node else parent.left
            if _is_literal(other) and len(other.value) == 1:
                new_literal = literal_prefix(ctx, other, "b")
                index = node.slice
                slice_text = _one_item_slice(ctx, index)
                if new_literal is not None and slice_text is not None:
                    text = flow.splice(ctx, parent, [(node, "%s[%s]" % (atom(ctx, node.value), slice_text)),
                                                     (other, new_literal)])
                    ctx.report(node, "%s: compare a 1-byte slice with a b'' literal" % head,
                               edits=[ctx.replace(parent, text)])
                    return
        if isinstance(parent, ast.Call) and isinstance(parent.func, ast.Name) and parent.func.id in ("int", "chr"):
            pass
        ctx.report(node, "%s: use six.indexbytes(data, i) for the int, or data[i:i + 1] for a 1-byte slice" % head)

    def loop(self, node, ctx):
        iterable = node.iter
        targets = [node.target]
        iters = [iterable]
        if isinstance(iterable, ast.Call) and isinstance(iterable.func, (ast.Name, ast.Attribute)) \
                and table.canonical(ctx.resolve(iterable.func)) == "builtins.zip" \
                and isinstance(node.target, ast.Tuple) and len(node.target.elts) == len(iterable.args):
            iters = list(iterable.args)
            targets = list(node.target.elts)
        datas = [self.bytes_value(ctx, it) for it in iters]
        if not any(datas):
            return
        names = set()
        for target, data in zip(targets, datas):
            if data is not None:
                if not isinstance(target, ast.Name):
                    return
                names.add(target.id)
        loop = node if isinstance(node, ast.For) else ctx.parent(node)
        data = next(d for d in datas if d is not None)
        head = "iterating over BYTES (%s) gives 1-character strs on 2 but ints on 3" % data.reason
        calls = _loop_ord_only(ctx, loop, names) if isinstance(loop, (ast.For, ast.ListComp, ast.GeneratorExp,
                                                                       ast.SetComp)) else None
        if not calls and isinstance(loop, (ast.ListComp, ast.GeneratorExp)) and _native_joined(ctx, loop):
            uses = _loop_char_uses(ctx, loop, names)
            if uses is not None:
                ords, raw = uses
                edits = [ctx.replace(call, ctx.source(call.args[0])) for call in ords]
                edits += [ctx.replace(name, "chr(%s)" % name.id) for name in raw]
                edits += [ctx.replace(it, "six.iterbytes(%s)" % ctx.source(it)) for it, d in zip(iters, datas)
                          if d is not None]
                ctx.report(node.iter, "%s; the characters are joined into a native str: iterate over "
                                      "six.iterbytes(), drop the ord() and use chr() for the character" % head,
                           edits=edits, imports=[SIX])
                return
        if not calls:
            ctx.report(node.iter, "%s: use six.iterbytes() for ints, or slices for 1-byte strs" % head)
            return
        edits = [ctx.replace(call, ctx.source(call.args[0])) for call in calls]
        for it, d in zip(iters, datas):
            if d is not None:
                edits.append(ctx.replace(it, "six.iterbytes(%s)" % ctx.source(it)))
        ctx.report(node.iter, "%s; every item is only passed to ord(): iterate over six.iterbytes() and drop the "
                              "ord()" % head, edits=edits, imports=[SIX])

    def map_ord(self, node, ctx):
        if not (isinstance(node.func, ast.Name) and node.func.id == "map" and ctx.is_builtin(node.func, "map")):
            return
        if len(node.args) != 2 or not (isinstance(node.args[0], ast.Name) and node.args[0].id == "ord"
                                       and ctx.is_builtin(node.args[0], "ord")):
            return
        data = self.bytes_value(ctx, node.args[1])
        if data is None:
            return
        parent = ctx.parent(node)
        consumed = isinstance(parent, ast.For) and parent.iter is node or isinstance(parent, ast.Call) and (
            isinstance(parent.func, ast.Name) and parent.func.id in (
                "reduce", "sum", "list", "tuple", "sorted", "set", "max", "min", "any", "all", "bytearray")
            or isinstance(parent.func, ast.Attribute) and parent.func.attr == "reduce")
        head = "map(ord, %s): %s is BYTES (%s)" % (K.brief(ctx, node.args[1]), K.brief(ctx, node.args[1]), data.reason)
        if consumed:
            ctx.report(node, "%s; six.iterbytes() gives its ints on both" % head,
                       edits=[ctx.replace(node, "six.iterbytes(%s)" % ctx.source(node.args[1]))], imports=[SIX])
        else:
            ctx.report(node, "%s; its items are ints on 3: use list(six.iterbytes(...))" % head)


def _one_item_slice(ctx, index):
    if isinstance(index, ast.Constant) and isinstance(index.value, int):
        if index.value == -1:
            return "-1:"
        return "%d:%d" % (index.value, index.value + 1)
    if isinstance(index, ast.Name):
        return "%s:%s + 1" % (index.id, index.id)
    return None


# ---------------------------------------------------------------------------
# bytes(n)
# ---------------------------------------------------------------------------
@register
class BytesConstructor(Fixer):
    code = "PK416"
    name = "bytes-constructor"
    summary = "bytes(x) is str(x) on 2 but something else on 3"
    explanation = """
    What it does: ``bytes(n)`` with a number becomes ``str(n).encode('ascii')``;
    ``bytes(text)`` with TEXT becomes ``text.encode('ascii')``; ``bytes(s)``
    with a NATIVE string of known content becomes ``six.ensure_binary(s)``.
    Other calls are reported.

    Why: on 2 ``bytes`` is ``str``: ``bytes(3)`` is ``'3'``.  On 3
    ``bytes(3)`` is three zero bytes and ``bytes(u'x')`` needs an encoding.

    Fix safety: exact on 2.7: each replacement is the ``str`` that
    ``bytes()`` gave.
    """
    examples = (
        Example(
                'def app(environ, start_response):\n'
                "    body = b'hello'\n"
                "    start_response('200 OK', [])\n"
                "    return [b'Length: ' + bytes(len(body))]\n",
                'def app(environ, start_response):\n'
                "    body = b'hello'\n"
                "    start_response('200 OK', [])\n"
                "    return [b'Length: ' + str(len(body)).encode('ascii')]\n",
                title="In a WSGI application"),
        Example("def header(n):\n    return b'Length: ' + bytes(n)\n\nheader(3)\n",
                "def header(n):\n    return b'Length: ' + str(n).encode('ascii')\n\nheader(3)\n"),
        Example("def raw(data):\n    return bytes(data)\n\nraw(b'x')\n", None, title="bytes of bytes"),
    )
    needles = frozenset(["bytes"])
    node_types = (ast.Call,)

    def visit(self, node, ctx):
        func = node.func
        if not (isinstance(func, ast.Name) and func.id == "bytes" and ctx.is_builtin(func, "bytes")):
            return
        if len(node.args) != 1 or node.keywords or isinstance(node.args[0], ast.Starred):
            return
        arg = node.args[0]
        if isinstance(arg, ast.Call) and isinstance(arg.func, ast.Name) and arg.func.id in (
                "bytearray", "memoryview", "buffer") and ctx.is_builtin(arg.func, arg.func.id):
            return  # bytes(bytearray(...)): the same bytes on 2 (str of a bytearray) and 3
        value = value_of(ctx, arg)
        head = "bytes(%s): on 2 that is str(%s)" % (K.brief(ctx, arg), K.brief(ctx, arg))
        if not isinstance(value, (K.Str, K.Mixed)) and "bytearray" in (getattr(value, "reason", "") or ""):
            return  # a bytearray (or what it was made from): bytes() copies the same bytes on 2 and 3
        if isinstance(value, K.Other) or isinstance(arg, ast.Constant) and isinstance(arg.value, int):
            ctx.report(node, "%s, on 3 a run of zero bytes: use str(...).encode('ascii')" % head,
                       edits=[ctx.replace(node, "str(%s).encode('ascii')" % ctx.source(arg))])
            return
        if K.is_sure(value, K.BYTES):
            return
        if K.is_sure(value, K.TEXT):
            ctx.report(node, "%s, on 3 a TypeError (no encoding): encode it explicitly" % head,
                       edits=[ctx.replace(node, "%s.encode('ascii')" % atom(ctx, arg))])
            return
        if K.is_sure(value, K.NATIVE) and value.portable:
            ctx.report(node, "%s, on 3 a TypeError: use six.ensure_binary()" % head,
                       edits=[ctx.replace(node, "six.ensure_binary(%s)" % ctx.source(arg))], imports=[SIX])
            return
        ctx.report(node, "%s; on 3 it means something else for numbers and text: %s is %s" % (
            head, K.brief(ctx, arg), K.describe(value)))


# ---------------------------------------------------------------------------
# Native strings required whatever unicode_literals says
# ---------------------------------------------------------------------------
_NATIVE_ARG0 = ("struct.pack", "struct.unpack", "struct.calcsize", "struct.Struct", "struct.pack_into",
                "struct.unpack_from", "array.array")


@register
class NativeRequired(Fixer):
    code = "PK417"
    name = "native-str-required"
    summary = "a text literal where Python 2 needs a native str (struct formats, type() names, __all__)"
    explanation = """
    What it does: under ``from __future__ import unicode_literals`` (or with
    a ``u''`` prefix), a literal used as a ``struct`` format, an ``array``
    typecode, the name given to ``type()``, a ``__name__`` or an item of
    ``__all__`` becomes ``str('...')``.

    Why: these places need a native ``str`` on 2: ``struct`` rejects a
    unicode format before 2.7.7, ``array.array(u'b')`` and ``type(u'X', ...)``
    raise ``TypeError``, and ``from m import *`` fails on unicode names in
    ``__all__``.

    Fix safety: ``str()`` of an ASCII unicode is the same text as a native
    ``str`` on 2 and does nothing on 3.
    """
    examples = (
        Example(
                'from __future__ import unicode_literals\n'
                'import struct\n'
                '\n'
                'def app(environ, start_response):\n'
                "    start_response(str('200 OK'), [])\n"
                "    return [struct.pack('>I', 42)]\n",
                'from __future__ import unicode_literals\n'
                'import struct\n'
                '\n'
                'def app(environ, start_response):\n'
                "    start_response(str('200 OK'), [])\n"
                "    return [struct.pack(str('>I'), 42)]\n",
                title="In a WSGI application"),
        Example("from __future__ import unicode_literals\nimport struct\n\nHEADER = struct.Struct('>II')\n",
                "from __future__ import unicode_literals\nimport struct\n\nHEADER = struct.Struct(str('>II'))\n"),
        Example("from __future__ import unicode_literals\n__all__ = ['load', 'dump']\n",
                "from __future__ import unicode_literals\n__all__ = [str('load'), str('dump')]\n"),
        Example("import struct\nHEADER = struct.Struct('>II')\n", None, title="A native literal already"),
    )
    needles = frozenset(["struct", "array", "type", "__name__", "__all__"])
    node_types = (ast.Call, ast.Assign)

    def text_literal(self, ctx, node):
        if not _is_literal(node) or not K.is_ascii(node.value):
            return False
        return "unicode_literals" in ctx.future or K.has_u_prefix(ctx, node)

    def fix(self, ctx, node, where):
        ctx.report(node, "%s is a text literal (%s); Python 2 needs a native str here: wrap it in str()" % (
            K.brief(ctx, node), where), edits=[ctx.replace(node, "str(%s)" % ctx.source(node))])

    def visit(self, node, ctx):
        if isinstance(node, ast.Call):
            if not node.args or not self.text_literal(ctx, node.args[0]):
                return  # (the cheaper test first)
            func = node.func
            dotted = ctx.resolve(func) if isinstance(func, (ast.Name, ast.Attribute)) else None
            if dotted in _NATIVE_ARG0:
                self.fix(ctx, node.args[0], "the format of %s()" % dotted)
            elif dotted == "builtins.type" and len(node.args) == 3:
                self.fix(ctx, node.args[0], "the name of a class made with type()")
            return
        for target in node.targets:
            if isinstance(target, ast.Name) and target.id == "__all__" and isinstance(node.value, (ast.List, ast.Tuple)):
                for elt in node.value.elts:
                    if self.text_literal(ctx, elt):
                        self.fix(ctx, elt, "an item of __all__")
            elif (isinstance(target, ast.Name) and target.id == "__name__" or isinstance(target, ast.Attribute)
                  and target.attr == "__name__") and self.text_literal(ctx, node.value):
                self.fix(ctx, node.value, "a __name__")


# ---------------------------------------------------------------------------
# .decode() of a native str
# ---------------------------------------------------------------------------
def _native_receiver(ctx, call):
    func = call.func
    if not (isinstance(func, ast.Attribute) and func.attr == "decode"):
        return None
    if call.args and K.const_str(call.args[0]) and K.const_str(call.args[0]).lower() in table.BYTES_CODECS:
        return None
    value = value_of(ctx, func.value)
    parts = K.strings_of(value)
    if not parts or any(p.label == K.TEXT for p in parts):
        return None
    if not any(p.label == K.NATIVE for p in parts):
        return None
    if any(p.label == K.NATIVE and p.latin1 and not p.portable for p in parts):
        return None  # PK403
    return value


@register
class DecodeNative(Fixer):
    code = "PK418"
    name = "decode-native"
    summary = ".decode() of a native str (text on 3, which has no .decode)"
    explanation = """
    What it does: ``x.decode(enc[, errors])`` where ``x`` is a NATIVE string
    (``traceback.format_exc()``, ``parse_qs()`` results, ``unquote()``, a
    plain literal) becomes ``six.ensure_text(x, enc[, errors])``.
    ``open(path).read().decode(enc)`` becomes
    ``io.open(path, encoding=enc, newline='').read()``.

    Why: on 2 a native string is bytes and is decoded; on 3 it is already
    text, and ``str`` has no ``.decode``.  ``six.ensure_text`` decodes on 2
    and returns the text unchanged on 3.  A text-mode file on 3 is decoded
    with the locale's encoding; ``io.open`` decodes with the one the code
    named, on both.

    Fix safety: exact on 2.7 (``newline=''`` keeps the line endings as 2's
    ``open()`` did).  Environ values are PK403: they are not UTF-8 text on 3.
    """
    examples = (
        Example(
                'import traceback\n'
                '\n'
                'def app(environ, start_response):\n'
                '    try:\n'
                "        raise ValueError('x')\n"
                '    except ValueError:\n'
                "        text = traceback.format_exc().decode('utf-8', 'replace')\n"
                "    start_response('500 Internal Server Error', [])\n"
                "    return [text.encode('utf-8')]\n",
                'import traceback\n'
                'import six\n'
                '\n'
                'def app(environ, start_response):\n'
                '    try:\n'
                "        raise ValueError('x')\n"
                '    except ValueError:\n'
                "        text = six.ensure_text(traceback.format_exc(), 'utf-8', 'replace')\n"
                "    start_response('500 Internal Server Error', [])\n"
                "    return [text.encode('utf-8')]\n",
                title="In a WSGI application"),
        Example("import traceback\n\ndef report():\n    return traceback.format_exc().decode('utf-8', 'replace')\n",
                "import traceback\nimport six\n\ndef report():\n"
                "    return six.ensure_text(traceback.format_exc(), 'utf-8', 'replace')\n"),
        Example("def load(path):\n    return open(path).read().decode('utf-8')\n",
                "import io\ndef load(path):\n    return io.open(path, encoding='utf-8', newline='').read()\n"),
        Example("def f(data):\n    return data.decode('utf-8')\n", None, title="UNKNOWN: left alone"),
    )
    needles = frozenset(["decode", "unicode", "text_type"])
    node_types = (ast.Call,)

    def visit(self, node, ctx):
        if isinstance(node.func, (ast.Name, ast.Attribute)) and len(node.args) >= 2 and not node.keywords:
            dotted = ctx.resolve(node.func)
            if dotted in ("builtins.unicode", "six.text_type"):
                self.text_of_native(node, ctx)
                return
        value = _native_receiver(ctx, node)
        if value is None:
            return
        receiver = node.func.value
        if claimed(ctx, node):
            return
        head = "%s is %s; .decode() works on 2 only (on 3 it is already text)" % (K.brief(ctx, receiver),
                                                                                K.describe(value))
        opened = self._opened_file(receiver, ctx)
        if opened is not None and len(node.args) == 1 and not node.keywords:
            path_node = opened.args[0]
            text = "io.open(%s, encoding=%s, newline='').read()" % (ctx.source(path_node), ctx.source(node.args[0]))
            ctx.report(node, "%s: read the file with io.open(..., encoding=...)" % head,
                       edits=[ctx.replace(node, text)], imports=[IO])
            return
        if node.keywords:
            ctx.report(node, "%s: use six.ensure_text()" % head)
            return
        args = [ctx.source(a) for a in node.args] or ["'ascii'"]
        text = "six.ensure_text(%s)" % ", ".join([ctx.source(receiver)] + args)
        ctx.report(node, "%s: use six.ensure_text(), which decodes on 2 only" % head,
                   edits=[ctx.replace(node, text)], imports=[SIX])

    def text_of_native(self, node, ctx):
        """``unicode(s, 'utf-8')`` of a native str: a decode on 2, a TypeError on 3."""
        value = value_of(ctx, node.args[0])
        parts = K.strings_of(value)
        if not parts or any(p.label == K.TEXT for p in parts) or not any(p.label == K.NATIVE for p in parts):
            return
        if any(p.label == K.NATIVE and p.latin1 and not p.portable for p in parts):
            return
        text = "six.ensure_text(%s)" % ", ".join(ctx.source(a) for a in node.args)
        ctx.report(node, "%s is %s; %s(s, encoding) decodes it on 2 but raises TypeError on 3 (it is already "
                         "text): use six.ensure_text()" % (K.brief(ctx, node.args[0]), K.describe(value),
                                                            K.brief(ctx, node.func)),
                   edits=[ctx.replace(node, text)], imports=[SIX])

    @staticmethod
    def _opened_file(receiver, ctx):
        """The ``open(path)`` call of ``open(path).read()``, text mode, or None."""
        if not (isinstance(receiver, ast.Call) and isinstance(receiver.func, ast.Attribute)
                and receiver.func.attr == "read" and not receiver.args):
            return None
        opened = receiver.func.value
        if not (isinstance(opened, ast.Call) and isinstance(opened.func, ast.Name)
                and opened.func.id in ("open", "file") and ctx.is_builtin(opened.func, opened.func.id)):
            return None
        if opened.keywords or not opened.args or len(opened.args) > 2:
            return None
        if len(opened.args) == 2 and K.const_str(opened.args[1]) not in ("r", "rt"):
            return None
        return opened


# ---------------------------------------------------------------------------
# isinstance(x, str) guarding x.decode()
# ---------------------------------------------------------------------------
@register
class IsinstanceStrBytes(Fixer):
    code = "PK419"
    name = "isinstance-str-bytes"
    summary = "isinstance(x, str) that means 'is x bytes?' (it guards x.decode())"
    explanation = """
    What it does: ``if isinstance(x, str): ... x.decode(...)`` becomes
    ``if isinstance(x, bytes): ...``.

    Why: on 2 ``str`` is the bytes type, and the branch decodes it.  On 3
    ``str`` is text, which has no ``.decode``: the branch now fails on every
    text value.  ``bytes`` is ``str`` on 2.6+, so the test is unchanged on 2.

    Fix safety: exact on 2.7.  Only tests whose branch decodes the value are
    rewritten.
    """
    examples = (
        Example(
                'def to_text(value):\n'
                '    if isinstance(value, str):\n'
                "        value = value.decode('utf-8')\n"
                '    return value\n'
                '\n'
                'def app(environ, start_response):\n'
                "    body = to_text(environ['wsgi.input'].read())\n"
                "    start_response('200 OK', [])\n"
                "    return [body.encode('utf-8')]\n",
                'def to_text(value):\n'
                '    if isinstance(value, bytes):\n'
                "        value = value.decode('utf-8')\n"
                '    return value\n'
                '\n'
                'def app(environ, start_response):\n'
                "    body = to_text(environ['wsgi.input'].read())\n"
                "    start_response('200 OK', [])\n"
                "    return [body.encode('utf-8')]\n",
                title="In a WSGI application"),
        Example("def to_text(value):\n    if isinstance(value, str):\n        value = value.decode('utf-8')\n"
                "    return value\n",
                "def to_text(value):\n    if isinstance(value, bytes):\n        value = value.decode('utf-8')\n"
                "    return value\n"),
        Example("def f(value):\n    if isinstance(value, str):\n        return value.upper()\n", None,
                title="Not decoded: left alone"),
    )
    needles = frozenset(["isinstance"])
    node_types = (ast.If, ast.IfExp)

    def visit(self, node, ctx):
        test = node.test
        negated = isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not)
        if negated:
            test = test.operand
        if not (isinstance(test, ast.Call) and isinstance(test.func, ast.Name) and test.func.id == "isinstance"
                and len(test.args) == 2 and isinstance(test.args[0], ast.Name)):
            return
        typ = test.args[1]
        if not (isinstance(typ, ast.Name) and typ.id == "str" and ctx.is_builtin(typ, "str")):
            return
        name = test.args[0].id
        body = node.body if isinstance(node, ast.If) else [node.body]
        decoded = False
        for stmt in body:
            for sub in ast.walk(stmt):
                if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute) and sub.func.attr == "decode" \
                        and isinstance(sub.func.value, ast.Name) and sub.func.value.id == name:
                    decoded = True
        if decoded and not negated:
            ctx.report(typ, "isinstance(%s, str) guards %s.decode(): on 2 str is bytes, on 3 it is text (no "
                            ".decode): test for bytes (the same type on 2)" % (name, name),
                       edits=[ctx.replace(typ, "bytes")])
            return
        if isinstance(node, ast.If) and self._text_handled_before(node, name, ctx):
            ctx.report(typ, "isinstance(%s, str) comes after the unicode case is handled, so str means bytes here; "
                            "on 3 str is text and bytes would fall through: test for bytes (the same type on 2)"
                       % name, edits=[ctx.replace(typ, "bytes")])

    @staticmethod
    def _text_handled_before(node, name, ctx) -> bool:
        """``if isinstance(v, unicode): ... elif isinstance(v, str)``: an earlier test of
        the same chain (or an earlier ``if`` that returns) took the text values."""
        parent = ctx.parent(node)
        candidates = []
        current = node
        while isinstance(parent, ast.If) and parent.orelse == [current]:
            candidates.append(parent)  # every earlier test of an if/elif chain
            current, parent = parent, ctx.parent(parent)
        for field in ("body", "orelse"):
            block = getattr(parent, field, None)
            if isinstance(block, list) and node in block:
                candidates.extend(s for s in block[:block.index(node)] if isinstance(s, ast.If) and (
                    K.terminates(s.body)))
        for stmt in candidates:
            test = stmt.test
            if isinstance(test, ast.Call) and isinstance(test.func, ast.Name) and test.func.id == "isinstance" \
                    and len(test.args) == 2 and isinstance(test.args[0], ast.Name) and test.args[0].id == name \
                    and ctx.resolve(test.args[1]) in K.TEXT_TYPES:
                return True
        return False
