"""The pages, one module per audience; each has `routes()` (see api.web.site.page_route)."""
