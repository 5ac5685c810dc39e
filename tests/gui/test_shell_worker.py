"""The background runner: results, failures, progress and cancel arrive on the GUI thread."""

from __future__ import annotations

import threading
import time

import pytest
from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication

from cse_screen.errors import Cancelled, WrongPassword
from cse_screen.gui.worker import Runner


def _gui_thread() -> QThread:
    return QApplication.instance().thread()


def test_success_is_delivered_on_the_gui_thread(qtbot, runner: Runner) -> None:
    seen: dict[str, object] = {}

    def work(control):
        seen["worker_thread"] = threading.get_ident()
        return 41 + 1

    def done(result):
        seen["result"] = result
        seen["on_gui_thread"] = QThread.currentThread() == _gui_thread()

    op = runner.run(work, on_success=done)
    with qtbot.waitSignal(op.finished, timeout=5000):
        pass
    assert seen["result"] == 42
    assert seen["on_gui_thread"] is True
    assert seen["worker_thread"] != threading.get_ident()


def test_failure_reaches_the_failure_handler_not_the_success_one(qtbot, runner: Runner) -> None:
    results: list[object] = []
    failures: list[BaseException] = []

    def work(control):
        raise WrongPassword("The user name or password is not right.")

    op = runner.run(work, on_success=results.append, on_failure=failures.append)
    qtbot.waitUntil(lambda: not op.running, timeout=5000)
    assert results == []
    assert len(failures) == 1 and isinstance(failures[0], WrongPassword)


def test_failure_without_a_handler_goes_to_the_error_funnel(qtbot) -> None:
    funnel: list[BaseException] = []
    runner = Runner(on_error=funnel.append)
    op = runner.run(lambda control: 1 / 0)
    qtbot.waitUntil(lambda: not op.running, timeout=5000)
    assert len(funnel) == 1 and isinstance(funnel[0], ZeroDivisionError)
    runner.wait()


def test_progress_is_reported_in_order(qtbot, runner: Runner) -> None:
    steps: list[tuple[int, int]] = []

    def work(control):
        for i in range(1, 6):
            control.progress(i, 5)
        return "ok"

    op = runner.run(work, on_progress=lambda d, t: steps.append((d, t)))
    qtbot.waitUntil(lambda: not op.running, timeout=5000)
    assert steps == [(i, 5) for i in range(1, 6)]


def test_cancel_stops_the_work_and_reports_cancelled(qtbot, runner: Runner) -> None:
    started = threading.Event()
    done_units: list[int] = []
    failures: list[BaseException] = []

    def work(control):
        started.set()
        for i in range(10_000):
            control.check()
            done_units.append(i)
            time.sleep(0.001)
        return "finished"

    op = runner.run(work, on_failure=failures.append)
    assert started.wait(5)
    op.cancel()
    qtbot.waitUntil(lambda: not op.running, timeout=5000)
    assert len(failures) == 1 and isinstance(failures[0], Cancelled)
    assert len(done_units) < 10_000


def test_database_work_is_serialised_on_one_thread(qtbot, runner: Runner) -> None:
    threads: set[int] = set()
    active = [0]
    overlap = [False]

    def work(control):
        active[0] += 1
        overlap[0] = overlap[0] or active[0] > 1
        threads.add(threading.get_ident())
        time.sleep(0.01)
        active[0] -= 1

    ops = [runner.run(work) for _ in range(6)]
    qtbot.waitUntil(lambda: not any(op.running for op in ops), timeout=5000)
    assert len(threads) == 1
    assert overlap[0] is False


@pytest.mark.parametrize("db", [True, False])
def test_the_gui_thread_stays_responsive(qtbot, runner: Runner, db: bool) -> None:
    release = threading.Event()
    op = runner.run(lambda control: release.wait(5), db=db)
    ticks = []
    qtbot.waitUntil(lambda: ticks.append(1) or len(ticks) > 3, timeout=2000)
    assert op.running
    release.set()
    qtbot.waitUntil(lambda: not op.running, timeout=5000)
