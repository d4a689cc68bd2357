"""``portkit init``: a tox.ini that runs a project's own suite on 2.7 ``-3`` and 3.x.

:func:`detect` reads a project's layout without running any of its code:

* the build files (``setup.py``, read with :mod:`ast` after portkit's lift so
  that a Python 2 setup.py parses; ``setup.cfg``; ``pyproject.toml``): the
  name, a ``src`` layout, ``install_requires``, ``tests_require``, test
  extras and ``test_suite``;
* requirements files (``requirements.txt`` and the usual test/dev ones);
* where the tests are (``tests/`` or ``test/``, a package's own ``tests/``,
  a ``tests.py``, top-level ``test_*.py`` files);
* which runner they need: pytest, nose or unittest, each with the reason.

:func:`render` turns a :class:`Layout` into a commented tox.ini: tox
provisions ``virtualenv<20.22`` (the last that creates 2.7 environments); a
``py27`` env runs the suite under ``python -3`` inside portkit's collector
(:mod:`portkit/collector/portkit_collector.py`, copied to
``.portkit/collector/`` and put on ``PYTHONPATH``), which records Python 3
warnings and kind evidence into ``.portkit/runtime.json``; ``py39``-``py313``
run the same suite.  The code is tested from the source tree
(``skip_install``): a Python 2 setup.py cannot be built by tox's Python 3
packaging environment before it is ported.

:func:`init` writes the files.  An existing tox.ini is never replaced
without ``force``: the sections to add are returned for printing instead.
"""
from __future__ import annotations

import ast
import configparser
import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

from . import __version__

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - depends on the interpreter
    import tomli as tomllib

PY3_ENVS = ("py39", "py310", "py311", "py312", "py313")
PYENV_SERIES = ("2.7", "3.9", "3.10", "3.11", "3.12", "3.13")
COLLECTOR_DIR = os.path.join(".portkit", "collector")
COLLECTOR_MODULE = "portkit_collector.py"
TEST_EXTRAS = ("test", "tests", "testing", "dev")
TEST_REQUIREMENT_FILES = (
    "requirements-test.txt", "requirements_test.txt", "test-requirements.txt", "test_requirements.txt",
    "requirements-tests.txt", "requirements-dev.txt", "requirements_dev.txt", "dev-requirements.txt",
    "requirements/test.txt", "requirements/tests.txt", "requirements/dev.txt", "tests/requirements.txt",
)
_SKIP_DIRS = frozenset([".git", ".hg", ".tox", ".nox", ".portkit", ".venv", "venv", "env", "build", "dist",
                        "node_modules", "__pycache__", "docs", "doc"])


class InitError(Exception):
    """The project cannot be set up; the message is for the user."""


@dataclass
class Layout:
    """What :func:`detect` found in a project (paths relative to ``root``, with ``/``)."""

    root: str
    name: str
    build_files: List[str] = field(default_factory=list)
    source_dir: str = ""  # "src" for a src layout, else "" (the root)
    tests: str = ""  # a folder, a module file, or "" (test_*.py files at the top, or none)
    tests_kind: str = "none"  # dir, package-dir, module, files, none
    tests_is_package: bool = False
    runner: str = "unittest"  # pytest, nose, unittest
    runner_reason: str = "no sign of pytest or nose"
    deps: List[str] = field(default_factory=list)  # requirement strings
    requirement_files: List[str] = field(default_factory=list)
    notes: List[str] = field(default_factory=list)
    existing_tox_config: str = ""  # setup.cfg [tox:tox] / pyproject [tool.tox]


# -- reading build files ---------------------------------------------------------
def _read_text(path: str) -> str:
    with open(path, "rb") as handle:
        data = handle.read()
    from .source import DecodeError, decode

    try:
        return decode(data).text
    except DecodeError:
        return data.decode("latin-1")


def _parse_python2(text: str) -> ast.Module:
    """Parse Python 2 or 3 source (a setup.py with print statements, say)."""
    from .engine import parse
    from .lift import parse_lifted

    tree, _ = parse_lifted(text, parse)
    return tree


