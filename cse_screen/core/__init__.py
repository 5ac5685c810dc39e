"""The screening engine without a user interface: questionnaire definitions, scoring, sessions.

Nothing here imports Qt, the database or the export; the desktop app, the command line and the
storage layer all drive the same code, so a screening scores identically wherever it is taken.
"""
