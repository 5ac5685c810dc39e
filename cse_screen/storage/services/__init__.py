"""Services shared by the command line, the export and the desktop app.

Each service checks the signed-in user's role before it reads or writes, writes its audit entries
in the same transaction as the change, and returns plain records (never ORM objects).
"""
