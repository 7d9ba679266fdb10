"""Proposing themes for a finding that arrives without any, and recording how they were given.

Findings imported in bulk (coroners' Prevention of Future Deaths reports, for example) come
with text but no themes. `RulesTagger` proposes themes from the theme scheme itself, so that
adding a synonym to `ontology/themes.ttl` is all it takes to teach it a new wording:

* every preferred label and synonym is a rule: a one-word label must appear as it is; in a
  longer label each word may be matched by a word of the same small synonym ring (`RINGS`:
  "told" for "informed", "mother" for "family"), in any order, within one sentence;
* a theme's definition adds weaker evidence through its distinctive words;
* evidence from several sentences adds up (noisy-or), so a score is between 0 and 1;
* only the most specific theme is kept: a question about a broad theme finds the narrower
  ones anyway (`skos:broader`), so tagging both would say the same thing twice.

Every machine-given theme is stated with `lrkg:theme`, like a curated one, so that every
question works across both, and is described by an `lrkg:ThemeAssignment` (method, score,
date, software) so that automatic tags can be told apart and filtered out (`assignment_quads`).
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import Protocol

import rdflib
from pyoxigraph import Literal, NamedNode, Quad
from rdflib.namespace import SKOS

from graph.vocabulary.namespaces import ID_BASE, LRKG

METHOD = "rules-v1"
"""Name and version of the rules below; change it whenever they change what they propose."""

TAGGER_IRI = ID_BASE + "software/lrkg-theme-tagger"
"""The software agent that automatic theme assignments are attributed to (described in lrkg.ttl)."""

_THEMES_FILE = "themes.ttl"
_RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_DCTERMS_DATE = NamedNode("http://purl.org/dc/terms/date")
_PROV_ATTRIBUTED = NamedNode("http://www.w3.org/ns/prov#wasAttributedTo")
_XSD = "http://www.w3.org/2001/XMLSchema#"

# ---------------------------------------------------------------------------- words

_STOPWORDS = frozenset(
    "a an and are as at be been being but by can could did do does for from had has have he her"
    " his i if in into is it its may might must of on or our she should so than that the their"
    " them then there these they this those to too was we were what when which while who whom"
    " will with would you your"
    # what a finding says went wrong, rather than what about: tagging is the same either way
    " not no lack failure fail failed poor".split()
)

_IRREGULAR = {"told": "tell", "spoke": "speak", "spoken": "speak", "heard": "hear", "children": "child"}

# Endings removed, longest first, when at least three letters remain ("informed" -> "inform",
# "communication" and "communicated" -> "communic", "families" -> "family").
_SUFFIXES = (
    ("ations", ""), ("ation", ""), ("ating", ""), ("ated", ""), ("ates", ""), ("ate", ""),
    ("ments", ""), ("ment", ""), ("ings", ""), ("ing", ""), ("ies", "y"), ("ied", "y"),
    ("sses", "ss"), ("ure", ""), ("ed", ""), ("s", ""),
)


def stem(word: str) -> str:
    """A crude, predictable English stem, the same for a label's words and a finding's."""
    word = _IRREGULAR.get(word, word)
    for suffix, replacement in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith(("ss", "us", "is")):
            word = word[: -len(suffix)] + replacement
            break
    if len(word) >= 5 and word.endswith("e"):
        word = word[:-1]  # "involve" like "involved"; "care" stays apart from "car"
    if len(word) >= 4 and word[-1] == word[-2] and word[-1] not in "ls":
        word = word[:-1]  # "referred" -> "refer", "planned" -> "plan"
    return word


def words(text: str) -> list[str]:
    """The stems of the words of `text`, stop words left out. A word in capitals ("IT",
    "VAF") is an acronym and stays as it is, apart from the lower-case word ("it")."""
    found = []
    for word in re.findall(r"[A-Za-z0-9]+", re.sub(r"['’]s\b", "", text)):
        if len(word) > 1 and word.isupper():
            found.append(word)
        elif (lower := word.lower()) not in _STOPWORDS:
            found.append(stem(lower))
    return found


RINGS: tuple[tuple[str, ...], ...] = (
    # telling and being told
    ("communication", "communicate", "inform", "tell", "update", "explain", "notify", "advise",
     "contact", "speak", "discuss", "discussion", "liaise", "liaison", "feedback", "conversation", "aware",
     "alert"),
    # the family of the person at the centre of a case
    ("family", "relative", "kin", "parent", "mother", "father", "mum", "dad", "carer", "spouse",
     "wife", "husband", "sibling", "brother", "sister", "son", "daughter", "grandparent",
     "grandmother", "grandfather", "girlfriend", "boyfriend"),
    # who raised the concern in the first place
    ("referrer", "school", "college", "teacher", "headteacher"),
    # other bodies working on the case
    ("agency", "agencies", "organisation", "service", "police", "hospital", "trust", "probation",
     "council", "authority", "ambulance", "prison"),
    ("listen", "hear", "dismiss", "ignore", "disregard", "seriously", "heed"),
    ("concern", "worry", "worried", "warn", "warning", "fear"),
    ("involve", "involvement", "engage", "engagement", "consult", "input", "participate", "views"),
    ("confidentiality", "confidential", "consent", "privacy", "disclose", "disclosure"),
    ("support", "help", "guidance", "advice", "signpost", "equip"),
    ("record", "document", "documentation", "note", "log", "written"),
    ("rationale", "reason", "why", "justify", "justification"),
    ("close", "closure", "exit", "discharge"),
    ("early", "premature", "prematurely", "quickly", "soon"),
    ("guidance", "policy", "protocol", "procedure", "guideline"),
    ("training", "train", "trained", "course"),
    # the physical places
    ("road", "junction", "roundabout", "crossing", "carriageway", "bend", "lane", "motorway", "footway",
     "footpath", "pavement", "kerb", "verge", "highway", "street", "bridge"),
    ("design", "layout", "configuration", "alignment", "width", "narrow"),
    ("maintenance", "maintain", "repair", "inspection", "inspect", "defect", "resurface", "overgrown"),
    ("sign", "signage", "marking", "lighting", "light", "streetlight", "signal", "illuminate"),
)
"""Words that stand for one another inside a longer label (never for a one-word label)."""

# How coroners and reviewers introduce a concern, which says nothing about its theme.
_FRAMING = re.compile(
    r"\b(?:(?:i|we)\s+(?:am|are|was|were|remain|have\s+been)\s+(?:\w+\s+){0,2}?concerned"
    r"|(?:matters?|cause|causes|area|areas)\s+(?:of|for)\s+concern"
    r"|(?:my|the|a|further|main|particular|second|third|first)\s+concerns?\s+(?:is|are|was|relates?)"
    r"|concerns?\s+(?:is|are)\s+as\s+follows"
    r"|(?:it\s+is\s+)?(?:deeply\s+|particularly\s+)?concerning\s+that"
    r"|risk\s+of\s+future\s+deaths?)\b",
    re.IGNORECASE,
)

_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\n+")


def sentences(text: str) -> list[list[str]]:
    """The stems of each sentence of `text`, framing phrases left out."""
    found = []
    for sentence in _SENTENCE_END.split(_FRAMING.sub(" ", text)):
        stems = words(sentence)
        if stems:
            found.append(stems)
    return found


# ---------------------------------------------------------------------------- themes


@dataclass(frozen=True)
class SchemeTheme:
    """A theme as the tagger sees it: its names, its definition and its broader themes."""

    iri: str
    label: str
    labels: tuple[str, ...]
    definition: str
    ancestors: frozenset[str]


def load_scheme(ontology_dir: Path) -> list[SchemeTheme]:
    """Every theme of `ontology/themes.ttl`, with all its ancestors."""
    graph = rdflib.Graph().parse(ontology_dir / _THEMES_FILE)
    scheme = rdflib.URIRef(str(LRKG.Themes))
    concepts = sorted(set(graph.subjects(SKOS.inScheme, scheme)), key=str)
    broader = {c: set(graph.objects(c, SKOS.broader)) for c in concepts}

    def ancestors(concept: rdflib.term.Node) -> frozenset[str]:
        found: set[str] = set()
        todo = list(broader.get(concept, ()))
        while todo:
            parent = todo.pop()
            if str(parent) not in found:
                found.add(str(parent))
                todo.extend(broader.get(parent, ()))
        return frozenset(found)

    themes = []
    for concept in concepts:
        label = str(graph.value(concept, SKOS.prefLabel))
        synonyms = sorted(str(alt) for alt in graph.objects(concept, SKOS.altLabel))
        themes.append(
            SchemeTheme(str(concept), label, (label, *synonyms), str(graph.value(concept, SKOS.definition) or ""),
                        ancestors(concept))
        )
    return themes


# ---------------------------------------------------------------------------- rules


@dataclass(frozen=True)
class ThemeProposal:
    """A theme proposed for a text: its score (all the evidence, 0 to 1), the name of the
    theme that matched best, and the strength of that best match alone."""

    theme: str
    score: float
    evidence: str
    strongest: float


class ThemeTagger(Protocol):
    """What the importers need of a tagger: its method name (recorded on every assignment) and
    the themes it proposes for one text. `RulesTagger` and `LearnedTagger` both are one."""

    method: str

    def propose(self, text: str, min_score: float, max_themes: int) -> list[ThemeProposal]: ...


@dataclass(frozen=True)
class _Rule:
    theme: str
    label: str
    phrase: tuple[str, ...]  # the label's stems in order
    slots: tuple[frozenset[str], ...]  # what each stem may be matched by
    needed: int  # how many slots a sentence must fill for any evidence at all
    key: int  # the slot a partial match must fill: the word fewest themes' names use


# Evidence strengths: a one-word label found; a longer label found word for word; a longer
# label found through synonyms or in another order; all but one word of a label of three or
# more words, its most distinctive word among them; a definition's distinctive words (at most).
_SINGLE_WORD = 0.55
_EXACT_PHRASE = 0.85
_ALL_WORDS = 0.6
_ALL_WORDS_PER_EXTRA_WORD = 0.05
_MOST_WORDS = 0.35
_DEFINITION = 0.3
_DEFINITION_MIN_COVERAGE = 0.3


class RulesTagger:
    """Themes for a text from the labels, synonyms and definitions of the theme scheme."""

    method = METHOD

    def __init__(self, themes: Sequence[SchemeTheme]) -> None:
        self.themes = {theme.iri: theme for theme in themes}
        rings: dict[str, set[str]] = {}
        for ring in RINGS:
            stems = {stem(w) for w in ring}
            for member in stems:
                rings.setdefault(member, set()).update(stems)
        self._rings = rings

    @classmethod
    def from_ontology(cls, ontology_dir: Path) -> RulesTagger:
        return cls(load_scheme(ontology_dir))

    @cached_property
    def _rules(self) -> list[_Rule]:
        names = {
            iri: {label: tuple(words(label)) for label in dict.fromkeys(theme.labels)}
            for iri, theme in self.themes.items()
        }
        used_by: dict[str, int] = {}
        for phrases in names.values():
            for w in {w for phrase in phrases.values() for w in phrase}:
                used_by[w] = used_by.get(w, 0) + 1
        rules = []
        for iri, phrases in names.items():
            for label, phrase in phrases.items():
                if not phrase:
                    continue
                if len(phrase) == 1:
                    slots: tuple[frozenset[str], ...] = (frozenset(phrase),)
                else:
                    slots = tuple(frozenset({w, *self._rings.get(w, ())}) for w in phrase)
                needed = len(slots) - 1 if len(slots) >= 3 else len(slots)
                key = min(range(len(phrase)), key=lambda i: used_by[phrase[i]])
                rules.append(_Rule(iri, label, phrase, slots, needed, key))
        return rules

    @cached_property
    def _definitions(self) -> dict[str, dict[str, float]]:
        """Each theme's definition words, weighted by how few themes use them (idf)."""
        documents = {
            iri: set(words(" ".join((*theme.labels, theme.definition)))) for iri, theme in self.themes.items()
        }
        count: dict[str, int] = {}
        for stems in documents.values():
            for w in stems:
                count[w] = count.get(w, 0) + 1
        total = len(documents)
        return {
            iri: {w: math.log(total / count[w]) for w in set(words(theme.definition)) if count[w] < total}
            for iri, theme in self.themes.items()
        }

    def scores(self, text: str) -> dict[str, ThemeProposal]:
        """Every theme with any evidence in `text`, with its score and best-matching name."""
        evidence: dict[str, list[float]] = {}
        best: dict[str, tuple[float, str]] = {}
        for stems in sentences(text):
            present = set(stems)
            in_sentence: dict[str, tuple[float, str]] = {}
            for rule in self._rules:
                if sum(not slot.isdisjoint(present) for slot in rule.slots) < rule.needed:
                    continue
                strength = _strength(rule, stems, present)
                if strength > in_sentence.get(rule.theme, (0.0, ""))[0]:
                    in_sentence[rule.theme] = (strength, rule.label)
            for iri, weights in self._definitions.items():
                coverage = sum(weights[w] for w in present if w in weights) / (sum(weights.values()) or 1.0)
                if coverage >= _DEFINITION_MIN_COVERAGE:
                    strength = _DEFINITION * coverage
                    if strength > in_sentence.get(iri, (0.0, ""))[0]:
                        in_sentence[iri] = (strength, self.themes[iri].label)
            for iri, (strength, label) in in_sentence.items():
                evidence.setdefault(iri, []).append(strength)
                if strength > best.get(iri, (0.0, ""))[0]:
                    best[iri] = (strength, label)
        return {
            iri: ThemeProposal(
                iri, round(1.0 - math.prod(1.0 - s for s in strengths), 3), best[iri][1], best[iri][0]
            )
            for iri, strengths in evidence.items()
        }

    def propose(self, text: str, min_score: float, max_themes: int) -> list[ThemeProposal]:
        """The most specific themes for `text` scoring at least `min_score`, best first, at
        most `max_themes` (see the tagging settings in graph/store/config.py)."""
        return most_specific(self.scores(text), self.themes, min_score, max_themes)


