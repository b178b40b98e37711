"""The web3-free chain reader answers every verification view exactly as the web3 adapter does, on the same chain."""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from conftest import node_gateway, reverted_afterwards
from eth_hash.auto import keccak

from chain_tools.chain_adapter import ChainAdapter
from chain_tools.rpc_reader import RpcChainReader
from chain_tools.tanji_chain import DeclarationRef
from ledger.addresses import checksum
from ledger.chain_port import TrustAnchors
from ledger.errors import ChainNotAllowedError, ChainRejectedError, ChainUnavailableError
from ledger.merkle import MerkleTree, declaration_leaf

pytestmark = pytest.mark.node
STRANGER = checksum("0x" + "ab" * 20)


@dataclass(frozen=True)
class Scene:
    """One chain state read by both implementations: a batch with a current, a revoked and a superseded
    declaration, an attestation, a valid and a suspended label."""

    adapter: ChainAdapter
    reader: RpcChainReader
    refs: list[DeclarationRef]
    supplier: str
    outsider: str
    serials: list[bytes]


@pytest.fixture(scope="module")
def scene(hardhat_node: Any, hardhat_prepared: Any) -> Iterator[Scene]:
    gateway = node_gateway(hardhat_node)
    with reverted_afterwards(gateway):
        tanji = hardhat_prepared.attach("hardhat", gateway)
        client, supplier = tanji.client, tanji.supplier.address
        digests = [keccak(os.urandom(32)) for _ in range(3)]
        tree = MerkleTree.build([declaration_leaf(d, supplier) for d in digests])
        client.anchor_batch(tree.root, 3, "", sender=tanji.chain.operator)
        refs = [DeclarationRef(tree.root, d, supplier, tree.proof(i)) for i, d in enumerate(digests)]
        client.revoke_declaration(*refs[1].as_tuple()[:4], 3, sender=tanji.supplier)
        client.supersede_declaration(*refs[2].as_tuple()[:4], keccak(b"successor"), sender=tanji.supplier)
        client.attest(refs[0], 1, 2, keccak(b"report"), sender=tanji.auditor)
        now = int(gateway.w3.eth.get_block("latest")["timestamp"])
        serials = [keccak(b"CN-CL-1"), keccak(b"CN-CL-2")]
        for serial in serials:
            valid = (now - 60, now + 86_400)
            client.issue_label(
                serial, keccak(b"product"), refs[0], b"A+", valid, 0, keccak(b"terms"), sender=tanji.certifier
            )
        client.change_label("suspend", serials[1], 1, sender=tanji.certifier)
        d = client.deployment
        anchors = TrustAnchors(d.chain_id, d.ledger, d.attestations, d.labels)
        reader = RpcChainReader(hardhat_node.url, anchors)
        yield Scene(ChainAdapter(client), reader, refs, supplier, tanji.outsider.address, serials)


def _many_leaves(s: Scene) -> list[bytes]:
    """More leaves than the per-leaf path takes: the change-log path answers."""
    return [declaration_leaf(r.digest, s.supplier) for r in s.refs] + [keccak(bytes([i])) for i in range(70)]


VIEWS: dict[str, Callable[[Any, Scene], Any]] = {
    "signing_domain": lambda port, s: port.signing_domain,
    "anchored_block": lambda port, s: port.anchored_block(s.refs[0].root),
    "anchored_block of an unknown root": lambda port, s: port.anchored_block(keccak(b"no such root")),
    "key_window": lambda port, s: port.key_window(s.supplier),
    "key_window of a stranger": lambda port, s: port.key_window(STRANGER),
    "was_key_usable_at": lambda port, s: port.was_key_usable_at(s.supplier, port.anchored_block(s.refs[0].root)),
    "was_key_usable_at before registration": lambda port, s: port.was_key_usable_at(s.supplier, 1),
    "leaf_states": lambda port, s: port.leaf_states([declaration_leaf(r.digest, s.supplier) for r in s.refs]),
    "leaf_states from the change log": lambda port, s: port.leaf_states(_many_leaves(s)),
    "attestations": lambda port, s: port.attestations(s.refs[0].digest),
    "attestations of an unattested digest": lambda port, s: port.attestations(s.refs[1].digest),
    "labels": lambda port, s: port.labels(s.refs[0].digest),
    "label": lambda port, s: port.label(s.serials[1]),
    "label never issued": lambda port, s: port.label(keccak(b"never")),
    "require_active": lambda port, s: port.require_active(s.supplier, "supplier"),
}


