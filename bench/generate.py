"""A synthetic corpus shaped like the real one, for measuring lrkg at national scale.

One Turtle file per review, as in data/*.ttl, so that `lrkg load DIR` takes it as it takes the
curated reviews: reviews of every kind (coroners' reports most of all, as in the PFD import),
findings whose themes come from ontology/themes.ttl with a Zipf-like skew (a few themes, such as
communication and information sharing, are everywhere; most are rare), recommendations with
owners and response histories (statuses from ontology/statuses.ttl, in a plausible order, dated
or only bounded by lrkg:notBefore), actors reused across reviews (each file describes the actors
it names, as the shapes ask), dated events, and excerpts of the sources with exact words or a
paraphrase. Every file conforms to ontology/shapes.ttl.

The same seed and size give the same bytes. Sizes are approximate triple counts:

    .venv/bin/python bench/generate.py --size 100k --out bench/out/corpus-100k
"""

from __future__ import annotations

import argparse
import random
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from pyoxigraph import NamedNode, RdfFormat, parse

ONTOLOGY = Path(__file__).resolve().parent.parent / "ontology"
SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000, "5m": 5_000_000}
SKOS = "http://www.w3.org/2004/02/skos/core#"
THEME_BASE = "https://w3id.org/lrkg/id/theme/"
THEMES_SCHEME = "https://w3id.org/lrkg/ns#Themes"

PREFIXES = {
    "lrkg": "https://w3id.org/lrkg/ns#",
    **{kind: f"https://w3id.org/lrkg/id/{kind}/" for kind in (
        "review", "finding", "recommendation", "response", "excerpt", "source", "actor", "event", "case",
        "polarity", "theme", "status")},
    "kind": "https://w3id.org/lrkg/id/review-kind/",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "org": "http://www.w3.org/ns/org#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "oa": "http://www.w3.org/ns/oa#",
    "skos": SKOS,
}
HEADER = "".join(f"@prefix {name}: <{iri}> .\n" for name, iri in PREFIXES.items())

# ------------------------------------------------------------------ what reviews are like

KINDS = (  # review kind, short code, share of reviews, title pattern, findings, recommendations
    ("prevention-of-future-deaths-report", "pfd", 40, "Prevention of future deaths report: {person}", (2, 5), (1, 3)),
    ("domestic-homicide-review", "dhr", 18, "Domestic homicide review: {person} ({place})", (6, 16), (4, 12)),
    ("safeguarding-adults-review", "sar", 14, "Safeguarding adults review: {person} ({place})", (6, 16), (4, 12)),
    ("child-safeguarding-practice-review", "cspr", 16, "Child safeguarding practice review: Child {letter} ({place})",
     (6, 18), (4, 14)),
    ("prevent-learning-review", "plr", 4, "Prevent learning review: {place}", (5, 14), (3, 10)),
    ("independent-review", "ir", 4, "Independent review of {subject} in {place}", (10, 24), (6, 16)),
    ("commissioners-report", "cr", 2, "Commissioner's report on {subject}", (8, 20), (4, 12)),
    ("public-inquiry", "pi", 2, "Public inquiry into {subject} in {place}", (14, 30), (8, 20)),
)
PLACES = (
    "Leeds", "Bristol", "Norfolk", "Kent", "Cumbria", "Lancashire", "Birmingham", "Sheffield", "Devon", "Essex",
    "Hampshire", "Suffolk", "Nottingham", "Derby", "Coventry", "Wigan", "Oldham", "Bolton", "Sunderland", "Durham",
    "Cornwall", "Surrey", "Croydon", "Lambeth", "Hackney", "Camden", "Southwark", "Newham", "Luton", "Reading",
    "Oxford", "Cambridge", "Lincoln", "York", "Hull", "Bradford", "Wakefield", "Stockport", "Salford", "Rochdale",
    "Plymouth", "Exeter", "Swindon", "Gloucester", "Worcester", "Hereford", "Shropshire", "Stoke", "Walsall",
    "Dudley", "Wolverhampton", "Leicester", "Northampton", "Milton Keynes", "Peterborough", "Ipswich", "Medway",
    "Brighton", "Southampton", "Portsmouth",
)
GIVEN = ("Adam", "Amira", "Ben", "Chloe", "Daniel", "Ella", "Farah", "George", "Hannah", "Imran", "Jade", "Kieran",
         "Leah", "Mohammed", "Nadia", "Owen", "Priya", "Ryan", "Sophie", "Tom", "Yasmin", "Zoe")
