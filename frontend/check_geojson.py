"""Sanity check of the decoded Shanghai district boundaries.

Run after `node build.mjs`:

    .venv/bin/python frontend/check_geojson.py [path/to/shanghai-districts.geojson]

Exits non-zero on failure. `check(path)` is importable, so a pytest test can
call it (skipping when the generated file does not exist yet).
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

from shapely.geometry import shape
from shapely.validation import explain_validity, make_valid

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "industria" / "static" / "vendor" / "shanghai-districts.geojson"

EXPECTED_CODES = {
    "310101", "310104", "310105", "310106", "310107", "310109", "310110",
    "310112", "310113", "310114", "310115", "310116", "310117", "310118",
    "310120", "310151",
}  # fmt: skip

# Official areas (km²) and the tolerance accepted for the ECharts outline.
# Coastal outlines include tidal flats / shoals, hence the loose bound there.
OFFICIAL_AREAS = {
    "310101": (20.46, 0.15),  # Huangpu
    "310112": (370.75, 0.15),  # Minhang
    "310114": (464.20, 0.15),  # Jiading
    "310115": (1210.41, 0.50),  # Pudong (coastal)
    "310151": (1185.49, 0.50),  # Chongming (islands)
}

_R_KM = 6371.0088
_KX = math.radians(1) * _R_KM * math.cos(math.radians(31.2))
_KY = math.radians(1) * _R_KM


def area_km2(geom) -> float:
    """Planar area in degrees² scaled by an equirectangular projection at 31.2°N."""
    return geom.area * _KX * _KY


def check(path: Path = DEFAULT_PATH) -> dict[str, float]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection"
    features = data["features"]
    codes = [f["properties"]["code"] for f in features]
    assert len(codes) == 16, f"expected 16 districts, got {len(codes)}"
    assert set(codes) == EXPECTED_CODES, f"codes differ: {sorted(set(codes) ^ EXPECTED_CODES)}"

    areas: dict[str, float] = {}
    for f in features:
        props = f["properties"]
        code = props["code"]
        assert isinstance(code, str) and len(code) == 6 and code.isdigit(), code
        assert props.get("name_zh"), f"{code}: missing name_zh"
        assert f["geometry"]["type"] in {"Polygon", "MultiPolygon"}, code
        geom = shape(f["geometry"])
        if not geom.is_valid:
            # The ECharts outlines are simplified; tolerate small self-touches
            # as long as make_valid keeps (almost) the same area.
            fixed = make_valid(geom)
            assert abs(fixed.area - geom.area) <= 0.01 * geom.area, (
                f"{code}: invalid ({explain_validity(geom)}) and make_valid changes area"
            )
            geom = fixed
        minx, miny, maxx, maxy = geom.bounds
        assert minx >= 120.8 and maxx <= 122.2, f"{code}: lon out of range {geom.bounds}"
        assert miny >= 30.6 and maxy <= 31.9, f"{code}: lat out of range {geom.bounds}"
        areas[code] = area_km2(geom)

    for code, (official, tol) in OFFICIAL_AREAS.items():
        dev = (areas[code] - official) / official
        assert abs(dev) <= tol, f"{code}: area {areas[code]:.1f} km² vs official {official} ({dev:+.1%})"
    return areas


def main(argv: list[str]) -> int:
    path = Path(argv[1]) if len(argv) > 1 else DEFAULT_PATH
    if not path.exists():
        print(f"check_geojson: {path} not found (run `cd frontend && npm ci && node build.mjs`)")
        return 1
    try:
        areas = check(path)
    except AssertionError as exc:
        print(f"check_geojson: FAILED: {exc}")
        return 1
    summary = ", ".join(f"{c} {a:.1f}" for c, a in sorted(areas.items()))
    print(f"check_geojson: OK, 16 districts, areas km²: {summary}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
