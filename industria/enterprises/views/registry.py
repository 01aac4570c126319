"""UI of the registry: declarative CRUD over the generic views."""

from django.utils.translation import gettext_lazy as _

from industria.core.views.generic import Column, ObjectDeleteView, ObjectDetailView, ObjectEditView, ObjectListView

from industria.enterprises.filtersets import EnterpriseFilterSet
from industria.enterprises.forms import EnterpriseForm
from industria.enterprises.models import Enterprise


class EnterpriseListView(ObjectListView):
    model = Enterprise
    filterset_class = EnterpriseFilterSet
    select_related = ("district",)
    title = _("Enterprises")
    export_stem = "enterprises"
    create_url_name = "enterprises:enterprise_add"
    columns = [
        Column("uscc", _("Credit code"), link=True),
        Column("name", _("Name")),
        Column("district", _("District")),
        Column("industry_code", _("Industry code")),
        Column("ownership_type", _("Ownership type")),
        Column("name_zh", _("Name (Chinese)"), export_only=True),
        Column("name_en", _("Name (English)"), export_only=True),
        Column("district__code", _("District code"), export_only=True),
        Column("established_on", _("Established on"), export_only=True),
        Column("registered_capital_cny", _("Registered capital (CNY)"), export_only=True),
        Column("is_listed", _("Listed"), export_only=True),
        Column("is_headquarters", _("Headquarters"), export_only=True),
        Column("synthetic", _("Synthetic"), export_only=True),
    ]


class EnterpriseDetailView(ObjectDetailView):
    model = Enterprise
    select_related = ("district",)


class EnterpriseEditView(ObjectEditView):
    model = Enterprise
    form_class = EnterpriseForm


class EnterpriseDeleteView(ObjectDeleteView):
    model = Enterprise
    success_url_name = "enterprises:enterprise_list"
