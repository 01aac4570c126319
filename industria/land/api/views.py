"""API of the land app: registry CRUD through ``for_user`` (the public gets parks, strategic areas and available
parcels with public fields only); workflows are actions calling the same services as the UI; the analyses
(inefficient land, economic density, site search) are read endpoints over the same selectors."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import ManyToManyField
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from industria.core.api.viewsets import ScopedModelViewSet, ScopedReadOnlyViewSet
from industria.core.exceptions import OutOfScope
from industria.core.permissions import instance_in_scope
from industria.engines.common.parsing import RulesError
from industria.land import selectors, services
from industria.land.exports import ReasonRenderer
from industria.land.filtersets import (
    ParcelFilterSet,
    ParkFilterSet,
    RevitalisationActionFilterSet,
    StrategicAreaFilterSet,
)
from industria.land.models import (
    LandUse,
    Parcel,
    Park,
    RevitalisationAction,
    RevitalisationTarget,
    SavedSiteSearch,
    StrategicArea,
)
from industria.land.selectors.density import LEVELS, latest_year
from industria.land.selectors.sitesearch import criteria_from_dict

from . import serializers as s


def _anonymous(request: Request) -> bool:
    return not (request.user and request.user.is_authenticated)


class _RegistryViewSet(ScopedModelViewSet):
    """Scoped CRUD whose scope check ignores many-to-many values (they cannot go into an unsaved instance)."""

    public_serializer_class: Any = None

    def get_serializer_class(self) -> Any:
        if self.public_serializer_class is not None and _anonymous(self.request):
            return self.public_serializer_class
        return self.serializer_class

    def _plain(self, data: dict[str, Any]) -> dict[str, Any]:
        model = self.queryset.model
        m2m = {f.name for f in model._meta.get_fields() if isinstance(f, ManyToManyField)}
        return {k: v for k, v in data.items() if k not in m2m}

    def perform_create(self, serializer: Any) -> None:
        if not instance_in_scope(self.request.user, self.queryset.model(**self._plain(serializer.validated_data))):
            raise OutOfScope()
        serializer.save()

    def perform_update(self, serializer: Any) -> None:
        instance = serializer.instance
        for key, value in self._plain(serializer.validated_data).items():
            setattr(instance, key, value)
        if not instance_in_scope(self.request.user, instance):
            raise OutOfScope()
        serializer.save()


class ParkViewSet(_RegistryViewSet):
    queryset = (
        Park.objects.select_related("district").prefetch_related("lead_groups").order_by("district__code", "code")
    )
    serializer_class = s.ParkSerializer
    public_serializer_class = s.PublicParkSerializer
    filterset_class = ParkFilterSet
    ordering_fields = ["code", "available_land_mu", "available_floor_m2"]


class StrategicAreaViewSet(_RegistryViewSet):
    queryset = StrategicArea.objects.prefetch_related("districts").order_by("kind", "code")
    serializer_class = s.StrategicAreaSerializer
    filterset_class = StrategicAreaFilterSet


class ParcelViewSet(_RegistryViewSet):
    """Parcels in scope; the public sees available parcels with public fields only."""

    queryset = Parcel.objects.select_related("district", "park").order_by("district__code", "parcel_code")
    serializer_class = s.ParcelSerializer
    public_serializer_class = s.PublicParcelSerializer
    filterset_class = ParcelFilterSet
    ordering_fields = ["parcel_code", "area_mu", "available_from"]


class LandUseViewSet(ScopedReadOnlyViewSet):
    queryset = LandUse.objects.select_related("enterprise", "parcel").order_by("-year", "parcel_id")
    serializer_class = s.LandUseSerializer


class RevitalisationTargetViewSet(ScopedModelViewSet):
    queryset = RevitalisationTarget.objects.select_related("district").order_by("-year", "district__code")
    serializer_class = s.RevitalisationTargetSerializer


class RevitalisationActionViewSet(mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    """Actions in scope.  POST opens one (``revitalisation_action_open``); ``advance``, ``complete`` and
    ``cancel`` move it on."""

    queryset = RevitalisationAction.objects.select_related("parcel").order_by("-opened_on", "pk")
    serializer_class = s.RevitalisationActionSerializer
    filterset_class = RevitalisationActionFilterSet

    def get_queryset(self) -> Any:
        act = "change" if self.action in ("advance", "complete", "cancel") else "view"
        return self.queryset.all().for_user(self.request.user, act)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = s.ActionOpenInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        action_obj = services.revitalisation_action_open(actor=request.user, **data.validated_data)
        return Response(s.RevitalisationActionSerializer(action_obj).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def advance(self, request: Request, pk: Any = None) -> Response:
        done = services.revitalisation_action_advance(actor=request.user, action=self.get_object())
        return Response(s.RevitalisationActionSerializer(done).data)

    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: Any = None) -> Response:
        data = s.ActionCompleteInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        done = services.revitalisation_action_complete(
            actor=request.user, action=self.get_object(), **data.validated_data
        )
        return Response(s.RevitalisationActionSerializer(done).data)

    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: Any = None) -> Response:
        data = s.ActionCancelInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        done = services.revitalisation_action_cancel(
            actor=request.user, action=self.get_object(), reason=data.validated_data["reason"]
        )
        return Response(s.RevitalisationActionSerializer(done).data)


class SavedSiteSearchViewSet(viewsets.ModelViewSet):
    """The caller's own saved searches; ``run`` re-runs one."""

    queryset = SavedSiteSearch.objects.order_by("-updated_at", "pk")
    serializer_class = s.SavedSiteSearchSerializer

    def get_queryset(self) -> Any:
        action_name = {"GET": "view", "POST": "add", "PUT": "change", "PATCH": "change", "DELETE": "delete"}.get(
            self.request.method, "view"
        )
        if self.action == "run":
            action_name = "view"
        return self.queryset.all().for_user(self.request.user, action_name).filter(owner=self.request.user)

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.saved_site_search_save(
            actor=self.request.user,
            name=serializer.validated_data["name"],
            criteria=serializer.fields["criteria"].to_representation(serializer.validated_data["criteria"]),
        )

    def perform_update(self, serializer: Any) -> None:
        search = serializer.instance
        criteria = serializer.validated_data.get("criteria")
        serializer.instance = services.saved_site_search_save(
            actor=self.request.user,
            name=serializer.validated_data.get("name", search.name),
            criteria=serializer.fields["criteria"].to_representation(criteria)
            if criteria is not None
            else search.criteria,
            search=search,
        )

    def perform_destroy(self, instance: SavedSiteSearch) -> None:
        services.saved_site_search_delete(actor=self.request.user, search=instance)

    @action(detail=True, methods=["get"])
    def run(self, request: Request, pk: Any = None) -> Response:
        return Response(_search_response(request, self.get_object().criteria))


