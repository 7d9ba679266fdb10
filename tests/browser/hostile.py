"""A generated review whose every text is an XSS payload, valid against the shapes.

Each payload, if a page ever ran it, would call `window.__xss(n)` (or load something from
outside 127.0.0.1): the browser tests record both and expect neither. The review is built from
pyoxigraph terms and serialised, so the payloads reach the store byte for byte.
"""

from __future__ import annotations

from pathlib import Path

from pyoxigraph import Literal, NamedNode, RdfFormat, Triple, serialize

# `§` stands for the payload's number. Every context a text can land in is covered: element
# content, attributes (quoted either way), URLs, inline scripts and JSON, comments, CDATA,
# templates (server and client side), CSS, and encoded forms that a double decode would arm.
PAYLOAD_TEMPLATES: tuple[str, ...] = (
    "<script>__xss(§)</script>",
    "<img src=x onerror=__xss(§)>",
    "<svg onload=__xss(§)>",
    "<svg><script>__xss(§)</script></svg>",
    '"><img src=x onerror=__xss(§)>',
    "'><img src=x onerror=__xss(§)>",
    "'--><script>__xss(§)</script>",
    "</script><script>__xss(§)</script>",
    "javascript:__xss(§)",
    '<a href="javascript:__xss(§)">click me §</a>',
    "{{7*7}} {{constructor.constructor('__xss(§)')()}}",
    "${__xss(§)} #{__xss(§)} <%= __xss(§) %>",
    '<iframe srcdoc="<script>parent.__xss(§)</script>"></iframe>',
    "<details open ontoggle=__xss(§)>",
    '<div style="background:url(javascript:__xss(§))">x</div><style>@import "javascript:__xss(§)";</style>',
    '<p style="width:expression(__xss(§))">css expression §</p>',
    "<body onload=__xss(§)>",
    "<input autofocus onfocus=__xss(§)>",
    "<video><source onerror=__xss(§)></video>",
    '<object data="javascript:__xss(§)"></object><embed src="javascript:__xss(§)">',
    "<math><mtext><table><mglyph><style><img src=x onerror=__xss(§)>",
    '<noscript><p title="</noscript><img src=x onerror=__xss(§)>">',
    '<!--<img src="--><img src=x onerror=__xss(§)//">',
    "]]><script>__xss(§)</script><![CDATA[",
    "\\u003cimg src=x onerror=__xss(§)\\u003e \\x3cscript\\x3e__xss(§)\\x3c/script\\x3e",
    "&lt;img src=x onerror=__xss(§)&gt; &#60;script&#62;__xss(§)&#60;/script&#62;",
    "%3Cimg%20src%3Dx%20onerror%3D__xss(§)%3E",
    '" onmouseover="__xss(§)" autofocus onfocus="__xss(§)" x="',
    "' onmouseover='__xss(§)' autofocus onfocus='__xss(§)' x='",
    '"; __xss(§); "',
    "'; __xss(§); '",
    '"}]); __xss(§); //',
    "</textarea><script>__xss(§)</script>",
    "</title><script>__xss(§)</script>",
    "<scr<script>ipt>__xss(§)</scr</script>ipt>",
    "<IMG SRC=x OnErRoR=__xss(§)>",
    "<svg><animate onbegin=__xss(§) attributeName=x dur=1s>",
    '<a href="&#106;avascript:__xss(§)">entity link §</a>',
    "<img src=x onerror=__xss&#40;§&#41;>",
    '<base href="javascript:__xss(§)//">',
    '<meta http-equiv="refresh" content="0;url=javascript:__xss(§)">',
    "<form><button formaction=javascript:__xss(§)>go §</button></form>",
    '<img src="http://evil.example/§.png"><link rel=stylesheet href="https://evil.example/§.css">',
    "＜script＞__xss(§)＜/script＞ <scr\u200bipt>__xss(§)</scr\u200bipt> \u202e<img src=x onerror=__xss(§)>",
)
PAYLOADS: tuple[str, ...] = tuple(template.replace("§", str(n)) for n, template in enumerate(PAYLOAD_TEMPLATES))

