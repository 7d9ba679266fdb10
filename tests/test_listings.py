"""The list pages (/findings, /recommendations, /reviews, /actors) through the real app over the
curated reviews: every facet count is the total its link gives, filters combine, columns sort,
pages count, the CSV and JSON hold the rows of the table on screen, the Turtle the items, and a
filter value that names nothing is refused with what it could have been."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
import rdflib
from fastapi.testclient import TestClient

from api.app import create_app
from graph.store.config import Settings
from tests.conftest import DATA_DIR, ONTOLOGY_DIR
from tests.test_pages import BROWSER, Html, get_page

LISTS = ("findings", "recommendations", "reviews", "actors")
EVERY = 1000


@pytest.fixture(scope="module")
def curated() -> Iterator[TestClient]:
    settings = Settings(memory=True, data_dir=DATA_DIR, ontology_dir=ONTOLOGY_DIR, query_workers=1)
    with TestClient(create_app(settings)) as client:
        yield client


def listed(client: TestClient, name: str, **parameters: Any) -> dict[str, Any]:
    response = client.get(f"/{name}.json", params=parameters)
    assert response.status_code == 200, response.text
    return response.json()


def ids(client: TestClient, name: str, **parameters: Any) -> set[str]:
    return {item["id"] for item in listed(client, name, limit=EVERY, **parameters)["items"]}


def clean(text: str) -> str:
    return " ".join(text.split())


# ------------------------------------------------------------------ facets


@pytest.mark.parametrize("name", LISTS)
def test_every_facet_count_is_the_total_its_link_gives(curated: TestClient, name: str) -> None:
    """Click any facet value: the list it leads to holds as many items as the count said."""
    answer = listed(curated, name)
    assert answer["facets"], name
    for facet in answer["facets"]:
        assert facet["values"], (name, facet["parameter"])
        for value in facet["values"]:
            total = listed(curated, name, **{facet["parameter"]: value["value"]})["total"]
            assert total == value["count"], (name, facet["parameter"], value)


def test_facets_of_one_value_per_item_add_up_to_the_total(curated: TestClient) -> None:
    findings = listed(curated, "findings")
    by_facet = {facet["parameter"]: facet["values"] for facet in findings["facets"]}
    for parameter in ("polarity", "review", "kind", "year"):
        assert sum(value["count"] for value in by_facet[parameter]) == findings["total"] == 36, parameter
    reviews = listed(curated, "reviews")
    assert sum(value["count"] for value in reviews["facets"][0]["values"]) == reviews["total"] == 4


def test_a_broad_theme_counts_its_narrower_themes_items(curated: TestClient) -> None:
    themes = {value["value"]: value for value in next(
        facet for facet in listed(curated, "findings")["facets"] if facet["parameter"] == "theme")["values"]}
    communication = ids(curated, "findings", theme="communication")
    for narrower in ("communication-with-intervention-provider",):
        assert themes[narrower]["depth"] > themes["communication"]["depth"]
        assert ids(curated, "findings", theme=narrower) <= communication
    assert themes["communication"]["count"] == len(communication)


def test_the_facets_count_only_the_listed_items(curated: TestClient) -> None:
    answer = listed(curated, "recommendations", review="amess-prevent-learning-review")
    reviews = next(facet for facet in answer["facets"] if facet["parameter"] == "review")["values"]
    assert [(value["value"], value["count"], value["chosen"]) for value in reviews] == [
        ("amess-prevent-learning-review", answer["total"], True)]


# ------------------------------------------------------------------ filters


def test_filters_combine(curated: TestClient) -> None:
    theme = ids(curated, "recommendations", theme="communication")
    status = ids(curated, "recommendations", status_group="implementation")
    both = ids(curated, "recommendations", theme="communication", status_group="implementation")
    assert both == theme & status and both
    findings = ids(curated, "findings", polarity="shortcoming", review="amess-prevent-learning-review")
    assert findings == ids(curated, "findings", polarity="shortcoming") & ids(
        curated, "findings", review="amess-prevent-learning-review")
    assert findings < ids(curated, "findings", polarity="shortcoming")


def test_an_owner_rolls_up_unless_exactly_this_actor(curated: TestClient) -> None:
    """The Home Office's Homeland Security Group owns R1: the Home Office's list holds it, the
    list of exactly the Home Office does not."""
    assert ids(curated, "recommendations", owner="home-office") == {"amess-prevent-learning-review-r1"}
    assert ids(curated, "recommendations", owner="home-office", exact_actor="true") == set()
    page = get_page(curated, "/recommendations?owner=home-office")
    assert page.link_to("/recommendations?owner=home-office&exact_actor=true").text.startswith("Exactly this actor")


@pytest.mark.parametrize("path, words", [
    ("/recommendations?theme=comunication", ["'comunication'", "'Communication'"]),
    ("/findings?year=20x", ["four digits", "'20x'"]),
    ("/findings?owner=home-office", ["not 'owner'", "actor"]),
    ("/findings?colour=red", ["'colour'", "theme"]),
    ("/recommendations?sort=colour", ["sorts by review, label, year, status"]),
    ("/recommendations?status=sideways", ["No status matches 'sideways'"]),
    ("/findings?review=no-such-review", ["No review 'no-such-review'"]),
    ("/findings?limit=0", ["`limit` is a whole number of at least 1"]),
    ("/actors?kind=robot", ["organisation, post, person"]),
])
def test_a_bad_filter_is_refused_with_what_to_do(curated: TestClient, path: str, words: list[str]) -> None:
    as_json = curated.get(path.replace("?", ".json?", 1))
    assert as_json.status_code == 400 and as_json.json()["ok"] is False
    assert all(word in as_json.json()["error"] for word in words), as_json.json()["error"]
    page = get_page(curated, path, status=400)
    assert all(word in clean(page.text) for word in words)


def test_an_unknown_theme_suggests_the_list_with_the_closest(curated: TestClient) -> None:
    page = get_page(curated, "/recommendations?theme=comunication&status_group=implementation", status=400)
    assert page.link_to("/recommendations?status_group=implementation&theme=Communication").text == "Communication"


# ------------------------------------------------------------------ sorting and pages


def test_columns_sort_both_ways(curated: TestClient) -> None:
    by_year = [item["year"] for item in listed(curated, "findings", sort="year", order="desc", limit=EVERY)["items"]]
    assert by_year == sorted(by_year, reverse=True) and by_year[0] > by_year[-1]
    labels = [item["finding"].lower() for item in listed(curated, "findings", sort="label", limit=EVERY)["items"]]
    assert labels == sorted(labels)
    reviews = listed(curated, "reviews", sort="findings", order="desc")["items"]
    assert [int(review["findings"]) for review in reviews] == sorted((int(r["findings"]) for r in reviews), reverse=True)
    own_order = [item["id"] for item in listed(curated, "recommendations", limit=EVERY)["items"]]
    backwards = [item["id"] for item in listed(curated, "recommendations", order="desc", limit=EVERY)["items"]]
    assert backwards == own_order[::-1]
    page = get_page(curated, "/findings?sort=year&order=asc")
    heading = page.link_to("/findings?sort=year&order=desc")
    assert heading.text.startswith("Year")


def test_pages_say_where_they_are_of_how_many(curated: TestClient) -> None:
    page = get_page(curated, "/findings?offset=20")
    assert "Findings 21–36 of 36" in clean(page.text)
    assert page.link_to("/findings").text == "Previous findings"
    first = get_page(curated, "/findings")
    assert "Findings 1–20 of 36" in clean(first.text)
    assert first.link_to("/findings?offset=20").text == "Next findings"
    every = [item["id"] for item in listed(curated, "findings", limit=EVERY)["items"]]
    pages = [item["id"] for offset in (0, 20) for item in listed(curated, "findings", offset=offset)["items"]]
    assert pages == every and len(every) == 36


# ------------------------------------------------------------------ downloads


@pytest.mark.parametrize("query", [
    {}, {"theme": "communication"}, {"limit": "3", "offset": "2"}, {"sort": "SORT", "order": "desc", "limit": "2", "offset": "1"},
])
@pytest.mark.parametrize("name", LISTS)
def test_the_downloads_hold_exactly_the_rows_on_screen(curated: TestClient, name: str, query: dict[str, str]) -> None:
    if name in ("reviews", "actors") and "theme" in query:
        return
    if "sort" in query:
        query = {**query, "sort": {"findings": "year", "recommendations": "status", "reviews": "issued",
                                   "actors": "findings"}[name]}
    path = f"/{name}?{urlencode(query)}" if query else f"/{name}"
    page = get_page(curated, path)
    table = next(table for table in page.tables if table.caption.startswith(name.capitalize()))
    on_screen = [[clean(cell) for cell in row] for row in table.rows[1:]]
    downloads = {link.text: link.href for link in page.links if link.text in ("CSV", "JSON", "Turtle")}
    assert set(downloads) == {"CSV", "JSON", "Turtle"}
    assert all(dict(parse_qsl(urlsplit(href).query)) == query for href in downloads.values())
    rows = list(csv.reader(io.StringIO(curated.get(downloads["CSV"]).text)))
    assert len(rows[0]) == len(table.rows[0]) + 1 and rows[0][-1] == "iri"  # a column for each, and the item
    assert [[clean(cell) for cell in row[:-1]] for row in rows[1:]] == on_screen and on_screen
    items = curated.get(downloads["JSON"]).json()["items"]
    assert [[clean(str(value)) for key, value in item.items() if key not in ("id", "iri", "links")]
            for item in items] == on_screen
    assert [item["iri"] for item in items] == [row[-1] for row in rows[1:]]
    graph = rdflib.Graph().parse(data=curated.get(downloads["Turtle"]).text, format="turtle")
    kind = rdflib.URIRef("https://w3id.org/lrkg/ns#" + {"findings": "Finding", "recommendations": "Recommendation",
                                                       "reviews": "Review", "actors": "Actor"}[name])
    shown = {row[-1] for row in rows[1:]}
    typed = {str(subject) for subject in graph.subjects(rdflib.RDF.type, kind)}
    assert shown <= typed


def test_a_list_answers_by_accept(curated: TestClient) -> None:
    assert curated.get("/findings", headers={"Accept": BROWSER}).headers["content-type"].startswith("text/html")
    assert curated.get("/findings", headers={"Accept": "application/json"}).json()["total"] == 36
    assert curated.get("/findings", headers={"Accept": "text/csv"}).text.startswith("finding,review,year")
    assert curated.get("/findings", headers={"Accept": "text/turtle"}).headers["content-type"].startswith("text/turtle")


# ------------------------------------------------------------------ links to the lists


def test_every_count_on_the_home_page_links_to_its_list(curated: TestClient) -> None:
    home = get_page(curated, "/")
    for name in LISTS:
        link = next(link for link in home.links if link.href == f"/{name}" and link.h2 == "What lrkg holds")
        assert clean(link.text) == f"{listed(curated, name)['total']} {name}"
    for link in home.links:
        if link.href.startswith(("/findings?", "/recommendations?")):
            name, query = link.href[1:].split("?")
            count = int(clean(link.text).split()[0])
            assert listed(curated, name, **dict(parse_qsl(query)))["total"] == count, link.href


@pytest.mark.parametrize("path", [
    "/themes/communication", "/actors/home-office", "/actors/counter-terrorism-policing",
    "/reviews/amess-prevent-learning-review",
])
def test_counts_on_resource_pages_link_to_the_filtered_list(curated: TestClient, path: str) -> None:
    page = get_page(curated, path)
    counted = [link for link in page.links if link.href.startswith(("/findings?", "/recommendations?"))
               and clean(link.text).isdigit()]
    assert len(counted) == 2, path
    for link in counted:
        name, query = link.href[1:].split("?")
        assert listed(curated, name, **dict(parse_qsl(query)))["total"] == int(link.text), link.href


def test_list_pages_escape_what_the_data_says(curated: TestClient) -> None:
    page = Html(curated.get("/findings?theme=communication", headers={"Accept": BROWSER}).text)
    assert not page.tags("script")
    chips = [link for link in page.links if link.text == "×"]
    assert [link.href for link in chips] == ["/findings"]


@pytest.mark.parametrize("name", ["reviews", "actors"])
def test_counts_in_the_reviews_and_actors_tables_link_to_their_lists(curated: TestClient, name: str) -> None:
    """An actor's counts are of what it is named on itself (exact_actor), a review's of what it holds."""
    page = get_page(curated, f"/{name}?limit=100")
    counted = [link for link in page.links if link.href.startswith(("/findings?", "/recommendations?"))
               and clean(link.text).isdigit()]
    assert len(counted) == 2 * listed(curated, name)["total"]
    for link in counted:
        kind, query = link.href[1:].split("?")
        assert listed(curated, kind, **dict(parse_qsl(query)))["total"] == int(link.text), link.href