FAMILY = ("Ahmed", "Baker", "Clarke", "Davies", "Evans", "Fletcher", "Green", "Hughes", "Iqbal", "Jones", "Khan",
          "Lewis", "Morgan", "Nolan", "Owens", "Patel", "Quinn", "Roberts", "Singh", "Taylor", "Walker", "Young")
SUBJECTS = ("child protection services", "mental health services", "the handling of referrals", "care homes",
            "youth offending services", "hospital discharge", "the response to domestic abuse", "prison healthcare")
AGENCY_KINDS = ("Police", "County Council", "Children's Social Care", "Adult Social Care", "NHS Foundation Trust",
                "Clinical Commissioning Group", "Safeguarding Partnership", "Probation Service", "Housing Association",
                "Ambulance Service", "Mental Health Trust", "Community Safety Partnership")
NATIONAL_ACTORS = ("Home Office", "Department for Education", "Department of Health and Social Care",
                   "NHS England", "Ministry of Justice", "Counter Terrorism Policing", "Ofsted", "Care Quality Commission",
                   "College of Policing", "HM Prison and Probation Service", "Local Government Association",
                   "Department for Work and Pensions")

PROBLEMS = {  # top theme: (what went wrong, as a finding's label, "{agency}" and "{person}" filled in)
    "communication": ("Concerns not passed on to {agency}", "No one told {agency} about the change of plan",
                      "Messages between agencies went unanswered", "The family were not told what was decided"),
    "information-sharing": ("Information about risk not shared with {agency}", "Records not shared before the meeting",
                            "Consent was wrongly thought to bar sharing", "Warnings held by {agency} never reached the panel"),
    "roles-and-responsibilities": ("No lead agency for {person}'s care", "Unclear who should act on the referral",
                                   "{agency} assumed another agency was responsible"),
    "risk-and-vulnerability-assessment": ("Risk to {person} underestimated", "Assessment ignored earlier incidents",
                                          "Vulnerability not recognised by {agency}", "Risk assessment not updated"),
    "case-management": ("Case closed too early by {agency}", "Repeat referrals treated as new",
                        "No review after the plan ended", "Thresholds applied too rigidly"),
    "record-keeping": ("Decisions not recorded by {agency}", "Case notes incomplete", "Rationale for closure missing"),
    "it-systems-and-data-quality": ("{person}'s name misspelt on a database", "Two systems held different addresses",
                                    "Alerts lost when records moved between systems"),
    "data-retention": ("Earlier records deleted before the review", "Records kept longer than policy allowed"),
    "intervention-delivery": ("Support offered was not taken up", "Intervention ended without an exit plan",
                              "Waiting list delayed support for {person}"),
    "training-and-guidance": ("Staff at {agency} untrained in the guidance", "Guidance out of date",
                              "Policy not followed when the risk rose"),
    "professional-curiosity": ("Lack of professional curiosity about {person}", "Explanations accepted at face value",
                               "No one asked why {person} missed appointments"),
    "oversight-and-governance": ("Supervision did not challenge the decision", "Board did not check actions were done",
                                 "No quality assurance of assessments at {agency}"),
    "online-harms": ("Online activity not considered", "Harmful content seen online was not explored"),
    "voice-of-the-person": ("{person}'s wishes not heard", "Family concerns dismissed by {agency}",
                            "No one spoke to {person} alone"),
    "physical-environment": ("Unsafe layout of the ward", "Poor lighting on the route", "Repairs left undone"),
    "staffing-and-workload": ("Too few staff on the ward that night", "{agency}'s caseloads far above the safe level"),
    "waiting-and-delays": ("{person} waited months for an assessment", "Referral to {agency} delayed by a backlog"),
    "transitions-between-services": ("No plan for {person}'s move to adult services", "Care lapsed between {agency} and the next service"),
    "observation-and-monitoring": ("Observations of {person} not carried out as planned", "Checks recorded but not made"),
    "specialist-provision": ("No specialist service for {person}'s needs", "{agency} had no specialist to refer to"),
    "emergency-response": ("Ambulance response delayed", "Call handler at {agency} misjudged the urgency"),
    "unclassified": ("Matters outside the terms of reference",),
}
"""Every top theme of ontology/themes.ttl has phrases here; a new top theme needs a line."""
GOOD = ("Prompt response by {agency}", "Good joint working between agencies", "Clear record of the decision",
        "{agency} kept the family informed", "Persistent efforts to engage {person}")