def _literal(node, names: Dict[str, ast.AST]):
    """The value of a literal (or of a module-level name bound to one, or a
    list concatenation of those); raises ValueError otherwise."""
    if isinstance(node, ast.Name) and node.id in names:
        return _literal(names[node.id], names)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _literal(node.left, names) + _literal(node.right, names)
    return ast.literal_eval(node)


def read_setup_py(path: str) -> Tuple[Dict[str, object], List[str]]:
    """The literal keywords of the ``setup(...)`` call in ``path`` (never
    executed), and notes on those that could not be read statically."""
    try:
        tree = _parse_python2(_read_text(path))
    except (SyntaxError, ValueError, OSError) as exc:
        return {}, ["setup.py could not be parsed (%s): its requirements are not read" % exc]
    names: Dict[str, ast.AST] = {}
    for stmt in tree.body:
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
            names[stmt.targets[0].id] = stmt.value
    found: Dict[str, object] = {}
    notes: List[str] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        called = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        if called != "setup":
            continue
        for keyword in node.keywords:
            if keyword.arg is None:
                if isinstance(keyword.value, ast.Name) and isinstance(names.get(keyword.value.id), ast.Dict):
                    for key, value in zip(names[keyword.value.id].keys, names[keyword.value.id].values):
                        if isinstance(key, ast.Constant) and isinstance(key.value, str):
                            try:
                                found[key.value] = _literal(value, names)
                            except ValueError:
                                pass
                continue
            try:
                found[keyword.arg] = _literal(keyword.value, names)
            except ValueError:
                if keyword.arg in ("install_requires", "tests_require", "extras_require"):
                    notes.append("setup.py: %s is computed, not a literal: add its test dependencies "
                                 "to the tox.ini by hand" % keyword.arg)
                elif keyword.arg == "package_dir":
                    found[keyword.arg] = None
        break
    return found, notes


def _cfg_list(value: str) -> List[str]:
    return [line.strip() for line in value.replace(";", "\n").splitlines() if line.strip()
            and not line.strip().startswith("#")]


def read_setup_cfg(path: str) -> Dict[str, object]:
    """The setuptools keywords of ``setup.cfg`` that :func:`detect` uses,
    plus ``"_sections"`` (its section names)."""
    parser = configparser.RawConfigParser()
    try:
        parser.read(path, encoding="utf-8")
    except (configparser.Error, UnicodeDecodeError):
        return {}
    out: Dict[str, object] = {"_sections": parser.sections()}
    if parser.has_option("metadata", "name"):
        out["name"] = parser.get("metadata", "name").strip()
    for key in ("install_requires", "tests_require"):
        if parser.has_option("options", key):
            out[key] = _cfg_list(parser.get("options", key))
    if parser.has_option("options", "package_dir"):
        out["package_dir"] = parser.get("options", "package_dir").strip()
    if parser.has_section("options.extras_require"):
        out["extras_require"] = {k: _cfg_list(v) for k, v in parser.items("options.extras_require")}
    return out


def read_pyproject(path: str) -> Dict[str, object]:
    """The ``[project]`` table of ``pyproject.toml`` and its tool table names."""
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError):
        return {}
    project = data.get("project", {}) if isinstance(data.get("project"), dict) else {}
    out: Dict[str, object] = {"_tools": sorted(data.get("tool", {}))}
    if "name" in project:
        out["name"] = project["name"]
    if isinstance(project.get("dependencies"), list):
        out["install_requires"] = project["dependencies"]
    if isinstance(project.get("optional-dependencies"), dict):
        out["extras_require"] = project["optional-dependencies"]
    pytest_table = data.get("tool", {}).get("pytest", {})
    out["_pytest"] = bool(pytest_table)
    return out


def read_requirements(path: str) -> List[str]:
    """Requirement lines of a requirements file (comments and options dropped)."""
    out = []
    try:
        text = _read_text(path)
    except OSError:
        return out
    for line in text.splitlines():
        line = line.split(" #", 1)[0].strip()
        if line and not line.startswith(("#", "-")):
            out.append(line)
    return out