def _require_view(request: Request) -> None:
    if _anonymous(request):
        from rest_framework.exceptions import NotAuthenticated

        raise NotAuthenticated()
    if not request.user.has_perm("land.view_parcel"):
        raise PermissionDenied()


def _search_response(request: Request, criteria: dict[str, Any]) -> dict[str, Any]:
    raw = dict(criteria)
    raw["available_by"] = raw.get("available_by") or timezone.localdate().isoformat()
    try:
        site_criteria = criteria_from_dict(raw)
    except RulesError as exc:
        raise ValidationError({exc.path or "criteria": [exc.message]}) from exc
    results = selectors.site_search(user=request.user, criteria=site_criteria, limit=100)
    renderer = ReasonRenderer(r for result in results for r in result.reasons)
    return {
        "criteria": raw,
        "results": [
            {
                "kind": r.kind,
                "id": r.id,
                "label": r.label,
                "rank": r.rank,
                "score": r.score,
                "url": r.obj.get_absolute_url() if r.obj is not None else None,
                "reasons": [
                    {"code": x.code, "params": x.params, "text": renderer.text(x.code, x.params, r.kind)}
                    for x in r.reasons
                ],
            }
            for r in results
        ],
    }


class SiteSearchView(APIView):
    """POST the requirements → ranked parcels and parks with reason codes, parameters and rendered text."""

    @extend_schema(request=s.SiteCriteriaSerializer, responses=OpenApiTypes.OBJECT)
    def post(self, request: Request) -> Response:
        _require_view(request)
        data = s.SiteCriteriaSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(_search_response(request, data.as_json()))


class InefficientLandView(APIView):
    """GET ?year=&as_of=&district=&kind= → the inefficient parcels in scope with kinds and explanation."""

    @extend_schema(
        parameters=[
            OpenApiParameter("year", int),
            OpenApiParameter("as_of", OpenApiTypes.DATE),
            OpenApiParameter("district", int, many=True),
            OpenApiParameter("kind", str),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request: Request) -> Response:
        _require_view(request)
        errors = {}
        try:
            as_of = (
                dt.date.fromisoformat(request.query_params["as_of"])
                if request.query_params.get("as_of")
                else timezone.localdate()
            )
        except ValueError:
            errors["as_of"] = [_("Enter a date as YYYY-MM-DD.")]
        try:
            year = int(request.query_params["year"]) if request.query_params.get("year") else None
        except ValueError:
            errors["year"] = [_("Enter a whole number.")]
        if errors:
            raise ValidationError(errors)
        year = year or latest_year() or as_of.year
        districts = [int(d) for d in request.query_params.getlist("district") if d.isdigit()]
        listed = selectors.inefficient_parcels(
            user=request.user,
            year=year,
            as_of=as_of,
            filters={"district": districts, "kind": request.query_params.get("kind") or None},
        )
        return Response(
            {
                "year": year,
                "as_of": as_of,
                "count": len(listed),
                "results": [
                    {
                        "parcel": row.parcel.parcel_code,
                        "parcel_id": row.parcel.pk,
                        "district": row.parcel.district.code,
                        "kinds": row.kinds,
                        "primary_kind": row.primary_kind,
                        "explanation": row.explanation,
                    }
                    for row in listed
                ],
            }
        )


class DensityView(APIView):
    """GET ?level=district|park|parcel&year= → output and tax per mu and per km² (masked outside the scope)."""

    @extend_schema(
        parameters=[OpenApiParameter("level", str, enum=["district", "park", "parcel"]), OpenApiParameter("year", int)],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request: Request) -> Response:
        _require_view(request)
        level = request.query_params.get("level") or "district"
        if level not in LEVELS:
            raise ValidationError({"level": [f"One of {', '.join(LEVELS)}."]})
        try:
            year = int(request.query_params["year"]) if request.query_params.get("year") else latest_year()
        except ValueError:
            raise ValidationError({"year": ["Enter a whole number."]}) from None
        rows = selectors.density_table(user=request.user, level=level, year=year) if year else []
        return Response({"level": level, "year": year, "results": rows})
