"""The API's routers, one module per resource. Add a router here, and a row per route in api.http.authorization."""

from __future__ import annotations

from fastapi import APIRouter


def all_routers() -> list[APIRouter]:
    """Every router of the app, in the order they are included."""
    from api.http.routes import auth, health, me, siwe

    routers = [auth.router, siwe.router, health.router, me.router]
    # native API (/v1): one router per resource
    from api.http.routes import attestations, declarations, grants, labels, organizations, proofs, rollups, transactions

    routers += [organizations.router, declarations.router, grants.router, proofs.router, attestations.router]
    routers += [rollups.router, labels.router, transactions.router]
    return routers
