"""Reading a plain-English question: which kind of question it is and what its free-text parts
name.

A small table of question patterns (regular expressions with named groups) says which
kinds of question lrkg understands. The words a group captures are resolved to resources:
`theme` through the theme scheme (after dropping words such as "failures" or "poor"),
`review` by the words of review labels and titles, `actor` by actor names (see
`graph.answers.actors`; an organisation counts with its sub-organisations and posts unless the
question says "itself", "alone", "exactly" or "only"). Patterns are tried in order; one whose words do not resolve (say "for the
Home Office" read as a theme) gives way to the next one that matches ("for" an owner).
"""

from __future__ import annotations

import re
from dataclasses import replace

from graph.answers.actors import resolve_actors
from graph.answers.ask_intents import (
    COMPARISON,
    FINDINGS,
    OWNERS,
    RECOMMENDATIONS,
    RECURRENCE,
    REVIEWS,
    TIMELINE,
    QuestionKind,
    Resolved,
)
from graph.answers.ask_modifiers import mend_typos, take_modifiers
from graph.answers.review_names import resolve_review
from graph.answers.themes import Theme, resolve_theme
from graph.store.errors import (
    InvalidInput,
    LrkgError,
    NotFound,
    UnansweredQuestion,
    UnknownTheme,
)
from graph.store.knowledge_store import KnowledgeStore

# ------------------------------------------------------------------ the words of questions

_LEAD = (
    r"(?:(?:please|can|could|would|you|tell|show|give|list|find|get|me|us|i|we|want|to|know|see|what|which|"
    r"are|were|is|was|the|all|any|there|do|does|did|have|has|of|those)\s+)*"
)
_SUBJECT = r"(?P<subject>(?!(?:please|can|could|would|you|tell|show|give|list|find|get|me|what|which|are|were|is|the|all|any|do|does|did|have|has|those|how)\b).+?)"
"""Words before the noun that name what the items are of ("Southport findings"), not a lead-in."""
_RECOMMENDATIONS = r"(?:recommendations?|recs?)"
_FINDINGS = r"(?:findings?|issues|failings|failures|shortcomings|problems)"
_ABOUT = (
    r"(?:(?:that|which) )?(?:(?:are|were|is|was) )?(?:address(?:es|ed|ing)?|deal(?:s|t)? with|dealing with|about|on|"
    r"concerning|regarding|relat(?:e|es|ed|ing) to|cover(?:s|ed|ing)?|tackl(?:e|es|ed|ing)|target(?:s|ed|ing)?|"
    r"around|for|in relation to|to do with|respond(?:s|ed|ing)? to|aim(?:s|ed)? at|to (?:fix|improve|address|tackle))"
)
_OWNED_BY = (
    r"(?:(?:that|which) )?(?:(?:are|were|is) )?(?:owned by|for|to|assigned to|addressed to|directed (?:at|to)|"
    r"made to|aimed at|given to|belonging to)"
)
_IMPLICATING = (
    r"(?:(?:that|which) )?(?:(?:are|were) )?(?:implicat(?:e|es|ed|ing)|involv(?:e|es|ed|ing)|"
    r"criticis(?:e|es|ed|ing)|criticiz(?:e|es|ed|ing)|blam(?:e|es|ed|ing)|nam(?:e|es|ed|ing)|mention(?:s|ed|ing)?|"
    r"against|about|on|concerning|regarding|critical of|for)"
)
_RECOMMENDATION_WORD = re.compile(r"\b(?:recommendations?|recs?)\b")
_OF_REVIEW = r"(?:of|in|from|by|made by|made in|issued by)"
_IN_REVIEW = r" (?:in|from|of|by) (?P<review>.+? (?:review|case|report))"
_FOUND = r"(?:find|found|conclude|say|identify|report|uncover|reveal)"
_IN_ORDER = r"(?: (?:in (?:date |chronological )?order|in sequence|chronologically|step by step|over time))?"
_EVENTS = (
    r"(?:what happened|what took place|timeline|chronology|sequence of events|order of events|key events|key dates|"
    r"events)"
)
_HELD = r"(?: (?:are there|are held|do you (?:have|hold)|are (?:in the graph|loaded|available)|exist))?"

