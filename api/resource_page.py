"""The plain HTML page an IRI of the data answers a browser with: the resource's label, types and
statements, every resource linked. Every text that comes from the data is escaped; every IRI of
the data (`https://w3id.org/lrkg/id/...`) links to its page on this server.
"""

from __future__ import annotations

from html import escape

from api.links import links
from graph.answers.linked_data import compact_iri
from graph.answers.questions import ResourceDescription, Statement
from graph.vocabulary.namespaces import ID_BASE


def local_path(iri: str) -> str | None:
    """Where an IRI can be followed: its /id/ page on this server, the IRI itself on the web,
    or nowhere (a URN, say)."""
    if iri.startswith(ID_BASE):
        return "/id/" + iri[len(ID_BASE):]
    if iri.startswith(("http://", "https://")):
        return iri
    return None


def _link(iri: str, text: str | None = None) -> str:
    shown = escape(text or compact_iri(iri))
    target = local_path(iri)
    if target is None:
        return f'<span title="{escape(iri)}">{shown}</span>'
    return f'<a href="{escape(target)}" title="{escape(iri)}">{shown}</a>'


def _value(statement: Statement) -> str:
    if statement.is_iri:
        return _link(statement.value, statement.value_label)
    return escape(statement.value)


def _rows(statements: list[Statement], incoming: bool) -> str:
    seen: set[tuple[str, str]] = set()
    rows = []
    for statement in statements:
        key = (statement.predicate, statement.value)
        if key in seen:
            continue  # the same statement, held in more than one review's graph
        seen.add(key)
        cells = [_value(statement), _link(statement.predicate)] if incoming else [_link(statement.predicate), _value(statement)]
        rows.append("<tr>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>")
    return "\n".join(rows)


def _table(caption: str, headings: tuple[str, str], statements: list[Statement], incoming: bool) -> str:
    if not statements:
        return ""
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in headings)
    return (
        f"<h2>{escape(caption)}</h2>\n<table>\n<thead><tr>{head}</tr></thead>\n"
        f"<tbody>\n{_rows(statements, incoming)}\n</tbody>\n</table>"
    )


def resource_page(description: ResourceDescription) -> str:
    """The page for one resource, with links to its other representations."""
    iri = description.resource
    title = description.label or compact_iri(iri)
    alternates = links(iri)
    formats = [
        (alternates.get("self"), "application/json", "JSON"),
        (alternates.get("turtle"), "text/turtle", "Turtle"),
        (alternates.get("jsonld"), "application/ld+json", "JSON-LD"),
    ]
    available = [(href, media_type, name) for href, media_type, name in formats if href]
    head_links = "\n".join(
        f'<link rel="alternate" type="{media_type}" href="{escape(href)}">' for href, media_type, _ in available
    )
    also = ", ".join(f'<a href="{escape(href)}">{name}</a>' for href, _, name in available)
    types = ", ".join(_link(t) for t in description.types) or "none given"
    outgoing = [s for s in description.statements if s.direction == "out"]
    incoming = [s for s in description.statements if s.direction == "in"]
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
<title>{escape(title)} · lrkg</title>
{head_links}
</head>
<body>
<main>
<h1>{escape(title)}</h1>
<p><code>{escape(iri)}</code></p>
<p>Type: {types}</p>
<p>Also as {also}.</p>
{_table("Statements", ("Property", "Value"), outgoing, incoming=False)}
{_table("Referred to by", ("Resource", "Property"), incoming, incoming=True)}
</main>
</body>
</html>
"""
