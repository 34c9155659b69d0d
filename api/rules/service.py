"""Running one rule over a user's existing expenses (``POST /rules/{id}/apply``)."""

from __future__ import annotations

import asyncpg

from api.rules.matching import matches
from api.tags import queries as tag_queries
from wire.rules import Rule, RuleApplication

# Live expenses with what a rule reads and writes. Case folding is Python's
# (PostgreSQL's lower() is not Unicode case folding), so matching happens here.
_EXPENSES = f"""
SELECT e.id, e.description, e.amount, e.account, e.currency, e.category_id,
       {tag_queries.EXPENSE_TAGS_SQL} AS tags
FROM expense e WHERE e.user_id = $1 AND e.deleted_at IS NULL
"""
_CHANGE = """
UPDATE expense e SET category_id = coalesce(c.category_id, e.category_id),
       description = coalesce(c.description, e.description),
       updated_at = now(), version = e.version + 1
FROM unnest($2::bigint[], $3::bigint[], $4::text[]) AS c(id, category_id, description)
WHERE e.id = c.id AND e.user_id = $1
"""


async def apply(
    conn: asyncpg.Connection, user_id: int, rule: Rule, *, dry_run: bool
) -> RuleApplication:
    """Match ``rule`` against every live expense; change them unless ``dry_run``.

    Only this rule runs: applying it on demand is the user's explicit choice, so the
    order among rules (which decides imports) does not hold it back. In a transaction.
    """
    category_ok = rule.then.category_id is not None and bool(
        await conn.fetchval(
            "SELECT 1 FROM category WHERE id = $1 AND user_id = $2 FOR KEY SHARE",
            rule.then.category_id,
            user_id,
        )
    )
    matched = changed = 0
    ids: list[int] = []
    categories: list[int | None] = []
    descriptions: list[str | None] = []
    tag_ids: list[int] = []
    tag_names: list[str] = []
    for row in await conn.fetch(_EXPENSES, user_id):
        if not matches(
            rule.when, row["description"], row["amount"], row["account"], row["currency"]
        ):
            continue
        matched += 1
        category = rule.then.category_id if category_ok else None
        category = category if category != row["category_id"] else None
        description = rule.then.description
        description = description if description != row["description"] else None
        present = {tag.casefold() for tag in row["tags"]}
        missing = [tag for tag in rule.then.tags_add or [] if tag.casefold() not in present]
        if category is None and description is None and not missing:
            continue
        changed += 1
        ids.append(row["id"])
        categories.append(category)
        descriptions.append(description)
        tag_ids += [row["id"]] * len(missing)
        tag_names += missing
    if not dry_run and ids:
        await conn.execute(_CHANGE, user_id, ids, categories, descriptions)
        await tag_queries.add_to_expenses(conn, user_id, tag_ids, tag_names)
    return RuleApplication(matched=matched, changed=changed)
