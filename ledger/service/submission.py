"""Submitting a signed declaration for the signed-in organization: it must be that organization's own."""

from __future__ import annotations

import json
from typing import Any

from ledger.errors import NotDeclarantError, SubmissionRejectedError
from ledger.service.envelope_check import open_for_ingest
from ledger.service.ingest import IngestResult, IngestService


def submit_signed(ingest: IngestService, envelope: dict[str, Any], *, org: str) -> IngestResult:
    """Ingest `envelope` (already parsed JSON) for organization `org`; the declarant must be `org` itself."""
    try:
        raw = json.dumps(envelope, ensure_ascii=False, allow_nan=False)
    except ValueError as exc:
        raise SubmissionRejectedError(f"the envelope is not plain JSON: {exc}") from None
    opened = open_for_ingest(raw)
    if isinstance(opened, str):
        raise SubmissionRejectedError(f"declaration refused: {opened}")
    if opened.org != org:
        raise NotDeclarantError(
            f"the declaration is signed for organization {opened.org!r}; organization {org!r} submits only its own"
        )
    result = ingest.submit(raw)
    if result.status == "rejected":
        raise SubmissionRejectedError(f"declaration refused: {result.error}")
    return result
