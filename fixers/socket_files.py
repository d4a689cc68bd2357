"""File objects made from sockets: ``sock.makefile()`` is binary on 2, text on 3."""
from __future__ import annotations

import ast

from portkit import kinds as K
from portkit.fixer import Example, Fixer
from portkit.registry import register

_MODES = {"r": "rb", "w": "wb", "rw": "rwb", "wr": "rwb"}


@register
class SocketMakefileText(Fixer):
    code = "PK425"
    name = "socket-makefile-text"
    summary = "sock.makefile() gives bytes on 2 but a text file on 3: open it 'rb' / 'wb'"
    explanation = """\
What it does: ``sock.makefile()`` and ``sock.makefile('r')`` (``'w'``,
``'rw'``) on a value the analysis knows is a socket become
``sock.makefile('rb')`` (``'wb'``, ``'rwb'``).  On a receiver of unknown
type, ``.makefile()`` without ``'b'`` is reported.

Why it matters: on 2 the file reads and writes ``str``, i.e. bytes, whatever
the mode says.  On 3 a mode without ``'b'`` makes a text file that decodes
what the peer sends with the locale's encoding: a binary body is corrupted
or fails to decode, and ``read(n)`` counts characters, not bytes.  With
``'b'`` the file gives bytes on both, which is what the rest of portkit's
bytes/text rules assume for socket data (they decode the HTTP head as
latin-1 where it is used as native strings, PK423).

Fix safety: exact on 2.7, where the ``'b'`` changes nothing."""
    examples = (
        Example(
            "import socket\n"
            "\n"
            "def fetch(host):\n"
            "    sock = socket.create_connection((host, 80))\n"
            "    reader = sock.makefile()\n"
            "    return reader.read(1024)\n",
            "import socket\n"
            "\n"
            "def fetch(host):\n"
            "    sock = socket.create_connection((host, 80))\n"
            "    reader = sock.makefile('rb')\n"
            "    return reader.read(1024)\n",
        ),
        Example("def reader_of(conn):\n    return conn.makefile()\n", None, findings=("PK425",),
                title="An unknown receiver: reported"),
        Example("import socket\n\nsock = socket.socket()\nreader = sock.makefile('rb', 0)\n", None,
                title="Already binary: left alone"),
    )
    needles = frozenset(["makefile"])
    node_types = (ast.Call,)

    def visit(self, node, ctx):
        func = node.func
        if not (isinstance(func, ast.Attribute) and func.attr == "makefile"):
            return
        if any(isinstance(a, ast.Starred) for a in node.args) or any(k.arg is None for k in node.keywords):
            return
        mode_node = node.args[0] if node.args else next((k.value for k in node.keywords if k.arg == "mode"), None)
        if mode_node is None:
            mode = "r"
        elif isinstance(mode_node, ast.Constant) and isinstance(mode_node.value, str):
            mode = mode_node.value
        else:
            return  # a mode computed elsewhere
        if "b" in mode or not mode or set(mode) - set("rwa+U"):
            return  # binary already, or not a file mode
        receiver = K.analysis(ctx).kind(func.value)
        known = isinstance(receiver, K.Obj) and receiver.type == "socket"
        if not known and not isinstance(receiver, K.Unknown):
            return  # something the analysis knows is not a socket (a class of the project...)
        message = ".makefile(%s) is a text file on 3 (bytes on 2)" % (repr(mode) if mode_node is not None else "")
        new_mode = _MODES.get(mode)
        if not known or new_mode is None:
            ctx.report(node, message + ": if %s is a socket, open it with a 'b' mode ('rb' / 'wb') and decode "
                                       "what is text explicitly" % K.brief(ctx, func.value, 30))
            return
        if mode_node is None and node.keywords:  # makefile(buffering=0)
            at = ctx.start(node.keywords[0])
            edit = ctx.replace_span(at, at, "'%s', " % new_mode)
        elif mode_node is None:  # makefile(): before the closing parenthesis
            at = ctx.end(node) - 1
            edit = ctx.replace_span(at, at, "'%s'" % new_mode)
        else:
            edit = ctx.replace(mode_node, "'%s'" % new_mode)
        ctx.report(node, message + ": use mode %r, which is the same file on 2" % new_mode, edits=[edit])
