"""The expenses table's tag chips, currency column and split parts; the tag and
currency filters, flowing into the list, the summary and the export."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QPainter
from PySide6.QtWidgets import QFileDialog, QStyleOptionViewItem

from desktop.filters import ExpenseQuery
from desktop.models.expenses import AMOUNT, CATEGORY, CURRENCY, TAGS
from desktop.views.expense_cells import (
    CHIP_HEIGHT,
    chip_area,
    chip_colours,
    chip_font,
    chip_rects,
)
from desktop.views.tag_filter import parse_tags
from tests.desktop.conftest import WAIT_MS, idle
from tests.desktop.helpers import category_id, create_expense

TAG_NAMES = st.text(
    st.characters(whitelist_categories=("L", "N"), max_codepoint=0x2FF), min_size=1, max_size=40
)


def rows(window) -> list:
    model = window.expenses.model
    return [model.expense(r) for r in range(model.rowCount())]


def reloaded(qtbot, window, change) -> None:
    with qtbot.waitSignal(window.summaryShown, timeout=WAIT_MS):
        change()
    idle(qtbot, window)


def test_tag_chips_are_painted_in_the_tags_column(qtbot, signed_in, client, account):
    create_expense(client, account, amount="40.00", category="Food", tags=["trip", "food"])
    signed_in.refresh()
    idle(qtbot, signed_in)
    table, model = signed_in.expenses.table, signed_in.expenses.model
    index = model.index(0, TAGS)
    assert index.data() == "food, trip"  # for screen readers and copying
    assert index.data(Qt.ItemDataRole.ToolTipRole) == "food, trip"
    assert table.itemDelegateForColumn(TAGS) is table.chips  # one delegate, no cell widgets
    assert table.indexWidget(index) is None
    image = QImage(240, 30, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    option = QStyleOptionViewItem()
    option.rect, option.font, option.palette = QRect(0, 0, 240, 30), table.font(), table.palette()
    option.widget = table
    painter = QPainter(image)
    table.chips.paint(painter, option, index)
    painter.end()
    colours = {image.pixelColor(x, 15).name() for x in range(240)}
    fill, _ink = chip_colours("trip", dark=False)
    assert fill.name() in colours  # the "trip" chip is there, in its own colour
    assert chip_colours("food", False)[0].name() in colours


@settings(max_examples=60, deadline=None)
@given(names=st.lists(TAG_NAMES, max_size=20), width=st.integers(20, 400))
def test_chips_never_leave_the_cell_and_say_how_many_are_hidden(names, width):
    metrics = QFontMetrics(QFont())
    area = QRect(8, 0, width, 30)
    placed = chip_rects(names, metrics, area)
    shown = [text for text, rect in placed if rect.width() > 0]
    assert all(rect.right() <= area.right() for _t, rect in placed if rect.width() > 0)
    assert shown == names[: len(shown)]
    if len(shown) < len(names):
        assert placed[-1][0] == f"+{len(names) - len(shown)}"
    assert all(rect.height() == CHIP_HEIGHT for _t, rect in placed)


def test_the_tag_filter_narrows_list_summary_and_export(
    qtbot, signed_in, client, account, tmp_path, monkeypatch
):
    create_expense(client, account, amount="40.00", category="Food", tags=["trip", "food"])
    create_expense(client, account, amount="12.00", category="Food", tags=["Trip"])
    create_expense(client, account, amount="9.00", category="Other")
    reloaded(qtbot, signed_in, signed_in.refresh)
    bar = signed_in.filters
    assert sorted(bar.tags.edit.known.stringList()) == ["food", "trip"]  # from GET /tags

    bar.tags.edit.setText("TRIP, food, trip")
    reloaded(qtbot, signed_in, bar.tags.edit.editingFinished.emit)
    assert bar.tags.tags() == ("TRIP", "food")
    assert [e.amount for e in rows(signed_in)] == [40]  # AND: both tags
    assert signed_in.summary.count == 1
    target = tmp_path / "tagged.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    with qtbot.waitSignal(signed_in.transfer.exported, timeout=WAIT_MS):
        signed_in.export_action.trigger()
    assert len(target.read_text(encoding="utf-8").splitlines()) == 2  # header + the one

    # The menu: untick "food", leaving "trip" (either spelling) only.
    bar.tags._fill_menu()
    food = next(a for a in bar.tags.menu.actions() if a.text().startswith("food"))
    assert food.isChecked()
    reloaded(qtbot, signed_in, lambda: food.setChecked(False))
    assert sorted(e.amount for e in rows(signed_in)) == [12, 40]
    reloaded(qtbot, signed_in, bar.tags.edit.clear)
    assert len(rows(signed_in)) == 3


def test_a_filtered_tag_that_goes_away_leaves_the_filter(qtbot, signed_in, client, account):
    create_expense(client, account, amount="40.00", category="Food", tags=["trip"])
    create_expense(client, account, amount="9.00", category="Other")
    reloaded(qtbot, signed_in, signed_in.refresh)
    bar = signed_in.filters
    bar.tags.edit.setText("trip")
    reloaded(qtbot, signed_in, bar.tags.edit.editingFinished.emit)
    assert len(rows(signed_in)) == 1
    response = client.delete("/api/v1/tags/trip", headers=account.headers)
    assert response.status_code == 204
    signed_in.refresh()
    qtbot.waitUntil(lambda: bar.tags.tags() == (), timeout=WAIT_MS)
    idle(qtbot, signed_in)
    assert bar.tags.edit.text() == ""
    assert len(rows(signed_in)) == 2


def test_the_segment_completer_completes_the_tag_being_typed(qtbot, signed_in, client, account):
    create_expense(client, account, amount="4.00", category="Food", tags=["holiday", "home"])
    reloaded(qtbot, signed_in, signed_in.refresh)
    tags = signed_in.filters.tags
    qtbot.keyClicks(tags.edit, "home, hol")
    completer = tags.edit.tag_completer  # the expense dialog's, shared
    assert completer.splitPath(tags.edit.text()) == ["hol"]
    completer.setCompletionPrefix("hol")
    assert completer.completionCount() == 1  # "home" is on the line already
    completer.setCurrentRow(0)
    assert completer.currentCompletion() == "home, holiday, "
    assert parse_tags("home, holiday, ") == ("home", "holiday")


def test_query_parameters_repeat_tag_and_name_the_currency():
    query = ExpenseQuery(tags=("a", "b"), currency="EUR")
    assert query.params() == {"tag": ["a", "b"], "currency": "EUR"}


def test_currency_column_and_filter(qtbot, signed_in, client, account):
    create_expense(client, account, amount="10.00", category="Food")
    reloaded(qtbot, signed_in, signed_in.refresh)
    table = signed_in.expenses.table
    assert table.isColumnHidden(CURRENCY)  # one currency in view: no column

    create_expense(client, account, amount="25.00", category="Food", currency="EUR")
    reloaded(qtbot, signed_in, signed_in.refresh)
    assert not table.isColumnHidden(CURRENCY)
    model = signed_in.expenses.model
    shown = {model.index(r, CURRENCY).data(): model.index(r, AMOUNT).data() for r in range(2)}
    assert shown == {"EUR": "€25.00", "USD": "$10.00"}
    eur_row = next(r for r in range(2) if model.expense(r).currency == "EUR")
    tip = model.index(eur_row, AMOUNT).data(Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith(("≈ $", "Not converted yet"))

    bar = signed_in.filters
    assert bar.currency.itemText(2) == "USD"  # the base currency first (after "Not converted yet")
    reloaded(qtbot, signed_in, lambda: bar.currency.setCurrentIndex(bar.currency.findData("EUR")))
    assert [e.currency for e in rows(signed_in)] == ["EUR"]
    assert signed_in.summary.count == 1
    assert table.isColumnHidden(CURRENCY)  # one currency in view again


def test_a_split_row_opens_its_parts(qtbot, signed_in, client, account):
    food, other = category_id(client, account, "Food"), category_id(client, account, "Other")
    create_expense(
        client,
        account,
        amount="100.00",
        description="Costco",
        splits=[
            {"category_id": food, "amount": "70.00"},
            {"category_id": other, "amount": "30.00"},
        ],
    )
    reloaded(qtbot, signed_in, signed_in.refresh)
    table, model = signed_in.expenses.table, signed_in.expenses.model
    cell = model.index(0, CATEGORY)
    assert cell.data() == "▸ Split · 2 categories"
    assert "Food: $70.00" in cell.data(Qt.ItemDataRole.ToolTipRole)
    pie = cell.data(Qt.ItemDataRole.DecorationRole).pixmap(12, 12).toImage()
    food_colour = model.categories_by_id[food].color.lower()
    other_colour = model.categories_by_id[other].color.lower()
    assert pie.pixelColor(8, 3).name() == food_colour  # the first part from twelve o'clock
    assert pie.pixelColor(3, 8).name() == other_colour
    table.clicked.emit(cell)
    popup = table.split_popup
    assert popup is not None
    assert popup.isVisible()
    assert popup.rows == [("Food", "$70.00"), ("Other", "$30.00")]
    popup.close()
    table.setCurrentIndex(model.index(0, 2))
    qtbot.keyClick(table, Qt.Key.Key_Space)
    assert table.split_popup is not popup
    assert table.split_popup.isVisible()
    table.split_popup.close()
    create_expense(client, account, amount="5.00", category="Food", description="Plain")
    reloaded(qtbot, signed_in, signed_in.refresh)
    plain = next(r for r in range(model.rowCount()) if not model.expense(r).splits)
    assert table.show_split(plain) is None  # not split: nothing opens


def test_a_click_on_a_chip_filters_by_its_tag(qtbot, signed_in, client, account):
    create_expense(client, account, amount="40.00", category="Food", tags=["food", "trip"])
    create_expense(client, account, amount="12.00", category="Food", tags=["trip"])
    create_expense(client, account, amount="9.00", category="Other", tags=["food"])
    reloaded(qtbot, signed_in, signed_in.refresh)
    table, model = signed_in.expenses.table, signed_in.expenses.model
    row = next(r for r in range(model.rowCount()) if model.expense(r).tags == ["food", "trip"])
    cell = table.visualRect(model.index(row, TAGS))
    placed = dict(chip_rects(["food", "trip"], QFontMetrics(chip_font(table.font())),
                             chip_area(cell)))  # fmt: skip
    reloaded(
        qtbot,
        signed_in,
        lambda: qtbot.mouseClick(
            table.viewport(), Qt.MouseButton.LeftButton, pos=placed["trip"].center()
        ),
    )
    assert signed_in.filters.tags.tags() == ("trip",)
    assert sorted(e.amount for e in rows(signed_in)) == [12, 40]
    row = next(r for r in range(model.rowCount()) if model.expense(r).amount == 40)
    cell = table.visualRect(model.index(row, TAGS))
    placed = dict(chip_rects(["food", "trip"], QFontMetrics(chip_font(table.font())),
                             chip_area(cell)))  # fmt: skip
    reloaded(
        qtbot,
        signed_in,
        lambda: qtbot.mouseClick(
            table.viewport(), Qt.MouseButton.LeftButton, pos=placed["food"].center()
        ),
    )
    assert signed_in.filters.tags.tags() == ("trip", "food")  # AND: both
    assert [e.amount for e in rows(signed_in)] == [40]
