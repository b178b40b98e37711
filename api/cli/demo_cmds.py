"""`tanji demo`: the embedded default end to end.

init → register a supplier, a regulator and a chain leader → the supplier signs six PACT v3 declarations with
its own wallet → ingest → one Merkle batch anchored → the supplier revokes one with its own key → a selective
disclosure for a bank → the chain leader rolls up its product from the supplier's declarations and secondary
factors, signs the computed footprint and has it anchored → audit → statuses. `--verify-only` re-verifies
everything from a fresh process.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

from api.cli.common import settings_of

if TYPE_CHECKING:
    from api.settings import Settings

DEMO_PASSWORD = "tanji-demo-password"  # demo wallets only; real wallets use $TANJI_WALLET_PASSWORD or a prompt
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
EXAMPLE = EXAMPLES / "declarations" / "hot-rolled-coil.json"
FACTORS = EXAMPLES / "factors" / "sample-secondary-factors.json"
PRODUCTS = [
    ("hot-rolled-coil", "2.08"),
    ("cold-rolled-sheet", "2.31"),
    ("galvanised-sheet", "2.46"),
    ("rebar", "1.87"),
    ("wire-rod", "1.95"),
    ("billet", "1.79"),
]


def register(commands: Any, parent: argparse.ArgumentParser) -> None:
    """Add the demo command."""
    demo = commands.add_parser("demo", parents=[parent], help="run the embedded default end to end")
    demo.add_argument("--verify-only", action="store_true", help="re-verify the demo declarations in a fresh process")
    demo.set_defaults(handler=cmd_demo)


def cmd_demo(args: argparse.Namespace) -> int:
    """Run or re-verify the demo."""
    from api.compose import workspace
    from chain_tools.workspace import initialise

    settings = settings_of(args)
    home = settings.home
    state_path = home / "demo" / "state.json"
    if args.verify_only:
        return _verify(settings, json.loads(state_path.read_text(encoding="utf-8")))
    if not workspace(settings).config_path.exists():
        config = initialise(home, operator_password=settings.operator_secret())
        print(
            f"[1] workspace {home}: embedded chain id {config.deployment.chain_id}, ledger {config.deployment.ledger}"
        )
    state = _declare_and_anchor(settings)
    state_path.parent.mkdir(parents=True, exist_ok=True)
    state_path.write_text(json.dumps(state, indent=2), encoding="utf-8")
    return _verify(settings, state)


def _payloads(org: str, address: str) -> list[dict[str, Any]]:
    template = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    payloads = []
    for product, pcf in PRODUCTS:
        payload = copy.deepcopy(template)
        payload["id"] = str(uuid.uuid4())
        payload["productIds"] = [f"urn:tanji:{org}:{product}"]
        payload["productNameCompany"] = product
        for key in ("pcfExcludingBiogenicUptake", "pcfIncludingBiogenicUptake", "fossilGhgEmissions"):
            payload["pcf"][key] = pcf
        payload["extensions"][0]["data"]["declarant"] = {"org": org, "address": address}
        payloads.append(payload)
    return payloads


def _declare_and_anchor(settings: Settings) -> dict[str, Any]:
    from api.compose import open_ledger
    from ledger.codes import Reason
    from ledger.declarations.envelope import sign_declaration
    from ledger.service.declaration_actions import revoke
    from ledger.service.members import register_member
    from ledger.wallets import create_wallet, load_wallet

    home = settings.home
    wallets = home / "wallets"
    suffix = os.urandom(3).hex()  # each demo run registers fresh organizations
    org, regulator_org = f"acme-steel-{suffix}", f"cn-regulator-{suffix}"
    supplier_info = create_wallet(wallets, org, DEMO_PASSWORD)
    create_wallet(wallets, regulator_org, DEMO_PASSWORD)
    with open_ledger(settings, batch_size=1000, max_age=3600) as ledger:
        chain, operator = ledger.chain, ledger.operator
        regulator = load_wallet(wallets, regulator_org, DEMO_PASSWORD)
        register_member(chain, org, supplier_info.address, ["supplier"], operator)
        register_member(chain, regulator_org, regulator.address, ["regulator"], operator)
        print(f"[2] registered {org} (supplier, key {supplier_info.address}) and {regulator_org} (regulator)")
        supplier = load_wallet(wallets, org, DEMO_PASSWORD)  # the supplier's key stays in its local wallet
        envelopes = [
            json.dumps(
                sign_declaration(p, domain=chain.signing_domain, private_key=supplier.key, declarant=supplier.address)
            )
            for p in _payloads(org, supplier.address)
        ]
        print(f"[3] {org} signed {len(envelopes)} PACT v3 declarations (EIP-712) with its own wallet")
        results = ledger.ingest.submit_many(envelopes)
        print(f"[4] ingested: {', '.join(r.status for r in results)}")
        report = ledger.anchoring.run_once(flush=True)
        print(f"[5] anchored {report.anchored_declarations} declarations in {report.anchored_batches} Merkle batch")
        revoked = results[2]
        assert revoked.id is not None
        with ledger.sessions() as session:
            revoke(session, chain, revoked.id, Reason.DATA_ERROR, supplier)
        print(f"[6] {org} revoked {PRODUCTS[2][0]} ({revoked.id}) on chain with its own key (reason 1: data error)")
    bundle = home / "demo" / "bank-disclosure.json"
    assert results[0].id is not None
    _disclose(settings, results[0].id, bundle)
    print(f"[7] selective disclosure of {PRODUCTS[0][0]} for a bank (product, unit, PCF only): {bundle}")
    part = _chain_leader(settings, org, suffix)
    return {
        "part": part,
        "declarations": [{"product": product, "id": r.id} for (product, _), r in zip(PRODUCTS, results, strict=True)],
        "disclosure": str(bundle),
    }


def _chain_leader(settings: Settings, supplier_org: str, suffix: str) -> str:
    """The chain leader declares its part (2 kg of the supplier's coil), rolls it up, signs and anchors the result."""
    from api.compose import open_ledger
    from ledger.declarations.envelope import sign_declaration
    from ledger.graph.factors import load_factor_database
    from ledger.service.audit import audit
    from ledger.service.members import register_member
    from ledger.service.rollup import RollupRequest, rollup_product
    from ledger.wallets import create_wallet, load_wallet

    home = settings.home

    leader_org, part = f"leader-{suffix}", f"urn:tanji:leader-{suffix}:gearbox-housing"
    create_wallet(home / "wallets", leader_org, DEMO_PASSWORD)
    leader = load_wallet(home / "wallets", leader_org, DEMO_PASSWORD)
    payload = _payloads(leader_org, leader.address)[0]
    payload["productIds"], payload["productNameCompany"] = [part], "gearbox housing"
    payload["pcf"]["declaredUnitOfMeasurement"] = "piece"
    data = payload["extensions"][0]["data"]
    data["billOfMaterials"] = [
        {"productId": f"urn:tanji:{supplier_org}:hot-rolled-coil", "quantity": "2.4", "unit": "kilogram"}
    ]
    data["directEmissions"] = [{"source": "machining and painting", "component": "fossil", "amount": "1.1"}]
    factors = load_factor_database(FACTORS)[0]
    with open_ledger(settings, batch_size=1000, max_age=3600) as ledger:
        domain = ledger.chain.signing_domain
        register_member(ledger.chain, leader_org, leader.address, ["chain-leader"], ledger.operator)
        ledger.ingest.submit(
            json.dumps(sign_declaration(payload, domain=domain, private_key=leader.key, declarant=leader.address))
        )
        ledger.anchoring.run_once(flush=True)
        request = RollupRequest(part, factors, factors_name=FACTORS.name, draft=True)
        with ledger.sessions() as session:
            outcome = rollup_product(session, ledger.keyring, ledger.chain, request)
        found, draft = outcome.report, outcome.draft
        assert draft is not None
        print(
            f"[8] chain leader {leader_org} rolled up {part}: {found.pcf_excluding_biogenic_uptake:.4f} kgCO2e/piece "
            f"over {len(found.by_tier)} tiers, primary data {found.primary_data_share:.1f} %, verified "
            f"{found.verified_share:.1f} %, secondary sources "
            f"{', '.join(s['name'][:24] for s in found.secondary_sources)}"
        )
        ledger.ingest.submit(
            json.dumps(sign_declaration(draft, domain=domain, private_key=leader.key, declarant=leader.address))
        )
        ledger.anchoring.run_once(flush=True)
        with ledger.sessions() as session:
            checked = audit(session, ledger.keyring, ledger.chain, part, factors)
        print(
            f"[9] signed and anchored the computed footprint; audit {'PASSED' if checked.passed else 'FAILED'}: "
            f"{checked.inputs_verified} input declaration(s) verified, residual {checked.residual:.1e}"
        )
    return part


def _disclose(settings: Settings, declaration_id: str, path: Path) -> None:
    from api.compose import open_store, trust_anchors
    from ledger.service.bundle import export_proof

    store = open_store(settings)
    reveal = ["productIds", "declaredUnitOfMeasurement", "pcfExcludingBiogenicUptake"]
    with store.sessions() as session:
        _, bundle = export_proof(session, store.keyring, declaration_id, trust_anchors(settings), reveal=reveal)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(bundle, indent=2, ensure_ascii=False), encoding="utf-8")


