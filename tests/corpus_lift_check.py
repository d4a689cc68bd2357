"""Acceptance check of the lift stage on the Python 2.7 standard library.

Not a unit test (it takes a minute).  For every ``.py`` file under the 2.7
library that python2.7 compiles:

* lift it, apply the edits; the result must ``ast.parse`` on this Python
  (3.9+) and on python3.13 (another subprocess);
* place the requested imports (a stand-in for the engine's placer) and
  compile the result with python2.7 (one batched subprocess);
* for files whose edits only come from codes that cannot change Python 2
  bytecode (``<>``, ``except ... as``, octal, tabs, literals ...), the
  marshalled Python 2 code object must be identical to the original's;
* lifting the result again must produce no edit (idempotence);
* ``may_need_lift`` must be True whenever lift reports anything, and so must
  ``needed_after_parse`` for a text that parses on Python 3.

Usage: python3 tests/corpus_lift_check.py [ROOT] [--all] [--py3 EXE] [--repeat N]
(``--all`` includes site-packages).  Prints numbers and failures; exits 1
on any failure.
"""
from __future__ import annotations

import argparse
import ast
import codecs
import json
import os
import re
import subprocess
import sys
import time
import warnings
from collections import Counter

warnings.filterwarnings("ignore", category=SyntaxWarning)
warnings.filterwarnings("ignore", category=DeprecationWarning)

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
sys.path.insert(0, HERE)

from portkit.lift import apply_edits, lift, may_need_lift, needed_after_parse  # noqa: E402
from portkit.py2tokens import tokenize  # noqa: E402
from test_lift import find_python, place_imports, py2_compile_many  # noqa: E402

DEFAULT_ROOT = "/root/.pyenv/versions/2.7.18/lib/python2.7"
# Codes whose edits leave the Python 2 code object byte-identical.
SAME_BYTECODE = {"PK104", "PK105", "PK108", "PK110", "PK112", "PK113", "PK114", "PK115"}
COOKIE = re.compile(rb"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)")


def read_source(path):
    raw = open(path, "rb").read()
    enc = "utf-8"
    for line in raw.splitlines()[:2]:
        m = COOKIE.match(line)
        if m:
            enc = m.group(1).decode()
            break
    try:
        enc = codecs.lookup(enc).name
    except LookupError:
        return None, None
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[3:]
    try:
        text = raw.decode(enc)
    except UnicodeDecodeError:
        return None, None
    return text.replace("\r\n", "\n").replace("\r", "\n"), enc


