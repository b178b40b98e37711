"""Footprint requests by tier over a real store and the embedded chain: a chain leader asks tier 1, a supplier
forwards to tier 2, receivers fulfil with their anchored declarations or reject; coverage and assembly progress.

Supply chain (gross kgCO2e per kg, every declaration emits 0.30 itself, from the example payload):
bike (leader) <- 1 kg frame (acme) <- 2 kg steel (mill); bike also needs 0.5 kg tyre (rubber rejects; a secondary
factor of 2.0 covers it) and 1 kg saddle (nobody asked: missing).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from eth_account import Account
from factories import make_payload, signed
from sqlmodel import select

from ledger.codes import Assurance, AttestationResult, Reason
from ledger.errors import (
    AccessDeniedError,
    DuplicateFootprintRequestError,
    FulfilmentNotCurrentError,
    InvalidFootprintRequestError,
    NotChainLeaderError,
    NotDeclarantError,
    NotRequestRecipientError,
    RequestAlreadyAnsweredError,
)
from ledger.graph.model import EmissionFactor
from ledger.service.access import read_payload
from ledger.service.attestation import attest
from ledger.service.declaration_actions import revoke
from ledger.service.footprint_requests import (
    create_requests,
    forward_request,
    fulfil_request,
    list_requests,
    reject_request,
)
from ledger.service.request_coverage import coverage
from ledger.service.visibility import Viewer, access_to
from ledger.storage import repository
from ledger.storage.pact_tables import PactRequestRow
from ledger.storage.request_tables import FootprintRequestRow

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
DEADLINE = NOW + timedelta(days=30)
BIKE, FRAME, STEEL = "urn:tanji:leader:bike", "urn:tanji:acme:frame", "urn:tanji:mill:steel"
TYRE, SADDLE = "urn:tanji:rubber:tyre", "urn:tanji:saddler:saddle"


@pytest.fixture(params=["sqlite"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """SQLite, and PostgreSQL for the tests parametrized with it (BOTH_DATABASES)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'tanji.sqlite3'}"
    import uuid

    from pg import fresh_database

    return fresh_database(request.getfixturevalue("postgres_server_url"), f"t_{uuid.uuid4().hex[:12]}")


BOTH_DATABASES = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)


class World:
    """The ledger environment with members leader (chain-leader), acme, mill and rubber (suppliers)."""

    def __init__(self, env: Any) -> None:
        self.env = env
        self.keys: dict[str, Any] = {"acme": env.tanji.supplier}
        client, operator = env.tanji.client, env.tanji.chain.operator
        for org, role in (("leader", "chain-leader"), ("mill", "supplier"), ("rubber", "supplier")):
            self.keys[org] = Account.create()
            client.register_member(org, self.keys[org].address, [role], sender=operator)
            env.tanji.chain.fund(self.keys[org].address)

    def declare(self, org: str, product: str, bom: list[tuple[str, str]] = ()) -> str:
        """Submit and anchor `org`'s declaration of `product`; its id."""
        lines = [{"productId": pid, "quantity": qty, "unit": "kilogram"} for pid, qty in bom]
        payload = make_payload(self.keys[org].address, org=org, product=product, bom=lines)
        result = self.env.ingest.submit(signed(self.env, self.keys[org], payload=payload))
        assert result.status == "pending", result
        self.env.anchoring.run_once(flush=True)
        assert result.id is not None
        return str(result.id)

    def session(self) -> Any:
        return self.env.sessions()


@pytest.fixture
def world(ledger_env: Any) -> World:
    return World(ledger_env)


def test_a_forwarded_request_is_one_tier_down_and_linked_to_the_request_it_forwards(world: World) -> None:
    with world.session() as session:
        [frame] = create_requests(
            session, world.env.chain, by="leader", to="acme", products=[FRAME], deadline=DEADLINE, now=NOW
        )
        [steel] = forward_request(session, world.env.chain, frame.id, by="acme", to="mill", products=[STEEL], now=NOW)
        outbox = list_requests(session, "acme", box="outbox", now=NOW)
        inbox = list_requests(session, "mill", box="inbox", now=NOW)
    assert (frame.tier, frame.leader, frame.parent_id, frame.status) == (1, "leader", None, "open")
    assert (steel.tier, steel.leader, steel.parent_id, steel.requester) == (2, "leader", frame.id, "acme")
    assert steel.deadline == DEADLINE  # the forwarded request's deadline by default
    assert [item.id for item in outbox] == [steel.id] and [item.id for item in inbox] == [steel.id]


