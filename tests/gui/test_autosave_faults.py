"""Autosave under real faults: a full disk and a write lock another process holds.

"All answers saved" may appear only when every answer given is in the database; an answer whose
save failed stays marked, with the reason, and is retried until it lands.
"""

from __future__ import annotations

import contextlib
import errno
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QLabel, QRadioButton
from screens_fixtures import PASSWORD, all_absent, known, known_template, make_context

__all__ = ["known", "known_template"]  # fixtures, used by name

SAVED = "All answers saved"


@pytest.fixture
def tiny_fs(tiny_fs):
    """An 8 MiB tmpfs for the test (the shared maker): a real ENOSPC, not a simulated one."""
    return tiny_fs(8 * 1024 * 1024)


def _copy_known(known, folder: Path) -> Path:
    src = known.db
    for name in (src.name, src.name + ".keys", src.name + "-wal", src.name + "-shm"):
        if (src.parent / name).exists():
            (folder / name).write_bytes((src.parent / name).read_bytes())
    return folder / src.name


def _fill(folder: Path) -> Path:
    """Take every free byte of the file system ``folder`` is on."""
    filler = folder / "filler"
    with open(filler, "wb", buffering=0) as handle:
        for chunk in (1 << 16, 4096, 512, 1):
            with contextlib.suppress(OSError):
                while True:
                    handle.write(b"\0" * chunk)
    try:
        with open(folder / "probe", "wb", buffering=0) as probe:
            probe.write(b"\0" * 4096)
    except OSError as exc:
        assert exc.errno == errno.ENOSPC
    return filler


def _open(qtbot, ctx, child_id: int):
    from cse_screen.gui.wizard.page import open_screening

    wizard = open_screening(ctx, child_id)
    assert wizard is not None
    qtbot.addWidget(wizard)
    wizard.resize(1000, 760)
    wizard.show()
    qtbot.waitExposed(wizard)
    return wizard


def _watch_status(wizard) -> list[str]:
    """Every footer text, in order (connected after the wizard's own update, so it sees it)."""
    seen: list[str] = []
    wizard.autosave.changed.connect(lambda: seen.append(wizard.save_status.text()))
    return seen


def _answer_all(wizard, values: dict[str, str]) -> None:
    for section_id in wizard.visible_section_ids():
        wizard.show_section(section_id)
        for item_id in wizard.pages[section_id].items:
            if item_id in values and wizard.controller.is_visible(item_id):
                wizard.findChild(QRadioButton, f"answer_{item_id}_{values[item_id]}").click()


def _saved_answers(ctx, screening_id: int) -> dict[str, str]:
    """What the database holds now, read straight from its table (a service read would add
    an audit entry, which a full disk refuses)."""
    from cse_screen.vault.engine import driver_connection

    with ctx.runner.db_lock, driver_connection(ctx.require_store().engine) as raw:
        rows = raw.execute(
            "SELECT item_id, value FROM answers WHERE screening_id = ?", (screening_id,)
        ).fetchall()
    return dict(rows)


def _given(wizard) -> dict[str, str]:
    return dict(wizard.controller.session.answers)


@pytest.mark.slow
def test_full_disk_keeps_every_unsaved_answer_marked_and_retried(qtbot, known, runner, tiny_fs):
    from cse_screen.vault.engine import checkpoint
    from cse_screen.vault.store import Store

    db = _copy_known(known, tiny_fs)
    store = Store.open(db, "admin", PASSWORD)
    try:
        ctx = make_context(store, runner, db)
        wizard = _open(qtbot, ctx, known.ids["LAC0002"])
        qtbot.waitUntil(wizard.all_saved, timeout=5000)
        seen = _watch_status(wizard)
        checkpoint(store.engine)  # the WAL starts empty, so the next write must grow a file
        filler = _fill(tiny_fs)
        values = all_absent(wizard.controller.questionnaire)
        _answer_all(wizard, values)
        qtbot.waitUntil(lambda: bool(wizard.controller.ledger.failing()), timeout=10000)
        qtbot.waitUntil(lambda: wizard.autosave.retry_in is not None, timeout=10000)
        given = _given(wizard)
        stored = _saved_answers(ctx, wizard.controller.screening_id)
        unsaved = set(wizard.controller.unsaved_items())
        assert unsaved, "a full disk must fail some saves"
        assert set(given) == set(stored) | unsaved  # nothing given is neither saved nor marked
        for item_id in unsaved:
            label = wizard.findChild(QLabel, f"unsaved_{item_id}")
            assert label is not None and not label.isHidden(), item_id
        failing = wizard.controller.ledger.failing()
        assert any("not enough disk space" in (u.reason or "") for u in failing)
        status = wizard.save_status.text()
        assert SAVED not in status and "not saved" in status and "Trying again" in status
        assert wizard.retry_button.isVisibleTo(wizard)
        assert all(SAVED not in text for text in seen)  # never claimed while the disk was full
        wizard.grab().save("/tmp/autosave-full-disk.png")

        filler.unlink()  # space is back: the pending retries must land without a click
        qtbot.waitUntil(wizard.all_saved, timeout=20000)
        assert SAVED in wizard.save_status.text()
        assert _saved_answers(ctx, wizard.controller.screening_id) == _given(wizard)
        assert not any(not wizard.findChild(QLabel, f"unsaved_{i}").isHidden() for i in unsaved)
        assert not wizard.retry_button.isVisibleTo(wizard)
    finally:
        runner.wait(10000)
        store.close()