def _requirement_name(requirement: str) -> str:
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
    return match.group(1).lower().replace("_", "-") if match else ""


# -- detection ------------------------------------------------------------------
def _python_files(root: str, limit: int = 2000):
    count = 0
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS and not d.startswith("."))
        for name in sorted(files):
            if name.endswith(".py"):
                yield os.path.join(folder, name)
                count += 1
                if count >= limit:
                    return


def _find_tests(root: str, source_dir: str) -> Tuple[str, str, bool]:
    """``(where, kind, is_package)`` of the tests (see :class:`Layout`)."""
    for name in ("tests", "test"):
        path = os.path.join(root, name)
        if os.path.isdir(path):
            return name, "dir", os.path.exists(os.path.join(path, "__init__.py"))
    for name in ("tests.py", "test.py"):
        if os.path.isfile(os.path.join(root, name)):
            return name, "module", False
    if any(n.startswith("test_") and n.endswith(".py") for n in os.listdir(root)):
        return "", "files", False
    base = os.path.join(root, source_dir) if source_dir else root
    for entry in sorted(os.listdir(base)):
        package = os.path.join(base, entry)
        if entry in _SKIP_DIRS or not os.path.isfile(os.path.join(package, "__init__.py")):
            continue
        for name in ("tests", "test"):
            path = os.path.join(package, name)
            if os.path.isdir(path):
                rel = os.path.relpath(path, root).replace(os.sep, "/")
                return rel, "package-dir", os.path.exists(os.path.join(path, "__init__.py"))
    return "", "none", False


_PYTEST_IMPORT = re.compile(r"^\s*(import pytest|from pytest |from _pytest)|@pytest\.", re.M)
_NOSE_IMPORT = re.compile(r"^\s*(import nose|from nose)", re.M)


def _test_sources(root: str, layout: "Layout") -> List[str]:
    if layout.tests_kind in ("dir", "package-dir"):
        top = os.path.join(root, layout.tests)
        return [p for p in _python_files(top, 300)]
    if layout.tests_kind == "module":
        return [os.path.join(root, layout.tests)]
    return [os.path.join(root, n) for n in sorted(os.listdir(root)) if n.startswith("test_") and n.endswith(".py")]


