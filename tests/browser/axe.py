"""axe-core (pinned in frontend_site/package-lock.json) in the page; serious or critical fails."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import BrowserContext, Page

AXE = Path(__file__).resolve().parents[2] / "frontend_site/node_modules/axe-core/axe.min.js"
FAILING = ("serious", "critical")


def inject_axe(context: BrowserContext) -> None:
    """Every page of the context gets axe before its own scripts (DevTools: the CSP allows it)."""
    assert AXE.is_file(), f"{AXE} is missing: run scripts/setup.d/30-node"
    context.add_init_script(path=str(AXE))


def serious_violations(page: Page) -> list[str]:
    """One line per serious or critical axe violation on the page as it is now."""
    result = page.evaluate("() => axe.run(document, { resultTypes: ['violations'] })")
    return [
        f"{v['impact']} {v['id']}: {v['help']} at {[n['target'] for n in v['nodes']]}"
        f" ({v['nodes'][0].get('failureSummary', '')})"
        for v in result["violations"]
        if v["impact"] in FAILING
    ]
