"""The lift stage: make Python 2-only source parse as Python 3, without
changing what it does on Python 2.7.

libcst and :mod:`ast` only read Python 3 grammar.  This stage reads the
source text with :mod:`portkit.py2tokens` and returns text edits for the
Python 2-only syntax (the ``PK1xx`` codes, classes in ``fixers/py2syntax.py``).
The edits are exactly what ``portkit fix`` writes for those codes: minimal and
formatting-preserving.

Interface (used by the engine)::

    lift(text, encoding='utf-8', codes=None) -> LiftResult
    may_need_lift(text) -> bool

``text`` is decoded and newline-normalised to ``\\n``; ``encoding`` is the
file's source encoding (PK114 turns non-ASCII characters of ``b''`` literals
into ``\\xNN`` escapes of their bytes in it); ``codes``, when given, is a
collection of the PK1xx codes to run (others neither report nor edit).
``LiftResult.edits`` are :class:`portkit.model.Edit`, sorted and
non-overlapping (touching edits are merged), offsets being str indexes into
``text``; ``findings`` are ``(code, Finding)`` pairs in source order;
``imports`` are the :class:`~portkit.model.ImportRequest` the edits need (the
engine places them).  ``may_need_lift`` is a cheap regex prefilter: when it is
False, ``lift`` finds nothing (the tests check this on every fixture and on
the Python 2.7 standard library).  If the text does not tokenize (a stray
character, an unterminated string: never the case for a file Python 2.7
compiles), ``lift`` returns an empty result.

How the fixers are driven
-------------------------
One tokenization, one pass over the tokens.  The pass splits the tokens into
*logical lines* (bracket depth and ``\\`` continuations followed) and, for each
line, ORs together the bits of the fixers whose *triggers* occur in it.  A
token-stage fixer (``stage = "tokens"``) declares:

``triggers``   NAME or OP strings (``'print'``, ``'<>'``, ``'`'``), or the
               pseudo-triggers ``NUMBER`` / ``STRING`` (a number or string
               literal that the pass's cheap inline test finds suspicious:
               a trailing ``L``, a leading ``0``, a ``ur``/``b`` prefix, a
               ``\\u``/``\\U``/``\\N`` in an unprefixed literal) and ``for[]``
               (``for`` inside brackets).
``fix_file(ctx)``          optional; called once per file before the lines
                           (``fix_file`` fixers run whether or not they are
                           triggered, after the pass, before any line).
``fix_lines(ctx, lines)``  called once with the triggered :class:`Line`
                           objects in source order; the default calls
                           ``fix_tokens(ctx, line)`` for each.

Fixers run in code order; each reports with ``ctx.report(code, offset, msg,
fixable)``, edits with ``ctx.edit(start, end, replacement)`` and asks for
imports with ``ctx.need(module, name)``.  The file-wide facts a fixer may need
(``ctx.future``: the ``__future__`` features imported; ``ctx.py3_only``: the
file uses syntax that only Python 3 has, e.g. f-strings or ``async def``) are
known before any fixer runs.
"""
from __future__ import annotations

import ast
import bisect
import re
import sys
from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Optional, Tuple

from portkit.model import Edit, Finding, ImportRequest
from portkit.py2tokens import COMMENT, CONT, NAME, NL, NUMBER, OP, STRING, tokenize

__all__ = ["LiftResult", "lift", "may_need_lift", "Line", "LiftContext", "KEYWORDS"]

# Python 2.7 keywords (``print`` and ``exec`` included; ``print`` is a plain
# name once ``print_function`` is imported).
KEYWORDS = frozenset(
    "and as assert break class continue def del elif else except exec finally for "
    "from global if import in is lambda not or pass print raise return try while "
    "with yield".split()
)
COMPOUND = frozenset("if elif else while for try except finally with def class".split())
OPENERS = {"(": ")", "[": "]", "{": "}"}
CLOSERS = frozenset(")]}")
AUGASSIGN = frozenset("+= -= *= /= //= %= **= >>= <<= &= ^= |= @=".split())

