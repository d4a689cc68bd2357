"""Global inline regex flags that are not at the start of the pattern."""
from __future__ import annotations

import ast
import io
import re
import tokenize
from typing import List, Optional, Tuple

from portkit.fixer import Example, Fixer
from portkit.registry import register

# Functions of ``re`` whose first argument (or ``pattern=``) is a pattern.
_PATTERN_FUNCTIONS = frozenset("re." + name for name in (
    "compile", "match", "search", "fullmatch", "sub", "subn", "split", "findall", "finditer", "template"))

# The flag letters of a global group on 2.7 (``(?iLmsux)``; ``t`` is 2.7's
# undocumented TEMPLATE flag, gone on 3: left alone).
_FLAG_LETTERS = "iLmsux"
_GLOBAL_GROUP = re.compile(r"\(\?([%s]+)\)" % _FLAG_LETTERS)
_PREFIX = re.compile(r"[A-Za-z]*")


def _scan(value: str, verbose: bool) -> Optional[List[Tuple[int, int, str]]]:
    """Global flag groups ``(?flags)`` of the pattern ``value`` as (start,
    end, letters), outside escapes, character classes and (verbose) comments.
    None when the pattern has something this scan does not follow (an
    unterminated class)."""
    found = []
    at, size = 0, len(value)
    verbose = verbose or any("x" in m.group(1) for m in _GLOBAL_GROUP.finditer(value))
    while at < size:
        char = value[at]
        if char == "\\":
            at += 2
            continue
        if char == "[":
            at += 1
            if at < size and value[at] == "^":
                at += 1
            if at < size and value[at] == "]":
                at += 1
            while at < size and value[at] != "]":
                at += 2 if value[at] == "\\" else 1
            if at >= size:
                return None
            at += 1
            continue
        if verbose and char == "#":
            end = value.find("\n", at)
            at = size if end < 0 else end + 1
            continue
        if char == "(":
            match = _GLOBAL_GROUP.match(value, at)
            if match:
                found.append((match.start(), match.end(), match.group(1)))
                at = match.end()
                continue
        at += 1
    return found


def _string_tokens(text: str):
    """(start, end) offsets in ``text`` of the STRING tokens of an expression
    made only of string literals (implicit concatenation, comments between
    them); None for anything else."""
    wrapped = "(" + text + ")"
    lines = wrapped.splitlines(True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    spans = []
    try:
        for tok in tokenize.generate_tokens(io.StringIO(wrapped).readline):
            if tok.type == tokenize.STRING:
                begin = starts[tok.start[0] - 1] + tok.start[1] - 1
                end = starts[tok.end[0] - 1] + tok.end[1] - 1
                spans.append((begin, end))
            elif tok.type in (tokenize.OP,) and tok.string in "()":
                continue
            elif tok.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT, tokenize.ENDMARKER,
                                  tokenize.INDENT, tokenize.DEDENT):
                return None
    except (tokenize.TokenError, SyntaxError):
        return None
    return spans or None


def _value_map(token: str):
    """(value, [source offset of each value character], body start) of one
    string token, or None when a character of the value does not come from
    exactly one source character (escapes are fine, but they are never part
    of a flag group, which this map is used to find)."""
    prefix = _PREFIX.match(token).group(0)
    quote = token[len(prefix):len(prefix) + 3]
    if quote not in ('"""', "'''"):
        quote = quote[0]
    body_start = len(prefix) + len(quote)
    body = token[body_start:len(token) - len(quote)]
    if "r" in prefix.lower() or "\\" not in body:
        offsets = list(range(body_start, body_start + len(body)))
        try:
            value = ast.literal_eval(token)
        except (SyntaxError, ValueError):
            return None
        if len(value) != len(body):
            return None
        return value, offsets, body_start
    # Not raw, with escapes: decode piece by piece; an escape sequence maps
    # every character it yields to the backslash (never part of a group).
    value_parts, offsets = [], []
    at = 0
    escape = re.compile(r"\\(?:\n|[0-7]{1,3}|x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|N\{[^}]*\}|.)", re.S)
    while at < len(body):
        match = escape.match(body, at) if body[at] == "\\" else None
        if match:
            piece = match.group(0)
            try:
                decoded = ast.literal_eval(prefix + quote + piece + quote)
            except (SyntaxError, ValueError):
                return None
            value_parts.append(decoded)
            offsets.extend([body_start + at] * len(decoded))
            at = match.end()
        else:
            value_parts.append(body[at])
            offsets.append(body_start + at)
            at += 1
    try:
        whole = ast.literal_eval(token)
    except (SyntaxError, ValueError):
        return None
    value = value_parts[0][:0].join(value_parts) if value_parts else whole
    if value != whole:
        return None
    return value, offsets, body_start


