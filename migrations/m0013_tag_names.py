"""A tag name is unique per user whatever its case, and the names are well formed.

Raw SQL runs before a migration's own tables are created, hence a migration of its
own after m0012.
"""

from migrations import raw_sql

ID = "2026-11-27T02:52:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "case-insensitive unique tag names"

FORWARDS = [
    "CREATE UNIQUE INDEX tag_user_name_lower_key ON tag (user_id, lower(name))",
    # The wire rule (wire.validation.check_tag) as the last word: trimmed, 1-40
    # characters, no comma (a comma would make a tag list ambiguous in a CSV cell).
    "ALTER TABLE tag ADD CONSTRAINT tag_name_form "
    "CHECK (name = btrim(name) AND length(name) BETWEEN 1 AND 40 AND position(',' IN name) = 0)",
]

BACKWARDS = [
    "ALTER TABLE tag DROP CONSTRAINT IF EXISTS tag_name_form",
    "DROP INDEX IF EXISTS tag_user_name_lower_key",
]


forwards = raw_sql(ID, DESCRIPTION, FORWARDS, BACKWARDS)
