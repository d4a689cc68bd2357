"""Run :func:`portkit.process.process_file` over many files.

Files whose cached result is still valid never reach a worker, and a run in
which every file is cached imports neither the engine nor the fixers (nor
multiprocessing).  The rest go to a process pool (``--jobs``); a single job,
or a small amount of work, runs in this process.  Work is handed out largest
first, so that one big file at the end does not leave the other workers
idle; the files of one package go to one worker together (see
:func:`_batches`), which then reads its modules once.  Results are returned
sorted by path, so output is identical whatever the number of jobs.  A file
whose analysis uses more than ``PORTKIT_FILE_TIMEOUT`` seconds of CPU time
(default 120) is reported as an error, never waited for forever.
"""
from __future__ import annotations

import gc
import os
import signal
import sys
import threading
from functools import partial
from typing import Callable, List, Optional, Sequence, Tuple

from .model import FileResult
from .settings import Settings

# Below this many bytes of source to analyse, a pool costs more than it saves.
SERIAL_BYTES = 200_000
# CPU seconds one file may take before it is reported as an error and skipped
# (PORTKIT_FILE_TIMEOUT overrides; 0 turns the limit off).  A run never hangs
# on one pathological file.
DEFAULT_FILE_TIMEOUT = 120.0
TIMEOUT_MESSAGE = "analysis took longer than"
# The cyclic garbage collector's thresholds while files are analysed.  The
# defaults (700, 10, 10) make it run every 700 allocations; parsing a file
# allocates hundreds of thousands of AST nodes that all stay alive until the
# file is done, so most of those collections find nothing, and the full ones
# walk the whole current tree again.  With the modules frozen (gc.freeze) and
# these thresholds a scan of the 2.7 standard library takes 18 % less CPU
# time, for ~50 MB more peak memory per process (133 -> 185 MB; see
# benchmarks/README.md).
GC_THRESHOLDS = (10_000, 10, 10)
# And while one file is analysed, the collector is off: the analysis keeps its
# trees alive until the file is done, so collections during the file would
# walk them again and again to free nothing.  When the file is done, reference
# counting frees its analysis at once (no cycle holds it: parents live in
# ``walk.parents``, scopes point at their node weakly, and the inference is
# disposed of, see ``FileContext.dispose``), and one collection of the young
# generation finds the little that is left (about 75 objects over a quarter
# of the benchmark corpus, where it used to be 2.3 million, and 0.25 s of
# collector time instead of 1.0 s); the older generations are collected
# every COLLECT_OLDER files.
COLLECT_OLDER = 25
_files_done = 0


def collected(call: Callable, *args):
    """``call(*args)`` with the collector off, then the garbage it left collected."""
    global _files_done
    enabled = gc.isenabled()
    gc.disable()
    try:
        return call(*args)
    finally:
        _files_done += 1
        gc.collect(1 if _files_done % COLLECT_OLDER == 0 else 0)
        if enabled:
            gc.enable()


class FileTimeout(BaseException):
    """Raised (by a timer signal) in a file's analysis that ran out of time.

    A BaseException, so that the ``except Exception`` guards around fixers let
    it through to :func:`_work`.
    """


def file_timeout() -> float:
    """CPU seconds allowed for one file (``PORTKIT_FILE_TIMEOUT``; 0: no limit)."""
    try:
        return max(0.0, float(os.environ.get("PORTKIT_FILE_TIMEOUT", DEFAULT_FILE_TIMEOUT)))
    except ValueError:
        return DEFAULT_FILE_TIMEOUT


def _on_timer(signum, frame):
    raise FileTimeout()


def _work(settings: Settings, item: Tuple[str, Optional[str]]):
    from .process import process_file

    path, known = item
    limit = file_timeout()
    timer = limit and hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not timer:
        return path, collected(process_file, path, settings, known)
    previous = signal.signal(signal.SIGVTALRM, _on_timer)
    try:
        signal.setitimer(signal.ITIMER_VIRTUAL, limit)
        try:
            return path, collected(process_file, path, settings, known)
        finally:
            signal.setitimer(signal.ITIMER_VIRTUAL, 0)
    except FileTimeout:
        message = "%s %g s of CPU time; file skipped (--file-timeout or PORTKIT_FILE_TIMEOUT raises the limit)" % (TIMEOUT_MESSAGE, limit)
        return path, (FileResult(path, error=message), None, None)
    finally:
        signal.signal(signal.SIGVTALRM, previous)


def _work_batch(settings: Settings, batch):
    return [_work(settings, item) for item in batch]


