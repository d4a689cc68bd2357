"""The code of findings that only the Python 2.7 ``-3`` test run found.

Not a fixer the engine runs (``stage = "runtime"``: the engine runs ``ast``
and ``tokens`` fixers only): :mod:`portkit.runtime` reports it, when
``.portkit/runtime.json`` holds a warning of the project's own code that no
static finding covers.  It is registered so that ``portkit fixers``,
``portkit explain``, ``--select`` / ``--ignore`` and SARIF know it."""
from __future__ import annotations

from portkit.fixer import Example, Fixer
from portkit.registry import register


@register
class RuntimeOnlyWarning(Fixer):
    code = "PK901"
    name = "runtime-py3k-warning"
    summary = "a Python 3 warning raised by the 2.7 -3 test run that no static rule found"
    fixable = False
    stage = "runtime"
    explanation = """
    What it does: reports, at its file and line, each Python 3 warning that
    ``python2.7 -3`` raised from the project's own code while its test suite
    ran under portkit's collector (the ``py27`` env of the tox.ini that
    ``portkit init`` writes; the warnings are in ``.portkit/runtime.json``),
    when no static finding of a matching code is at that line.  The message
    quotes the warning and how often it was raised.

    Why: some Python 3 differences only show when the code runs, such as
    ordering values of unequal types (``comparing unequal types not
    supported in 3.x``: ``None < 1`` raises TypeError on 3), dict ordering
    comparisons, or a ``has_key`` call on a name static analysis cannot
    trace.  When the warning names a problem portkit has a rule for, the
    message names that code: the static rule missed this place.

    Fix safety: report only.  ``--no-runtime`` ignores the runtime file;
    ``# portkit: ignore[PK901]`` on the line silences one.  The finding
    disappears when the file changes (its line may have moved): run the
    py27 env again to refresh the evidence.
    """
    examples = (
        Example("def newest(items):\n    return max(items, key=lambda i: i.stamp)\n", None, findings=(),
                title="ordering None and datetimes: seen only when 2.7 -3 runs it (no static finding)"),
    )
