"""API of the bulk import: POST a file → 202 with the job's URL; GET the job for its progress and result.

``POST /api/enterprises/imports/`` (multipart: ``kind``, ``file``, ``dry_run`` default true) answers
``202 Accepted`` with ``Location`` the job; ``GET /api/enterprises/imports/<id>/`` gives status, progress and,
once finished, the result (counts, problems with messages in the caller's language, link to the rejected rows);
``POST …/<id>/commit/`` imports for real the file of a clean dry run.  Errors are problem+json.
"""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, Http404, HttpResponse
from django.urls import path, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from industria.core.api.exception_handler import problem
from industria.core.exceptions import DomainError
from industria.core.models import Job
from industria.core.services import job_live_progress
from industria.enterprises.imports.kinds import KINDS, kind_get
from industria.enterprises.imports.problems import ImportFileError, problem_message
from industria.enterprises.imports.services import (
    import_commit,
    import_job_get,
    import_start,
    import_template_xlsx,
    localized_problems,
    media_path,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportCreateInputSerializer(serializers.Serializer):
    """Shape of an upload: the kind, the file, and whether to only check it."""

    kind = serializers.ChoiceField(choices=[(code, str(kind.label)) for code, kind in KINDS.items()])
    file = serializers.FileField(allow_empty_file=True)  # an empty file gets the import's own message
    dry_run = serializers.BooleanField(default=True)


def _file_problem(exc: ImportFileError) -> Response:
    """problem+json for a file that cannot be imported at all (every reason in ``errors``)."""
    errors = [
        {
            "field": p.get("column") or "file",
            "code": p["code"],
            "row": p.get("row"),
            "message": problem_message(p["code"], p.get("params") or {}),
        }
        for p in exc.problems
    ]
    return problem(
        status.HTTP_400_BAD_REQUEST,
        exc.code,
        _("The file cannot be imported."),
        str(exc),
        params=exc.params,
        errors=errors,
    )


def import_job_payload(request: Request, job: Job) -> dict[str, Any]:
    """What the API says about an import job (messages in the language of the request)."""
    job = job_live_progress(job)
    result = job.result if isinstance(job.result, dict) else None
    payload: dict[str, Any] = {
        "id": job.pk,
        "url": request.build_absolute_uri(reverse("enterprises-api:import_detail", args=[job.pk])),
        "name": job.name,
        "status": job.status,
        "progress": {"done": job.progress_done, "total": job.progress_total, "percent": job.percent},
        "error": job.error,
        "created_at": job.created_at,
        "finished_at": job.finished_at,
        "result": None,
    }
    if result:
        payload["result"] = {**result, "problems": localized_problems(result.get("problems", []))}
        payload["result"].pop("file", None)
        payload["result"]["file"] = {k: v for k, v in (result.get("file") or {}).items() if k != "path"}
        if result.get("rejected_file"):
            payload["rejected_url"] = request.build_absolute_uri(
                reverse("enterprises-api:import_rejected", args=[job.pk])
            )
            payload["result"].pop("rejected_file", None)
        if result.get("dry_run") and result.get("outcome") == "checked":
            payload["commit_url"] = request.build_absolute_uri(reverse("enterprises-api:import_commit", args=[job.pk]))
    return payload


def _accepted(request: Request, job: Job) -> Response:
    body = import_job_payload(request, job)
    return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": body["url"]})


class ImportCreateView(APIView):
    """Upload a file to import (a dry run unless ``dry_run`` is false); the import runs as a job."""

    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request=ImportCreateInputSerializer, responses={202: dict})
    def post(self, request: Request) -> Response:
        kind = request.data.get("kind")
        if kind and kind_get(str(kind)) is None:
            raise ImportFileError("unknown_kind", {"value": kind, "allowed": ", ".join(KINDS)})
        serializer = ImportCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            job = import_start(
                actor=request.user,
                kind=data["kind"],
                upload=data["file"],
                dry_run=data["dry_run"],
                source="api",
                language=get_language() or "",
            )
        except ImportFileError as exc:
            return _file_problem(exc)
        return _accepted(request, job)

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, ImportFileError):
            return _file_problem(exc)
        return super().handle_exception(exc)


def _job(request: Request, pk: int) -> Job:
    try:
        return import_job_get(request.user, pk)
    except Job.DoesNotExist as exc:
        raise Http404 from exc


class ImportDetailView(APIView):
    """An import job: status, progress and, once finished, the result."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: dict})
    def get(self, request: Request, pk: int) -> Response:
        return Response(import_job_payload(request, _job(request, pk)))


class ImportCommitView(APIView):
    """Import for real the file that a dry run found valid (a new job)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={202: dict})
    def post(self, request: Request, pk: int) -> Response:
        job = _job(request, pk)
        new_job = import_commit(actor=request.user, job=job, source="api", language=get_language() or "")
        return _accepted(request, new_job)


class ImportRejectedView(APIView):
    """The rejected rows of an import with their problems (xlsx)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={(200, XLSX): bytes})
    def get(self, request: Request, pk: int) -> FileResponse:
        job = _job(request, pk)
        relative = job.result.get("rejected_file") if isinstance(job.result, dict) else None
        if not relative:
            raise Http404
        try:
            file_path = media_path(relative)
        except DomainError as exc:
            raise Http404 from exc
        if not file_path.exists():
            raise Http404
        return FileResponse(
            open(file_path, "rb"),
            as_attachment=True,  # noqa: SIM115 (FileResponse closes it)
            filename=f"rejected-rows-{job.pk}.xlsx",
            content_type=XLSX,
        )


class ImportTemplateView(APIView):
    """The xlsx template of a kind (headers in the language of the request)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={(200, XLSX): bytes})
    def get(self, request: Request, kind: str) -> HttpResponse:
        spec = kind_get(kind)
        if spec is None:
            raise Http404
        response = HttpResponse(import_template_xlsx(spec.code), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="import-template-{spec.code}.xlsx"'
        return response


urlpatterns = [
    path("imports/", ImportCreateView.as_view(), name="import_create"),
    path("imports/templates/<str:kind>.xlsx", ImportTemplateView.as_view(), name="import_template"),
    path("imports/<int:pk>/", ImportDetailView.as_view(), name="import_detail"),
    path("imports/<int:pk>/commit/", ImportCommitView.as_view(), name="import_commit"),
    path("imports/<int:pk>/rejected.xlsx", ImportRejectedView.as_view(), name="import_rejected"),
]
