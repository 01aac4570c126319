"""The dashboard opens in a real browser (Debian chromium via Playwright), in Chinese and in English, with its
charts drawn and no script error (the CSP forbids inline scripts). Screenshots go to test-artifacts/.

Each scenario drives its own Playwright instance in a thread of its own, so these tests neither depend on nor
disturb the session-wide browser of tests/browser/ (Playwright's sync API allows one instance per thread).
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable
from typing import Any

import pytest

from tests.browser.conftest import CHROMIUM_ARGS, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
PASSWORD = "correct-horse-9"


@pytest.fixture
def in_chromium(live_server: Any) -> Callable[[Callable[[Any], None]], None]:
    """``in_chromium(scenario)`` runs ``scenario(page)`` in a fresh headless chromium, in its own thread."""
    executable = shutil.which("chromium") or "/usr/bin/chromium"
    if not os.path.exists(executable):
        if os.environ.get("INDUSTRIA_REQUIRE_BROWSER"):
            pytest.fail("chromium is not installed (apt-get install chromium)")
        pytest.skip("chromium is not installed")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

    def run(scenario: Callable[[Any], None]) -> None:
        outcome: list[BaseException] = []

        def target() -> None:
            from playwright.sync_api import sync_playwright

            try:
                with sync_playwright() as p:
                    browser = p.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
                    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 860})
                    page = context.new_page()
                    page.base_url = live_server.url
                    errors: list[str] = []
                    page.on("pageerror", lambda exc: errors.append(str(exc)))
                    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
                    page.js_errors = errors
                    try:
                        scenario(page)
                    finally:
                        context.close()
                        browser.close()
            except BaseException as exc:  # re-raised in the test's thread
                outcome.append(exc)

        thread = threading.Thread(target=target, daemon=True)
        thread.start()
        thread.join(timeout=120)
        if thread.is_alive():
            pytest.fail("the browser scenario did not finish within 120 s")
        if outcome:
            raise outcome[0]

    return run


@pytest.fixture
def analyst(settings: Any) -> Any:
    from industria.accounts.tests.factories import make_user

    settings.LANGUAGE_CODE = "zh-hans"
    return make_user("municipal_analyst", username="plan-analyst")


def _login(page: Any, username: str) -> None:
    page.goto(page.base_url + "/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("#login-submit")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


CARD_CHART = "#card-industrial_value_added .chart canvas, #card-industrial_value_added .chart svg"


def test_dashboard_opens_in_chinese_and_in_english(in_chromium: Any, analyst: Any) -> None:
    def scenario(page: Any) -> None:
        _login(page, analyst.username)
        page.goto(page.base_url + "/plan/?as_of=2026-06-30")
        page.wait_for_selector(CARD_CHART)

        assert page.get_attribute("html", "lang") == "zh-hans"
        card = page.inner_text("#card-industrial_value_added")
        assert "工业增加值" in card
        assert "13,000" in card
        screenshot(page, "plan-overview-zh")

        page.click("#lang-en")
        page.wait_for_selector("html[lang=en]")
        page.wait_for_selector(CARD_CHART)
        assert "Industrial value added" in page.inner_text("#card-industrial_value_added")
        screenshot(page, "plan-overview-en")

        page.click("#card-industrial_value_added .card-title a")
        page.wait_for_selector(".chart[data-source=indicator-chart] canvas, .chart[data-source=indicator-chart] svg")
        assert "Actual, target and forecast" in page.inner_text("main")
        screenshot(page, "plan-indicator-en")
        assert page.js_errors == []

    in_chromium(scenario)


def test_public_view_and_district_map_open_without_script_errors(in_chromium: Any, analyst: Any) -> None:
    def scenario(page: Any) -> None:
        page.goto(page.base_url + "/plan/public/")
        page.wait_for_selector("#card-industrial_value_added")
        assert "工业增加值" in page.inner_text("#card-industrial_value_added")
        screenshot(page, "plan-public-zh")

        _login(page, analyst.username)
        page.goto(page.base_url + "/plan/map/?indicator=industrial_value_added")
        page.wait_for_selector("#district-map canvas, #district-map svg")
        screenshot(page, "plan-district-map-zh")
        assert page.js_errors == []

    in_chromium(scenario)
