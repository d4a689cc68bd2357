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

Workers only analyse; this process writes the changed files (atomically,
:mod:`portkit.write`), so what was written is always known.  The pool is
portkit's own (a pipe per worker): a worker that dies costs its files an
error line, not a hang.  SIGINT and SIGTERM raise :class:`Interrupted` in
this process (:func:`interruptible`), which kills the workers before the
exception goes on: no file is written after it, and it carries the results
gathered so far.  Workers ignore SIGINT (a terminal's Ctrl-C reaches the
whole process group) and die with their parent (``PR_SET_PDEATHSIG`` on
Linux, and a check of the parent's pid before each file elsewhere).
"""
from __future__ import annotations

import dataclasses
import gc
import os
import signal
import sys
import threading
from collections import deque
from contextlib import contextmanager
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


class Interrupted(KeyboardInterrupt):
    """SIGINT or SIGTERM arrived during a run (see :func:`interruptible`).

    ``results`` and ``diffs`` hold what :func:`run` had gathered when it was
    interrupted: every file written is among ``results``.
    """

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum
        self.results: List[FileResult] = []
        self.diffs: dict = {}


class _Signals:
    owner = 0  # the pid that installed the handlers
    depth = 0  # nesting of interruptible()
    deferred = 0  # nesting of _deferred()
    signum: Optional[int] = None


_SIGNALS = _Signals()
_HANDLED = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM") if hasattr(signal, name))


def _on_signal(signum, frame):
    if os.getpid() != _SIGNALS.owner:
        # a worker forked a moment ago, which has not set its own handlers yet
        if signum != signal.SIGINT:
            os._exit(128 + signum)
        return
    if _SIGNALS.signum is None:
        _SIGNALS.signum = signum
    if not _SIGNALS.deferred:
        raise Interrupted(_SIGNALS.signum)


@contextmanager
def interruptible():
    """SIGINT and SIGTERM raise :class:`Interrupted` (in the main thread only;
    elsewhere this does nothing; a signal ignored already stays ignored).  Nests."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    if _SIGNALS.depth:
        _SIGNALS.depth += 1
        try:
            yield
        finally:
            _SIGNALS.depth -= 1
        return
    _SIGNALS.owner, _SIGNALS.signum, _SIGNALS.deferred, _SIGNALS.depth = os.getpid(), None, 0, 1
    # A signal this process was told to ignore (nohup, a background job) stays ignored.
    previous = {signum: signal.signal(signum, _on_signal) for signum in _HANDLED
                if signal.getsignal(signum) is not signal.SIG_IGN}
    try:
        yield
    finally:
        _SIGNALS.depth = 0
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def hold_signals() -> None:
    """From now on, SIGINT and SIGTERM are noted, not raised (the run is
    already stopping)."""
    _SIGNALS.deferred += 1


@contextmanager
def _deferred():
    """A signal that arrives inside is raised when the block is done (a
    written file is recorded before the run stops)."""
    _SIGNALS.deferred += 1
    try:
        yield
    finally:
        _SIGNALS.deferred -= 1
    if not _SIGNALS.deferred and _SIGNALS.depth and _SIGNALS.signum is not None and os.getpid() == _SIGNALS.owner:
        raise Interrupted(_SIGNALS.signum)


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


# How often (seconds) an idle worker checks that its parent is still there.
PARENT_CHECK = 0.5


def _die_with_parent() -> None:
    """Ask Linux to kill this process when its parent dies."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, int(signal.SIGKILL), 0, 0, 0)  # PR_SET_PDEATHSIG
    except Exception:  # no libc to load: the pid checks remain
        pass


def _safe_work(settings: Settings, item):
    try:
        return _work(settings, item)
    except Exception as exc:  # never lose the other files of the batch
        return item[0], (FileResult(item[0], error="internal error: %s: %s" % (type(exc).__name__, exc)), None, None)


def _worker_main(conn, settings: Settings, parent: int, inherited=()) -> None:
    """A worker: analyse the batches that come through ``conn``, send back
    their outcomes; stop at ``None``, or as soon as the parent is gone.
    ``inherited``: the parent's ends of the pipes, copied by fork, closed
    here (an orphan must not keep its own pipe, or a sibling's, open)."""
    for other in inherited:
        other.close()
    if hasattr(signal, "SIGINT"):
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides what Ctrl-C does
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _die_with_parent()
    _tune_gc()
    try:
        while True:
            while not conn.poll(PARENT_CHECK):
                if os.getppid() != parent:
                    os._exit(0)
            batch = conn.recv()
            if batch is None:
                break
            out = []
            for item in batch:
                if os.getppid() != parent:
                    os._exit(0)
                out.append(_safe_work(settings, item))
            conn.send(out)
    except (EOFError, OSError):
        pass
    os._exit(0)


class _Pool:
    """Worker processes, each fed one batch at a time through its own pipe."""

    def __init__(self, settings: Settings, workers: int):
        import multiprocessing

        method = "fork" if sys.platform.startswith("linux") else None
        self.ctx = multiprocessing.get_context(method)
        self.forks = self.ctx.get_start_method() == "fork"
        self.settings = settings
        self.workers = workers
        self.procs: list = []
        self.busy: dict = {}  # connection -> (process, batch)
        self.ends: list = []  # every parent end made (a fork copies them all)

    def _start(self):
        parent_end, child_end = self.ctx.Pipe()
        self.ends.append(parent_end)
        inherited = list(self.ends) if self.forks else []
        proc = self.ctx.Process(target=_worker_main, args=(child_end, self.settings, os.getpid(), inherited),
                                daemon=True)
        proc.start()
        child_end.close()
        self.procs.append(proc)
        return parent_end, proc

    def outcomes(self, batches):
        from multiprocessing.connection import wait

        pending = deque(batches)
        while pending and len(self.busy) < self.workers:
            conn, proc = self._start()
            batch = pending.popleft()
            conn.send(batch)
            self.busy[conn] = (proc, batch)
        while self.busy:
            for conn in wait(list(self.busy)):
                proc, batch = self.busy.pop(conn)
                try:
                    out = conn.recv()
                except Exception:  # the worker died (killed, out of memory, a crash)
                    conn.close()
                    proc.join(5)
                    code = proc.exitcode
                    how = "killed by signal %d" % -code if code is not None and code < 0 else "exit status %s" % code
                    out = [(path, (FileResult(path, error="worker process died (%s); file skipped" % how), None, None))
                           for path, _ in batch]
                    if pending:
                        conn, proc = self._start()
                    else:
                        conn = None
                if conn is not None:
                    if pending:
                        batch = pending.popleft()
                        conn.send(batch)
                        self.busy[conn] = (proc, batch)
                    else:
                        conn.send(None)
                        conn.close()
                for outcome in out:
                    yield outcome

    def close(self, abort: bool) -> None:
        """Stop the workers: at once (``abort``), or once they have finished."""
        for conn in self.busy:
            conn.close()
        self.busy = {}
        for proc in self.procs:
            if abort and proc.exitcode is None:
                proc.kill()
        for proc in self.procs:
            proc.join(10)
            if proc.exitcode is None:
                proc.kill()
                proc.join(10)


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
    progress: Optional[Callable[[int, int], None]] = None,
) -> Tuple[List[FileResult], dict]:
    """Returns (results sorted by path, {path: diff text}).

    ``progress(files, size)`` is called as files are done (``size``: their
    bytes).  SIGINT and SIGTERM raise :class:`Interrupted`, carrying the
    results so far, once the workers are gone.
    """
    with interruptible():
        cache = None
        if settings.cache_dir:
            from .cache import Cache

            cache = Cache(settings)
        results = {}
        diffs = {}
        try:
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
                progress(len(results), sum(_size(p) for p in results))
            if todo:
                _analyse(todo, settings, jobs, cache, results, diffs, progress)
        except Interrupted as exc:
            exc.results = [results[p] for p in sorted(results)]
            exc.diffs = diffs
            hold_signals()  # a second Ctrl-C does not lose these results
            if cache is not None:
                cache.save()
            raise
        if cache is not None:
            cache.save()
        return [results[p] for p in sorted(results)], diffs


def _tune_gc() -> Tuple[int, int, int]:
    """Freeze what is loaded (never traversed again) and raise the thresholds."""
    previous = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
    return previous


def _analyse(todo, settings, jobs, cache, results, diffs, progress) -> None:
    previous = _tune_gc()
    try:
        _analyse_tuned(todo, settings, jobs, cache, results, diffs, progress)
    finally:
        gc.set_threshold(*previous)
        gc.unfreeze()


def _written(path: str, result: FileResult, digest: Optional[str]) -> FileResult:
    """Write ``result``'s new content over ``path``; the result, or an error."""
    from .process import content_hash
    from .source import read_bytes
    from .write import WriteError, write_atomic

    try:
        if digest is not None and content_hash(read_bytes(path)) != digest:
            raise WriteError("file changed while portkit worked on it; not changed")
        write_atomic(path, result.new_content)
    except WriteError as exc:
        return FileResult(path, result.findings, error=str(exc), suppressed=result.suppressed, lines=result.lines)
    except OSError as exc:
        return FileResult(path, result.findings, error="cannot read again before writing: %s" % (exc.strerror or exc),
                          suppressed=result.suppressed, lines=result.lines)
    return result


def _analyse_tuned(todo, settings, jobs, cache, results, diffs, progress) -> None:
    from .process import process_file
    from .registry import load_fixers

    jobs = jobs or os.cpu_count() or 1
    sizes = {path: _size(path) for path, _ in todo}
    todo.sort(key=lambda item: (-sizes[item[0]], item[0]))
    load_fixers()  # import once, before any fork
    # Workers (and process_file here) only analyse; the files are written
    # below, by this process.
    analyse = dataclasses.replace(settings, write=False) if settings.write else settings
    work = partial(_work, analyse)
    pool = None
    if jobs == 1 or len(todo) < 2 or sum(sizes.values()) < SERIAL_BYTES:
        outcomes = map(work, todo)
    else:
        batches = _batches(todo, sizes, settings, min(jobs, len(todo)))
        pool = _Pool(analyse, min(jobs, len(batches)))  # never more workers than work units
        outcomes = pool.outcomes(batches)
    finished = False
    try:
        for path, (result, digest, diff) in outcomes:
            with _deferred():  # a file written is a file recorded
                if result is None:  # content unchanged since it was cached
                    result = cache.cached_result(path) if cache is not None else None
                    if result is None:  # the entry was unusable after all
                        result, digest, diff = process_file(path, analyse, None)
                        if cache is not None and digest is not None:
                            cache.store(path, digest, result, _stamp(settings, path))
                elif cache is not None and digest is not None:
                    cache.store(path, digest, result, _stamp(settings, path))
                if settings.write and result.new_content is not None and not result.error:
                    result = _written(path, result, digest)
                results[path] = result
                if diff:
                    diffs[path] = diff
                if progress:
                    progress(1, sizes.get(path, 0))
        finished = True
    finally:
        if pool is not None:
            with _deferred():  # a second Ctrl-C does not cut the teardown short
                pool.close(abort=not finished)