ACTIONS = ("should make sure that", "must review how", "should issue guidance so that", "should audit whether",
           "should train staff so that", "should agree a protocol so that")
OUTCOMES = ("concerns are shared with every agency involved", "risk is reassessed after each new incident",
            "cases are not closed before a multi-agency review", "records state the reason for each decision",
            "families are told what is decided and why", "repeat referrals are seen together",
            "staff know when to escalate", "the person's own account is sought and recorded")
CONTEXT = ("In the months before the death,", "During the period under review,", "At the strategy meeting,",
           "When the second referral arrived,", "After the move to a new address,", "Throughout the contact,")
DETAIL = ("the agencies involved held different pieces of the picture", "no single professional saw the whole history",
          "the pressure of workload left little time for follow-up", "the guidance in force did not cover the situation",
          "earlier concerns were not linked to the new information", "the person was described as hard to engage")
EVENTS = ("Referral to {agency}", "Strategy meeting held", "Home visit by {agency}", "Case closed by {agency}",
          "Attendance at the emergency department", "Missed appointment", "Assessment completed by {agency}",
          "Police called to the address", "Discharge from hospital", "Move to a new address")
RESPONSE_PATHS = (  # statuses of a recommendation's responses, in order
    ("accepted",), ("accepted", "in-progress"), ("accepted", "in-progress", "reported-implemented"),
    ("accepted", "reported-implemented", "verified-implemented"), ("accepted-in-part", "in-progress"),
    ("under-consideration",), ("rejected",), ("accepted", "not-started"), ("accepted", "superseded"),
)
POLARITIES = ("shortcoming",) * 7 + ("good-practice", "good-practice", "improvement", "observation")


def _themes() -> tuple[list[str], dict[str, str]]:
    """The theme scheme's concepts (by slug) and the top theme each falls under. The file also
    describes the classes of outside frameworks the themes map to: those are not themes."""
    quads = list(parse(path=str(ONTOLOGY / "themes.ttl"), format=RdfFormat.TURTLE))
    in_scheme = NamedNode(SKOS + "inScheme")
    broader = NamedNode(SKOS + "broader")
    themes = NamedNode(THEMES_SCHEME)
    slugs = sorted(q.subject.value.removeprefix(THEME_BASE) for q in quads if q.predicate == in_scheme and q.object == themes)
    parent = {q.subject.value.removeprefix(THEME_BASE): q.object.value.removeprefix(THEME_BASE)
              for q in quads if q.predicate == broader and q.subject.value.startswith(THEME_BASE)}

    def top(slug: str) -> str:
        while slug in parent:
            slug = parent[slug]
        return slug

    return slugs, {slug: top(slug) for slug in slugs}


def _literal(text: str, language: str | None = "en") -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"@{language}' if language else f'"{escaped}"'


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _typed(value: str, datatype: str) -> str:
    return f'"{value}"^^xsd:{datatype}'


@dataclass
class _File:
    """The Turtle of one review, and how many triples it holds."""

    blocks: list[str] = field(default_factory=list)
    triples: int = 0

    def describe(self, subject: str, statements: Sequence[tuple[str, str | Sequence[str]]]) -> None:
        lines = []
        for predicate, objects in statements:
            values = [objects] if isinstance(objects, str) else list(objects)
            if values:
                lines.append(f"    {predicate} {' , '.join(values)}")
                self.triples += len(values)
        self.blocks.append(subject + "\n" + " ;\n".join(lines) + " .\n")

    def text(self, comment: str) -> str:
        return HEADER + f"\n# {comment}\n\n" + "\n".join(self.blocks)


