"""How alike a searched name is to a person's names. Pure; used on every database so that the
ranking is the same on SQLite and PostgreSQL."""

from rapidfuzz import fuzz

from cfsj.lib.nicknames import canonical_forms
from cfsj.lib.text import fold

# A typed prefix of three letters or more counts nearly as much as the whole word, so that
# results appear while an officer is still typing.
_PREFIX_SCORE = 90.0


def query_words(names: str) -> list[tuple[str, ...]]:
    """Each folded word of the query with its nickname expansions: "Bobby Núñez" →
    [("bobby", "robert"), ("nunez",)]. The parts of a word that punctuation splits also stand
    for the whole word: "O'Brien" → [("o", "obrien"), ("brien", "obrien")] finds "Obrien"."""
    words: list[tuple[str, ...]] = []
    for part in names.split():
        folded = fold(part).split()
        joined = ("".join(folded),) if len(folded) > 1 else ()
        words.extend((word, *canonical_forms(word), *joined) for word in folded)
    return words


def name_score(
    words: list[tuple[str, ...]],
    search_names: str,
    cache: dict[tuple[tuple[str, ...], str], float] | None = None,
) -> float:
    """0..1: the mean, over the query's words, of the best match of any of the word's forms
    with any of the person's name tokens. Order-free, so swapped first/last names match.
    ``cache`` (one dict per query) keeps each word × token score: ranking thousands of people
    meets the same few hundred name tokens again and again."""
    tokens = search_names.split()
    if not words or not tokens:
        return 0.0
    if cache is None:
        cache = {}
    total = 0.0
    for alternatives in words:
        best = 0.0
        for token in tokens:
            score = cache.get((alternatives, token))
            if score is None:
                score = cache[(alternatives, token)] = _word_score(alternatives, token)
            if score > best:
                best = score
        total += best
    return total / (100.0 * len(words))


def _word_score(alternatives: tuple[str, ...], token: str) -> float:
    best = 0.0
    for form in alternatives:
        score = fuzz.ratio(form, token)
        if len(form) >= 3 and token.startswith(form):
            score = max(score, _PREFIX_SCORE)
        best = max(best, score)
    return best
