"""/v1/declarations: submit what the member signed locally, read it back, list it, follow its versions."""

from __future__ import annotations

from typing import Any


def submit(client: Any, world: Any, org: str, envelope: dict[str, Any]) -> Any:
    return client.post("/v1/declarations", json=envelope, headers=world.headers(org))


def test_a_supplier_submits_its_signed_declaration_and_it_is_anchored(v1_world: Any, v1_client: Any) -> None:
    envelope = v1_world.sign("acme", "urn:tanji:acme:wire")
    first = submit(v1_client, v1_world, "acme", envelope)
    assert first.status_code == 202, first.text
    assert first.json()["status"] == "pending" and first.json()["duplicate"] is False
    assert first.json()["digest"] == envelope["digest"]
    again = submit(v1_client, v1_world, "acme", envelope)
    assert again.status_code == 202 and again.json()["duplicate"] is True
    pending = v1_client.get(f"/v1/declarations/{first.json()['id']}").json()
    assert pending["anchor"] is None and pending["chainStatus"] is None
    v1_world.runtime.anchoring.run_once(flush=True)
    anchored = v1_client.get(f"/v1/declarations/{envelope['digest']}", headers=v1_world.headers("acme")).json()
    assert anchored["status"] == "anchored" and anchored["chainStatus"]["status"] == "anchored"
    assert anchored["payload"]["productIds"] == ["urn:tanji:acme:wire"]


def test_a_refused_envelope_says_why_and_stores_nothing(v1_world: Any, v1_client: Any) -> None:
    envelope = v1_world.sign("acme", "urn:tanji:acme:tampered")
    envelope["payload"]["pcf"]["pcfExcludingBiogenicUptake"] = "0.01"  # changed after signing
    response = submit(v1_client, v1_world, "acme", envelope)
    assert response.status_code == 422 and "declaration refused" in response.json()["message"]
    assert v1_client.get(f"/v1/declarations/{envelope['payload']['id']}").status_code == 404
    not_an_envelope = submit(v1_client, v1_world, "acme", {"type": "something-else"})
    assert not_an_envelope.status_code == 422 and "not a Tanji signed declaration" in not_an_envelope.json()["message"]


def test_versions_follow_preceding_ids_both_ways(v1_world: Any, v1_client: Any) -> None:
    first = v1_world.submit_and_anchor(v1_world.sign("acme", "urn:tanji:acme:rod"))
    second_envelope = v1_world.sign("acme", "urn:tanji:acme:rod", preceding=[first])
    second = submit(v1_client, v1_world, "acme", second_envelope).json()["id"]
    older = v1_client.get(f"/v1/declarations/{first}/versions").json()
    newer = v1_client.get(f"/v1/declarations/{second}/versions").json()
    assert [item["id"] for item in older["successors"]] == [second] and older["predecessors"] == []
    assert [item["id"] for item in newer["predecessors"]] == [first] and newer["successors"] == []


def test_the_list_filters_and_pages(v1_world: Any, v1_client: Any) -> None:
    headers = v1_world.headers("acme")
    everything = v1_client.get("/v1/declarations?limit=100", headers=headers).json()
    assert everything["total"] == len(everything["items"]) >= 2
    assert all(item["organization"] == "acme" for item in everything["items"])
    page = v1_client.get("/v1/declarations?limit=1&offset=1", headers=headers).json()
    assert page["items"][0]["id"] == everything["items"][1]["id"] and page["nextOffset"] == 2
    coil = v1_client.get(f"/v1/declarations?productId={v1_world.product}", headers=headers).json()
    assert [item["id"] for item in coil["items"]] == [v1_world.own]
    anchored = v1_client.get("/v1/declarations?status=anchored&limit=100", headers=headers).json()
    assert {item["status"] for item in anchored["items"]} == {"anchored"}
    for query in ("status=lost", "limit=abc", "limit=101", "offset=-1"):
        response = v1_client.get(f"/v1/declarations?{query}", headers=headers)
        assert response.status_code == 400, query
        assert response.json()["code"] == "BadRequest" and "query parameter" in response.json()["message"]


def test_unknown_declarations_are_404_everywhere(v1_world: Any, v1_client: Any) -> None:
    headers = v1_world.headers("acme")
    for suffix in ("", "/versions", "/proof", "/verification", "/attestations", "/grants"):
        response = v1_client.get(f"/v1/declarations/no-such-id{suffix}", headers=headers)
        assert response.status_code == 404, suffix
        assert response.json()["code"] == "NotFound" and "no-such-id" in response.json()["message"]
