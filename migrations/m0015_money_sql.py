"""Money in several currencies, and split expenses; rollups in the base currency.

The columns come from m0014 (Piccolo's); this adds the rules. Conversion lives here, in the database, once: a BEFORE trigger on ``expense`` sets
``rate`` and ``base_amount`` on every write path (the API, both importers, the
rates commands, a base-currency change), from ``euro_rate`` as it is when the row
is written. The arithmetic is exact: numeric products are exact in PostgreSQL, and
the only divisions (a cross rate, a split part's share) go through
``divide_half_even``, which rounds an exact integer quotient half-even.

Splits are two parallel arrays on the expense row rather than child rows. A split
expense is then still one row written by one statement, so the statement-level
rollup triggers see all of it at once (with child rows, the parent's and the
parts' triggers would each see half of a change and the rollup could only be
kept exact by a second copy of the expense on every part), and a create stays
one INSERT. What a child table would give for free is done by hand: the parts'
categories are checked (and key-share locked) by the write, a category used by a
part cannot be deleted (``category_parts_guard``), and ``expense_line`` is the
view that reads an expense as the lines that are counted.
"""

from migrations import raw_sql

ID = "2026-11-27T04:31:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "currencies, base amounts, splits; rollups in the base currency"

_LIVE = "deleted_at IS NULL"


def _lines(rows: str) -> str:
    """The counted lines of the expense rows ``rows``: the expense, or its parts."""
    return f"""
        SELECT user_id, category_id, spent_on, base_amount, true AS first
        FROM {rows} WHERE {_LIVE} AND split_amounts IS NULL
        UNION ALL
        SELECT r.user_id, s.category_id, r.spent_on, s.base_amount, s.part = 1
        FROM {rows} r
        CROSS JOIN LATERAL split_lines(r.split_category_ids, r.split_amounts, r.amount,
                                       r.base_amount) s
        WHERE r.{_LIVE} AND r.split_amounts IS NOT NULL
    """


def _bucket_sums(rows: str, sign: str = "") -> str:
    return f"""
        SELECT user_id, category_id, date_trunc('month', spent_on)::date AS month,
               {sign}coalesce(sum(base_amount), 0) AS total,
               {sign}count(*) AS count,
               {sign}count(*) FILTER (WHERE first) AS expenses,
               {sign}count(*) FILTER (WHERE first AND base_amount IS NULL) AS unconverted
        FROM ({_lines(rows)}) AS line
        GROUP BY 1, 2, 3
    """


_ACCUMULATE = """
    ON CONFLICT (user_id, month, category_id) DO UPDATE
    SET total = expense_monthly_rollup.total + EXCLUDED.total,
        count = expense_monthly_rollup.count + EXCLUDED.count,
        expenses = expense_monthly_rollup.expenses + EXCLUDED.expenses,
        unconverted = expense_monthly_rollup.unconverted + EXCLUDED.unconverted
"""
_ROLLUP_COLUMNS = "user_id, category_id, month, total, count, expenses, unconverted"

