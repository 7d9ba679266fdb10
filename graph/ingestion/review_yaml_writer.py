"""A review document written out as a review file in YAML, for `lrkg export`.

The file reads back, with `graph.ingestion.review_yaml.read_review`, to the same document. Keys come in
the order of `KEYS_BY_PART`; empty values are left out; an excerpt cited once is written where
it is cited, and one cited more than once goes in `excerpts:` and is cited by id.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from graph.ingestion.review_document import REVIEW_EXCERPT_OWNER, Recommendation, ReviewDocument, response_key
from graph.ingestion.review_yaml import KEYS_BY_PART

PLURAL_KEYS = frozenset({"authors", "commissioned_by", "examines", "themes", "implicates", "owners", "addressees",
                         "addresses", "involves", "also_known_as"})
"""Keys whose values are written as a list even when there is one; the others take one value alone."""


def write_review(document: ReviewDocument, *, heading: str = "") -> str:
    """The document as a review file that `read_review` reads back to the same document.

    An excerpt cited once is written where it is cited (with its id only when that is not the
    one reading would mint); an excerpt cited more than once goes in `excerpts:` and is cited by id.
    """
    parts = _Parts(document).all()
    text = yaml.dump(parts, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)
    comment = "".join(f"# {line}".rstrip() + "\n" for line in heading.splitlines())
    return comment + _spaced(text)


class _Parts:
    """The document as plain mappings and lists, keys in the order of `KEYS_BY_PART`."""

    def __init__(self, document: ReviewDocument) -> None:
        self.document = document
        owners = document.excerpt_owners()
        self.excerpts = {e.id: e for e in document.excerpts}
        self.in_place = {excerpt_id for excerpt_id, cited_by in owners.items() if len(cited_by) == 1}

    def all(self) -> dict[str, Any]:
        document = self.document
        parts: dict[str, Any] = {"review": self.review()}
        parts["cases"] = [
            _part("case", {**c.__dict__, "subject": c.subjects, "victim": c.victims}) for c in document.cases
        ]
        parts["sources"] = [_part("source", s.__dict__) for s in document.sources]
        parts["actors"] = [_part("actor", {**a.__dict__, "type": a.type.value}) for a in document.actors]
        parts["findings"] = [self.with_evidence("finding", f.__dict__, f.id) for f in document.findings]
        parts["recommendations"] = [self.recommendation(r) for r in document.recommendations]
        parts["events"] = [self.with_evidence("event", {**e.__dict__, "case": e.cases}, e.id) for e in document.events]
        parts["positions"] = [self.with_evidence("position", p.__dict__, p.id) for p in document.positions]
        parts["excerpts"] = [_part("excerpt", e.__dict__) for e in document.excerpts if e.id not in self.in_place]
        return {key: value for key, value in parts.items() if value}

    def review(self) -> dict[str, Any]:
        review = self.document.review
        values = {**review.__dict__, "publisher": review.publishers}
        values["label"] = review.label if review.label != review.title else None
        values["language"] = review.language if review.language != "en" else None
        return self.with_evidence("review", values, REVIEW_EXCERPT_OWNER)

    def recommendation(self, recommendation: Recommendation) -> dict[str, Any]:
        responses = []
        for response in recommendation.responses:
            given_id = None if response.id == response.status else response.id
            values = {**response.__dict__, "source": response.sources, "id": given_id}
            responses.append(self.with_evidence("response", values, response_key(recommendation.id, response.id)))
        values = {**recommendation.__dict__, "responses": responses}
        return self.with_evidence("recommendation", values, recommendation.id)

    def with_evidence(self, part: str, values: dict[str, Any], owner: str) -> dict[str, Any]:
        items: list[Any] = []
        for excerpt_id in values.get("evidence", ()):
            if excerpt_id in self.in_place and excerpt_id in self.excerpts:
                minted = f"{owner}-x{sum(isinstance(item, dict) for item in items) + 1}"
                excerpt = self.excerpts[excerpt_id]
                items.append(_part("excerpt", {**excerpt.__dict__, "id": None if excerpt.id == minted else excerpt.id}))
            else:
                items.append(excerpt_id)
        evidence = items if any(isinstance(item, dict) for item in items) else _Flow(items)
        return _part(part, {**values, "evidence": evidence})


def _part(part: str, values: dict[str, Any]) -> dict[str, Any]:
    """The values a part of the file has, in the order of its keys, empty ones left out."""
    written: dict[str, Any] = {}
    for key in KEYS_BY_PART[part]:
        value = values.get(key)
        if value is None or value is False or value == () or value == []:
            continue
        if isinstance(value, tuple):
            value = _Flow(value) if key in PLURAL_KEYS or len(value) > 1 else value[0]
        written[key] = value
    return written


class _Flow(list[str]):
    """A short list of ids written on one line: [a, b]."""


class _Dumper(yaml.SafeDumper):  # type: ignore[misc]
    """Lists indented under their key, short lists of ids on one line, no anchors."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)

    def ignore_aliases(self, data: Any) -> bool:
        return True


_Dumper.add_representer(
    _Flow, lambda dumper, data: dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True)
)


def _spaced(text: str) -> str:
    """A blank line before each part of the file and each item of a part, for reading."""
    lines = text.splitlines()
    spaced: list[str] = []
    for index, line in enumerate(lines):
        starts_part = index > 0 and re.match(r"^[a-z_]+:", line)
        starts_item = re.match(r"^  - ", line) and not re.match(r"^[a-z_]+:", lines[index - 1])
        if starts_part or starts_item:
            spaced.append("")
        spaced.append(line)
    return "\n".join(spaced) + "\n"
