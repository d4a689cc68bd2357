"""Standard-library functions that return a different value on Python 3 for
the same input, where no name changed (PK263: the sign of CRC-32 and Adler-32
checksums)."""
from __future__ import annotations

import ast
from typing import Optional

from portkit.fixer import Example, Fixer
from portkit.registry import register

from ._classic import names_by_id

_CHECKSUMS = frozenset(["zlib.crc32", "zlib.adler32", "binascii.crc32"])
_BIAS = 0x80000000
_MASK = 0xFFFFFFFF
# Operations whose low 32 bits depend only on the low 32 bits of the operand.
_LOW_BITS_OPS = (ast.Add, ast.Sub, ast.Mult, ast.BitXor, ast.BitOr)
# Parents in which the rewritten expression needs no parentheses.
_LOOSE_PARENTS = (ast.Call, ast.keyword, ast.Return, ast.Assign, ast.AnnAssign, ast.AugAssign, ast.Expr,
                  ast.Lambda, ast.BoolOp, ast.Compare, ast.IfExp, ast.List, ast.Tuple, ast.Set, ast.Dict,
                  ast.FormattedValue)


def _int_constant(node) -> Optional[int]:
    """The value of an int constant expression (``0xffffffff``, ``2 ** 32``, ``1 << 32``)."""
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return node.value
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Pow, ast.LShift, ast.Sub)):
        left, right = _int_constant(node.left), _int_constant(node.right)
        if left is None or right is None or right < 0 or right > 64:
            return None
        if isinstance(node.op, ast.Pow):
            return left ** right
        if isinstance(node.op, ast.LShift):
            return left << right
        return left - right
    return None


def _low_bits_only(ctx, node, depth: int = 0) -> bool:
    """Does the program only look at the low 32 bits of ``node``'s value
    (``crc & 0xffffffff``, ``crc % 2**32``, the running value given back to
    the checksum function, a local variable used only so)?  Then the sign
    does not matter."""
    if depth > 4:
        return False
    child, parent = node, ctx.parent(node)
    while (isinstance(parent, ast.BinOp) and isinstance(parent.op, _LOW_BITS_OPS)
           and _int_constant(parent.right if parent.left is child else parent.left) is not None):
        child, parent = parent, ctx.parent(parent)
    if isinstance(parent, ast.BinOp):
        other = parent.right if parent.left is child else parent.left
        value = _int_constant(other)
        if value is None:
            return False
        if isinstance(parent.op, ast.BitAnd):
            return 0 <= value <= _MASK
        if isinstance(parent.op, ast.Mod) and parent.left is child:
            return 0 < value <= 1 << 32 and value & (value - 1) == 0
        return False
    if isinstance(parent, ast.Call) and len(parent.args) == 2 and parent.args[1] is child:
        return ctx.resolve(parent.func) in _CHECKSUMS
    if isinstance(parent, ast.Assign) and len(parent.targets) == 1 and isinstance(parent.targets[0], ast.Name):
        return _variable_low_bits_only(ctx, parent.targets[0], depth)
    return False


def _variable_low_bits_only(ctx, target: ast.Name, depth: int) -> bool:
    scope = getattr(target, "_pk_scope", None)
    if scope is None or scope.kind != "function" or target.id in scope.globals:
        return False
    walk = ctx.walk
    if walk.defining_scope(target.id, scope) is not scope:
        return False
    uses = []
    for node in names_by_id(ctx).get(target.id, ()):
        if walk.defining_scope(node.id, node._pk_scope) is not scope:
            continue
        if type(node.ctx) is ast.Load:
            uses.append(node)
        elif isinstance(ctx.parent(node), ast.AugAssign):
            return False
    return bool(uses) and all(_low_bits_only(ctx, use, depth + 1) for use in uses)


