"""portkit's fixers: one module per family.

Every module in this package is imported by :func:`portkit.registry.load_fixers`;
each fixer class registers itself with ``@register``.  See
:mod:`portkit.fixer` for what a fixer declares.
"""