_FAILURE_WORDS = re.compile(
    r"\b(?:failures?|failings?|failed|problems?|issues?|poor|bad|weak(?:ness|nesses)?|shortcomings?|"
    r"deficienc(?:y|ies)|lapses?|gaps?|lack|inadequate|ineffective|mistakes?|breakdowns?|concerns?)\b",
    re.IGNORECASE,
)
_EXACTLY = re.compile(r"^(?:exactly|only|just) (?P<before>.+)$|^(?P<after>.+?) (?:itself|alone|only|exactly)$", re.IGNORECASE)
"""Words that ask for the actor named and not its sub-organisations or posts."""
_EDGE_WORDS = re.compile(r"^(?:(?:the|of|in|with|around|about|a|an)\s+)+|(?:\s+(?:of|in|with|the))+$", re.IGNORECASE)


def _readings(text: str) -> list[re.Pattern[str]]:
    """A pattern read two ways: each free-text part as short as it can be, then as long, so that
    "recommendations of Lessons for Prevent about referrals" splits at "about", not at "for"."""
    shortest = re.compile(_LEAD + text, re.IGNORECASE)
    longest = re.compile(_LEAD + text.replace(".+?", ".+"), re.IGNORECASE)
    return [shortest] if longest.pattern == shortest.pattern else [shortest, longest]


QUESTIONS: tuple[tuple[QuestionKind, re.Pattern[str]], ...] = tuple(
    (kind, pattern)
    for kind, text in [
        # recommendations of a review, perhaps about a theme
        (RECOMMENDATIONS, rf"{_RECOMMENDATIONS} {_OF_REVIEW} (?P<review>.+)"),
        (RECOMMENDATIONS, rf"{_RECOMMENDATIONS} {_OF_REVIEW} (?P<review>.+?) {_ABOUT} (?P<theme>.+)"),
        (RECOMMENDATIONS, rf"(?:what|which) did (?P<review>.+?) recommend(?: {_ABOUT} (?P<theme>.+))?"),
        (RECOMMENDATIONS, rf"(?:what|which) {_RECOMMENDATIONS} did (?P<review>.+?) make(?: {_ABOUT} (?P<theme>.+))?"),
        # recommendations by owner
        (RECOMMENDATIONS, rf"{_RECOMMENDATIONS} {_OWNED_BY} (?P<actor>.+?)"),
        (RECOMMENDATIONS, rf"{_RECOMMENDATIONS} {_OWNED_BY} (?P<actor>.+?){_IN_REVIEW}"),
        (RECOMMENDATIONS, rf"{_RECOMMENDATIONS} (?:does|do|did|has|have) (?P<actor>.+?) (?:own|hold|have|got)"),
        # recommendations by theme
        (RECOMMENDATIONS, rf"{_RECOMMENDATIONS} {_ABOUT} (?P<theme>.+?)"),
        (RECOMMENDATIONS, rf"{_RECOMMENDATIONS} {_ABOUT} (?P<theme>.+?){_IN_REVIEW}"),
        # findings of a review, perhaps about a theme or an actor
        (FINDINGS, rf"{_FINDINGS} {_OF_REVIEW} (?P<review>.+)"),
        (FINDINGS, rf"{_FINDINGS} {_OF_REVIEW} (?P<review>.+?) {_ABOUT} (?P<theme>.+)"),
        (FINDINGS, rf"{_FINDINGS} {_OF_REVIEW} (?P<review>.+?) {_IMPLICATING} (?P<actor>.+)"),
        (FINDINGS, rf"(?:what|which)(?: {_FINDINGS})? did (?P<review>.+?) {_FOUND}(?: {_ABOUT} (?P<theme>.+))?"),
        (FINDINGS, rf"(?:what|which)(?: {_FINDINGS})? did (?:the )?(?:learning )?reviews {_FOUND}(?: {_ABOUT} (?P<theme>.+))?"),
        (FINDINGS, rf"(?:what|which)(?: {_FINDINGS})? did (?P<review>.+?) {_FOUND} {_IMPLICATING} (?P<actor>.+)"),
        # findings by theme, then by actor
        (FINDINGS, rf"{_FINDINGS} {_ABOUT} (?P<theme>.+?)"),
        (FINDINGS, rf"{_FINDINGS} {_ABOUT} (?P<theme>.+?){_IN_REVIEW}"),
        (FINDINGS, rf"{_FINDINGS} {_IMPLICATING} (?P<actor>.+?)"),
        (FINDINGS, rf"{_FINDINGS} {_IMPLICATING} (?P<actor>.+?){_IN_REVIEW}"),
        # what happened, in order
        (TIMELINE, rf"{_EVENTS}(?: (?:in|of|for|during|around|behind))? (?P<review>.+?){_IN_ORDER}"),
        # the reviews themselves
        (REVIEWS, rf"(?:learning )?reviews?{_HELD}"),
        # every recommendation or finding, or those of what the words before the noun name
        (RECOMMENDATIONS, rf"{_RECOMMENDATIONS}{_HELD}"),
        (FINDINGS, rf"{_FINDINGS}{_HELD}"),
        (RECOMMENDATIONS, rf"{_SUBJECT} {_RECOMMENDATIONS}{_HELD}"),
        (RECOMMENDATIONS, rf"{_SUBJECT} {_RECOMMENDATIONS} {_ABOUT} (?P<theme>.+?)"),
        (FINDINGS, rf"{_SUBJECT} {_FINDINGS}{_HELD}"),
    ]
    for pattern in _readings(text)
)


