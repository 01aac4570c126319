"""Declarative registry CRUD (NetBox-style): list with filters and export, detail with tabs, edit, delete.

Every queryset comes through ``for_user``; an out-of-scope row is a 404, a missing role permission a 403.
Writes happen inside the request's audit context (channel "ui").
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views import View

from industria.core.exceptions import DomainError
from industria.core.exports import export_csv, export_filename, export_xlsx
from industria.core.models import ObjectChange
from industria.core.pagination import COUNT_CAP, FILTERED_COUNT_CAP
from industria.core.pagination import CappedPaginator as Paginator
from industria.core.permissions import instance_in_scope, perm_name
from industria.core.views.htmx import is_partial

PAGE_SIZES = (25, 50, 100, 250)


def _require(request: HttpRequest, model: type[models.Model], action: str) -> None:
    if action == "view" and getattr(model, "scope_shared", False):
        return
    if not request.user.has_perm(perm_name(model, action)):
        raise PermissionDenied


class Column:
    """A list/export column: an attribute path (``district__name_zh``) and a header."""

    def __init__(
        self, accessor: str, header: Any, *, link: bool = False, numeric: bool = False, export_only: bool = False
    ):
        self.accessor, self.header, self.link, self.numeric, self.export_only = (
            accessor,
            header,
            link,
            numeric,
            export_only,
        )

    def value(self, obj: Any) -> Any:
        value = obj
        for part in self.accessor.split("__"):
            value = getattr(value, part, None) if value is not None else None
            if callable(value) and not isinstance(value, models.Manager):
                value = value()
        if hasattr(obj, f"get_{self.accessor}_display") and "__" not in self.accessor:
            return getattr(obj, f"get_{self.accessor}_display")()
        return value


class ObjectListView(LoginRequiredMixin, View):
    """A filtered, paginated, exportable list of the rows the user may see."""

    model: ClassVar[type[models.Model]]
    filterset_class: ClassVar[Any] = None
    columns: ClassVar[list[Column]] = []
    template_name = "core/object_list.html"
    partial_template_name = "core/partials/_object_table.html"
    select_related: ClassVar[tuple[str, ...]] = ()
    export_stem = "export"
    title: Any = None
    create_url_name: str | None = None
    #: filter fields that only choose what to show (a year, a date), not which rows: they keep the full count cap
    unfiltering_params: ClassVar[tuple[str, ...]] = ("year", "as_of", "tier_on")

    def get_queryset(self) -> Any:
        return self.model.objects.for_user(self.request.user, "view").select_related(*self.select_related)

    def get(self, request: HttpRequest) -> HttpResponse:
        _require(request, self.model, "view")
        queryset = self.get_queryset()
        filterset = (
            self.filterset_class(request.GET or None, queryset=queryset, request=request)
            if self.filterset_class
            else None
        )
        if filterset is not None:
            queryset = (
                filterset.qs
                if filterset.is_bound and filterset.is_valid()
                else (queryset.none() if filterset.is_bound else queryset)
            )
        export = request.GET.get("export")
        if export in ("csv", "xlsx"):
            return self.export(queryset, export)
        try:
            per_page = int(request.GET.get("per_page", 50))
        except ValueError:
            per_page = 50
        per_page = per_page if per_page in PAGE_SIZES else 50
        searching = filterset is not None and any(
            v
            for k, v in (filterset.form.cleaned_data if filterset.is_bound and filterset.is_valid() else {}).items()
            if k not in self.unfiltering_params
        )
        cap = FILTERED_COUNT_CAP if searching else COUNT_CAP
        page = Paginator(queryset, per_page, cap=cap).get_page(request.GET.get("page"))
        visible = [c for c in self.columns if not c.export_only]
        rows = [(obj, [(c, c.value(obj)) for c in visible]) for obj in page.object_list]
        query = request.GET.copy()
        query.pop("page", None)
        context = {
            "title": self.title or self.model._meta.verbose_name_plural,
            "model_meta": self.model._meta,
            "filterset": filterset,
            "page": page,
            "columns": visible,
            "rows": rows,
            "querystring": query.urlencode(),
            "per_page": per_page,
            "page_sizes": PAGE_SIZES,
            "can_add": self.create_url_name and request.user.has_perm(perm_name(self.model, "add")),
            "create_url_name": self.create_url_name,
        }
        template = self.partial_template_name if is_partial(request) else self.template_name
        return render(request, template, context)

    def export(self, queryset: Any, fmt: str) -> HttpResponse:
        """Export exactly the filtered rows, every column including export-only ones."""
        headers = [str(c.header) for c in self.columns]
        rows = ([c.value(obj) for c in self.columns] for obj in queryset.iterator(chunk_size=2000))
        name = export_filename(self.export_stem)
        return export_csv(name, headers, rows) if fmt == "csv" else export_xlsx(name, headers, rows)


class ObjectDetailView(LoginRequiredMixin, View):
    """One row, with tabs; the History tab lists the row's change log."""

    model: ClassVar[type[models.Model]]
    template_name: str = ""
    select_related: ClassVar[tuple[str, ...]] = ()

    def get_object(self, pk: Any) -> Any:
        queryset = self.model.objects.for_user(self.request.user, "view").select_related(*self.select_related)
        return get_object_or_404(queryset, pk=pk)

    def get_context(self, obj: Any) -> dict[str, Any]:
        return {}

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        obj = self.get_object(pk)
        tab = request.GET.get("tab", "overview")
        context = {
            "object": obj,
            "model_meta": self.model._meta,
            "tab": tab,
            "can_change": request.user.has_perm(perm_name(self.model, "change")),
            "can_delete": request.user.has_perm(perm_name(self.model, "delete")),
        }
        if tab == "history":
            context["changes"] = object_history(obj)
            template = "core/partials/_history.html" if is_partial(request) else "core/object_history.html"
            return render(request, template, context)
        context.update(self.get_context(obj))
        return render(
            request,
            self.template_name or f"{self.model._meta.app_label}/{self.model._meta.model_name}_detail.html",
            context,
        )


