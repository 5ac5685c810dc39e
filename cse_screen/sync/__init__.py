"""The laptop's side of sync: its enrolment and cursor, the HTTPS client, pulled records.

Qt-free; the services queue local changes in the outbox themselves (see
:mod:`cse_screen.storage.services.changes`), this package carries them to the team server and
brings the server's changes back.
"""
