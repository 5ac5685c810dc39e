"""The records and their services: models, role checks, audit chain, children, screenings.

They run on any SQLAlchemy 2 engine and never import :mod:`cse_screen.vault` (the encrypted
local file), which calls them. ``migrations`` is the one schema history. Submodules are not
imported here, so importing one part never drags in the others.
"""
