"""Python 2 statements in the examples of docstrings, which doctest runs."""
from __future__ import annotations

import ast
import io
import re
import tokenize
from typing import List, Optional, Tuple

from portkit.fixer import Example, Fixer
from portkit.model import Edit
from portkit.registry import register

_EXAMPLE = re.compile(r"^([ \t]*(?:>>>|\.\.\.)[ \t])([ \t]*)(print|except)\b(.*)$", re.M)
_DOCUMENTED = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)


def _tokens(code: str) -> Optional[List[tokenize.TokenInfo]]:
    try:
        return [t for t in tokenize.generate_tokens(io.StringIO(code).readline)
                if t.type not in (tokenize.NEWLINE, tokenize.NL, tokenize.ENDMARKER, tokenize.INDENT,
                                  tokenize.DEDENT)]
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return None


def _top_level_commas(tokens) -> Tuple[List[int], Optional[int]]:
    """Columns of the commas outside brackets, and the column of a comment."""
    depth = 0
    commas = []
    for tok in tokens:
        if tok.type == tokenize.COMMENT:
            return commas, tok.start[1]
        if tok.type == tokenize.OP:
            if tok.string in "([{":
                depth += 1
            elif tok.string in ")]}":
                depth -= 1
            elif tok.string == "," and depth == 0:
                commas.append(tok.start[1])
    return commas, None


def _print_call(rest: str, function: bool) -> Optional[str]:
    """``print X`` → ``print(X)``: when X is one item (so that 2.7 prints the
    same with or without print_function), or any items once the module has
    print_function; None when it cannot be written exactly."""
    code = rest.strip()
    if not code or code.startswith((">>", "(")) or not rest[:1].isspace():
        return None
    tokens = _tokens(code)
    if tokens is None:
        return None
    commas, comment = _top_level_commas(tokens)
    body = code if comment is None else code[:comment].rstrip()
    tail = "" if comment is None else "  " + code[comment:]
    if body.endswith(","):
        return None  # print x, : a soft space
    if commas and not function:
        return None
    return "print(%s)%s" % (body, tail)


def _except_as(rest: str) -> Optional[str]:
    """``except E, e:`` → ``except E as e:``."""
    match = re.match(r"^(\s+)(.*),\s*([A-Za-z_]\w*)\s*:(.*)$", rest)
    if not match:
        return None
    tokens = _tokens(match.group(2))
    if tokens is None or _top_level_commas(tokens)[0]:
        return None
    return "except %s as %s:%s" % (match.group(2).strip(), match.group(3), match.group(4))


@register
class DoctestStatements(Fixer):
    code = "PK273"
    name = "doctest-python2-statements"
    summary = "a docstring's doctest examples use print or except statements"
    explanation = """
    What it does: in the examples of docstrings (``>>> `` and ``... `` lines),
    which ``doctest`` compiles as code, ``print x`` with one item becomes
    ``print(x)`` and ``except E, e:`` becomes ``except E as e:``; with
    ``from __future__ import print_function`` already in the module, a print
    of several items is converted too.

    Why: Python 3 cannot compile these examples, so their tests fail (and a
    print statement stops compiling on 2.7 as well once the module imports
    print_function, which doctest passes on to its examples).

    Fix safety: exact on 2.7: ``print(x)`` of one item prints the same with
    or without print_function, and ``except E as e`` is 2.6+ syntax.
    Reported instead: ``print x,`` (a soft space), ``print >>f``, several
    items without print_function, and docstrings whose text has a backslash
    (their source is not their value).
    """
    examples = (
        Example('def half(n):\n    """\n    >>> print half(4)\n    2\n    """\n    return n // 2\n',
                'def half(n):\n    """\n    >>> print(half(4))\n    2\n    """\n    return n // 2\n'),
        Example('def f():\n    """\n    >>> try:\n    ...     f()\n    ... except ValueError, e:\n'
                '    ...     pass\n    """\n',
                'def f():\n    """\n    >>> try:\n    ...     f()\n    ... except ValueError as e:\n'
                '    ...     pass\n    """\n'),
        Example('def f():\n    """\n    >>> print 1, 2\n    1 2\n    """\n', None, findings=("PK273",),
                title="Several items without print_function: reported"),
    )
    needles = frozenset([">>>"])
    node_types = _DOCUMENTED

    def visit(self, node, ctx):
        body = node.body
        if not body or not (isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant)
                            and isinstance(body[0].value.value, str)):
            return
        literal = body[0].value
        if ">>>" not in literal.value:
            return
        start, end = ctx.span(literal)
        source = ctx.text[start:end]
        function = "print_function" in ctx.future
        for match in _EXAMPLE.finditer(source):
            prompt, indent, word, rest = match.groups()
            new = _print_call(rest, function) if word == "print" else _except_as(rest)
            where = start + match.start(3)
            if word == "print" and rest[:1] not in (" ", "\t"):
                continue  # print(x), print_x: not the statement
            if new is None and word == "print" and not function and _print_call(rest, True) is not None:
                # Several items: exact once print_function is in, which PK101 may be adding
                # in this very round for the module's own print statements.
                ctx.unsettle()
            if new is None or "\\" in source:
                if word == "print" or re.match(r"^\s+.*,\s*\w+\s*:", rest):
                    ctx.report(literal, "a doctest example uses a Python 2 %s statement: Python 3 cannot compile "
                                        "it; write it as %s" % (word, "print(...)" if word == "print" else
                                                                 "except E as e"), offset=where)
                continue
            ctx.report(literal, "a doctest example uses a Python 2 %s statement: %s" % (word, new.split("  #")[0]),
                       edits=[Edit(where, start + match.end(4), new)], offset=where)
