"""Identifiers people read: product ids, organization handles, wallet names.

Two identifiers that look the same must be the same identifier, or a supplier could declare "urn:tanji:acme:coil"
with a Cyrillic "а" and pass for Acme. So an identifier is

- in Unicode NFC (composed) form: an "é" typed as "e" + combining accent is the same id as the precomposed one;
- free of control, zero-width, invisible and bidirectional-control characters, and of space look-alikes;
- free of compatibility forms (fullwidth "ａ", ligatures, the micro sign): they change under NFKC;
- free of words that mix Latin with Cyrillic or Greek letters, and of Cyrillic or Greek words made only of
  letters that look Latin ("асе" in Cyrillic reads as "ace").

Other scripts are welcome, alone or next to Latin: "urn:tanji:宝钢:热轧卷" and "PE管材" are fine.
Problems name the character's index (counting from 0), its code point and its Unicode name.
"""

from __future__ import annotations

import unicodedata

_BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_INVISIBLE = frozenset(
    "\u00ad\u034f\u115f\u1160\u17b4\u17b5\u180e\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\u3164\ufeff\uffa0"
)
_CONFUSABLE_SCRIPTS = ("LATIN", "CYRILLIC", "GREEK")
# Cyrillic and Greek letters that render like a Latin letter in common fonts (after Unicode's confusables.txt)
_LOOKS_LATIN = {
    **dict(zip("аеорсухіјѕһԁԛԝӏү", "aeopcyxijshdqwly", strict=True)),
    **dict(zip("АВЕКМНОРСТХІЈЅҮԚԜ", "ABEKMHOPCTXIJSYQW", strict=True)),
    **dict(zip("οινυραΑΒΕΖΗΙΚΜΝΟΡΤΥΧ", "oivupaABEZHIKMNOPTYX", strict=True)),
}


def describe(text: str, index: int) -> str:
    """``index 3 (U+200B ZERO WIDTH SPACE)``: where a character is and what it is."""
    char = text[index]
    name = unicodedata.name(char, "")
    return f"index {index} (U+{ord(char):04X}{' ' + name if name else ''})"


def identifier_problem(text: str) -> str | None:
    """What makes `text` unsafe as an identifier, naming the first offending character; None when it is safe."""
    if text.isascii() and text.isprintable():  # the common case: no control character, nothing to confuse
        return None
    if not unicodedata.is_normalized("NFC", text):
        index = next(i for i in range(len(text)) if not unicodedata.is_normalized("NFC", text[: i + 1]))
        return (
            f"is not in Unicode NFC (composed) form at {describe(text, index)}; "
            f"normalize it to NFC: {unicodedata.normalize('NFC', text)!r}"
        )
    for index, char in enumerate(text):
        problem = _character_problem(char)
        if problem:
            return f"has {problem} at {describe(text, index)}; remove it"
        if unicodedata.normalize("NFKC", char) != char:
            plain = unicodedata.normalize("NFKC", char)
            return f"has a compatibility form at {describe(text, index)}; write {plain!r} instead"
    return _mixed_script_problem(text)


def normalize_identifier(text: str) -> tuple[str, str | None]:
    """(`text` in NFC form, what still makes it unsafe or None)."""
    normalized = unicodedata.normalize("NFC", text)
    return normalized, identifier_problem(normalized)


def _character_problem(char: str) -> str | None:
    category = unicodedata.category(char)
    if char in _BIDI_CONTROLS:
        return "a bidirectional control character"
    if char in _INVISIBLE or ("\ufe00" <= char <= "\ufe0f") or ("\U000e0000" <= char <= "\U000e01ef"):
        return "an invisible (zero-width) character"
    if category in ("Cc", "Zl", "Zp"):
        return "a control character"
    if category == "Cf":
        return "an invisible formatting character"
    if category == "Zs" and char != " ":
        return "a space look-alike (use an ordinary space or '-')"
    if category in ("Cs", "Co", "Cn"):
        return "an unassigned or private-use code point"
    return None


def _script(char: str) -> str:
    """LATIN, CYRILLIC or GREEK for letters of the scripts that look alike, else OTHER."""
    name = unicodedata.name(char, "")
    return next((script for script in _CONFUSABLE_SCRIPTS if name.startswith(script)), "OTHER")


def _words(text: str) -> list[tuple[int, str]]:
    """(start index, word) of every run of letters (with their combining marks)."""
    words: list[tuple[int, str]] = []
    start = None
    for index, char in enumerate([*text, " "]):
        if unicodedata.category(char)[0] in "LM":
            start = index if start is None else start
        elif start is not None:
            words.append((start, text[start:index]))
            start = None
    return words


def _mixed_script_problem(text: str) -> str | None:
    for start, word in _words(text):
        scripts = [_script(char) for char in word]
        alphabets = {s for s in scripts if s != "OTHER"}
        if "LATIN" in alphabets and len(alphabets) > 1:
            offset = next(i for i, s in enumerate(scripts) if s not in ("LATIN", "OTHER"))
            return (
                f"mixes {scripts[offset].title()} into the Latin word {word!r} at {describe(text, start + offset)}; "
                "a word mixing Latin with Cyrillic or Greek can pass for another: write it in one script"
            )
        if alphabets and "LATIN" not in alphabets and all(char in _LOOKS_LATIN for char in word):
            latin = "".join(_LOOKS_LATIN[char] for char in word)
            return (
                f"has the word {word!r} made only of letters that look Latin (it reads as {latin!r}), starting at "
                f"{describe(text, start)}; write it in Latin letters"
            )
    return None
