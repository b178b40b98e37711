"""`tanji demo`: an EV battery-pack supply chain seeded on the embedded defaults.

`plan` reads the chain from examples/battery/supply-chain.json and writes the PACT v3 payloads; `engine_values`
fills their numbers from the roll-up engine; `seed` runs the steps (organizations and wallets, declarations,
drafts, a correction, attestations, labels, API clients); `summary` prints what was seeded and how to look at it.
"""
