"""Reviews written in YAML, so that nobody has to write Turtle by hand.

One file describes one review (`examples/review.yaml` shows every part; the JSON Schema
`ontology/review.schema.json` describes each key for editors). Reading composes the YAML
node tree, so every value knows its line, and reports every problem found — unknown keys
(with a 'did you mean'), missing or malformed values, names that match no theme, status,
polarity or review kind, and ids that point to nothing in the file — each with its file,
line and field path. `graph.ingestion.review_yaml_writer` writes a document back in the same format.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TypeVar

import yaml
from pyoxigraph import NamedNode
from yaml import MappingNode, Node, ScalarNode, SequenceNode

from graph.ingestion.review_document import (
    EVENT_DATE,
    REVIEW_EXCERPT_OWNER,
    Actor,
    ActorType,
    Case,
    Event,
    Excerpt,
    Finding,
    Position,
    Recommendation,
    Response,
    Review,
    ReviewDocument,
    Source,
    response_key,
)
from graph.store.errors import InvalidInput
from graph.vocabulary.schemes import Scheme, Schemes

SECTIONS = ("review", "cases", "sources", "actors", "findings", "recommendations", "events", "positions", "excerpts")
REVIEW_KEYS = (
    "id", "title", "label", "kind", "identifier", "issued", "publisher", "authors", "commissioned_by", "examines",
    "curated_by", "curated_on", "recommendations_made", "language", "description", "comment", "evidence",
)
CASE_KEYS = ("id", "label", "description", "subject", "victim", "comment")
SOURCE_KEYS = ("id", "title", "publisher", "issued", "url", "identifier", "comment")
ACTOR_KEYS = ("id", "label", "type", "part_of", "post_in", "holds", "also_known_as", "comment")
EXCERPT_KEYS = ("id", "exact", "paraphrase", "source", "locator", "comment")
FINDING_KEYS = (
    "id", "label", "text", "polarity", "themes", "implicates", "known_only_in_summary", "comment", "evidence",
)
RECOMMENDATION_KEYS = (
    "id", "notation", "label", "text", "owners", "addressees", "addresses", "not_addressing_reason", "themes",
    "known_only_in_summary", "comment", "evidence", "responses",
)
RESPONSE_KEYS = ("id", "status", "date", "not_before", "by", "source", "comment", "evidence")
EVENT_KEYS = ("id", "label", "date", "text", "involves", "case", "comment", "evidence")
POSITION_KEYS = ("id", "label", "text", "held_by", "concerns", "date", "comment", "evidence")
KEYS_BY_PART: dict[str, tuple[str, ...]] = {
    "document": SECTIONS, "review": REVIEW_KEYS, "case": CASE_KEYS, "source": SOURCE_KEYS, "actor": ACTOR_KEYS,
    "excerpt": EXCERPT_KEYS, "finding": FINDING_KEYS, "recommendation": RECOMMENDATION_KEYS,
    "response": RESPONSE_KEYS, "event": EVENT_KEYS, "position": POSITION_KEYS,
}
"""The keys each part of a review file may have, in the order they are written out."""

_KEY_HINTS = {"excerpts": "evidence", "quote": "exact", "description": "text", "text": "description",
              "source": "sources", "notes": "comment", "note": "comment", "owner": "owners", "theme": "themes",
              "status_date": "date", "date": "issued", "aliases": "also_known_as", "alt_labels": "also_known_as"}
"""Keys people reach for that another part of the format uses, to suggest the right one."""

ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
LANGUAGE_PATTERN = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
NULL = "tag:yaml.org,2002:null"
BOOL = "tag:yaml.org,2002:bool"
INT = "tag:yaml.org,2002:int"
T = TypeVar("T")


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a review file, where it is and what to do about it."""

    file: str
    line: int
    field: str
    message: str
    warning: bool = False

    def __str__(self) -> str:
        kind = "warning: " if self.warning else ""
        return f"{self.file}:{self.line}: {self.field}: {kind}{self.message}"


class InvalidReviewFile(InvalidInput):
    """A review file with problems; nothing from it is stored."""

    def __init__(self, file: str, problems: list[Problem]) -> None:
        self.file = file
        self.problems = problems
        lines = "\n".join(f"  {p}" for p in problems)
        super().__init__(f"{file}: {len(problems)} problem(s) in the review file:\n{lines}")


