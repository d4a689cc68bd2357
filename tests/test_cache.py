"""The per-file result cache (portkit/cache.py) and how concurrency.run uses it.

* a warm run reuses every result: nothing is parsed, and a file whose size
  and mtime are unchanged is not even read;
* a changed file is analysed again (also when size and mtime are the same,
  as long as the mtime was "racy": within the clock's granularity of the
  analysis);
* a touched file (same content, new mtime) is hashed, not parsed;
* different settings (codes, scan/fix) and different portkit code use
  different cache files;
* a corrupt cache file, or a corrupt entry, is ignored;
* a run that finds everything in the cache imports neither the engine nor
  the fixers, and no run imports libcst unless a fixer needs it;
* results are identical whatever the number of jobs, cached or not;
* (concurrency) a file whose analysis never ends is reported as an error
  after ``PORTKIT_FILE_TIMEOUT`` seconds of CPU time: a run never hangs.
"""
from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import time

import pytest

from portkit import cache as cache_mod
from portkit import concurrency
from portkit import process as process_mod
from portkit.cache import Cache, cache_key
from portkit.concurrency import run
from portkit.registry import all_codes
from portkit.settings import Settings

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ALL = frozenset(all_codes())
OLD = time.time() - 3600  # an mtime well before the analysis: not "racy"

PY2 = "import urllib2\n\ndef fetch(d):\n    for k, v in d.iteritems():\n        urllib2.urlopen(k)\n"
CLEAN = "x = 1\n"


def _write(path, text, mtime=OLD):
    path.write_text(text)
    if mtime is not None:
        os.utime(path, (mtime, mtime))
    return str(path)


def _settings(tmp_path, codes=ALL, fix=False):
    return Settings(codes=frozenset(codes), fix=fix, cache_dir=str(tmp_path / "cache"))


def _codes(results):
    return {os.path.basename(r.path): [f.code for f in r.findings] for r in results}


def _forbid_parsing(monkeypatch):
    def fail(*args, **kwargs):
        raise AssertionError("ast.parse called on a warm run")

    monkeypatch.setattr(ast, "parse", fail)