def test_forwarding_back_up_the_chain_under_the_leaders_name_is_refused(world: World) -> None:
    with world.session() as session:
        [frame] = create_requests(
            session, world.env.chain, by="leader", to="acme", products=[FRAME], deadline=DEADLINE, now=NOW
        )
        [steel] = forward_request(session, world.env.chain, frame.id, by="acme", to="mill", products=[STEEL], now=NOW)
        for upstream in ("leader", "acme"):
            with pytest.raises(InvalidFootprintRequestError, match=f"cannot be forwarded to '{upstream}'"):
                forward_request(session, world.env.chain, steel.id, by="mill", to=upstream, now=NOW)
        assert len(session.exec(select(FootprintRequestRow)).all()) == 2


def test_fulfilment_links_the_declaration_and_lets_the_requester_read_it(world: World) -> None:
    declaration = world.declare("acme", FRAME)
    with world.session() as session:
        [request] = create_requests(
            session, world.env.chain, by="leader", to="acme", products=[FRAME], deadline=DEADLINE, now=NOW
        )
        done = fulfil_request(session, world.env.chain, request.id, by="acme", declaration=declaration, now=NOW)
        row = repository.require_declaration(session=session, key=declaration)
        assert access_to(session, row, Viewer("leader", frozenset({"chain-leader"}))).level == "requested"
        assert access_to(session, row, Viewer("mill", frozenset({"supplier"}))).level == "public"
        payload = read_payload(session, world.env.keyring, declaration, "leader")
    assert (done.status, done.declaration_id, done.declaration_digest) == ("fulfilled", declaration, row.digest)
    assert payload["productIds"] == [FRAME]


@BOTH_DATABASES
def test_overdue_is_judged_at_the_injected_now(world: World) -> None:
    with world.session() as session:
        create_requests(session, world.env.chain, by="leader", to="acme", products=[FRAME], deadline=DEADLINE, now=NOW)
        before = list_requests(session, "leader", box="outbox", now=DEADLINE - timedelta(seconds=1))
        after = list_requests(session, "leader", box="outbox", now=DEADLINE + timedelta(seconds=1))
    assert [item.overdue for item in before] == [False] and [item.overdue for item in after] == [True]


def test_fulfilling_with_another_organizations_declaration_is_refused(world: World) -> None:
    mills = world.declare("mill", STEEL)
    with world.session() as session:
        [request] = create_requests(
            session, world.env.chain, by="leader", to="acme", products=[STEEL], deadline=DEADLINE, now=NOW
        )
        with pytest.raises(NotDeclarantError, match="declared by 'mill', not 'acme'"):
            fulfil_request(session, world.env.chain, request.id, by="acme", declaration=mills, now=NOW)
        assert list_requests(session, "acme", box="inbox", now=NOW)[0].status == "open"
        assert "leader" not in repository.grants_of(session=session, declaration_id=mills)


def test_fulfilling_with_a_revoked_declaration_is_refused(world: World) -> None:
    declaration = world.declare("acme", FRAME)
    with world.session() as session:
        revoke(session, world.env.chain, declaration, Reason.DATA_ERROR, world.keys["acme"])
        [request] = create_requests(
            session, world.env.chain, by="leader", to="acme", products=[FRAME], deadline=DEADLINE, now=NOW
        )
        with pytest.raises(FulfilmentNotCurrentError, match="revoked on chain"):
            fulfil_request(session, world.env.chain, request.id, by="acme", declaration=declaration, now=NOW)
        assert "leader" not in repository.grants_of(session=session, declaration_id=declaration)


def test_fulfilling_with_an_expired_declaration_is_refused(world: World) -> None:
    declaration = world.declare("acme", FRAME)
    with world.session() as session:
        row = repository.require_declaration(session=session, key=declaration)
        after_expiry = datetime.fromtimestamp(row.valid_until + 1, UTC)
        [request] = create_requests(
            session, world.env.chain, by="leader", to="acme", products=[FRAME], deadline=DEADLINE, now=NOW
        )
        with pytest.raises(FulfilmentNotCurrentError, match="expired"):
            fulfil_request(session, world.env.chain, request.id, by="acme", declaration=declaration, now=after_expiry)
        done = fulfil_request(session, world.env.chain, request.id, by="acme", declaration=declaration, now=NOW)
    assert done.status == "fulfilled"  # the same declaration while it is valid


