"""Radio buttons and check boxes stay clearly visible in both schemes.

The wizard is answered almost entirely through radio buttons; in the dark scheme their circles
once vanished into the window. Checked here twice over: the palette roles Fusion draws the
indicator with contrast with the window (WCAG's 3:1 for parts of a control), and a rendered
radio button and check box really show a ring of that contrast.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QHBoxLayout,
    QRadioButton,
    QStyle,
    QWidget,
)
from screens_fixtures import admin_ctx, known, known_template

SCHEMES = ("light", "dark")
#: Fusion's outline: Window made darker by this factor (radio button, check box).
RING_DARKER = {"QRadioButton": 150, "QCheckBox": 140}
NON_TEXT_CONTRAST = 3.0
__all__ = ["admin_ctx", "known", "known_template"]


def luminance(colour: QColor) -> float:
    """Relative luminance as WCAG 2 defines it."""

    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.redF())
        + 0.7152 * channel(colour.greenF())
        + 0.0722 * channel(colour.blueF())
    )


def contrast(a: QColor, b: QColor) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.fixture
def themed(qapp) -> Iterator[QApplication]:
    """Apply themes freely, then put the application's look back for the tests that follow."""
    palette, sheet = QPalette(qapp.palette()), qapp.styleSheet()
    scheme = qapp.property("cseScheme")
    yield qapp
    qapp.setPalette(palette)
    qapp.setStyleSheet(sheet)
    qapp.setProperty("cseScheme", scheme)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_indicator_palette_roles_contrast_with_the_window(themed, scheme: str) -> None:
    from cse_screen.gui.theme import apply_theme

    apply_theme(themed, scheme)
    window = themed.palette().color(QPalette.ColorRole.Window)
    for name, factor in RING_DARKER.items():
        pal = QApplication.palette(name)
        ring = pal.color(QPalette.ColorRole.Window).darker(factor)
        assert contrast(ring, window) >= NON_TEXT_CONTRAST, (scheme, name, ring.name())
        mark = pal.color(QPalette.ColorRole.Text).darker(120)  # Fusion's check mark and dot
        fill = pal.color(QPalette.ColorRole.Base)
        assert contrast(mark, fill) >= NON_TEXT_CONTRAST, (scheme, name)
        label = pal.color(QPalette.ColorRole.WindowText)  # the label is unchanged
        assert label == themed.palette().color(QPalette.ColorRole.WindowText)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_rendered_indicators_show_a_ring_against_the_window(qtbot, themed, scheme: str) -> None:
    from cse_screen.gui.theme import apply_theme

    apply_theme(themed, scheme)
    host = QWidget()
    qtbot.addWidget(host)
    row = QHBoxLayout(host)
    controls = [QRadioButton("Current", host), QCheckBox("School", host)]
    for control in controls:
        row.addWidget(control)
    host.resize(320, 48)
    host.show()
    qtbot.waitExposed(host)
    image = host.grab().toImage()
    window = themed.palette().color(QPalette.ColorRole.Window)
    ratio = image.devicePixelRatio()
    metrics = {
        QRadioButton: QStyle.PixelMetric.PM_ExclusiveIndicatorWidth,
        QCheckBox: QStyle.PixelMetric.PM_IndicatorWidth,
    }
    for control in controls:
        width = control.style().pixelMetric(metrics[type(control)], None, control)
        top_left = control.mapTo(host, control.rect().topLeft())
        y = int((top_left.y() + control.height() / 2) * ratio)
        xs = range(int(top_left.x() * ratio), int((top_left.x() + width) * ratio))  # not the label
        best = max(contrast(image.pixelColor(x, y), window) for x in xs)
        assert best >= NON_TEXT_CONTRAST, (scheme, type(control).__name__, best)


def test_the_chosen_answer_stays_bold_under_the_style_sheet(qtbot, themed, admin_ctx, known):
    from cse_screen.gui.theme import apply_theme
    from cse_screen.gui.wizard import DraftController, ScreeningWizard

    apply_theme(themed, "dark")
    store = admin_ctx.require_store()
    child = store.children.get(known.ids["LAC0004"])
    controller = DraftController.start(
        store.screenings, child.id, admin_ctx.questionnaire(), child=child
    )
    controller.answer("A1", "previous")
    wizard = ScreeningWizard(controller)
    host = QWidget()  # the main window takes the built wizard in as a page, as here
    qtbot.addWidget(host)
    QHBoxLayout(host).addWidget(wizard)
    host.show()
    wizard.show_section("missing")
    qtbot.waitExposed(host)
    chosen = wizard.findChild(QRadioButton, "answer_A1_previous")
    assert chosen.font().bold()
    assert not wizard.findChild(QRadioButton, "answer_A1_none").font().bold()
    wizard.findChild(QRadioButton, "answer_A1_none").click()
    assert wizard.findChild(QRadioButton, "answer_A1_none").font().bold()
    assert not chosen.font().bold()
