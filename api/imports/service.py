"""Bank imports: what each row of a statement becomes, decided once for every format.

The format readers (``formats/``) keep what the file says. Here, for every format
alike: the sign (money leaving the account is an expense; ``negate`` turns a CSV
over), credits (refunds with ``include_credits``, else skipped), entries not booked
yet and zero amounts (skipped), the currency (the file's, else the user's base),
the rules, and duplicates — by ``(account, external_id)`` when the file has ids,
by the first release's rule otherwise. Preview and commit run the same code; the
commit writes only when no row is in error and no ambiguity is left.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import anyio.to_thread
import asyncpg

from api.currencies.queries import base_currency
from api.imports import queries
from api.imports.formats import ReadOptions, Statement, read_statement
from api.recurring.matching import match_imported
from api.rules import queries as rule_queries
from api.rules.matching import effect
from api.tags import queries as tag_queries
from wire.rules import Rule
from wire.validation import (
    CENT,
    MAX_AMOUNT,
    MAX_CATEGORY_NAME,
    MAX_DESCRIPTION,
    MAX_NOTES,
    FieldError,
    check_date,
)

DEFAULT_CATEGORY = "Other"
MAX_EXTERNAL_ID = 255
MAX_ACCOUNT = 100
_CURRENCY = re.compile(r"^[A-Z]{3}$")


@dataclass(frozen=True, slots=True)
class Upload:
    """What a preview or commit request sends besides the user."""

    data: bytes
    mapping: dict[str, Any] | None = None
    account: str | None = None
    include_credits: bool = False


@dataclass(slots=True)
class Row:
    line: int
    spent_on: date | None
    amount: Decimal | None  # stored sign: positive spending, negative refund
    currency: str
    description: str
    notes: str = ""
    category: str | None = None
    category_id: int | None = None  # None: the category is created by the commit
    tags: list[str] = field(default_factory=list)
    external_id: str | None = None
    status: str = "new"
    rule_id: int | None = None
    message: str | None = None

    def settle(self, status: str, message: str) -> None:
        self.status, self.message = status, message


@dataclass(slots=True)
class Evaluation:
    statement: Statement
    account: str  # "" when neither the user nor the file named one
    rows: list[Row]

    def refusals(self) -> list[Row]:
        return [row for row in self.rows if row.status == "error"]


@dataclass(frozen=True, slots=True)
class Context:
    base_currency: str
    rules: list[Rule]
    categories: dict[int, str]


def read(upload: Upload, max_bytes: int, max_rows: int) -> Statement:
    """The statement (CPU-bound: callers run it in a worker thread). The mapping's
    date format and decimal also settle a QIF file's ambiguities."""
    mapping = upload.mapping or {}
    order = mapping.get("date_format")
    options = ReadOptions(
        max_bytes=max_bytes,
        max_rows=max_rows,
        mapping=upload.mapping,
        date_order=order if order in ("DMY", "MDY") else None,
        decimal=mapping.get("decimal"),
    )
    return read_statement(upload.data, options)


async def evaluate(
    conn: asyncpg.Connection, user_id: int, statement: Statement, upload: Upload
) -> Evaluation:
    """Every row with its status, message, category, tags and rule, duplicates found."""
    context = Context(
        base_currency=await base_currency(conn, user_id) or "USD",
        rules=await rule_queries.list_rules(conn, user_id),
        categories=await queries.categories(conn, user_id),
    )
    account = _clean(upload.account or statement.account_id or "", MAX_ACCOUNT)
    rows = await anyio.to_thread.run_sync(decide, statement, upload, account, context)
    await _mark_duplicates(conn, user_id, account, rows)
    return Evaluation(statement, account, rows)


def decide(statement: Statement, upload: Upload, account: str, context: Context) -> list[Row]:
    """Pure and CPU-bound (a worker thread runs it): each row's amount as stored, its
    status and message, and what the rules and the file say about its category."""
    negate = bool((statement.mapping or {}).get("negate"))
    by_name = {name.casefold(): (cid, name) for cid, name in context.categories.items()}
    rows = []
    for source in statement.rows:
        row = Row(
            line=source.line,
            spent_on=source.spent_on,
            amount=None,
            currency=(source.currency or statement.currency or context.base_currency).upper(),
            description=_clean(source.description, MAX_DESCRIPTION),
            notes=_clean(source.notes, MAX_NOTES),
            external_id=source.external_id,
        )
        rows.append(row)
        if source.pending:
            row.settle("skipped", "Not booked yet (pending)")
        elif source.error:
            row.settle("error", source.error)
        elif source.spent_on is None:
            row.settle("error", "The date format is ambiguous: choose one in the mapping")
        elif source.amount is None:
            row.settle("error", "The decimal separator is ambiguous: choose one in the mapping")
        else:
            # Banks write money leaving the account as negative; we store it positive.
            signed = -source.amount if negate else source.amount
            if signed == 0:
                row.settle("skipped", "Zero amount")
            elif signed > 0 and not upload.include_credits:
                row.settle("skipped", "A credit (money in); include_credits imports it as a refund")
            else:
                row.amount = -signed
                _check(row)
        if row.status != "skipped":
            _categorise(row, source.category, account, context, by_name)
    return rows