def read_question(store: KnowledgeStore, question: str, examples: list[str]) -> tuple[QuestionKind, Resolved]:
    """The kind of a plain-English question and what it names, or UnansweredQuestion with `examples`.

    Typos are mended and the count, years and status asked for are taken out first
    (`graph.answers.ask_modifiers`); then the question is read as one of the whole-question
    kinds (recurrence, who owns, a comparison) or by the patterns. A question can match several
    patterns (readings). The first reading whose words all resolve is taken. When none does,
    the error of the reading that got furthest is raised: the most parts resolved, then the
    shortest part left unknown, then the first. UnknownTheme and UnknownActor carry the closest names.
    """
    modifiers = take_modifiers(store, mend_typos(store, _normalise(question)))
    kind, resolved = _whole_question(store, modifiers.text, question, examples) or _read_patterns(
        store, modifiers.text, question, examples
    )
    if modifiers.status is not None and kind.name not in ("recommendations", "owners"):
        raise InvalidInput(f"A status ({modifiers.status.label}) is a recommendation's: ask about recommendations.")
    if kind.name == "recurrence" and (modifiers.since is not None or modifiers.until is not None):
        raise InvalidInput("Recurrence is counted across every review, whatever its year: ask without the years, "
                           "or for the findings of those years ('findings about record keeping since 2020').")
    return kind, replace(resolved, count=modifiers.count, since=modifiers.since, until=modifiers.until,
                         status=modifiers.status or resolved.status)


def _read_patterns(store: KnowledgeStore, text: str, question: str, examples: list[str]) -> tuple[QuestionKind, Resolved]:
    failures: list[tuple[int, int, LrkgError]] = []
    tried: set[tuple[str, tuple[tuple[str, str], ...]]] = set()
    for kind, pattern in QUESTIONS:
        match = pattern.fullmatch(text)
        if match is None:
            continue
        groups = {name: value for name, value in match.groupdict().items() if value}
        reading = (kind.name, tuple(groups.items()))
        if reading in tried:
            continue
        tried.add(reading)
        resolved = Resolved(actor_text=groups.get("actor", ""))
        try:
            for slot, value in groups.items():
                resolved = _resolve(store, resolved, slot, value)
        except (NotFound, InvalidInput) as error:
            failures.append((_count(resolved), -len(value), error))
            continue
        return kind, resolved
    if failures:
        raise max(failures, key=lambda failure: failure[:2])[2]
    raise UnansweredQuestion(question, examples)


_RECURRENCE = re.compile(
    r"\b(?:recur\w*|keeps? (?:coming back|happening|coming up)|(?:come|comes|came) up (?:in|across) "
    r"(?:more than one|several|many|multiple|other) reviews?|(?:repeated|found|seen) (?:across|in) (?:several|many|"
    r"multiple|more than one|different) reviews|common to (?:several|many|all|the) reviews)\b"
)
_RECURRENCE_FILLER = frozenset({
    "which", "what", "does", "do", "did", "is", "are", "a", "an", "the", "that", "keep", "keeps", "across",
    "in", "more", "than", "one", "several", "many", "multiple", "other", "reviews", "review", "come", "comes",
    "up", "failures", "failure", "failings", "failing", "problems", "problem", "issues", "issue", "themes",
    "theme", "again", "show", "me", "list", "of", "most", "often", "after", "and", "time"
})
_WHO = re.compile(
    r"^who(?:m)? (?:is |are |was |were )?(?:owns?|owned|holds?|responsible for|accountable for|in charge of|"
    r"(?:must|should|has to|needs to|have to) (?:act on|deliver|implement|answer)|has|have) (?P<rest>.+)$"
)
_COMPARE = (
    re.compile(r"^(?:compare|comparing|contrast) (?P<a>.+?) (?:and|with|to|against|versus|vs) (?P<b>.+)$"),
    re.compile(r"^(?:the )?(?:differences?|similarities|comparison) (?:between|of) (?P<a>.+?) and (?P<b>.+)$"),
    re.compile(r"^(?:what|which themes) do (?P<a>.+?) and (?P<b>.+?) (?:have in common|share|both find)$"),
    re.compile(r"^how does (?P<a>.+?) differ from (?P<b>.+)$"),
    re.compile(r"^(?P<a>.+?) (?:vs|versus|compared (?:with|to)) (?P<b>.+)$"),
)


