"""The UI's routes, read from `frontend_site/routes.json`: the list the router and site build read.

The Kratos config points each flow's `ui_url` at one of these pages, and the settings checks
guard the same list, so a route is added or renamed in that one JSON file.
"""

from __future__ import annotations

import json
from pathlib import Path

ROUTES_FILE = Path(__file__).resolve().parents[1] / "frontend_site" / "routes.json"
_ROUTES = json.loads(ROUTES_FILE.read_text())

# Kratos self-service browser flows, each drawn by the UI page /<flow>.
FLOW_ROUTES: tuple[str, ...] = tuple(_ROUTES["flows"])
# Other pages Kratos sends browsers to.
PAGE_ROUTES: tuple[str, ...] = tuple(_ROUTES["pages"])
ERROR_ROUTE = "error"
# Every `selfservice.flows.<name>.ui_url` in the Kratos config: the flows and the error page.
FLOW_UI_PATHS: tuple[str, ...] = (*FLOW_ROUTES, ERROR_ROUTE)
