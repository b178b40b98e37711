"""Response models of the PACT routes (/3 and /2). Footprints are PACT ProductFootprints as the spec defines them
(spec-v3/openapi.yaml, spec-v2/openapi.yaml), each with the Tanji proof extension; they are passed through as
JSON objects rather than re-modelled here."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

FOOTPRINT_DESCRIPTION = (
    "A PACT ProductFootprint signed by its declarant and anchored on chain; its last extension is the Tanji proof "
    "extension (dataSchema https://schemas.tanji.dev/extensions/proof/1.0.0/data-model.json)"
)


class FootprintList(BaseModel):
    """ListFootprints: a page of footprints (more follow when the response has a Link rel="next" header)."""

    data: list[dict[str, Any]] = Field(description=f"ProductFootprints. {FOOTPRINT_DESCRIPTION}")


class SingleFootprint(BaseModel):
    """GetFootprint: one footprint."""

    data: dict[str, Any] = Field(description=FOOTPRINT_DESCRIPTION)


class V2Error(BaseModel):
    """A PACT v2 error body (v2 names an unknown footprint NoSuchFootprint)."""

    code: str
    message: str


CLOUDEVENT_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/cloudevents+json": {"schema": {"type": "object", "description": "a PACT CloudEvent"}},
            "application/json": {"schema": {"type": "object", "description": "a PACT CloudEvent"}},
        },
    }
}
