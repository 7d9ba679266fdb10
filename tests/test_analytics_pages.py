"""The analysis pages through the real app, parsed (never grepped): the index, recurring themes
(with the review filter), one theme's findings, lessons not learned and coverage gaps, checked
against the made-up reviews of tests/data/analytics and the curated Amess and Southport reviews;
their JSON and CSV forms followed; errors as pages; hostile labels shown as text."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from graph.store.config import Settings
from tests.conftest import DATA_DIR, ONTOLOGY_DIR, TEST_DATA
from tests.test_pages import HOSTILE, Html, get_page

ANALYTICS_DATA = TEST_DATA / "analytics"
HEAT_MAP = "/api/analytics/charts/theme-years.svg"
BOTH = urlencode([("review", "harbour-town-review"), ("review", "riverside-review")])


def _client(folder: Path, page_size: int = 50) -> Iterator[TestClient]:
    settings = Settings(memory=True, data_dir=folder, ontology_dir=ONTOLOGY_DIR, query_workers=1, page_size=page_size)
    with TestClient(create_app(settings)) as client:
        yield client


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    yield from _client(ANALYTICS_DATA)


@pytest.fixture(scope="module")
def curated() -> Iterator[TestClient]:
    yield from _client(DATA_DIR)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The test reviews with every label, title and quotation made to break a page that forgets
    to escape it."""
    folder = tmp_path_factory.mktemp("hostile-analytics")
    escaped = HOSTILE.replace('"', '\\"')
    for path in ANALYTICS_DATA.glob("*.ttl"):
        text = path.read_text(encoding="utf-8")
        for predicate in ("rdfs:label", "dcterms:title", "oa:exact", "lrkg:paraphrase"):
            text = text.replace(f'{predicate} "', f'{predicate} "{escaped} ')
        (folder / path.name).write_text(text, encoding="utf-8")
    yield from _client(folder)


def data_links(page: Html) -> dict[str, str]:
    return {link.text: link.href for link in page.links if link.text in ("JSON", "CSV")}


def headed(page: Html, h3: str) -> list[str]:
    """The pages of findings linked under one h3 heading."""
    return [link.href for link in page.links if link.h3 == h3 and link.href.startswith("/findings/")]


# ------------------------------------------------------------------ the index


def test_the_index_links_every_analysis_and_the_site_links_the_index(client: TestClient) -> None:
    page = get_page(client, "/analytics")
    assert page.heading_texts("h1") == ["Analysis across reviews"]
    main_links = [link.href for link in page.links if link.href.startswith("/analytics/")]
    assert main_links == [
        "/analytics/recurrence", "/analytics/lessons", "/analytics/coverage",
        "/analytics/accountability", "/analytics/similar-findings", "/analytics/charts",
    ]
    assert {"href": "/analytics", "aria-current": "page"} in page.tags("a")
    home = get_page(client, "/")
    assert home.link_to("/analytics").text == "Analysis"


# ------------------------------------------------------------------ recurrence


def test_the_recurring_themes_with_the_heat_map_and_data_forms(client: TestClient) -> None:
    page = get_page(client, "/analytics/recurrence")
    table = page.table("8 themes")
    assert [row[0] for row in table.rows[1:]] == [
        "Communication COM", "Record keeping REC", "Case management CMG", "Premature case closure CMG.CLOSE",
        "Communication with the referrer COM.REF", "Data retention RET", "Risk and vulnerability assessment RSK",
        "Assessment tools RSK.TOOL",
    ]
    assert table.rows[1][1:5] == ["4", "4", "3", "2018, 2022, 2024"]
    (image,) = page.tags("img")
    assert image["src"] == HEAT_MAP and image["alt"]
    forms = data_links(page)
    assert forms == {"JSON": "/api/analytics/recurrence?min_reviews=2",
                     "CSV": "/api/analytics/recurrence?min_reviews=2&format=csv"}
    assert client.get(forms["JSON"]).json()["total"] == 8
    assert client.get(forms["CSV"]).headers["content-type"].startswith("text/csv")


def test_choosing_two_reviews_shows_the_themes_they_share_with_the_findings_behind_each(client: TestClient) -> None:
    page = get_page(client, f"/analytics/recurrence?{BOTH}")
    assert page.heading_texts("h2")[0] == (
        "Themes shared by Harbour Town safeguarding review, Riverside child safeguarding review"
    )
    assert [row[0] for row in page.table("3 themes").rows[1:]] == [
        "Communication COM", "Record keeping REC", "Data retention RET"
    ]
    selected = [option["value"] for option in page.tags("option") if "selected" in option]
    assert selected == ["harbour-town-review", "riverside-review"]
    assert page.heading_texts("h3") == ["Communication COM", "Record keeping REC", "Data retention RET"]
    assert headed(page, "Record keeping REC") == ["/findings/harbour-town-review-f2", "/findings/riverside-review-f1"]
    assert headed(page, "Communication COM") == ["/findings/harbour-town-review-f1", "/findings/riverside-review-f2"]
    assert page.link_to(f"/analytics/recurrence/record-keeping?{BOTH}").text == "Record keeping"
    assert data_links(page)["JSON"] == f"/api/analytics/recurrence?{BOTH}&min_reviews=2"
    assert "nobody told the school what had happened to the referral it made" in page.blockquotes


