"""PACT v3 (and v2 adapter) data model: schema validation, strict decimals and PACT's own rules."""
