"""Printable documents made from the database: one screening for the child's case file, a
subject access export, and the report to Cabinet or the safeguarding board.

Qt-free (the command line makes them too). Each is built whole in memory, written atomically
and audited by :mod:`cse_screen.documents.service`.
"""
