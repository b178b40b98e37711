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
from typing import Any

from api.cli.common import home_of

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
    from chain_tools.workspace import Workspace, initialise

    home = home_of(args)
    state_path = home / "demo" / "state.json"
    if args.verify_only:
        return _verify(home, json.loads(state_path.read_text(encoding="utf-8")))
    if not Workspace(home).config_path.exists():
        config = initialise(home)
        print(
            f"[1] workspace {home}: embedded chain id {config.deployment.chain_id}, ledger {config.deployment.ledger}"
        )
    state = _declare_and_anchor(home)
    state_path.parent.mkdir(parents=True, exist_ok=True)
    state_path.write_text(json.dumps(state, indent=2), encoding="utf-8")
    return _verify(home, state)


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


def _declare_and_anchor(home: Path) -> dict[str, Any]:
    from api.cli.chain_cmds import fund_if_dev
    from api.runtime import open_ledger
    from ledger.declarations.envelope import sign_declaration
    from ledger.wallets import create_wallet, load_wallet

    wallets = home / "wallets"
    suffix = os.urandom(3).hex()  # each demo run registers fresh organizations
    org, regulator_org = f"acme-steel-{suffix}", f"cn-regulator-{suffix}"
    supplier_info = create_wallet(wallets, org, DEMO_PASSWORD)
    create_wallet(wallets, regulator_org, DEMO_PASSWORD)
    with open_ledger(home, batch_size=1000, max_age=3600) as ledger:
        tanji, operator = ledger.chain.tanji, ledger.chain.anchorer
        regulator = load_wallet(wallets, regulator_org, DEMO_PASSWORD)
        tanji.register_member(org, supplier_info.address, ["supplier"], sender=operator)
        tanji.register_member(regulator_org, regulator.address, ["regulator"], sender=operator)
        fund_if_dev(tanji, operator, supplier_info.address)
        print(f"[2] registered {org} (supplier, key {supplier_info.address}) and {regulator_org} (regulator)")
        supplier = load_wallet(wallets, org, DEMO_PASSWORD)  # the supplier's key stays in its local wallet
        envelopes = [
            json.dumps(
                sign_declaration(p, domain=tanji.signing_domain, private_key=supplier.key, declarant=supplier.address)
            )
            for p in _payloads(org, supplier.address)
        ]
        print(f"[3] {org} signed {len(envelopes)} PACT v3 declarations (EIP-712) with its own wallet")
        results = ledger.ingest.submit_many(envelopes)
        print(f"[4] ingested: {', '.join(r.status for r in results)}")
        report = ledger.anchoring.run_once(flush=True)
        print(f"[5] anchored {report.anchored_declarations} declarations in {report.anchored_batches} Merkle batch")
        revoked = results[2]
        _revoke(ledger, revoked.id, supplier)
        print(f"[6] {org} revoked {PRODUCTS[2][0]} ({revoked.id}) on chain with its own key (reason 1: data error)")
    bundle = home / "demo" / "bank-disclosure.json"
    _disclose(home, results[0].id, bundle)
    print(f"[7] selective disclosure of {PRODUCTS[0][0]} for a bank (product, unit, PCF only): {bundle}")
    part = _chain_leader(home, org, suffix)
    return {
        "part": part,
        "declarations": [{"product": product, "id": r.id} for (product, _), r in zip(PRODUCTS, results, strict=True)],
        "disclosure": str(bundle),
    }


