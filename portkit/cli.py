"""The ``portkit`` command: scan, fix, explain, fixers.

The commands stay thin: they gather settings (command line over config
file), discover files, hand them to :mod:`portkit.concurrency`, and let
:mod:`portkit.report` format the results and decide the exit code.
"""
from __future__ import annotations

import os
import sys
import textwrap
import time
from typing import List

import click

from . import __version__, report
from .cache import default_dir
from .concurrency import Interrupted, hold_signals, interruptible
from .config import ConfigError, find_config, section_name
from .discover import Discovery, discover
from .registry import load_fixers, select_codes
from .settings import Settings

STDIN = "-"
SIGNAL_NAMES = {2: "SIGINT", 15: "SIGTERM"}


class UsageFailure(click.UsageError):
    exit_code = 2


class ConfigFailure(click.ClickException):
    """A config file that cannot be used: one ``path: error: reason`` line, exit 2."""

    exit_code = 2

    def __init__(self, exc: ConfigError):
        super().__init__(exc.reason)
        self.path = exc.path

    def show(self, file=None):
        click.echo("%s: error: %s" % (report.shown(self.path), self.message), err=True)


def _codes_option(value) -> List[str]:
    out = []
    for item in value or ():
        out.extend(part.strip() for part in item.split(",") if part.strip())
    return out


def _codes(names, fixers) -> List[str]:
    """Codes and prefixes, upper-cased; a fixer's name (as ``explain`` takes it) becomes its code."""
    by_name = {cls.name.lower(): code for code, cls in fixers.items() if getattr(cls, "name", None)}
    return [by_name.get(name.lower(), name.upper()) for name in names]


def _unknown(codes, fixers) -> List[str]:
    return [code for code in codes if not any(known.startswith(code) for known in fixers)]


def _set_file_timeout(ctx, param, value):
    # The workers read the limit from the environment they inherit.
    if value is not None:
        os.environ["PORTKIT_FILE_TIMEOUT"] = repr(float(value))
    return value


