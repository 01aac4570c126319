"""The change log records every write with actor and channel: UI, API, background task, CLI."""

from __future__ import annotations

import os
from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from industria.accounts.models import User
from industria.core.changelog import bulk_change_record, change_context, suppress_row_logging
from industria.core.models import Job, ObjectChange
from industria.enterprises.models import Enterprise
from industria.enterprises.tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


def test_task_write_is_logged_with_requester_and_channel_task(
    make_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from industria.accounts.tasks import users_deactivate_dormant_task
    from industria.core.services import job_enqueue

    admin = make_user("municipal_admin")
    dormant = make_user("municipal_analyst")
    User.objects.filter(pk=dormant.pk).update(last_login=timezone.now() - timedelta(days=400))

    with django_capture_on_commit_callbacks(execute=True):
        job = job_enqueue(
            actor=admin,
            kind="accounts",
            name="dormant",
            task=users_deactivate_dormant_task,
            kwargs={"inactive_days": 180},
        )

    job.refresh_from_db()
    assert job.status == "succeeded", job.error
    change = ObjectChange.objects.get(object_id=str(dormant.pk), action="update", after__is_active=False)
    assert (change.user, change.source) == (admin, "task")
    assert (change.before["is_active"], change.after["is_active"]) == (True, False)


def test_cli_write_is_logged_with_actor_and_channel_cli(make_user: Any, monkeypatch: Any) -> None:
    admin = make_user("municipal_admin", username="root_admin")
    monkeypatch.setenv("INDUSTRIA_PASSWORD", "a-Long-pass-2025")

    call_command(
        "user_add", "new_officer", "--role", "district_officer", "--district", "310115", "--actor", "root_admin"
    )

    created = User.objects.get(username="new_officer")
    change = ObjectChange.objects.get(object_id=str(created.pk), action="create")
    assert (change.user, change.source) == (admin, "cli")
    assert created.scope == "district"
    assert change.after["password"] == "********", "the password hash never enters the change log"


def test_cli_rejects_unknown_district_without_writing(monkeypatch: Any) -> None:
    from django.core.management.base import CommandError

    monkeypatch.setenv("INDUSTRIA_PASSWORD", "a-Long-pass-2025")

    with pytest.raises(CommandError, match="no district with code"):
        call_command("user_add", "x", "--role", "district_officer", "--district", "999999")
    assert not User.objects.filter(username="x").exists()


def test_installed_console_command_runs_from_any_directory(tmp_path: Any) -> None:
    import shutil
    import subprocess
    import sys

    exe = shutil.which("industria", path=os.path.dirname(sys.executable))
    assert exe, "the package installs an `industria` console command"

    result = subprocess.run(
        [exe, "help", "seed-demo"], cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False
    )

    assert result.returncode == 0, result.stderr
    assert "--scale" in result.stdout


def test_update_without_change_writes_nothing() -> None:
    enterprise = EnterpriseFactory()
    enterprise = Enterprise.objects.get(pk=enterprise.pk)
    count = ObjectChange.objects.count()

    enterprise.save()

    assert ObjectChange.objects.count() == count


def test_bulk_operation_writes_one_entry_with_summary(make_user: Any) -> None:
    actor = make_user("municipal_admin")
    count = ObjectChange.objects.count()

    with change_context(actor=actor, source="task"), suppress_row_logging():
        for _ in range(5):
            EnterpriseFactory()
        bulk_change_record(model=Enterprise, summary={"created": 5}, object_repr="import of 5 rows")

    entries = ObjectChange.objects.all()[: ObjectChange.objects.count() - count]
    assert [(e.action, e.summary, e.source, e.user) for e in entries] == [("bulk", {"created": 5}, "task", actor)]


def test_auditor_searches_the_log_and_others_may_not(client: Any, make_user: Any) -> None:
    enterprise = EnterpriseFactory(name_zh="上海可查找企业", name_en="Findable Co.")
    client.force_login(make_user("auditor"))

    found = client.get("/core/audit/", {"q": "Findable"})
    none = client.get("/core/audit/", {"q": "no-such-thing"})
    client.force_login(make_user("municipal_analyst"))
    forbidden = client.get("/core/audit/")

    assert found.status_code == 200
    assert enterprise.name_en.encode() in found.content
    assert enterprise.name_en.encode() not in none.content
    assert forbidden.status_code == 403


def test_job_rows_are_not_audited_but_business_rows_are() -> None:
    Job.objects.create(kind="x", name="y")

    assert not ObjectChange.objects.filter(content_type__model="job").exists()
