"""The `tanji` command line. web3 and the chain stack are imported lazily so `tanji --help` stays fast."""
