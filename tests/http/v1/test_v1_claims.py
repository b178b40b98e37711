"""POST /v1/claims/check: a bank judges a claim on what acme disclosed to it (only pcfExcludingBiogenicUptake of
acme's declaration `own`, see conftest.py), with evidence it verifies against the chain."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime, timedelta
from typing import Any

TOMORROW = (datetime.now(UTC) + timedelta(days=1)).date().isoformat()


def claim(product: str, **changes: Any) -> dict[str, Any]:
    base = {
        "subject": {"productId": product},
        "metric": "footprint_per_declared_unit",
        "comparison": "<=",
        "threshold": "2.5",
        "asOf": TOMORROW,
    }
    return {**base, **changes}


def test_a_disclosed_footprint_claim_holds_and_its_evidence_verifies(v1_world: Any, v1_client: Any) -> None:
    answer = v1_client.post("/v1/claims/check", json=claim(v1_world.product), headers=v1_world.headers("bank"))
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["outcome"] == "holds" and body["products"][0]["value"] == "2.08"
    assert body["products"][0]["declarationId"] == v1_world.own
    (evidence,) = body["evidence"]
    assert evidence["declarationId"] == v1_world.own and evidence["attestations"] == []
    bundle = evidence["proofBundle"]
    assert "envelope" not in bundle
    report = v1_client.post("/v1/verifications", json=bundle).json()
    assert report["valid"] is True and report["info"]["revealed"] == {"/pcf/pcfExcludingBiogenicUptake": "2.08"}


def test_tampered_evidence_is_refused(v1_world: Any, v1_client: Any) -> None:
    body = v1_client.post("/v1/claims/check", json=claim(v1_world.product), headers=v1_world.headers("bank")).json()
    tampered = copy.deepcopy(body["evidence"][0]["proofBundle"])
    tampered["disclosure"]["revealed"]["/pcf/pcfExcludingBiogenicUptake"]["value"] = "1.00"
    report = v1_client.post("/v1/verifications", json=tampered).json()
    assert report["valid"] is False


def test_claim_on_undisclosed_field_is_not_disclosed_and_shows_no_value(v1_world: Any, v1_client: Any) -> None:
    asked = claim(v1_world.product, metric="primary_data_share", comparison=">=", threshold="50")
    answer = v1_client.post("/v1/claims/check", json=asked, headers=v1_world.headers("bank"))
    body = answer.json()
    assert answer.status_code == 200 and body["outcome"] == "cannot_be_determined"
    assert body["reasons"][0].startswith("not disclosed: /pcf/primaryDataShare")
    assert body["products"][0]["value"] is None
    assert "72.5" not in answer.text  # the example's primaryDataShare appears nowhere, evidence included
    assert "/pcf/primaryDataShare" not in body["evidence"][0]["proofBundle"]["disclosure"]["revealed"]


def test_the_declarant_sees_its_own_undisclosed_metrics(v1_world: Any, v1_client: Any) -> None:
    asked = claim(v1_world.product, metric="primary_data_share", comparison=">=", threshold="50")
    body = v1_client.post("/v1/claims/check", json=asked, headers=v1_world.headers("acme")).json()
    assert body["outcome"] == "holds" and body["products"][0]["value"] == "72.5"
    assert "envelope" in body["evidence"][0]["proofBundle"]


def test_claim_without_assurance_cannot_be_determined(v1_world: Any, v1_client: Any) -> None:
    asked = claim(v1_world.product, requiredAssurance="reasonable")
    body = v1_client.post("/v1/claims/check", json=asked, headers=v1_world.headers("bank")).json()
    assert body["outcome"] == "cannot_be_determined" and "assurance below required" in body["reasons"][0]


def test_claim_on_an_unknown_product_is_refused(v1_world: Any, v1_client: Any) -> None:
    answer = v1_client.post(
        "/v1/claims/check", json=claim("urn:tanji:acme:no-such-product"), headers=v1_world.headers("bank")
    )
    assert answer.status_code == 404 and "urn:tanji:acme:no-such-product" in answer.json()["message"]


def test_a_malformed_claim_is_refused_naming_the_value(v1_world: Any, v1_client: Any) -> None:
    answer = v1_client.post(
        "/v1/claims/check", json=claim(v1_world.product, comparison="≤"), headers=v1_world.headers("bank")
    )
    assert answer.status_code == 422 and "≤" in answer.json()["message"]


def test_anonymous_claim_checks_are_refused(v1_world: Any, v1_client: Any) -> None:
    assert v1_client.post("/v1/claims/check", json=claim(v1_world.product)).status_code == 401


def test_an_organization_claim_covers_each_of_its_products(v1_world: Any, v1_client: Any) -> None:
    asked = claim(v1_world.product, subject={"organization": "rival"})
    body = v1_client.post("/v1/claims/check", json=asked, headers=v1_world.headers("bank")).json()
    assert body["outcome"] == "cannot_be_determined"
    assert any("not disclosed" in reason for reason in body["reasons"])
    assert json.dumps(body).count("2.08") == 0  # rival disclosed nothing to the bank
