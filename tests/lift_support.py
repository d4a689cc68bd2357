"""Test-side helpers for the lift tests (not part of portkit).

``place_imports`` is a stand-in for the engine's import placer: it inserts
the requested imports after the module docstring, leading comments and any
``from __future__`` imports, futures first, one statement per line.
``py2_check`` compiles (and optionally runs) many sources in one python2.7
subprocess.
"""
from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess

PY27 = shutil.which("python2.7") or "/root/.pyenv/versions/2.7.18/bin/python2.7"
HERE = os.path.dirname(os.path.abspath(__file__))


def place_imports(text: str, imports) -> str:
    if not imports:
        return text
    futures = sorted(i.statement() for i in imports if i.is_future)
    others = sorted(i.statement() for i in imports if not i.is_future)
    block = "".join(s + "\n" for s in futures + others)
    lines = text.splitlines(True)
    try:
        tree = ast.parse(text)
    except SyntaxError:
        tree = None
    at = 0  # insert before this 0-based line index
    if tree is not None and tree.body:
        body = tree.body
        k = 0
        if isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None), ast.Constant) and isinstance(body[0].value.value, str):
            at = body[0].end_lineno
            k = 1
        while k < len(body) and isinstance(body[k], ast.ImportFrom) and body[k].module == "__future__":
            at = body[k].end_lineno
            k += 1
        if at == 0:
            first = body[0]
            deco = getattr(first, "decorator_list", None) or []
            at = min([first.lineno] + [d.lineno for d in deco]) - 1
    else:
        while at < len(lines) and (lines[at].startswith("#") or not lines[at].strip()):
            at += 1
    if at > 0 and at <= len(lines) and not lines[at - 1].endswith("\n"):
        lines[at - 1] += "\n"
    return "".join(lines[:at]) + block + "".join(lines[at:])


_PY2_SCRIPT = r'''
import sys, json, marshal, hashlib
out = []
for item in json.load(sys.stdin):
    path = item["path"]
    src = item["src"].encode(item.get("encoding") or "utf-8")
    res = {"path": path}
    try:
        code = compile(src, path, "exec")
        res["ok"] = True
        res["hash"] = hashlib.md5(marshal.dumps(code)).hexdigest()
    except Exception as e:
        res["ok"] = False
        res["error"] = "%s: %s" % (type(e).__name__, e)
    out.append(res)
json.dump(out, sys.stdout)
'''


def py2_compile_many(items):
    """``items``: list of dicts ``path``, ``src`` (str), ``encoding`` (to encode ``src`` with).

    Returns a dict path -> result (``ok``, ``error``, ``hash`` of the marshalled code)."""
    proc = subprocess.run(
        [PY27, "-c", _PY2_SCRIPT],
        input=json.dumps(items).encode(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        check=True,
    )
    return {r["path"]: r for r in json.loads(proc.stdout.decode())}


def run_py(exe, src, cwd=None, timeout=60):
    """Run ``src`` with interpreter ``exe``; return (returncode, stdout+stderr)."""
    proc = subprocess.run(
        [exe, "-c", src], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=cwd, timeout=timeout
    )
    return proc.returncode, proc.stdout.decode("utf-8", "replace")
