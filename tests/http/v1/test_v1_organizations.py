"""/v1/organizations: public facts, registration by the operator with validated legal identifiers, companyIds."""

from __future__ import annotations

from typing import Any

from eth_account import Account

from ledger.service.organizations import company_ids
from ledger.storage.tables import OrgIdentifierRow

LEI = "529900T8BM49AURSDO55"
USCC = "91110000600037341L"


def register(client: Any, world: Any, handle: str, **identifiers: str) -> Any:
    body = {"handle": handle, "firstKey": Account.create().address, "roles": ["supplier"], "identifiers": identifiers}
    return client.post("/v1/organizations", json=body, headers=world.headers("operator"))


def test_anyone_reads_an_organizations_public_facts(v1_world: Any, v1_client: Any) -> None:
    body = v1_client.get("/v1/organizations/leader").json()
    assert body["roles"] == ["chain-leader"] and body["suspended"] is False
    assert body["keys"][0]["address"] == v1_world.keys["leader"].address and body["keys"][0]["active"] is True
    assert body["orgId"].startswith("0x") and len(body["orgId"]) == 66


def test_the_operator_registers_an_organization_with_its_legal_identifiers(v1_world: Any, v1_client: Any) -> None:
    response = register(v1_client, v1_world, "baosteel-test", uscc=USCC.lower(), lei=LEI)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["roles"] == ["supplier"] and len(body["keys"]) == 1
    assert body["companyIds"] == [f"urn:lei:{LEI}", f"urn:uscc:{USCC}"]
    assert v1_client.get("/v1/organizations/baosteel-test").json()["companyIds"] == body["companyIds"]
    with v1_world.runtime.sessions() as session:
        assert company_ids(session, "baosteel-test") == body["companyIds"]
        assert company_ids(session, "leader") == []
    listed = v1_client.get("/v1/organizations?limit=100").json()
    assert "baosteel-test" in {item["handle"] for item in listed["items"]}


def test_a_bad_check_character_registers_nothing(v1_world: Any, v1_client: Any) -> None:
    response = register(v1_client, v1_world, "typo-corp", uscc=USCC[:-1] + "M", lei=LEI)
    assert response.status_code == 422
    assert "fails its check character" in response.json()["message"]
    assert v1_client.get("/v1/organizations/typo-corp").status_code == 404  # not on chain
    with v1_world.runtime.sessions() as session:
        assert session.get(OrgIdentifierRow, ("typo-corp", "lei")) is None


def test_one_legal_entity_is_one_member(v1_world: Any, v1_client: Any) -> None:
    assert register(v1_client, v1_world, "first-holder", lei="7ZW8QJWVPR4P1J1KQY45").status_code == 201
    response = register(v1_client, v1_world, "second-holder", lei="7ZW8QJWVPR4P1J1KQY45")
    assert response.status_code == 409 and "first-holder" in response.json()["message"]
    assert v1_client.get("/v1/organizations/second-holder").status_code == 404
    again = register(v1_client, v1_world, "first-holder")
    assert again.status_code == 409 and "already registered" in again.json()["message"]


def test_identifiers_of_a_member_are_recorded_and_replaced_per_scheme(v1_world: Any, v1_client: Any) -> None:
    headers = v1_world.headers("operator")
    first = v1_client.put("/v1/organizations/rival/identifiers", json={"lei": "HWUPKR0MPOU8FGXBT394"}, headers=headers)
    assert first.status_code == 200 and first.json()["companyIds"] == ["urn:lei:HWUPKR0MPOU8FGXBT394"]
    second = v1_client.put("/v1/organizations/rival/identifiers", json={"uscc": "91350100M000100Y43"}, headers=headers)
    assert second.json()["companyIds"] == ["urn:lei:HWUPKR0MPOU8FGXBT394", "urn:uscc:91350100M000100Y43"]
    unknown = v1_client.put("/v1/organizations/nobody-here/identifiers", json={"lei": LEI}, headers=headers)
    assert unknown.status_code == 404


def test_registration_bodies_are_strict(v1_world: Any, v1_client: Any) -> None:
    headers = v1_world.headers("operator")
    extra = {"handle": "x-corp", "firstKey": Account.create().address, "admin": True}
    response = v1_client.post("/v1/organizations", json=extra, headers=headers)
    assert response.status_code == 400 and "'admin'" in response.json()["message"]
    bad_role = {"handle": "x-corp", "firstKey": Account.create().address, "roles": ["king"]}
    assert v1_client.post("/v1/organizations", json=bad_role, headers=headers).status_code == 400
    bad_key = {"handle": "x-corp", "firstKey": "0x123"}
    response = v1_client.post("/v1/organizations", json=bad_key, headers=headers)
    assert response.status_code == 400 and "firstKey" in response.json()["message"]
    assert v1_client.get("/v1/organizations/x-corp").status_code == 404


def test_organizations_are_listed_page_by_page(v1_client: Any) -> None:
    first = v1_client.get("/v1/organizations?limit=2").json()
    assert len(first["items"]) == 2 and first["nextOffset"] == 2 and first["total"] >= 8
    second = v1_client.get("/v1/organizations?limit=2&offset=2").json()
    assert {item["handle"] for item in first["items"]}.isdisjoint(item["handle"] for item in second["items"])
    assert v1_client.get("/v1/organizations?limit=0").status_code == 400
    assert v1_client.get("/v1/organizations?offset=abc").status_code == 400
