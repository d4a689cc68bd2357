"""Issue 18: Ctrl-C and SIGTERM stop a run cleanly, odd files and bad input
get one error line, and the output options keep their formats.

The interrupt tests run a real ``portkit fix`` in a subprocess on a generated
tree and signal it; no assertion is about time: every wait has a generous
bound, and the checks are about what is on disk and which processes remain.
"""
from __future__ import annotations

import json
import marshal
import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner

from portkit import cli as cli_mod
from portkit import concurrency
from portkit import process as process_mod
from portkit.cli import main
from portkit.process import process_data
from portkit.registry import select_codes
from portkit.settings import Settings

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LINUX = sys.platform.startswith("linux")
PY2 = "import urllib2\n\ndef fetch(d):\n    for k, v in d.iteritems():\n        urllib2.urlopen(k)\n    return basestring\n"
WAIT = 120  # seconds: the bound of every wait, never an expectation


def invoke(*args, env=None, input=None):
    try:
        runner = CliRunner(mix_stderr=False)  # click < 8.2 mixes them by default
    except TypeError:
        runner = CliRunner()
    environment = {"NO_COLOR": "1"}
    environment.update(env or {})
    return runner.invoke(main, [str(a) for a in args], env=environment, input=input, catch_exceptions=False)


def errors_of(result):
    return [line for line in result.stderr.splitlines() if ": error: " in line]


# -- interrupts: a real portkit fix, signalled -------------------------------------

TEMPLATE = '''import urllib2
from StringIO import StringIO

def fetch%(i)d(d, url):
    for k, v in d.iteritems():
        print "key", k, v
    if d.has_key('x'):
        return unicode(url)
    return urllib2.urlopen(url).read()

class Thing%(i)d(object):
    def __nonzero__(self):
        return True
    def items(self, d):
        return [x for x in d.itervalues()] + map(str, xrange(10))
'''
PACKAGES, MODULES = 6, 50  # 300 files
SELECT = "PK1,PK2"  # the syntax rules: a fix of one file depends on that file alone


def _module_text(i):
    return (TEMPLATE % {"i": i}) * 3


@pytest.fixture(scope="module")
def signal_tree(tmp_path_factory):
    """A tree of Python 2 packages, and the complete fix of each of its files."""
    root = tmp_path_factory.mktemp("template") / "tree"
    for p in range(PACKAGES):
        pkg = root / ("pkg%d" % p)
        pkg.mkdir(parents=True)
        (pkg / "__init__.py").write_text("")
        for i in range(MODULES):
            (pkg / ("m%d.py" % i)).write_text(_module_text(i))
    settings = Settings(codes=frozenset(select_codes(SELECT.split(","), [])), fix=True)
    fixed = {}
    for i in range(MODULES):
        data = _module_text(i).encode()
        result, _, _ = process_data(str(root / "pkg0" / ("m%d.py" % i)), data, settings)
        assert result.error is None and result.new_content not in (None, data)
        fixed[data] = result.new_content
    return root, fixed


def _snapshot(root):
    found = {}
    for folder, _, names in os.walk(str(root)):
        for name in names:
            path = os.path.join(folder, name)
            with open(path, "rb") as handle:
                found[path] = handle.read()
    return found


def _folder_stamps(root):
    return {str(p): os.stat(str(p)).st_mtime_ns for p in root.iterdir()}


def _group_members(pgid):
    """The live (not zombie) processes of the process group ``pgid``."""
    members = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry) as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":  # fields: state, ppid, pgrp, ...
            members.append(int(entry))
    return members


CASES = {
    # name: (how, jobs, expected exit status)
    "sigint-to-group": ("group", "2", 130),
    "sigint-to-main": ("main-int", "2", 130),
    "sigint-to-main-serial": ("main-int", "1", 130),
    "sigterm": ("term", "2", 143),
    "sigkill": ("kill", "2", -signal.SIGKILL),
}