class Corpus:
    """Reviews made one at a time from one seeded random generator."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.themes, self.top_theme = _themes()
        order = self.themes[:]
        self.rng.shuffle(order)
        self.theme_order = order
        self.theme_weights = [1 / (rank + 1) ** 1.1 for rank in range(len(order))]
        self.kind_weights = [kind[2] for kind in KINDS]
        local = [f"{place} {agency}" for place in PLACES for agency in AGENCY_KINDS]
        self.actors = list(NATIONAL_ACTORS) + local
        self.actor_weights = [8.0] * len(NATIONAL_ACTORS) + [1.0] * len(local)

    def theme(self) -> str:
        return self.rng.choices(self.theme_order, self.theme_weights)[0]

    def reviews(self) -> Iterator[tuple[str, _File]]:
        number = 0
        while True:
            number += 1
            yield self.review(number)

    def review(self, number: int) -> tuple[str, _File]:  # noqa: PLR0915 - one review, read top to bottom
        rng = self.rng
        kind, code, _, pattern, finding_range, recommendation_range = rng.choices(KINDS, self.kind_weights)[0]
        place = rng.choice(PLACES)
        person = f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"
        title = pattern.format(person=person, place=place, letter=chr(65 + rng.randrange(26)),
                               subject=rng.choice(SUBJECTS))
        slug = f"{code}-{number:06d}"
        issued = date(2008, 1, 1) + timedelta(days=int(rng.triangular(0, 6200, 6200)))
        out = _File()
        review = f"review:{slug}"
        sources = [f"source:{slug}-report"] + [f"source:{slug}-response-{n}" for n in range(1, rng.randint(1, 3))]
        local = [self.actors[i] for i in sorted({rng.choices(range(len(self.actors)), self.actor_weights)[0]
                                                   for _ in range(rng.randint(4, 9))})]
        named = {name: f"actor:{_slug(name)}" for name in [*local, "lrkg curators"]}
        involved = [named[name] for name in local]

        out.describe(review, [
            ("a", "lrkg:Review"), ("rdfs:label", _literal(title)), ("dcterms:title", _literal(title)),
            ("dcterms:description", _literal(f"A {kind.replace('-', ' ')} into events in {place}.")),
            ("lrkg:reviewKind", f"kind:{kind}"), ("dcterms:issued", _typed(issued.isoformat(), "date")),
            ("lrkg:commissionedBy", rng.choice(involved)), ("dcterms:source", sources),
            ("lrkg:curatedBy", named["lrkg curators"]), ("lrkg:curatedOn", _typed("2026-01-15", "date")),
        ])
        for n, source in enumerate(sources):
            out.describe(source, [
                ("a", "lrkg:SourceDocument"),
                ("dcterms:title", _literal(title if n == 0 else f"Response {n} to the {title}")),
                ("dcterms:issued", _typed((issued + timedelta(days=60 * n)).isoformat(), "date")),
                ("foaf:page", f"<https://reviews.example.org/{slug}/{n}.pdf>"),
            ])
        for name, actor in named.items():
            out.describe(actor, [("a", ["lrkg:Actor", "org:Organization"]), ("rdfs:label", _literal(name))])

        excerpts = 0

        def excerpt(text: str) -> str:
            nonlocal excerpts
            excerpts += 1
            node = f"excerpt:{slug}-x{excerpts}"
            words = ("oa:exact", _literal(text, None)) if rng.random() < 0.6 else ("lrkg:paraphrase", _literal(text))
            out.describe(node, [("a", "lrkg:Excerpt"), ("dcterms:source", rng.choice(sources)), words])
            return node

        findings = []
        for n in range(1, rng.randint(*finding_range) + 1):
            node = f"finding:{slug}-f{n}"
            themes = sorted({self.theme() for _ in range(rng.choice((1, 1, 2, 2, 3)))})
            polarity = rng.choice(POLARITIES)
            agency = rng.choice(local)
            phrases = GOOD if polarity == "good-practice" else PROBLEMS[self.top_theme[themes[0]]]
            label = rng.choice(phrases).format(agency=agency, person=person)
            text = f"{rng.choice(CONTEXT)} {rng.choice(DETAIL)}. {label}."
            findings.append((node, themes))
            out.describe(node, [
                ("a", "lrkg:Finding"), ("lrkg:inReview", review), ("rdfs:label", _literal(label)),
                ("dcterms:description", _literal(text)), ("lrkg:polarity", f"polarity:{polarity}"),
                ("lrkg:theme", [f"theme:{t}" for t in themes]),
                ("lrkg:implicates", sorted({named[agency], rng.choice(involved)})),
                ("lrkg:evidence", excerpt(f"{rng.choice(DETAIL).capitalize()}, and {label.lower()}.")),
            ])

        for n in range(1, rng.randint(*recommendation_range) + 1):
            node = f"recommendation:{slug}-r{n}"
            addressed = rng.sample(findings, min(len(findings), rng.choice((1, 1, 2, 3))))
            owner = rng.choice(involved)
            outcome = rng.choice(OUTCOMES)
            statements: list[tuple[str, str | Sequence[str]]] = [
                ("a", "lrkg:Recommendation"), ("skos:notation", _literal(f"R{n}", None)),
                ("lrkg:inReview", review), ("rdfs:label", _literal(f"R{n}: {outcome[0].upper()}{outcome[1:]}")),
                ("dcterms:description", _literal(f"{rng.choice(local)} {rng.choice(ACTIONS)} {outcome}.")),
                ("lrkg:owner", sorted({owner, rng.choice(involved)})),
                ("lrkg:addresses", sorted(f for f, _ in addressed)),
            ]
            if rng.random() < 0.3:
                statements.append(("lrkg:theme", f"theme:{addressed[0][1][0]}"))
            if kind == "prevention-of-future-deaths-report":
                statements.append(("lrkg:responseDue", _typed((issued + timedelta(days=56)).isoformat(), "date")))
            out.describe(node, statements)
            day = issued
            for step, status in enumerate(rng.choice(RESPONSE_PATHS) if rng.random() < 0.85 else ()):
                day += timedelta(days=rng.randint(20, 400))
                when = ("dcterms:date" if step == 0 or rng.random() < 0.7 else "lrkg:notBefore", day.isoformat())
                out.describe(f"response:{slug}-r{n}-{status}", [
                    ("a", "lrkg:Response"), ("lrkg:respondsTo", node), ("lrkg:status", f"status:{status}"),
                    (when[0], _typed(when[1], "date")), ("prov:wasAttributedTo", owner),
                    ("dcterms:source", rng.choice(sources)),
                ])

        day = issued - timedelta(days=rng.randint(200, 1500))
        for n in range(1, rng.randint(2, 8) + 1):
            day += timedelta(days=rng.randint(5, 120))
            agency = rng.choice(local)
            label = rng.choice(EVENTS).format(agency=agency)
            precise = rng.random() < 0.8
            out.describe(f"event:{slug}-e{n}", [
                ("a", "lrkg:Event"), ("rdfs:label", _literal(label)), ("lrkg:inReview", review),
                ("dcterms:date", _typed(day.isoformat(), "date") if precise else _typed(day.strftime("%Y-%m"), "gYearMonth")),
                ("lrkg:involves", named[agency]),
                ("lrkg:evidence", excerpt(f"{label} on {day.strftime('%d %B %Y')}.")),
            ])
        return slug, out


def generate(size: int, folder: Path, seed: int = 1) -> tuple[int, int]:
    """Write reviews into `folder` until they hold about `size` triples; (files, triples) written."""
    folder.mkdir(parents=True, exist_ok=True)
    files = triples = 0
    for slug, review in Corpus(seed).reviews():
        if triples >= size:
            break
        (folder / f"{slug}.ttl").write_text(review.text(f"Synthetic review {slug} (bench/generate.py)"), "utf-8")
        files += 1
        triples += review.triples
    return files, triples


def size_of(text: str) -> int:
    """A size given as 10k, 100k, 1m, 5m, or a number of triples."""
    return SIZES.get(text.lower()) or int(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="10k", help="about how many triples: 10k, 100k, 1m, 5m or a number")
    parser.add_argument("--out", type=Path, required=True, help="folder to write the review files into")
    parser.add_argument("--seed", type=int, default=1)
    arguments = parser.parse_args()
    files, triples = generate(size_of(arguments.size), arguments.out, arguments.seed)
    print(f"{files} reviews, {triples} triples in {arguments.out}")


if __name__ == "__main__":
    main()
