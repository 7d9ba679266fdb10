"""The server warms up before its first visitor (api/warm_up.py): one request through the whole
app, answered 404 since no route matches, and the app answers as before afterwards."""

from __future__ import annotations

from fastapi.testclient import TestClient

from api.app import create_app
from api.warm_up import UNANSWERED, warm_up
from graph.store.config import Settings


def test_the_warm_up_request_goes_through_the_app_and_is_answered_404(small_settings: Settings) -> None:
    app = create_app(small_settings)
    with TestClient(app) as client:  # started: its lifespan has warmed it up once already
        assert client.portal is not None  # a started client runs the app on an event loop of its own
        assert client.portal.call(warm_up, app) == 404
        assert client.get(UNANSWERED).status_code == 404
        assert client.get("/api/reviews").json()["items"][0]["id"] == "test-review"
