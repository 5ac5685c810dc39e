"""The accessibility walk catches each kind of defect it is there to catch.

``test_accessibility.py`` passes on every screen; that means something only if the same checks
fail on a screen that has the defect. Each test here builds the smallest widget with one defect
the review found (an unnamed control, a glyph read aloud, a label read as a caption, a nameless
Tab stop, a focus state with no visible change, a silent status change, a colour pair under its
threshold) and shows the walk reports it, beside the same widget done right, which it passes.
"""

from __future__ import annotations

import pytest
from a11y_walk import (
    Announcements,
    failing_pairs,
    focus_change,
    glyphs,
    plain_text,
    tab_stops,
    tree_problems,
    unnamed_tab_stops,
)
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


def _window(qtbot, *widgets: QWidget, style: str = "") -> QWidget:
    QAccessible.setActive(True)
    window = QWidget()
    window.setObjectName("probeWindow")
    window.setAccessibleName("Probe")
    window.setStyleSheet(style)
    layout = QVBoxLayout(window)
    for widget in widgets:
        layout.addWidget(widget)
    qtbot.addWidget(window)
    window.resize(320, 60 * len(widgets))
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    QApplication.processEvents()
    return window


def test_an_unnamed_control_and_a_glyph_for_a_name_are_reported(qtbot) -> None:
    glyph = QPushButton("✎")
    glyph.setObjectName("editGlyph")
    bare = QLineEdit()
    bare.setObjectName("bareEdit")
    named = QPushButton("Edit the child's details")
    window = _window(qtbot, glyph, bare, named)
    problems = tree_problems(window)
    assert any("editGlyph" in p for p in problems), problems
    assert any("bareEdit" in p for p in problems), problems
    assert not any("Edit the child" in p for p in problems)
    bare.setAccessibleName("Case reference")
    glyph.setAccessibleName("Edit")
    assert tree_problems(window) == []


def test_a_label_read_as_its_caption_is_reported(qtbot) -> None:
    label = QLabel("Wrong user name or password.")
    label.setObjectName("messageLabel")
    label.setAccessibleName("Message")  # what the unlock screen did: read as "Message"
    window = _window(qtbot, label)
    assert tree_problems(window) == [
        "QLabel messageLabel shows 'Wrong user name or password.' but is read as 'Message'"
    ]
    label.setAccessibleName("")
    label.setAccessibleDescription("Message")  # the caption's proper place
    assert tree_problems(window) == []


def test_a_tab_stop_without_a_name_is_reported(qtbot) -> None:
    stop = QFrame()
    stop.setObjectName("silentTile")
    stop.setFocusPolicy(Qt.FocusPolicy.TabFocus)
    stop.setMinimumHeight(30)
    refresh = QPushButton("Refresh")
    window = _window(qtbot, stop, refresh)
    assert unnamed_tab_stops(window) == ["QFrame silentTile: ''"]
    refresh.setFocus()
    assert stop in tab_stops(window)  # Tab does land there
    stop.setAccessibleName("Children: 5")
    assert unnamed_tab_stops(window) == []


@pytest.mark.parametrize(
    ("focus_rule", "visible"),
    [
        ("QLineEdit:focus { border: 1px solid #8a8a8a; }", False),  # no change but the caret
        ("QLineEdit:focus { border: 1px solid #c8c8c8; }", False),  # a change, too faint
        ("QLineEdit:focus { border: 2px solid #1a1a1a; }", True),  # a 2-pixel ring at 3:1+
    ],
)
def test_a_focus_state_must_change_a_two_pixel_ring_at_3_to_1(qtbot, focus_rule, visible):
    edit = QLineEdit()
    edit.setAccessibleName("Case reference")
    other = QPushButton("Elsewhere")
    style = (
        "QWidget { background: #ffffff; color: #000000; }"
        "QLineEdit { border: 2px solid #ffffff; padding: 2px; }" + focus_rule
    )
    window = _window(qtbot, edit, other, style=style)
    assert window.isVisible() and focus_change(edit, other).visible() is visible


def test_a_status_change_is_heard_only_when_announced(qtbot) -> None:
    from cse_screen.gui.theme import set_tone

    label = QLabel()
    label.setObjectName("statusLabel")
    window = _window(qtbot, label)
    assert window.isVisible()
    with Announcements() as spoken:
        label.setText(
            "Export written"
        )  # shown, but a reader whose focus is elsewhere hears nothing
        QApplication.processEvents()
    assert spoken.spoken == []
    with Announcements() as spoken:
        set_tone(label, "The two passwords are not the same.", "error")
    assert spoken.spoken == [("The two passwords are not the same.", True)]


def test_a_colour_pair_under_its_threshold_is_reported() -> None:
    colours = {"muted": "#8a8a8a", "text": "#1a1a1a", "window": "#ffffff"}
    pairs = [("text", "window", 4.5), ("muted", "window", 4.5), ("muted", "window", 3.0)]
    assert failing_pairs(colours, pairs) == ["muted on window: 3.45 < 4.5"]


def test_a_glyph_read_aloud_is_reported(qtbot) -> None:
    legend = QLabel("■ Significant risk")
    legend.setObjectName("legend")
    pencil = QPushButton("✎ Edit")
    pencil.setObjectName("pencil")
    window = _window(qtbot, legend, pencil)
    problems = tree_problems(window)
    assert any(p.startswith("QLabel legend is read with the glyph '■'") for p in problems)
    assert any(p.startswith("QPushButton pencil is read with the glyph '✎'") for p in problems)
    assert glyphs("Due 01 Mar 2027 · overdue — 3 days…") == ""  # punctuation is read fine


def test_the_dashboard_legend_shows_colour_without_a_glyph() -> None:
    from cse_screen.core import registry
    from cse_screen.gui.dashboard_charts import legend_html

    label = QLabel(legend_html(registry.get_questionnaire().outcomes))
    assert glyphs(plain_text(label)) == ""
    assert "Significant risk" in plain_text(label)


def test_an_audit_change_is_read_as_words_not_an_arrow(qtbot) -> None:
    from cse_screen.gui.audit_model import DETAIL_COLUMN, AuditModel
    from cse_screen.storage.records import AuditEntry
    from cse_screen.storage.services.audit import AuditPage, AuditQuery

    entry = AuditEntry(
        7, "2026-12-07T10:00:00Z", "admin", "user.edit", "user", "3", {"role": ["worker", "lead"]}
    )
    page = AuditPage((entry,), 1)
    model = AuditModel(lambda _query: page)
    model.reset_with(AuditQuery(), page)
    cell = model.index(0, DETAIL_COLUMN)
    assert cell.data(Qt.ItemDataRole.DisplayRole) == "role: worker → lead"
    assert cell.data(Qt.ItemDataRole.AccessibleTextRole) == "role: worker changed to lead"


def test_information_drawn_as_disabled_is_reported(qtbot) -> None:
    hint = QLabel("Next due says overdue in words.")
    hint.setObjectName("legend")
    hint.setEnabled(False)  # the old way of making words look muted
    window = _window(qtbot, hint)
    assert tree_problems(window) == ["QLabel legend shows information drawn as disabled"]
    hint.setEnabled(True)
    hint.setProperty("tone", "info")  # muted through the theme, at 4.5:1
    assert tree_problems(window) == []
