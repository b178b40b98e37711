"""Fixtures for the web pages: a seeded workspace (a two-tier supply chain on the embedded chain), a runtime and test
clients over it, and signing in through the pages.

The seeded workspace: steel (supplier) declares a hot-rolled coil (its own inputs, ore and coke, are declared by
nobody: gaps); leader (chain leader) declares a gearbox housing made of 2.4 kg of the coil; audit (auditor) attests
the coil; cert (certifier) issues two labels on it and revokes one. Every organization has an API client.

- `seeded`: the prepared workspace (once per session); `copy_of_seeded(into)` copies it for a private server.
- `web_runtime`: one runtime over a copy for the session (tests that write use fresh declarations or serials).
- `web_client`: a TestClient of a new app over it, https://tanji.test; `sign_in(client, org)` signs in by the form.
"""

from __future__ import annotations

import copy
import json
import re
import shutil
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from eth_account import Account
from fastapi.testclient import TestClient

from api.compose import open_runtime
from api.http.app import create_app
from api.http.runtime import Runtime
from api.settings import Settings
from ledger.codes import Assurance, AttestationResult, Reason
from ledger.declarations.envelope import sign_declaration
from ledger.service.attestation import attest
from ledger.service.labels import LabelIssue, change_label, issue_label
from ledger.service.members import register_member

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "declarations" / "hot-rolled-coil.json"
ROLES = {"steel": "supplier", "leader": "chain-leader", "audit": "auditor", "cert": "certifier"}
COIL = "urn:tanji:steel:hot-rolled-coil"
PART = "urn:tanji:leader:gearbox-housing"
VALID_SERIAL = "TJ-2026-VALID-001"
REVOKED_SERIAL = "TJ-2026-REVOKED-002"


@dataclass
class Seeded:
    """What the tests need to know about the seeded workspace."""

    home: Path
    accounts: dict[str, Any] = field(default_factory=dict)
    clients: dict[str, tuple[str, str]] = field(default_factory=dict)
    declarations: dict[str, str] = field(default_factory=dict)  # product -> declaration id


def web_settings(home: Path, public_url: str = "https://tanji.test", **overrides: Any) -> Settings:
    """Settings of a page-test server over `home`."""
    values: dict[str, Any] = {
        "home": home,
        "public_url": public_url,
        "anchor_loop": False,
        "rate_limit_per_minute": 100_000,
        "principal_cache_seconds": 0,
        **overrides,
    }
    return Settings(**values)


def payload_for(org: str, address: str, product: str, name: str) -> dict[str, Any]:
    """A PACT v3 declaration of `product` by `org`, from the shipped example."""
    payload: dict[str, Any] = copy.deepcopy(json.loads(EXAMPLE.read_text(encoding="utf-8")))
    payload["id"] = str(uuid.uuid4())
    payload["productIds"] = [product]
    payload["productNameCompany"] = name
    payload["extensions"][0]["data"]["declarant"] = {"org": org, "address": address}
    return payload


def part_payload(address: str) -> dict[str, Any]:
    """The chain leader's gearbox housing: 2.4 kg of coil plus machining."""
    payload = payload_for("leader", address, PART, "gearbox housing")
    payload["pcf"]["declaredUnitOfMeasurement"] = "piece"
    data = payload["extensions"][0]["data"]
    data["billOfMaterials"] = [{"productId": COIL, "quantity": "2.4", "unit": "kilogram"}]
    data["directEmissions"] = [{"source": "machining and painting", "component": "fossil", "amount": "1.1"}]
    data.pop("emissionFactors", None)
    return payload


def seed(home: Path) -> Seeded:
    """Initialise `home` and seed it (see the module docstring)."""
    from chain_tools.workspace import initialise

    initialise(home)
    seeded = Seeded(home, {org: Account.create() for org in ROLES})
    with open_runtime(web_settings(home)) as runtime:
        chain = runtime.chain
        for org, role in ROLES.items():
            register_member(chain, org, seeded.accounts[org].address, [role], runtime.operator)
            issued = runtime.identity.create_client(org)
            seeded.clients[org] = (issued.client_id, issued.secret)
        steel, leader = seeded.accounts["steel"], seeded.accounts["leader"]
        for account, payload in (
            (steel, payload_for("steel", steel.address, COIL, "hot-rolled coil")),
            (leader, part_payload(leader.address)),
        ):
            envelope = sign_declaration(
                payload, domain=chain.signing_domain, private_key=account.key, declarant=account.address
            )
            result = runtime.ingest.submit(json.dumps(envelope))
            assert result.id is not None, result.error
            seeded.declarations[payload["productIds"][0]] = result.id
        runtime.anchoring.run_once(flush=True)
        coil = seeded.declarations[COIL]
        today = datetime.now(UTC).date()
        window = ((today - timedelta(days=1)).isoformat(), (today + timedelta(days=365)).isoformat())
        with runtime.sessions() as session:
            attest(
                session,
                chain,
                coil,
                result=AttestationResult.VERIFIED,
                assurance=Assurance.REASONABLE,
                report=b"ISO 14067 verification of the coil",
                sender=seeded.accounts["audit"],
            )
            for serial in (VALID_SERIAL, REVOKED_SERIAL):
                issue_label(session, chain, LabelIssue(serial, coil, "A", *window), seeded.accounts["cert"])
        change_label(chain, REVOKED_SERIAL, "revoke", Reason.MISSTATEMENT, seeded.accounts["cert"])
    return seeded


def copy_of_seeded(seeded: Seeded, into: Path) -> Path:
    """A private copy of the seeded workspace (chain, database, keys)."""
    home = into / "home"
    shutil.copytree(seeded.home, home)
    return home


@pytest.fixture(scope="session")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Seeded:
    """The seeded workspace (built once per session; never written by tests)."""
    return seed(tmp_path_factory.mktemp("web-seed") / "home")


@pytest.fixture(scope="session")
def web_runtime(seeded: Seeded, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runtime]:
    """One runtime over a copy of the seeded workspace for the session."""
    with open_runtime(web_settings(copy_of_seeded(seeded, tmp_path_factory.mktemp("web-shared")))) as runtime:
        yield runtime


@pytest.fixture
def web_client(web_runtime: Runtime) -> Iterator[TestClient]:
    """A test client of a new app over the session's runtime (follows no redirects)."""
    app = create_app(web_runtime.settings, runtime=web_runtime)
    with TestClient(app, base_url="https://tanji.test", follow_redirects=False) as client:
        yield client


CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    """The CSRF token of the first form of a page."""
    found = CSRF_INPUT.search(html)
    assert found, "the page has no CSRF field"
    return found.group(1)


@pytest.fixture
def sign_in(seeded: Seeded) -> Callable[[TestClient, str], None]:
    """(client, org) -> signs `client` in as `org` through the client-credential form."""

    def signing_in(client: TestClient, org: str) -> None:
        token = csrf_of(client.get("/sign-in").text)
        client_id, secret = seeded.clients[org]
        answer = client.post(
            "/sign-in/client", data={"csrf_token": token, "client_id": client_id, "client_secret": secret, "next": "/"}
        )
        assert answer.status_code == 303, answer.text

    return signing_in
