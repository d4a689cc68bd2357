#!/usr/bin/env python3
"""Run ``portkit fix`` over the Python 2.7 standard library and check the result.

Reproducible acceptance check for portkit's fixers (issue 3):

1. copy every ``.py`` file of the standard library of this machine's
   ``python2.7`` (its ``site-packages`` left out) to a temporary folder;
2. keep the files that Python 2.7 compiles (checked in one ``python2.7``
   subprocess) - that is the corpus;
3. run the real command line, ``python -m portkit fix -j 0 --no-cache CORPUS``,
   with a time limit;
4. compile every output file under Python 2.7 and under each Python 3 given
   (one subprocess per interpreter);
5. run ``portkit fix`` a second time and list the files it changes again.

It prints a summary table and, below it, every problem: ``path: error:
reason`` for the files portkit refused, ``path:line: message`` (with the
offending output line) for outputs that do not compile, and a short diff for
the files a second run changes.  Problems are grouped by cause so that each
group can be turned into one minimal reproducer.

Exit status: 0 when there was no crash, no time-out, no file with an error, no
output that fails to compile, and no change on the second run; 1 otherwise;
2 when the check itself could not run (no ``python2.7``, say).

Usage::

    python3 scripts/check_corpus.py                 # the whole standard library
    python3 scripts/check_corpus.py --limit 200     # a quick subset
    python3 scripts/check_corpus.py --keep --json report.json

``benchmarks/run.py`` reuses :func:`prepare_corpus` from here.
"""
from __future__ import annotations

import argparse
import difflib
import json
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import OrderedDict, defaultdict
from typing import Dict, List, Optional, Sequence, Tuple

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Reference numbers on this corpus (issue 3): files not compiling on 2.7 /
# on 3.11 / changed by a second run.
REFERENCE = {
    "python-modernize": {"py2": 6, "py3": 20, "again": 14},
    "futurize": {"py2": 8, "py3": 24, "again": 124},
}

# Runs under Python 2.7 and 3.x alike: compile every file named on stdin,
# print {path: "message (line N)"} for those that do not compile, and
# {"__warnings__": {path: count}} for SyntaxWarnings (3.12+: invalid escapes).
_COMPILE_SCRIPT = r"""
import json, sys, warnings
paths = json.loads(sys.stdin.read())
errors = {}
warned = {}
for path in paths:
    try:
        with open(path, 'rb') as handle:
            data = handle.read()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter('always')
            compile(data, path, 'exec', 0, True)
        if caught:
            warned[path] = len(caught)
    except SyntaxError as exc:
        errors[path] = [exc.lineno or 0, '%s: %s' % (type(exc).__name__, exc.msg)]
    except Exception as exc:  # TypeError/ValueError (NUL bytes), RecursionError, MemoryError
        errors[path] = [0, '%s: %s' % (type(exc).__name__, exc)]
sys.stdout.write(json.dumps({'errors': errors, 'warnings': warned}))
"""