def _whole_question(
    store: KnowledgeStore, text: str, question: str, examples: list[str]
) -> tuple[QuestionKind, Resolved] | None:
    """A question of a kind read from the whole of it: what recurs across reviews, who owns some
    recommendations, or how two reviews compare; None for any other."""
    if _RECURRENCE.search(text):
        words = [w for w in _RECURRENCE.sub(" ", text).split() if w not in _RECURRENCE_FILLER]
        return RECURRENCE, Resolved(theme=resolve_theme_words(store, " ".join(words)) if words else None)
    who = _WHO.match(text)
    if who:
        rest = who["rest"] if _RECOMMENDATION_WORD.search(who["rest"]) else f"recommendations about {who['rest']}"
        kind, resolved = _read_patterns(store, rest, question, examples)
        if kind.name == "recommendations":
            return OWNERS, resolved
    for pattern in _COMPARE:
        compared = pattern.match(text)
        if compared:
            return COMPARISON, Resolved(compared=(resolve_review(store, compared["a"]), resolve_review(store, compared["b"])))
    return None


def _normalise(question: str) -> str:
    """One line of words: curly quotes made straight, punctuation other than ' - . : / # dropped."""
    text = question.replace("\u2019", "'").replace("\u2018", "'")
    text = re.sub(r"[^\w\s'./:#-]", " ", text)
    return " ".join(text.split()).strip(" .")


def _resolve(store: KnowledgeStore, resolved: Resolved, slot: str, value: str) -> Resolved:
    """`resolved` with one more free-text part of the question resolved."""
    if slot == "theme":
        return replace(resolved, theme=resolve_theme_words(store, value))
    if slot == "review":
        return replace(resolved, review=resolve_review(store, value))
    if slot == "subject":
        return _resolve_subject(store, resolved, value)
    exactly = _EXACTLY.match(value.strip())
    if exactly:
        named = exactly["before"] or exactly["after"]
        return replace(resolved, actors=tuple(resolve_actors(store, named)), exact_actor=True)
    return replace(resolved, actors=tuple(resolve_actors(store, value)))


def _resolve_subject(store: KnowledgeStore, resolved: Resolved, value: str) -> Resolved:
    """A word or two before the noun ("Southport findings", "training recommendations"): a review,
    else a theme, else an actor; the theme's error when none."""
    try:
        return replace(resolved, review=resolve_review(store, value))
    except (NotFound, InvalidInput):
        pass
    try:
        return replace(resolved, theme=resolve_theme_words(store, value))
    except UnknownTheme as unknown:
        try:
            return replace(resolved, actors=tuple(resolve_actors(store, value)), actor_text=value)
        except (NotFound, InvalidInput):
            raise unknown from None


def _count(resolved: Resolved) -> int:
    return (resolved.theme is not None) + (resolved.review is not None) + bool(resolved.actors)


def resolve_theme_words(store: KnowledgeStore, text: str) -> Theme:
    """The theme named in a question, reading "communication failures" or "poor record
    keeping" as the theme itself; the words as typed are tried second ("IT issues")."""
    stripped = " ".join(_EDGE_WORDS.sub("", _FAILURE_WORDS.sub(" ", text).strip()).split())
    unknown: list[UnknownTheme] = []
    for attempt in dict.fromkeys(t for t in (stripped, text.strip()) if t):
        try:
            return resolve_theme(store, attempt)
        except UnknownTheme as error:
            unknown.append(error)
    raise unknown[0]
