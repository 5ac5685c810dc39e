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

from cse_screen.gui.a11y import announce
from cse_screen.paths import resource

_TOKENS = {
    "light": {
        "window": "#f6f7f9",
        "panel": "#ffffff",
        "base": "#ffffff",
        "alt_base": "#f2f4f7",
        "sidebar": "#eceef2",
        "button": "#eef0f3",
        "text": "#1b1f24",
        "border": "#d0d4db",
        "field_border": "#80878f",
        "hover": "#dde1e8",
        "accent": "#1f5fbf",
        "on_accent": "#ffffff",
        "focus": "#0a3577",
        "muted": "#5a6270",
        "error": "#b3261e",
        "good": "#176b33",
        "warn": "#8a5a00",
        "indicator": "#6b7280",
        "disabled": "#9aa1ab",
    },
    "dark": {
        "window": "#1e2127",
        "panel": "#262a31",
        "base": "#15181d",
        "alt_base": "#1c2026",
        "sidebar": "#181b20",
        "button": "#2b3038",
        "text": "#e6e9ef",
        "border": "#3a3f48",
        "field_border": "#737c8c",
        "hover": "#2e333b",
        "accent": "#6ea6f2",
        "on_accent": "#0b1220",
        "focus": "#cfe3ff",
        "muted": "#a7afbd",
        "error": "#ff8a80",
        "good": "#7bd88f",
        "warn": "#ffcc66",
        "indicator": "#8a93a3",
        "disabled": "#6b7280",
    },
}

#: The surfaces text is drawn on, and the words drawn on them (WCAG 1.4.3: 4.5:1).
TEXT_SURFACES = ("window", "panel", "base", "alt_base", "sidebar", "button", "hover")
TEXT_TOKENS = ("text", "muted", "error", "good", "warn", "accent")
#: Parts of controls that must stand out from what is next to them (WCAG 1.4.11: 3:1): field
#: borders against the surfaces fields sit on, the focus ring against those and against the
#: border it replaces, and the radio and check box rings.
NON_TEXT_PAIRS: tuple[tuple[str, str], ...] = (
    *(("field_border", s) for s in ("window", "panel", "base")),
    *(("focus", s) for s in ("window", "panel", "base", "sidebar", "field_border")),
    *(("indicator", s) for s in ("window", "panel", "base")),
)


def tokens(scheme: str) -> dict[str, str]:
    """The colours of ``scheme`` ('light' or 'dark'), by token name (a copy)."""
    return dict(_TOKENS[scheme])


def contrast_pairs(scheme: str) -> list[tuple[str, str, float]]:
    """Every (foreground token, background token, WCAG minimum) the theme promises to meet."""
    from cse_screen.core.contrast import NON_TEXT_MIN, TEXT_MIN

    pairs = [(fg, bg, TEXT_MIN) for fg in TEXT_TOKENS for bg in TEXT_SURFACES]
    pairs.append(("on_accent", "accent", TEXT_MIN))
    pairs += [(fg, bg, NON_TEXT_MIN) for fg, bg in NON_TEXT_PAIRS]
    return pairs


def high_contrast() -> bool:
    """True when the desktop asks for high contrast (a Windows contrast theme, for example)."""
    hints = QGuiApplication.styleHints().accessibility()
    return hints.contrastPreference() == Qt.ContrastPreference.HighContrast


def resolved_scheme(choice: str) -> str:
    """'light' or 'dark' for a settings value of system, light or dark."""
    if choice in ("light", "dark"):
        return choice
    hints = QGuiApplication.styleHints()
    return "dark" if hints.colorScheme() == Qt.ColorScheme.Dark else "light"