def _strength(rule: _Rule, stems: list[str], present: set[str]) -> float:
    """How strongly one sentence (its stems in order, and as a set) matches one label."""
    if len(rule.phrase) == 1:
        return _SINGLE_WORD if rule.phrase[0] in present else 0.0
    if _contains(stems, rule.phrase):
        return _EXACT_PHRASE
    matched = _matched_slots(rule.slots, present)
    if len(matched) == len(rule.slots):
        return min(_EXACT_PHRASE, _ALL_WORDS + _ALL_WORDS_PER_EXTRA_WORD * (len(matched) - 2))
    if len(rule.slots) >= 3 and len(matched) == len(rule.slots) - 1 and rule.key in matched:
        return _MOST_WORDS
    return 0.0


def _contains(stems: list[str], phrase: tuple[str, ...]) -> bool:
    n = len(phrase)
    return any(tuple(stems[i : i + n]) == phrase for i in range(len(stems) - n + 1))


def _matched_slots(slots: tuple[frozenset[str], ...], present: set[str]) -> set[int]:
    """Which slots distinct words of the sentence fill (narrowest slots first)."""
    used: set[str] = set()
    matched = set()
    for index in sorted(range(len(slots)), key=lambda i: len(slots[i])):
        available = (slots[index] & present) - used
        if available:
            used.add(min(available))
            matched.add(index)
    return matched


