"""Reading a status from the words of a reply, when the tracker gives the reply but no status.

A reply such as "The Department does not accept this recommendation" says its status plainly;
a tracker that keeps only the reply loses it. The rules below find the phrases that say each
status, and the furthest stage a reply reaches wins (a reply that accepts and reports the work
done is "reported implemented"), except that a refusal outranks an acceptance ("does not accept"
contains "accept") and a part acceptance outranks a whole one.

Every proposal says what made it: the method (`METHOD`, a name with its version, changed
whenever the rules change), the phrase matched, and a score from 0 to 1: the strength of the
phrase, lowered when phrases of other statuses matched too. The importer stores the proposal
beside the status (an `lrkg:StatusProposal`), so a proposed status is never mistaken for a
stated one. A reply nothing matches gets no proposal; it stays "not yet classified".
Accuracy is measured by `bench/eval_status.py` on replies whose status is known.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

METHOD = "status-rules-v1"
"""The name and version of these rules, recorded with every proposal they make."""
STRONG = 0.7
"""Phrases at least this strong say their status outright; weaker ones only when nothing stronger matched."""
CONFLICT_FACTOR = 0.7
"""How much a proposal's score is lowered when phrases of another status matched too."""

_RULES: tuple[tuple[str, float, str], ...] = (
    # (status, strength, pattern); statuses in order of precedence
    ("rejected", 0.9, r"\b(does|do|did|will) not (accept|agree|support|intend to act|take (it|this) forward|be implementing)"
                      r"|\bnot (accepted|agreed)\b|\breject(s|ed)?\b|\bdeclined?\b|\bdisagrees?\b"
                      r"|\bdecided not to\b|\bno (further )?action will be taken\b|\bwill not act\b"),
    ("rejected", 0.6, r"\bnot (be )?(necessary|proportionate|appropriate|feasible|needed)\b|\bno change is (needed|necessary)\b"),
    ("accepted-in-part", 0.9, r"\b(accept(s|ed)?|agree(s|d)?)( with)?( this| the)?( recommendation)? in part\b"
                              r"|\bpart(ial)?ly accepted\b|\bpartly\b|\bparts? \(?\w\)? (and \(?\w\)? )?of\b"
                              r"|\bin principle\b|\b(intent|spirit|aim) of the recommendation\b"
                              r"|\bagree(s|d)? with part\b|\balternative (approach|means|action)\b"
                              r"|\b(accept|agree)\w*\b[^.]*\bbut not\b"),
    ("reported-implemented", 0.9, r"\b(fully |been )implemented\b|\bimplemented in full\b|\bnow (in place|complete|in use)\b"
                                  r"|\bhas been (introduced|installed|completed|published|put in place|delivered)\b"
                                  r"|\b(have|has) (now )?(installed|introduced|published|completed|updated|revised)\b"
                                  r"|\bwas (published|introduced|installed|changed)\b|\bwere (installed|introduced)\b"
                                  r"|^complete\b|\ball actions are complete\b|\bnow (also )?(receive|sent|send|posts?)\b"
                                  r"|\bin place since\b"),
    ("in-progress", 0.8, r"\b(is|are) being (piloted|developed|rewritten|drafted|updated|rolled out|reviewed and updated)\b"
                         r"|\bunder way\b|\bunderway\b|\bongoing\b|\bin progress\b|\bon track\b|\bwork (has started|is continuing)\b"
                         r"|\b(is|are) (developing|rolling out|training|drafting|updating)\b|\bprogress has been made\b"
                         r"|\bcontinues? to\b|\bso far\b|\bdraft is expected\b"),
    ("accepted", 0.9, r"\baccept(s|ed)? (this|the) recommendation\b|\bwe accept\b|\baccepted\b|\bagree(s|d)? (with )?"
                      r"(this|the) recommendation\b|\bagreed\b|\bagrees\b|\bwelcomes? (the|this) recommendation\b"
                      r"|\b(fully )?supports? (this|the) recommendation\b|\bhas agreed to\b|\baccepts\b"),
    ("under-consideration", 0.8, r"\bconsider(ing|ed|ation)\b|\bwill (consult|respond|reply|decide)\b|\breviewing\b"
                                 r"|\bawait(ing|ed)\b|\byet to (respond|reply|decide)\b|\bno (response|reply)\b"
                                 r"|\bdecision will be made\b|\bnot yet (responded|replied)\b"),
)
_COMPILED = tuple((status, strength, re.compile(pattern, re.IGNORECASE)) for status, strength, pattern in _RULES)
_PRECEDENCE = tuple(dict.fromkeys(status for status, _, _ in _RULES))


@dataclass(frozen=True)
class StatusProposal:
    """A status read from a reply: which, how strongly, by what method, and the phrase that said it."""

    status: str
    score: float
    method: str
    evidence: str


def propose_status(reply: str) -> StatusProposal | None:
    """The status the reply's words say, or None when no rule matches."""
    found: dict[str, tuple[float, str]] = {}
    for status, strength, pattern in _COMPILED:
        match = pattern.search(reply)
        if match and strength > found.get(status, (0.0, ""))[0]:
            found[status] = (strength, match.group(0))
    strong = {s: found[s] for s in found if found[s][0] >= STRONG}
    found = strong or found  # a weak phrase ("not needed") counts only when nothing stronger matched
    if not found:
        return None
    status = next(s for s in _PRECEDENCE if s in found)
    strength, phrase = found[status]
    others = [s for s in found if s != status and not _compatible(status, s)]
    score = strength * (CONFLICT_FACTOR if others else 1.0)
    return StatusProposal(status, round(score, 2), METHOD, phrase)


def _compatible(status: str, other: str) -> bool:
    """Whether a reply can say both: accepting, and then the work done or under way."""
    return {status, other} <= {"accepted", "in-progress", "reported-implemented"}