@pytest.mark.skipif(not LINUX, reason="reads /proc to find the workers")
@pytest.mark.parametrize("case", sorted(CASES))
def test_a_signal_stops_fix_cleanly(tmp_path, signal_tree, case):
    how, jobs, expected = CASES[case]
    template, fixed = signal_tree
    root = tmp_path / "tree"
    shutil.copytree(str(template), str(root))
    original = _snapshot(root)
    stamps = _folder_stamps(root)
    env = dict(os.environ, PYTHONPATH=REPO, PORTKIT_NO_CACHE="1", NO_COLOR="1")
    with open(str(tmp_path / "out"), "wb") as out, open(str(tmp_path / "err"), "wb") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "portkit", "fix", "-j", jobs, "--select", SELECT, str(root)],
            stdout=out, stderr=err, env=env, start_new_session=True,
        )
    try:
        # Signal it once it has written its first file (a folder's mtime moves).
        deadline = time.monotonic() + WAIT
        while _folder_stamps(root) == stamps and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        assert proc.poll() is None, "the run ended before it could be signalled"
        assert _folder_stamps(root) != stamps, "no file was written within %d s" % WAIT
        if how == "group":
            os.killpg(proc.pid, signal.SIGINT)
        elif how == "main-int":
            os.kill(proc.pid, signal.SIGINT)
        elif how == "term":
            os.kill(proc.pid, signal.SIGTERM)
        else:
            os.kill(proc.pid, signal.SIGKILL)
        status = proc.wait(WAIT)
        after_exit = _snapshot(root)
        # No process of the run survives it (a worker dies with its parent).
        deadline = time.monotonic() + WAIT
        while _group_members(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _group_members(proc.pid) == []
    finally:
        for pid in _group_members(proc.pid):
            os.kill(pid, signal.SIGKILL)
    assert status == expected
    time.sleep(2)
    assert _snapshot(root) == after_exit, "files changed after the run had exited"
    changed = set()
    for path, data in after_exit.items():
        if path.endswith(".tmp"):
            assert how == "kill" and os.path.basename(path).startswith(".portkit-")
            continue
        before = original[path]
        assert data in (before, fixed.get(before, before)), "%s is neither the original nor its fix" % path
        if data != before:
            changed.add(path)
    stderr = (tmp_path / "err").read_text()
    assert "Traceback" not in stderr
    if how != "kill":
        assert changed, "a file was written before the signal"
        listed = {line[len("fixed "):] for line in stderr.splitlines() if line.startswith("fixed ")}
        assert listed == changed  # the files changed, and only those, are printed
        assert "interrupted by %s" % ("SIGTERM" if how == "term" else "SIGINT") in stderr


STUCK_SCAN = """
import os, sys, time
from portkit import process
real = process.process_file
def stuck(path, settings, known=None):
    if path.endswith("stuck.py"):
        open(os.environ["STUCK_MARK"], "w").close()
        while True:  # an analysis that never ends (and is not out of CPU time yet)
            time.sleep(0.01)
    return real(path, settings, known)
process.process_file = stuck
from portkit.cli import main
sys.argv[0] = "portkit"
main()
"""


@pytest.mark.skipif(not LINUX, reason="reads /proc to find the workers")
@pytest.mark.parametrize("how,expected", [("group", 130), ("term", 143)])
def test_a_signal_stops_a_scan_whose_worker_is_busy(tmp_path, how, expected):
    for i in range(6):
        (tmp_path / ("m%d.py" % i)).write_text(PY2 * 300)  # past the size below which no pool is used
    (tmp_path / "stuck.py").write_text(PY2 * 1000)  # the largest: its analysis starts first
    mark = tmp_path / "started"
    env = dict(os.environ, PYTHONPATH=REPO, PORTKIT_NO_CACHE="1", STUCK_MARK=str(mark))
    with open(str(tmp_path / "err"), "wb") as err:
        proc = subprocess.Popen([sys.executable, "-c", STUCK_SCAN, "scan", "-j", "2", str(tmp_path)],
                                stdout=subprocess.DEVNULL, stderr=err, env=env, start_new_session=True)
    try:
        deadline = time.monotonic() + WAIT
        while not mark.exists() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        assert mark.exists() and proc.poll() is None
        if how == "group":
            os.killpg(proc.pid, signal.SIGINT)
        else:
            os.kill(proc.pid, signal.SIGTERM)
        status = proc.wait(WAIT)
        deadline = time.monotonic() + WAIT
        while _group_members(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _group_members(proc.pid) == []
    finally:
        for pid in _group_members(proc.pid):
            os.kill(pid, signal.SIGKILL)
    assert status == expected
    stderr = (tmp_path / "err").read_text()
    assert "Traceback" not in stderr and "portkit: interrupted by" in stderr


def test_stale_temporary_files_are_removed_by_the_next_run(tmp_path):
    (tmp_path / "a.py").write_text(PY2)
    writer = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(%d)" % WAIT])
    try:
        dead = tmp_path / ".portkit-999999999-abc.tmp"  # no such process
        old_style = tmp_path / ".portkit-x1y2z3.tmp"  # the names of older versions
        other = tmp_path / (".portkit-%d-live.tmp" % writer.pid)  # a live writer's: kept
        for path in (dead, old_style, other):
            path.write_text("half")
        result = invoke("fix", "--no-cache", tmp_path)
    finally:
        writer.kill()
        writer.wait(WAIT)
    assert result.exit_code == 1
    assert not dead.exists() and not old_style.exists() and other.exists()
    assert "six" in (tmp_path / "a.py").read_text()


def test_a_worker_that_dies_costs_its_files_an_error_not_a_hang(tmp_path, monkeypatch):
    real = process_mod.process_file

    def dies(path, settings, known=None):
        if path.endswith("dies.py"):
            os._exit(3)
        return real(path, settings, known)

    monkeypatch.setattr(concurrency, "SERIAL_BYTES", 0)
    monkeypatch.setattr(process_mod, "process_file", dies)
    paths = []
    for name in ("a.py", "b.py", "dies.py", "c.py"):
        (tmp_path / name).write_text(PY2)
        paths.append(str(tmp_path / name))
    results, _ = concurrency.run(paths, Settings(codes=frozenset(select_codes(["PK2"], []))), jobs=2)
    by_name = {os.path.basename(r.path): r for r in results}
    assert "worker process died (exit status 3)" in by_name["dies.py"].error
    assert all(by_name[n].error is None and by_name[n].findings for n in ("a.py", "b.py", "c.py"))


def test_jobs_are_capped_at_the_work_units(tmp_path, monkeypatch):
    started = []
    real_start = concurrency._Pool._start

    def start(pool):
        started.append(1)
        return real_start(pool)

    monkeypatch.setattr(concurrency, "SERIAL_BYTES", 0)
    monkeypatch.setattr(concurrency._Pool, "_start", start)
    paths = []
    for name in ("a.py", "b.py", "c.py"):
        (tmp_path / name).write_text(PY2)
        paths.append(str(tmp_path / name))
    results, _ = concurrency.run(paths, Settings(codes=frozenset(select_codes(["PK2"], []))), jobs=100000)
    assert len(started) == 3 and all(r.findings for r in results)


# -- files that are not regular files, links -----------------------------------------

def _portkit(*args, cwd=None):
    env = dict(os.environ, PYTHONPATH=REPO, PORTKIT_NO_CACHE="1", NO_COLOR="1")
    return subprocess.run([sys.executable, "-m", "portkit"] + [str(a) for a in args], capture_output=True,
                          text=True, env=env, timeout=WAIT, cwd=cwd)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_fifo_socket_and_device_named_py_get_one_error_line(tmp_path):
    (tmp_path / "good.py").write_text(PY2)
    os.mkfifo(str(tmp_path / "fifo.py"))
    sock = socket.socket(socket.AF_UNIX)
    names = ["fifo.py"]
    try:
        try:
            sock.bind(str(tmp_path / "sock.py"))
            names.append("sock.py")
        except OSError:  # a path too long for a socket: the FIFO is enough
            pass
        if os.path.exists("/dev/null"):
            os.symlink("/dev/null", str(tmp_path / "null.py"))
            names.append("null.py")
        for command in ("scan", "fix"):  # a subprocess: a hang fails on the timeout
            result = _portkit(command, tmp_path)
            assert result.returncode == 2
            errors = [line for line in result.stderr.splitlines() if ": error: " in line]
            assert sorted(os.path.basename(line.split(":")[0]) for line in errors) == sorted(names)
            assert all("not a regular file" in line for line in errors)
            assert "Traceback" not in result.stderr
        assert "six" in (tmp_path / "good.py").read_text()  # the others still processed
        assert stat.S_ISFIFO(os.stat(str(tmp_path / "fifo.py")).st_mode)
    finally:
        sock.close()


def test_a_symlinked_file_has_its_target_fixed_and_stays_a_link(tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "src").mkdir()
    target = tmp_path / "real" / "target.py"
    target.write_text(PY2)
    link = tmp_path / "src" / "link.py"
    os.symlink(os.path.join("..", "real", "target.py"), str(link))
    result = invoke("fix", "--no-cache", tmp_path / "src")
    assert result.exit_code == 1 and errors_of(result) == []
    assert os.path.islink(str(link)) and os.readlink(str(link)) == os.path.join("..", "real", "target.py")
    assert "six.iteritems(d)" in target.read_text()
    # the link and its target in one run: the file is fixed once, without errors
    target.write_text(PY2)
    result = invoke("fix", "--no-cache", tmp_path)
    assert result.exit_code == 1 and errors_of(result) == []
    assert os.path.islink(str(link)) and "six.iteritems(d)" in target.read_text()


def test_a_file_with_hard_links_is_refused_with_one_line(tmp_path):
    (tmp_path / "a.py").write_text(PY2)
    (tmp_path / "other.py").write_text(PY2)
    os.link(str(tmp_path / "a.py"), str(tmp_path / "twin.py"))
    result = invoke("fix", "--no-cache", tmp_path)
    assert result.exit_code == 2
    errors = errors_of(result)
    assert len(errors) == 2 and all("hard links; not changed" in line for line in errors)
    assert (tmp_path / "a.py").read_text() == PY2 and (tmp_path / "twin.py").read_text() == PY2
    assert os.stat(str(tmp_path / "a.py")).st_ino == os.stat(str(tmp_path / "twin.py")).st_ino
    assert "six" in (tmp_path / "other.py").read_text()
    assert invoke("scan", "--no-cache", tmp_path).exit_code == 1  # only writing is refused


# -- errors: one line, exit 2, the others still processed --------------------------------

@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root writes in read-only folders")
def test_a_read_only_folder_is_one_error_line(tmp_path):
    _read_only_folder_case(tmp_path, None)


def test_a_folder_where_no_temporary_file_can_be_made_is_one_error_line(tmp_path, monkeypatch):
    import tempfile

    real = tempfile.mkstemp

    def refused(*args, **kwargs):
        if os.path.basename(kwargs.get("dir", "")) == "locked":
            raise PermissionError(13, "Permission denied")
        return real(*args, **kwargs)

    monkeypatch.setattr(tempfile, "mkstemp", refused)
    _read_only_folder_case(tmp_path, monkeypatch)


def _read_only_folder_case(tmp_path, patched):
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "a.py").write_text(PY2)
    (tmp_path / "b.py").write_text(PY2)
    if patched is None:
        os.chmod(str(locked), 0o555)
    try:
        result = invoke("fix", "--no-cache", tmp_path)
    finally:
        os.chmod(str(locked), 0o755)
    assert result.exit_code == 2
    assert errors_of(result) == ["%s: error: cannot create a temporary file in %s: Permission denied; not changed"
                                 % (locked / "a.py", locked)]
    assert "fixed %s" % (tmp_path / "b.py") in result.stderr and "six" in (tmp_path / "b.py").read_text()
    assert "1 file changed" in result.stderr
    assert (locked / "a.py").read_text() == PY2


@pytest.mark.skipif(sys.platform in ("darwin", "win32"), reason="file names must be valid Unicode there")
def test_a_non_utf8_file_name_is_one_error_line_with_the_cache_on(tmp_path):
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "good.py").write_text(PY2)
    bad = os.path.join(os.fsencode(str(pkg)), b"bad\xff.py")
    try:
        with open(bad, "wb") as handle:
            handle.write(PY2.encode())
    except OSError:
        pytest.skip("this file system takes only UTF-8 names")
    env = {"PORTKIT_NO_CACHE": None, "PORTKIT_CACHE_DIR": str(tmp_path / "cache")}
    for args in (("scan",), ("scan", "--format", "json"), ("fix",)):
        result = invoke(*(args + (pkg,)), env=env)
        assert result.exit_code == 2
        errors = errors_of(result)
        assert errors == ["%s: error: file name is not valid UTF-8; skipped" % os.path.join(str(pkg), "bad\\xff.py")]
        if args == ("scan",):
            assert "good.py:4:17: PK201" in result.stdout
        if "json" in args:
            data = json.loads(result.stdout)
            assert [e["path"] for e in data["errors"]] == [os.path.join(str(pkg), "bad\\xff.py")]
    assert "six" in (pkg / "good.py").read_text()


