"""WSGI (PEP 3333): response bodies, status and headers, environ values, Content-Length."""
from __future__ import annotations

import ast

from fixers import bytes_flow as flow
from portkit import kinds as K
from portkit.fixer import Example, Fixer
from portkit.fixutil import SIX
from portkit.registry import register


@register
class WsgiBody(flow.FlowFixer):
    code = flow.BODY
    name = "wsgi-body-bytes"
    summary = "a WSGI response body item that is not bytes"
    explanation = """
    What it does: finds what a WSGI application returns (or yields) as its
    body — the return value of any function that takes ``start_response``
    — and follows every item back to where its kind is known, through
    variables, ``self`` attributes, parameters (to every caller in the
    project) and returns:

    * a TEXT item is encoded (``.encode('utf-8')``, or the charset that the
      Content-Type header of the same function names);
    * a plain ``''`` literal becomes ``b''``; a NATIVE value of known ASCII
      content (``json.dumps()``, ``'%d' % n``) is encoded;
    * a local variable or a parameter gets the fix where each of its values
      is made (the literal it is assigned, the argument a caller passes, the
      return of a helper);
    * an attribute or expression that may hold several kinds (``self.body``
      set from bytes by one caller, from text by another) gets
      ``six.ensure_binary(...)`` where it is returned: right for every kind
      it may hold.

    Why: PEP 3333 bodies are bytes.  Python 2 servers accept ``str`` and
    sometimes coerce ASCII ``unicode``; Python 3 servers (``wsgiref``
    included) reject ``str``.

    Fix safety: encoding TEXT and prefixing ASCII literals with ``b`` keep
    2.7's bytes exactly.  A body item of UNKNOWN kind is reported, not
    rewritten.
    """
    examples = (
        Example(
            "def app(environ, start_response):\n"
            "    body = u'<h1>Caf\\xe9</h1>'\n"
            "    start_response('200 OK', [('Content-Type', 'text/html; charset=utf-8')])\n"
            "    return [body]\n",
            "def app(environ, start_response):\n"
            "    body = u'<h1>Caf\\xe9</h1>'\n"
            "    start_response('200 OK', [('Content-Type', 'text/html; charset=utf-8')])\n"
            "    return [body.encode('utf-8')]\n",
            title="TEXT body item: encoded with the charset of the Content-Type"),
        Example(
            "def app(environ, start_response):\n"
            "    start_response('204 No Content', [])\n"
            "    return ['']\n",
            "def app(environ, start_response):\n"
            "    start_response('204 No Content', [])\n"
            "    return [b'']\n",
            title="A plain literal becomes a b'' literal (the same str on 2)"),
        Example(
            "class Response(object):\n"
            "    def __init__(self, body=''):\n"
            "        self.body = body\n"
            "\n"
            "    def __call__(self, environ, start_response):\n"
            "        start_response('200 OK', [])\n"
            "        return [self.body]\n"
            "\n"
            "def page(title):\n"
            "    return Response(u'<h1>%s</h1>' % title)\n",
            "import six\n"
            "class Response(object):\n"
            "    def __init__(self, body=''):\n"
            "        self.body = body\n"
            "\n"
            "    def __call__(self, environ, start_response):\n"
            "        start_response('200 OK', [])\n"
            "        return [six.ensure_binary(self.body)]\n"
            "\n"
            "def page(title):\n"
            "    return Response(u'<h1>%s</h1>' % title)\n",
            title="An attribute that holds NATIVE or TEXT (followed to its callers): six.ensure_binary()"),
        Example(
            "def app(environ, start_response):\n"
            "    if environ['REQUEST_METHOD'] == 'HEAD':\n"
            "        body = ''\n"
            "    else:\n"
            "        body = b'<p>hello</p>'\n"
            "    start_response('200 OK', [])\n"
            "    return [body]\n",
            "def app(environ, start_response):\n"
            "    if environ['REQUEST_METHOD'] == 'HEAD':\n"
            "        body = b''\n"
            "    else:\n"
            "        body = b'<p>hello</p>'\n"
            "    start_response('200 OK', [])\n"
            "    return [body]\n",
            title="A local variable: the literal assigned to it is fixed"),
        Example(
            "def app(environ, start_response):\n"
            "    start_response('200 OK', [])\n"
            "    return [b'ok']\n",
            None, title="Bytes already"),
        Example(
            "def app(environ, start_response, render):\n"
            "    start_response('200 OK', [])\n"
            "    return [render(environ)]\n",
            None, title="UNKNOWN: reported, not rewritten", findings=("PK401",)),
    )