def common_options(func):
    options = [
        click.argument("paths", nargs=-1, type=click.Path()),
        click.option("--select", multiple=True, help="Codes, prefixes or rule names to run (comma-separated; repeatable)."),
        click.option("--ignore", multiple=True, help="Codes, prefixes or rule names to skip (comma-separated; repeatable)."),
        click.option("--exclude", multiple=True, help="Glob patterns of files or folders to skip (repeatable)."),
        click.option("-j", "--jobs", type=int, default=None, help="Worker processes (default: CPU count)."),
        click.option("--no-cache", is_flag=True, help="Neither read nor write the result cache."),
        click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings or changes."),
        click.option("-q", "--quiet", is_flag=True, help="Print only findings and errors."),
        click.option("--stdin-filename", default=None, metavar="PATH",
                     help="With '-' (or no path): the name of the file read from stdin (for its findings, "
                          "its config and its package)."),
        click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False), default=None,
                     help="Read settings from this pyproject.toml or setup.cfg."),
        click.option("--py3-ready", type=click.Choice(["auto", "yes", "no"]), default=None,
                     help="Leave code that already runs on Python 3 alone: auto (default: files with "
                          "Python-3-only syntax, and projects whose metadata declares Python 3), yes (every "
                          "file), no (only files with Python-3-only syntax)."),
        click.option("--file-timeout", type=click.FloatRange(min=0), default=None, expose_value=False,
                     callback=_set_file_timeout, metavar="SECONDS",
                     help="CPU seconds allowed per file before it is skipped with an error "
                          "(default 120; 0: no limit; same as PORTKIT_FILE_TIMEOUT)."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _settings_and_files(paths, select, ignore, exclude, jobs, no_cache, config_path, fix, write, diff,
                        stdin_filename=None, py3_ready=None):
    # no path: the current folder, as ruff and flake8 do (stdin with --stdin-filename, as ruff does)
    paths = tuple(paths) or ((STDIN,) if stdin_filename is not None else (".",))
    if STDIN in paths and len(paths) > 1:
        raise UsageFailure("'-' (read stdin) cannot be combined with other paths")
    if stdin_filename is not None and STDIN not in paths:
        raise UsageFailure("--stdin-filename needs '-' as the path")
    from_stdin = STDIN in paths
    config_file = config_path
    try:
        if config_path:
            from .config import load

            config = load(config_path)
        else:
            config_file, config = find_config([stdin_filename or "."] if from_stdin else paths)
    except ConfigError as exc:
        raise ConfigFailure(exc)
    fixers = load_fixers()
    if select and not _codes_option(select):
        raise UsageFailure("--select is empty; leave it out to select every code")
    cli_select, cli_ignore = _codes(_codes_option(select), fixers), _codes(_codes_option(ignore), fixers)
    unknown = _unknown(cli_select + cli_ignore, fixers)
    if unknown:
        raise UsageFailure("unknown code or prefix: %s (see 'portkit fixers')" % ", ".join(unknown))
    for key in ("select", "ignore"):
        unknown = _unknown(_codes(config.get(key, []), fixers), fixers)
        if unknown:
            raise ConfigFailure(ConfigError(config_file, "%s %s: unknown code or prefix %s (see 'portkit fixers')"
                                            % (section_name(config_file), key, ", ".join(unknown))))
    select = cli_select or _codes(config.get("select", []), fixers)
    # An explicit --select on the command line is not undone by the config's ignore.
    ignore = cli_ignore or ([] if cli_select else _codes(config.get("ignore", []), fixers))
    codes = frozenset(select_codes(select, ignore))
    if not codes:
        raise UsageFailure("--select/--ignore leave no fixer to run")
    jobs = jobs if jobs is not None else config.get("jobs", 0)
    if jobs < 0:
        raise UsageFailure("--jobs must be 0 (all CPUs) or more")
    excludes = list(exclude) + list(config.get("exclude", []))
    settings = Settings(
        codes=codes,
        fix=fix,
        write=write,
        diff=diff,
        cache_dir=None if no_cache or os.environ.get("PORTKIT_NO_CACHE") else default_dir(),
        py3_ready=py3_ready or config.get("py3-ready", "auto"),
    )
    found = Discovery() if from_stdin else discover(paths, excludes)
    return settings, found, jobs, config


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


# The progress bar's ETA appears once this share of the bytes is done and
# this many seconds have passed: before, it says nothing useful.
ETA_AFTER_SHARE, ETA_AFTER_SECONDS = 0.1, 3.0


def _run(settings, found, jobs, quiet):
    from .concurrency import run

    stderr = click.get_text_stream("stderr")
    total = len(found.files)
    show_bar = not quiet and stderr.isatty() and total >= 50
    if not show_bar:
        return run(found.files, settings, jobs)
    # The bar advances by bytes (a big file takes longer), and shows the files done.
    total_bytes = max(1, sum(_size(path) for path in found.files))
    started = time.monotonic()
    done = [0]
    with click.progressbar(length=total_bytes, label="portkit", file=stderr, show_pos=False, show_percent=True,
                           show_eta=False, item_show_func=lambda item: item) as bar:

        def update(files, size):
            done[0] += files
            if (not bar.show_eta and bar.pos + size >= ETA_AFTER_SHARE * total_bytes
                    and time.monotonic() - started >= ETA_AFTER_SECONDS):
                bar.show_eta = True
            bar.update(size, "%d/%d files" % (done[0], total))

        return run(found.files, settings, jobs, progress=update)


def _reads_stdin(paths, stdin_filename) -> bool:
    return STDIN in (paths or ()) or (not paths and stdin_filename is not None)


def _stdin_result(settings, name):
    """Process stdin as the file ``name``: ``(result, diff, data read)``."""
    from .process import process_data

    data = click.get_binary_stream("stdin").read()
    result, _, diff = process_data(name, data, settings.__class__(codes=settings.codes, fix=settings.fix, diff=settings.diff,
                                                                  py3_ready=settings.py3_ready))
    return result, diff, data


def _interrupted(exc: Interrupted, wrote: bool):
    """Report a run stopped by a signal: the files it changed, then exit 128 + signal."""
    hold_signals()  # another Ctrl-C does not cut the list short
    changed = [r for r in exc.results if r.new_content is not None and not r.error] if wrote else []
    for r in changed:
        click.echo("fixed %s" % report.shown(r.path), err=True)
    click.echo(
        "portkit: interrupted by %s; stopped%s"
        % (SIGNAL_NAMES.get(exc.signum, "signal %d" % exc.signum),
           " after changing %d file%s" % (len(changed), "" if len(changed) == 1 else "s") if wrote else ""),
        err=True,
    )
    sys.exit(128 + exc.signum)


def _report_problems(found, results) -> bool:
    problems = False
    for path, reason in found.problems:
        click.echo("%s: error: %s" % (report.shown(path), reason), err=True)
        problems = True
    for result in results:
        if result.error:
            click.echo("%s: error: %s" % (report.shown(result.path), result.error), err=True)
    return problems


# -- runtime evidence (.portkit/runtime.json, see portkit.runtime) -------------
def _no_cache_for_kinds(ctx, param, value):
    # Cached results do not know the evidence: analyse every file afresh.
    if value:
        os.environ["PORTKIT_NO_CACHE"] = "1"
    return value


def runtime_options(func):
    """``--runtime FILE`` / ``--no-runtime`` / ``--runtime-kinds`` for scan and fix."""
    func = click.option("--runtime-kinds", is_flag=True, callback=_no_cache_for_kinds,
                        help="Experimental: let the bytes/text inference use the kinds the 2.7 run saw "
                             "where it has no static answer (disables the result cache).")(func)
    func = click.option("--no-runtime", is_flag=True,
                        help="Ignore .portkit/runtime.json (the Python 2.7 -3 test run's evidence).")(func)
    return click.option("--runtime", "runtime_path", type=click.Path(exists=True, dir_okay=False), default=None,
                        help="Read runtime evidence from this file (default: .portkit/runtime.json "
                             "at or above the given paths).")(func)


def _load_runtime(paths, runtime_path, no_runtime, found, kinds):
    from .runtime import KINDS_ENV, RuntimeFileError, for_paths

    try:
        runtime, warning = for_paths(paths, runtime_path, no_runtime, found.files)
    except RuntimeFileError as exc:
        raise UsageFailure(str(exc))
    if warning:
        click.echo(warning, err=True)
    if kinds and runtime is not None:
        os.environ[KINDS_ENV] = os.path.abspath(runtime.source)  # the workers inherit it
    return runtime


def _annotate(runtime, results, codes, quiet):
    if runtime is None:
        return results
    from .runtime import annotate

    results, summary = annotate(results, runtime, codes)
    if not quiet:
        for line in summary.lines():
            click.echo(line, err=True)
    return results


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="portkit")
def main():
    """Port Python 2 code to single-source Python 2.7 / 3 code (with six)."""


