"""Exchange rates: the rate the server would apply to an expense of a day."""

from __future__ import annotations

from datetime import date

from desktop.client.http import API, Transport
from desktop.errors import ApiError
from wire.currencies import Rate


class RateCalls(Transport):
    def rate(self, currency: str, day: date) -> Rate | None:
        """Base units per unit of ``currency`` on ``day``; None while none is published."""
        params = {"currency": currency, "date": day.isoformat()}
        try:
            return self._get(f"{API}/rates", Rate, params=params)
        except ApiError as error:
            if error.status == 404:  # no rate in that week yet: an answer, not a failure
                return None
            raise
