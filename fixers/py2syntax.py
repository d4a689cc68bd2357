"""Python 2-only syntax: the token-stage fixers (PK101-PK116).

These run in the lift stage (:mod:`portkit.lift`) on the source text, before
anything is parsed: Python 3's parsers cannot read the code they fix.  Each
edit keeps the code valid Python 2.7 with the same behaviour there, and makes
it valid Python 3.  See :mod:`portkit.lift` for how the classes are driven
(``triggers``, ``fix_lines`` / ``fix_tokens``, ``fix_file``).
"""
from __future__ import annotations

import re

from portkit.fixer import Example, Fixer
from portkit.lift import AUGASSIGN, CLOSERS, KEYWORDS, OPENERS, expand_indent
from portkit.py2tokens import NAME, NUMBER, OP, STRING, split_string
from portkit.registry import register

PRINT_FUTURE = ("__future__", "print_function")

# After ``print``/``exec`` at the start of a statement, these tokens mean the
# word is used as a plain name (Python 3 code), not as the Python 2 statement.
_NAME_FOLLOW = frozenset(
    "= . , : ) ] } * ** / // % @ | & ^ < > <= >= == != << is in and or if for else".split()
) | AUGASSIGN


class TokenFixer(Fixer):
    """Base of the lift-stage fixers (not registered itself)."""

    stage = "tokens"
    triggers = frozenset()
    # "line": each finding's edits lie on its own logical line, so that a
    # suppressed finding leaves just that line as it was; "file": the fix is
    # one for the whole file (a future import, a renamed parameter and its
    # uses, the indentation), so a suppressed finding leaves every one of the
    # code's findings in the file unfixed.
    lift_scope = "line"

    def fix_lines(self, ctx, lines):
        for line in lines:
            self.fix_tokens(ctx, line)

    def fix_tokens(self, ctx, line):  # pragma: no cover - overridden
        pass


def _keyword_statements(line, word):
    """Simple statements of ``line`` that start with the Python 2 statement ``word``."""
    toks = line.toks
    for a, b in line.statements()[0]:
        t = toks[a]
        if t[0] == NAME and t[1] == word:
            if a + 1 < b and toks[a + 1][1] in _NAME_FOLLOW and toks[a + 1][0] != STRING:
                continue
            yield a, b


def _is_call_like(line, parts):
    """Some argument is ``*x``, ``**x`` or ``name=value``: only a function call has those."""
    toks = line.toks
    for x, y in parts:
        if x < y:
            t = toks[x]
            if t[0] == OP and t[1] in ("*", "**"):
                return True
            if t[0] == NAME and x + 1 < y and toks[x + 1][0] == OP and toks[x + 1][1] == "=":
                return True
    return False


def _is_tuple_group(line, x, y):
    """``[x, y)`` is a parenthesised tuple display: ``()``, ``(a,)``, ``(a, b)``."""
    toks = line.toks
    if not (toks[x][1] == "(" and line.is_group(x, y)):
        return False
    return y - x == 2 or len(line.split(x + 1, y - 1)) > 1


def _class_call(line, x, y):
    """The callee's text when ``[x, y)`` is ``Name(...)`` or ``a.Name(...)`` whose
    last name is CapWords (the class convention), else None."""
    toks = line.toks
    if y - x < 3 or toks[y - 1][1] != ")" or line.match.get(y - 1) is None:
        return None
    opener = line.match[y - 1]
    if opener - 1 < x or toks[opener][1] != "(":
        return None
    for k in range(x, opener):
        kind, text = toks[k][0], toks[k][1]
        if (k - x) % 2 == 0 and kind != NAME or (k - x) % 2 == 1 and text != ".":
            return None
    if (opener - x) % 2 != 1:
        return None
    last = toks[opener - 1][1]
    if not (last[:1].isupper() and any(c.islower() for c in last)):
        return None
    return line.text_of(x, opener)


def _defines_function(ctx, dotted):
    """Whether the file has a ``def`` of the last name of ``dotted`` (a CapWords
    factory function is not a class)."""
    name = dotted.rsplit(".", 1)[-1]
    return re.search(r"\bdef\s+%s\b" % re.escape(name), ctx.text) is not None


def _is_primary(line, x, y):
    """``[x, y)`` is an atom with trailers (``a.b[c](d)``), so ``(...)`` can follow it."""
    toks, depth = line.toks, line.depth
    t = toks[x]
    if t[0] == NAME and t[1] in KEYWORDS and t[1] not in ("print", "exec"):
        return False
    if t[0] == OP and t[1] not in OPENERS:
        return False
    d = depth[x]
    for j in range(x, y):
        if depth[j] != d:
            continue
        k, s = toks[j][0], toks[j][1]
        if k == OP and s != "." and s not in OPENERS and s not in CLOSERS:
            return False
        if k == NAME and s in KEYWORDS:
            return False
    return True


# ---------------------------------------------------------------------------
@register
class PrintStatement(TokenFixer):
    code = "PK101"
    lift_scope = "file"
    name = "print-statement"
    summary = "print statement: use the print() function with from __future__ import print_function"
    explanation = """\
What it does: rewrites every form of the Python 2 print statement into a call
of the print() function and asks for `from __future__ import print_function`:

    print x, y          ->  print(x, y)
    print x,            ->  print(x, end=' ')
    print >>f, x        ->  print(x, file=f)
    print >>f           ->  print(file=f)
    print               ->  print()
    print (a, b)        ->  print((a, b))      # it prints a tuple on Python 2

Why it matters: print is a statement on Python 2 and a function on Python 3;
`print x` is a SyntaxError on Python 3.  Once the future import is added,
every print in the file is the function, so `print(a, b)` - which prints the
tuple `(a, b)` on Python 2 without the import - is wrapped as print((a, b))
to keep printing the same thing.  `print(x)` with one argument is already
fine on both and is left alone.

Fix safety: safe, with one known difference: the statement's "soft space"
logic is gone, so `print x,` followed by a bare `print` now leaves a
trailing space before the newline, and `print s,` with `s` ending in a
newline is followed by a space at the start of the next line.  Also, on
Python 2, code that this module passes to exec or compile() as a string
inherits the future import: a print statement inside such a string stops
compiling.  Files that already import print_function
are not touched; a print() call with keyword arguments (end=, sep=, file=)
only gets the future import it needs to compile on Python 2."""
    examples = (
        Example("print 'hello', name\n", "from __future__ import print_function\nprint('hello', name)\n"),
        Example("print x,\n", "from __future__ import print_function\nprint(x, end=' ')\n"),
        Example(
            "print >>sys.stderr, 'error:', msg\n",
            "from __future__ import print_function\nprint('error:', msg, file=sys.stderr)\n",
        ),
        Example("if verbose: print\n", "from __future__ import print_function\nif verbose: print()\n"),
        Example(
            "print ('a', 1)\n",
            "from __future__ import print_function\nprint(('a', 1))\n",
            title="a parenthesised list of items is a tuple on Python 2",
        ),
        Example("print(x)\n", None, title="one parenthesised argument means the same on both"),
        Example(
            "from __future__ import print_function\nprint(a, b)\n",
            None,
            title="print is already the function",
        ),
    )
    triggers = frozenset({"print"})
    needles = frozenset({"print"})

    def fix_lines(self, ctx, lines):
        if "print_function" in ctx.future:
            return
        stmts = [(line, a, b) for line in lines for a, b in _keyword_statements(line, "print")]
        function_mode = ctx.py3_only
        if not function_mode:
            for line, a, b in stmts:
                if line.is_group(a + 1, b) and line.toks[a + 1][1] == "(" and b - a > 3:
                    if _is_call_like(line, line.split(a + 2, b - 1)):
                        function_mode = True
                        break
        for line, a, b in stmts:
            self._fix(ctx, line, a, b, function_mode)

    def _fix(self, ctx, line, a, b, function_mode):
        toks = line.toks
        p = toks[a]
        pe = p[3]
        message = "print statement: use the print() function (from __future__ import print_function)"
        if b == a + 1:
            ctx.edit(pe, pe, "()")
            ctx.report(self.code, p[2], message)
            ctx.need(*PRINT_FUTURE)
            return
        if toks[a + 1][1] == "(" and line.is_group(a + 1, b):
            parts = line.split(a + 2, b - 1)
            if _is_call_like(line, parts):
                ctx.report(
                    self.code,
                    p[2],
                    "print() with keyword or star arguments needs from __future__ import print_function on Python 2",
                )
                ctx.need(*PRINT_FUTURE)
                return
            if function_mode or len(parts) == 1:
                return
            ctx.edit(pe, toks[a + 1][2], "(")
            ctx.edit(toks[b - 1][3], toks[b - 1][3], ")")
            ctx.report(self.code, p[2], "print (...) prints a tuple on Python 2: use print((...))")
            ctx.need(*PRINT_FUTURE)
            return
        f_text = None
        args = a + 1
        if toks[a + 1][0] == OP and toks[a + 1][1] == ">>":
            if a + 2 >= b:
                return
            parts = line.split(a + 2, b)
            if len(parts) == 1:
                ctx.edit(pe, toks[a + 2][2], "(file=")
                ctx.edit(toks[b - 1][3], toks[b - 1][3], ")")
                ctx.report(self.code, p[2], message)
                ctx.need(*PRINT_FUTURE)
                return
            f_text = line.text_of(*parts[0])
            args = parts[1][0]
            if args >= b:
                return
        last = toks[b - 1]
        trailing = last[0] == OP and last[1] == "," and line.depth[b - 1] == 0
        tail = (", end=' '" if trailing else "") + (", file=" + f_text if f_text is not None else "") + ")"
        ctx.edit(pe, toks[args][2], "(")
        if trailing:
            ctx.edit(last[2], last[3], tail)
        else:
            ctx.edit(last[3], last[3], tail)
        ctx.report(self.code, p[2], message)
        ctx.need(*PRINT_FUTURE)