@pytest.mark.parametrize("view", list(VIEWS))
def test_the_reader_answers_each_view_as_the_web3_adapter(scene: Scene, view: str) -> None:
    expected = VIEWS[view](scene.adapter, scene)
    assert VIEWS[view](scene.reader, scene) == expected
    assert expected not in (None, [], {}) or "unknown" in view or "never" in view or "unattested" in view


def test_the_scene_holds_what_the_views_compare(scene: Scene) -> None:
    statuses = [state.status.name for state in scene.reader.leaf_states(_many_leaves(scene)[:3])]
    assert statuses == ["UNKNOWN", "REVOKED", "SUPERSEDED"]
    assert [label["status"] for label in scene.reader.labels(scene.refs[0].digest)] == ["valid", "suspended"]
    assert scene.reader.attestations(scene.refs[0].digest)[0]["auditor"].startswith("0x")


def test_a_refusal_maps_to_the_same_domain_error(scene: Scene) -> None:
    errors: list[ChainRejectedError] = []
    for port in (scene.adapter, scene.reader):
        with pytest.raises(ChainNotAllowedError) as excinfo:
            port.require_active(scene.outsider, "supplier")
        errors.append(excinfo.value)
    assert errors[0].name == errors[1].name != "Unknown"
    assert errors[0].arguments == errors[1].arguments


def test_an_unreachable_node_is_reported_with_its_url() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{probe.getsockname()[1]}"
    reader = RpcChainReader(url, TrustAnchors(31337, STRANGER, STRANGER, STRANGER))
    with pytest.raises(ChainUnavailableError, match=url.replace(".", r"\.")):
        reader.anchored_block(bytes(32))


def test_a_silent_node_times_out_with_its_url() -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        url = f"http://127.0.0.1:{server.getsockname()[1]}"
        held: list[socket.socket] = []
        accepting = threading.Thread(target=lambda: held.append(server.accept()[0]), daemon=True)
        accepting.start()
        reader = RpcChainReader(url, TrustAnchors(31337, STRANGER, STRANGER, STRANGER), timeout=0.5)
        with pytest.raises(ChainUnavailableError, match="timed out") as excinfo:
            reader.chain_id()
        assert url in str(excinfo.value)
        accepting.join(timeout=2)
        for connection in held:
            connection.close()


def test_a_url_that_is_not_http_is_refused_with_a_remedy() -> None:
    with pytest.raises(ChainUnavailableError, match="not an http"):
        RpcChainReader("ws://127.0.0.1:8545", TrustAnchors(31337, STRANGER, STRANGER, STRANGER))


def test_anvils_refusals_map_to_the_same_domain_errors_as_the_adapters(anvil_tanji: Any) -> None:
    """anvil reports reverts of eth_call in its own error shape; the reader decodes them as the adapter does."""
    d = anvil_tanji.client.deployment
    reader = RpcChainReader(
        anvil_tanji.chain.gateway.w3.provider.endpoint_uri, TrustAnchors(d.chain_id, d.ledger, d.attestations, d.labels)
    )
    errors = []
    for port in (ChainAdapter(anvil_tanji.client), reader):
        with pytest.raises(ChainNotAllowedError) as excinfo:
            port.require_active(anvil_tanji.outsider.address, "supplier")
        errors.append(excinfo.value)
    assert (errors[0].name, errors[0].arguments) == (errors[1].name, errors[1].arguments)
    assert reader.key_window(anvil_tanji.supplier.address) == ChainAdapter(anvil_tanji.client).key_window(
        anvil_tanji.supplier.address
    )
