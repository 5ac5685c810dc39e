"""The desktop app: the only package that imports PySide6.

Importing this package imports nothing of Qt, so ``python -m cse_screen.gui.forms_build`` and the
command line stay light; ``cse_screen.gui.app.run`` starts the app.
"""
