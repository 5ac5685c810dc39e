"""cse-screen: screening looked-after children for vulnerability to child sexual exploitation."""

__version__ = "0.1.0"
