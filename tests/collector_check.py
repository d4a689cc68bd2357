"""Check portkit's runtime collector end to end, on the Python that runs this.

Usage:  python2.7 -3 tests/collector_check.py     (tox env collector-py27)
        python3 tests/collector_check.py          (tests/test_runtime.py)

Builds a tiny project in a temporary folder (a module with Python 3
warnings and functions called with bytes, text and None; a "suite" that
calls it, once inside ``catch_warnings(record=True)`` as pytest does, and
passes bytes to base64), runs
it twice under ``python [-3] -m portkit_collector run``, and checks
``.portkit/runtime.json``: the warnings with their lines and counts (only on
2.7 -3), the kind evidence, the kinds reaching base64 at the call site, the sum over the two runs, that the suite's exit
status comes through and that the warnings were not raised.  Written to run
unchanged on Python 2.7 and 3; prints ``N passed, 0 failed`` and exits 0, or
raises.
"""
from __future__ import print_function

import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
COLLECTOR = os.path.join(os.path.dirname(HERE), "portkit", "collector")
PY2_WARNINGS = sys.version_info[0] == 2 and getattr(sys, "py3kwarning", False)

MODULE = '''\
def has(d, key):
    return d.has_key(key)


def label(data, prefix=None):
    if prefix is None:
        return u"none"
    return prefix + data


def ordered(items):
    return sorted(items)


def gen(n):
    for i in range(n):
        yield i


def boom(value):
    raise ValueError(value)


class Box(object):
    def __init__(self, value):
        self.value = value


def encode(data):
    import base64
    return base64.b64encode(data)
'''

SUITE = '''\
import sys
import warnings
import mod

PY2 = sys.version_info[0] == 2
for _ in range(3):
    assert not PY2 or mod.has({"a": 1}, "a")
mod.label(b"x", b"p")
mod.label(u"y", u"q")
mod.label(b"z")
if PY2:
    mod.ordered([1, "a", None])
list(mod.gen(2))
mod.Box(5)
mod.encode(b"ab")
mod.encode(b"cd")
try:
    mod.boom(b"bad")
except ValueError:
    pass
with warnings.catch_warnings(record=True) as log:
    warnings.simplefilter("always")
    if PY2:
        mod.has({}, "b")
if PY2 and sys.py3kwarning:
    assert [str(w.message) for w in log if "has_key" in str(w.message)], "the framework lost its warning"
if sys.argv[1] == "crash":
    raise RuntimeError("the suite crashed")
sys.exit(int(sys.argv[1]))
'''


def run(root, status):
    env = dict(os.environ, PYTHONPATH=COLLECTOR, PYTHONDONTWRITEBYTECODE="1")
    command = [sys.executable] + (["-3"] if PY2_WARNINGS else []) + [
        "-m", "portkit_collector", "run", "--root", root, "--", os.path.join(root, "suite.py"), str(status)]
    process = subprocess.Popen(command, cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = process.communicate()
    return process.returncode, err.decode("utf-8", "replace")


def main():
    checks = []

    def check(condition, what):
        checks.append(what)
        if not condition:
            raise AssertionError(what)

    root = tempfile.mkdtemp(prefix="portkit-collector-")
    try:
        with open(os.path.join(root, "mod.py"), "w") as handle:
            handle.write(MODULE)
        with open(os.path.join(root, "suite.py"), "w") as handle:
            handle.write(SUITE)
        status, err = run(root, 0)
        check(status == 0, "a passing suite exits 0 (%r)" % err[-500:])
        check("has_key" not in err and "unequal" not in err, "warnings are collected, not printed: %r" % err[-500:])
        status, err = run(root, 3)
        check(status == 3, "the suite's exit status comes through (%s)" % status)
        with open(os.path.join(root, ".portkit", "runtime.json")) as handle:
            document = json.load(handle)
        check(document["format"] == 1 and len(document["runs"]) == 2, "two runs recorded")
        status, err = run(root, "crash")
        check(status == 1 and "the suite crashed" in err, "a crash exits 1 with its traceback")
        with open(os.path.join(root, ".portkit", "runtime.json")) as handle:
            check(len(json.load(handle)["runs"]) == 3, "a crashed run is still recorded")
        check(set(document["files"]) >= set(["mod.py"]), "file hashes recorded")
        own = [w for w in document["warnings"] if w["scope"] == "project"]
        if PY2_WARNINGS:
            has_key = [w for w in own if w["path"] == "mod.py" and "has_key" in w["message"]]
            check(len(has_key) == 1 and has_key[0]["line"] == 2, "has_key warning at mod.py:2: %r" % own)
            check(has_key[0]["count"] == 8, "counted on every call, over both runs (4 + 4): %r" % has_key)
            unequal = [w for w in own if "unequal types" in w["message"]]
            check(unequal and unequal[0]["path"] == "mod.py" and unequal[0]["line"] == 12,
                  "comparing unequal types at mod.py:12: %r" % own)
        else:
            check(not own, "no Python 3 warnings without -3: %r" % own)
        functions = document["evidence"]["mod.py"]
        label = functions["label:5"]
        check(label["calls"] == 6, "label called 3 times per run: %r" % label)
        check(label["params"]["data"] == {"str": 4, "unicode": 2}, "data kinds: %r" % label)
        check(label["params"]["prefix"] == {"str": 2, "unicode": 2, "None": 2}, "prefix kinds: %r" % label)
        check(label["return"] == {"str": 2, "unicode": 4}, "return kinds: %r" % label)
        check("self" not in functions["__init__:25"]["params"], "self is not recorded")
        check(functions["boom:20"]["return"] == {}, "an exception is no return value: %r" % functions["boom:20"])
        check(functions["gen:15"]["return"] == {}, "a generator's yields are not returns")
        check(not [k for k in functions if k.startswith("Box:")], "class bodies are not functions")
        boundary = document["boundaries"]["mod.py"]["31 base64.b64encode"]
        check(boundary["calls"] == 4 and boundary["params"]["s"] == {"str": 4},
              "base64.b64encode's argument at mod.py:31: %r" % document["boundaries"])
        check("suite.py" not in document["evidence"] or
              not document["evidence"]["suite.py"].get("<module>:1"), "module bodies are not functions")
    finally:
        shutil.rmtree(root)
    print("%d passed, 0 failed" % len(checks))
    return 0


if __name__ == "__main__":
    sys.exit(main())
