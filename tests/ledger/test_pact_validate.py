"""PACT v3 validation: the spec's examples, the generated schema's freshness, strict decimals and PACT rules."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from factories import SHARED_PACT, make_payload, pact_examples

from ledger.pact.generate_schema import OUTPUT, build, render
from ledger.pact.validate import PactValidationError, validate_product_footprint

ADDRESS = "0x" + "11" * 20


def test_committed_schema_is_generated_from_the_authoritative_openapi_file() -> None:
    spec = SHARED_PACT / "spec-v3" / "openapi.yaml"
    assert spec.is_file(), f"PACT spec missing at {spec}: ../shared/anchors/pact must sit beside the repository"
    assert render(build(spec)) == OUTPUT.read_text(encoding="utf-8"), "run `python -m ledger.pact.generate_schema`"


@pytest.mark.parametrize(
    ("name", "footprint"), pact_examples(valid=True), ids=lambda v: v if isinstance(v, str) else ""
)
def test_every_valid_spec_example_validates(name: str, footprint: dict[str, Any]) -> None:
    warnings = validate_product_footprint(footprint)
    assert all(w.path.startswith("/pcf/") for w in warnings), name


def test_the_invalid_spec_example_is_refused_with_paths() -> None:
    ((_, footprint),) = pact_examples(valid=False)
    with pytest.raises(PactValidationError) as excinfo:
        validate_product_footprint(footprint)
    paths = {v.path for v in excinfo.value.violations}
    assert "/pcf/packagingGhgEmissions" in paths and "" in paths
    assert "'updated' was unexpected" in str(excinfo.value)


def mutated(change: dict[str, Any]) -> dict[str, Any]:
    payload = copy.deepcopy(make_payload(ADDRESS))
    for path, value in change.items():
        target = payload
        *parents, last = path.strip("/").split("/")
        for part in parents:
            target = target[part]
        if value is ...:
            del target[last]
        else:
            target[last] = value
    return payload


@pytest.mark.parametrize(
    ("change", "path", "message"),
    [
        ({"/pcf/fossilGhgEmissions": 2.08}, "/pcf/fossilGhgEmissions", "JSON number"),
        ({"/pcf/pcfExcludingBiogenicUptake": "2.1e0"}, "/pcf/pcfExcludingBiogenicUptake", "exponent notation"),
        ({"/pcf/declaredUnitAmount": "-1"}, "/pcf/declaredUnitAmount", "must be greater than 0"),
        ({"/pcf/fossilGhgEmissions": "-0.5"}, "/pcf/fossilGhgEmissions", "must be 0 or greater"),
        ({"/pcf/declaredUnitAmount": "1,5"}, "/pcf/declaredUnitAmount", "not a plain decimal"),
        ({"/pcf/declaredUnitOfMeasurement": "bushel"}, "/pcf/declaredUnitOfMeasurement", "bushel"),
        ({"/pcf/dqi/temporalDQR": "6"}, "/pcf/dqi/temporalDQR", "outside the DQR range"),
        ({"/pcf/primaryDataShare": "120"}, "/pcf/primaryDataShare", "outside 0..100"),
        ({"/pcf/referencePeriodEnd": "2024-01-01T00:00:00Z"}, "/pcf/referencePeriodEnd", "not after"),
        ({"/id": "not-a-uuid"}, "/id", "uuid"),
        ({"/productIds": ["gtin-123"]}, "/productIds/0", "does not match"),
        ({"/companyName": ...}, "", "companyName"),
        ({"/updated": "2025-01-08T00:00:00Z"}, "", "'updated' was unexpected"),
        ({"/pcf/packagingGhgEmissions": "0.1"}, "/pcf/packagingGhgEmissions", "packagingEmissionsIncluded is false"),
    ],
)
def test_bad_values_are_named_with_their_path(change: dict[str, Any], path: str, message: str) -> None:
    with pytest.raises(PactValidationError) as excinfo:
        validate_product_footprint(mutated(change))
    hits = [v for v in excinfo.value.violations if v.path == path and message in v.message]
    assert hits, f"expected {message!r} at {path!r}, got {excinfo.value.violations}"


def test_unknown_pcf_properties_are_kept_as_warnings() -> None:
    warnings = validate_product_footprint(mutated({"/pcf/otherOperatorName": "TfS"}))
    assert [w.path for w in warnings] == ["/pcf/otherOperatorName"]


def test_a_non_object_is_refused() -> None:
    with pytest.raises(PactValidationError, match="JSON object"):
        validate_product_footprint([1, 2])


def test_openapi_path_is_beside_the_repository() -> None:
    assert Path(SHARED_PACT).name == "pact"
