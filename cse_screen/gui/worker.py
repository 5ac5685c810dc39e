"""Background work: one small abstraction for everything that may take longer than a blink.

Modelled on Anki's ``QueryOp``: the callable runs off the GUI thread and never touches widgets;
its result or its exception comes back through exactly one path, on the GUI thread. Database work
runs on a single dedicated thread ("lane") that never expires, so the store's SQLite connections
are only ever used by one thread at a time, and a lock lets the GUI thread make short reads
without racing that thread.

The callable receives an :class:`OpControl`: ``progress(done, total)`` to report, ``cancelled()``
to poll, and ``check()`` to raise :class:`~cse_screen.errors.Cancelled` when the user asked to stop.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from cse_screen.errors import Cancelled

SuccessFn = Callable[[Any], object]
FailureFn = Callable[[BaseException], object]
ProgressFn = Callable[[int, int], object]


class OpControl:
    """What the background callable may use: progress reporting and the cancel flag."""

    def __init__(self, emit_progress: Callable[[int, int], None]) -> None:
        self._emit_progress = emit_progress
        self._cancel = threading.Event()

    def progress(self, done: int, total: int) -> None:
        self._emit_progress(int(done), int(total))

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check(self) -> None:
        """Raise Cancelled if the user asked to stop; call between units of work."""
        if self._cancel.is_set():
            raise Cancelled("The operation was cancelled; nothing further was changed.")


class _Emitter(QObject):
    """Lives in the GUI thread; signals emitted from the worker are queued onto it."""

    progressed = Signal(int, int)
    done = Signal(object, object)  # (result, exception): exactly one is meaningful


class Op(QObject):
    """A running operation: cancel it, or listen to its signals (all delivered on the GUI thread).

    ``succeeded(result)`` or ``failed(exception)`` fires once, then ``finished()``.
    """

    progressed = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(object)
    finished = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._emitter = _Emitter()
        self._emitter.progressed.connect(self._on_progress)
        self._emitter.done.connect(self._on_done)
        self.control = OpControl(self._emitter.progressed.emit)
        self.running = True

    def cancel(self) -> None:
        self.control._cancel.set()

    @Slot(int, int)
    def _on_progress(self, done: int, total: int) -> None:
        self.progressed.emit(done, total)

    @Slot(object, object)
    def _on_done(self, result: object, exc: object) -> None:
        self.running = False
        if isinstance(exc, BaseException):
            self.failed.emit(exc)
        else:
            self.succeeded.emit(result)
        self.finished.emit()


class _Task(QRunnable):
    def __init__(self, fn: Callable[[OpControl], Any], op: Op, lock: threading.RLock | None):
        super().__init__()
        self.setAutoDelete(True)
        self._fn = fn
        self._control = op.control
        self._emitter = op._emitter
        self._lock = lock

    def run(self) -> None:
        result: Any = None
        error: BaseException | None = None
        try:
            if self._lock is None:
                result = self._fn(self._control)
            else:
                with self._lock:
                    result = self._fn(self._control)
        except BaseException as exc:  # delivered to the GUI thread, never lost in the pool
            error = exc
        self._emitter.done.emit(result, error)


class Runner(QObject):
    """Runs callables off the GUI thread: ``db`` work serialised on one thread, other work pooled.

    ``on_failure`` defaults to the runner's error funnel, so no failure is ever silent.
    """

    def __init__(
        self,
        on_error: FailureFn | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._db_pool = QThreadPool(self)
        self._db_pool.setMaxThreadCount(1)
        self._db_pool.setExpiryTimeout(-1)  # the same thread for the store's whole life
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(2)
        self.db_lock = threading.RLock()
        self._on_error = on_error
        self._ops: set[Op] = set()

    def set_error_handler(self, on_error: FailureFn) -> None:
        self._on_error = on_error

    def run(
        self,
        fn: Callable[[OpControl], Any],
        *,
        on_success: SuccessFn | None = None,
        on_failure: FailureFn | None = None,
        on_progress: ProgressFn | None = None,
        db: bool = True,
    ) -> Op:
        """Start ``fn(control)`` in the background and return its :class:`Op`.

        ``db=True`` (the default) puts it on the store's single thread, holding ``db_lock``.
        """
        op = Op()
        self._ops.add(op)  # keep the Python wrapper alive until it reports
        if on_progress is not None:
            op.progressed.connect(on_progress)
        if on_success is not None:
            op.succeeded.connect(on_success)
        failure = on_failure or self._on_error
        if failure is not None:
            op.failed.connect(failure)
        op.finished.connect(lambda: self._ops.discard(op))
        task = _Task(fn, op, self.db_lock if db else None)
        (self._db_pool if db else self._pool).start(task)
        return op

    def busy(self) -> bool:
        return bool(self._ops)

    def wait(self, msecs: int = 30000) -> bool:
        """Block until every started callable has returned (for shutdown and tests)."""
        ok = self._db_pool.waitForDone(msecs)
        return self._pool.waitForDone(msecs) and ok
