"""CSV export writes exactly the filtered rows; import previews, then confirms."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
import shiboken6
from PySide6.QtWidgets import QFileDialog, QPushButton

from desktop.errors import Cancelled
from desktop.filters import ExpenseQuery, Preset
from tests.desktop.conftest import WAIT_MS, idle
from tests.desktop.helpers import all_expenses, category_id, import_rows, today


@pytest.fixture
def mixed(client, account):
    now = today()
    rows = [(now - timedelta(days=i * 20), ("Food", "Bills")[i % 2], f"Row {i}", f"{i}.50")
            for i in range(1, 30)]  # fmt: skip
    rows.append((now, "Food", "=HYPERLINK(evil)", "9.99", "formula-looking text"))
    import_rows(client, account, rows)
    return rows


def test_export_writes_exactly_the_filtered_rows(
    qtbot, signed_in, client, account, mixed, tmp_path, monkeypatch
):
    food = category_id(client, account, "Food")
    bar = signed_in.filters
    with qtbot.waitSignal(signed_in.summaryShown, timeout=WAIT_MS):
        bar.preset.setCurrentText(Preset.THIS_YEAR.value)
    with qtbot.waitSignal(signed_in.summaryShown, timeout=WAIT_MS):
        bar.category.setCurrentIndex(bar.category.findData(food))
    target = tmp_path / "food.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    with qtbot.waitSignal(signed_in.transfer.exported, timeout=WAIT_MS):
        signed_in.export_action.trigger()
    # Food in 2026 (the fixed clock's year), newest first; the formula guarded.
    assert target.read_text(encoding="utf-8").splitlines() == [
        "date,category,description,amount,notes,currency,base_amount,tags,split_group",
        "2026-05-14,Food,'=HYPERLINK(evil),9.99,formula-looking text,USD,9.99,,",
        '2026-04-04,Food,Row 2,2.50,"",USD,2.50,,',  # COPY quotes an empty string
        '2026-02-23,Food,Row 4,4.50,"",USD,4.50,,',
        '2026-01-14,Food,Row 6,6.50,"",USD,6.50,,',
    ]
    assert not (tmp_path / "food.csv.part").exists()


def test_cancelled_export_leaves_no_file(signed_in, mixed, tmp_path, ui_thread_guard):
    folder = tmp_path / "exports"
    folder.mkdir()
    client = signed_in.session.client
    with ui_thread_guard.test_calls(), pytest.raises(Cancelled):
        client.export_csv(ExpenseQuery(), folder / "cancelled.csv", cancelled=lambda: True)
    assert list(folder.iterdir()) == []  # neither the file nor its .part


def write_csv(path, lines):
    path.write_text("date,category,description,amount,notes\n" + "".join(lines), encoding="utf-8")
    return path


def start_import(qtbot, window, path, monkeypatch):
    """File → Import… on one of the app's own CSV files: the wizard hands it to the
    app's import (a server dry run shown first), which reads every column back."""
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    window.import_action.trigger()
    qtbot.waitUntil(
        lambda: (
            window.transfer.preview is not None
            and shiboken6.isValid(window.transfer.preview)
            and window.transfer.preview.isVisible()
        ),
        timeout=WAIT_MS,
    )
    return window.transfer.preview


def test_import_previews_then_confirms(qtbot, signed_in, client, account, tmp_path, monkeypatch):
    day = today().isoformat()
    import_rows(client, account, [(today(), "Food", "Already here", "5.00")])
    path = write_csv(tmp_path / "bank.csv", [
        f"{day},Food,Already here,5.00,\n",
        f"{day},Food,Bakery,3.20,\n",
        f"{day},Pets,Cat food,18.00,new category\n",
    ])  # fmt: skip
    preview = start_import(qtbot, signed_in, path, monkeypatch)
    assert (preview.report.created, preview.report.duplicates) == (2, 1)
    assert preview.confirm.isEnabled()
    assert len(all_expenses(client, account)) == 1  # a dry run writes nothing
    with qtbot.waitSignal(signed_in.transfer.imported, timeout=WAIT_MS) as done:
        preview.confirm.click()
    assert done.args[0].created == 2
    idle(qtbot, signed_in)
    qtbot.waitUntil(lambda: signed_in.expenses.model.rowCount() == 3, timeout=WAIT_MS)
    assert "Imported 2 expenses" in signed_in.banner.text
    assert {c.name for c in signed_in.categories.categories} >= {"Pets"}


def test_import_preview_lists_line_errors_and_imports_nothing(
    qtbot, signed_in, client, account, tmp_path, monkeypatch
):
    day = today().isoformat()
    path = write_csv(tmp_path / "broken.csv", [
        f"{day},Food,Fine,1.00,\n",
        f"{day},Food,Bad amount,0,\n",  # zero; a negative amount is a refund
        "not-a-date,Food,Bad date,2.00,\n",
    ])  # fmt: skip
    preview = start_import(qtbot, signed_in, path, monkeypatch)
    assert [(e.line, bool(e.message)) for e in preview.report.errors] == [(3, True), (4, True)]
    assert preview.errors.rowCount() == 2
    assert preview.errors.item(0, 0).text() == "3"
    assert not preview.confirm.isEnabled()
    preview.reject()
    assert all_expenses(client, account) == []


def test_export_progress_dialog_cancel_leaves_no_file(
    qtbot, signed_in, client, account, tmp_path, monkeypatch
):
    now = today()
    import_rows(client, account, [(now, "Food", f"Bulk {i}", "1.00") for i in range(5000)])
    target = tmp_path / "big.csv"
    # The export waits after its first chunk until the click has landed, so it can
    # neither finish before the click nor be cancelled before it started.
    client, clicked = signed_in.session.client, threading.Event()
    export_csv = client.export_csv

    def held_after_first_chunk(query, path, progress=None, cancelled=None):
        def hold(written: int) -> None:
            if progress:
                progress(written)
            assert clicked.wait(WAIT_MS / 1000), "Cancel was never clicked"

        return export_csv(query, path, hold, cancelled)

    monkeypatch.setattr(client, "export_csv", held_after_first_chunk)
    with qtbot.waitSignal(signed_in.transfer.cancelled, timeout=WAIT_MS):
        signed_in.transfer.export_to(target, ExpenseQuery())
        cancel = signed_in.transfer.progress.findChild(QPushButton)
        cancel.click()  # the dialog's Cancel button
        clicked.set()
    assert not target.exists()
    assert not (tmp_path / "big.csv.part").exists()
    assert signed_in.transfer.progress is None  # the dialog is gone