def most_specific(
    scores: Mapping[str, ThemeProposal], themes: Mapping[str, SchemeTheme], min_score: float, max_themes: int
) -> list[ThemeProposal]:
    """The proposals scoring at least `min_score`, best first, at most `max_themes`, each as
    specific as its evidence allows. A broader theme is left out when a narrower one is in (it
    is implied); a narrower one is left out when a broader one has a stronger single match
    ("poor communication with the family" is about the family, not about informing it), but
    not merely because the broader one adds up more matches."""
    chosen: list[ThemeProposal] = []
    candidates = (p for p in scores.values() if p.score >= min_score)
    for proposal in sorted(candidates, key=lambda p: (-p.score, -len(themes[p.theme].ancestors), p.theme)):
        ancestors = themes[proposal.theme].ancestors
        if any(proposal.theme in themes[c.theme].ancestors for c in chosen):
            continue
        broader = [c for c in chosen if c.theme in ancestors]
        if any(c.strongest > proposal.strongest for c in broader):
            continue
        chosen = [c for c in chosen if c not in broader] + [proposal]
    return sorted(chosen, key=lambda p: (-p.score, p.theme))[:max_themes]


# ---------------------------------------------------------------------------- provenance


def assignment_iri(finding_iri: str, theme_iri: str, method: str) -> str:
    """A stable IRI for one machine assignment, so that tagging again replaces it."""
    digest = hashlib.sha256(f"{finding_iri}\n{theme_iri}\n{method}".encode()).hexdigest()[:24]
    return f"{ID_BASE}theme-assignment/{digest}"


