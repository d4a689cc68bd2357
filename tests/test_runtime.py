"""Runtime evidence: the collector's merging, the warning -> code map, and
scan/fix output with confirmed and runtime-only (PK901) findings."""
from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys

import pytest
from click.testing import CliRunner

from portkit import runtime
from portkit.cli import main
from portkit.init import collector_source
from portkit.registry import load_fixers

HERE = os.path.dirname(os.path.abspath(__file__))


def _collector():
    spec = importlib.util.spec_from_file_location("portkit_collector_under_test", collector_source())
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def invoke(*args):
    try:
        runner = CliRunner(mix_stderr=False)
    except TypeError:
        runner = CliRunner()
    # Listed so that CliRunner restores them: --runtime-kinds sets both.
    env = {"NO_COLOR": "1", runtime.KINDS_ENV: None, "PORTKIT_NO_CACHE": "1"}
    return runner.invoke(main, [str(a) for a in args], env=env, catch_exceptions=False)


# -- warning -> code ------------------------------------------------------------
@pytest.mark.parametrize("message,codes", [
    ("dict.has_key() not supported in 3.x; use the in operator", ("PK202",)),
    ("classic int division", ("PK240",)),
    ("the cmp argument is not supported in 3.x", ("PK224",)),
    ("'hex' is not a text encoding; use codecs.encode() to handle arbitrary codecs", ("PK407",)),
    ("BaseException.message has been deprecated as of Python 2.6", ("PK232",)),
    ("<> not supported in 3.x; use !=", ("PK104",)),
    ("the commands module has been removed in Python 3.0; use the subprocess module instead", ("PK252",)),
    ("the md5 module is deprecated; use hashlib instead", ("PK253",)),
    ("comparing unequal types not supported in 3.x", ()),
    ("dict inequality comparisons not supported in 3.x", ()),
])
def test_warning_messages_map_to_codes(message, codes):
    assert runtime.codes_for(message) == codes


def test_the_docs_list_every_pattern():
    with open(os.path.join(os.path.dirname(HERE), "docs", "runtime-warnings.md")) as handle:
        doc = handle.read()
    for pattern, codes in runtime.WARNING_CODES:
        assert "| `%s` | %s |" % (pattern.replace("|", "\\|"), ", ".join(codes)) in doc, pattern


def test_every_mapped_code_exists():
    known = load_fixers()
    for _, codes in runtime.WARNING_CODES:
        assert all(code in known for code in codes), codes
    assert known[runtime.RUNTIME_CODE].stage == "runtime"


# -- the collector's file ------------------------------------------------------------
def _run(path, line, count, kinds):
    return {
        "warnings": [{"scope": "project", "path": path, "line": line, "category": "DeprecationWarning",
                      "message": "dict.has_key() not supported in 3.x; use the in operator", "count": count}],
        "evidence": {path: {"f:1": {"name": "f", "line": 1, "calls": sum(kinds.values()),
                                    "params": {"data": kinds}, "return": {"None": 1}}}},
        "files": {path: "aaa"},
        "runs": [{"python": "2.7.18"}],
    }


def test_merge_adds_counts_of_the_same_warning_and_function():
    collector = _collector()
    document = collector.merge(collector.empty(), _run("m.py", 2, 3, {"str": 2}))
    document = collector.merge(document, _run("m.py", 2, 4, {"str": 1, "unicode": 5}))
    assert [w["count"] for w in document["warnings"]] == [7]
    entry = document["evidence"]["m.py"]["f:1"]
    assert entry["params"]["data"] == {"str": 3, "unicode": 5}
    assert entry["calls"] == 8 and entry["return"] == {"None": 2}
    assert len(document["runs"]) == 2


def test_merge_starts_a_changed_file_afresh():
    collector = _collector()
    document = collector.merge(collector.empty(), _run("m.py", 2, 3, {"str": 2}))
    changed = _run("m.py", 9, 1, {"unicode": 1})
    changed["files"] = {"m.py": "bbb"}
    document = collector.merge(document, changed)
    assert [(w["line"], w["count"]) for w in document["warnings"]] == [(9, 1)]
    assert document["evidence"]["m.py"]["f:1"]["params"]["data"] == {"unicode": 1}
    assert document["files"] == {"m.py": "bbb"}


