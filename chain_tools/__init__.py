"""Everything that touches solc or an EVM node: compile, artifacts, deploy, chain gateway, embedded chain."""