@register
class WsgiHeaders(flow.FlowFixer):
    code = flow.HEADER
    name = "wsgi-native-headers"
    summary = "a WSGI status line or header that is not a native str"
    explanation = """
    What it does: follows the status and the header names and values given
    to ``start_response`` (also through a headers list built elsewhere and
    ``headers.append(...)``) back to where their kind is known, and makes
    them native strings: ``six.ensure_str(x)`` for BYTES (base64 or hex
    digests, ``.encode()`` results) and TEXT values; a ``u''`` or ``b''``
    ASCII literal loses its prefix.

    Why: PEP 3333 wants status and headers as native ``str`` on both
    versions.  Python 3's ``wsgiref`` rejects bytes (``type(x) is str``);
    Python 2 servers reject ``unicode``.  ``six.ensure_str`` is the identity
    on a native str, decodes bytes on 3 and encodes text on 2.

    Fix safety: exact on 2.7 for BYTES (``six.ensure_str`` returns them
    unchanged).  Header values with non-ASCII text need RFC 2047/5987
    encoding, which portkit does not guess.
    """
    examples = (
        Example(
            "import base64, hashlib\n"
            "\n"
            "def app(environ, start_response):\n"
            "    body = b'hello'\n"
            "    digest = base64.b64encode(hashlib.md5(body).digest())\n"
            "    start_response('200 OK', [('Content-MD5', digest)])\n"
            "    return [body]\n",
            "import base64, hashlib\n"
            "import six\n"
            "\n"
            "def app(environ, start_response):\n"
            "    body = b'hello'\n"
            "    digest = base64.b64encode(hashlib.md5(body).digest())\n"
            "    start_response('200 OK', [('Content-MD5', six.ensure_str(digest))])\n"
            "    return [body]\n",
            title="A BYTES header value"),
        Example(
            "def app(environ, start_response):\n"
            "    start_response(u'200 OK', [('Content-Type', 'text/plain')])\n"
            "    return [b'hi']\n",
            "def app(environ, start_response):\n"
            "    start_response('200 OK', [('Content-Type', 'text/plain')])\n"
            "    return [b'hi']\n",
            title="A u'' status line"),
        Example(
            "def app(environ, start_response):\n"
            "    start_response('200 OK', [('Content-Type', 'text/plain')])\n"
            "    return [b'hi']\n",
            None, title="Native strings already"),
    )


@register
class WsgiContentLength(flow.FlowFixer):
    code = flow.CONTENT_LENGTH
    name = "wsgi-content-length"
    summary = "Content-Length computed from the len() of text"
    explanation = """
    What it does: a ``Content-Length`` header whose value contains
    ``len(x)`` where ``x`` is TEXT (or a string that may be TEXT) gets the
    length of the encoded body instead: ``len(x.encode('utf-8'))`` (the
    charset of the Content-Type of the same function when it names one).

    Why: ``len()`` of text counts characters; Content-Length counts bytes.
    With non-ASCII text the client reads a truncated body.

    Fix safety: the same as encoding the body (PK401), which the body
    itself needs too.
    """
    examples = (
        Example(
            "def app(environ, start_response):\n"
            "    body = u'<p>Gr\\xfc\\xdfe</p>'\n"
            "    start_response('200 OK', [('Content-Type', 'text/html; charset=utf-8'),\n"
            "                              ('Content-Length', str(len(body)))])\n"
            "    return [body.encode('utf-8')]\n",
            "def app(environ, start_response):\n"
            "    body = u'<p>Gr\\xfc\\xdfe</p>'\n"
            "    start_response('200 OK', [('Content-Type', 'text/html; charset=utf-8'),\n"
            "                              ('Content-Length', str(len(body.encode('utf-8'))))])\n"
            "    return [body.encode('utf-8')]\n"),
        Example(
            "def app(environ, start_response):\n"
            "    body = b'ok'\n"
            "    start_response('200 OK', [('Content-Length', str(len(body)))])\n"
            "    return [body]\n",
            None, title="The length of bytes is right"),
    )