REVIEW_ID = "zanzibar-hostile-review"
SEARCH_WORD = "zanzibar"
ACTOR_NAME = "Zanzibar Agency"
THEMES = ("communication-with-referrer", "record-keeping", "training")

_ID = "https://w3id.org/lrkg/id/"
_LRKG = "https://w3id.org/lrkg/ns#"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_DCT = "http://purl.org/dc/terms/"
_PROV = "http://www.w3.org/ns/prov#"
_ORG = "http://www.w3.org/ns/org#"
_FOAF = "http://xmlns.com/foaf/0.1/"
_OA = "http://www.w3.org/ns/oa#"
_SKOS = "http://www.w3.org/2004/02/skos/core#"


def iri(kind: str, ident: str) -> str:
    """The IRI the data mints for a resource of `kind` with id `ident`."""
    return f"{_ID}{kind}/{ident}"


def finding_id(n: int) -> str:
    return f"{REVIEW_ID}-f{n}"


def recommendation_id(n: int) -> str:
    return f"{REVIEW_ID}-r{n}"


def actor_id(n: int) -> str:
    return f"{REVIEW_ID}-actor-{n}"


def theme_of(n: int) -> str:
    return THEMES[n % len(THEMES)]


def _iri(kind: str, ident: str) -> NamedNode:
    return NamedNode(iri(kind, ident))


def _en(text: str) -> Literal:
    return Literal(text, language="en")


def _date(text: str) -> Literal:
    return Literal(text, datatype=NamedNode(f"{_XSD}date"))