def _verify(settings: Settings, state: dict[str, Any]) -> int:
    from api.compose import open_ledger, verifier_chain
    from ledger.service.bundle import verify_bundle
    from ledger.service.verify_stored import verify_stored

    print(f"[10] verifying in process {os.getpid()} against the persisted embedded chain:")
    unexpected = 0
    with open_ledger(settings) as ledger, ledger.sessions() as session:
        for item in state["declarations"]:
            report = verify_stored(session, ledger.keyring, ledger.chain, item["id"])
            assert report is not None
            failure = report.first_failure
            verdict = "VALID" if report.valid else f"INVALID at {failure.name}: {failure.detail}" if failure else "?"
            print(f"    {item['product']:<18} {verdict}")
            unexpected += (not report.valid) != (item["product"] == PRODUCTS[2][0])
    bundle = json.loads(Path(state["disclosure"]).read_text(encoding="utf-8"))
    with verifier_chain(settings) as (chain, anchors):
        report = verify_bundle(bundle, chain, anchors)
    revealed = ", ".join(f"{k}={json.dumps(v)}" for k, v in report.info.get("revealed", {}).items())
    print(f"    bank disclosure    {'VALID' if report.valid else 'INVALID'}: {revealed}")
    unexpected += not report.valid
    if "part" in state:
        from ledger.graph.factors import load_factor_database
        from ledger.service.audit import audit

        with open_ledger(settings) as ledger, ledger.sessions() as session:
            checked = audit(session, ledger.keyring, ledger.chain, state["part"], load_factor_database(FACTORS)[0])
        print(f"    audit of {state['part']}: {'PASSED' if checked.passed else 'FAILED'}")
        unexpected += not checked.passed
    return 1 if unexpected else 0