def _environ_decode_receiver(call, ctx):
    """The receiver of ``x.decode(...)`` when ``x`` is a PEP 3333 environ value."""
    func = call.func
    if not (isinstance(func, ast.Attribute) and func.attr == "decode"):
        return None
    value = K.kind_of(ctx, func.value)
    parts = K.strings_of(value)
    if not parts or not any(p.label == K.NATIVE and p.latin1 and not p.portable for p in parts):
        return None
    if any(p.label == K.TEXT for p in parts):
        return None
    return func.value, value


@register
class EnvironDecode(Fixer):
    code = "PK403"
    name = "wsgi-environ-decode"
    summary = "an environ value (a native str) is .decode()d"
    explanation = """
    What it does: ``environ['PATH_INFO'].decode('utf-8')`` (and any value
    read from the WSGI environ, also through variables and helpers) becomes
    ``six.ensure_binary(environ['PATH_INFO'], 'latin-1').decode('utf-8')``.

    Why: PEP 3333 hands the application native strings.  On 2 they are the
    raw bytes of the request, and ``.decode('utf-8')`` gives the text.  On
    3 they are those same bytes already decoded as latin-1: ``str`` has no
    ``.decode``, and the text would be mojibake anyway.  Encoding back to
    latin-1 on 3 recovers the raw bytes, so the UTF-8 decoding works on
    both.

    Fix safety: ``six.ensure_binary`` is the identity on 2.7 str, so 2.7
    behaves exactly as before.  Query strings, cookies and form fields read
    from the environ carry UTF-8 the same way.
    """
    examples = (
        Example(
            "def app(environ, start_response):\n"
            "    path = environ['PATH_INFO'].decode('utf-8')\n"
            "    start_response('200 OK', [])\n"
            "    return [path.encode('utf-8')]\n",
            "import six\n"
            "def app(environ, start_response):\n"
            "    path = six.ensure_binary(environ['PATH_INFO'], 'latin-1').decode('utf-8')\n"
            "    start_response('200 OK', [])\n"
            "    return [path.encode('utf-8')]\n"),
        Example(
            "def wsgi_text(environ, key, default=''):\n"
            "    value = environ.get(key, default)\n"
            "    return value.decode('utf-8')\n",
            "import six\n"
            "def wsgi_text(environ, key, default=''):\n"
            "    value = environ.get(key, default)\n"
            "    return six.ensure_binary(value, 'latin-1').decode('utf-8')\n",
            title="Through a variable, in a helper that takes the environ"),
        Example(
            "def app(environ, start_response):\n"
            "    body = environ['wsgi.input'].read().decode('utf-8')\n"
            "    start_response('200 OK', [])\n"
            "    return [body.encode('utf-8')]\n",
            None, title="wsgi.input gives bytes: decoding them is right"),
    )
    needles = frozenset(["decode"])
    node_types = (ast.Call,)

    def visit(self, node, ctx):
        found = _environ_decode_receiver(node, ctx)
        if found is None:
            return
        receiver, value = found
        text = "six.ensure_binary(%s, 'latin-1')" % ctx.source(receiver)
        ctx.report(
            node,
            "%s is %s; .decode() fails on 3, where the value is already text decoded as latin-1: "
            "recover the raw bytes with six.ensure_binary(..., 'latin-1') first"
            % (K.brief(ctx, receiver), K.describe(value)),
            edits=[ctx.replace(receiver, text)],
            imports=[SIX],
        )