@dataclass(frozen=True)
class ReadReview:
    """A review file read without errors, and what looked doubtful in it."""

    document: ReviewDocument
    warnings: tuple[Problem, ...] = ()


def read_review(path: Path, schemes: Schemes, *, strict: bool = False) -> ReadReview:
    """Read a review file; raise InvalidReviewFile listing every problem (warnings too when `strict`)."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise InvalidInput(f"{path}: not UTF-8 text: {error}") from error
    return parse_review(text, str(path), schemes, strict=strict)


def yaml_problem(error: yaml.YAMLError, text: str, file: str) -> Problem:
    """What is wrong with a file YAML cannot read, at its line: a syntax error, or a character
    YAML does not allow (such as NUL), which YAML reports by its position instead of a line."""
    if isinstance(error, yaml.MarkedYAMLError):
        mark = error.problem_mark or error.context_mark
        return Problem(file, mark.line + 1 if mark else 1, "(file)", f"not valid YAML: {error.problem}")
    if isinstance(error, yaml.reader.ReaderError):
        line = text.count("\n", 0, max(error.position, 0)) + 1
        return Problem(file, line, "(file)", f"not valid YAML: character {error.character!r} is not allowed")
    return Problem(file, 1, "(file)", f"not valid YAML: {error}")


def parse_review(text: str, file: str, schemes: Schemes, *, strict: bool = False) -> ReadReview:
    """Read the YAML text of a review file named `file` (used in messages)."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        raise InvalidReviewFile(file, [yaml_problem(error, text, file)]) from error
    reader = _Reader(file, schemes)
    document = reader.document(root)
    warnings = [p for p in reader.problems if p.warning]
    errors = [p for p in reader.problems if not p.warning or strict]
    if errors or document is None:
        raise InvalidReviewFile(file, sorted(errors, key=lambda p: p.line))
    return ReadReview(document, tuple(sorted(warnings, key=lambda p: p.line)))


@dataclass(frozen=True)
class _Mention:
    """An id written somewhere in the file, to be checked once everything is read."""

    kind: str
    id: str
    node: Node
    path: str


