"""A status read from a reply's words (issue 16, item 2): the rules, their precedence, their
provenance, and the shapes that keep a proposed status from passing as a stated one."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, Quad

from graph.ingestion.status_proposal import METHOD, propose_status
from graph.store.errors import ValidationFailed
from graph.store.validation import ShapesValidator
from graph.vocabulary.namespaces import LRKG, minted_iri

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(("reply", "status"), [
    ("The Department accepts this recommendation.", "accepted"),
    ("The Department does not accept this recommendation.", "rejected"),  # "accept" inside a refusal
    ("We accept this recommendation in part; the rest is not needed.", "accepted-in-part"),
    ("We accept the recommendation and have now published the guidance.", "reported-implemented"),
    ("Work is under way to update the guidance.", "in-progress"),
    ("The Board is considering the recommendation.", "under-consideration"),
    ("No response has been received.", "under-consideration"),
])
def test_a_reply_says_its_status(reply: str, status: str) -> None:
    proposal = propose_status(reply)
    assert proposal is not None and (proposal.status, proposal.method) == (status, METHOD)
    assert 0 < proposal.score <= 1 and proposal.evidence.lower() in reply.lower()


def test_a_reply_that_says_two_things_scores_lower_and_one_that_says_nothing_gets_nothing() -> None:
    plain, mixed = propose_status("We accept this recommendation."), propose_status(
        "We accept this recommendation but are still considering how.")
    assert plain is not None and mixed is not None and mixed.status == "accepted" and mixed.score < plain.score
    assert propose_status("See the attached letter.") is None


def proposal_quads(proposed: str, stated: str) -> list[Quad]:
    graph = NamedNode(minted_iri("review", "t"))
    response, node = NamedNode(minted_iri("response", "t-r1-reply-undated")), NamedNode(
        minted_iri("status-proposal", "t-r1-reply-undated"))
    return [
        Quad(response, NamedNode(str(LRKG.status)), NamedNode(minted_iri("status", stated)), graph),
        Quad(response, NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), NamedNode(str(LRKG.Response)), graph),
        Quad(response, NamedNode(str(LRKG.statusProposal)), node, graph),
        Quad(node, NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), NamedNode(str(LRKG.StatusProposal)),
             graph),
        Quad(node, NamedNode(str(LRKG.proposedStatus)), NamedNode(minted_iri("status", proposed)), graph),
        Quad(node, NamedNode(str(LRKG.proposalMethod)), Literal(METHOD), graph),
        Quad(node, NamedNode(str(LRKG.proposalScore)),
             Literal("1.5", datatype=NamedNode("http://www.w3.org/2001/XMLSchema#decimal")), graph),
        Quad(node, NamedNode("http://www.w3.org/ns/prov#wasAttributedTo"),
             NamedNode("https://w3id.org/lrkg/id/software/lrkg-importer"), graph),
    ]


def test_the_shapes_refuse_a_proposal_the_response_does_not_state_and_a_score_above_one(
    validator: ShapesValidator
) -> None:
    with pytest.raises(ValidationFailed) as failed:
        validator.check("t", proposal_quads("accepted", "rejected"))
    messages = " ".join(str(v) for v in failed.value.violations)
    assert "states the proposed status as its lrkg:status" in messages
    assert "lrkg:proposalScore, an xsd:decimal from 0 to 1" in messages


def test_the_bench_prints_the_rules_beside_their_baselines() -> None:
    bench = ROOT / "bench" / "eval_status.py"
    printed = subprocess.run([sys.executable, str(bench)], capture_output=True, text=True, check=True, timeout=120).stdout
    rows = [line.split()[0] for line in printed.splitlines() if line.startswith(("status-rules", "majority", "keyword"))]
    assert rows == [METHOD, "majority", "keyword"]
    assert printed.startswith("Held-out replies: 37 (dev, read while writing the rules: 40)")
