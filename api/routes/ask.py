"""Plain-English questions, answered by the named queries they map to."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Query

from api.deps import StoreDep
from api.params import ConfirmedOnly, MinScore
from graph.analytics.ask_recurrence import ask
from graph.answers.ask import EXAMPLES
from graph.answers.given_themes import ThemeTrust

router = APIRouter(prefix="/api", tags=["Questions"])


@router.get(
    "/ask",
    summary="Ask a question in plain English",
    description=(
        "Maps a question of a kind analysts ask to a named query and answers it: recommendations "
        "addressing a theme, owned by an actor or made by a review, with a latest status (accepted, "
        "rejected, implemented, not yet implemented, with no response, overdue); findings about a theme, "
        "implicating an actor or made by a review (optionally about a theme or an actor); who owns "
        "some recommendations; what recurs across reviews; two reviews compared theme by theme; a "
        "review's timeline; the reviews held; 'how many ...'; and years ('since 2020', 'in 2023', "
        "'before 2019'). Typos are mended against the words lrkg knows. Themes are read from their labels, synonyms or "
        "notations ('communication failures' is the theme Communication), reviews from words of "
        "their titles ('the Southport review'), actors from their names ('the police' is every "
        "actor with police or policing in its name). The answer says how the question was read "
        "(`interpretation`), names the query and its parameters, and gives its SPARQL with the "
        "values bound, ready to paste into /sparql; `answer` holds the same items as the REST "
        "lists; `reading` is the reading as data (intent and filters). An empty answer says why "
        "(`why_empty`: the filter that emptied it) and `suggestion` is the nearest question with an "
        "answer. A question it cannot map answers 422 with `examples` of questions it can; an "
        "unknown theme or actor answers 404 with the closest names. `min_score` and `confirmed_only` say which "
        "themes count under a theme asked about, as on /api/recommendations (they are read from the "
        "parameters, not from the question's words), and are echoed in `reading`."
    ),
)
def answer_question(
    store: StoreDep,
    q: Annotated[
        str,
        Query(
            min_length=1,
            max_length=1000,
            description="The question.",
            openapi_examples={
                f"example{number}": {"summary": example, "value": example}
                for number, example in enumerate(EXAMPLES, start=1)
            },
        ),
    ],
    min_score: MinScore = None,
    confirmed_only: ConfirmedOnly = False,
) -> dict[str, Any]:
    answer = ask(store, q, ThemeTrust(min_score, confirmed_only))
    return {
        "ok": True,
        "question": answer.question,
        "kind": answer.kind,
        "interpretation": answer.interpretation,
        "reading": answer.reading,
        "query": {"name": answer.query, "parameters": answer.parameters, "sparql": answer.sparql},
        "also_ran": [{"name": name, "sparql": text} for name, text in answer.also_ran],
        "answer": [asdict(item) for item in answer.items],
        "count": len(answer.items),
        "why_empty": answer.why_empty,
        "suggestion": answer.suggestion,
    }