def test_a_pyproject_that_is_not_utf8_is_one_error_line(tmp_path):
    (tmp_path / "a.py").write_text(PY2)
    (tmp_path / "pyproject.toml").write_bytes(b"[tool.portkit]\n# caf\xe9\nignore = ['PK204']\n")
    result = invoke("scan", "--no-cache", tmp_path)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "%s: error: not valid UTF-8 (line 2); the file must be UTF-8" % (tmp_path / "pyproject.toml")]


def test_a_percent_sign_in_setup_cfg_is_just_a_character(tmp_path):
    (tmp_path / "a.py").write_text(PY2)
    (tmp_path / "legacy%").mkdir()
    (tmp_path / "legacy%" / "old.py").write_text(PY2)
    (tmp_path / "setup.cfg").write_text("[portkit]\nexclude = legacy%\n")
    result = invoke("scan", "--no-cache", tmp_path)
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    assert "a.py:4:17: PK201" in result.stdout and "old.py" not in result.stdout


@pytest.mark.parametrize("bad", [
    lambda e: e[:3] + ((("4", 17, "PK201", "m", True),),) + e[4:],  # a line that is not a number
    lambda e: e[:3] + ((("x",),),) + e[4:],  # a row of the wrong length
    lambda e: e[:4] + ("0",) + e[5:],  # suppressed as text
    lambda e: (str(e[0]),) + e[1:],  # size as text
])
def test_a_cache_entry_with_wrong_field_types_is_ignored(tmp_path, bad):
    (tmp_path / "a.py").write_text(PY2)
    env = {"PORTKIT_NO_CACHE": None, "PORTKIT_CACHE_DIR": str(tmp_path / "cache")}
    first = invoke("scan", tmp_path / "a.py", env=env)
    [cache_file] = [p for p in (tmp_path / "cache").iterdir() if p.name.startswith("results-")]
    entries = marshal.loads(cache_file.read_bytes())
    entries = {key: bad(entry) for key, entry in entries.items()}
    cache_file.write_bytes(marshal.dumps(entries))
    again = invoke("scan", tmp_path / "a.py", env=env)
    assert again.exit_code == 1 and again.stdout == first.stdout


