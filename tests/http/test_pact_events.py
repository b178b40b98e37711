"""PACT Action Events: requests answered asynchronously to a fake data recipient on loopback, Published events,
and malformed events. Tests named test_case_N reproduce conformance case N (v3, or v2 where it says so)."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any

import pytest
from pact_world import PUBLIC_URL, FakeRecipient, World, fake_recipient

from api.http.pact_host import host_of
from ledger.errors import DeliveryError
from ledger.service.access import grant_access
from ledger.service.pact_delivery import PactDelivery, enqueue_event, register_peer
from ledger.storage.pact_repository import claim_due
from ledger.storage.pact_tables import PactOutboundRow

CE = {"Content-Type": "application/cloudevents+json; charset=UTF-8"}
V3_CREATED = "org.wbcsd.pact.ProductFootprint.RequestCreatedEvent.3"
V3_PUBLISHED = "org.wbcsd.pact.ProductFootprint.PublishedEvent.3"


@pytest.fixture(scope="module")
def world(served_pact_world: Callable[[str], AbstractContextManager[World]]) -> Iterator[World]:
    with served_pact_world("pact-events") as world:
        yield world


@pytest.fixture(scope="module")
def recipient(world: World) -> Iterator[FakeRecipient]:
    """leader's PACT endpoint, registered with the credentials it issued to Tanji."""
    with fake_recipient() as fake:
        register_peer(
            world.runtime.sessions,
            world.runtime.store.keyring,
            "leader",
            base_url=fake.url,
            client_id=fake.client_id,
            client_secret=fake.client_secret,
        )
        yield fake


def event(kind: str, data: dict[str, Any], source: str, event_id: str | None = None) -> dict[str, Any]:
    return {
        "specversion": "1.0",
        "id": event_id or f"{uuid.uuid4()}/13",
        "source": source,
        "time": "2026-05-19T10:30:00Z",
        "type": kind,
        "data": data,
    }


