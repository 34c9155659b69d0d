"""The euro rates' real key, (currency, day), and what a stored rate must be.

Piccolo cannot declare a composite primary key, so m0008 made ``currency`` the key;
here it becomes ``(currency, day)``, which is also the index every rate lookup
walks (one currency, days up to a date, newest first). Raw SQL runs before a
migration's own tables are created, hence a migration of its own.
"""

from migrations import raw_sql

ID = "2026-11-27T02:05:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "euro rates keyed by currency and day; positive rates of non-euro currencies"

FORWARDS = [
    "ALTER TABLE euro_rate DROP CONSTRAINT euro_rate_pkey, "
    "ADD CONSTRAINT euro_rate_pkey PRIMARY KEY (currency, day)",
    "ALTER TABLE euro_rate ADD CONSTRAINT euro_rate_positive CHECK (eur_rate > 0)",
    # The euro is 1 by definition; a row for it could only disagree.
    "ALTER TABLE euro_rate ADD CONSTRAINT euro_rate_currency_code "
    "CHECK (currency ~ '^[A-Z]{3}$' AND currency <> 'EUR')",
]

BACKWARDS = [
    "ALTER TABLE euro_rate DROP CONSTRAINT euro_rate_currency_code",
    "ALTER TABLE euro_rate DROP CONSTRAINT euro_rate_positive",
    # Only one row per currency can survive the old single-column key.
    "DELETE FROM euro_rate r USING euro_rate newer "
    "WHERE newer.currency = r.currency AND newer.day > r.day",
    "ALTER TABLE euro_rate DROP CONSTRAINT euro_rate_pkey, "
    "ADD CONSTRAINT euro_rate_pkey PRIMARY KEY (currency)",
]


forwards = raw_sql(ID, DESCRIPTION, FORWARDS, BACKWARDS)
