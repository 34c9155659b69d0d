from piccolo.columns import (
    UUID,
    BigSerial,
    ForeignKey,
    Integer,
    OnDelete,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.table import Table


class User(Table, tablename="app_user"):
    # Uniqueness is on lower(email), declared in a raw migration.
    id = BigSerial(primary_key=True)
    email = Varchar(length=320)
    password_hash = Text()
    display_name = Varchar(length=100)
    currency = Varchar(length=3, default="USD")
    created_at = Timestamptz()


class Login(Table, tablename="login"):
    """One row per sign-in: what an access token's ``sid`` claim names.

    A request is authenticated only while its login exists and is not revoked, so
    logout, ``logout-all``, a password change and account deletion (cascade) end
    access tokens at once. Rotation and revocation both lock this row, so a refresh
    racing a logout can never leave a new token alive.
    """

    id = UUID(primary_key=True)
    user_id = ForeignKey(references=User, on_delete=OnDelete.cascade, index=True, null=False)
    created_at = Timestamptz()
    revoked_at = Timestamptz(null=True, default=None)


class RefreshToken(Table, tablename="refresh_token"):
    """One row per issued refresh token; only a SHA-256 of the value is stored.

    Tokens of one login share a ``family_id``: reusing a rotated token revokes the
    whole family, which is how a stolen token is cut off.
    """

    id = BigSerial(primary_key=True)
    user_id = ForeignKey(references=User, on_delete=OnDelete.cascade, index=True, null=False)
    family_id = UUID(index=True)
    token_hash = Varchar(length=64, unique=True)
    expires_at = Timestamptz()
    used_at = Timestamptz(null=True, default=None)
    revoked_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz()


class LoginFailure(Table, tablename="login_failure"):
    """Consecutive failed logins per subject (``email:<addr>`` or ``ip:<addr>``).

    Kept in the database so every API replica sees the same counters.
    """

    subject = Varchar(length=400, primary_key=True)
    failures = Integer(default=0)
    window_started_at = Timestamptz()
