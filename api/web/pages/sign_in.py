"""Sign-in pages: a client credential (the /auth/token use case) or Sign-In with Ethereum (EIP-4361, the
/auth/siwe use case). The page shows the message to sign; the visitor's wallet signs it (``window.ethereum`` when
the browser has one, else ``tanji wallet siwe-sign`` on the visitor's machine and the signature pasted back). No
page ever asks for a private key."""

from __future__ import annotations

from datetime import UTC, datetime

from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from api.web.session import end_session, start_session
from api.web.site import Page, page_route, safe_next
from ledger.errors import InvalidClientError
from ledger.service.identity import IssuedToken
from ledger.service.organizations import require_address
from ledger.service.siwe import SiweMessage

STATEMENT = "Sign in to Tanji"


def sign_in(page: Page) -> Response:
    """Both ways to sign in."""
    return page.render("sign_in.html", next=safe_next(page.request.query_params.get("next")), error=None)


def signed_in(page: Page, issued: IssuedToken, target: str) -> Response:
    """Start the session and go on."""
    response = RedirectResponse(safe_next(target), status_code=303)
    start_session(page.request, response, issued.token, issued.expires_in)
    return response


def sign_in_client(page: Page) -> Response:
    """Client id and secret, checked by the identity service exactly as /auth/token checks them."""
    client_id, secret = page.form.get("client_id", "").strip(), page.form.get("client_secret", "")
    target = page.form.get("next", "/")
    try:
        issued = page.runtime.identity.token_for_client(client_id, secret)
    except InvalidClientError:
        return page.render("sign_in.html", 401, next=safe_next(target), error=page.t("signin.client_failed"))
    return signed_in(page, issued, target)


def siwe_message(page: Page) -> Response:
    """The EIP-4361 message for an organization and a key address, with a fresh single-use nonce."""
    query = page.request.query_params
    organization = (query.get("organization") or "").strip()
    address = require_address((query.get("address") or "").strip(), "address")
    settings, siwe = page.runtime.settings, page.runtime.siwe
    grant = siwe.new_nonce()
    message = SiweMessage(
        scheme=settings.public_scheme,
        domain=settings.public_authority,
        address=address,
        statement=STATEMENT,
        uri=settings.public_url,
        chain_id=siwe.chain_id,
        nonce=grant.nonce,
        issued_at=datetime.now(UTC),
    )
    return page.render(
        "siwe.html",
        organization=organization,
        address=address,
        message=message.text(),
        next=safe_next(query.get("next")),
    )


def sign_in_siwe(page: Page) -> Response:
    """The signed message, checked by the Sign-In with Ethereum service exactly as /auth/siwe checks it."""
    message = page.form.get("message", "").replace("\r\n", "\n")
    signature, organization = page.form.get("signature", "").strip(), page.form.get("organization", "")
    issued = page.runtime.siwe.sign_in(message=message, signature=signature, organization=organization)
    return signed_in(page, issued, page.form.get("next", "/"))


def sign_out(page: Page) -> Response:
    """Forget the session."""
    response = RedirectResponse("/", status_code=303)
    end_session(page.request, response)
    return response


def routes() -> list[Route]:
    """The sign-in pages."""
    return [
        page_route("/sign-in", "sign_in", sign_in),
        page_route("/sign-in/client", "sign_in_client", sign_in_client, ("POST",)),
        page_route("/sign-in/siwe", "siwe_message", siwe_message),
        page_route("/sign-in/siwe", "sign_in_siwe", sign_in_siwe, ("POST",)),
        page_route("/sign-out", "sign_out", sign_out, ("POST",)),
    ]