def test_fulfilling_with_a_declaration_of_another_product_is_refused(world: World) -> None:
    declaration = world.declare("acme", "urn:tanji:acme:fork")
    with world.session() as session:
        [request] = create_requests(
            session, world.env.chain, by="leader", to="acme", products=[FRAME], deadline=DEADLINE, now=NOW
        )
        with pytest.raises(FulfilmentNotCurrentError, match="urn:tanji:acme:fork"):
            fulfil_request(session, world.env.chain, request.id, by="acme", declaration=declaration, now=NOW)


def test_forwarding_or_answering_a_request_sent_to_someone_else_is_refused(world: World) -> None:
    with world.session() as session:
        [request] = create_requests(
            session, world.env.chain, by="leader", to="acme", products=[FRAME], deadline=DEADLINE, now=NOW
        )
        with pytest.raises(NotRequestRecipientError, match="sent to 'acme'; only it may forward"):
            forward_request(session, world.env.chain, request.id, by="mill", to="rubber", now=NOW)
        with pytest.raises(NotRequestRecipientError):
            reject_request(session, request.id, by="leader", code="NotFound", message="no", now=NOW)
        assert session.exec(select(FootprintRequestRow)).all().__len__() == 1


@BOTH_DATABASES
def test_a_duplicate_open_request_is_a_conflict_until_the_first_is_answered(world: World) -> None:
    with world.session() as session:
        [first] = create_requests(
            session, world.env.chain, by="leader", to="acme", products=[FRAME], deadline=DEADLINE, now=NOW
        )
        with pytest.raises(DuplicateFootprintRequestError, match=first.id):
            create_requests(
                session, world.env.chain, by="leader", to="acme", products=["other", FRAME], deadline=DEADLINE, now=NOW
            )
        assert len(session.exec(select(FootprintRequestRow)).all()) == 1  # "other" was not written either
        reject_request(session, first.id, by="acme", code="NotFound", message="we do not make frames", now=NOW)
        with pytest.raises(RequestAlreadyAnsweredError):
            reject_request(session, first.id, by="acme", code="NotFound", message="again", now=NOW)
        [again] = create_requests(
            session, world.env.chain, by="leader", to="acme", products=[FRAME], deadline=DEADLINE, now=NOW
        )
    assert again.id != first.id and again.status == "open"


def test_a_tier_one_request_by_an_organization_without_the_chain_leader_role_is_refused(world: World) -> None:
    with world.session() as session:
        with pytest.raises(NotChainLeaderError, match="'acme' holds \\['supplier'\\]"):
            create_requests(
                session, world.env.chain, by="acme", to="mill", products=[STEEL], deadline=DEADLINE, now=NOW
            )
        with pytest.raises(InvalidFootprintRequestError, match="'ghost' is not a member"):
            create_requests(
                session, world.env.chain, by="leader", to="ghost", products=[STEEL], deadline=DEADLINE, now=NOW
            )
        with pytest.raises(InvalidFootprintRequestError, match="has passed already"):
            create_requests(session, world.env.chain, by="leader", to="acme", products=[FRAME], deadline=NOW, now=NOW)
        assert session.exec(select(FootprintRequestRow)).all() == []