@pytest.fixture
def project(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    files = [_write(src / "a.py", PY2), _write(src / "b.py", CLEAN), _write(src / "c.py", "print 'hi'\n")]
    return files


def test_warm_run_parses_nothing(tmp_path, project, monkeypatch):
    settings = _settings(tmp_path)
    cold, _ = run(project, settings, jobs=1)
    assert not any(r.cached for r in cold)
    assert "PK201" in _codes(cold)["a.py"]
    _forbid_parsing(monkeypatch)
    warm, _ = run(project, settings, jobs=1)
    assert all(r.cached for r in warm)
    assert [(r.path, r.findings, r.lines, r.suppressed) for r in warm] == [
        (r.path, r.findings, r.lines, r.suppressed) for r in cold
    ]


def test_warm_run_does_not_even_read_unchanged_files(tmp_path, project, monkeypatch):
    settings = _settings(tmp_path)
    run(project, settings, jobs=1)

    def fail(*args, **kwargs):
        raise AssertionError("process_file called for an unchanged file")

    monkeypatch.setattr(process_mod, "process_file", fail)
    warm, _ = run(project, settings, jobs=2)
    assert all(r.cached for r in warm)


def test_changed_file_is_analysed_again(tmp_path, project, monkeypatch):
    settings = _settings(tmp_path)
    run(project, settings, jobs=1)
    a = project[0]
    with open(a, "a") as handle:
        handle.write("n = long(3)\n")
    results, _ = run(project, settings, jobs=1)
    by_name = {os.path.basename(r.path): r for r in results}
    assert not by_name["a.py"].cached
    assert "PK204" in [f.code for f in by_name["a.py"].findings]
    assert by_name["b.py"].cached and by_name["c.py"].cached
    # ... and the new result is cached in turn.
    _forbid_parsing(monkeypatch)
    again, _ = run(project, settings, jobs=1)
    assert _codes(again) == _codes(results)


def test_same_size_same_mtime_change_is_seen_when_the_mtime_was_racy(tmp_path):
    settings = _settings(tmp_path)
    path = tmp_path / "racy.py"
    _write(path, "x = unicode\n", mtime=None)  # written just now: racy
    stamp = os.stat(path).st_mtime_ns
    first, _ = run([str(path)], settings, jobs=1)
    assert [f.code for f in first[0].findings] == ["PK204"]
    path.write_text("x = 12345\n\n")  # same size
    os.utime(path, ns=(stamp, stamp))  # same mtime
    second, _ = run([str(path)], settings, jobs=1)
    assert not second[0].cached
    assert second[0].findings == ()


def test_touched_file_is_hashed_not_parsed(tmp_path, project, monkeypatch):
    settings = _settings(tmp_path)
    cold, _ = run(project, settings, jobs=1)
    later = OLD + 60
    for path in project:
        os.utime(path, (later, later))
    _forbid_parsing(monkeypatch)
    warm, _ = run(project, settings, jobs=1)
    assert all(r.cached for r in warm)
    assert _codes(warm) == _codes(cold)
    # The new mtime is stored: the next run does not even read the files.
    monkeypatch.setattr(process_mod, "process_file", lambda *a, **k: pytest.fail("file read again"))
    run(project, settings, jobs=1)


def test_different_settings_use_different_cache_files(tmp_path, project):
    scan_all = _settings(tmp_path)
    scan_some = _settings(tmp_path, codes={"PK201"})
    fix_all = _settings(tmp_path, fix=True)
    paths = {Cache(s).path for s in (scan_all, scan_some, fix_all)}
    assert len(paths) == 3
    assert len({cache_key(s) for s in (scan_all, scan_some, fix_all)}) == 3
    some, _ = run(project, scan_some, jobs=1)
    assert _codes(some)["a.py"] == ["PK201"]
    everything, _ = run(project, scan_all, jobs=1)
    assert not any(r.cached for r in everything)
    assert set(_codes(everything)["a.py"]) > {"PK201"}


def test_different_portkit_code_uses_a_different_cache_file(tmp_path, monkeypatch):
    settings = _settings(tmp_path)
    before = Cache(settings).path
    monkeypatch.setattr(cache_mod, "_code_fingerprint", "0123456789abcdef")
    assert Cache(settings).path != before


@pytest.mark.parametrize("garbage", [b"", b"\x00\x01garbage", b"\xe7" * 100, None])
def test_corrupt_cache_file_is_ignored(tmp_path, project, garbage, monkeypatch):
    settings = _settings(tmp_path)
    cold, _ = run(project, settings, jobs=1)
    path = Cache(settings).path
    if garbage is None:  # a well-formed file with nonsense entries
        import marshal

        data = {os.path.abspath(p): ("nonsense", 1) for p in project}
        st = os.stat(project[1])  # right length, stat and stamp; rows of the wrong shape
        stamp = concurrency._stamp(settings, project[1])
        data[os.path.abspath(project[1])] = (st.st_size, st.st_mtime_ns, "hash", ((1, 2),), 0, 0, stamp)
        with open(path, "wb") as handle:
            marshal.dump(data, handle)
    else:
        with open(path, "wb") as handle:
            handle.write(garbage)
    results, _ = run(project, settings, jobs=1)
    assert _codes(results) == _codes(cold)
    assert not any(r.cached for r in results)
    # The cache was rewritten and works again.
    _forbid_parsing(monkeypatch)
    again, _ = run(project, settings, jobs=1)
    assert all(r.cached for r in again)
    assert _codes(again) == _codes(cold)


def test_unwritable_cache_folder_only_makes_it_slower(tmp_path, project):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    settings = Settings(codes=ALL, cache_dir=str(blocker / "cache"))
    one, _ = run(project, settings, jobs=1)
    two, _ = run(project, settings, jobs=1)
    assert _codes(one) == _codes(two)
    assert not any(r.cached for r in two)


def test_errors_and_changes_are_not_cached(tmp_path):
    settings = _settings(tmp_path, fix=True)
    bad = _write(tmp_path / "bad.py", "def f(:\n")
    changing = _write(tmp_path / "changing.py", PY2)
    run([bad, changing], settings, jobs=1)
    results, _ = run([bad, changing], settings, jobs=1)
    assert not any(r.cached for r in results)
    assert results[0].error and results[1].new_content is not None


def test_deleted_files_are_dropped_from_the_cache(tmp_path, project):
    settings = _settings(tmp_path)
    run(project, settings, jobs=1)
    os.unlink(project[2])
    extra = _write(tmp_path / "src" / "d.py", CLEAN)
    run(project[:2] + [extra], settings, jobs=1)
    assert os.path.abspath(project[2]) not in Cache(settings).entries
    assert os.path.abspath(extra) in Cache(settings).entries


def test_results_are_identical_whatever_the_jobs_and_the_cache(tmp_path):
    files = [_write(tmp_path / ("m%02d.py" % i), PY2 if i % 2 else "y = xrange(3)\n") for i in range(12)]
    # big enough (in bytes) that two jobs really use a pool
    files.append(_write(tmp_path / "big.py", "x = unicode\n# %s\n" % ("p" * 250000)))
    one, _ = run(files, Settings(codes=ALL), jobs=1)
    two, _ = run(files, Settings(codes=ALL), jobs=2)
    cold, _ = run(files, _settings(tmp_path), jobs=2)
    warm, _ = run(files, _settings(tmp_path), jobs=2)
    key = lambda results: [(r.path, r.findings, r.error, r.lines) for r in results]  # noqa: E731
    assert key(one) == key(two) == key(cold) == key(warm)
    assert [r.path for r in one] == sorted(files)
    assert all(r.cached for r in warm)


_IMPORTS_PROBE = r"""
import json, sys
from portkit.concurrency import run
from portkit.settings import Settings
codes = frozenset(json.loads(sys.argv[1]))
settings = Settings(codes=codes, cache_dir=sys.argv[2])
results, _ = run(sys.argv[3:], settings, jobs=1)
mods = sys.modules
print(json.dumps({
    "cached": all(r.cached for r in results),
    "engine": "portkit.engine" in mods,
    "fixers": sorted(m for m in mods if m.startswith("fixers.")),
    "libcst": any(m == "libcst" or m.startswith("libcst.") for m in mods),
    "multiprocessing": "multiprocessing" in mods,
}))
"""


def _probe(tmp_path, files):
    env = dict(os.environ, PYTHONPATH=REPO)
    out = subprocess.run(
        [sys.executable, "-c", _IMPORTS_PROBE, json.dumps(sorted(ALL)), str(tmp_path / "cache")] + files,
        capture_output=True, text=True, env=env, check=True,
    )
    return json.loads(out.stdout)


def test_warm_run_imports_neither_engine_nor_fixers_nor_libcst(tmp_path, project):
    cold = _probe(tmp_path, project)
    assert not cold["cached"] and cold["engine"] and cold["fixers"]
    warm = _probe(tmp_path, project)
    assert warm == {"cached": True, "engine": False, "fixers": [], "libcst": False, "multiprocessing": False}


def test_cli_warm_scan_does_not_import_libcst(tmp_path, project):
    """The command line, end to end: a warm scan pays for no libcst import."""
    probe = (
        "import runpy, sys\n"
        "sys.argv = ['portkit', 'scan', '-q', '--exit-zero'] + sys.argv[1:]\n"
        "try:\n    runpy.run_module('portkit', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        "sys.stderr.write('LIBCST=%s\\n' % any(m.split('.')[0] == 'libcst' for m in sys.modules))\n"
    )
    env = dict(os.environ, PYTHONPATH=REPO, PORTKIT_CACHE_DIR=str(tmp_path / "cache"))
    env.pop("PORTKIT_NO_CACHE", None)
    for _ in range(2):
        out = subprocess.run([sys.executable, "-c", probe] + project, capture_output=True, text=True, env=env)
        assert "PK201" in out.stdout
    assert "LIBCST=False" in out.stderr


# -- concurrency: the per-file time limit ------------------------------------------

def _spin(path, settings, known=None):
    if path.endswith("slow.py"):
        while True:
            pass
    return _REAL_PROCESS_FILE(path, settings, known)


_REAL_PROCESS_FILE = process_mod.process_file


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_file_that_never_finishes_is_an_error_not_a_hang(tmp_path, project, monkeypatch, jobs):
    monkeypatch.setenv("PORTKIT_FILE_TIMEOUT", "0.3")
    monkeypatch.setattr(concurrency, "SERIAL_BYTES", 0)  # two jobs: a real pool
    monkeypatch.setattr(process_mod, "process_file", _spin)
    slow = _write(tmp_path / "src" / "slow.py", CLEAN)
    results, _ = run(project + [slow], Settings(codes=ALL), jobs=jobs)
    by_name = {os.path.basename(r.path): r for r in results}
    assert concurrency.TIMEOUT_MESSAGE in by_name["slow.py"].error
    assert "PK201" in [f.code for f in by_name["a.py"].findings]
    assert not any(r.error for name, r in by_name.items() if name != "slow.py")


def test_the_time_limit_can_be_turned_off(monkeypatch):
    monkeypatch.setenv("PORTKIT_FILE_TIMEOUT", "0")
    assert concurrency.file_timeout() == 0
    monkeypatch.setenv("PORTKIT_FILE_TIMEOUT", "nonsense")
    assert concurrency.file_timeout() == concurrency.DEFAULT_FILE_TIMEOUT


def test_bytes_text_results_are_stale_when_a_sibling_module_changes(tmp_path):
    """PK4 inference reads the package's other modules: editing one of them
    must invalidate the cached results of the rest."""
    from portkit.cache import _STAMPS
    from portkit.concurrency import run
    from portkit.registry import all_codes
    from portkit.settings import Settings

    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("x = 1\n")
    (pkg / "b.py").write_text("y = 2\n")
    settings = Settings(codes=frozenset(all_codes()), cache_dir=str(tmp_path / "cache"))
    paths = [str(pkg / "a.py"), str(pkg / "b.py")]
    run(paths, settings, jobs=1)
    _STAMPS.clear()
    warm, _ = run(paths, settings, jobs=1)
    assert all(r.cached for r in warm)
    (pkg / "b.py").write_text("y = 3\n")
    _STAMPS.clear()
    after, _ = run(paths, settings, jobs=1)
    assert not any(r.cached for r in after)
