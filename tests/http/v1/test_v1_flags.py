"""GET /v1/flags: regulators see every flag, chain leaders and auditors the flags of what they may read in full.

In the consortium (conftest.py) acme's `own` and rival's `other` carry the same CarbonFootprint (both built from the
example) and cite the example's factor datasets, which were never anchored here: each is flagged for both.
"""

from __future__ import annotations

from typing import Any


def flags_of(client: Any, headers: dict[str, str], query: str = "") -> list[dict[str, Any]]:
    response = client.get(f"/v1/flags{query}", headers=headers)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def test_a_regulator_sees_the_copied_footprint_and_the_unanchored_factors(v1_world: Any, v1_client: Any) -> None:
    found = flags_of(v1_client, v1_world.headers("reg"))
    own = {item["code"] for item in found if item["declarationId"] == v1_world.own}
    assert {"same-digest-two-organizations", "factor-dataset-not-anchored"} <= own
    copied = next(
        item
        for item in found
        if item["declarationId"] == v1_world.other and item["code"] == "same-digest-two-organizations"
    )
    assert copied["severity"] == "critical" and {"acme", "rival"} <= set(copied["evidence"]["organizations"])
    assert copied["organization"] == "rival" and "rival" in copied["reason"]


def test_a_chain_leader_sees_only_flags_of_what_it_may_read(v1_world: Any, v1_client: Any) -> None:
    found = flags_of(v1_client, v1_world.headers("leader"))
    assert v1_world.own in {item["declarationId"] for item in found}  # granted in full
    assert v1_world.other not in {item["declarationId"] for item in found}  # rival's, never granted


def test_flags_filter_by_product(v1_world: Any, v1_client: Any) -> None:
    found = flags_of(v1_client, v1_world.headers("reg"), f"?product={v1_world.product}")
    assert found and {item["productId"] for item in found} == {v1_world.product}
    assert flags_of(v1_client, v1_world.headers("reg"), "?product=urn:tanji:nobody:nothing") == []


def test_suppliers_and_banks_are_refused_flags(v1_world: Any, v1_client: Any) -> None:
    assert v1_client.get("/v1/flags", headers=v1_world.headers("acme")).status_code == 403
    assert v1_client.get("/v1/flags", headers=v1_world.headers("bank")).status_code == 403
    assert v1_client.get("/v1/flags").status_code == 401


def test_a_sharp_unexplained_change_between_versions_is_flagged(v1_world: Any, v1_client: Any) -> None:
    from factories import make_payload

    from ledger.declarations.envelope import sign_declaration

    account, product = v1_world.keys["acme"], "urn:tanji:acme:rebar"
    domain = v1_world.runtime.chain.signing_domain

    def declare(pcf: str, preceding: list[str] | None = None) -> str:
        payload = make_payload(account.address, org="acme", product=product, preceding=preceding, pcf=pcf)
        envelope = sign_declaration(payload, domain=domain, private_key=account.key, declarant=account.address)
        return str(v1_world.submit_and_anchor(envelope))

    first = declare("2.08")
    second = declare("0.70", preceding=[first])
    found = flags_of(v1_client, v1_world.headers("reg"), f"?product={product}")
    (sharp,) = [item for item in found if item["code"] == "sharp-change-without-reason"]
    assert sharp["declarationId"] == second and sharp["evidence"]["previous"] == "2.08"
    assert sharp["evidence"]["current"] == "0.70" and sharp["evidence"]["predecessor"] == first
