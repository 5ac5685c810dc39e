"""Name what is missing when the program cannot load a system library or a Qt plugin.

A laptop without libEGL or with a Qt plugin removed fails deep inside an import; the bare
exception type ("an unexpected ImportError") tells IT nothing. The loader's message names the
library file, which carries no personal data, so it is safe to print and to put in a report.
"""

from __future__ import annotations

import re
from pathlib import Path

# A shared library's file name as loaders print it: libEGL.so.1, Qt6Gui.dll, QtGui.dylib.
_LIBRARY = re.compile(r"([A-Za-z0-9_.+-]+\.(?:so(?:\.[0-9]+)*|dylib|dll))\b")

#: The Debian package providing each system library the bundle needs (see docs/deploying.md).
DEBIAN_PACKAGES = {
    "libc.so.6": "libc6",
    "libm.so.6": "libc6",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libOpenGL.so.0": "libopengl0",
    "libGLX.so.0": "libglx0",
    "libGLdispatch.so.0": "libglvnd0",
    "libxcb.so.1": "libxcb1",
    "libfontconfig.so.1": "libfontconfig1",
    "libxkbcommon.so.0": "libxkbcommon0",
}


def missing_library(exc: BaseException) -> str | None:
    """The file name of the shared library an ImportError or OSError could not load, or None."""
    current: BaseException | None = exc
    while current is not None:
        if isinstance(current, (ImportError, OSError)):
            found = _LIBRARY.search(str(current))
            if found and not found.group(1).startswith("cpython"):
                return Path(found.group(1)).name
        current = current.__cause__ or current.__context__
    return None


def library_sentence(library: str) -> str:
    """What to tell IT: which library, and the package that provides it on Debian."""
    package = DEBIAN_PACKAGES.get(library)
    hint = f" (Debian package {package})" if package else ""
    return (
        f"the system library {library} is missing or cannot be loaded{hint}; install it, "
        "see 'Linux prerequisites' in docs/deploying.md"
    )


def plugin_sentence(plugin: str, searched: list[Path]) -> str:
    """What to tell IT when a Qt plugin file is not where Qt looks for it."""
    where = ", ".join(str(p) for p in searched) or "Qt's plugin folder"
    return (
        f"the Qt plugin {plugin} is missing (looked in {where}); reinstall the program folder whole"
    )