_UUN = re.compile(r"\\[uUN]")


@dataclass
class LiftResult:
    edits: list = field(default_factory=list)
    findings: list = field(default_factory=list)
    imports: set = field(default_factory=set)
    # Overlapping edits dropped (a fixer bug; the tests require 0).
    conflicts: int = 0
    # Parallel to ``edits``: (code, logical line) of the fixer that made each
    # edit (touching edits are merged only when both are the same code's).
    edit_keys: list = field(default_factory=list)
    # Parallel to ``findings``: the logical line of each finding.
    finding_lines: list = field(default_factory=list)
    # Each import request -> the codes that asked for it.
    import_codes: dict = field(default_factory=dict)


class Line:
    """One logical line: its significant tokens (STRING NAME NUMBER OP), with
    bracket depths and matching brackets computed on first use.

    ``toks[i]`` is ``(kind, string, start, end)``; ``depth[i]`` is the bracket
    depth *outside* token ``i`` (an opener and its closer have the depth of
    the expression they sit in); ``match[i]`` maps an opener to its closer and
    back.  ``start`` is the offset of the first physical line, ``first`` that
    of the first token, ``indent`` the text between them, ``end`` the offset of
    the ending newline (or of the end of the text), ``number`` the index in
    ``ctx.logical``.
    """

    __slots__ = ("ctx", "number", "toks", "start", "first", "end", "_depth", "_match", "_stmts")

    def __init__(self, ctx, number):
        self.ctx = ctx
        self.number = number
        ti, tj, self.start, self.first = ctx.logical[number]
        toks = ctx.tokens
        self.toks = [t for t in toks[ti:tj] if t[0] >= STRING and t[0] <= OP]
        self.end = toks[tj][2] if tj < len(toks) else len(ctx.text)
        self._depth = None
        self._match = None
        self._stmts = None

    @property
    def indent(self) -> str:
        return self.ctx.text[self.start : self.first]

    def _brackets(self):
        depth = []
        match = {}
        stack = []
        d = 0
        for i, t in enumerate(self.toks):
            s = t[1]
            if t[0] == OP:
                if s in OPENERS:
                    depth.append(d)
                    stack.append(i)
                    d += 1
                    continue
                if s in CLOSERS and stack:
                    d -= 1
                    j = stack.pop()
                    match[i] = j
                    match[j] = i
            depth.append(d)
        self._depth = depth
        self._match = match

    @property
    def depth(self) -> List[int]:
        if self._depth is None:
            self._brackets()
        return self._depth

    @property
    def match(self) -> Dict[int, int]:
        if self._match is None:
            self._brackets()
        return self._match

    # -- structure -----------------------------------------------------------
    def header_colon(self, i: int = 0) -> Optional[int]:
        """Index of the ``:`` ending a compound-statement header that starts at ``i``."""
        toks, depth = self.toks, self.depth
        d = depth[i]
        lambdas = 0
        for j in range(i + 1, len(toks)):
            if depth[j] != d:
                continue
            k, s = toks[j][0], toks[j][1]
            if k == NAME and s == "lambda":
                lambdas += 1
            elif k == OP and s == ":":
                if lambdas:
                    lambdas -= 1
                else:
                    return j
        return None

    def statements(self) -> Tuple[List[Tuple[int, int]], Optional[Tuple[int, int]]]:
        """``(simple, header)``: index ranges ``[a, b)`` of the simple statements
        of the line, and the compound-statement header ``(0, colon)`` if any."""
        if self._stmts is None:
            toks, depth = self.toks, self.depth
            header = None
            i = 0
            first = toks[0]
            if first[0] == OP and first[1] == "@":
                self._stmts = ([], None)
                return self._stmts
            if first[0] == NAME and (first[1] in COMPOUND or first[1] == "async" and len(toks) > 1 and toks[1][1] in ("def", "for", "with")):
                colon = self.header_colon(0)
                if colon is None:
                    self._stmts = ([], (0, len(toks)))
                    return self._stmts
                header = (0, colon)
                i = colon + 1
            simple = []
            start = i
            for j in range(i, len(toks)):
                t = toks[j]
                if t[1] == ";" and t[0] == OP and depth[j] == 0:
                    if j > start:
                        simple.append((start, j))
                    start = j + 1
            if start < len(toks):
                simple.append((start, len(toks)))
            self._stmts = (simple, header)
        return self._stmts

    def split(self, a: int, b: int, sep: str = ",") -> List[Tuple[int, int]]:
        """Split ``[a, b)`` at the ``sep`` operators at the depth of token ``a``
        (not inside a lambda's parameter list).

        A trailing separator yields a last, empty range."""
        if a >= b:
            return []
        toks, depth = self.toks, self.depth
        d = depth[a]
        parts = []
        start = a
        lambdas = 0
        for j in range(a, b):
            t = toks[j]
            if depth[j] != d:
                continue
            if t[0] == OP:
                if t[1] == sep and not lambdas:
                    parts.append((start, j))
                    start = j + 1
                elif t[1] == ":" and lambdas:
                    lambdas -= 1
            elif t[0] == NAME and t[1] == "lambda":
                lambdas += 1
        parts.append((start, b))
        return parts

    def is_group(self, a: int, b: int) -> bool:
        """``[a, b)`` is exactly one bracketed group."""
        return b > a and self.toks[a][1] in OPENERS and self.toks[a][0] == OP and self.match.get(a) == b - 1

    def text_of(self, a: int, b: int) -> str:
        """Source text from token ``a`` to token ``b - 1`` inclusive."""
        return self.ctx.text[self.toks[a][2] : self.toks[b - 1][3]]

    def is_operand_end(self, i: int) -> bool:
        """Token ``i`` can end an operand (so a following ``(`` is a call)."""
        k, s = self.toks[i][0], self.toks[i][1]
        if k == NAME:
            return s not in KEYWORDS or (s == "print" and "print_function" in self.ctx.future)
        if k == OP:
            return s in CLOSERS
        return True  # STRING, NUMBER


