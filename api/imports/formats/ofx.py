"""OFX 1.x (SGML), OFX 2.x (XML) and QFX (OFX with Intuit's extra tags).

ofxtools' parser reads the header (and with it the character set), tokenises the
SGML with its unclosed elements, and builds an ElementTree; it expands no entities
and reads no DTD, so an OFX file cannot reach the network or the disk. Its models
(``OFXTree.convert()``) are not used: they are three times slower (0.8 s against
0.25 s for 10,000 transactions on this machine), refuse vendor tags some banks add,
and turn ``DTPOSTED`` into UTC, which moves a late-evening purchase to the next
day. The element tree keeps the date as the bank wrote it.

Every ``STMTRS`` (bank) and ``CCSTMTRS`` (card) of every message set is read, so a
file with several accounts or statements gives all their rows. ``TRNAMT`` keeps its
sign (negative is money out) whatever ``TRNTYPE`` says; ``FITID`` is the external id.
"""

from __future__ import annotations

import html
import io
import re
from datetime import date
from decimal import Decimal
from xml.etree.ElementTree import Element

from ofxtools.Parser import OFXTree

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

NAME = "ofx"
_HEADER = re.compile(rb"^\s*(?:OFXHEADER\s*:|<\?xml[^>]*>\s*<\?OFX|<OFX>)", re.IGNORECASE)


def sniff(head: bytes) -> bool:
    return bool(_HEADER.match(head.removeprefix(b"\xef\xbb\xbf")))


def _date(value: str | None) -> date | None:
    # YYYYMMDD[HHMMSS[.XXX]][[+-]H:TZ]: the bank's own calendar day comes first.
    if not value or not re.match(r"^\d{8}", value):
        return None
    try:
        day = date(int(value[:4]), int(value[4:6]), int(value[6:8]))
    except ValueError:
        return None
    return day if EARLIEST_DATE <= day <= LATEST_DATE else None


def _text(element: Element, tag: str) -> str | None:
    found = element.find(tag)
    if found is None or found.text is None:
        return None
    # The tokeniser leaves character references (&amp; &#233;) as written.
    return html.unescape(found.text).strip() or None


def _amount(text: str | None) -> Decimal:
    if text is None:
        raise FieldError("amount", "The transaction has no TRNAMT")
    # A few European banks write TRNAMT with a decimal comma.
    decimal = "," if "," in text and "." not in text else "."
    return parse_bank_amount(text, decimal, "")


def _lines(data: bytes, root: Element) -> dict[int, int]:
    """Line of each STMTTRN (the tree keeps none), matched in document order."""
    starts = [m.start() for m in re.finditer(rb"<STMTTRN>", data, re.IGNORECASE)]
    lines, previous, line = {}, 0, 1
    for txn, start in zip(root.iter("STMTTRN"), starts, strict=False):
        line += data.count(b"\n", previous, start)
        previous = start
        lines[id(txn)] = line
    return lines


def _row(txn: Element, line: int, currency: str | None) -> StatementRow:
    posted = _text(txn, "DTPOSTED") or ""
    name, memo = _text(txn, "NAME") or _text(txn, "PAYEE/NAME"), _text(txn, "MEMO")
    # CURRENCY says TRNAMT is in another currency; ORIGCURRENCY only says it was
    # converted from one, TRNAMT being in CURDEF (OFX 2.1.1, 5.2).
    currency = _text(txn, "CURRENCY/CURSYM") or currency
    spent_on, amount, error = _date(posted), None, None
    try:
        amount = _amount(_text(txn, "TRNAMT"))
    except FieldError as exc:
        error = exc.reason
    if spent_on is None:
        error = error or "DTPOSTED is not a date"
    return StatementRow(
        line=line,
        spent_on=spent_on,
        date_text=posted[:8],
        amount=amount,
        currency=currency,
        description=name or memo or "",
        notes=memo if name and memo and memo != name else "",
        external_id=_text(txn, "FITID"),
        error=error,
    )


def _header_for(body: bytes) -> bytes:
    """The OFX 1.02 header some exporters leave out, with the body's character set."""
    try:
        body.decode("utf-8")
        charset = b"ENCODING:UTF-8\nCHARSET:NONE\n"
    except UnicodeDecodeError:
        charset = b"ENCODING:USASCII\nCHARSET:1252\n"
    return (
        b"OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nSECURITY:NONE\n"
        + charset
        + b"COMPRESSION:NONE\nOLDFILEUID:NONE\nNEWFILEUID:NONE\n\n"
    )


def read(data: bytes, options: ReadOptions) -> Statement:
    data = data.removeprefix(b"\xef\xbb\xbf").lstrip()
    safe_xml.refuse_dtd(data)
    header = _header_for(data) if data[:5].upper() == b"<OFX>" else b""
    tree = OFXTree()
    try:
        root = tree.parse(io.BytesIO(header + data))
    except Exception:
        # ofxtools' errors (OFXHeaderError, ParseError, …) quote the file; none is passed on.
        raise UnreadableFile("The file is not a readable OFX statement.") from None
    statement = Statement(format=NAME)
    lines = _lines(data, root)
    accounts, balances, currencies, starts, ends = set(), [], set(), [], []
    for stmt in root.iter():
        if stmt.tag not in ("STMTRS", "CCSTMTRS"):
            continue
        currency = _text(stmt, "CURDEF")
        currencies.add(currency)
        accounts.add(_text(stmt, "BANKACCTFROM/ACCTID") or _text(stmt, "CCACCTFROM/ACCTID"))
        balances.append(_text(stmt, "LEDGERBAL/BALAMT"))
        tranlist = stmt.find("BANKTRANLIST")
        if tranlist is None:
            continue
        starts.append(_date(_text(tranlist, "DTSTART")))
        ends.append(_date(_text(tranlist, "DTEND")))
        for txn in tranlist.iter("STMTTRN"):
            statement.rows.append(_row(txn, lines.get(id(txn), 0), currency))
            check_row_cap(len(statement.rows), options)
    statement.date_from = min((d for d in starts if d), default=None)
    statement.date_to = max((d for d in ends if d), default=None)
    # Statement-level facts only when the file is about one account in one currency.
    if len(accounts) == 1:
        statement.account_id = accounts.pop()
        try:
            last = balances[-1]
            statement.closing_balance = _amount(last) if last else None
        except FieldError:
            statement.closing_balance = None
    if len(currencies) == 1:
        statement.currency = currencies.pop()
    return statement
