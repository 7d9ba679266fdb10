"""How often is the status read from a reply the status a person gives it?

Measured on `bench/data/status_replies.csv` (made up, in the style of public bodies' replies;
see `bench/data/status_replies.md`): the rules of `graph/ingestion/status_proposal.py` were
written reading the `dev` replies only, and every figure below is on the `held-out` replies,
beside two baselines run on the same replies in the same run:

* majority: every reply gets the status commonest among the dev replies;
* keyword: the status whose label or other label (ontology/statuses.ttl) appears in the
  reply word for word, the longest such name winning; none when no name appears.

For each method: accuracy over all held-out replies (no proposal counts as wrong), coverage
(the share given a proposal), and accuracy over the replies given one; then the rules' recall
per status, and the replies the rules get wrong.

    .venv/bin/python bench/eval_status.py
"""

from __future__ import annotations

import csv
import re
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import rdflib  # noqa: E402
from rdflib.namespace import RDF, SKOS  # noqa: E402

from graph.ingestion.status_proposal import METHOD, propose_status  # noqa: E402

DATA = ROOT / "bench" / "data" / "status_replies.csv"
LRKG_STATUS = rdflib.URIRef("https://w3id.org/lrkg/ns#Status")
Method = Callable[[str], str | None]


def load(split: str) -> list[tuple[str, str]]:
    """(reply, status) of the replies in `split`."""
    with DATA.open(encoding="utf-8", newline="") as handle:
        return [(row["reply"], row["status"]) for row in csv.DictReader(handle) if row["split"] == split]


def keyword_method() -> Method:
    statuses = rdflib.Graph().parse(ROOT / "ontology" / "statuses.ttl")
    names: list[tuple[str, str]] = []
    for concept in statuses.subjects(RDF.type, LRKG_STATUS):
        for label in [*statuses.objects(concept, SKOS.prefLabel), *statuses.objects(concept, SKOS.altLabel)]:
            names.append((str(label).lower(), str(concept).rsplit("/", 1)[1]))
    names.sort(key=lambda item: -len(item[0]))

    def keyword(reply: str) -> str | None:
        lower = reply.lower()
        return next((status for name, status in names if re.search(rf"\b{re.escape(name)}\b", lower)), None)

    return keyword


def rules(reply: str) -> str | None:
    proposal = propose_status(reply)
    return proposal.status if proposal else None


def main() -> None:
    dev, held_out = load("dev"), load("held-out")
    majority = Counter(status for _, status in dev).most_common(1)[0][0]
    methods: dict[str, Method] = {METHOD: rules, f"majority ({majority})": lambda _: majority,
                                  "keyword (status names)": keyword_method()}
    print(f"Held-out replies: {len(held_out)} (dev, read while writing the rules: {len(dev)})\n")
    print(f"{'method':<28} {'accuracy':>9} {'coverage':>9} {'acc. when proposed':>19}")
    for name, method in methods.items():
        answers = [(method(reply), status) for reply, status in held_out]
        proposed = [(got, want) for got, want in answers if got is not None]
        accuracy = sum(got == want for got, want in answers) / len(answers)
        coverage = len(proposed) / len(answers)
        when = sum(got == want for got, want in proposed) / len(proposed) if proposed else 0.0
        print(f"{name:<28} {accuracy:>9.1%} {coverage:>9.1%} {when:>19.1%}")
    print(f"\nRecall of {METHOD} by status (held-out):")
    by_status: dict[str, list[bool]] = {}
    for reply, status in held_out:
        by_status.setdefault(status, []).append(rules(reply) == status)
    for status, hits in sorted(by_status.items()):
        print(f"  {status:<22} {sum(hits)}/{len(hits)}")
    wrong = [(reply, status, rules(reply)) for reply, status in held_out if rules(reply) != status]
    print(f"\nWrong ({len(wrong)}):" if wrong else "\nWrong: none.")
    for reply, status, got in wrong:
        print(f"  {status} read as {got}: {reply}")


if __name__ == "__main__":
    main()