def _chain_leader(home: Path, supplier_org: str, suffix: str) -> str:
    """The chain leader declares its part (2 kg of the supplier's coil), rolls it up, signs and anchors the result."""
    from api.runtime import open_ledger
    from ledger.declarations.envelope import sign_declaration
    from ledger.graph.build import build_supply_chain
    from ledger.graph.factors import load_factor_database
    from ledger.rollup.engine import compute_footprints
    from ledger.rollup.report import report, to_product_footprint
    from ledger.service.audit import audit
    from ledger.service.supply import load_declared_products
    from ledger.wallets import create_wallet, load_wallet

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
    with open_ledger(home, batch_size=1000, max_age=3600) as ledger:
        tanji = ledger.chain.tanji
        tanji.register_member(leader_org, leader.address, ["chain-leader"], sender=ledger.chain.anchorer)
        ledger.ingest.submit(
            json.dumps(
                sign_declaration(payload, domain=tanji.signing_domain, private_key=leader.key, declarant=leader.address)
            )
        )
        ledger.anchoring.run_once(flush=True)
        with ledger.sessions() as session:
            chain = build_supply_chain(load_declared_products(session, ledger.keyring, ledger.chain), factors)
            found = report(
                chain, compute_footprints(chain.data, isolate_failures=True), part, parameters={"factors": FACTORS.name}
            )
            draft = to_product_footprint(payload, found, chain)
        print(
            f"[8] chain leader {leader_org} rolled up {part}: {found.pcf_excluding_biogenic_uptake:.4f} kgCO2e/piece "
            f"over {len(found.by_tier)} tiers, primary data {found.primary_data_share:.1f} %, secondary sources "
            f"{', '.join(s['name'][:24] for s in found.secondary_sources)}"
        )
        ledger.ingest.submit(
            json.dumps(
                sign_declaration(draft, domain=tanji.signing_domain, private_key=leader.key, declarant=leader.address)
            )
        )
        ledger.anchoring.run_once(flush=True)
        with ledger.sessions() as session:
            checked = audit(session, ledger.keyring, ledger.chain, part, factors)
        print(
            f"[9] signed and anchored the computed footprint; audit {'PASSED' if checked.passed else 'FAILED'}: "
            f"{checked.inputs_verified} input declaration(s) verified, residual {checked.residual:.1e}"
        )
    return part


def _revoke(ledger: Any, declaration_id: str, supplier: Any) -> None:
    from ledger.storage import repository
    from ledger.storage.tables import BatchRow

    with ledger.sessions() as session:
        row = repository.require_declaration(session=session, key=declaration_id)
        batch = session.get(BatchRow, row.batch_id)
        assert batch is not None, "anchored declarations belong to a batch"
        root = batch.root
        ledger.chain.tanji.revoke_declaration(
            bytes.fromhex(root[2:]),
            bytes.fromhex(row.digest[2:]),
            row.declarant,
            repository.proof_of(row),
            1,
            sender=supplier,
        )


def _disclose(home: Path, declaration_id: str, path: Path) -> None:
    from api.runtime import store
    from chain_tools.workspace import Workspace
    from ledger.service.bundle import export_bundle
    from ledger.storage import repository

    deployment = Workspace(home).config().deployment
    sessions, keyring = store(home)
    with sessions() as session:
        row = repository.require_declaration(session=session, key=declaration_id)
        chain = {
            "chainId": deployment.chain_id,
            "ledger": deployment.ledger,
            "attestations": deployment.attestations,
            "labels": deployment.labels,
        }
        bundle = export_bundle(
            session,
            keyring,
            row,
            chain,
            reveal=["productIds", "declaredUnitOfMeasurement", "pcfExcludingBiogenicUptake"],
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(bundle, indent=2, ensure_ascii=False), encoding="utf-8")


def _verify(home: Path, state: dict[str, Any]) -> int:
    from api.runtime import chain_for_bundle, open_ledger
    from ledger.service.bundle import verify_bundle
    from ledger.service.stored import verify_stored

    print(f"[10] verifying in process {os.getpid()} against the persisted embedded chain:")
    unexpected = 0
    with open_ledger(home) as ledger, ledger.sessions() as session:
        for item in state["declarations"]:
            report = verify_stored(session, ledger.keyring, ledger.chain, item["id"])
            assert report is not None
            failure = report.first_failure
            verdict = "VALID" if report.valid else f"INVALID at {failure.name}: {failure.detail}" if failure else "?"
            print(f"    {item['product']:<18} {verdict}")
            unexpected += (not report.valid) != (item["product"] == PRODUCTS[2][0])
    bundle = json.loads(Path(state["disclosure"]).read_text(encoding="utf-8"))
    with chain_for_bundle(bundle, None, home) as chain:
        report = verify_bundle(bundle, chain)
    revealed = ", ".join(f"{k}={json.dumps(v)}" for k, v in report.info.get("revealed", {}).items())
    print(f"    bank disclosure    {'VALID' if report.valid else 'INVALID'}: {revealed}")
    unexpected += not report.valid
    if "part" in state:
        from ledger.graph.factors import load_factor_database
        from ledger.service.audit import audit

        with open_ledger(home) as ledger, ledger.sessions() as session:
            checked = audit(session, ledger.keyring, ledger.chain, state["part"], load_factor_database(FACTORS)[0])
        print(f"    audit of {state['part']}: {'PASSED' if checked.passed else 'FAILED'}")
        unexpected += not checked.passed
    return 1 if unexpected else 0