def _already_signed(ctx, call) -> bool:
    """``((call + 0x80000000) & 0xffffffff) - 0x80000000``: this fixer's own output."""
    add = ctx.parent(call)
    mask = ctx.parent(add)
    sub = ctx.parent(mask)
    return (isinstance(add, ast.BinOp) and isinstance(add.op, ast.Add) and _int_constant(add.right) == _BIAS
            and isinstance(mask, ast.BinOp) and isinstance(mask.op, ast.BitAnd) and _int_constant(mask.right) == _MASK
            and isinstance(sub, ast.BinOp) and isinstance(sub.op, ast.Sub) and _int_constant(sub.right) == _BIAS)


@register
class ChecksumSign(Fixer):
    code = "PK263"
    name = "checksum-sign"
    summary = "zlib.crc32 / adler32 and binascii.crc32 are signed on 2.7 but unsigned on Python 3"
    explanation = """
    What it does: rewrites ``zlib.crc32(data)`` (likewise ``zlib.adler32``,
    ``binascii.crc32``) to
    ``((zlib.crc32(data) + 0x80000000) & 0xffffffff) - 0x80000000``, which is
    the signed 32-bit value that 2.7 returns, on 2.7 (unchanged) and on 3
    (where the function returns the unsigned value).  Uses that only look at
    the low 32 bits are left alone: ``crc & 0xffffffff`` (any mask up to 32
    bits, also after ``+``, ``^``... of constants), ``crc % 2**32``, the
    running value passed back as the second argument, and a local variable
    used only in those ways.

    Why: since 2.6 these functions return a value in ``[-2**31, 2**31)`` on
    Python 2, and in ``[0, 2**32)`` on Python 3.  Code that packs the value
    with ``struct``'s signed ``'i'``, compares it with such a packed value,
    or formats it (``'%08x' % crc``) breaks or changes its output on 3 for
    half of all inputs.  The rewrite keeps what 2.7 computed on both.

    The usual Python 3 idiom, ``crc32(data) & 0xffffffff``, makes the value
    unsigned on both and changes it on 2.7: write it by hand when unsigned
    is what the program means, and adjust the ``struct`` formats (``'i'`` →
    ``'I'``) and stored values that relied on the sign.
    """
    examples = (
        Example("import zlib\nheader = HEADER.pack(len(raw), zlib.crc32(raw))\n",
                "import zlib\nheader = HEADER.pack(len(raw), ((zlib.crc32(raw) + 0x80000000) & 0xffffffff) - "
                "0x80000000)\n"),
        Example("import zlib\ncrc = zlib.crc32(data) & 0xffffffff\n", None, title="Already unsigned on both"),
        Example("import binascii\n\ndef file_crc(blocks):\n    crc = 0\n    for block in blocks:\n"
                "        crc = binascii.crc32(block, crc)\n    return crc & 0xffffffff\n", None,
                title="A running value that is masked in the end"),
    )
    needles = frozenset(["crc32", "adler32"])
    node_types = (ast.Call,)

    def visit(self, node, ctx):
        target = ctx.resolve(node.func)
        if target not in _CHECKSUMS:
            return
        if _low_bits_only(ctx, node) or _already_signed(ctx, node):
            return
        message = ("%s() is signed on 2.7 and unsigned on Python 3: keep 2.7's signed value on both "
                   "(or use & 0xffffffff if unsigned is meant, and adjust what relied on the sign)" % target)
        text = "((%s + 0x80000000) & 0xffffffff) - 0x80000000" % ctx.source(node)
        parent = ctx.parent(node)
        loose = isinstance(parent, _LOOSE_PARENTS) and not (isinstance(parent, ast.Call) and parent.func is node)
        if isinstance(parent, ast.BinOp) and isinstance(parent.op, (ast.Add, ast.Sub)) and parent.left is node:
            loose = True
        if isinstance(parent, ast.Compare):
            loose = True
        ctx.report(node, message, edits=[ctx.replace(node, text if loose else "(%s)" % text)])
