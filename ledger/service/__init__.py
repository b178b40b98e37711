"""The application layer: every use case of Tanji, shared by the CLI, the HTTP API and the pages.

Ingest (with an outbox), crash-safe batch anchoring, verification, proof bundles, access grants, revocation and
supersession, attestations, labels, membership administration, roll-up and audit (see docs/architecture.md). They
use ledger.storage (sqlmodel) and reach the chain only through ledger.chain_port.
"""
