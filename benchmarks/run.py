#!/usr/bin/env python3
"""Time portkit against python-modernize, futurize and pylint --py3k on one corpus.

Usage::

    python3 benchmarks/run.py                  # everything (builds .bench/ first if needed)
    python3 benchmarks/run.py --only portkit   # portkit's runs only (ratios need modernize)
    python3 benchmarks/run.py --limit 300      # a quicker, smaller corpus
    python3 benchmarks/run.py --setup-only     # only build the tools environment
    python3 benchmarks/run.py --repeat 3       # three rounds, round-robin; each row the median

The tools environment lives in ``.bench/`` at the top of the repository
(git-ignored): ``.bench/py3`` is a Python 3 venv with python-modernize and
future (futurize); ``.bench/py2`` holds pylint 1.9 for Python 2.7, installed
with ``python2.7 -m pip install --target``.  See benchmarks/README.md.

The corpus is built in a temporary folder: every ``.py`` file of this
machine's Python 2.7 standard library that 2.7 compiles
(:func:`scripts/check_corpus.py:prepare_corpus`) plus the ``.py`` files of
``samples/`` that 2.7 compiles.  python-modernize gets the same files less the
one that starts with a UTF-8 BOM (it writes ``from __future__`` above the
coding line there).

Every command runs in a fresh Python subprocess (the *runner*) that starts
it, waits for it, and reads ``resource.getrusage(RUSAGE_CHILDREN)``: the
wall-clock seconds, the peak RSS of the largest single process of the tree
(the parent or any worker), and a sampled peak of the sum of the RSS of all
processes of the tree (every 0.2 s from /proc).  Nothing here asserts on
time: the table is information; targets are marked but never fail the run
unless ``--check-targets`` is given.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
from typing import Dict, List, Optional, Sequence

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
BENCH = os.path.join(REPO, ".bench")
PY3_VENV = os.path.join(BENCH, "py3")
PY2_TARGET = os.path.join(BENCH, "py2")
STAMP = os.path.join(BENCH, "ready.json")

# Pinned so that every run measures the same tools.  pip 19 (Python 2.7's)
# would pick mccabe 0.7, which needs Python 3: pin it below 0.7.
PY3_TOOLS = ["modernize==0.8.0", "future==1.0.0"]
PY2_TOOLS = ["pylint<2", "mccabe<0.7"]

# Targets: ratio of portkit's seconds to python-modernize's.
TARGETS = {
    "portkit scan (cold)": 0.33,
    "portkit scan (warm)": 0.02,
    "portkit fix --diff (cold)": 0.5,
}
WORKER_MEMORY_TARGET_MB = 500


def _load_check_corpus():
    path = os.path.join(REPO, "scripts", "check_corpus.py")
    spec = importlib.util.spec_from_file_location("portkit_check_corpus", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


corpus_tools = _load_check_corpus()


# -- the tools environment ------------------------------------------------------
def _clean_env() -> dict:
    """The environment without pyenv's pinning (so ``python2.7`` resolves from the repo),
    and with bytecode caching allowed: a user's portkit, like the tools installed
    in .bench/, imports from .pyc files; PYTHONDONTWRITEBYTECODE (set in some
    sandboxes) would make every portkit run compile its own source first."""
    drop = ("PYENV_VERSION", "PYENV_DIR", "PYTHONDONTWRITEBYTECODE")
    return {k: v for k, v in os.environ.items() if k not in drop}


def setup(python2: str, force: bool = False) -> dict:
    """Build .bench/ when missing; return {tool: version}."""
    if not force and os.path.exists(STAMP):
        with open(STAMP) as handle:
            return json.load(handle)
    os.makedirs(BENCH, exist_ok=True)
    if force or not os.path.exists(os.path.join(PY3_VENV, "bin", "python-modernize")):
        print("setup: python3 venv %s with %s" % (PY3_VENV, " ".join(PY3_TOOLS)))
        subprocess.run([sys.executable, "-m", "venv", "--clear", PY3_VENV], check=True)
        subprocess.run([os.path.join(PY3_VENV, "bin", "python"), "-m", "pip", "install", "-q"] + PY3_TOOLS,
                       check=True)
    if force or not os.path.exists(os.path.join(PY2_TARGET, "pylint")):
        print("setup: pylint for Python 2.7 into %s" % PY2_TARGET)
        if os.path.exists(PY2_TARGET):
            shutil.rmtree(PY2_TARGET)
        subprocess.run([python2, "-m", "pip", "install", "-q", "--no-warn-script-location",
                        "--target", PY2_TARGET] + PY2_TOOLS, check=True, cwd=REPO, env=_clean_env())
    versions = {
        "python-modernize": _version([os.path.join(PY3_VENV, "bin", "python"), "-c",
                                      "import libmodernize; print(libmodernize.__version__)"]),
        "futurize": _version([os.path.join(PY3_VENV, "bin", "python"), "-c",
                              "import future; print(future.__version__)"]),
        "pylint": _version([python2, "-c", "import pylint.__pkginfo__ as p; print(p.version)"],
                           env=dict(_clean_env(), PYTHONPATH=PY2_TARGET)),
    }
    with open(STAMP, "w") as handle:
        json.dump(versions, handle, indent=2)
    return versions


def _version(argv, env=None) -> str:
    out = subprocess.run(argv, capture_output=True, text=True, cwd=REPO, env=env)
    return out.stdout.strip() or "?"


# -- measuring one command -----------------------------------------------------------
_RUNNER = r"""
import json, os, resource, subprocess, sys, threading, time
spec = json.loads(sys.argv[1])
page = os.sysconf('SC_PAGE_SIZE')
peak = [0]
done = threading.Event()

