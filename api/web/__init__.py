"""The web pages (网页): server-rendered Jinja2 templates in Simplified Chinese and English over the same use cases
as the HTTP API, mounted by `api.http.app.create_app` (see `api.web.site`).

- `i18n`: the message catalogues (messages/zh-CN.json, messages/en.json) and the language of a request;
- `session`: the session cookie (a bearer token, HttpOnly), the signed-in principal, CSRF tokens;
- `access`: which pages each principal may open (rows of the API's authorization table);
- `templating`: the Jinja2 environment and `render`;
- `pages/`: one module per audience (public, sign-in, chain leader, supplier, auditor, certifier);
- `static/`: CSS, small scripts, and the vendored Apache ECharts bundle (static/vendor/README.md).
"""
