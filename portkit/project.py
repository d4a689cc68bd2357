"""Facts about the project a file belongs to, read from the text of its modules.

A rewrite that is exact only for the standard library's objects (``d.has_key(k)``
→ ``k in d`` is exact for a dict, not for a class whose ``has_key`` and
``__contains__`` differ) must know whether the project defines a method of
that name anywhere: in the file itself, or in a module it imports from.

:func:`defines_method` answers from a regex over the text of every module of
the project (the folder that holds the file's top-level package, or the
file's own folder), read once per process and kept while the files' sizes
and modification times stay the same.
"""
from __future__ import annotations

import os
import re
from typing import Dict, FrozenSet, Tuple

__all__ = ["defines_method", "project_folder"]

_DEF = re.compile(r"^[ \t]+def[ \t]+(\w+)[ \t]*\(", re.M)  # indented: a method (or a nested function)
_SKIP = frozenset([".git", ".hg", ".svn", ".tox", "__pycache__", "build", "dist", "node_modules", ".venv", "venv"])
_MAX_FILES = 5000
_FILES: Dict[str, Tuple[Tuple[int, int], FrozenSet[str]]] = {}
# (project folder, method name) -> answer, for the rest of the process: the
# project's method names do not change while portkit runs over it
_ANSWERS: Dict[Tuple[str, str], bool] = {}


def project_folder(path: str) -> str:
    """The folder above the top-level package of ``path`` (its own folder
    when it is not in a package)."""
    folder = os.path.dirname(os.path.abspath(path))
    while os.path.isfile(os.path.join(folder, "__init__.py")):
        parent = os.path.dirname(folder)
        if parent == folder:
            break
        folder = parent
    return folder


def _methods_of(file: str) -> FrozenSet[str]:
    try:
        stat = os.stat(file)
    except OSError:
        return frozenset()
    stamp = (stat.st_size, stat.st_mtime_ns)
    known = _FILES.get(file)
    if known is not None and known[0] == stamp:
        return known[1]
    try:
        with open(file, "rb") as handle:
            text = handle.read().decode("latin-1")
    except OSError:
        return frozenset()
    names = frozenset(_DEF.findall(text))
    _FILES[file] = (stamp, names)
    return names


def _module_files(folder: str):
    """The ``.py`` files of the project rooted at ``folder``: the files of the
    folder itself, and every package below it (folders with ``__init__.py``)."""
    count = 0
    for base, dirs, files in os.walk(folder):
        if base != folder and "__init__.py" not in files:
            dirs[:] = []
            continue
        dirs[:] = sorted(d for d in dirs if d not in _SKIP and not d.startswith("."))
        for name in sorted(files):
            if name.endswith(".py"):
                count += 1
                if count > _MAX_FILES:
                    return
                yield os.path.join(base, name)


def defines_method(path: str, name: str) -> bool:
    """Whether a module of ``path``'s project defines a method (an indented
    ``def``) called ``name``."""
    if not path:
        return False
    folder = project_folder(path)
    found = _ANSWERS.get((folder, name))
    if found is None:
        found = _ANSWERS[(folder, name)] = any(name in _methods_of(file) for file in _module_files(folder))
    return found
