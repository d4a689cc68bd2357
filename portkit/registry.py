"""The fixer registry.

Fixer classes register themselves with :func:`register`; :func:`load_fixers`
imports every module of the top-level ``fixers`` package once, so adding a
fixer means adding a module (or a class to one) and nothing else.
"""
from __future__ import annotations

import importlib
import pkgutil
from typing import Dict, List

_REGISTRY: Dict[str, type] = {}
_LOADED = False


def register(cls):
    """Class decorator: make a :class:`portkit.fixer.Fixer` subclass known."""
    code = cls.code
    if not code or code in _REGISTRY and _REGISTRY[code] is not cls:
        raise ValueError("fixer code %r is missing or already used" % code)
    _REGISTRY[code] = cls
    return cls


def load_fixers() -> Dict[str, type]:
    global _LOADED
    if not _LOADED:
        import fixers

        for info in pkgutil.iter_modules(fixers.__path__):
            importlib.import_module("fixers." + info.name)
        _LOADED = True
    return dict(sorted(_REGISTRY.items()))


def all_codes() -> List[str]:
    return list(load_fixers())


def select_codes(select, ignore) -> List[str]:
    """Codes chosen by ``--select`` / ``--ignore`` (each a list of codes or prefixes)."""
    codes = all_codes()
    if select:
        codes = [c for c in codes if any(c.startswith(p) for p in select)]
    if ignore:
        codes = [c for c in codes if not any(c.startswith(p) for p in ignore)]
    return codes
