"""How much the runtime collector slows a Python 2.7 test suite down.

Usage:  python3 benchmarks/runtime_overhead.py [--repeat 5] [--python2 PATH] [--no-stdlib]

Runs, on ``python2.7 -3`` with no .pyc files written:

* each sample's unittest suite (``samples/NAME``, unported), and
* a few of the 2.7 standard library's own test modules (``test.regrtest``;
  with ``--root`` at the standard library, so that every stdlib function
  is "the project's" and is profiled: the corpus portkit is measured on),

three ways: plain, in the collector with warnings only (``--no-kinds``),
and in the collector with kind evidence (the default the generated py27 env
uses).  Prints the median CPU time (user + system) of ``--repeat`` runs of
each and the slowdown against plain, as a Markdown table for benchmarks/README.md.  The
collector's output goes to a temporary file (never the project's).
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
COLLECTOR = os.path.join(REPO, "portkit", "collector")
# Suites of pure-Python modules (many calls of profiled functions: the
# collector's worst case), not ones dominated by C code or I/O.
STDLIB_TESTS = ["test_difflib", "test_textwrap", "test_pprint", "test_json", "test_shlex"]


def _time(command, cwd, env, repeat):
    """Median CPU seconds (user + system) of the child over ``repeat`` runs:
    on a shared machine CPU time varies far less than wall time."""
    times = []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        out = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        times.append((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
        if out.returncode != 0:
            raise SystemExit("failed (%d): %s\n%s" % (out.returncode, " ".join(command), out.stderr[-2000:]))
    return statistics.median(times)


def measure(python2, cwd, root, suite, repeat):
    """(plain, warnings only, with kinds) median seconds for ``suite`` (what follows python)."""
    env = dict(os.environ, PYTHONPATH=COLLECTOR, PYTHONDONTWRITEBYTECODE="1")
    output = tempfile.mktemp(suffix=".json")
    wrap = [python2, "-3", "-m", "portkit_collector", "run", "--root", root, "--output", output]
    try:
        plain = _time([python2, "-3"] + suite, cwd, env, repeat)
        warn_only = _time(wrap + ["--no-kinds", "--"] + suite, cwd, env, repeat)
        kinds = _time(wrap + ["--"] + suite, cwd, env, repeat)
    finally:
        for path in (output, output + ".lock"):
            if os.path.exists(path):
                os.remove(path)
    return plain, warn_only, kinds


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--python2", default=shutil.which("python2.7") or "python2.7")
    parser.add_argument("--no-stdlib", action="store_true", help="only the samples")
    args = parser.parse_args(argv)
    rows = []
    samples = os.path.join(REPO, "samples")
    for name in sorted(os.listdir(samples)):
        folder = os.path.join(samples, name)
        if not os.path.isdir(os.path.join(folder, "tests")):
            continue
        rows.append(("sample %s" % name,) + measure(args.python2, folder, folder,
                                                    ["-m", "unittest", "discover", "-s", "tests", "-t", "."],
                                                    args.repeat))
    if not args.no_stdlib:
        lib = subprocess.run([args.python2, "-c", "import os; print(os.path.dirname(os.__file__))"],
                             capture_output=True, text=True).stdout.strip()
        rows.append(("2.7 stdlib: %d test modules" % len(STDLIB_TESTS),)
                    + measure(args.python2, tempfile.gettempdir(), lib,
                              ["-m", "test.regrtest", "-q"] + STDLIB_TESTS, args.repeat))
    print("| suite (CPU seconds) | plain 2.7 -3 | collector, warnings only | collector, warnings + kinds |")
    print("|---|---|---|---|")
    for name, plain, warn_only, kinds in rows:
        print("| %s | %.2f s | %.2f s (%.2fx) | %.2f s (%.2fx) |"
              % (name, plain, warn_only, warn_only / plain, kinds, kinds / plain))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
