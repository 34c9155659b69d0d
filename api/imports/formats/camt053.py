"""ISO 20022 camt.053 bank-to-customer statements, versions .001.02 to .001.08.

The XML is parsed by :mod:`safe_xml` only (no DTD, no entities). Tags are read by
local name, so one reader serves every version; where versions differ it looks in
both places: ``Sts`` is a code (.02-.05) or ``Sts/Cd`` (.06+), a party's name is
``Cdtr/Nm`` (.02-.07) or ``Cdtr/Pty/Nm`` (.08), a transaction's amount is
``TxDtls/Amt`` (.03+) or ``TxDtls/AmtDtls/TxAmt/Amt`` (.02).

One row per ``Ntry``; an entry that batches several ``TxDtls``, each with an
amount, gives one row per transaction. The sign is the file's: ``DBIT`` is
negative, ``CRDT`` positive, a reversal (``RvslInd``) turns it over. An entry
whose status is not ``BOOK`` (``PDNG``, ``INFO``) is kept and marked pending. The
entry reference (``NtryRef``, else ``AcctSvcrRef``) is the external id; a batch's
transactions add ``/1``, ``/2`` … in file order so each stays unique.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from xml.etree.ElementTree import Element

from api.imports.formats import safe_xml
from api.imports.formats.amounts import parse_bank_amount
from api.imports.formats.base import (
    ReadOptions,
    Statement,
    StatementRow,
    UnreadableFile,
    check_row_cap,
)
from wire.validation import EARLIEST_DATE, LATEST_DATE, FieldError

NAME = "camt053"
_NAMESPACE = re.compile(rb"urn:iso:std:iso:20022:tech:xsd:camt\.053\.001\.(\d\d)")
SUPPORTED_VERSIONS = range(2, 9)


def sniff(head: bytes) -> bool:
    return b"<" in head[:200] and bool(_NAMESPACE.search(head))


def _day(element: Element | None) -> date | None:
    value = safe_xml.text(element, "Dt") or safe_xml.text(element, "DtTm")
    if not value or not re.match(r"^\d{4}-\d{2}-\d{2}", value):
        return None
    try:
        day = date.fromisoformat(value[:10])
    except ValueError:
        return None
    return day if EARLIEST_DATE <= day <= LATEST_DATE else None


def _signed(element: Element, amount_path: str, indicator: str | None) -> tuple[Decimal, str]:
    found = element.find(amount_path)
    if found is None or not (found.text or "").strip():
        raise FieldError("amount", "The entry has no amount")
    value = parse_bank_amount(found.text or "", ".", "")
    if indicator == "DBIT":
        value = -value
    return value, found.get("Ccy", "")


def _party(tx: Element | None, role: str) -> str | None:
    if tx is None:
        return None
    return safe_xml.text(tx, f"RltdPties/{role}/Nm") or safe_xml.text(
        tx, f"RltdPties/{role}/Pty/Nm"
    )


def _texts(tx: Element | None, entry: Element) -> tuple[str, str]:
    """(description, notes): the counterparty's name, then what the payment says."""
    remittance = " ".join(
        (node.text or "").strip() for node in (tx.iter("Ustrd") if tx is not None else ())
    ).strip()
    info = safe_xml.text(tx, "AddtlTxInf") or safe_xml.text(entry, "AddtlNtryInf") or ""
    indicator = safe_xml.text(tx, "CdtDbtInd") or safe_xml.text(entry, "CdtDbtInd")
    # Money out names the creditor as the other side, money in the debtor.
    name = _party(tx, "Cdtr" if indicator == "DBIT" else "Dbtr")
    notes = remittance or info
    if name:
        return name, notes if notes != name else ""
    return notes, info if notes != info else ""


