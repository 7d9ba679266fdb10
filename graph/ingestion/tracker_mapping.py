"""The mapping file that tells `lrkg import-csv` how to read a recommendation tracker.

A tracker is a table with one row per recommendation (or per status update of one); every
tracker names its columns differently, so a small YAML file says which column holds what
(`examples/tracker-mapping.yaml` shows every key). Problems in the mapping are reported
with the mapping's file, line and key, like problems in a review file; column names are
checked against the tracker's header, with a "did you mean".
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

import yaml
from pyoxigraph import Literal, NamedNode, RdfFormat, parse
from yaml import MappingNode, Node, ScalarNode, SequenceNode

from graph.ingestion.actor_aliases import ActorAliases, read_aliases
from graph.ingestion.review_yaml import InvalidReviewFile, Problem, yaml_problem
from graph.store.errors import InvalidInput
from graph.vocabulary.namespaces import LRKG, minted_id
from graph.vocabulary.schemes import Scheme, Schemes

FIELDS = (
    "review_id", "review_title", "review_kind", "review_date", "review_publisher", "review_url",
    "recommendation_id", "recommendation_title", "recommendation_text", "recommendation_date", "recipients",
    "response_status", "response_date", "response_text", "response_due",
)
"""What a column can hold (the keys of `columns:`)."""
KEYS = ("tracker", "columns", "review_kind", "review_id_prefix", "recipients", "dates", "statuses", "review_kinds",
        "themes", "not_addressing_reason", "encoding", "delimiter", "ignore", "aliases",
        "propose_statuses", "tag_themes")
TRACKER_KEYS = ("title", "publisher", "url", "issued")
RECIPIENT_KEYS = ("separator", "same_as")
DEFAULT_DATES = ("%Y-%m-%d", "%d/%m/%Y", "%d %B %Y", "%d %b %Y")
DEFAULT_REASON = (
    "Imported from a tracker that lists recommendations only: the findings behind it are not held."
)
_ID_PREFIX = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass(frozen=True)
class TrackerSource:
    """The tracker itself: the source of every statement imported from it."""

    title: str
    publisher: str | None = None
    url: str | None = None
    issued: date | None = None


@dataclass(frozen=True)
class TrackerMapping:
    file: str
    tracker: TrackerSource
    columns: dict[str, str]
    """Field (FIELDS) -> the tracker's column."""
    review_kind: str | None = None
    review_kinds: dict[str, str] = field(default_factory=dict)
    """The tracker's words for review kinds (normalised) -> review kind id."""
    review_id_prefix: str = ""
    separator: str = ";"
    same_as: dict[str, str] = field(default_factory=dict)
    date_formats: tuple[str, ...] = DEFAULT_DATES
    statuses: dict[str, str] = field(default_factory=dict)
    """The tracker's words for statuses (normalised) -> status id."""
    themes: dict[str, str] = field(default_factory=dict)
    """Flag column -> theme id."""
    not_addressing_reason: str = DEFAULT_REASON
    encoding: str | None = None
    """The file's encoding as the mapping states it; None: detected from the bytes."""
    delimiter: str = ","
    ignored: tuple[str, ...] = ()
    """Columns to leave out; every other column the mapping does not use is kept as a note."""
    propose_statuses: bool = True
    """Whether a reply without a status gets one proposed from its words (graph.ingestion.status_proposal)."""
    tag_themes: bool = True
    """Whether each recommendation is given themes from its words on import (graph.ingestion.tagging)."""
    aliases: ActorAliases = field(default_factory=ActorAliases)
    """A person's decisions on which names are one actor (`aliases:`, a file beside the mapping)."""
    lines: dict[str, int] = field(default_factory=dict)
    """Key path -> line of the mapping file, for problems found later."""

    def column(self, name: str) -> str | None:
        return self.columns.get(name)

    def note_columns(self, header: list[str]) -> list[str]:
        """The tracker's columns the mapping neither uses nor ignores: each value is kept as a note."""
        used = {*self.columns.values(), *self.themes, *self.ignored}
        return [column for column in header if column and column not in used]

    def check_columns(self, header: list[str]) -> None:
        """Every column the mapping names must be in the tracker's header."""
        problems = []
        named = [(f"columns.{k}", v) for k, v in self.columns.items()] + [(f"themes.{v}", v) for v in self.themes]
        named += [("ignore", column) for column in self.ignored]
        for path, column in named:
            if column not in header:
                close = difflib.get_close_matches(column, header, n=1, cutoff=0.6)
                hint = f"; did you mean {close[0]!r}?" if close else f" (its columns: {', '.join(header)})"
                problems.append(Problem(self.file, self.lines.get(path, 1), path,
                                        f"the tracker has no column {column!r}{hint}"))
        if problems:
            raise InvalidReviewFile(self.file, problems)


def words(text: str) -> str:
    """A tracker's word for a status or kind as it is compared: lower case, single spaces."""
    return " ".join(text.lower().split())


