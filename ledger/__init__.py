"""Tanji domain core: declarations, signing, Merkle batches, supply-chain graph and roll-up.

The core imports no fastapi, sqlmodel or web3 (a test enforces it).
"""
