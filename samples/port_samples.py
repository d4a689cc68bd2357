"""Port fresh copies of the samples with portkit (run by tox's ``port`` env).

Usage:  python samples/port_samples.py DEST [NAME ...]

Copies each sample folder (package and tests) from samples/ to DEST/NAME,
replacing any earlier copy, and runs ``portkit fix`` on the copy.  The
ported copies are never edited by hand and never committed.  Exits 1 when
portkit reports an error (its exit code 2) on any sample.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def sample_names():
    return sorted(
        name for name in os.listdir(HERE)
        if os.path.isdir(os.path.join(HERE, name, "tests"))
    )


def main(argv):
    if not argv:
        sys.stderr.write(__doc__)
        return 2
    dest, names = argv[0], argv[1:] or sample_names()
    os.makedirs(dest, exist_ok=True)
    failed = []
    for name in names:
        target = os.path.join(dest, name)
        if os.path.exists(target):
            shutil.rmtree(target)
        shutil.copytree(os.path.join(HERE, name), target,
                        ignore=shutil.ignore_patterns("*.pyc", "__pycache__"))
        print("=== portkit fix %s" % target, flush=True)
        code = subprocess.call([sys.executable, "-m", "portkit", "fix", "--no-cache", target])
        if code not in (0, 1):
            failed.append(name)
    if failed:
        print("portkit failed on: %s" % ", ".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
