"""UI of the registry: enterprises (list, page with tabs, explicit group tags), tiers, and the industry taxonomy.

CRUD is declared over the generic views; reads that need annotations, series or roll-ups come from selectors,
and the one workflow here (explicit tagging) calls its service.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.dateparse import parse_date
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from industria.core.exceptions import DomainError
from industria.core.permissions import instance_in_scope
from industria.core.views.generic import (
    Column,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    object_history,
)
from industria.core.views.htmx import is_partial
from industria.enterprises import selectors
from industria.enterprises.filtersets import (
    EnterpriseFilterSet,
    IndustryCategoryFilterSet,
    IndustryMappingFilterSet,
    TierFilterSet,
)
from industria.enterprises.forms import EnterpriseForm, EnterpriseGroupTagForm, IndustryMappingForm, TierForm
from industria.enterprises.models import (
    Enterprise,
    IndustryCategory,
    IndustryGroup,
    IndustryMapping,
    Tier,
)
from industria.enterprises.models.facts import YEAR_FACT_FIELDS
from industria.enterprises.services import enterprise_group_tag, enterprise_group_untag, industry_mapping_changed


def _partial(request: HttpRequest) -> bool:
    """An HTMX fragment request (a history restore after a cache miss needs the whole page)."""
    htmx = getattr(request, "htmx", None)
    return is_partial(request) and not (htmx and htmx.history_restore_request)


def _as_of(request: HttpRequest) -> date:
    """The ``as_of`` day of the request (``?as_of=YYYY-MM-DD``), else today."""
    try:
        return parse_date(request.GET.get("as_of") or "") or timezone.localdate()
    except ValueError:
        return timezone.localdate()


# --------------------------------------------------------------------------------------------- columns


class PrimaryGroupColumn(Column):
    """The enterprise's primary group (prefetched by the selector), by name or by code."""

    def __init__(self, header: Any, *, code: bool = False, **kw: Any):
        super().__init__("primary_group", header, **kw)
        self.code = code

    def value(self, obj: Any) -> Any:
        group = selectors.enterprise_primary_group(obj)
        if group is None:
            return None
        return group.code if self.code else group.name


class YearFactColumn(Column):
    """A field of the enterprise's facts of the list's year (prefetched by the selector)."""

    def __init__(
        self, field: str, header: Any, *, labels: dict[Any, Any] | None = None, ten_thousands: bool = False, **kw: Any
    ):
        super().__init__(field, header, **kw)
        self.labels, self.ten_thousands = labels, ten_thousands

    def value(self, obj: Any) -> Any:
        fact = selectors.enterprise_year_fact(obj)
        raw = getattr(fact, self.accessor) if fact is not None else None
        if self.labels is not None:
            label = self.labels.get(raw)
            return str(label) if label is not None else None
        return selectors.money_10k(raw) if self.ten_thousands else raw


class TextColumn(Column):
    """A related object shown as its text (xlsx cells take numbers, dates and text only)."""

    def value(self, obj: Any) -> Any:
        value = super().value(obj)
        return None if value is None else str(value)


def _with_year(label: Any, year: int | None) -> str:
    return _("%(label)s, %(year)s") % {"label": label, "year": year if year is not None else "—"}


# --------------------------------------------------------------------------------------------- enterprises


