"""/v1/rollups/{product}: a chain leader rolls a product up over a factor set the server holds, with scenarios."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

SAMPLE = Path(__file__).resolve().parents[3] / "examples" / "factors" / "sample-secondary-factors.json"


@pytest.fixture(scope="module")
def sample_factor_set(v1_world: Any) -> str:
    folder = v1_world.runtime.settings.home / "factors"
    folder.mkdir(exist_ok=True)
    shutil.copy(SAMPLE, folder / "sample.json")
    return "sample"


def test_without_factors_the_uncovered_inputs_are_gaps(v1_world: Any, v1_client: Any) -> None:
    response = v1_client.get(f"/v1/rollups/{v1_world.product}", headers=v1_world.headers("leader"))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["productId"] == v1_world.product and body["complete"] is False
    assert {gap["inputProduct"] for gap in body["gaps"]} == {
        "urn:tanji:ore-co:iron-ore-fines",
        "urn:tanji:coke-co:metallurgical-coke",
    }


def test_a_named_factor_set_covers_them_and_a_scenario_scales_the_supplier(
    v1_world: Any, v1_client: Any, sample_factor_set: str
) -> None:
    url = f"/v1/rollups/{v1_world.product}?factors={sample_factor_set}&scenario=acme%3D0.5"
    body = v1_client.get(url, headers=v1_world.headers("reg")).json()
    assert body["complete"] is True and body["gaps"] == []
    assert len(body["secondarySources"]) == 2
    (scenario,) = body["scenarios"]
    assert scenario["scenario"] == "acme=0.5"
    assert scenario["before"] == pytest.approx(body["pcfExcludingBiogenicUptake"])
    assert scenario["after"] < scenario["before"] and scenario["change"] == pytest.approx(
        scenario["after"] - scenario["before"]
    )


@pytest.mark.parametrize(
    ("query", "status", "words"),
    [
        ("factors=..%2Fsecrets", 422, "factor set name"),
        ("factors=no-such-set", 404, "no factor set 'no-such-set'"),
        ("scenario=acme", 422, "ORG=FACTOR"),
        ("scenario=nobody%3D0.5", 422, "declares nothing"),
        ("contributions=sideways", 400, "contributions"),
    ],
)
def test_bad_roll_up_requests_are_4xx_naming_the_value(
    v1_world: Any, v1_client: Any, query: str, status: int, words: str
) -> None:
    response = v1_client.get(f"/v1/rollups/{v1_world.product}?{query}", headers=v1_world.headers("leader"))
    assert response.status_code == status, response.text
    assert words in response.json()["message"]


def test_an_unknown_product_is_404(v1_world: Any, v1_client: Any) -> None:
    response = v1_client.get("/v1/rollups/urn:tanji:nobody:nothing", headers=v1_world.headers("leader"))
    assert response.status_code == 404 and "urn:tanji:nobody:nothing" in response.json()["message"]


@pytest.mark.parametrize(("org", "product"), [("audit", "urn:tanji:acme:coil"), ("leader", "urn:tanji:rival:plate")])
def test_rollup_of_a_product_the_caller_may_not_read_is_refused(
    v1_world: Any, v1_client: Any, org: str, product: str
) -> None:
    """The role alone is not enough: a roll-up shows the product's footprint and its suppliers' contributions."""
    response = v1_client.get(f"/v1/rollups/{product}", headers=v1_world.headers(org))
    assert response.status_code == 403, response.text
    body = response.json()
    assert product in body["message"] and "pcfExcludingBiogenicUptake" not in body


def test_a_regulator_rolls_up_any_product(v1_world: Any, v1_client: Any) -> None:
    response = v1_client.get("/v1/rollups/urn:tanji:rival:plate", headers=v1_world.headers("reg"))
    assert response.status_code == 200 and response.json()["productId"] == "urn:tanji:rival:plate"
