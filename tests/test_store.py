"""The store contract, run against the on-disk and the in-memory store alike."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from pyoxigraph import DefaultGraph, Literal, NamedNode, Quad

from graph.store.errors import InvalidInput, StoreUnavailable
from graph.store.knowledge_store import AnswerCache, KnowledgeStore, Row, release_free_memory

G1, G2 = NamedNode("https://example.org/g1"), NamedNode("https://example.org/g2")
S, P = NamedNode("https://example.org/s"), NamedNode("https://example.org/p")


OBJECTS = f"SELECT ?o WHERE {{ ?s {P} ?o }}"
"""The objects this file writes (a remote engine's default graph may hold triples of its own)."""


def quad(value: str, graph: NamedNode = G1) -> Quad:
    return Quad(S, P, Literal(value), graph)


def test_write_then_select_with_bound_values(store: KnowledgeStore) -> None:
    store.write([quad("a"), quad("b"), quad("c", G2)])
    rows = store.select("SELECT ?o ?s WHERE { ?s ?p ?o } ORDER BY ?o", {"s": S})
    assert [row["o"].value for row in rows] == ["a", "b", "c"]
    assert store.ask("ASK { ?s ?p ?o }", {"o": Literal("c")})
    assert not store.ask("ASK { ?s ?p ?o }", {"o": Literal("z")})
    assert len(store) == 3
    assert store.named_graphs() == [G1, G2]


def test_a_bound_value_is_never_read_as_sparql(store: KnowledgeStore) -> None:
    store.write([quad("a")])
    hostile = Literal('a" } UNION { ?s ?p ?o } #')
    assert store.select("SELECT ?o WHERE { ?s ?p ?o }", {"o": hostile}) == []


def test_replacing_graphs_is_one_step(store: KnowledgeStore) -> None:
    store.write([quad("old"), quad("other", G2)])
    store.write([quad("new")], drop_graphs=[G1])
    values = sorted(row["o"].value for row in store.select(OBJECTS))
    assert values == ["new", "other"]


def test_deleting_and_adding_quads(store: KnowledgeStore) -> None:
    store.write([quad("a"), quad("b")])
    store.write([quad("c")], delete=[quad("a")])
    assert sorted(row["o"].value for row in store.select(OBJECTS)) == ["b", "c"]


def test_default_graph_is_refused(store: KnowledgeStore) -> None:
    with pytest.raises(InvalidInput, match="default graph"):
        store.write([Quad(S, P, Literal("x"), DefaultGraph())])
    assert len(store) == 0


def test_syntax_error_is_invalid_input(store: KnowledgeStore) -> None:
    with pytest.raises(InvalidInput, match="SPARQL syntax error"):
        store.select("SELECT ?s WHERE { ?s ")


def test_construct_and_describes(store: KnowledgeStore) -> None:
    store.write([quad("a")])
    triples = store.construct(f"CONSTRUCT {{ ?s {P} ?o }} WHERE {{ ?s {P} ?o }}")
    assert [t.object.value for t in triples] == ["a"]
    assert store.describes(S)
    assert not store.describes(P)


def test_disk_store_is_there_after_reopening_in_a_new_process(tmp_path: Path) -> None:
    folder = tmp_path / "store"
    store = KnowledgeStore.open(folder)
    store.write([quad("kept")])
    del store
    script = (
        "import sys; from pathlib import Path; from graph.store.knowledge_store import KnowledgeStore;"
        "s = KnowledgeStore.open(Path(sys.argv[1]));"
        "print([r['o'].value for r in s.select('SELECT ?o WHERE { ?s ?p ?o }')])"
    )
    output = subprocess.run([sys.executable, "-c", script, str(folder)], capture_output=True, text=True, check=True)
    assert output.stdout.strip() == "['kept']"


def test_a_store_in_use_gives_a_clear_error(tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys,time; from pathlib import Path; from graph.store.knowledge_store import KnowledgeStore;"
         "s = KnowledgeStore.open(Path(sys.argv[1])); print('open', flush=True); time.sleep(30)", str(tmp_path)],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        with pytest.raises(StoreUnavailable, match="Another lrkg process"):
            KnowledgeStore.open(tmp_path)
    finally:
        holder.kill()
        holder.communicate()


def test_listeners_hear_which_graphs_each_write_changed(store: KnowledgeStore) -> None:
    heard: list[set[str]] = []
    store.on_change(lambda _, changed: heard.append({g.value for g in changed}))
    store.write([quad("a"), quad("b", G2)])
    store.write([quad("c")], drop_graphs=[G1])
    store.write([], delete=[quad("b", G2)])
    assert heard == [{G1.value, G2.value}, {G1.value}, {G2.value}]


def test_the_answer_cache_is_bounded_by_its_rows_in_all() -> None:
    cache = AnswerCache(total_rows=12)
    rows: list[Row] = [{"o": Literal(str(n))} for n in range(4)]
    for text in ("q1", "q2", "q3"):
        cache.put(text, rows, cache.generation)
    assert (len(cache), cache.rows) == (3, 12)
    assert cache.get("q1") == rows  # q1 is now the most recently used, q2 the least
    cache.put("q4", rows, cache.generation)
    assert (len(cache), cache.rows) == (3, 12)
    assert cache.get("q2") is None
    assert cache.get("q1") == cache.get("q3") == cache.get("q4") == rows
    cache.put("q5", rows * 4, cache.generation)  # larger than the whole cache: not kept
    assert cache.get("q5") is None and cache.rows == 12
    cache.put("q1", rows[:1], cache.generation)  # an answer put again replaces the old one
    assert (len(cache), cache.rows) == (3, 9)
    cache.clear()
    assert (len(cache), cache.rows) == (0, 0)


def test_an_answer_computed_while_a_write_committed_is_not_kept() -> None:
    cache = AnswerCache()
    generation = cache.generation
    cache.clear()
    cache.put("q", [{"o": Literal("old")}], generation)
    assert cache.get("q") is None


def test_answers_are_the_same_when_memory_is_given_back_after_each_query(store: KnowledgeStore) -> None:
    store.release_after = 0.0  # give memory back after every query, however quick
    store.write([quad("a"), quad("b")])
    assert [row["o"].value for row in store.select(OBJECTS + " ORDER BY ?o")] == ["a", "b"]
    assert sorted(t.object.value for t in store.construct(f"CONSTRUCT {{ ?s {P} ?o }} WHERE {{ ?s {P} ?o }}")) == ["a", "b"]
    release_free_memory()  # also callable on its own, between queries
