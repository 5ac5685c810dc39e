"""cse-screen: screening looked-after children for vulnerability to child sexual exploitation."""

from importlib.metadata import PackageNotFoundError, version


def _release() -> str:
    """The release, from the installed package's metadata (pyproject.toml is the one copy)."""
    try:
        return version("cse-screen")
    except PackageNotFoundError:  # a source tree that was never installed
        return "0+unknown"


__version__ = _release()
