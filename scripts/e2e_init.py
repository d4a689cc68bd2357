"""End to end: a Python 2 project from ``portkit init`` to a suite green on 2.7 and 3.

Usage:  python scripts/e2e_init.py [--keep] [--envs py27,py311] [--tox CMD] [NAME_OR_PATH ...]

For each sample of ``samples/`` (by name; default: all of them) or each
project folder given by path, on a fresh copy in a temporary folder:

1. ``portkit init --pyenv`` writes tox.ini, the collector and .python-version;
2. ``tox -e py27`` runs the unported suite on 2.7 ``-3`` in the collector,
   and must pass;
3. ``.portkit/runtime.json`` must hold Python 3 warnings of the project's
   own code and kind evidence;
4. ``portkit scan --format json`` must show findings confirmed at runtime
   (runtime-only PK901 findings are counted and shown: a sample may have
   none);
5. ``portkit fix``;
6. ``tox -e py27,py311`` (``--envs``) must pass on the ported code.

Prints each step with its time and a closing table, and exits 1 when a step
failed on any project.  Takes a minute or two per project (tox creates its
environments), so it is not part of portkit's pytest run.  Needs tox
(``python -m pip install tox``) and pyenv's 2.7 and 3.x; ``--tox`` gives
another tox command (default: this Python's ``-m tox``).
"""
from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
SAMPLES = os.path.join(REPO, "samples")


def sample_names():
    return sorted(n for n in os.listdir(SAMPLES) if os.path.isdir(os.path.join(SAMPLES, n, "tests")))


class Step:
    """Runs the commands of one project and keeps what happened."""

    def __init__(self, project, log):
        self.project = project
        self.log = log
        self.rows = []

    def run(self, label, command, ok_codes=(0,)):
        started = time.monotonic()
        env = dict(os.environ, PYTHONPATH=REPO, PORTKIT_NO_CACHE="1")
        env.pop("PYENV_VERSION", None)  # the project's .python-version decides
        out = subprocess.run(command, cwd=self.project, env=env, capture_output=True, text=True)
        seconds = time.monotonic() - started
        with open(self.log, "a") as handle:
            handle.write("=== %s: %s (exit %d, %.1fs)\n%s\n%s\n" % (label, " ".join(command), out.returncode,
                                                                    seconds, out.stdout, out.stderr))
        ok = out.returncode in ok_codes
        self.rows.append((label, ok, "exit %d, %.1fs" % (out.returncode, seconds)))
        print("  %-28s %s (exit %d, %.1fs)" % (label, "ok" if ok else "FAILED", out.returncode, seconds), flush=True)
        return ok, out

    def check(self, label, ok, detail):
        self.rows.append((label, ok, detail))
        print("  %-28s %s: %s" % (label, "ok" if ok else "FAILED", detail), flush=True)
        return ok


def run_project(source, work, tox, envs):
    """The whole sequence on a fresh copy of ``source``; returns the Step."""
    name = os.path.basename(source.rstrip(os.sep))
    project = os.path.join(work, name)
    shutil.copytree(source, project, ignore=shutil.ignore_patterns("*.pyc", "__pycache__", ".tox", ".portkit",
                                                                   "tox.ini", ".python-version"))
    step = Step(project, os.path.join(work, name + ".log"))
    portkit = [sys.executable, "-m", "portkit"]
    print("%s (%s)" % (name, project), flush=True)
    if not step.run("portkit init --pyenv", portkit + ["init", "--pyenv", "."])[0]:
        return step
    if not step.run("tox -e py27 (unported)", tox + ["-e", "py27"])[0]:
        return step
    with open(os.path.join(project, ".portkit", "runtime.json")) as handle:
        document = json.load(handle)
    own = [w for w in document["warnings"] if w["scope"] == "project"]
    functions = sum(len(v) for v in document["evidence"].values())
    step.check("runtime.json", bool(own) and functions > 0,
               "%d project warnings (%d raised), %d elsewhere, kinds of %d functions"
               % (len(own), sum(w["count"] for w in own), len(document["warnings"]) - len(own), functions))
    ok, out = step.run("portkit scan", portkit + ["scan", "--format", "json", "."], ok_codes=(0, 1))
    if ok:
        findings = json.loads(out.stdout)["findings"]
        confirmed = [f for f in findings if f.get("confirmed")]
        runtime_only = [f for f in findings if f.get("origin") == "runtime"]
        step.check("confirmed / runtime-only", bool(confirmed),
                   "%d findings, %d confirmed at runtime, %d runtime-only (PK901)"
                   % (len(findings), len(confirmed), len(runtime_only)))
        for f in runtime_only[:5]:
            print("      %s:%d: %s %s" % (f["path"], f["line"], f["code"], f["message"]))
    step.run("portkit fix", portkit + ["fix", "."], ok_codes=(0, 1))
    step.run("tox -e %s (ported)" % ",".join(envs), tox + ["-e", ",".join(envs)])
    return step


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("projects", nargs="*", help="sample names or project folders (default: every sample)")
    parser.add_argument("--envs", default="py27,py311", help="tox envs to run after the port")
    parser.add_argument("--tox", default=None, help="the tox command (default: this Python's -m tox)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args(argv)
    tox = shlex.split(args.tox) if args.tox else [sys.executable, "-m", "tox"]
    work = tempfile.mkdtemp(prefix="portkit-e2e-")
    steps = []
    try:
        for item in args.projects or sample_names():
            source = item if os.path.isdir(item) else os.path.join(SAMPLES, item)
            steps.append(run_project(os.path.abspath(source), work, tox, args.envs.split(",")))
    finally:
        if args.keep:
            print("kept %s (logs: *.log)" % work)
        else:
            shutil.rmtree(work, ignore_errors=True)
    print()
    failed = 0
    for step in steps:
        bad = [label for label, ok, _ in step.rows if not ok]
        failed += bool(bad) or len(step.rows) < 7
        print("%-14s %s" % (os.path.basename(step.project),
                            "all %d steps ok" % len(step.rows) if not bad and len(step.rows) >= 7
                            else "FAILED: %s" % (", ".join(bad) or "stopped early")))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
