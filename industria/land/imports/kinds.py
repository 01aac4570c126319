"""The three kinds of land import and their columns: parks, parcels, land uses.

Built on the registry's import specification (``enterprises.imports.specs``: literal Chinese/English headers,
normalised matching, digits and lengths taken from the model fields).  Geometry comes as a ``geometry`` column
(GeoJSON geometry text or WKT) in a table, or as each feature's geometry in a GeoJSON FeatureCollection; a parcel
may instead give ``longitude``/``latitude`` (a point).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from industria.enterprises.choices import Confidence
from industria.enterprises.imports.kinds import USCC
from industria.enterprises.imports.specs import Column, Kind
from industria.land.choices import LandUseClass, ParcelStatus, ParkKind
from industria.land.models import LandUse, Parcel, Park

DATE_YEARS = {"min_value": 1949, "max_value": 2100}


def _date(key: str, zh: str, en: str, meaning: Any, aliases: tuple[str, ...] = ()) -> Column:
    return Column(key, zh, en, "date", meaning, aliases=aliases, **DATE_YEARS)


def _money_per_mu(key: str, zh: str, en: str, meaning: Any, aliases: tuple[str, ...] = ()) -> Column:
    return Column(key, zh, en, "decimal", meaning, unit="CNY", aliases=aliases)


GEOMETRY = Column(
    "geometry",
    "边界",
    "Geometry",
    "text",
    _("The boundary as a GeoJSON geometry (Polygon, MultiPolygon or Point, WGS-84 [lon, lat]) or WKT."),
    aliases=("几何", "空间范围", "坐标", "geojson", "wkt", "shape", "boundary"),
)
DISTRICT = Column(
    "district",
    "所属区",
    "District",
    "district",
    _("The district (code such as 310115 or name such as 浦东新区)."),
    aliases=("区", "区县", "行政区", "所在区"),
    example="310115",
)

PARKS = Kind(
    code="parks",
    label=_("parks"),
    model=Park,
    key=("code",),
    key_label=_("park code"),
    columns=(
        Column("code", "园区编码", "Park code", "text", _("The park's code (the key of the row)."), required=True,
               aliases=("编码", "园区代码", "code"), example="SH-CP-IC-ZJ"),
        Column("name_zh", "园区名称", "Chinese name", "text", _("The park's Chinese name."), required=True,
               aliases=("名称", "name"), example="张江集成电路设计产业园"),
        Column("name_en", "英文名称", "English name", "text", _("The park's English name."), aliases=("name en",)),
        DISTRICT,
        Column("kind", "园区类型", "Kind", "choice", _("Characteristic park, development zone or industrial base."),
               required=True, choices=ParkKind, aliases=("类型", "类别"),
               choice_aliases={"characteristic_park": ("特色产业园区", "特色园区"), "development_zone": ("开发区",),
                               "industrial_base": ("产业基地", "工业基地")},
               example="characteristic_park"),
        Column("lead_groups", "主导产业", "Lead industry groups", "text",
               _("Codes of the lead industry groups of the industrial system, separated by ; or ,."),
               aliases=("主导产业代码", "lead groups"), example="lead-ic"),
        Column("area_km2", "面积", "Area", "decimal", _("The published area of the park."), unit="km²",
               aliases=("园区面积", "area"), example="4"),
        Column("available_land_mu", "可供土地", "Available land", "decimal", _("Land still available."), unit="mu",
               aliases=("可供地", "可用土地")),
        Column("available_floor_m2", "可供载体面积", "Available floor space", "decimal",
               _("Floor space still available."), unit="m²", aliases=("可供厂房面积", "可用载体")),
        Column("source", "来源", "Source", "text", _("Where the figures come from."), aliases=("数据来源",)),
        Column("confidence", "可信度", "Confidence", "choice", _("Evidence tag of the figures."), choices=Confidence),
        Column("synthetic", "示意边界", "Schematic boundary", "bool",
               _("Yes when the boundary is schematic (not surveyed)."), aliases=("synthetic",)),
        GEOMETRY,
    ),
)  # fmt: skip

PARCELS = Kind(
    code="parcels",
    label=_("parcels"),
    model=Parcel,
    key=("parcel_code",),
    key_label=_("parcel id"),
    columns=(
        Column("parcel_code", "地块编号", "Parcel id", "text", _("The parcel's id (the key of the row)."),
               required=True, aliases=("地块编码", "宗地编号", "地块代码", "parcel code", "parcel"),
               example="310115-0001"),
        DISTRICT,
        Column("park", "所属园区", "Park", "text", _("The code of the park the parcel lies in, if any."),
               aliases=("园区", "园区编码", "park code")),
        # labels carry the unit in words: a bracketed unit is dropped when headers are compared
        Column("area_m2", "地块面积", "Area in m2", "decimal", _("The parcel's area."), unit="m²",
               aliases=("出让面积", "面积平方米", "area m2", "area")),
        Column("area_mu", "地块亩数", "Area in mu", "decimal", _("The parcel's area in mu (1 mu = 666.67 m²)."),
               unit="mu", aliases=("亩数", "面积亩", "area mu")),
        Column("land_use_class", "用地性质", "Land-use class", "choice", _("M industrial, M4 R&D, M0, W storage."),
               choices=LandUseClass, aliases=("用地类型", "土地用途"),
               choice_aliases={"industrial": ("M", "工业用地", "工业"), "rd": ("M4", "研发用地", "工业研发"),
                               "new_industrial": ("M0", "新型产业用地"), "warehouse": ("W", "仓储用地", "仓储")}),
        Column("floor_area_ratio", "容积率", "Floor-area ratio", "decimal", _("Permitted floor area ÷ land area."),
               aliases=("far",)),
        Column("status", "状态", "Status", "choice", _("In use, idle, under construction or available."),
               choices=ParcelStatus, aliases=("地块状态", "利用状态"),
               choice_aliases={"in_use": ("在用", "使用中"), "idle": ("闲置",), "under_construction": ("在建",),
                               "available": ("可供", "待供", "可出让")}),
        _date("available_from", "可供日期", "Available from", _("When an available parcel can be handed over.")),
        _date("approved_on", "批准日期", "Approved on", _("Land approved (批)."), ("批地日期",)),
        _date("transfer_on", "出让日期", "Transferred on", _("Land transferred (供)."), ("供地日期", "土地出让日期")),
        Column("term_years", "出让年限", "Term", "int", _("Term of the land-use right."), unit="years",
               aliases=("使用年限",), min_value=1, max_value=70),
        _date("construction_started_on", "开工日期", "Construction started on", _("Construction started (用).")),
        _date("completed_on", "竣工日期", "Completed on", _("Construction completed (建).")),
        _date("producing_on", "投产日期", "Producing since", _("Production started (投).")),
        Column("developed_share", "开发比例", "Developed share", "decimal",
               _("Share of the permitted floor area that is built (0–1)."), aliases=("建成比例",)),
        _money_per_mu("agreed_investment_cny_per_mu", "约定投资强度", "Agreed investment intensity",
                      _("Investment per mu agreed at transfer (standard land)."), ("投资强度",)),
        _money_per_mu("agreed_output_cny_per_mu", "约定亩均产出", "Agreed output per mu",
                      _("Output per mu at capacity agreed at transfer."), ("亩均产出",)),
        _money_per_mu("agreed_tax_cny_per_mu", "约定亩均税收", "Agreed tax per mu",
                      _("Tax per mu at capacity agreed at transfer."), ("亩均税收",)),
        GEOMETRY,
        Column("longitude", "经度", "Longitude", "decimal", _("Longitude of a parcel given as a point."),
               aliases=("lon", "lng")),
        Column("latitude", "纬度", "Latitude", "decimal", _("Latitude of a parcel given as a point."),
               aliases=("lat",)),
    ),
)  # fmt: skip

LAND_USES = Kind(
    code="land_uses",
    label=_("land uses"),
    model=LandUse,
    key=("uscc", "parcel", "year"),
    key_label=_("credit code, parcel id and year"),
    columns=(
        USCC,
        Column("parcel", "地块编号", "Parcel id", "text", _("The parcel's id."), required=True,
               aliases=("地块编码", "宗地编号", "parcel code", "parcel_code"), example="310115-0001"),
        Column("year", "年份", "Year", "int", _("The year of use."), required=True, aliases=("年度",),
               min_value=1949, max_value=2100, example="2024"),
        Column("used_area_m2", "使用面积", "Used area", "decimal",
               _("The area used (blank: the whole parcel)."), unit="m²", aliases=("用地面积",)),
    ),
)  # fmt: skip

KINDS: dict[str, Kind] = {kind.code: kind for kind in (PARKS, PARCELS, LAND_USES)}