_PY3_PARSE = r'''
import ast, json, sys, warnings
warnings.simplefilter("ignore")
out = {}
for item in json.load(sys.stdin):
    try:
        ast.parse(item["src"])
    except SyntaxError as e:
        out[item["path"]] = "%s: %s (line %s)" % (type(e).__name__, e.msg, e.lineno)
json.dump(out, sys.stdout)
'''


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("root", nargs="?", default=DEFAULT_ROOT)
    ap.add_argument("--all", action="store_true", help="include site-packages")
    ap.add_argument("--py3", default=None, help="another Python 3 to ast.parse the results with (default: 3.13)")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)

    paths = []
    for d, dirs, files in os.walk(args.root):
        dirs.sort()
        if not args.all and "site-packages" in d.split(os.sep):
            continue
        for f in sorted(files):
            if f.endswith(".py"):
                paths.append(os.path.join(d, f))
    sources = {}
    for p in paths:
        text, enc = read_source(p)
        if text is not None:
            sources[p] = (text, enc)
    orig = py2_compile_many([{"path": p, "src": t, "encoding": e} for p, (t, e) in sources.items()])
    files = [p for p in sources if orig[p]["ok"]]
    skipped = sorted(set(paths) - set(files))
    print("files: %d .py, %d compile on python2.7 (skipped %d)" % (len(paths), len(files), len(skipped)))

    failures = []
    report_only = []
    expected = []  # still fails to parse, because of report-only findings
    nlines = 0
    lifted = 0
    code_counts = Counter()
    outputs = {}
    placed = {}
    fixed_codes = {}
    for p in files:
        text, enc = sources[p]
        n = text.count("\n") + 1
        nlines += n
        may = may_need_lift(text)
        res = lift(text, encoding=enc)
        for code, f in res.findings:
            code_counts[code] += 1
        if res.findings and not may:
            failures.append((p, "may_need_lift is False but lift found %s" % sorted({c for c, _ in res.findings})))
        if res.findings and may:
            try:
                tree = ast.parse(text)
            except (SyntaxError, ValueError):
                tree = None
            if tree is not None and not needed_after_parse(text, tree):
                failures.append((p, "needed_after_parse is False but lift found %s" % sorted(
                    {c for c, _ in res.findings})))
        if getattr(res, "conflicts", 0):
            failures.append((p, "%d overlapping edits" % res.conflicts))
        for code, f in res.findings:
            if not f.fixable:
                report_only.append((p, "%s at %d:%d: %s" % (code, f.line, f.col, f.message)))
        out = apply_edits(text, res.edits)
        if res.edits:
            lifted += 1
        outputs[p] = out
        fixed_codes[p] = {c for c, f in res.findings if f.fixable}
        # ``except E, (a, b):`` becomes ``except E as a_b:`` plus ``(a, b) = a_b.args``:
        # the same behaviour, but a new local and other bytecode
        if any(".args" in e.replacement for e in res.edits):
            fixed_codes[p].add("PK105 (tuple target)")
        try:
            ast.parse(out)
        except SyntaxError as e:
            (expected if any(not f.fixable for c, f in res.findings) else failures).append((p, "python%d.%d ast.parse: %s: %s (line %s)" % (sys.version_info[:2] + (type(e).__name__, e.msg, e.lineno))))
            continue
        full = place_imports(out, res.imports)
        placed[p] = full
        again = lift(full, encoding=enc)
        if again.edits:
            e = again.edits[0]
            failures.append((p, "not idempotent: %d edits, first %r -> %r at %d" % (len(again.edits), full[e.start:e.end], e.replacement, e.start)))

    # python2.7 compile of the lifted files (imports placed), bytecode comparison
    changed = [p for p in placed if placed[p] != sources[p][0]]
    res2 = py2_compile_many([{"path": p, "src": placed[p], "encoding": sources[p][1]} for p in changed])
    same_checked = 0
    for p in changed:
        r = res2[p]
        if not r["ok"]:
            failures.append((p, "python2.7 compile of lifted output: " + r["error"]))
        elif fixed_codes[p] and fixed_codes[p] <= SAME_BYTECODE:
            same_checked += 1
            if r["hash"] != orig[p]["hash"]:
                failures.append((p, "python2.7 bytecode changed (codes %s)" % sorted(fixed_codes[p])))
    # python3.13 parse
    py3_fail = {}
    args.py3 = args.py3 or find_python("3.13") or "python3.13"
    try:
        proc = subprocess.run(
            [args.py3, "-c", _PY3_PARSE],
            input=json.dumps([{"path": p, "src": outputs[p]} for p in files]).encode(),
            stdout=subprocess.PIPE,
            check=True,
        )
        py3_fail = json.loads(proc.stdout)
    except (OSError, subprocess.CalledProcessError) as e:
        print("could not run %s: %s" % (args.py3, e))
    unfixable = {p for p, _ in report_only}
    for p, err in sorted(py3_fail.items()):
        (expected if p in unfixable else failures).append((p, "%s ast.parse: %s" % (args.py3, err)))

    # speed: best of --repeat runs of each function over all files
    texts = [sources[p][0] for p in files]
    negative = [t for t in texts if not may_need_lift(t)]
    neg_lines = sum(t.count("\n") + 1 for t in negative)

    def best(fn, items):
        times = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            for t in items:
                fn(t)
            times.append(time.perf_counter() - t0)
        return min(times)

    t_lift = best(lift, texts)
    t_tok = best(tokenize, texts)
    t_may = best(may_need_lift, texts)
    t_neg = best(may_need_lift, negative)

    print("lines: %d; files lifted (edited): %d; bytecode-identity checked: %d" % (nlines, lifted, same_checked))
    print("findings by code: %s" % ", ".join("%s=%d" % kv for kv in sorted(code_counts.items())))
    print(
        "speed (best of %d): lift %.0f lines/s (%.2fs for all files); tokenizer alone %.0f lines/s; "
        "may_need_lift %.0f lines/s; may_need_lift is False for %d files (%d lines), at %.0f lines/s"
        % (args.repeat, nlines / t_lift, t_lift, nlines / t_tok, nlines / t_may, len(negative), neg_lines, neg_lines / max(t_neg, 1e-9))
    )
    print("still not Python 3 because of report-only findings: %d files" % len({p for p, _ in expected}))
    for p, why in expected + report_only:
        print("  %s: %s" % (os.path.relpath(p, args.root), why))
    print("failures: %d" % len(failures))
    for p, why in failures:
        print("  %s: %s" % (os.path.relpath(p, args.root), why))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
