#!/usr/bin/env python3
"""Port real Python-2-only libraries with each tool and run their own test suites.

Usage::

    python3 benchmarks/realworld.py                      # every library, every tool (builds .bench/realworld/ first)
    python3 benchmarks/realworld.py --only html5lib --tool portkit   # one library, one tool (both repeatable)
    python3 benchmarks/realworld.py --setup-only         # download the sdists and build the environments only
    python3 benchmarks/realworld.py --py3 3.11 --py3 3.13   # the Python 3 versions to test on (default 3.11)
    python3 benchmarks/realworld.py --write-readme       # put the table of the stored results into README.md (runs nothing)
    python3 benchmarks/realworld.py --digest             # portkit's Python 3 failures, grouped by cause
    python3 benchmarks/realworld.py --digest --tool python-modernize --py3 3.13 --only oauth2
    python3 benchmarks/realworld.py --manifest other.json  # another corpus (same format)

Run it with a Python 3 that can run portkit (``PYTHONPATH=. /work/venv/bin/python
benchmarks/realworld.py``, or ``--portkit-python``): portkit is run from the
repository this file lives in, as ``python -m portkit fix``.

The corpus is ``benchmarks/realworld.json`` (see :func:`load_manifest`): for each
library a pinned sdist (NAME==VERSION), the paths to convert, the library's
own test command, its test-only dependencies, how to count its passes, and its
verified 2.7 baseline (offline).  Everything else lives in
``.bench/realworld/`` (git-ignored), built on first use:

* ``sdists/``: each sdist, from ``pip download --no-deps --no-binary :all:``.
  A setup.py that needs Python 2 needs a Python 2 pip (``python2.7 -m pip
  --isolated download``; pip 19.3.1 is put in ``pip27/`` if that pip fails);
  the others use a Python 3 venv ``dl-py3/`` with ``setuptools<58`` and
  ``wheel`` and ``--no-build-isolation``.  After the first download every
  run is offline;
* ``src/NAME-VERSION/``: the extracted sdist, never changed;
* ``env27/``: the test tools for Python 2.7 (``pip install --target``, used
  through PYTHONPATH); ``env3.11/`` (and any other ``--py3``): a venv with
  the Python 3 test tools (``pynose`` is nose for current Pythons);
  ``runtime27-futurize/``: ``future`` for Python 2.7, on PYTHONPATH for
  futurize's 2.7 runs only (on 2.7 it installs top-level modules such as
  ``html`` and ``queue`` that the other runs must not see);
* python-modernize and futurize come from ``.bench/py3``, the tools venv of
  benchmarks/run.py (built here with the same pins when missing); 2to3 is
  ``python3.11 -m lib2to3``;
* ``results/LIB/TOOL/``: ``tree/`` (the ported copy), ``port.log``,
  ``scan.json`` (portkit only: ``portkit scan --format json`` of the ported
  copy), one raw log per interpreter (``py2.7.log``, ``py2.7-3.log``,
  ``py3.11.log``, and ``.xml`` junit reports for pytest suites), and
  ``result.json`` with the counts.  ``--write-readme`` and ``--digest``
  read these, so they need no new run.  A run replaces the stored results
  of each library and tool it runs (with the interpreters of that run).

For each library and tool: copy the pristine tree into a temporary folder
outside the repository (pytest and portkit would read this repository's
tox.ini and pyproject.toml otherwise), port the listed paths in
place (``none`` changes nothing; ``portkit fix``; ``python-modernize -w -n``;
``futurize --both-stages -w -n``; ``python3.11 -m lib2to3 -w -n``), then run
the library's suite on 2.7, on ``2.7 -3`` and on each Python 3, each in a
fresh copy of the ported tree, offline (``unshare -n`` with loopback up; when
unshare is not available the suites run with the network and the output says
so), with PYTHONHASHSEED=0, and with a timeout.  A download, port or suite
that fails is reported as such in the table and the others go on.

``--digest`` reads the stored logs (junit reports for pytest) and groups the
failing tests of each library by their exception line, quoted literals
blanked except the names that tell causes apart, with the deepest frames in
the library's own files and example tests; 2.7 tests that a port broke come
first.  Nothing here runs in CI: tests/test_realworld_manifest.py checks the
manifest and the parsing helpers only.
"""
from __future__ import annotations

import argparse
import collections
import datetime
import importlib.util
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tarfile
import tempfile
import time
import xml.etree.ElementTree as ElementTree
import zipfile
from typing import Dict, List, Optional, Sequence, Tuple

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
MANIFEST = os.path.join(HERE, "realworld.json")
BENCH = os.path.join(REPO, ".bench")
ROOT = os.path.join(BENCH, "realworld")
SDISTS = os.path.join(ROOT, "sdists")
SRC = os.path.join(ROOT, "src")
RESULTS = os.path.join(ROOT, "results")
ENV27 = os.path.join(ROOT, "env27")
DL_PY3 = os.path.join(ROOT, "dl-py3")
PIP27 = os.path.join(ROOT, "pip27")
TOOLS_VENV = os.path.join(BENCH, "py3")  # shared with benchmarks/run.py
README = os.path.join(HERE, "README.md")
README_START = "<!-- realworld:start (written by benchmarks/realworld.py --write-readme) -->"
README_END = "<!-- realworld:end -->"

TOOLS = ("none", "portkit", "python-modernize", "futurize", "2to3")
COUNTERS = ("pytest", "unittest")
PIP_PYTHONS = ("2.7", "3")
SDIST_SUFFIXES = (".tar.gz", ".zip", ".tar.bz2", ".tgz")
PY27_RUNS = ("2.7", "2.7 -3")
LIB2TO3_PYTHON = "3.11"  # lib2to3 is gone from 3.13
PIP27_FALLBACK = "pip==19.3.1"
# The pins of benchmarks/run.py, used only when .bench/py3 has to be built here.
TOOLS_PINS_FALLBACK = ["modernize==0.8.0", "future==1.0.0"]


# -- the manifest ------------------------------------------------------------------
class ManifestError(ValueError):
    """The manifest is not well-formed."""


_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==[A-Za-z0-9.]+$")
HELD_OUT = ("werkzeug", "webob", "itsdangerous", "jinja2", "routes", "paste", "simplejson", "flask")


def _project(requirement: str) -> str:
    """The normalised project name of NAME==VERSION (PEP 503)."""
    return re.sub(r"[-_.]+", "-", requirement.split("==")[0]).lower()