def _entry_rows(entry: Element, line: int) -> list[StatementRow]:
    status = safe_xml.text(entry, "Sts/Cd") or safe_xml.text(entry, "Sts") or "BOOK"
    reversal = safe_xml.text(entry, "RvslInd") == "true"
    spent_on = _day(entry.find("BookgDt")) or _day(entry.find("ValDt"))
    reference = safe_xml.text(entry, "NtryRef") or safe_xml.text(entry, "AcctSvcrRef")
    indicator = safe_xml.text(entry, "CdtDbtInd")
    details = entry.findall("NtryDtls/TxDtls")
    # A batch is split only when every transaction states its own amount.
    batch = len(details) > 1 and all(
        tx.find("Amt") is not None or tx.find("AmtDtls/TxAmt/Amt") is not None for tx in details
    )
    parts = details if batch else [details[0] if details else None]
    rows = []
    for number, tx in enumerate(parts, start=1):
        amount = currency = error = None
        try:
            if tx is not None and batch:
                path = "Amt" if tx.find("Amt") is not None else "AmtDtls/TxAmt/Amt"
                amount, currency = _signed(tx, path, safe_xml.text(tx, "CdtDbtInd") or indicator)
            else:
                amount, currency = _signed(entry, "Amt", indicator)
            amount = -amount if reversal else amount
        except FieldError as exc:
            error = exc.reason
        description, notes = _texts(tx, entry)
        rows.append(
            StatementRow(
                line=line,
                spent_on=spent_on,
                date_text=spent_on.isoformat() if spent_on else "",
                amount=amount,
                currency=currency or None,
                description=description,
                notes=notes,
                external_id=f"{reference}/{number}" if batch and reference else reference,
                pending=status != "BOOK",
                error=error or (None if spent_on else "The entry has no booking date"),
            )
        )
    return rows


def _closing_balance(stmt: Element) -> Decimal | None:
    for balance in stmt.findall("Bal"):
        if safe_xml.text(balance, "Tp/CdOrPrtry/Cd") == "CLBD":
            try:
                return _signed(balance, "Amt", safe_xml.text(balance, "CdtDbtInd"))[0]
            except FieldError:
                return None
    return None


def _entry_lines(data: bytes) -> list[int]:
    """The line of each ``<Ntry>`` in document order (the tree keeps no lines)."""
    lines, previous, line = [], 0, 1
    for match in re.finditer(rb"<(?:\w+:)?Ntry[\s>]", data):
        line += data.count(b"\n", previous, match.start())
        previous = match.start()
        lines.append(line)
    return lines


def read(data: bytes, options: ReadOptions) -> Statement:
    version = _NAMESPACE.search(data[:4096])
    if version and int(version.group(1)) not in SUPPORTED_VERSIONS:
        raise UnreadableFile("Only camt.053 versions .001.02 to .001.08 are read.")
    root = safe_xml.parse(data)
    statements = root.findall("BkToCstmrStmt/Stmt")
    if root.tag != "Document" or not statements:
        raise UnreadableFile("The file is not a camt.053 statement.")
    statement = Statement(format=NAME)
    lines = iter(_entry_lines(data))
    accounts, currencies, starts, ends, balances = set(), set(), [], [], []
    for stmt in statements:
        accounts.add(safe_xml.text(stmt, "Acct/Id/IBAN") or safe_xml.text(stmt, "Acct/Id/Othr/Id"))
        currencies.add(safe_xml.text(stmt, "Acct/Ccy"))
        period = stmt.find("FrToDt")
        starts.append(_day_of(safe_xml.text(period, "FrDtTm")))
        ends.append(_day_of(safe_xml.text(period, "ToDtTm")))
        balances.append(_closing_balance(stmt))
        for entry in stmt.findall("Ntry"):
            statement.rows.extend(_entry_rows(entry, next(lines, 0)))
            check_row_cap(len(statement.rows), options)
    statement.date_from = min((d for d in starts if d), default=None)
    statement.date_to = max((d for d in ends if d), default=None)
    if len(accounts) == 1:
        statement.account_id = accounts.pop()
        statement.closing_balance = balances[-1]
    if len(currencies) == 1:
        statement.currency = currencies.pop()
    return statement


def _day_of(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None
