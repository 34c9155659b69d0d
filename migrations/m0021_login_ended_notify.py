"""Every change that can end a login is announced on the channel ``login_ended``.

Each API process caches which logins are live (api/auth/live_logins.py) and
LISTENs here to drop an entry the moment its login ends, in this process or any
other one on the same database. The payload is the login id; ``user:<id>`` for a
deleted account (its logins cascade and announce themselves too, this is a second
net); ``*`` when the table is truncated (drop everything).

Any UPDATE of a login row is announced, not only the one setting ``revoked_at``:
revocation is the only update today, and announcing more is harmless where
announcing less would let a revoked token through. NOTIFY is sent at commit, so a
rolled-back revocation announces nothing (a spurious one would only cost a probe).
"""

from migrations import raw_sql

ID = "2026-11-27T07:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "announce ended logins on the login_ended channel"

FORWARDS = [
    """
    CREATE FUNCTION login_ended_notify() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_LEVEL = 'STATEMENT' THEN
            PERFORM pg_notify('login_ended', '*');
        ELSIF TG_TABLE_NAME = 'app_user' THEN
            PERFORM pg_notify('login_ended', 'user:' || OLD.id);
        ELSE
            PERFORM pg_notify('login_ended', OLD.id::text);
        END IF;
        RETURN NULL;
    END
    $$
    """,
    "CREATE TRIGGER login_ended AFTER UPDATE OR DELETE ON login "
    "FOR EACH ROW EXECUTE FUNCTION login_ended_notify()",
    "CREATE TRIGGER login_truncated AFTER TRUNCATE ON login "
    "FOR EACH STATEMENT EXECUTE FUNCTION login_ended_notify()",
    "CREATE TRIGGER app_user_deleted AFTER DELETE ON app_user "
    "FOR EACH ROW EXECUTE FUNCTION login_ended_notify()",
]

BACKWARDS = [
    "DROP TRIGGER app_user_deleted ON app_user",
    "DROP TRIGGER login_truncated ON login",
    "DROP TRIGGER login_ended ON login",
    "DROP FUNCTION login_ended_notify()",
]


forwards = raw_sql(ID, DESCRIPTION, FORWARDS, BACKWARDS)
