"""API of the registry: every model, scoped through for_user, filtered with django-filter."""

from rest_framework import viewsets

from industria.core.api.viewsets import ScopedModelViewSet, ScopedReadOnlyViewSet
from industria.enterprises.filtersets import EnterpriseFilterSet
from industria.enterprises.models import (
    Enterprise,
    EnterpriseGroup,
    EnterpriseMonthFact,
    EnterpriseYearFact,
    IndustryCategory,
    IndustryGroup,
    IndustryMapping,
    SizeRule,
    Tier,
)
from industria.enterprises.services import industry_mapping_changed

from . import serializers as s


class EnterpriseViewSet(ScopedModelViewSet):
    """Enterprises in the caller's scope."""

    queryset = Enterprise.objects.select_related("district").order_by("uscc")
    serializer_class = s.EnterpriseSerializer
    filterset_class = EnterpriseFilterSet
    ordering_fields = ["uscc", "name_zh", "established_on", "registered_capital_cny"]


class EnterpriseYearFactViewSet(ScopedModelViewSet):
    """Yearly facts of enterprises in scope; ``above_size`` follows the size rule of the year."""

    queryset = EnterpriseYearFact.objects.select_related("enterprise").order_by("enterprise__uscc", "-year")
    serializer_class = s.EnterpriseYearFactSerializer
    filterset_fields = {
        "year": ["exact", "gte", "lte"],
        "above_size": ["exact"],
        "enterprise__uscc": ["exact"],
        "enterprise__district__code": ["exact"],
    }
    ordering_fields = ["year", "main_revenue_cny", "gross_output_cny", "tax_paid_cny"]

    def perform_create(self, serializer):  # type: ignore[no-untyped-def]
        from industria.enterprises.services import year_fact_above_size

        super().perform_create(serializer)
        year_fact_above_size(fact=serializer.instance)

    def perform_update(self, serializer):  # type: ignore[no-untyped-def]
        from industria.enterprises.services import year_fact_above_size

        super().perform_update(serializer)
        year_fact_above_size(fact=serializer.instance)


class EnterpriseMonthFactViewSet(ScopedModelViewSet):
    queryset = EnterpriseMonthFact.objects.select_related("enterprise").order_by("enterprise__uscc", "-year", "-month")
    serializer_class = s.EnterpriseMonthFactSerializer
    filterset_fields = {"year": ["exact"], "month": ["exact"], "enterprise__uscc": ["exact"]}


class TierViewSet(ScopedModelViewSet):
    queryset = Tier.objects.select_related("enterprise").order_by("enterprise__uscc", "kind", "-granted_on")
    serializer_class = s.TierSerializer
    filterset_fields = {
        "kind": ["exact"],
        "level": ["exact"],
        "status": ["exact"],
        "valid_until": ["lte", "gte"],
        "enterprise__uscc": ["exact"],
    }


class IndustryCategoryViewSet(ScopedReadOnlyViewSet):
    """GB/T 4754-2017 codes (public reference data)."""

    queryset = IndustryCategory.objects.order_by("code")
    serializer_class = s.IndustryCategorySerializer
    filterset_fields = ["level", "section", "code"]


class IndustryGroupViewSet(ScopedReadOnlyViewSet):
    """The groups of the current industrial system, with their plan targets and confidence tags."""

    queryset = IndustryGroup.objects.select_related("parent").filter(system__is_current=True)
    serializer_class = s.IndustryGroupSerializer
    filterset_fields = ["kind", "code"]


class IndustryMappingViewSet(ScopedModelViewSet):
    """The default mapping from industry codes to groups (writable by administrators)."""

    queryset = IndustryMapping.objects.select_related("group").order_by("industry_code")
    serializer_class = s.IndustryMappingSerializer
    filterset_fields = ["industry_code", "group__code", "primary"]

    def perform_create(self, serializer):  # type: ignore[no-untyped-def]
        super().perform_create(serializer)
        industry_mapping_changed(actor=self.request.user)

    def perform_update(self, serializer):  # type: ignore[no-untyped-def]
        super().perform_update(serializer)
        industry_mapping_changed(actor=self.request.user)

    def perform_destroy(self, instance):  # type: ignore[no-untyped-def]
        super().perform_destroy(instance)
        industry_mapping_changed(actor=self.request.user)


class EnterpriseGroupViewSet(ScopedReadOnlyViewSet):
    """Resolved memberships: which enterprise rolls up to which group (mapping or explicit)."""

    queryset = EnterpriseGroup.objects.select_related("enterprise", "group").order_by("enterprise__uscc")
    serializer_class = s.EnterpriseGroupSerializer
    filterset_fields = ["source", "group__code", "enterprise__uscc"]


class SizeRuleViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = SizeRule.objects.all()
    serializer_class = s.SizeRuleSerializer
    pagination_class = None
    permission_classes: list = []