class LiftContext:
    """What fixers see of one file while it is lifted."""

    def __init__(self, text: str, encoding: str, tokens, logical):
        self.text = text
        self.encoding = encoding
        self.tokens = tokens
        self.logical = logical  # (first token, end token, line start, first token offset)
        self.future = set()
        self.py3_only = False
        self.expand_tabs = False  # set by the indentation fixer (PK112)
        self.edits: List[Tuple[int, int, int, str, str]] = []
        self.findings: List[Tuple[str, Finding]] = []
        self.finding_offsets: List[int] = []
        self.imports = set()
        self.import_codes: Dict[ImportRequest, set] = {}
        self.code = ""  # the code of the fixer that runs (set by the driver)
        self._lines: Dict[int, Line] = {}
        self._names = None
        self._nl = None

    # -- navigation ----------------------------------------------------------
    def line(self, number: int) -> Line:
        ln = self._lines.get(number)
        if ln is None:
            ln = self._lines[number] = Line(self, number)
        return ln

    def position(self, offset: int) -> Tuple[int, int]:
        """``(line, col)`` of an offset: line 1-based, col 0-based."""
        if self._nl is None:
            self._nl = [m.start() for m in re.finditer("\n", self.text)]
        n = bisect.bisect_left(self._nl, offset)
        return n + 1, offset - (self._nl[n - 1] + 1 if n else 0)

    def indent_of(self, line: Line) -> str:
        """The indentation a line has after the lift (tabs expanded if PK112 fixes the file)."""
        indent = line.indent
        if self.expand_tabs and "\t" in indent:
            return expand_indent(indent)
        return indent

    def unique_name(self, base: str) -> str:
        """``base`` with ``_`` appended until no name in the file uses it."""
        if self._names is None:
            self._names = set(re.findall(r"\w+", self.text))
        name = base
        while name in self._names:
            name += "_"
        return name

    # -- results -------------------------------------------------------------
    def edit(self, start: int, end: int, replacement: str) -> None:
        self.edits.append((start, end, len(self.edits), replacement, self.code))

    def report(self, code: str, offset: int, message: str, fixable: bool = True) -> None:
        line, col = self.position(offset)
        self.findings.append((code, Finding(line, col, code, message, fixable)))
        self.finding_offsets.append(offset)

    def need(self, module: str, name: Optional[str] = None, asname: Optional[str] = None) -> None:
        request = ImportRequest(module, name, asname)
        self.imports.add(request)
        self.import_codes.setdefault(request, set()).add(self.code)

    def logical_index(self, offset: int) -> int:
        """The number of the logical line that holds ``offset``."""
        starts = getattr(self, "_starts", None)
        if starts is None:
            starts = self._starts = [entry[2] for entry in self.logical]
        return max(bisect.bisect_right(starts, offset) - 1, 0)