@main.command()
@common_options
@click.option("--format", "fmt", type=click.Choice(report.FORMATS), default=None, help="Output format (default: text).")
@click.option("--statistics", is_flag=True,
              help="Print a count per code after the findings (with -q: only the counts; "
                   "in the JSON object with --format json; on stderr with sarif).")
@runtime_options
def scan(paths, select, ignore, exclude, jobs, no_cache, exit_zero, quiet, stdin_filename, config_path, py3_ready, fmt,
         statistics, runtime_path, no_runtime, runtime_kinds):
    """Report every Python 3 incompatibility in PATHS (default: the current folder; '-': stdin)."""
    with interruptible():
        try:
            _scan(paths, select, ignore, exclude, jobs, no_cache, exit_zero, quiet, stdin_filename, config_path, fmt,
                  statistics, py3_ready, runtime_path, no_runtime, runtime_kinds)
        except Interrupted as exc:
            _interrupted(exc, wrote=False)


def _scan(paths, select, ignore, exclude, jobs, no_cache, exit_zero, quiet, stdin_filename, config_path, fmt, statistics,
          py3_ready=None, runtime_path=None, no_runtime=False, runtime_kinds=False):
    settings, found, jobs, config = _settings_and_files(
        paths, select, ignore, exclude, jobs, no_cache, config_path, fix=False, write=False, diff=False,
        stdin_filename=stdin_filename, py3_ready=py3_ready,
    )
    fmt = fmt or config.get("format", "text")
    if fmt not in report.FORMATS:
        raise UsageFailure("unknown format %r" % fmt)
    started = time.monotonic()
    if _reads_stdin(paths, stdin_filename):
        results = [_stdin_result(settings, stdin_filename or STDIN)[0]]
    else:
        runtime = _load_runtime(paths, runtime_path, no_runtime, found, runtime_kinds)
        results, _ = _run(settings, found, jobs, quiet)
        results = _annotate(runtime, results, settings.codes, quiet or fmt != "text")
    problems = _report_problems(found, results)
    fixers = load_fixers()
    stdout = click.get_text_stream("stdout")
    counts = report.statistics_rows(results, fixers) if statistics else None
    if fmt == "json":
        click.echo(report.format_json(results, found.problems, statistics=counts))
    elif fmt == "sarif":
        click.echo(report.format_sarif(results, fixers, found.problems))
    elif fmt == "github":
        for line in report.format_github(results, found.problems):
            click.echo(line)
    elif not (quiet and statistics):  # -q --statistics: only the counts
        colour = report.use_colour(stdout)
        for line in report.format_text(results, colour=colour):
            click.echo(line, color=colour)
    if statistics and fmt != "json":
        for line in report.statistics(results, fixers):
            click.echo(line, err=fmt == "sarif")  # stdout stays one SARIF document
    if not quiet and fmt == "text":
        count = sum(len(r.findings) for r in results)
        fixable = sum(1 for r in results for f in r.findings if f.fixable)
        errors = sum(1 for r in results if r.error) + len(found.problems)
        click.echo(
            "%d finding%s (%d fixable with 'portkit fix', marked [*]) in %d file%s%s; %.2fs"
            % (count, "" if count == 1 else "s", fixable, len(results), "" if len(results) == 1 else "s",
               ", %d error%s" % (errors, "" if errors == 1 else "s") if errors else "", time.monotonic() - started),
            err=True,
        )
    sys.exit(report.exit_code(results, fix=False, exit_zero=exit_zero, had_problems=problems))


