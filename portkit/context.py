"""What an ``ast`` fixer sees of the file it works on, and how it reports."""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import Iterable, List, Optional, Tuple

from .analysis import Walk
from .model import Edit, Finding, ImportRequest
from .positions import LineIndex


_WORDS = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# Every ASCII character that is not a word character becomes a space.
_SPACES = str.maketrans({chr(c): " " for c in range(128) if not (chr(c).isalnum() or chr(c) == "_")})


def identifiers(text: str) -> frozenset:
    """Every word of ``text`` that could be an identifier (comments and
    strings included): what cheap tests of the form "the file never names
    X" look at.  (Where a regex ``\\bX\\b`` matches, this yields X.)

    An ASCII text is split at its non-word characters (in C, faster than the
    regex); its set may then also hold words that start with a digit
    (``2re``, ``0x1f``), which no test looks for."""
    if text.isascii():
        return frozenset(text.translate(_SPACES).split())
    return frozenset(_WORDS.findall(text))


@dataclass
class Record:
    """A finding together with the edits and imports that fix it."""

    code: str
    offset: int  # in the analysed text
    message: str
    edits: Tuple[Edit, ...] = ()
    imports: Tuple[ImportRequest, ...] = ()
    fixable: bool = False
    fixer: str = ""
    # Apply only in a round where every other fix applied (an import removal
    # that is right only once all the uses it served are rewritten).
    last: bool = False


class FileContext:
    """Shared by all fixers for one analysis of one text.

    Positions given to fixers are those of the analysed (lifted) text.
    """

    def __init__(self, text: str, tree: ast.Module, walk: Walk, lines: LineIndex, path: str = "",
                 words: Optional[frozenset] = None):
        self.text = text
        self._words = words
        self.tree = tree
        self.walk = walk
        self.lines = lines
        self.path = path
        self.future = frozenset(walk.future)
        self.records: List[Record] = []
        self.fixer = None  # the fixer being run; set by the engine
        self.cache: dict = {}  # per-file memo shared by fixers (e.g. kind inference)
        self.unsettled = False  # see unsettle()

    def unsettle(self) -> None:
        """A fixer left something for the next round (a finding it could not
        fix in this one, because another fix rewrites the same place, or a
        fix whose result it cannot see in this round): with ``portkit fix``,
        the fixed text is analysed again, until a round is final."""
        self.unsettled = True

    @property
    def words(self) -> frozenset:
        """:func:`identifiers` of the text (computed once)."""
        if self._words is None:
            self._words = identifiers(self.text)
        return self._words

    # -- positions ----------------------------------------------------------
    def start(self, node: ast.AST) -> int:
        return self.lines.offset(node.lineno, node.col_offset)

    def end(self, node: ast.AST) -> int:
        return self.lines.offset(node.end_lineno, node.end_col_offset)

    def span(self, node: ast.AST) -> Tuple[int, int]:
        return self.start(node), self.end(node)

    def source(self, node: ast.AST) -> str:
        start, end = self.span(node)
        return self.text[start:end]

    def replace(self, node: ast.AST, text: str) -> Edit:
        start, end = self.span(node)
        return Edit(start, end, text)

    def replace_span(self, start: int, end: int, text: str) -> Edit:
        return Edit(start, end, text)

    # -- names --------------------------------------------------------------
    def resolve(self, node: ast.AST) -> Optional[str]:
        return self.walk.resolve(node)

    def is_builtin(self, node: ast.AST, name: str) -> bool:
        return self.walk.is_builtin(node, name)

    def parent(self, node: ast.AST) -> Optional[ast.AST]:
        return self.walk.parents.get(node)

    def dispose(self) -> None:
        """The file is done: let each memo of ``cache`` drop what it holds
        (``dispose()``), so that reference counting frees the analysis."""
        for value in self.cache.values():
            dispose = getattr(value, "dispose", None)
            if dispose is not None:
                dispose()
        self.cache.clear()

    # -- reporting ----------------------------------------------------------
    def report(
        self,
        node: ast.AST,
        message: str,
        edits: Iterable[Edit] = (),
        imports: Iterable[ImportRequest] = (),
        offset: Optional[int] = None,
        last: bool = False,
    ) -> None:
        """Report ``message`` at ``node`` (or ``offset``) for the running fixer.

        With ``edits`` the finding is fixable and ``portkit fix`` applies
        exactly those edits (with ``imports`` added once per file).  With
        ``last`` the edits wait for a round in which every other fix applied
        (a fix that is only right once the others are in, such as removing an
        import whose uses the other fixes rewrite).
        """
        fixer = self.fixer
        edits = tuple(edits)
        imports = tuple(imports)
        self.records.append(
            Record(
                code=fixer.code,
                offset=self.start(node) if offset is None else offset,
                message=message,
                edits=edits,
                imports=imports,
                fixable=bool(edits or imports),
                fixer=fixer.name,
                last=last,
            )
        )

    def finding(self, record: Record, line_col) -> Finding:
        line, col = line_col
        return Finding(line, col, record.code, record.message, record.fixable)
