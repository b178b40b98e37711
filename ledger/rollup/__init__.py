"""Supply-chain roll-up: solve (I - Q) P = E for every product at once, with quality and provenance."""
