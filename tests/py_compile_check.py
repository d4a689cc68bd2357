"""Compile many sources with Python 2.7 in one subprocess (tests use this)."""
from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
from typing import Dict

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _python2():
    """The real python2.7 executable, or None.  pyenv's shim resolves
    ``python2.7`` only inside the repository (``.python-version``), and not
    when ``PYENV_VERSION`` pins another version: ask it from the repository
    once, so that the tests can run it from any folder."""
    shim = shutil.which("python2.7")
    if shim is None:
        return None
    env = {k: v for k, v in os.environ.items() if k not in ("PYENV_VERSION", "PYENV_DIR")}
    try:
        out = subprocess.run([shim, "-c", "import sys; print(sys.executable)"], cwd=REPO, env=env,
                             capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return None
    found = out.stdout.strip()
    return found if out.returncode == 0 and found else None


PY2 = _python2()

_SCRIPT = r"""
import base64, json, sys
sources = json.loads(sys.stdin.read())
errors = {}
for key, data in sources.items():
    try:
        compile(base64.b64decode(data), '<case %s>' % key, 'exec')
    except SyntaxError as exc:
        errors[key] = '%s (line %s)' % (exc.msg, exc.lineno)
sys.stdout.write(json.dumps(errors))
"""


def _encoded(text: str) -> str:
    """The source as Python 2 reads it: bytes in the coding cookie's encoding."""
    import codecs

    from portkit.source import find_cookie

    first_lines = "\n".join(text.split("\n", 2)[:2]).encode("ascii", "replace")
    encoding = find_cookie(first_lines) or "utf-8"
    try:
        encoding = codecs.lookup(encoding).name
    except LookupError:
        encoding = "utf-8"
    return base64.b64encode(text.encode(encoding)).decode("ascii")


def py2_compile_errors(sources: Dict[str, str]) -> Dict[str, str]:
    """{name: error} for the sources that Python 2.7 does not compile."""
    if not PY2:
        raise RuntimeError("python2.7 is not on PATH; tests need it (see .python-version)")
    names = sorted(sources)
    payload = {str(i): _encoded(sources[name]) for i, name in enumerate(names)}
    proc = subprocess.run(
        [PY2, "-c", _SCRIPT], input=json.dumps(payload), capture_output=True, text=True, check=True
    )
    return {names[int(key)]: error for key, error in json.loads(proc.stdout).items()}


def py3_compile_error(text: str):
    try:
        compile(text, "<fixed>", "exec")
    except SyntaxError as exc:
        return "%s (line %s)" % (exc.msg, exc.lineno)
    return None
