"""/docs (Swagger UI) and /redoc (ReDoc) work offline: in Debian's headless Chromium, with every
request off the test server refused, each page lists the API's operations, under the same
Content-Security-Policy as the explorer page (a blocked script or style would log an error, and
the ``page`` fixture fails on any logged error)."""

from __future__ import annotations

from typing import Any

import httpx
from playwright.sync_api import Browser, Page, Route

from tests.test_web_page import browser, page, server  # noqa: F401  (fixtures)


def _offline(tab: Page, base: str) -> list[str]:
    """Refuse every request that leaves the test server; return the list of those refused."""
    refused: list[str] = []

    def handle(route: Route) -> None:
        if route.request.url.startswith(base):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    tab.route("**/*", handle)
    return refused


def _operations(base: str) -> list[dict[str, Any]]:
    schema = httpx.get(f"{base}/openapi.json", timeout=10).json()
    return [
        {"method": method, "path": path, "summary": op.get("summary", "")}
        for path, item in schema["paths"].items()
        for method, op in item.items()
    ]


def test_swagger_ui_lists_every_operation_offline(page: Page, server: str) -> None:  # noqa: F811
    refused = _offline(page, server)
    response = page.goto(f"{server}/docs")
    assert response is not None and response.status == 200
    assert "script-src 'self'" in (response.headers.get("content-security-policy") or "")
    page.wait_for_selector(".opblock", timeout=20_000)
    operations = _operations(server)
    shown = page.locator(".opblock").count()
    assert shown == len(operations), (shown, len(operations))
    paths = set(page.locator(".opblock-summary-path").all_inner_texts())
    assert {"/paths", "/paths.csv", "/export.graphml", "/alliances/{alliance_id}/diagram.svg"} <= {
        p.replace("\u200b", "") for p in paths
    }
    assert refused == [], f"/docs reached off the server: {refused}"


# ReDoc's sidebar always shows redoc.ly's logo from its CDN; the policy refuses it (no request is
# made) and the browser logs that. It is the one error allowed on /redoc.
REDOC_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"


def test_redoc_lists_every_operation_offline(browser: Browser, server: str) -> None:  # noqa: F811
    context = browser.new_context()
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda e: errors.append(str(e)))
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    refused = _offline(tab, server)
    response = tab.goto(f"{server}/redoc")
    assert response is not None and response.status == 200
    assert "script-src 'self'" in (response.headers.get("content-security-policy") or "")
    operations = _operations(server)
    tab.wait_for_selector("[data-section-id^='tag/']", timeout=20_000)
    tab.wait_for_function(
        f"document.querySelectorAll(\"[data-section-id*='/operation/']\").length >= {len(operations)}"
    )
    assert tab.locator("[data-section-id*='/operation/']").count() == len(operations)
    context.close()
    assert refused == [], f"/redoc reached off the server: {refused}"
    unexpected = [e for e in errors if not (REDOC_LOGO in e and "Content Security Policy" in e)]
    assert not unexpected, f"/redoc logged errors: {unexpected}"
