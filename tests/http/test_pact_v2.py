"""PACT v2 over the adapter: /2/footprints (OData $filter, pagination) and /2/footprints/{id}.
Tests named test_v2_case_N reproduce v2 conformance case N (v2-test-cases-expected-results.md)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager

import pytest
from pact_world import PUBLIC_URL, World


@pytest.fixture(scope="module")
def world(served_pact_world: Callable[[str], AbstractContextManager[World]]) -> Iterator[World]:
    with served_pact_world("pact-v2") as world:
        yield world


def test_v2_cases_3_and_4_list_and_get_as_v2(world: World) -> None:
    listed = world.client.get("/2/footprints", headers=world.bearer("leader"))
    assert listed.status_code == 200
    assert {pf["id"] for pf in listed.json()["data"]} == {world.ids["p1"], world.ids["assembly"]}
    assert all(pf["specVersion"] == "2.3.0" for pf in listed.json()["data"])
    one = world.client.get(f"/2/footprints/{world.ids['p1']}", headers=world.bearer("leader")).json()["data"]
    assert one["id"] == world.ids["p1"] and one["pcf"]["geographyCountry"] == "DE"
    assert one["extensions"][-1]["dataSchema"].endswith("/proof/1.0.0/data-model.json")


def test_v2_case_5_pagination_keeps_the_filter_and_the_base_url(world: World) -> None:
    headers = world.bearer("acme")
    answer = world.client.get("/2/footprints?limit=1&$filter=created ge '2000-01-01T00:00:00Z'", headers=headers)
    seen = []
    while True:
        assert answer.status_code == 200
        seen += [pf["id"] for pf in answer.json()["data"]]
        link = answer.headers.get("link")
        if not link:
            break
        url = link.split(";")[0].strip("<>")
        assert url.startswith(f"{PUBLIC_URL}/2/footprints?") and "%24filter=" in url
        answer = world.client.get(url, headers=headers)
    assert sorted(seen) == sorted(world.ids[name] for name in ("p1", "p2", "p3"))


def test_v2_case_8_an_unknown_footprint_is_no_such_footprint(world: World) -> None:
    answer = world.client.get("/2/footprints/non-existent-id", headers=world.bearer("acme"))
    assert answer.status_code == 404 and answer.json()["code"] == "NoSuchFootprint"


def test_v2_case_6_an_invalid_token_is_bad_request(world: World) -> None:
    answer = world.client.get("/2/footprints", headers={"Authorization": "Bearer invalid-access-token"})
    assert answer.status_code in (400, 401) and answer.json()["code"] == "BadRequest"


@pytest.mark.parametrize(
    ("odata", "expected"),
    [
        ("created ge '2000-01-01T00:00:00Z'", {"p1", "p2", "p3"}),
        ("created lt '2000-01-01T00:00:00Z'", set()),
        ("productIds/any(p:(p eq 'urn:tanji:acme:p2'))", {"p2"}),
        ("pcf/geographyCountry eq 'DE' and companyIds/any(c:(c eq 'urn:uuid:acme-company'))", {"p1"}),
    ],
)
def test_v2_case_20_odata_filters(world: World, odata: str, expected: set[str]) -> None:
    answer = world.client.get("/2/footprints", params={"$filter": odata}, headers=world.bearer("acme"))
    assert answer.status_code == 200
    assert {pf["id"] for pf in answer.json()["data"]} == {world.ids[name] for name in expected}


def test_an_unsupported_odata_filter_is_400_naming_it(world: World) -> None:
    answer = world.client.get("/2/footprints", params={"$filter": "contains(id,'x')"}, headers=world.bearer("acme"))
    assert answer.status_code == 400 and "contains(id,'x')" in answer.json()["message"]
