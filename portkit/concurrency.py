"""Run :func:`portkit.process.process_file` over many files.

Files whose cached result is still valid never reach a worker.  The rest go to
a process pool (``--jobs``; one process needs no pool).  Results are returned
sorted by path, so output is identical whatever the number of jobs.
"""
from __future__ import annotations

import multiprocessing
import os
import sys
from dataclasses import replace
from functools import partial
from typing import Callable, List, Optional, Sequence, Tuple

from .cache import Cache
from .model import FileResult
from .process import process_file
from .registry import load_fixers
from .settings import Settings


def _work(settings: Settings, item: Tuple[str, Optional[str]]):
    path, known = item
    return path, process_file(path, settings, known)


def run(
    files: Sequence[str],
    settings: Settings,
    jobs: int = 0,
    progress: Optional[Callable[[int], None]] = None,
) -> Tuple[List[FileResult], dict]:
    """Returns (results sorted by path, {path: diff text})."""
    cache = Cache(settings) if settings.cache_dir else None
    results = {}
    todo: List[Tuple[str, Optional[str]]] = []
    for path in files:
        if cache is not None:
            hit, known = cache.lookup(path)
            if hit is not None:
                results[path] = replace(hit, path=path, cached=True)
                continue
            todo.append((path, known))
        else:
            todo.append((path, None))
    if progress and len(results):
        progress(len(results))
    diffs = {}
    jobs = jobs or os.cpu_count() or 1
    load_fixers()  # import once, before any fork
    work = partial(_work, settings)
    if jobs == 1 or len(todo) < 2:
        outcomes = map(work, todo)
        pool = None
    else:
        method = "fork" if sys.platform.startswith("linux") else None
        ctx = multiprocessing.get_context(method)
        pool = ctx.Pool(min(jobs, len(todo)))
        chunk = max(1, min(16, len(todo) // (jobs * 8) or 1))
        outcomes = pool.imap_unordered(work, todo, chunksize=chunk)
    try:
        for path, (result, digest, diff) in outcomes:
            if result is None:  # content unchanged since it was cached
                result = replace(cache.cached_result(path), path=path, cached=True)
            elif cache is not None and digest is not None:
                cache.store(path, digest, result)
            results[path] = result
            if diff:
                diffs[path] = diff
            if progress:
                progress(1)
    finally:
        if pool is not None:
            pool.close()
            pool.join()
    if cache is not None:
        cache.save()
    return [results[p] for p in sorted(results)], diffs
