#!/usr/bin/env python3
"""Build the map outlines in data/geo/ from Kartverket's county and municipality outlines.

Usage:
    python data/build/build_maps.py [FOLDER]

Reads four files (default folder: data/build/geo-source/ in this repository; © Kartverket, CC BY 4.0,
see its NOTICE.md):

    2020-Fylker-small.json    11 counties, the structure of 2020–2023 (codes are integers: zero-padded)
    2020-Kommuner-small.json  municipalities of 2020–2023 (Kvitsøy 1144 and Træna 1835 are missing)
    Fylker-S.geojson          15 counties, the structure from 2024
    Kommuner-S.geojson        357 municipalities, the structure from 2024

and writes to data/geo/ counties-2020.json, counties-2024.json, municipalities-2020.json and
municipalities-2024.json, each

    {"attribution": "© Kartverket (CC BY 4.0)", "structure": "2020"|"2024", "level": "county"|"municipality",
     "source": <file name>, "regions": {code: {"name": ..., "rings": [[[lon, lat], ...], ...]}}}

How: every polygon of a region is measured in km² (a sinusoidal projection about 15° E); islands and
holes below the level's area threshold are dropped, but each region keeps at least its largest polygon.
Each ring is simplified with Douglas–Peucker (tolerance in km, on the same projection), closed, and its
coordinates rounded. Outer rings run counter-clockwise and holes clockwise (as RFC 7946 says), so a
renderer that draws all rings of a region as one path with the nonzero rule leaves the holes open.

Plain Python 3.11 standard library; deterministic (sorted, fixed rounding); re-runnable.
"""
from __future__ import annotations

import json
import math
import sys
from pathlib import Path

DEFAULT_SRC = Path(__file__).resolve().parent / "geo-source"
OUT_DIR = Path(__file__).resolve().parent.parent / "geo"
ATTRIBUTION = "© Kartverket (CC BY 4.0)"
KM_PER_DEGREE = 111.32
CENTRAL_MERIDIAN = 15.0

# (output, source file, code property, name property, code width, structure, level,
#  simplification tolerance in km, smallest polygon kept in km², decimals of the coordinates)
# Counties are drawn for the whole of Norway (about 2.5 km a pixel at 600 px high); municipalities are
# drawn one county at a time, so they keep finer detail.
SPECS = (
    ("counties-2020.json", "2020-Fylker-small.json", "fylkesnummer", "navn", 2, "2020", "county",
     1.5, 12.0, 2),
    ("counties-2024.json", "Fylker-S.geojson", "fylkesnummer", "fylkesnavn", 2, "2024", "county",
     1.5, 12.0, 2),
    ("municipalities-2020.json", "2020-Kommuner-small.json", "kommunenummer", "navn", 4, "2020",
     "municipality", 0.35, 0.8, 3),
    ("municipalities-2024.json", "Kommuner-S.geojson", "kommunenummer", "kommunenavn", 4, "2024",
     "municipality", 0.35, 0.8, 3),
)


def project(lon: float, lat: float) -> tuple[float, float]:
    """Sinusoidal projection in km: good enough for distances and areas at this scale."""
    return ((lon - CENTRAL_MERIDIAN) * math.cos(math.radians(lat)) * KM_PER_DEGREE, lat * KM_PER_DEGREE)


def signed_area(ring: list[tuple[float, float]]) -> float:
    """Shoelace area of a closed ring in its own units; positive when counter-clockwise."""
    s = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:]):
        s += x1 * y2 - x2 * y1
    return s / 2.0


def area_km2(ring: list[list[float]]) -> float:
    return abs(signed_area([project(x, y) for x, y in ring]))


def _segment_distance(p, a, b) -> float:
    (px, py), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    if dx == 0 and dy == 0:
        return math.hypot(px - ax, py - ay)
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def douglas_peucker(points: list, tolerance: float) -> list[int]:
    """Indices kept of an open line (projected points), first and last always kept. Iterative."""
    n = len(points)
    if n < 3:
        return list(range(n))
    keep = [False] * n
    keep[0] = keep[-1] = True
    stack = [(0, n - 1)]
    while stack:
        i, j = stack.pop()
        best, index = -1.0, -1
        for k in range(i + 1, j):
            d = _segment_distance(points[k], points[i], points[j])
            if d > best:
                best, index = d, k
        if index >= 0 and best > tolerance:
            keep[index] = True
            stack.append((i, index))
            stack.append((index, j))
    return [k for k in range(n) if keep[k]]


