"""`tanji pact peer add|list|remove` and `tanji pact request list|accept|decline` on the operator's workspace."""

from __future__ import annotations

import contextlib
import io
import json
import uuid
from pathlib import Path
from typing import Any

import pytest

from api.cli.main import main
from api.compose import open_ledger
from api.settings import Settings
from ledger.service.pact_event_parse import parse_event
from ledger.service.pact_exchange import PactExchange
from ledger.service.pact_requests import FootprintRequests
from ledger.storage.pact_tables import PactOutboundRow, PactPeerRow

PRODUCT = "urn:tanji:acme-steel:hot-rolled-coil"
PEER_URL = "http://127.0.0.1:9"  # never called: no server runs to deliver


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def ok_json(*argv: str) -> Any:
    code, out, err = run(*argv)
    assert code == 0, err
    return json.loads(out)


def add_peer(home: Path, monkeypatch: pytest.MonkeyPatch, org: str = "samr", url: str = PEER_URL) -> tuple[int, str]:
    monkeypatch.setenv("TANJI_PACT_PEER_SECRET", "secret-issued-to-tanji")
    code, out, err = run("pact", "peer", "add", org, "--url", url, "--client-id", "tanji-client", "--home", str(home))
    return code, out + err


def request_from_samr(home: Path) -> int:
    """samr (registered as a peer) asks for acme-steel's coil: the request awaits acme-steel."""
    event = {
        "specversion": "1.0",
        "id": str(uuid.uuid4()),
        "source": PEER_URL,
        "time": "2026-05-19T10:30:00Z",
        "type": "org.wbcsd.pact.ProductFootprint.RequestCreatedEvent.3",
        "data": {"productId": [PRODUCT]},
    }
    with open_ledger(Settings(home=home)) as ledger:
        exchange = PactExchange(ledger.sessions, ledger.store.keyring, ledger.chain, ledger.chain.trust_anchors)
        requests = FootprintRequests(ledger.sessions, exchange, public_url="https://tanji.test")
        outcome = requests.receive(parse_event(event, spec=3), "samr")
    assert outcome.status == "awaiting-owner", outcome
    return outcome.seq


def rows(home: Path, table: Any) -> list[Any]:
    from sqlmodel import select

    from api.compose import open_store

    with open_store(Settings(home=home)).sessions() as session:
        return list(session.exec(select(table)))


def test_the_operator_adds_lists_and_removes_a_peer(
    anchored_for_labels_workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = anchored_for_labels_workspace
    code, output = add_peer(home, monkeypatch)
    assert code == 0 and "registered samr" in output and "secret-issued-to-tanji" not in output
    listed = ok_json("pact", "peer", "list", "--json", "--home", str(home))
    assert listed == [{"organization": "samr", "baseUrl": PEER_URL, "clientId": "tanji-client"}]
    assert "secret-issued-to-tanji" not in json.dumps(listed)
    assert rows(home, PactPeerRow)[0].secret_ciphertext != b"secret-issued-to-tanji"
    assert run("pact", "peer", "remove", "samr", "--home", str(home))[0] == 0
    assert rows(home, PactPeerRow) == []
    code, _, err = run("pact", "peer", "remove", "samr", "--home", str(home))
    assert code == 3 and "samr" in err


@pytest.mark.parametrize(
    ("org", "url", "exit_code", "named"),
    [
        ("samr", "http://pact.samr.example", 2, "http://pact.samr.example"),
        ("samr", "ftp://127.0.0.1/x", 2, "ftp://127.0.0.1/x"),
        ("ghost-org", "https://pact.ghost.example", 3, "ghost-org"),
    ],
)
def test_a_bad_peer_is_refused_and_nothing_is_stored(
    anchored_for_labels_workspace: Path, monkeypatch: pytest.MonkeyPatch, org: str, url: str, exit_code: int, named: str
) -> None:
    code, output = add_peer(anchored_for_labels_workspace, monkeypatch, org=org, url=url)
    assert code == exit_code and named in output
    assert rows(anchored_for_labels_workspace, PactPeerRow) == []


def test_a_peer_without_a_secret_is_refused(
    anchored_for_labels_workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TANJI_PACT_PEER_SECRET", raising=False)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    home = str(anchored_for_labels_workspace)
    code, _, err = run("pact", "peer", "add", "samr", "--url", PEER_URL, "--client-id", "c", "--home", home)
    assert code == 2 and "TANJI_PACT_PEER_SECRET" in err
    assert rows(anchored_for_labels_workspace, PactPeerRow) == []


def test_an_owner_lists_and_accepts_a_request_and_the_answer_is_queued(
    anchored_for_labels_workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = anchored_for_labels_workspace
    assert add_peer(home, monkeypatch)[0] == 0
    seq = request_from_samr(home)
    h = ("--home", str(home))
    pending = ok_json("pact", "request", "list", "--org", "acme-steel", "--json", *h)
    assert [(item["seq"], item["requester"]) for item in pending] == [(seq, "samr")]
    assert ok_json("pact", "request", "list", "--org", "samr", "--json", *h) == []
    code, _, err = run("pact", "request", "accept", str(seq), "--org", "samr", *h)
    assert code == 3 and f"no footprint request {seq}" in err  # only the owner may answer
    code, out, _ = run("pact", "request", "accept", str(seq), "--org", "acme-steel", *h)
    assert code == 0 and "fulfilled" in out
    queued = [json.loads(row.event) for row in rows(home, PactOutboundRow) if row.recipient == "samr"]
    assert [event["type"] for event in queued] == ["org.wbcsd.pact.ProductFootprint.RequestFulfilledEvent.3"]
    assert queued[0]["data"]["pfs"][0]["productIds"] == [PRODUCT]


def test_an_owner_declines_with_a_message(anchored_for_labels_workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = anchored_for_labels_workspace
    assert add_peer(home, monkeypatch)[0] == 0
    seq = request_from_samr(home)
    code, out, _ = run(
        "pact",
        "request",
        "decline",
        str(seq),
        "--org",
        "acme-steel",
        "--message",
        "ask us by mail",
        "--home",
        str(home),
    )
    assert code == 0 and "rejected" in out
    queued = [json.loads(row.event) for row in rows(home, PactOutboundRow) if row.recipient == "samr"]
    assert queued[0]["data"]["error"] == {"code": "AccessDenied", "message": "ask us by mail"}


@pytest.mark.parametrize(("seq", "named"), [("0", "at least 1"), ("-3", "at least 1"), ("abc", "'abc'")])
def test_a_bad_request_number_is_a_usage_error(anchored_for_labels_workspace: Path, seq: str, named: str) -> None:
    code, _, err = run(
        "pact", "request", "accept", seq, "--org", "acme-steel", "--home", str(anchored_for_labels_workspace)
    )
    assert code == 2 and named in err
