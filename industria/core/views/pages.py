"""Framework pages: home per role, health check, jobs, the audit trail."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from industria.core.filtersets import ObjectChangeFilterSet
from industria.core.models import Job, ObjectChange
from industria.core.pagination import CappedPaginator as Paginator
from industria.core.services import job_enqueue, job_live_progress
from industria.core.tasks import demo_job_task
from industria.core.views.htmx import is_partial


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Database and broker status, for the load balancer and monitoring."""
    checks: dict[str, Any] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = {"ok": True, "vendor": connection.vendor}
    except Exception as exc:
        checks["database"] = {"ok": False, "error": exc.__class__.__name__}
    checks["broker"] = _broker_status()
    ok = all(c["ok"] for c in checks.values())
    return JsonResponse({"status": "ok" if ok else "degraded", "checks": checks}, status=200 if ok else 503)


def _broker_status() -> dict[str, Any]:
    url = settings.CELERY_BROKER_URL
    if url.startswith("filesystem://"):
        folder = settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"]
        import os

        os.makedirs(folder, exist_ok=True)
        return {"ok": os.access(folder, os.W_OK), "kind": "filesystem"}
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping()
        return {"ok": True, "kind": "redis"}
    except Exception as exc:
        return {"ok": False, "kind": "redis", "error": exc.__class__.__name__}


class JobListView(LoginRequiredMixin, View):
    """The user's jobs (all jobs for city-wide roles), newest first."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if not request.user.has_perm("core.view_job"):
            raise PermissionDenied
        page = Paginator(Job.objects.for_user(request.user, "view").select_related("requested_by"), 50).get_page(
            request.GET.get("page")
        )
        for job in page.object_list:
            job_live_progress(job)
        return render(request, "core/job_list.html", {"page": page, "can_add": request.user.has_perm("core.add_job")})


@login_required
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A job with its progress bar; the fragment polls itself until the job finishes."""
    job = job_live_progress(get_object_or_404(Job.objects.for_user(request.user, "view"), pk=pk))
    template = "core/partials/_job_status.html" if is_partial(request) else "core/job_detail.html"
    return render(request, template, {"job": job})


@login_required
def job_progress_json(request: HttpRequest, pk: int) -> JsonResponse:
    """The job's progress as JSON (for scripts and tests)."""
    job = job_live_progress(get_object_or_404(Job.objects.for_user(request.user, "view"), pk=pk))
    return JsonResponse(
        {
            "id": job.pk,
            "status": job.status,
            "done": job.progress_done,
            "total": job.progress_total,
            "percent": job.percent,
            "error": job.error,
            "result": job.result,
        }
    )


@require_POST
@login_required
def demo_job_start(request: HttpRequest) -> HttpResponse:
    """Start the demonstration job (a slow counter) and show its progress page."""
    if not request.user.has_perm("core.add_job"):
        raise PermissionDenied
    try:
        steps = max(1, min(int(request.POST.get("steps", 10)), 100))
    except ValueError:
        steps = 10
    job = job_enqueue(
        actor=request.user,
        kind="demo",
        name=_("Demonstration job"),
        task=demo_job_task,
        kwargs={"steps": steps, "step_seconds": 0.5},
    )
    return redirect(job.get_absolute_url())


class ObjectChangeListView(LoginRequiredMixin, View):
    """The whole change log, searchable (auditor and administrator)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if not request.user.has_perm("core.view_objectchange"):
            raise PermissionDenied
        queryset = ObjectChange.objects.for_user(request.user, "view").select_related("user", "content_type")
        filterset = ObjectChangeFilterSet(request.GET or None, queryset=queryset)
        rows = (
            filterset.qs
            if filterset.is_bound and filterset.is_valid()
            else (queryset.none() if filterset.is_bound else queryset)
        )
        page = Paginator(rows, 50).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        return render(
            request,
            "core/objectchange_list.html",
            {"filterset": filterset, "page": page, "querystring": query.urlencode()},
        )


@login_required
def objectchange_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One change-log entry with its field-by-field difference."""
    if not request.user.has_perm("core.view_objectchange"):
        raise PermissionDenied
    change = get_object_or_404(ObjectChange.objects.select_related("user", "content_type"), pk=pk)
    return render(request, "core/objectchange_detail.html", {"change": change})