def tree_rss(root):
    children = {}
    for name in os.listdir('/proc'):
        if not name.isdigit():
            continue
        try:
            with open('/proc/%s/stat' % name) as handle:
                stat = handle.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(')') + 2:].split()[1])
        children.setdefault(ppid, []).append(int(name))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        try:
            with open('/proc/%d/statm' % pid) as handle:
                total += int(handle.read().split()[1]) * page
        except OSError:
            pass
        todo.extend(children.get(pid, ()))
    return total

def sample(pid):
    while not done.wait(0.2):
        try:
            peak[0] = max(peak[0], tree_rss(pid))
        except Exception:
            pass

with open(spec['stdout'], 'wb') as out, open(spec['stderr'], 'wb') as err:
    started = time.perf_counter()
    proc = subprocess.Popen(spec['argv'], cwd=spec['cwd'], env=spec['env'], stdout=out, stderr=err,
                            stdin=subprocess.DEVNULL)
    threading.Thread(target=sample, args=(proc.pid,), daemon=True).start()
    try:
        code = proc.wait(timeout=spec['timeout'])
        timed_out = False
    except subprocess.TimeoutExpired:
        proc.kill()
        code = proc.wait()
        timed_out = True
    seconds = time.perf_counter() - started
    done.set()
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({'seconds': seconds, 'returncode': code, 'timed_out': timed_out,
                  'maxrss_mb': usage.ru_maxrss / 1024.0, 'tree_peak_mb': peak[0] / 1048576.0,
                  'cpu_seconds': usage.ru_utime + usage.ru_stime}))
