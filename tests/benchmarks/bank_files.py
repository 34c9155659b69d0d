"""Parse time of a generated 10,000-row OFX and bank CSV (issue 14's goal: < 1 s each).

``python -m tests.benchmarks.bank_files [--rows N]`` prints the best of three runs
for each file: the whole read, from bytes to a ``Statement`` (CSV: detection
included, then again with the detected mapping given). Nothing is asserted: a
shared machine's timings are figures to read, not a test to flake.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from datetime import date, timedelta

from api.imports.formats import ReadOptions, Statement, read_statement

_HEADER = (
    "OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nSECURITY:NONE\nENCODING:USASCII\n"
    "CHARSET:1252\nCOMPRESSION:NONE\nOLDFILEUID:NONE\nNEWFILEUID:NONE\n\n"
)


def _day(i: int) -> date:
    return date(2024, 1, 1) + timedelta(days=i % 365)


def ofx_file(rows: int) -> bytes:
    transactions = "".join(
        f"<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>{_day(i):%Y%m%d}120000[-5:EST]"
        f"<TRNAMT>-{i % 997}.{i % 100:02d}<FITID>F{i:08d}<NAME>Shop number {i % 50}"
        f"<MEMO>Card purchase {i}\n</STMTTRN>\n"
        for i in range(rows)
    )
    body = (
        "<OFX><BANKMSGSRSV1><STMTTRNRS><TRNUID>1<STATUS><CODE>0<SEVERITY>INFO</STATUS>"
        "<STMTRS><CURDEF>USD<BANKACCTFROM><BANKID>1<ACCTID>12345<ACCTTYPE>CHECKING"
        "</BANKACCTFROM><BANKTRANLIST><DTSTART>20240101<DTEND>20241231\n"
        f"{transactions}</BANKTRANLIST><LEDGERBAL><BALAMT>100.00<DTASOF>20241231"
        "</LEDGERBAL></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>\n"
    )
    return (_HEADER + body).encode("ascii")


def _german(i: int) -> str:
    """An amount as German banks write it: 1.234,56."""
    return f"{i % 997 * 3:,}".replace(",", ".") + f",{i % 100:02d}"


def csv_file(rows: int) -> bytes:
    lines = ["Kontoauszug;;;", "Buchungstag;Verwendungszweck;Betrag;Währung"]
    lines += [
        f"{_day(i):%d.%m.%Y};Kartenzahlung Geschäft {i % 50} Berlin;-{_german(i)};EUR"
        for i in range(rows)
    ]
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def best_of(runs: int, read: Callable[[], Statement]) -> tuple[float, int]:
    timings, count = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        count = len(read().rows)
        timings.append(time.perf_counter() - start)
    return min(timings), count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    rows = parser.parse_args().rows
    ofx, csv = ofx_file(rows), csv_file(rows)
    mapping = read_statement(csv).mapping
    figures = [
        ("OFX 1.x SGML", len(ofx), best_of(3, lambda: read_statement(ofx))),
        ("CSV, detected", len(csv), best_of(3, lambda: read_statement(csv))),
        (
            "CSV, mapping given",
            len(csv),
            best_of(3, lambda: read_statement(csv, ReadOptions(mapping=mapping))),
        ),
    ]
    for name, size, (seconds, count) in figures:
        verdict = "within" if seconds < 1 else "OVER"
        figure = f"{name:20} {count:>6} rows {size / 1e6:5.2f} MB  {seconds:6.3f} s"
        print(f"{figure}  ({verdict} the 1 s goal)")


if __name__ == "__main__":
    main()