@pytest.mark.parametrize("name,config,message", [
    ("pyproject.toml", '[tool.portkit]\nselect = ["PK7"]\n', "[tool.portkit] select: unknown code or prefix PK7"),
    ("pyproject.toml", '[tool.portkit]\nignore = ["PK7"]\n', "[tool.portkit] ignore: unknown code or prefix PK7"),
    ("pyproject.toml", "[tool.portkit]\njobs = -3\n", "[tool.portkit] jobs: must be 0 (all CPUs) or more, not -3"),
    ("pyproject.toml", "[tool.portkit]\njobs = true\n", "[tool.portkit] jobs: must be a whole number, not True"),
    ("pyproject.toml", "[tool.portkit]\nselect = []\n", "[tool.portkit] select: is empty"),
    ("pyproject.toml", '[tool.portkit]\nformat = "xml"\n', "[tool.portkit] format: must be one of"),
    ("pyproject.toml", "[tool.portkit\n", "not valid TOML"),
    ("setup.cfg", "[portkit]\njobs = true\n", "[portkit] jobs: must be a whole number, not 'true'"),
    ("setup.cfg", "[portkit]\njobs = -3\n", "[portkit] jobs: must be 0 (all CPUs) or more, not -3"),
    ("setup.cfg", "[portkit]\nselect = PK7\n", "[portkit] select: unknown code or prefix PK7"),
])
def test_config_errors_name_the_file_and_the_key(tmp_path, name, config, message):
    (tmp_path / "a.py").write_text(PY2)
    (tmp_path / name).write_text(config)
    result = invoke("scan", "--no-cache", tmp_path)
    assert result.exit_code == 2
    [line] = result.stderr.splitlines()
    assert line.startswith("%s: error: " % (tmp_path / name)) and message in line


