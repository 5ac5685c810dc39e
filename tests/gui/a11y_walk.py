"""What a screen reader and a keyboard user meet, read from Qt itself for the accessibility tests.

* :class:`Announcements` records every accessibility event Qt sends. PySide6 does not wrap
  ``QAccessible::installUpdateHandler``, so the recorder calls that C++ function of QtGui
  directly through ctypes with a C callback, and reads each event back as a Python object
  with ``shiboken6.wrapInstance``: the same hook Qt's own accessibility tests use.
* :func:`tree_problems` reads every visible widget's accessible interface.
* :func:`tab_stops` presses Tab until focus comes back round and lists where it landed.
* :func:`focus_change` grabs a widget unfocused and focused and measures the ring it gained.
"""

from __future__ import annotations

import ctypes
import functools
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import PySide6
import pytest
import shiboken6
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent, QAccessibleEvent, QImage
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QLabel,
    QScrollArea,
    QWidget,
)

from cse_screen.core.contrast import contrast_ratio

_HANDLER = ctypes.CFUNCTYPE(None, ctypes.c_void_p)
_SYMBOL = "_ZN11QAccessible20installUpdateHandlerEPFvP16QAccessibleEventE"


def _install_function():
    lib = ctypes.CDLL(str(Path(PySide6.__file__).parent / "Qt" / "lib" / "libQt6Gui.so.6"))
    install = getattr(lib, _SYMBOL)
    install.restype = ctypes.c_void_p
    install.argtypes = [ctypes.c_void_p]
    return install


@dataclass
class Announcements:
    """Every QAccessibleAnnouncementEvent Qt sends while installed: (message, assertive)."""

    spoken: list[tuple[str, bool]] = field(default_factory=list)
    events: list[QAccessible.Event] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not sys.platform.startswith("linux"):
            pytest.skip("the update-handler hook is looked up by its Linux (Itanium) symbol")
        self._callback = _HANDLER(self._handle)
        self._install = _install_function()
        self._previous: int | None = None

    def _handle(self, pointer: int) -> None:
        event = shiboken6.wrapInstance(pointer, QAccessibleEvent)
        kind = event.type()
        self.events.append(kind)
        if kind == QAccessible.Event.Announcement:
            said = shiboken6.wrapInstance(pointer, QAccessibleAnnouncementEvent)
            assertive = said.politeness() == QAccessible.AnnouncementPoliteness.Assertive
            self.spoken.append((said.message(), assertive))

    def __enter__(self) -> Announcements:
        QAccessible.setActive(True)
        self._previous = self._install(ctypes.cast(self._callback, ctypes.c_void_p))
        return self

    def __exit__(self, *_exc: object) -> None:
        self._install(ctypes.c_void_p(self._previous))

    def clear(self) -> None:
        self.spoken.clear()
        self.events.clear()

    def heard(self, words: str) -> bool:
        """True if an announcement contained ``words`` (case-insensitive)."""
        return any(words.lower() in message.lower() for message, _ in self.spoken)


def plain_text(label: QLabel) -> str:
    """What a label shows, as Qt turns it into its accessible name (no markup, no '&')."""
    from PySide6.QtGui import Qt as GuiQt
    from PySide6.QtGui import QTextDocument

    text = label.text()
    rich = label.textFormat() == Qt.TextFormat.RichText
    if rich or (label.textFormat() == Qt.TextFormat.AutoText and GuiQt.mightBeRichText(text)):
        doc = QTextDocument()
        doc.setHtml(text)
        text = doc.toPlainText()
    if label.buddy() is None:  # only a buddy's label turns "&" into an underlined Alt key
        return text
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def name_of(widget: QWidget) -> str:
    iface = QAccessible.queryAccessibleInterface(widget)
    return iface.text(QAccessible.Text.Name) if iface is not None else ""


def meaningful(name: str) -> bool:
    """A name says something: at least two letters or digits, not a lone glyph or a class name."""
    return len(re.findall(r"\w", name)) >= 2 and not name.startswith("Q")


def takes_tab(widget: QWidget) -> bool:
    return (
        widget.isVisible()
        and widget.isEnabled()
        and bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus)
        and widget.focusProxy() is None
    )


def _interactive(widget: QWidget) -> bool:
    return takes_tab(widget) or (
        isinstance(widget, QAbstractButton | QAbstractItemView) and widget.isVisible()
    )


def glyphs(text: str) -> str:
    """The pictographs and arrows in ``text`` ("✎", "■", "→"), which a screen reader reads
    out as "pencil", "black square", "right arrow"."""
    return "".join(
        ch for ch in text if unicodedata.category(ch) == "So" or 0x2190 <= ord(ch) <= 0x21FF
    )


