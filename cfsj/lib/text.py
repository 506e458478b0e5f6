"""Name normalisation for search and duplicate detection. Pure functions, no Django."""

import re
import unicodedata
from collections.abc import Iterable
from datetime import date

from cfsj.lib.nicknames import canonical_forms

# Anything but a letter or digit of any script ends a word. Letters of other scripts are kept:
# dropping them left "Иван Петров" with no searchable name at all.
_NON_LETTERS = re.compile(r"[\W_]+")
# Latin letters that NFKD does not decompose into a base letter and an accent, spelled as people
# type them on an English keyboard ("Søren" is searched as "Soren").
_LATIN_EXTRA = str.maketrans(
    {"ø": "o", "ł": "l", "đ": "d", "ð": "d", "ı": "i", "ß": "ss", "æ": "ae", "œ": "oe", "þ": "th"}
)


def fold(text: str) -> str:
    """Lower case, accents removed, punctuation to spaces: "José O'Brien" → "jose o brien"."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    return " ".join(_NON_LETTERS.sub(" ", plain.translate(_LATIN_EXTRA)).split())


def name_tokens(text: str) -> list[str]:
    """Folded words of a name, each followed by its nickname's formal forms ("bob" → robert).
    A word that punctuation splits also counts written as one ("O'Brien" → o, brien, obrien), so
    that "OBrien" and "O'Brien" find each other."""
    tokens: list[str] = []
    for part in text.split():
        words = fold(part).split()
        joined = ["".join(words)] if len(words) > 1 else []
        for word in (*words, *joined):
            for token in (word, *canonical_forms(word)):
                if token not in tokens:
                    tokens.append(token)
    return tokens


def search_text(names: Iterable[str]) -> str:
    """The searchable form of a person's names: unique folded tokens with nickname expansions."""
    tokens: list[str] = []
    for name in names:
        for token in name_tokens(name or ""):
            if token not in tokens:
                tokens.append(token)
    return " ".join(tokens)


def age_on(born: date | None, day: date) -> int | None:
    if born is None:
        return None
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())
