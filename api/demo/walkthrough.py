"""The walkthrough printed when the demo server starts: where to look (web pages once the app serves them, API
URLs) and as whom to sign in, with every organization's demo client credentials."""

from __future__ import annotations

import importlib
import importlib.util
import json
from pathlib import Path
from typing import Any

from api.demo.seed import FACTOR_SET

BANK = "greenbank"
ROLES = ("chain-leader", "auditor", "certifier", "regulator")


def walkthrough_links(state: dict[str, Any]) -> list[tuple[str, str, str | None]]:
    """(what, path, the organization to sign in as, None when public) of each place to look at."""
    pack = state["pack"]
    leader = next(o["org"] for o in state["organizations"] if "chain-leader" in o["roles"])
    current = next(d for d in reversed(state["declarations"]) if d["product"] == pack and d["expected"] == "valid")
    links: list[tuple[str, str, str | None]] = [
        ("API reference (OpenAPI)", "/docs", None),
        ("chain and contracts", "/v1/health", None),
        ("organizations", "/v1/organizations", None),
        ("pack declaration", f"/v1/declarations/{current['id']}", leader),
        ("pack declaration versions", f"/v1/declarations/{current['id']}/versions", leader),
        ("pack roll-up (breakdown, hotspots)", f"/v1/rollups/{pack}?factors={FACTOR_SET}", leader),
        ("pack attestations", f"/v1/declarations/{current['id']}/attestations", None),
        ("requests sent (outbox)", "/v1/requests?box=outbox", leader),
        ("request coverage by tier", f"/v1/requests/coverage?factors={FACTOR_SET}", leader),
    ]
    if state.get("requests"):
        receiver = state["requests"][-1]["to"]
        links.append((f"requests received by {receiver}", "/v1/requests?box=inbox", receiver))
    links += [
        (f"pack PCF as disclosed to {d['recipient']}", f"/v1/declarations/{d['declaration']}", d["recipient"])
        for d in state.get("disclosures", [])
    ]
    auditor = next(o["org"] for o in state["organizations"] if "auditor" in o["roles"])
    links.append(("audit assignments", "/v1/audits", auditor))
    regulator = next(o["org"] for o in state["organizations"] if "regulator" in o["roles"])
    links.append(("anomaly flags to review", "/v1/flags", regulator))
    for item in state["labels"]:
        links.append((f"label {item['serial']}", f"/v1/labels/{item['serial']}", None))
        links.append((f"label {item['serial']} QR code", f"/v1/labels/{item['serial']}/qr.svg", None))
    return links


def page_links(state: dict[str, Any]) -> list[tuple[str, str, str | None]]:
    """(what, path, the organization to sign in as at /sign-in, None when public) of each web page to open."""
    role = {r: next(o["org"] for o in state["organizations"] if r in o["roles"]) for r in ROLES}
    pack = state["pack"]
    current = next(d for d in reversed(state["declarations"]) if d["product"] == pack and d["expected"] == "valid")
    supplier = next(d["org"] for d in state["declarations"] if d["kind"] == "mistake")
    receiver = state["requests"][-1]["to"] if state.get("requests") else supplier
    pages: list[tuple[str, str, str | None]] = [
        ("sign in (client id and secret)", "/sign-in", None),
        ("pack: breakdown, tiers, graph", f"/products/{pack}", role["chain-leader"]),
        ("requests and coverage by tier", "/requests/coverage", role["chain-leader"]),
        (f"{receiver}'s request inbox", "/requests", receiver),
        (f"{supplier}'s declarations", "/supplier", supplier),
        ("auditor's assigned declarations", "/auditor", role["auditor"]),
        ("certification body's label desk", "/label-desk", role["certifier"]),
        ("regulator's flags to review", "/flags", role["regulator"]),
        ("bank's claim checker", "/claims", BANK),
        ("pack declaration (public facts)", f"/declarations/{current['id']}", None),
    ]
    pages += [(f"label {item['serial']} (public)", f"/labels/{item['serial']}", None) for item in state["labels"]]
    return pages


def serves(app: Any, path: str) -> bool:
    """Does `app` have a GET route for `path` (query string ignored), among its own routes or the web pages'
    (api.web.site.web_router, served by a middleware in front of the API when that package is present)?"""
    from starlette.routing import Match

    scope = {"type": "http", "method": "GET", "path": path.partition("?")[0], "root_path": ""}
    return any(route.matches(scope)[0] is Match.FULL for route in [*app.routes, *_web_page_routes(app)])


def _web_page_routes(app: Any) -> list[Any]:
    """The routes of the web pages when `app` runs them (its middleware includes api.web.site.WebPages)."""
    if importlib.util.find_spec("api.web") is None or importlib.util.find_spec("api.web.site") is None:
        return []
    site = importlib.import_module("api.web.site")
    if not any(getattr(item, "cls", None) is getattr(site, "WebPages", None) for item in app.user_middleware):
        return []
    return list(site.web_router().routes)


def walkthrough(state: dict[str, Any], base: str, app: Any = None) -> str:
    """URLs to open and the demo sign-in credentials; web pages only when `app` serves them."""
    lines = [f"Tanji demo serving on {base}"]
    pages = [link for link in page_links(state) if app is not None and serves(app, link[1])]
    if pages:
        lines.append("web pages (sign in at /sign-in as the organization named):")
        lines += [f"  {what + ':':<36} {base}{path}" + (f"  (as {org})" if org else "") for what, path, org in pages]
        lines.append("API:")
    for what, path, org in walkthrough_links(state):
        lines.append(f"  {what + ':':<36} {base}{path}" + (f"  (signed in as {org})" if org else ""))
    lines.append(
        f"  {'bank claim check:':<36} POST {base}/v1/claims/check  (signed in as greenbank; a claim of "
        "examples/battery/bank-claims.json with an asOf)"
    )
    lines.append(f"sign in: POST {base}/auth/token with HTTP Basic client id:secret and grant_type=client_credentials")
    lines.append(f"(the credentials are also in {state['credentials']}, mode 0600):")
    credentials = json.loads(Path(state["credentials"]).read_text(encoding="utf-8"))
    lines += [f"  {c['organization']:<22} {c['clientId']}  {c['secret']}" for c in credentials]
    lines.append("stop with Ctrl-C")
    return "\n".join(lines)
