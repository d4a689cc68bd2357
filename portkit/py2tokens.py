"""A fast, regex-based tokenizer for Python 2.7 source (and the Python 3 superset).

``tokenize(text)`` returns a list of ``(kind, string, start, end)`` tuples,
``start``/``end`` being str offsets into ``text``.  Whitespace (spaces, tabs,
form feeds) is not a token: it is whatever lies between two tokens.  The kinds:

``NL``       a newline character (logical or not: the caller tracks brackets)
``COMMENT``  ``# ...`` up to (not including) the newline
``STRING``   a complete string literal, prefix and quotes included (any of the
             prefixes ``b br u ur r rb f fr`` in any case, single or triple
             quoted, backslash-newline continuations inside)
``NAME``     an identifier or keyword (Unicode identifiers accepted)
``NUMBER``   an int/long/float/imaginary literal, Python 2 forms included
             (``0777``, ``10L``, ``0xFFl``) and Python 3 ones (``0o7``, ``1_000``)
``OP``       an operator or delimiter, ``<>`` and the backtick included
``CONT``     a backslash-newline line continuation outside strings
``ERROR``    anything else: a stray character or an unterminated string.  A
             valid Python 2.7 file never produces one.

One compiled regular expression is applied with ``finditer``; nothing loops
over characters in Python code.  Text must be newline-normalised to ``\\n``.
"""
from __future__ import annotations

import re
from typing import List, Tuple

NL, COMMENT, STRING, NAME, NUMBER, OP, CONT, ERROR = range(1, 9)
KIND_NAMES = {
    NL: "NL",
    COMMENT: "COMMENT",
    STRING: "STRING",
    NAME: "NAME",
    NUMBER: "NUMBER",
    OP: "OP",
    CONT: "CONT",
    ERROR: "ERROR",
}

Token = Tuple[int, str, int, int]

_PREFIX = r"(?:[rR][bBfF]?|[bBfF][rR]?|[uU][rR]?)?"
_TRIPLE_SQ = r"'''[^'\\]*(?:(?:\\[\s\S]|'(?!''))[^'\\]*)*'''"
_TRIPLE_DQ = r'"""[^"\\]*(?:(?:\\[\s\S]|"(?!""))[^"\\]*)*"""'
_SINGLE_SQ = r"'[^'\\\n]*(?:\\[\s\S][^'\\\n]*)*'"
_SINGLE_DQ = r'"[^"\\\n]*(?:\\[\s\S][^"\\\n]*)*"'
_STRING = _PREFIX + "(?:" + "|".join((_TRIPLE_SQ, _TRIPLE_DQ, _SINGLE_SQ, _SINGLE_DQ)) + ")"

_D = r"\d(?:_?\d)*"
_NUMBER = "|".join(
    (
        r"0[xX](?:_?[0-9a-fA-F])+[lL]?",
        r"0[oO](?:_?[0-7])+[lL]?",
        r"0[bB](?:_?[01])+[lL]?",
        r"(?:%s\.(?:%s)?|\.%s)(?:[eE][-+]?%s)?[jJ]?" % (_D, _D, _D, _D),
        r"%s[eE][-+]?%s[jJ]?" % (_D, _D),
        r"%s[jJlL]?" % _D,
    )
)
_OP = (
    r"\*\*=?|>>=?|<<=?|<>|!=|//=?|->|:=|\.\.\.|[-+*/%&|^=<>@]=?|[~()\[\]{},:;.`]"
)

# Group numbers are the token kinds.  Leading horizontal whitespace is eaten
# by the same match, so ``m.start(kind)`` is where the token itself begins.
PSEUDO = re.compile(
    r"[ \t\f]*(?:(\n)|(#[^\n]*)|(%s)|([^\W\d]\w*)|(%s)|(%s)|(\\\n)|([^ \t\f]))"
    % (_STRING, _NUMBER, _OP)
)


def tokenize(text: str) -> List[Token]:
    """All tokens of ``text`` (see the module docstring).  A leading BOM is skipped."""
    return [
        (kind := m.lastindex, m.group(kind), m.start(kind), m.end())
        for m in PSEUDO.finditer(text, 1 if text[:1] == "\ufeff" else 0)
    ]


def string_prefix(s: str) -> str:
    """The prefix letters of a STRING token, lower-cased (``'ur'``, ``'b'``, ``''``)."""
    i = 0
    while s[i] not in "'\"":
        i += 1
    return s[:i].lower()


def split_string(s: str) -> Tuple[str, str, str]:
    """``(prefix, quote, body)`` of a STRING token; ``quote`` is 1 or 3 chars."""
    i = 0
    while s[i] not in "'\"":
        i += 1
    q = s[i] * 3 if s[i : i + 3] == s[i] * 3 and len(s) - i >= 6 else s[i]
    return s[:i], q, s[i + len(q) : len(s) - len(q)]