def _merged_group(groups) -> str:
    """One ``(?...)`` group with every flag letter of ``groups``, in order of first use."""
    letters = ""
    for _, _, flags in groups:
        for letter in flags:
            if letter not in letters:
                letters += letter
    return "(?%s)" % letters


@register
class RegexInlineFlags(Fixer):
    code = "PK265"
    name = "regex-inline-flags"
    summary = "a global inline flag such as (?i) not at the start of a pattern is an error on Python 3.11+"
    explanation = """
    What it does: in a string literal given as the pattern of ``re.compile``,
    ``re.match``, ``re.search``, ``re.sub``, ``re.subn``, ``re.split``,
    ``re.findall``, ``re.finditer`` (through any alias of ``re`` or of the
    function), moves the global flag groups such as ``(?i)`` or ``(?u)``
    that are not at the start of the pattern to its start, merged into one
    group: ``r'\\w+(?u)'`` becomes ``r'(?u)\\w+'``.

    Why: Python 2.7 applies such a group to the whole pattern wherever it
    stands.  Python 3.6 to 3.10 warn, and since 3.11 ``re`` raises
    ``re.error: global flags not at the start of the expression``, often at
    import time.

    Fix safety: exact on 2.7.  Its parser sets the flags for the whole
    pattern wherever the group stands (a verbose flag found late makes it
    parse the pattern again), so the compiled pattern is the same.  The group
    is found outside escapes, character classes and verbose comments, and the
    rewritten literal is checked to hold the same pattern with the group
    moved.  A name bound once at module level to such a literal is
    rewritten there when it is private to the module (``_PATTERN``) and only
    ever used as a pattern of these functions; any other such name is
    reported at the call (another module may import it, or it may be printed).
    A pattern built at run time (``+``, ``%``) is not rewritten; a scoped
    group ``(?i:...)`` (3.6+) is not a global group and is left as it is.
    """
    examples = (
        Example("import re\nWORD = re.compile(r'\\w+(?u)')\n", "import re\nWORD = re.compile(r'(?u)\\w+')\n"),
        Example("import re as regex\nok = regex.match('[a-z]+(?i)$', name)\n",
                "import re as regex\nok = regex.match('(?i)[a-z]+$', name)\n", title="Through an alias"),
        Example("import re\nTAG = re.compile(r'<(\\w+)(?i)>'\n                 r'(?s).*')\n",
                "import re\nTAG = re.compile(r'(?is)<(\\w+)>'\n                 r'.*')\n",
                title="Several groups, several literals: one group at the front"),
        Example("import re\nWORD = re.compile(r'(?i)\\w+')\n", None, title="Already at the start"),
        Example("import re\nCLASS = re.compile(r'[(?i)]+')\n", None, title="Inside a character class: not a flag"),
    )
    needles = frozenset(["re"])
    node_types = (ast.Call,)

    def visit(self, node, ctx):
        func = node.func
        if type(func) not in (ast.Name, ast.Attribute):
            return
        if type(func) is ast.Attribute and func.attr not in ("compile", "match", "search", "fullmatch", "sub",
                                                             "subn", "split", "findall", "finditer", "template"):
            return
        if ctx.resolve(func) not in _PATTERN_FUNCTIONS:
            return
        pattern = node.args[0] if node.args and not isinstance(node.args[0], ast.Starred) else None
        if pattern is None:
            pattern = next((k.value for k in node.keywords if k.arg == "pattern"), None)
        if isinstance(pattern, ast.Name):
            self._named(node, pattern, ctx)
            return
        if not (isinstance(pattern, ast.Constant) and isinstance(pattern.value, (str, bytes))):
            return
        value = pattern.value
        text = value if isinstance(value, str) else value.decode("latin-1")
        if "(?" not in text:
            return
        groups = _scan(text, verbose=False)
        if groups != _scan(text, verbose=True):
            # A '#' before a group: a comment if the call's flags hold re.X.
            verbose = any(ctx.resolve(sub) in ("re.X", "re.VERBOSE") for arg in node.args[1:] + [
                k.value for k in node.keywords if k.arg != "pattern"] for sub in ast.walk(arg))
            others = node.args[1:] + [k.value for k in node.keywords if k.arg != "pattern"]
            if verbose:
                groups = _scan(text, verbose=True)
            elif any(not isinstance(arg, ast.Constant) for arg in others):
                groups = None  # flags that may hold re.X
        if groups is None:
            return
        late = [g for g in groups if g[0] != 0]
        if not late:
            return
        group = _merged_group(groups)
        edit = self._edit(ctx, pattern, groups, group)
        message = ("global flag group %s not at the start of the pattern: an error on Python 3.11+" %
                   ", ".join("(?%s)" % g[2] for g in late))
        if edit is None:
            ctx.report(pattern, message + "; move it to the start (%s...), which is the same on 2.7" % group)
            return
        ctx.report(pattern, message + "; moved to the start (the same on 2.7)", edits=[edit])

    def _named(self, call, name, ctx):
        """``re.compile(PATTERN)`` with ``PATTERN = r'...(?i)'`` bound once at
        module level: the literal is rewritten when the name is private to
        the module (a leading underscore) and every use of it is the pattern
        of a call of ``re``; otherwise the call is reported."""
        walk = ctx.walk
        if walk.defining_scope(name.id, name._pk_scope) is not walk.module_scope:
            return
        stores = [n for n in walk.index.get(ast.Name, ()) if n.id == name.id and type(n.ctx) is not ast.Load]
        if len(stores) != 1:
            return
        assign = ctx.parent(stores[0])
        if not (isinstance(assign, ast.Assign) and assign.targets == [stores[0]] and ctx.parent(assign) is ctx.tree
                and isinstance(assign.value, ast.Constant) and isinstance(assign.value.value, (str, bytes))):
            return
        literal = assign.value
        value = literal.value
        text = value if isinstance(value, str) else value.decode("latin-1")
        if "(?" not in text:
            return
        groups = _scan(text, verbose=False)
        if groups is None or not [g for g in groups if g[0] != 0]:
            return
        group = _merged_group(groups)
        message = ("global flag group %s not at the start of the pattern %s (line %d): an error on Python 3.11+"
                   % (", ".join("(?%s)" % g[2] for g in groups if g[0] != 0), name.id, literal.lineno))
        uses = [n for n in walk.index.get(ast.Name, ()) if n.id == name.id and type(n.ctx) is ast.Load
                and walk.defining_scope(n.id, n._pk_scope) is walk.module_scope]
        only_patterns = all(self._pattern_use(ctx, n) for n in uses)
        unambiguous = groups == _scan(text, verbose=True)
        done = ctx.cache.setdefault("pk265.named", set())
        if name.id.startswith("_") and only_patterns and unambiguous and "__all__" not in ctx.words:
            if id(literal) in done:
                return
            done.add(id(literal))
            edit = self._edit(ctx, literal, groups, group)
            if edit is not None:
                ctx.report(literal, message + "; moved to the start (the same on 2.7; the name is only used "
                                              "as a pattern)", edits=[edit])
                return
        ctx.report(name, message + "; move it to the start (%s...), which is the same on 2.7 wherever the "
                                   "string is used as a pattern" % group)

    @staticmethod
    def _pattern_use(ctx, name) -> bool:
        call = ctx.parent(name)
        if isinstance(call, ast.keyword):
            if call.arg != "pattern":
                return False
            call = ctx.parent(call)
        elif not (isinstance(call, ast.Call) and call.args and call.args[0] is name):
            return False
        return isinstance(call, ast.Call) and ctx.resolve(call.func) in _PATTERN_FUNCTIONS

    @staticmethod
    def _edit(ctx, pattern, groups, group):
        source = ctx.source(pattern)
        spans = _string_tokens(source)
        if spans is None:
            return None
        # One map from the pattern's characters to offsets in ``source``.
        offsets, first_body = [], None
        for begin, end in spans:
            mapped = _value_map(source[begin:end])
            if mapped is None:
                return None
            value, token_offsets, body_start = mapped
            if first_body is None:
                first_body = begin + body_start
            offsets.extend(begin + o for o in token_offsets)
        if len(offsets) != len(pattern.value):
            return None
        cuts = []
        for start, end, flags in groups:
            where = offsets[start:end]
            if where != list(range(where[0], where[0] + (end - start))):
                return None  # the group is not written as it reads
            cuts.append((where[0], where[0] + (end - start)))
        new = source
        for begin, end in sorted(cuts, reverse=True):
            new = new[:begin] + new[end:]
        new = new[:first_body] + group + new[first_body:]
        # The rewritten literal must hold the group and then the pattern
        # without its groups, nothing else.
        value = pattern.value
        rest = value[:0].join(value[a:b] for a, b in _gaps(groups, len(value)))
        expected = (group.encode("ascii") if isinstance(value, bytes) else group) + rest
        try:
            if ast.literal_eval("(" + new + "\n)") != expected:
                return None
        except (SyntaxError, ValueError):
            return None
        start, end = ctx.span(pattern)
        return ctx.replace_span(start, end, new)


def _gaps(groups, size):
    at = 0
    for start, end, _ in groups:
        yield at, start
        at = end
    yield at, size
