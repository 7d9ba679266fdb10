"""Recommendation trackers (and lists of reports) as reviews, read through a mapping.

Rows with the same review id are one review; each row is a recommendation of it, and a
response when the row gives a status or a reply. Rows with the same recommendation id in one
review are its status history, or its several addressees each with their own reply: one
recommendation, sent to everyone its rows name, one response per row, attributed to the
recipients of that row. A reply without a status is kept, with the status "not yet
classified": nothing the addressee said is dropped for want of a category.

Each recommendation is given themes from its words by a tagger (`graph.ingestion.tagging`:
the rules, or whichever tagger the caller passes), each recorded as an `lrkg:ThemeAssignment`
with its method and score, beside any theme a flag column gives, so a tracker with no theme
columns still answers "which recommendations are about communication".

A reply without a status gets one proposed from its words (`graph.ingestion.status_proposal`),
stated with an `lrkg:StatusProposal` that says so (method, score, the phrase); a reply the
rules cannot read stays "not yet classified". Its response's id starts `reply-`, whatever the
proposal, so that better rules change the status, never the IRI.

A recommendation's own issue date (`recommendation_date`) is its `dcterms:issued`; a review
the tracker gives no date takes the earliest of its recommendations' (the import report says
which). A due date (`response_due`) is the recommendation's `lrkg:responseDue`. Every column
the mapping does not use (and does not `ignore:`) is kept, value by value, as a `skos:note`
("column: value") on the recommendation of its row. A tracker lists no findings, so
each recommendation says why it addresses none (`not_addressing_reason`); a theme flag column
that is set on a row tags that recommendation with the column's theme (a person tagged it, so
no automatic assignment is recorded). Recipients become actors through `graph.ingestion.reconcile`.

Ids are stable: a review's id is the prefix of the mapping and the review id of the tracker
made into a slug (`NSB 2023/04` -> `nsb-2023-04`), a recommendation's the slug of its id, or
r1, r2, ... in row order when the tracker has no such column; two ids that make the same slug
are told apart by a short hash of the original id. A response's id is its status and date.

A row that cannot be used (no review id, an unreadable date, a status the mapping does not
know, a value that disagrees with an earlier row of the same review) is reported with its
line and left out; the rest of the tracker goes in.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Quad

from graph.ingestion.csv_table import Record, Repair, read_table
from graph.ingestion.reconcile import KnownActor, Reconciliation, reconcile, slug
from graph.ingestion.review_batch import IMPORTER_IRI, GeneratedReview, label_from
from graph.ingestion.review_document import Excerpt, Recommendation, Response, Review, ReviewDocument, Source
from graph.ingestion.review_rdf import review_iri
from graph.ingestion.review_yaml import Problem
from graph.ingestion.status_proposal import StatusProposal, propose_status
from graph.ingestion.tagging import ThemeTagger, assignment_quads
from graph.ingestion.tracker_mapping import TrackerMapping, ntsb_modes, words
from graph.vocabulary.namespaces import LRKG, minted_iri
from graph.vocabulary.schemes import Schemes

FLAG_SET = frozenset({"true", "yes", "y", "x", "1", "✓", "✔"})
FLAG_UNSET = frozenset({"", "false", "no", "n", "0", "-"})
REVIEW_FIELDS = ("review_title", "review_kind", "review_date", "review_publisher", "review_url")
NOT_YET_CLASSIFIED = "not-yet-classified"
"""The status of a reply the tracker gives no status for (ontology/statuses.ttl)."""
_ISSUED = NamedNode("http://purl.org/dc/terms/issued")
_NOTE = NamedNode("http://www.w3.org/2004/02/skos/core#note")
_DUE = NamedNode(str(LRKG.responseDue))
_REPLACES = NamedNode("http://purl.org/dc/terms/replaces")
_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_COMMENT = NamedNode("http://www.w3.org/2000/01/rdf-schema#comment")
_ATTRIBUTED = NamedNode("http://www.w3.org/ns/prov#wasAttributedTo")
_XSD_DECIMAL = NamedNode("http://www.w3.org/2001/XMLSchema#decimal")
_XSD_DATE = NamedNode("http://www.w3.org/2001/XMLSchema#date")


@dataclass(frozen=True)
class TrackerImport:
    """The reviews made from a tracker, the rows that could not be used, and how the
    recipients and publishers were matched to actors."""

    reviews: list[GeneratedReview]
    problems: list[Problem]
    reconciliation: Reconciliation
    report: TrackerReport = field(default_factory=lambda: TrackerReport())

    def counts(self) -> str:
        """How much the tracker holds, as one line: reviews, recommendations, responses, actors."""
        recommendations = [r for review in self.reviews for r in review.document.recommendations]
        responses = [x for r in recommendations for x in r.responses]
        unclassified = sum(x.status == NOT_YET_CLASSIFIED for x in responses)
        proposed = sum(self.report.proposed.values())
        dated = sum(any(q.subject.value.endswith(f"-{r.id}") and q.predicate == _ISSUED for q in review.extra)
                    for review in self.reviews for r in review.document.recommendations)
        return (f"{len(self.reviews)} review(s), {len(recommendations)} recommendation(s) ({dated} with their own "
                f"date), {len(responses)} response(s) ({proposed} with a proposed status, {unclassified} not yet "
                f"classified), "
                f"{len(self.problems)} row(s) rejected.")


@dataclass
class TrackerReport:
    """What the import did with the tracker's columns and values, for the import report."""

    columns_used: dict[str, str] = field(default_factory=dict)
    """Field (or `theme flag`) -> the tracker's column."""
    columns_as_notes: list[str] = field(default_factory=list)
    columns_ignored: list[str] = field(default_factory=list)
    dated_by_recommendations: list[str] = field(default_factory=list)
    """Reviews the tracker gives no date, dated by their earliest recommendation."""
    unclassified_replies: int = 0
    """Replies stored with the status "not yet classified"."""
    proposed: Counter[str] = field(default_factory=Counter)
    """Replies given a proposed status, by status."""
    tagged: int = 0
    """Recommendations the tagger gave at least one theme."""
    tagger: str | None = None
    encoding: str = "utf-8"
    encoding_detected: bool = False
    repairs: list[Repair] = field(default_factory=list)
    """Values whose mojibake was undone."""

    def lines(self) -> list[str]:
        """The report as a few lines for a person: what each column became, what was dated how."""
        used = ", ".join(f"{name} <- {column!r}" for name, column in self.columns_used.items())
        how = "detected: the file is not UTF-8" if self.encoding_detected else "as named or UTF-8"
        lines = [f"Read as {self.encoding} ({how}).", f"Columns used: {used}."]
        lines.append("Columns kept as notes on each recommendation: "
                     + (", ".join(repr(c) for c in self.columns_as_notes) or "none") + ".")
        if self.columns_ignored:
            lines.append("Columns ignored (the mapping's `ignore:`, and any with no name): "
                         + ", ".join(repr(c) for c in self.columns_ignored) + ".")
        if self.dated_by_recommendations:
            lines.append(f"{len(self.dated_by_recommendations)} review(s) with no date in the tracker dated by their "
                         f"earliest recommendation: {', '.join(self.dated_by_recommendations)}.")
        if self.repairs:
            ways = Counter(repair.how for repair in self.repairs)
            lines.append(f"{len(self.repairs)} value(s) had mojibake undone by ftfy: "
                         + "; ".join(f"{count} by {way}" for way, count in ways.most_common()) + ".")
        if self.tagger is not None:
            lines.append(f"{self.tagged} recommendation(s) given themes from their words by {self.tagger}.")
        if self.proposed:
            lines.append(f"{sum(self.proposed.values())} reply(ies) with no status given one read from their words "
                         "(marked proposed): " + ", ".join(f"{n} {s}" for s, n in sorted(self.proposed.items())) + ".")
        if self.unclassified_replies:
            lines.append(f"{self.unclassified_replies} reply(ies) with no status stored as 'not yet classified'.")
        return lines