# -- output and options ------------------------------------------------------------------

@pytest.fixture
def pkg(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "a.py").write_text(PY2)
    (tmp_path / "pkg" / "b.py").write_text("x = 1\n")
    return tmp_path / "pkg"


def test_statistics_with_json_are_inside_the_object(pkg):
    result = invoke("scan", "--no-cache", "--format", "json", "--statistics", pkg)
    data = json.loads(result.stdout)
    assert {(s["code"], s["count"]) for s in data["statistics"]} == {("PK207", 2), ("PK201", 1), ("PK204", 1)}
    assert "statistics" not in json.loads(invoke("scan", "--no-cache", "--format", "json", pkg).stdout)


def test_statistics_with_sarif_go_to_stderr(pkg):
    result = invoke("scan", "--no-cache", "--format", "sarif", "--statistics", pkg)
    assert json.loads(result.stdout)["version"] == "2.1.0"
    assert any(line.split()[:2] == ["2", "PK207"] for line in result.stderr.splitlines())


def test_quiet_statistics_print_only_the_counts(pkg):
    result = invoke("scan", "--no-cache", "-q", "--statistics", pkg)
    assert [line.split()[:2] for line in result.stdout.splitlines()] == [["2", "PK207"], ["1", "PK201"], ["1", "PK204"]]
    assert result.exit_code == 1