def object_history(obj: models.Model) -> Any:
    """The change log of one row, newest first."""
    return (
        ObjectChange.objects.filter(content_type=ContentType.objects.get_for_model(type(obj)), object_id=str(obj.pk))
        .select_related("user")
        .order_by("-time", "-id")
    )


class ObjectEditView(LoginRequiredMixin, View):
    """Create (no pk) or change a row through a ModelForm; the row must stay inside the user's scope."""

    model: ClassVar[type[models.Model]]
    form_class: ClassVar[Any]
    template_name = "core/object_edit.html"

    def get_object(self, pk: Any) -> Any:
        if pk is None:
            return self.model()
        return get_object_or_404(self.model.objects.for_user(self.request.user, "change"), pk=pk)

    def get_form(self, obj: Any, data: Any = None, files: Any = None) -> Any:
        return self.form_class(data, files, instance=obj, user=self.request.user)

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            _require(request, self.model, "change" if kwargs.get("pk") is not None else "add")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest, pk: Any = None) -> HttpResponse:
        obj = self.get_object(pk)
        return self.render(obj, self.get_form(obj))

    def post(self, request: HttpRequest, pk: Any = None) -> HttpResponse:
        obj = self.get_object(pk)
        form = self.get_form(obj, request.POST, request.FILES)
        if form.is_valid():
            instance = form.instance
            if not instance_in_scope(request.user, instance):
                form.add_error(None, _("This record would be outside your scope."))
            else:
                try:
                    with transaction.atomic():
                        instance = form.save()
                        self.saved(instance)
                except DomainError as exc:
                    form.add_error(None, str(exc))
                else:
                    messages.success(request, _("Saved %(object)s.") % {"object": instance})
                    return HttpResponseRedirect(instance.get_absolute_url())
        return self.render(obj, form, status=400)

    def saved(self, instance: Any) -> None:
        """Called inside the transaction after a save: start the workflow a change implies (override)."""

    def render(self, obj: Any, form: Any, status: int = 200) -> HttpResponse:
        context = {"object": obj, "form": form, "model_meta": self.model._meta, "is_new": obj.pk is None}
        return render(self.request, self.template_name, context, status=status)


class ObjectDeleteView(LoginRequiredMixin, View):
    """Confirm, then delete a row the user may delete."""

    model: ClassVar[type[models.Model]]
    success_url_name: str = ""
    template_name = "core/object_delete.html"

    def get_object(self, pk: Any) -> Any:
        _require(self.request, self.model, "delete")
        return get_object_or_404(self.model.objects.for_user(self.request.user, "delete"), pk=pk)

    def deleted(self, obj: Any) -> None:
        """Called inside the transaction after the delete (override)."""

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        return render(request, self.template_name, {"object": self.get_object(pk), "model_meta": self.model._meta})

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        from django.db.models import ProtectedError
        from django.urls import reverse

        obj = self.get_object(pk)
        try:
            with transaction.atomic():
                obj.delete()
                self.deleted(obj)
        except ProtectedError:
            messages.error(request, _("%(object)s cannot be deleted: other records refer to it.") % {"object": obj})
            return HttpResponseRedirect(obj.get_absolute_url())
        messages.success(request, _("Deleted %(object)s.") % {"object": obj})
        return HttpResponseRedirect(reverse(self.success_url_name))
