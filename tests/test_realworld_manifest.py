"""Smoke test of the real-world corpus harness (benchmarks/realworld.py).

The harness downloads libraries and runs their suites for minutes, so it is not
part of CI; these tests only load its manifest through its own parser and check
its pure helpers (pass counting, the failure digest's parsing).  No download,
no subprocess.
"""
import importlib.util
import json
import os

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HARNESS = os.path.join(REPO, "benchmarks", "realworld.py")


def _load():
    spec = importlib.util.spec_from_file_location("portkit_realworld", HARNESS)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


realworld = _load()


def test_manifest_is_well_formed():
    manifest = realworld.load_manifest()
    libraries = manifest["libraries"]
    names = [lib["name"] for lib in libraries]
    assert len(names) == len(set(names)) >= 6
    for name in ("BeautifulSoup", "python-openid", "WebHelpers", "html5lib", "oauth2", "mechanize"):
        assert name in names
    for lib in libraries:
        assert lib["key"] == "%s-%s" % (lib["name"], lib["version"])
        assert lib["count"] in realworld.COUNTERS
        assert lib["test"].count("{python}") == 1
        assert all(not os.path.isabs(p) for p in lib["convert"])
        assert set(lib["baseline"]) == {"2.7", "2.7 -3"}
        assert realworld._project(lib["name"]) not in realworld.HELD_OUT


def _write(tmp_path, data):
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps(data))
    return str(path)


def _good():
    return {
        "environments": {"2.7": ["pytest==4.6.11", "mock==3.0.5"], "3": ["pytest==8.3.5", "mock==5.1.0"]},
        "libraries": [{
            "name": "example", "version": "1.0", "pip": "3", "convert": ["example"],
            "test": ["{python}", "-m", "pytest"], "test_deps": ["mock"], "count": "pytest",
            "baseline": {"2.7": 3, "2.7 -3": 3},
        }],
    }


def test_a_minimal_manifest_loads(tmp_path):
    manifest = realworld.load_manifest(_write(tmp_path, _good()))
    assert manifest["libraries"][0]["key"] == "example-1.0"


@pytest.mark.parametrize("change, problem", [
    (lambda lib: lib.update(test=["python", "-m", "pytest"]), "{python}"),
    (lambda lib: lib.update(test_deps=["httplib2"]), "not pinned"),
    (lambda lib: lib.update(count="tap"), "count"),
    (lambda lib: lib.update(baseline={"2.7": 3}), "baseline"),
    (lambda lib: lib.update(convert=["/abs/path"]), "convert"),
    (lambda lib: lib.update(name="Flask"), "held out"),
    (lambda lib: lib.update(pip="2"), "pip"),
])
def test_a_bad_entry_is_refused(tmp_path, change, problem):
    data = _good()
    change(data["libraries"][0])
    with pytest.raises(realworld.ManifestError, match=problem):
        realworld.load_manifest(_write(tmp_path, data))


def test_pytest_counts():
    old = "12 failed, 795 passed, 1995 warnings, 5 error in 1.68 seconds\n"
    assert realworld.count_passes(old, "pytest")["passes"] == 795
    new = "===== 3 failed, 33 passed, 1 skipped, 2 errors in 0.51s =====\n"
    counts = realworld.count_passes(new, "pytest")
    assert (counts["passes"], counts["failed"], counts["errors"], counts["skipped"]) == (33, 3, 2, 1)
    assert realworld.count_passes("ImportError: no module\n", "pytest")["passes"] is None


def test_unittest_and_nose_counts():
    nose = "Ran 129 tests in 0.094s\n\nFAILED (SKIP=4, errors=9)\n"
    assert realworld.count_passes(nose, "unittest")["passes"] == 116
    two = "Ran 10 tests in 1s\n\nOK (skipped=2)\nRan 5 tests in 1s\n\nFAILED (failures=1, expected failures=1)\n"
    assert realworld.count_passes(two, "unittest")["passes"] == 8 + 3
    assert realworld.count_passes("Traceback ...\nSyntaxError: bad\n", "unittest")["passes"] is None


def test_unittest_failures_are_parsed():
    text = "\n".join([
        "=" * 70,
        "ERROR: test_a (pkg.tests.T)",
        "-" * 70,
        "Traceback (most recent call last):",
        '  File "/tmp/portkit-realworld-ab12/run-py3.11/pkg/mod.py", line 7, in f',
        "    return unicode(x)",
        "NameError: name 'unicode' is not defined",
        "",
        "-" * 70,
        "Ran 1 test in 0.001s",
    ])
    [(test, key, where)] = realworld.failures_from_unittest(text)
    assert test == "test_a (pkg.tests.T)"
    assert key == "NameError: name 'unicode' is not defined"
    assert where == "pkg/mod.py:7"
    assert realworld._shape(key) == key  # the name tells the cause apart
    assert realworld._shape("AttributeError: 'T' object has no attribute 'iteritems'") == \
        "AttributeError: '…' object has no attribute 'iteritems'"
    assert realworld._shape("TypeError: not: <class 'bytes'> (b'file')") == "TypeError: not: <class 'bytes'> ('…')"


def test_doctest_failures_are_keyed_by_their_first_example():
    text = "\n".join([
        "=" * 70,
        "FAIL: Doctest: pkg.f",
        "-" * 70,
        "Traceback (most recent call last):",
        '  File "/usr/lib/python3.11/doctest.py", line 2221, in runTest',
        "    raise self.failureException(self.format_failure(new.getvalue()))",
        "AssertionError: Failed doctest test for pkg.f",
        "",
        "-" * 70,
        'File "/tmp/portkit-realworld-ab12/run-py3.11/pkg/__init__.py", line 3, in pkg.f',
        "Failed example:",
        "    print 1",
        "Exception raised:",
        "    Traceback (most recent call last):",
        '      File "<doctest pkg.f[0]>", line 1',
        "        print 1",
        "        ^^^^^^^",
        "    SyntaxError: Missing parentheses in call to 'print'. Did you mean print(...)?",
        "",
        "-" * 70,
        "Ran 1 test in 0.001s",
        "",
        "FAILED (failures=1)",
    ])
    [(test, key, where)] = realworld.failures_from_unittest(text)
    assert test == "Doctest: pkg.f"
    assert key == "doctest: SyntaxError: Missing parentheses in call to 'print'. Did you mean print(...)?"
    assert where == "pkg/__init__.py:3"
