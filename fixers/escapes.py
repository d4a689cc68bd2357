"""String literals with backslash escapes that Python 3.12+ warns about."""
from __future__ import annotations

import ast
import re

from portkit.fixer import Example, Fixer
from portkit.py2tokens import STRING, split_string, tokenize
from portkit.registry import register

# What follows a backslash in a valid escape of any string literal, on 2.7 and 3.
_VALID = frozenset("\n\\'\"abfnrtv01234567x")
# ... and in a text (unicode) literal.
_VALID_TEXT = _VALID | frozenset("NuU")
_ESCAPE = re.compile(r"\\[\s\S]")


@register
class InvalidEscape(Fixer):
    code = "PK264"
    name = "invalid-escape"
    summary = "'\\d' in a non-raw string: double the backslash"
    explanation = """\
What it does: in a string literal that is not raw, a backslash followed by a
character that starts no escape sequence (`'\\d'`, `'\\.'`, `'\\s'`, common
in regular expressions) gets its backslash doubled: `'\\\\d'`.

Why it matters: such a backslash is kept as it is by both Python 2 and 3, but
Python 3.6 deprecated it and 3.12+ print a SyntaxWarning for every one at
compile time (a future version will make it an error).  Users see the
warnings on every import of a module that is not yet byte-compiled.

Fix safety: safe: the doubled backslash is the same string on 2.7 and 3.
`\\u`, `\\U` and `\\N` in native strings belong to PK115 (they mean
different things on 2 and 3) and are left to it; raw strings are never
touched."""
    examples = (
        Example(
            "import re\nROUTE = re.compile('^/items/(\\d+)\\.json$')\n",
            "import re\nROUTE = re.compile('^/items/(\\\\d+)\\\\.json$')\n",
        ),
        Example("ROUTE = r'^/items/(\\d+)$'\nCRLF = '\\r\\n'\n", None, title="raw strings and valid escapes"),
    )
    needles = frozenset(["\\"])
    node_types = (ast.Constant,)

    def visit(self, node, ctx):
        value = node.value
        cls = type(value)
        # An escape that Python 3 does not know keeps its backslash in the
        # value: a string without one has none (and the source need not be read).
        if cls is str:
            if "\\" not in value:
                return
        elif cls is not bytes or b"\\" not in value:
            return
        if isinstance(ctx.parent(node), ast.JoinedStr):
            return
        start, end = ctx.span(node)
        text = ctx.text[start:end]
        if "\\" not in text:
            return
        text_default = "unicode_literals" in ctx.future
        for kind, token, a, _b in tokenize(text):
            if kind != STRING or "\\" not in token:
                continue
            prefix, quote, body = split_string(token)
            prefix = prefix.lower()
            if "r" in prefix or "f" in prefix:
                continue
            is_text = "u" in prefix or ("b" not in prefix and text_default)
            valid = _VALID_TEXT if is_text else _VALID
            # \u in a native string is literal on 2 and an escape on 3: PK115's
            skip = frozenset("NuU") if not is_text and "b" not in prefix else frozenset()
            offset = start + a + len(prefix) + len(quote)
            edits = []
            shown = []
            for match in _ESCAPE.finditer(body):
                char = match.group()[1]
                if char in valid or char in skip or char == "\r":
                    continue
                at = offset + match.start()
                edits.append(ctx.replace_span(at, at, "\\"))
                shown.append(match.group())
            if edits:
                ctx.report(
                    node,
                    "invalid escape sequence%s %s: Python 3.12+ warns about it (a SyntaxWarning) and will "
                    "reject it; the backslash is doubled (the same string on 2 and 3)"
                    % ("s" if len(set(shown)) > 1 else "", ", ".join("'%s'" % s for s in sorted(set(shown)))),
                    edits=edits,
                    offset=start + a,
                )
