"""Test factories: chains, deployed Tanji with members, valid PACT v3 payloads and signed envelopes."""

from __future__ import annotations

import copy
import json
import os
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eth_account import Account

from ledger.declarations.envelope import sign_declaration
from ledger.signing import SigningDomain

SHARED_PACT = Path(
    os.environ.get("TANJI_PACT_DIR") or Path(__file__).resolve().parents[2] / "shared" / "anchors" / "pact"
)
EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "declarations" / "hot-rolled-coil.json"


@dataclass
class Chain:
    """A chain under test: gateway plus a funded operator."""

    kind: str
    gateway: Any
    operator: Any

    def fund(self, address: str, wei: int = 10**18) -> None:
        """Give `address` gas money from the operator."""
        self.gateway.transfer(address, wei, sender=self.operator)


@dataclass
class Tanji:
    """A deployed Tanji with registered members (each with a funded key)."""

    chain: Chain
    client: Any
    supplier: Any
    auditor: Any
    certifier: Any
    regulator: Any
    outsider: Any


MEMBER_NAMES = ("supplier", "auditor", "certifier", "regulator", "outsider")


def deploy_with_members(chain: Chain) -> Tanji:
    """Deploy contracts and register supplier 'acme', auditor 'audit', certifier 'cert', regulator 'reg'."""
    from chain_tools.deploy import deploy_tanji
    from chain_tools.tanji_chain import TanjiChain

    client = TanjiChain(chain.gateway, deploy_tanji(chain.gateway, operator=chain.operator))
    accounts = {name: Account.create() for name in MEMBER_NAMES}
    for org, name, role in (
        ("acme", "supplier", "supplier"),
        ("audit", "auditor", "auditor"),
        ("cert", "certifier", "certifier"),
        ("reg", "regulator", "regulator"),
    ):
        client.register_member(org, accounts[name].address, [role], sender=chain.operator)
    for account in accounts.values():
        chain.fund(account.address)
    return Tanji(chain=chain, client=client, **accounts)


@dataclass(frozen=True)
class PreparedTanji:
    """What a chain holding a :func:`deploy_with_members` deployment needs to be reached again: the
    deployment, its operator and the member keys (the chain state itself is copied or snapshotted)."""

    deployment: Any
    operator: Any
    members: dict[str, Any]

    @classmethod
    def of(cls, tanji: Tanji) -> PreparedTanji:
        """Remember `tanji`'s deployment, operator and members."""
        return cls(tanji.client.deployment, tanji.chain.operator, {name: getattr(tanji, name) for name in MEMBER_NAMES})

    @property
    def signing_domain(self) -> SigningDomain:
        """The EIP-712 domain declarants sign under for this deployment."""
        return SigningDomain(chain_id=self.deployment.chain_id, verifying_contract=self.deployment.ledger)

    def attach(self, kind: str, gateway: Any) -> Tanji:
        """The prepared deployment reached through `gateway` (a fresh one per test: its nonce cache is empty)."""
        from chain_tools.tanji_chain import TanjiChain

        chain = Chain(kind, gateway, self.operator)
        return Tanji(chain=chain, client=TanjiChain(gateway, self.deployment), **self.members)


def make_payload(
    declarant: str,
    *,
    org: str = "acme",
    product: str | None = None,
    preceding: list[str] | None = None,
    pcf: str = "2.08",
    bom: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A valid PACT v3 ProductFootprint with a Tanji extension naming `declarant` of `org` (product: by default the
    example's product in `org`'s own urn:tanji namespace, which only `org` may declare)."""
    payload: dict[str, Any] = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    payload = copy.deepcopy(payload)
    payload["id"] = str(uuid.uuid4())
    payload["productIds"] = [product or f"urn:tanji:{org}:hot-rolled-coil"]
    if preceding:
        payload["precedingPfIds"] = preceding
    payload["pcf"]["pcfExcludingBiogenicUptake"] = pcf
    payload["pcf"]["pcfIncludingBiogenicUptake"] = pcf
    payload["pcf"]["fossilGhgEmissions"] = pcf
    data = payload["extensions"][0]["data"]
    data["declarant"] = {"org": org, "address": declarant}
    if bom is not None:
        data["billOfMaterials"] = bom
    return payload


def pact_examples(valid: bool = True) -> list[tuple[str, dict[str, Any]]]:
    """The ProductFootprints in the PACT v3 spec examples (name, footprint)."""
    found = []
    examples = SHARED_PACT / "spec-v3" / "examples"
    if not examples.is_dir():
        raise FileNotFoundError(
            f"PACT v3 examples missing at {examples}: ../shared/anchors/pact must sit beside the "
            "repository (or set TANJI_PACT_DIR)"
        )
    for path in sorted(examples.glob("*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        if path.name.startswith("error-") or path.name.startswith("pf-response-event"):
            continue
        if path.name.startswith("invalid") == valid:
            continue
        data = document.get("data", document)
        for index, item in enumerate(data if isinstance(data, list) else [data]):
            found.append((f"{path.stem}[{index}]", item))
    return found


def new_account() -> Any:
    """A fresh local account."""
    return Account.create()


def signed(
    env: Any,
    account: Any = None,
    *,
    payload: dict[str, Any] | None = None,
    nonce: int | None = None,
    domain: SigningDomain | None = None,
    org: str = "acme",
    supersedes: list[str] | None = None,
) -> str:
    """A signed envelope (JSON) of `payload` (default: a fresh one) by `account` (default: the supplier), with
    supersession consents for the digests in `supersedes`."""
    account = account or env.tanji.supplier
    payload = payload or make_payload(account.address, org=org)
    envelope = sign_declaration(
        payload,
        domain=domain or env.chain.signing_domain,
        private_key=account.key,
        declarant=account.address,
        nonce=nonce,
        supersedes=[bytes.fromhex(d[2:]) for d in supersedes or []],
    )
    return json.dumps(envelope)
