"""The HTTP API: `create_app(settings)` (api.http.app) over one long-lived runtime (api.http.runtime).

See docs/http.md for the layout and for how to add a router.
"""
