"""One table from every domain error to its CLI exit code, HTTP status and PACT error code.

The CLI (`api.cli.main`) and the HTTP app look errors up here, so a rule broken anywhere reads the same everywhere:

==========================  ====  ====  ==============  ==================================================
kind                        exit  HTTP  PACT code       examples
==========================  ====  ====  ==============  ==================================================
invalid input               2     422   BadRequest      malformed declaration, unknown role, bad quantity
not found                   3     404   NotFound        unknown declaration id, product, wallet, workspace, file
conflicts with the state    4     409   BadRequest      not anchored yet, id reused, already final
not allowed                 5     403   AccessDenied    no read grant, not the declarant, missing role
not authenticated           5     401   BadRequest      unknown client, bad or revoked token, bad sign-in
token expired               5     401   TokenExpired    a bearer token past its expiry
chain unavailable           6     503   InternalError   node down (nothing is lost: retry)
store or deployment broken  7     500   InternalError   payload does not authenticate, corrupt database
unexpected (a Tanji bug)    70    500   InternalError   anything not in this table
==========================  ====  ====  ==============  ==================================================

Exit code 1 stays what it always was: a check ran and its answer is "no" (an INVALID verification, a FAILED
audit, a rejected submission, a label that is not valid).
"""

from __future__ import annotations

from dataclasses import dataclass


class ApiError(Exception):
    """Base class of the errors the api package raises itself.

    ApiError
    ├── BenchmarkError              a benchmark's set-up or a command it times failed
    ├── ServerConfigurationError    `tanji serve` cannot run as asked (workers without a shared store, TLS files)
    ├── RouteWithoutRuleError       an HTTP route has no row in the authorization table (api.http.authorization)
    └── FileAccessError             a file or directory the command names cannot be read or written
        ├── FileMissingError        it does not exist: an input file, an output directory, a workspace
        ├── FileDeniedError         the operating system refuses access (owner, mode)
        └── FileKindError           a directory where a file is expected, or the reverse
    """


class BenchmarkError(ApiError):
    """A benchmark's set-up or one of the commands it times failed."""


class ServerConfigurationError(ApiError):
    """`tanji serve` cannot run as asked: several workers over a per-process store or chain, missing TLS files."""


class RouteWithoutRuleError(ApiError):
    """An HTTP route is registered without an entry in the authorization table."""


class FileAccessError(ApiError):
    """A file or directory the command names cannot be read or written (wraps the OSError at the CLI boundary)."""


class FileMissingError(FileAccessError):
    """The file, or the directory it should be in, does not exist."""


class FileDeniedError(FileAccessError):
    """The operating system refuses access to the file (its owner or mode)."""


class FileKindError(FileAccessError):
    """A directory where a file is expected, or a file where a directory is expected."""


EXIT_OK, EXIT_CHECK_FAILED, EXIT_USAGE = 0, 1, 2
EXIT_UNEXPECTED = 70


@dataclass(frozen=True)
class ErrorResponse:
    """How one kind of error reaches a caller."""

    kind: str
    exit_code: int
    http_status: int
    pact_code: str


INVALID = ErrorResponse("invalid-input", 2, 422, "BadRequest")
NOT_FOUND = ErrorResponse("not-found", 3, 404, "NotFound")
CONFLICT = ErrorResponse("conflict", 4, 409, "BadRequest")
NOT_ALLOWED = ErrorResponse("not-allowed", 5, 403, "AccessDenied")
NOT_AUTHENTICATED = ErrorResponse("not-authenticated", 5, 401, "BadRequest")
TOKEN_EXPIRED = ErrorResponse("token-expired", 5, 401, "TokenExpired")
UNAVAILABLE = ErrorResponse("unavailable", 6, 503, "InternalError")
BROKEN = ErrorResponse("broken", 7, 500, "InternalError")
UNEXPECTED = ErrorResponse("unexpected", EXIT_UNEXPECTED, 500, "InternalError")


def _table() -> list[tuple[type[BaseException], ErrorResponse]]:
    """(error class, response), most specific first; the first isinstance match wins."""
    from chain_tools import errors as chain
    from ledger import errors as ledger

    return [
        # the chain's refusals carry their kind in their class (ledger.codes.CONTRACT_ERROR_KINDS)
        (ledger.ChainInvalidInputError, INVALID),
        (ledger.ChainNotFoundError, NOT_FOUND),
        (ledger.ChainConflictError, CONFLICT),
        (ledger.ChainNotAllowedError, NOT_ALLOWED),
        (ledger.ChainRejectedError, NOT_ALLOWED),
        (ledger.NotFoundError, NOT_FOUND),  # before InvalidInputError: UnknownProductError is a SupplyChainError too
        (ledger.InvalidInputError, INVALID),
        (ledger.ConflictError, CONFLICT),
        (ledger.TokenExpiredError, TOKEN_EXPIRED),
        (ledger.AuthenticationError, NOT_AUTHENTICATED),
        (ledger.NotAllowedError, NOT_ALLOWED),
        (ledger.ChainUnavailableError, UNAVAILABLE),
        (ledger.ConfidentialityError, BROKEN),
        (ledger.LedgerDatabaseError, BROKEN),
        (chain.WorkspaceMissingError, NOT_FOUND),
        (chain.WorkspaceExistsError, CONFLICT),
        (chain.WorkspaceMismatchError, CONFLICT),
        (chain.OperatorKeyError, NOT_ALLOWED),
        (chain.WorkspaceDamagedError, BROKEN),
        (chain.ContractReverted, NOT_ALLOWED),
        (chain.ChainConnectionError, UNAVAILABLE),
        (chain.TransactionFailed, UNAVAILABLE),
        (chain.CompilationError, BROKEN),
        (chain.ArtifactError, BROKEN),
        (chain.WorkspaceError, BROKEN),
        (ServerConfigurationError, INVALID),
        (BenchmarkError, BROKEN),
        (RouteWithoutRuleError, BROKEN),
        (FileMissingError, NOT_FOUND),
        (FileDeniedError, NOT_ALLOWED),
        (FileKindError, INVALID),
        (FileAccessError, BROKEN),
        (ledger.LedgerError, BROKEN),  # the bases are never raised themselves
        (chain.ChainToolsError, BROKEN),
    ]


def response_for(error: BaseException) -> ErrorResponse:
    """The response of `error`: its table row, or UNEXPECTED when it is not a Tanji error."""
    for cls, response in _table():
        if isinstance(error, cls):
            return response
    return UNEXPECTED


def is_known(error: BaseException) -> bool:
    """True when `error` is a Tanji error with a row in the table."""
    return response_for(error) is not UNEXPECTED


def pact_error_body(error: BaseException) -> dict[str, str]:
    """The PACT error object (``{"code": ..., "message": ...}``) of `error`; unexpected errors say nothing more."""
    response = response_for(error)
    message = str(error) if response is not UNEXPECTED else "internal error"
    return {"code": response.pact_code, "message": message}


# --- HTTP helpers (api.http.error_handlers) ------------------------------------------------------------------------
_PACT_CODE_BY_STATUS = {401: "BadRequest", 403: "AccessDenied", 404: "NotFound", 501: "NotImplemented"}


def pact_code_for_status(status: int) -> str:
    """The PACT error code of an HTTP status raised by the framework (404, 405, 413, 415, 429, ...)."""
    if status in _PACT_CODE_BY_STATUS:
        return _PACT_CODE_BY_STATUS[status]
    return "InternalError" if status >= 500 else "BadRequest"
