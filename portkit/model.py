"""Plain values that flow between portkit's stages.

Everything here is immutable and picklable, so that worker processes can
return it to the parent unchanged.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional, Tuple


@dataclass(frozen=True, order=True)
class Edit:
    """Replace ``text[start:end]`` with ``replacement`` (offsets are str indexes)."""

    start: int
    end: int
    replacement: str


@dataclass(frozen=True, order=True)
class ImportRequest:
    """An import that a fix needs.

    ``ImportRequest('__future__', 'print_function')`` is
    ``from __future__ import print_function``;
    ``ImportRequest('six')`` is ``import six``;
    ``ImportRequest('six.moves', 'range')`` is ``from six.moves import range``;
    ``ImportRequest('six.moves', 'configparser', 'ConfigParser')`` adds ``as ConfigParser``.
    """

    module: str
    name: Optional[str] = None
    asname: Optional[str] = None

    @property
    def is_future(self) -> bool:
        return self.module == "__future__"

    @property
    def bound_name(self) -> str:
        if self.name is None:
            return self.asname or self.module.split(".")[0]
        return self.asname or self.name

    def statement(self) -> str:
        if self.name is None:
            text = "import %s" % self.module
        else:
            text = "from %s import %s" % (self.module, self.name)
        if self.asname:
            text += " as %s" % self.asname
        return text


@dataclass(frozen=True, order=True)
class Finding:
    """One reported incompatibility.  ``line`` is 1-based, ``col`` 0-based."""

    line: int
    col: int
    code: str
    message: str
    fixable: bool = False


@dataclass(frozen=True)
class FileResult:
    """What processing one file produced; workers return this and never raise."""

    path: str
    findings: Tuple[Finding, ...] = ()
    # New file content (encoded exactly as the original) when fixing changed it.
    new_content: Optional[bytes] = None
    error: Optional[str] = None
    # Findings suppressed by ``# portkit: ignore`` comments (counted, not shown).
    suppressed: int = 0
    cached: bool = False
    lines: int = 0


@dataclass
class FixOutcome:
    """Findings, edits and imports collected for one text by one analysis."""

    findings: list = field(default_factory=list)
    edits: list = field(default_factory=list)
    imports: set = field(default_factory=set)
