"""Light and dark appearance: follow the system unless the user chose one in Settings.

Fusion is used on every platform so both schemes look the same everywhere and the dark palette
is complete (the native Windows styles of older Qt releases ignore it). The palette is set
explicitly from the resolved scheme rather than trusting every platform theme to honour
``setColorScheme``; with "system", a change of the desktop's scheme re-applies it live.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QStyleFactory

from cse_screen.paths import resource

_TOKENS = {
    "light": {
        "window": "#f6f7f9",
        "panel": "#ffffff",
        "sidebar": "#eceef2",
        "border": "#d0d4db",
        "hover": "#dde1e8",
        "accent": "#1f5fbf",
        "on_accent": "#ffffff",
        "focus": "#1f5fbf",
        "muted": "#5a6270",
        "error": "#b3261e",
        "good": "#1b7a3a",
        "warn": "#8a5a00",
        "indicator": "#6b7280",
    },
    "dark": {
        "window": "#1e2127",
        "panel": "#262a31",
        "sidebar": "#181b20",
        "border": "#3a3f48",
        "hover": "#2e333b",
        "accent": "#4d8fe8",
        "on_accent": "#0b1220",
        "focus": "#8cb8f5",
        "muted": "#a7afbd",
        "error": "#ff8a80",
        "good": "#7bd88f",
        "warn": "#ffcc66",
        "indicator": "#8a93a3",
    },
}


def resolved_scheme(choice: str) -> str:
    """'light' or 'dark' for a settings value of system, light or dark."""
    if choice in ("light", "dark"):
        return choice
    hints = QGuiApplication.styleHints()
    return "dark" if hints.colorScheme() == Qt.ColorScheme.Dark else "light"


def _palette(scheme: str) -> QPalette:
    t = _TOKENS[scheme]
    dark = scheme == "dark"
    pal = QPalette()
    role = QPalette.ColorRole
    base = QColor("#15181d" if dark else "#ffffff")
    text = QColor("#e6e9ef" if dark else "#1b1f24")
    pal.setColor(role.Window, QColor(t["window"]))
    pal.setColor(role.WindowText, text)
    pal.setColor(role.Base, base)
    pal.setColor(role.AlternateBase, QColor("#1c2026" if dark else "#f2f4f7"))
    pal.setColor(role.Text, text)
    pal.setColor(role.Button, QColor("#2b3038" if dark else "#eef0f3"))
    pal.setColor(role.ButtonText, text)
    pal.setColor(role.ToolTipBase, QColor(t["panel"]))
    pal.setColor(role.ToolTipText, text)
    pal.setColor(role.PlaceholderText, QColor(t["muted"]))
    pal.setColor(role.Highlight, QColor(t["accent"]))
    pal.setColor(role.HighlightedText, QColor(t["on_accent"]))
    pal.setColor(role.Link, QColor(t["focus"] if dark else t["accent"]))
    pal.setColor(role.BrightText, QColor(t["error"]))
    pal.setColor(role.Mid, QColor(t["border"]))
    disabled = QColor("#6b7280" if dark else "#9aa1ab")
    pal.setColor(role.Accent, QColor(t["accent"]))
    for r in (role.WindowText, role.Text, role.ButtonText):
        pal.setColor(QPalette.ColorGroup.Disabled, r, disabled)
    return pal


#: Widgets whose indicator Fusion outlines with the palette's Window colour made darker
#: (by 150 % for a radio button, 140 % for a check box) around a Base fill.
INDICATOR_CLASSES: tuple[str, ...] = ("QRadioButton", "QCheckBox")


def indicator_palette(scheme: str) -> QPalette:
    """The palette radio buttons and check boxes are drawn with.

    Fusion rings their indicator with Window made darker, so on our dark window the ring came
    out near black on near black and the circles all but vanished (and were faint in light).
    These widgets never fill their own background, so giving them a Window from which Fusion's
    darkening yields the ``indicator`` colour changes the ring and nothing else.
    """
    pal = _palette(scheme)
    ring = QColor(_TOKENS[scheme]["indicator"])
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        pal.setColor(group, QPalette.ColorRole.Window, ring.lighter(150))
    return pal


#: Rules for the screening wizard's own controls, kept beside the palette they go with.
WIZARD_QSS = 'QRadioButton[chosen="true"] { font-weight: bold; }\n'


def stylesheet(scheme: str) -> str:
    try:
        text = resource("style", "app.qss").read_text(encoding="utf-8")
    except OSError:
        return WIZARD_QSS
    text += WIZARD_QSS
    for name, value in _TOKENS[scheme].items():
        text = text.replace(f"@{name}@", value)
    return text


def apply_theme(app: QApplication, choice: str) -> str:
    """Apply the chosen appearance now; returns the scheme in effect ('light' or 'dark')."""
    hints = app.styleHints()
    if choice == "dark":
        hints.setColorScheme(Qt.ColorScheme.Dark)
    elif choice == "light":
        hints.setColorScheme(Qt.ColorScheme.Light)
    else:
        hints.unsetColorScheme()
    scheme = resolved_scheme(choice)
    if "fusion" in (k.lower() for k in QStyleFactory.keys()):  # noqa: SIM118 - a list
        app.setStyle("Fusion")
    app.setPalette(_palette(scheme))
    for name in INDICATOR_CLASSES:  # after the app palette, which clears per-class ones
        app.setPalette(indicator_palette(scheme), name)
    app.setStyleSheet(stylesheet(scheme))
    app.setProperty("cseScheme", scheme)
    return scheme


class ThemeFollower:
    """Re-applies the theme when the desktop switches scheme and the user chose "system"."""

    def __init__(self, app: QApplication, choice: str) -> None:
        self._app = app
        self.choice = choice
        app.styleHints().colorSchemeChanged.connect(self._system_changed)
        apply_theme(app, choice)

    def set_choice(self, choice: str) -> None:
        self.choice = choice
        apply_theme(self._app, choice)

    def _system_changed(self, _scheme: Qt.ColorScheme) -> None:
        if self.choice == "system" and self._app.property("cseScheme") != resolved_scheme("system"):
            apply_theme(self._app, "system")


def set_tone(label: QLabel, text: str, tone: str = "info") -> None:
    """Show ``text`` in ``label`` styled as info, error, damage, good or warn (see app.qss)."""
    label.setText(text)
    label.setProperty("tone", tone)
    label.style().unpolish(label)
    label.style().polish(label)
    label.setVisible(bool(text))
