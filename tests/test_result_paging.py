"""Paging a query past an engine's silent row cap: the text of each page."""

from __future__ import annotations

from graph.store.result_paging import paged_query, split_construct


def test_a_page_keeps_the_query_order_then_orders_by_every_other_variable() -> None:
    query = paged_query('SELECT ?a ?b WHERE { ?a ?p "LIMIT 5 }" } ORDER BY DESC(?b)')
    assert query is not None
    page = query.page(2, 100, ["a", "b"])
    assert page is not None
    assert page.endswith('WHERE { ?a ?p "LIMIT 5 }" } \nORDER BY DESC(?b) ?a\nLIMIT 100 OFFSET 200\n')


def test_paging_stays_within_the_query_own_limit_and_offset() -> None:
    query = paged_query("SELECT ?a WHERE { ?a ?p ?o } LIMIT 250 OFFSET 10")
    assert query is not None
    assert query.page(0, 100, ["a"]).endswith("LIMIT 100 OFFSET 10\n")  # type: ignore[union-attr]
    assert query.page(2, 100, ["a"]).endswith("LIMIT 50 OFFSET 210\n")  # type: ignore[union-attr]
    assert query.page(3, 100, ["a"]) is None


def test_a_trailing_values_block_stays_after_the_modifiers() -> None:
    query = paged_query("SELECT ?a WHERE { ?a ?p ?o } GROUP BY ?a VALUES ?a { <x:1> <x:2> }")
    assert query is not None
    assert query.page(0, 10, ["a"]).endswith(  # type: ignore[union-attr]
        "} GROUP BY ?a \nORDER BY ?a\nLIMIT 10 OFFSET 0\nVALUES ?a { <x:1> <x:2> }"
    )


def test_a_construct_is_paged_as_the_select_of_its_template_variables() -> None:
    split = split_construct("PREFIX x: <x:> CONSTRUCT { ?s x:p ?o } WHERE { ?s ?q ?o . ?o ?r ?z } ORDER BY ?s")
    assert split is not None
    assert split.variables == ["s", "o"]
    assert split.building == "PREFIX x: <x:> CONSTRUCT { ?s x:p ?o } WHERE {}"
    assert split.select == "PREFIX x: <x:> SELECT DISTINCT ?s ?o WHERE { ?s ?q ?o . ?o ?r ?z } ORDER BY ?s"
    short = split_construct("CONSTRUCT WHERE { ?s <x:p> ?o }")
    assert short is not None and short.select == "SELECT DISTINCT ?s ?o WHERE { ?s <x:p> ?o }"
    assert split_construct("DESCRIBE <x:thing>") is None
    assert paged_query("DESCRIBE <x:thing>") is None


def test_a_variable_only_inside_an_expression_still_breaks_ties() -> None:
    query = paged_query("SELECT ?a ?b ?c WHERE { ?a ?b ?c } ORDER BY LCASE(?a) ASC(?b)")
    assert query is not None
    assert "ORDER BY LCASE(?a) ASC(?b) ?a ?c\n" in query.page(0, 10, ["a", "b", "c"])  # type: ignore[operator]
