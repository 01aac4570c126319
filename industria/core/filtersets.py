"""FilterSets of the framework layer (shared by UI and API)."""

from __future__ import annotations

import django_filters
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import ChangeAction, ChangeSource
from .models import ObjectChange


class ObjectChangeFilterSet(django_filters.FilterSet):
    """Search the change log by text, user, channel, action, object type and time."""

    q = django_filters.CharFilter(method="search", label=_("Search"))
    user_name = django_filters.CharFilter(lookup_expr="iexact", label=_("User"))
    source = django_filters.ChoiceFilter(choices=ChangeSource.choices, label=_("Channel"))
    action = django_filters.ChoiceFilter(choices=ChangeAction.choices, label=_("Action"))
    content_type = django_filters.ModelChoiceFilter(
        queryset=ContentType.objects.exclude(
            app_label__in=["admin", "auth", "contenttypes", "sessions", "axes", "authtoken"]
        ).order_by("app_label", "model"),
        label=_("Object type"),
    )
    time_after = django_filters.DateFilter(field_name="time", lookup_expr="date__gte", label=_("From"))
    time_before = django_filters.DateFilter(field_name="time", lookup_expr="date__lte", label=_("To"))

    class Meta:
        model = ObjectChange
        fields = ["q", "user_name", "source", "action", "content_type", "time_after", "time_before"]

    def search(self, queryset, name, value):  # type: ignore[no-untyped-def]
        return queryset.filter(Q(object_repr__icontains=value) | Q(object_id=value) | Q(user_name__icontains=value))
