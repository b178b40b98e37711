"""Every page text is in both catalogues: same keys, every key a template or page names exists, no template holds
text outside ``t(...)``, and the language of a request follows ?lang=, the cookie, then Accept-Language."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from api.web.access import PAGE_RULES
from api.web.i18n import DEFAULT_LANGUAGE, LANGUAGES, Translator, catalogue, choose_language, negotiate
from api.web.site import page_names, web_router

WEB = Path(__file__).resolve().parents[2] / "api" / "web"
TEMPLATES = sorted((WEB / "templates").glob("*.html"))
JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
LETTER = re.compile(r"[^\W\d_]")  # any letter of any script (Latin, CJK ...)
SHOWN_ATTRIBUTES = ("placeholder", "title", "alt", "aria-label")
LITERAL_KEY = re.compile(r"""\bt\(\s*["']([A-Za-z0-9_.\-]+)["']""")


class VisibleText(HTMLParser):
    """Collects text a visitor would read: element text (not scripts or styles) and shown attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.hidden_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self.hidden_depth += 1
        self.found += [value for name, value in attrs if name in SHOWN_ATTRIBUTES and value]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.hidden_depth -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden_depth:
            self.found.append(data)


def untranslated(template: str) -> list[str]:
    """Pieces of visible text of `template` that contain a letter once Jinja expressions are taken out."""
    parser = VisibleText()
    parser.feed(JINJA.sub(" ", template))
    return [text.strip() for text in parser.found if LETTER.search(text)]


def test_both_catalogues_have_the_same_keys_and_no_empty_text() -> None:
    chinese, english = catalogue("zh-CN"), catalogue("en")
    assert set(chinese) == set(english)
    assert all(text.strip() for text in (*chinese.values(), *english.values()))
    assert chinese["home.title"] != english["home.title"]


def test_the_catalogues_name_the_same_fields_in_each_text() -> None:
    fields = re.compile(r"\{(\w+)\}")
    chinese, english = catalogue("zh-CN"), catalogue("en")
    assert [key for key in chinese if set(fields.findall(chinese[key])) != set(fields.findall(english[key]))] == []


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda path: path.name)
def test_no_template_holds_untranslated_text(path: Path) -> None:
    assert untranslated(path.read_text(encoding="utf-8")) == []


def test_the_checker_finds_literal_text() -> None:
    assert untranslated('<p>{{ t("a") }} Verify</p>') == ["Verify"]
    assert untranslated('<input placeholder="序列号">') == ["序列号"]
    assert untranslated('<p>{{ t("a") }} · 12 %</p><script>var x = "ok";</script>') == []


def test_every_key_a_template_or_page_names_is_in_the_catalogues() -> None:
    sources = [*TEMPLATES, *(WEB / "pages").glob("*.py"), *WEB.glob("*.py")]
    named = {key for path in sources for key in LITERAL_KEY.findall(path.read_text(encoding="utf-8")) if "." in key}
    keys = set(catalogue("en"))
    prefixes = {key for key in named if key.endswith(".")}  # t("status." ~ value): a family of keys
    assert named and sorted(named - prefixes - keys) == []
    assert [prefix for prefix in prefixes if not any(key.startswith(prefix) for key in keys)] == []


def test_the_language_follows_query_then_cookie_then_accept_language() -> None:
    assert choose_language("en", "zh-CN", "zh-CN") == "en"
    assert choose_language(None, "en", "zh-CN,zh") == "en"
    assert choose_language("xx", None, "fr;q=1, en-US;q=0.8, zh;q=0.5") == "en"
    assert choose_language(None, None, "fr, de") == DEFAULT_LANGUAGE
    assert negotiate("en;q=0.4, zh-Hans-CN;q=0.9") == "zh-CN"
    assert negotiate("zh;q=0, en;q=0.1") == "en"
    assert negotiate("en;q=abc") is None


def test_a_missing_key_is_an_error_not_raw_text() -> None:
    with pytest.raises(KeyError):
        Translator("en")("no.such.key")
    assert set(LANGUAGES) == {"zh-CN", "en"}


def test_every_page_has_a_row_in_the_page_rules_and_no_row_is_stale() -> None:
    names = page_names(web_router())
    assert len(names) == len(set(names)) and sorted(names) == sorted(PAGE_RULES)


def test_every_value_a_page_translates_by_family_has_its_text() -> None:
    from api.web.pages.auditor import ASSURANCES, RESULTS
    from api.web.pages.claims import SUBJECTS
    from api.web.supply_graph import STATUSES
    from ledger.claims.evaluate import Outcome
    from ledger.claims.model import Metric
    from ledger.codes import LabelStatus, Reason
    from ledger.rollup.components import COMPONENTS
    from ledger.service.labels import LABEL_ACTIONS
    from ledger.service.visibility import DECLARANT, DISCLOSED, GRANTED, PUBLIC

    families = {
        "label.status.": [status.text for status in LabelStatus],
        "reason.": [reason.cli_name for reason in Reason],
        "status.": list(STATUSES),
        "attest.result.": list(RESULTS),
        "attest.assurance.": list(ASSURANCES),
        "desk.action.": list(LABEL_ACTIONS),
        "access.": [DECLARANT, GRANTED, DISCLOSED, PUBLIC],
        "decl.": ["pending", "unverified", "anchored", "rejected"],
        "chain.": ["anchored", "revoked", "superseded"],
        "component.": list(COMPONENTS),
        "outcome.": [item.value for item in Outcome],
        "metric.": [item.value for item in Metric],
        "severity.": ["info", "warning", "critical"],
        "claims.subject.": list(SUBJECTS),
        "requests.": ["open", "fulfilled", "rejected", "overdue", "requested"],
        "requests.done.": ["fulfil", "reject", "forward"],
    }
    keys = set(catalogue("zh-CN"))
    assert [
        prefix + value for prefix, values in families.items() for value in values if prefix + value not in keys
    ] == []
