"""Synthetic demonstration data: invented children, screenings and events for a whole council.

Used by the ``demo`` command, the screenshot script, the benchmarks and the tests. Every name is
made up from word lists; nothing here reads or copies real records.
"""
