"""UI of the bulk import: upload page → job page (progress, then the result) → commit after a clean dry run."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views import View
from django.views.decorators.http import require_POST

from industria.core.exceptions import DomainError
from industria.core.models import Job
from industria.core.services import job_live_progress
from industria.core.views.htmx import is_partial

from .forms import ImportUploadForm
from .kinds import KINDS, kind_get
from .problems import ImportFileError
from .services import (
    ImportNotAllowed,
    import_allowed,
    import_commit,
    import_job_get,
    import_start,
    import_template_xlsx,
    localized_problems,
    media_path,
)

PROBLEMS_SHOWN = 200
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _kinds(user: Any) -> list[str]:
    return [code for code in KINDS if import_allowed(user, code)]


class ImportUploadView(LoginRequiredMixin, View):
    """Choose the kind and the file; a dry run is the default."""

    template_name = "enterprises/imports/import_upload.html"

    def _render(self, request: HttpRequest, form: ImportUploadForm, kinds: list[str], status: int = 200) -> Any:
        templates = [(code, KINDS[code].label) for code in kinds]
        return render(request, self.template_name, {"form": form, "templates": templates}, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        kinds = _kinds(request.user)
        if not kinds:
            raise PermissionDenied
        initial = {"kind": request.GET.get("kind")} if request.GET.get("kind") in kinds else {}
        return self._render(request, ImportUploadForm(kinds=kinds, initial=initial), kinds)

    def post(self, request: HttpRequest) -> HttpResponse:
        kinds = _kinds(request.user)
        if not kinds:
            raise PermissionDenied
        form = ImportUploadForm(request.POST, request.FILES, kinds=kinds)
        if form.is_valid():
            try:
                job = import_start(
                    actor=request.user,
                    kind=form.cleaned_data["kind"],
                    upload=form.cleaned_data["file"],
                    dry_run=form.cleaned_data["dry_run"],
                    source="ui",
                    language=get_language() or "",
                )
            except ImportFileError as exc:
                form.add_error("file", str(exc))
            except DomainError as exc:
                form.add_error(None, str(exc))
            else:
                return redirect("enterprises:import_job", pk=job.pk)
        return self._render(request, form, kinds, status=400)


def _job_or_404(request: HttpRequest, pk: int) -> Job:
    try:
        return import_job_get(request.user, pk)
    except Job.DoesNotExist as exc:
        raise Http404 from exc


@login_required
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    """The import's progress while it runs, then its counts, problems, rejected rows and the commit button."""
    job = job_live_progress(_job_or_404(request, pk))
    result = job.result if isinstance(job.result, dict) else None
    context: dict[str, Any] = {"job": job, "result": result, "problems": [], "can_commit": False}
    if result:
        spec = kind_get(result.get("kind"))
        context.update(
            problems=localized_problems(result.get("problems", [])[:PROBLEMS_SHOWN]),
            problems_hidden=max(0, result.get("problems_total", 0) - PROBLEMS_SHOWN),
            kind_label=spec.label if spec else result.get("kind"),
            can_commit=bool(
                result.get("dry_run")
                and result.get("outcome") == "checked"
                and import_allowed(request.user, result.get("kind"))
            ),
        )
    template = (
        "enterprises/imports/partials/_import_status.html"
        if is_partial(request)
        else ("enterprises/imports/import_job.html")
    )
    return render(request, template, context)


@require_POST
@login_required
def import_commit_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Import for real the file of a clean dry run."""
    job = _job_or_404(request, pk)
    try:
        new_job = import_commit(actor=request.user, job=job, source="ui", language=get_language() or "")
    except ImportNotAllowed as exc:
        raise PermissionDenied(str(exc)) from exc
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect("enterprises:import_job", pk=job.pk)
    return redirect("enterprises:import_job", pk=new_job.pk)


@login_required
def import_rejected(request: HttpRequest, pk: int) -> FileResponse:
    """The rejected rows of an import, with their problems, as xlsx."""
    job = _job_or_404(request, pk)
    relative = (job.result or {}).get("rejected_file") if isinstance(job.result, dict) else None
    if not relative:
        raise Http404
    try:
        path = media_path(relative)
    except DomainError as exc:
        raise Http404 from exc
    if not path.exists():
        raise Http404
    return FileResponse(
        open(path, "rb"),
        as_attachment=True,
        filename=f"rejected-rows-{job.pk}.xlsx",  # noqa: SIM115
        content_type=XLSX,
    )


@login_required
def import_template(request: HttpRequest, kind: str) -> HttpResponse:
    """The xlsx template of a kind, in the active language."""
    if kind_get(kind) is None:
        raise Http404
    response = HttpResponse(import_template_xlsx(kind), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="import-template-{kind_get(kind).code}.xlsx"'
    return response
