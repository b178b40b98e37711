"""The certification desk (certification bodies issue, suspend, reinstate and revoke carbon labels; regulators
revoke): the server prepares each label transaction, the member's own wallet signs it, the relay sends it
(api.web.wallet_tx), as `tanji label ...` does in client mode."""

from __future__ import annotations

import json
from typing import Any

from starlette.responses import Response
from starlette.routing import Route

from api.web.site import Page, page_route
from api.web.wallet_tx import PreparedTransaction, prepare, relay_signed
from ledger.canonical import loads_exact
from ledger.codes import Reason
from ledger.errors import InvalidLabelError
from ledger.hashing import keccak256
from ledger.labels.terms import LabelKind
from ledger.service.declaration_actions import require_anchored
from ledger.service.label_terms_record import record_label_terms
from ledger.service.labels import (
    LABEL_ACTIONS,
    LabelIssue,
    epoch_of,
    grade_bytes,
    label_terms,
    positive_attestation,
    serial_id,
)
from ledger.service.organizations import require_address

FUNCTIONS = {"suspend": "suspendLabel", "reinstate": "reinstateLabel", "revoke": "revokeLabel"}


def desk(page: Page, status: int = 200, **extra: Any) -> Response:
    """The forms, and a prepared transaction or a relay result when there is one."""
    principal = page.signed_in()
    values: dict[str, Any] = {
        "actions": LABEL_ACTIONS,
        "reasons": [reason.cli_name for reason in Reason],
        "address": page.form.get("address") or principal.address or "",
        "form": page.form,
        "prepared": None,
        "terms": "",
        "kinds": [kind.value for kind in LabelKind],
        "notice": None,
    }
    values.update(extra)
    return page.render("labels_desk.html", status, **values)


def label_desk(page: Page) -> Response:
    """The desk."""
    return desk(page)


def issue_transaction(page: Page, address: str) -> tuple[PreparedTransaction, dict[str, Any]]:
    """issueLabel on the declaration's newest positive attestation, committing to the terms this ledger would
    certify (value against the declaration, grade from the category's benchmark), and those terms."""
    form = page.form
    index_text = form.get("attestation", "").strip()
    request = LabelIssue(
        serial=form.get("serial", "").strip(),
        declaration=form.get("declaration", "").strip(),
        valid_from=form.get("valid_from", "").strip(),
        valid_until=form.get("valid_until", "").strip(),
        filing_number=form.get("filing_number", "").strip(),
        kind=form.get("kind", "").strip() or LabelKind.CARBON_FOOTPRINT.value,
        category=form.get("category", "").strip() or None,
        attestation_index=int(index_text) if index_text.isdigit() else None,
    )
    request.precheck()
    runtime = page.runtime
    with runtime.sessions() as session:
        anchored = require_anchored(session, request.declaration)
        terms = label_terms(session, runtime.store.keyring, request, anchored.row)
    index = request.attestation_index
    if index is None:
        index = positive_attestation(runtime.chain, anchored.digest, anchored.row.id)
    leaf = anchored.leaf
    args = [
        serial_id(terms.serial),
        keccak256(anchored.row.product_id.encode("utf-8")),
        (leaf.root, leaf.digest, leaf.declarant, list(leaf.proof)),
        grade_bytes(terms.grade).ljust(16, b"\0"),
        epoch_of(terms.valid_from),
        epoch_of(terms.valid_until),
        index,
        terms.terms_hash(),
    ]
    return prepare(runtime, address, "TanjiLabels", "issueLabel", args), terms.document()


def change_transaction(page: Page, address: str) -> PreparedTransaction:
    """suspendLabel, reinstateLabel or revokeLabel."""
    action = page.form.get("action", "")
    if action not in FUNCTIONS:
        raise InvalidLabelError(f"unknown label action {action!r}; use one of: {', '.join(LABEL_ACTIONS)}")
    serial = serial_id(page.form.get("serial", ""))
    if action == "reinstate":
        return prepare(page.runtime, address, "TanjiLabels", FUNCTIONS[action], [serial])
    reason = Reason.from_name(page.form.get("reason", ""))
    return prepare(page.runtime, address, "TanjiLabels", FUNCTIONS[action], [serial, int(reason)])


def label_prepare(page: Page) -> Response:
    """``step=issue`` or ``step=change``: the unsigned transaction for the member's wallet."""
    address = require_address(page.form.get("address", "").strip(), "address")
    if page.form.get("step") == "issue":
        prepared, terms = issue_transaction(page, address)
        return desk(page, prepared=prepared, terms=json.dumps(terms, ensure_ascii=False))
    return desk(page, prepared=change_transaction(page, address))


def label_relay(page: Page) -> Response:
    """Relay the signed label transaction; after an issue, store the label's terms (PUT /v1/labels/{serial}/terms's
    use case: they must hash to the terms hash the chain now holds, so a changed form field is refused)."""
    runtime = page.runtime
    done = relay_signed(runtime, page.signed_in(), page.form.get("raw_transaction", ""))
    notice = page.t("tx.relayed", function=done.function, block=done.block_number, tx=done.tx_hash)
    terms_text = page.form.get("terms", "").strip()
    if done.function.startswith("issueLabel") and terms_text:
        document = loads_exact(terms_text)
        with runtime.sessions() as session:
            record_label_terms(session, runtime.store.keyring, runtime.chain, str(document.get("serial", "")), document)
        notice = f"{notice} {page.t('desk.terms_recorded')}"
    return desk(page, notice=notice)


def routes() -> list[Route]:
    """The certification desk."""
    return [
        page_route("/label-desk", "label_desk", label_desk),
        page_route("/label-desk/prepare", "label_prepare", label_prepare, ("POST",)),
        page_route("/label-desk/relay", "label_relay", label_relay, ("POST",)),
    ]
