"""Tags as comma-separated text that completes each tag from the user's own.

Like an email client's "To" line: typing after the last comma offers the user's
tags (most used first) that are not on the line yet; choosing one completes it and
adds the comma for the next. Tags stay plain text, so pasting "trip, work" works.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QStringListModel, Qt
from PySide6.QtWidgets import QCompleter, QLineEdit, QWidget

from wire.tags import Tag
from wire.validation import MAX_TAG, MAX_TAGS, check_tags


def split_tags(text: str) -> list[str]:
    """The tags on the line, trimmed, blanks dropped (the wire rules judge the rest)."""
    return [part.strip() for part in text.split(",") if part.strip()]


class _LastTagCompleter(QCompleter):
    """Completes the text after the last comma; keeps what comes before it."""

    def __init__(self, model: QStringListModel, edit: QLineEdit) -> None:
        super().__init__(model, edit)
        self.edit = edit

    def splitPath(self, path: str) -> list[str]:
        return [path.rsplit(",", 1)[-1].strip()]

    def pathFromIndex(self, index: QModelIndex | QPersistentModelIndex) -> str:
        chosen = str(index.data())
        head = self.edit.text().rsplit(",", 1)[0] if "," in self.edit.text() else ""
        return f"{head}, {chosen}, " if head else f"{chosen}, "


class TagEdit(QLineEdit):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText("trip, work — comma between tags")
        self.setToolTip(
            f"Up to {MAX_TAGS} tags of at most {MAX_TAG} characters, separated by commas"
        )
        self.known = QStringListModel(self)
        self._all: list[str] = []
        completer = _LastTagCompleter(self.known, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchStartsWith)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        completer.setWidget(self)
        completer.activated.connect(self._completed)
        self.tag_completer = completer
        self.textEdited.connect(self._typed)

    def set_known(self, tags: Sequence[Tag]) -> None:
        """The user's tags; the most used are offered first."""
        ranked = sorted(tags, key=lambda tag: (-tag.count, tag.name.casefold()))
        self._all = [tag.name for tag in ranked]
        self._offer()

    def tags(self) -> list[str]:
        """The tags as the API will keep them; raises ``FieldError`` when one breaks a rule."""
        return check_tags(split_tags(self.text()))

    def set_tags(self, tags: Sequence[str]) -> None:
        self.setText(", ".join(tags))

    def _offer(self) -> None:
        """Only tags not on the line yet (a tag counts once, whatever its case)."""
        before = self.text().rsplit(",", 1)[0] if "," in self.text() else ""
        done = {tag.casefold() for tag in split_tags(before)}
        self.known.setStringList([name for name in self._all if name.casefold() not in done])

    def _typed(self, text: str) -> None:
        self._offer()
        prefix = text.rsplit(",", 1)[-1].strip()
        if not prefix:
            self.tag_completer.popup().hide()
            return
        self.tag_completer.setCompletionPrefix(prefix)
        if self.tag_completer.completionCount():
            self.tag_completer.complete()
        else:
            self.tag_completer.popup().hide()

    def _completed(self, text: str) -> None:
        self.setText(text)
        self._offer()
