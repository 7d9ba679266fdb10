"""Review kinds for the whole field (issue 16, item 3): safety investigations by mode, patient
safety investigations, safeguarding and homicide reviews, inquiries, PFD reports and internal
reviews, each recognised under the words other trackers use (the UK branches' names, the
NTSB's modes), so that a tracker's kind column needs no `review_kinds:` entries."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import SKOS

from graph.ingestion.tracker import read_tracker
from graph.ingestion.tracker_mapping import ntsb_modes, ntsb_statuses, read_mapping
from graph.vocabulary.namespaces import LRKG
from graph.vocabulary.schemes import Schemes
from tests.conftest import ONTOLOGY_DIR

KIND = "https://w3id.org/lrkg/id/review-kind/"
SAFETY = ("air-accident-investigation", "rail-accident-investigation", "marine-accident-investigation",
          "road-collision-investigation", "patient-safety-investigation")


def test_every_kind_of_the_field_is_defined_and_safety_investigations_are_one_family() -> None:
    graph = rdflib.Graph().parse(ONTOLOGY_DIR / "lrkg.ttl")
    kinds = set(Schemes(ONTOLOGY_DIR).review_kinds.concepts)
    assert kinds >= {*SAFETY, "safety-investigation", "child-safeguarding-practice-review", "safeguarding-adults-review",
                     "domestic-homicide-review", "public-inquiry", "prevention-of-future-deaths-report",
                     "internal-review"}
    for kind in kinds:
        assert graph.value(rdflib.URIRef(KIND + kind), SKOS.definition), kind
    for kind in SAFETY:
        assert graph.value(rdflib.URIRef(KIND + kind), SKOS.broader) == rdflib.URIRef(KIND + "safety-investigation")


def test_the_ntsb_modes_name_one_kind_each() -> None:
    assert ntsb_modes(ONTOLOGY_DIR) == {"aviation": "air-accident-investigation", "railroad": "rail-accident-investigation",
                                        "marine": "marine-accident-investigation",
                                        "highway": "road-collision-investigation"}
    assert str(LRKG.ntsbMode) == "https://w3id.org/lrkg/ns#ntsbMode"


@pytest.mark.parametrize(("written", "kind"), [
    ("Marine", "marine-accident-investigation"), ("Aviation", "air-accident-investigation"),
    ("RAIB report", "rail-accident-investigation"), ("Highway", "road-collision-investigation"),
    ("HSSIB investigation", "patient-safety-investigation"), ("Serious Case Review", "child-safeguarding-practice-review"),
    ("Domestic Abuse Related Death Review", "domestic-homicide-review"), ("Internal review", "internal-review"),
    ("Regulation 28 report", "prevention-of-future-deaths-report"), ("Public inquiry", "public-inquiry"),
    ("Safeguarding Adult Review", "safeguarding-adults-review"), ("Accident investigation", "safety-investigation"),
])
def test_a_trackers_kind_column_maps_itself(written: str, kind: str, tmp_path: Path) -> None:
    tracker = tmp_path / "t.csv"
    with tracker.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([["Id", "Type", "Recommendation"], ["X1", written, "Do something."]])
    mapping = tmp_path / "m.yaml"
    mapping.write_text("tracker:\n  title: T\ncolumns:\n  review_id: Id\n  review_kind: Type\n"
                       "  recommendation_text: Recommendation\n", encoding="utf-8")
    schemes = Schemes(ONTOLOGY_DIR)
    imported = read_tracker(tracker, read_mapping(mapping, schemes), schemes, [], ntsb_statuses(ONTOLOGY_DIR))
    assert imported.problems == []
    assert imported.reviews[0].document.review.kind == kind