def test_across_kinds_and_min_reviews_from_the_form(client: TestClient) -> None:
    across = get_page(client, "/analytics/recurrence?across_kinds=true&min_reviews=3")
    assert [row[0] for row in across.table("2 themes").rows[1:]] == ["Communication COM", "Record keeping REC"]
    checkbox = next(tag for tag in across.tags("input") if tag.get("name") == "across_kinds")
    assert "checked" in checkbox


def test_the_findings_behind_one_theme(client: TestClient) -> None:
    page = get_page(client, "/analytics/recurrence/REC")
    assert page.heading_texts("h1") == ["Record keeping REC"]
    assert [row[:4] for row in page.table("Reviews with failures").rows[1:]] == [
        ["Harbour Town safeguarding review", "Child Safeguarding Practice Review", "2018", "1"],
        ["Hillside safeguarding adults review", "Safeguarding Adults Review", "2022", "1"],
        ["Riverside child safeguarding review", "Child Safeguarding Practice Review", "2024", "1"],
    ]
    findings = [link.href for link in page.links if link.heading == "h3"]
    assert findings == ["/findings/harbour-town-review-f2", "/findings/hillside-review-f4", "/findings/riverside-review-f1"]
    assert "Several case records left out what was decided and by whom." in page.text  # a paraphrase, marked
    assert [p for p in page.tags("p") if p.get("class") == "paraphrase"]
    one = get_page(client, "/analytics/recurrence/record-keeping?review=riverside-review")
    assert [link.href for link in one.links if link.heading == "h3"] == ["/findings/riverside-review-f1"]
    assert data_links(one)["CSV"] == "/api/analytics/recurrence/record-keeping?review=riverside-review&format=csv"


def test_the_themes_amess_and_southport_share_with_their_findings(curated: TestClient) -> None:
    query = urlencode([("review", "amess-prevent-learning-review"), ("review", "southport-prevent-learning-review")])
    page = get_page(curated, f"/analytics/recurrence?{query}")
    assert page.heading_texts("h3") == [
        "Case management CMG", "Risk and vulnerability assessment RSK", "Premature case closure CMG.CLOSE",
        "IT systems and data quality SYS",
    ]
    assert headed(page, "Premature case closure CMG.CLOSE") == [
        "/findings/southport-prevent-learning-review-f1", "/findings/amess-prevent-learning-review-f7"
    ]
    assert set(headed(page, "IT systems and data quality SYS")) == {
        "/findings/amess-prevent-learning-review-f8", "/findings/southport-prevent-learning-review-f5"
    }
    assert any("closed prematurely" in quote for quote in page.blockquotes)


# ------------------------------------------------------------------ lessons and coverage


def test_each_lesson_shows_its_evidence_chain(client: TestClient) -> None:
    page = get_page(client, "/analytics/lessons")
    assert "2 lessons not learned" in page.heading_texts("h2")
    assert [link.href for link in page.links if link.heading == "h3"] == [
        "/findings/hillside-review-f1", "/findings/riverside-review-f1"
    ]
    text = " ".join(page.text.split())
    assert "Response: Reported implemented on 2019-03-01, according to Harbour Town action plan update" in text
    assert "whose earliest event (Concerns first raised) began on 2020-05-01" in text
    assert "Response: Verified implemented on 2023-01-15" in text
    assert "events are not recorded; it was published on 2024-09-01" in text
    assert "none: the theme is the recommendation's own" in text
    assert page.link_to("https://example.org/harbour-town-action-plan.html").text == "read the source"
    assert page.link_to("/recommendations/harbour-town-review-r1").text == "Tell every referrer the outcome"
    assert "nobody told the school what had happened to the referral it made" in page.blockquotes

    on_communication = get_page(client, "/analytics/lessons?theme=communication")
    assert "1 lesson not learned on Communication" in on_communication.heading_texts("h2")
    assert data_links(on_communication)["JSON"] == "/api/analytics/lessons?theme=communication"