from fixers.bytes_text import _MixingFixer  # noqa: E402


@register
class WsgiInputAsText(_MixingFixer):
    code = "PK404"
    name = "wsgi-input-text"
    summary = "data read from wsgi.input used as text without decoding"
    explanation = """
    What it does: reports (and, where a literal's prefix can change, fixes)
    BYTES read from ``environ['wsgi.input']`` that meet text or native
    strings: ``body.split('&')``, ``body + '\\n'``, ``'%s' % body``,
    ``body == 'ping'``, ``str(body)``.

    Why: ``wsgi.input`` yields bytes on 2 and 3.  On 2 they mix with native
    strings silently; on 3 each of these raises ``TypeError``, compares
    ``False`` or shows ``"b'...'"``.  Decode the body once, with the
    request's charset (``body.decode('utf-8')``), or keep it bytes and use
    ``b''`` literals.

    Fix safety: a ``b`` prefix on an ASCII literal is exact on 2;
    ``six.ensure_str(body)`` is the identity on 2.
    """
    examples = (
        Example("def app(environ, start_response):\n    body = environ['wsgi.input'].read()\n"
                "    fields = body.split('&')\n    start_response('200 OK', [])\n    return [b'%d' % len(fields)]\n",
                "def app(environ, start_response):\n    body = environ['wsgi.input'].read()\n"
                "    fields = body.split(b'&')\n    start_response('200 OK', [])\n    return [b'%d' % len(fields)]\n"),
        Example("def app(environ, start_response):\n    body = environ['wsgi.input'].read()\n"
                "    text = u'got: %s' % body\n    start_response('200 OK', [])\n    return [text.encode('utf-8')]\n",
                "def app(environ, start_response):\n    body = environ['wsgi.input'].read()\n"
                "    text = u'got: %s' % body.decode('ascii')\n    start_response('200 OK', [])\n"
                "    return [text.encode('utf-8')]\n"),
    )
    needles = frozenset()  # the bytes may come from wsgi.input through another module


@register
class WsgiEnvironValues(flow.FlowFixer):
    code = flow.ENVIRON
    name = "wsgi-environ-native"
    summary = "an environ built by hand (tests, middleware) with bytes or text values"
    explanation = """
    What it does: in a dict that is a WSGI environ (it has a
    ``'wsgi.input'`` key), the values of CGI variables (``PATH_INFO``,
    ``QUERY_STRING``, ``HTTP_*`` ...) are followed back to where their kind
    is known: BYTES become ``six.ensure_str(x, 'latin-1')``, TEXT
    ``six.ensure_str(x.encode('utf-8'), 'latin-1')``.

    Why: PEP 3333 environ values are native strings: on 2 the raw bytes of
    the request, on 3 those bytes decoded as latin-1.  Code under test (and
    PK403's ``six.ensure_binary(v, 'latin-1')``) relies on that.

    Fix safety: ``six.ensure_str(b, 'latin-1')`` returns the 2.7 ``str``
    unchanged.
    """
    examples = (
        Example("import io\n\ndef make_environ(path):\n"
                "    return {'PATH_INFO': path.encode('utf-8'), 'wsgi.input': io.BytesIO(b'')}\n",
                "import io\nimport six\n\ndef make_environ(path):\n"
                "    return {'PATH_INFO': six.ensure_str(path.encode('utf-8'), 'latin-1'), "
                "'wsgi.input': io.BytesIO(b'')}\n"),
        Example("import io\n\ndef make_environ(path):\n"
                "    return {'PATH_INFO': '/', 'wsgi.input': io.BytesIO(b'')}\n", None),
    )
