"""The demo's seeding steps: use case calls, each transaction signed with the acting organization's own wallet.

`Demo` holds the open ledger, the plan, the wallets and what has been recorded; each step function adds one part
of the story (here: organizations, factors, declarations, drafts, the correction; `trust_steps`, `request_steps`
and `review_steps` hold the rest), so a new part is one more function in `api.demo.run.ALL_STEPS`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from api.compose import Ledger
from api.demo.engine_values import with_engine_values
from api.demo.plan import DemoPlan, ProductPlan, activity_payload
from ledger.declarations.envelope import sign_declaration
from ledger.errors import ConflictError
from ledger.graph.model import EmissionFactor
from ledger.service.supply_chain import load_declared_products

FACTOR_SET = "battery-demo"
DEMO_PASSWORD = "tanji-demo-password"  # demo wallets only; real wallets use $TANJI_WALLET_PASSWORD or a prompt
DEMO_SCRYPT_COST = 2**12  # scrypt n of the demo keystores (tanji wallet new uses eth-account's default, 2**18)


@dataclass
class Demo:
    """The open ledger, the plan and what the seeding has recorded so far."""

    ledger: Ledger
    plan: DemoPlan
    wallets: dict[str, Any] = field(default_factory=dict)  # org -> LocalAccount (loaded once)
    factors: list[EmissionFactor] = field(default_factory=list)
    factors_name: str = ""
    dataset_hash: str = ""
    warnings: list[str] = field(default_factory=list)
    declarations: list[dict[str, Any]] = field(default_factory=list)  # id, product, org, kind, expected
    attestations: list[dict[str, Any]] = field(default_factory=list)
    assignments: list[dict[str, Any]] = field(default_factory=list)
    labels: list[dict[str, Any]] = field(default_factory=list)
    disclosures: list[dict[str, Any]] = field(default_factory=list)
    claims: list[dict[str, Any]] = field(default_factory=list)
    requests: list[dict[str, Any]] = field(default_factory=list)
    flags: list[dict[str, Any]] = field(default_factory=list)
    clients: list[dict[str, str]] = field(default_factory=list)

    def current(self, product_id: str) -> dict[str, Any]:
        """The newest recorded declaration of `product_id` that is not revoked."""
        return next(d for d in reversed(self.declarations) if d["product"] == product_id and d["kind"] != "mistake")

    def submit(self, payload: dict[str, Any], kind: str, supersedes: dict[str, Any] | None = None) -> dict[str, Any]:
        """Sign `payload` with its declarant's wallet (consenting to supersede `supersedes`) and ingest it."""
        org = payload["extensions"][0]["data"]["declarant"]["org"]
        wallet = self.wallets[org]
        consent = None
        if supersedes is not None:
            consent = [bytes.fromhex(supersedes["digest"][2:])]
            if supersedes["id"] not in payload.get("precedingPfIds", []):
                payload["precedingPfIds"] = [*payload.get("precedingPfIds", []), supersedes["id"]]
        envelope = sign_declaration(
            payload,
            domain=self.ledger.chain.signing_domain,
            private_key=wallet.key,
            declarant=wallet.address,
            supersedes=consent,
        )
        result = self.ledger.ingest.submit(json.dumps(envelope))
        if result.id is None or result.status == "rejected":
            raise ConflictError(
                f"the ledger refused the demo's {kind} declaration of {payload['productIds'][0]}: {result.error}; "
                "run the demo on a fresh home"
            )
        if supersedes is not None:
            supersedes["expected"] = "superseded"
        record = {"id": result.id, "digest": result.digest, "product": payload["productIds"][0], "org": org}
        record |= {"kind": kind, "expected": "valid", "pcf": payload["pcf"]["pcfExcludingBiogenicUptake"]}
        self.declarations.append(record)
        return record

    def anchor(self) -> None:
        """Anchor everything pending in one batch and relay the supersession consents."""
        self.ledger.anchoring.run_once(flush=True)

    def activity(self, products: list[ProductPlan], inputs: dict[str, str] | None = None) -> list[dict[str, Any]]:
        """Unsigned activity declarations of `products`, their pcf solved by the engine over the anchored chain."""
        payloads = [
            activity_payload(
                self.plan, p, declarant=self.wallets[p.org].address, dataset_hash=self.dataset_hash, inputs=inputs
            )
            for p in products
        ]
        with self.ledger.sessions() as session:
            anchored = load_declared_products(session, self.ledger.keyring, self.ledger.chain)
        return with_engine_values(payloads, anchored, self.factors, self.factors_name)

    def draft(self, product_id: str) -> dict[str, Any]:
        """The roll-up use case's draft footprint of `product_id` (provenance, pinned inputs)."""
        from ledger.service.rollup import RollupRequest, rollup_product

        request = RollupRequest(product_id, self.factors, factors_name=self.factors_name, draft=True)
        with self.ledger.sessions() as session:
            outcome = rollup_product(session, self.ledger.keyring, self.ledger.chain, request)
        assert outcome.draft is not None
        return outcome.draft


Step = Callable[[Demo], str]


