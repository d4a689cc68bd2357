"""Turn results into output (text, JSON, SARIF, GitHub annotations) and an exit code."""
from __future__ import annotations

import json
import os
from collections import Counter
from typing import Dict, Iterable, List, Sequence

from . import __version__
from .model import FileResult

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
FORMATS = ("text", "json", "sarif", "github")


def use_colour(stream) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return hasattr(stream, "isatty") and stream.isatty()


def shown(path: str) -> str:
    """``path`` as it can be printed: bytes that are not UTF-8 as ``\\xNN``."""
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _rows(results: Sequence[FileResult]):
    for result in results:
        for finding in result.findings:
            yield shown(result.path), finding


def _errors(results: Sequence[FileResult], problems=()):
    """``(path, reason)`` of the paths that could not be used and the files that failed, by path."""
    found = [(shown(path), reason) for path, reason in problems]
    found.extend((shown(r.path), r.error) for r in results if r.error)
    return sorted(found)


def _runtime_fields(f) -> dict:
    """``confirmed`` / ``origin`` of a finding annotated by :mod:`portkit.runtime`
    (none for a plain one: the output is unchanged without runtime data)."""
    origin = getattr(f, "origin", None)
    return {} if origin is None else {"confirmed": f.confirmed, "origin": origin}


def format_text(results: Sequence[FileResult], colour: bool = False, show_fixable: bool = True) -> List[str]:
    lines = []
    for path, f in _rows(results):
        tag = " [*]" if (show_fixable and f.fixable) else ""
        if getattr(f, "confirmed", False):
            tag += " (confirmed at runtime)"
        if colour:
            lines.append(
                "\x1b[1m%s\x1b[0m:%d:%d: \x1b[1;31m%s\x1b[0m %s%s" % (path, f.line, f.col + 1, f.code, f.message, tag)
            )
        else:
            lines.append("%s:%d:%d: %s %s%s" % (path, f.line, f.col + 1, f.code, f.message, tag))
    return lines


def format_json(results: Sequence[FileResult], problems=(), statistics=None) -> str:
    """``problems``: (path, reason) of paths that could not be used;
    ``statistics``: :func:`statistics_rows`, included when given."""
    findings = [
        {
            "path": path,
            "line": f.line,
            "column": f.col + 1,
            "code": f.code,
            "message": f.message,
            "fixable": f.fixable,
            **_runtime_fields(f),
        }
        for path, f in _rows(results)
    ]
    errors = [{"path": path, "error": reason} for path, reason in _errors(results, problems)]
    document = {"version": __version__, "findings": findings, "errors": errors}
    if statistics is not None:
        document["statistics"] = [{"code": code, "count": count, "summary": summary}
                                  for count, code, summary in statistics]
    return json.dumps(document, indent=2, ensure_ascii=False)


def _uri(path: str) -> str:
    """A SARIF artifact URI: relative paths stay relative (to the run's folder)."""
    uri = path.replace(os.sep, "/")
    while uri.startswith("./"):
        uri = uri[2:]
    return uri


def format_sarif(results: Sequence[FileResult], fixers: Dict[str, type], problems=()) -> str:
    used = sorted({f.code for _, f in _rows(results)})
    rules = []
    index = {}
    for code in used:
        cls = fixers.get(code)
        index[code] = len(rules)
        rules.append(
            {
                "id": code,
                "name": cls.name if cls else code,
                "shortDescription": {"text": cls.summary if cls else code},
                "fullDescription": {"text": (cls.explanation.strip() if cls else code) or code},
                "help": {"text": "portkit explain %s" % code},
                "properties": {"fixable": bool(cls and cls.fixable)},
            }
        )
    sarif_results = []
    for path, f in _rows(results):
        sarif_results.append(
            {
                "ruleId": f.code,
                "ruleIndex": index[f.code],
                "level": "warning",
                "message": {"text": f.message},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {"uri": _uri(path)},
                            "region": {"startLine": f.line, "startColumn": f.col + 1},
                        }
                    }
                ],
                "properties": {"fixable": f.fixable, **_runtime_fields(f)},
            }
        )
    notifications = [
        {"level": "error", "message": {"text": "%s: %s" % (path, reason)}} for path, reason in _errors(results, problems)
    ]
    run = {
        "tool": {
            "driver": {
                "name": "portkit",
                "version": __version__,
                "informationUri": "https://pypi.org/project/portkit/",
                "rules": rules,
            }
        },
        "results": sarif_results,
        "invocations": [{"executionSuccessful": not notifications, "toolExecutionNotifications": notifications}],
    }
    document = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [run],
    }
    return json.dumps(document, indent=2, ensure_ascii=False)


def _escape_github(value: str, prop: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def format_github(results: Sequence[FileResult], problems=()) -> List[str]:
    lines = []
    for path, f in _rows(results):
        lines.append(
            "::warning file=%s,line=%d,col=%d,title=%s::%s"
            % (_escape_github(path, True), f.line, f.col + 1, f.code, _escape_github("%s %s" % (f.code, f.message)))
        )
    for path, reason in _errors(results, problems):
        lines.append("::error file=%s::%s" % (_escape_github(path, True), _escape_github(reason)))
    return lines


def statistics_rows(results: Iterable[FileResult], fixers: Dict[str, type]) -> List[tuple]:
    """``(count, code, summary)`` per code found, most frequent first."""
    counts = Counter(f.code for _, f in _rows(list(results)))
    rows = []
    for code, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        cls = fixers.get(code)
        rows.append((count, code, cls.summary if cls else ""))
    return rows


def statistics(results: Iterable[FileResult], fixers: Dict[str, type]) -> List[str]:
    return ["%-6d %s %s" % row for row in statistics_rows(results, fixers)]


def exit_code(results: Sequence[FileResult], fix: bool, exit_zero: bool = False, had_problems: bool = False) -> int:
    if had_problems or any(r.error for r in results):
        return EXIT_ERROR
    if exit_zero:
        return EXIT_CLEAN
    if fix:
        return EXIT_FINDINGS if any(r.new_content is not None for r in results) else EXIT_CLEAN
    return EXIT_FINDINGS if any(r.findings for r in results) else EXIT_CLEAN
