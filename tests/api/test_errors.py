"""api.errors: every domain error has one row (exit code, HTTP status, PACT code), by the rule it breaks."""

from __future__ import annotations

import inspect

import pytest

import chain_tools.errors as chain_errors
import ledger.errors as ledger_errors
from api.errors import CONFLICT, INVALID, NOT_ALLOWED, NOT_FOUND, UNEXPECTED, pact_error_body, response_for


def _error_classes(module: object) -> list[type[BaseException]]:
    return [
        obj
        for obj in vars(module).values()
        if inspect.isclass(obj) and issubclass(obj, Exception) and obj.__module__ == module.__name__  # type: ignore[attr-defined]
    ]


@pytest.mark.parametrize("cls", _error_classes(ledger_errors) + _error_classes(chain_errors), ids=lambda c: c.__name__)
def test_every_domain_error_has_a_row(cls: type[BaseException]) -> None:
    assert response_for(_instance(cls)) is not UNEXPECTED


def _instance(cls: type[BaseException]) -> BaseException:
    if issubclass(cls, ledger_errors.ChainRejectedError):
        return cls("TanjiSomething", {}, "refused")
    if issubclass(cls, chain_errors.ContractReverted):
        return cls("TanjiSomething", {}, b"")
    if cls is ledger_errors.PactValidationError:
        return cls(["/pcf: missing"])
    return cls("message")


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (ledger_errors.DeclarationNotFoundError("no declaration"), NOT_FOUND),
        (ledger_errors.UnknownProductError("no product"), NOT_FOUND),
        (ledger_errors.DeclarationNotAnchoredError("not anchored"), CONFLICT),
        (ledger_errors.DuplicateDeclarationIdError("id reused"), CONFLICT),
        (ledger_errors.AccessDeniedError("may not read"), NOT_ALLOWED),
        (ledger_errors.NotDeclarantError("not yours"), NOT_ALLOWED),
        (ledger_errors.PactValidationError(["/pcf: missing"]), INVALID),
        (ledger_errors.UnknownRoleError("emperor"), INVALID),
        (ledger_errors.chain_rejection("TanjiMissingRole", {}, "no role"), NOT_ALLOWED),
        (ledger_errors.chain_rejection("TanjiDeclarationFinal", {}, "final"), CONFLICT),
        (ledger_errors.chain_rejection("TanjiUnknownLabel", {}, "unknown"), NOT_FOUND),
        (ledger_errors.chain_rejection("TanjiZeroDigest", {}, "zero"), INVALID),
        (ledger_errors.UnknownCategoryError("unknown category 'x'"), INVALID),
        (ledger_errors.OverlappingThresholdsError("rows 1 and 2 overlap", row=2), INVALID),
        (ledger_errors.GradeMismatchError("grade 'A' requested, benchmark gives 'B'"), INVALID),
        (ledger_errors.BenchmarkNotFoundError("no benchmark"), NOT_FOUND),
        (ledger_errors.BenchmarkConflictError("other thresholds"), CONFLICT),
        (chain_errors.WorkspaceMissingError("no workspace"), NOT_FOUND),
        (chain_errors.WorkspaceExistsError("exists"), CONFLICT),
    ],
)
def test_errors_are_told_apart_by_the_rule_they_break(error: BaseException, expected: object) -> None:
    assert response_for(error) is expected


def test_statuses_and_codes_follow_http_and_the_pact_error_codes() -> None:
    assert (NOT_FOUND.http_status, NOT_FOUND.pact_code) == (404, "NotFound")
    assert (NOT_ALLOWED.http_status, NOT_ALLOWED.pact_code) == (403, "AccessDenied")
    assert (CONFLICT.http_status, INVALID.http_status) == (409, 422)
    assert len({r.exit_code for r in (INVALID, NOT_FOUND, CONFLICT, NOT_ALLOWED, UNEXPECTED)}) == 5


def test_unexpected_errors_reveal_nothing_to_a_caller() -> None:
    assert pact_error_body(RuntimeError("secret path /etc/x")) == {"code": "InternalError", "message": "internal error"}
    assert pact_error_body(ledger_errors.DeclarationNotFoundError("no declaration 'x'"))["code"] == "NotFound"