def _batches(todo, sizes, settings, workers) -> List[list]:
    """The pool's tasks, largest first.  A file goes alone, except the files
    of one project whose modules the bytes/text rules read for each other
    (:func:`portkit.kinds.project_for`): they go together (up to a share of
    the work), so that one worker reads and infers those modules once, where
    every worker that got one of its files would do it again."""
    if not any(code.startswith("PK4") for code in settings.codes):
        return [[item] for item in todo]
    from .kinds import project_for

    cap = max(8, len(todo) // (workers * 4))
    groups: dict = {}
    batches = []
    for item in todo:  # largest first
        project = project_for(item[0])
        if project is None:
            batches.append([item])
        else:
            groups.setdefault(project.root, []).append(item)
    for items in groups.values():
        batches.extend(items[start:start + cap] for start in range(0, len(items), cap))
    batches.sort(key=lambda batch: (-sum(sizes[path] for path, _ in batch), batch[0][0]))
    return batches


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def _stamp(settings: Settings, path: str) -> str:
    """What outside ``path`` its results depend on: the bytes/text rules (PK4)
    read the other modules of its package, so their entries carry the
    package's fingerprint; the other rules look at the file alone."""
    if not any(code.startswith("PK4") for code in settings.codes):
        return ""
    from .cache import project_stamp

    return project_stamp(path)


def run(
    files: Sequence[str],
    settings: Settings,
    jobs: int = 0,
    progress: Optional[Callable[[int], None]] = None,
) -> Tuple[List[FileResult], dict]:
    """Returns (results sorted by path, {path: diff text})."""
    cache = None
    if settings.cache_dir:
        from .cache import Cache

        cache = Cache(settings)
    results = {}
    todo: List[Tuple[str, Optional[str]]] = []
    for path in files:
        if cache is not None:
            hit, known = cache.lookup(path, _stamp(settings, path))
            if hit is not None:
                results[path] = hit
                continue
            todo.append((path, known))
        else:
            todo.append((path, None))
    if progress and len(results):
        progress(len(results))
    diffs = {}
    if todo:
        _analyse(todo, settings, jobs, cache, results, diffs, progress)
    if cache is not None:
        cache.save()
    return [results[p] for p in sorted(results)], diffs


def _tune_gc() -> Tuple[int, int, int]:
    """Freeze what is loaded (never traversed again) and raise the thresholds."""
    previous = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
    return previous


def _worker_init() -> None:
    _tune_gc()


def _analyse(todo, settings, jobs, cache, results, diffs, progress) -> None:
    previous = _tune_gc()
    try:
        _analyse_tuned(todo, settings, jobs, cache, results, diffs, progress)
    finally:
        gc.set_threshold(*previous)
        gc.unfreeze()


def _analyse_tuned(todo, settings, jobs, cache, results, diffs, progress) -> None:
    from .process import process_file
    from .registry import load_fixers

    jobs = jobs or os.cpu_count() or 1
    sizes = {path: _size(path) for path, _ in todo}
    todo.sort(key=lambda item: (-sizes[item[0]], item[0]))
    load_fixers()  # import once, before any fork
    work = partial(_work, settings)
    pool = None
    if jobs == 1 or len(todo) < 2 or sum(sizes.values()) < SERIAL_BYTES:
        outcomes = map(work, todo)
    else:
        import multiprocessing

        method = "fork" if sys.platform.startswith("linux") else None
        ctx = multiprocessing.get_context(method)
        workers = min(jobs, len(todo))
        pool = ctx.Pool(workers, initializer=_worker_init)
        batches = _batches(todo, sizes, settings, workers)
        # Small chunks: the work comes largest first, and the tail must balance.
        chunk = max(1, min(8, len(batches) // (workers * 16)))
        outcomes = (outcome for batch in pool.imap_unordered(partial(_work_batch, settings), batches, chunksize=chunk)
                    for outcome in batch)
    try:
        for path, (result, digest, diff) in outcomes:
            if result is None:  # content unchanged since it was cached
                result = cache.cached_result(path) if cache is not None else None
                if result is None:  # the entry was unusable after all
                    result, digest, diff = process_file(path, settings, None)
                    if cache is not None and digest is not None:
                        cache.store(path, digest, result, _stamp(settings, path))
            elif cache is not None and digest is not None:
                cache.store(path, digest, result, _stamp(settings, path))
            results[path] = result
            if diff:
                diffs[path] = diff
            if progress:
                progress(1)
    finally:
        if pool is not None:
            pool.close()
            pool.join()