# ---------------------------------------------------------------------------
@register
class ExecStatement(TokenFixer):
    code = "PK102"
    name = "exec-statement"
    summary = "exec statement: use exec(code, globals, locals)"
    explanation = """\
What it does: `exec code` becomes `exec(code)`, `exec code in g` becomes
`exec(code, g)` and `exec code in g, l` becomes `exec(code, g, l)`.

Why it matters: exec is a statement on Python 2 and a function on Python 3.
Python 2.7 reads `exec(code, g, l)` as the statement with a tuple, which it
treats exactly as `exec code in g, l`, so the new form runs the same on both.

Fix safety: safe."""
    examples = (
        Example("exec code\n", "exec(code)\n"),
        Example("exec 'x = 1' in ns\n", "exec('x = 1', ns)\n"),
        Example("exec code in g, l\n", "exec(code, g, l)\n"),
        Example("exec(code, ns)\n", None, title="already a call"),
    )
    triggers = frozenset({"exec"})
    needles = frozenset({"exec"})

    def fix_tokens(self, ctx, line):
        toks, depth = line.toks, line.depth
        for a, b in _keyword_statements(line, "exec"):
            if b == a + 1 or (toks[a + 1][1] == "(" and line.is_group(a + 1, b)):
                continue
            j = None
            for k in range(a + 1, b):
                if depth[k] == 0 and toks[k][0] == NAME and toks[k][1] == "in":
                    j = k
                    break
            if j is not None and (j == a + 1 or j + 1 >= b):
                continue
            ctx.edit(toks[a][3], toks[a + 1][2], "(")
            if j is not None:
                ctx.edit(toks[j - 1][3], toks[j + 1][2], ", ")
            ctx.edit(toks[b - 1][3], toks[b - 1][3], ")")
            ctx.report(self.code, toks[a][2], "exec statement: use exec(code[, globals[, locals]])")


# ---------------------------------------------------------------------------
@register
class Backticks(TokenFixer):
    code = "PK103"
    name = "backticks"
    summary = "backticks: use repr()"
    explanation = """\
What it does: `` `x` `` becomes `repr(x)` (nested backticks too; a tuple
inside backticks, `` `a, b` ``, becomes `repr((a, b))`).

Why it matters: backticks were removed in Python 3 and are a SyntaxError.

Fix safety: safe unless the module rebinds the name `repr`."""
    examples = (
        Example("s = `x`\n", "s = repr(x)\n"),
        Example("s = `a, b` + `1 + `n``\n", "s = repr((a, b)) + repr(1 + repr(n))\n"),
    )
    triggers = frozenset({"`"})
    needles = frozenset({"`"})

    def fix_tokens(self, ctx, line):
        toks, depth = line.toks, line.depth
        stack = []
        closed = set()
        for j, t in enumerate(toks):
            if t[0] != OP:
                continue
            s = t[1]
            if s == "`":
                prev_operand = j > 0 and (
                    j - 1 in closed or (toks[j - 1][1] != "`" and line.is_operand_end(j - 1))
                )
                if stack and prev_operand:
                    o, _d, comma = stack.pop()
                    closed.add(j)
                    ot = toks[o]
                    ctx.edit(ot[2], ot[3], "repr((" if comma else "repr(")
                    ctx.edit(t[2], t[3], "))" if comma else ")")
                    ctx.report(self.code, ot[2], "backticks were removed in Python 3: use repr()")
                else:
                    stack.append([j, depth[j], False])
            elif s == "," and stack and stack[-1][1] == depth[j]:
                stack[-1][2] = True


# ---------------------------------------------------------------------------
@register
class NotEqualDiamond(TokenFixer):
    code = "PK104"
    name = "diamond-operator"
    summary = "'<>' operator: use '!='"
    explanation = """\
What it does: `a <> b` becomes `a != b`.

Why it matters: `<>` was removed in Python 3 and is a SyntaxError.

Fix safety: safe."""
    examples = (Example("if a <> b: pass\n", "if a != b: pass\n"),)
    triggers = frozenset({"<>"})
    needles = frozenset({"<>"})

    def fix_tokens(self, ctx, line):
        for t in line.toks:
            if t[0] == OP and t[1] == "<>":
                ctx.edit(t[2], t[3], "!=")
                ctx.report(self.code, t[2], "'<>' was removed in Python 3: use '!='")


# ---------------------------------------------------------------------------
@register
class ExceptComma(TokenFixer):
    code = "PK105"
    name = "except-comma"
    summary = "except E, e: use except E as e"
    explanation = """\
What it does: `except E, e:` and `except (A, B), e:` become `except E as e:`
and `except (A, B) as e:`.  `except (A, B):` is a tuple of exception types
and is left alone.

Why it matters: the comma form is a SyntaxError on Python 3; `as` works on
Python 2.6+.

`except E, (a, b):` unpacks the exception: it becomes `except E as a_b:`
with `(a, b) = a_b.args` as the handler's first statement (on 2.7 unpacking
an exception iterates over its args).

Fix safety: safe, except for an exception class with its own `__getitem__`
or `__iter__` (unpacking used those on 2.7).  Targets that are not a plain
name (`except E, self.error:`) are reported only: Python 3 allows only a
name after `as`; bind one and assign it in the handler.
Note that on Python 3 the name is deleted at the end of the handler."""
    examples = (
        Example("try:\n    f()\nexcept ValueError, e:\n    log(e)\n", "try:\n    f()\nexcept ValueError as e:\n    log(e)\n"),
        Example("try:\n    f()\nexcept (A, B), e:\n    pass\n", "try:\n    f()\nexcept (A, B) as e:\n    pass\n"),
        Example("try:\n    f()\nexcept (A, B):\n    pass\n", None, title="a tuple of exception types"),
        Example(
            "try:\n    f()\nexcept E, (code, msg):\n    log(msg)\n",
            "try:\n    f()\nexcept E as code_msg:\n    (code, msg) = code_msg.args\n    log(msg)\n",
            title="unpacking the exception",
        ),
        Example(
            "try:\n    f()\nexcept E, self.error:\n    pass\n",
            None,
            title="a target that is not a name: reported only",
            findings=("PK105",),
        ),
    )
    triggers = frozenset({"except"})
    needles = frozenset({"except"})

    @staticmethod
    def _plain_names(toks, a, b):
        """Only names, commas and brackets between tokens a and b."""
        for k in range(a, b):
            kind, value = toks[k][0], toks[k][1]
            if kind == NAME and value not in KEYWORDS:
                continue
            if value in ("(", ")", "[", "]", ","):
                continue
            return False
        return True

    def fix_tokens(self, ctx, line):
        toks = line.toks
        if toks[0][1] != "except" or toks[0][0] != NAME:
            return
        header = line.statements()[1]
        if header is None or header[1] <= 1:
            return
        parts = line.split(1, header[1])
        if len(parts) != 2 or parts[0][0] == parts[0][1] or parts[1][0] == parts[1][1]:
            return
        (ex, ey), (tx, ty) = parts
        t = toks[tx]
        if ty == tx + 1 and t[0] == NAME and t[1] not in KEYWORDS:
            ctx.edit(toks[ey - 1][3], t[2], " as ")
            ctx.report(self.code, toks[0][2], "except E, e: use 'except E as e'")
        elif t[1] in ("(", "[") and line.match.get(tx) == ty - 1 and self._plain_names(toks, tx, ty):
            names = [toks[k][1] for k in range(tx, ty) if toks[k][0] == NAME]
            name = ctx.unique_name("_".join(names))
            target = ctx.text[t[2]:toks[ty - 1][3]]
            ctx.edit(toks[ey - 1][3], toks[ty - 1][3], " as " + name)
            insert_at_body_start(ctx, line, header[1], ["%s = %s.args" % (target, name)])
            ctx.report(self.code, toks[0][2], "except E, (a, b): use 'except E as e' and unpack e.args")
        elif t[1] in ("(", "["):
            ctx.report(
                self.code,
                toks[0][2],
                "except E, (a, b): Python 3 cannot unpack here: use 'except E as e' and unpack e.args",
                fixable=False,
            )
        else:
            ctx.report(
                self.code,
                toks[0][2],
                "except E, <target>: Python 3 allows only a name: use 'except E as e' and assign it",
                fixable=False,
            )


