"""WCAG 2.2 colour contrast: relative luminance, contrast ratio, and the text colour for a fill.

Kept free of Qt so the thresholds the theme and the outcome badges must meet are checked by plain
tests, and so an instrument's outcome colours can be judged wherever they are loaded.
"""

from __future__ import annotations

#: WCAG 2.2 AA thresholds: 1.4.3 (text), 1.4.11 (non-text: borders, focus rings, indicators).
TEXT_MIN = 4.5
NON_TEXT_MIN = 3.0

BLACK = "#000000"
WHITE = "#ffffff"


def _rgb(colour: str) -> tuple[int, int, int]:
    """'#rrggbb' (or 'rrggbb') as three integers; anything else is refused with its value."""
    value = colour.strip().lstrip("#")
    if len(value) != 6 or any(c not in "0123456789abcdefABCDEF" for c in value):
        raise ValueError(f"not a #rrggbb colour: {colour!r}")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def _channel(byte: int) -> float:
    c = byte / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    """WCAG relative luminance, 0 (black) to 1 (white)."""
    r, g, b = (_channel(v) for v in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: str, second: str) -> float:
    """The WCAG contrast ratio of two colours, 1.0 to 21.0, whichever order they come in."""
    a, b = luminance(first), luminance(second)
    lighter, darker = max(a, b), min(a, b)
    return (lighter + 0.05) / (darker + 0.05)


def text_colour_on(fill: str) -> str:
    """Black or white, whichever has the higher contrast ratio on ``fill``.

    Chosen by ratio rather than by perceived brightness: a brightness cut-off put white on the
    Moderate badge's orange (3.1:1) where black reads at 6.8:1.
    """
    return BLACK if contrast_ratio(BLACK, fill) >= contrast_ratio(WHITE, fill) else WHITE
