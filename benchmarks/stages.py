#!/usr/bin/env python3
"""Where portkit's time goes: engine stages and fixers, in one process.

Usage::

    python3 benchmarks/stages.py FOLDER [--fix] [--every N] [--profile OUT.prof]

Analyses every ``.py`` file under FOLDER (every N-th with ``--every``) with
all codes, in this process, and prints the CPU seconds spent in ``ast.parse``,
the lift stage, its prefilter, the shared walk, the needles prefilter, the
import planner, the final check, and each fixer's ``visit`` (a fixer that
starts a shared analysis, such as the bytes/text inference, is charged for
all of it).  The wrappers cost some time themselves: compare rows, not the
total with a run of ``portkit scan``.  ``--profile`` writes a cProfile dump
instead (read it with ``python3 -m pstats OUT.prof``).

For a corpus, ``python3 scripts/check_corpus.py --keep --workdir DIR --limit
0`` leaves the standard library copy in ``DIR/stdlib``.
"""
from __future__ import annotations

import argparse
import collections
import gc
import hashlib
import glob
import os
import sys
import time
import warnings
from functools import partial

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import portkit.engine as engine  # noqa: E402
from portkit import concurrency  # noqa: E402
from portkit import source  # noqa: E402
from portkit.registry import all_codes, load_fixers  # noqa: E402

SPENT: "collections.Counter[str]" = collections.Counter()
CALLS: "collections.Counter[str]" = collections.Counter()


def _wrap(owner, name: str, label: str) -> None:
    original = getattr(owner, name)

    def timed(*args, **kwargs):
        started = time.process_time()
        try:
            return original(*args, **kwargs)
        finally:
            SPENT[label] += time.process_time() - started
            CALLS[label] += 1

    setattr(owner, name, timed)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder")
    parser.add_argument("--fix", action="store_true")
    parser.add_argument("--every", type=int, default=1)
    parser.add_argument("--profile", default=None)
    parser.add_argument(
        "--digest",
        action="store_true",
        help="also print a digest of every result (findings, fixed text, errors): "
        "two variants of the code that must give the same results must print the same digest",
    )
    parser.add_argument("--dump", default=None, help="write every file's results to this JSON file (to compare two variants)")
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")
    codes = frozenset(all_codes())
    files = sorted(glob.glob(os.path.join(args.folder, "**", "*.py"), recursive=True))[:: args.every]
    texts = []
    for path in files:
        with open(path, "rb") as handle:
            try:
                decoded = source.decode(handle.read())
            except source.DecodeError:
                continue
        texts.append((path, decoded))
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
        _run(texts, codes, args.fix)
        profiler.disable()
        profiler.dump_stats(args.profile)
        print("%d files; profile written to %s" % (len(texts), args.profile))
        return 0
    _wrap(engine, "parse", "ast.parse")
    _wrap(engine.lift_stage, "lift", "lift")
    _wrap(engine.lift_stage, "may_need_lift", "may_need_lift")
    _wrap(engine, "Walk", "Walk")
    _wrap(engine.Plan, "active", "Plan.active (needles)")
    _wrap(engine.import_helper, "plan", "imports.plan")
    _wrap(engine, "_check_result", "_check_result")
    for code, cls in load_fixers().items():
        if cls.stage == "ast":
            _wrap(cls, "visit", "fixer %s %s" % (code, cls.name))
    digest = hashlib.sha256() if args.digest or args.dump else None
    started = time.process_time()
    dump = {} if args.dump else None
    errors = _run(texts, codes, args.fix, digest, dump)
    if dump is not None:
        import json

        with open(args.dump, "w") as handle:
            json.dump(dump, handle, indent=0, sort_keys=True)
    total = time.process_time() - started
    print("%d files (%d errors), %.2f CPU s, %s" % (len(texts), errors, total, "fix" if args.fix else "scan"))
    if digest is not None:
        print("digest of the results: %s" % digest.hexdigest())
    for label, spent in SPENT.most_common(40):
        print("%8.3fs %5.1f%% %9d  %s" % (spent, 100 * spent / total, CALLS[label], label))
    return 0


def _run(texts, codes, fix: bool, digest=None, dump=None) -> int:
    """Analyse every text, with the garbage collector tuned as in portkit's workers."""
    errors = 0
    gc.collect()
    gc.freeze()
    thresholds = gc.get_threshold()
    gc.set_threshold(*concurrency.GC_THRESHOLDS)
    try:
        for path, decoded in texts:
            try:
                result = concurrency.collected(partial(
                    engine.analyse_text, decoded.text, codes, fix=fix, encoding=decoded.encoding, path=path))
                outcome = repr((sorted(result.findings), result.new_text))
            except Exception as exc:
                errors += 1
                outcome = "error: %s" % exc
            if dump is not None:
                dump[path] = outcome
            if digest is not None:
                digest.update(("%s\0%s\0" % (path, outcome)).encode("utf-8", "surrogatepass"))
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()
    return errors


if __name__ == "__main__":
    sys.exit(main())