def read_mapping(path: Path, schemes: Schemes) -> TrackerMapping:
    """Read a mapping file; raise InvalidReviewFile listing every problem with its line."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise InvalidInput(f"{path}: not UTF-8 text: {error}") from error
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        raise InvalidReviewFile(str(path), [yaml_problem(error, text, str(path))]) from error
    reader = _Reader(str(path), schemes)
    mapping = reader.mapping(root)
    if reader.problems or mapping is None:
        raise InvalidReviewFile(str(path), sorted(reader.problems, key=lambda p: p.line))
    if mapping.aliases.file is not None:
        aliases = path.parent / mapping.aliases.file
        if not aliases.is_file():
            raise InvalidReviewFile(str(path), [Problem(str(path), mapping.lines.get("aliases", 1), "aliases",
                                                        f"no aliases file {str(aliases)!r} (a path from the mapping's folder)")])
        mapping = replace(mapping, aliases=read_aliases(aliases))
    return mapping


class _Reader:
    def __init__(self, file: str, schemes: Schemes) -> None:
        self.file = file
        self.schemes = schemes
        self.problems: list[Problem] = []
        self.lines: dict[str, int] = {}

    def problem(self, node: Node | None, path: str, message: str) -> None:
        line = node.start_mark.line + 1 if node is not None else 1
        self.problems.append(Problem(self.file, line, path, message))

    def mapping(self, root: Node | None) -> TrackerMapping | None:
        top = self.keys(root, "", KEYS)
        if top is None:
            return None
        tracker = self.keys(top.get("tracker"), "tracker", TRACKER_KEYS)
        columns = self.keys(top.get("columns"), "columns", FIELDS) or {}
        recipients = self.keys(top.get("recipients"), "recipients", RECIPIENT_KEYS, optional=True) or {}
        chosen = {name: text for name in FIELDS if (text := self.text(columns, "columns", name)) is not None}
        for needed in ("review_id", "recommendation_text"):
            if needed not in chosen and "columns" in top:
                self.problem(top["columns"], f"columns.{needed}", f"missing `{needed}:` (the column that holds it)")
        kind = self.concept(top, "", "review_kind", self.schemes.review_kinds)
        if kind is None and "review_kind" not in chosen and "review_kind" not in top:
            self.problem(root, "review_kind", "give `review_kind:` (one kind for every review) or the column "
                                              "`columns.review_kind`")
        prefix = self.text(top, "", "review_id_prefix") or ""
        if prefix and not _ID_PREFIX.match(prefix):
            self.problem(top["review_id_prefix"], "review_id_prefix",
                         f"{prefix!r} is not an id prefix: use lower-case letters, digits and '-'")
        formats = tuple(self.texts(top, "", "dates")) or DEFAULT_DATES
        if tracker is None:
            return None
        return TrackerMapping(
            file=self.file,
            tracker=TrackerSource(
                title=self.text(tracker, "tracker", "title") or "",
                publisher=self.text(tracker, "tracker", "publisher"),
                url=self.url(tracker, "tracker", "url"),
                issued=self.day(tracker, "tracker", "issued"),
            ),
            columns=chosen,
            review_kind=kind,
            review_kinds=self.value_map(top, "review_kinds", self.schemes.review_kinds),
            review_id_prefix=prefix,
            separator=self.separator(recipients),
            same_as=self.pairs(recipients, "recipients", "same_as"),
            date_formats=("%Y-%m-%d", *(f for f in formats if f != "%Y-%m-%d")),
            statuses=self.value_map(top, "statuses", self.schemes.statuses),
            themes=self.theme_columns(top),
            not_addressing_reason=self.text(top, "", "not_addressing_reason") or DEFAULT_REASON,
            encoding=self.text(top, "", "encoding"),
            delimiter=self.text(top, "", "delimiter") or ",",
            ignored=tuple(self.texts(top, "", "ignore")),
            aliases=ActorAliases(file=self.text(top, "", "aliases")),
            propose_statuses=self.flag(top, "propose_statuses", default=True),
            tag_themes=self.flag(top, "tag_themes", default=True),
            lines=self.lines,
        )

    # -- shapes of values

    def keys(self, node: Node | None, path: str, allowed: tuple[str, ...], optional: bool = False) -> dict[str, Node] | None:
        where = path or "(file)"
        if node is None:
            if not optional:
                self.problem(None, where, "missing: " + ("the file is empty" if not path else f"give `{path}:`"))
            return None
        if not isinstance(node, MappingNode):
            self.problem(node, where, "expected keys and values (a mapping) here")
            return None
        values: dict[str, Node] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            key_path = f"{path}.{key}" if path else key
            self.lines[key_path] = key_node.start_mark.line + 1
            if allowed and key not in allowed:
                close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
                self.problem(key_node, key_path, f"unknown key {key!r}" + (f"; did you mean {close[0]!r}?" if close else
                                                                            f" (known: {', '.join(allowed)})"))
            else:
                values[key] = value_node
        return values

    def text(self, fields: dict[str, Node], path: str, key: str) -> str | None:
        node = fields.get(key)
        if node is None:
            return None
        where = f"{path}.{key}" if path else key
        if not isinstance(node, ScalarNode) or not str(node.value).strip():
            self.problem(node, where, "expected a single value here")
            return None
        return str(node.value).strip()

    def flag(self, fields: dict[str, Node], key: str, *, default: bool) -> bool:
        text = self.text(fields, "", key)
        if text is None:
            return default
        if text.lower() not in ("true", "false"):
            self.problem(fields[key], key, f"{text!r}: write true or false")
            return default
        return text.lower() == "true"

    def texts(self, fields: dict[str, Node], path: str, key: str) -> list[str]:
        node = fields.get(key)
        if node is None:
            return []
        items = node.value if isinstance(node, SequenceNode) else [node]
        found = []
        for item in items:
            if isinstance(item, ScalarNode) and str(item.value).strip():
                found.append(str(item.value).strip())
            else:
                self.problem(item, f"{path}.{key}" if path else key, "expected a value or a list of values")
        return found

    def pairs(self, fields: dict[str, Node], path: str, key: str) -> dict[str, str]:
        """A mapping of plain values (`same_as:`, `statuses:`), each value's line remembered."""
        found = self.keys(fields.get(key), f"{path}.{key}" if path else key, (), optional=True) or {}
        return {name: value for name in found if (value := self.text(found, f"{path}.{key}" if path else key, name))}

    def url(self, fields: dict[str, Node], path: str, key: str) -> str | None:
        text = self.text(fields, path, key)
        if text is not None and not text.startswith(("http://", "https://")):
            self.problem(fields[key], f"{path}.{key}", f"{text!r} is not a web address (http:// or https://)")
            return None
        return text

    def day(self, fields: dict[str, Node], path: str, key: str) -> date | None:
        text = self.text(fields, path, key)
        if text is None:
            return None
        try:
            return date.fromisoformat(text)
        except ValueError:
            self.problem(fields[key], f"{path}.{key}", f"{text!r} is not a date: write YYYY-MM-DD")
            return None

    def separator(self, fields: dict[str, Node]) -> str:
        text = self.text(fields, "recipients", "separator")
        if text is None:
            return ";"
        if len(text) != 1:
            self.problem(fields["separator"], "recipients.separator", f"{text!r}: give one character, such as ; or ,")
            return ";"
        return text

    def concept(self, fields: dict[str, Node], path: str, key: str, scheme: Scheme) -> str | None:
        text = self.text(fields, path, key)
        if text is None:
            return None
        resolved = scheme.resolve(text)
        if resolved.concept is None:
            hint = f"; did you mean {resolved.closest[0]}?" if resolved.closest else ""
            self.problem(fields[key], f"{path}.{key}" if path else key,
                         f"unknown {scheme.name} {text!r}{hint} (see {scheme.file})")
            return None
        return resolved.concept.id

    def value_map(self, top: dict[str, Node], key: str, scheme: Scheme) -> dict[str, str]:
        """A tracker's words -> concepts of `scheme`, every concept checked."""
        found = self.keys(top.get(key), key, (), optional=True) or {}
        resolved = {}
        for word in found:
            concept = self.concept(found, key, word, scheme)
            if concept is not None:
                resolved[words(word)] = concept
        return resolved

    def theme_columns(self, top: dict[str, Node]) -> dict[str, str]:
        found = self.keys(top.get("themes"), "themes", (), optional=True) or {}
        columns = {}
        for column in found:
            theme = self.concept(found, "themes", column, self.schemes.themes)
            if theme is not None:
                columns[column] = theme
        return columns


def ntsb_statuses(ontology_dir: Path) -> dict[str, str]:
    """The NTSB wordings (normalised) that name exactly one lrkg status (`lrkg:ntsbEquivalent`)."""
    return _ntsb_words(ontology_dir / "statuses.ttl", str(LRKG.ntsbEquivalent))


def ntsb_modes(ontology_dir: Path) -> dict[str, str]:
    """The NTSB modes (normalised: "aviation", "marine", ...) that name exactly one review kind (`lrkg:ntsbMode`)."""
    return _ntsb_words(ontology_dir / "lrkg.ttl", str(LRKG.ntsbMode))


def _ntsb_words(path: Path, property_iri: str) -> dict[str, str]:
    """Each wording `property_iri` gives (normalised) -> the one concept it names; wordings of several left out."""
    found: dict[str, set[str]] = {}
    equivalent = NamedNode(property_iri)
    for triple in parse(path.read_bytes(), format=RdfFormat.TURTLE):
        if triple.predicate == equivalent and isinstance(triple.object, Literal):
            minted = minted_id(triple.subject.value)
            if minted is not None:
                found.setdefault(words(triple.object.value), set()).add(minted[1])
    return {wording: next(iter(ids)) for wording, ids in found.items() if len(ids) == 1}