def load_manifest(path: str = MANIFEST) -> dict:
    """Read and check the manifest; return ``{"environments": {...}, "libraries": [...]}``.

    Each library is a dict with ``name``, ``version``, ``pip`` ("2.7" or "3"),
    ``convert`` (relative paths), ``test`` (argv with a ``{python}`` item),
    ``test_deps`` (project names, each pinned in both environments), ``count``
    ("pytest" or "unittest"), ``baseline`` ({"2.7": N, "2.7 -3": N}) and
    ``notes``; ``key`` (NAME-VERSION) is added.  Raises :class:`ManifestError`
    with every problem found."""
    with open(path, encoding="utf-8") as handle:
        try:
            data = json.load(handle)
        except ValueError as exc:
            raise ManifestError("%s: not JSON: %s" % (path, exc))
    problems: List[str] = []
    envs = data.get("environments")
    if not isinstance(envs, dict) or set(envs) != {"2.7", "3"}:
        problems.append("environments: needs exactly the keys '2.7' and '3'")
        envs = {}
    pinned = {}
    for version, pins in envs.items():
        if not isinstance(pins, list) or not all(isinstance(p, str) and _PIN.match(p) for p in pins):
            problems.append("environments[%s]: a list of NAME==VERSION" % version)
            continue
        pinned[version] = {_project(p) for p in pins}
    runtime27 = data.get("runtime27", {})
    if not isinstance(runtime27, dict) or not all(
            tool in TOOLS and isinstance(pins, list) and all(isinstance(p, str) and _PIN.match(p) for p in pins)
            for tool, pins in runtime27.items()):
        problems.append("runtime27: {tool: [NAME==VERSION, ...]} for tools among %s" % ", ".join(TOOLS))
        runtime27 = {}
    libraries = data.get("libraries")
    if not isinstance(libraries, list) or not libraries:
        problems.append("libraries: a non-empty list")
        libraries = []
    seen = set()
    for index, lib in enumerate(libraries):
        where = "libraries[%d]" % index
        if not isinstance(lib, dict):
            problems.append("%s: an object" % where)
            continue
        name, version = lib.get("name"), lib.get("version")
        if not isinstance(name, str) or not _NAME.match(name):
            problems.append("%s: name" % where)
            continue
        where = name
        if _project(name) in HELD_OUT:
            problems.append("%s: held out (issue 16), never part of the corpus" % where)
        if name.lower() in seen:
            problems.append("%s: listed twice" % where)
        seen.add(name.lower())
        if not isinstance(version, str) or not re.match(r"^[0-9][A-Za-z0-9.]*$", version):
            problems.append("%s: version" % where)
        if lib.get("pip") not in PIP_PYTHONS:
            problems.append("%s: pip must be one of %s" % (where, ", ".join(PIP_PYTHONS)))
        convert = lib.get("convert")
        if not isinstance(convert, list) or not convert or not all(
                isinstance(p, str) and p and not os.path.isabs(p) and ".." not in p.split("/") for p in convert):
            problems.append("%s: convert must be a non-empty list of relative paths" % where)
        test = lib.get("test")
        if not isinstance(test, list) or not all(isinstance(a, str) for a in test) or "{python}" not in (test or []):
            problems.append("%s: test must be an argv list with a '{python}' item" % where)
        deps = lib.get("test_deps")
        if not isinstance(deps, list) or not all(isinstance(d, str) for d in deps):
            problems.append("%s: test_deps must be a list of names" % where)
        else:
            for dep in deps:
                for env, names in pinned.items():
                    if _project(dep) not in names:
                        problems.append("%s: test dependency %s is not pinned in environments[%s]"
                                        % (where, dep, env))
        if lib.get("count") not in COUNTERS:
            problems.append("%s: count must be one of %s" % (where, ", ".join(COUNTERS)))
        baseline = lib.get("baseline")
        if not isinstance(baseline, dict) or set(baseline) != set(PY27_RUNS) or not all(
                isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in baseline.values()):
            problems.append("%s: baseline must give a positive count for %s" % (where, " and ".join(PY27_RUNS)))
        if not isinstance(lib.get("notes", ""), str):
            problems.append("%s: notes must be text" % where)
        lib.setdefault("notes", "")
        lib["key"] = "%s-%s" % (name, version)
    if problems:
        raise ManifestError("%s:\n  %s" % (path, "\n  ".join(problems)))
    return {"environments": envs, "runtime27": runtime27, "libraries": libraries}


