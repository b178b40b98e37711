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
LABELLED = {PACK: "TJ-2026-PACK-0001", CELL: "TJ-2026-CELL-0001", MODULE: "TJ-2026-MODULE-0001"}
SUSPENDED = MODULE  # its label is suspended by the certification body


def attestations(demo: Demo) -> str:
    """The auditor audits each computed footprint (re-derived from the anchored inputs) and attests the result:
    verified when the audit finds nothing, qualified with the findings otherwise (a loop partner's cited version
    was superseded after the citation)."""
    from ledger.codes import Assurance, AttestationResult
    from ledger.service.attestation import attest
    from ledger.service.audit import audit

    ledger = demo.ledger
    for product_id in ATTESTED:
        with ledger.sessions() as session:
            found = audit(session, ledger.keyring, ledger.chain, product_id, demo.factors)
            result = AttestationResult.VERIFIED if found.passed else AttestationResult.QUALIFIED
            report = json.dumps(found.as_dict(), sort_keys=True, default=str).encode("utf-8")
            done = attest(
                session,
                ledger.chain,
                demo.current(product_id)["id"],
                result=result,
                assurance=Assurance.LIMITED,
                report=report,
                sender=demo.wallets[AUDITOR],
            )
        demo.attestations.append(
            {"product": product_id, "declaration": done.declaration_id, "result": result.name.lower()}
        )
    verdicts = ", ".join(f"{a['product'].rsplit(':', 1)[1]} {a['result']}" for a in demo.attestations)
    return f"{AUDITOR} attested {len(demo.attestations)} footprints ({verdicts})"


def labels(demo: Demo) -> str:
    """The certification body labels the pack, the cell and the module; the module's label is then suspended."""
    from ledger.codes import Reason
    from ledger.service.labels import LabelIssue, change_label, issue_label

    ledger, certifier = demo.ledger, demo.wallets[CERTIFIER]
    today = datetime.now(UTC).date()
    for product_id, serial in LABELLED.items():
        request = LabelIssue(
            serial=serial,
            declaration=demo.current(product_id)["id"],
            grade="A",
            valid_from=today.isoformat(),
            valid_until=(today + timedelta(days=365)).isoformat(),
        )
        with ledger.sessions() as session:
            issue_label(session, ledger.chain, request, certifier)
        demo.labels.append({"serial": serial, "product": product_id, "status": "valid"})
    change_label(ledger.chain, LABELLED[SUSPENDED], "suspend", Reason.MISSTATEMENT, certifier)
    next(label for label in demo.labels if label["product"] == SUSPENDED)["status"] = "suspended"
    return f"{CERTIFIER} issued {len(LABELLED)} carbon labels; {LABELLED[SUSPENDED]} suspended (misstatement)"


def grants(demo: Demo) -> str:
    """Each supplier lets its customers (and the auditor, for what it attested) read its current declarations in
    full; the pack maker discloses only the pack's PCF fields to the bank."""
    from ledger.service.grants import grant

    ledger, made = demo.ledger, 0
    readers: dict[str, set[str]] = {}
    for product in demo.plan.products:
        for input_id in product.inputs:
            readers.setdefault(input_id, set()).add(product.org)
    for product_id in ATTESTED:
        readers.setdefault(product_id, set()).add(AUDITOR)
    with ledger.sessions() as session:
        for product in demo.plan.products:
            current = demo.current(product.product_id)["id"]
            for reader in sorted(readers.get(product.product_id, set()) - {product.org}):
                grant(session, ledger.keyring, current, recipient=reader, by=product.org)
                made += 1
        pack = demo.current(PACK)["id"]
        grant(session, ledger.keyring, pack, recipient=BANK, by=PACK_MAKER, fields=BANK_FIELDS)
    demo.disclosures.append({"declaration": pack, "recipient": BANK, "fields": BANK_FIELDS})
    return f"{made} read grants to customers and the auditor; the pack's PCF fields disclosed to {BANK}"


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