def test_discovery_errors_are_in_json_sarif_and_github(pkg, tmp_path):
    missing = tmp_path / "missing"
    data = json.loads(invoke("scan", "--no-cache", "--format", "json", pkg, missing).stdout)
    assert data["errors"] == [{"path": str(missing), "error": "no such file or directory"}]
    sarif = json.loads(invoke("scan", "--no-cache", "--format", "sarif", pkg, missing).stdout)
    invocation = sarif["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    assert invocation["toolExecutionNotifications"][0]["message"]["text"] == "%s: no such file or directory" % missing
    github = invoke("scan", "--no-cache", "--format", "github", pkg, missing)
    assert any(line.startswith("::error file=") and "no such file" in line for line in github.stdout.splitlines())
    assert github.exit_code == 2


@pytest.mark.parametrize("data,reason", [
    (b'print "a"\nx = d.iteritems(\n', "syntax error at line 2"),
    (b'print "a"\nx = d.iteritems()\x00\n', "null bytes"),
])
def test_scan_lists_no_fixable_findings_for_files_fix_refuses(tmp_path, data, reason):
    (tmp_path / "bad.py").write_bytes(data)
    scan = invoke("scan", "--no-cache", tmp_path)
    assert scan.exit_code == 2 and "[*]" not in scan.stdout
    assert len(errors_of(scan)) == 1 and reason in errors_of(scan)[0]
    fix = invoke("fix", "--no-cache", tmp_path)
    assert fix.exit_code == 2 and errors_of(fix) == errors_of(scan)
    assert (tmp_path / "bad.py").read_bytes() == data


def test_select_takes_rule_names_and_refuses_an_empty_selection(pkg):
    by_name = invoke("scan", "--no-cache", "--select", "dict-iter-methods", pkg)
    by_code = invoke("scan", "--no-cache", "--select", "PK201", pkg)
    assert by_name.exit_code == 1 and by_name.stdout == by_code.stdout and "PK201" in by_code.stdout
    assert invoke("explain", "dict-iter-methods").exit_code == 0
    empty = invoke("scan", "--no-cache", "--select", "", pkg)
    assert empty.exit_code == 2 and "--select is empty" in empty.stderr
    ignored = invoke("scan", "--no-cache", "--ignore", "dict-iter-methods", pkg)
    assert "PK201" not in ignored.stdout and "PK207" in ignored.stdout


def test_no_path_means_the_current_folder(pkg, monkeypatch):
    monkeypatch.chdir(str(pkg))
    result = invoke("scan", "--no-cache")
    assert result.exit_code == 1 and result.stdout.startswith("a.py:1:1: PK207")


def test_stdin_scan_uses_the_stdin_filename(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # not under this repository's pyproject.toml (a Python 3 project)
    result = invoke("scan", "--no-cache", "-", "--stdin-filename", "src/app.py", input=PY2)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[1].startswith("src/app.py:4:17: PK201")
    assert invoke("scan", "--stdin-filename", "src/app.py", input=PY2).stdout == result.stdout  # no path
    plain = invoke("scan", "-", input=PY2)
    assert plain.stdout.startswith("-:1:1: PK207")
    assert invoke("scan", "-", input="x = 1\n").exit_code == 0
    assert invoke("scan", "-", tmp_path, input=PY2).exit_code == 2


def test_stdin_fix_writes_the_fixed_text_to_stdout(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # not under this repository's pyproject.toml (a Python 3 project)
    result = invoke("fix", "-", "--stdin-filename", "app.py", input=PY2)
    assert result.exit_code == 1 and "six.iteritems(d)" in result.stdout and "urllib2" not in result.stdout
    unchanged = invoke("fix", "-", input="x = 1\n")
    assert unchanged.exit_code == 0 and unchanged.stdout == "x = 1\n"
    broken = invoke("fix", "-", "--stdin-filename", "b.py", input="def f(:\n")
    assert broken.exit_code == 2 and broken.stdout == "def f(:\n"  # the text is never lost
    assert errors_of(broken) == ["b.py: error: syntax error at line 1: invalid syntax"]
    diff = invoke("fix", "-", "--diff", "--stdin-filename", "app.py", input=PY2)
    assert diff.exit_code == 1 and "+    for k, v in six.iteritems(d):" in diff.stdout
    assert list(tmp_path.iterdir()) == []


def test_progress_bar_goes_by_bytes_and_hides_the_eta_at_first(tmp_path, monkeypatch):
    bars = []

    class Bar:
        def __init__(self, **kwargs):
            self.kwargs, self.show_eta, self.pos, self.shown = kwargs, kwargs["show_eta"], 0, []
            bars.append(self)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def update(self, size, item):
            self.pos += size
            self.shown.append((self.show_eta, item))

    class Tty:
        def isatty(self):
            return True

    for i in range(60):
        (tmp_path / ("m%d.py" % i)).write_text("x = %d\n" % i)
    monkeypatch.setattr(cli_mod.click, "progressbar", lambda **kwargs: Bar(**kwargs))
    monkeypatch.setattr(cli_mod.click, "get_text_stream", lambda name: Tty())
    monkeypatch.setattr(cli_mod, "ETA_AFTER_SECONDS", 0.0)
    found = cli_mod.discover([str(tmp_path)])
    results, _ = cli_mod._run(Settings(codes=frozenset(select_codes(["PK2"], []))), found, 1, quiet=False)
    [bar] = bars
    total = sum(os.path.getsize(p) for p in found.files)
    assert bar.kwargs["length"] == total and bar.pos == total
    assert bar.shown[0] == (False, "1/60 files")  # the ETA hidden until a tenth of the bytes are done
    assert bar.shown[-1] == (True, "60/60 files")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_given_by_name_is_one_error_line(tmp_path):
    os.mkfifo(str(tmp_path / "given.py"))
    (tmp_path / "a.py").write_text(PY2)
    result = invoke("scan", "--no-cache", tmp_path / "given.py", tmp_path / "a.py")
    assert result.exit_code == 2 and "PK201" in result.stdout
    assert errors_of(result) == ["%s: error: a FIFO, not a regular file or folder; skipped" % (tmp_path / "given.py")]