@dataclass
class _Row:
    """What one usable row says, read and checked."""

    line: int
    review: str
    recommendation: str | None
    text: str
    title: str | None
    recipients: str
    review_values: dict[str, str]
    review_date: date | None
    kind: str | None
    status: str | None
    status_date: date | None
    response_text: str | None
    themes: tuple[str, ...]
    issued: date | None = None
    due: date | None = None
    notes: tuple[str, ...] = ()


@dataclass
class _Group:
    """The rows of one review."""

    source_id: str
    rows: list[_Row] = field(default_factory=list)


@dataclass(frozen=True)
class Tagging:
    """The tagger that gives recommendations themes on import, and its settings."""

    tagger: ThemeTagger
    min_score: float
    max_themes: int


def read_tracker(path: Path, mapping: TrackerMapping, schemes: Schemes, known: list[KnownActor],
                 ntsb: dict[str, str], tagging: Tagging | None = None) -> TrackerImport:
    """Every review the tracker at `path` lists; actors matched to `known` first; each
    recommendation tagged by `tagging` when given."""
    table = read_table(path, encoding=mapping.encoding, delimiter=mapping.delimiter)
    mapping.check_columns(table.columns)
    report = TrackerReport(
        columns_used={**mapping.columns, **{f"theme flag ({theme})": column for column, theme in mapping.themes.items()}},
        columns_as_notes=mapping.note_columns(table.columns),
        columns_ignored=[*mapping.ignored, *(f"(unnamed column {n})" for n, c in enumerate(table.columns, 1) if not c)],
        encoding=table.encoding,
        encoding_detected=table.encoding_detected,
        repairs=table.repairs,
    )
    reader = _RowReader(table.file, mapping, schemes, ntsb, report.columns_as_notes)
    groups: dict[str, _Group] = {}
    for record in table.records:
        row = reader.row(record)
        if row is None:
            continue
        group = groups.setdefault(row.review, _Group(row.review))
        if reader.agrees(group, row):
            group.rows.append(row)
    cells = [row.recipients for g in groups.values() for row in g.rows]
    cells += [row.review_values.get("review_publisher", "") for g in groups.values() for row in g.rows]
    reconciliation = reconcile([c for c in cells if c], known, separator=mapping.separator, same_as=mapping.same_as,
                               aliases=mapping.aliases)
    report.tagger = tagging.tagger.method if tagging else None
    builder = _Builder(mapping, reconciliation, reader, report, tagging)
    reviews = [builder.review(review_id, group) for review_id, group in _review_ids(groups, mapping).items()]
    return TrackerImport(reviews, table.problems + reader.problems, reconciliation, report)


