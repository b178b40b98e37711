"""A roll-up shows a product's footprint and its suppliers' contributions: holding the chain-leader or auditor role
is not enough to see it, the caller must be allowed to read the product's declaration (or be a regulator)."""

from __future__ import annotations

from typing import Any

import pytest

from ledger.errors import AccessDeniedError, UnknownProductError
from ledger.service.access import grant_access
from ledger.service.rollup import require_rollup_right
from ledger.service.visibility import Viewer

PRODUCT = "urn:tanji:acme:secret-coil"
AUDITOR = Viewer("audit", frozenset({"auditor"}))
LEADER = Viewer("leader", frozenset({"chain-leader"}))


def anchored(env: Any) -> Any:
    declaration = env.submit(product=PRODUCT, pcf="7.1643")
    env.flush()
    return declaration


@pytest.mark.parametrize("viewer", [AUDITOR, LEADER], ids=["auditor", "chain-leader"])
def test_rollup_of_a_supplier_product_by_role_alone_is_refused(env: Any, viewer: Viewer) -> None:
    anchored(env)
    with env.sessions() as session, pytest.raises(AccessDeniedError, match=f"{viewer.org!r} may not roll up"):
        require_rollup_right(session, PRODUCT, viewer)


def test_rollup_is_allowed_to_the_declarant_a_grantee_and_a_regulator(env: Any) -> None:
    declaration = anchored(env)
    with env.sessions() as session:
        require_rollup_right(session, PRODUCT, Viewer("acme", frozenset({"supplier"})))
        require_rollup_right(session, PRODUCT, Viewer("reg", frozenset({"regulator"})))
        with pytest.raises(AccessDeniedError):
            require_rollup_right(session, PRODUCT, LEADER)
        grant_access(session, declaration.id, recipient="leader", granted_by="acme")
        require_rollup_right(session, PRODUCT, LEADER)  # granted: no longer refused


def test_rollup_of_an_unknown_product_names_it_and_lists_no_other_products(env: Any) -> None:
    anchored(env)
    with env.sessions() as session, pytest.raises(UnknownProductError) as refused:
        require_rollup_right(session, "urn:tanji:acme:nothing", LEADER)
    assert "urn:tanji:acme:nothing" in str(refused.value) and PRODUCT not in str(refused.value)
