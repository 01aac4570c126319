"""The demo logins work in a real browser and each role lands on its home page; the language switch works;
a demo job's progress bar moves."""

from __future__ import annotations

import re
from typing import Any

import pytest

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def demo_accounts(settings: Any) -> None:
    from industria.accounts import demo

    settings.LANGUAGE_CODE = "zh-hans"
    demo.seed(scale="tiny", seed=1, log=lambda *_: None)


def login(page: Any, username: str) -> None:
    from industria.accounts.demo import DEMO_PASSWORD

    page.goto(page.base_url + "/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("#login-submit")
    page.wait_for_selector("#home-role")


def test_district_officer_logs_in_and_sees_the_district_home(page: Any, demo_accounts: None) -> None:
    login(page, "officer_pudong")

    assert page.get_attribute("section.welcome", "data-role") == "district_officer"
    assert "浦东新区" in page.inner_text("section.welcome")
    screenshot(page, "home-district-officer")
    assert page.js_errors == []


def test_analyst_logs_in_switches_to_english(page: Any, demo_accounts: None) -> None:
    login(page, "analyst")
    assert page.get_attribute("section.welcome", "data-role") == "municipal_analyst"
    assert "市级分析员" in page.inner_text("#home-role")

    page.click("#lang-en")
    page.wait_for_selector("html[lang=en]")

    assert page.inner_text("#home-role") == "Municipal analyst"
    screenshot(page, "home-analyst-en")
    assert page.js_errors == []


def test_wrong_password_shows_a_message(page: Any, demo_accounts: None) -> None:
    page.goto(page.base_url + "/accounts/login/")
    page.fill("input[name=username]", "analyst")
    page.fill("input[name=password]", "wrong")
    page.click("#login-submit")

    assert "用户名或密码" in page.inner_text(".errorlist")


def test_demo_job_progress_bar_moves_in_the_browser(page: Any, demo_accounts: None, settings: Any) -> None:
    from industria.core import tasks

    login(page, "analyst")
    page.goto(page.base_url + "/core/jobs/")
    settings.CELERY_TASK_ALWAYS_EAGER = True
    original = tasks.demo_job_task.delay
    started: list[Any] = []

    def deferred(job_id: int, **kwargs: Any) -> None:  # run the job beside the page, as a worker would
        import threading

        thread = threading.Thread(
            target=tasks.demo_job_task.run, args=(job_id,), kwargs={**kwargs, "step_seconds": 0.4}, daemon=True
        )
        thread.start()
        started.append(thread)

    tasks.demo_job_task.delay = deferred
    try:
        page.click("#start-demo-job")
        page.wait_for_selector(".job-status")
        values = set()
        for _ in range(40):
            values.add(int(page.get_attribute("progress.job-progress", "value")))
            if page.get_attribute(".job-status", "data-status") == "succeeded":
                break
            page.wait_for_timeout(300)
    finally:
        tasks.demo_job_task.delay = original
        for thread in started:
            thread.join(timeout=30)

    assert page.get_attribute(".job-status", "data-status") == "succeeded"
    assert len([v for v in values if 0 < v < 100]) >= 2, values
    assert re.search(r"100\s*%", page.inner_text(".job-status"))
    screenshot(page, "job-progress-done")
