"""``portkit init``: layout detection (never running the project's code),
the tox.ini it renders, and the command's files and exit codes."""
from __future__ import annotations

import configparser
import os

import pytest
from click.testing import CliRunner

from portkit.cli import main
from portkit.init import InitError, detect, python_arguments, render

SETUP_PY2 = '''\
from setuptools import setup, find_packages

print "building"  # Python 2 only: read with the lift, never run

TEST_DEPS = ["mock", "pytest>=3"]

setup(
    name="legacy-app",
    packages=find_packages(),
    install_requires=["six", "requests<2.28"],
    tests_require=TEST_DEPS,
    extras_require={"test": ["nose"]},
)
'''


def invoke(*args):
    try:
        runner = CliRunner(mix_stderr=False)
    except TypeError:
        runner = CliRunner()
    return runner.invoke(main, [str(a) for a in args], env={"NO_COLOR": "1"}, catch_exceptions=False)


def _tree(root, files):
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def _ini(text):
    parser = configparser.RawConfigParser()
    parser.read_string(text)
    return parser


def test_setup_py_is_read_statically(tmp_path):
    marker = tmp_path / "ran"
    _tree(tmp_path, {
        "setup.py": SETUP_PY2 + "open(%r, 'w').write('x')\n" % str(marker),
        "legacy/__init__.py": "",
        "tests/__init__.py": "",
        "tests/test_a.py": "import unittest\n",
    })
    layout = detect(str(tmp_path))
    assert not marker.exists()
    assert layout.name == "legacy-app" and layout.build_files == ["setup.py"]
    assert layout.deps == ["six", "requests<2.28", "mock", "pytest>=3", "nose"]
    assert (layout.tests, layout.tests_kind, layout.tests_is_package) == ("tests", "dir", True)
    assert layout.runner == "pytest" and layout.runner_reason == "pytest in the test requirements"


@pytest.mark.parametrize("files,runner,reason", [
    ({"tests/test_a.py": "import unittest\n"}, "unittest", "no sign of pytest or nose"),
    ({"tests/test_a.py": "import pytest\n"}, "pytest", "the tests import pytest"),
    ({"tests/conftest.py": "", "tests/test_a.py": ""}, "pytest", "a conftest.py"),
    ({"setup.cfg": "[tool:pytest]\naddopts = -q\n", "tests/test_a.py": ""}, "pytest", "setup.cfg [tool:pytest]"),
    ({"pyproject.toml": "[tool.pytest.ini_options]\n", "test_x.py": ""}, "pytest", "pyproject.toml [tool.pytest]"),
    ({"tests/test_a.py": "from nose.tools import eq_\n"}, "nose", "the tests import nose"),
    ({"requirements-test.txt": "nose==1.3.7\n", "tests.py": ""}, "nose", "nose in the test requirements"),
])
def test_runner_detection(tmp_path, files, runner, reason):
    layout = detect(str(_tree(tmp_path, files)))
    assert (layout.runner, layout.runner_reason) == (runner, reason)


@pytest.mark.parametrize("files,where", [
    ({"tests/test_a.py": ""}, ("tests", "dir")),
    ({"test/test_a.py": ""}, ("test", "dir")),
    ({"tests.py": ""}, ("tests.py", "module")),
    ({"test_one.py": ""}, ("", "files")),
    ({"pkg/__init__.py": "", "pkg/tests/test_a.py": ""}, ("pkg/tests", "package-dir")),
    ({"pkg/__init__.py": ""}, ("", "none")),
])
def test_test_layouts(tmp_path, files, where):
    layout = detect(str(_tree(tmp_path, files)))
    assert (layout.tests, layout.tests_kind) == where


def test_setup_cfg_pyproject_requirements_and_src(tmp_path):
    _tree(tmp_path, {
        "setup.cfg": "[metadata]\nname = cfgapp\n[options]\npackage_dir =\n    =src\ninstall_requires =\n"
                     "    six\n    attrs\n[options.extras_require]\ntesting = pytest\n    mock\n",
        "src/cfgapp/__init__.py": "",
        "requirements-dev.txt": "flake8\n",
        "tests/test_a.py": "",
    })
    layout = detect(str(tmp_path))
    assert layout.name == "cfgapp" and layout.source_dir == "src"
    assert layout.deps == ["six", "attrs", "pytest", "mock"]
    assert layout.requirement_files == ["requirements-dev.txt"]
    text = render(layout)
    assert "PYTHONPATH = {toxinidir}/src\n" in text
    assert "    -r{toxinidir}/requirements-dev.txt\n" in text


