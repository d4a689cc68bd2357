"""Clocks.  Everything that needs the current time asks a clock object, so
tests can inject a FixedClock instead of sleeping."""
import time

# Timestamps are stored relative to this epoch (2011-01-01 00:00:00 UTC) so
# that they pack into fewer bytes.
EPOCH = 1293840000L


class SystemClock(object):
    """The real wall clock, in whole seconds."""

    def now(self):
        return int(time.time())

    def __repr__(self):
        return '<SystemClock>'


class FixedClock(object):
    """A clock that only moves when told to."""

    def __init__(self, now=1300000000):
        self.current = now

    def now(self):
        return self.current

    def advance(self, seconds):
        self.current += seconds
        return self.current

    def __repr__(self):
        return '<FixedClock %d>' % self.current


default_clock = SystemClock()
