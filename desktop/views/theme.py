"""Colours that follow the system palette (light or dark).

pyqtgraph ignores the Qt palette, so charts ask here and repaint when the palette
changes. Widgets use palette roles directly; this module only adds the few tones a
palette does not name (card background, positive/negative, error banner).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QGuiApplication, QPalette

ACCENT = "#4C6EF5"


@dataclass(frozen=True)
class Tones:
    dark: bool
    background: QColor
    card: QColor
    border: QColor
    text: QColor
    muted: QColor
    grid: QColor
    accent: QColor
    increase: QColor  # spending went up: bad news
    decrease: QColor
    error_bg: QColor
    error_text: QColor
    info_bg: QColor


def palette() -> QPalette:
    return QGuiApplication.palette()


def is_dark(pal: QPalette | None = None) -> bool:
    pal = pal or palette()
    return pal.color(QPalette.ColorRole.Window).lightness() < 128


def tones(pal: QPalette | None = None) -> Tones:
    pal = pal or palette()
    dark = is_dark(pal)
    window = pal.color(QPalette.ColorRole.Window)
    text = pal.color(QPalette.ColorRole.WindowText)
    base = pal.color(QPalette.ColorRole.Base)
    muted = QColor(text)
    muted.setAlphaF(0.62)
    grid = QColor(text)
    grid.setAlphaF(0.12)
    border = QColor(text)
    border.setAlphaF(0.14)
    return Tones(
        dark=dark,
        background=window,
        card=base.lighter(112) if dark else base,
        border=border,
        text=text,
        muted=muted,
        grid=grid,
        accent=QColor("#748FFC" if dark else ACCENT),
        increase=QColor("#FF8787" if dark else "#C92A2A"),
        decrease=QColor("#69DB7C" if dark else "#2B8A3E"),
        error_bg=QColor("#4A1F1F" if dark else "#FFF0F0"),
        error_text=QColor("#FFC9C9" if dark else "#A61E1E"),
        info_bg=QColor("#1F2E4A" if dark else "#EEF3FF"),
    )


def rgba(color: QColor) -> str:
    """A colour for a style sheet, alpha included."""
    return f"rgba({color.red()}, {color.green()}, {color.blue()}, {color.alpha()})"
