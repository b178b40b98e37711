"""`tanji demo`: the embedded default end to end (init, two members, anchor, verify, revoke, statuses)."""

from __future__ import annotations

import argparse
import json
import os
from typing import Any

from api.cli.common import hexstr, home_of

DEMO_PASSWORD = "tanji-demo-password"  # demo wallets only; real wallets use $TANJI_WALLET_PASSWORD or a prompt
SAMPLE_PRODUCTS = ["hot-rolled-coil", "cold-rolled-sheet", "galvanised-sheet", "rebar", "wire-rod", "billet"]


def register(commands: Any, parent: argparse.ArgumentParser) -> None:
    """Add the demo command."""
    demo = commands.add_parser("demo", parents=[parent], help="run the embedded default end to end")
    demo.add_argument("--verify-only", action="store_true", help="re-verify the demo batch in a fresh process")
    demo.set_defaults(handler=cmd_demo)


def _sample_digests(declarant: str) -> list[tuple[str, bytes]]:
    """Digests of small sample declarations (keccak-256 of their canonical JSON)."""
    import rfc8785
    from eth_hash.auto import keccak

    samples = []
    for index, product in enumerate(SAMPLE_PRODUCTS):
        payload = {
            "productId": f"urn:tanji:acme-steel:{product}",
            "declarant": declarant,
            "pcfExcludingBiogenicUptake": f"{1.8 + index * 0.07:.2f}",
            "declaredUnit": "kilogram",
        }
        samples.append((product, keccak(rfc8785.dumps(payload))))
    return samples


def cmd_demo(args: argparse.Namespace) -> int:
    """Run or re-verify the demo."""
    from chain_tools.workspace import Workspace, initialise

    home = home_of(args)
    state_path = home / "demo" / "batch.json"
    workspace = Workspace(home)
    if args.verify_only:
        return _verify(workspace, json.loads(state_path.read_text(encoding="utf-8")))
    if not workspace.config_path.exists():
        config = initialise(home)
        print(
            f"[1] workspace {home}: embedded chain id {config.deployment.chain_id}, ledger {config.deployment.ledger}"
        )
    state = _anchor_and_revoke(workspace)
    state_path.parent.mkdir(parents=True, exist_ok=True)
    state_path.write_text(json.dumps(state, indent=2), encoding="utf-8")
    return _verify(workspace, state)


def _anchor_and_revoke(workspace: Any) -> dict[str, Any]:
    from api.cli.chain_cmds import fund_if_dev
    from ledger.merkle import MerkleTree, declaration_leaf
    from ledger.wallets import create_wallet, load_wallet

    wallets = workspace.home / "wallets"
    suffix = os.urandom(3).hex()  # each demo run registers fresh organizations
    supplier_org, regulator_org = f"acme-steel-{suffix}", f"cn-regulator-{suffix}"
    supplier = create_wallet(wallets, supplier_org, DEMO_PASSWORD)
    regulator = create_wallet(wallets, regulator_org, DEMO_PASSWORD)
    operator = workspace.operator()
    with workspace.connect() as tanji:
        tanji.register_member(supplier_org, supplier.address, ["supplier"], sender=operator)
        tanji.register_member(regulator_org, regulator.address, ["regulator"], sender=operator)
        fund_if_dev(tanji, operator, supplier.address)
        print(f"[2] registered {supplier_org} (supplier, {supplier.address}) and {regulator_org} (regulator)")
        samples = _sample_digests(supplier.address)
        tree = MerkleTree.build([declaration_leaf(digest, supplier.address) for _, digest in samples])
        receipt = tanji.anchor_batch(tree.root, len(samples), "", sender=operator)
        print(
            f"[3] anchored {len(samples)} declarations as root {hexstr(tree.root)} in block "
            f"{receipt.block_number} for {receipt.gas_used} gas ({receipt.gas_used / len(samples):.0f} per declaration)"
        )
        revoked = 2
        account = load_wallet(wallets, supplier_org, DEMO_PASSWORD)
        tanji.revoke_declaration(
            tree.root, samples[revoked][1], supplier.address, tree.proof(revoked), 1, sender=account
        )
        print(f"[4] {supplier_org} revoked '{samples[revoked][0]}' with its own key (reason 1: data error)")
    return {
        "root": hexstr(tree.root),
        "declarant": supplier.address,
        "declarations": [
            {"product": product, "digest": hexstr(digest), "proof": [hexstr(p) for p in tree.proof(i)]}
            for i, (product, digest) in enumerate(samples)
        ],
    }


def _verify(workspace: Any, state: dict[str, Any]) -> int:
    from ledger.merkle import declaration_leaf, verify_proof

    root = bytes.fromhex(state["root"][2:])
    failures = 0
    print(
        f"[5] verifying {len(state['declarations'])} declarations against root {state['root']} on chain "
        f"(pid {os.getpid()})"
    )
    with workspace.connect() as tanji:
        for item in state["declarations"]:
            digest = bytes.fromhex(item["digest"][2:])
            proof = [bytes.fromhex(p[2:]) for p in item["proof"]]
            leaf = declaration_leaf(digest, state["declarant"])
            local = verify_proof(root, leaf, proof)
            batch, status = tanji.status_of(root, leaf, proof)
            failures += not local
            detail = f" (block {status.changed_at_block}, reason {status.reason})" if status.changed_at_block else ""
            print(
                f"    {item['product']:<18} proof {'ok' if local else 'BAD'}  anchored block {batch.anchored_at_block}"
                f"  status {status.status.name.lower()}{detail}"
            )
    return 1 if failures else 0
