"""Typed errors that carry the one sentence a user should read.

Every error the user may cause (a wrong password, a malformed file, a full disk) is raised as a
subclass of :class:`UserError`. The command line prints ``cse-screen: error: <sentence>`` and exits
with ``exit_code``; the desktop app shows the sentence. Nothing else matches on message text.

Messages must never contain personal data (names, dates of birth, free text): they may end up in
logs and crash reports. Name the file, the line, the row number or the record id instead.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_AUTH = 3
EXIT_DAMAGED = 4
#: The team server could not be reached, or its certificate was refused.
EXIT_UNREACHABLE = 5


class UserError(Exception):
    """An error whose message is a complete, plain sentence meant for the user."""

    exit_code: int = EXIT_ERROR

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class UsageError(UserError):
    """The command was called wrongly (missing or conflicting options)."""

    exit_code = EXIT_USAGE


class WrongPassword(UserError):
    """Unknown user name or wrong password. Deliberately does not say which."""

    exit_code = EXIT_AUTH


class DatabaseDamaged(UserError):
    """The key is right but the database (or its keyslot file) cannot be read as ours."""

    exit_code = EXIT_DAMAGED


class NotADatabase(DatabaseDamaged):
    """The file is not a cse-screen database at all."""


class DatabaseInUse(UserError):
    """Another process holds the database."""


class KeyslotConflict(UserError):
    """Another program changed the keyslot file since it was read; nothing was saved, and the
    file as it is now has been read again, so the same change can simply be tried again."""


class SQLCipherMissing(UserError):
    """The SQLite driver in use does not encrypt; we refuse to write plaintext."""


class QuestionnaireInvalid(UserError):
    """A questionnaire definition is malformed. The message starts with ``FILE:LINE:``."""


class AnswersInvalid(UserError):
    """An answers file or an answer value does not fit the questionnaire."""


class OverrideInvalid(UserError):
    """A professional-judgement override is missing its reason or names an unknown outcome."""


class PermissionDenied(UserError):
    """The signed-in user's role does not allow this action."""


class NotFound(UserError):
    """A named record (child, screening, user) does not exist."""


class ValidationFailed(UserError):
    """Input data (a child's details, an import row) is invalid."""


class ChildDetailsInvalid(ValidationFailed):
    """A child's details have one or more problems; ``problems`` holds each as (field, sentence)
    so a form can mark every field at once. The message is the first sentence."""

    def __init__(self, message: str, problems: tuple[tuple[str, str], ...] = ()) -> None:
        super().__init__(message)
        self.problems = problems or (("", message),)


class ScreeningIncomplete(UserError):
    """A screening cannot be submitted: required items are unanswered."""


class InvalidTransition(UserError):
    """A screening cannot move to the requested status from its current one."""


class ImportFailed(UserError):
    """A children import was refused; nothing was imported. ``problems`` holds the rows to
    correct (see :class:`cse_screen.storage.importer.RowProblem`) when rows were the cause."""

    def __init__(self, message: str, problems: tuple[object, ...] = ()) -> None:
        super().__init__(message)
        self.problems = problems


class ExportFailed(UserError):
    """An export could not be written; nothing was left at the destination."""


class BackupFailed(UserError):
    """A backup or restore could not be completed; the existing data is unchanged."""


class StorageFull(UserError):
    """The disk is full; the operation was abandoned and saved data is unchanged."""


class StorageReadOnly(UserError):
    """The database's file, folder or disk cannot be written; saved data is unchanged."""


class Cancelled(UserError):
    """The user cancelled a long-running operation."""


class MigrationFailed(UserError):
    """A schema upgrade failed and was rolled back; the database is as it was before."""


class DatabaseTooNew(UserError):
    """The database was written by a newer version of the application; it was not modified."""


class ServerUnreachable(UserError):
    """The team server (or the team server's database) could not be reached, or the
    certificate it showed was refused. The message names the host, never a password."""

    exit_code = EXIT_UNREACHABLE
