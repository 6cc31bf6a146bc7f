"""Headless Debian Chromium through Playwright, opening rendered maps from file:// URLs.

Where /usr/bin/chromium is missing the browser tests skip and say why, except under CI=true,
where a missing browser fails them: a CI run must never pass by skipping. No browser is ever
downloaded (no `playwright install`).
"""

from __future__ import annotations

import base64
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path(os.environ.get("GRAVEMAP_CHROMIUM", "/usr/bin/chromium"))
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

# Runs before the page's own scripts: records CSP violations, and makes any planted script
# that does run visible (alert/confirm/prompt are also caught by the dialog handler).
INIT_SCRIPT = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " " + e.blockedURI);
});
"""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is not installed (apt-get install chromium); browser tests skipped"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true and {reason.replace('skipped', 'cannot run')}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield browser
        browser.close()


@dataclass
class OpenedMap:
    """A page showing a rendered map, with everything it tried to do recorded."""

    page: Any
    url: str
    requests: list[str] = field(default_factory=list)
    outside_requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)

    def pwned(self) -> bool:
        return bool(self.page.evaluate("Boolean(window.__pwned)")) or bool(self.dialogs)

    def csp_violations(self) -> list[str]:
        return self.page.evaluate("window.__cspViolations")

    def popup_text(self) -> str:
        self.page.wait_for_selector(".leaflet-popup .gm-pop")
        return self.page.inner_text(".leaflet-popup .gm-pop")


@pytest.fixture
def open_map(browser: Any, tmp_path: Path) -> Iterator[Callable[..., OpenedMap]]:
    """open_map(html, fragment="", viewport=..., phone=False, bypass_csp=False) -> OpenedMap,
    once window.gravemapReady (`phone`: a 390x844 touch screen)."""
    contexts = []

    def opener(
        html: str,
        fragment: str = "",
        viewport: dict[str, int] | None = None,
        *,
        phone: bool = False,
        bypass_csp: bool = False,
    ) -> OpenedMap:
        path = tmp_path / f"map{len(contexts)}.html"
        path.write_text(html, encoding="utf-8")
        context = browser.new_context(
            viewport=viewport
            or ({"width": 390, "height": 844} if phone else None)
            or {"width": 1280, "height": 800},
            is_mobile=phone,
            has_touch=phone,
            bypass_csp=bypass_csp,  # axe-core is injected: the page's own policy would block it
        )
        contexts.append(context)
        page = context.new_page()
        opened = OpenedMap(page, path.as_uri() + fragment)
        page.add_init_script(INIT_SCRIPT)

        def route(route: Any) -> None:
            if route.request.url.startswith("file:"):
                route.continue_()
            else:
                opened.outside_requests.append(route.request.url)
                route.abort()

        page.route("**/*", route)
        page.on("request", lambda request: opened.requests.append(request.url))

        def on_dialog(dialog: Any) -> None:
            opened.dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", on_dialog)
        page.on("pageerror", lambda error: opened.errors.append(str(error)))
        page.on("console", lambda msg: opened.console.append(f"{msg.type}: {msg.text}"))
        page.goto(opened.url)
        # An arrow function: a bare expression would need eval, which the page's CSP forbids.
        page.wait_for_function(
            "() => window.gravemapReady === true && (!window.gravemapTimings"
            " || Boolean(window.gravemapTimings.basemap)"
            " || !document.querySelector('script[id$=\"-basemap\"]'))",
            timeout=60_000,
        )
        return opened

    yield opener
    for context in contexts:
        context.close()


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def colour_shares(browser: Any) -> Callable[[bytes], list[float]]:
    """Shares of the most common colours of a PNG, biggest first (decoded by a canvas): how a
    test tells a drawn map from a flat field."""

    def shares(png: bytes) -> list[float]:
        context = browser.new_context()
        page = context.new_page()
        found = page.evaluate(
            """async uri => {
              const img = new Image();
              img.src = uri;
              await img.decode();
              const c = document.createElement('canvas');
              c.width = img.width; c.height = img.height;
              const g = c.getContext('2d');
              g.drawImage(img, 0, 0);
              const d = g.getImageData(0, 0, c.width, c.height).data;
              const n = new Map();
              for (let i = 0; i < d.length; i += 4) {
                const k = (d[i] >> 3) + ',' + (d[i + 1] >> 3) + ',' + (d[i + 2] >> 3);
                n.set(k, (n.get(k) || 0) + 1);
              }
              return [...n.values()].sort((a, b) => b - a).map(v => v / (d.length / 4));
            }""",
            "data:image/png;base64," + base64.b64encode(png).decode("ascii"),
        )
        context.close()
        return found

    return shares
