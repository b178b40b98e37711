"""Ledger services: ingest (with an outbox), crash-safe batch anchoring, verification and proof bundles.

They use ledger.storage (sqlmodel) and reach the chain only through ledger.ports.
"""
