"""Acceptance of the land import: one bad row rejects the whole file naming row and column; re-importing the same
file changes nothing; GeoJSON FeatureCollections import; csv in UTF-8 and GBK; xlsx; dry run; one audit entry;
land uses; the job and the command line."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import xlsxwriter
from django.core.management import call_command
from django.core.management.base import CommandError

from industria.core.models import ObjectChange
from industria.enterprises.tests.factories import EnterpriseFactory
from industria.land.imports.services import land_import_run, land_import_start
from industria.land.models import LandUse, Parcel, Park
from industria.land.tests.factories import ParcelFactory, square

pytestmark = pytest.mark.django_db

HEADERS = ["地块编号", "所属区", "地块面积", "用地性质", "容积率", "状态", "出让日期", "边界"]


def _parcel_row(code: str, lon: float, lat: float, side_m: float = 100, **overrides: str) -> list[str]:
    row = {
        "地块编号": code,
        "所属区": "浦东新区",
        "地块面积": f"{side_m * side_m:.0f}",
        "用地性质": "M",
        "容积率": "2.0",
        "状态": "在用",
        "出让日期": "2018/5/6",
        "边界": json.dumps(square(lon, lat, side_m)),
    }
    row.update(overrides)
    return [row[h] for h in HEADERS]


def _csv(tmp_path: Path, rows: list[list[str]], *, encoding: str = "utf-8", name: str = "parcels.csv") -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    writer.writerows(rows)
    path = tmp_path / name
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


GOOD = [
    _parcel_row("310115-0001", 121.600, 31.200),
    _parcel_row("310115-0002", 121.605, 31.200),
    _parcel_row("310115-0003", 121.610, 31.200, side_m=200),
]


def test_clean_csv_imports_every_parcel_with_one_audit_entry(tmp_path: Path) -> None:
    before = ObjectChange.objects.count()
    result = land_import_run(actor=None, kind="parcels", file=_csv(tmp_path, GOOD), dry_run=False)
    assert result.outcome == "committed", result.problems
    assert result.counts == {"rows": 3, "new": 3, "changed": 0, "unchanged": 0, "rejected": 0}
    parcel = Parcel.objects.get(parcel_code="310115-0003")
    assert parcel.district.code == "310115"
    assert float(parcel.area_m2) == pytest.approx(40_000, rel=0.005)
    assert float(parcel.area_mu) == pytest.approx(60, rel=0.005)
    assert parcel.land_use_class == "industrial"
    assert parcel.status == "in_use"
    assert parcel.transfer_on.isoformat() == "2018-05-06"
    assert parcel.min_lon < parcel.longitude < parcel.max_lon
    assert parcel.geometry["type"] == "Polygon"
    assert ObjectChange.objects.count() == before + 1  # one entry for the batch


def test_one_bad_row_rejects_the_whole_file_naming_row_and_column(tmp_path: Path) -> None:
    bow_tie = {
        "type": "Polygon",
        "coordinates": [[[121.60, 31.21], [121.61, 31.22], [121.61, 31.21], [121.60, 31.22], [121.60, 31.21]]],
    }
    rows = [*GOOD, _parcel_row("310115-0004", 121.62, 31.2, 边界=json.dumps(bow_tie))]
    result = land_import_run(actor=None, kind="parcels", file=_csv(tmp_path, rows), dry_run=False)
    assert result.outcome == "rejected"
    assert Parcel.objects.count() == 0  # all or nothing
    assert result.counts["rejected"] == 1
    (problem,) = result.problems
    assert problem["row"] == 5  # header = row 1
    assert problem["column"] == "边界"
    assert "crosses itself" in problem["message"]


@pytest.mark.parametrize(
    ("overrides", "column", "text"),
    [
        ({"地块面积": "30000"}, "边界", "does not match the area of the polygon"),
        ({"边界": json.dumps(square(116.4, 39.9, 100))}, "边界", "outside Shanghai"),
        ({"容积率": "abc"}, "容积率", "is not a number"),
        ({"状态": "demolished"}, "状态", "is not an allowed value"),
        ({"所属区": "闵行区"}, "所属区", "not in 310112"),
    ],
)
def test_cell_and_geometry_problems_name_the_row_and_column(
    tmp_path: Path, overrides: dict[str, str], column: str, text: str
) -> None:
    rows = [GOOD[0], _parcel_row("310115-0009", 121.63, 31.2, **overrides)]
    result = land_import_run(actor=None, kind="parcels", file=_csv(tmp_path, rows), dry_run=False)
    assert result.outcome == "rejected"
    assert not Parcel.objects.exists()
    assert [(p["row"], p["column"]) for p in result.problems] == [(3, column)]
    assert text in result.problems[0]["message"]


def test_reimport_of_the_same_file_changes_nothing(tmp_path: Path) -> None:
    path = _csv(tmp_path, GOOD)
    land_import_run(actor=None, kind="parcels", file=path, dry_run=False)
    stored = list(Parcel.objects.order_by("pk").values())
    entries = ObjectChange.objects.count()
    again = land_import_run(actor=None, kind="parcels", file=path, dry_run=False)
    assert again.outcome == "committed"
    assert again.counts == {"rows": 3, "new": 0, "changed": 0, "unchanged": 3, "rejected": 0}
    assert list(Parcel.objects.order_by("pk").values()) == stored
    assert ObjectChange.objects.count() == entries  # nothing changed, nothing logged


def test_changed_row_is_updated_in_place(tmp_path: Path) -> None:
    land_import_run(actor=None, kind="parcels", file=_csv(tmp_path, GOOD), dry_run=False)
    pk = Parcel.objects.get(parcel_code="310115-0001").pk
    rows = [_parcel_row("310115-0001", 121.600, 31.200, 状态="闲置"), *GOOD[1:]]
    result = land_import_run(actor=None, kind="parcels", file=_csv(tmp_path, rows, name="v2.csv"), dry_run=False)
    assert result.counts["changed"] == 1
    assert result.counts["unchanged"] == 2
    parcel = Parcel.objects.get(parcel_code="310115-0001")
    assert parcel.pk == pk
    assert parcel.status == "idle"


def test_dry_run_writes_nothing(tmp_path: Path) -> None:
    result = land_import_run(actor=None, kind="parcels", file=_csv(tmp_path, GOOD), dry_run=True)
    assert result.outcome == "checked"
    assert result.counts["new"] == 3
    assert not Parcel.objects.exists()


def test_gbk_csv_imports(tmp_path: Path) -> None:
    result = land_import_run(actor=None, kind="parcels", file=_csv(tmp_path, GOOD, encoding="gbk"), dry_run=False)
    assert result.outcome == "committed", result.problems
    assert result.file["encoding"] == "gb18030"
    assert Parcel.objects.count() == 3


def test_xlsx_imports(tmp_path: Path) -> None:
    path = tmp_path / "parcels.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    for r, row in enumerate([HEADERS, *GOOD]):
        for c, value in enumerate(row):
            sheet.write_string(r, c, value)
    book.close()
    result = land_import_run(actor=None, kind="parcels", file=path, dry_run=False)
    assert result.outcome == "committed", result.problems
    assert Parcel.objects.count() == 3


def _feature_collection(features: list[dict]) -> str:
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False)


def test_geojson_feature_collection_imports_parcels(tmp_path: Path) -> None:
    features = [
        {
            "type": "Feature",
            "properties": {"parcel_code": f"GJ-{i}", "status": "available", "floor_area_ratio": 2.5},
            "geometry": square(121.60 + 0.005 * i, 31.19, 150),
        }
        for i in range(3)
    ]
    path = tmp_path / "parcels.geojson"
    path.write_text(_feature_collection(features), encoding="utf-8")
    result = land_import_run(actor=None, kind="parcels", file=path, dry_run=False)
    assert result.outcome == "committed", result.problems
    assert result.file["format"] == "geojson"
    parcel = Parcel.objects.get(parcel_code="GJ-1")
    assert parcel.district.code == "310115"  # from the boundary
    assert float(parcel.area_m2) == pytest.approx(22_500, rel=0.005)  # from the polygon
    assert parcel.status == "available"
    again = land_import_run(actor=None, kind="parcels", file=path, dry_run=False)
    assert again.counts["unchanged"] == 3


def test_geojson_problem_names_the_feature(tmp_path: Path) -> None:
    features = [
        {"type": "Feature", "properties": {"parcel_code": "GJ-A"}, "geometry": square(121.6, 31.19, 100)},
        {"type": "Feature", "properties": {"parcel_code": "GJ-B"}, "geometry": square(122.7, 31.0, 100)},
    ]
    path = tmp_path / "bad.geojson"
    path.write_text(_feature_collection(features), encoding="utf-8")
    result = land_import_run(actor=None, kind="parcels", file=path, dry_run=False)
    assert result.outcome == "rejected"
    assert [(p["row"], p["column"]) for p in result.problems] == [(2, "geometry")]
    assert not Parcel.objects.exists()


def test_parks_import_with_lead_groups_and_idempotent(tmp_path: Path) -> None:
    features = [
        {
            "type": "Feature",
            "properties": {"code": "P-1", "name_zh": "测试园", "kind": "特色产业园区",
                           "lead_groups": "lead-ic; lead-ai", "area_km2": 1.0},
            "geometry": square(121.60, 31.20, 1000),
        }
    ]  # fmt: skip
    path = tmp_path / "parks.geojson"
    path.write_text(_feature_collection(features), encoding="utf-8")
    result = land_import_run(actor=None, kind="parks", file=path, dry_run=False)
    assert result.outcome == "committed", result.problems
    park = Park.objects.get(code="P-1")
    assert park.kind == "characteristic_park"
    assert sorted(park.lead_groups.values_list("code", flat=True)) == ["lead-ai", "lead-ic"]
    assert park.district.code == "310115"
    again = land_import_run(actor=None, kind="parks", file=path, dry_run=False)
    assert again.counts["unchanged"] == 1
    assert again.counts["changed"] == 0


def test_unknown_lead_group_is_rejected(tmp_path: Path) -> None:
    features = [
        {"type": "Feature", "properties": {"code": "P-2", "name_zh": "园", "kind": "development_zone",
                                           "lead_groups": "nope"}, "geometry": square(121.6, 31.2, 500)}
    ]  # fmt: skip
    path = tmp_path / "parks.geojson"
    path.write_text(_feature_collection(features), encoding="utf-8")
    result = land_import_run(actor=None, kind="parks", file=path, dry_run=False)
    assert result.outcome == "rejected"
    assert result.problems[0]["column"] == "lead_groups"


def test_land_uses_import(tmp_path: Path) -> None:
    enterprise = EnterpriseFactory()
    parcel = ParcelFactory()
    path = tmp_path / "uses.csv"
    path.write_text(
        "统一社会信用代码,地块编号,年份,使用面积\n"
        f"{enterprise.uscc},{parcel.parcel_code},2023,\n"
        f"{enterprise.uscc},{parcel.parcel_code},2024,5000\n"
        f"{enterprise.uscc},NO-SUCH,2024,\n",
        encoding="utf-8",
    )
    result = land_import_run(actor=None, kind="land_uses", file=path, dry_run=False)
    assert result.outcome == "rejected"
    assert [(p["row"], p["column"]) for p in result.problems] == [(4, "地块编号")]
    path.write_text("\n".join(path.read_text(encoding="utf-8").splitlines()[:3]) + "\n", encoding="utf-8")
    result = land_import_run(actor=None, kind="land_uses", file=path, dry_run=False)
    assert result.outcome == "committed", result.problems
    assert LandUse.objects.filter(parcel=parcel).count() == 2
    assert land_import_run(actor=None, kind="land_uses", file=path, dry_run=False).counts["unchanged"] == 2


def test_district_officer_may_only_import_their_district(tmp_path: Path, make_user) -> None:  # noqa: ANN001
    officer = make_user("district_officer", district_code="310112")
    result = land_import_run(actor=officer, kind="parcels", file=_csv(tmp_path, GOOD[:1]), dry_run=True)
    assert result.outcome == "rejected"
    assert "310112" in result.problems[0]["message"] or "Minhang" in result.problems[0]["message"]


def test_rejected_rows_workbook(tmp_path: Path) -> None:
    rows = [*GOOD, _parcel_row("310115-0005", 121.62, 31.2, 容积率="x")]
    target = tmp_path / "rejected.xlsx"
    result = land_import_run(actor=None, kind="parcels", file=_csv(tmp_path, rows), dry_run=False, rejected_path=target)
    assert result.rejected_file
    assert target.is_file()


def test_job_runs_the_import(tmp_path: Path, make_user, django_capture_on_commit_callbacks) -> None:  # noqa: ANN001
    admin = make_user("municipal_admin")
    with django_capture_on_commit_callbacks(execute=True):
        job = land_import_start(actor=admin, kind="parcels", path=_csv(tmp_path, GOOD), dry_run=False)
    job.refresh_from_db()
    assert job.status == "succeeded", job.error
    assert job.result["outcome"] == "committed"
    assert Parcel.objects.count() == 3


def test_command_line(tmp_path: Path) -> None:
    out = io.StringIO()
    call_command("land_import", "parcels", str(_csv(tmp_path, GOOD)), "--dry-run", stdout=out)
    assert "new 3" in out.getvalue()
    bad = _csv(tmp_path, [_parcel_row("X-1", 116.4, 39.9)], name="bad.csv")
    with pytest.raises(CommandError):
        call_command("land_import", "parcels", str(bad), stdout=io.StringIO())
    assert not Parcel.objects.exists()