@main.command()
@common_options
@click.option("--diff", is_flag=True, help="Print a unified diff of the changes instead of writing them.")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if any file would change.")
@runtime_options
def fix(paths, select, ignore, exclude, jobs, no_cache, exit_zero, quiet, stdin_filename, config_path, py3_ready, diff,
        check, runtime_path, no_runtime, runtime_kinds):
    """Rewrite PATHS in place into code that runs on Python 2.7 and 3.

    PATHS default to the current folder; with '-', the text read from stdin
    is fixed and written to stdout (with --diff: the diff)."""
    write = not (diff or check)
    with interruptible():
        try:
            _fix(paths, select, ignore, exclude, jobs, no_cache, exit_zero, quiet, stdin_filename, config_path, diff,
                 check, py3_ready, runtime_path, no_runtime, runtime_kinds)
        except Interrupted as exc:
            _interrupted(exc, wrote=write and not _reads_stdin(paths, stdin_filename))


def _fix(paths, select, ignore, exclude, jobs, no_cache, exit_zero, quiet, stdin_filename, config_path, diff, check,
         py3_ready=None, runtime_path=None, no_runtime=False, runtime_kinds=False):
    write = not (diff or check)
    settings, found, jobs, _ = _settings_and_files(
        paths, select, ignore, exclude, jobs, no_cache, config_path, fix=True, write=write, diff=diff,
        stdin_filename=stdin_filename, py3_ready=py3_ready,
    )
    if _reads_stdin(paths, stdin_filename):
        _fix_stdin(settings, stdin_filename or STDIN, diff, check, exit_zero)
    runtime = _load_runtime(paths, runtime_path, no_runtime, found, runtime_kinds)
    results, diffs = _run(settings, found, jobs, quiet)
    results = _annotate(runtime, results, settings.codes, quiet)
    problems = _report_problems(found, results)
    for path in sorted(diffs):
        click.echo(diffs[path], nl=False)
    changed = [r for r in results if r.new_content is not None and not r.error]
    left = [r for r in results if any(not f.fixable for f in r.findings)]
    if not quiet:
        verb = "fixed" if write else "would fix"
        for r in changed:
            click.echo("%s %s" % (verb, report.shown(r.path)), err=True)
        remaining = sum(1 for r in left for f in r.findings if not f.fixable)
        click.echo(
            "%d file%s %s, %d unchanged; %d finding%s need a person (run 'portkit scan')"
            % (len(changed), "" if len(changed) == 1 else "s", "changed" if write else "would change",
               len(results) - len(changed), remaining, "" if remaining == 1 else "s"),
            err=True,
        )
    sys.exit(report.exit_code(results, fix=True, exit_zero=exit_zero, had_problems=problems))