def simplify_ring(ring: list[list[float]], tolerance: float) -> list[list[float]]:
    """A closed ring simplified: split at the vertex farthest from the first, each half by Douglas–Peucker."""
    if ring[0] != ring[-1]:
        ring = ring + [ring[0]]
    pts = [project(x, y) for x, y in ring]
    far = max(range(len(pts)), key=lambda k: (math.hypot(pts[k][0] - pts[0][0], pts[k][1] - pts[0][1]), -k))
    first = douglas_peucker(pts[:far + 1], tolerance)
    second = douglas_peucker(pts[far:], tolerance)
    idx = first + [far + k for k in second[1:]]
    return [ring[k] for k in idx]


def round_ring(ring: list[list[float]], decimals: int) -> list[list[float]]:
    out: list[list[float]] = []
    for x, y in ring:
        p = [round(x, decimals), round(y, decimals)]
        if not out or out[-1] != p:
            out.append(p)
    if out[0] != out[-1]:
        out.append(out[0])
    return out


def oriented(ring: list[list[float]], outer: bool) -> list[list[float]]:
    ccw = signed_area([(x, y) for x, y in ring]) > 0
    return ring if ccw == outer else ring[::-1]


def polygons_of(geometry: dict) -> list[list[list[list[float]]]]:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["coordinates"]
    raise ValueError(f"unexpected geometry {geometry['type']}")


def simplify_region(polys, tolerance: float, min_area: float, decimals: int) -> list[list[list[float]]]:
    """The rings kept of one region, largest polygon first; never empty."""
    measured = sorted(((area_km2(p[0]), i, p) for i, p in enumerate(polys)), key=lambda a: (-a[0], a[1]))
    rings: list[list[list[float]]] = []
    for rank, (area, _, poly) in enumerate(measured):
        if rank > 0 and area < min_area:
            continue
        tol = tolerance
        while True:
            outer = round_ring(simplify_ring(poly[0], tol), decimals)
            if len(outer) >= 4 and abs(signed_area([tuple(p) for p in outer])) > 0:
                break
            if rank > 0:
                outer = None          # an island that collapses at this scale: drop it
                break
            tol /= 2                  # the region's main polygon: keep it, with more detail
            if tol < 1e-6:
                outer = round_ring(poly[0], max(decimals, 5))
                break
        if outer is None:
            continue
        rings.append(oriented(outer, True))
        for hole in poly[1:]:
            if area_km2(hole) < min_area:
                continue
            h = round_ring(simplify_ring(hole, tolerance), decimals)
            if len(h) >= 4 and abs(signed_area([tuple(p) for p in h])) > 0:
                rings.append(oriented(h, False))
    return rings


def build(src: Path, spec: tuple) -> tuple[dict, dict]:
    out_name, src_name, code_key, name_key, width, structure, level, tol, min_area, decimals = spec
    with open(src / src_name, encoding="utf-8") as fh:
        data = json.load(fh)
    regions: dict[str, dict] = {}
    stats = {"regions": 0, "polygons_in": 0, "vertices_in": 0, "rings_out": 0, "vertices_out": 0}
    for feature in data["features"]:
        props = feature["properties"]
        code = str(props[code_key]).strip().zfill(width)
        if code in regions:
            raise SystemExit(f"{src_name}: code {code} twice")
        polys = polygons_of(feature["geometry"])
        stats["polygons_in"] += len(polys)
        stats["vertices_in"] += sum(len(r) for p in polys for r in p)
        rings = simplify_region(polys, tol, min_area, decimals)
        stats["rings_out"] += len(rings)
        stats["vertices_out"] += sum(len(r) for r in rings)
        regions[code] = {"name": str(props[name_key]).strip(), "rings": rings}
    stats["regions"] = len(regions)
    doc = {"attribution": ATTRIBUTION, "structure": structure, "level": level, "source": src_name,
           "regions": {c: regions[c] for c in sorted(regions)}}
    return doc, stats


def main(argv: list[str]) -> int:
    src = Path(argv[1]) if len(argv) > 1 else DEFAULT_SRC
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    total = 0
    for spec in SPECS:
        doc, stats = build(src, spec)
        text = json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n"
        path = OUT_DIR / spec[0]
        path.write_text(text, encoding="utf-8")
        size = path.stat().st_size
        total += size
        print(f"{spec[0]:26} {size:>8} bytes  {stats['regions']:>3} regions  "
              f"{stats['polygons_in']:>5} polygons / {stats['vertices_in']:>6} vertices in -> "
              f"{stats['rings_out']:>4} rings / {stats['vertices_out']:>5} vertices out")
    print(f"{'total':26} {total:>8} bytes ({total / 1024 / 1024:.2f} MB)")
    if total >= 1_000_000:
        print("the outlines are over 1 MB together", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