# ---------------------------------------------------------------------------
def _raise_parts(line, a, b):
    toks, depth = line.toks, line.depth
    if b <= a + 1:
        return None
    for j in range(a + 1, b):
        if depth[j] == 0 and toks[j][0] == NAME and toks[j][1] == "from":
            return None
    parts = line.split(a + 1, b)
    if any(x >= y for x, y in parts):
        return None
    return parts


@register
class RaiseComma(TokenFixer):
    code = "PK106"
    name = "raise-comma"
    summary = "raise E, V: use raise E(V)"
    explanation = """\
What it does: `raise E, V` becomes `raise E(V)`; `raise E, (a, b)` becomes
`raise E(*(a, b))` (Python 2 passes a tuple value as the arguments);
`raise E, None` becomes `raise E()`.  A complex E is parenthesised.

Why it matters: the comma form is a SyntaxError on Python 3.

Fix safety: safe, except in one rare case: when V is already an instance of
E, Python 2 raises V itself, while E(V) wraps it."""
    examples = (
        Example("raise ValueError, 'bad value'\n", "raise ValueError('bad value')\n"),
        Example("raise E, (code, msg)\n", "raise E(*(code, msg))\n"),
        Example("raise ValueError('bad value')\n", None),
    )
    triggers = frozenset({"raise"})
    needles = frozenset({"raise"})

    def fix_tokens(self, ctx, line):
        toks = line.toks
        for a, b in _keyword_statements(line, "raise"):
            parts = _raise_parts(line, a, b)
            if not parts or len(parts) != 2:
                continue
            (ex, ey), (vx, vy) = parts
            ee = toks[ey - 1][3]
            pre = ""
            if not _is_primary(line, ex, ey):
                ctx.edit(toks[ex][2], toks[ex][2], "(")
                pre = ")"
            vs, ve = toks[vx][2], toks[vy - 1][3]
            if vy == vx + 1 and toks[vx][0] == NAME and toks[vx][1] == "None":
                ctx.edit(ee, ve, pre + "()")
            elif _is_tuple_group(line, vx, vy):
                ctx.edit(ee, vs, pre + "(*")
                ctx.edit(ve, ve, ")")
            else:
                ctx.edit(ee, vs, pre + "(")
                ctx.edit(ve, ve, ")")
            ctx.report(self.code, toks[a][2], "raise E, V: use raise E(V)")


@register
class RaiseTraceback(TokenFixer):
    code = "PK107"
    name = "raise-traceback"
    summary = "raise E, V, T: use six.reraise(E, V, T)"
    explanation = """\
What it does: `raise E, V, T` becomes `six.reraise(E, V, T)` and asks for
`import six`.  When V is None it becomes `six.reraise(E, E(), T)`; when V is
a string or number literal, `six.reraise(E, E(V), T)`; a tuple literal,
`six.reraise(E, E(*V), T)` (Python 2 instantiates E from those values).
When V is None, `raise E, None, T` becomes `six.reraise(E, None, T)`, which
is that very statement on 2 (E may be a class or an instance); when E is an
instantiation `Error(args)` of a CapWords name that the file does not define
with `def`, it becomes `six.reraise(Error, Error(args), T)`, which also
works on 3.

Why it matters: the three-argument raise is a SyntaxError on Python 3, where
the traceback is attached with `with_traceback()`; six.reraise does the right
thing on both.

Fix safety: safe when V is an exception instance or one of the literal forms
above; a V that is some other non-instance value (a variable holding a
message string) must become E(V) by hand.  On 3, `six.reraise(E, None, T)`
needs E to be a class."""
    examples = (
        Example(
            "raise exc_type, exc_value, tb\n",
            "import six\nsix.reraise(exc_type, exc_value, tb)\n",
        ),
        Example("raise E, None, tb\n", "import six\nsix.reraise(E, None, tb)\n"),
        Example(
            "raise ValueError(msg), None, tb\n",
            "import six\nsix.reraise(ValueError, ValueError(msg), tb)\n",
            title="an instantiation: its class is the type",
        ),
    )
    triggers = frozenset({"raise"})
    needles = frozenset({"raise"})

    def fix_tokens(self, ctx, line):
        toks = line.toks
        for a, b in _keyword_statements(line, "raise"):
            parts = _raise_parts(line, a, b)
            if not parts or len(parts) != 3:
                continue
            (ex, ey), (vx, vy), (tx, ty) = parts
            e_text = line.text_of(ex, ey)
            if not _is_primary(line, ex, ey):
                e_text = "(" + e_text + ")"
            vs, ve = toks[vx][2], toks[vy - 1][3]
            head = "six.reraise("
            if vy == vx + 1 and toks[vx][0] == NAME and toks[vx][1] == "None":
                callee = _class_call(line, ex, ey)
                if callee is not None and not _defines_function(ctx, callee):
                    # raise E(a), None, tb: the instance is the value, its class the type
                    head = "six.reraise(%s, " % callee
                    ctx.edit(toks[ey - 1][3], ve, "")  # ", None" goes
                # else six.reraise(E, None, tb): exactly ``raise E, None, tb`` on 2
                # (a class is instantiated, an instance raised as it is)
                ctx.edit(toks[a][2], toks[ex][2], head)
            elif all(toks[k][0] == STRING for k in range(vx, vy)) or (
                vy == vx + 1 and toks[vx][0] == NUMBER
            ):
                ctx.edit(toks[a][2], toks[ex][2], head)
                ctx.edit(vs, vs, e_text + "(")
                ctx.edit(ve, ve, ")")
            elif _is_tuple_group(line, vx, vy):
                ctx.edit(toks[a][2], toks[ex][2], head)
                ctx.edit(vs, vs, e_text + "(*")
                ctx.edit(ve, ve, ")")
            else:
                ctx.edit(toks[a][2], toks[ex][2], head)
            te = toks[ty - 1][3]
            ctx.edit(te, te, ")")
            ctx.need("six")
            ctx.report(self.code, toks[a][2], "raise E, V, T: use six.reraise(E, V, T)")


# ---------------------------------------------------------------------------
_OLD_OCTAL = re.compile(r"0[0-7]*[1-7][0-7]*[lL]?")


@register
class OldOctal(TokenFixer):
    code = "PK108"
    name = "old-octal"
    summary = "octal literal 0777: use 0o777"
    explanation = """\
What it does: `0777` becomes `0o777` (and `0777L` becomes `0o777`, with
PK109).  `0`, `00` and floats like `0777.5` are left alone.

Why it matters: a leading zero is a SyntaxError on Python 3; `0o` works on
Python 2.6+.

Fix safety: safe."""
    examples = (
        Example("os.chmod(path, 0755)\n", "os.chmod(path, 0o755)\n"),
        Example("mode = 0777L\n", "mode = 0o777\n", findings=("PK108", "PK109")),
        Example("x = 00\n", None),
    )
    triggers = frozenset({"NUMBER"})
    needles = frozenset()

    def fix_tokens(self, ctx, line):
        for t in line.toks:
            if t[0] == NUMBER and t[1][0] == "0" and _OLD_OCTAL.fullmatch(t[1]):
                ctx.edit(t[2] + 1, t[2] + 1, "o")
                ctx.report(self.code, t[2], "old octal literal %s: use 0o%s" % (t[1], t[1].rstrip("lL")[1:]))


