"""Coroners' Prevention of Future Deaths reports, from a list of reports as a CSV file.

The list has the columns of the PFD-toolkit report lists (`url`, `id`, `date`, `coroner`,
`area`, `receiver`, `investigation`, `circumstances`, `concerns`). Any other column (the
True/False theme columns of those lists) is ignored: it is one outside opinion, kept for
evaluating the tagger, not a fact about the report.

Each report becomes a review of kind prevention-of-future-deaths-report, `…/review/pfd-<id>`
(`pfd-2025-0587`; a report listed without its reference is named after its page,
`pfd-john-sloan`), whose source is the report's page on the judiciary's website:

* its author, the coroner (a person), holding the post of coroner for the area;
* the death it investigated (a case, "Death of <name>", the name read from the page's
  address, described by the report's own account of the circumstances); a report about
  several deaths is listed once per death, and becomes one review with a case for each;
* each matter of concern (split by `graph.ingestion.concerns.split_concerns`) a finding: polarity
  shortcoming, its evidence the matter's exact words, and themes given by the rules tagger
  with their method and score (`lrkg:ThemeAssignment`), since no person tagged it. A matter
  the tagger finds no theme for is given the theme "Not yet classified" by the method
  `fallback-v1` with score 0, so it stays valid and findable, and waits for a curator;
* one recommendation, "Action to prevent future deaths (regulation 28)": PFD reports make
  no numbered recommendations, but every one asks each person it is sent to for a response
  within 56 days. It addresses all the report's findings; its owners are the organisations
  the report was sent to and its addressees the posts named (see `graph.ingestion.reconcile`), the
  recipients as written are kept in its comment, and `lrkg:responseDue` is the report's date
  plus 56 days.

Two records with the same reference are one report when their date, coroner, recipients and
concerns have the same words (a report about several deaths); otherwise the later one is
rejected, since one reference cannot name two reports. The name of the file a report came
from is not part of its review (the load catalogue records it), so a report listed in two
files is the same review, unchanged by importing the second.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlparse

from pyoxigraph import Literal, NamedNode, Quad

from graph.ingestion.concerns import split_concerns
from graph.ingestion.csv_table import Record, read_table
from graph.ingestion.reconcile import KnownActor, Reconciliation, reconcile, slug
from graph.ingestion.review_batch import GeneratedReview, label_from
from graph.ingestion.review_document import (
    Actor,
    ActorType,
    Case,
    Excerpt,
    Finding,
    Recommendation,
    Review,
    ReviewDocument,
    Source,
)
from graph.ingestion.review_yaml import Problem
from graph.ingestion.tagging import ThemeProposal, ThemeTagger, assignment_quads
from graph.store.errors import InvalidInput
from graph.vocabulary.namespaces import LRKG, minted_id, minted_iri

COLUMNS = ("url", "id", "date", "coroner", "area", "receiver", "investigation", "circumstances", "concerns")
REQUIRED = ("url", "id", "date", "receiver", "concerns")
KIND = "prevention-of-future-deaths-report"
RESPONSE_DAYS = 56
"""Days an addressee has to respond to a PFD report (regulation 29(5), Coroners (Investigations) Regulations 2013)."""
UNCLASSIFIED = "unclassified"
FALLBACK_METHOD = "fallback-v1"
PUBLISHER = "Courts and Tribunals Judiciary"
ACTION_LABEL = "Action to prevent future deaths (regulation 28)"
ACTION_TEXT = (
    "In the coroner's opinion action should be taken to prevent future deaths. Each person the report is sent "
    "to must respond within 56 days with details of the action taken or proposed, or explain why no action is "
    "proposed."
)
_REFERENCE = re.compile(r"^\d{4}-\d{3,5}$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_PAGE_SUFFIX = re.compile(r"-(?:prevention-of-future-deaths?-report|pfd-report)$|-\d+$")
_XSD_DATE = NamedNode("http://www.w3.org/2001/XMLSchema#date")


@dataclass(frozen=True)
class PfdImport:
    """The reviews made from a report list, the records that could not be used, and how the
    recipients were matched to actors."""

    reviews: list[GeneratedReview]
    problems: list[Problem]
    reconciliation: Reconciliation


@dataclass(frozen=True)
class _Report:
    """The records of one report (several when it is about several deaths)."""

    review_id: str
    reference: str
    day: date
    records: tuple[Record, ...]

    @property
    def first(self) -> Record:
        return self.records[0]


def read_reports(
    path: Path, known: list[KnownActor], tagger: ThemeTagger, *, min_score: float, max_themes: int
) -> PfdImport:
    """Every report of the list at `path` as a review; actors matched to `known` first."""
    table = read_table(path)
    missing = [c for c in REQUIRED if c not in table.columns]
    if missing:
        raise InvalidInput(f"{path}:1: not a PFD report list: no column {', '.join(map(repr, missing))} "
                           f"(expected {', '.join(COLUMNS)})")
    problems = list(table.problems)
    reports: dict[str, _Report] = {}
    for record in table.records:
        report = _report(table.file, record, problems)
        if report is None:
            continue
        earlier = reports.get(report.review_id)
        if earlier is None:
            reports[report.review_id] = report
        elif _same_report(earlier.first, record):
            reports[report.review_id] = _Report(earlier.review_id, earlier.reference, earlier.day,
                                                (*earlier.records, record))
        else:
            problems.append(Problem(table.file, record.line, "id", (
                f"report {report.reference or report.review_id} is also on line {earlier.first.line} with a different "
                "date, coroner, recipients or concerns; one reference cannot name two reports")))
    reconciliation = reconcile((r.first.get("receiver") for r in reports.values()), known, separator=";")
    builder = _Builder(reconciliation, tagger, min_score, max_themes)
    return PfdImport([builder.review(report) for report in reports.values()], problems, reconciliation)


def _report(file: str, record: Record, problems: list[Problem]) -> _Report | None:
    """The record's report id and date, or None (and a problem) when it has neither a usable
    reference nor a page, or no valid date."""
    found = []
    reference, url, when = record.get("id"), record.get("url"), record.get("date")
    if reference and not _REFERENCE.match(reference):
        found.append(Problem(file, record.line, "id", f"{reference!r} is not a PFD reference such as 2025-0587"))
    if url and not url.startswith(("http://", "https://")):
        found.append(Problem(file, record.line, "url", f"{url!r} is not a web address (http:// or https://)"))
    if not reference and not url:
        found.append(Problem(file, record.line, "id", "the report has neither a reference (id) nor a page (url)"))
    day = None
    if _DAY.match(when):
        try:
            day = date.fromisoformat(when)
        except ValueError:
            day = None
    if day is None:
        found.append(Problem(file, record.line, "date", f"{when!r} is not a date: write YYYY-MM-DD, such as 2025-11-17"
                             if when else "the report has no date"))
    if found or day is None:
        problems.extend(found)
        return None
    page = _page_name(url) if url else None
    review_id = f"pfd-{slug(reference) if reference else page or slug(url)}"
    return _Report(review_id, reference, day, (record,))


def _same_report(first: Record, other: Record) -> bool:
    """Whether two records are the same report: the same words in the same order, whatever
    the spacing and punctuation (the lists copy one report's text slightly differently per death)."""
    return all(_words(first.get(column)) == _words(other.get(column))
               for column in ("date", "coroner", "receiver", "concerns"))


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def _page_name(url: str) -> str | None:
    """`andrew-dodds` for …/andrew-dodds-prevention-of-future-deaths-report/."""
    last = urlparse(url).path.rstrip("/").rsplit("/", 1)[-1]
    name = _PAGE_SUFFIX.sub("", _PAGE_SUFFIX.sub("", slug(last)))
    return name or None


def _person_named(url: str) -> str | None:
    """The name of the person who died, as the report's page address gives it (in lower case there)."""
    name = _page_name(url) if url else None
    return " ".join(word.capitalize() for word in name.split("-")) if name else None


class _Builder:
    """Makes the review of one report."""

    def __init__(self, reconciliation: Reconciliation, tagger: ThemeTagger, min_score: float, max_themes: int) -> None:
        self.reconciliation = reconciliation
        self.tagger = tagger
        self.min_score = min_score
        self.max_themes = max_themes

    def review(self, report: _Report) -> GeneratedReview:
        first = report.first
        review_id = report.review_id
        names = [n for n in dict.fromkeys(_person_named(r.get("url")) for r in report.records) if n]
        who = _and(names)
        title = f"{who}: Prevention of future deaths report" if who else "Prevention of future deaths report"
        reference = report.reference or review_id
        graph = minted_iri("review", review_id)
        actors, authors = self._coroner(first)
        receivers = first.get("receiver")
        addressing = self.reconciliation.addressing(receivers)
        findings, excerpts, extra = [], [], []
        for number, matter in enumerate(split_concerns(first.get("concerns")), start=1):
            finding, assignments = self.finding(number, matter, review_id, graph)
            findings.append(finding)
            excerpts.append(Excerpt(f"f{number}-x1", "report", exact=matter, locator=f"matters of concern, {number}"))
            extra += assignments
        action = Recommendation(
            id="r1",
            label=ACTION_LABEL,
            text=ACTION_TEXT,
            owners=addressing.owners,
            addressees=addressing.addressees,
            addresses=tuple(f.id for f in findings),
            not_addressing_reason=None if findings else "The report as listed sets out no matters of concern.",
            comment=f"Sent to: {receivers}" if receivers else "The report as listed names nobody it was sent to.",
        )
        due = report.day + timedelta(days=RESPONSE_DAYS)
        extra.append(Quad(NamedNode(minted_iri("recommendation", f"{review_id}-r1")), NamedNode(str(LRKG.responseDue)),
                          Literal(due.isoformat(), datatype=_XSD_DATE), NamedNode(graph)))
        document = ReviewDocument(
            review=Review(
                id=review_id,
                title=title,
                label=f"PFD report {reference}" + (f": {who}" if who else ""),
                kind=KIND,
                curated_by=(),
                issued=report.day,
                identifier=report.reference or None,
                authors=authors,
                description=first.get("investigation") or None,
                comment="Imported from a list of PFD reports; its matters of concern were split, and given themes, "
                        "automatically.",
            ),
            sources=tuple(
                Source(source_id, title, publisher=PUBLISHER, issued=report.day, url=url or None,
                       identifier=report.reference or None)
                for source_id, url in _sources(report)
            ),
            actors=tuple(sorted(actors + list(self.reconciliation.described([receivers])), key=lambda a: a.id)),
            cases=_cases(report, review_id, names),
            findings=tuple(findings),
            recommendations=(action,),
            excerpts=tuple(excerpts),
        )
        return GeneratedReview(document, tuple(r.line for r in report.records), tuple(extra))

    def finding(self, number: int, matter: str, review_id: str, graph: str) -> tuple[Finding, list[Quad]]:
        """A matter of concern as a finding, and how its themes were given: by the tagger, or,
        when it proposes none, by the fallback."""
        proposals, method = self.tagger.propose(matter, self.min_score, self.max_themes), self.tagger.method
        if not proposals:
            proposals = [ThemeProposal(minted_iri("theme", UNCLASSIFIED), 0.0, "no theme scored enough", 0.0)]
            method = FALLBACK_METHOD
        finding = Finding(f"f{number}", f"Concern {number}: {label_from(matter)}", "shortcoming",
                          tuple(theme_id(p.theme) for p in proposals), (f"f{number}-x1",))
        iri = minted_iri("finding", f"{review_id}-{finding.id}")
        return finding, assignment_quads(iri, graph, proposals, method=method)

    def _coroner(self, record: Record) -> tuple[list[Actor], tuple[str, ...]]:
        """The coroner (a person) holding the post of coroner for the area, when both are given."""
        coroner, area = record.get("coroner"), record.get("area")
        if not coroner:
            return [], ()
        actors = []
        holds: tuple[str, ...] = ()
        if area and area.lower() != "other":
            post = Actor(f"coroner-for-{slug(area)}", f"Coroner for {area}", ActorType.POST)
            actors.append(post)
            holds = (post.id,)
        person = Actor(f"coroner-{slug(coroner)}", coroner, ActorType.PERSON, holds=holds)
        return [person, *actors], (person.id,)


def theme_id(iri: str) -> str:
    minted = minted_id(iri)
    if minted is None or minted[0] != "theme":
        raise InvalidInput(f"{iri} is not a theme of the lrkg theme scheme")
    return minted[1]


def _sources(report: _Report) -> list[tuple[str, str]]:
    """One source per page of the report (one page per death), the first called `report`."""
    urls = list(dict.fromkeys(r.get("url") for r in report.records))
    return [("report" if i == 0 else f"report-{i + 1}", url) for i, url in enumerate(urls)]


def _cases(report: _Report, review_id: str, names: list[str]) -> tuple[Case, ...]:
    circumstances = report.first.get("circumstances") or None
    if not names:
        return (Case(review_id, f"The death investigated in PFD report {report.reference or review_id}",
                     circumstances),)
    cases = []
    for name in names:
        record = next(r for r in report.records if _person_named(r.get("url")) == name)
        cases.append(Case(f"{review_id}-{slug(name)}", f"Death of {name}", record.get("circumstances") or None))
    return tuple(cases)


def _and(names: list[str]) -> str:
    return names[0] if len(names) < 2 else f"{', '.join(names[:-1])} and {names[-1]}"
