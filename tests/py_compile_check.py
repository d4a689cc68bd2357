"""Compile many sources with Python 2.7 in one subprocess (tests use this)."""
from __future__ import annotations

import json
import shutil
import subprocess
from typing import Dict

PY2 = shutil.which("python2.7")

_SCRIPT = r"""
import json, sys
sources = json.loads(sys.stdin.read())
errors = {}
for name, text in sources.items():
    try:
        compile(text.encode('utf-8'), name, 'exec')
    except SyntaxError as exc:
        errors[name] = '%s (line %s)' % (exc.msg, exc.lineno)
sys.stdout.write(json.dumps(errors))
"""


def py2_compile_errors(sources: Dict[str, str]) -> Dict[str, str]:
    """{name: error} for the sources that Python 2.7 does not compile."""
    if not PY2:
        raise RuntimeError("python2.7 is not on PATH; tests need it (see .python-version)")
    proc = subprocess.run(
        [PY2, "-c", _SCRIPT], input=json.dumps(sources), capture_output=True, text=True, check=True
    )
    return json.loads(proc.stdout)


def py3_compile_error(text: str):
    try:
        compile(text, "<fixed>", "exec")
    except SyntaxError as exc:
        return "%s (line %s)" % (exc.msg, exc.lineno)
    return None
