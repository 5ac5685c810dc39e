"""What the person exporting asked for, and what the export produced."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from cse_screen.errors import UsageError

#: Shortest export password accepted: the file leaves the council's control.
MIN_PASSWORD_LENGTH = 10


@dataclass(frozen=True)
class ExportOptions:
    """Filters and protections for one export.

    ``date_from``/``date_to`` bound the screen dates of the screenings reported (inclusive);
    ``team``/``worker`` select children by their current allocation. ``pseudonymise`` removes
    every direct identifier and leaves only aggregate tables under disclosure control, unless
    ``row_level`` asks for the (shuffled, month-dated) list sheets as well, for analysts;
    ``password`` encrypts the whole file (never stored or logged).
    """

    date_from: date | None = None
    date_to: date | None = None
    team: str | None = None
    worker: str | None = None
    pseudonymise: bool = False
    row_level: bool = False
    password: str | None = field(default=None, repr=False)

    @property
    def encrypted(self) -> bool:
        return bool(self.password)

    def validate(self) -> None:
        """Refuse contradictory dates and weak passwords before any data is read."""
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise UsageError(
                f"the export start date {self.date_from:%d/%m/%Y} is after its end date "
                f"{self.date_to:%d/%m/%Y}"
            )
        if self.row_level and not self.pseudonymise:
            raise UsageError(
                "row-level sheets are an option of the pseudonymised export only: "
                "add --pseudonymise (the named export always lists every row)"
            )
        if self.password is not None:
            check_export_password(self.password)

    def filters(self) -> dict[str, str | None]:
        """The filters as text, for the About sheet and the audit log (never the password)."""
        return {
            "from": self.date_from.isoformat() if self.date_from else None,
            "to": self.date_to.isoformat() if self.date_to else None,
            "team": self.team,
            "worker": self.worker,
        }


def encrypt_by_default(pseudonymise: bool) -> bool:
    """Whether an export should start with encryption on: yes for any export with names (it
    lists children), since a lost unencrypted spreadsheet is the commonest data breach. The
    command line keeps its contract (``--encrypt`` asks for it); the desktop dialog follows
    this."""
    return not pseudonymise


def check_export_password(password: str) -> None:
    """A password protecting children's data must not be guessable in minutes."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UsageError(
            f"the export password is too short: use at least {MIN_PASSWORD_LENGTH} characters"
        )
    if len(set(password)) < 4:
        raise UsageError("the export password repeats too few characters: choose a stronger one")


@dataclass(frozen=True)
class ExportSummary:
    """What was written, for the command line, the GUI and the audit log."""

    path: Path
    children: int
    screenings: int
    pseudonymised: bool
    encrypted: bool
    sheets: tuple[str, ...]
    size_bytes: int