def tree_problems(root: QWidget) -> list[str]:
    """One sentence per accessibility fault among the visible widgets under ``root``."""
    problems: list[str] = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisible():
            continue
        what = f"{type(widget).__name__} {widget.objectName() or '(unnamed object)'}"
        name = name_of(widget)
        if glyphs(name):
            problems.append(f"{what} is read with the glyph {glyphs(name)!r}: {name!r}")
        if isinstance(widget, QLabel) and plain_text(widget).strip():
            parent = widget.parentWidget()
            if not widget.isEnabled() and (parent is None or parent.isEnabled()):
                # Greyed-out words read at 2.4:1 and are announced as "unavailable".
                problems.append(f"{what} shows information drawn as disabled")
            if name != plain_text(widget):
                problems.append(f"{what} shows {plain_text(widget)!r} but is read as {name!r}")
        elif _interactive(widget) and not meaningful(name):
            problems.append(f"{what} is interactive but its accessible name is {name!r}")
    return problems


def spoken_name(widget: QWidget) -> str:
    """Its accessible name; a combo box's comes from its label relation on Linux (the tree's
    Name is its value there), so its set name or buddy label counts."""
    if isinstance(widget, QComboBox):
        return widget.accessibleName() or _buddy_text(widget)
    return name_of(widget)


def _buddy_text(widget: QWidget) -> str:
    for label in widget.window().findChildren(QLabel):
        if label.buddy() is widget:
            return label.text().replace("&", "")
    return ""


def unnamed_tab_stops(root: QWidget) -> list[str]:
    """Every widget under ``root`` that Tab reaches whose spoken name says nothing."""
    return [
        f"{type(w).__name__} {w.objectName()}: {spoken_name(w)!r}"
        for w in [root, *root.findChildren(QWidget)]
        if takes_tab(w) and not meaningful(spoken_name(w))
    ]


def failing_pairs(colours: dict[str, str], pairs: list[tuple[str, str, float]]) -> list[str]:
    """Each (foreground, background, minimum) token pair whose contrast falls short."""
    return [
        f"{fg} on {bg}: {contrast_ratio(colours[fg], colours[bg]):.2f} < {minimum}"
        for fg, bg, minimum in pairs
        if contrast_ratio(colours[fg], colours[bg]) < minimum
    ]


def tab_stops(window: QWidget, limit: int = 250) -> list[QWidget]:
    """Where focus lands pressing Tab from the current focus until it comes round again."""
    from pytestqt.qtbot import QtBot

    start = QApplication.focusWidget()
    seen: list[QWidget] = []
    for _ in range(limit):
        current = QApplication.focusWidget() or window
        QtBot.keyClick(current, Qt.Key.Key_Tab)
        QApplication.processEvents()
        landed = QApplication.focusWidget()
        if landed is None or landed is start or landed in seen:
            break
        seen.append(landed)
    return seen


@dataclass(frozen=True)
class FocusChange:
    """How a widget's pixels change when it takes focus."""

    strong: int  # changed pixels whose before/after contrast is at least 3:1
    changed: int
    perimeter: int  # of the widget, in device pixels: a one-pixel ring all round

    def visible(self) -> bool:
        """A 2-pixel ring changes at 3:1 or more (three quarters of it: corners are rounded)."""
        return self.strong >= 1.5 * self.perimeter


_ratio = functools.lru_cache(maxsize=1 << 16)(contrast_ratio)


def _pixels(image: QImage) -> bytes:
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    return bytes(image.constBits())[: image.sizeInBytes()]


def _hex(data: bytes, i: int) -> str:
    return f"#{data[i + 2]:02x}{data[i + 1]:02x}{data[i]:02x}"  # RGB32 is B, G, R, 255


def _seen(widget: QWidget) -> QImage:
    """The widget as it appears in its window, over whatever its parents paint behind it."""
    window = widget.window()
    area = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
    return window.grab(area).toImage()


def _scroll_into_view(widget: QWidget) -> None:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea):
            parent.ensureWidgetVisible(widget, 0, 0)
        parent = parent.parentWidget()
    QApplication.processEvents()


def focus_change(widget: QWidget, elsewhere: QWidget) -> FocusChange:
    """Grab ``widget`` while ``elsewhere`` has focus, then focused, and compare pixel by pixel."""
    _scroll_into_view(widget)
    elsewhere.setFocus(Qt.FocusReason.TabFocusReason)
    QApplication.processEvents()
    before = _seen(widget)
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    QApplication.processEvents()
    after = _seen(widget)
    if before.isNull() or after.isNull():
        return FocusChange(0, 0, 2 * (widget.width() + widget.height()))
    a, b = _pixels(before), _pixels(after)
    strong = changed = 0
    if len(a) == len(b):
        for i in range(0, len(a), 4):
            if a[i : i + 3] != b[i : i + 3]:
                changed += 1
                if _ratio(_hex(a, i), _hex(b, i)) >= 3.0:
                    strong += 1
    return FocusChange(strong, changed, 2 * (before.width() + before.height()))