def wait_for(recipient: FakeRecipient, predicate: Any, timeout: float = 10.0) -> tuple[str, dict[str, Any]]:
    """The first event the recipient received that satisfies `predicate` (within `timeout` seconds)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for path, body in list(recipient.events):
            if predicate(body):
                return path, body
        time.sleep(0.05)
    raise AssertionError(
        f"no matching event within {timeout} s; received {recipient.events}, refused {recipient.refused}"
    )


def answer_to(event_id: str) -> Any:
    return lambda body: body.get("data", {}).get("requestEventId") == event_id


def test_cases_12_and_13_a_request_is_fulfilled_by_callback(world: World, recipient: FakeRecipient) -> None:
    sent = event(V3_CREATED, {"productId": ["urn:tanji:acme:p1"], "comment": "Please send PCF data"}, recipient.url)
    started = time.monotonic()
    answer = world.client.post("/3/events", json=sent, headers={**CE, **world.bearer("leader")})
    synchronous = time.monotonic() - started
    assert answer.status_code == 200 and answer.content == b""
    assert synchronous < 2.0
    path, callback = wait_for(recipient, answer_to(sent["id"]))
    latency = time.monotonic() - started
    assert path == "/3/events" and latency < 5.0
    assert callback["type"] == "org.wbcsd.pact.ProductFootprint.RequestFulfilledEvent.3"
    assert callback["specversion"] == "1.0" and uuid.UUID(callback["id"])
    assert [pf["id"] for pf in callback["data"]["pfs"]] == [world.ids["p1"]]
    assert callback["data"]["pfs"][0]["extensions"][-1]["data"]["status"] == "anchored"


def test_case_14_a_request_for_an_unknown_product_is_rejected_by_callback(
    world: World, recipient: FakeRecipient
) -> None:
    sent = event(V3_CREATED, {"productId": ["urn:pact:null"]}, recipient.url, event_id="run-1/14.B")
    assert world.client.post("/3/events", json=sent, headers={**CE, **world.bearer("leader")}).status_code == 200
    path, callback = wait_for(recipient, answer_to("run-1/14.B"))
    assert path == "/3/events"
    assert callback["type"] == "org.wbcsd.pact.ProductFootprint.RequestRejectedEvent.3"
    assert callback["data"]["error"] == {"code": "NotFound", "message": "The requested footprint could not be found."}


def test_a_request_for_a_footprint_not_shared_waits_for_its_owner(world: World, recipient: FakeRecipient) -> None:
    host = host_of(world.client.app)  # type: ignore[arg-type]
    sent = event(V3_CREATED, {"pf": {"productIds": ["urn:tanji:acme:p2"]}}, recipient.url)
    assert world.client.post("/3/events", json=sent, headers={**CE, **world.bearer("leader")}).status_code == 200
    waiting = host.requests.awaiting("acme")
    assert [row.event_id for row in waiting] == [sent["id"]]
    listed = world.client.get("/3/footprints", headers=world.bearer("leader")).json()["data"]
    assert world.ids["p2"] not in {pf["id"] for pf in listed}
    assert host.requests.awaiting("leader") == []
    host.requests.answer_request("acme", waiting[0].seq or 0, accept=True)
    host.wake.set()
    _, callback = wait_for(recipient, answer_to(sent["id"]))
    assert [pf["id"] for pf in callback["data"]["pfs"]] == [world.ids["p2"]]
    listed = world.client.get("/3/footprints", headers=world.bearer("leader")).json()["data"]
    assert world.ids["p2"] in {pf["id"] for pf in listed}  # requested and fulfilled: now visible


def test_an_owner_that_declines_sends_access_denied(world: World, recipient: FakeRecipient) -> None:
    host = host_of(world.client.app)  # type: ignore[arg-type]
    sent = event(V3_CREATED, {"productId": "urn:tanji:acme:p3"}, recipient.url)
    assert world.client.post("/3/events", json=sent, headers={**CE, **world.bearer("leader")}).status_code == 200
    seq = host.requests.awaiting("acme")[0].seq or 0
    host.requests.answer_request("acme", seq, accept=False, message="not for you")
    host.wake.set()
    _, callback = wait_for(recipient, answer_to(sent["id"]))
    assert callback["data"]["error"] == {"code": "AccessDenied", "message": "not for you"}


def test_the_same_request_twice_is_answered_once(world: World, recipient: FakeRecipient) -> None:
    sent = event(V3_CREATED, {"productId": ["urn:tanji:leader:assembly"]}, recipient.url)
    for _ in range(2):
        assert world.client.post("/3/events", json=sent, headers={**CE, **world.bearer("leader")}).status_code == 200
    wait_for(recipient, answer_to(sent["id"]))
    time.sleep(1.0)
    assert sum(1 for _, body in recipient.events if answer_to(sent["id"])(body)) == 1


def test_v2_case_12_a_v2_request_is_fulfilled_with_v2_footprints_at_2_events(
    world: World, recipient: FakeRecipient
) -> None:
    sent = event(
        "org.wbcsd.pathfinder.ProductFootprintRequest.Created.v1",
        {"pf": {"productIds": ["urn:tanji:acme:p1"]}, "comment": "v2 please"},
        recipient.url,
    )
    assert world.client.post("/2/events", json=sent, headers={**CE, **world.bearer("leader")}).status_code == 200
    path, callback = wait_for(recipient, answer_to(sent["id"]))
    assert path == "/2/events"
    assert callback["type"] == "org.wbcsd.pathfinder.ProductFootprintRequest.Fulfilled.v1"
    footprint = callback["data"]["pfs"][0]
    assert footprint["specVersion"] == "2.3.0" and footprint["pcf"]["declaredUnit"] == "kilogram"


def test_published_events_reach_a_recipient_when_a_footprint_it_may_see_is_anchored(
    world: World, recipient: FakeRecipient
) -> None:
    late = world.declare(world.members.acme, "acme", "granted-late", product="urn:tanji:acme:granted-late")
    with world.runtime.sessions() as session:
        grant_access(session, late, recipient="leader", granted_by="acme")
    world.anchor()
    host_of(world.client.app).wake.set()  # type: ignore[arg-type]
    path, published = wait_for(recipient, lambda body: body.get("data", {}).get("pfIds") == [late])
    assert path == "/3/events" and published["type"] == V3_PUBLISHED


def test_case_15_a_published_event_with_uuids_is_accepted(world: World) -> None:
    sent = event(V3_PUBLISHED, {"pfIds": [str(uuid.uuid4())]}, "https://webhook.example.com")
    answer = world.client.post("/3/events", json=sent, headers={**CE, **world.bearer("leader")})
    assert answer.status_code == 200 and answer.content == b""


def test_case_16_events_with_an_invalid_token_are_refused(world: World) -> None:
    sent = event(V3_PUBLISHED, {"pfIds": [str(uuid.uuid4())]}, "https://webhook.example.com")
    for path in ("/3/events", "/2/events"):
        answer = world.client.post(path, json=sent, headers={**CE, "Authorization": "Bearer very-invalid-token"})
        assert answer.status_code in (400, 401) and answer.json()["code"] == "BadRequest"


@pytest.mark.parametrize("path", ["/3/events", "/2/events"])
def test_case_40_and_v2_case_21_a_published_event_with_urn_ids_is_400(world: World, path: str) -> None:
    kind = V3_PUBLISHED if path == "/3/events" else "org.wbcsd.pathfinder.ProductFootprint.Published.v1"
    sent = event(kind, {"pfIds": ["urn:gtin:4712345060507"]}, "https://webhook.example.com")
    answer = world.client.post(path, json=sent, headers={**CE, **world.bearer("leader")})
    assert answer.status_code == 400 and "not a UUID" in answer.json()["message"]


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ({"specversion": "1.0"}, "'type'"),
        ({**event(V3_CREATED, {"productId": ["x"]}, "s"), "type": "org.example.Other"}, "not a PACT v3 event"),
        ({**event(V3_CREATED, {"productId": ["x"]}, "s"), "time": "yesterday"}, "time"),
        ({**event(V3_CREATED, {"productId": ["x"]}, "s"), "specversion": "0.3"}, "specversion"),
        (event(V3_CREATED, {}, "s"), "at least one criterion"),
        (event(V3_CREATED, {"productId": [1]}, "s"), "data.productId"),
        (event(V3_CREATED, {"validOn": "soon"}, "s"), "validOn"),
        ([1, 2], "JSON object"),
    ],
)
def test_malformed_events_are_400_naming_the_problem(world: World, body: Any, named: str) -> None:
    answer = world.client.post("/3/events", json=body, headers={**CE, **world.bearer("leader")})
    assert answer.status_code == 400 and named in answer.json()["message"]


def test_malformed_json_and_a_wrong_content_type_are_refused(world: World) -> None:
    headers = {**CE, **world.bearer("leader")}
    assert world.client.post("/3/events", content=b"{not json", headers=headers).status_code == 400
    plain = {**world.bearer("leader"), "Content-Type": "text/plain"}
    assert world.client.post("/3/events", content=b"{}", headers=plain).status_code == 415


def test_a_request_from_an_organization_without_an_endpoint_or_with_another_source_is_400(
    world: World, recipient: FakeRecipient
) -> None:
    sent = event(V3_CREATED, {"productId": ["urn:tanji:acme:p1"]}, recipient.url)
    answer = world.client.post("/3/events", json=sent, headers={**CE, **world.bearer("audit")})
    assert answer.status_code == 400 and "no PACT endpoint registered" in answer.json()["message"]
    elsewhere = event(V3_CREATED, {"productId": ["urn:tanji:acme:p1"]}, "https://attacker.example")
    answer = world.client.post("/3/events", json=elsewhere, headers={**CE, **world.bearer("leader")})
    assert answer.status_code == 400 and "not the endpoint registered" in answer.json()["message"]


class DownTransport:
    """A recipient that cannot be reached."""

    def fetch_token(self, token_url: str, client_id: str, client_secret: str) -> str:
        raise DeliveryError(f"{token_url} refused the connection")

    def post_event(self, url: str, token: str, event: dict[str, Any]) -> None:
        raise AssertionError("never reached")


def test_an_unreachable_recipient_is_retried_later_with_backoff(world: World, recipient: FakeRecipient) -> None:
    runtime = world.runtime
    with runtime.sessions() as session:
        row = enqueue_event(session, "leader", f"{recipient.url}/3/events", f"{recipient.url}/auth/token", {"x": 1})
        row.next_attempt_at = int(time.time()) + 3600  # not due for the app's own delivery thread
        session.commit()
        seq = row.seq
    delivery = PactDelivery(runtime.sessions, runtime.store.keyring, DownTransport(), public_url=PUBLIC_URL)
    before = int(time.time())
    with runtime.sessions() as session:
        claimed = claim_due(session=session, now=before + 7200, limit=1000)
    mine = [row for row in claimed if row.seq == seq]
    assert mine and delivery._send(mine[0]) is False
    with runtime.sessions() as session:
        stored = session.get(PactOutboundRow, seq)
        assert stored is not None and stored.status == "pending" and stored.attempts == 1
        assert before + 1 <= stored.next_attempt_at <= int(time.time()) + 1 and "refused the connection" in (
            stored.last_error or ""
        )
