"""First run and unlock, driven through the real widgets on real encrypted databases."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QPushButton, QWidget

from cse_screen.core.passwords import password_strength
from cse_screen.gui.app import Shell, make_context
from cse_screen.gui.setup import SetupWidget
from cse_screen.gui.unlock import WRONG_PASSWORD, UnlockWidget
from cse_screen.vault.store import Store

STRONG = "Tangerine-viaduct-93-moss"


def _edit(w: QWidget, name: str) -> QLineEdit:
    found = w.findChild(QLineEdit, name)
    assert found is not None, name
    return found


def _type(qtbot, w: QWidget, name: str, text: str) -> None:
    edit = _edit(w, name)
    edit.clear()
    qtbot.keyClicks(edit, text)


def _click(qtbot, w: QWidget, name: str) -> None:
    button = w.findChild(QPushButton, name)
    assert button is not None, name
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _message(w: QWidget) -> str:
    return w.findChild(QLabel, "messageLabel").text()


def test_weak_passwords_are_refused_with_the_reason() -> None:
    assert "at least 10" in password_strength("Xy7!q").problem
    assert "try first" in password_strength("password123").problem
    assert "name" in password_strength("jsmith-2026-rocks", ("jsmith", "Jo Smith")).problem
    assert password_strength("aaaaaaaaaaaaaaaaaaaa").problem is not None
    assert password_strength(STRONG).problem is None
    assert password_strength(STRONG).score >= 3


def test_setup_refuses_a_weak_password_then_creates_the_database(qtbot, tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    ctx = make_context(db)
    shell = Shell(QApplication.instance(), ctx)
    form = shell.start()
    qtbot.addWidget(form)
    assert isinstance(form, SetupWidget)
    _type(qtbot, form, "fullNameEdit", "Jo Smith")
    _type(qtbot, form, "userEdit", "jsmith")
    _type(qtbot, form, "passwordEdit", "Xy7!qzz")
    _type(qtbot, form, "confirmEdit", "Xy7!qzz")
    _click(qtbot, form, "createButton")
    assert "refused" in _message(form) and "10 characters" in _message(form)
    assert not db.exists()

    _type(qtbot, form, "passwordEdit", STRONG)
    _type(qtbot, form, "confirmEdit", STRONG + "x")
    _click(qtbot, form, "createButton")
    assert "not the same" in _message(form)
    assert not db.exists()

    _type(qtbot, form, "confirmEdit", STRONG)
    _click(qtbot, form, "createButton")
    qtbot.waitUntil(lambda: shell.main is not None, timeout=15000)
    assert db.exists()
    assert shell.main.windowTitle() == "cse-screen – jsmith"
    assert ctx.store.user.role == "admin"
    shell.shutdown()
    with Store.open(db, "jsmith", STRONG) as store:
        assert store.user.full_name == "Jo Smith"


def _unlock_shell(qtbot, db: Path) -> tuple[Shell, UnlockWidget]:
    shell = Shell(QApplication.instance(), make_context(db))
    form = shell.start()
    qtbot.addWidget(form)
    assert isinstance(form, UnlockWidget)
    return shell, form


def test_wrong_password_says_so_and_keeps_the_user_name(qtbot, demo_db: Path, demo) -> None:
    shell, form = _unlock_shell(qtbot, demo_db)
    _type(qtbot, form, "userEdit", demo.user)
    _type(qtbot, form, "passwordEdit", "not-the-password")
    qtbot.keyClick(_edit(form, "passwordEdit"), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: _message(form) == WRONG_PASSWORD, timeout=10000)
    assert _edit(form, "userEdit").text() == demo.user
    assert _edit(form, "passwordEdit").text() == ""
    assert _edit(form, "passwordEdit").isEnabled()
    assert shell.main is None
    shell.shutdown()


def test_right_password_opens_the_register_and_reports_the_draft(
    qtbot, demo_db: Path, demo
) -> None:
    shell, form = _unlock_shell(qtbot, demo_db)
    _type(qtbot, form, "userEdit", demo.user)
    _type(qtbot, form, "passwordEdit", demo.password)
    _click(qtbot, form, "unlockButton")
    qtbot.waitUntil(lambda: shell.main is not None, timeout=10000)
    main = shell.main
    qtbot.addWidget(main)
    assert main.windowTitle() == f"cse-screen – {demo.user}"
    assert main.current_page() is main.root("register")
    status = main.statusBar()
    qtbot.waitUntil(lambda: "recovered" in status.currentMessage(), timeout=10000)
    message = status.currentMessage()
    assert message.startswith(f"Draft screening for {demo.known_children[0][0]} from ")
    assert not any(name in message for _ref, name, _dob in demo.known_children)
    shell.lock.shutdown()
    shell.shutdown()


def test_a_damaged_database_is_reported_differently(qtbot, demo_db: Path, demo) -> None:
    data = bytearray(demo_db.read_bytes())
    data[200:400] = bytes(200)
    demo_db.write_bytes(bytes(data))
    shell, form = _unlock_shell(qtbot, demo_db)
    _type(qtbot, form, "userEdit", demo.user)
    _type(qtbot, form, "passwordEdit", demo.password)
    _click(qtbot, form, "unlockButton")
    qtbot.waitUntil(lambda: "cannot be opened" in _message(form), timeout=10000)
    assert form.findChild(QLabel, "messageLabel").property("tone") == "damage"
    assert _message(form) != WRONG_PASSWORD
    assert "not a problem with your password" in _message(form)
    assert str(demo_db) in _message(form)  # names the file IT must restore
    assert shell.main is None
    shell.shutdown()


def test_a_missing_keyslot_file_is_reported_as_damage_not_a_wrong_password(
    qtbot, demo_db: Path, demo
) -> None:
    demo_db.with_name(demo_db.name + ".keys").unlink()
    shell, form = _unlock_shell(qtbot, demo_db)
    _type(qtbot, form, "userEdit", demo.user)
    _type(qtbot, form, "passwordEdit", demo.password)
    _click(qtbot, form, "unlockButton")
    qtbot.waitUntil(lambda: "cannot be opened" in _message(form), timeout=10000)
    assert "keyslot file" in _message(form)
    assert _edit(form, "userEdit").text() == demo.user
    shell.shutdown()


def test_a_keyslot_file_put_back_after_a_password_change_is_refused_plainly(
    qtbot, demo_db: Path, demo, tmp_path: Path
) -> None:
    keys = demo_db.with_name(demo_db.name + ".keys")
    yesterday = tmp_path / "yesterday.keys"
    yesterday.write_bytes(keys.read_bytes())
    with Store.open(demo_db, demo.user, demo.password) as store:
        store.users.set_password(demo.user, "a different long passphrase 77")
    keys.write_bytes(yesterday.read_bytes())
    shell, form = _unlock_shell(qtbot, demo_db)
    _type(qtbot, form, "userEdit", demo.user)
    _type(qtbot, form, "passwordEdit", demo.password)  # the old password, in the old file
    _click(qtbot, form, "unlockButton")
    qtbot.waitUntil(lambda: "cannot be opened" in _message(form), timeout=10000)
    assert "is older than the database" in _message(form)
    assert "an earlier copy was put back" in _message(form)
    assert form.findChild(QLabel, "messageLabel").property("tone") == "damage"
    assert shell.main is None
    shell.shutdown()


def test_the_next_start_remembers_the_user_name_so_only_the_password_is_asked(
    qtbot, demo_db: Path, demo
) -> None:
    shell, form = _unlock_shell(qtbot, demo_db)
    _type(qtbot, form, "userEdit", demo.user)
    _type(qtbot, form, "passwordEdit", demo.password)
    _click(qtbot, form, "unlockButton")
    qtbot.waitUntil(lambda: shell.main is not None, timeout=10000)
    qtbot.addWidget(shell.main)
    shell.lock.shutdown()
    shell.shutdown()
    again, form = _unlock_shell(qtbot, demo_db)
    form.show()
    qtbot.waitExposed(form)
    assert _edit(form, "userEdit").text() == demo.user
    assert form.focusWidget() is _edit(form, "passwordEdit")
    again.shutdown()


OPEN_AND_LOOK = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from cse_screen.cli import main
from cse_screen.gui.app import make_app

app = make_app()

def look_then_quit():
    names = [type(w).__name__ for w in QApplication.topLevelWidgets() if w.isVisible()]
    print("visible:", *names, flush=True)
    QApplication.quit()

QTimer.singleShot(500, look_then_quit)
sys.exit(main(sys.argv[1:]))
"""


