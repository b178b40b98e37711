"""The consortium builds and its declarations are readable by their declarant."""

from __future__ import annotations

from typing import Any


def test_declarant_reads_its_declaration(v1_world: Any, v1_client: Any) -> None:
    response = v1_client.get(f"/v1/declarations/{v1_world.own}", headers=v1_world.headers("acme"))
    assert response.status_code == 200, response.text
    assert response.json()["access"] == "declarant"
