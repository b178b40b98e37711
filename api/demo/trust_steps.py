"""Demo steps after the declarations: the auditor's attestations, the certification body's labels and the API
clients every organization signs in with (written to a 0600 file in the demo home)."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

from api.demo.plan import PACK
from api.demo.seed import Demo

AUDITOR, CERTIFIER, BANK, PACK_MAKER = "huaxin-audit", "cqc-label", "greenbank", "tanji-motors"
BANK_FIELDS = ["productIds", "declaredUnitOfMeasurement", "pcfExcludingBiogenicUptake"]
CELL, MODULE = "urn:tanji:donghai-cells:ncm811-cell", "urn:tanji:suzhou-modules:battery-module"
CATHODE = "urn:tanji:xiangjiang-cathode:ncm811-cathode"
ATTESTED = (PACK, MODULE, CELL, CATHODE)
PENDING_AUDIT = "urn:tanji:hexi-lithium:lithium-carbonate"  # assigned, not yet attested
LABELLED = {PACK: "TJ-2026-PACK-0001", CELL: "TJ-2026-CELL-0001", MODULE: "TJ-2026-MODULE-0001"}
SUSPENDED = MODULE  # its label is suspended by the certification body
FILING_PREFIX = "CQC-TBS-2026"  # 备案号 of the demo labels: PREFIX-GROUP-YEAR, then the serial's number


def attestations(demo: Demo) -> str:
    """Each declarant assigns the auditor to its computed footprint; the auditor opens its work view (the audit
    re-derives the footprint from the anchored inputs) and attests: verified when the audit finds nothing,
    qualified with the findings otherwise (a loop partner's cited version was superseded after the citation).
    One more assignment (the lithium carbonate) is left for the auditor to work on."""
    from ledger.codes import Assurance, AttestationResult
    from ledger.service.attestation import attest
    from ledger.service.audit_assignments import assign_auditor
    from ledger.service.audit_work import work_view

    ledger, auditor = demo.ledger, demo.wallets[AUDITOR]
    for product_id in (*ATTESTED, PENDING_AUDIT):
        record = demo.current(product_id)
        with ledger.sessions() as session:
            assign_auditor(session, ledger.chain, record["id"], AUDITOR, by=record["org"])
        demo.assignments.append({"product": product_id, "declaration": record["id"], "auditor": AUDITOR})
    for product_id in ATTESTED:
        key = demo.current(product_id)["id"]
        with ledger.sessions() as session:
            work = work_view(session, ledger.keyring, ledger.chain, key, AUDITOR, demo.factors)
            findings = tuple(f"{d['location']}: {d['message']}" for d in work.arithmetic["discrepancies"])
            result = AttestationResult.QUALIFIED if findings else AttestationResult.VERIFIED
            document = json.dumps(work.as_dict(), sort_keys=True, default=str).encode("utf-8")
            done = attest(
                session,
                ledger.chain,
                key,
                result=result,
                assurance=Assurance.LIMITED,
                sender=auditor,
                findings=findings,
                report=document,
            )
        demo.attestations.append(
            {"product": product_id, "declaration": done.declaration_id, "result": result.name.lower()}
            | {"findings": list(findings)}
        )
    verdicts = ", ".join(f"{a['product'].rsplit(':', 1)[1]} {a['result']}" for a in demo.attestations)
    return (
        f"{len(demo.assignments)} audit assignments; {AUDITOR} attested {len(demo.attestations)} footprints "
        f"({verdicts})"
    )


def labels(demo: Demo) -> str:
    """The certification body labels the pack, the cell and the module with their verified footprints (terms
    committed on chain; no grade: no official benchmark of the category is shipped); the module's label is then
    suspended."""
    from ledger.codes import Reason
    from ledger.service.labels import LabelIssue, change_label, issue_label

    ledger, certifier = demo.ledger, demo.wallets[CERTIFIER]
    today = datetime.now(UTC).date()
    for product_id, serial in LABELLED.items():
        request = LabelIssue(
            serial=serial,
            declaration=demo.current(product_id)["id"],
            valid_from=today.isoformat(),
            valid_until=(today + timedelta(days=365)).isoformat(),
            filing_number=f"{FILING_PREFIX}-{serial.rsplit('-', 1)[-1]}",
        )
        with ledger.sessions() as session:
            issue_label(session, ledger.keyring, ledger.chain, request, certifier)
        demo.labels.append({"serial": serial, "product": product_id, "status": "valid"})
    change_label(ledger.chain, LABELLED[SUSPENDED], "suspend", Reason.MISSTATEMENT, certifier)
    next(label for label in demo.labels if label["product"] == SUSPENDED)["status"] = "suspended"
    return f"{CERTIFIER} issued {len(LABELLED)} carbon labels; {LABELLED[SUSPENDED]} suspended (misstatement)"


def grants(demo: Demo) -> str:
    """Each supplier lets its customers read its current declaration in full (the auditor reads what it is
    assigned); the pack maker discloses only the pack's PCF fields to the bank."""
    from ledger.service.grants import grant

    ledger, made = demo.ledger, 0
    readers: dict[str, set[str]] = {}
    for product in demo.plan.products:
        for input_id in product.inputs:
            readers.setdefault(input_id, set()).add(product.org)
    with ledger.sessions() as session:
        for product in demo.plan.products:
            current = demo.current(product.product_id)["id"]
            for reader in sorted(readers.get(product.product_id, set()) - {product.org}):
                grant(session, ledger.keyring, current, recipient=reader, by=product.org)
                made += 1
        pack = demo.current(PACK)["id"]
        grant(session, ledger.keyring, pack, recipient=BANK, by=PACK_MAKER, fields=BANK_FIELDS)
    demo.disclosures.append({"declaration": pack, "recipient": BANK, "fields": BANK_FIELDS})
    return f"{made} read grants to customers; the pack's PCF fields disclosed to {BANK}"


def clients(demo: Demo) -> str:
    """An API client per organization (identity service); the secrets go to demo/credentials.json, mode 0600."""
    from ledger.service.identity import IdentityService, OrganizationDirectory

    ledger = demo.ledger
    identity = IdentityService(
        ledger.sessions, OrganizationDirectory(ledger.chain, ttl=0), token_ttl=ledger.settings.token_ttl_seconds
    )
    for organization in demo.plan.organizations:
        issued = identity.create_client(organization.org)
        demo.clients.append({"organization": issued.org_handle, "clientId": issued.client_id, "secret": issued.secret})
    path = credentials_path(demo)
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        json.dump(demo.clients, handle, indent=2)
    return f"{len(demo.clients)} API clients created; secrets in {path} (mode 0600)"


def credentials_path(demo: Demo) -> Path:
    """Where the demo's client secrets are written."""
    return demo.ledger.home / "demo" / "credentials.json"
