"""The one object every screen is built with: ``Page(ctx)``. No globals.

An :class:`AppContext` carries the unlocked store, the background runner, the error funnel, the
settings, the questionnaire lookup and the navigator (the main window). Screens use it like this::

    class RegisterPage(QWidget):
        def __init__(self, ctx: AppContext, parent=None): ...
            ctx.run(lambda store, op: store.children.register(query), on_success=self._show)
            ctx.nav.open_page(ChildRecordPage(ctx, child_id))     # push a page
            ctx.nav.notify("Child LAC0042 saved")                  # status area (never a name)
            ctx.signals.dataChanged.emit("children")               # other pages refresh

Database work goes through :meth:`AppContext.run` (off the GUI thread, serialised with every other
database call). A short read that must return at once (a table model fetching a visible page) may
use :meth:`AppContext.read`, which holds the same lock on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from cse_screen.gui.settings import Settings, save_settings
from cse_screen.gui.worker import FailureFn, Op, OpControl, ProgressFn, Runner, SuccessFn

if TYPE_CHECKING:
    from cse_screen.core.model import Outcome, Questionnaire
    from cse_screen.vault.store import Store

T = TypeVar("T")


class Navigator(Protocol):
    """What the main window offers the pages (implemented by ``MainWindow``)."""

    def open_page(self, page: QWidget) -> None:
        """Show ``page`` in the main area; Back (Alt+Left) returns to the previous one."""

    def close_page(self, page: QWidget) -> None:
        """Remove ``page`` and show the one below it (the register at the bottom)."""

    def show_home(self) -> None:
        """Back to the children register, closing every page above it."""

    def notify(self, message: str, msecs: int = 8000) -> None:
        """A message in the status area. Name a case reference, never a child."""


class AppSignals(QObject):
    """App-wide notifications between pages (emitted and received on the GUI thread)."""

    dataChanged = Signal(str)  # what changed: "children", "screenings", "events"
    settingsChanged = Signal()
    locked = Signal()
    unlocked = Signal()


class AppContext:
    """Everything a screen needs, passed in rather than looked up."""

    def __init__(
        self,
        *,
        db_path: Path,
        settings: Settings,
        runner: Runner,
        show_error: Callable[[QWidget | None, BaseException], object],
        store: Store | None = None,
        questionnaire_folder: Path | None = None,
    ) -> None:
        self.db_path = db_path
        self.settings = settings
        self.runner = runner
        self.show_error = show_error
        self.store: Store | None = store
        self.nav: Navigator | None = None
        self.signals = AppSignals()
        self._questionnaire_folder = questionnaire_folder

    # -- the store ---------------------------------------------------------------------------

    def require_store(self) -> Store:
        if self.store is None:
            raise RuntimeError("the database is not open")
        return self.store

    def run(
        self,
        fn: Callable[[Store, OpControl], Any],
        *,
        on_success: SuccessFn | None = None,
        on_failure: FailureFn | None = None,
        on_progress: ProgressFn | None = None,
        parent: QWidget | None = None,
    ) -> Op:
        """Run ``fn(store, control)`` on the database thread.

        Failures go to ``on_failure``, else to the error funnel with ``parent`` as the owner.
        """
        store = self.require_store()
        failure = on_failure or (lambda exc: self.show_error(parent, exc))
        return self.runner.run(
            lambda control: fn(store, control),
            on_success=on_success,
            on_failure=failure,
            on_progress=on_progress,
            db=True,
        )

    def read(self, fn: Callable[[Store], T]) -> T:
        """A short database read on the calling (GUI) thread, serialised with background work."""
        store = self.require_store()
        with self.runner.db_lock:
            return fn(store)

    # -- questionnaires ----------------------------------------------------------------------

    def questionnaire(self, qid: str | None = None, version: str | None = None) -> Questionnaire:
        """The newest active version of ``qid`` (the default instrument when None)."""
        return _questionnaire(qid, version, self._questionnaire_folder)

    def outcomes(self) -> tuple[Outcome, ...]:
        """Every outcome of every shipped or installed version, lowest first, as the newest
        version defines it (a version that adds one is shown with its own label and colour)."""
        from cse_screen.core import registry

        return registry.outcome_details()

    def questionnaire_for_new(self) -> Questionnaire:
        """The version a screening started today uses: the one the database has active today
        (a folder given for tests or standalone use still wins)."""
        if self._questionnaire_folder is not None or self.store is None:
            return self.questionnaire()
        return self.read(lambda s: s.versions.active_on())

    def questionnaire_by_hash(self, qid: str, version: str, content_hash: str) -> Questionnaire:
        """The exact definition an old screening was scored with."""
        from cse_screen.core import registry

        return registry.get_by_hash(qid, version, content_hash)

    # -- settings ----------------------------------------------------------------------------

    def update_settings(self, settings: Settings) -> None:
        self.settings = settings.normalised()
        save_settings(self.settings)
        self.signals.settingsChanged.emit()


@lru_cache(maxsize=16)
def _questionnaire(qid: str | None, version: str | None, folder: Path | None) -> Questionnaire:
    """Cached: definitions are immutable once loaded and parsing YAML costs a few ms."""
    from cse_screen.core import registry

    return registry.get_questionnaire(qid or registry.DEFAULT_ID, version, folder)
