"""Investor site search: the requirements form, ranked parcels and parks with their reasons, saved searches
(owner-scoped) that can be re-run, and the xlsx workbook for the investor."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from industria.core.exceptions import DomainError
from industria.core.views.generic import Column, ObjectListView
from industria.land import selectors, services
from industria.land.exports import ReasonRenderer, site_search_workbook
from industria.land.forms import SavedSiteSearchForm, SiteSearchForm
from industria.land.models import SavedSiteSearch

RESULT_LIMIT = 100


def _require_search(request: HttpRequest) -> None:
    if not request.user.has_perm("land.view_parcel"):
        raise PermissionDenied


def _query(criteria: dict[str, Any]) -> QueryDict:
    query = QueryDict(mutable=True)
    for key, value in SiteSearchForm.initial_from_json(criteria).items():
        if isinstance(value, list):
            query.setlist(key, [str(v) for v in value])
        else:
            query[key] = str(value)
    return query


def _criteria_rows(form: SiteSearchForm) -> list[tuple[str, Any]]:
    """(label, value) of each criterion given, for the workbook's criteria sheet and the page."""
    rows = []
    for name, field in form.fields.items():
        value = form.cleaned_data.get(name)
        if value in (None, "", []):
            continue
        if name in ("districts", "parks", "industry_group"):
            labels = dict(field.choices)
            values = value if isinstance(value, list) else [value]
            value = ", ".join(str(labels.get(v, v)) for v in values)
        rows.append((str(field.label), value))
    if form.cleaned_data.get("available_by") is None:
        rows.append((str(form.fields["available_by"].label), str(gettext_lazy("today"))))
    return rows


def _run(request: HttpRequest, form: SiteSearchForm, *, saved: SavedSiteSearch | None = None) -> HttpResponse:
    results: list[Any] = []
    if form.is_bound and form.is_valid():
        results = selectors.site_search(user=request.user, criteria=form.criteria(), limit=RESULT_LIMIT)
        if request.GET.get("export") == "xlsx":
            return site_search_workbook(criteria_rows=_criteria_rows(form), results=results)
    status = 400 if form.is_bound and not form.is_valid() else 200
    renderer = ReasonRenderer(r for result in results for r in result.reasons)
    rendered = [
        {"result": result, "reasons": [renderer.text(r.code, r.params, result.kind) for r in result.reasons]}
        for result in results
    ]
    context = {
        "form": form,
        "results": rendered,
        "searched": form.is_bound and form.is_valid(),
        "saved": saved,
        "save_form": SavedSiteSearchForm(instance=saved),
        "may_save": request.user.has_perm("land.add_savedsitesearch"),
        "querystring": request.GET.urlencode(),
        "limit": RESULT_LIMIT,
    }
    return render(request, "land/sitesearch.html", context, status=status)


class SiteSearchView(LoginRequiredMixin, View):
    """GET: the form, and the results when criteria are given (``?export=xlsx`` for the workbook).  POST:
    save the criteria under a name."""

    def get(self, request: HttpRequest) -> HttpResponse:
        _require_search(request)
        data = request.GET.copy()
        data.pop("export", None)
        return _run(request, SiteSearchForm(data or None))

    def post(self, request: HttpRequest) -> HttpResponse:
        _require_search(request)
        form = SiteSearchForm(request.POST)
        save_form = SavedSiteSearchForm(request.POST)
        if form.is_valid() and save_form.is_valid():
            try:
                search = services.saved_site_search_save(
                    actor=request.user, name=save_form.cleaned_data["name"], criteria=form.as_json()
                )
            except PermissionDenied:
                raise
            except DomainError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("Saved the search %(name)s.") % {"name": search.name})
                return HttpResponseRedirect(search.get_absolute_url())
        if not save_form.is_valid():
            form.is_valid()
            for field, errors in save_form.errors.items():
                form.add_error(None, f"{save_form.fields[field].label}: {' '.join(errors)}")
        return _run(request, form)


class SavedSearchListView(ObjectListView):
    """The user's own saved searches (analysts see every row of the model, but a search is personal)."""

    model = SavedSiteSearch
    title = gettext_lazy("Saved site searches")
    export_stem = "saved-site-searches"
    columns = [
        Column("name", gettext_lazy("Name"), link=True),
        Column("updated_at", gettext_lazy("Saved")),
    ]

    def get_queryset(self) -> Any:
        return super().get_queryset().filter(owner=self.request.user)


def _own_search(request: HttpRequest, pk: int, action: str = "view") -> SavedSiteSearch:
    return get_object_or_404(SavedSiteSearch.objects.for_user(request.user, action).filter(owner=request.user), pk=pk)


class SavedSearchView(LoginRequiredMixin, View):
    """Re-run a saved search with its criteria (``?export=xlsx`` for the workbook); POST renames/overwrites."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        _require_search(request)
        search = _own_search(request, pk)
        return _run(request, SiteSearchForm(_query(search.criteria)), saved=search)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        _require_search(request)
        search = _own_search(request, pk, "change")
        form = SiteSearchForm(request.POST)
        save_form = SavedSiteSearchForm(request.POST, instance=search)
        if form.is_valid() and save_form.is_valid():
            services.saved_site_search_save(
                actor=request.user, name=save_form.cleaned_data["name"], criteria=form.as_json(), search=search
            )
            messages.success(request, _("Saved the search %(name)s.") % {"name": search.name})
            return HttpResponseRedirect(search.get_absolute_url())
        return _run(request, form, saved=search)


class SavedSearchDeleteView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        search = _own_search(request, pk, "delete")
        services.saved_site_search_delete(actor=request.user, search=search)
        messages.success(request, _("Deleted the search %(name)s.") % {"name": search.name})
        return HttpResponseRedirect(reverse("land:sitesearch_saved_list"))
