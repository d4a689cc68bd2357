"""The command line as users run it: output formats, options, config, exit codes."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from portkit.cli import main

PY2 = "import urllib2\n\ndef fetch(d):\n    for k, v in d.iteritems():\n        urllib2.urlopen(k)\n    return basestring\n"


@pytest.fixture
def project(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "a.py").write_text(PY2)
    (tmp_path / "pkg" / "b.py").write_text("x = 1\n")
    (tmp_path / "pkg" / ".tox").mkdir()
    (tmp_path / "pkg" / ".tox" / "skipped.py").write_text("x = unicode\n")
    return tmp_path


def invoke(*args, env=None):
    try:
        runner = CliRunner(mix_stderr=False)  # click < 8.2 mixes them by default
    except TypeError:
        runner = CliRunner()
    environment = {"NO_COLOR": "1"}
    environment.update(env or {})
    return runner.invoke(main, [str(a) for a in args], env=environment, catch_exceptions=False)


def test_scan_prints_flake8_lines_and_exits_1(project):
    result = invoke("scan", "--no-cache", project / "pkg")
    path = os.path.join(str(project / "pkg"), "a.py")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines == [
        "%s:1:1: PK207 import of urllib2: every use now goes through six.moves.urllib; import removed [*]" % path,
        "%s:4:17: PK201 dict.iteritems() is gone in Python 3: use six.iteritems(d) [*]" % path,
        "%s:5:9: PK207 urllib2.urlopen moved in Python 3: use six.moves.urllib.request.urlopen [*]" % path,
        "%s:6:12: PK204 basestring is gone in Python 3: use six.string_types (a tuple); not rewritten outside isinstance()" % path,
    ]
    assert "4 findings (3 fixable" in result.stderr


def test_scan_clean_exits_0_and_exit_zero(project):
    assert invoke("scan", "--no-cache", project / "pkg" / "b.py").exit_code == 0
    assert invoke("scan", "--no-cache", "--exit-zero", project / "pkg").exit_code == 0


def test_json_and_statistics(project):
    result = invoke("scan", "--no-cache", "--format", "json", project / "pkg")
    data = json.loads(result.stdout)
    assert [f["code"] for f in data["findings"]] == ["PK207", "PK201", "PK207", "PK204"]
    assert data["findings"][1]["line"] == 4 and data["findings"][1]["column"] == 17
    assert data["findings"][3]["fixable"] is False
    stats = invoke("scan", "--no-cache", "--statistics", "-q", project / "pkg").stdout.splitlines()
    assert stats[-3].split()[:2] == ["2", "PK207"]


def test_sarif_is_2_1_0_with_rules_and_locations(project):
    data = json.loads(invoke("scan", "--no-cache", "--format", "sarif", project / "pkg").stdout)
    assert data["version"] == "2.1.0"
    run = data["runs"][0]
    rules = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert rules == sorted(set(rules)) and "PK201" in rules
    first = run["results"][0]
    assert rules[first["ruleIndex"]] == first["ruleId"]
    region = first["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 1, "startColumn": 1}


def test_github_annotations(project):
    lines = invoke("scan", "--no-cache", "--format", "github", project / "pkg").stdout.splitlines()
    assert lines[1].startswith("::warning file=") and ",line=4,col=17,title=PK201::PK201 " in lines[1]


def test_select_ignore_and_unknown_code(project):
    result = invoke("scan", "--no-cache", "--select", "PK20", "--ignore", "PK207,PK204", project / "pkg")
    assert [line.split()[1] for line in result.stdout.splitlines()] == ["PK201"]
    bad = invoke("scan", "--select", "XX1", project / "pkg")
    assert bad.exit_code == 2 and "unknown code" in bad.stderr


def test_config_in_pyproject_and_setup_cfg(project):
    (project / "pyproject.toml").write_text('[tool.portkit]\nselect = ["PK201"]\n')
    result = invoke("scan", "--no-cache", project / "pkg")
    assert [line.split()[1] for line in result.stdout.splitlines()] == ["PK201"]
    (project / "pyproject.toml").write_text("[tool.black]\n")
    (project / "setup.cfg").write_text("[portkit]\nignore = PK207,\n    PK204\n")
    result = invoke("scan", "--no-cache", project / "pkg")
    assert [line.split()[1] for line in result.stdout.splitlines()] == ["PK201"]
    result = invoke("scan", "--no-cache", "--select", "PK204", project / "pkg")
    assert [line.split()[1] for line in result.stdout.splitlines()] == ["PK204"]


def test_bad_config_is_a_usage_error(project):
    (project / "setup.cfg").write_text("[portkit]\nfrobnicate = yes\n")
    result = invoke("scan", project / "pkg")
    assert result.exit_code == 2 and "unknown portkit setting" in result.stderr


def test_fix_diff_check_and_write(project):
    target = project / "pkg" / "a.py"
    diff = invoke("fix", "--no-cache", "--diff", project / "pkg")
    assert diff.exit_code == 1
    assert "\n-    for k, v in d.iteritems():\n" in diff.stdout
    assert "\n+    for k, v in six.iteritems(d):\n" in diff.stdout
    assert target.read_text() == PY2
    check = invoke("fix", "--no-cache", "--check", project / "pkg")
    assert check.exit_code == 1 and check.stdout == "" and target.read_text() == PY2
    fixed = invoke("fix", "--no-cache", project / "pkg")
    assert fixed.exit_code == 1 and "fixed %s" % target in fixed.stderr
    assert "six.iteritems(d)" in target.read_text()
    again = invoke("fix", "--no-cache", project / "pkg")
    assert again.exit_code == 0


def test_problems_give_exit_2_and_one_line_each(project, tmp_path):
    (project / "pkg" / "broken.py").write_bytes(b"def f(:\n")
    empty = tmp_path / "empty"
    empty.mkdir()
    result = invoke("fix", "--no-cache", project / "pkg", tmp_path / "missing", empty)
    assert result.exit_code == 2
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert len(errors) == 3
    assert any(line.endswith("broken.py: error: syntax error at line 1: invalid syntax") for line in errors)
    assert any("missing: error: no such file or directory" in line for line in errors)
    assert any("empty: error: no Python files found" in line for line in errors)
    assert "six.iteritems" in (project / "pkg" / "a.py").read_text()


def test_symlink_loop_is_reported_once(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "m.py").write_text("x = 1\n")
    os.symlink(str(tmp_path / "src"), str(tmp_path / "src" / "loop"))
    result = invoke("scan", "--no-cache", tmp_path / "src")
    assert result.exit_code == 2
    assert "loop: error: symbolic link loop; not followed" in result.stderr


def test_file_timeout_skips_a_slow_file_with_one_error_line(project):
    (project / "big").mkdir()  # not next to pkg/: the bytes/text rules read sibling modules
    slow = project / "big" / "slow.py"
    slow.write_text("".join("def f%d(d):\n    return d.iteritems(), unicode(d)\n" % i for i in range(40000)))
    # env restores PORTKIT_FILE_TIMEOUT, which the option sets for the workers
    result = invoke("scan", "--no-cache", "-j", "1", "--file-timeout", "1.5", project / "pkg", project / "big",
                    env={"PORTKIT_FILE_TIMEOUT": "120"})
    assert result.exit_code == 2
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert errors == ["%s: error: analysis took longer than 1.5 s of CPU time; file skipped "
                      "(--file-timeout or PORTKIT_FILE_TIMEOUT raises the limit)" % slow]
    assert "PK201" in result.stdout  # the other files are still reported
    assert invoke("scan", "--file-timeout", "-1", project / "pkg").exit_code == 2


def test_usage_errors_exit_2(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert invoke("scan").exit_code == 2  # no path: '.', which has no Python files
    assert invoke("explain", "PK999").exit_code == 2
    assert invoke("scan", "--jobs", "x", ".").exit_code == 2


def test_explain_and_fixers_list():
    result = invoke("explain", "PK201")
    assert result.exit_code == 0
    assert result.stdout.startswith("PK201 (dict-iter-methods): ")
    assert "six.iteritems(d)" in result.stdout and "becomes:" in result.stdout
    listing = invoke("fixers").stdout.splitlines()
    assert any(line.startswith("PK201  fix") for line in listing)
    assert any(" report " in line for line in listing) or all(" fix " in line for line in listing)


def test_colour_only_when_asked(project):
    plain = invoke("scan", "--no-cache", project / "pkg")
    assert "\x1b[" not in plain.stdout
    forced = invoke("scan", "--no-cache", project / "pkg", env={"NO_COLOR": "", "FORCE_COLOR": "1"})
    assert "\x1b[" in forced.stdout


def _console_script():
    candidate = os.path.join(os.path.dirname(sys.executable), "portkit")
    if os.path.exists(candidate):
        return [candidate]
    if os.environ.get("TOX_ENV_NAME"):
        pytest.fail("the portkit console script is not installed in this tox env")
    return None


def test_installed_console_script_end_to_end(project):
    script = _console_script() or [sys.executable, "-m", "portkit"]
    env = dict(os.environ, NO_COLOR="1", PORTKIT_NO_CACHE="1")
    scan = subprocess.run(script + ["scan", str(project / "pkg")], capture_output=True, text=True, env=env)
    assert scan.returncode == 1 and "PK201" in scan.stdout
    fix = subprocess.run(script + ["fix", "-j", "2", str(project / "pkg")], capture_output=True, text=True, env=env)
    assert fix.returncode == 1
    rescan = subprocess.run(script + ["scan", str(project / "pkg")], capture_output=True, text=True, env=env)
    assert rescan.returncode == 1 and "PK201" not in rescan.stdout and "PK204" in rescan.stdout
    module = subprocess.run([sys.executable, "-m", "portkit", "--version"], capture_output=True, text=True)
    assert module.returncode == 0 and "portkit" in module.stdout
