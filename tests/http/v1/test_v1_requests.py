"""/v1/requests over HTTP: a chain leader requests, the supplier sees it in its inbox, forwards it one tier down,
fulfils with its anchored declaration (then may be read by the requester) or rejects; bad input is a 4xx naming
the value and writes nothing; the chain leader reads its coverage."""

from __future__ import annotations

from typing import Any

import pytest

DEADLINE = "2099-01-01T00:00:00Z"


def ask(client: Any, world: Any, products: list[str], **extra: Any) -> Any:
    body = {"to": "acme", "products": products, "deadline": DEADLINE, **extra}
    return client.post("/v1/requests", json=body, headers=world.headers("leader"))


def test_a_request_goes_to_the_suppliers_inbox_and_is_forwarded_one_tier_down(v1_world: Any, v1_client: Any) -> None:
    made = ask(v1_client, v1_world, ["urn:tanji:acme:http-wheel"], note="for the 2026 model")
    assert made.status_code == 201, made.text
    [request] = made.json()["items"]
    assert (request["tier"], request["status"], request["note"], request["overdue"]) == (
        1,
        "open",
        "for the 2026 model",
        False,
    )
    inbox = v1_client.get("/v1/requests", headers=v1_world.headers("acme")).json()["items"]
    assert request["id"] in {item["id"] for item in inbox}
    forwarded = v1_client.post(
        f"/v1/requests/{request['id']}/forwards",
        json={"to": "rival", "products": ["urn:tanji:rival:http-spoke"]},
        headers=v1_world.headers("acme"),
    )
    assert forwarded.status_code == 201, forwarded.text
    [child] = forwarded.json()["items"]
    assert (child["tier"], child["parentId"], child["leader"], child["deadline"]) == (
        2,
        request["id"],
        "leader",
        "2099-01-01T00:00:00+00:00",
    )
    coverage = v1_client.get("/v1/requests/coverage", headers=v1_world.headers("leader")).json()
    assert coverage["byTier"]["2"]["requested"] >= 1
    assert coverage["byProduct"]["urn:tanji:rival:http-spoke"]["open"] == 1


def test_a_second_open_request_for_the_same_product_and_supplier_is_a_conflict(v1_world: Any, v1_client: Any) -> None:
    assert ask(v1_client, v1_world, ["urn:tanji:acme:http-seat"]).status_code == 201
    again = ask(v1_client, v1_world, ["urn:tanji:acme:http-seat"])
    assert again.status_code == 409 and "already has open request" in again.json()["message"]


def test_a_rejection_carries_its_reason_to_the_requesters_outbox(v1_world: Any, v1_client: Any) -> None:
    [request] = ask(v1_client, v1_world, ["urn:tanji:acme:http-bell"]).json()["items"]
    answer = v1_client.post(
        f"/v1/requests/{request['id']}/rejection",
        json={"code": "AccessDenied", "message": "recipe is confidential"},
        headers=v1_world.headers("acme"),
    )
    assert answer.status_code == 200, answer.text
    outbox = v1_client.get("/v1/requests?box=outbox&status=rejected", headers=v1_world.headers("leader")).json()
    [seen] = [item for item in outbox["items"] if item["id"] == request["id"]]
    assert (seen["reasonCode"], seen["reasonMessage"]) == ("AccessDenied", "recipe is confidential")


@pytest.mark.parametrize(
    ("body", "status", "named"),
    [
        ({"to": "acme", "products": ["urn:tanji:acme:x"], "deadline": "2020-01-01T00:00:00Z"}, 422, "has passed"),
        ({"to": "acme", "products": ["urn:tanji:acme:x"], "deadline": "2099-01-01T00:00:00"}, 400, "timezone"),
        ({"to": "acme", "products": [], "deadline": DEADLINE}, 400, "products"),
        ({"to": "leader", "products": ["urn:tanji:acme:x"], "deadline": DEADLINE}, 422, "from itself"),
        ({"to": "ghost-org", "products": ["urn:tanji:acme:x"], "deadline": DEADLINE}, 422, "'ghost-org'"),
        ({"to": "acme", "products": ["a b"], "deadline": DEADLINE}, 422, "'a b'"),
        ({"to": "acme", "products": ["urn:tanji:acme:x"], "deadline": DEADLINE, "priority": 1}, 400, "priority"),
    ],
)
def test_malformed_requests_are_refused_naming_the_value_and_write_nothing(
    v1_world: Any, v1_client: Any, body: dict[str, Any], status: int, named: str
) -> None:
    before = v1_client.get("/v1/requests?box=outbox", headers=v1_world.headers("leader")).json()["items"]
    response = v1_client.post("/v1/requests", json=body, headers=v1_world.headers("leader"))
    assert response.status_code == status, response.text
    assert named in response.json()["message"]
    after = v1_client.get("/v1/requests?box=outbox", headers=v1_world.headers("leader")).json()["items"]
    assert len(after) == len(before)


def test_an_unknown_rejection_code_and_an_unknown_request_are_refused(v1_world: Any, v1_client: Any) -> None:
    [request] = ask(v1_client, v1_world, ["urn:tanji:acme:http-chain"]).json()["items"]
    bad = v1_client.post(
        f"/v1/requests/{request['id']}/rejection",
        json={"code": "Busy", "message": "later"},
        headers=v1_world.headers("acme"),
    )
    assert bad.status_code == 400 and "code" in bad.json()["message"]
    missing = v1_client.post(
        "/v1/requests/no-such-request/fulfilment", json={"declaration": v1_world.own}, headers=v1_world.headers("acme")
    )
    assert missing.status_code == 404 and "'no-such-request'" in missing.json()["message"]