def hostile_review_triples() -> list[Triple]:
    """The review: one finding, recommendation, actor, excerpt, event and response per payload."""
    a = NamedNode(f"{_RDF}type")
    label, title, description = NamedNode(f"{_RDFS}label"), NamedNode(f"{_DCT}title"), NamedNode(f"{_DCT}description")
    source_of, date = NamedNode(f"{_DCT}source"), NamedNode(f"{_DCT}date")
    in_review = NamedNode(f"{_LRKG}inReview")
    review = _iri("review", REVIEW_ID)
    report, linked_report = _iri("source", f"{REVIEW_ID}-report"), _iri("source", f"{REVIEW_ID}-outside")
    case, board = _iri("case", REVIEW_ID), _iri("actor", f"{REVIEW_ID}-board")
    triples = [
        Triple(review, a, NamedNode(f"{_LRKG}Review")),
        Triple(review, label, _en(f"Zanzibar hostile review {PAYLOADS[4]}")),
        Triple(review, title, Literal(f"Zanzibar hostile review: {PAYLOADS[0]}")),
        Triple(review, description, _en(f"A review made of payloads. {PAYLOADS[1]}")),
        Triple(review, NamedNode(f"{_LRKG}reviewKind"), _iri("review-kind", "prevent-learning-review")),
        Triple(review, NamedNode(f"{_DCT}issued"), _date("2025-06-01")),
        Triple(review, NamedNode(f"{_DCT}publisher"), board),
        Triple(review, source_of, report),
        Triple(review, source_of, linked_report),
        Triple(review, NamedNode(f"{_LRKG}concernsCase"), case),
        Triple(review, NamedNode(f"{_LRKG}curatedBy"), board),
        Triple(report, a, NamedNode(f"{_LRKG}SourceDocument")),
        Triple(report, title, Literal(f"Zanzibar report {PAYLOADS[2]}")),
        Triple(report, NamedNode(f"{_FOAF}page"), NamedNode("javascript:__xss(1000)")),
        Triple(linked_report, a, NamedNode(f"{_LRKG}SourceDocument")),
        Triple(linked_report, title, Literal(f"Zanzibar report elsewhere {PAYLOADS[5]}")),
        Triple(linked_report, NamedNode(f"{_FOAF}page"), NamedNode("https://evil.example/report.pdf")),
        Triple(case, a, NamedNode(f"{_LRKG}Case")),
        Triple(case, label, _en(f"Zanzibar case {PAYLOADS[3]}")),
        Triple(board, a, NamedNode(f"{_LRKG}Actor")),
        Triple(board, a, NamedNode(f"{_ORG}Organization")),
        Triple(board, label, _en(ACTOR_NAME)),
    ]
    for n, payload in enumerate(PAYLOADS):
        finding, recommendation = _iri("finding", finding_id(n)), _iri("recommendation", recommendation_id(n))
        actor, excerpt = _iri("actor", actor_id(n)), _iri("excerpt", f"{REVIEW_ID}-x{n}")
        event, response = _iri("event", f"{REVIEW_ID}-e{n}"), _iri("response", f"{recommendation_id(n)}-accepted")
        quote = NamedNode(f"{_OA}exact") if n % 2 == 0 else NamedNode(f"{_LRKG}paraphrase")
        triples += [
            Triple(actor, a, NamedNode(f"{_LRKG}Actor")),
            Triple(actor, a, NamedNode(f"{_ORG}Organization")),
            Triple(actor, label, _en(payload)),
            Triple(excerpt, a, NamedNode(f"{_LRKG}Excerpt")),
            Triple(excerpt, source_of, report),
            Triple(excerpt, quote, _en(f"Zanzibar excerpt {n}: {payload}")),
            Triple(finding, a, NamedNode(f"{_LRKG}Finding")),
            Triple(finding, in_review, review),
            Triple(finding, label, _en(payload)),
            Triple(finding, description, _en(f"Zanzibar finding {n}: {payload}")),
            Triple(finding, NamedNode(f"{_LRKG}polarity"), _iri("polarity", "shortcoming")),
            Triple(finding, NamedNode(f"{_LRKG}theme"), _iri("theme", theme_of(n))),
            Triple(finding, NamedNode(f"{_LRKG}implicates"), actor),
            Triple(finding, NamedNode(f"{_LRKG}implicates"), board),
            Triple(finding, NamedNode(f"{_LRKG}evidence"), excerpt),
            Triple(recommendation, a, NamedNode(f"{_LRKG}Recommendation")),
            Triple(recommendation, in_review, review),
            Triple(recommendation, NamedNode(f"{_SKOS}notation"), Literal(f"R{n}")),
            Triple(recommendation, label, _en(payload)),
            Triple(recommendation, description, _en(f"Zanzibar recommendation {n}: {payload}")),
            Triple(recommendation, NamedNode(f"{_LRKG}addresses"), finding),
            Triple(recommendation, NamedNode(f"{_LRKG}owner"), actor),
            Triple(response, a, NamedNode(f"{_LRKG}Response")),
            Triple(response, NamedNode(f"{_LRKG}respondsTo"), recommendation),
            Triple(response, NamedNode(f"{_LRKG}status"), _iri("status", "accepted")),
            Triple(response, date, _date("2025-07-01")),
            Triple(response, NamedNode(f"{_PROV}wasAttributedTo"), actor),
            Triple(response, source_of, report),
            Triple(event, a, NamedNode(f"{_LRKG}Event")),
            Triple(event, in_review, review),
            Triple(event, NamedNode(f"{_LRKG}inCase"), case),
            Triple(event, label, _en(payload)),
            Triple(event, date, _date(f"2024-01-{n % 28 + 1:02d}")),
            Triple(event, NamedNode(f"{_LRKG}involves"), actor),
            Triple(event, NamedNode(f"{_LRKG}evidence"), excerpt),
        ]
    return triples


def write_hostile_review(path: Path) -> Path:
    """Write the review as Turtle to `path` and return it."""
    serialize(hostile_review_triples(), path, RdfFormat.TURTLE, prefixes={"lrkg": _LRKG, "rdfs": _RDFS})
    return path
