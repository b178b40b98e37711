"""The server anchors closed batches in the background, through the same serialized chain the routes use."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from factories import make_payload
from fastapi.testclient import TestClient

from api.http.app import create_app
from ledger.declarations.envelope import sign_declaration
from ledger.storage.tables import DeclarationRow


def test_a_submitted_declaration_is_anchored_while_the_server_runs(
    fresh_api_runtime: Callable[..., Any], http_members: Any
) -> None:
    supplier = http_members.acme
    with fresh_api_runtime(anchor_loop=True, anchor_poll_seconds=0.1, batch_size=1) as runtime:
        envelope = sign_declaration(
            make_payload(supplier.address, org="acme"),
            domain=runtime.chain.signing_domain,
            private_key=supplier.key,
            declarant=supplier.address,
        )
        with TestClient(create_app(runtime.settings, runtime=runtime)) as client:
            result = runtime.ingest.submit(json.dumps(envelope))
            assert result.status == "pending", result
            deadline = time.monotonic() + 30
            status = None
            while time.monotonic() < deadline:
                with runtime.sessions() as session:
                    row = session.get(DeclarationRow, result.id)
                    status = row.status if row else None
                if status == "anchored":
                    break
                time.sleep(0.1)
            assert status == "anchored"
            assert client.get("/v1/health").status_code == 200  # routes and the loop share the chain safely