def test_write_merged_is_atomic_and_leaves_no_lock(tmp_path):
    collector = _collector()
    target = tmp_path / ".portkit" / "runtime.json"
    collector.write_merged(str(target), _run("m.py", 2, 1, {"str": 1}))
    collector.write_merged(str(target), _run("m.py", 2, 1, {"str": 1}))
    assert json.loads(target.read_text())["warnings"][0]["count"] == 2
    assert sorted(os.listdir(str(target.parent))) == ["runtime.json"]
    target.write_text("{not json")
    collector.write_merged(str(target), _run("m.py", 2, 1, {"str": 1}))  # a broken file starts afresh
    assert json.loads(target.read_text())["warnings"][0]["count"] == 1


def test_collector_check_script_on_this_python():
    """The same script the collector-py27 tox env runs under 2.7 -3."""
    out = subprocess.run([sys.executable, os.path.join(HERE, "collector_check.py")],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().endswith("passed, 0 failed")


@pytest.mark.skipif(shutil.which("python2.7") is None, reason="no python2.7 on PATH")
def test_collector_check_script_on_python27():
    out = subprocess.run(["python2.7", "-3", os.path.join(HERE, "collector_check.py")],
                         capture_output=True, text=True, timeout=120)
    if out.returncode != 0 and "command not found" in out.stderr:  # a pyenv shim without 2.7 selected
        pytest.skip(out.stderr.strip())
    assert out.returncode == 0, out.stderr


# -- scan and fix with runtime data ------------------------------------------------------
MODULE = (
    "def check(d, key):\n"
    "    return d.has_key(key)\n"
    "\n"
    "def newest(items):\n"
    "    return max(items)\n"
    "\n"
    "def quiet(items):\n"
    "    return sorted(items)  # portkit: ignore[PK901]\n"
)


def _warning(line, message, count=1, scope="project", path="pkg/mod.py"):
    return {"scope": scope, "path": path, "line": line, "category": "DeprecationWarning",
            "message": message, "count": count}


@pytest.fixture
def traced(tmp_path):
    """A project whose 2.7 run raised has_key (line 2, found statically too),
    comparing unequal types (line 5: runtime only; line 8: suppressed) and
    one warning in site-packages."""
    (tmp_path / "pkg").mkdir()
    source = tmp_path / "pkg" / "mod.py"
    source.write_text(MODULE)
    document = {
        "format": 1, "root": "/elsewhere/when/recorded", "runs": [],
        "warnings": [
            _warning(2, "dict.has_key() not supported in 3.x; use the in operator", 30),
            _warning(5, "comparing unequal types not supported in 3.x", 2),
            _warning(8, "comparing unequal types not supported in 3.x", 1),
            _warning(10, "the sets module is deprecated", 1, scope="site-packages", path="/sp/x.py"),
        ],
        "evidence": {"pkg/mod.py": {
            "check:1": {"name": "check", "line": 1, "calls": 12,
                        "params": {"d": {"other": 12}, "key": {"str": 12}}, "return": {"other": 12}},
            "newest:4": {"name": "newest", "line": 4, "calls": 3,
                         "params": {"items": {"other": 3}}, "return": {"str": 1, "unicode": 2}},
        }},
        "boundaries": {"pkg/mod.py": {
            "5 re.sub": {"line": 5, "function": "re.sub", "calls": 2,
                         "params": {"pattern": {"str": 2}, "string": {"unicode": 2}}},
            "2 base64.b64encode": {"line": 2, "function": "base64.b64encode", "calls": 4, "params": {"s": {"str": 4}}},
        }},
        "files": {"pkg/mod.py": hashlib.sha1(source.read_bytes()).hexdigest()},
    }
    (tmp_path / ".portkit").mkdir()
    (tmp_path / ".portkit" / "runtime.json").write_text(json.dumps(document))
    return tmp_path


def test_scan_text_marks_confirmed_and_reports_runtime_only(traced):
    result = invoke("scan", "--no-cache", traced / "pkg")
    lines = result.stdout.splitlines()
    confirmed = [line for line in lines if ":2:" in line and "PK202" in line]
    assert confirmed and confirmed[0].endswith("(confirmed at runtime)")
    runtime_only = [line for line in lines if "PK901" in line]
    assert len(runtime_only) == 1 and ":5:1: PK901" in runtime_only[0]
    assert "comparing unequal types not supported in 3.x" in runtime_only[0]
    assert "1 finding confirmed at runtime, 1 found only at runtime" in result.stderr
    assert "site-packages 1" in result.stderr
    assert result.exit_code == 1


def test_scan_json_and_sarif_carry_confirmed_and_origin(traced):
    findings = json.loads(invoke("scan", "--no-cache", "--format", "json", traced / "pkg").stdout)["findings"]
    by_code = {f["code"]: f for f in findings}
    assert by_code["PK202"]["confirmed"] is True and by_code["PK202"]["origin"] == "static"
    assert by_code["PK901"]["origin"] == "runtime" and by_code["PK901"]["confirmed"] is False
    assert not by_code["PK901"]["fixable"]
    sarif = json.loads(invoke("scan", "--no-cache", "--format", "sarif", traced / "pkg").stdout)
    results = sarif["runs"][0]["results"]
    props = {r["ruleId"]: r["properties"] for r in results}
    assert props["PK202"]["confirmed"] is True
    assert props["PK901"] == {"fixable": False, "confirmed": False, "origin": "runtime"}
    assert "PK901" in [rule["id"] for rule in sarif["runs"][0]["tool"]["driver"]["rules"]]


def test_no_runtime_select_and_explicit_file(traced, tmp_path_factory):
    plain = json.loads(invoke("scan", "--no-cache", "--no-runtime", "--format", "json", traced / "pkg").stdout)
    assert all("confirmed" not in f and f["code"] != "PK901" for f in plain["findings"])
    selected = json.loads(invoke("scan", "--no-cache", "--select", "PK2", "--format", "json", traced / "pkg").stdout)
    assert [f["code"] for f in selected["findings"]] == ["PK202"] and selected["findings"][0]["confirmed"]
    # --runtime: a file elsewhere; its paths are relative to its recorded root.
    elsewhere = tmp_path_factory.mktemp("elsewhere") / "evidence.json"
    document = json.loads((traced / ".portkit" / "runtime.json").read_text())
    document["root"] = str(traced)
    elsewhere.write_text(json.dumps(document))
    shutil.rmtree(str(traced / ".portkit"))
    assert "PK901" not in invoke("scan", "--no-cache", traced / "pkg").stdout
    assert "PK901" in invoke("scan", "--no-cache", "--runtime", elsewhere, traced / "pkg").stdout
    elsewhere.write_text("[]")
    broken = invoke("scan", "--no-cache", "--runtime", elsewhere, traced / "pkg")
    assert broken.exit_code == 2 and "not a portkit runtime file" in broken.stderr


def test_a_changed_file_is_not_matched(traced):
    (traced / "pkg" / "mod.py").write_text("\n" + MODULE)
    result = invoke("scan", "--no-cache", traced / "pkg")
    assert "PK901" not in result.stdout and "confirmed at runtime" not in result.stdout
    assert "1 file changed since the 2.7 run" in result.stderr


def test_fix_reports_against_the_code_the_run_saw(traced):
    result = invoke("fix", "--no-cache", traced / "pkg")
    assert result.exit_code == 1
    assert "1 finding confirmed at runtime, 1 found only at runtime" in result.stderr
    assert "1 finding need a person" in result.stderr or "1 findings need a person" in result.stderr
    assert "key in d" in (traced / "pkg" / "mod.py").read_text()


def test_observed_kinds_api(traced):
    data = runtime.load(str(traced / ".portkit" / "runtime.json"))
    assert data.root == os.path.realpath(str(traced))
    mix = data.observed_kinds(str(traced / "pkg" / "mod.py"), "check", "key")
    assert mix.counts == {"str": 12} and mix.only(minimum=10) == "str" and mix.only(minimum=13) is None
    ret = data.observed_kinds("pkg/mod.py", "newest", "return")
    assert ret.only() is None and ret.describe() == "unicode 2, str 1"
    assert data.observed_kinds("pkg/mod.py", "newest", "nope") is None
    assert data.observed_kinds("pkg/mod.py", "absent", "x") is None
    assert data.is_fresh(str(traced / "pkg" / "mod.py"))
    calls = data.boundary_calls(str(traced / "pkg" / "mod.py"))
    assert [(c.line, c.function, c.calls) for c in calls] == [(2, "base64.b64encode", 4), (5, "re.sub", 2)]
    assert data.boundary_calls("pkg/mod.py", line=5)[0].params["string"].only() == "unicode"
    assert runtime.find_runtime_file([str(traced / "pkg" / "mod.py")]) == str(traced / ".portkit" / "runtime.json")


def test_explain_knows_the_runtime_code():
    result = invoke("explain", "PK901")
    assert result.exit_code == 0 and "2.7 -3" in result.stdout


SIGN = (
    "import hashlib\n\n\n"
    "def digest(token):\n    return hashlib.md5(token).hexdigest()\n\n\n"
    "def label(name):\n    return hashlib.sha1(name).hexdigest()\n\n\n"
    "def tag(value):\n    return hashlib.sha1(value).hexdigest()\n"
)


def test_runtime_kinds_decide_unknown_parameters_only_when_one_kind_was_seen(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "sign.py").write_text(SIGN)
    evidence = {
        "digest:4": {"name": "digest", "line": 4, "calls": 5, "params": {"token": {"unicode": 5}}, "return": {}},
        "label:8": {"name": "label", "line": 8, "calls": 5, "params": {"name": {"unicode": 2, "str": 3}},
                    "return": {}},
        "tag:12": {"name": "tag", "line": 12, "calls": 9, "params": {"value": {"str": 9}}, "return": {}},
    }
    (tmp_path / ".portkit").mkdir()
    (tmp_path / ".portkit" / "runtime.json").write_text(json.dumps(
        {"format": 1, "root": str(tmp_path), "runs": [], "warnings": [], "evidence": {"pkg/sign.py": evidence}}))
    plain = invoke("scan", tmp_path / "pkg").stdout
    assert plain.count("is UNKNOWN") == 3 and "seen at runtime" not in plain
    assert os.environ.get(runtime.KINDS_ENV) is None
    lines = invoke("scan", "--runtime-kinds", tmp_path / "pkg").stdout.splitlines()
    digest, label, tag = [line for line in lines if "PK406" in line]
    assert "token is TEXT (seen at runtime: unicode in 5 calls of digest())" in digest and digest.endswith("[*]")
    assert "UNKNOWN" in label and "seen at runtime: str 3, unicode 2" in label  # a mix stays a report
    assert "UNKNOWN" in tag and "seen at runtime: str 9" in tag  # bytes or native: not decided
    invoke("fix", "--runtime-kinds", tmp_path / "pkg")
    assert "hashlib.md5(token.encode('utf-8'))" in (tmp_path / "pkg" / "sign.py").read_text()


def test_the_collector_copy_gives_portkit_nothing_to_do(tmp_path):
    """``portkit init`` copies the collector into the user's project, where
    ``portkit scan .`` and ``fix .`` see it (discovery does not skip
    ``.portkit``): it must stay free of findings, so that fix never edits it."""
    target = tmp_path / "portkit_collector.py"
    shutil.copyfile(collector_source(), str(target))
    result = invoke("scan", "--no-runtime", target)
    assert result.exit_code == 0, result.stdout