def test_the_coverage_gaps_table(client: TestClient) -> None:
    page = get_page(client, "/analytics/coverage?as_of=2024-11-01")
    rows = page.table("11 gaps").rows[1:]
    assert rows[0][:4] == ["Harbour Town safeguarding review", "unaddressed finding",
                           "Older case files had been destroyed", "Data retention"]
    assert rows[-1][1:3] == ["overdue", "R1: Record the reason for every decision"]
    assert rows[-1][4] == "A response was due on 2024-10-01; none is recorded by 2024-11-01, 31 days later."
    assert "6 Failures no recommendation addresses" in " ".join(page.text.split())
    assert next(tag for tag in page.tags("input") if tag.get("name") == "as_of")["value"] == "2024-11-01"
    only = get_page(client, "/analytics/coverage?as_of=2024-11-01&gap=no-owner")
    assert [row[2] for row in only.table("1 gap").rows[1:]] == ["R4: Train staff in the new procedures"]
    assert data_links(only)["CSV"] == "/api/analytics/coverage?gap=no-owner&as_of=2024-11-01&format=csv"


def test_long_lists_come_a_page_at_a_time() -> None:
    for client in _client(ANALYTICS_DATA, page_size=5):
        first = get_page(client, "/analytics/coverage?as_of=2024-11-01")
        assert first.table("11 gaps").caption == "11 gaps, by review (1–5 here)"
        assert len(first.table("11 gaps").rows) == 6
        following = first.link_to("/analytics/coverage?as_of=2024-11-01&offset=5")
        assert following.text == "Next gaps"
        last = get_page(client, "/analytics/coverage?as_of=2024-11-01&offset=10")
        assert [row[2] for row in last.table("11 gaps").rows[1:]] == ["R1: Record the reason for every decision"]
        assert data_links(last)["JSON"] == "/api/analytics/coverage?as_of=2024-11-01&offset=10"
        assert client.get(data_links(last)["JSON"]).json()["items"][0]["item_id"] == "riverside-review-r1"
        lessons = get_page(client, "/analytics/lessons?offset=1")
        assert [link.href for link in lessons.links if link.heading == "h3"] == ["/findings/riverside-review-f1"]
        assert lessons.tags("ol")[0]["start"] == "2"


def test_the_amess_findings_no_recommendation_addresses_on_the_page(curated: TestClient) -> None:
    page = get_page(curated, "/analytics/coverage?review=amess-prevent-learning-review&gap=unaddressed-finding")
    assert [row[2] for row in page.table("7 gaps").rows[1:]] == [
        "Support did not tackle all identified vulnerabilities",
        "Ineffective record keeping; decision rationale not recorded",
        "Blurred police and local authority responsibilities",
        "Referring school not involved in discussions of risk",
        "Exited from Prevent too quickly",
        "Post-exit review delayed by an IT error",
        "Five-year retention of Prevent case data could hinder reviews",
    ]
    owners = get_page(curated, "/analytics/coverage?review=amess-prevent-learning-review&gap=no-owner")
    assert [row[2] for row in owners.table("2 gaps").rows[1:]] == [  # the label already starts with its number
        "R3: better police training", "R4: updated vulnerability assessment tools"
    ]


# ------------------------------------------------------------------ errors and hostile labels


@pytest.mark.parametrize("path, status, words", [
    ("/analytics/recurrence?review=nowhere-review", 404, "No review matches 'nowhere-review'"),
    ("/analytics/recurrence/record-keepin", 404, "No theme matches 'record-keepin'"),
    ("/analytics/coverage?gap=late", 400, "the kinds are unaddressed-finding"),
    ("/analytics/coverage?as_of=someday", 422, "as_of"),
    ("/analytics/lessons?theme=" + HOSTILE, 404, HOSTILE),
])
def test_errors_are_pages_that_say_what_to_fix(client: TestClient, path: str, status: int, words: str) -> None:
    page = get_page(client, path, status=status)
    assert words in page.text and not page.tags("script") and not page.tags("img")


def test_an_unknown_theme_page_offers_the_closest(client: TestClient) -> None:
    page = get_page(client, "/analytics/recurrence/record-keepin", status=404)
    assert page.link_to("/themes/Record%20keeping").text == "Record keeping"


@pytest.mark.parametrize("path", [
    "/analytics/recurrence?min_reviews=1", f"/analytics/recurrence?{BOTH}", "/analytics/recurrence/REC",
    "/analytics/lessons", "/analytics/coverage?as_of=2024-11-01",
])
def test_hostile_labels_show_as_text(hostile: TestClient, path: str) -> None:
    page = get_page(hostile, path)
    assert not page.tags("script") and not page.tags("iframe")
    assert [tag["src"] for tag in page.tags("img")] in ([], [HEAT_MAP])
    assert not [name for _, attributes in page.elements for name in attributes if name.startswith("on")]
    assert HOSTILE in page.text, path
