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

    def fingerprint(self) -> str:
        """Everything that changes a file's results, for the cache key."""
        parts = [__version__, ",".join(sorted(self.codes)), "fix" if self.fix else "scan"]
        return hashlib.sha256("|".join(parts).encode()).hexdigest()[:20]
