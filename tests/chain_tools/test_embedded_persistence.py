"""The embedded chain keeps its state across process restarts, and refuses a second concurrent opener."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from chain_tools.embedded import EmbeddedChain
from chain_tools.errors import ChainConnectionError

ROOT = Path(__file__).resolve().parents[2]

ANCHOR = """
import json, sys
from pathlib import Path
from eth_account import Account
from web3 import Web3
from chain_tools.embedded import EmbeddedChain
from chain_tools.gateway import Web3Gateway
from chain_tools.deploy import deploy_tanji
from chain_tools.tanji_chain import TanjiChain
from ledger.merkle import MerkleTree, declaration_leaf
home = Path(sys.argv[1]); operator = Account.create(); supplier = Account.create()
chain = EmbeddedChain(home, funded=[operator.address])
gateway = Web3Gateway(Web3(chain.provider()), call_from=operator.address)
deployment = deploy_tanji(gateway, operator=operator)
tanji = TanjiChain(gateway, deployment)
digests = [bytes([i]) * 32 for i in range(1, 8)]
tree = MerkleTree.build([declaration_leaf(d, supplier.address) for d in digests])
receipt = tanji.anchor_batch(tree.root, len(digests), "", sender=operator)
print(json.dumps({"deployment": deployment.as_dict(), "operator": operator.address, "supplier": supplier.address,
                  "root": tree.root.hex(), "block": receipt.block_number, "digests": [d.hex() for d in digests],
                  "proofs": [[p.hex() for p in tree.proof(i)] for i in range(len(digests))]}))
"""

VERIFY = """
import json, sys
from pathlib import Path
from web3 import Web3
from chain_tools.embedded import EmbeddedChain
from chain_tools.gateway import Web3Gateway
from chain_tools.deploy import Deployment
from chain_tools.tanji_chain import TanjiChain
from ledger.merkle import declaration_leaf
state = json.loads(sys.argv[2])
chain = EmbeddedChain(Path(sys.argv[1]))
tanji = TanjiChain(Web3Gateway(Web3(chain.provider()), call_from=state["operator"]),
                   Deployment.from_dict(state["deployment"]))
root = bytes.fromhex(state["root"])
results = []
for digest, proof in zip(state["digests"], state["proofs"]):
    batch, status = tanji.status_of(root, declaration_leaf(bytes.fromhex(digest), state["supplier"]),
                                    [bytes.fromhex(p) for p in proof])
    results.append([batch.anchored_at_block, status.status.name])
print(json.dumps({"block": tanji.gateway.block_number(), "results": results}))
"""


def run_python(code: str, *args: str) -> dict[str, object]:
    out = subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_anchor_survives_a_process_restart(tmp_path: Path) -> None:
    state = run_python(ANCHOR, str(tmp_path))
    for _ in range(2):  # two fresh processes, each rebuilding the chain over the same database
        verified = run_python(VERIFY, str(tmp_path), json.dumps(state))
        assert verified["block"] == state["block"]
        assert verified["results"] == [[state["block"], "ANCHORED"]] * len(state["digests"])


def test_a_second_opener_of_the_same_chain_is_refused(tmp_path: Path) -> None:
    first = EmbeddedChain(tmp_path)
    try:
        with pytest.raises(ChainConnectionError, match="open in another process"):
            EmbeddedChain(tmp_path)
    finally:
        first.close()
    EmbeddedChain(tmp_path).close()