"""


def measure(argv: Sequence[str], cwd: str, env: dict, out_dir: str, label: str, timeout: float) -> dict:
    slug = "".join(c if c.isalnum() else "_" for c in label)
    spec = {
        "argv": list(argv), "cwd": cwd, "env": env, "timeout": timeout,
        "stdout": os.path.join(out_dir, slug + ".out"), "stderr": os.path.join(out_dir, slug + ".err"),
    }
    proc = subprocess.run([sys.executable, "-c", _RUNNER, json.dumps(spec)], capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError("runner failed for %s:\n%s" % (label, proc.stderr))
    result = json.loads(proc.stdout)
    result["stdout"] = spec["stdout"]
    result["stderr"] = spec["stderr"]
    with open(spec["stdout"], "rb") as handle:
        result["output_lines"] = handle.read().count(b"\n")
    return result


# -- the corpus --------------------------------------------------------------------
def build_corpus(base: str, python2: str, limit: int) -> Dict[str, object]:
    stdlib = os.path.join(base, "stdlib")
    os.makedirs(stdlib)
    kept, _ = corpus_tools.prepare_corpus(stdlib, python2, limit)
    samples_src = os.path.join(REPO, "samples")
    samples = os.path.join(base, "samples")
    copied = corpus_tools._copy_py_files(samples_src, samples) if os.path.isdir(samples_src) else []
    bad, _ = corpus_tools.compile_errors(python2, copied)
    for path in bad:
        os.unlink(path)
    files = sorted(kept + [p for p in copied if p not in bad])
    bom = []
    nlines = {}
    for path in files:
        with open(path, "rb") as handle:
            data = handle.read()
        nlines[path] = data.count(b"\n")
        if data.startswith(b"\xef\xbb\xbf"):
            bom.append(path)
    return {"files": files, "bom": bom, "lines": nlines, "samples_left_out": sorted(bad), "stdlib": len(kept)}


# -- the runs ----------------------------------------------------------------------
def plan_runs(files: List[str], bom: List[str], jobs: int, python2: str, cache_dir: str, only: Sequence[str]):
    portkit_env = dict(_clean_env(), PYTHONPATH=REPO, NO_COLOR="1", PORTKIT_CACHE_DIR=cache_dir)
    portkit_env.pop("PORTKIT_NO_CACHE", None)
    tools_env = _clean_env()
    portkit = [sys.executable, "-m", "portkit"]
    modernize_files = [f for f in files if f not in bom]
    runs = [
        ("portkit scan (cold)", "portkit", portkit + ["scan", "-j", str(jobs), "-q", "--exit-zero"] + files,
         portkit_env, files),
        ("portkit scan (warm)", "portkit", portkit + ["scan", "-j", str(jobs), "-q", "--exit-zero"] + files,
         portkit_env, files),
        ("portkit fix --diff (cold)", "portkit",
         portkit + ["fix", "--diff", "--no-cache", "-j", str(jobs), "-q", "--exit-zero"] + files, portkit_env, files),
        ("python-modernize", "python-modernize",
         [os.path.join(PY3_VENV, "bin", "python-modernize"), "-j", str(jobs)] + modernize_files, tools_env,
         modernize_files),
        ("futurize --both-stages", "futurize",
         [os.path.join(PY3_VENV, "bin", "futurize"), "--both-stages", "-j", str(jobs)] + files, tools_env, files),
        ("pylint --py3k (python2.7)", "pylint",
         [python2, "-m", "pylint", "--py3k", "-j", str(jobs), "--persistent=n", "--reports=n"] + files,
         dict(tools_env, PYTHONPATH=PY2_TARGET), files),
    ]
    if only:
        runs = [r for r in runs if any(r[1].startswith(o) or r[0].startswith(o) for o in only)]
    return runs


def _warm_up(base: str) -> None:
    """One untimed portkit run, so that its .pyc files exist (like an installed portkit's)."""
    sample = os.path.join(base, "warm_up.py")
    with open(sample, "w") as handle:
        handle.write("print 'x'\nd = {}\nfor k, v in d.iteritems(): pass\n")
    env = dict(_clean_env(), PYTHONPATH=REPO, PORTKIT_NO_CACHE="1")
    for command in ("scan", "fix"):
        subprocess.run([sys.executable, "-m", "portkit", command, "--diff" if command == "fix" else "-q", sample],
                       cwd=base, env=env, capture_output=True)


def _median_run(rounds: list) -> dict:
    """The run with the median seconds (the lower one of an even count), with
    the seconds of every round under ``rounds`` and the largest peak memory."""
    ordered = sorted(rounds, key=lambda r: r["seconds"])
    chosen = dict(ordered[(len(ordered) - 1) // 2])
    chosen["rounds"] = [r["seconds"] for r in rounds]
    chosen["maxrss_mb"] = max(r["maxrss_mb"] for r in rounds)
    chosen["tree_peak_mb"] = max(r["tree_peak_mb"] for r in rounds)
    return chosen


def _fmt_ratio(value: Optional[float], base: Optional[float]) -> str:
    if value is None or not base:
        return ""
    return "%.3f" % (value / base)


def _table(rows: Sequence[Sequence[str]]) -> List[str]:
    return corpus_tools._table(rows)


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--python2", default="python2.7")
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1, help="processes for every tool")
    parser.add_argument("--limit", type=int, default=0, help="about this many stdlib files only (0: all)")
    parser.add_argument("--only", action="append", default=[],
                        help="run only tools whose name starts with this (portkit, python-modernize, futurize, "
                             "pylint; repeatable)")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds allowed per command")
    parser.add_argument("--setup-only", action="store_true")
    parser.add_argument("--force-setup", action="store_true", help="rebuild .bench/")
    parser.add_argument("--keep", action="store_true", help="keep the corpus and the outputs")
    parser.add_argument("--json", dest="json_path", default=None, help="write the measurements here too")
    parser.add_argument("--check-targets", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--repeat", type=int, default=1,
                        help="run every command this many times, round-robin (the cache emptied before each "
                             "round), and report each one's median run: steadier ratios on a busy machine")
    args = parser.parse_args(argv)

    python2 = corpus_tools.resolve_python(args.python2)
    if python2 is None:
        print("benchmarks: %s not found" % args.python2, file=sys.stderr)
        return 2
    versions = setup(python2, args.force_setup)
    if args.setup_only:
        print(json.dumps(versions, indent=2))
        return 0

    base = tempfile.mkdtemp(prefix="portkit-bench-")
    try:
        return _bench(args, base, python2, versions)
    finally:
        if args.keep:
            print("\nkept: %s" % base)
        else:
            shutil.rmtree(base, ignore_errors=True)


def _bench(args, base: str, python2: str, versions: dict) -> int:
    corpus = build_corpus(os.path.join(base, "corpus"), python2, args.limit)
    files = corpus["files"]
    total_lines = sum(corpus["lines"].values())
    print("corpus: %d files, %d lines (%d from the 2.7 stdlib, %d from samples/); BOM file(s) left out of "
          "python-modernize's corpus: %s"
          % (len(files), total_lines, corpus["stdlib"], len(files) - corpus["stdlib"],
             ", ".join(os.path.relpath(p, base) for p in corpus["bom"]) or "none"))
    if corpus["samples_left_out"]:
        print("samples left out (2.7 does not compile them): %s"
              % ", ".join(os.path.relpath(p, base) for p in corpus["samples_left_out"]))
    print("jobs: %d; python: %s; tools: %s" % (args.jobs, sys.version.split()[0],
                                               ", ".join("%s %s" % kv for kv in sorted(versions.items()))))
    outputs = os.path.join(base, "outputs")
    os.makedirs(outputs)
    cache_dir = os.path.join(base, "cache")
    _warm_up(base)
    runs = plan_runs(files, corpus["bom"], args.jobs, python2, cache_dir, args.only)
    repeat = max(1, args.repeat)
    measured: Dict[str, list] = {label: [] for label, *_ in runs}
    for round_number in range(1, repeat + 1):
        shutil.rmtree(cache_dir, ignore_errors=True)  # every round's cold scan starts cold
        for label, tool, argv, env, tool_files in runs:
            print("running %s%s ..." % (label, " (round %d of %d)" % (round_number, repeat) if repeat > 1 else ""),
                  end="", flush=True)
            result = measure(argv, os.path.join(base, "corpus"), env, outputs, label, args.timeout)
            result.update(label=label, tool=tool, files=len(tool_files),
                          lines=sum(corpus["lines"][f] for f in tool_files))
            measured[label].append(result)
            print(" %.2fs, exit %s%s" % (result["seconds"], result["returncode"],
                                          " TIMED OUT" if result["timed_out"] else ""))
            if tool == "portkit" and result["returncode"] not in (0, 1):
                with open(result["stderr"], "rb") as handle:
                    tail = handle.read()[-1500:].decode("utf-8", "replace")
                print("  portkit reported errors (exit %s); last lines of stderr:\n%s" % (result["returncode"], tail))
    results = [_median_run(measured[label]) for label, *_ in runs]

    modernize = next((r for r in results if r["tool"] == "python-modernize"), None)
    base_seconds = modernize["seconds"] if modernize else None
    base_rss = modernize["maxrss_mb"] if modernize else None
    rows = [["command", "files", "seconds", "x modernize", "peak RSS MB (largest process)", "x modernize",
             "peak RSS MB (tree, sampled)", "CPU s", "lines/s", "target", ""]]
    missed = []
    for r in results:
        target = TARGETS.get(r["label"])
        verdict = ""
        if target is not None and base_seconds:
            ok = r["seconds"] <= target * base_seconds
            verdict = "ok" if ok else "MISSED"
            if not ok:
                missed.append(r["label"])
        if r["tool"] == "portkit" and r["maxrss_mb"] >= WORKER_MEMORY_TARGET_MB:
            verdict += " MEMORY"
            missed.append(r["label"] + " (memory)")
        rows.append([
            r["label"], str(r["files"]), ("%.2f" % r["seconds"]) + (" (timeout)" if r["timed_out"] else ""),
            _fmt_ratio(r["seconds"], base_seconds), "%.0f" % r["maxrss_mb"], _fmt_ratio(r["maxrss_mb"], base_rss),
            "%.0f" % r["tree_peak_mb"], "%.1f" % r["cpu_seconds"], "%.0f" % (r["lines"] / max(r["seconds"], 1e-9)),
            ("<= %.2fx" % target) if target else ("< %d MB" % WORKER_MEMORY_TARGET_MB if r["tool"] == "portkit" else ""),
            verdict.strip(),
        ])
    print()
    print("\n".join(_table(rows)))
    print("\npeak RSS (largest process): ru_maxrss of RUSAGE_CHILDREN, i.e. the biggest single process of the "
          "tree (parent or worker); tree: the sum over the tree, sampled every 0.2 s.")
    if repeat > 1:
        print("each row is the median of %d rounds run round-robin; the seconds of every round:" % repeat)
        for r in results:
            print("  %-27s %s" % (r["label"], " ".join("%.2f" % s for s in r["rounds"])))
    if args.json_path:
        with open(args.json_path, "w") as handle:
            json.dump({"corpus": {"files": len(files), "lines": total_lines}, "jobs": args.jobs,
                       "versions": versions, "results": results}, handle, indent=2)
    if missed:
        print("targets missed: %s" % ", ".join(missed))
    return 1 if (missed and args.check_targets) else 0


if __name__ == "__main__":
    sys.exit(main())
