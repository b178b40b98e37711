"""Who may open each page: a row of the API's authorization table (api/http/authorization.py).

A page that shows what an API route answers obeys that route's row (the label page is `check_label`'s, the product
page `rollup_product`'s ...); pages for one audience with no single route of their own (the auditor's desk, the
certification desk) name the on-chain roles with the same `roles(...)` rule. `api.web.site` refuses to build a page
without a row here, and tests/http/test_web_access.py walks every page with each role.
"""

from __future__ import annotations

from api.http.authorization import PUBLIC, RULES, Rule, roles

AUDITORS = roles("auditor")
LABEL_DESK = roles("certifier", "regulator")

PAGE_RULES: dict[str, Rule] = {
    # public
    "home": PUBLIC,
    "label_search": RULES["check_label"],
    "label_page": RULES["check_label"],
    "declaration_facts": RULES["get_declaration"],
    # sign-in (the same use cases as /auth/token and /auth/siwe)
    "sign_in": PUBLIC,
    "sign_in_client": RULES["issue_token"],
    "siwe_message": RULES["siwe_nonce"],
    "sign_in_siwe": RULES["siwe_sign_in"],
    "sign_out": PUBLIC,
    # chain leader (and the other roles that may roll up)
    "products": RULES["rollup_product"],
    "product_page": RULES["rollup_product"],
    # supplier
    "supplier_desk": RULES["submit_declaration"],
    "supplier_upload": RULES["submit_declaration"],
    "supplier_grant": RULES["create_grant"],
    "supplier_assign": RULES["assign_auditor"],
    # auditor
    "auditor_desk": AUDITORS,
    "auditor_declaration": AUDITORS,
    "auditor_attest": AUDITORS,
    # certification body / regulator
    "label_desk": LABEL_DESK,
    "label_prepare": LABEL_DESK,
    "label_relay": LABEL_DESK,
    # footprint requests by tier: inbox and outbox for everyone signed in, sending and coverage for chain leaders
    "request_list": RULES["list_requests"],
    "request_create": RULES["create_requests"],
    "request_answer": RULES["fulfil_request"],
    "request_coverage": RULES["request_coverage"],
    # anomaly flags (chain leaders, auditors, regulators) and the claim checker (banks; any signed-in organization)
    "flags": RULES["list_flags"],
    "claim_checker": RULES["check_claim"],
    "claim_check": RULES["check_claim"],
}
