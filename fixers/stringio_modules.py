"""The StringIO and cStringIO modules: no import of them is left behind."""
from __future__ import annotations

import ast

from portkit.fixer import Example
from portkit.fixutil import SIX
from portkit.registry import register

from ._stdlib_common import from_line, module_visible, name_refs
from .removed_modules import _GoneModule
from .renamed_attributes import Outcome

# What each class becomes: the same object on 2.7, io.StringIO on 3.
_SIX_NAME = {"StringIO.StringIO": ("six", "StringIO"), "cStringIO.StringIO": ("six.moves", "cStringIO")}
_TYPES = {
    "cStringIO.InputType": "cStringIO.InputType (the type of cStringIO.StringIO(data)) is gone in Python 3: test "
                           "for the buffer class the code now creates (io.BytesIO, or six.moves.cStringIO on both)",
    "cStringIO.OutputType": "cStringIO.OutputType (the type of cStringIO.StringIO()) is gone in Python 3: test "
                            "for the buffer class the code now creates (io.BytesIO, or six.moves.cStringIO on both)",
}
_BYTES_HINT = ("io.StringIO on 3 holds text only: if the buffer holds bytes (a request or response body, "
               "file, socket, struct or zlib data), use io.BytesIO")


def _pending(ctx, ref):
    """Does PK410 rewrite the creation ``ref(...)`` in this round (it knows
    what the buffer holds)?"""
    call = ctx.parent(ref)
    if not (isinstance(call, ast.Call) and call.func is ref):
        return False
    try:
        from portkit import kinds as K
        from .bytes_text import kinds_after_plan

        label, _ = kinds_after_plan(ctx).buffer_kind(call)
    except Exception:  # the inference must never stop this fixer
        return False
    return label in (K.BYTES, K.TEXT, K.NATIVE)


@register
class StringIOModules(_GoneModule):
    code = "PK266"
    name = "stringio-modules"
    summary = "modules StringIO / cStringIO are gone in Python 3: six.StringIO / six.moves.cStringIO where the content is unknown"
    explanation = """
    What it does: the StringIO buffers whose content the bytes/text
    inference knows become ``io.BytesIO``, ``io.StringIO`` or
    ``six.StringIO`` (PK410).  What is left of the two modules is rewritten
    here, so that no import of them remains:

    * ``from StringIO import StringIO`` → ``from six import StringIO``, and
      ``StringIO.StringIO`` → ``six.StringIO``;
    * ``from cStringIO import StringIO`` → ``from six.moves import
      cStringIO as StringIO``, and ``cStringIO.StringIO`` →
      ``six.moves.cStringIO``;
    * an import whose names are no longer used goes.

    ``cStringIO.InputType`` / ``OutputType`` have no Python 3 counterpart:
    they are reported, and their import is kept as long as they are used
    (``from cStringIO import StringIO, OutputType`` keeps ``OutputType``).

    Fix safety: exact on 2.7.  ``six.StringIO`` is ``StringIO.StringIO``
    there and ``six.moves.cStringIO`` is ``cStringIO.StringIO``: the same
    objects.  On 3 both are ``io.StringIO``, which holds text.  That is
    right for buffers of native strings and text, and the message says so.
    A buffer that holds bytes on 3 needs ``io.BytesIO``, which PK410 writes
    where the inference sees bytes.  This fixer waits until PK410 has
    rewritten what it knows.
    """
    examples = (
        Example("from StringIO import StringIO\n\ndef capture(func):\n    buf = StringIO()\n    func(buf)\n"
                "    return buf.getvalue()\n",
                "from six import StringIO\n\ndef capture(func):\n    buf = StringIO()\n    func(buf)\n"
                "    return buf.getvalue()\n",
                title="Content unknown: the same class on 2.7", findings=("PK266", "PK410")),
        Example("import cStringIO\n\ndef capture(func):\n    buf = cStringIO.StringIO()\n    func(buf)\n"
                "    return buf.getvalue()\n",
                "import six\n\ndef capture(func):\n    buf = six.moves.cStringIO()\n    func(buf)\n"
                "    return buf.getvalue()\n",
                title="Through the module", findings=("PK266", "PK266", "PK410")),
        Example("from cStringIO import StringIO, OutputType\n\ndef is_buffer(x):\n"
                "    return isinstance(x, OutputType)\n\ndef make():\n    return StringIO()\n",
                "from cStringIO import OutputType\nfrom six.moves import cStringIO as StringIO\n\n"
                "def is_buffer(x):\n    return isinstance(x, OutputType)\n\ndef make():\n    return StringIO()\n",
                title="A name still used is never dropped: reported",
                findings=("PK266", "PK266", "PK266", "PK410")),
    )
    gone_modules = {
        "StringIO": "use io.BytesIO for bytes, six.StringIO for native strings or text",
        "cStringIO": "use io.BytesIO for bytes, six.moves.cStringIO (io.StringIO on 3) for native strings or text",
    }
    rules = dict.fromkeys(list(_SIX_NAME) + list(_TYPES))
    needles = frozenset(["StringIO", "cStringIO"])

    def droppable(self, target):
        return target in _SIX_NAME

    def alias_line(self, ctx, target, bound):
        if target not in _SIX_NAME:
            return None
        refs = name_refs(ctx, bound, target)
        module, name = _SIX_NAME[target]
        if not refs:
            if any(type(n.ctx) is ast.Load and n.id == bound for n in ctx.walk.index.get(ast.Name, ())):
                # used, but bound by another import too (from StringIO and from
                # cStringIO): the same class on 2.7 under the same name
                return from_line(module, name, bound)
            return None  # unused: dropped
        if any(_pending(ctx, ref) for ref in refs):
            return None  # PK410 goes first
        return from_line(module, name, bound)

    def report_use(self, ctx, ref, target):
        if target in _SIX_NAME and _pending(ctx, ref):
            ctx.unsettle()  # PK410 rewrites it in this round; the import waits
            return False
        return True

    def _report(self, ctx, ref, target):
        if target in _SIX_NAME and isinstance(ref, ast.Attribute) and _pending(ctx, ref):
            ctx.unsettle()
            return
        super()._report(ctx, ref, target)

    def outcome(self, ctx, ref, target):
        if target in _TYPES:
            return Outcome(_TYPES[target])
        module, name = _SIX_NAME[target]
        new = "%s.%s" % (module, name)
        message = "%s is gone in Python 3: %s is the same class on 2.7; %s" % (target, new, _BYTES_HINT)
        if _pending(ctx, ref):
            return Outcome(message)
        if type(ref.ctx) is ast.Load and module_visible(ctx, ref, "six"):
            return Outcome(message, [ctx.replace(ref, new)], [SIX])
        return Outcome(message)
