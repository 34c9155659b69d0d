"""The expense routes' answers for a missing expense and a reference that is not yours."""

from __future__ import annotations

from api.errors import Problem

_REFERENCE_MESSAGES = {
    "category_id": "No such category",
    "splits": "Every part's category must be one of yours",
    "refund_of": "Must be one of your expenses, positive, not in the trash, not this one",
}


def not_found() -> Problem:
    return Problem(404, "No such expense.")


def unknown(field: str) -> Problem:
    """422 naming ``field``: it names a category or expense that is not the user's."""
    message = _REFERENCE_MESSAGES[field]
    return Problem(
        422,
        f"{field}: {message[0].lower()}{message[1:]}.",
        errors=[{"field": field, "message": message, "source": "body"}],
    )
