"""What can go wrong talking to the API, as exceptions the views can act on.

Every exception carries text fit for a user: the server's problem-details
``detail`` when it sent one, otherwise a plain sentence about what happened.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class FieldProblem:
    field: str
    message: str


@dataclass
class ApiError(Exception):
    """The server answered with an error (RFC 9457 problem details)."""

    status: int
    detail: str
    title: str = ""
    errors: list[FieldProblem] = field(default_factory=list)
    retry_after: int | None = None
    body: bytes = field(default=b"", repr=False)  # raw answer (import reports ride on 422)

    def __str__(self) -> str:
        return self.detail or self.title or f"The server answered {self.status}."

    def field_messages(self) -> dict[str, str]:
        """``{"amount": "Amount must be greater than zero", ...}`` for inline display."""
        messages: dict[str, str] = {}
        for problem in self.errors:
            name = problem.field.split(".")[-1] or "body"
            messages.setdefault(name, problem.message)
        return messages


class NotSignedIn(ApiError):
    """401 that a token refresh could not fix: the user must sign in again."""


class ServerUnreachable(ApiError):
    """No HTTP answer at all: refused, DNS, TLS, timeout, dropped connection."""


class Cancelled(Exception):
    """The user cancelled a long transfer (export)."""