@BOTH_DATABASES
def test_coverage_by_tier_and_product_with_missing_inputs_and_assembly_progress(world: World) -> None:
    frame = world.declare("acme", FRAME, [(STEEL, "2")])
    steel = world.declare("mill", STEEL)
    world.declare("leader", BIKE, [(FRAME, "1"), (TYRE, "0.5"), (SADDLE, "1")])
    chain = world.env.chain
    with world.session() as session:
        [to_acme, late] = create_requests(
            session, chain, by="leader", to="acme", products=[FRAME, "urn:tanji:acme:fork"], deadline=DEADLINE, now=NOW
        )
        [tyre] = create_requests(session, chain, by="leader", to="rubber", products=[TYRE], deadline=DEADLINE, now=NOW)
        [to_mill] = forward_request(session, chain, to_acme.id, by="acme", to="mill", products=[STEEL], now=NOW)
        fulfil_request(session, chain, to_mill.id, by="mill", declaration=steel, now=NOW)
        fulfil_request(session, chain, to_acme.id, by="acme", declaration=frame, now=NOW)
        reject_request(session, tyre.id, by="rubber", code="AccessDenied", message="confidential recipe", now=NOW)
        attest(
            session,
            chain,
            frame,
            result=AttestationResult.VERIFIED,
            assurance=Assurance.LIMITED,
            report=b"verification report",
            sender=world.env.tanji.auditor,
        )
        tyre_factor = EmissionFactor("ef:tyre", "1", "CLCD", TYRE, "kilogram", {"fossil": Decimal("2.0")}, {}, "0x00")
        found = coverage(
            session, world.env.keyring, chain, "leader", factors=[tyre_factor], now=DEADLINE + timedelta(hours=1)
        )
        with pytest.raises(AccessDeniedError, match="declared by 'acme'"):
            coverage(session, world.env.keyring, chain, "leader", product=FRAME, now=NOW)
    one, two = found.by_tier[1], found.by_tier[2]
    assert (one.requested, one.fulfilled, one.rejected, one.open, one.overdue) == (3, 1, 1, 1, 1)
    assert (two.requested, two.fulfilled) == (1, 1)
    assert one.rejections[0]["code"] == "AccessDenied" and one.rejections[0]["message"] == "confidential recipe"
    assert found.by_product[TYRE].rejected == 1 and found.by_product["urn:tanji:acme:fork"].overdue == 1
    assert late.id in {item.id for item in found.requests if item.overdue}
    [bike] = found.products
    assert [(m.consumer, m.input_product, m.tier) for m in bike.missing] == [(BIKE, SADDLE, 1)]
    progress = bike.progress
    assert progress is not None
    total = 0.30 + 0.30 + 2 * 0.30 + 0.5 * 2.0  # own, frame, steel, tyre (secondary)
    assert progress.total == pytest.approx(total)
    assert progress.own_share == pytest.approx(0.30 / total)
    assert progress.supplier_specific_share == pytest.approx(0.90 / total)
    assert progress.secondary_share == pytest.approx(1.0 / total)
    assert progress.attested_share == pytest.approx(0.30 / total)  # only the frame is attested
    assert progress.gaps == ((BIKE, SADDLE),)


def test_pact_requests_are_counted_in_the_coverage_of_their_requester(world: World) -> None:
    frame = world.declare("acme", FRAME)
    with world.session() as session:
        pact = PactRequestRow(
            event_id="e-1",
            source="https://leader.example",
            requester="leader",
            spec=3,
            criteria=json.dumps({"productId": [FRAME]}),
            owners=json.dumps(["acme"]),
            status="awaiting-owner",
        )
        session.add(pact)
        session.commit()
        first = coverage(session, world.env.keyring, world.env.chain, "leader", now=NOW)
        pact.status, pact.footprint_ids = "fulfilled", json.dumps([frame])
        session.add(pact)
        session.commit()
        second = coverage(session, world.env.keyring, world.env.chain, "leader", now=NOW)
    [mirrored] = [item for item in first.requests if item.origin == "pact"]
    assert (mirrored.receiver, mirrored.product_id, mirrored.status, mirrored.tier) == ("acme", FRAME, "open", 1)
    [answered] = second.requests
    assert (answered.id, answered.status, answered.declaration_id) == (mirrored.id, "fulfilled", frame)
    assert second.by_product[FRAME].fulfilled == 1


def test_answering_a_pact_request_outside_the_pact_flow_is_refused(world: World) -> None:
    frame = world.declare("acme", FRAME)
    with world.session() as session:
        session.add(
            PactRequestRow(
                event_id="e-2",
                source="https://leader.example",
                requester="leader",
                spec=3,
                criteria=json.dumps({"productId": [FRAME]}),
                owners=json.dumps(["acme"]),
                status="awaiting-owner",
            )
        )
        session.commit()
        [mirrored] = list_requests(session, "acme", box="inbox", now=NOW)  # listing mirrors it too
        assert mirrored.origin == "pact"
        with pytest.raises(InvalidFootprintRequestError, match="through the PACT flow"):
            fulfil_request(session, world.env.chain, mirrored.id, by="acme", declaration=frame, now=NOW)
        with pytest.raises(InvalidFootprintRequestError, match="through the PACT flow"):
            reject_request(session, mirrored.id, by="acme", code="AccessDenied", message="no", now=NOW)
        assert "leader" not in repository.grants_of(session=session, declaration_id=frame)
