"""SQL for rules: a user's rules in order, one rule, create, change, delete."""

from __future__ import annotations

from typing import Any

import asyncpg
import msgspec

from wire.rules import Rule, RuleThen, RuleWhen

_COLUMNS = 'id, name, position, "when", "then"'
_ORDER = "ORDER BY position, id"


def to_rule(row: asyncpg.Record) -> Rule:
    # Stored documents were checked on the way in; reading them back runs the same checks.
    return Rule(
        id=row["id"],
        name=row["name"],
        position=row["position"],
        when=msgspec.json.decode(row["when"], type=RuleWhen),
        then=msgspec.json.decode(row["then"], type=RuleThen),
    )


def _json(document: Any) -> str:
    return msgspec.json.encode(document).decode()


async def list_rules(conn: asyncpg.Connection, user_id: int) -> list[Rule]:
    rows = await conn.fetch(f"SELECT {_COLUMNS} FROM rule WHERE user_id = $1 {_ORDER}", user_id)
    return [to_rule(row) for row in rows]


async def get(conn: asyncpg.Connection, user_id: int, rule_id: int) -> Rule | None:
    row = await conn.fetchrow(
        f"SELECT {_COLUMNS} FROM rule WHERE id = $1 AND user_id = $2", rule_id, user_id
    )
    return to_rule(row) if row else None


async def insert(
    conn: asyncpg.Connection,
    user_id: int,
    name: str,
    position: int | None,
    when: RuleWhen,
    then: RuleThen,
) -> Rule:
    """A rule without a position goes after the user's last one."""
    row = await conn.fetchrow(
        f"""INSERT INTO rule (user_id, name, position, "when", "then")
        VALUES ($1, $2, coalesce($3, (SELECT coalesce(max(position) + 1, 0) FROM rule
                                      WHERE user_id = $1)), $4::jsonb, $5::jsonb)
        RETURNING {_COLUMNS}""",
        user_id,
        name,
        position,
        _json(when),
        _json(then),
    )
    return to_rule(row)


async def update(
    conn: asyncpg.Connection, user_id: int, rule_id: int, changes: dict[str, Any]
) -> Rule | None:
    """Set the given fields (name, position, when, then); ``None`` when not the user's."""
    columns = {"name": "name", "position": "position", "when": '"when"', "then": '"then"'}
    sets, args = [], [rule_id, user_id]
    for key, value in changes.items():
        args.append(_json(value) if key in ("when", "then") else value)
        cast = "::jsonb" if key in ("when", "then") else ""
        sets.append(f"{columns[key]} = ${len(args)}{cast}")
    if not sets:
        return await get(conn, user_id, rule_id)
    row = await conn.fetchrow(
        f"UPDATE rule SET {', '.join(sets)} WHERE id = $1 AND user_id = $2 RETURNING {_COLUMNS}",
        *args,
    )
    return to_rule(row) if row else None


async def delete(conn: asyncpg.Connection, user_id: int, rule_id: int) -> bool:
    status = await conn.execute("DELETE FROM rule WHERE id = $1 AND user_id = $2", rule_id, user_id)
    return status == "DELETE 1"