def organizations(demo: Demo) -> str:
    """A wallet per organization, registered on chain with its roles by the operator."""
    from ledger.service.members import register_member

    directory = demo.ledger.home / "wallets"
    require_fresh(demo, directory)
    for organization in demo.plan.organizations:
        wallet = demo_wallet(directory, organization.org)
        demo.wallets[organization.org] = wallet
        register_member(
            demo.ledger.chain, organization.org, wallet.address, list(organization.roles), demo.ledger.operator
        )
    return f"{len(demo.plan.organizations)} organizations registered, each with its own wallet"


def require_fresh(demo: Demo, directory: Path) -> None:
    """Refuse, before anything is written, a home where a demo organization or wallet exists already."""
    for organization in demo.plan.organizations:
        if (directory / f"{organization.org}.json").exists() or demo.ledger.chain.member(organization.org) is not None:
            raise ConflictError(
                f"organization {organization.org!r} of the demo already has a wallet or is registered in "
                f"{demo.ledger.home}; run the demo on a fresh home (`tanji --home NEW_DIR demo`)"
            )


def demo_wallet(directory: Path, name: str) -> Any:
    """A new key stored as `tanji wallet new` stores it (a 0600 keystore, `tanji ... --wallet NAME` opens it with
    DEMO_PASSWORD), but with a light scrypt cost: its password is printed in the docs, so a costly KDF would only
    slow the demo down (16 wallets: ~1 s instead of ~30 s)."""
    from eth_account import Account

    account = Account.create()
    keystore = Account.encrypt(account.key, DEMO_PASSWORD, iterations=DEMO_SCRYPT_COST)
    directory.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(directory / f"{name}.json", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        json.dump(keystore, handle)
    return account


def factor_dataset(demo: Demo) -> str:
    """Import and anchor the shipped factor dataset; bind electricity and fuel inputs to its factors."""
    from ledger.factors.shipped import load_shipped_dataset
    from ledger.service.factor_datasets import anchor_dataset, import_dataset, rollup_factors

    with demo.ledger.sessions() as session:
        stored = import_dataset(session, load_shipped_dataset())
        anchor_dataset(session, demo.ledger.chain, stored.ref)
        found = rollup_factors(session, demo.plan.factor_dataset, bindings=demo.plan.bindings, accept_co2_only=True)
    demo.factors, demo.factors_name, demo.dataset_hash = found.factors, found.name, stored.dataset_hash
    demo.warnings += found.warnings
    _write_factor_set(demo)
    return f"factor dataset {stored.ref} imported and anchored; {len(found.factors)} grid and fuel factors bound"


def _write_factor_set(demo: Demo) -> None:
    """The bound factors as a factor set the server holds, for roll-ups over HTTP (``?factors=battery-demo``)."""
    name, _, version = demo.plan.factor_dataset.partition("@")
    factors = [
        {
            "id": f.id,
            "productId": f.product_id,
            "unit": f.unit,
            "values": {component: str(value) for component, value in f.values.items()},
            "dqr": {key: str(value) for key, value in f.dqr.items()},
        }
        for f in demo.factors
    ]
    folder = demo.ledger.home / "factors"
    folder.mkdir(parents=True, exist_ok=True)
    document = {"name": f"{name} (battery demo bindings)", "version": version, "factors": factors}
    (folder / f"{FACTOR_SET}.json").write_text(json.dumps(document, indent=2), encoding="utf-8")


def activity_declarations(demo: Demo) -> str:
    """Every supplier declares its activity data; the engine solves the whole chain (the recycling loop too)."""
    for payload in demo.activity(demo.plan.products):
        demo.submit(payload, "activity")
    demo.anchor()
    return f"{len(demo.plan.products)} activity declarations signed by their organizations and anchored"


def computed_footprints(demo: Demo) -> str:
    """Upstream first, each organization signs the roll-up's draft of its product, superseding its first version;
    the graphite maker's correction happens once its draft is anchored."""
    pending: set[str] = set()
    for product in demo.plan.products:
        if pending & set(product.inputs):
            demo.anchor()
            pending.clear()
        demo.submit(demo.draft(product.product_id), "computed", supersedes=demo.current(product.product_id))
        pending.add(product.product_id)
        if product.product_id == demo.plan.correction.product_id:
            demo.anchor()
            pending.clear()
            correction(demo, product)
    demo.anchor()
    return f"{len(demo.plan.products)} computed footprints signed (roll-up drafts with provenance) and anchored"


def correction(demo: Demo, product: ProductPlan) -> None:
    """A version with a mistaken input, revoked on chain with a reason, and its corrected successor."""
    from ledger.codes import Reason
    from ledger.service.declaration_actions import revoke

    fixed = demo.plan.correction
    previous = demo.current(product.product_id)
    mistaken = demo.activity([product], inputs={**product.inputs, **fixed.mistake})[0]
    record = demo.submit(mistaken, "mistake", supersedes=previous)
    demo.anchor()
    with demo.ledger.sessions() as session:
        revoke(session, demo.ledger.chain, record["id"], Reason.DATA_ERROR, demo.wallets[product.org])
    record["expected"], record["reason"] = "revoked", fixed.reason
    corrected = demo.activity([product])[0]
    corrected["precedingPfIds"] = [record["id"]]
    corrected["comment"] = f"Corrects {record['id']}: {fixed.reason}"
    demo.submit(corrected, "correction")
    demo.anchor()
    demo.submit(demo.draft(product.product_id), "computed", supersedes=demo.current(product.product_id))
    demo.anchor()


STEPS: list[Step] = [organizations, factor_dataset, activity_declarations, computed_footprints]
