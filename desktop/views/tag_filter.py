"""The filter bar's tag filter: several tags, typed with completion or ticked in a menu.

Tags cannot hold commas (the API refuses them), so a comma separates them in the
field — the expense dialog's ``TagEdit``, which completes the tag being typed after
the last comma from the user's tags, most used first. The menu
beside it lists every tag with its count and ticks the chosen ones. The API keeps
expenses carrying *every* chosen tag (repeatable ``tag=``).
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QMenu, QToolButton, QWidget

from desktop.views.tag_edit import TagEdit, split_tags
from wire.tags import Tag


def parse_tags(text: str) -> tuple[str, ...]:
    """Comma-separated tags, trimmed, each once (compared as the server does)."""
    seen: dict[str, str] = {}
    for name in split_tags(text):
        seen.setdefault(name.casefold(), name)
    return tuple(seen.values())


class TagFilter(QWidget):
    changed = Signal()  # the chosen tags changed

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tags: list[Tag] = []
        self._chosen: tuple[str, ...] = ()
        self.edit = TagEdit()
        self.edit.setPlaceholderText("Tags")
        self.edit.setToolTip("Only expenses with all these tags (comma between tags)")
        self.edit.setClearButtonEnabled(True)
        self.edit.setMinimumWidth(150)
        self.edit.setAccessibleName("Tag filter")
        self.menu = QMenu(self)
        self.menu.aboutToShow.connect(self._fill_menu)
        self.button = QToolButton(toolTip="Choose tags", text="▾")
        self.button.setAccessibleName("Choose tags")
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.button.setMenu(self.menu)
        self.button.setStyleSheet("QToolButton::menu-indicator { image: none; }")  # "▾" says it
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.button)
        self.edit.editingFinished.connect(self._commit)
        self.edit.textChanged.connect(self._maybe_cleared)

    def tags(self) -> tuple[str, ...]:
        return self._chosen

    def set_known(self, tags: list[Tag]) -> None:
        """The user's tags (``GET /tags``): the completion and the menu."""
        self._tags = sorted(tags, key=lambda t: t.name.casefold())
        self.edit.set_known(tags)
        # A chosen tag that was renamed, merged or deleted matches nothing any more:
        # drop it, as the category filter drops a deleted category.
        known = {tag.name.casefold() for tag in tags}
        kept = tuple(name for name in self._chosen if name.casefold() in known)
        if kept != self._chosen:
            self.set_tags(kept)

    def set_tags(self, tags: tuple[str, ...] | list[str]) -> None:
        chosen = parse_tags(",".join(tags))
        self.edit.setText(", ".join(chosen))
        if chosen != self._chosen:
            self._chosen = chosen
            self.changed.emit()

    def _commit(self) -> None:
        self.set_tags(parse_tags(self.edit.text()))

    def _maybe_cleared(self, text: str) -> None:
        if not text and self._chosen:  # the clear button: at once, like the search box
            self.set_tags(())

    def _fill_menu(self) -> None:
        self.menu.clear()
        if not self._tags:
            self.menu.addAction("No tags yet").setEnabled(False)
            return
        chosen = {name.casefold() for name in self._chosen}
        for tag in self._tags:
            action = self.menu.addAction(f"{tag.name}  ({tag.count})")
            action.setCheckable(True)
            action.setChecked(tag.name.casefold() in chosen)
            action.toggled.connect(lambda on, name=tag.name: self._toggle(name, on))
        if chosen:
            self.menu.addSeparator()
            self.menu.addAction("Clear tags", lambda: self.set_tags(()))

    def _toggle(self, name: str, on: bool) -> None:
        rest = [t for t in self._chosen if t.casefold() != name.casefold()]
        self.set_tags([*rest, name] if on else rest)
