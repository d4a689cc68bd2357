"""The settings of one run, as the workers see them (picklable)."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import FrozenSet, Optional

from . import __version__


@dataclass(frozen=True)
class Settings:
    codes: FrozenSet[str]
    fix: bool = False
    write: bool = False  # fix: write changed files
    diff: bool = False  # fix: produce a unified diff
    cache_dir: Optional[str] = None  # None: no cache
    # Code that already runs on Python 3 is left alone: "auto" (a file with
    # Python-3-only syntax, or a project whose metadata declares Python 3),
    # "yes" (every file), "no" (only files with Python-3-only syntax).
    py3_ready: str = "auto"

    def fingerprint(self) -> str:
        """Everything that changes a file's results, for the cache key."""
        parts = [__version__, ",".join(sorted(self.codes)), "fix" if self.fix else "scan", self.py3_ready]
        return hashlib.sha256("|".join(parts).encode()).hexdigest()[:20]
