"""The pure domain: money, records, numbering, billing, changelog.

Nothing here imports from the rest of the package or does any I/O; the clock
and every row come in as arguments (tests/test_core_purity.py checks it).
"""
