"""`tanji demo`: an EV battery-pack supply chain seeded on the embedded defaults.

`plan` reads the chain from examples/battery/supply-chain.json and writes the PACT v3 payloads; `engine_values`
fills their numbers from the roll-up engine; `seed` (organizations, factors, declarations, drafts, the correction),
`trust_steps` (attestations, labels, grants, API clients) and `review_steps` (bank claims, anomaly flags) are the
steps `run` runs in order; `summary` reads the result back from the ledger and prints the walkthrough.
"""
