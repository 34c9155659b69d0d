from decimal import Decimal

from PySide6.QtCore import QLocale

from desktop.money import format_money, parse_money

US = QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
DE = QLocale(QLocale.Language.German, QLocale.Country.Germany)


def test_formats_decimal_with_symbol_and_separators():
    assert format_money(Decimal("1234567.5"), "USD", US) == "$1,234,567.50"
    assert format_money(Decimal("-3"), "GBP", US) == "-£3.00"
    assert format_money(Decimal("12.30"), "SEK", US) == "12.30 SEK"
    assert format_money(Decimal("1234.5"), "EUR", DE) == "€1.234,50"


def test_parses_what_people_type():
    assert parse_money("1,234.50", US) == Decimal("1234.50")
    assert parse_money("$12", US) == Decimal("12")
    assert parse_money("12,5", DE) == Decimal("12.5")
    assert parse_money("1.234,5", DE) == Decimal("1234.5")
    assert parse_money("abc", US) is None
    assert parse_money("", US) is None


def test_refunds_are_typed_and_shown_negative():
    # Whatever minus the keyboard or a pasted statement gives, a refund stays negative.
    for typed in ("-12.50", "\u221212.50", "\u201312.50", "-$12.50", "- 12.50"):
        assert parse_money(typed, US) == Decimal("-12.50"), typed
    assert parse_money("-1.234,5", DE) == Decimal("-1234.5")
    assert format_money(Decimal("-12.50"), "USD", US) == "-$12.50"
    assert format_money(Decimal("-1234.5"), "EUR", DE) == "-€1.234,50"
    assert format_money(Decimal("-7"), "SEK", US) == "-7.00 SEK"


def test_compact_amounts_for_chart_ticks():
    from desktop.money import format_compact

    assert format_compact(Decimal("1500"), "USD", US) == "$1.5k"
    assert format_compact(Decimal("2000"), "USD", US) == "$2k"
    assert format_compact(Decimal("500"), "USD", US) == "$500"
    assert format_compact(Decimal("20000"), "USD", US) == "$20k"
    assert format_compact(Decimal("250.5"), "USD", US) == "$250.50"
    assert format_compact(Decimal("1250000"), "SEK", US) == "1.2M SEK"
