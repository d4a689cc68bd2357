"""Find the Python files to process under the paths a user gave.

Only discovery lives here: which files, in which order, and why a path was
skipped.  Symlinked folders are followed once (a loop is detected by the
folder's real path); files given explicitly are always taken.  A file whose
name is not valid UTF-8 is a problem (it cannot be reported in JSON or SARIF,
nor imported as a module), not a file to process.
"""
from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass, field
from typing import Iterable, List, Sequence, Tuple

DEFAULT_EXCLUDES = (
    ".git", ".hg", ".svn", ".bzr", ".tox", ".nox", ".venv", "venv", "env", ".env",
    "virtualenv", "__pycache__", "build", "dist", "_build", "buck-out", ".eggs",
    "*.egg-info", "node_modules", ".mypy_cache", ".pytest_cache", "site-packages",
)


@dataclass
class Discovery:
    files: List[str] = field(default_factory=list)
    # (path, reason) for paths that were given but could not be used
    problems: List[Tuple[str, str]] = field(default_factory=list)


def _excluded(name: str, path: str, patterns: Sequence[str]) -> bool:
    for pattern in patterns:
        if fnmatch.fnmatch(name, pattern) or fnmatch.fnmatch(path, pattern):
            return True
        if "/" in pattern and fnmatch.fnmatch(path, "*/" + pattern.strip("/")):
            return True
    return False


def _is_virtualenv(path: str) -> bool:
    return os.path.exists(os.path.join(path, "pyvenv.cfg")) or os.path.exists(
        os.path.join(path, "bin", "activate")
    )


def bad_names(problems) -> bool:
    return any(reason == BAD_NAME for _, reason in problems)


BAD_NAME = "file name is not valid UTF-8; skipped"


def discover(paths: Iterable[str], exclude: Sequence[str] = ()) -> Discovery:
    patterns = tuple(DEFAULT_EXCLUDES) + tuple(exclude)
    result = Discovery()
    seen_files = set()
    seen_real = set()  # a file reached under two names (a symbolic link) is processed once
    seen_dirs = set()
    real_dirs = {}

    def add(path: str) -> None:
        key = os.path.normpath(path)
        if key not in seen_files:
            seen_files.add(key)
            try:
                key.encode("utf-8")
            except UnicodeEncodeError:
                result.problems.append((key, BAD_NAME))
                return
            if os.path.islink(key):
                real = os.path.realpath(key)
            else:
                folder, name = os.path.split(key)
                if folder not in real_dirs:
                    real_dirs[folder] = os.path.realpath(folder or ".")
                real = os.path.join(real_dirs[folder], name)
            if real in seen_real:
                return
            seen_real.add(real)
            result.files.append(key)

    for given in paths:
        if os.path.isfile(given):
            add(given)
            continue
        if not os.path.exists(given):
            result.problems.append((given, "no such file or directory"))
            continue
        if not os.path.isdir(given):
            from .source import kind_of

            try:
                kind = kind_of(os.stat(given).st_mode)
            except OSError:
                kind = "a special file"
            result.problems.append((given, "%s, not a regular file or folder; skipped" % kind))
            continue
        before, problems_before = len(result.files), len(result.problems)
        for root, dirs, files in os.walk(given, followlinks=True):
            real = os.path.realpath(root)
            if real in seen_dirs:
                dirs[:] = []
                continue
            seen_dirs.add(real)
            kept = []
            for name in sorted(dirs):
                full = os.path.join(root, name)
                if _excluded(name, full, patterns) or _is_virtualenv(full):
                    continue
                target = os.path.realpath(full)
                if os.path.islink(full) and (target in seen_dirs or real.startswith(target + os.sep) or target == real):
                    result.problems.append((full, "symbolic link loop; not followed"))
                    continue
                if target in seen_dirs:
                    continue  # reached twice through links: take it once
                kept.append(name)
            dirs[:] = kept
            for name in sorted(files):
                full = os.path.join(root, name)
                if name.endswith(".py") and not _excluded(name, full, tuple(exclude)):
                    add(full)
        if len(result.files) == before and not bad_names(result.problems[problems_before:]):
            result.problems.append((given, "no Python files found"))
    result.files.sort()
    return result
