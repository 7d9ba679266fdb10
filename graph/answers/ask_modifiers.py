"""What a question says besides its subject: typos mended, then "how many", the years, and the
latest status asked for, each taken out of the text so that the rest reads as before.

Typos are mended word by word with rapidfuzz against the words lrkg knows (the words questions
are made of, and every word of a theme's labels and synonyms, an actor's names, a review's label
and title, a status's labels): a word it does not know, of five letters or more, becomes the
known word it is closest to when they are at least 85% alike ("recomendations", "southprt",
"acepted"). Known words are never changed. Rules and fuzzy matching, not a language model:
what it reads is shown with every answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from graph.answers.actors import actor_names
from graph.answers.ask_filters import NO_RESPONSE, NOT_IMPLEMENTED, OVERDUE
from graph.answers.review_names import held_reviews
from graph.answers.statuses import Status, status_names
from graph.answers.themes import theme_names
from graph.store.derived import keep, recall
from graph.store.knowledge_store import KnowledgeStore

TYPO_SCORE = 85
"""How alike (rapidfuzz ratio, 0-100) an unknown word must be to a known one to be read as it."""
SHORTEST_TYPO = 5
"""Shorter unknown words are left alone: too many known words are one letter from them."""

GRAMMAR_WORDS = frozenset({
    "a", "about", "accept", "accepted", "accountable", "across", "act", "acted", "address", "addressed",
    "addresses", "addressing", "after", "again", "against", "aimed", "all", "alone", "also", "an", "and",
    "answer", "answered", "any", "are", "around", "as", "assigned", "at", "awaiting", "back", "be", "been",
    "before", "behind", "belonging", "between", "blame", "by", "can", "case", "chronologically", "closed",
    "come", "coming", "common", "compare", "compared", "concerning", "could", "count", "critical", "criticise",
    "deal", "dealing", "deliver", "delivered", "did", "differ", "difference", "differences", "directed", "do",
    "does", "during", "each", "every", "exactly", "failings", "failure", "failures", "find", "findings", "for",
    "found", "from", "get", "give", "given", "got", "had", "happen", "happened", "happening", "has", "have",
    "held", "how", "identify", "implement", "implemented", "implementing", "implicate", "implicated",
    "implicates", "implicating", "in", "into", "involve", "involving", "is", "issued", "issues", "it", "itself",
    "just", "keep", "keeps", "kept", "late", "list", "made", "make", "many", "me", "mention", "more", "must",
    "name", "named", "no", "none", "not", "number", "of", "often", "on", "once", "one", "only", "or", "order",
    "over", "overdue", "own", "owned", "owner", "owners", "owns", "past", "please", "problems", "published",
    "recommend", "recommendation", "recommendations", "recs", "recur", "recurred", "recurrence", "recurrent",
    "recurring", "recurs", "regarding", "reject", "rejected", "related", "relating", "repeated", "reply",
    "respond", "responded", "response", "responses", "responsible", "review", "reviews", "say", "see",
    "several", "share", "shortcomings", "should", "show", "similar", "similarities", "since", "still", "tackle",
    "than", "that", "the", "their", "them", "there", "these", "they", "this", "those", "timeline", "to",
    "until", "up", "us", "versus", "vs", "was", "we", "were", "what", "when", "which", "who", "whom", "why",
    "with", "without", "yet", "you"
})
"""The words questions are made of, mended to and never from."""


def known_words(store: KnowledgeStore) -> frozenset[str]:
    """Every word lrkg knows: GRAMMAR_WORDS and the words of every theme, actor, review and status
    name. Kept until the next write."""
    recalled = recall(store, ("ask known words",))
    if recalled.found:
        return recalled.value
    names = list(theme_names(store)) + list(status_names(store))
    names += [name for known in actor_names(store).values() for name in known]
    names += [f"{held.review.label} {held.title or ''}" for held in held_reviews(store)]
    words = {word for name in names for word in re.findall(r"[a-z]+", name.lower())}
    return keep(store, recalled, frozenset(words | GRAMMAR_WORDS))


def mend_typos(store: KnowledgeStore, text: str) -> str:
    """`text` in lower case, each unknown word of five letters or more replaced by the known word
    it is closest to, when close enough."""
    known = known_words(store)
    choices = sorted(known)

    def mended(match: re.Match[str]) -> str:
        word = match.group(0)
        if word in known or len(word) < SHORTEST_TYPO or _singular(word) in known:
            return word
        best = process.extractOne(word, choices, scorer=fuzz.ratio, score_cutoff=TYPO_SCORE)
        return best[0] if best else word

    return re.sub(r"[a-z]+", mended, text.lower())


def _singular(word: str) -> str:
    return word.removesuffix("s")


@dataclass(frozen=True)
class Modifiers:
    """What the question asks besides its subject, and the text left to read."""

    text: str
    count: bool = False
    since: int | None = None
    until: int | None = None
    status: Status | None = None


_COUNT = re.compile(r"^(?:how many|(?:what is )?the number of|number of|count(?: of)?|count the)\s+")
_YEAR = r"((?:19|20)\d\d)"
_MADE = r"(?:(?:made|issued|published|written|found|reported|dated)\s+)?"
_TIMES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(rf"\b{_MADE}between {_YEAR} and {_YEAR}\b"), "between"),
    (re.compile(rf"\b{_MADE}(?:since|from) {_YEAR}(?: onwards?)?\b"), "since"),
    (re.compile(rf"\b{_MADE}after {_YEAR}\b"), "after"),
    (re.compile(rf"\b{_MADE}(?:before|prior to) {_YEAR}\b"), "before"),
    (re.compile(rf"\b{_MADE}(?:until|up to|by the end of) {_YEAR}\b"), "until"),
    (re.compile(rf"\b{_MADE}(?:in|during) {_YEAR}\b"), "in"),
)
_SO_FAR = r"(?:(?:that|which|who) )?(?:(?:are|were|is|was|have|has|had) )?(?:(?:still|now|already) )?"
_SPECIAL: tuple[tuple[re.Pattern[str], Status], ...] = (
    (re.compile(rf"\b{_SO_FAR}(?:not|never) (?:yet )?(?:been )?(?:fully )?implemented(?: yet)?\b"
                rf"|\b{_SO_FAR}(?:yet to be|still to be) implemented\b|\bunimplemented\b|\bnot yet done\b"),
     NOT_IMPLEMENTED),
    (re.compile(rf"\b{_SO_FAR}(?:with |had |got |received )?(?:no |without (?:a |any )?)(?:response|reply|answer)s?"
                rf"(?: (?:yet|so far|on record))?\b|\b{_SO_FAR}(?:awaiting|waiting for) (?:a |any )?(?:response|reply)\b"
                rf"|\b{_SO_FAR}(?:unanswered|ignored)\b"),
     NO_RESPONSE),
    (re.compile(rf"\b{_SO_FAR}(?:overdue|late|past (?:their |the |its )?due date)\b"), OVERDUE),
)
_NOT_STATUS_WORDS = frozenset({"decision", "implementation", "closure", "unclassified", "reply received"})
"""Names of statuses and groups that a question uses for other things ("decision rationale")."""
_RECOMMENDATION_WORD = re.compile(r"\b(?:recommendations?|recs?)\b")


def take_modifiers(store: KnowledgeStore, text: str) -> Modifiers:
    """The count, years and status `text` asks for, and the text without them."""
    count = bool(_COUNT.search(text))
    text = _COUNT.sub("", text)
    since = until = None
    for pattern, how in _TIMES:
        found = pattern.search(text)
        if found is None:
            continue
        first = int(found.group(1))
        since, until = {
            "between": tuple(sorted((first, int(found.group(2))))) if found.lastindex == 2 else (first, first),
            "since": (first, None), "after": (first + 1, None), "before": (None, first - 1),
            "until": (None, first), "in": (first, first),
        }[how]
        text = _tidy(text[: found.start()] + " " + text[found.end():])
        break
    status = None
    if _RECOMMENDATION_WORD.search(text):
        status, text = _take_status(store, text)
    return Modifiers(text, count, since, until, status)


def _take_status(store: KnowledgeStore, text: str) -> tuple[Status | None, str]:
    for pattern, special in _SPECIAL:
        found = pattern.search(text)
        if found:
            return special, _tidy(text[: found.start()] + " " + text[found.end():])
    names = {name: status for name, status in status_names(store).items()
             if re.fullmatch(r"[a-z ]{6,}", name) and name not in _NOT_STATUS_WORDS}
    alternatives = "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))
    found = re.search(rf"\b{_SO_FAR}(?:been )?(?:marked (?:as )?)?({alternatives})\b", text) if alternatives else None
    if found is None:
        return None, text
    return names[found.group(1)], _tidy(text[: found.start()] + " " + text[found.end():])


def _tidy(text: str) -> str:
    """Words with single spaces, without a dangling "that", "which" or comma left by a cut."""
    text = re.sub(r"\s*,\s*", " ", text)
    text = re.sub(r"\b(?:that|which)\s*$", "", text.strip())
    return " ".join(text.split())
