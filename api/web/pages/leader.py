"""The chain leader's pages: its products, and a product's footprint rolled up from the anchored declarations
(breakdown by component and by tier, hotspots, data quality, primary-data share, the supply-chain graph and a
"supplier X cuts N %" scenario), through the same roll-up use case as GET /v1/rollups/{product}."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from api.web.site import Page, page_route
from api.web.supply_graph import STATUSES, echarts_data, supply_graph
from ledger.errors import SupplyChainError
from ledger.service.anomaly_flags import scan_flags
from ledger.service.declaration_reads import list_declarations
from ledger.service.factor_sets import factor_set_names, load_factor_set
from ledger.service.rollup import RollupRequest, Scenario, require_rollup_right, rollup_product
from ledger.service.visibility import Viewer

MAX_PRODUCTS = 100


def products(page: Page) -> Response:
    """The anchored products the organization declared or may read; ``?product=`` opens one."""
    chosen = (page.request.query_params.get("product") or "").strip()
    if chosen:
        return RedirectResponse(f"/products/{quote(chosen, safe=':')}", status_code=303)
    principal = page.signed_in()
    with page.runtime.sessions() as session:
        listed, _ = list_declarations(
            session, Viewer(principal.org_handle, principal.roles), status="anchored", limit=MAX_PRODUCTS
        )
    rows = [item.row for item in listed if item.access != "disclosed"]
    return page.render("products.html", rows=rows)


def scenario_of(page: Page) -> Scenario | None:
    """``?supplier=ORG&cut=20`` as a scale of 0.8 of ORG's own emissions (None when not asked)."""
    query = page.request.query_params
    org, cut = (query.get("supplier") or "").strip(), (query.get("cut") or "").strip()
    if not org:
        return None
    try:
        percent = float(cut or "0")
    except ValueError:
        raise SupplyChainError(f"cut {cut!r} is not a percentage; give a number from 0 to 100 (e.g. 20)") from None
    if not 0 <= percent <= 100:
        raise SupplyChainError(f"cut {cut!r} must be from 0 to 100 (a percentage of the supplier's own emissions)")
    return Scenario(org, 1 - percent / 100)


def chart_data(page: Page, report: dict[str, Any], graph: dict[str, Any]) -> dict[str, Any]:
    """What static/js/product.js draws: components, tiers, hotspots and the graph, with translated labels."""
    t = page.t
    return {
        "labels": {"kg": t("unit.kgco2e"), "tier": t("product.tier"), "component": t("product.component")},
        "components": [
            {"name": t.maybe(f"component.{name}", name), "value": value}
            for name, value in report["components"].items()
            if value
        ],
        "tiers": [{"name": t("product.tier_n", n=tier), "value": value} for tier, value in report["by_tier"].items()],
        "hotspots": [{"name": hotspot_name(h), "value": h["kgCO2e"]} for h in report["hotspots"]],
        "graph": graph,
    }


def hotspot_name(hotspot: dict[str, Any]) -> str:
    """A hotspot's chart label: the supplier and its product (secondary factors by the input they price)."""
    product = str(hotspot.get("productId", "")).rsplit(":", 1)[-1]
    supplier = str(hotspot.get("supplier", ""))
    return product if supplier.startswith("secondary:") else f"{supplier} · {product}"


def product_page(page: Page) -> Response:
    """The roll-up of one product with its charts, graph and scenario."""
    product = str(page.request.path_params["product"])
    query = page.request.query_params
    folder = page.runtime.settings.home / "factors"
    factors_name = (query.get("factors") or "").strip() or None
    available = factor_set_names(folder)
    if "factors" not in query and len(available) == 1:  # the workspace's only factor set, unless "none" is chosen
        factors_name = available[0]
    factors = load_factor_set(folder, factors_name) if factors_name else []
    scenario = scenario_of(page)
    request = RollupRequest(
        product=product, factors=factors, factors_name=factors_name, scenarios=[scenario] if scenario else []
    )
    runtime, principal = page.runtime, page.signed_in()
    viewer = Viewer(principal.org_handle, principal.roles)
    with runtime.sessions() as session:
        require_rollup_right(session, product, viewer)
        outcome = rollup_product(session, runtime.store.keyring, runtime.chain, request)
        flagged = frozenset(
            item.flag.declaration_id for item in scan_flags(session, runtime.store.keyring, runtime.chain, viewer)
        )
        graph = supply_graph(session, runtime.store.keyring, runtime.chain, product, factors, flagged)
    report = outcome.report.as_dict()
    names = {status: page.t(f"status.{status}") for status in STATUSES}
    suppliers = sorted({node.org for node in graph.nodes if node.declaration_id and node.org})
    return page.render(
        "product.html",
        product=product,
        report=report,
        scenario=outcome.scenarios[0] if outcome.scenarios else None,
        asked=scenario,
        suppliers=suppliers,
        factor_sets=available,
        factors_name=factors_name,
        counts=graph.counts(),
        statuses=STATUSES,
        charts=chart_data(page, report, echarts_data(graph, names)),
    )


def routes() -> list[Route]:
    """The chain leader's pages."""
    return [
        page_route("/products", "products", products),
        page_route("/products/{product:path}", "product_page", product_page),
    ]
