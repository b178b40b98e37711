"""Every `TANJI_*` setting in one typed object: the only place that reads the environment.

Build it with :func:`get_settings` (cached) or pass one to the composition root, so tests control it. A command
line flag such as ``--home`` overrides its variable through :meth:`Settings.with_overrides`.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Tanji's settings; each field is read from ``TANJI_<FIELD>`` (e.g. ``TANJI_BATCH_SIZE``)."""

    model_config = SettingsConfigDict(env_prefix="TANJI_", extra="ignore", frozen=True)

    home: Path = Field(default=Path("~/.tanji"), description="workspace directory")
    database_url: str | None = Field(
        default=None, description="PostgreSQL URL (postgresql://user@host/db); default: SQLite in the workspace"
    )
    batch_size: int = Field(default=1000, ge=1, le=100_000, description="declarations per Merkle batch")
    batch_max_age: float = Field(default=30.0, ge=0, description="seconds before a non-full batch is anchored")
    batch_uri_template: str = Field(
        default="", description="metadata URI per batch, {root} substituted (empty keeps gas under 50/declaration)"
    )
    operator_password: SecretStr | None = Field(default=None, description="operator keystore password")
    wallet_password: SecretStr | None = Field(default=None, description="password of local wallets")
    pact_peer_secret: SecretStr | None = Field(
        default=None, description="client secret a PACT data recipient issued to Tanji (`tanji pact peer add`)"
    )
    debug: bool = Field(default=False, description="show tracebacks of unexpected errors")
    # the HTTP API (`tanji serve`)
    public_url: str = Field(
        default="https://localhost:8443",
        description="URL clients use to reach the API; its host is the Sign-In with Ethereum domain",
    )
    label_verify_base: str | None = Field(
        default=None,
        description="base of the public label verification URL in label QR codes ({base}/labels/{serial}); "
        "default: the server in client mode, else public_url",
    )
    max_body_bytes: int = Field(default=1_048_576, ge=1024, le=64 * 1_048_576, description="largest request body")
    max_json_depth: int = Field(default=64, ge=2, le=1000, description="deepest JSON nesting accepted")
    rate_limit_per_minute: int = Field(default=600, ge=1, description="requests per minute per client or address")
    token_ttl_seconds: int = Field(default=3600, ge=60, le=86_400, description="lifetime of bearer tokens")
    siwe_nonce_ttl_seconds: int = Field(default=300, ge=30, le=3600, description="lifetime of sign-in nonces")
    principal_cache_seconds: float = Field(
        default=10.0, ge=0, le=300, description="how long on-chain roles of a signed-in organization are reused"
    )
    anchor_loop: bool = Field(default=True, description="anchor closed batches in the background while serving")
    anchor_poll_seconds: float = Field(default=1.0, gt=0, le=3600, description="pause between anchoring passes")
    # the CLI's client mode
    server: str | None = Field(
        default=None,
        description="URL of a Tanji server: the CLI signs locally and talks to it over HTTPS instead of the workspace",
    )

    @field_validator("home")
    @classmethod
    def _expand_home(cls, value: Path) -> Path:
        return value.expanduser()

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        assert value is not None
        if not value.startswith(("postgresql://", "postgresql+psycopg://", "sqlite:///")):
            raise ValueError(
                f"TANJI_DATABASE_URL {value!r} is neither postgresql://... nor sqlite:///...; "
                "e.g. postgresql://tanji@localhost/tanji"
            )
        return value

    @field_validator("batch_uri_template")
    @classmethod
    def _uri_template(cls, value: str) -> str:
        try:
            value.format(root="0x00")
        except (KeyError, IndexError, ValueError) as exc:
            raise ValueError(f"TANJI_BATCH_URI_TEMPLATE {value!r} may only contain the field {{root}}") from exc
        return value

    @field_validator("public_url")
    @classmethod
    def _public_url(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("https", "http") or not parts.hostname or parts.query or parts.fragment:
            raise ValueError(f"TANJI_PUBLIC_URL {value!r} must be an http(s) URL such as https://tanji.example.org")
        return value.rstrip("/")

    @field_validator("server")
    @classmethod
    def _server_url(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        assert value is not None
        parts = urlsplit(value)
        if parts.scheme not in ("https", "http") or not parts.hostname or parts.query or parts.fragment:
            raise ValueError(f"TANJI_SERVER {value!r} must be an http(s) URL such as https://tanji.example.org")
        return value.rstrip("/")

    @field_validator("label_verify_base")
    @classmethod
    def _label_verify_base(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        assert value is not None
        parts = urlsplit(value)
        if parts.scheme not in ("https", "http") or not parts.hostname or parts.query or parts.fragment:
            raise ValueError(
                f"TANJI_LABEL_VERIFY_BASE {value!r} must be an http(s) URL such as https://labels.example.org"
            )
        return value.rstrip("/")

    @property
    def public_authority(self) -> str:
        """Host (and port, when given) of the public URL: the domain a Sign-In with Ethereum message must name."""
        return urlsplit(self.public_url).netloc

    @property
    def public_scheme(self) -> str:
        """``https`` or ``http``, from the public URL."""
        return urlsplit(self.public_url).scheme

    def with_overrides(self, **values: Any) -> Settings:
        """A copy with the non-None `values` replacing fields (command-line flags over the environment)."""
        changes = {key: value for key, value in values.items() if value is not None}
        return self.model_validate({**self.model_dump(), **changes}) if changes else self

    def operator_secret(self) -> str | None:
        """The operator keystore password, when set."""
        return self.operator_password.get_secret_value() if self.operator_password else None

    def peer_secret(self) -> str | None:
        """The PACT recipient-issued client secret, when set."""
        return self.pact_peer_secret.get_secret_value() if self.pact_peer_secret else None

    def wallet_secret(self) -> str | None:
        """The wallet password, when set."""
        return self.wallet_password.get_secret_value() if self.wallet_password else None


def export_to_environment(settings: Settings) -> None:
    """Write `settings` as TANJI_* variables, so worker processes (`tanji serve --workers N`) rebuild the same ones."""
    for name, value in settings.model_dump().items():
        if value is None:
            os.environ.pop(f"TANJI_{name.upper()}", None)
            continue
        text = value.get_secret_value() if isinstance(value, SecretStr) else value
        os.environ[f"TANJI_{name.upper()}"] = str(text).lower() if isinstance(text, bool) else str(text)
    get_settings.cache_clear()


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process's settings, read once from the environment."""
    return Settings()
