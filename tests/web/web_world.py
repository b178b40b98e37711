"""The seeded workspace of the page tests (see tests/web/conftest.py) and small helpers shared by the test modules.

Imported as `web_world` (tests/web/conftest.py puts this folder on the path).
"""

from __future__ import annotations

import copy
import json
import re
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from api.compose import open_runtime
from api.settings import Settings
from ledger.codes import Assurance, AttestationResult, Reason
from ledger.declarations.envelope import sign_declaration
from ledger.service.attestation import attest
from ledger.service.labels import LabelIssue, change_label, issue_label
from ledger.service.members import register_member
from ledger.wallets import create_wallet, load_wallet

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "declarations" / "hot-rolled-coil.json"
ROLES = {"steel": "supplier", "leader": "chain-leader", "audit": "auditor", "cert": "certifier"}
COIL = "urn:tanji:steel:hot-rolled-coil"
PART = "urn:tanji:leader:gearbox-housing"
VALID_SERIAL = "TJ-2026-VALID-001"
REVOKED_SERIAL = "TJ-2026-REVOKED-002"
WALLET_PASSWORD = "web-test-wallets"


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
    wallets = home / "wallets"
    for org in ROLES:  # each organization's key is a local wallet, as `tanji wallet new` makes it
        create_wallet(wallets, org, WALLET_PASSWORD)
    seeded = Seeded(home, {org: load_wallet(wallets, org, WALLET_PASSWORD) for org in ROLES})
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
            for number, serial in enumerate((VALID_SERIAL, REVOKED_SERIAL), start=1):
                request = LabelIssue(serial, coil, *window, filing_number=f"ZJ-TBS-2026-00000{number}")
                issue_label(session, runtime.store.keyring, chain, request, seeded.accounts["cert"])
        change_label(chain, REVOKED_SERIAL, "revoke", Reason.MISSTATEMENT, seeded.accounts["cert"])
    return seeded


CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    """The CSRF token of the first form of a page."""
    found = CSRF_INPUT.search(html)
    assert found, "the page has no CSRF field"
    return found.group(1)
