"""A screening in progress survives the process being killed: every answer was committed."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest
from PySide6.QtWidgets import QPlainTextEdit, QRadioButton
from screens_fixtures import PASSWORD, known, known_template, open_store

__all__ = ["known", "known_template"]

# Runs in a child process: the very path the wizard takes (DraftController) on a real store.
CHILD = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from cse_screen.core import registry
    from cse_screen.storage.services.drafts import DraftController
    from cse_screen.vault.store import Store

    db, password, child_id = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    store = Store.open(db, "sam", password)
    child = store.children.get(child_id)
    q = registry.get_questionnaire()
    controller = DraftController.start(store.screenings, child_id, q, child=child)
    controller.answer("A1", "current")
    controller.set_note("A1", "Missing two nights, found in another town")
    controller.answer("A2", "none")
    controller.answer("A3", "previous")
    print("READY", controller.screening_id, flush=True)
    time.sleep(120)  # killed long before this ends
    """
)


@pytest.mark.slow
def test_answers_survive_sigkill_and_the_restart_says_what_was_recovered(qtbot, known, tmp_path):
    from cse_screen.gui.app import drafts_message
    from cse_screen.gui.wizard import DraftController, ScreeningWizard

    script = tmp_path / "crash_child.py"
    script.write_text(CHILD, encoding="utf-8")
    env = {**os.environ, "CSE_SCREEN_KDF": "test", "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.Popen(
        [sys.executable, str(script), str(known.db), PASSWORD, str(known.ids["LAC0002"])],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=os.getcwd(),
    )
    try:
        line = proc.stdout.readline()
        assert line.startswith("READY"), proc.stderr.read()
        screening_id = int(line.split()[1])
    finally:
        proc.kill()  # SIGKILL: no clean-up, no flush, no atexit
        proc.wait(10)
    assert proc.returncode == -9

    store = open_store(known, "sam")
    try:
        drafts = store.screenings.drafts()
        assert [d.id for d in drafts] == [screening_id]
        assert drafts_message(drafts).startswith("Draft screening for LAC0002 from ")
        child = store.children.get(known.ids["LAC0002"])
        controller = DraftController.resume(store.screenings, screening_id, child=child)
        assert dict(controller.session.answers) == {"A1": "current", "A2": "none", "A3": "previous"}
        wizard = ScreeningWizard(controller)
        qtbot.addWidget(wizard)
        for item_id, value in controller.session.answers.items():
            assert wizard.findChild(QRadioButton, f"answer_{item_id}_{value}").isChecked()
        note = wizard.findChild(QPlainTextEdit, "evidence_A1")
        assert note.toPlainText() == "Missing two nights, found in another town"
        assert wizard.current_section_id() == "missing"  # A4 is the first unanswered item
    finally:
        store.close()
