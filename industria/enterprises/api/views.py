"""API of the registry."""

from industria.core.api.viewsets import ScopedModelViewSet
from industria.enterprises.filtersets import EnterpriseFilterSet
from industria.enterprises.models import Enterprise

from .serializers import EnterpriseSerializer


class EnterpriseViewSet(ScopedModelViewSet):
    """Enterprises in the caller's scope."""

    queryset = Enterprise.objects.select_related("district").order_by("uscc")
    serializer_class = EnterpriseSerializer
    filterset_class = EnterpriseFilterSet
    ordering_fields = ["uscc", "name_zh", "established_on", "registered_capital_cny"]
