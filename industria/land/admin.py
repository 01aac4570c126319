"""Admin of the land app: lookup and correction only; the workflows run through the services."""

from django.contrib import admin

from .models import LandUse, Parcel, Park, RevitalisationAction, RevitalisationTarget, SavedSiteSearch, StrategicArea


@admin.register(Park)
class ParkAdmin(admin.ModelAdmin):
    list_display = ("code", "name_zh", "district", "kind", "available_land_mu", "available_floor_m2")
    list_filter = ("kind", "district")
    search_fields = ("code", "name_zh", "name_en")
    filter_horizontal = ("lead_groups",)


@admin.register(StrategicArea)
class StrategicAreaAdmin(admin.ModelAdmin):
    list_display = ("code", "name_zh", "kind", "area_km2")
    list_filter = ("kind",)


@admin.register(Parcel)
class ParcelAdmin(admin.ModelAdmin):
    list_display = ("parcel_code", "district", "park", "status", "area_mu", "land_use_class")
    list_filter = ("status", "land_use_class", "district")
    search_fields = ("parcel_code",)
    raw_id_fields = ("park",)


@admin.register(LandUse)
class LandUseAdmin(admin.ModelAdmin):
    list_display = ("parcel", "enterprise", "year", "used_area_m2")
    list_filter = ("year",)
    raw_id_fields = ("parcel", "enterprise")


@admin.register(RevitalisationAction)
class RevitalisationActionAdmin(admin.ModelAdmin):
    list_display = ("parcel", "kind", "reason", "status", "opened_on", "completed_on", "area_m2")
    list_filter = ("status", "kind", "reason")
    raw_id_fields = ("parcel",)
    readonly_fields = ("status", "completed_on", "area_m2")


@admin.register(RevitalisationTarget)
class RevitalisationTargetAdmin(admin.ModelAdmin):
    list_display = ("district", "year", "target_area_m2", "synthetic")
    list_filter = ("year",)


@admin.register(SavedSiteSearch)
class SavedSiteSearchAdmin(admin.ModelAdmin):
    list_display = ("name", "owner", "updated_at")
