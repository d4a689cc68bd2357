"""Run one sample's suite as a tox env named ``sample-NAME-KIND`` asks.

Usage:  python samples/tox_sample.py sample-NAME-KIND PORTED_DIR

KIND ``orig27`` runs the unported original (to show the tests are valid on
2.7); ``py27`` runs the ported copy under ``python -3`` with Python 3
warnings from the sample's own code turned into errors; any other KIND runs
the ported copy on the env's Python 3.  Runs on Python 2.7 and 3.
"""
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def main(argv):
    env_name, ported = argv
    _, name, kind = env_name.split("-", 2)
    runner = os.path.join(HERE, "run_sample_tests.py")
    if kind == "orig27":
        command = [sys.executable, runner, os.path.join(HERE, name)]
    else:
        target = os.path.join(ported, name)
        if not os.path.isdir(target):
            sys.stderr.write("no ported copy at %s: run the 'port' env first (tox -e port)\n" % target)
            return 2
        if kind == "py27":
            command = [sys.executable, "-3", runner, target, "--strict"]
        else:
            command = [sys.executable, runner, target]
    sys.stdout.write("=== %s\n" % " ".join(command))
    sys.stdout.flush()
    return subprocess.call(command)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