def expand_indent(indent: str) -> str:
    """Indentation with tabs expanded to 8 columns (a form feed resets the column, as
    in Python's tokenizer; the form feed itself is kept)."""
    ff = indent.rfind("\f") + 1
    col = 0
    for c in indent[ff:]:
        col = (col // 8 + 1) * 8 if c == "\t" else col + 1
    return indent[:ff] + " " * col


# -- the fixer table ------------------------------------------------------------
_FUTURE_BIT = 1 << 62  # bits of the lift driver itself, beside one bit per fixer
_PY3_MARK_BIT = 1 << 61
_TABLES: Dict[Optional[frozenset], tuple] = {}


def _table(codes):
    key = None if codes is None else frozenset(codes)
    table = _TABLES.get(key)
    if table is None:
        from portkit.registry import load_fixers

        fixers = [
            cls()
            for code, cls in load_fixers().items()
            if getattr(cls, "stage", "ast") == "tokens" and (key is None or code in key)
        ]
        name_bits: Dict[str, int] = {}
        op_bits: Dict[str, int] = {}
        special = {"NUMBER": 0, "STRING": 0, "for[]": 0}
        for n, fx in enumerate(fixers):
            bit = 1 << n
            for trig in getattr(fx, "triggers", ()):
                if trig in special:
                    special[trig] |= bit
                elif trig[0].isalpha() or trig[0] == "_":
                    name_bits[trig] = name_bits.get(trig, 0) | bit
                else:
                    op_bits[trig] = op_bits.get(trig, 0) | bit
        file_fixers = [fx for fx in fixers if hasattr(fx, "fix_file")]
        name_bits["__future__"] = name_bits.get("__future__", 0) | _FUTURE_BIT
        for mark in ("nonlocal", "async"):
            name_bits[mark] = name_bits.get(mark, 0) | _PY3_MARK_BIT
        for mark in ("->", ":="):
            op_bits[mark] = op_bits.get(mark, 0) | _PY3_MARK_BIT
        table = (fixers, name_bits, op_bits, special["NUMBER"], special["STRING"], special["for[]"], file_fixers)
        _TABLES[key] = table
    return table


def lift(text: str, encoding: str = "utf-8", codes: Optional[Iterable[str]] = None) -> LiftResult:
    """Edits, findings and imports that make ``text`` parse as Python 3 (see module doc)."""
    fixers, name_bits, op_bits, num_bit, str_bit, for_bit, file_fixers = _table(codes)
    tokens = tokenize(text)

    # -- the pass ------------------------------------------------------------
    logical = []
    flagged = []
    depth = 0
    ti = -1
    bits = 0
    ls = fs = 0
    nl_end = 0
    py3_strings = False
    nget = name_bits.get
    oget = op_bits.get
    for i, (k, s, a, b) in enumerate(tokens):
        if k == NL:
            if depth == 0 and ti >= 0:
                logical.append((ti, i, ls, fs))
                if bits:
                    flagged.append((len(logical) - 1, bits))
                ti = -1
                bits = 0
            nl_end = b
            continue
        if k == COMMENT or k == CONT:
            continue
        if ti < 0:
            ti = i
            ls = nl_end
            fs = a
        if k == NAME:
            bit = nget(s)
            if bit:
                if s == "for" and not depth:
                    bit &= ~for_bit
                bits |= bit
            elif s == "for" and depth:
                bits |= for_bit
        elif k == OP:
            if s in OPENERS:
                depth += 1
            elif s in CLOSERS:
                if depth:
                    depth -= 1
            else:
                bit = oget(s)
                if bit:
                    bits |= bit
        elif k == NUMBER:
            if s[-1] in "lL" or (s[0] == "0" and len(s) > 1 and s[1] in "0123456789"):
                bits |= num_bit
        elif k == STRING:
            c = s[0]
            if c == "'" or c == '"':
                if "\\" in s and _UUN.search(s):
                    bits |= str_bit
            else:
                p = s[:2].lower()
                if p[0] == "u":
                    if p[1] == "r":
                        bits |= str_bit
                elif "f" in p:
                    py3_strings = True
                elif "b" in p:
                    if not s.isascii():
                        bits |= str_bit
        else:  # ERROR
            return LiftResult()
    if ti >= 0:
        logical.append((ti, len(tokens), ls, fs))
        if bits:
            flagged.append((len(logical) - 1, bits))

    ctx = LiftContext(text, encoding, tokens, logical)
    ctx.py3_only = py3_strings
    for n, bits in flagged:
        if bits & (_FUTURE_BIT | _PY3_MARK_BIT):
            _file_facts(ctx, ctx.line(n))
    for fx in file_fixers:
        ctx.code = fx.code
        fx.fix_file(ctx)
    for n, fx in enumerate(fixers):
        bit = 1 << n
        lines = [ctx.line(ln) for ln, bits in flagged if bits & bit]
        if lines:
            ctx.code = fx.code
            fx.fix_lines(ctx, lines)
    result = _result(ctx)
    ctx._lines.clear()  # each Line points back at ctx: no cycle left for the collector
    return result


def _file_facts(ctx: LiftContext, line: Line) -> None:
    """Future imports, and the Python 3-only syntax that makes ``print(a, b)`` a call."""
    toks = line.toks
    for n, t in enumerate(toks):
        k, s = t[0], t[1]
        if k == NAME:
            if s == "__future__" and n == 1 and toks[0][1] == "from" and len(toks) > 3 and toks[2][1] == "import":
                for j in range(3, len(toks)):
                    if toks[j][0] == NAME and toks[j - 1][1] != "as" and toks[j][1] != "as":
                        ctx.future.add(toks[j][1])
            elif s == "nonlocal" and n + 1 < len(toks) and toks[n + 1][0] == NAME and (n == 0 or toks[n - 1][1] in (";", ":")):
                ctx.py3_only = True
            elif s == "async" and n + 1 < len(toks) and toks[n + 1][1] in ("def", "for", "with"):
                ctx.py3_only = True
        elif k == OP and (s == "->" or s == ":="):
            ctx.py3_only = True


def _result(ctx: LiftContext) -> LiftResult:
    raw = sorted(ctx.edits)
    merged = []
    cur = None
    for start, end, _seq, rep, code in raw:
        if cur is not None:
            cs, ce, cr, cc = cur
            if start < ce:
                # Overlap: a bug in a fixer; keep the first edit (tests assert this never happens).
                ctx.conflicts = getattr(ctx, "conflicts", 0) + 1
                continue
            if start == ce and code == cc:
                cur = (cs, end, cr + rep, cc)
                continue
            merged.append(cur)
        cur = (start, end, rep, code)
    if cur is not None:
        merged.append(cur)
    edits: List[Edit] = []
    keys = []
    for start, end, rep, code in merged:
        if ctx.text[start:end] != rep:
            edits.append(Edit(start, end, rep))
            keys.append((code, ctx.logical_index(start)))
    order = sorted(range(len(ctx.findings)), key=lambda n: (ctx.findings[n][1].line, ctx.findings[n][1].col,
                                                            ctx.findings[n][0]))
    findings = [ctx.findings[n] for n in order]
    finding_lines = [ctx.logical_index(ctx.finding_offsets[n]) for n in order]
    return LiftResult(edits, findings, set(ctx.imports), getattr(ctx, "conflicts", 0), keys, finding_lines,
                      {request: frozenset(codes) for request, codes in ctx.import_codes.items()})


def apply_edits(text: str, edits) -> str:
    """``text`` with sorted, non-overlapping ``edits`` applied."""
    out = []
    pos = 0
    for e in edits:
        out.append(text[pos : e.start])
        out.append(e.replacement)
        pos = e.end
    out.append(text[pos:])
    return "".join(out)


# -- the prefilter ----------------------------------------------------------------
# (needles, regex): the regex is searched when one of the needles occurs in the
# text; regex None means a needle alone is enough.  Substring tests run at C
# speed, so a file without any needle costs almost nothing.
def _groups(depth: int = 3, inner: str = "[^()\\[\\]{}]") -> str:
    """A regex for a balanced (), [] or {} group, nested ``depth`` levels deep."""
    g = inner
    for _ in range(depth):
        g = r"\((?:%s)*\)|\[(?:%s)*\]|\{(?:%s)*\}" % ((g + "|" + inner,) * 3) if g != inner else (
            r"\(%s*\)|\[%s*\]|\{%s*\}" % (inner, inner, inner)
        )
    return g


_G = _groups()

# Every regex starts with a literal or a character class, never with ``\b`` or a
# look-behind, so that the regex engine can scan for its first character in C
# (5-50 times faster); a word boundary, where wanted, is checked after it.
_CHECKS = [
    (("`", "<>", "\\u", "\\U", "\\N"), None),
    (("print",), r"print\b"),
    (("exec",), r"exec\b"),
    (("except", "raise"), r"(?:except|raise)\b(?:[^,:;\n()\[\]{}\\]|\\\n|%s)*," % _G),
    (("0",), r"0(?<![\w.]0)[0-9]"),
    (("l", "L"), r"[0-9][0-9a-fA-F_xXoObB]*[lL]"),
    (("r'", 'r"', "R'", 'R"'), r"""[uU][rR]['"]"""),
    (("lambda",), r"lambda\b[^:]*\("),
    (("def",), r"def\b[^:]*[(,]\s*(?:\#[^\n]*\s*)*\("),
    (("for",), r"for\b[^:\]]*?\bin\b(?:lambda\b[^:]*:|[^:()\[\]{},]|%s)*," % _G),
    (("nonlocal", "async", "await"), r"(?:nonlocal|async|await)\b"),
    (
        ("True", "False", "None"),
        r"""(?:True|False|None)\s*(?:(?:[-+*/%&|^@]|//|\*\*|<<|>>)?=(?!=)|,[^\n]*=)""",
    ),
    (("True", "False", "None"), r"\.\s*(?:True|False|None)\b"),
    (("True", "False", "None"), r"(?:def|class|as|import|global|for)\s+(?:True|False|None)\b"),
    (("True", "False", "None"), r"(?:def|lambda)\b[^:]*\b(?:True|False|None)\s*[,)=:]"),
    (("\t",), r"^[ \f]*\t"),
]
_CHECKS = [(needles, regex and re.compile(regex, re.X | re.M).search) for needles, regex in _CHECKS]
_BYTES_PREFIX = re.compile(r"""(?:[bB][rR]?|[rR][bB])['"]""")


# What Python 3 (3.9-3.13) parses with another meaning than 2.7, or parses
# although the lift still changes it: everything else the lift rewrites is a
# SyntaxError on Python 3 (octal and long literals, backticks, '<>', ur'',
# non-ASCII bytes, tuple parameters, raise E, V, Python 3 keywords as names,
# tabs that Python 3 rejects with TabError by the very test PK112 makes).
_PRINT = re.compile(r"print\b")
_EXEC = re.compile(r"exec\b")
_ESCAPES = ("\\u", "\\U", "\\N")
# PEP 758 (Python 3.14) reads ``except E, e:`` as a tuple of exceptions.
_EXCEPT_PARSES = sys.version_info >= (3, 14)
_EXCEPT_COMMA = re.compile(r"except\b[^:\n]*,")
# Lines that no Python 3 parses: a text with one of them goes to the lift
# without a parse that would fail first.
_SURELY_PY2 = re.compile(
    r"^[ \t]*(?:print[ \t]+[\"'\w]|exec[ \t]+[\"'\w]|except\b[^:\n#]*,[ \t]*\w+[ \t]*:"
    r"|raise[ \t]+[\w.]+[ \t]*,)", re.M)
_NUMBER_CUE = re.compile(r"[0-9][lL]\b")  # 10L (an octal cue, 0777, is too often a date in a string)


def future_features(tree) -> frozenset:
    """The ``from __future__`` features a parsed module imports."""
    found = set()
    for stmt in tree.body:
        if isinstance(stmt, ast.ImportFrom) and stmt.module == "__future__":
            found.update(alias.name for alias in stmt.names)
        elif not (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant)):
            break
    return frozenset(found)


