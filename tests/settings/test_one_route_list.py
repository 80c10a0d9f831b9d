"""frontend_site/routes.json is the one route list; the Kratos config and the UI agree with it."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from kratos_config import render
from stack_settings import load_stack
from stack_settings.local import local_settings
from stack_settings.routes import FLOW_ROUTES, FLOW_UI_PATHS, PAGE_ROUTES, ROUTES_FILE
from stacks.chart import SCHEMA_BASE_URL

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "frontend_site"


@pytest.mark.parametrize("stack", ["dev", "prod", "local"])
def test_every_page_kratos_sends_a_browser_to_is_a_route(stack: str) -> None:
    settings = local_settings() if stack == "local" else load_stack(stack)
    selfservice = render(settings, SCHEMA_BASE_URL).config["selfservice"]
    flows = selfservice["flows"]
    ui_urls = [flows[name]["ui_url"] for name in FLOW_UI_PATHS]
    ui_urls.append(flows["logout"]["after"]["default_browser_return_url"])
    routes = {"/", *(f"/{r}" for r in (*FLOW_ROUTES, *PAGE_ROUTES))}
    for url in ui_urls:
        assert url.startswith(settings.ui_origin)
        assert urlsplit(url).path in routes, url
    # Every flow with a `ui_url` in Kratos's config is covered by the checks' list.
    assert {name for name, flow in flows.items() if "ui_url" in flow} == set(FLOW_UI_PATHS)


def test_the_ui_reads_the_route_list_instead_of_retyping_it() -> None:
    assert ROUTES_FILE == SITE / "routes.json"
    router = (SITE / "src" / "router.js").read_text()
    vite = (SITE / "vite.config.js").read_text()
    assert 'from "../routes.json"' in router and "routes.json" in vite
    # No flow name written as a string literal: they all come from routes.json.
    literal = re.compile("[\"'`]/?(" + "|".join(FLOW_ROUTES) + r")\b")
    for source in (router, vite):
        assert literal.findall(source) == []
