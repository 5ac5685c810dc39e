"""Entry script for the PyInstaller bundle: the same ``cse_screen.cli:main`` the wheel installs.

It lives outside the package so PyInstaller analyses ``cse_screen`` as the installed package
rather than putting the package folder itself on the search path.
"""

import os
import sys

# A windowed Windows executable has no console: sys.stdout and sys.stderr are None there, and the
# command line's one-line errors would themselves fail. Send them nowhere instead.
if sys.stdout is None or sys.stderr is None:
    _devnull = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - lives as long as the process
    sys.stdout = sys.stdout or _devnull
    sys.stderr = sys.stderr or _devnull

from cse_screen.cli import main

raise SystemExit(main())
