"""Message catalogues (one JSON object per language) and the language of a request.

The language is, in order: ``?lang=`` on the request, the ``tanji_lang`` cookie (set when ``?lang=`` is used),
the best match of the Accept-Language header, else Simplified Chinese. Templates translate every text through
``t("key")``; tests/web check both catalogues have the same keys and that no template holds literal text.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

LANGUAGES = ("zh-CN", "en")
DEFAULT_LANGUAGE = "zh-CN"
LANG_COOKIE = "tanji_lang"
MESSAGES = Path(__file__).resolve().parent / "messages"


@cache
def catalogue(language: str) -> dict[str, str]:
    """The messages of `language` (one of LANGUAGES), key -> text with optional ``{name}`` fields."""
    if language not in LANGUAGES:
        raise KeyError(f"no catalogue for language {language!r}; have {', '.join(LANGUAGES)}")
    data: dict[str, str] = json.loads((MESSAGES / f"{language}.json").read_text(encoding="utf-8"))
    return data


def supported(tag: str | None) -> str | None:
    """The supported language a tag names (``zh``, ``zh-cn``, ``zh-Hans-CN``, ``en-GB`` ...), or None."""
    primary = (tag or "").strip().lower().split("-", 1)[0]
    return {"zh": "zh-CN", "en": "en"}.get(primary)


def negotiate(accept_language: str | None) -> str | None:
    """The supported language the Accept-Language header prefers most (by q-value, then order), or None."""
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        language = supported(tag)
        if language is not None and quality > 0:
            ranked.append((-quality, position, language))
    return min(ranked)[2] if ranked else None


def choose_language(query: str | None, cookie: str | None, accept_language: str | None) -> str:
    """The language of a request: query, then cookie, then Accept-Language, then the default."""
    return supported(query) or supported(cookie) or negotiate(accept_language) or DEFAULT_LANGUAGE


class Translator:
    """``t("key", name=value)``: the text of `key` in one language; a missing key is an error (never shown raw)."""

    def __init__(self, language: str) -> None:
        self.language = language
        self.messages = catalogue(language)

    def __call__(self, key: str, **fields: Any) -> str:
        text = self.messages[key]
        return text.format(**fields) if fields else text

    def maybe(self, key: str, fallback: str) -> str:
        """The text of `key`, or `fallback` for a value no catalogue names yet (a new check's name, say)."""
        return self.messages.get(key, fallback)
