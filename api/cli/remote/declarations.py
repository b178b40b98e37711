"""The declarations resource of the native API, as the CLI's client mode uses it.

Routes (the native `/v1` API's documented contract; kept in this one place so a change is one edit):

=======  =====================================  ==========================  ====================================
method   path                                   body / query                answer
=======  =====================================  ==========================  ====================================
POST     /v1/declarations                       the signed envelope         202 {id, digest, status, duplicate,
                                                                            warnings}; a refused envelope 422
GET      /v1/declarations/{key}                 -                           public facts (digest, declarant,
                                                                            anchor {root, leaf, proof}, ...), with
                                                                            ``payload`` when readable (else null)
POST     /v1/declarations/{key}/grants          {"recipient": ORG}          {declarationId, recipient, ...}
GET      /v1/declarations/{key}/proof           ?disclose=a&disclose=b      a tanji.proof-bundle/1
GET      /v1/declarations/{key}/verification    -                           a verification report
=======  =====================================  ==========================  ====================================
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from api.cli.remote.connection import ServerConnection

COLLECTION = "/v1/declarations"


def item_path(key: str, *rest: str) -> str:
    """The path of declaration `key` (id or digest), escaped, with sub-resources `rest`."""
    return "/".join([COLLECTION, quote(key, safe=""), *rest])


@dataclass(frozen=True)
class Submitted:
    """The server's answer to one submitted envelope."""

    id: str | None
    digest: str | None
    status: str
    duplicate: bool
    error: str | None
    warnings: tuple[str, ...]

    @classmethod
    def of(cls, data: dict[str, Any]) -> Submitted:
        """From the JSON answer."""
        return cls(
            id=data.get("id"),
            digest=data.get("digest"),
            status=str(data.get("status", "rejected")),
            duplicate=bool(data.get("duplicate", False)),
            error=data.get("error"),
            warnings=tuple(str(w) for w in data.get("warnings") or ()),
        )


class DeclarationsApi:
    """Submit, read, grant, prove and verify declarations on a server."""

    def __init__(self, connection: ServerConnection) -> None:
        self.connection = connection

    def submit(self, envelope: Any) -> Submitted:
        """Submit one envelope signed locally. A refused envelope answers 4xx: it becomes a rejected result."""
        from api.cli.remote.errors import RemoteConflictError, RemoteInvalidInputError

        try:
            return Submitted.of(self.connection.post(COLLECTION, envelope))
        except (RemoteInvalidInputError, RemoteConflictError) as exc:
            digest = envelope.get("digest") if isinstance(envelope, dict) else None
            return Submitted(None, digest, "rejected", False, str(exc), ())

    def get(self, key: str) -> dict[str, Any]:
        """The declaration's facts (with its payload when the signed-in organization may read it)."""
        answer: dict[str, Any] = self.connection.get(item_path(key))
        return answer

    def grant(self, key: str, recipient: str) -> dict[str, Any]:
        """Let `recipient` read the declaration (the signed-in organization must be its declarant)."""
        answer: dict[str, Any] = self.connection.post(item_path(key, "grants"), {"recipient": recipient})
        return answer

    def proof(self, key: str, disclose: list[str] | None = None) -> dict[str, Any]:
        """The declaration's proof bundle: full, or disclosing only the fields `disclose`."""
        params = {"disclose": disclose} if disclose else None  # repeated: ?disclose=a&disclose=b
        answer: dict[str, Any] = self.connection.get(item_path(key, "proof"), params=params)
        return answer

    def verification(self, key: str) -> dict[str, Any]:
        """The server's verification report of the stored declaration."""
        answer: dict[str, Any] = self.connection.get(item_path(key, "verification"))
        return answer