class EnterpriseListView(ObjectListView):
    """Enterprises in scope with filters and the chosen year's facts; exports carry every yearly fact."""

    model = Enterprise
    filterset_class = EnterpriseFilterSet
    template_name = "enterprises/enterprise_list.html"
    partial_template_name = "enterprises/partials/_enterprise_table.html"
    title = gettext_lazy("Enterprises")
    export_stem = "enterprises"
    create_url_name = "enterprises:enterprise_add"

    def get_queryset(self) -> Any:
        year = selectors.facts_year_resolve(self.request.GET.get("year"))
        self.columns = self.columns_for(year, export=self.request.GET.get("export") in ("csv", "xlsx"))
        return selectors.enterprise_list(user=self.request.user, year=year)

    @staticmethod
    def columns_for(year: int | None, *, export: bool) -> list[Column]:
        """The page's columns; an export adds every field of the year's facts."""
        size = {True: _("Above designated size"), False: _("Below designated size")}
        # Pages show money in CNY 10k (万元) as statistics do; exports keep exact CNY.
        if export:
            shown = {
                "main_revenue_cny": _("Main-business revenue (CNY)"),
                "gross_output_cny": _("Gross industrial output (CNY)"),
                "tax_paid_cny": _("Tax paid (CNY)"),
            }
        else:
            shown = {
                "main_revenue_cny": _("Main-business revenue (CNY 10k)"),
                "gross_output_cny": _("Gross industrial output (CNY 10k)"),
                "tax_paid_cny": _("Tax paid (CNY 10k)"),
            }
        columns = [
            Column("uscc", _("Credit code"), link=True),
            Column("name", _("Name")),
            TextColumn("district", _("District")),
            Column("industry_code", _("Industry code")),
            PrimaryGroupColumn(_("Primary group")),
            YearFactColumn("above_size", _with_year(_("Size class"), year), labels=size),
            *[
                YearFactColumn(name, _with_year(label, year), numeric=True, ten_thousands=not export)
                for name, label in shown.items()
            ],
            Column("name_zh", _("Name (Chinese)"), export_only=True),
            Column("name_en", _("Name (English)"), export_only=True),
            Column("district__code", _("District code"), export_only=True),
            Column("ownership_type", _("Ownership type"), export_only=True),
            Column("established_on", _("Established on"), export_only=True),
            Column("registered_capital_cny", _("Registered capital (CNY)"), export_only=True),
            Column("is_listed", _("Listed"), export_only=True),
            Column("is_headquarters", _("Headquarters"), export_only=True),
            Column("synthetic", _("Synthetic"), export_only=True),
            PrimaryGroupColumn(_("Primary group code"), code=True, export_only=True),
        ]
        if export:
            columns += [
                YearFactColumn(name, _with_year(capfirst(label), year), numeric=True, export_only=True)
                for name, label in YEAR_FACT_FIELDS
                if name not in shown
            ]
        return columns


TABS = (
    ("overview", gettext_lazy("Overview")),
    ("facts", gettext_lazy("Facts")),
    ("tiers", gettext_lazy("Tiers")),
    ("history", gettext_lazy("History")),
)


class EnterpriseDetailView(ObjectDetailView):
    """An enterprise's page: overview, facts over time, tiers, history; each tab loads only its own data."""

    model = Enterprise
    select_related = ("district",)

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        enterprise = self.get_object(pk)
        tab = request.GET.get("tab", "overview")
        tab = tab if tab in dict(TABS) else "overview"
        as_of = timezone.localdate()
        user = request.user
        context: dict[str, Any] = {
            "object": enterprise,
            "model_meta": Enterprise._meta,
            "tab": tab,
            "tabs": TABS,
            "as_of": as_of,
            "can_change": user.has_perm("enterprises.change_enterprise"),
            "can_delete": user.has_perm("enterprises.delete_enterprise"),
            "can_add_tier": user.has_perm("enterprises.add_tier"),
            "can_change_tier": user.has_perm("enterprises.change_tier"),
        }
        if tab == "history":
            context["changes"] = object_history(enterprise)
        elif tab == "facts":
            context.update(facts_context(enterprise, as_of))
        elif tab == "tiers":
            context["tiers"] = selectors.enterprise_tiers(enterprise=enterprise, as_of=as_of)
            context["warn_days"] = selectors.TIER_EXPIRY_WARNING_DAYS
        else:
            context.update(overview_context(request, enterprise, as_of))
        template = (
            "enterprises/partials/_enterprise_tab.html" if _partial(request) else "enterprises/enterprise_detail.html"
        )
        response = render(request, template, context)
        patch_vary_headers(response, ("HX-Request",))
        return response


def _can_tag(request: HttpRequest, enterprise: Enterprise) -> bool:
    return request.user.has_perm("enterprises.change_enterprise") and instance_in_scope(request.user, enterprise)


def groups_context(request: HttpRequest, enterprise: Enterprise, form: Any = None) -> dict[str, Any]:
    """The groups panel: memberships and, for users who may change the enterprise, the tag form."""
    can_tag = _can_tag(request, enterprise)
    if can_tag and form is None:
        form = EnterpriseGroupTagForm(groups=selectors.enterprise_taggable_groups(enterprise=enterprise))
    return {
        "object": enterprise,
        "links": selectors.enterprise_groups(enterprise=enterprise),
        "can_tag": can_tag,
        "tag_form": form,
    }


def overview_context(request: HttpRequest, enterprise: Enterprise, as_of: date) -> dict[str, Any]:
    tiers = selectors.enterprise_tiers(enterprise=enterprise, as_of=as_of)
    latest = enterprise.year_facts.order_by("-year").first()
    cards = []
    if latest is not None:
        for name, label in (
            ("main_revenue_cny", _("Main-business revenue")),
            ("gross_output_cny", _("Gross industrial output")),
            ("tax_paid_cny", _("Tax paid")),
        ):
            value = getattr(latest, name)
            cards.append({"label": label, "value": selectors.money_10k(value), "unit": _("CNY 10k")})
        cards.append({"label": _("Average employees"), "value": latest.employees_avg, "unit": _("persons")})
    return {
        "categories": selectors.industry_category_path(enterprise.industry_code),
        "latest": latest,
        "cards": cards,
        "valid_tiers": [t for t in tiers if t.valid_now],
        "expiring_tiers": [t for t in tiers if t.expiring],
        "tier_count": len(tiers),
        **groups_context(request, enterprise),
    }


