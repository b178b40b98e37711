"""A consortium for the native API tests (tests/http/v1/test_v1_*.py), built once per session over the prepared
workspace (tests/http/conftest.py).

Organizations: acme and rival (suppliers), leader (chain-leader), audit (auditor), cert (certifier), reg (regulator),
bank (no role: a customer or lender), operator (admin, the deploying organization) and the public (no token).
Declarations: acme's `own` (granted to leader in full, to bank as a disclosure of one field) and rival's `other`
(no grants), both anchored. Helpers reach tests as fixtures: `v1_sign_tx` signs a contract call with a member key.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from eth_account import Account
from factories import make_payload
from fastapi.testclient import TestClient
from web3 import Web3

from api.compose import open_runtime
from api.http.app import create_app
from api.http.runtime import Runtime
from api.settings import Settings
from chain_tools.artifacts import load_artifact
from ledger.declarations.envelope import sign_declaration
from ledger.service.grants import grant
from ledger.service.members import register_member

PUBLIC_URL = "https://tanji.test"
DISCLOSED_FIELD = "/pcf/pcfExcludingBiogenicUptake"
ROLE_ORGS = {
    "supplier": "acme",
    "other-supplier": "rival",
    "chain-leader": "leader",
    "auditor": "audit",
    "certifier": "cert",
    "regulator": "reg",
    "bank": "bank",
    "operator": "operator",
    "public": None,
}


@dataclass
class V1World:
    """The consortium: runtime, members' keys, the two declarations and their envelopes, tokens per org."""

    runtime: Runtime
    keys: dict[str, Any]
    own: str  # acme's declaration id
    other: str  # rival's declaration id
    envelopes: dict[str, dict[str, Any]]
    product: str
    tokens: dict[str, str] = field(default_factory=dict)

    def client(self) -> TestClient:
        """A test client over a new app (fresh rate limits)."""
        return TestClient(create_app(self.runtime.settings, runtime=self.runtime), base_url=PUBLIC_URL)

    def headers(self, org: str | None) -> dict[str, str]:
        """Bearer headers of `org` (a client-credentials token, made once), or none for the public."""
        if org is None:
            return {}
        if org not in self.tokens:
            self.tokens[org] = self.runtime.identity.issue_token(
                org=org, method="client_credentials", subject=org
            ).token
        return {"Authorization": f"Bearer {self.tokens[org]}"}

    def sign(self, org: str, product: str, *, preceding: list[str] | None = None) -> dict[str, Any]:
        """An envelope of a new declaration of `product` signed by `org`'s key (not submitted)."""
        account = self.keys[org]
        payload = make_payload(account.address, org=org, product=product, preceding=preceding)
        domain = self.runtime.chain.signing_domain
        return sign_declaration(payload, domain=domain, private_key=account.key, declarant=account.address)

    def submit_and_anchor(self, envelope: dict[str, Any]) -> str:
        """Ingest and anchor `envelope` directly (no HTTP); its id."""
        result = self.runtime.ingest.submit(json.dumps(envelope))
        assert result.status in ("pending", "anchored"), result
        self.runtime.anchoring.run_once(flush=True)
        assert result.id is not None
        return result.id


def signed_transaction(world: V1World, account: Any, contract: str, function: str, args: list[Any], **tx: Any) -> str:
    """A transaction calling `function` of the deployment's `contract` (ledger, attestations, labels), signed by
    `account` with the server's parameters; 0x-hex. `tx` overrides fields (chainId, nonce, to ...)."""
    anchors = world.runtime.chain.trust_anchors
    artifact = {"ledger": "TanjiLedger", "attestations": "TanjiAttestations", "labels": "TanjiLabels"}[contract]
    target = Web3().eth.contract(abi=load_artifact(artifact)["abi"])
    params = world.runtime.chain.transaction_params(account.address)
    fields: dict[str, Any] = {
        "to": getattr(anchors, contract),
        "data": target.encode_abi(function, args=args),
        "value": 0,
        "nonce": params.nonce,
        "gas": params.gas_limit,
        "chainId": params.chain_id,
        **params.fees,
        **tx,
    }
    return str(Account.sign_transaction(fields, account.key).raw_transaction.to_0x_hex())


@pytest.fixture(scope="session")
def v1_world(prepared_workspace: tuple[Path, Any], tmp_path_factory: pytest.TempPathFactory) -> Iterator[V1World]:
    """The consortium above, over a private copy of the prepared workspace."""
    import shutil

    home = tmp_path_factory.mktemp("v1") / "home"
    shutil.copytree(prepared_workspace[0], home)
    members = prepared_workspace[1]
    keys: dict[str, Any] = {"acme": members.acme, "leader": members.leader, "audit": members.audit}
    settings = Settings(
        home=home, public_url=PUBLIC_URL, anchor_loop=False, rate_limit_per_minute=100_000, principal_cache_seconds=60
    )
    with open_runtime(settings) as runtime:
        for org, role in (("rival", ["supplier"]), ("cert", ["certifier"]), ("reg", ["regulator"]), ("bank", [])):
            keys[org] = Account.create()
            register_member(runtime.chain, org, keys[org].address, role, runtime.operator)
        world = V1World(runtime, keys, "", "", {}, "urn:tanji:acme:coil")
        world.envelopes["own"] = world.sign("acme", world.product)
        world.envelopes["other"] = world.sign("rival", "urn:tanji:rival:plate")
        world.own = world.submit_and_anchor(world.envelopes["own"])
        world.other = world.submit_and_anchor(world.envelopes["other"])
        with runtime.sessions() as session:
            grant(session, runtime.store.keyring, world.own, recipient="leader", by="acme")
            grant(session, runtime.store.keyring, world.own, recipient="bank", by="acme", fields=[DISCLOSED_FIELD])
        yield world


@pytest.fixture
def v1_client(v1_world: V1World) -> Iterator[TestClient]:
    """A test client over the consortium."""
    with v1_world.client() as client:
        yield client


@pytest.fixture
def v1_headers(v1_world: V1World) -> Callable[[str | None], dict[str, str]]:
    """org (None: the public) -> its Authorization header."""
    return v1_world.headers


@pytest.fixture
def v1_sign_tx(v1_world: V1World) -> Callable[..., str]:
    """(account, contract, function, args, **tx) -> a signed transaction for the relay, 0x-hex."""
    return lambda account, contract, function, args, **tx: signed_transaction(
        v1_world, account, contract, function, args, **tx
    )
