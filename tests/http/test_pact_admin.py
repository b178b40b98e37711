"""PACT administration over HTTP: the operator registers data recipients (/v1/pact/peers); an owner lists and answers
the footprint requests awaiting it (/v1/pact/requests), and the requester gets the callback."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any

import pytest
from pact_world import FakeRecipient, World, fake_recipient

from ledger.service.pact_peers import list_peers

CE = {"Content-Type": "application/cloudevents+json; charset=UTF-8"}
V3_CREATED = "org.wbcsd.pact.ProductFootprint.RequestCreatedEvent.3"


@pytest.fixture(scope="module")
def world(served_pact_world: Callable[[str], AbstractContextManager[World]]) -> Iterator[World]:
    with served_pact_world("pact-admin") as world:
        yield world


@pytest.fixture(scope="module")
def recipient(world: World) -> Iterator[FakeRecipient]:
    """leader's PACT endpoint, registered by the operator over HTTP."""
    with fake_recipient() as fake:
        response = world.client.post("/v1/pact/peers", json=peer_body(fake.url, fake), headers=world.bearer("operator"))
        assert response.status_code == 201, response.text
        yield fake


def peer_body(url: str, fake: FakeRecipient | None = None, org: str = "leader") -> dict[str, str]:
    return {
        "org": org,
        "baseUrl": url,
        "clientId": fake.client_id if fake else "tanji-client",
        "clientSecret": fake.client_secret if fake else "a-secret",
    }


def request_footprint(world: World, recipient: FakeRecipient, product: str) -> str:
    """leader asks for `product` (RequestCreated); the event id."""
    event_id = str(uuid.uuid4())
    sent = {
        "specversion": "1.0",
        "id": event_id,
        "source": recipient.url,
        "time": "2026-05-19T10:30:00Z",
        "type": V3_CREATED,
        "data": {"productId": [product]},
    }
    assert world.client.post("/3/events", json=sent, headers={**CE, **world.bearer("leader")}).status_code == 200
    return event_id


def pending_seq(world: World, org: str, requester: str = "leader") -> int:
    listed = world.client.get("/v1/pact/requests", headers=world.bearer(org))
    assert listed.status_code == 200, listed.text
    seqs = [item["seq"] for item in listed.json()["items"] if item["requester"] == requester]
    assert seqs, listed.text
    return int(seqs[-1])