def _review_ids(groups: dict[str, _Group], mapping: TrackerMapping) -> dict[str, _Group]:
    """Each group under its review id: the prefix and the slug of the tracker's id, told apart
    by a short hash of the tracker's id when two make the same slug."""
    made: dict[str, _Group] = {}
    for source_id in sorted(groups):
        review_id = mapping.review_id_prefix + slug(source_id)
        if review_id in made:
            review_id = f"{review_id}-{_short_hash(source_id)}"
        made[review_id] = groups[source_id]
    return made


def _short_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:6]


class _RowReader:
    """Reads and checks each row, collecting a problem for every one it cannot use."""

    def __init__(self, file: str, mapping: TrackerMapping, schemes: Schemes, ntsb: dict[str, str],
                 note_columns: list[str]) -> None:
        self.file = file
        self.mapping = mapping
        self.schemes = schemes
        self.ntsb = ntsb
        self.note_columns = note_columns
        self.modes = ntsb_modes(schemes.ontology_dir)
        self.problems: list[Problem] = []

    def problem(self, record: Record | _Row, field_name: str, message: str) -> None:
        column = self.mapping.column(field_name) or field_name
        self.problems.append(Problem(self.file, record.line, column, message))

    def row(self, record: Record) -> _Row | None:
        before = len(self.problems)
        column = self.mapping.column
        review = record.get(column("review_id"))
        if not review:
            self.problem(record, "review_id", "no review id: every row needs the id of the review it belongs to")
        text = record.get(column("recommendation_text"))
        if not text:
            self.problem(record, "recommendation_text", "no recommendation text")
        recommendation = record.get(column("recommendation_id")) if column("recommendation_id") else None
        if column("recommendation_id") and not recommendation:
            self.problem(record, "recommendation_id", "no recommendation id")
        status = self.status(record)
        status_date = self.day(record, "response_date")
        response_text = record.get(column("response_text")) or None
        row = _Row(
            line=record.line,
            review=review,
            recommendation=recommendation,
            text=text,
            title=record.get(column("recommendation_title")) or None,
            recipients=record.get(column("recipients")),
            review_values={f: v for f in REVIEW_FIELDS if (v := record.get(column(f)))},
            review_date=self.day(record, "review_date"),
            kind=self.kind(record),
            status=status,
            status_date=status_date,
            response_text=response_text,
            themes=self.flags(record),
            issued=self.day(record, "recommendation_date"),
            due=self.day(record, "response_due"),
            notes=tuple(f"{name}: {value}" for name in self.note_columns if (value := record.get(name))),
        )
        return row if len(self.problems) == before else None

    def agrees(self, group: _Group, row: _Row) -> bool:
        """Whether the row's review values agree with the review's earlier rows (reported if not)."""
        for earlier in group.rows:
            for name, value in row.review_values.items():
                other = earlier.review_values.get(name)
                if other is not None and other != value:
                    self.problem(row, name, f"{value!r} here, but {other!r} on line {earlier.line} for the same "
                                            f"review {group.source_id!r}")
                    return False
        return True

    def day(self, record: Record, field_name: str) -> date | None:
        text = record.get(self.mapping.column(field_name))
        if not text:
            return None
        for pattern in self.mapping.date_formats:
            try:
                return datetime.strptime(text, pattern).date()
            except ValueError:
                continue
        formats = ", ".join(self.mapping.date_formats)
        self.problem(record, field_name, f"{text!r} is not a date in a format the mapping names ({formats}); "
                                         "add its format under `dates:`")
        return None

    def status(self, record: Record) -> str | None:
        text = record.get(self.mapping.column("response_status"))
        if not text:
            return None
        key = words(text)
        found = self.mapping.statuses.get(key) or self.ntsb.get(key)
        if found is None:
            resolved = self.schemes.statuses.resolve(text)
            if resolved.concept is not None:
                return resolved.concept.id
            known = ", ".join(sorted(self.mapping.statuses)) or "none"
            self.problem(record, "response_status",
                         f"unknown status {text!r}: add it under `statuses:` in the mapping, with the lrkg status "
                         f"it means (see ontology/statuses.ttl; the mapping knows: {known})")
        return found

    def kind(self, record: Record) -> str | None:
        text = record.get(self.mapping.column("review_kind"))
        if not text:
            if self.mapping.review_kind is None:
                self.problem(record, "review_kind", "no review kind: fill it in, or give `review_kind:` in the mapping")
            return self.mapping.review_kind
        found = self.mapping.review_kinds.get(words(text)) or self.modes.get(words(text))
        resolved = self.schemes.review_kinds.resolve(text)
        if found is None and resolved.concept is None:
            self.problem(record, "review_kind", f"unknown review kind {text!r}: add it under `review_kinds:` in the "
                                                "mapping (see the review kinds in ontology/lrkg.ttl)")
            return None
        return found or (resolved.concept.id if resolved.concept else None)

    def flags(self, record: Record) -> tuple[str, ...]:
        themes = []
        for column, theme in self.mapping.themes.items():
            value = record.get(column).lower()
            if value in FLAG_SET:
                themes.append(theme)
            elif value not in FLAG_UNSET:
                self.problems.append(Problem(self.file, record.line, column,
                                             f"{record.get(column)!r} is neither yes nor no (yes, y, x, true, 1; "
                                             "no, n, false, 0, or empty)"))
        return tuple(dict.fromkeys(themes))


