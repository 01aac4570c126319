"""Background jobs: a real Celery worker runs the demo job while the UI polls its progress, with the embedded
filesystem broker and with Redis."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse

from industria import celery_app
from industria.core.models import Job


def _redis_url() -> str | None:
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except Exception:
        if os.environ.get("INDUSTRIA_REQUIRE_REDIS"):
            raise
        return None
    return url


@pytest.fixture(params=["filesystem", "redis"])
def worker(request: Any, tmp_path: Any, transactional_db: Any, django_db_serialized_rollback: Any) -> Iterator[str]:
    """A Celery worker thread on the chosen broker; tasks are not eager while it runs."""
    from celery.contrib.testing.worker import start_worker

    if request.param == "redis":
        url = _redis_url()
        if url is None:
            pytest.skip("no Redis server (set INDUSTRIA_REQUIRE_REDIS=1 to make this a failure)")
        conf = {"broker_url": url, "broker_transport_options": {}}
    else:
        queue = tmp_path / "queue"
        queue.mkdir()
        conf = {
            "broker_url": "filesystem://",
            "broker_transport_options": {
                "data_folder_in": str(queue),
                "data_folder_out": str(queue),
                "store_processed": False,
                "control_folder": str(tmp_path / "control"),
            },
        }
    saved = {key: celery_app.conf[key] for key in ("broker_url", "broker_transport_options", "task_always_eager")}
    celery_app.conf.update(task_always_eager=False, **conf)
    _reset_connections()
    try:
        with start_worker(celery_app, perform_ping_check=False, pool="solo", shutdown_timeout=10):
            yield request.param
    finally:
        celery_app.conf.update(saved)
        _reset_connections()


def _reset_connections() -> None:
    """Drop pooled broker connections so the next ones use the broker just configured."""
    if celery_app._pool is not None:
        celery_app._pool.force_close_all()
        celery_app._pool = None
    celery_app.amqp._producer_pool = None


def test_demo_job_progress_bar_moves(worker: str, client: Any, make_user: Any) -> None:
    client.force_login(make_user("municipal_analyst"))

    response = client.post(reverse("core:job_demo_start"), {"steps": 8})
    job = Job.objects.get()
    seen: list[int] = []
    fragments: list[str] = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        state = client.get(reverse("core:job_progress", args=[job.pk])).json()
        seen.append(state["percent"])
        if state["status"] in ("succeeded", "failed"):
            break
        fragments.append(client.get(reverse("core:job_detail", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode())
        time.sleep(0.15)

    assert response.status_code == 302
    assert state["status"] == "succeeded", state
    assert seen == sorted(seen), "progress never goes backwards"
    assert len({p for p in seen if 0 < p < 100}) >= 2, f"the bar moved through intermediate values: {seen}"
    assert seen[-1] == 100
    running = [f for f in fragments if 'hx-trigger="every 1s"' in f]
    assert running, "while running, the fragment polls itself"
    assert re.search(r'<progress class="job-progress" max="100" value="\d+"', running[-1])


@pytest.mark.django_db
def test_failed_job_records_error_instead_of_crashing(make_user: Any) -> None:
    from industria.core.services import job_run

    job = Job.objects.create(kind="test", name="failing", requested_by=make_user("municipal_analyst"))

    def work(runner: Any) -> None:
        runner.progress(1, 3)
        raise ValueError("boom")

    job_run(job_id=job.pk, work=work)

    job.refresh_from_db()
    assert job.status == "failed"
    assert "boom" in job.error


@pytest.mark.django_db
def test_jobs_of_other_users_are_404_for_non_city_users(client: Any, make_user: Any) -> None:
    owner = make_user("district_officer", district_code="310115")
    job = Job.objects.create(kind="test", name="mine", requested_by=owner)
    client.force_login(make_user("district_officer", district_code="310115"))

    assert client.get(reverse("core:job_detail", args=[job.pk])).status_code == 404
