"""The API's routers, one module per resource. Add a router here, and a row per route in api.http.authorization."""

from __future__ import annotations

from fastapi import APIRouter


def all_routers() -> list[APIRouter]:
    """Every router of the app, in the order they are included."""
    from api.http.routes import auth, health, me, pact_events, pact_v2, pact_v3, siwe  # PACT host system

    return [
        auth.router,
        siwe.router,
        health.router,
        me.router,
        pact_v3.router,
        pact_v2.router,
        pact_events.router,
        *native_routers(),
    ]


def native_routers() -> list[APIRouter]:
    """The native API (/v1), one router per resource."""
    from api.http.routes import (
        attestations,
        audits,
        claims,
        declarations,
        flags,
        grants,
        labels,
        organizations,
        pact_peers,
        pact_requests,
        proofs,
        requests,
        rollups,
        transactions,
    )

    return [
        organizations.router,
        declarations.router,
        grants.router,
        proofs.router,
        attestations.router,
        audits.router,
        rollups.router,
        labels.router,
        requests.router,
        transactions.router,
        claims.router,
        flags.router,
        pact_peers.router,
        pact_requests.router,
    ]