def assignment_quads(
    finding_iri: str,
    graph_iri: str,
    proposals: Iterable[ThemeProposal],
    method: str = METHOD,
    on: date | None = None,
) -> list[Quad]:
    """The quads that give `finding_iri` each proposed theme, in `graph_iri`: the plain
    `lrkg:theme` that every question reads, and an `lrkg:ThemeAssignment` saying how."""
    finding, graph = NamedNode(finding_iri), NamedNode(graph_iri)
    when = Literal((on or date.today()).isoformat(), datatype=NamedNode(_XSD + "date"))
    quads = []
    for proposal in proposals:
        theme = NamedNode(proposal.theme)
        assignment = NamedNode(assignment_iri(finding_iri, proposal.theme, method))
        score = Literal(str(Decimal(str(proposal.score))), datatype=NamedNode(_XSD + "decimal"))
        quads += [
            Quad(finding, NamedNode(LRKG.theme), theme, graph),
            Quad(finding, NamedNode(LRKG.themeAssignment), assignment, graph),
            Quad(assignment, _RDF_TYPE, NamedNode(LRKG.ThemeAssignment), graph),
            Quad(assignment, NamedNode(LRKG.assignedTheme), theme, graph),
            Quad(assignment, NamedNode(LRKG.assignmentMethod), Literal(method), graph),
            Quad(assignment, NamedNode(LRKG.assignmentScore), score, graph),
            Quad(assignment, _DCTERMS_DATE, when, graph),
            Quad(assignment, _PROV_ATTRIBUTED, NamedNode(TAGGER_IRI), graph),
        ]
    return quads
