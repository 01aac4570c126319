"""API of the accounts app: districts (reference data) and the caller's own profile."""

from typing import Any

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from industria.accounts.models import District
from industria.core.api.viewsets import ScopedReadOnlyViewSet

from .serializers import DistrictSerializer


class DistrictViewSet(ScopedReadOnlyViewSet):
    """The districts of the city (public reference data)."""

    queryset = District.objects.order_by("code")
    serializer_class = DistrictSerializer
    filterset_fields = ["code", "ring"]
    pagination_class = None


@extend_schema(
    responses=inline_serializer(
        "Me",
        {
            "username": serializers.CharField(),
            "roles": serializers.ListField(child=serializers.CharField()),
            "scope": serializers.CharField(),
            "district": serializers.CharField(allow_null=True),
            "enterprise": serializers.CharField(allow_null=True),
        },
    )
)
@api_view(["GET"])
@permission_classes([IsAuthenticated])
def me(request: Request) -> Response:
    """Who the caller is: roles and scope."""
    user: Any = request.user
    return Response(
        {
            "username": user.username,
            "roles": user.role_codes,
            "scope": user.scope,
            "district": user.district.code if user.district_id else None,
            "enterprise": user.enterprise.uscc if user.enterprise_id else None,
        }
    )
