"""Tanji's user-facing surface: the `tanji` command line and (later) the FastAPI service and web pages.

Nothing imports this package; it imports ledger and chain_tools.
"""
