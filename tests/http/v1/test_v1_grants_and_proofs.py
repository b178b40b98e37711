"""Grants (in full or a disclosure of chosen fields), proof bundles cut to the caller, verification of bundles
against the server's trusted deployment."""

from __future__ import annotations

from typing import Any

from ledger.storage import directory

PCF = "/pcf/pcfExcludingBiogenicUptake"


def new_declaration(world: Any, product: str) -> str:
    return str(world.submit_and_anchor(world.sign("acme", product)))


def test_a_disclosure_shows_only_its_fields_and_they_verify(v1_world: Any, v1_client: Any) -> None:
    key = new_declaration(v1_world, "urn:tanji:acme:disclosed")
    acme, rival = v1_world.headers("acme"), v1_world.headers("rival")
    granted = v1_client.post(
        f"/v1/declarations/{key}/grants",
        json={"recipient": "rival", "fields": ["pcfExcludingBiogenicUptake"]},
        headers=acme,
    )
    assert granted.status_code == 201 and granted.json()["fields"] == [PCF]
    seen = v1_client.get(f"/v1/declarations/{key}", headers=rival).json()
    assert seen["access"] == "disclosed" and seen["payload"] is None and list(seen["disclosed"]) == [PCF]
    bundle = v1_client.get(f"/v1/declarations/{key}/proof", headers=rival).json()
    assert "envelope" not in bundle and list(bundle["disclosure"]["revealed"]) == [PCF]
    beyond = v1_client.get(f"/v1/declarations/{key}/proof?disclose=/productIds", headers=rival)
    assert beyond.status_code == 403 and "/productIds" in beyond.json()["message"]
    report = v1_client.post("/v1/verifications", json=bundle).json()
    assert report["valid"] is True and report["info"]["revealed"] == {PCF: seen["disclosed"][PCF]}


def test_the_declarant_lists_and_withdraws_grants(v1_world: Any, v1_client: Any) -> None:
    key = new_declaration(v1_world, "urn:tanji:acme:withdrawn")
    acme = v1_world.headers("acme")
    v1_client.post(f"/v1/declarations/{key}/grants", json={"recipient": "leader"}, headers=acme)
    v1_client.post(f"/v1/declarations/{key}/grants", json={"recipient": "bank", "fields": [PCF]}, headers=acme)
    listed = v1_client.get(f"/v1/declarations/{key}/grants", headers=acme).json()["items"]
    assert [(item["recipient"], item["fields"]) for item in listed] == [("bank", [PCF]), ("leader", None)]
    assert v1_client.get(f"/v1/declarations/{key}", headers=v1_world.headers("leader")).json()["access"] == "granted"
    assert v1_client.delete(f"/v1/declarations/{key}/grants/leader", headers=acme).status_code == 204
    assert v1_client.get(f"/v1/declarations/{key}", headers=v1_world.headers("leader")).json()["access"] == "public"
    assert v1_client.delete(f"/v1/declarations/{key}/grants/leader", headers=acme).status_code == 404


def test_a_grant_naming_an_unknown_field_writes_nothing(v1_world: Any, v1_client: Any) -> None:
    key = new_declaration(v1_world, "urn:tanji:acme:no-partial")
    body = {"recipient": "bank", "fields": [PCF, "noSuchField"]}
    response = v1_client.post(f"/v1/declarations/{key}/grants", json=body, headers=v1_world.headers("acme"))
    assert response.status_code == 422 and "noSuchField" in response.json()["message"]
    with v1_world.runtime.sessions() as session:
        assert directory.disclosure_of(session=session, declaration_id=key, recipient="bank") is None
    to_self = v1_client.post(
        f"/v1/declarations/{key}/grants", json={"recipient": "acme"}, headers=v1_world.headers("acme")
    )
    assert to_self.status_code == 422


def test_a_full_bundle_verifies_and_a_foreign_deployment_does_not(v1_world: Any, v1_client: Any) -> None:
    bundle = v1_client.get(f"/v1/declarations/{v1_world.own}/proof", headers=v1_world.headers("leader")).json()
    assert bundle["envelope"]["digest"] == bundle["digest"]
    assert v1_client.post("/v1/verifications", json=bundle).json()["valid"] is True
    foreign = {**bundle, "chain": {**bundle["chain"], "ledger": "0x" + "11" * 20}}
    report = v1_client.post("/v1/verifications", json=foreign).json()
    assert report["valid"] is False and report["firstFailure"]["name"] == "deployment"
    forged = {**bundle, "digest": "0x" + "22" * 32}
    assert v1_client.post("/v1/verifications", json=forged).json()["valid"] is False
    broken = {**bundle, "envelope": {"type": "tanji.signed-declaration/1", "payload": 7}}
    report = v1_client.post("/v1/verifications", json=broken)
    assert report.status_code == 200 and report.json()["valid"] is False


def test_a_stored_declaration_is_verified_now(v1_world: Any, v1_client: Any) -> None:
    report = v1_client.get(f"/v1/declarations/{v1_world.own}/verification").json()
    assert report["valid"] is True and report["digest"] == v1_world.envelopes["own"]["digest"]
    assert {check["name"] for check in report["checks"]} >= {"signature"}