HOLD_LOCK = textwrap.dedent(
    """
    import sys, time
    from cse_screen.vault.engine import driver_connection
    from cse_screen.vault.store import Store
    db, password, hold = sys.argv[1], sys.argv[2], float(sys.argv[3])
    with Store.open(db, "admin", password) as store:
        with driver_connection(store.engine) as raw:
            raw.execute("BEGIN IMMEDIATE")
            print("locked", flush=True)
            time.sleep(hold)
            raw.execute("COMMIT")
    """
)


@pytest.mark.slow
def test_lock_held_by_another_process_past_the_busy_timeout(
    qtbot, known, runner, monkeypatch, tmp_path
):
    from cse_screen.vault import engine
    from cse_screen.vault.store import Store

    monkeypatch.setattr(engine, "DEFAULT_BUSY_TIMEOUT_MS", 300)
    store = Store.open(known.db, "admin", PASSWORD)
    try:
        ctx = make_context(store, runner, known.db)
        wizard = _open(qtbot, ctx, known.ids["LAC0003"])
        qtbot.waitUntil(wizard.all_saved, timeout=5000)
        seen = _watch_status(wizard)
        env = dict(os.environ, PYTHONPATH=os.getcwd(), CSE_SCREEN_KDF="test")
        holder = subprocess.Popen(
            [sys.executable, "-c", HOLD_LOCK, str(known.db), PASSWORD, "3"],
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        try:
            assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
            section = wizard.visible_section_ids()[0]
            wizard.show_section(section)
            items = list(wizard.pages[section].items)[:3]
            for item_id in items:
                wizard.findChild(QRadioButton, f"answer_{item_id}_none").click()
            qtbot.waitUntil(lambda: bool(wizard.controller.ledger.failing()), timeout=5000)
            assert set(wizard.controller.unsaved_items()) == set(items)
            assert "in use by another program" in wizard.save_status.text()
            assert SAVED not in wizard.save_status.text()
            assert _saved_answers(ctx, wizard.controller.screening_id) == {}  # WAL readers
        finally:
            holder.wait(30)
        qtbot.waitUntil(wizard.all_saved, timeout=20000)
        assert SAVED in wizard.save_status.text()
        saved = _saved_answers(ctx, wizard.controller.screening_id)
        assert {i: saved.get(i) for i in items} == dict.fromkeys(items, "none")
        first_saved = next(i for i, text in enumerate(seen) if SAVED in text)
        assert all("not saved" not in text.lower() for text in seen[first_saved:])
    finally:
        runner.wait(10000)
        store.close()


def test_closing_with_unsaved_answers_says_how_many_and_offers_a_retry(
    qtbot, known, runner, monkeypatch
):
    """A refused save (the draft was submitted elsewhere meanwhile) is not retried by itself;
    closing says how many answers would be lost and lets the worker stay."""
    from PySide6.QtWidgets import QMessageBox, QPushButton

    from cse_screen.vault.store import Store

    store = Store.open(known.db, "admin", PASSWORD)
    try:
        ctx = make_context(store, runner, known.db)
        wizard = _open(qtbot, ctx, known.ids["LAC0002"])
        qtbot.waitUntil(wizard.all_saved, timeout=5000)
        sid = wizard.controller.screening_id
        with Store.open(known.db, "admin", PASSWORD) as other:
            other.screenings.discard_draft(sid)  # gone elsewhere: every later save is refused
        values = all_absent(wizard.controller.questionnaire)
        section = wizard.visible_section_ids()[0]
        wizard.show_section(section)
        items = list(wizard.pages[section].items)[:2]
        for item_id in items:
            wizard.findChild(QRadioButton, f"answer_{item_id}_{values[item_id]}").click()
        qtbot.waitUntil(lambda: len(wizard.controller.ledger.failing()) == 2, timeout=5000)
        assert wizard.autosave.retry_in is None  # a refusal is not retried on its own
        closed: list[int] = []
        wizard.closed.connect(closed.append)
        wizard.close_button.click()
        box = wizard.findChild(QMessageBox, "unsavedCloseBox")
        assert box is not None and box.isVisible()
        assert box.text().startswith("2 answers are not saved")
        box.findChild(QPushButton, "unsavedStayButton").click()
        assert closed == [] and SAVED not in wizard.save_status.text()
        wizard.close_button.click()
        box = next(b for b in wizard.findChildren(QMessageBox, "unsavedCloseBox") if b.isVisible())
        box.findChild(QPushButton, "unsavedLoseButton").click()
        assert closed == [sid]
    finally:
        QApplication.processEvents()
        runner.wait(10000)
        store.close()


def test_the_unlock_screen_names_a_full_disk_and_advises_no_restore(qtbot, known, runner, tiny_fs):
    """A full disk at sign-in used to read "damaged ... restore from a backup"."""
    from cse_screen.gui.app import open_store
    from cse_screen.gui.unlock import UnlockWidget

    db = _copy_known(known, tiny_fs)
    filler = _fill(tiny_fs)
    unlock = UnlockWidget(runner, db, open_store(db), user="admin")
    qtbot.addWidget(unlock)
    unlock.show()
    unlock.form.passwordEdit.setText(PASSWORD)
    unlock.form.unlockButton.click()
    message = unlock.form.messageLabel
    qtbot.waitUntil(lambda: "disk space" in message.text(), timeout=10000)
    assert message.property("tone") == "error"
    assert "damaged" not in message.text() and "backup" not in message.text()
    unlock.grab().save("/tmp/unlock-full-disk.png")
    filler.unlink()
    opened: list[object] = []
    unlock.unlocked.connect(opened.append)
    unlock.form.passwordEdit.setText(PASSWORD)
    unlock.form.unlockButton.click()
    qtbot.waitUntil(lambda: bool(opened), timeout=10000)
    opened[0].close()
