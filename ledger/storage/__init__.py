"""Off-chain storage (sqlmodel): SQLite (WAL) by default, PostgreSQL when TANJI_DATABASE_URL is set.

This package and ledger.service are the only parts of ledger that use sqlmodel; the domain core does not.
"""
