"""Read ``[tool.portkit]`` from pyproject.toml or ``[portkit]`` from setup.cfg.

The search walks up from the common folder of the given paths and stops at
the first folder that has either section (pyproject.toml wins when a folder
has both).  Keys (both files): ``select``, ``ignore``, ``exclude`` (lists),
``jobs`` (int), ``format`` (str).  In setup.cfg lists are comma- or
newline-separated.  Options given on the command line override the file.
"""
from __future__ import annotations

import configparser
import os
import sys
from typing import Any, Dict, Iterable, Optional, Tuple

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - depends on the interpreter
    import tomli as tomllib

LIST_KEYS = ("select", "ignore", "exclude")
KEYS = LIST_KEYS + ("jobs", "format")


class ConfigError(Exception):
    pass


def _split(value: str):
    return [part.strip() for part in value.replace("\n", ",").split(",") if part.strip()]


def _from_pyproject(path: str) -> Optional[Dict[str, Any]]:
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError("%s: %s" % (path, exc))
    section = data.get("tool", {}).get("portkit")
    return dict(section) if isinstance(section, dict) else None


def _from_setup_cfg(path: str) -> Optional[Dict[str, Any]]:
    parser = configparser.ConfigParser()
    try:
        parser.read(path, encoding="utf-8")
    except (configparser.Error, UnicodeDecodeError) as exc:
        raise ConfigError("%s: %s" % (path, exc))
    if not parser.has_section("portkit"):
        return None
    section = {key.replace("_", "-"): value for key, value in parser.items("portkit")}
    for key in LIST_KEYS:
        if key in section:
            section[key] = _split(section[key])
    if "jobs" in section:
        try:
            section["jobs"] = int(section["jobs"])
        except ValueError:
            raise ConfigError("%s: [portkit] jobs must be a whole number" % path)
    return section


def _validate(section: Dict[str, Any], where: str) -> Dict[str, Any]:
    unknown = sorted(set(section) - set(KEYS))
    if unknown:
        raise ConfigError("%s: unknown portkit setting(s): %s" % (where, ", ".join(unknown)))
    for key in LIST_KEYS:
        if key in section:
            value = section[key]
            if isinstance(value, str):
                value = _split(value)
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError("%s: %s must be a list of strings" % (where, key))
            section[key] = value
    if "jobs" in section and not isinstance(section["jobs"], int):
        raise ConfigError("%s: jobs must be a whole number" % where)
    return section


def find_config(paths: Iterable[str]) -> Tuple[Optional[str], Dict[str, Any]]:
    """``(config file, settings)`` for the given paths; ``(None, {})`` if none."""
    absolute = [os.path.abspath(p) for p in paths] or [os.getcwd()]
    try:
        folder = os.path.commonpath(absolute)
    except ValueError:
        folder = os.getcwd()
    if not os.path.isdir(folder):
        folder = os.path.dirname(folder)
    while True:
        pyproject = os.path.join(folder, "pyproject.toml")
        if os.path.isfile(pyproject):
            section = _from_pyproject(pyproject)
            if section is not None:
                return pyproject, _validate(section, pyproject)
        setup_cfg = os.path.join(folder, "setup.cfg")
        if os.path.isfile(setup_cfg):
            section = _from_setup_cfg(setup_cfg)
            if section is not None:
                return setup_cfg, _validate(section, setup_cfg)
        parent = os.path.dirname(folder)
        if parent == folder:
            return None, {}
        folder = parent