# -- the corpus ---------------------------------------------------------------
def resolve_python(name: str) -> Optional[str]:
    """The real executable behind ``name`` (pyenv shims only work inside the repo), or None."""
    if shutil.which(name) is None and not os.path.exists(name):
        return None
    try:
        env = {k: v for k, v in os.environ.items() if k not in ("PYENV_VERSION", "PYENV_DIR")}
        out = subprocess.run([name, "-c", "import sys; print(sys.executable)"], cwd=REPO, env=env,
                             capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() if out.returncode == 0 and out.stdout.strip() else None


def python2_stdlib(python2: str = "python2.7") -> str:
    out = subprocess.run(
        [python2, "-c", "import os; print(os.path.dirname(os.__file__))"],
        capture_output=True, text=True, check=True,
    )
    return out.stdout.strip()


def _copy_py_files(src: str, dest: str) -> List[str]:
    """Copy every .py file under ``src`` (site-packages left out) to ``dest``."""
    copied = []
    for root, dirs, files in os.walk(src):
        rel_root = os.path.relpath(root, src)
        dirs[:] = sorted(d for d in dirs if not (rel_root == "." and d == "site-packages"))
        for name in sorted(files):
            if not name.endswith(".py"):
                continue
            rel = os.path.normpath(os.path.join(rel_root, name))
            target = os.path.join(dest, rel)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            shutil.copyfile(os.path.join(root, name), target)
            copied.append(target)
    return copied


def compile_errors(python: str, paths: Sequence[str]) -> Tuple[Dict[str, Tuple[int, str]], Dict[str, int]]:
    """({path: (line, message)}, {path: SyntaxWarning count}) under ``python``: one subprocess."""
    proc = subprocess.run(
        [python, "-c", _COMPILE_SCRIPT], input=json.dumps(list(paths)),
        capture_output=True, text=True,
    )
    if proc.returncode != 0:
        raise RuntimeError("%s failed to run the compile check:\n%s" % (python, proc.stderr[-2000:]))
    data = json.loads(proc.stdout)
    return {p: (v[0], v[1]) for p, v in data["errors"].items()}, data["warnings"]


def prepare_corpus(dest: str, python2: str = "python2.7", limit: int = 0,
                   source: Optional[str] = None) -> Tuple[List[str], List[str]]:
    """Copy the 2.7 stdlib's .py files (or those under ``source``) to ``dest``;
    delete those 2.7 does not compile.

    Returns (kept paths, dropped paths), both sorted.  ``limit`` keeps only
    every n-th file so that about ``limit`` files remain (0: all).
    """
    python2 = resolve_python(python2) or python2
    copied = _copy_py_files(source or python2_stdlib(python2), dest)
    errors, _ = compile_errors(python2, copied)
    kept, dropped = [], []
    for path in copied:
        (dropped if path in errors else kept).append(path)
    if limit and len(kept) > limit:
        step = len(kept) / float(limit)
        chosen = {kept[int(i * step)] for i in range(limit)}
        dropped.extend(p for p in kept if p not in chosen)
        kept = [p for p in kept if p in chosen]
    for path in dropped:
        os.unlink(path)
    return sorted(kept), sorted(dropped)


def snapshot(paths: Sequence[str]) -> Dict[str, bytes]:
    out = {}
    for path in paths:
        with open(path, "rb") as handle:
            out[path] = handle.read()
    return out


# -- running portkit ----------------------------------------------------------
class Run:
    def __init__(self, argv, returncode, stdout, stderr, seconds, timed_out):
        self.argv = argv
        self.returncode = returncode
        self.stdout = stdout
        self.stderr = stderr
        self.seconds = seconds
        self.timed_out = timed_out

    @property
    def crashed(self) -> bool:
        if self.timed_out:
            return False
        return self.returncode not in (0, 1, 2) or "Traceback (most recent call last)" in self.stderr

    def errors(self) -> Dict[str, str]:
        """{path: reason} from the ``path: error: reason`` lines."""
        found = OrderedDict()
        for line in self.stderr.splitlines():
            match = re.match(r"^(.*?\.py): error: (.*)$", line)
            if match:
                found[match.group(1)] = match.group(2)
        return found


TIMEOUT_MESSAGE = "analysis took longer than"  # portkit.concurrency.TIMEOUT_MESSAGE

# Where the portkit that is checked is imported from: the repository, or a
# snapshot of its code (snapshot_code) so that both runs of one check use the
# same code even while the working tree changes.
CODE = REPO


def snapshot_code(dest: str) -> str:
    """Copy the ``portkit`` and ``fixers`` packages (their .py files) to ``dest``; returns ``dest``."""
    for package in ("portkit", "fixers"):
        src = os.path.join(REPO, package)
        for root, dirs, files in os.walk(src):
            dirs[:] = [d for d in dirs if d != "__pycache__"]
            target = os.path.join(dest, package, os.path.relpath(root, src))
            os.makedirs(target, exist_ok=True)
            for name in files:
                if name.endswith(".py"):
                    shutil.copy2(os.path.join(root, name), os.path.join(target, name))
    return dest


def code_version() -> str:
    """``git describe``-like text for the checked code: HEAD and whether the tree differs."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True,
                              text=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "portkit", "fixers"], cwd=REPO,
                               capture_output=True, text=True).stdout.strip()
    except OSError:
        return "unknown"
    return (head or "unknown") + (" + uncommitted changes" if dirty else "")


def portkit_env(file_timeout: Optional[float] = None) -> dict:
    env = dict(os.environ)
    if file_timeout is not None:
        env["PORTKIT_FILE_TIMEOUT"] = str(file_timeout)
    env["PYTHONPATH"] = CODE + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.pop("PORTKIT_CACHE_DIR", None)
    env["NO_COLOR"] = "1"
    return env


def run_portkit(args: Sequence[str], timeout: float, python: str = sys.executable,
                file_timeout: Optional[float] = None) -> Run:
    argv = [python, "-m", "portkit"] + list(args)
    started = time.monotonic()
    proc = subprocess.Popen(
        argv, cwd=CODE, env=portkit_env(file_timeout), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL, start_new_session=True,
    )
    timed_out = False
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
    return Run(argv, proc.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"),
               time.monotonic() - started, timed_out)


_HANG_WORKER = r"""
import sys
from portkit.process import process_file
from portkit.registry import all_codes
from portkit.settings import Settings
settings = Settings(codes=frozenset(all_codes()), fix=True, write=False, diff=False)
for line in sys.stdin:
    path = line.rstrip('\n')
    sys.stdout.write('START %s\n' % path)
    sys.stdout.flush()
    process_file(path, settings)
    sys.stdout.write('DONE %s\n' % path)
    sys.stdout.flush()
"""


def find_hangs(paths: Sequence[str], per_file: float) -> List[str]:
    """Files whose analysis takes longer than ``per_file`` seconds (one worker, restarted after each)."""
    hangs = []
    remaining = list(paths)
    while remaining:
        proc = subprocess.Popen(
            [sys.executable, "-c", _HANG_WORKER], cwd=CODE, env=portkit_env(), text=True,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, start_new_session=True,
        )
        lines: "queue.Queue[Optional[str]]" = queue.Queue()

        def pump(stream=proc.stdout):
            for out_line in stream:
                lines.put(out_line.rstrip("\n"))
            lines.put(None)

        threading.Thread(target=pump, daemon=True).start()

        def feed(items=list(remaining), stdin=proc.stdin):
            try:
                for item in items:
                    stdin.write(item + "\n")
                stdin.close()
            except (BrokenPipeError, OSError):
                pass

        threading.Thread(target=feed, daemon=True).start()
        current = None
        done = set()
        while True:
            try:
                line = lines.get(timeout=per_file if current else 60)
            except queue.Empty:
                if current is not None:
                    hangs.append(current)
                    done.add(current)
                break
            if line is None:
                break
            kind, _, path = line.partition(" ")
            if kind == "START":
                current = path
            else:
                done.add(path)
                current = None
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()
        if current is not None and current not in done:  # died on this file (a crash, not a hang)
            done.add(current)
        remaining = [p for p in remaining if p not in done]
        if not done:
            break
    return hangs


# -- reporting ----------------------------------------------------------------
def _cause(text: str) -> str:
    """A problem message with its specifics (line numbers, names) blurred, for grouping."""
    text = re.sub(r"\bline \d+", "line N", text)
    text = re.sub(r"\(at .*?:\d+\)", "(at ...)", text)
    text = re.sub(r"'[^']*'", "'...'", text)
    text = re.sub(r"\d+", "N", text)
    return text


def _line_of(data: bytes, line: int) -> str:
    lines = data.decode("utf-8", "replace").splitlines()
    if 1 <= line <= len(lines):
        return lines[line - 1].strip()
    return ""


def _short_diff(before: bytes, after: bytes, rel: str, max_lines: int) -> List[str]:
    diff = list(difflib.unified_diff(
        before.decode("utf-8", "replace").splitlines(), after.decode("utf-8", "replace").splitlines(),
        "a/" + rel, "b/" + rel, n=1, lineterm="",
    ))
    if len(diff) > max_lines:
        diff = diff[:max_lines] + ["... (%d more diff lines)" % (len(diff) - max_lines)]
    return diff


def _table(rows: Sequence[Sequence[str]]) -> List[str]:
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(rows[0]))]
    out = []
    for number, row in enumerate(rows):
        cells = [str(c).ljust(widths[i]) if i == 0 else str(c).rjust(widths[i]) for i, c in enumerate(row)]
        out.append("| " + " | ".join(cells) + " |")
        if number == 0:
            out.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return out


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--python2", default="python2.7", help="the Python 2.7 whose standard library is the corpus")
    parser.add_argument("--python3", action="append", default=None,
                        help="a Python 3 to compile the outputs with (repeatable; default: python3.9 "
                             "python3.11 python3.13, those that exist)")
    parser.add_argument("-j", "--jobs", type=int, default=0, help="portkit --jobs (default 0: all cores)")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds allowed for one portkit run")
    parser.add_argument("--per-file-timeout", type=float, default=60,
                        help="CPU seconds portkit may spend on one file (PORTKIT_FILE_TIMEOUT); a file over it "
                             "counts as a time-out.  Also the limit per file when a whole run timed out and "
                             "the culprit is looked for")
    parser.add_argument("--limit", type=int, default=0, help="check about this many files only (0: all)")
    parser.add_argument("--source", default=None,
                        help="check the .py files under this folder instead of the standard library (e.g. "
                             "python2.7's site-packages: code that already runs on 2 and 3 must stay working)")
    parser.add_argument("--workdir", default=None, help="folder to work in (default: a new temporary folder)")
    parser.add_argument("--keep", action="store_true", help="keep the working folder")
    parser.add_argument("--diff-lines", type=int, default=12, help="diff lines shown per file changed again")
    parser.add_argument("--live-code", action="store_true",
                        help="import portkit from the working tree for every run (default: from a snapshot "
                             "taken at the start, so that both runs use the same code)")
    parser.add_argument("--json", dest="json_path", default=None, help="also write the full report as JSON here")
    args = parser.parse_args(argv)

    python2 = resolve_python(args.python2)
    if python2 is None:
        print("check_corpus: %s not found" % args.python2, file=sys.stderr)
        return 2
    pythons3 = []
    for name in args.python3 or ("python3.9", "python3.11", "python3.13"):
        real = resolve_python(name)
        if real is not None:
            pythons3.append((name, real))
        elif args.python3:
            print("check_corpus: %s not found" % name, file=sys.stderr)
            return 2
    if not pythons3:
        print("check_corpus: no Python 3 interpreter to compile with", file=sys.stderr)
        return 2

    base = args.workdir or tempfile.mkdtemp(prefix="portkit-corpus-")
    corpus = os.path.join(base, "stdlib")
    if os.path.exists(corpus):
        shutil.rmtree(corpus)
    os.makedirs(corpus)
    global CODE
    print("portkit code: %s%s" % (code_version(), "" if args.live_code else " (snapshot)"))
    if not args.live_code:
        code = os.path.join(base, "code")
        if os.path.exists(code):
            shutil.rmtree(code)
        CODE = snapshot_code(code)
    try:
        return _check(args, corpus, [(args.python2, python2)] + pythons3)
    finally:
        if args.keep or args.workdir:
            print("\nworking folder kept: %s" % corpus)
        else:
            shutil.rmtree(base, ignore_errors=True)


def _check(args, corpus: str, interpreters: List[Tuple[str, str]]) -> int:
    """``interpreters``: (name, executable) pairs, Python 2.7 first."""
    py2_name, python2 = interpreters[0]
    def rel(path: str) -> str:
        return os.path.relpath(os.path.join(corpus, path) if not os.path.isabs(path) else path, corpus)

    print("preparing the corpus: %s" % (
        args.source if args.source else "Python 2.7 standard library of %s" % args.python2))
    files, dropped = prepare_corpus(corpus, python2, args.limit, args.source)
    nlines = 0
    originals = snapshot(files)
    for data in originals.values():
        nlines += data.count(b"\n")
    print("  %d files (%d lines) that 2.7 compiles; %d left out%s"
          % (len(files), nlines, len(dropped), " (--limit)" if args.limit else " (2.7 does not compile them)"))

    fix_args = ["fix", "-j", str(args.jobs), "--no-cache", corpus]
    print("running: portkit %s" % " ".join(fix_args))
    first = run_portkit(fix_args, args.timeout, file_timeout=args.per_file_timeout)
    print("  exit %s after %.1fs%s" % (first.returncode, first.seconds, " (TIMED OUT)" if first.timed_out else ""))
    hangs: List[str] = []
    if first.timed_out:
        print("  looking for the files that hang (%.0fs each)..." % args.per_file_timeout)
        hangs = find_hangs(files, args.per_file_timeout)
    errors1 = first.errors()
    # Files portkit gave up on (PORTKIT_FILE_TIMEOUT) are time-outs, not errors.
    hangs += [p for p, reason in errors1.items() if TIMEOUT_MESSAGE in reason]
    errors1 = OrderedDict((p, r) for p, r in errors1.items() if TIMEOUT_MESSAGE not in r)
    outputs = snapshot(files)
    changed1 = [p for p in files if outputs[p] != originals[p]]
    summary = re.search(r"(\d+) files? (?:changed|would change), (\d+) unchanged", first.stderr)
    processed = int(summary.group(1)) + int(summary.group(2)) if summary else None

    print("compiling the outputs with %s" % ", ".join(name for name, _ in interpreters))
    not_compiling: "OrderedDict[str, Dict[str, Tuple[int, str]]]" = OrderedDict()
    warnings_count: Dict[str, int] = {}
    for name, python in interpreters:
        errs, warned = compile_errors(python, files)
        not_compiling[name] = errs
        warnings_count[name] = len(warned)

    print("running portkit fix a second time")
    second = run_portkit(fix_args, args.timeout, file_timeout=args.per_file_timeout)
    print("  exit %s after %.1fs%s" % (second.returncode, second.seconds, " (TIMED OUT)" if second.timed_out else ""))
    outputs2 = snapshot(files)
    # A file the first run refused or gave up on was never fixed: the second
    # run changing it says nothing about idempotence (it is listed apart).
    unprocessed = set(errors1) | set(hangs)
    changed_again = [p for p in files if outputs2[p] != outputs[p] and p not in unprocessed]
    changed_unprocessed = [p for p in files if outputs2[p] != outputs[p] and p in unprocessed]
    errors2 = {p: r for p, r in second.errors().items()
               if p not in errors1 and p not in hangs and TIMEOUT_MESSAGE not in r}

    crashes = [r for r in (first, second) if r.crashed]
    timeouts = [r for r in (first, second) if r.timed_out]
    py2_bad = not_compiling[py2_name]
    py3_bad = {p for name, _ in interpreters[1:] for p in not_compiling[name]}

    # -- summary table ----------------------------------------------------------
    rows = [["check", "portkit", "target", "python-modernize", "futurize"]]
    rows.append(["files in the corpus (2.7 compiles them)", str(len(files)), "", "", ""])
    rows.append(["lines in the corpus", str(nlines), "", "", ""])
    if processed is not None and processed != len(files):
        rows.append(["files portkit processed (others: default excludes)", str(processed), "", "", ""])
    rows.append(["files changed by the first fix", str(len(changed1)), "", "", ""])
    rows.append(["seconds, first fix (-j %s)" % args.jobs, "%.1f" % first.seconds, "", "", ""])
    rows.append(["crashes (traceback / bad exit status)", str(len(crashes)), "0", "", ""])
    rows.append(["time-outs (whole runs; files over %gs)" % args.per_file_timeout,
                 "%d; %d" % (len(timeouts), len(hangs)), "0", "", ""])
    rows.append(["files with errors (path: error: reason)", str(len(errors1) + len(errors2)), "0", "", ""])
    for python, _ in interpreters:
        ref = "py2" if python == py2_name else "py3"
        rows.append(["outputs not compiling on %s" % python, str(len(not_compiling[python])), "0",
                     str(REFERENCE["python-modernize"][ref]) + ("" if ref == "py2" else " (3.11)"),
                     str(REFERENCE["futurize"][ref]) + ("" if ref == "py2" else " (3.11)")])
    rows.append(["files changed again by a second fix", str(len(changed_again)), "0",
                 str(REFERENCE["python-modernize"]["again"]), str(REFERENCE["futurize"]["again"])])
    if changed_unprocessed:
        rows.append(["(info) error/time-out files the second fix changed", str(len(changed_unprocessed)), "", "", ""])
    for python, _ in interpreters:
        if warnings_count[python]:
            rows.append(["(info) outputs with SyntaxWarnings on %s" % python, str(warnings_count[python]), "", "", ""])
    if args.source:  # the reference figures are for the standard library only
        rows = [row[:3] for row in rows]
    print()
    print("\n".join(_table(rows)))

    # -- details ----------------------------------------------------------------
    report = {
        "files": len(files), "lines": nlines, "changed": len(changed1),
        "seconds_first_fix": round(first.seconds, 2),
        "crashes": [{"argv": r.argv, "returncode": r.returncode, "stderr_tail": r.stderr[-4000:]} for r in crashes],
        "timeouts": len(timeouts), "hangs": [rel(p) for p in hangs],
        "errors": {rel(p): r for p, r in list(errors1.items()) + list(errors2.items())},
        "not_compiling": {py: {rel(p): list(v) for p, v in errs.items()} for py, errs in not_compiling.items()},
        "changed_again": [rel(p) for p in changed_again],
        "changed_by_second_fix_after_error_or_timeout": [rel(p) for p in changed_unprocessed],
        "code": code_version(),
    }
    for run in crashes:
        print("\nCRASH: %s (exit %s)\n%s" % (" ".join(run.argv), run.returncode, run.stderr[-4000:]))
    if hangs:
        print("\nFILES THAT TIME OUT (over %gs of CPU time each):" % args.per_file_timeout)
        for path in hangs:
            print("  %s" % rel(path))
    if errors1 or errors2:
        print("\nFILES WITH ERRORS (%d), grouped by cause:" % (len(errors1) + len(errors2)))
        groups = defaultdict(list)
        for path, reason in errors1.items():
            groups[_cause(reason)].append((path, reason, ""))
        for path, reason in errors2.items():
            groups[_cause(reason)].append((path, reason, " (second run only)"))
        for cause, members in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])):
            print("  [%d] %s" % (len(members), cause))
            for path, reason, note in members:
                print("    %s: error: %s%s" % (rel(path), reason, note))
    refused = set(errors1) | set(errors2) | set(hangs)
    for python, errs in not_compiling.items():
        if not errs:
            continue
        listed = {p: v for p, v in errs.items() if p not in refused}
        print("\nOUTPUTS NOT COMPILING ON %s (%d%s), grouped by cause:"
              % (python, len(errs), "; %d of them left unchanged with an error or time-out, listed above"
                 % (len(errs) - len(listed))
                 if len(listed) != len(errs) else ""))
        groups = defaultdict(list)
        for path, (line, msg) in listed.items():
            groups[_cause(msg)].append((path, line, msg))
        for cause, members in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])):
            print("  [%d] %s" % (len(members), cause))
            for path, line, msg in sorted(members):
                was = _line_of(originals[path], line)
                now = _line_of(outputs[path], line)
                print("    %s:%d: %s" % (rel(path), line, msg))
                if now:
                    print("        output:   %s" % now[:160])
                if was and was != now:
                    print("        original: %s" % was[:160])
    if changed_again:
        print("\nFILES CHANGED AGAIN BY A SECOND FIX (%d):" % len(changed_again))
        for path in changed_again:
            print("  %s" % rel(path))
            for line in _short_diff(outputs[path], outputs2[path], rel(path), args.diff_lines):
                print("      " + line)
    if args.json_path:
        with open(args.json_path, "w") as handle:
            json.dump(report, handle, indent=2, sort_keys=True)
    failed = bool(crashes or timeouts or hangs or errors1 or errors2 or py2_bad or py3_bad or changed_again)
    print("\n%s" % ("FAILED" if failed else "OK: no crash, no time-out, no error, every output compiles, "
                                          "a second fix changes nothing"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