def detect(root: str) -> Layout:
    """Read the layout of the project at ``root`` (see the module's docstring)."""
    root = os.path.abspath(root)
    if not os.path.isdir(root):
        raise InitError("%s is not a folder" % root)
    layout = Layout(root=root, name=os.path.basename(root.rstrip(os.sep)) or "project")
    keywords: Dict[str, object] = {}
    sections: List[str] = []
    pyproject_pytest = False
    if os.path.isfile(os.path.join(root, "pyproject.toml")):
        data = read_pyproject(os.path.join(root, "pyproject.toml"))
        layout.build_files.append("pyproject.toml")
        keywords.update({k: v for k, v in data.items() if not k.startswith("_")})
        pyproject_pytest = bool(data.get("_pytest"))
        if "tox" in data.get("_tools", []):
            layout.existing_tox_config = "pyproject.toml [tool.tox]"
    if os.path.isfile(os.path.join(root, "setup.cfg")):
        data = read_setup_cfg(os.path.join(root, "setup.cfg"))
        layout.build_files.append("setup.cfg")
        sections = list(data.get("_sections", []))
        for key, value in data.items():
            if not key.startswith("_"):
                keywords.setdefault(key, value)
        if "tox:tox" in sections:
            layout.existing_tox_config = "setup.cfg [tox:tox]"
    if os.path.isfile(os.path.join(root, "setup.py")):
        data, notes = read_setup_py(os.path.join(root, "setup.py"))
        layout.build_files.append("setup.py")
        layout.notes.extend(notes)
        for key, value in data.items():
            keywords.setdefault(key, value)
    if isinstance(keywords.get("name"), str) and keywords["name"].strip():
        layout.name = keywords["name"].strip()
    package_dir = keywords.get("package_dir")
    if (isinstance(package_dir, dict) and package_dir.get("") == "src") or package_dir in ("=src", "= src") \
            or (package_dir is None and os.path.isdir(os.path.join(root, "src"))):
        layout.source_dir = "src"

    # Dependencies: what the code needs, then what its tests need.
    deps: List[str] = []

    def add(requirements, origin):
        if isinstance(requirements, str):
            requirements = _cfg_list(requirements)
        if not isinstance(requirements, (list, tuple)):
            layout.notes.append("%s is not a list of requirements: not used" % origin)
            return
        for requirement in requirements:
            if isinstance(requirement, str) and requirement.strip() and requirement.strip() not in deps:
                deps.append(requirement.strip())

    if keywords.get("install_requires"):
        add(keywords["install_requires"], "install_requires")
    if keywords.get("tests_require"):
        add(keywords["tests_require"], "tests_require")
    extras = keywords.get("extras_require")
    if isinstance(extras, dict):
        for extra in TEST_EXTRAS:
            if extras.get(extra):
                add(extras[extra], "extras_require[%s]" % extra)
                break
    if os.path.isfile(os.path.join(root, "requirements.txt")) and not keywords.get("install_requires"):
        layout.requirement_files.append("requirements.txt")
    for name in TEST_REQUIREMENT_FILES:
        if os.path.isfile(os.path.join(root, name)):
            layout.requirement_files.append(name)
            break
    layout.deps = deps
    dep_names = {_requirement_name(d) for d in deps}
    for name in layout.requirement_files:
        dep_names.update(_requirement_name(r) for r in read_requirements(os.path.join(root, name)))

    layout.tests, layout.tests_kind, layout.tests_is_package = _find_tests(root, layout.source_dir)
    if layout.tests_kind == "none":
        layout.notes.append("no tests found (tests/, test/, tests.py, test_*.py): the command runs "
                            "unittest discovery from the root; use --test-command to say how")

    # The runner, with the first reason found.
    test_text = ""
    for path in _test_sources(root, layout):
        try:
            test_text += _read_text(path) + "\n"
        except OSError:
            pass
    setup_requires = keywords.get("setup_requires") or []
    test_suite = keywords.get("test_suite") if isinstance(keywords.get("test_suite"), str) else ""
    reasons = [
        ("pytest", os.path.isfile(os.path.join(root, "pytest.ini")), "pytest.ini"),
        ("pytest", os.path.isfile(os.path.join(root, "conftest.py"))
         or os.path.isfile(os.path.join(root, layout.tests or ".", "conftest.py")), "a conftest.py"),
        ("pytest", "tool:pytest" in sections, "setup.cfg [tool:pytest]"),
        ("pytest", pyproject_pytest, "pyproject.toml [tool.pytest]"),
        ("pytest", "pytest" in dep_names or "pytest-runner" in [_requirement_name(str(r)) for r in setup_requires],
         "pytest in the test requirements"),
        ("pytest", bool(_PYTEST_IMPORT.search(test_text)), "the tests import pytest"),
        ("nose", "nose" in dep_names, "nose in the test requirements"),
        ("nose", "nosetests" in sections, "setup.cfg [nosetests]"),
        ("nose", test_suite.startswith("nose"), "test_suite = %r" % test_suite),
        ("nose", bool(_NOSE_IMPORT.search(test_text)), "the tests import nose"),
    ]
    for runner, found, reason in reasons:
        if found:
            layout.runner, layout.runner_reason = runner, reason
            break
    if layout.runner == "nose":
        layout.notes.append("nose does not run on Python 3.10 and later: moving the suite to pytest "
                            "(which runs most nose-style tests) keeps py310-py313 usable")
    return layout