def _palette(scheme: str) -> QPalette:
    t = _TOKENS[scheme]
    pal = QPalette()
    role = QPalette.ColorRole
    base = QColor(t["base"])
    text = QColor(t["text"])
    pal.setColor(role.Window, QColor(t["window"]))
    pal.setColor(role.WindowText, text)
    pal.setColor(role.Base, base)
    pal.setColor(role.AlternateBase, QColor(t["alt_base"]))
    pal.setColor(role.Text, text)
    pal.setColor(role.Button, QColor(t["button"]))
    pal.setColor(role.ButtonText, text)
    pal.setColor(role.ToolTipBase, QColor(t["panel"]))
    pal.setColor(role.ToolTipText, text)
    pal.setColor(role.PlaceholderText, QColor(t["muted"]))
    pal.setColor(role.Highlight, QColor(t["accent"]))
    pal.setColor(role.HighlightedText, QColor(t["on_accent"]))
    pal.setColor(role.Link, QColor(t["accent"]))
    pal.setColor(role.BrightText, QColor(t["error"]))
    pal.setColor(role.Mid, QColor(t["border"]))
    disabled = QColor(t["disabled"])
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


#: With a desktop contrast theme the system's own colours are used; only the focus ring is
#: added, drawn in the theme's highlight colour so it follows whatever contrast theme is chosen.
HIGH_CONTRAST_QSS = (
    "QAbstractItemView:focus, QGraphicsView:focus, QRadioButton:focus, QCheckBox:focus,"
    " QPushButton:focus, QToolButton:focus { border: 2px solid palette(highlight); }\n"
    'QLabel[tone="error"], QLabel[tone="damage"], QLabel[tone="good"], QLabel[tone="warn"]'
    " { font-weight: 600; }\n"
) + WIZARD_QSS


def apply_theme(app: QApplication, choice: str) -> str:
    """Apply the chosen appearance now; returns the scheme in effect ('light' or 'dark').

    When the desktop asks for high contrast the system palette is kept as it is (our own colours
    would override a Windows contrast theme the worker chose to be able to read the screen).
    """
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
    if high_contrast():
        app.setPalette(QPalette())  # an empty palette: the platform's own colours
        app.setStyleSheet(HIGH_CONTRAST_QSS)
        app.setProperty("cseScheme", "contrast")
        return "contrast"
    app.setPalette(_palette(scheme))
    for name in INDICATOR_CLASSES:  # after the app palette, which clears per-class ones
        app.setPalette(indicator_palette(scheme), name)
    app.setStyleSheet(stylesheet(scheme))
    app.setProperty("cseScheme", scheme)
    return scheme


class ThemeFollower:
    """Re-applies the theme when the desktop switches scheme or contrast preference.

    A scheme change matters only when the user chose "system"; a contrast change always does.
    """

    def __init__(self, app: QApplication, choice: str) -> None:
        self._app = app
        self.choice = choice
        app.styleHints().colorSchemeChanged.connect(self._system_changed)
        app.styleHints().accessibility().contrastPreferenceChanged.connect(self._contrast_changed)
        apply_theme(app, choice)

    def set_choice(self, choice: str) -> None:
        self.choice = choice
        apply_theme(self._app, choice)

    def _system_changed(self, _scheme: Qt.ColorScheme) -> None:
        if self.choice == "system" and self._app.property("cseScheme") != resolved_scheme("system"):
            apply_theme(self._app, "system")

    def _contrast_changed(self, _preference: Qt.ContrastPreference) -> None:
        apply_theme(self._app, self.choice)


#: Tones read out at once, interrupting: something refused or wrong that stops the worker.
ASSERTIVE_TONES = ("error", "damage")


def set_tone(label: QLabel, text: str, tone: str = "info") -> None:
    """Show ``text`` in ``label`` styled as info, error, damage, good or warn (see app.qss).

    The words are also announced to screen readers (errors interrupting, the rest politely):
    a label that changes while focus is elsewhere is otherwise never heard.
    """
    changed = text != label.text() or tone != label.property("tone")
    label.setText(text)
    label.setProperty("tone", tone)
    label.style().unpolish(label)
    label.style().polish(label)
    label.setVisible(bool(text))
    assertive = tone in ASSERTIVE_TONES
    if text and (changed or assertive):  # the same refusal again is news; the same hint is not
        announce(label, text, assertive=assertive)
