from piccolo.columns import Date, Numeric, Varchar
from piccolo.table import Table

# ECB rates carry at most 6 decimals and stay below 10^10 units per euro (the
# Turkish lira peaked near 2 * 10^6 before 2005); the parser refuses anything
# these digits cannot hold exactly instead of letting PostgreSQL round it.
RATE_INTEGER_DIGITS = 10
RATE_DECIMALS = 10


class EuroRate(Table, tablename="euro_rate"):
    """A euro reference rate: ``eur_rate`` units of ``currency`` buy 1 EUR on ``day``.

    Invariants (migration m0009): the primary key is ``(currency, day)``,
    ``currency`` is three capital letters and never ``EUR`` (the euro is 1 by
    definition, see ``api.currencies.arithmetic``), ``eur_rate > 0``.

    Piccolo cannot declare a composite primary key, so the class names
    ``currency`` as its key and m0009 replaces the constraint. Only the SQL in
    ``api.currencies.queries`` touches this table; Piccolo's key-based helpers
    (``save``, ``remove``, ``get_related``) would act on every day of a currency.
    """

    currency = Varchar(length=3, primary_key=True)
    day = Date(default=None)
    eur_rate = Numeric(digits=(RATE_INTEGER_DIGITS + RATE_DECIMALS, RATE_DECIMALS))
