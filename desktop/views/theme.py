"""Colours that follow the system palette (light or dark), or the theme chosen.

The Account dialog offers system, light, dark and high contrast (``apply_theme``);
the choice is kept in settings and applied before the first window shows.

pyqtgraph ignores the Qt palette, so charts ask here and repaint when the palette
changes. Widgets use palette roles directly; this module only adds the few tones a
palette does not name (card background, positive/negative, error banner).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

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


THEME_LABELS = {
    "system": "System",
    "light": "Light",
    "dark": "Dark",
    "high-contrast": "High contrast",
}
_ROLES = QPalette.ColorRole
# Window, text, base, alternate base, button, highlight, highlighted text, link, disabled.
_SCHEMES = {
    "light": ("#F5F6F8", "#1B1D21", "#FFFFFF", "#F0F2F5", "#ECEEF1", "#4C6EF5", "#FFFFFF",
              "#364FC7", "#8A8F98"),
    "dark": ("#1F2125", "#E6E6E6", "#26282C", "#2C2F34", "#2C2F34", "#3B5BDB", "#FFFFFF",
             "#91A7FF", "#6B6F76"),
    # Black and white with yellow selection, as Windows' "High Contrast Black": every
    # text/background pair is over 15:1; disabled text stays readable (7:1).
    "high-contrast": ("#000000", "#FFFFFF", "#000000", "#1A1A1A", "#000000", "#FFFF00",
                      "#000000", "#00FFFF", "#A0A0A0"),
}  # fmt: skip


def theme_palette(name: str) -> QPalette | None:
    """The palette of a named theme; None for "system" (the desktop's own)."""
    scheme = _SCHEMES.get(name)
    if scheme is None:
        return None
    window, text, base, alternate, button, highlight, on_highlight, link, disabled = map(
        QColor, scheme
    )
    pal = QPalette()
    for role, colour in (
        (_ROLES.Window, window),
        (_ROLES.WindowText, text),
        (_ROLES.Base, base),
        (_ROLES.AlternateBase, alternate),
        (_ROLES.Text, text),
        (_ROLES.Button, button),
        (_ROLES.ButtonText, text),
        (_ROLES.BrightText, text),
        (_ROLES.Highlight, highlight),
        (_ROLES.HighlightedText, on_highlight),
        (_ROLES.ToolTipBase, base),
        (_ROLES.ToolTipText, text),
        (_ROLES.PlaceholderText, disabled),
        (_ROLES.Link, link),
        (_ROLES.Light, text if name == "high-contrast" else button.lighter(130)),
        (_ROLES.Mid, disabled),
        (_ROLES.Dark, button.darker(160)),
    ):
        pal.setColor(role, colour)
    for role in (_ROLES.WindowText, _ROLES.Text, _ROLES.ButtonText):
        pal.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    return pal


def apply_theme(name: str, app: QApplication | None = None) -> None:
    """Switch the whole app to ``name``; "system" gives back what the desktop gave.

    A chosen theme also takes the Fusion style, which draws with the palette (native
    styles on macOS and Windows ignore parts of it). The system's palette and style
    are remembered at the first switch so "system" can return to them.
    """
    app = app or QApplication.instance()  # type: ignore[assignment]
    if not isinstance(app, QApplication):
        return
    if app.property("systemPalette") is None:
        app.setProperty("systemPalette", QPalette(app.palette()))
        app.setProperty("systemStyle", app.style().name())
    chosen = theme_palette(name)
    if chosen is None:
        app.setStyle(QStyleFactory.create(app.property("systemStyle")))
        app.setPalette(app.property("systemPalette"))
    else:
        app.setStyle(QStyleFactory.create("Fusion"))
        app.setPalette(chosen)
    app.setProperty("theme", name)
    # A widget with a style sheet resolved ``palette(...)`` once, against the old
    # palette; setting the sheet again makes it follow the new one.
    for widget in app.allWidgets():
        if sheet := widget.styleSheet():
            widget.setStyleSheet(sheet)


def is_high_contrast() -> bool:
    app = QApplication.instance()
    return app is not None and app.property("theme") == "high-contrast"
