"""The page templates are compiled as the server starts (api/warm_up.py), so that no visitor waits for it."""

from __future__ import annotations

from api.templating import TEMPLATES, compile_templates, environment


def test_every_template_compiles_before_the_first_request() -> None:
    names = sorted(str(path.relative_to(TEMPLATES)) for path in TEMPLATES.rglob("*.html"))
    assert compile_templates() == len(names) > 20
    for name in names:
        assert environment.get_template(name) is environment.get_template(name)  # compiled once, kept
