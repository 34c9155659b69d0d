"""Every control a person can reach has a name a screen reader can say, the focus
moves in reading order, and the app stays usable at 200 % and in high contrast."""

from __future__ import annotations

from PySide6.QtGui import QAccessible, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollBar,
    QTabBar,
    QTabWidget,
    QTextEdit,
    QWidget,
)

from desktop.views import shell_commands
from desktop.views.about import AboutDialog
from desktop.views.categories_dialog import CategoriesDialog
from desktop.views.main_actions import DASHBOARD, EXPENSES
from desktop.views.theme import apply_theme
from tests.desktop.conftest import WAIT_MS, idle
from tests.desktop.test_keyboard_entry import open_dialog

INTERACTIVE = (
    QAbstractButton,
    QLineEdit,
    QComboBox,
    QAbstractSpinBox,
    QPlainTextEdit,
    QTextEdit,
    QAbstractItemView,
    QTabBar,
    QAbstractSlider,
)
# Parts of a compound control that Qt names through the control itself.
PARTS = (QComboBox, QAbstractSpinBox, QScrollBar, QTabBar, QHeaderView)


# Fields whose accessible name Qt would otherwise take from their content (a combo's
# current text, a date): they need a name of their own or a label that is their buddy.
FIELDS = (QLineEdit, QComboBox, QAbstractSpinBox, QPlainTextEdit, QTextEdit, QAbstractItemView)


def accessible_name(widget: QWidget) -> str:
    if isinstance(widget, FIELDS):
        if widget.accessibleName().strip():
            return widget.accessibleName().strip()
        labels = widget.window().findChildren(QLabel)
        return next((label.text() for label in labels if label.buddy() is widget), "")
    interface = QAccessible.queryAccessibleInterface(widget)
    name = interface.text(QAccessible.Text.Name).strip() if interface else ""
    # "✕" or "…" alone is read out as a symbol name, not as what the button does.
    return name if any(ch.isalnum() for ch in name) else ""


def unnamed_controls(top: QWidget) -> list[str]:
    """Visible interactive widgets under ``top`` with no accessible name."""
    found = []
    for widget in [top, *top.findChildren(QWidget)]:
        if not isinstance(widget, INTERACTIVE) or isinstance(widget, (QScrollBar, QHeaderView)):
            continue
        if not widget.isVisible() or isinstance(widget.parentWidget(), PARTS):
            continue
        if not accessible_name(widget):
            hint = widget.toolTip() or getattr(widget, "placeholderText", lambda: "")()
            found.append(f"{type(widget).__name__} ({hint!r}) in {type(top).__name__}")
    return found


def every_tab(top: QWidget) -> list[str]:
    """Walk each page of each tab widget too (hidden pages are not visible)."""
    found = unnamed_controls(top)
    for tabs in top.findChildren(QTabWidget):
        for index in range(tabs.count()):
            tabs.setCurrentIndex(index)
            found += unnamed_controls(tabs.widget(index))
    return sorted(set(found))


def test_the_main_window_names_every_control(qtbot, signed_in):
    for view in (EXPENSES, DASHBOARD):
        signed_in.show_view(view)
        idle(qtbot, signed_in)
        assert unnamed_controls(signed_in) == [], view


def test_the_dialogs_name_every_control(qtbot, signed_in, monkeypatch):
    monkeypatch.setenv("EXPENSE_TRACKER_UPDATES_URL", "http://127.0.0.1:9/latest")
    dialogs = [
        open_dialog(qtbot, signed_in, signed_in.new_action),
        shell_commands.open_account(signed_in),
        shell_commands.open_palette(signed_in),
        shell_commands.check_updates(signed_in),
        AboutDialog(signed_in.session, signed_in.runner, signed_in),
        CategoriesDialog(signed_in.session, signed_in.runner, signed_in.categories, signed_in),
        signed_in.show_login(),
    ]
    problems = []
    for dialog in dialogs:
        dialog.show()
        qtbot.waitUntil(dialog.isVisible, timeout=WAIT_MS)
        problems += every_tab(dialog)
        dialog.reject()
    idle(qtbot, signed_in)
    assert problems == []


def focus_chain(start: QWidget, count: int) -> list[QWidget]:
    """What Tab visits from ``start``: focusable, visible widgets in chain order."""
    chain, widget = [], start
    while len(chain) < count:
        widget = widget.nextInFocusChain()
        if widget is start:
            break
        tab = widget.focusPolicy() & widget.focusPolicy().TabFocus
        inner = isinstance(widget.parentWidget(), PARTS)  # a combo's or date's own editor
        if tab and not inner and widget.isVisible() and widget.isEnabled():
            chain.append(widget)
    return chain


def test_tab_follows_reading_order(qtbot, signed_in):
    bar, table = signed_in.filters, signed_in.expenses.table
    signed_in.show_view(EXPENSES)
    visible = [w for w in (bar.date_from, bar.date_to, bar.category) if w.isVisible()]
    then = [bar.tags.edit, bar.tags.button, bar.currency, bar.search, table]
    assert focus_chain(bar.preset, len(visible) + len(then)) == [*visible, *then]
    dialog = open_dialog(qtbot, signed_in, signed_in.new_action)
    # The charged amount (another currency), the split parts and the refund picker (a
    # negative amount) are hidden or disabled until they apply: Tab skips them.
    order = [dialog.currency, dialog.spent_on, dialog.category, dialog.split_button,
             dialog.description, dialog.tags, dialog.notes]  # fmt: skip
    assert focus_chain(dialog.amount, len(order)) == order
    dialog.reject()
    idle(qtbot, signed_in)


# A 1920 x 1080 screen at 200 % leaves 960 x 540 logical pixels.
SCREEN_AT_200 = (960, 540)


def test_every_window_fits_a_full_hd_screen_at_200_percent(qtbot, signed_in):
    def fits(widget: QWidget) -> bool:
        hint = widget.minimumSizeHint()
        return hint.width() <= SCREEN_AT_200[0] and hint.height() <= SCREEN_AT_200[1]

    assert fits(signed_in), signed_in.minimumSizeHint()
    dialogs = [
        open_dialog(qtbot, signed_in, signed_in.new_action),
        shell_commands.open_account(signed_in),
        shell_commands.open_palette(signed_in),
    ]
    for dialog in dialogs:
        assert fits(dialog), (type(dialog).__name__, dialog.minimumSizeHint())
        dialog.reject()
    idle(qtbot, signed_in)


def test_high_contrast_makes_text_and_focus_stand_out(qtbot, signed_in):
    app = QApplication.instance()
    try:
        apply_theme("high-contrast")
        palette = app.palette()
        roles = QPalette.ColorRole

        def contrast(a, b) -> float:
            def luminance(color) -> float:
                def channel(c: float) -> float:
                    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

                r, g, b_ = (channel(x) for x in (color.redF(), color.greenF(), color.blueF()))
                return 0.2126 * r + 0.7152 * g + 0.0722 * b_

            high, low = sorted((luminance(a), luminance(b)), reverse=True)
            return (high + 0.05) / (low + 0.05)

        # WCAG AAA asks 7:1 for text; the theme gives far more.
        for text, background in (
            (roles.WindowText, roles.Window),
            (roles.Text, roles.Base),
            (roles.ButtonText, roles.Button),
            (roles.HighlightedText, roles.Highlight),
        ):
            assert contrast(palette.color(text), palette.color(background)) >= 7, text
        disabled = palette.color(QPalette.ColorGroup.Disabled, roles.Text)
        assert contrast(disabled, palette.color(roles.Base)) >= 7
        assert unnamed_controls(signed_in) == []
    finally:
        apply_theme("system")
