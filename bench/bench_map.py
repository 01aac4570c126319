"""The industrial map at scale (issue 7): 50,000 parcels in PostgreSQL.

Measured, each with a reference taken in the same run:

* the parcel layer for a viewport (``/api/maps/parcels/?bbox=…&zoom=…``: bbox filter on the indexed columns,
  geometry simplified for the zoom, capped with a truncated flag), p95 over BENCH_REQUESTS requests through the
  Django test client — references: (a) the raw SQL SELECT of the same rows with their geometry as text through
  the same connection (the database's floor), (b) a naive serializer: model instances of the same viewport
  turned into dicts and ``json.dumps`` (what a DRF ModelSerializer of the model would do), same cap;
* the first render of the map page with that layer in headless Chromium (Debian's /usr/bin/chromium through
  Playwright): from navigation to the ``data-rendered`` marker industrial-map.js sets after ECharts'
  'finished' event with every initial layer drawn.

The parcels are generated set-based (numpy → one COPY): lognormal areas (median ≈ 35 mu, IQR ≈ 15–80 mu),
squares placed in the land districts of Shanghai (district by point-in-polygon on the vendored boundaries).

Run: `.venv/bin/python -m bench map` (PostgreSQL at BENCH_PG_ADMIN_URL; database bench_map, kept between runs;
BENCH_FRESH=1 reloads; BENCH_PARCELS sets the number).  Figures are written to docs/benchmarks_map.md.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench.harness import PG_ADMIN_URL, p95, setup_django, table  # noqa: E402

N_PARCELS = int(os.environ.get("BENCH_PARCELS", "50000"))
N_REQUESTS = int(os.environ.get("BENCH_REQUESTS", "40"))
N_BROWSER = int(os.environ.get("BENCH_BROWSER_RUNS", "5"))
DATABASE = "bench_map"
DOC = Path(__file__).resolve().parents[1] / "docs" / "benchmarks_map.md"
SEED = 7
# Viewports: a district-sized view at zoom 12 (polygons) and a city view at zoom 9 (centroids, capped)
VIEWPORTS = {
    "district view, zoom 12 (polygons)": ("121.45,31.05,121.65,31.20", 12),
    "city view, zoom 9 (points, capped)": ("120.85,30.68,122.00,31.52", 9),
}


def database_exists() -> bool:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE,)).fetchone() is not None


def generate(n: int) -> int:
    """n synthetic parcels in one COPY; returns the count."""
    import numpy as np
    import polars as pl
    from django.db import connection
    from django.utils import timezone

    from industria.accounts.models import District
    from industria.core.bulk import insert_frame
    from industria.land.geometry import district_codes_at, metres_per_degree

    rng = np.random.default_rng(SEED)
    # candidate centroids over the land part of the city (more than needed; those outside districts are dropped)
    m = int(n * 1.8)
    lons = rng.uniform(121.0, 121.95, m)
    lats = rng.uniform(30.70, 31.50, m)
    codes = district_codes_at(lons, lats)
    keep = np.flatnonzero(codes != None)[:n]  # noqa: E711
    lons, lats, codes = lons[keep], lats[keep], codes[keep]
    n = len(keep)
    area_mu = np.clip(np.exp(rng.normal(np.log(35.0), 0.95, n)), 2.0, 2500.0)
    area_m2 = area_mu * 10000.0 / 15.0
    side = np.sqrt(area_m2)
    kx, ky = metres_per_degree(lats)
    dx, dy = side / 2 / kx, side / 2 / ky
    geometry = [
        json.dumps(
            {
                "type": "Polygon",
                "coordinates": [
                    [
                        [round(x - a, 6), round(y - b, 6)],
                        [round(x + a, 6), round(y - b, 6)],
                        [round(x + a, 6), round(y + b, 6)],
                        [round(x - a, 6), round(y + b, 6)],
                        [round(x - a, 6), round(y - b, 6)],
                    ]
                ],
            },
            separators=(",", ":"),
        )
        for x, y, a, b in zip(lons, lats, dx, dy, strict=True)
    ]
    district_ids = dict(District.objects.values_list("code", "pk"))
    statuses = rng.choice(["in_use", "idle", "under_construction", "available"], n, p=[0.8, 0.06, 0.06, 0.08])
    now = timezone.now().isoformat()
    frame = pl.DataFrame(
        {
            "created_at": [now] * n,
            "updated_at": [now] * n,
            "geometry": geometry,
            "longitude": np.round(lons, 6),
            "latitude": np.round(lats, 6),
            "min_lon": np.round(lons - dx, 6),
            "min_lat": np.round(lats - dy, 6),
            "max_lon": np.round(lons + dx, 6),
            "max_lat": np.round(lats + dy, 6),
            "parcel_code": [f"BENCH-{i:06d}" for i in range(n)],
            "area_m2": np.round(area_m2, 2),
            "area_mu": np.round(area_mu, 2),
            "land_use_class": ["industrial"] * n,
            "floor_area_ratio": np.round(rng.uniform(1.0, 3.0, n), 2),
            "status": statuses,
            "synthetic": [True] * n,
            "district_id": [district_ids[c] for c in codes],
        }
    )
    count = insert_frame("land_parcel", frame)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE land_parcel")
    return count


def load() -> dict[str, float]:
    from industria.land.models import Parcel

    existing = Parcel.objects.filter(synthetic=True).count()
    if existing >= N_PARCELS * 0.95:
        return {"parcels": existing}
    Parcel.objects.all().delete()
    start = time.perf_counter()
    count = generate(N_PARCELS)
    seconds = time.perf_counter() - start
    print(f"generated {count} parcels in {seconds:.1f} s", flush=True)
    return {"parcels": count, "load_seconds": round(seconds, 1)}


def admin_user():  # type: ignore[no-untyped-def]
    from industria.accounts.models import User

    user, created = User.objects.get_or_create(username="bench-map", defaults={"is_superuser": True, "is_staff": True})
    if created or not user.check_password("bench-map-password"):
        user.set_password("bench-map-password")
        user.is_superuser = True
        user.save()
    return user


def measure_endpoint(client, bbox: str, zoom: int) -> tuple[float, dict]:  # type: ignore[no-untyped-def]
    samples, last = [], {}
    for _ in range(N_REQUESTS):
        start = time.perf_counter()
        response = client.get("/api/maps/parcels/", {"bbox": bbox, "zoom": zoom})
        samples.append(time.perf_counter() - start)
        assert response.status_code == 200, response.content[:300]
        last = {"bytes": len(response.content)}
    data = json.loads(response.content)
    last.update(features=len(data["features"]), truncated=data["truncated"], geometry=data["geometry"])
    return p95(samples[3:]), last


def raw_sql(bbox: str, zoom: int) -> float:
    from django.db import connection

    from industria.maps.selectors import PARCEL_LIMIT, PARCEL_POLYGON_ZOOM

    min_lon, min_lat, max_lon, max_lat = (float(v) for v in bbox.split(","))
    polygons = zoom >= PARCEL_POLYGON_ZOOM
    limit = PARCEL_LIMIT["polygon" if polygons else "point"]
    sql = (
        "SELECT p.id, p.parcel_code, p.status, p.area_mu, p.land_use_class, d.code, p.longitude, p.latitude"
        + (", p.geometry::text" if polygons else "")
        + " FROM land_parcel p JOIN accounts_district d ON d.id = p.district_id"
        " WHERE p.min_lon <= %s AND p.max_lon >= %s AND p.min_lat <= %s AND p.max_lat >= %s"
        " ORDER BY p.area_m2 DESC, p.id LIMIT %s"
    )
    samples = []
    for _ in range(N_REQUESTS):
        start = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(sql, (max_lon, min_lon, max_lat, min_lat, limit + 1))
            cursor.fetchall()
        samples.append(time.perf_counter() - start)
    return p95(samples[3:])


def naive(bbox: str, zoom: int) -> float:
    """Model instances → dicts → json.dumps (a ModelSerializer's work), same rows and cap, full geometry."""
    from industria.land.models import Parcel
    from industria.maps.selectors import PARCEL_LIMIT, PARCEL_POLYGON_ZOOM

    min_lon, min_lat, max_lon, max_lat = (float(v) for v in bbox.split(","))
    limit = PARCEL_LIMIT["polygon" if zoom >= PARCEL_POLYGON_ZOOM else "point"]
    samples = []
    for _ in range(max(5, N_REQUESTS // 4)):
        start = time.perf_counter()
        rows = (
            Parcel.objects.filter(
                min_lon__lte=max_lon, max_lon__gte=min_lon, min_lat__lte=max_lat, max_lat__gte=min_lat
            )
            .select_related("district")
            .order_by("-area_m2", "pk")[:limit]
        )
        features = [
            {
                "type": "Feature",
                "id": p.pk,
                "geometry": p.geometry,
                "properties": {
                    "code": p.parcel_code,
                    "status": p.status,
                    "status_label": str(p.get_status_display()),
                    "area_mu": str(p.area_mu),
                    "use_class": str(p.get_land_use_class_display()),
                    "district": p.district.code,
                },
            }
            for p in rows
        ]
        json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False)
        samples.append(time.perf_counter() - start)
    return p95(samples[1:])


def browser_first_render() -> dict[str, float] | None:
    """Navigation → data-rendered on /map/ (signed in, default layers incl. parcels), headless Chromium."""
    executable = shutil.which("chromium") or "/usr/bin/chromium"
    if not os.path.exists(executable):
        print("chromium missing: browser figure skipped", flush=True)
        return None
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.test.testcases import LiveServerThread
    from playwright.sync_api import sync_playwright

    admin_user()
    server = LiveServerThread("127.0.0.1", StaticFilesHandler, connections_override={}, port=0)
    server.daemon = True
    server.start()
    server.is_ready.wait()
    if server.error:
        raise server.error
    base = f"http://127.0.0.1:{server.port}"
    samples: list[float] = []
    info: dict[str, float] = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=executable,
                headless=True,
                args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
            )
            context = browser.new_context(locale="zh-CN", viewport={"width": 1440, "height": 900})
            page = context.new_page()
            page.goto(base + "/accounts/login/")
            page.fill("input[name=username]", "bench-map")
            page.fill("input[name=password]", "bench-map-password")
            page.click("#login-submit")
            page.wait_for_load_state("networkidle")
            for i in range(N_BROWSER + 1):
                start = time.perf_counter()
                page.goto(base + "/map/")
                page.wait_for_selector("#industrial-map[data-rendered]", timeout=60000)
                elapsed = time.perf_counter() - start
                if i:  # the first run warms the server's caches and the browser's static cache
                    samples.append(elapsed)
            layers = page.get_attribute("#industrial-map", "data-layers") or ""
            assert "parcels" in layers, layers
            info["parcel_features"] = page.evaluate(
                "() => Industria.industrialMap.get(document.querySelector('#industrial-map'))"
                ".data.parcels.features.length"
            )
            browser.close()
    finally:
        server.terminate()
    info["median_s"] = sorted(samples)[len(samples) // 2]
    info["max_s"] = max(samples)
    return info


def main() -> None:
    fresh = os.environ.get("BENCH_FRESH") == "1" or not database_exists()
    setup_django(DATABASE, fresh=fresh)
    from django.conf import settings
    from django.test import Client

    settings.ALLOWED_HOSTS = ["*"]
    sizes = load()
    client = Client()
    client.force_login(admin_user())
    rows, results = [], {}
    for label, (bbox, zoom) in VIEWPORTS.items():
        ours, info = measure_endpoint(client, bbox, zoom)
        sql = raw_sql(bbox, zoom)
        slow = naive(bbox, zoom)
        results[label] = {"ours_ms": ours * 1000, "sql_ms": sql * 1000, "naive_ms": slow * 1000, **info}
        rows.append(
            [
                label,
                f"{info['features']:,} ({info['geometry']}{', truncated' if info['truncated'] else ''})",
                f"{info['bytes'] / 1024:,.0f} KiB",
                f"{ours * 1000:.0f} ms",
                f"{sql * 1000:.0f} ms ({ours / sql:.1f}×)",
                f"{slow * 1000:.0f} ms ({slow / ours:.1f}× slower)",
            ]
        )
        print(label, results[label], flush=True)
    render = browser_first_render()
    print("first render", render, flush=True)
    load_avg = os.getloadavg()[0]
    doc = [
        "# Benchmarks — industrial map (issue 7)",
        "",
        "Generated by `.venv/bin/python -m bench map` (bench/bench_map.py); the method is in the module docstring.",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, PostgreSQL; "
        f"load average at the end of the run {load_avg:.1f} (other work shared the cores).",
        "",
        f"Data: {sizes['parcels']:,} synthetic parcels (lognormal areas, median ≈ 35 mu), squares in the land "
        "districts; bbox columns indexed (land_parcel_bbox_idx).",
        "",
        f"## Parcel layer for a viewport (GeoJSON), p95 of {N_REQUESTS} requests",
        "",
        table(
            [
                "viewport",
                "features",
                "body",
                "our endpoint p95",
                "raw SQL of the same rows (ratio)",
                "naive serializer",
            ],
            rows,
        ),
        "",
        "Goal: p95 < 300 ms. The raw SQL reference fetches the same rows with the geometry as text and builds no "
        "JSON; the naive reference builds model instances and dicts and dumps them (full precision, no "
        "simplification, same cap).",
        "",
        "## First render of the map with the parcel layer (headless Chromium)",
        "",
    ]
    if render:
        doc += [
            table(
                ["page", "parcel features drawn", "median (s)", "max (s)", "goal"],
                [
                    [
                        "/map/ (signed in; districts, strategic areas, parks, parcels)",
                        f"{int(render['parcel_features']):,}",
                        f"{render['median_s']:.2f}",
                        f"{render['max_s']:.2f}",
                        "< 2 s",
                    ]
                ],
            ),
            "",
            f"Navigation → `data-rendered` (set after ECharts 'finished' with every initial layer), {N_BROWSER} runs "
            "after one warm-up, Debian chromium, 1440×900.",
        ]
    else:
        doc.append("Not measured: chromium is not installed.")
    DOC.write_text("\n".join(doc) + "\n", encoding="utf-8")
    (Path(__file__).resolve().parents[1] / "var" / "bench_map.json").write_text(
        json.dumps({"sizes": sizes, "results": results, "render": render}, indent=1)
    )
    print(f"wrote {DOC}", flush=True)


if __name__ == "__main__":
    main()