# -- the test command -------------------------------------------------------------
def default_command(layout: Layout) -> Tuple[str, str]:
    """``(command, default_posargs)``: what follows ``python`` to run the
    suite, with ``{posargs}`` standing for the overridable part."""
    if layout.runner in ("pytest", "nose"):
        target = layout.tests if layout.tests_kind != "files" else ""
        return "-m %s {posargs}" % layout.runner, target
    if layout.tests_kind in ("dir", "package-dir"):
        top = "." if layout.tests_is_package else layout.tests
        return "-m unittest {posargs}", "discover -s %s -t %s" % (layout.tests, top)
    if layout.tests_kind == "module":
        return "-m unittest {posargs}", layout.tests[:-3].replace("/", ".")
    if layout.tests_kind == "files":
        return "-m unittest {posargs}", "discover -s . -p test_*.py"
    return "-m unittest {posargs}", "discover"


_CONSOLE_SCRIPTS = {"pytest": "-m pytest", "py.test": "-m pytest", "nosetests": "-m nose", "nose2": "-m nose2"}


def python_arguments(command: str) -> str:
    """What follows ``python`` in a user's ``--test-command`` (``python -m
    pytest tests``, ``pytest tests``, ``python runtests.py``); InitError when
    it is not a Python command the collector can run in its process."""
    try:
        words = shlex.split(command)
    except ValueError as exc:
        raise InitError("--test-command: %s" % exc)
    if not words:
        raise InitError("--test-command is empty")
    first = words[0]
    if re.match(r"^python(\d(\.\d+)?)?$", os.path.basename(first)):
        rest = words[1:]
    elif first in _CONSOLE_SCRIPTS:
        rest = shlex.split(_CONSOLE_SCRIPTS[first]) + words[1:]
    else:
        raise InitError("--test-command must start with python (or pytest, py.test, nosetests): the py27 env "
                        "runs it inside portkit's collector, in the same Python process (got %r)" % first)
    if not rest:
        raise InitError("--test-command: nothing to run after %r" % first)
    return " ".join(shlex.quote(w) if w != "{posargs}" else w for w in rest)


# -- rendering -----------------------------------------------------------------------
def _pythonpath(layout: Layout, *extra: str) -> str:
    parts = ["{toxinidir}/src" if layout.source_dir else "{toxinidir}"] + list(extra)
    return "{:}".join(parts)


def _detected(layout: Layout, command_given: bool) -> List[str]:
    out = []
    build = ", ".join(layout.build_files) if layout.build_files else "no setup.py, setup.cfg or pyproject.toml"
    out.append("Detected: %s%s." % (build, "; a src/ layout" if layout.source_dir else ""))
    where = {
        "dir": "tests in %s/" % layout.tests,
        "package-dir": "tests in %s/" % layout.tests,
        "module": "tests in %s" % layout.tests,
        "files": "test_*.py files at the top",
        "none": "no tests found",
    }[layout.tests_kind]
    if command_given:
        out.append("%s, run by the command given to portkit init." % where.capitalize())
    else:
        out.append("%s, run by %s (%s)." % (where.capitalize(), layout.runner, layout.runner_reason))
    sources = []
    if layout.deps:
        sources.append("%d requirement%s from the build files" % (len(layout.deps), "" if len(layout.deps) == 1 else "s"))
    sources.extend(layout.requirement_files)
    if sources:
        out.append("Dependencies: %s." % ", ".join(sources))
    return out


def _wrap_comment(text: str, width: int = 78) -> List[str]:
    import textwrap

    return ["# " + line if line else "#" for line in textwrap.wrap(text, width - 2)] or ["#"]