def surely_python2(text: str) -> bool:
    """True when a line of ``text`` looks like a print, exec or ``except E, e``
    statement that no Python 3 parses (a cue to lift before parsing; a wrong
    guess costs time only)."""
    return _SURELY_PY2.search(text) is not None or _NUMBER_CUE.search(text) is not None


def needed_after_parse(text: str, tree) -> bool:
    """For a ``text`` that this Python's ``ast.parse`` accepted as ``tree``:
    False only when :func:`lift` certainly finds nothing in it (the tests
    check this on every fixture and on the Python 2.7 standard library)."""
    future = None
    if "print" in text and _PRINT.search(text):
        # print(a, b), print >>f, x and a bare print parse on 3
        future = future_features(tree)
        if "print_function" not in future:
            return True
    if "exec" in text and _EXEC.search(text):
        return True  # exec (code) in ns parses on 3 as a comparison
    if any(escape in text for escape in _ESCAPES):
        # '\u00e9' is six characters on 2, one on 3
        if future is None:
            future = future_features(tree)
        if "unicode_literals" not in future:
            return True
    if _EXCEPT_PARSES and "except" in text and _EXCEPT_COMMA.search(text):
        return True
    return False


def first_parse(text: str, parse=ast.parse):
    """``(tree, needs_lift)`` before the lift: ``text`` is parsed first unless it
    surely holds Python 2 syntax; ``tree`` is None when it was not parsed or
    did not parse, and then the lift is needed.  (Errors of ``parse`` other
    than SyntaxError propagate.)"""
    needs = may_need_lift(text)
    if needs and surely_python2(text):
        return None, True
    try:
        tree = parse(text)
    except SyntaxError:
        return None, True
    return tree, needs and needed_after_parse(text, tree)


def parse_lifted(text: str, parse=ast.parse, encoding: str = "utf-8"):
    """``(tree, analysed_text)``: ``text`` parsed, after the lift when the lift
    changes it (SyntaxError when it still does not parse)."""
    tree, needs = first_parse(text, parse)
    if not needs:
        return tree, text
    lifted = lift(text, encoding=encoding)
    if lifted.edits:
        text = apply_edits(text, lifted.edits)
        tree = None
    return (tree if tree is not None else parse(text)), text


def may_need_lift(text: str) -> bool:
    """Cheap test: False only when :func:`lift` certainly finds nothing in ``text``."""
    for needles, search in _CHECKS:
        for needle in needles:
            if needle in text:
                if search is None or search(text):
                    return True
                break
    return not text.isascii() and _BYTES_PREFIX.search(text) is not None
