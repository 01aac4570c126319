"""Base viewsets: every queryset comes through ``for_user``; writes run in the audit context as channel "api"."""

from __future__ import annotations

from typing import Any

from rest_framework import viewsets

from industria.core.exceptions import OutOfScope
from industria.core.permissions import instance_in_scope

ACTION_FOR_METHOD = {
    "GET": "view",
    "HEAD": "view",
    "OPTIONS": "view",
    "POST": "add",
    "PUT": "change",
    "PATCH": "change",
    "DELETE": "delete",
}


class ScopedModelViewSet(viewsets.ModelViewSet):
    """CRUD over a model whose rows are scoped to the user; out-of-scope rows are 404."""

    def get_queryset(self) -> Any:
        action = ACTION_FOR_METHOD.get(self.request.method, "view")
        return self.queryset.all().for_user(self.request.user, action)

    def perform_create(self, serializer: Any) -> None:
        instance = serializer.Meta.model(**serializer.validated_data)
        if not instance_in_scope(self.request.user, instance):
            raise OutOfScope()
        serializer.save()

    def perform_update(self, serializer: Any) -> None:
        instance = serializer.instance
        for key, value in serializer.validated_data.items():
            setattr(instance, key, value)
        if not instance_in_scope(self.request.user, instance):
            raise OutOfScope()
        serializer.save()


class ScopedReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """Read-only listing/detail through ``for_user``."""

    def get_queryset(self) -> Any:
        return self.queryset.all().for_user(self.request.user, "view")
