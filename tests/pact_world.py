"""A small PACT world for the HTTP tests: a workspace with anchored declarations of two organizations, a grant,
a test client, bearer tokens, and a fake data recipient (token endpoint + events endpoint) on loopback."""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from factories import make_payload
from fastapi.testclient import TestClient

from ledger.declarations.envelope import sign_declaration
from ledger.service.access import grant_access

PUBLIC_URL = "https://tanji.test"
ECLASS = "urn:eclass:0173-1#01-AAA123#005"


@dataclass
class World:
    """The runtime, a client over a new app, and the declarations made (name -> footprint id)."""

    runtime: Any  # api.http.runtime.Runtime (tests outside tests/http and tests/api may not import api)
    client: TestClient
    ids: dict[str, str]
    members: Any
    tokens: dict[str, str] = field(default_factory=dict)

    def bearer(self, org: str) -> dict[str, str]:
        """Authorization header of a client-credentials token of `org` (one token per organization)."""
        if org not in self.tokens:
            issued = self.runtime.identity.create_client(org)
            answer = self.client.post(
                "/auth/token", data={"grant_type": "client_credentials"}, auth=(issued.client_id, issued.secret)
            )
            assert answer.status_code == 200, answer.text
            self.tokens[org] = answer.json()["access_token"]
        return {"Authorization": f"Bearer {self.tokens[org]}"}

    def declare(self, account: Any, org: str, name: str, **changes: Any) -> str:
        """Sign and submit a footprint of `org`, changed by `changes` (top-level keys, or pcf.* keys)."""
        payload = make_payload(account.address, org=org, product=changes.pop("product", None))
        for key, value in changes.items():
            if key.startswith("pcf_"):
                payload["pcf"][key.removeprefix("pcf_")] = value
            else:
                payload[key] = value
        envelope = sign_declaration(
            payload, domain=self.runtime.chain.signing_domain, private_key=account.key, declarant=account.address
        )
        result = self.runtime.ingest.submit(json.dumps(envelope))
        assert result.status == "pending", result
        self.ids[name] = result.id
        return result.id

    def anchor(self) -> None:
        """Anchor everything submitted."""
        self.runtime.anchoring.run_once(flush=True)


def world_settings(home: Path) -> dict[str, Any]:
    """Settings of a PACT test server over `home`: no background anchoring, a generous rate limit."""
    return {
        "home": home,
        "public_url": PUBLIC_URL,
        "anchor_loop": False,
        "rate_limit_per_minute": 100_000,
        "principal_cache_seconds": 0,
    }


def pact_world(runtime: Any, client: TestClient, members: Any) -> World:
    """Four anchored declarations: acme's p1 (DE, eCl@ss), p2 (CN) and p3 (explicit validity), leader's
    assembly; p1 granted to leader. `runtime` and `client` serve a private copy of the prepared workspace."""
    world = World(runtime, client, {}, members)
    acme, leader = members.acme, members.leader
    world.declare(
        acme,
        "acme",
        "p1",
        product="urn:tanji:acme:p1",
        companyIds=["urn:uuid:acme-company"],
        productClassifications=[ECLASS],
        pcf_geographyCountry="DE",
    )
    world.declare(acme, "acme", "p2", product="urn:tanji:acme:p2", companyIds=["urn:uuid:acme-company"])
    world.declare(
        acme,
        "acme",
        "p3",
        product="urn:tanji:acme:p3",
        companyIds=["urn:uuid:acme-company"],
        validityPeriodStart="2026-01-15T10:15:30Z",
        validityPeriodEnd="2027-01-01T00:00:00Z",
    )
    world.declare(
        leader, "leader", "assembly", product="urn:tanji:leader:assembly", companyIds=["urn:uuid:leader-company"]
    )
    world.anchor()
    with runtime.sessions() as session:
        grant_access(session, world.ids["p1"], recipient="leader", granted_by="acme")
    return world


@dataclass
class FakeRecipient:
    """A PACT data recipient on loopback: issues tokens for one client, records the events POSTed to it."""

    server: ThreadingHTTPServer
    client_id: str = "tanji-at-recipient"
    client_secret: str = "s3cret-of-the-recipient"
    token: str = "recipient-token-1"
    events: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    received: threading.Event = field(default_factory=threading.Event)

    @property
    def url(self) -> str:
        """The base URL (plain http on loopback)."""
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"


def _handler(recipient: FakeRecipient) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            return

        def _answer(self, status: int, body: dict[str, Any] | None = None) -> None:
            data = json.dumps(body).encode() if body is not None else b""
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            if self.path == "/auth/token":
                expected = base64.b64encode(f"{recipient.client_id}:{recipient.client_secret}".encode()).decode()
                if self.headers.get("Authorization") != f"Basic {expected}" or body != b"grant_type=client_credentials":
                    recipient.refused.append("token")
                    return self._answer(401, {"error": "invalid_client"})
                return self._answer(200, {"access_token": recipient.token, "token_type": "Bearer", "expires_in": 60})
            if self.headers.get("Authorization") != f"Bearer {recipient.token}":
                recipient.refused.append(self.path)
                return self._answer(401, {"code": "BadRequest", "message": "bad token"})
            if not self.headers.get("Content-Type", "").startswith("application/cloudevents+json"):
                recipient.refused.append("content-type")
                return self._answer(415, {"code": "BadRequest", "message": "content type"})
            recipient.events.append((self.path, json.loads(body)))
            recipient.received.set()
            return self._answer(200)

    return Handler


@contextmanager
def fake_recipient() -> Iterator[FakeRecipient]:
    """Run a fake recipient on 127.0.0.1 (an ephemeral port) for the duration of the block."""
    recipient = FakeRecipient(server=ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler))
    recipient.server.RequestHandlerClass = _handler(recipient)
    thread = threading.Thread(target=recipient.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield recipient
    finally:
        recipient.server.shutdown()
        recipient.server.server_close()
        thread.join(timeout=5)