FORWARDS = [
    # Exact rounding, stated once. trunc() and div() cut towards zero, so the
    # remainder carries the sign of the value, and a tie goes to the even neighbour.
    """
    CREATE FUNCTION round_half_even(x numeric) RETURNS numeric
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
        SELECT t + CASE WHEN abs(x - t) > 0.5 OR (abs(x - t) = 0.5 AND mod(t, 2) <> 0)
                        THEN sign(x) ELSE 0 END
        FROM (SELECT trunc(x) AS t) AS truncated
    $$
    """,
    """
    CREATE FUNCTION divide_half_even(n numeric, d numeric) RETURNS numeric
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
        SELECT q + CASE WHEN 2 * abs(n - q * d) > abs(d)
                          OR (2 * abs(n - q * d) = abs(d) AND mod(q, 2) <> 0)
                        THEN sign(n) * sign(d) ELSE 0 END
        FROM (SELECT div(n, d) AS q) AS quotient
    $$
    """,
    # Base units per 1 unit of the other currency, rounded half-even to 15
    # significant digits (the shift is estimated by log10, then corrected).
    """
    CREATE FUNCTION cross_rate(base_eur numeric, currency_eur numeric) RETURNS numeric
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
    DECLARE
        shift int := 14 - floor(log(base_eur / currency_eur))::int;
        q numeric := divide_half_even(base_eur * power(10::numeric, shift), currency_eur);
    BEGIN
        WHILE abs(q) >= 1e15 LOOP
            shift := shift - 1;
            q := divide_half_even(base_eur * power(10::numeric, shift), currency_eur);
        END LOOP;
        WHILE abs(q) < 1e14 LOOP
            shift := shift + 1;
            q := divide_half_even(base_eur * power(10::numeric, shift), currency_eur);
        END LOOP;
        RETURN trim_scale(q * power(10::numeric, -shift));
    END $$
    """,
    # The rate for a day: the newest publication on or before it, at most 7 days
    # older; a cross rate takes both currencies from the same publication. The
    # euro (1 against itself) and a currency against itself need no publication.
    """
    CREATE FUNCTION rate_on(base_code varchar, currency_code varchar, on_day date)
    RETURNS TABLE (published date, rate numeric)
    LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
    BEGIN
        IF currency_code = base_code THEN
            RETURN QUERY SELECT on_day, 1::numeric;
        ELSIF currency_code = 'EUR' THEN
            RETURN QUERY SELECT b.day, cross_rate(b.eur_rate, 1) FROM euro_rate b
            WHERE b.currency = base_code AND b.day BETWEEN on_day - 7 AND on_day
            ORDER BY b.day DESC LIMIT 1;
        ELSIF base_code = 'EUR' THEN
            RETURN QUERY SELECT c.day, cross_rate(1, c.eur_rate) FROM euro_rate c
            WHERE c.currency = currency_code AND c.day BETWEEN on_day - 7 AND on_day
            ORDER BY c.day DESC LIMIT 1;
        ELSE
            RETURN QUERY SELECT c.day, cross_rate(b.eur_rate, c.eur_rate)
            FROM euro_rate c JOIN euro_rate b ON b.day = c.day AND b.currency = base_code
            WHERE c.currency = currency_code AND c.day BETWEEN on_day - 7 AND on_day
            ORDER BY c.day DESC LIMIT 1;
        END IF;
    END $$
    """,
    """
    CREATE FUNCTION convert_amount(amount numeric, rate numeric) RETURNS numeric
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
        SELECT round_half_even(amount * rate * 100) * 0.01
    $$
    """,
    # A split's parts in order, each with its base amount: its share of the whole's,
    # rounded half-even to the cent, the remainder on the part largest in absolute
    # value (the first of those), so the parts sum exactly to the base amount.
    """
    CREATE FUNCTION split_lines(category_ids bigint[], amounts numeric[],
                                whole numeric, whole_base numeric)
    RETURNS TABLE (part int, category_id bigint, amount numeric, base_amount numeric)
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        WITH parts AS (
            SELECT p.ord::int AS part, category_ids[p.ord] AS category_id, p.share,
                   divide_half_even(whole_base * 100 * p.share, whole) AS cents,
                   row_number() OVER (ORDER BY abs(p.share) DESC, p.ord) AS rank
            FROM unnest(amounts) WITH ORDINALITY AS p(share, ord)
        )
        SELECT part, category_id, share,
               (cents + CASE WHEN rank = 1 THEN whole_base * 100 - sum(cents) OVER ()
                             ELSE 0 END) * 0.01
        FROM parts ORDER BY part
    $$
    """,
    """
    CREATE FUNCTION numeric_array_sum(numeric[]) RETURNS numeric
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ SELECT sum(x) FROM unnest($1) AS x $$
    """,
    # No default: an insert that names no currency gets its owner's base currency
    # from the conversion trigger below.
    "ALTER TABLE expense ALTER COLUMN currency DROP DEFAULT, ALTER COLUMN currency DROP NOT NULL",
    # Every expense so far was in its owner's currency.
    "UPDATE expense e SET currency = u.currency, base_amount = e.amount, rate = 1 "
    "FROM app_user u WHERE u.id = e.user_id",
    "ALTER TABLE expense ALTER COLUMN currency SET NOT NULL",
    "ALTER TABLE expense ADD CONSTRAINT expense_currency_form CHECK (currency ~ '^[A-Z]{3}$')",
    "ALTER TABLE expense ADD CONSTRAINT expense_settled_has_base "
    "CHECK (NOT settled OR base_amount IS NOT NULL)",
    "ALTER TABLE expense ADD CONSTRAINT expense_split_form CHECK ("
    " (split_amounts IS NULL) = (split_category_ids IS NULL) AND (split_amounts IS NULL OR ("
    "  cardinality(split_amounts) = cardinality(split_category_ids)"
    "  AND cardinality(split_amounts) BETWEEN 2 AND 50"
    "  AND split_category_ids[1] = category_id"
    "  AND numeric_array_sum(split_amounts) = amount)))",
    """
    CREATE FUNCTION expense_convert() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        base varchar(3);
    BEGIN
        -- A converted expense keeps its rate until its amount, currency or day
        -- changes; a statement forces a fresh conversion by setting rate to NULL.
        IF TG_OP = 'UPDATE' AND NEW.amount = OLD.amount AND NEW.currency = OLD.currency
           AND NEW.spent_on = OLD.spent_on AND NEW.rate IS NOT NULL
           AND (NEW.settled OR NEW.base_amount IS NOT NULL) THEN
            RETURN NEW;
        END IF;
        SELECT u.currency INTO base FROM app_user u WHERE u.id = NEW.user_id;
        NEW.currency := coalesce(NEW.currency, base);
        NEW.rate := (SELECT r.rate FROM rate_on(base, NEW.currency, NEW.spent_on) r);
        IF NOT NEW.settled THEN
            NEW.base_amount := convert_amount(NEW.amount, NEW.rate);
        END IF;
        RETURN NEW;
    END $$
    """,
    "CREATE TRIGGER expense_convert_before_write BEFORE INSERT OR UPDATE ON expense "
    "FOR EACH ROW EXECUTE FUNCTION expense_convert()",
    # What a foreign key on each array element would refuse.
    """
    CREATE FUNCTION category_parts_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        -- An account being deleted takes its expenses with it (the cascade has
        -- already removed the user row): nothing is left to protect.
        IF EXISTS (SELECT 1 FROM app_user WHERE id = OLD.user_id)
           AND EXISTS (SELECT 1 FROM expense WHERE user_id = OLD.user_id
                       AND split_category_ids @> ARRAY[OLD.id]) THEN
            RAISE EXCEPTION 'category % is used by a split part', OLD.id
                USING ERRCODE = 'foreign_key_violation';
        END IF;
        RETURN OLD;
    END $$
    """,
    "CREATE TRIGGER category_parts_guard BEFORE DELETE ON category "
    "FOR EACH ROW EXECUTE FUNCTION category_parts_guard()",
    f"""
    CREATE VIEW expense_line AS
    SELECT e.id AS expense_id, e.user_id, e.spent_on, e.category_id, e.amount,
           e.base_amount, true AS first
    FROM expense e WHERE e.{_LIVE} AND e.split_amounts IS NULL
    UNION ALL
    SELECT e.id, e.user_id, e.spent_on, s.category_id, s.amount, s.base_amount, s.part = 1
    FROM expense e
    CROSS JOIN LATERAL split_lines(e.split_category_ids, e.split_amounts, e.amount,
                                   e.base_amount) s
    WHERE e.{_LIVE} AND e.split_amounts IS NOT NULL
    """,
    f"""
    CREATE OR REPLACE FUNCTION expense_rollup_add() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO expense_monthly_rollup ({_ROLLUP_COLUMNS})
        {_bucket_sums("new_rows")}
        ORDER BY 1, 2, 3
        {_ACCUMULATE};
        RETURN NULL;
    END $$
    """,
    f"""
    CREATE OR REPLACE FUNCTION expense_rollup_remove() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM 1 FROM expense_monthly_rollup r
        JOIN (SELECT DISTINCT user_id, category_id, month
              FROM ({_bucket_sums("old_rows")}) AS sums) AS gone
          USING (user_id, month, category_id)
        ORDER BY r.user_id, r.category_id, r.month
        FOR UPDATE OF r;
        UPDATE expense_monthly_rollup AS r
        SET total = r.total - gone.total, count = r.count - gone.count,
            expenses = r.expenses - gone.expenses, unconverted = r.unconverted - gone.unconverted
        FROM ({_bucket_sums("old_rows")}) AS gone
        WHERE r.user_id = gone.user_id AND r.category_id = gone.category_id
          AND r.month = gone.month;
        RETURN NULL;
    END $$
    """,
    f"""
    CREATE OR REPLACE FUNCTION expense_rollup_move() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO expense_monthly_rollup ({_ROLLUP_COLUMNS})
        SELECT user_id, category_id, month, sum(total), sum(count), sum(expenses),
               sum(unconverted)
        FROM ({_bucket_sums("old_rows", "-")} UNION ALL {_bucket_sums("new_rows")}) AS change
        GROUP BY 1, 2, 3
        HAVING sum(total) <> 0 OR sum(count) <> 0 OR sum(expenses) <> 0
            OR sum(unconverted) <> 0
        ORDER BY 1, 2, 3
        {_ACCUMULATE};
        RETURN NULL;
    END $$
    """,
    # The rollup again from scratch, in the new terms (expenses, unconverted).
    "DELETE FROM expense_monthly_rollup",
    f"""
    INSERT INTO expense_monthly_rollup ({_ROLLUP_COLUMNS})
    SELECT user_id, category_id, date_trunc('month', spent_on)::date,
           coalesce(sum(base_amount), 0), count(*), count(*) FILTER (WHERE first),
           count(*) FILTER (WHERE first AND base_amount IS NULL)
    FROM expense_line GROUP BY 1, 2, 3
    """,
    "CREATE INDEX expense_user_split_categories_idx ON expense "
    "USING gin (split_category_ids) WHERE split_category_ids IS NOT NULL",
]

BACKWARDS = [
    "DROP INDEX IF EXISTS expense_user_split_categories_idx",
    "DROP VIEW IF EXISTS expense_line",
    "DROP TRIGGER IF EXISTS category_parts_guard ON category",
    "DROP FUNCTION IF EXISTS category_parts_guard()",
    "DROP TRIGGER IF EXISTS expense_convert_before_write ON expense",
    "DROP FUNCTION IF EXISTS expense_convert()",
    "ALTER TABLE expense DROP CONSTRAINT IF EXISTS expense_split_form",
    "ALTER TABLE expense DROP CONSTRAINT IF EXISTS expense_settled_has_base",
    "ALTER TABLE expense DROP CONSTRAINT IF EXISTS expense_currency_form",
]


forwards = raw_sql(ID, DESCRIPTION, FORWARDS, BACKWARDS)
