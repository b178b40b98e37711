"""PACT v3 ListFootprints and GetFootprint: visibility, filters, pagination, errors, and on-chain verification
of a served footprint. Tests named test_case_N reproduce conformance case N (v3-test-cases-expected-results.md)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any

import pytest
from pact_world import ECLASS, PUBLIC_URL, World


@pytest.fixture(scope="module")
def world(served_pact_world: Callable[[str], AbstractContextManager[World]]) -> Iterator[World]:
    with served_pact_world("pact-v3") as world:
        yield world


def ids_of(response: Any) -> set[str]:
    assert response.status_code == 200, response.text
    return {footprint["id"] for footprint in response.json()["data"]}


def test_a_supplier_sees_exactly_its_own_anchored_footprints(world: World) -> None:
    seen = ids_of(world.client.get("/3/footprints", headers=world.bearer("acme")))
    assert seen == {world.ids["p1"], world.ids["p2"], world.ids["p3"]}


def test_a_customer_sees_its_own_and_what_it_was_granted_never_others(world: World) -> None:
    seen = ids_of(world.client.get("/3/footprints", headers=world.bearer("leader")))
    assert seen == {world.ids["assembly"], world.ids["p1"]}
    denied = world.client.get(f"/3/footprints/{world.ids['p2']}", headers=world.bearer("leader"))
    assert denied.status_code == 403 and denied.json()["code"] == "AccessDenied"
    assert ids_of(world.client.get("/3/footprints", headers=world.bearer("audit"))) == set()


def test_case_3_get_footprint_returns_the_footprint_with_its_proof(world: World) -> None:
    answer = world.client.get(f"/3/footprints/{world.ids['p1']}", headers=world.bearer("acme"))
    assert answer.status_code == 200
    footprint = answer.json()["data"]
    assert footprint["id"] == world.ids["p1"] and footprint["status"] == "Active"
    proof = footprint["extensions"][-1]
    assert proof["dataSchema"].endswith("/proof/1.0.0/data-model.json")
    assert proof["data"]["status"] == "anchored" and proof["data"]["anchor"]["block"] > 0
    assert proof["data"]["chain"]["chainId"] == world.runtime.chain.trust_anchors.chain_id


def test_a_served_footprint_verifies_on_chain_and_a_forged_one_does_not(world: World) -> None:
    from ledger.service.pact_exchange import verify_served_footprint

    footprint = world.client.get(f"/3/footprints/{world.ids['p2']}", headers=world.bearer("acme")).json()["data"]
    report = verify_served_footprint(footprint, world.runtime.chain)
    assert report.valid, report.as_dict()
    footprint["pcf"]["pcfExcludingBiogenicUptake"] = "0.01"
    forged = verify_served_footprint(footprint, world.runtime.chain)
    assert not forged.valid and forged.first_failure is not None and forged.first_failure.name == "envelope"


def test_case_4_two_list_calls_see_the_same_set(world: World) -> None:
    first = ids_of(world.client.get("/3/footprints", headers=world.bearer("acme")))
    assert ids_of(world.client.get("/3/footprints", headers=world.bearer("acme"))) == first


def test_case_5_pagination_links_start_with_the_base_url_and_walk_every_footprint(world: World) -> None:
    headers = world.bearer("acme")
    answer = world.client.get("/3/footprints?limit=1", headers=headers)
    seen: list[str] = []
    while True:
        assert answer.status_code == 200
        assert len(answer.json()["data"]) <= 1
        seen += [footprint["id"] for footprint in answer.json()["data"]]
        link = answer.headers.get("link")
        if link is None:
            break
        url, rel = link.split(";")
        assert rel.strip() == 'rel="next"' and url.startswith(f"<{PUBLIC_URL}/3/footprints?")
        again = world.client.get(url.strip("<>"), headers=headers)  # a link can be called more than once
        answer = world.client.get(url.strip("<>"), headers=headers)
        assert again.json() == answer.json()
    assert sorted(seen) == sorted([world.ids["p1"], world.ids["p2"], world.ids["p3"]])


@pytest.mark.parametrize("case", [6, 7])
def test_case_6_and_7_an_invalid_token_is_refused_with_bad_request(world: World, case: int) -> None:
    path = "/3/footprints" if case == 6 else f"/3/footprints/{world.ids['p1']}"
    answer = world.client.get(path, headers={"Authorization": "Bearer very-invalid-access-token"})
    assert answer.status_code in (400, 401) and answer.json()["code"] == "BadRequest"
    assert "data" not in answer.json()


@pytest.mark.parametrize("footprint_id", ["non-existent-id", "00000000-0000-0000-0000-000000000000"])
def test_case_8_an_unknown_footprint_is_404_not_found(world: World, footprint_id: str) -> None:
    answer = world.client.get(f"/3/footprints/{footprint_id}", headers=world.bearer("acme"))
    assert answer.status_code == 404
    assert answer.json() == {"code": "NotFound", "message": f"Footprint with ID '{footprint_id}' does not exist"}


@pytest.mark.parametrize(
    ("case", "query", "expected"),
    [
        (20, "productId=urn:tanji:acme:p1", {"p1"}),
        (20, "productId=URN:TANJI:ACME:P1", {"p1"}),  # case-insensitive
        (21, "companyId=urn:uuid:acme-company", {"p1", "p2", "p3"}),
        (22, "geography=DE", {"p1"}),
        (22, "geography=D", set()),  # exact, never a prefix
        (23, "classification=" + ECLASS.replace("#", "%23"), {"p1"}),
        (24, "validOn=2026-01-15T10:15:30Z", {"p1", "p2", "p3"}),
        (24, "validOn=2026-01-15T10:15:30+00:00", {"p1", "p2", "p3"}),  # the unencoded '+' arrives as a space
        (25, "validAfter=2026-01-14T10:15:30Z", {"p3"}),
        (26, "validBefore=2027-01-02T00:00:00Z", {"p3"}),
        (27, "status=Active", {"p1", "p2", "p3"}),
        (27, "status=active", {"p1", "p2", "p3"}),
        (28, "status=Active&productId=urn:tanji:acme:p2", {"p2"}),
        (29, "companyId=urn:uuid:acme-company&companyId=abcdefgh&companyId=urn:uuid:other", {"p1", "p2", "p3"}),
        (29, "productId=urn:tanji:acme:p1&productId=urn:tanji:acme:p2&geography=CN", {"p2"}),  # OR within, AND across
        (30, "productId=urn:bogus:product:nonexistent123", set()),
        (31, "companyId=urn:bogus:company:nonexistent456", set()),
        (32, "geography=XX", set()),
        (33, "classification=urn:bogus:classification:nonexistent789", set()),
        (34, "validOn=1900-01-01T00:00:00Z", set()),
        (35, "validAfter=2099-12-31T23:59:59Z", set()),
        (36, "validBefore=1900-01-01T00:00:00Z", set()),
        (37, "status=BogusStatusValue", set()),
        (38, "companyId=urn:bogus:company:5FIi8zS3&productId=urn:bogus:product:nonexistent123", set()),
        (39, "companyId=urn:bogus:company:a&companyId=urn:bogus:company:b&companyId=urn:bogus:company:c", set()),
    ],
)
def test_cases_20_to_39_filters(world: World, case: int, query: str, expected: set[str]) -> None:
    raw = query.replace("+00:00", " 00:00") if "+00:00" in query else query
    seen = ids_of(world.client.get(f"/3/footprints?{raw}", headers=world.bearer("acme")))
    assert seen == {world.ids[name] for name in expected}, case


def test_a_date_filter_that_is_not_a_date_is_400_naming_it(world: World) -> None:
    answer = world.client.get("/3/footprints?validOn=yesterday", headers=world.bearer("acme"))
    assert answer.status_code == 400 and "validOn 'yesterday'" in answer.json()["message"]


def test_case_40_odata_filter_is_refused_on_v3(world: World) -> None:
    answer = world.client.get("/3/footprints?$filter=created ge '2023-01-15T10:15:30Z'", headers=world.bearer("acme"))
    assert answer.status_code == 400 and "data" not in answer.json()


def test_a_wrong_limit_is_400(world: World) -> None:
    answer = world.client.get("/3/footprints?limit=-1", headers=world.bearer("acme"))
    assert answer.status_code == 400 and "limit" in answer.json()["message"]


# last: it anchors one more footprint of acme into the module's world
def test_a_pagination_link_keeps_its_snapshot_and_is_bound_to_its_organization(world: World) -> None:
    answer = world.client.get("/3/footprints?limit=2", headers=world.bearer("acme"))
    link = answer.headers["link"].split(";")[0].strip("<>")
    world.declare(world.members.acme, "acme", "late", product="urn:tanji:acme:late")
    world.anchor()
    rest = ids_of(world.client.get(link, headers=world.bearer("acme")))
    assert world.ids["late"] not in rest and len(rest) == 1
    stolen = world.client.get(link, headers=world.bearer("leader"))
    assert stolen.status_code == 400 and stolen.json()["code"] == "BadRequest"
    assert world.client.get(link.replace("cursor=", "cursor=x"), headers=world.bearer("acme")).status_code == 400
