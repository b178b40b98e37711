"""The certification desk (certification bodies issue, suspend, reinstate and revoke carbon labels; regulators
revoke): the server prepares each label transaction, the member's own wallet signs it, the relay sends it
(api.web.wallet_tx), as `tanji label ...` does in client mode."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response
from starlette.routing import Route

from api.web.site import Page, page_route
from api.web.wallet_tx import PreparedTransaction, prepare, relay_signed
from ledger.codes import Reason
from ledger.errors import InvalidLabelError
from ledger.hashing import keccak256
from ledger.service.declaration_actions import require_anchored
from ledger.service.labels import LABEL_ACTIONS, LabelIssue, epoch_of, positive_attestation, serial_id
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
        "notice": None,
    }
    values.update(extra)
    return page.render("labels_desk.html", status, **values)


def label_desk(page: Page) -> Response:
    """The desk."""
    return desk(page)


def issue_transaction(page: Page, address: str) -> PreparedTransaction:
    """issueLabel on the declaration's newest positive attestation (unless an index is given)."""
    form = page.form
    index_text = form.get("attestation", "").strip()
    request = LabelIssue(
        form.get("serial", "").strip(),
        form.get("declaration", "").strip(),
        form.get("grade", "").strip(),
        form.get("valid_from", "").strip(),
        form.get("valid_until", "").strip(),
        int(index_text) if index_text.isdigit() else None,
    )
    grade = request.grade_bytes().ljust(16, b"\0")
    window = (epoch_of(request.valid_from), epoch_of(request.valid_until))
    with page.runtime.sessions() as session:
        anchored = require_anchored(session, request.declaration)
    index = request.attestation_index
    if index is None:
        index = positive_attestation(page.runtime.chain, anchored.digest, anchored.row.id)
    leaf = anchored.leaf
    args = [
        serial_id(request.serial),
        keccak256(anchored.row.product_id.encode("utf-8")),
        (leaf.root, leaf.digest, leaf.declarant, list(leaf.proof)),
        grade,
        *window,
        index,
    ]
    return prepare(page.runtime, address, "TanjiLabels", "issueLabel", args)


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
        return desk(page, prepared=issue_transaction(page, address))
    return desk(page, prepared=change_transaction(page, address))


def label_relay(page: Page) -> Response:
    """Relay the signed label transaction."""
    done = relay_signed(page.runtime, page.signed_in(), page.form.get("raw_transaction", ""))
    return desk(page, notice=page.t("tx.relayed", function=done.function, block=done.block_number, tx=done.tx_hash))


def routes() -> list[Route]:
    """The certification desk."""
    return [
        page_route("/label-desk", "label_desk", label_desk),
        page_route("/label-desk/prepare", "label_prepare", label_prepare, ("POST",)),
        page_route("/label-desk/relay", "label_relay", label_relay, ("POST",)),
    ]
