"""What the casework commands (child list and edit, review, event) share: refusals as exit 3,
readable tables, and JSON-ready values.

A refusal by the role checks (a worker running a lead's command, a lead signing off their own
work, a manager changing another team's child) is reported with the service's own sentence and
exit code 3, the code for "you may not"; a record the caller may not see is "not found" (exit 1)
exactly as one that does not exist, so nobody learns what exists beyond their caseload.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Any

from cse_screen.errors import EXIT_AUTH, PermissionDenied


class Refused(PermissionDenied):
    """A role or four-eyes refusal, as the command line reports it."""

    exit_code = EXIT_AUTH


@contextlib.contextmanager
def refusals_exit_3() -> Iterator[None]:
    """Turn the services' refusals into exit code 3, keeping their sentence."""
    try:
        yield
    except Refused:
        raise
    except PermissionDenied as exc:
        raise Refused(exc.message) from None


def iso_date(text: str) -> dt.date:
    """An option's date, YYYY-MM-DD (argparse reports anything else as a usage error)."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError("expected a date as YYYY-MM-DD") from None


def plain(value: Any) -> Any:
    """A value as JSON holds it: dates and moments as ISO-8601 text."""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """Columns padded to their widest cell, a rule under the headings; '-' for no value."""
    cells = [[("-" if v is None or v == "" else str(plain(v))) for v in row] for row in rows]
    widths = [max([len(h), *(len(r[i]) for r in cells)]) for i, h in enumerate(headers)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for row in cells:
        lines.append("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    return "\n".join(lines)