def render(layout: Layout, test_command: Optional[str] = None) -> str:
    """The tox.ini for ``layout`` (``test_command``: the user's, overriding
    the detected one; InitError when the collector cannot wrap it)."""
    if test_command:
        args, posargs = python_arguments(test_command), ""
    else:
        args, posargs = default_command(layout)
    if "{posargs}" in args:
        args = args.replace("{posargs}", "{posargs:%s}" % posargs if posargs else "{posargs}")
    if test_command:  # a given command names its runner itself
        runner_dep = {"-m pytest": "pytest", "-m nose": "nose"}.get(" ".join(args.split()[:2]))
    else:
        runner_dep = {"pytest": "pytest", "nose": "nose"}.get(layout.runner)
    deps = ["six"]
    if runner_dep and runner_dep not in {_requirement_name(d) for d in layout.deps}:
        deps.append(runner_dep)
    deps += [d for d in layout.deps if _requirement_name(d) != "six"]
    deps += ["-r{toxinidir}/%s" % name for name in layout.requirement_files]

    lines = ["# tox.ini for %s, written by `portkit init` (portkit %s)." % (layout.name, __version__), "#"]
    lines += _wrap_comment("It runs the project's own test suite on Python 2.7 with -3 (Python 3 warnings "
                           "on) and on Python 3.9 to 3.13. The way from Python 2 to both:")
    lines += [
        "#",
        "#     tox -e py27       # the suite on 2.7 -3; portkit's collector records",
        "#                       # its Python 3 warnings in .portkit/runtime.json",
        "#     portkit scan .    # what to change, confirmed by what 2.7 saw",
        "#     portkit fix .     # rewrite the code for 2.7 and 3 (with six)",
        "#     tox               # the same suite on every Python below",
        "#",
    ]
    for sentence in _detected(layout, bool(test_command)):
        lines += _wrap_comment(sentence)
    for note in layout.notes:
        lines += _wrap_comment("Note: " + note)
    lines += [
        "",
        "[tox]",
        "# virtualenv 20.22 dropped support for creating Python 2.7 environments:",
        "# tox provisions itself with an older one so that py27 still works.",
        "requires =",
        "    tox>=4",
        "    virtualenv<20.22",
        "env_list = py27, %s" % ", ".join(PY3_ENVS),
        "# An interpreter that is not installed is an error, not a silent skip.",
        "# pyenv users: a .python-version listing 2.7 and 3.9-3.13 (`portkit init",
        "# --pyenv` writes one) lets tox find all of them.",
        "skip_missing_interpreters = false",
        "",
        "[testenv]",
        "description = run the test suite on {base_python}",
        "# The tests run against the source tree instead of an installed package:",
        "# tox would build the package with Python 3, and a setup.py written for",
        "# Python 2 only builds once it is ported.",
        "skip_install = true",
        "# six: `portkit fix` writes code that imports it.",
        "deps =",
    ]
    lines += ["    %s" % dep for dep in deps]
    lines += [
        "set_env =",
        "    PYTHONPATH = %s" % _pythonpath(layout),
        "commands =",
        "    python %s" % args,
        "",
        "[testenv:py27]",
        "description = run the test suite on Python 2.7 -3, recording Python 3 warnings and kinds for portkit",
        "# portkit's collector (a copy in .portkit/collector/, refreshed by `portkit",
        "# init`) runs the same command in its own process: it records every Python",
        "# 3 warning of -3 without raising it, and the kinds of values (str, unicode,",
        "# ...) that the project's functions receive and return, into",
        "# .portkit/runtime.json, which `portkit scan` and `portkit fix` read.",
        "# No .pyc files: Python 2 raises some warnings only while compiling.",
        "set_env =",
        "    PYTHONPATH = %s" % _pythonpath(layout, "{toxinidir}/.portkit/collector"),
        "    PYTHONDONTWRITEBYTECODE = 1",
        "commands =",
        "    python -3 -m portkit_collector run --root {toxinidir} -- %s" % args,
        "",
    ]
    return "\n".join(lines)


def sections_to_add(text: str) -> str:
    """The part of a rendered tox.ini from its first section on (what a
    user with a tox.ini of their own merges into it)."""
    index = text.find("\n[tox]")
    return text[index + 1:] if index >= 0 else text


def collector_source() -> str:
    """The path of the collector shipped with portkit (package data)."""
    return os.path.join(os.path.dirname(os.path.abspath(__file__)), "collector", COLLECTOR_MODULE)


