"""Date preset, category, tags, currency and search: one bar drives the table and the dashboard."""

from __future__ import annotations

from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QDate, QSignalBlocker, QTimer, Signal
from PySide6.QtWidgets import QComboBox, QDateEdit, QHBoxLayout, QLabel, QLineEdit, QWidget

from desktop.filters import ExpenseQuery, Preset, preset_range, today
from desktop.models.cells import swatch
from desktop.views.tag_filter import TagFilter
from wire.categories import Category
from wire.currencies_iso import ISO_4217
from wire.tags import Tag

SEARCH_DEBOUNCE_MS = 300


# The currency list's entry for "waiting for a rate" (the API's `unconverted=true`).
UNCONVERTED = "unconverted"


def to_date(qdate: QDate) -> date:
    return date(qdate.year(), qdate.month(), qdate.day())


def to_qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


@dataclass(frozen=True)
class FilterState:
    preset: Preset
    date_from: QDate
    date_to: QDate
    category_id: int | None
    tags: tuple[str, ...]
    currency: str
    search: str


class FilterBar(QWidget):
    queryChanged = Signal(object)  # ExpenseQuery

    def __init__(self, preset: Preset = Preset.ALL_TIME, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.preset = QComboBox(toolTip="Date range")
        self.preset.addItems([p.value for p in Preset])
        self.date_from = QDateEdit(calendarPopup=True, displayFormat="yyyy-MM-dd")
        self.date_to = QDateEdit(calendarPopup=True, displayFormat="yyyy-MM-dd")
        self.dash = QLabel("\u2013")  # an en dash between the dates
        self.category = QComboBox(toolTip="Category")
        self.category.setMinimumWidth(150)
        self.category.addItem("All categories", None)
        self.tags = TagFilter()
        self.currency = QComboBox(toolTip="Currency the expense was paid in")
        self.set_currencies("")
        self.search = QLineEdit(placeholderText="Search description and notes")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(240)
        # Screen readers would otherwise read a combo's current text or a bare date.
        for widget, name in (
            (self.preset, "Date range"),
            (self.date_from, "From date"),
            (self.date_to, "To date"),
            (self.category, "Category filter"),
            (self.currency, "Currency filter"),
            (self.search, "Search expenses"),
        ):
            widget.setAccessibleName(name)
        # Typing fires one request after a pause, not one per keystroke.
        self._debounce = QTimer(self, singleShot=True, interval=SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self._emit)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        for widget in (self.preset, self.date_from, self.dash, self.date_to, self.category):
            layout.addWidget(widget)
        layout.addWidget(self.tags)
        layout.addWidget(self.currency)
        layout.addStretch(1)
        layout.addWidget(self.search)
        # Reading order: range, dates, category, tags, currency, search — then the table.
        for first, second in (
            (self.preset, self.date_from),
            (self.date_from, self.date_to),
            (self.date_to, self.category),
            (self.category, self.tags.edit),
            (self.tags.edit, self.tags.button),
            (self.tags.button, self.currency),
            (self.currency, self.search),
        ):
            QWidget.setTabOrder(first, second)
        now = today()
        self.date_from.setDate(to_qdate(now.replace(day=1)))
        self.date_to.setDate(to_qdate(now))
        self.preset.setCurrentText(preset.value)
        self._show_custom(preset == Preset.CUSTOM)
        self.preset.currentIndexChanged.connect(self._preset_changed)
        self.date_from.dateChanged.connect(self._emit)
        self.date_to.dateChanged.connect(self._emit)
        self.category.currentIndexChanged.connect(self._emit)
        self.tags.changed.connect(self._emit)
        self.currency.currentIndexChanged.connect(self._emit)
        self.search.textChanged.connect(self._debounce.start)
        self.search.returnPressed.connect(self._emit)

    def current_preset(self) -> Preset:
        return Preset(self.preset.currentText())

    def query(self) -> ExpenseQuery:
        preset = self.current_preset()
        if preset == Preset.CUSTOM:
            first, last = to_date(self.date_from.date()), to_date(self.date_to.date())
        else:
            first, last = preset_range(preset, today())
        currency = self.currency.currentData() or ""
        return ExpenseQuery(
            first,
            last,
            self.category.currentData(),
            self.search.text(),
            self.tags.tags(),
            "" if currency == UNCONVERTED else currency,
            unconverted=currency == UNCONVERTED,
        )

    def set_tags(self, tags: list[Tag]) -> None:
        """The user's tags, for completion (the chosen ones stay chosen)."""
        self.tags.set_known(tags)

    def set_currencies(self, base: str) -> None:
        """Any currency; the base currency first (the one most expenses are in)."""
        selected = self.currency.currentData()
        with QSignalBlocker(self.currency):
            self.currency.clear()
            self.currency.addItem("All currencies", "")
            self.currency.addItem("Not converted yet", UNCONVERTED)
            if base:
                self.currency.addItem(base, base)
            self.currency.insertSeparator(self.currency.count())
            for code in ISO_4217:
                if code != base:
                    self.currency.addItem(code, code)
            self.currency.setCurrentIndex(max(self.currency.findData(selected or ""), 0))

    def show_unconverted(self) -> None:
        """The dashboard's "not converted" badge: the range its count is for, only the
        expenses waiting for a rate, no category, tag or search."""
        self.show_only(UNCONVERTED)

    def show_only(self, currency: str = "") -> None:
        """The date range alone, or in one currency (or UNCONVERTED), nothing else."""
        with ExitStack() as quiet:
            for widget in (self.currency, self.tags, self.category, self.search):
                quiet.enter_context(QSignalBlocker(widget))
            self.currency.setCurrentIndex(max(self.currency.findData(currency), 0))
            self.tags.set_tags(())
            self.category.setCurrentIndex(0)
            self.search.clear()
        self._emit()

    def snapshot(self) -> FilterState:
        """Everything the bar shows, to come back to (the dashboard's Back)."""
        return FilterState(
            self.current_preset(), self.date_from.date(), self.date_to.date(),
            self.category.currentData(), self.tags.tags(), self.currency.currentData() or "",
            self.search.text(),
        )  # fmt: skip

    def restore(self, state: FilterState) -> None:
        self._set_quietly(state)
        self._emit()

    def drill(self, query: ExpenseQuery) -> None:
        """Show exactly ``query``: its range as a custom one unless it is the preset's
        own, its category or tag, and nothing else (no search, currency or other tag)."""
        preset = self.current_preset()
        same = (query.date_from, query.date_to) == preset_range(preset, today())
        first = to_qdate(query.date_from) if query.date_from else self.date_from.date()
        last = to_qdate(query.date_to) if query.date_to else self.date_to.date()
        self._set_quietly(
            FilterState(preset if same else Preset.CUSTOM, first, last, query.category_id,
                        query.tags, "", "")
        )  # fmt: skip
        self._emit()

    def _set_quietly(self, state: FilterState) -> None:
        widgets = (self.preset, self.date_from, self.date_to, self.category, self.tags,
                   self.currency, self.search)  # fmt: skip
        with ExitStack() as quiet:
            for widget in widgets:
                quiet.enter_context(QSignalBlocker(widget))
            self.preset.setCurrentText(state.preset.value)
            self._show_custom(state.preset == Preset.CUSTOM)
            self.date_from.setDate(state.date_from)
            self.date_to.setDate(state.date_to)
            self.category.setCurrentIndex(max(self.category.findData(state.category_id), 0))
            self.tags.set_tags(state.tags)
            self.currency.setCurrentIndex(max(self.currency.findData(state.currency), 0))
            self.search.setText(state.search)

    def set_categories(self, categories: list[Category]) -> None:
        selected = self.category.currentData()
        with QSignalBlocker(self.category):
            self.category.clear()
            self.category.addItem("All categories", None)
            for category in sorted(categories, key=lambda c: c.name.casefold()):
                self.category.addItem(swatch(category.color), category.name, category.id)
            index = self.category.findData(selected)
        if index < 0 and selected is not None:
            self.category.setCurrentIndex(0)  # it was deleted: show everything, say so
            self._emit()
        else:
            with QSignalBlocker(self.category):
                self.category.setCurrentIndex(max(index, 0))

    def set_dashboard_mode(self, dashboard: bool) -> None:
        """The dashboard shows a date range only; hide what would not apply."""
        for widget in (self.category, self.tags, self.currency, self.search):
            widget.setVisible(not dashboard)

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _preset_changed(self) -> None:
        self._show_custom(self.current_preset() == Preset.CUSTOM)
        self._emit()

    def _show_custom(self, custom: bool) -> None:
        for widget in (self.date_from, self.dash, self.date_to):
            widget.setVisible(custom)

    def _emit(self) -> None:
        self._debounce.stop()
        self.queryChanged.emit(self.query())