class _Reader:
    """Walks the node tree once, building the document and collecting every problem."""

    def __init__(self, file: str, schemes: Schemes) -> None:
        self.file = file
        self.schemes = schemes
        self.problems: list[Problem] = []
        self.mentions: list[_Mention] = []
        self.defined: dict[str, dict[str, str]] = {}  # kind -> id -> path of its definition
        self.lines: dict[str, int] = {}  # field path -> line, for problems found after reading
        self.excerpts: list[Excerpt] = []
        self.review_id = ""

    # ------------------------------------------------------------- the parts

    def document(self, root: Node | None) -> ReviewDocument | None:
        if root is None:
            self.problem(None, "(file)", "the file is empty; it needs at least a `review:` part")
            return None
        parts = self.mapping(root, "", "document", required=("review",))
        if parts is None:
            return None
        self.excerpts.extend(self.each(parts, "excerpts", lambda node, path: self.excerpt(node, path, None)))
        review = self.review(parts["review"]) if "review" in parts else None
        document = ReviewDocument(
            review=review or Review("", "", "", "", ()),
            cases=self.each(parts, "cases", self.case),
            sources=self.each(parts, "sources", self.source),
            actors=self.each(parts, "actors", self.actor),
            findings=self.each(parts, "findings", self.finding),
            recommendations=self.each(parts, "recommendations", self.recommendation),
            events=self.each(parts, "events", self.event),
            positions=self.each(parts, "positions", self.position),
            excerpts=tuple(self.excerpts),
        )
        self.check_mentions(document)
        return document if review is not None else None

    def review(self, node: Node) -> Review | None:
        path = "review"
        fields = self.mapping(node, path, "review", required=("id", "title", "kind", "curated_by"))
        if fields is None:
            return None
        self.review_id = self.id(fields, path) or ""
        title = self.text(fields, path, "title") or ""
        language = self.text(fields, path, "language") or "en"
        if not LANGUAGE_PATTERN.match(language):
            self.problem(fields["language"], "review.language", f"{language!r} is not a language tag such as en or cy")
        return Review(
            id=self.review_id,
            title=title,
            label=self.text(fields, path, "label") or title,
            kind=self.concept(fields, path, "kind", self.schemes.review_kinds) or "",
            identifier=self.text(fields, path, "identifier"),
            issued=self.date(fields, path, "issued"),
            publishers=self.ids(fields, path, "publisher", "actor"),
            authors=self.ids(fields, path, "authors", "actor"),
            commissioned_by=self.ids(fields, path, "commissioned_by", "actor"),
            examines=self.reviews(fields, path, "examines"),
            curated_by=self.ids(fields, path, "curated_by", "actor"),
            curated_on=self.date(fields, path, "curated_on"),
            recommendations_made=self.count(fields, path, "recommendations_made"),
            description=self.text(fields, path, "description"),
            comment=self.text(fields, path, "comment"),
            evidence=self.evidence(fields, path, REVIEW_EXCERPT_OWNER),
            language=language,
        )

    def case(self, node: Node, path: str) -> Case | None:
        fields = self.mapping(node, path, "case", required=("id", "label"))
        if fields is None:
            return None
        return Case(
            id=self.define(node, fields, path, "case"),
            label=self.text(fields, path, "label") or "",
            description=self.text(fields, path, "description"),
            subjects=self.ids(fields, path, "subject", "actor"),
            victims=self.ids(fields, path, "victim", "actor"),
            comment=self.text(fields, path, "comment"),
        )

    def source(self, node: Node, path: str) -> Source | None:
        fields = self.mapping(node, path, "source", required=("id", "title"))
        if fields is None:
            return None
        return Source(
            id=self.define(node, fields, path, "source"),
            title=self.text(fields, path, "title") or "",
            publisher=self.text(fields, path, "publisher"),
            issued=self.date(fields, path, "issued"),
            url=self.url(fields, path, "url"),
            identifier=self.text(fields, path, "identifier"),
            comment=self.text(fields, path, "comment"),
        )

    def actor(self, node: Node, path: str) -> Actor | None:
        fields = self.mapping(node, path, "actor", required=("id", "label", "type"))
        if fields is None:
            return None
        return Actor(
            id=self.define(node, fields, path, "actor"),
            label=self.text(fields, path, "label") or "",
            type=self.actor_type(fields, path) or ActorType.ORGANISATION,
            part_of=self.ids(fields, path, "part_of", "actor"),
            post_in=self.ids(fields, path, "post_in", "actor"),
            holds=self.ids(fields, path, "holds", "actor"),
            also_known_as=self.texts(fields, path, "also_known_as"),
            comment=self.text(fields, path, "comment"),
        )

    def excerpt(self, node: Node, path: str, minted_id: str | None) -> Excerpt | None:
        """An excerpt in `excerpts:` (`minted_id` None: it needs an id) or written under what it supports."""
        fields = self.mapping(node, path, "excerpt", required=("source",) if minted_id else ("id", "source"))
        if fields is None:
            return None
        excerpt_id = self.define(node, fields, path, "excerpt", minted_id)
        exact, paraphrase = self.text(fields, path, "exact"), self.text(fields, path, "paraphrase")
        if "exact" in fields and "paraphrase" in fields:
            self.problem(node, path, "give either `exact:` (the source's own words) or `paraphrase:`, not both")
        elif "exact" not in fields and "paraphrase" not in fields:
            self.problem(node, path, "an excerpt needs `exact:` (the source's own words) or `paraphrase:`")
        return Excerpt(
            id=excerpt_id,
            source=self.id_mention(fields, path, "source", "source") or "",
            exact=exact,
            paraphrase=paraphrase,
            locator=self.text(fields, path, "locator"),
            comment=self.text(fields, path, "comment"),
        )

    def finding(self, node: Node, path: str) -> Finding | None:
        fields = self.mapping(node, path, "finding", required=("id", "label", "polarity", "themes", "evidence"))
        if fields is None:
            return None
        finding_id = self.define(node, fields, path, "finding")
        return Finding(
            id=finding_id,
            label=self.text(fields, path, "label") or "",
            text=self.text(fields, path, "text"),
            polarity=self.concept(fields, path, "polarity", self.schemes.polarities) or "",
            themes=self.concepts(fields, path, "themes", self.schemes.themes),
            implicates=self.ids(fields, path, "implicates", "actor"),
            known_only_in_summary=self.flag(fields, path, "known_only_in_summary"),
            evidence=self.evidence(fields, path, finding_id),
            comment=self.text(fields, path, "comment"),
        )

    def recommendation(self, node: Node, path: str) -> Recommendation | None:
        fields = self.mapping(node, path, "recommendation", required=("id", "label"))
        if fields is None:
            return None
        if "addresses" not in fields and "not_addressing_reason" not in fields:
            self.problem(node, path, "a recommendation needs `addresses:` (the findings it sets out to remedy) "
                                     "or `not_addressing_reason:`")
        recommendation_id = self.define(node, fields, path, "recommendation")
        responses: list[Response] = []
        for index, item in enumerate(self.sequence_items(fields.get("responses"), f"{path}.responses")):
            response = self.response(item, f"{path}.responses[{index}]", recommendation_id)
            if response is not None and any(r.id == response.id for r in responses):
                self.problem(item, f"{path}.responses[{index}]",
                             f"two responses to {recommendation_id} have the id {response.id!r}; give each an `id:`")
            elif response is not None:
                responses.append(response)
        return Recommendation(
            id=recommendation_id,
            notation=self.text(fields, path, "notation"),
            label=self.text(fields, path, "label") or "",
            text=self.text(fields, path, "text"),
            owners=self.ids(fields, path, "owners", "actor"),
            addressees=self.ids(fields, path, "addressees", "actor"),
            addresses=self.ids(fields, path, "addresses", "finding"),
            not_addressing_reason=self.text(fields, path, "not_addressing_reason"),
            themes=self.concepts(fields, path, "themes", self.schemes.themes),
            known_only_in_summary=self.flag(fields, path, "known_only_in_summary"),
            evidence=self.evidence(fields, path, recommendation_id),
            responses=tuple(responses),
            comment=self.text(fields, path, "comment"),
        )

    def response(self, node: Node, path: str, recommendation_id: str) -> Response | None:
        fields = self.mapping(node, path, "response", required=("status", "by", "source"))
        if fields is None:
            return None
        status = self.concept(fields, path, "status", self.schemes.statuses) or ""
        response_id = self.id(fields, path) or status
        if ("date" in fields) == ("not_before" in fields):
            self.problem(node, path, "a response needs `date:` or, when its date is unknown, `not_before:` "
                                     "(the earliest it can be), not both")
        return Response(
            id=response_id,
            status=status,
            date=self.date(fields, path, "date"),
            not_before=self.date(fields, path, "not_before"),
            by=self.ids(fields, path, "by", "actor"),
            sources=self.ids(fields, path, "source", "source"),
            evidence=self.evidence(fields, path, response_key(recommendation_id, response_id)),
            comment=self.text(fields, path, "comment"),
        )

    def event(self, node: Node, path: str) -> Event | None:
        fields = self.mapping(node, path, "event", required=("id", "label", "date", "evidence"))
        if fields is None:
            return None
        event_id = self.define(node, fields, path, "event")
        when = self.text(fields, path, "date")
        if when is not None and not _is_event_date(when):
            self.problem(fields["date"], f"{path}.date", f"{when!r} is not a date: write YYYY, YYYY-MM or YYYY-MM-DD")
        return Event(
            id=event_id,
            label=self.text(fields, path, "label") or "",
            date=when or "",
            text=self.text(fields, path, "text"),
            involves=self.ids(fields, path, "involves", "actor"),
            cases=self.ids(fields, path, "case", "case"),
            evidence=self.evidence(fields, path, event_id),
            comment=self.text(fields, path, "comment"),
        )

    def position(self, node: Node, path: str) -> Position | None:
        fields = self.mapping(node, path, "position", required=("id", "label", "held_by", "concerns", "evidence"))
        if fields is None:
            return None
        position_id = self.define(node, fields, path, "position")
        return Position(
            id=position_id,
            label=self.text(fields, path, "label") or "",
            text=self.text(fields, path, "text"),
            held_by=self.ids(fields, path, "held_by", "actor"),
            concerns=self.ids(fields, path, "concerns", "concern"),
            date=self.date(fields, path, "date"),
            evidence=self.evidence(fields, path, position_id),
            comment=self.text(fields, path, "comment"),
        )

    def evidence(self, fields: dict[str, Node], path: str, owner: str) -> tuple[str, ...]:
        """Excerpt ids under `evidence:`: ids of excerpts written elsewhere, and excerpts written
        in place, whose ids are minted from their owner (`f1-x1`, `f1-x2`, ...) unless given."""
        ids: list[str] = []
        inline = 0
        for index, item in enumerate(self.sequence_items(fields.get("evidence"), f"{path}.evidence")):
            item_path = f"{path}.evidence[{index}]"
            if isinstance(item, MappingNode):
                inline += 1
                excerpt = self.excerpt(item, item_path, f"{owner}-x{inline}")
                if excerpt is not None:
                    self.excerpts.append(excerpt)
                    ids.append(excerpt.id)
            elif (excerpt_id := self.scalar_id(item, item_path)) is not None:
                self.mentions.append(_Mention("excerpt", excerpt_id, item, item_path))
                ids.append(excerpt_id)
        return tuple(ids)

    # ------------------------------------------------- ids and counts checked

    def check_mentions(self, document: ReviewDocument) -> None:
        """Every id written must name something the file describes; warn of what nothing refers to."""
        cases = self.defined.get("case", {})
        for mention in self.mentions:
            if mention.kind == "concern":
                if mention.id == self.review_id or mention.id in cases or _is_iri(mention.id):
                    continue
                self.problem(mention.node, mention.path,
                             f"{mention.id!r} is neither this review's id, nor a case in `cases:`, nor an IRI"
                             f"{_did_you_mean(_closest(mention.id, [self.review_id, *cases]))}")
            elif mention.id not in self.defined.get(mention.kind, {}):
                where = "under `evidence:` or in `excerpts:`" if mention.kind == "excerpt" else f"in `{mention.kind}s:`"
                self.problem(mention.node, mention.path,
                             f"unknown {mention.kind} {mention.id!r}: none with that id is described {where}"
                             f"{_did_you_mean(_closest(mention.id, self.defined.get(mention.kind, {})))}")
        used = {(m.kind, m.id) for m in self.mentions} | {("excerpt", e) for e in document.excerpt_owners()}
        for kind in ("actor", "excerpt"):
            for thing_id, path in self.defined.get(kind, {}).items():
                if (kind, thing_id) not in used:
                    self.warn(path, f"{kind} {thing_id!r} is described but nothing refers to it")
        self.check_dates_and_counts(document)

    def check_dates_and_counts(self, document: ReviewDocument) -> None:
        review = document.review
        made, held = review.recommendations_made, len(document.recommendations)
        if made is not None and held > made:
            self.warn("review.recommendations_made",
                      f"the review is said to make {made} recommendations but {held} are listed")
        if review.issued is None:
            return
        for index, recommendation in enumerate(document.recommendations):
            for number, response in enumerate(recommendation.responses):
                when = response.date or response.not_before
                if when is not None and when < review.issued:
                    self.warn(f"recommendations[{index}].responses[{number}]",
                              f"dated {when}, before the review was issued ({review.issued})")

    # ------------------------------------------------------------ the values

    def problem(self, node: Node | None, path: str, message: str) -> None:
        line = node.start_mark.line + 1 if node is not None else 1
        self.problems.append(Problem(self.file, line, path or "(file)", message))

    def warn(self, path: str, message: str) -> None:
        self.problems.append(Problem(self.file, self.lines.get(path, 1), path, message, warning=True))

    def mapping(
        self, node: Node, path: str, part: str, *, required: tuple[str, ...] = ()
    ) -> dict[str, Node] | None:
        """The values of a mapping by key, after checking its keys against those `part` may have."""
        if not isinstance(node, MappingNode):
            self.problem(node, path or "(file)", f"expected keys and values (a mapping) here, not {_shape(node)}")
            return None
        self.lines[path] = node.start_mark.line + 1
        values: dict[str, Node] = {}
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            field_path = f"{path}.{key}" if path else key
            self.lines[field_path] = key_node.start_mark.line + 1
            if key not in KEYS_BY_PART[part]:
                meant = _closest(key, KEYS_BY_PART[part])
                self.problem(key_node, field_path, f"unknown key {key!r}{_did_you_mean(meant)}")
                seen.update(meant)  # a misspelt key is one problem, not also a missing one
            elif key in seen:
                self.problem(key_node, field_path, f"{key!r} is given twice")
            elif isinstance(value_node, ScalarNode) and value_node.tag == NULL:
                self.problem(key_node, field_path, "has no value: fill it in or leave the key out")
            else:
                values[key] = value_node
            seen.add(key)
        for key in required:
            if key not in seen:
                self.problem(node, f"{path}.{key}" if path else key, f"missing `{key}:`")
        return values

    def each(self, fields: dict[str, Node], key: str, read: Callable[[Node, str], T | None]) -> tuple[T, ...]:
        """Each item of the list under `key`, read by `read(node, path)`; items with errors left out."""
        items = (read(item, f"{key}[{index}]") for index, item in enumerate(self.sequence_items(fields.get(key), key)))
        return tuple(item for item in items if item is not None)

    def sequence_items(self, node: Node | None, path: str) -> list[Node]:
        if node is None:
            return []
        if not isinstance(node, SequenceNode):
            self.problem(node, path, f"expected a list (lines starting with '- ') here, not {_shape(node)}")
            return []
        return list(node.value)

    def one_or_many(self, fields: dict[str, Node], path: str, key: str) -> list[tuple[Node, str]]:
        """The items of a key that takes one value or a list of values, each with its path."""
        node = fields.get(key)
        if node is None:
            return []
        if isinstance(node, SequenceNode):
            return [(item, f"{path}.{key}[{index}]") for index, item in enumerate(node.value)]
        return [(node, f"{path}.{key}")]

    def scalar(self, node: Node, path: str) -> str | None:
        if not isinstance(node, ScalarNode):
            self.problem(node, path, f"expected a single value here, not {_shape(node)}")
            return None
        text = str(node.value)
        return text.rstrip("\n") if node.style in (">", "|") else text

    def text(self, fields: dict[str, Node], path: str, key: str) -> str | None:
        node = fields.get(key)
        text = self.scalar(node, f"{path}.{key}") if node is not None else None
        if text is not None and not text.strip():
            self.problem(node, f"{path}.{key}", "is empty; leave the key out instead")
            return None
        return text

    def texts(self, fields: dict[str, Node], path: str, key: str) -> tuple[str, ...]:
        found = (self.scalar(node, item_path) for node, item_path in self.one_or_many(fields, path, key))
        return tuple(text for text in found if text)

    def scalar_id(self, node: Node, path: str) -> str | None:
        value = self.scalar(node, path)
        if value is not None and not ID_PATTERN.match(value):
            self.problem(node, path, f"{value!r} is not an id: use letters, digits and '-', without spaces")
            return None
        return value

    def id(self, fields: dict[str, Node], path: str) -> str | None:
        node = fields.get("id")
        return self.scalar_id(node, f"{path}.id") if node is not None else None

    def define(self, node: Node, fields: dict[str, Node], path: str, kind: str, minted: str | None = None) -> str:
        """The id of a thing the file describes (`minted` when none is given), checked to be unique."""
        thing_id = self.id(fields, path) or minted or ""
        known = self.defined.setdefault(kind, {})
        if thing_id in known:
            self.problem(fields.get("id", node), f"{path}.id",
                         f"{kind} id {thing_id!r} is already used at {known[thing_id]}")
        elif thing_id:
            known[thing_id] = path
        return thing_id

    def ids(self, fields: dict[str, Node], path: str, key: str, kind: str) -> tuple[str, ...]:
        """One id or a list of ids, each checked, once everything is read, against what the file describes."""
        found = []
        for node, item_path in self.one_or_many(fields, path, key):
            if kind == "concern" and isinstance(node, ScalarNode) and _is_iri(str(node.value)):
                value: str | None = str(node.value)
            else:
                value = self.scalar_id(node, item_path)
            if value is not None:
                self.mentions.append(_Mention(kind, value, node, item_path))
                found.append(value)
        return tuple(found)

    def id_mention(self, fields: dict[str, Node], path: str, key: str, kind: str) -> str | None:
        """One id (not a list) of something the file describes."""
        if isinstance(fields.get(key), SequenceNode):
            self.problem(fields[key], f"{path}.{key}", "give one id here, not a list")
            return None
        found = self.ids(fields, path, key, kind)
        return found[0] if found else None

    def reviews(self, fields: dict[str, Node], path: str, key: str) -> tuple[str, ...]:
        """Other reviews by id or IRI (they need not be described in this file)."""
        found = []
        for node, item_path in self.one_or_many(fields, path, key):
            text = self.scalar(node, item_path)
            if text is not None and (_is_iri(text) or ID_PATTERN.match(text)):
                found.append(text)
            elif text is not None:
                self.problem(node, item_path, f"{text!r} is neither a review id nor an IRI")
        return tuple(found)

    def date(self, fields: dict[str, Node], path: str, key: str) -> date | None:
        node = fields.get(key)
        text = self.scalar(node, f"{path}.{key}") if node is not None else None
        if text is None:
            return None
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            try:
                return date.fromisoformat(text)
            except ValueError:
                pass
        self.problem(node, f"{path}.{key}", f"{text!r} is not a date: write YYYY-MM-DD, such as 2024-03-01")
        return None

    def url(self, fields: dict[str, Node], path: str, key: str) -> str | None:
        text = self.text(fields, path, key)
        if text is not None and not _is_iri(text):
            self.problem(fields[key], f"{path}.{key}", f"{text!r} is not a web address (http:// or https://)")
            return None
        return text

    def count(self, fields: dict[str, Node], path: str, key: str) -> int | None:
        node = fields.get(key)
        if node is None:
            return None
        if not (isinstance(node, ScalarNode) and node.tag == INT and int(node.value) >= 0):
            self.problem(node, f"{path}.{key}", f"expected a whole number, 0 or more, not {_shape(node)}")
            return None
        return int(node.value)

    def flag(self, fields: dict[str, Node], path: str, key: str) -> bool:
        node = fields.get(key)
        if node is None:
            return False
        if not (isinstance(node, ScalarNode) and node.tag == BOOL):
            self.problem(node, f"{path}.{key}", f"expected true or false, not {_shape(node)}")
            return False
        return str(node.value).lower() in ("true", "yes", "on")

    def actor_type(self, fields: dict[str, Node], path: str) -> ActorType | None:
        node = fields.get("type")
        text = self.scalar(node, f"{path}.type") if node is not None else None
        if text is None:
            return None
        wanted = text.strip().lower().replace("organization", "organisation")
        if wanted in {t.value for t in ActorType}:
            return ActorType(wanted)
        self.problem(node, f"{path}.type", f"{text!r} is not one of {', '.join(t.value for t in ActorType)}")
        return None

    def concept(self, fields: dict[str, Node], path: str, key: str, scheme: Scheme) -> str | None:
        if isinstance(fields.get(key), SequenceNode):
            self.problem(fields[key], f"{path}.{key}", f"give one {scheme.name} here, not a list")
            return None
        found = self.concepts(fields, path, key, scheme)
        return found[0] if found else None

    def concepts(self, fields: dict[str, Node], path: str, key: str, scheme: Scheme) -> tuple[str, ...]:
        """Concepts of `scheme` by id, label, synonym or notation."""
        found = []
        for node, item_path in self.one_or_many(fields, path, key):
            text = self.scalar(node, item_path)
            if text is None:
                continue
            resolved = scheme.resolve(text)
            if resolved.concept is not None:
                found.append(resolved.concept.id)
                continue
            hint = f"; did you mean {resolved.closest[0]}?" if resolved.closest else ""
            self.problem(node, item_path, f"unknown {scheme.name} {text!r}{hint} (see {scheme.file})")
        return tuple(found)


def _closest(wanted: str, known: Iterable[str]) -> list[str]:
    """What someone who wrote `wanted` most likely meant, of the names `known`."""
    options = list(known)
    hint = _KEY_HINTS.get(wanted)
    return [hint] if hint in options else difflib.get_close_matches(wanted, options, n=1, cutoff=0.6)


def _did_you_mean(options: list[str]) -> str:
    return f"; did you mean {options[0]!r}?" if options else ""


def _shape(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    return repr(node.value)


def _is_iri(text: str) -> bool:
    if not text.startswith(("http://", "https://")):
        return False
    try:
        NamedNode(text)
    except ValueError:
        return False
    return True


def _is_event_date(text: str) -> bool:
    if not EVENT_DATE.match(text):
        return False
    if len(text) == 10:
        try:
            date.fromisoformat(text)
        except ValueError:
            return False
    return True