@register
class LongSuffix(TokenFixer):
    code = "PK109"
    name = "long-suffix"
    summary = "long literal 10L: drop the L"
    explanation = """\
What it does: `10L` becomes `10`, `0xFFL` becomes `0xFF`.

Why it matters: Python 3 has a single int type and no `L` suffix (a
SyntaxError).  On Python 2, int and long compare, hash and compute alike and
ints overflow into longs automatically.

Fix safety: safe, unless code checks `type(x) is long` on such a literal."""
    examples = (
        Example("big = 10L\n", "big = 10\n"),
        Example("mask = 0xFFFFFFFFL\n", "mask = 0xFFFFFFFF\n"),
    )
    triggers = frozenset({"NUMBER"})
    needles = frozenset()

    def fix_tokens(self, ctx, line):
        for t in line.toks:
            if t[0] == NUMBER and t[1][-1] in "lL":
                # ``7L.real`` must not become ``7.real`` (a float followed by a name)
                dot = ctx.text[t[3] : t[3] + 1] == "." and t[1][:2].lower() not in ("0x", "0o", "0b")
                ctx.edit(t[3] - 1, t[3], " " if dot else "")
                ctx.report(self.code, t[2], "long literal %s: Python 3 has no L suffix: drop it" % t[1])


# ---------------------------------------------------------------------------
def _raw_body_edits(ctx, body, body_start, quote, unicode_escapes):
    """Edits turning the body of a raw literal into a non-raw one with the same value.

    Backslashes are doubled, except (``unicode_escapes``: ``ur''``) the last of
    an odd run before ``u``/``U``, which Python 2 reads as an escape even in
    raw unicode literals.  A backslash escaping the quote keeps the quote
    escaped; a backslash-newline in a single-quoted literal becomes ``\\n``
    plus a continuation, so lines stay where they were.
    """
    for m in re.finditer(r"\\+", body):
        n = m.end() - m.start()
        nxt = body[m.end() : m.end() + 1]
        pos = body_start + m.start()
        if n % 2 and unicode_escapes and nxt in ("u", "U"):
            add = n - 1
        elif n % 2 and nxt == quote[0]:
            add = n + 1
        else:
            add = n
        if add:
            ctx.edit(pos, pos, "\\" * add)
        if n % 2 and nxt == "\n" and len(quote) == 1:
            end = body_start + m.end()
            ctx.edit(end, end, "\\n\\")


def _string_tokens(line, prefixes):
    for t in line.toks:
        if t[0] == STRING and t[1][0] not in "'\"":
            prefix, quote, body = split_string(t[1])
            if prefix.lower() in prefixes:
                yield t, prefix, quote, body


@register
class UrPrefix(TokenFixer):
    code = "PK110"
    name = "ur-prefix"
    summary = "ur'' literal: use an equivalent u'' literal"
    explanation = """\
What it does: rewrites `ur'...'` (any case, any quotes) as a `u'...'` literal
with the same Python 2 value: backslashes are doubled, except that `\\uXXXX`
and `\\UXXXXXXXX`, which Python 2 decodes even in raw unicode literals, stay
escapes.

Why it matters: the `ur` prefix is a SyntaxError on Python 3.

Fix safety: safe; the value is identical on Python 2.7 and Python 3."""
    examples = (
        Example("pat = ur'\\d+ items'\n", "pat = u'\\\\d+ items'\n"),
        Example("s = ur'caf\\u00e9'\n", "s = u'caf\\u00e9'\n"),
    )
    triggers = frozenset({"STRING"})
    needles = frozenset()

    def fix_tokens(self, ctx, line):
        for t, prefix, quote, body in _string_tokens(line, ("ur",)):
            r = prefix.lower().index("r")
            ctx.edit(t[2] + r, t[2] + r + 1, "")
            _raw_body_edits(ctx, body, t[2] + len(prefix) + len(quote), quote, True)
            ctx.report(self.code, t[2], "ur'' literals are a SyntaxError on Python 3: use an equivalent u'' literal")


# ---------------------------------------------------------------------------
def _is_docstring(line, a, b):
    return all(line.toks[k][0] == STRING for k in range(a, b))


def _insert_inline(ctx, line, simple, assigns, keep_docstring):
    """Insert the statements into a one-line body (statements ``simple``)."""
    toks = line.toks
    text = "; ".join(assigns)
    a, b = simple[0]
    if keep_docstring and _is_docstring(line, a, b):
        if len(simple) > 1:
            ctx.edit(toks[simple[1][0]][2], toks[simple[1][0]][2], text + "; ")
        else:
            ctx.edit(toks[b - 1][3], toks[b - 1][3], "; " + text)
    else:
        ctx.edit(toks[a][2], toks[a][2], text + "; ")


def insert_at_body_start(ctx, line, colon, assigns, keep_docstring=False):
    """Insert ``assigns`` as the first statements of the block that the
    compound statement ``line`` opens with the colon at token ``colon``
    (after a function's docstring when ``keep_docstring``)."""
    toks = line.toks
    if colon + 1 < len(toks):
        _insert_inline(ctx, line, line.statements()[0], assigns, keep_docstring)
        return
    if line.number + 1 >= len(ctx.logical):
        return
    body = ctx.line(line.number + 1)
    indent = ctx.indent_of(body)
    simple, header = body.statements()
    if keep_docstring and header is None and simple and _is_docstring(body, *simple[0]):
        if len(simple) > 1:
            _insert_inline(ctx, body, simple, assigns, keep_docstring)
            return
        pos = body.end
        text = "".join(indent + s + "\n" for s in assigns)
        if pos < len(ctx.text):
            ctx.edit(pos + 1, pos + 1, text)
        else:
            ctx.edit(pos, pos, "\n" + text[:-1])
    else:
        ctx.edit(body.first, body.first, "".join(s + "\n" + indent for s in assigns))