def callback_for(recipient: FakeRecipient, event_id: str, timeout: float = 10.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for _, body in list(recipient.events):
            if body.get("data", {}).get("requestEventId") == event_id:
                return body
        time.sleep(0.05)
    raise AssertionError(f"no callback for {event_id}; received {recipient.events}")


def test_the_operator_registers_and_lists_a_peer_without_its_secret(world: World, recipient: FakeRecipient) -> None:
    listed = world.client.get("/v1/pact/peers", headers=world.bearer("operator"))
    assert listed.status_code == 200
    items = listed.json()["items"]
    assert [(p["org"], p["baseUrl"], p["clientId"]) for p in items] == [("leader", recipient.url, recipient.client_id)]
    assert recipient.client_secret not in listed.text


def test_an_owner_accepts_a_request_and_the_requester_gets_the_footprint(
    world: World, recipient: FakeRecipient
) -> None:
    event_id = request_footprint(world, recipient, "urn:tanji:acme:p2")
    seq = pending_seq(world, "acme")
    assert world.client.get("/v1/pact/requests", headers=world.bearer("leader")).json()["items"] == []
    answered = world.client.post(f"/v1/pact/requests/{seq}/accept", headers=world.bearer("acme"))
    assert answered.status_code == 200 and answered.json() == {"seq": seq, "status": "fulfilled"}
    callback = callback_for(recipient, event_id)
    assert [pf["id"] for pf in callback["data"]["pfs"]] == [world.ids["p2"]]
    assert all(
        item["seq"] != seq
        for item in world.client.get("/v1/pact/requests", headers=world.bearer("acme")).json()["items"]
    )


def test_an_owner_declines_with_a_message(world: World, recipient: FakeRecipient) -> None:
    event_id = request_footprint(world, recipient, "urn:tanji:acme:p3")
    seq = pending_seq(world, "acme")
    answered = world.client.post(
        f"/v1/pact/requests/{seq}/decline", json={"message": "not for you"}, headers=world.bearer("acme")
    )
    assert answered.status_code == 200 and answered.json()["status"] == "rejected"
    assert callback_for(recipient, event_id)["data"]["error"] == {"code": "AccessDenied", "message": "not for you"}


def test_answering_another_organizations_request_is_refused(world: World, recipient: FakeRecipient) -> None:
    request_footprint(world, recipient, "urn:tanji:acme:p3")
    seq = pending_seq(world, "acme")
    for org in ("leader", "audit"):
        response = world.client.post(f"/v1/pact/requests/{seq}/accept", headers=world.bearer(org))
        assert response.status_code == 404 and response.json()["code"] == "NotFound"
        assert f"no footprint request {seq}" in response.json()["message"]
    assert seq == pending_seq(world, "acme")  # still awaiting acme, nothing shared
    listed = world.client.get("/3/footprints", headers=world.bearer("leader")).json()["data"]
    assert world.ids["p3"] not in {pf["id"] for pf in listed}


def test_a_supplier_registering_a_peer_is_refused(world: World) -> None:
    body = peer_body("https://pact.acme.example", org="acme")
    response = world.client.post("/v1/pact/peers", json=body, headers=world.bearer("acme"))
    assert response.status_code == 403 and response.json()["code"] == "AccessDenied"
    assert world.client.get("/v1/pact/peers", headers=world.bearer("acme")).status_code == 403
    assert world.client.delete("/v1/pact/peers/leader", headers=world.bearer("acme")).status_code == 403
    assert world.client.get("/v1/pact/peers").status_code == 401
    assert "acme" not in {peer.org_handle for peer in list_peers(world.runtime.sessions)}


@pytest.mark.parametrize(
    ("body", "status", "named"),
    [
        (peer_body("http://pact.acme.example", org="acme"), 422, "http://pact.acme.example"),
        (peer_body("https://pact.acme.example/x?token=1", org="acme"), 422, "without query"),
        (peer_body("https://pact.ghost.example", org="ghost-org"), 404, "ghost-org"),
        ({**peer_body("https://pact.acme.example", org="acme"), "role": "admin"}, 400, "role"),
        ({"org": "acme", "baseUrl": "https://pact.acme.example", "clientId": "x"}, 400, "clientSecret"),
        (peer_body("https://pact.acme.example", org="a/b"), 400, "org"),
    ],
)
def test_a_bad_peer_is_refused_naming_the_problem_and_nothing_is_stored(
    world: World, body: dict[str, Any], status: int, named: str
) -> None:
    before = list_peers(world.runtime.sessions)
    response = world.client.post("/v1/pact/peers", json=body, headers=world.bearer("operator"))
    assert response.status_code == status, response.text
    assert set(response.json()) == {"code", "message"} and named in response.json()["message"]
    assert list_peers(world.runtime.sessions) == before


@pytest.mark.parametrize(
    ("path", "body", "status"),
    [
        ("/v1/pact/requests/not-a-number/accept", None, 400),
        ("/v1/pact/requests/0/accept", None, 400),
        ("/v1/pact/requests/999999/accept", None, 404),
        ("/v1/pact/requests/999999/decline", {"message": "no", "extra": 1}, 400),
        ("/v1/pact/requests/999999/decline", {"message": ""}, 400),
    ],
)
def test_a_bad_answer_is_refused(world: World, path: str, body: Any, status: int) -> None:
    response = world.client.post(path, json=body, headers=world.bearer("acme"))
    assert response.status_code == status, response.text
    assert response.json()["code"] in ("BadRequest", "NotFound")


def test_the_operator_removes_a_peer(world: World) -> None:
    created = world.client.post(
        "/v1/pact/peers", json=peer_body("https://pact.audit.example", org="audit"), headers=world.bearer("operator")
    )
    assert created.status_code == 201 and created.json()["org"] == "audit"
    assert world.client.delete("/v1/pact/peers/audit", headers=world.bearer("operator")).status_code == 204
    assert "audit" not in {peer.org_handle for peer in list_peers(world.runtime.sessions)}
    again = world.client.delete("/v1/pact/peers/audit", headers=world.bearer("operator"))
    assert again.status_code == 404 and "audit" in again.json()["message"]
