"""Errors of the CLI's client mode: a server's refusal keeps its kind, so the CLI's exit codes read the same as locally.

RemoteError
├── RemoteInvalidInputError       400, 413, 415, 422: the request was malformed or broke a rule
├── RemoteNotFoundError           404: the server knows no such declaration or route
├── RemoteConflictError           409: not anchored yet, already final, ...
├── RemoteNotAllowedError         403: the signed-in organization may not do this
├── RemoteNotAuthenticatedError   401: no, bad or expired session (sign in with --wallet and --org)
├── RemoteUnavailableError        429, 502, 503, 504 or no connection: retry later
└── RemoteServerError             any other answer (a 500 is a server bug)

Each class also derives from the ledger error of its kind, so `api.errors` maps it without a row of its own.
"""

from __future__ import annotations

from ledger.errors import (
    AuthenticationError,
    ChainUnavailableError,
    ConflictError,
    InvalidInputError,
    NotAllowedError,
    NotFoundError,
)


class RemoteError(Exception):
    """The server refused a request or could not be reached; `status` is the HTTP status (0: no answer)."""

    def __init__(self, message: str, *, status: int = 0, code: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.code = code


class RemoteInvalidInputError(RemoteError, InvalidInputError):
    """400, 413, 415 or 422: the request was malformed or broke a rule."""


class RemoteNotFoundError(RemoteError, NotFoundError):
    """404: the server knows no such resource."""


class RemoteConflictError(RemoteError, ConflictError):
    """409: the request conflicts with the ledger's state."""


class RemoteNotAllowedError(RemoteError, NotAllowedError):
    """403: the signed-in organization may not do this."""


class RemoteNotAuthenticatedError(RemoteError, AuthenticationError):
    """401: no session, or the session was refused or has expired."""


class RemoteUnavailableError(RemoteError, ChainUnavailableError):
    """No answer, rate limited, or the server (or its chain) is unavailable: retry later."""


class RemoteServerError(RemoteError):
    """Any other answer, such as a 500 (a server bug)."""


_BY_STATUS: dict[int, type[RemoteError]] = {
    400: RemoteInvalidInputError,
    413: RemoteInvalidInputError,
    415: RemoteInvalidInputError,
    422: RemoteInvalidInputError,
    401: RemoteNotAuthenticatedError,
    403: RemoteNotAllowedError,
    404: RemoteNotFoundError,
    409: RemoteConflictError,
    429: RemoteUnavailableError,
    502: RemoteUnavailableError,
    503: RemoteUnavailableError,
    504: RemoteUnavailableError,
}


def error_for_status(status: int, message: str, code: str = "") -> RemoteError:
    """The error of an HTTP answer `status` with the server's `message` (PACT body's message) and `code`."""
    return _BY_STATUS.get(status, RemoteServerError)(message, status=status, code=code)