def test_rendered_tox_ini(tmp_path):
    _tree(tmp_path, {"setup.py": SETUP_PY2, "tests/__init__.py": "", "tests/test_a.py": ""})
    text = render(detect(str(tmp_path)))
    ini = _ini(text)
    assert ini.get("tox", "requires").split() == ["tox>=4", "virtualenv<20.22"]
    assert ini.get("tox", "env_list") == "py27, py39, py310, py311, py312, py313"
    assert ini.get("testenv", "commands").strip() == "python -m pytest {posargs:tests}"
    deps = ini.get("testenv", "deps").split()
    assert deps[0] == "six" and "mock" in deps and deps.count("six") == 1 and "pytest" not in deps
    py27 = ini.get("testenv:py27", "commands").strip()
    assert py27 == "python -3 -m portkit_collector run --root {toxinidir} -- -m pytest {posargs:tests}"
    assert "{toxinidir}/.portkit/collector" in ini.get("testenv:py27", "set_env")
    # A person's file: every section is explained by comments.
    assert text.startswith("# tox.ini for legacy-app, written by `portkit init`")
    assert text.count("\n#") >= 20
    assert "Tests in tests/, run by pytest (pytest in the test requirements)." in text


@pytest.mark.parametrize("files,command", [
    ({"tests/__init__.py": "", "tests/test_a.py": ""}, "-m unittest {posargs:discover -s tests -t .}"),
    ({"tests/test_a.py": ""}, "-m unittest {posargs:discover -s tests -t tests}"),
    ({"tests.py": ""}, "-m unittest {posargs:tests}"),
    ({"test_a.py": ""}, "-m unittest {posargs:discover -s . -p test_*.py}"),
    ({"tests/test_a.py": "import nose\n"}, "-m nose {posargs:tests}"),
])
def test_unittest_and_nose_commands(tmp_path, files, command):
    text = render(detect(str(_tree(tmp_path, files))))
    assert _ini(text).get("testenv", "commands").strip() == "python " + command


@pytest.mark.parametrize("given,args", [
    ("python -m pytest -x tests", "-m pytest -x tests"),
    ("pytest -k 'not slow'", "-m pytest -k 'not slow'"),
    ("python2.7 runtests.py {posargs}", "runtests.py {posargs}"),
    ("nosetests -v", "-m nose -v"),
])
def test_test_command_override(given, args):
    assert python_arguments(given) == args


def test_test_command_that_is_not_python_is_refused():
    with pytest.raises(InitError, match="must start with python"):
        python_arguments("make test")


def test_init_writes_files_and_exits_0(tmp_path):
    _tree(tmp_path, {"tests/__init__.py": "", "tests/test_a.py": ""})
    result = invoke("init", tmp_path, "--test-command", "python -m unittest discover -s tests")
    assert result.exit_code == 0, result.stderr
    text = (tmp_path / "tox.ini").read_text()
    assert "python -3 -m portkit_collector run --root {toxinidir} -- -m unittest discover -s tests" in text
    assert "run by the command given to portkit init" in text
    assert "pytest" not in text.split("deps =")[1].split("set_env")[0]
    invoke("init", "--force", tmp_path, "--test-command", "pytest -x tests")
    assert "    six\n    pytest\n" in (tmp_path / "tox.ini").read_text()
    assert (tmp_path / ".portkit" / "collector" / "portkit_collector.py").is_file()
    assert "runtime.json" in (tmp_path / ".portkit" / ".gitignore").read_text()
    assert "portkit init --pyenv" in result.stderr


def test_init_never_overwrites_tox_ini_without_force(tmp_path):
    _tree(tmp_path, {"tests/test_a.py": "", "tox.ini": "[tox]\nenv_list = py27\n"})
    result = invoke("init", tmp_path)
    assert result.exit_code == 1
    assert (tmp_path / "tox.ini").read_text() == "[tox]\nenv_list = py27\n"
    assert result.stdout.startswith("[tox]\n") and "[testenv:py27]" in result.stdout
    assert "left alone" in result.stderr
    forced = invoke("init", "--force", tmp_path)
    assert forced.exit_code == 0 and "portkit_collector" in (tmp_path / "tox.ini").read_text()


def test_init_usage_errors_exit_2(tmp_path):
    assert invoke("init", tmp_path / "missing").exit_code == 2
    bad = invoke("init", tmp_path, "--test-command", "make check")
    assert bad.exit_code == 2 and not (tmp_path / "tox.ini").exists()


def test_print_writes_nothing(tmp_path):
    _tree(tmp_path, {"tests.py": ""})
    result = invoke("init", "--print", tmp_path)
    assert result.exit_code == 0 and "[testenv:py27]" in result.stdout
    assert os.listdir(str(tmp_path)) == ["tests.py"]
