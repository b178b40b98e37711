"""The footprint requests resource of the native API, as the CLI's client mode uses it.

=======  ==================================  =========================================  ===========================
method   path                                body / query                               answer
=======  ==================================  =========================================  ===========================
POST     /v1/requests                        {to, products, deadline, note}             201 {items: [request]}
POST     /v1/requests/{id}/forwards          {to, products?, deadline?, note?}          201 {items: [request]}
POST     /v1/requests/{id}/fulfilment        {declaration}                              the request
POST     /v1/requests/{id}/rejection         {code, message}                            the request
GET      /v1/requests                        ?box=inbox|outbox&status=                  {items: [request]}
GET      /v1/requests/coverage              ?product=&factors=                         the coverage
=======  ==================================  =========================================  ===========================

Answers are camelCase; they are handed to the CLI with snake_case keys, as the local use cases give them (the
product ids and tiers that key the coverage tables are kept as they are).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from urllib.parse import quote

from api.cli.remote.connection import ServerConnection

COLLECTION = "/v1/requests"
KEYED_BY_VALUE = ("byTier", "byProduct")


def snake_keys(data: Any, *, verbatim: bool = False) -> Any:
    """`data` with camelCase object keys in snake_case (the keys of `KEYED_BY_VALUE` tables kept verbatim)."""
    if isinstance(data, dict):
        return {
            (key if verbatim else re.sub(r"(?<!^)([A-Z])", r"_\1", key).lower()): snake_keys(
                value, verbatim=key in KEYED_BY_VALUE
            )
            for key, value in data.items()
        }
    if isinstance(data, list):
        return [snake_keys(item) for item in data]
    return data


def _when(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


class RequestsApi:
    """Create, forward, answer and list footprint requests, and read coverage, on a server."""

    def __init__(self, connection: ServerConnection) -> None:
        self.connection = connection

    def create(self, to: str, products: list[str], deadline: datetime, note: str | None) -> list[dict[str, Any]]:
        """Requests to `to`, one per product."""
        body = {"to": to, "products": products, "deadline": _when(deadline), "note": note}
        return list(snake_keys(self.connection.post(COLLECTION, body))["items"])

    def forward(
        self, request_id: str, to: str, products: list[str] | None, deadline: datetime | None, note: str | None
    ) -> list[dict[str, Any]]:
        """Forward request `request_id` to `to`."""
        body = {"to": to, "products": products, "deadline": _when(deadline), "note": note}
        return list(snake_keys(self.connection.post(self._item(request_id, "forwards"), body))["items"])

    def fulfil(self, request_id: str, declaration: str) -> dict[str, Any]:
        """Fulfil with a declaration (id or digest)."""
        answer = self.connection.post(self._item(request_id, "fulfilment"), {"declaration": declaration})
        return dict(snake_keys(answer))

    def reject(self, request_id: str, code: str, message: str) -> dict[str, Any]:
        """Reject with a reason."""
        answer = self.connection.post(self._item(request_id, "rejection"), {"code": code, "message": message})
        return dict(snake_keys(answer))

    def list(self, box: str, status: str | None) -> list[dict[str, Any]]:
        """The inbox or outbox of the signed-in organization."""
        params = {"box": box, **({"status": status} if status else {})}
        return list(snake_keys(self.connection.get(COLLECTION, params=params))["items"])

    def coverage(self, product: str | None, factor_set: str | None) -> dict[str, Any]:
        """The signed-in chain leader's coverage."""
        params = {name: value for name, value in (("product", product), ("factors", factor_set)) if value}
        return dict(snake_keys(self.connection.get(f"{COLLECTION}/coverage", params=params)))

    @staticmethod
    def _item(request_id: str, action: str) -> str:
        return f"{COLLECTION}/{quote(request_id, safe='')}/{action}"
