"""Recognising actors under the names trackers and coroners give them: reading recipients,
matching them to actors already in the store, merging only what is the same name, and
reporting near-misses for a person to decide."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.ingestion.loading import Loader
from graph.ingestion.reconcile import (
    REPORT_COLUMNS,
    KnownActor,
    Recipient,
    known_actors,
    name_key,
    parse_recipient,
    reconcile,
    report_rows,
    split_recipients,
)
from graph.ingestion.review_document import ActorType
from graph.store.knowledge_store import KnowledgeStore

ACTORS = """
@prefix lrkg: <https://w3id.org/lrkg/ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix org:  <http://www.w3.org/ns/org#> .
@prefix actor: <https://w3id.org/lrkg/id/actor/> .

actor:dft a lrkg:Actor , org:Organization ; rdfs:label "Department for Transport"@en ; skos:altLabel "DfT"@en .
actor:transport-secretary a lrkg:Actor , org:Post ; rdfs:label "Secretary of State for Transport"@en ;
    org:postIn actor:dft .
actor:nhs-england a lrkg:Actor , org:Organization ; rdfs:label "NHS England"@en .
"""


@pytest.mark.parametrize(
    ("written", "organisation", "title"),
    [
        ("Chief Constable, South Yorkshire Police", "South Yorkshire Police", "Chief Constable"),
        ("CEO - Hampshire and Isle of Wight Healthcare NHS Foundation Trust",
         "Hampshire and Isle of Wight Healthcare NHS Foundation Trust", "Chief Executive"),
        ("Chief Executive Officer of NHS England", "NHS England", "Chief Executive"),
        ("Tees, Esk and Wear Valley NHS Foundation Trust Chief Executive",
         "Tees, Esk and Wear Valley NHS Foundation Trust", "Chief Executive"),
        ("Mr Jim O'Sullivan, Chief Executive, Highways England", "Highways England", "Chief Executive"),
        ("Director of Highways, Lincolnshire County Council", "Lincolnshire County Council", "Director of Highways"),
        ("The Secretary of State for the Department of Transport", "Department for Transport",
         "Secretary of State for Transport"),
        ("Secretary of State, Department of Transport", "Department for Transport", "Secretary of State for Transport"),
        ("Ministry of Housing, Communities and Local Government",
         "Ministry of Housing, Communities and Local Government", None),
        ("Chief Coroner", None, "Chief Coroner"),
    ],
)
def test_a_recipient_names_an_organisation_and_a_post_in_it(written: str, organisation: str | None,
                                                            title: str | None) -> None:
    recipient = parse_recipient(written)
    assert recipient is not None
    assert (recipient.organisation, recipient.title) == (organisation, title)


def test_bracketed_abbreviations_are_other_names_and_redactions_are_nobody() -> None:
    recipient = parse_recipient("Driver and Vehicle Licensing Agency (DVLA)")
    assert recipient == Recipient("Driver and Vehicle Licensing Agency (DVLA)", "Driver and Vehicle Licensing Agency",
                                  aliases=("DVLA",))
    assert parse_recipient("Dr [REDACTED]") is None
    assert parse_recipient("Dr Ann Smith") == Recipient("Dr Ann Smith", person="Ann Smith")


def test_recipients_are_split_by_the_separator_and_a_comma_after_a_title_joins() -> None:
    semicolons = split_recipients("Chief Constable, South Yorkshire Police; Home Office")
    assert [(r.organisation, r.title) for r in semicolons] == [
        ("South Yorkshire Police", "Chief Constable"), ("Home Office", None)]
    commas = split_recipients("Home Office, Chief Constable, South Yorkshire Police, NHS England", ",")
    assert [r.written for r in commas] == ["Home Office", "Chief Constable, South Yorkshire Police", "NHS England"]


def test_a_bare_title_takes_the_nearest_organisation_of_its_cell_or_names_nobody() -> None:
    cell = "Mr Jim O'Sullivan; Chief Executive; Highways England"
    recipients = split_recipients(cell)
    assert [(r.organisation, r.title, r.person) for r in recipients] == [
        (None, None, "Jim O'Sullivan"), ("Highways England", "Chief Executive", None), ("Highways England", None, None)]
    assert split_recipients("Chief Executive") == []
    result = reconcile(["Chief Executive"], [])
    assert result.unplaced == ["Chief Executive"] and result.addressing("Chief Executive").owners == ()


def test_names_that_differ_only_in_spelling_have_one_key() -> None:
    keys = {name_key(n) for n in ("Department for Transport", "Dept for Transport", "The Department of Transport",
                                  "DEPARTMENT  FOR TRANSPORT.")}
    assert keys == {"department transport"}
    assert name_key("Chief Coroner’s Office") == name_key("Chief Coroner's Office")
    assert name_key("NHS England") != name_key("NHS England and NHS Improvement")


def test_actors_in_the_store_are_matched_first(store: KnowledgeStore, loader: Loader, tmp_path: Path) -> None:
    actors = tmp_path / "actors.ttl"
    actors.write_text(ACTORS, encoding="utf-8")
    loader.load([actors])
    known = known_actors(store)
    assert {(a.id, a.type) for a in known} >= {("dft", ActorType.ORGANISATION), ("transport-secretary", ActorType.POST)}
    cells = ["Dept for Transport", "The Secretary of State for the Department of Transport", "DfT; NHS England"]
    result = reconcile(cells, known)
    assert result.addressing("Dept for Transport").owners == ("dft",)
    assert result.addressing(cells[1]).owners == ("dft",)
    assert result.addressing(cells[1]).addressees == ("transport-secretary",)
    assert result.addressing(cells[2]).owners == ("dft", "nhs-england")
    assert result.new_actors() == []
    assert {(m.written, m.actor, m.reason) for m in result.merges} == {
        ("Dept for Transport", "dft", "in the store"), ("DfT", "dft", "in the store")}
    described = {a.id: a for a in result.described(cells)}
    assert described["dft"].label == "Department for Transport"  # the store's label, never a second one
    assert described["dft"].also_known_as == ("Dept for Transport", "DfT")


def test_near_misses_are_reported_not_merged() -> None:
    known = [KnownActor("nhs-england", "NHS England", ActorType.ORGANISATION, ("NHS England",))]
    result = reconcile(["NHS England and NHS Improvement", "Sussex Partnership NHS Foundation Trust",
                        "Essex Partnership NHS Foundation Trust"], known)
    assert result.addressing("NHS England and NHS Improvement").owners == ("nhs-england-and-nhs-improvement",)
    pairs = {(n.label, n.other_label): n.score for n in result.near_misses}
    assert pairs[("NHS England", "NHS England and NHS Improvement")] >= 90
    assert ("Essex Partnership NHS Foundation Trust", "Sussex Partnership NHS Foundation Trust") in pairs
    assert not result.merges


def test_new_actors_get_stable_ids_labelled_by_their_commonest_name() -> None:
    cells = ["Department of Transport", "Department for Transport; Home Office", "Department for Transport",
             "Chief Constable, South Yorkshire Police"]
    first, again = reconcile(cells, []), reconcile(list(reversed(cells)), [])
    assert first.actors == again.actors
    assert first.actors["department-for-transport"].label == "Department for Transport"
    post = first.actors["chief-constable-south-yorkshire-police"]
    assert (post.type, post.post_in) == (ActorType.POST, ("south-yorkshire-police",))
    assert first.addressing(cells[3]).owners == ("south-yorkshire-police",)


def test_an_id_taken_by_another_name_gets_a_hash_of_its_name() -> None:
    known = [KnownActor("a-one", "A-One Motors", ActorType.ORGANISATION, ("A-One Motors",))]
    result = reconcile(["A One"], known)
    (new,) = result.new_actors()
    assert new.startswith("a-one-") and len(new) == len("a-one-") + 6
    assert reconcile(["A One"], known).new_actors() == [new]


def test_same_as_merges_what_the_mapping_says_is_one_actor() -> None:
    result = reconcile(["DfT", "Department for Transport"], [], same_as={"DfT": "Department for Transport"})
    assert result.addressing("DfT").owners == result.addressing("Department for Transport").owners
    assert [(m.written, m.reason) for m in result.merges] == [("DfT", "same_as in the mapping")]


def test_the_report_lists_every_decision() -> None:
    known = [KnownActor("nhs-england", "NHS England", ActorType.ORGANISATION, ("NHS England",))]
    cells = ["NHS England and NHS Improvement; Chief Executive", "The NHS England", "Medical Director"]
    rows = report_rows(reconcile(cells, known))
    assert all(tuple(row) == REPORT_COLUMNS for row in rows)
    assert [row["decision"] for row in rows] == ["merged", "near-miss", "new", "new", "left out"]
