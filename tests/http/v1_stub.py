"""Stand-ins for the native /v1 routes the remote CLI uses, for tests only, following the contract documented in
api/cli/remote/declarations.py and transactions.py (submit, read, grant, proof, verification; transaction params and
relay). `with_v1_stubs(app)` adds a stub only where the app has no route of that method and path, so once the real
routes are registered the tests exercise them instead.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import Body, FastAPI, Query
from fastapi.routing import APIRoute

from api.http.authorization import AUTHENTICATED
from api.http.deps import CurrentPrincipal, RuntimeDep
from api.http.routing import new_router
from ledger.errors import NotAllowedError

router = new_router(tags=["stub"])
JsonObject = Annotated[dict[str, Any], Body()]
JsonStrings = Annotated[dict[str, str], Body()]


@router.post("/v1/declarations", name="stub_submit_declaration")
def submit(principal: CurrentPrincipal, runtime: RuntimeDep, envelope: JsonObject) -> dict[str, Any]:
    result = runtime.ingest.submit(json.dumps(envelope))
    return {
        "id": result.id,
        "digest": result.digest,
        "status": result.status,
        "duplicate": result.duplicate,
        "error": result.error,
        "warnings": list(result.warnings),
    }


@router.get("/v1/declarations/{key}", name="stub_get_declaration")
def get(key: str, principal: CurrentPrincipal, runtime: RuntimeDep) -> dict[str, Any]:
    from ledger.service.access import read_payload
    from ledger.storage import repository
    from ledger.storage.tables import BatchRow

    with runtime.sessions() as session:
        row = repository.require_declaration(session=session, key=key)
        batch = session.get(BatchRow, row.batch_id) if row.batch_id is not None else None
        try:
            payload: Any = read_payload(session, runtime.store.keyring, key, principal.org_handle)
        except NotAllowedError:
            payload = None
    anchor = None
    if batch is not None:
        anchor = {
            "root": batch.root,
            "leaf": row.leaf,
            "proof": json.loads(row.proof or "[]"),
            "block": batch.block_number,
        }
    return {
        "id": row.id,
        "digest": row.digest,
        "declarant": row.declarant,
        "organization": row.org_handle,
        "status": row.status,
        "anchor": anchor,
        "payload": payload,
    }


@router.post("/v1/declarations/{key}/grants", name="stub_grant_access")
def grant(key: str, principal: CurrentPrincipal, runtime: RuntimeDep, body: JsonStrings) -> dict[str, Any]:
    from ledger.service.access import grant_access

    with runtime.sessions() as session:
        made = grant_access(session, key, recipient=body["recipient"], granted_by=principal.org_handle)
    return {"declarationId": made.declaration_id, "recipient": made.recipient}


@router.get("/v1/declarations/{key}/proof", name="stub_proof_bundle")
def proof(
    key: str, principal: CurrentPrincipal, runtime: RuntimeDep, disclose: Annotated[list[str] | None, Query()] = None
) -> dict[str, Any]:
    from ledger.service.access import read_payload
    from ledger.service.bundle import export_proof

    reveal = disclose or None
    with runtime.sessions() as session:
        read_payload(session, runtime.store.keyring, key, principal.org_handle)  # the reader check
        _, bundle = export_proof(session, runtime.store.keyring, key, runtime.chain.trust_anchors, reveal=reveal)
    return bundle


@router.get("/v1/declarations/{key}/verification", name="stub_verification")
def verification(key: str, principal: CurrentPrincipal, runtime: RuntimeDep) -> dict[str, Any]:
    from ledger.service.verify_stored import require_verified

    with runtime.sessions() as session:
        return require_verified(session, runtime.store.keyring, runtime.chain, key).as_dict()


def _gateway(runtime: Any) -> Any:
    return runtime.chain._inner.tanji.gateway  # the stub reaches the node directly; the real relay checks first


@router.get("/v1/transactions/params", name="stub_transaction_params")
def params(address: str, principal: CurrentPrincipal, runtime: RuntimeDep) -> dict[str, Any]:
    anchors = runtime.chain.trust_anchors
    with runtime.chain_lock:
        w3 = _gateway(runtime).w3
        nonce = int(w3.eth.get_transaction_count(address, "pending"))
        fees = _gateway(runtime)._fees()
    return {
        "chainId": anchors.chain_id,
        "nonce": nonce,
        "gasLimit": 500_000,
        **fees,
        "contracts": {"ledger": anchors.ledger, "attestations": anchors.attestations, "labels": anchors.labels},
    }


@router.post("/v1/transactions", name="stub_relay_transaction")
def relay(principal: CurrentPrincipal, runtime: RuntimeDep, body: JsonStrings) -> dict[str, Any]:
    with runtime.chain_lock:
        w3 = _gateway(runtime).w3
        tx_hash = w3.eth.send_raw_transaction(bytes.fromhex(body["rawTransaction"][2:]))
        receipt = w3.eth.wait_for_transaction_receipt(tx_hash, timeout=30)
    return {
        "txHash": "0x" + bytes(tx_hash).hex(),
        "blockNumber": int(receipt["blockNumber"]),
        "status": int(receipt["status"]),
    }


def with_v1_stubs(app: FastAPI) -> FastAPI:
    """`app` with a stub for each documented /v1 route it does not serve yet (included like any router, so the
    app's authorization dependency runs for them too)."""
    served = {
        (method, route.path) for route in app.routes if isinstance(route, APIRoute) for method in route.methods or ()
    }
    missing = new_router(tags=["stub"])
    for route in router.routes:
        assert isinstance(route, APIRoute)
        if not any((method, route.path) in served for method in route.methods or ()):
            missing.routes.append(route)
            app.state.rules[route.name] = AUTHENTICATED
    if missing.routes:
        app.include_router(missing)
    app.openapi_schema = None
    return app


def app_from_environment() -> FastAPI:
    """A server process's app (as `tanji serve --workers N` builds it from TANJI_*), with the stubs added; the
    anchoring thread's reports go to stderr."""
    import logging

    from api.http.app import create_app_from_environment

    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
    logging.getLogger("tanji").addHandler(handler)
    logging.getLogger("tanji").setLevel(logging.INFO)

    return with_v1_stubs(create_app_from_environment())