@register
class TupleParameters(TokenFixer):
    code = "PK111"
    lift_scope = "file"
    name = "tuple-parameters"
    summary = "tuple parameters: unpack in the body"
    explanation = """\
What it does: `def f(a, (b, c)):` becomes `def f(a, b_c):` with a first body
statement `(b, c) = b_c` (after the docstring, on the body's own line or
before the first statement of a one-line body).  `lambda (k, v): v` becomes
`lambda k_v: k_v[1]`.  Nested tuples work the same way; the new parameter
name is made unique in the file.

Why it matters: tuple parameter unpacking was removed in Python 3 (PEP 3113)
and is a SyntaxError.

Fix safety: safe.  Callers passing the tuple by keyword (rare, as the
parameter had no name before) are unaffected, since it had none.  A lambda
whose body rebinds one of the names in a comprehension is reported only."""
    examples = (
        Example(
            "def f(a, (b, c)):\n    return a + b + c\n",
            "def f(a, b_c):\n    (b, c) = b_c\n    return a + b + c\n",
        ),
        Example(
            'def f((x, y)):\n    """Doc."""\n    return x\n',
            'def f(x_y):\n    """Doc."""\n    (x, y) = x_y\n    return x\n',
        ),
        Example("pairs.sort(key=lambda (k, v): v)\n", "pairs.sort(key=lambda k_v: k_v[1])\n"),
    )
    triggers = frozenset({"def", "lambda"})
    needles = frozenset({"def", "lambda"})

    # -- parameter lists -----------------------------------------------------
    def _fplist(self, line, x, y):
        """Structure of the fpdef ``[x, y)``: a name, or a list (a tuple) of structures."""
        toks = line.toks
        if y == x + 1 and toks[x][0] == NAME and toks[x][1] not in KEYWORDS:
            return toks[x][1]
        if not (toks[x][1] == "(" and line.is_group(x, y)) or y - x == 2:
            return None
        parts = line.split(x + 1, y - 1)
        trailing = parts[-1][0] == parts[-1][1]
        if trailing:
            parts = parts[:-1]
        items = [self._fplist(line, p, q) for p, q in parts]
        if not items or any(i is None for i in items):
            return None
        if len(items) == 1 and not trailing:
            return items[0]
        return items

    @staticmethod
    def _names(struct):
        if isinstance(struct, str):
            return [struct]
        return [n for s in struct for n in TupleParameters._names(s)]

    @staticmethod
    def _render(struct):
        if isinstance(struct, str):
            return struct
        inner = ", ".join(TupleParameters._render(s) for s in struct)
        return "(" + inner + ("," if len(struct) == 1 else "") + ")"

    @staticmethod
    def _paths(struct, base, out):
        if isinstance(struct, str):
            out[struct] = base
        else:
            for i, s in enumerate(struct):
                TupleParameters._paths(s, "%s[%d]" % (base, i), out)
        return out

    def _params(self, ctx, line, a, b):
        """Rewrite the tuple parameters in the parameter list ``[a, b)``.

        Returns ``(fixes, first)``: ``fixes`` a list of ``(structure, new name)``
        for the real tuples, ``first`` the offset of the first one found
        (None: no tuple parameter).  Returns None if one cannot be parsed."""
        toks = line.toks
        found = []
        for x, y in line.split(a, b) if b > a else []:
            if x < y and toks[x][0] == OP and toks[x][1] == "(" and x in line.match:
                gy = line.match[x] + 1
                struct = self._fplist(line, x, gy)
                if struct is None:
                    return None
                found.append((x, gy, struct))
        if not found:
            return [], None
        fixes = []
        for x, gy, struct in found:
            # ``lambda(x):`` has no space after the keyword: the name needs one
            glue = " " if x > 0 and toks[x - 1][0] == NAME and toks[x - 1][3] == toks[x][2] else ""
            if isinstance(struct, str):
                ctx.edit(toks[x][2], toks[gy - 1][3], glue + struct)
            else:
                name = ctx.unique_name("_".join(self._names(struct)))
                ctx.edit(toks[x][2], toks[gy - 1][3], glue + name)
                fixes.append((struct, name))
        return fixes, toks[found[0][0]][2]

    # -- def -----------------------------------------------------------------
    def _fix_def(self, ctx, line, i):
        toks = line.toks
        if i + 2 >= len(toks) or toks[i + 2][1] != "(" or (i + 2) not in line.match:
            return
        close = line.match[i + 2]
        colon = line.header_colon(i)
        if colon is None:
            return
        res = self._params(ctx, line, i + 3, close)
        if res is None:
            ctx.report(self.code, toks[i][2], "tuple parameters were removed in Python 3", fixable=False)
            return
        fixes, first = res
        if first is None:
            return
        ctx.report(self.code, first, "tuple parameters were removed in Python 3: unpack in the body")
        if not fixes:
            return
        assigns = ["%s = %s" % (self._render(s), n) for s, n in fixes]
        insert_at_body_start(ctx, line, colon, assigns, keep_docstring=True)

    # -- lambda ----------------------------------------------------------------
    @staticmethod
    def _lambda_colon(line, i):
        toks, depth = line.toks, line.depth
        d = depth[i]
        pending = 0
        for j in range(i + 1, len(toks)):
            if depth[j] < d:
                return None
            if depth[j] == d:
                k, s = toks[j][0], toks[j][1]
                if k == NAME and s == "lambda":
                    pending += 1
                elif k == OP and s == ":":
                    if pending:
                        pending -= 1
                    else:
                        return j
        return None

    @staticmethod
    def _lambda_end(line, start, d):
        toks, depth = line.toks, line.depth
        pending = 0
        for j in range(start, len(toks)):
            if depth[j] < d:
                return j
            if depth[j] == d:
                k, s = toks[j][0], toks[j][1]
                if k == OP and s in (",", ";"):
                    return j
                if k == OP and s == ":":
                    if not pending:
                        return j
                    pending -= 1
                elif k == NAME and s == "lambda":
                    pending += 1
                elif k == NAME and s == "for":
                    return j
        return len(toks)

    def _fix_lambda(self, ctx, line, i):
        toks = line.toks
        colon = self._lambda_colon(line, i)
        if colon is None or colon == i + 1:
            return
        has_tuple = any(
            x < y and toks[x][1] == "(" and toks[x][0] == OP for x, y in line.split(i + 1, colon)
        )
        if not has_tuple:
            return
        end = self._lambda_end(line, colon + 1, line.depth[i])
        structs = []
        for x, y in line.split(i + 1, colon):
            if x < y and toks[x][1] == "(" and toks[x][0] == OP and x in line.match:
                structs.append(self._fplist(line, x, line.match[x] + 1))
        paths_by_name = {}
        if any(s is None for s in structs):
            ctx.report(self.code, toks[i][2], "tuple parameters were removed in Python 3", fixable=False)
            return
        names = [n for s in structs if not isinstance(s, str) for n in self._names(s)]
        # Names rebound in the body (comprehension or nested lambda targets) block the fix.
        nested = []
        for k in range(colon + 1, end):
            t = toks[k]
            if t[0] == NAME and t[1] == "lambda":
                c2 = self._lambda_colon(line, k)
                if c2 is not None:
                    e2 = self._lambda_end(line, c2 + 1, line.depth[k])
                    shadow = {toks[m][1] for m in range(k + 1, c2) if toks[m][0] == NAME}
                    nested.append((k, e2, shadow))
            elif t[0] == NAME and t[1] == "for":
                for m in range(k + 1, end):
                    if toks[m][0] == NAME and toks[m][1] == "in":
                        break
                    if toks[m][0] == NAME and toks[m][1] in names:
                        ctx.report(
                            self.code,
                            toks[i][2],
                            "tuple parameters were removed in Python 3: the lambda body rebinds %s" % toks[m][1],
                            fixable=False,
                        )
                        return
        res = self._params(ctx, line, i + 1, colon)
        fixes, first = res
        for struct, pname in fixes:
            self._paths(struct, pname, paths_by_name)
        for k in range(colon + 1, end):
            t = toks[k]
            if t[0] != NAME or t[1] not in paths_by_name:
                continue
            if toks[k - 1][0] == OP and toks[k - 1][1] == ".":
                continue
            if k + 1 < len(toks) and toks[k + 1][0] == OP and toks[k + 1][1] == "=":
                continue
            if any(s <= k < e and t[1] in shadow for s, e, shadow in nested):
                continue
            ctx.edit(t[2], t[3], paths_by_name[t[1]])
        ctx.report(self.code, first, "tuple parameters were removed in Python 3: index the parameter")

    def fix_tokens(self, ctx, line):
        toks = line.toks
        start = 0
        if toks[0][0] == NAME and toks[0][1] == "async" and len(toks) > 1:
            start = 1
        if toks[start][0] == NAME and toks[start][1] == "def":
            self._fix_def(ctx, line, start)
        for i, t in enumerate(toks):
            if t[0] == NAME and t[1] == "lambda":
                self._fix_lambda(ctx, line, i)


