"""The authorization table: for every route (by name, which is also its OpenAPI operation id), who may call it.

Every route must have a row; `create_app` refuses to start otherwise, and tests/http walk every registered route.
A row is one of:

- ``PUBLIC``: anyone, signed in or not;
- ``AUTHENTICATED``: any organization with a valid bearer token (client credentials or Sign-In with Ethereum);
- ``roles("auditor", "regulator")``: an organization holding at least one of those on-chain roles.

Visibility *within* a route (whose declarations a principal may see) is the use case's business, not this table's.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import FastAPI, Request
from fastapi.routing import iter_route_contexts
from starlette.exceptions import HTTPException

from api.http.deps import RuntimeDep, resolve_principal
from api.http.rate_limit import RateLimiter
from ledger.codes import Role
from ledger.errors import InvalidTokenError
from ledger.service.identity import Principal


@dataclass(frozen=True)
class Rule:
    """Who may call one route: anyone (`public`), any signed-in organization, or holders of one of `roles`."""

    public: bool = False
    roles: frozenset[str] = frozenset()

    def allows(self, principal: Principal | None) -> bool:
        """May `principal` (None: anonymous) call the route?"""
        if self.public:
            return True
        if principal is None:
            return False
        return not self.roles or principal.has_any_role(self.roles)

    def describe(self) -> str:
        """In words, for error messages and docs."""
        if self.public:
            return "anyone"
        return f"organizations with a role among {sorted(self.roles)}" if self.roles else "any signed-in organization"


PUBLIC = Rule(public=True)
AUTHENTICATED = Rule()


def roles(*names: str) -> Rule:
    """A rule for holders of any of the on-chain roles `names` (``supplier``, ``chain-leader``, ...)."""
    return Rule(roles=frozenset(Role.from_name(name).cli_name for name in names))


RULES: dict[str, Rule] = {
    # the framework's own pages
    "openapi": PUBLIC,
    "swagger_ui_html": PUBLIC,
    "swagger_ui_redirect": PUBLIC,
    "redoc_html": PUBLIC,
    # sign-in (the token endpoint authenticates the client itself, with HTTP Basic)
    "issue_token": PUBLIC,
    "openid_configuration": PUBLIC,
    "siwe_nonce": PUBLIC,
    "siwe_sign_in": PUBLIC,
    # native API, /v1
    "health": PUBLIC,
    "me": AUTHENTICATED,
    # PACT host system (/3, /2): any signed-in organization; what it sees is decided by ledger.service.pact_exchange
    "v3_list_footprints": AUTHENTICATED,
    "v3_get_footprint": AUTHENTICATED,
    "v3_events": AUTHENTICATED,
    "v2_list_footprints": AUTHENTICATED,
    "v2_get_footprint": AUTHENTICATED,
    "v2_events": AUTHENTICATED,
    # native API, /v1: organizations, declarations, grants, proofs, roll-ups, attestations, labels, transactions
    "list_organizations": PUBLIC,
    "get_organization": PUBLIC,
    "register_organization": roles("admin"),
    "set_organization_identifiers": roles("admin"),
    "propose_organization_key": roles("admin"),
    "submit_declaration": roles("supplier", "chain-leader"),
    "list_declarations": AUTHENTICATED,
    "get_declaration": PUBLIC,
    "declaration_versions": PUBLIC,
    "list_grants": AUTHENTICATED,
    "create_grant": AUTHENTICATED,
    "delete_grant": AUTHENTICATED,
    "export_proof": AUTHENTICATED,
    "verify_declaration": PUBLIC,
    "verify_bundle": PUBLIC,
    "list_attestations": PUBLIC,
    "create_attestation_report": roles("auditor"),
    # audits: the declarant (supplier or chain leader) assigns; the service checks it declared the declaration
    "assign_auditor": roles("supplier", "chain-leader"),
    "unassign_auditor": roles("supplier", "chain-leader"),
    "list_audit_assignments": AUTHENTICATED,
    "audit_work_view": roles("auditor"),
    "rollup_product": roles("chain-leader", "auditor", "regulator"),
    "check_label": PUBLIC,
    # footprint requests by tier: a chain leader asks tier 1; who may forward or answer is the use case's rule
    "create_requests": roles("chain-leader"),
    "forward_request": AUTHENTICATED,
    "fulfil_request": AUTHENTICATED,
    "reject_request": AUTHENTICATED,
    "list_requests": AUTHENTICATED,
    "request_coverage": roles("chain-leader"),
    "label_status": PUBLIC,
    "label_qr_svg": PUBLIC,
    "label_qr_png": PUBLIC,
    "record_label_terms": roles("certifier"),
    "transaction_params": AUTHENTICATED,
    "relay_transaction": AUTHENTICATED,
    # green finance and anomaly flags: what a caller sees is decided by ledger.service.visibility
    "check_claim": AUTHENTICATED,
    "list_flags": roles("chain-leader", "auditor", "regulator"),
    # PACT administration, /v1/pact: the operator manages data recipients; an owner answers the requests awaiting it
    "list_pact_peers": roles("admin"),
    "register_pact_peer": roles("admin"),
    "remove_pact_peer": roles("admin"),
    "list_pact_requests": AUTHENTICATED,
    "accept_pact_request": AUTHENTICATED,
    "decline_pact_request": AUTHENTICATED,
}


def route_names(app: FastAPI) -> list[str]:
    """The name of every route registered in `app`, including those of included routers."""
    return [str(context.name) for context in iter_route_contexts(app.routes)]


def routes_without_rule(app: FastAPI, rules: dict[str, Rule]) -> list[str]:
    """Names of registered routes that have no row in `rules`."""
    return [name for name in route_names(app) if name not in rules]


def caller_key(request: Request, principal: Principal | None) -> str:
    """The rate-limit key: the signed-in client or wallet, else the remote address."""
    if principal is not None:
        return f"{principal.method}:{principal.subject}"
    return f"address:{request.client.host if request.client else 'unknown'}"


async def authorize(request: Request, runtime: RuntimeDep) -> None:
    """The one dependency every route runs: rate limit, then the route's row of the table (401 / 403).

    Async, so it costs no thread hop; the principal comes from caches or a thread (api.http.deps)."""
    route = request.scope.get("route")
    name = str(getattr(route, "name", ""))
    rules: dict[str, Rule] = request.app.state.rules
    limiter: RateLimiter = request.app.state.rate_limiter
    rule = rules.get(name)
    if rule is None:  # create_app refuses such apps; fail closed anyway
        raise HTTPException(403, f"route {name!r} has no authorization rule")
    if rule.public:
        limiter.charge(caller_key(request, None))
        return
    try:
        principal = await resolve_principal(request, runtime)
    except Exception:  # a bad token still costs the address a request, so guessing tokens is rate limited
        limiter.charge(caller_key(request, None))
        raise
    limiter.charge(caller_key(request, principal))
    if principal is None:
        raise InvalidTokenError("this route needs a bearer token (Authorization: Bearer ...); get one from /auth/token")
    if not rule.allows(principal):
        raise HTTPException(
            403,
            f"{name} is open to {rule.describe()}; organization {principal.org_handle!r} holds "
            f"{sorted(principal.roles) or 'no role'}",
        )