def test_cse_screen_without_a_command_opens_the_set_up_screen(tmp_path: Path) -> None:
    """Through the real entry point, in its own process (quitting the app ends Qt's timers)."""
    import subprocess
    import sys

    db = tmp_path / "first.db"
    done = subprocess.run(
        [sys.executable, "-c", OPEN_AND_LOOK, "--db", str(db)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "SetupWidget" in done.stdout
    assert not db.exists()


def _fill_setup(qtbot, form: SetupWidget) -> None:
    _type(qtbot, form, "fullNameEdit", "Jo Smith")
    _type(qtbot, form, "userEdit", "jsmith")
    _type(qtbot, form, "passwordEdit", STRONG)
    _type(qtbot, form, "confirmEdit", STRONG)


def test_setup_with_it_recovery_key_adds_a_recovery_slot(qtbot, tmp_path: Path, runner) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    from cse_screen.gui.app import create_store

    private = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    public_file = tmp_path / "it-recovery.pem"
    public_file.write_bytes(
        private.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    db = tmp_path / "with-recovery.db"
    form = SetupWidget(runner, db, create_store(db))
    qtbot.addWidget(form)
    _fill_setup(qtbot, form)
    form.set_recovery_file(public_file)
    assert _edit(form, "recoveryKeyEdit").text() == str(public_file)
    with qtbot.waitSignal(form.created, timeout=15000) as created:
        _click(qtbot, form, "createButton")
    store = created.args[0]
    try:
        assert store.keyslots.has_recovery
    finally:
        store.close()


def test_setup_refuses_a_file_that_is_not_a_recovery_key(qtbot, tmp_path: Path, runner) -> None:
    from cse_screen.gui.app import create_store

    not_a_key = tmp_path / "notes.txt"
    not_a_key.write_text("not a key")
    db = tmp_path / "refused.db"
    form = SetupWidget(runner, db, create_store(db))
    qtbot.addWidget(form)
    _fill_setup(qtbot, form)
    form.set_recovery_file(not_a_key)
    _click(qtbot, form, "createButton")
    qtbot.waitUntil(lambda: "recovery public key" in _message(form), timeout=15000)
    assert _edit(form, "userEdit").isEnabled()
    assert not db.exists()
