"""The offline queue survives kill -9 mid-replay and lands every change exactly once.

A child process (the app's OperationRunner on a real SQLite file) replays a queue
of creates and a bulk delete; it sleeps after each answer *before* recording it,
the worst moment to die. The test kills it there with SIGKILL, starts it again,
and counts what the server holds.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import date

from desktop.local import LocalStore
from desktop.operations.expenses import create_expense, delete_expenses
from tests.desktop.helpers import all_expenses, category_id, import_rows
from tests.support import REPO_ROOT
from wire.expenses import Expense, ExpenseCreate

REPLAYER = r"""
import os, sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
import desktop.operations.runner as runner_module
from desktop.client import ApiClient
from desktop.local import LocalStore
from desktop.operations.runner import OperationRunner
from desktop.workers import Runner

app = QApplication([])
client = ApiClient(os.environ["URL"])
client.login(os.environ["EMAIL"], os.environ["PASSWORD"])
delay = float(os.environ.get("DELAY", "0"))
perform = runner_module.perform

def slow_perform(client, call):
    result = perform(client, call)
    print("applied", call.method, call.path, flush=True)
    time.sleep(delay)  # applied on the server, not yet recorded here
    return result

runner_module.perform = slow_perform
store = LocalStore(__import__("pathlib").Path(os.environ["STORE"]))
ops = OperationRunner(lambda: client, Runner(), store)
ops.failed.connect(lambda error, label: (print("FAILED", label, error), app.exit(2)))
def check():
    if store.waiting() == 0 and not ops._busy:
        app.exit(0)
timer = QTimer(interval=20)
timer.timeout.connect(check)
timer.start()
ops.sync()
sys.exit(app.exec())
"""

CREATES = 10


def sent(client, account) -> int:
    expenses = all_expenses(client, account)
    return sum(1 for e in expenses if e["description"].startswith("Offline"))


def replayer(store: str, api_url: str, account, delay: float) -> subprocess.Popen:
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO_ROOT),
        "QT_QPA_PLATFORM": "offscreen",
        "URL": api_url,
        "EMAIL": account.email,
        "PASSWORD": account.password,
        "STORE": store,
        "DELAY": str(delay),
    }
    return subprocess.Popen(
        [sys.executable, "-c", REPLAYER], env=env, stdout=subprocess.PIPE, text=True
    )


def test_a_queue_killed_mid_replay_completes_exactly_once_after_restart(
    client, account, api_url, tmp_path
):
    food = category_id(client, account, "Food")
    import_rows(
        client, account, [(date(2026, 5, i), "Food", f"Old {i}", "1.00") for i in (1, 2, 3)]
    )
    old = [
        Expense(**{**e, "spent_on": date.fromisoformat(e["spent_on"])})
        for e in all_expenses(client, account)
    ]
    path = tmp_path / "queue.sqlite3"
    store = LocalStore(path)  # what the app wrote while offline
    for i in range(CREATES):
        day = date(2026, 5, 10 + i % 5)
        store.enqueue(
            create_expense(
                ExpenseCreate(
                    amount=f"{i + 1}.25", category_id=food, spent_on=day, description=f"Offline {i}"
                )
            )
        )
        if i == 4:
            store.enqueue(delete_expenses(old))  # a bulk op in the middle
    store.close()

    child = replayer(str(path), api_url, account, delay=0.4)
    deadline = time.monotonic() + 60
    while (
        len([e for e in all_expenses(client, account) if e["description"].startswith("Offline")])
        < 4
    ):
        assert time.monotonic() < deadline, "the replay did not start"
        assert child.poll() is None, "the replay ended before it could be killed"
        time.sleep(0.05)
    os.kill(child.pid, signal.SIGKILL)  # the 4th create is applied, not yet recorded
    child.wait(10)
    assert child.returncode == -signal.SIGKILL
    left = LocalStore(path)
    waiting = left.waiting()
    left.close()
    assert 0 < waiting <= CREATES + 1 - 3  # mid-replay: some sent, the rest still queued

    again = replayer(str(path), api_url, account, delay=0)
    out, _ = again.communicate(timeout=120)
    assert again.returncode == 0, out

    descriptions = sorted(e["description"] for e in all_expenses(client, account))
    assert descriptions == sorted(f"Offline {i}" for i in range(CREATES))  # each once
    trash = client.get("/api/v1/expenses/trash", headers=account.headers).json()["items"]
    assert sorted(item["description"] for item in trash) == ["Old 1", "Old 2", "Old 3"]
    done = LocalStore(path)
    assert done.waiting() == 0
    done.close()