def _fix_stdin(settings, name, diff, check, exit_zero):
    """``fix -``: the fixed text on stdout (the text unchanged when nothing, or
    nothing can, be fixed: a pipe never loses the buffer); ``--diff``: the diff;
    ``--check``: only the exit status."""
    result, diff_text, data = _stdin_result(settings, name)
    if result.error:
        click.echo("%s: error: %s" % (report.shown(name), result.error), err=True)
    if diff:
        if diff_text:
            click.echo(diff_text, nl=False)
    elif not check:
        out = click.get_binary_stream("stdout")
        out.write(result.new_content if result.new_content is not None and not result.error else data)
        out.flush()
    sys.exit(report.exit_code([result], fix=True, exit_zero=exit_zero))


@main.command(name="init")
@click.argument("path", default=".", type=click.Path(file_okay=False))
@click.option("--test-command", default=None, metavar="CMD",
              help="How to run the tests (e.g. 'python -m pytest -x tests'), instead of the detected command.")
@click.option("--force", is_flag=True, help="Replace an existing tox.ini.")
@click.option("--pyenv", is_flag=True, help="Also write a .python-version listing pyenv's 2.7 and 3.9-3.13.")
@click.option("--print", "print_only", is_flag=True, help="Print the tox.ini; write nothing.")
def init_command(path, test_command, force, pyenv, print_only):
    """Write a tox.ini running PATH's tests on Python 2.7 -3 (collecting
    Python 3 warnings for scan and fix) and on Python 3.9-3.13."""
    from .init import InitError, detect, init, render

    try:
        if print_only:
            click.echo(render(detect(path), test_command), nl=False)
            sys.exit(report.EXIT_CLEAN)
        outcome = init(path, force=force, test_command=test_command, pyenv=pyenv)
    except InitError as exc:
        raise UsageFailure(str(exc))
    for written in outcome.written:
        click.echo("wrote %s" % written, err=True)
    for message in outcome.messages:
        click.echo(message, err=True)
    if outcome.sections:
        click.echo(outcome.sections, nl=False)
        sys.exit(report.EXIT_FINDINGS)
    click.echo("next: tox -e py27, then portkit scan %s" % path, err=True)
    sys.exit(report.EXIT_CLEAN)


@main.command()
@click.argument("code")
def explain(code):
    """Explain CODE, with before/after examples."""
    fixers = load_fixers()
    cls = fixers.get(code.upper())
    if cls is None:
        matches = [c for c, k in fixers.items() if k.name.lower() == code.lower()]
        if not matches:
            raise UsageFailure("unknown code: %s (see 'portkit fixers')" % code)
        cls = fixers[matches[0]]
    click.echo(render_explanation(cls))


def render_explanation(cls) -> str:
    out = ["%s (%s): %s" % (cls.code, cls.name, cls.summary), ""]
    out.append("Fix: %s" % ("yes, where the finding says it is fixable" if cls.fixable else "no, report only"))
    out.append("")
    out.append(textwrap.dedent(cls.explanation).strip())
    for number, example in enumerate(cls.examples, 1):
        out.append("")
        title = example.title or ("Example %d" % number)
        out.append("%s:" % title)
        out.append(textwrap.indent(example.before.rstrip("\n"), "    "))
        if example.after is None:
            out.append("  is left unchanged.")
        else:
            out.append("  becomes:")
            out.append(textwrap.indent(example.after.rstrip("\n"), "    "))
    return "\n".join(out)


@main.command(name="fixers")
def list_fixers():
    """List every code: summary, and whether portkit fixes it."""
    for code, cls in load_fixers().items():
        click.echo("%-6s %-7s %-28s %s" % (code, "fix" if cls.fixable else "report", cls.name, cls.summary))


if __name__ == "__main__":  # pragma: no cover
    main()
