"""portkit: port Python 2 code to single-source Python 2.7 / 3 code."""

__version__ = "0.1.0"