# ---------------------------------------------------------------------------
@register
class MixedTabs(TokenFixer):
    code = "PK112"
    lift_scope = "file"
    name = "inconsistent-tabs"
    summary = "indentation mixes tabs and spaces inconsistently: expand tabs"
    explanation = """\
What it does: when the indentation of a file means different things with a
tab size of 8 and of 1 (Python 3 raises TabError, Python 2 silently uses 8),
the tabs in the indentation of every logical line of the file are expanded
to 8 columns.  Continuation lines, comments and strings are not touched.  A
file that uses tabs consistently is left alone.

Why it matters: such a file does not compile on Python 3.

Fix safety: safe: Python 2 uses a tab size of 8, so the blocks are unchanged."""
    examples = (
        Example("if x:\n\ta = 1\n        b = 2\n", "if x:\n        a = 1\n        b = 2\n"),
        Example("if x:\n\ta = 1\n\tb = 2\n", None, title="consistent tabs"),
    )
    triggers = frozenset()
    needles = frozenset({"\t"})

    def fix_file(self, ctx):
        text = ctx.text
        if "\t" not in text:
            return
        ind = [0]
        alt = [0]
        bad = None
        for ti, tj, ls, fs in ctx.logical:
            col = altcol = 0
            for c in text[ls:fs]:
                if c == " ":
                    col += 1
                    altcol += 1
                elif c == "\t":
                    col = (col // 8 + 1) * 8
                    altcol += 1
                elif c == "\f":
                    col = altcol = 0
            if col == ind[-1]:
                if altcol != alt[-1]:
                    bad = fs
            elif col > ind[-1]:
                if altcol <= alt[-1]:
                    bad = fs
                ind.append(col)
                alt.append(altcol)
            else:
                while len(ind) > 1 and col < ind[-1]:
                    ind.pop()
                    alt.pop()
                if altcol != alt[-1]:
                    bad = fs
            if bad is not None:
                break
        if bad is None:
            return
        ctx.expand_tabs = True
        ctx.report(
            self.code,
            bad,
            "inconsistent use of tabs and spaces in indentation (TabError on Python 3): expand tabs",
        )
        for ti, tj, ls, fs in ctx.logical:
            indent = text[ls:fs]
            if "\t" in indent:
                ctx.edit(ls, fs, expand_indent(indent))

    def fix_lines(self, ctx, lines):
        pass


# ---------------------------------------------------------------------------
@register
class ListCompTuple(TokenFixer):
    code = "PK113"
    name = "listcomp-tuple"
    summary = "[x for x in 1, 2]: parenthesise the tuple"
    explanation = """\
What it does: `[x for x in a, b]` becomes `[x for x in (a, b)]`.

Why it matters: Python 2 list comprehensions accept an unparenthesised tuple
after `in`; Python 3 does not (SyntaxError).

Fix safety: safe."""
    examples = (Example("xs = [x * 2 for x in 1, 2, 3]\n", "xs = [x * 2 for x in (1, 2, 3)]\n"),)
    triggers = frozenset({"for[]"})
    needles = frozenset({"for"})

    def fix_tokens(self, ctx, line):
        toks, depth, match = line.toks, line.depth, line.match
        for o, t in enumerate(toks):
            if t[0] != OP or t[1] != "[" or o not in match:
                continue
            c = match[o]
            d = depth[o] + 1
            k = o + 1
            while k < c:
                f = self._find(line, k, c, d, ("for",))
                if f is None:
                    break
                n = self._find(line, f + 1, c, d, ("in",))
                if n is None:
                    break
                end = self._find(line, n + 1, c, d, ("for", "if"))
                end = c if end is None else end
                if n + 1 < end and self._bare_tuple(line, n + 1, end, d):
                    ctx.edit(toks[n + 1][2], toks[n + 1][2], "(")
                    ctx.edit(toks[end - 1][3], toks[end - 1][3], ")")
                    ctx.report(
                        self.code,
                        toks[n + 1][2],
                        "unparenthesised tuple in a list comprehension: Python 3 needs (a, b)",
                    )
                k = end

    @staticmethod
    def _bare_tuple(line, a, b, d):
        """``[a, b)`` has a comma at depth ``d``, and no ``:`` there but lambdas'."""
        toks, depth = line.toks, line.depth
        comma = False
        lambdas = 0
        for j in range(a, b):
            if depth[j] != d:
                continue
            k, s = toks[j][0], toks[j][1]
            if k == OP and s == ",":
                comma = True
            elif k == NAME and s == "lambda":
                lambdas += 1
            elif k == OP and s == ":":
                if not lambdas:
                    return False
                lambdas -= 1
        return comma

    @staticmethod
    def _find(line, a, b, d, words):
        toks, depth = line.toks, line.depth
        for j in range(a, b):
            if depth[j] == d and toks[j][0] == NAME and toks[j][1] in words:
                return j
        return None


# ---------------------------------------------------------------------------
@register
class NonAsciiBytes(TokenFixer):
    code = "PK114"
    name = "non-ascii-bytes"
    summary = "non-ASCII characters in a b'' literal: use \\xNN escapes"
    explanation = """\
What it does: replaces each non-ASCII character of a `b''` literal by the
`\\xNN` escapes of its bytes in the file's encoding (what Python 2 stores).
A raw `br''` literal becomes a plain `b''` literal with its backslashes
doubled, so that the escapes can be written.

Why it matters: Python 3 only allows ASCII characters in bytes literals.

Fix safety: safe; the bytes are identical."""
    examples = (Example("SIG = b'caf\u00e9'\n", "SIG = b'caf\\xc3\\xa9'\n"),)
    triggers = frozenset({"STRING"})
    needles = frozenset()

    def fix_tokens(self, ctx, line):
        for t, prefix, quote, body in _string_tokens(line, ("b", "br", "rb")):
            if t[1].isascii():
                continue
            try:
                for ch in set(re.findall(r"[^\x00-\x7f]", body)):
                    ch.encode(ctx.encoding)
            except (UnicodeError, LookupError):
                ctx.report(
                    self.code,
                    t[2],
                    "non-ASCII characters in a bytes literal: not representable in %s" % ctx.encoding,
                    fixable=False,
                )
                continue
            body_start = t[2] + len(prefix) + len(quote)
            raw = "r" in prefix.lower()
            if raw:
                r = prefix.lower().index("r")
                ctx.edit(t[2] + r, t[2] + r + 1, "")
                _raw_body_edits(ctx, body, body_start, quote, False)
                pattern = r"[^\x00-\x7f]+"
            else:
                pattern = r"\\[\s\S]|[^\x00-\x7f]+"
            for m in re.finditer(pattern, body):
                s = m.group()
                pos = body_start + m.start()
                if s[0] == "\\":
                    if s[1].isascii():
                        continue
                    ctx.edit(pos, pos + 2, "\\\\" + self._escape(s[1], ctx.encoding))
                else:
                    ctx.edit(pos, pos + len(s), self._escape(s, ctx.encoding))
            ctx.report(self.code, t[2], "non-ASCII characters in a bytes literal are a SyntaxError on Python 3: use \\x escapes")

    @staticmethod
    def _escape(s, encoding):
        return "".join("\\x%02x" % b for b in s.encode(encoding))


# ---------------------------------------------------------------------------
@register
class BytesUnicodeEscape(TokenFixer):
    code = "PK115"
    name = "bytes-unicode-escape"
    summary = "\\u, \\U, \\N in a byte string: double the backslash"
    explanation = """\
What it does: in string literals without a prefix (byte strings on Python 2,
in files without `from __future__ import unicode_literals`), doubles the
backslash of `\\u`, `\\U` and `\\N`: `'C:\\users'` becomes `'C:\\\\users'`.

Why it matters: Python 2 keeps these as two characters in a byte string;
Python 3 reads them as unicode escapes, which changes the value
(`'\\u00e9'`) or is a SyntaxError (`'C:\\users'`, `'\\N'`).

Fix safety: safe: the Python 2 value is unchanged, and Python 3 gets the
same characters.  `u''`, `b''` and raw literals are left alone."""
    examples = (
        Example("path = 'C:\\users'\n", "path = 'C:\\\\users'\n"),
        Example("s = u'\\u00e9'\n", None, title="unicode literal: \\u is an escape on both"),
    )
    triggers = frozenset({"STRING"})
    needles = frozenset({"\\u", "\\U", "\\N"})

    def fix_lines(self, ctx, lines):
        if "unicode_literals" in ctx.future or ctx.py3_only:
            return
        TokenFixer.fix_lines(self, ctx, lines)

    def fix_tokens(self, ctx, line):
        for t in line.toks:
            if t[0] != STRING or t[1][0] not in "'\"" or "\\" not in t[1]:
                continue
            hit = False
            for m in re.finditer(r"\\[\s\S]", t[1]):
                if m.group()[1] in "uUN":
                    pos = t[2] + m.start()
                    ctx.edit(pos, pos, "\\")
                    hit = True
            if hit:
                ctx.report(
                    self.code,
                    t[2],
                    "\\u, \\U or \\N in a byte string is literal on Python 2 but an escape on Python 3: double the backslash",
                )


# ---------------------------------------------------------------------------
_PY3_KEYWORDS = frozenset({"True", "False", "None", "nonlocal", "async", "await"})


def _render_reads(text, toks, loads, x, y):
    """Text of tokens ``[x, y)`` with the attribute reads ``loads`` inside
    rewritten to ``getattr(obj, 'name')``."""
    out = []
    pos = toks[x][2]
    for s, j in loads:
        if s < x or j >= y or toks[s][2] < pos:
            continue
        out.append(text[pos : toks[s][2]])
        out.append("getattr(%s, '%s')" % (_render_reads(text, toks, loads, s, j - 1), toks[j][1]))
        pos = toks[j][3]
    out.append(text[pos : toks[y - 1][3]])
    return "".join(out)


@register
class Python3Keywords(TokenFixer):
    code = "PK116"
    lift_scope = "file"
    name = "python3-keyword-names"
    summary = "Python 3 keyword used as a name: spell it so that both parse it"
    explanation = """\
What it does: finds names that are keywords on Python 3 but plain names on
Python 2 (`True`, `False`, `None` as attributes or assignment targets;
`nonlocal`, `async` and `await` anywhere) and rewrites the uses that have an
exact spelling valid on both:

* an attribute: `mod.False` becomes `getattr(mod, 'False')`,
  `obj.async = v` becomes `setattr(obj, 'async', v)`, `del obj.async`
  becomes `delattr(obj, 'async')`;
* a name bound in a class body or at module level: `async = False` becomes
  `locals()['async'] = False` (class body) or `globals()['async'] = False`;
* keyword arguments at the end of a call: `f(x, async=True)` becomes
  `f(x, **{'async': True})`;
* a parameter of a private (`_name`) or nested function, when no call in the
  file passes that keyword: renamed (`async_`) with every use in the body.

The rest is reported: a parameter of a public function (renaming it breaks
callers that pass it by keyword), a bare-name read outside the function
that binds it, `obj.async += 1`, and `True, False = 1, 0` shims (delete
them).

Why it matters: each of these is a SyntaxError on Python 3.

Fix safety: the rewrites are exact on 2.7 and 3 (`getattr` with a constant
name is the attribute access; a class body's `locals()` is the class
namespace being built on both interpreters)."""
    examples = (
        Example("flag = proxy.False\n", "flag = getattr(proxy, 'False')\n"),
        Example("conn.async = True\n", "setattr(conn, 'async', True)\n"),
        Example(
            "class Loader:\n    async = False\n\n    def _set_async(self, async):\n        if async:\n            raise ValueError(async)\n",
            "class Loader:\n    locals()['async'] = False\n\n    def _set_async(self, async_):\n        if async_:\n            raise ValueError(async_)\n",
        ),
        Example("start(job, async=True)\n", "start(job, **{'async': True})\n"),
        Example("True, False = 1, 0\n", None, findings=("PK116", "PK116")),
        Example("def start(job, async=False):\n    return async\n", None, findings=("PK116", "PK116")),
        Example("x = True\n", None),
    )
    triggers = _PY3_KEYWORDS
    needles = _PY3_KEYWORDS

    def fix_lines(self, ctx, lines):
        renamed = set()  # offsets of tokens rewritten by a parameter rename
        for line in lines:
            self._rename_parameters(ctx, line, renamed)
        for line in lines:
            self.fix_tokens(ctx, line, renamed)

    def fix_tokens(self, ctx, line, renamed=frozenset()):
        toks = line.toks
        n = len(toks)
        done = self._rewrite_line(ctx, line, renamed)
        for j, t in enumerate(toks):
            if t[0] != NAME or t[1] not in _PY3_KEYWORDS or t[2] in renamed:
                continue
            s = t[1]
            prev = toks[j - 1][1] if j else None
            nxt = toks[j + 1] if j + 1 < n else None
            if s == "nonlocal":
                if (j == 0 or prev in (";", ":")) and nxt is not None and nxt[0] == NAME:
                    continue
            elif s in ("async", "await"):
                if ctx.py3_only:
                    continue
                if s == "async" and nxt is not None and nxt[1] in ("def", "for", "with"):
                    continue
            elif not self._bound(line, j, prev, nxt):
                continue
            if j in done:
                ctx.report(self.code, t[2], "'%s' is a keyword on Python 3: %s" % (s, done[j]))
            elif s in ("True", "False", "None") and prev != ".":
                ctx.report(
                    self.code,
                    t[2],
                    "'%s' is a keyword on Python 3 and cannot be assigned or used as a name: rename it or remove the assignment" % s,
                    fixable=False,
                )
            else:
                ctx.report(
                    self.code,
                    t[2],
                    "'%s' is a keyword on Python 3: rename it (e.g. '%s_'), or spell the access with getattr/setattr" % (s, s),
                    fixable=False,
                )

    # -- rewrites ----------------------------------------------------------
    def _rewrite_line(self, ctx, line, renamed):
        """Edit the uses of ``line`` that have an exact spelling; return
        ``{token index: what was done}`` for them."""
        toks = line.toks
        text = ctx.text
        done = {}
        loads = []  # (start, j) of attribute reads ``primary.kw``
        whole = []  # (a, b, replacement) statement rewrites
        simple, _header = line.statements()
        for j in range(2, len(toks)):
            t = toks[j]
            if t[0] != NAME or t[1] not in _PY3_KEYWORDS or t[2] in renamed:
                continue
            if toks[j - 1][0] != OP or toks[j - 1][1] != ".":
                continue
            if t[1] in ("async", "await") and ctx.py3_only:
                continue
            start = _primary_start(line, j - 1)
            if start is None:
                continue
            stmt = next(((a, b) for a, b in simple if a <= j < b), None)
            use = _attribute_use(line, stmt, start, j)
            if use == "load":
                loads.append((start, j))
            elif use in ("setattr", "delattr"):
                whole.append((stmt, use, start, j))
        loads.sort(key=lambda sj: (sj[0], -sj[1]))

        def render(x, y):
            return _render_reads(text, toks, loads, x, y)

        covered = []
        for (a, b), use, start, j in whole:
            name = toks[j][1]
            if use == "setattr":
                eq = j + 1
                new = "setattr(%s, '%s', %s)" % (render(start, j - 1), name, render(eq + 1, b))
            else:
                new = "delattr(%s, '%s')" % (render(start, j - 1), name)
            ctx.edit(toks[a][2], toks[b - 1][3], new)
            covered.append((a, b))
            done[j] = "spelled with %s()" % use
        outer_end = -1
        for s, j in loads:
            if any(a <= s and j < b for a, b in covered):
                done[j] = "spelled with getattr()"
                continue
            if j <= outer_end:
                done[j] = "spelled with getattr()"
                continue
            ctx.edit(toks[s][2], toks[j][3], "getattr(%s, '%s')" % (render(s, j - 1), toks[j][1]))
            outer_end = j
            done[j] = "spelled with getattr()"
        # ``async = value`` in a class body or at module level
        for a, b in simple:
            t = toks[a]
            if t[0] != NAME or t[1] not in ("async", "await", "nonlocal") or t[2] in renamed:
                continue
            if t[1] != "nonlocal" and ctx.py3_only:
                continue
            if b - a < 3 or toks[a + 1][0] != OP or toks[a + 1][1] != "=":
                continue
            scope = _enclosing_scope(ctx, line, a)
            if scope == "class":
                ctx.edit(t[2], t[3], "locals()['%s']" % t[1])
                done[a] = "the class attribute is bound through locals()"
            elif scope == "module":
                ctx.edit(t[2], t[3], "globals()['%s']" % t[1])
                done[a] = "the global is bound through globals()"
        # keyword arguments at the end of a call: f(x, async=1) -> f(x, **{'async': 1})
        for j in range(1, len(toks) - 1):
            t = toks[j]
            if t[0] != NAME or t[1] not in _PY3_KEYWORDS or t[2] in renamed or j in done:
                continue
            if t[1] in ("async", "await") and ctx.py3_only:
                continue
            if toks[j + 1][1] != "=" or toks[j - 1][1] not in ("(", ","):
                continue
            kw = _call_keywords(line, j)
            if kw is None:
                continue
            first, close, items = kw
            body = ", ".join("'%s': %s" % (toks[k][1], render(k + 2, e)) for k, e in items)
            end = toks[close - 1][3]
            if close < len(toks) and toks[close][1] == "," and toks[close + 1][1] == ")":
                end = toks[close][3]  # 2.7 rejects a comma after **kwargs
            ctx.edit(toks[first][2], end, "**{%s}" % body)
            for k, _e in items:
                done[k] = "passed through **{...}"
        return done

    def _rename_parameters(self, ctx, line, renamed):
        """Rename keyword-named parameters of private or nested functions."""
        toks = line.toks
        if len(toks) < 4 or toks[0][1] != "def" or toks[0][0] != NAME or toks[2][1] != "(":
            return
        fname = toks[1][1]
        close = line.match.get(2)
        if close is None:
            return
        params = [
            k
            for k in range(3, close)
            if toks[k][0] == NAME
            and toks[k][1] in ("async", "await", "nonlocal")
            and toks[k - 1][1] in ("(", ",", "*", "**")
            and line.depth[k] == 1
        ]
        if not params or (ctx.py3_only and any(toks[k][1] != "nonlocal" for k in params)):
            return
        private = fname.startswith("_") and not fname.endswith("__")
        if not private and _enclosing_scope(ctx, line, 0) != "function":
            return
        body = _body_tokens(ctx, line)
        if body is None:
            return
        names = {toks[k][1] for k in params}
        # a keyword argument of that name anywhere in the file would break
        if any(re.search(r"[(,]\s*%s\s*=(?!=)" % n, ctx.text) for n in names):
            return
        uses = []
        for ln, k in body:
            bt = ln.toks
            if bt[k][1] not in names or bt[k][0] != NAME:
                continue
            if k and bt[k - 1][1] == ".":
                continue
            if bt[k - 1][1] in ("def", "lambda", "class") or (bt[0][1] in ("def", "lambda") and ln is not line):
                return  # rebound in a nested function: leave it to a person
            uses.append(bt[k])
        for n in names:
            new = ctx.unique_name(n + "_")
            for k in params:
                if toks[k][1] == n:
                    ctx.edit(toks[k][2], toks[k][3], new)
                    renamed.add(toks[k][2])
                    ctx.report(self.code, toks[k][2], "'%s' is a keyword on Python 3: parameter renamed to '%s' (with its uses)" % (n, new))
            for t in uses:
                if t[1] == n:
                    ctx.edit(t[2], t[3], new)
                    renamed.add(t[2])

    def _bound(self, line, j, prev, nxt):
        """True/False/None at ``j`` is used as a name (assigned, attribute, parameter)."""
        toks, depth = line.toks, line.depth
        if prev in (".", "def", "class", "as", "import", "global", "for"):
            return True
        if nxt is not None and nxt[0] == OP and (nxt[1] == "=" or nxt[1] in AUGASSIGN):
            return True
        # a parameter of a def or lambda
        if prev in ("(", ",", "*", "**", "lambda") and (nxt is None or nxt[1] in (",", ")", ":", "=")):
            d = depth[j]
            for k in range(j - 1, -1, -1):
                if depth[k] < d:
                    if toks[k][1] == "(" and k >= 2 and toks[k - 2][1] == "def" and depth[k] == 0:
                        return True
                    break
                if depth[k] == d:
                    if toks[k][1] == ":" or toks[k][1] == "=":
                        break
                    if toks[k][1] == "lambda":
                        return True
        # an element of an assignment target: True, False = 1, 0
        for a, b in line.statements()[0]:
            if not a <= j < b:
                continue
            eqs = [k for k in range(a, b) if depth[k] == 0 and toks[k][0] == OP and toks[k][1] == "="]
            if not eqs or j > eqs[-1]:
                return False
            if nxt is None or nxt[1] not in (",", ")", "]", "="):
                return False
            if prev not in (",", "(", "[", "=") and j != a:
                return False
            # every bracket around j must be a display, not a call or subscript
            stack = []
            for k in range(a, j):
                tk = toks[k]
                if tk[0] == OP and tk[1] in OPENERS:
                    stack.append(k == a or not line.is_operand_end(k - 1))
                elif tk[0] == OP and tk[1] in CLOSERS and stack:
                    stack.pop()
            return all(stack)
        return False


def _primary_start(line, dot):
    """Index of the first token of the primary that ends just before ``.`` at
    ``dot`` (``a.b(c)[d]`` in ``a.b(c)[d].async``), or None."""
    toks, match = line.toks, line.match
    k = dot - 1
    while k >= 0:
        t = toks[k]
        if t[0] == OP and t[1] in CLOSERS:
            o = match.get(k)
            if o is None:
                return None
            if o > 0 and line.is_operand_end(o - 1):
                k = o - 1  # a call or subscript: its callee comes before
                continue
            start = o
        elif t[0] == NAME and (t[1] not in KEYWORDS or k > 0 and toks[k - 1][1] == "."):
            start = k
        elif t[0] == NUMBER:
            start = k
        elif t[0] == STRING:
            start = k
            while start > 0 and toks[start - 1][0] == STRING:
                start -= 1
        else:
            return None
        if start > 0 and toks[start - 1][0] == OP and toks[start - 1][1] == ".":
            k = start - 2
            continue
        return start
    return None


def _attribute_use(line, stmt, start, j):
    """How ``primary.kw`` at ``[start, j]`` is used: "load", "setattr" (the
    single target of a simple assignment), "delattr" (the single target of
    ``del``), or None (any other store: augmented, unpacking, chained...)."""
    toks, depth = line.toks, line.depth
    if start > 0 and toks[start - 1][0] == NAME and toks[start - 1][1] in ("for", "as"):
        return None
    nxt = toks[j + 1] if j + 1 < len(toks) else None
    if nxt is not None and nxt[0] == OP and nxt[1] in AUGASSIGN:
        return None
    if stmt is None:
        return "load"
    a, b = stmt
    eqs = []
    for k in range(a, b):
        if depth[k] != 0:
            continue
        if toks[k][0] == NAME and toks[k][1] == "lambda":
            break
        if toks[k][0] == OP and toks[k][1] == "=":
            eqs.append(k)
    if eqs and j < eqs[-1]:
        if start == a and eqs == [j + 1]:
            return "setattr"
        return None
    if toks[a][0] == NAME and toks[a][1] == "del":
        if start == a + 1 and j == b - 1:
            return "delattr"
        return None
    return "load"


def _indent_width(line):
    return len(expand_indent(line.indent))


def _enclosing_scope(ctx, line, a):
    """"class", "function" or "module": the scope a statement of ``line``
    starting at token ``a`` runs in (found from the indentation)."""
    header = line.statements()[1]
    if header is not None and a > header[1]:
        first = line.toks[0][1]
        if first == "class":
            return "class"
        if first == "def":
            return "function"
    width = _indent_width(line)
    n = line.number
    while width > 0 and n > 0:
        n -= 1
        ln = ctx.line(n)
        if not ln.toks:
            continue
        w = _indent_width(ln)
        if w >= width:
            continue
        first = ln.toks[0][1]
        if first == "class":
            return "class"
        if first == "def" or first == "async" and len(ln.toks) > 1 and ln.toks[1][1] == "def":
            return "function"
        width = w
    return "module"


def _body_tokens(ctx, line):
    """``(Line, index)`` of every token of the body of the ``def`` on
    ``line``, or None when the body cannot be delimited."""
    colon = line.header_colon(0)
    if colon is None:
        return None
    out = [(line, k) for k in range(colon + 1, len(line.toks))]
    if out:
        return out  # a one-line body: def f(x): return x
    width = _indent_width(line)
    n = line.number + 1
    while n < len(ctx.logical):
        ln = ctx.line(n)
        if ln.toks and _indent_width(ln) <= width:
            break
        out.extend((ln, k) for k in range(len(ln.toks)))
        n += 1
    return out


def _call_keywords(line, j):
    """For a keyword argument ``kw=`` at ``j`` inside a call: ``(first,
    close, items)`` when it and every argument after it are ``name=value``
    pairs (so ``**{...}`` can take them all, in order), else None."""
    toks, match, depth = line.toks, line.match, line.depth
    d = depth[j]
    o = None
    for k in range(j - 1, -1, -1):
        if depth[k] < d:
            o = k
            break
    if o is None or toks[o][1] != "(" or o == 0 or not line.is_operand_end(o - 1):
        return None
    if toks[o - 1][0] == NAME and toks[o - 1][1] in ("def", "class") or o >= 2 and toks[o - 2][1] in ("def", "class", "lambda"):
        return None
    close = match.get(o)
    if close is None:
        return None
    items = []
    for x, y in line.split(o + 1, close):
        if x < j:
            continue
        if x == y:
            continue  # a trailing comma
        if y - x < 3 or toks[x][0] != NAME or toks[x + 1][1] != "=":
            return None
        items.append((x, y))
    if not items or items[0][0] != j:
        return None
    last = items[-1][1]
    return j, last, items