def _clean(text: str, limit: int) -> str:
    """Text a column can hold: no NUL (PostgreSQL refuses it), trimmed, cut to ``limit``."""
    return text.replace("\x00", "").strip()[:limit].strip()


def _check(row: Row) -> None:
    """Error out what the expense table cannot hold, naming the rule broken."""
    assert row.amount is not None
    assert row.spent_on is not None
    if row.amount != row.amount.quantize(CENT):
        row.settle("error", "The amount has more than two decimals")
    elif abs(row.amount) > MAX_AMOUNT:
        row.settle("error", f"The amount is larger than {MAX_AMOUNT}")
    elif not _CURRENCY.match(row.currency):
        row.settle("error", "The currency is not a three-letter ISO 4217 code")
    elif row.external_id is not None and len(row.external_id) > MAX_EXTERNAL_ID:
        row.settle("error", f"The transaction id is longer than {MAX_EXTERNAL_ID} characters")
    elif row.external_id is not None and "\x00" in row.external_id:
        row.settle("error", "The transaction id holds a NUL character")
    else:
        try:
            check_date(row.spent_on)
        except FieldError as error:
            row.settle("error", error.reason)
        row.amount = row.amount.quantize(CENT)


def _categorise(row: Row, named: str | None, account: str, context: Context, by_name: dict) -> None:
    """The rules' category, tags and description, else the file's category, else Other."""
    if row.amount is not None:
        applied = effect(
            context.rules,
            row.description,
            row.amount,
            account,
            row.currency,
            set(context.categories),
        )
        row.rule_id = applied.rule_id
        row.tags = applied.tags
        if applied.description is not None:
            row.description = applied.description
        if applied.category_id is not None:
            row.category_id = applied.category_id
            row.category = context.categories[applied.category_id]
            return
    wanted = _clean(named or "", MAX_CATEGORY_NAME) or DEFAULT_CATEGORY
    row.category_id, row.category = by_name.get(wanted.casefold(), (None, wanted))


async def _mark_duplicates(
    conn: asyncpg.Connection, user_id: int, account: str, rows: list[Row]
) -> None:
    fresh = [row for row in rows if row.status == "new"]
    keyed = [row for row in fresh if row.external_id]
    known = await queries.keyed_duplicates(
        conn,
        user_id,
        account,
        list({row.external_id for row in keyed}),  # type: ignore[misc]
    )
    seen: set[str] = set()
    for row in keyed:
        assert row.external_id is not None
        if row.external_id in known:
            where = " (it is in the trash)" if known[row.external_id] else ""
            row.settle("duplicate", f"Already imported{where}")
        elif row.external_id in seen:
            row.settle("duplicate", "The file lists this transaction id twice")
        seen.add(row.external_id)
    unkeyed = [
        (i, row.spent_on, row.category, row.description, row.amount, row.currency)
        for i, row in enumerate(rows)
        if row.status == "new" and not row.external_id and row.category_id is not None
    ]
    for i in await queries.unkeyed_duplicates(conn, user_id, unkeyed):  # type: ignore[arg-type]
        rows[i].settle(
            "duplicate", "An expense with this date, category, description and amount exists"
        )


async def commit(conn: asyncpg.Connection, user_id: int, evaluation: Evaluation) -> tuple[int, int]:
    """Write the new rows (the caller holds the import lock, in a transaction):
    ``(import id, created)``."""
    fresh = [row for row in evaluation.rows if row.status == "new"]
    missing = list(
        {
            row.category.casefold(): row.category
            for row in fresh
            if row.category_id is None and row.category
        }.values()
    )
    await queries.create_categories(conn, user_id, missing)
    ids = {name.casefold(): cid for cid, name in (await queries.categories(conn, user_id)).items()}
    import_id = await queries.insert_import(
        conn, user_id, evaluation.statement.format, evaluation.account
    )
    written = await queries.insert_expenses(
        conn,
        user_id,
        import_id,
        evaluation.account,
        [
            queries.NewExpense(
                category_id=row.category_id or ids[(row.category or "").casefold()],
                amount=row.amount,  # type: ignore[arg-type]
                currency=row.currency,
                spent_on=row.spent_on,  # type: ignore[arg-type]
                description=row.description,
                notes=row.notes,
                external_id=row.external_id,
            )
            for row in fresh
        ],
    )
    pairs = [(eid, tag) for eid, row in zip(written, fresh, strict=True) if eid for tag in row.tags]
    await tag_queries.add_to_expenses(
        conn, user_id, [eid for eid, _ in pairs], [tag for _, tag in pairs]
    )
    created = [eid for eid in written if eid is not None]
    # Payments of recurring expenses are linked as created ones are, in this transaction.
    await match_imported(conn, user_id, created)
    return import_id, len(created)