def facts_context(enterprise: Enterprise, as_of: date) -> dict[str, Any]:
    facts = selectors.enterprise_year_facts(enterprise=enterprise)
    return {
        "facts": facts,
        "years": [f.year for f in facts],
        "above_size": [f.above_size for f in facts],
        "fact_rows": selectors.year_fact_table(facts),
        "charts": selectors.year_fact_charts(facts),
        "month_chart": selectors.month_output_chart(enterprise=enterprise, as_of=as_of),
    }


class EnterpriseEditView(ObjectEditView):
    model = Enterprise
    form_class = EnterpriseForm


class EnterpriseDeleteView(ObjectDeleteView):
    model = Enterprise
    success_url_name = "enterprises:enterprise_list"


class EnterpriseTagView(LoginRequiredMixin, View):
    """POST: tag the enterprise explicitly with a group; answers the groups panel (HTMX) or redirects."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        enterprise = _enterprise_to_change(request, pk)
        form = EnterpriseGroupTagForm(request.POST, groups=selectors.enterprise_taggable_groups(enterprise=enterprise))
        if form.is_valid():
            try:
                enterprise_group_tag(actor=request.user, enterprise=enterprise, group=form.cleaned_data["group"])
            except DomainError as exc:
                form.add_error(None, str(exc))
            else:
                form = None
        return _groups_response(request, enterprise, form)


class EnterpriseUntagView(LoginRequiredMixin, View):
    """POST: remove an explicit group tag; answers the groups panel (HTMX) or redirects."""

    def post(self, request: HttpRequest, pk: int, group_pk: int) -> HttpResponse:
        enterprise = _enterprise_to_change(request, pk)
        group = get_object_or_404(IndustryGroup, pk=group_pk)
        error = None
        try:
            enterprise_group_untag(actor=request.user, enterprise=enterprise, group=group)
        except DomainError as exc:
            error = str(exc)
        return _groups_response(request, enterprise, None, error=error)


def _enterprise_to_change(request: HttpRequest, pk: int) -> Enterprise:
    if not request.user.has_perm("enterprises.change_enterprise"):
        raise PermissionDenied
    return get_object_or_404(Enterprise.objects.for_user(request.user, "change"), pk=pk)


def _groups_response(request: HttpRequest, enterprise: Enterprise, form: Any, error: str | None = None) -> HttpResponse:
    if form is not None and form.errors and not _partial(request):
        for message in form.errors.get("__all__", []) + form.errors.get("group", []):
            messages.error(request, message)
    if error and not _partial(request):
        messages.error(request, error)
    if not _partial(request):
        return HttpResponseRedirect(enterprise.get_absolute_url())
    context = groups_context(request, enterprise, form)
    context["error"] = error
    return render(request, "enterprises/partials/_enterprise_groups.html", context)


# --------------------------------------------------------------------------------------------- tiers


class TierListView(ObjectListView):
    """Tiers in scope, flagged when they end within the warning period of ``as_of`` (default today)."""

    model = Tier
    filterset_class = TierFilterSet
    template_name = "enterprises/tier_list.html"
    partial_template_name = "enterprises/partials/_tier_table.html"
    title = gettext_lazy("Tiers")
    export_stem = "tiers"
    create_url_name = "enterprises:tier_add"
    columns = [
        Column("kind", gettext_lazy("Tier"), link=True),
        Column("enterprise__uscc", gettext_lazy("Credit code")),
        TextColumn("enterprise", gettext_lazy("Enterprise")),
        Column("level", gettext_lazy("Level")),
        Column("batch", gettext_lazy("Batch")),
        Column("granted_on", gettext_lazy("Granted on")),
        Column("valid_until", gettext_lazy("Valid until")),
        Column("status", gettext_lazy("Status")),
        Column("source_document", gettext_lazy("Source document")),
        Column("expiring", gettext_lazy("Expires soon")),
        Column("enterprise__district__code", gettext_lazy("District code"), export_only=True),
        Column("synthetic", gettext_lazy("Synthetic"), export_only=True),
    ]

    def get_queryset(self) -> Any:
        return selectors.tier_list(user=self.request.user, as_of=_as_of(self.request))


class TierDetailView(ObjectDetailView):
    model = Tier
    select_related = ("enterprise", "enterprise__district")

    def get_context(self, obj: Tier) -> dict[str, Any]:
        as_of = timezone.localdate()
        obj.valid_now = obj.is_valid_on(as_of)
        obj.expiring = obj.expires_within(as_of, selectors.TIER_EXPIRY_WARNING_DAYS)
        return {"as_of": as_of, "warn_days": selectors.TIER_EXPIRY_WARNING_DAYS}


class TierEditView(ObjectEditView):
    model = Tier
    form_class = TierForm

    def get_form(self, obj: Any, data: Any = None, files: Any = None) -> Any:
        initial = {}
        if obj.pk is None and data is None and self.request.GET.get("enterprise"):
            initial["enterprise"] = self.request.GET["enterprise"]
        return self.form_class(data, files, instance=obj, user=self.request.user, initial=initial)


class TierDeleteView(ObjectDeleteView):
    model = Tier
    success_url_name = "enterprises:tier_list"


# --------------------------------------------------------------------------------------------- taxonomy


class IndustryGroupListView(LoginRequiredMixin, View):
    """The industrial system in force as a tree of layers, groups and sub-areas with their plan targets."""

    def get(self, request: HttpRequest) -> HttpResponse:
        system = selectors.industry_system_current()
        layers = selectors.industry_group_tree(system=system)
        return render(request, "enterprises/industrygroup_list.html", {"system": system, "layers": layers})


class IndustryGroupDetailView(ObjectDetailView):
    """A group: its target, sub-areas, the mapping rules that feed it and the enterprises rolling up to it."""

    model = IndustryGroup
    select_related = ("system", "parent")

    def get_context(self, obj: IndustryGroup) -> dict[str, Any]:
        ids = selectors.industry_group_subtree_ids(obj)
        children = list(obj.children.order_by("sort_order", "code"))
        user = self.request.user
        rollup = None
        if user.has_perm("enterprises.view_enterprisegroup"):
            rollup = selectors.industry_group_rollup(user=user, group_ids=ids, year=selectors.facts_latest_year())
        return {
            "target": selectors.group_target(obj),
            "children": [(child, selectors.group_target(child)) for child in children],
            "rules": selectors.industry_mapping_rules(group_ids=ids),
            "rollup": rollup,
            "output_100m": selectors.money_100m(rollup.gross_output_cny) if rollup else None,
            "can_view_enterprises": user.has_perm("enterprises.view_enterprise"),
            "can_change_mapping": user.has_perm("enterprises.change_industrymapping"),
        }


class IndustryCategoryListView(ObjectListView):
    model = IndustryCategory
    filterset_class = IndustryCategoryFilterSet
    title = gettext_lazy("GB/T 4754-2017 industry codes")
    export_stem = "industry-codes"
    columns = [
        Column("code", gettext_lazy("Code"), link=True),
        Column("level", gettext_lazy("Level")),
        Column("section", gettext_lazy("Section")),
        Column("name_zh", gettext_lazy("Name (Chinese)")),
        Column("name_en", gettext_lazy("Name (English)")),
        Column("confidence", gettext_lazy("Confidence")),
    ]


class IndustryMappingListView(ObjectListView):
    """The default mapping from industry codes to groups (no official one is published)."""

    model = IndustryMapping
    filterset_class = IndustryMappingFilterSet
    template_name = "enterprises/industrymapping_list.html"
    partial_template_name = "enterprises/partials/_industrymapping_table.html"
    select_related = ("group", "group__parent")
    title = gettext_lazy("Industry mapping rules")
    export_stem = "industry-mapping"
    create_url_name = "enterprises:industrymapping_add"
    columns = [
        Column("industry_code", gettext_lazy("Industry code"), link=True),
        TextColumn("group", gettext_lazy("Industry group")),
        Column("group__code", gettext_lazy("Group code")),
        Column("weight", gettext_lazy("Weight"), numeric=True),
        Column("primary", gettext_lazy("Primary")),
        Column("exact", gettext_lazy("Exact code only")),
        Column("rationale", gettext_lazy("Rationale")),
    ]

    def get_queryset(self) -> Any:
        return super().get_queryset().order_by("industry_code", "group__sort_order")


class IndustryMappingEditView(ObjectEditView):
    model = IndustryMapping
    form_class = IndustryMappingForm

    def saved(self, instance: IndustryMapping) -> None:
        industry_mapping_changed(actor=self.request.user)


class IndustryMappingDeleteView(ObjectDeleteView):
    model = IndustryMapping
    success_url_name = "enterprises:industrymapping_list"

    def deleted(self, obj: IndustryMapping) -> None:
        industry_mapping_changed(actor=self.request.user)
