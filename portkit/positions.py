"""Offsets, lines and columns, and mapping positions across a set of edits."""
from __future__ import annotations

import bisect
from itertools import accumulate
from typing import List, Optional, Sequence, Tuple

from .model import Edit


class LineIndex:
    """Converts between ``(line, col)`` pairs and str offsets of one text.

    ``ast`` reports columns as UTF-8 byte offsets; :meth:`offset` accepts
    those and returns str indexes (identical on ASCII lines).
    """

    def __init__(self, text: str):
        self.text = text
        # the offset after each newline: the running sum of the line lengths
        # plus one (all in C)
        starts = [0]
        starts.extend(accumulate(map((1).__add__, map(len, text.split("\n")[:-1]))))
        self.starts = starts
        self.ascii = text.isascii()

    def line_text(self, line: int) -> str:
        start = self.starts[line - 1]
        end = self.starts[line] - 1 if line < len(self.starts) else len(self.text)
        return self.text[start:end]

    def offset(self, line: int, byte_col: int) -> int:
        start = self.starts[line - 1]
        if self.ascii or byte_col == 0:
            return start + byte_col
        encoded = self.line_text(line).encode("utf-8")
        return start + len(encoded[:byte_col].decode("utf-8", "replace"))

    def position(self, offset: int) -> Tuple[int, int]:
        """``(line, col)``: 1-based line, 0-based column in characters."""
        line = bisect.bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1]


def apply_edits(text: str, edits: Sequence[Edit]) -> str:
    """Apply sorted, non-overlapping edits."""
    if not edits:
        return text
    parts: List[str] = []
    last = 0
    for edit in edits:
        parts.append(text[last:edit.start])
        parts.append(edit.replacement)
        last = edit.end
    parts.append(text[last:])
    return "".join(parts)


def _conflict(a: Edit, b: Edit) -> bool:
    if a.start == a.end and b.start == b.end:
        return False  # two insertions: both apply, in order
    if a.start == a.end:
        return b.start < a.start < b.end
    if b.start == b.end:
        return a.start < b.start < a.end
    return a.start < b.end and b.start < a.end


def select_edits(groups: Sequence[Sequence[Edit]]):
    """Accept whole groups of edits (one group per finding) in order.

    A group is accepted only if none of its edits conflicts with an edit
    already accepted, so a fix never lands half done.  An edit identical to
    an accepted one (same span and text) is the same fix and counts once.
    Returns ``(edits sorted for apply_edits, whether any group was dropped)``.
    """
    accepted: List[Tuple[int, int, int, Edit]] = []  # (start, end, order, edit)
    starts: List[int] = []
    dropped = False
    order = 0
    for group in groups:
        fresh = []
        ok = True
        for edit in group:
            lo = bisect.bisect_left(starts, edit.start) - 1
            index = max(lo, 0)
            duplicate = False
            while index < len(accepted) and accepted[index][0] <= edit.end:
                other = accepted[index][3]
                if other == edit and edit.start != edit.end:
                    duplicate = True
                elif _conflict(other, edit):
                    ok = False
                    break
                index += 1
            if not ok:
                break
            if not duplicate:
                fresh.append(edit)
        if not ok:
            dropped = True
            continue
        for edit in fresh:
            order += 1
            item = (edit.start, edit.end, order, edit)
            at = bisect.bisect_right(accepted, item)
            accepted.insert(at, item)
            starts.insert(at, edit.start)
    return [item[3] for item in accepted], dropped


class EditMap:
    """Maps offsets in ``apply_edits(original, edits)`` back to ``original``."""

    def __init__(self, edits: Sequence[Edit]):
        self.edits = list(edits)
        self.new_starts: List[int] = []
        self.new_ends: List[int] = []
        delta = 0
        for edit in self.edits:
            start = edit.start + delta
            self.new_starts.append(start)
            self.new_ends.append(start + len(edit.replacement))
            delta += len(edit.replacement) - (edit.end - edit.start)

    def to_original(self, offset: int, side: str = "left") -> Optional[int]:
        """The original offset, or None when ``offset`` falls strictly inside
        the replacement of an edit.  At an edit's boundaries, ``side`` says
        whether a position belongs before ("left") or after ("right") it."""
        if not self.edits:
            return offset
        i = bisect.bisect_right(self.new_starts, offset) - 1
        if i < 0:
            return offset
        edit = self.edits[i]
        new_start, new_end = self.new_starts[i], self.new_ends[i]
        if offset >= new_end:
            if offset == new_end and side == "left" and new_start == new_end == offset:
                return edit.start
            return edit.end + (offset - new_end)
        if offset == new_start:
            return edit.start
        return None

    def clamp(self, offset: int) -> int:
        """Like :meth:`to_original`, but inside an edit gives the edit's start."""
        mapped = self.to_original(offset)
        if mapped is not None:
            return mapped
        i = bisect.bisect_right(self.new_starts, offset) - 1
        return self.edits[i].start