class _Builder:
    """Makes each review of a tracker from its checked rows."""

    def __init__(self, mapping: TrackerMapping, reconciliation: Reconciliation, reader: _RowReader,
                 report: TrackerReport, tagging: Tagging | None) -> None:
        self.mapping = mapping
        self.reconciliation = reconciliation
        self.reader = reader
        self.report = report
        self.tagging = tagging

    def review(self, review_id: str, group: _Group) -> GeneratedReview:
        first = group.rows[0]
        values: dict[str, str] = {}
        for row in group.rows:
            values = {**row.review_values, **values}
        tracker = self.mapping.tracker
        title = values.get("review_title") or f"{tracker.title}: {group.source_id}"
        sources = [Source("tracker", tracker.title, publisher=tracker.publisher, url=tracker.url,
                          issued=tracker.issued)]
        issued = next((row.review_date for row in group.rows if row.review_date), None)
        if issued is None and any(row.issued for row in group.rows):
            issued = min(row.issued for row in group.rows if row.issued)
            self.report.dated_by_recommendations.append(review_id)
        if values.get("review_url"):
            sources.append(Source("report", title, url=values["review_url"], issued=issued,
                                  identifier=group.source_id))
        recommendations, excerpts, extra = self.recommendations(review_id, group, issued)
        publisher = values.get("review_publisher", "")
        cells = [row.recipients for row in group.rows] + [publisher]
        actors = self.reconciliation.described([c for c in cells if c])
        extra += [Quad(NamedNode(minted_iri("actor", successor)), _REPLACES, NamedNode(minted_iri("actor", before)),
                       review_iri(review_id))
                  for successor, before in self.reconciliation.replaced_by(a.id for a in actors)]
        document = ReviewDocument(
            review=Review(
                id=review_id,
                title=title,
                label=title,
                kind=first.kind or "",
                curated_by=(),
                issued=issued,
                identifier=group.source_id,
                publishers=self.reconciliation.addressing(publisher).owners if publisher else (),
                comment=f"Imported from the tracker {tracker.title!r}, which lists recommendations only: the "
                        "review's findings are not held.",
            ),
            sources=tuple(sources),
            actors=actors,
            recommendations=tuple(recommendations),
            excerpts=tuple(excerpts),
        )
        return GeneratedReview(document, tuple(row.line for row in group.rows), tuple(extra))

    def recommendations(self, review_id: str, group: _Group,
                        issued: date | None) -> tuple[list[Recommendation], list[Excerpt], list[Quad]]:
        """One recommendation per recommendation id (or per row, when the tracker has no ids),
        sent to the recipients of all its rows, with a response for each row that gives a
        status or a reply; and the statements a document cannot hold (issue and due dates, notes)."""
        by_id: dict[str, list[_Row]] = defaultdict(list)
        for number, row in enumerate(group.rows, start=1):
            by_id[row.recommendation or f"r{number}"].append(row)
        local_ids = _local_ids(list(by_id))
        recommendations, excerpts, extra = [], [], []
        for source_id, rows in by_id.items():
            local = local_ids[source_id]
            first = rows[0]
            for row in rows[1:]:
                if _same_words(row.text) != _same_words(first.text):
                    self.reader.problem(row, "recommendation_text",
                                        f"recommendation {source_id!r} has other words on line {first.line}")
            kept = [row for row in rows if _same_words(row.text) == _same_words(first.text)]
            cells = list(dict.fromkeys(row.recipients for row in kept if row.recipients))
            owners = tuple(dict.fromkeys(o for cell in cells for o in self.reconciliation.addressing(cell).owners))
            addressees = tuple(dict.fromkeys(
                a for cell in cells for a in self.reconciliation.addressing(cell).addressees))
            excerpts.append(Excerpt(f"{local}-x1", "tracker", exact=first.text, locator=f"recommendation {source_id}"))
            rec_issued = min((row.issued for row in kept if row.issued), default=None)
            responses: list[Response] = []
            replies: dict[str, str | None] = {}  # response id -> its reply: a repeated row, or another reply that day?
            for row in kept:
                row_owners = self.reconciliation.addressing(row.recipients).owners if row.recipients else owners
                made = self.response(row, row_owners, source_id, rec_issued or issued, several=len(cells) > 1)
                if made is None:
                    continue
                response, proposal = made
                if response.id in replies and row.response_text and row.response_text != replies[response.id]:
                    response = replace(response, id=f"{response.id}-{_short_hash(row.response_text)}")
                elif response.id in replies:
                    self.reader.problem(row, "response_status", f"repeats the status and date of an earlier row of "
                                                                f"recommendation {source_id!r}")
                    continue
                replies[response.id] = row.response_text
                if response.status == NOT_YET_CLASSIFIED:
                    self.report.unclassified_replies += 1
                if proposal is not None:
                    self.report.proposed[proposal.status] += 1
                    extra += _proposal_quads(review_id, f"{local}-{response.id}", proposal)
                responses.append(replace(response, comment=None))
                if row.response_text:
                    excerpts.append(Excerpt(f"{local}-{response.id}-x1", "tracker", exact=row.response_text,
                                            locator=f"response to recommendation {source_id}"))
                    responses[-1] = replace(responses[-1], evidence=(f"{local}-{response.id}-x1",))
            recommendations.append(Recommendation(
                id=local,
                label=first.title or label_from(first.text),
                notation=first.recommendation,
                text=first.text,
                owners=owners,
                addressees=addressees,
                not_addressing_reason=self.mapping.not_addressing_reason,
                themes=tuple(dict.fromkeys(t for row in kept for t in row.themes)),
                evidence=(f"{local}-x1",),
                responses=tuple(responses),
                comment=f"Addressed to: {'; '.join(cells)}" if cells else None,
            ))
            extra += self.kept_values(review_id, local, kept, rec_issued)
            extra += self.themes(review_id, local, " ".join(filter(None, (first.title, first.text))))
        return recommendations, excerpts, extra

    def themes(self, review_id: str, local: str, text: str) -> list[Quad]:
        """The themes the tagger proposes for a recommendation's words, with their assignments."""
        if self.tagging is None:
            return []
        proposals = self.tagging.tagger.propose(text, self.tagging.min_score, self.tagging.max_themes)
        if proposals:
            self.report.tagged += 1
        return assignment_quads(minted_iri("recommendation", f"{review_id}-{local}"), review_iri(review_id).value,
                                proposals, method=self.tagging.tagger.method)

    def kept_values(self, review_id: str, local: str, rows: list[_Row], issued: date | None) -> list[Quad]:
        """A recommendation's issue date, due date and notes, as statements in its review's graph."""
        node, graph = NamedNode(minted_iri("recommendation", f"{review_id}-{local}")), review_iri(review_id)
        quads = []
        if issued is not None:
            quads.append(Quad(node, _ISSUED, Literal(issued.isoformat(), datatype=_XSD_DATE), graph))
        due = min((row.due for row in rows if row.due), default=None)
        if due is not None:
            quads.append(Quad(node, _DUE, Literal(due.isoformat(), datatype=_XSD_DATE), graph))
        for note in dict.fromkeys(note for row in rows for note in row.notes):
            quads.append(Quad(node, _NOTE, Literal(note), graph))
        return quads

    def response(self, row: _Row, owners: tuple[str, ...], source_id: str, issued: date | None, *,
                 several: bool) -> tuple[Response, StatusProposal | None] | None:
        """The status (or bare reply) a row gives, dated by the row, else known only to be no
        earlier than the recommendation (or its review), with the proposal that read a status
        from a bare reply. With several addressees, the id names the one who replied. The
        reply's text rides in `comment` until it is made evidence."""
        if row.status is None and not row.response_text:
            return None
        proposal = None
        if row.status is None and row.response_text and self.mapping.propose_statuses:
            proposal = propose_status(row.response_text)
        status = row.status or (proposal.status if proposal else NOT_YET_CLASSIFIED)
        if not owners:
            self.reader.problem(row, "recipients", f"recommendation {source_id!r} has a reply but nobody it is "
                                                   "addressed to, so nobody to have replied")
            return None
        if row.status_date is None and issued is None:
            self.reader.problem(row, "response_date", "a reply needs a date: fill in the reply's date, or map "
                                                      "`review_date` or `recommendation_date` so that it can be dated "
                                                      "no earlier than the recommendation")
            return None
        when = row.status_date.isoformat() if row.status_date else "undated"
        return Response(
            id=f"{row.status or 'reply'}-{when}" + (f"-{owners[0]}" if several else ""),
            status=status,
            by=owners,
            sources=("tracker",),
            date=row.status_date,
            not_before=None if row.status_date else issued,
            comment=row.response_text,
        ), proposal


