"""/v1/rollups/{product}: a product's footprint rolled up from the anchored declarations (chain leaders, auditors,
regulators), over a factor set the server holds, with what-if scenarios."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Path, Query

from api.http.deps import CurrentPrincipal, RuntimeDep
from api.http.native_reports import RollupReport, ScenarioResult
from api.http.native_views import errors, viewer_of
from api.http.routing import new_router
from ledger.service.factor_sets import load_factor_set
from ledger.service.rollup import RollupRequest, Scenario, require_rollup_right, rollup_product

router = new_router(prefix="/v1/rollups", tags=["rollups"])


@router.get(
    "/{product}",
    name="rollup_product",
    responses=errors(403, 404, 422),
    summary="Roll up a product's footprint from anchored declarations",
)
def rollup(
    product: Annotated[str, Path(min_length=1, max_length=512, description="the product id (a URN)")],
    runtime: RuntimeDep,
    principal: CurrentPrincipal,
    factors: Annotated[str | None, Query(max_length=64, description="name of a factor set the server holds")] = None,
    scenario: Annotated[
        list[str] | None, Query(max_length=16, description="ORG=FACTOR: scale an organization's own emissions")
    ] = None,
    totals_rule: Annotated[str | None, Query(alias="totalsRule", max_length=64)] = None,
    contributions: Annotated[Literal["direct", "upstream"] | None, Query()] = None,
) -> RollupReport:
    """Components, PCF totals, data quality, hotspots, tiers, provenance; scenario results when asked."""
    request = RollupRequest(
        product=product,
        factors=load_factor_set(runtime.settings.home / "factors", factors) if factors is not None else [],
        factors_name=factors,
        scenarios=[Scenario.parse(spec) for spec in scenario or []],
        totals=totals_rule,
        convention=contributions,
    )
    with runtime.sessions() as session:
        require_rollup_right(session, product, viewer_of(principal))
        outcome = rollup_product(session, runtime.store.keyring, runtime.chain, request)
    data = outcome.report.as_dict()
    data["by_tier"] = {str(tier): value for tier, value in data["by_tier"].items()}
    report = RollupReport.model_validate(data)
    report.scenarios = [ScenarioResult.model_validate(item) for item in outcome.scenarios]
    return report
