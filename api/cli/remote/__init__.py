"""The CLI's client mode: with ``--server URL`` (or TANJI_SERVER) the declaration commands talk to a Tanji server.

Keys stay on this machine: envelopes are signed here and submitted, revocations and supersessions are built from
the committed ABI and signed here, then relayed by the server; the CLI signs in with the wallet (Sign-In with
Ethereum) and keeps the session token in a 0600 file beside the wallet.

- `connection.py`: ServerConnection (httpx, typed errors, bearer token renewed once on 401)
- `sign_in.py`: WalletSignIn (EIP-4361 signed locally), SessionCache
- `declarations.py`, `transactions.py`, `requests.py`: one small client per resource of the /v1 API
- `commands.py`: the client-mode handlers of `tanji declare ...`, `tanji verify`, `tanji proof export`
"""
