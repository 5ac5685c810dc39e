"""Subcommands of ``cse-screen``; each module exposes ``register(subparsers)``."""