# -- interpreters and the environments ---------------------------------------------
def _clean_env() -> dict:
    """The environment without pyenv's pinning (so ``python2.7`` resolves from the repo)."""
    drop = ("PYENV_VERSION", "PYENV_DIR", "PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "PIP_REQUIRE_VIRTUALENV")
    return {k: v for k, v in os.environ.items() if k not in drop}


def resolve_python(version: str) -> Optional[str]:
    """The real executable of ``pythonVERSION`` (pyenv's shim resolves it from the repo)."""
    try:
        out = subprocess.run(["python" + version, "-c", "import sys; print(sys.executable)"], cwd=REPO,
                             env=_clean_env(), capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    path = out.stdout.strip()
    return path if out.returncode == 0 and path else None


def _run_checked(argv: Sequence[str], what: str, **kwargs) -> None:
    proc = subprocess.run(list(argv), capture_output=True, text=True, **kwargs)
    if proc.returncode != 0:
        raise RuntimeError("%s failed (exit %s):\n%s" % (what, proc.returncode, (proc.stdout + proc.stderr)[-3000:]))


def _stamp_ok(path: str, content: object) -> bool:
    try:
        with open(path) as handle:
            return json.load(handle) == content
    except (OSError, ValueError):
        return False


def _write_stamp(path: str, content: object) -> None:
    with open(path, "w") as handle:
        json.dump(content, handle)


def ensure_env27(python2: str, pins: Sequence[str]) -> str:
    """The 2.7 test tools in ``env27/`` (rebuilt when the pins change); return the folder."""
    stamp = os.path.join(ENV27, ".portkit-pins.json")
    if _stamp_ok(stamp, list(pins)):
        return ENV27
    print("setup: Python 2.7 test tools into %s: %s" % (ENV27, " ".join(pins)), flush=True)
    shutil.rmtree(ENV27, ignore_errors=True)
    _run_checked([python2, "-m", "pip", "--isolated", "install", "-q", "--no-warn-script-location",
                  "--disable-pip-version-check", "--target", ENV27] + list(pins), "pip install for 2.7",
                 cwd=REPO, env=_clean_env())
    _write_stamp(stamp, list(pins))
    return ENV27


def ensure_runtime27(python2: str, tool: str, pins: Sequence[str]) -> str:
    """What ``tool``'s output needs on 2.7 (``runtime27-TOOL/``, on PYTHONPATH for its 2.7 runs only)."""
    folder = os.path.join(ROOT, "runtime27-" + tool)
    stamp = os.path.join(folder, ".portkit-pins.json")
    if _stamp_ok(stamp, list(pins)):
        return folder
    print("setup: %s's Python 2.7 run-time into %s: %s" % (tool, folder, " ".join(pins)), flush=True)
    shutil.rmtree(folder, ignore_errors=True)
    _run_checked([python2, "-m", "pip", "--isolated", "install", "-q", "--no-warn-script-location",
                  "--disable-pip-version-check", "--no-deps", "--target", folder] + list(pins),
                 "pip install for 2.7", cwd=REPO, env=_clean_env())
    _write_stamp(stamp, list(pins))
    return folder


def ensure_env3(version: str, pins: Sequence[str]) -> str:
    """A venv ``env<version>/`` with the Python 3 test tools; return its python."""
    folder = os.path.join(ROOT, "env" + version)
    python = os.path.join(folder, "bin", "python")
    stamp = os.path.join(folder, ".portkit-pins.json")
    if os.path.exists(python) and _stamp_ok(stamp, list(pins)):
        return python
    base = resolve_python(version)
    if base is None:
        raise RuntimeError("python%s not found" % version)
    print("setup: Python %s venv %s: %s" % (version, folder, " ".join(pins)), flush=True)
    _run_checked([base, "-m", "venv", "--clear", folder], "venv for %s" % version, env=_clean_env())
    _run_checked([python, "-m", "pip", "install", "-q", "--disable-pip-version-check"] + list(pins),
                 "pip install for %s" % version, env=_clean_env())
    _write_stamp(stamp, list(pins))
    return python


def ensure_tools_venv() -> str:
    """``.bench/py3`` with python-modernize and futurize (benchmarks/run.py's venv); return its bin/."""
    bindir = os.path.join(TOOLS_VENV, "bin")
    if os.path.exists(os.path.join(bindir, "python-modernize")) and os.path.exists(os.path.join(bindir, "futurize")):
        return bindir
    pins = TOOLS_PINS_FALLBACK
    try:  # the same pins as run.py, read from it when it loads
        spec = importlib.util.spec_from_file_location("portkit_bench_run", os.path.join(HERE, "run.py"))
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        pins = list(module.PY3_TOOLS)
    except Exception:
        pass
    print("setup: tools venv %s with %s" % (TOOLS_VENV, " ".join(pins)), flush=True)
    _run_checked([sys.executable, "-m", "venv", "--clear", TOOLS_VENV], "tools venv", env=_clean_env())
    _run_checked([os.path.join(bindir, "python"), "-m", "pip", "install", "-q"] + pins, "tools install",
                 env=_clean_env())
    return bindir


def _find_sdist(lib: dict) -> Optional[str]:
    wanted = _project(lib["name"]) + "-" + lib["version"]
    if not os.path.isdir(SDISTS):
        return None
    for name in sorted(os.listdir(SDISTS)):
        for suffix in SDIST_SUFFIXES:
            if name.endswith(suffix) and _project(name[:-len(suffix)].rsplit("-", 1)[0]) + "-" + \
                    name[:-len(suffix)].rsplit("-", 1)[-1] == wanted:
                return os.path.join(SDISTS, name)
    return None


def _download_py3(requirement: str) -> Tuple[bool, str]:
    python = os.path.join(DL_PY3, "bin", "python")
    if not os.path.exists(python):
        base = resolve_python("3.11") or sys.executable
        subprocess.run([base, "-m", "venv", "--clear", DL_PY3], check=True, env=_clean_env())
        subprocess.run([python, "-m", "pip", "install", "-q", "setuptools<58", "wheel"], check=True,
                       env=_clean_env())
    proc = subprocess.run([python, "-m", "pip", "download", "-q", "--disable-pip-version-check", "--no-deps",
                           "--no-binary", ":all:", "--no-build-isolation", "-d", SDISTS, requirement],
                          capture_output=True, text=True, env=_clean_env())
    return proc.returncode == 0, proc.stdout + proc.stderr


def _download_py2(requirement: str, python2: str) -> Tuple[bool, str]:
    argv = [python2, "-m", "pip", "--isolated", "download", "-q", "--disable-pip-version-check", "--no-deps",
            "--no-binary", ":all:", "-d", SDISTS, requirement]
    proc = subprocess.run(argv, capture_output=True, text=True, cwd=REPO, env=_clean_env())
    if proc.returncode == 0:
        return True, proc.stdout + proc.stderr
    log = proc.stdout + proc.stderr
    # Some 2.7 pips (20.3) crash in download; 19.3 works.
    if not os.path.isdir(os.path.join(PIP27, "pip")):
        subprocess.run([python2, "-m", "pip", "--isolated", "install", "-q", "--target", PIP27, PIP27_FALLBACK],
                       capture_output=True, cwd=REPO, env=_clean_env())
    proc = subprocess.run(argv, capture_output=True, text=True, cwd=REPO, env=dict(_clean_env(), PYTHONPATH=PIP27))
    return proc.returncode == 0, log + proc.stdout + proc.stderr


_FAILED_DOWNLOADS: Dict[str, str] = {}


def ensure_source(lib: dict, python2: str) -> str:
    """Download (once) and extract (once) the library's sdist; return the pristine tree."""
    dest = os.path.join(SRC, lib["key"])
    if os.path.isdir(dest):
        return dest
    os.makedirs(SDISTS, exist_ok=True)
    if lib["key"] in _FAILED_DOWNLOADS:  # tried already in this process
        raise RuntimeError(_FAILED_DOWNLOADS[lib["key"]])
    archive = _find_sdist(lib)
    if archive is None:
        requirement = "%s==%s" % (lib["name"], lib["version"])
        print("setup: downloading %s (with the Python %s pip)" % (requirement, lib["pip"]), flush=True)
        order = [_download_py2, _download_py3] if lib["pip"] == "2.7" else [_download_py3, _download_py2]
        logs = []
        for download in order:
            ok, log = download(requirement, python2) if download is _download_py2 else download(requirement)
            logs.append(log)
            archive = _find_sdist(lib)
            if ok and archive:
                break
        if archive is None:
            lines = [line.strip() for line in "\n".join(logs).splitlines() if line.strip()]
            reason = next((line for line in reversed(lines) if "ERROR" in line or "rror:" in line),
                          lines[-1] if lines else "no output")
            _FAILED_DOWNLOADS[lib["key"]] = "download of %s failed: %s" % (requirement, reason)
            raise RuntimeError(_FAILED_DOWNLOADS[lib["key"]] + "\n" + "\n".join(logs)[-3000:])
    os.makedirs(SRC, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="extract-", dir=SRC)
    try:
        if archive.endswith(".zip"):
            with zipfile.ZipFile(archive) as handle:
                handle.extractall(tmp)
        else:
            with tarfile.open(archive) as handle:
                handle.extractall(tmp)
        entries = os.listdir(tmp)
        top = os.path.join(tmp, entries[0]) if len(entries) == 1 and os.path.isdir(os.path.join(tmp, entries[0])) \
            else tmp
        os.rename(top, dest)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return dest


# -- running ---------------------------------------------------------------------------
def offline_prefix() -> Tuple[List[str], bool]:
    """The argv prefix that runs a command with only loopback (``unshare -n``), and whether it works."""
    argv = ["unshare", "-n", "sh", "-c", 'ip link set lo up 2>/dev/null; exec "$@"', "sh"]
    try:
        ok = subprocess.run(argv + ["true"], capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        ok = False
    return (argv if ok else []), ok


def run_logged(argv: Sequence[str], cwd: str, env: dict, log_path: str, timeout: float) -> dict:
    """Run argv with stdout and stderr into log_path; kill its process group at the timeout."""
    started = time.monotonic()
    with open(log_path, "wb") as log:
        log.write(("$ %s\n" % shlex.join(argv)).encode())
        log.flush()
        try:
            proc = subprocess.Popen(list(argv), cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT,
                                    stdin=subprocess.DEVNULL, start_new_session=True)
        except OSError as exc:
            log.write(("could not start: %s\n" % exc).encode())
            return {"returncode": None, "timed_out": False, "seconds": 0.0, "error": str(exc)}
        try:
            code = proc.wait(timeout=timeout)
            timed_out = False
        except subprocess.TimeoutExpired:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except OSError:
                proc.kill()
            code = proc.wait()
            timed_out = True
            log.write(("\n*** killed after %.0f seconds (timeout)\n" % timeout).encode())
    return {"returncode": code, "timed_out": timed_out, "seconds": round(time.monotonic() - started, 2)}


def port_argv(tool: str, paths: Sequence[str], portkit_python: str, tools_bin: Optional[str],
              lib2to3_python: Optional[str]) -> Optional[List[str]]:
    """The command that ports ``paths`` in place with ``tool`` (None for ``none``)."""
    if tool == "none":
        return None
    if tool == "portkit":
        return [portkit_python, "-m", "portkit", "fix", "--no-cache", "--exit-zero"] + list(paths)
    if tool == "python-modernize":
        return [os.path.join(tools_bin, "python-modernize"), "-w", "-n", "--no-diffs"] + list(paths)
    if tool == "futurize":
        return [os.path.join(tools_bin, "futurize"), "--both-stages", "-w", "-n", "--no-diffs"] + list(paths)
    if tool == "2to3":
        return [lib2to3_python, "-m", "lib2to3", "-w", "-n", "--no-diffs"] + list(paths)
    raise ValueError(tool)


def suite_env(extra_path: Optional[str]) -> dict:
    env = _clean_env()
    env.update(PYTHONHASHSEED="0", LC_ALL="C.UTF-8", LANG="C.UTF-8", TZ="UTC", PYTHONDONTWRITEBYTECODE="1",
               NO_COLOR="1")
    if extra_path:
        env["PYTHONPATH"] = extra_path
    return env


def _slug(label: str) -> str:
    return "py" + label.replace(" ", "")


def run_suite(lib: dict, label: str, python_argv: List[str], extra_path: Optional[str], tree: str, out: str,
              scratch: str, prefix: List[str], timeout: float) -> dict:
    """Run the library's suite on a fresh copy of ``tree`` (in ``scratch``); logs go to ``out``."""
    slug = _slug(label)
    log_path = os.path.join(out, slug + ".log")
    junit = os.path.join(out, slug + ".xml")
    work = os.path.join(scratch, "run-" + slug)
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(tree, work, symlinks=True)
    argv: List[str] = []
    for item in lib["test"]:
        argv.extend(python_argv if item == "{python}" else [item])
    if lib["count"] == "pytest":
        argv.append("--junitxml=" + junit)
    if os.path.exists(junit):
        os.unlink(junit)
    result = run_logged(prefix + argv, work, suite_env(extra_path), log_path, timeout)
    shutil.rmtree(work, ignore_errors=True)
    with open(log_path, "rb") as handle:
        text = handle.read().decode("utf-8", "replace")
    counts = count_passes(text, lib["count"])
    result.update(counts)
    result["log"] = os.path.relpath(log_path, ROOT)
    if result.get("timed_out"):
        result["status"] = "timeout"
    elif counts["passes"] is None:
        result["status"] = "crash"
        result["reason"] = _last_line(text)
    else:
        result["status"] = "ok"
    return result


# -- counting ---------------------------------------------------------------------------
_PYTEST_PART = re.compile(r"(\d+) (passed|failed|errors?|skipped|xfailed|xpassed|deselected|warnings?)\b")
_PYTEST_LINE = re.compile(r"\bin [0-9.]+ ?s(econds)?\b")
_RAN = re.compile(r"^Ran (\d+) tests? in ")
_STATUS = re.compile(r"^(OK|FAILED)\b(?: \((.*)\))?\s*$")


def count_passes(text: str, counter: str) -> dict:
    """Passes and the other counts from a suite's output; ``passes`` is None when no summary was found.

    ``pytest``: the last summary line (``12 failed, 795 passed, 5 error in 1.68s``).
    ``unittest`` (and nose): every ``Ran N tests`` with the ``OK (...)`` or
    ``FAILED (...)`` line after it, summed; passes = ran - failures - errors -
    skipped - expected failures."""
    lines = text.splitlines()
    if counter == "pytest":
        for line in reversed(lines):
            stripped = line.strip().strip("=").strip()
            if _PYTEST_LINE.search(stripped) and (_PYTEST_PART.search(stripped) or "no tests ran" in stripped):
                found = collections.Counter()
                for number, word in _PYTEST_PART.findall(stripped):
                    word = {"error": "errors", "warning": "warnings"}.get(word, word)
                    found[word] += int(number)
                return {"passes": found["passed"], "failed": found["failed"], "errors": found["errors"],
                        "skipped": found["skipped"] + found["xfailed"], "ran": sum(
                            found[k] for k in ("passed", "failed", "errors", "skipped", "xfailed", "xpassed"))}
        return {"passes": None}
    ran = failures = errors = skipped = 0
    found_any = False
    pending = None
    for line in lines:
        match = _RAN.match(line)
        if match:
            pending = int(match.group(1))
            continue
        match = _STATUS.match(line)
        if match and pending is not None:
            found_any = True
            ran += pending
            pending = None
            for part in (match.group(2) or "").split(","):
                if "=" not in part:
                    continue
                key, _, value = part.strip().partition("=")
                try:
                    number = int(value)
                except ValueError:
                    continue
                key = key.lower()
                if key == "failures":
                    failures += number
                elif key == "errors":
                    errors += number
                elif key in ("skipped", "skip", "expected failures"):
                    skipped += number
    if not found_any:
        return {"passes": None}
    return {"passes": ran - failures - errors - skipped, "ran": ran, "failed": failures, "errors": errors,
            "skipped": skipped}


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("$ ")]
    return lines[-1][:300] if lines else "(no output)"


# -- the failure digest -----------------------------------------------------------------------
_ADDRESS = re.compile(r"0x[0-9a-fA-F]{6,}")
_SCRATCH = re.compile(r"/\S*?/portkit-realworld-[^/\s]+/(?:run-py[^/\s]+|tree)/")
_STDLIB = re.compile(r"/\S*?/lib/python\d\.\d+/")
_PYTEST_WHERE = re.compile(r"^(\S+\.py):(\d+): \w")
_TB_WHERE = re.compile(r'^\s*File "([^"]+)", line (\d+)')
_EXCEPTION = re.compile(r"^[A-Za-z_][\w.]*(Error|Exception|Warning|Exit|Interrupt|Failure|Iteration)\b")
_QUOTED = re.compile(r"(?<!\w)(?<!<class )(?<!<type )[bBuU]?'(?:[^'\\\n]|\\.)*'" + r'|(?<!\w)[bBuU]?"(?:[^"\\\n]|\\.)*"')
_RULE_EQ = "=" * 70
_RULE_DASH = "-" * 70


def _norm(message: str) -> str:
    """One line, without object addresses or the scratch folders' paths, at most 220 characters."""
    message = _SCRATCH.sub("", " ".join(message.split()))
    message = _STDLIB.sub("<stdlib>/", _ADDRESS.sub("0x...", message))
    return message[:220] + ("..." if len(message) > 220 else "")


_KEEP_AFTER = ("attribute ", "named ", "name ", "from ", "mean: ")


def _shape(message: str) -> str:
    """The message with its quoted literals blanked: the key failures are grouped by.

    The names that tell a cause apart are kept: ``has no attribute 'X'``, ``No
    module named 'X'``, ``name 'X' is not defined``, ``cannot import name 'X'
    from 'Y'`` (the object's type in ``'T' object has no attribute`` is blanked)."""
    def blank(match):
        before = message[:match.start()]
        return match.group(0) if before.endswith(_KEEP_AFTER) else "'…'"
    return _QUOTED.sub(blank, message)


def _is_library(path: str) -> bool:
    return not (path.startswith("<") or "/lib/python" in path or "site-packages" in path)


def _rel_where(path: str, line: str) -> str:
    """A traceback location relative to the library's tree (scratch and stdlib prefixes cut)."""
    path = _SCRATCH.sub("", path)
    path = _STDLIB.sub("<stdlib>/", path)
    return "%s:%s" % (path, line)


def _pick_where(frames: List[Tuple[str, str]]) -> str:
    """The deepest frame in the library's own files (else the deepest frame)."""
    for path, line in reversed(frames):
        if _is_library(path):
            return _rel_where(path, line)
    return _rel_where(*frames[-1]) if frames else ""


def _python_traceback(lines: List[str]) -> Tuple[str, str]:
    """(exception line, where) of the last Python traceback in ``lines`` (a doctest's is indented)."""
    starts = [i for i, line in enumerate(lines) if line.strip() == "Traceback (most recent call last):"]
    if not starts:
        content = [line.strip() for line in lines if line.strip()]
        return (content[-1] if content else "(no message)"), ""
    first = starts[-1]
    indent = len(lines[first]) - len(lines[first].lstrip())
    frames, exception = [], ""
    for line in lines[first + 1:]:
        if not line.strip():
            continue
        match = _TB_WHERE.match(line)
        if match:
            frames.append((match.group(1), match.group(2)))
            continue
        if len(line) - len(line.lstrip()) <= indent:
            exception = line.strip()
            break
    return exception or "(no message)", _pick_where(frames)


def failures_from_junit(path: str) -> List[Tuple[str, str, str]]:
    """(test id, error line, where) for every failed or errored testcase of a pytest junit report."""
    out = []
    try:
        root = ElementTree.parse(path).getroot()
    except (OSError, ElementTree.ParseError):
        return out
    for case in root.iter("testcase"):
        for child in case:
            if child.tag not in ("failure", "error"):
                continue
            text = child.text or ""
            lines = text.splitlines()
            # the last block of "E   " lines is the exception pytest reports: its exception line
            # (a SyntaxError's comes last, after the source), else its first line
            end = len(lines) - 1
            while end >= 0 and not lines[end].startswith("E "):
                end -= 1
            start = end
            while start > 0 and lines[start - 1].startswith("E "):
                start -= 1
            block = [line[1:].strip() for line in lines[start:end + 1]] if end >= 0 else []
            key = next((line for line in block if _EXCEPTION.match(line)), block[0] if block else "")
            if not key and child.get("message"):
                key = child.get("message").strip().splitlines()[0]
            if not key:
                key = _last_line(text)
            frames = []
            for line in lines:
                match = _PYTEST_WHERE.match(line)
                if match:
                    frames.append((match.group(1), match.group(2)))
            for line in block:  # a SyntaxError's own location
                match = _TB_WHERE.match(line)
                if match:
                    frames.append((match.group(1), match.group(2)))
            test = "%s::%s" % (case.get("classname", ""), case.get("name", ""))
            out.append((test, _norm(key), _pick_where(frames)))
    return out


def failures_from_unittest(text: str) -> List[Tuple[str, str, str]]:
    """(test id, error line, where) for every ERROR/FAIL block of unittest or nose output.

    A block runs to the next ``=====`` rule or to the ``-----`` rule before
    ``Ran N tests``.  A failed doctest is keyed by its first failed example: the
    exception it raised, or "doctest output differs", at the example's line."""
    out = []
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        if not (lines[index] == _RULE_EQ and index + 1 < len(lines)
                and re.match(r"^(ERROR|FAIL): ", lines[index + 1])):
            index += 1
            continue
        test = lines[index + 1].split(": ", 1)[1]
        index += 2
        if index < len(lines) and lines[index] == _RULE_DASH:
            index += 1
        body = []
        while index < len(lines) and lines[index] != _RULE_EQ and not (
                lines[index] == _RULE_DASH and index + 1 < len(lines) and lines[index + 1].startswith("Ran ")):
            body.append(lines[index])
            index += 1
        cut = next((i for i, b in enumerate(body) if ">> begin captured" in b), len(body))
        body = body[:cut]
        failed = next((i for i, b in enumerate(body) if b == "Failed example:"), None)
        if failed is not None:  # a doctest: its first failed example
            where = ""
            match = _TB_WHERE.match(body[failed - 1]) if failed else None
            if match:
                where = _rel_where(match.group(1), match.group(2))
            example = body[failed + 1:]
            stop = next((i for i, b in enumerate(example) if b == _RULE_DASH), len(example))
            example = example[:stop]
            if "Exception raised:" in example:
                key, _ = _python_traceback(example[example.index("Exception raised:") + 1:])
                key = "doctest: " + key
            else:
                key = "doctest: output differs from Expected"
            out.append((test, _norm(key), where))
            continue
        key, where = _python_traceback(body)
        out.append((test, _norm(key), where))
    return out


def _kind(key: str) -> str:
    doctest = key.startswith("doctest: ")
    match = _EXCEPTION.match(key[9:] if doctest else key)
    kind = match.group(0) if match else "other"
    return ("doctest " + kind) if doctest else kind


def stored_failures(lib: dict, tool: str, label: str):
    """(result, run, failures, log text, log path) of a stored run; result or run is None when missing."""
    out_dir = os.path.join(RESULTS, lib["name"], tool)
    try:
        with open(os.path.join(out_dir, "result.json")) as handle:
            result = json.load(handle)
    except (OSError, ValueError):
        return None, None, [], "", ""
    run = result.get("runs", {}).get(label)
    if run is None:
        return result, None, [], "", ""
    log_path = os.path.join(ROOT, run.get("log", ""))
    try:
        with open(log_path, "rb") as handle:
            text = handle.read().decode("utf-8", "replace")
    except OSError:
        text = ""
    if lib["count"] == "pytest":
        failures = failures_from_junit(os.path.join(out_dir, _slug(label) + ".xml"))
    else:
        failures = failures_from_unittest(text)
    return result, run, failures, text, log_path


def _grouped(failures: List[Tuple[str, str, str]], top: int) -> List[str]:
    """Failures grouped by the shape of their error line, biggest group first."""
    groups: Dict[str, list] = collections.defaultdict(list)
    for test, key, where in failures:
        groups[_shape(key)].append((test, key, where))
    kinds = collections.Counter(_kind(key) for _, key, _ in failures)
    lines = ["   by exception: " + ", ".join("%s %d" % kv for kv in kinds.most_common(8))]
    ordered = sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    for shape, members in ordered[:top]:
        messages = collections.Counter(key for _, key, _ in members)
        lines.append("%6d  %s" % (len(members), shape if len(messages) > 1 else members[0][1]))
        if len(messages) > 1:
            lines.append("        as: " + " | ".join(
                "%s (%d)" % (m[:120], n) for m, n in messages.most_common(3)) + (
                " | ... %d more" % (len(messages) - 3) if len(messages) > 3 else ""))
        wheres = collections.Counter(w for _, _, w in members if w)
        if wheres:
            lines.append("        at " + ", ".join(
                "%s%s" % (w, " (%d)" % n if n > 1 else "") for w, n in wheres.most_common(3)))
        lines.append("        e.g. " + ", ".join(_norm(t)[:150] for t, _, _ in members[:2]))
    if len(ordered) > top:
        rest = sum(len(m) for _, m in ordered[top:])
        lines.append("        ... %d more groups (%d tests)" % (len(ordered) - top, rest))
    return lines


def digest_library(lib: dict, tool: str, label: str, top: int = 15) -> List[str]:
    """The failures of one library's suite (one tool, one interpreter), grouped by their error line.

    When the tool's 2.7 run is below the baseline, the tests that fail on 2.7
    after the port but not before it (``none``) come first."""
    result, run, failures, text, log_path = stored_failures(lib, tool, label)
    if result is None:
        return ["== %s: no results for %s (run it first)" % (lib["name"], tool)]
    lines = []
    if tool != "none" and label != "2.7":
        lines.extend(_regressions_27(lib, tool, min(top, 8)))
    if run is None:
        return lines + ["== %s (%s): no run on Python %s" % (lib["name"], tool, label)]
    head = "== %s %s, %s on Python %s (measured at %s): " % (
        lib["name"], lib["version"], tool, label, result.get("commit", "?"))
    if run.get("status") != "ok" and not failures:
        key, where = _python_traceback(text.splitlines())
        return lines + [head + "suite did not run (%s): %s" % (run.get("status"), _norm(key)),
                        "        at %s" % (where or "?"), "   log: %s" % log_path]
    lines.append(head + "%s passed of %s; %d failing tests found in the output" % (
        run.get("passes"), run.get("ran"), len(failures)))
    lines.extend(_grouped(failures, top))
    lines.append("   log: %s" % log_path)
    return lines


def _regressions_27(lib: dict, tool: str, top: int) -> List[str]:
    """The 2.7 tests that pass unported but fail after the port, grouped (nothing when none regressed)."""
    result, run, failures, text, log_path = stored_failures(lib, tool, "2.7")
    if run is None or (run.get("status") == "ok" and run.get("passes", 0) >= lib["baseline"]["2.7"]):
        return []
    head = "== %s %s, %s on Python 2.7, BELOW THE BASELINE (%s): " % (
        lib["name"], lib["version"], tool, _cell(run, lib["baseline"]["2.7"]).replace("**", ""))
    if run.get("status") != "ok" and not failures:
        key, where = _python_traceback(text.splitlines())
        return [head + "suite did not run (%s): %s" % (run.get("status"), _norm(key)),
                "        at %s" % (where or "?"), "   log: %s" % log_path]
    _, _, before, _, _ = stored_failures(lib, "none", "2.7")
    failing_before = {_norm(test) for test, _, _ in before}
    new = [f for f in failures if _norm(f[0]) not in failing_before]
    return [head + "%d tests fail that passed unported" % len(new)] + _grouped(new, top) + [
        "   log: %s" % log_path]


# -- one library, one tool --------------------------------------------------------------
def _git(*args: str) -> str:
    proc = subprocess.run(["git", "-C", REPO] + list(args), capture_output=True, text=True)
    return proc.stdout.strip() if proc.returncode == 0 else ""


def commit_label() -> str:
    """The last commit that changed portkit/ or fixers/ (what portkit's behaviour depends on, and
    not the harness's own commits), with ``+dirty`` when they differ from it in the work tree."""
    commit = _git("log", "-1", "--format=%h", "--", "portkit", "fixers") or _git("rev-parse", "--short", "HEAD")
    commit = commit or "unknown"
    if _git("status", "--porcelain", "--", "portkit", "fixers"):
        commit += "+dirty"
    return commit


def read_scan(scan_path: str) -> dict:
    """From a ``portkit scan --format json`` of the ported copy: ``report_only`` ({code: count} of the
    findings that fix leaves to a person), ``fixable_left`` (findings marked fixable that fix did
    not change: scan and fix disagree) and ``errors`` (files portkit could not process)."""
    try:
        with open(scan_path) as handle:
            data = json.load(handle)
    except (OSError, ValueError):
        return {"report_only": {}, "fixable_left": {}, "errors": ["scan output unreadable"]}
    findings = data.get("findings", [])
    report = collections.Counter(f.get("code", "?") for f in findings if not f.get("fixable"))
    left = collections.Counter(f.get("code", "?") for f in findings if f.get("fixable"))
    errors = ["%s: %s" % (e.get("path"), e.get("error")) for e in data.get("errors", [])]
    return {"report_only": dict(sorted(report.items())), "fixable_left": dict(sorted(left.items())),
            "errors": errors}


def run_one(lib: dict, tool: str, ctx: dict) -> dict:
    """Port a fresh copy of the library with ``tool`` and run its suite on every interpreter.

    The work happens in a temporary folder outside the repository, so that
    neither portkit nor pytest picks up this repository's pyproject.toml or
    tox.ini; the ported tree is then kept as ``results/LIB/TOOL/tree``."""
    out = os.path.join(RESULTS, lib["name"], tool)
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    result = {"library": lib["name"], "version": lib["version"], "tool": tool, "commit": ctx["commit"],
              "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
              "offline": ctx["offline"], "baseline": lib["baseline"], "runs": {}}
    try:
        pristine = ensure_source(lib, ctx["python2"])
    except Exception as exc:  # download or extraction failed: report, go on
        result["error"] = str(exc).splitlines()[0]
        _save(out, result)
        return result
    work = tempfile.mkdtemp(prefix="portkit-realworld-")
    try:
        tree = os.path.join(work, "tree")
        shutil.copytree(pristine, tree, symlinks=True)
        missing = [p for p in lib["convert"] if not os.path.exists(os.path.join(tree, p))]
        if missing:
            result["error"] = "paths to convert not in the sdist: %s" % ", ".join(missing)
            _save(out, result)
            return result
        _port(lib, tool, ctx, tree, out, result)
        shutil.copytree(tree, os.path.join(out, "tree"), symlinks=True)
        path27 = os.pathsep.join([ctx["runtime27"][tool], ctx["env27"]]) if tool in ctx["runtime27"] else ctx["env27"]
        plan = [("2.7", [ctx["python2"]], path27), ("2.7 -3", [ctx["python2"], "-3"], path27)]
        plan += [(version, [python], None) for version, python in ctx["py3"]]
        for label, python_argv, extra_path in plan:
            print("  %-16s %-16s %-7s" % (lib["name"], tool, label), end="", flush=True)
            try:
                run = run_suite(lib, label, python_argv, extra_path, tree, out, work, ctx["prefix"], ctx["timeout"])
            except Exception as exc:
                run = {"status": "error", "passes": None, "reason": str(exc)}
            result["runs"][label] = run
            print(" %s" % _cell(run, lib["baseline"].get(label)), flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    _save(out, result)
    return result


def _port(lib: dict, tool: str, ctx: dict, tree: str, out: str, result: dict) -> None:
    """Port ``tree`` in place; for portkit, also keep the findings it leaves to a person."""
    argv = port_argv(tool, lib["convert"], ctx["portkit_python"], ctx.get("tools_bin"), ctx.get("lib2to3"))
    if argv is None:
        return
    env = _clean_env()
    if tool == "portkit":
        env.update(PYTHONPATH=REPO, NO_COLOR="1")
    log_path = os.path.join(out, "port.log")
    result["port"] = run_logged(argv, tree, env, log_path, ctx["timeout"])
    if result["port"]["returncode"] != 0:
        with open(log_path, "rb") as handle:
            result["port"]["reason"] = _last_line(handle.read().decode("utf-8", "replace"))
    if tool == "portkit":
        scan_path = os.path.join(out, "scan.json")
        with open(scan_path, "wb") as handle:
            subprocess.run([ctx["portkit_python"], "-m", "portkit", "scan", "--no-cache", "--exit-zero",
                            "--format", "json"] + lib["convert"], cwd=tree, env=env, stdout=handle,
                           stderr=subprocess.DEVNULL, timeout=ctx["timeout"])
        result.update(read_scan(scan_path))
    with open(log_path, "rb") as handle:
        result["port"]["file_errors"] = [line.strip() for line in handle.read().decode("utf-8", "replace").splitlines()
                                         if ": error: " in line]


def _save(out: str, result: dict) -> None:
    with open(os.path.join(out, "result.json"), "w") as handle:
        json.dump(result, handle, indent=2, sort_keys=True)


def _cell(run: Optional[dict], baseline: Optional[int] = None) -> str:
    if run is None:
        return ""
    status = run.get("status")
    if status != "ok":
        return status or "error"
    text = "%d" % run["passes"]
    if baseline is not None and run["passes"] < baseline:
        text = "**%s** (-%d)" % (text, baseline - run["passes"])
    return text


# -- the README table --------------------------------------------------------------------
def load_results(libraries: Sequence[dict]) -> Dict[Tuple[str, str], dict]:
    found = {}
    for lib in libraries:
        for tool in TOOLS:
            path = os.path.join(RESULTS, lib["name"], tool, "result.json")
            try:
                with open(path) as handle:
                    result = json.load(handle)
            except (OSError, ValueError):
                continue
            if result.get("version") == lib["version"]:  # a result of another version is stale
                found[(lib["name"], tool)] = result
    return found


def render_table(manifest: dict) -> List[str]:
    """The markdown table (and the report-only findings) of every stored result."""
    libraries = manifest["libraries"]
    results = load_results(libraries)
    py3_labels = sorted({label for r in results.values() for label in r.get("runs", {}) if not label.startswith("2.7")},
                        key=lambda v: tuple(int(x) for x in v.split(".")))
    header = ["library", "baseline 2.7 / 2.7 -3", "tool", "2.7", "2.7 -3"] + py3_labels
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    commits, dates, offline = set(), [], set()
    for lib in libraries:
        first = True
        for tool in TOOLS:
            result = results.get((lib["name"], tool))
            if result is None:
                continue
            if tool == "portkit":
                commits.add(result.get("commit", "?"))
            if result.get("date"):
                dates.append(result["date"])
            offline.add(result.get("offline"))
            name = "%s==%s" % (lib["name"], lib["version"]) if first else ""
            base = "%d / %d" % (lib["baseline"]["2.7"], lib["baseline"]["2.7 -3"]) if first else ""
            first = False
            if "error" in result:
                cells = ["error: " + result["error"][:160]] + [""] * (1 + len(py3_labels))
            else:
                runs = result.get("runs", {})
                cells = [_cell(runs.get("2.7"), lib["baseline"]["2.7"]),
                         _cell(runs.get("2.7 -3"), lib["baseline"]["2.7 -3"])]
                cells += [_cell(runs.get(label)) for label in py3_labels]
            label = tool
            port = result.get("port", {})
            if port.get("timed_out"):
                label += " (port timed out)"
            elif port.get("returncode") not in (0, None):
                label += " (exit %s)" % port["returncode"]
            lines.append("| " + " | ".join([name, base, label] + cells) + " |")
    lines.append("")
    lines.append("portkit measured at %s; results of %s to %s; suites run %s." % (
        ", ".join(sorted(commits)) or "-", min(dates) if dates else "-", max(dates) if dates else "-",
        "offline (unshare -n, loopback up)" if offline == {True} else "WITH THE NETWORK for some runs"))
    lines.append("Counts are passing tests; **bold** = below the 2.7 baseline; crash = no test summary "
                 "(the suite could not start); timeout = killed at the timeout; (exit N) = the port command "
                 "exited N (portkit: 2 when some files could not be processed, listed below).")
    lines.append("")
    lines.append("What `portkit scan` says of portkit's ported copy: the findings left to a person (report-only), "
                 "the findings marked fixable that `fix` did not change, and the files it could not process:")
    lines.append("")
    for lib in libraries:
        result = results.get((lib["name"], "portkit"))
        if not result or "report_only" not in result:
            continue
        lines.append("* %s: %s" % (lib["name"], _scan_summary(result)))
    return lines


def _codes(counts: Dict[str, int]) -> str:
    return ", ".join("%s %d" % kv for kv in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def _scan_summary(result: dict) -> str:
    report, left = result.get("report_only", {}), result.get("fixable_left", {})
    parts = ["%d report-only%s" % (sum(report.values()), " (%s)" % _codes(report) if report else "")]
    if left:
        parts.append("%d fixable still reported after fix (%s)" % (sum(left.values()), _codes(left)))
    errors = result.get("port", {}).get("file_errors") or result.get("errors") or []
    if errors:
        parts.append("not processed: " + "; ".join("`%s`" % e.replace(": error: ", ": ") for e in errors))
    return "; ".join(parts)


def write_readme(manifest: dict) -> None:
    with open(README, encoding="utf-8") as handle:
        text = handle.read()
    block = README_START + "\n" + "\n".join(render_table(manifest)) + "\n" + README_END
    if README_START in text and README_END in text:
        start = text.index(README_START)
        end = text.index(README_END) + len(README_END)
        text = text[:start] + block + text[end:]
    else:
        text = text.rstrip("\n") + "\n\n## Real-world corpus\n\n" + block + "\n"
    with open(README, "w", encoding="utf-8") as handle:
        handle.write(text)
    print("wrote the table into %s" % README)


# -- main ---------------------------------------------------------------------------------------
def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", action="append", default=[], metavar="NAME",
                        help="this library only (repeatable; case-insensitive)")
    parser.add_argument("--tool", action="append", default=[], choices=TOOLS, help="this tool only (repeatable)")
    parser.add_argument("--py3", action="append", default=[], metavar="X.Y",
                        help="a Python 3 to run the suites on (repeatable; default 3.11)")
    parser.add_argument("--manifest", default=MANIFEST, help="the corpus (default benchmarks/realworld.json)")
    parser.add_argument("--python2", default="2.7", help="the Python 2 version (default 2.7)")
    parser.add_argument("--portkit-python", default=sys.executable,
                        help="the Python that runs portkit (needs its dependencies; default: this one)")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds allowed per port and per suite run")
    parser.add_argument("--setup-only", action="store_true", help="download and build the environments only")
    parser.add_argument("--write-readme", action="store_true",
                        help="write the table of the stored results into benchmarks/README.md; runs nothing")
    parser.add_argument("--digest", action="store_true",
                        help="print the failures of the stored runs (the --tool, default portkit, on the first "
                             "--py3) grouped by their last error line, and write them to "
                             ".bench/realworld/digest-COMMIT[-TOOL][-pyX.Y][-LIB...].txt; runs nothing")
    parser.add_argument("--top", type=int, default=15, help="groups per library in the digest")
    args = parser.parse_args(argv)

    try:
        manifest = load_manifest(args.manifest)
    except ManifestError as exc:
        print("realworld: %s" % exc, file=sys.stderr)
        return 2
    libraries = manifest["libraries"]
    if args.only:
        wanted = {o.lower() for o in args.only}
        unknown = wanted - {lib["name"].lower() for lib in libraries}
        if unknown:
            print("realworld: not in the manifest: %s" % ", ".join(sorted(unknown)), file=sys.stderr)
            return 2
        libraries = [lib for lib in libraries if lib["name"].lower() in wanted]
    tools = [t for t in TOOLS if t in args.tool] if args.tool else list(TOOLS)
    py3_versions = args.py3 or ["3.11"]

    if args.digest:
        tool = tools[0] if args.tool else "portkit"
        lines = []
        for lib in libraries:
            lines.extend(digest_library(lib, tool, py3_versions[0], args.top))
            lines.append("")
        text = "\n".join(lines)
        print(text)
        commits = set()
        for lib in libraries:
            try:
                with open(os.path.join(RESULTS, lib["name"], tool, "result.json")) as handle:
                    commits.add(json.load(handle).get("commit", "unknown"))
            except (OSError, ValueError):
                pass
        name = "digest-%s%s%s%s.txt" % ("-".join(sorted(commits)) or "none", "" if tool == "portkit" else "-" + tool,
                                         "" if py3_versions[0] == "3.11" else "-py" + py3_versions[0],
                                         "".join("-" + lib["name"] for lib in libraries) if args.only else "")
        os.makedirs(ROOT, exist_ok=True)
        with open(os.path.join(ROOT, name), "w") as handle:
            handle.write(text)
        print("written to %s" % os.path.join(ROOT, name))
        return 0
    if args.write_readme:
        write_readme(load_manifest(args.manifest))  # every library, whatever --only says
        return 0

    python2 = resolve_python(args.python2)
    if python2 is None:
        print("realworld: python%s not found" % args.python2, file=sys.stderr)
        return 2
    os.makedirs(ROOT, exist_ok=True)
    try:
        env27 = ensure_env27(python2, manifest["environments"]["2.7"])
        py3 = [(v, ensure_env3(v, manifest["environments"]["3"])) for v in py3_versions]
        tools_bin = ensure_tools_venv() if {"python-modernize", "futurize"} & set(tools) else None
        runtime27 = {tool: ensure_runtime27(python2, tool, pins) for tool, pins in manifest["runtime27"].items()
                     if tool in tools}
    except Exception as exc:
        print("realworld: setup failed: %s" % exc, file=sys.stderr)
        return 2
    lib2to3 = resolve_python(LIB2TO3_PYTHON) if "2to3" in tools else None
    for lib in libraries:
        try:
            ensure_source(lib, python2)
        except Exception as exc:
            print("realworld: %s: %s" % (lib["key"], str(exc).splitlines()[0]), file=sys.stderr)
    if args.setup_only:
        print("ready: %s" % ROOT)
        return 0
    if "portkit" in tools and subprocess.run([args.portkit_python, "-c", "import libcst, click, six"],
                                             capture_output=True, env=dict(_clean_env(), PYTHONPATH=REPO)).returncode:
        print("realworld: %s cannot run portkit (libcst, click, six missing); use --portkit-python"
              % args.portkit_python, file=sys.stderr)
        return 2
    prefix, offline = offline_prefix()
    if not offline:
        print("realworld: WARNING: 'unshare -n' is not available: the suites run WITH the network", flush=True)
    ctx = {"python2": python2, "env27": env27, "runtime27": runtime27, "py3": py3, "tools_bin": tools_bin, "lib2to3": lib2to3,
           "portkit_python": args.portkit_python, "timeout": args.timeout, "prefix": prefix, "offline": offline,
           "commit": commit_label()}
    print("portkit at %s; suites %s; Python 3: %s" % (ctx["commit"], "offline" if offline else "ONLINE",
                                                       ", ".join(py3_versions)), flush=True)
    for lib in libraries:
        for tool in tools:
            try:
                run_one(lib, tool, ctx)
            except Exception as exc:  # never let one library stop the others
                print("  %s %s: error: %s" % (lib["name"], tool, exc), flush=True)
    print()
    print("\n".join(render_table({"libraries": libraries})))
    return 0


if __name__ == "__main__":
    sys.exit(main())