def _proposal_quads(review_id: str, response_key: str, proposal: StatusProposal) -> list[Quad]:
    """The record that a response's status was read from its reply: an lrkg:StatusProposal."""
    graph = review_iri(review_id)
    response = NamedNode(minted_iri("response", f"{review_id}-{response_key}"))
    node = NamedNode(minted_iri("status-proposal", f"{review_id}-{response_key}"))
    return [
        Quad(response, NamedNode(str(LRKG.statusProposal)), node, graph),
        Quad(node, _TYPE, NamedNode(str(LRKG.StatusProposal)), graph),
        Quad(node, NamedNode(str(LRKG.proposedStatus)), NamedNode(minted_iri("status", proposal.status)), graph),
        Quad(node, NamedNode(str(LRKG.proposalMethod)), Literal(proposal.method), graph),
        Quad(node, NamedNode(str(LRKG.proposalScore)), Literal(f"{proposal.score:.2f}", datatype=_XSD_DECIMAL), graph),
        Quad(node, _COMMENT, Literal(f"Read from the reply's words: {proposal.evidence!r}."), graph),
        Quad(node, _ATTRIBUTED, NamedNode(IMPORTER_IRI), graph),
    ]


def _same_words(text: str) -> str:
    """A recommendation's text as compared between its rows: spacing and case do not count."""
    return " ".join(text.split()).casefold()


def _local_ids(source_ids: list[str]) -> dict[str, str]:
    """Each recommendation's id within its review: the slug of the tracker's id, told apart by
    a short hash when two make the same slug."""
    made: dict[str, str] = {}
    taken: set[str] = set()
    for source_id in sorted(source_ids):
        local = slug(source_id)
        if local in taken:
            local = f"{local}-{_short_hash(source_id)}"
        taken.add(local)
        made[source_id] = local
    return made
