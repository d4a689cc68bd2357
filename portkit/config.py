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
    """A config file that cannot be used; ``str()`` is ``"path: reason"``
    (the reason names the key when one is at fault)."""

    def __init__(self, path: str, reason: str):
        super().__init__("%s: %s" % (path, reason))
        self.path = path
        self.reason = reason


def section_name(path: str) -> str:
    return "[tool.portkit]" if path.endswith(".toml") else "[portkit]"


def _read_text(path: str) -> str:
    from .source import NotRegularFile, read_bytes

    try:
        data = read_bytes(path)
    except NotRegularFile as exc:
        raise ConfigError(path, str(exc))
    except OSError as exc:
        raise ConfigError(path, "cannot read: %s" % (exc.strerror or exc))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ConfigError(path, "not valid UTF-8 (line %d); the file must be UTF-8" % line)


def _split(value: str):
    return [part.strip() for part in value.replace("\n", ",").split(",") if part.strip()]


def _from_pyproject(path: str) -> Optional[Dict[str, Any]]:
    text = _read_text(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(path, "not valid TOML: %s" % exc)
    tool = data.get("tool", {})
    section = tool.get("portkit") if isinstance(tool, dict) else None
    return dict(section) if isinstance(section, dict) else None


def _from_setup_cfg(path: str) -> Optional[Dict[str, Any]]:
    # No interpolation: a '%' in a value (a glob) is just a '%'.
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(_read_text(path), source=path)
    except configparser.Error as exc:
        raise ConfigError(path, " ".join(str(exc).split()))
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
            raise ConfigError(path, "[portkit] jobs: must be a whole number, not %r" % section["jobs"])
    return section


def _validate(section: Dict[str, Any], where: str) -> Dict[str, Any]:
    name = section_name(where)
    unknown = sorted(set(section) - set(KEYS))
    if unknown:
        raise ConfigError(where, "%s unknown portkit setting(s): %s" % (name, ", ".join(unknown)))
    for key in LIST_KEYS:
        if key in section:
            value = section[key]
            if isinstance(value, str):
                value = _split(value)
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(where, "%s %s: must be a list of strings" % (name, key))
            section[key] = value
    if "select" in section and not section["select"]:
        raise ConfigError(where, "%s select: is empty; leave it out to select every code" % name)
    if "jobs" in section:
        jobs = section["jobs"]
        if isinstance(jobs, bool) or not isinstance(jobs, int):
            raise ConfigError(where, "%s jobs: must be a whole number, not %r" % (name, jobs))
        if jobs < 0:
            raise ConfigError(where, "%s jobs: must be 0 (all CPUs) or more, not %d" % (name, jobs))
    if "format" in section:
        from .report import FORMATS

        if section["format"] not in FORMATS:
            raise ConfigError(where, "%s format: must be one of %s, not %r" % (name, ", ".join(FORMATS), section["format"]))
    return section


def load(path: str) -> Dict[str, Any]:
    """The settings of the config file ``path`` (``{}`` when it has no portkit section)."""
    section = (_from_pyproject if path.endswith(".toml") else _from_setup_cfg)(path)
    return _validate(section or {}, path)


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