def install_collector(root: str) -> str:
    """Copy the collector into ``ROOT/.portkit/collector/`` (replacing an
    older copy) with a ``.gitignore`` for the runtime data; returns the
    copy's path."""
    folder = os.path.join(root, COLLECTOR_DIR)
    os.makedirs(folder, exist_ok=True)
    target = os.path.join(folder, COLLECTOR_MODULE)
    shutil.copyfile(collector_source(), target)
    ignore = os.path.join(root, ".portkit", ".gitignore")
    if not os.path.exists(ignore):
        with open(ignore, "w") as handle:
            handle.write("# Written by portkit init: the collector is worth committing (CI runs it),\n"
                         "# the runtime data of a local run is not.\n"
                         "runtime.json\nruntime.json.lock\n.runtime-*.tmp\n__pycache__/\n*.pyc\n")
    return target


def pyenv_versions() -> List[str]:
    """The newest installed pyenv version of each series in
    :data:`PYENV_SERIES`, or [] without pyenv.  A Python 3 comes first (the
    ``python`` of the folder: portkit and tox need 3), 3.11 when installed;
    then 2.7 and the other 3.x."""
    try:
        out = subprocess.run(["pyenv", "versions", "--bare"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return []
    if out.returncode != 0:
        return []
    installed = [v.strip() for v in out.stdout.split() if re.match(r"^\d+\.\d+\.\d+$", v.strip())]
    chosen = []
    for series in PYENV_SERIES:
        matches = [v for v in installed if v.startswith(series + ".")]
        if matches:
            chosen.append(max(matches, key=lambda v: tuple(int(p) for p in v.split("."))))
    threes = [v for v in chosen if v.startswith("3.")]
    first = ([v for v in threes if v.startswith("3.11.")] or threes[-1:] or chosen[:1])
    return first + [v for v in chosen if v not in first]


@dataclass
class InitOutcome:
    """What :func:`init` did: files written, and text for the user."""

    written: List[str] = field(default_factory=list)
    sections: str = ""  # the tox.ini sections to add by hand (tox.ini existed)
    messages: List[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.sections


def init(root: str, force: bool = False, test_command: Optional[str] = None, pyenv: bool = False,
         layout: Optional[Layout] = None) -> InitOutcome:
    """Write ``tox.ini`` (unless one exists and not ``force``), the
    collector copy and, with ``pyenv``, a ``.python-version``."""
    layout = layout or detect(root)
    text = render(layout, test_command)
    outcome = InitOutcome()
    outcome.written.append(install_collector(layout.root))
    tox_ini = os.path.join(layout.root, "tox.ini")
    if os.path.exists(tox_ini) and not force:
        outcome.sections = sections_to_add(text)
        outcome.messages.append("%s exists and was left alone: add the sections below to it "
                                "(or run portkit init --force to replace it)" % tox_ini)
    else:
        with open(tox_ini, "w", encoding="utf-8") as handle:
            handle.write(text)
        outcome.written.append(tox_ini)
        if layout.existing_tox_config:
            outcome.messages.append("note: %s also configures tox; tox.ini takes precedence over it"
                                    % layout.existing_tox_config)
    version_file = os.path.join(layout.root, ".python-version")
    if pyenv:
        versions = pyenv_versions()
        if os.path.exists(version_file):
            outcome.messages.append("%s exists and was left alone" % version_file)
        elif not versions:
            outcome.messages.append("--pyenv: pyenv was not found or has no 2.7 / 3.x installed; "
                                    "no .python-version written")
        else:
            with open(version_file, "w") as handle:
                handle.write("\n".join(versions) + "\n")
            outcome.written.append(version_file)
            missing = [s for s in PYENV_SERIES if not any(v.startswith(s + ".") for v in versions)]
            if missing:
                outcome.messages.append("pyenv has no %s installed: `pyenv install` them for the matching envs"
                                        % ", ".join(missing))
    elif not os.path.exists(version_file):
        outcome.messages.append("pyenv users: `portkit init --pyenv` writes a .python-version that lists "
                                "2.7 and 3.9-3.13, so that tox finds every interpreter")
    for note in layout.notes:
        outcome.messages.append("note: " + note)
    return outcome
