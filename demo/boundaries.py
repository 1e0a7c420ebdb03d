"""Generated township outlines for the demo county: a jittered grid of cells around a county centre.

Neighbouring cells share their corners and edge midpoints, so the outlines
tile the county without gaps or overlaps; the jitter is small enough that
every cell stays a simple polygon that holds its own centre. Deterministic
by seed. Real outlines replace them through the upload (/dashboard/map/boundaries/).
"""

import math
import random

from accounts.models import TOWNSHIP_KINDS, OrgUnit
from dashboards.geo import contains
from dashboards.models import TownshipBoundary

CENTRE = (120.8, 29.6)  # lon, lat: a county of the Shaoxing–Taizhou hills
STEP = (0.075, 0.065)  # a cell's width and height in degrees (about 7 km)
CORNER_JITTER = 0.2  # of a step
EDGE_JITTER = 0.12


def outlines(count: int, seed: int, centre: tuple[float, float] = CENTRE) -> list[dict]:
    """``count`` Polygons, in grid order (row by row from the south-west)."""
    rng = random.Random(seed)
    cols = max(1, math.ceil(math.sqrt(count)))
    rows = max(1, math.ceil(count / cols))
    dx, dy = STEP
    x0, y0 = centre[0] - cols * dx / 2, centre[1] - rows * dy / 2

    def jitter(share: float, step: float) -> float:
        return rng.uniform(-share, share) * step

    corner = {(i, j): (x0 + i * dx + jitter(CORNER_JITTER, dx), y0 + j * dy + jitter(CORNER_JITTER, dy))
              for i in range(cols + 1) for j in range(rows + 1)}  # fmt: skip

    def mid(a, b, along_x: bool):
        (ax, ay), (bx, by) = corner[a], corner[b]
        mx, my = (ax + bx) / 2, (ay + by) / 2
        return (mx, my + jitter(EDGE_JITTER, dy)) if along_x else (mx + jitter(EDGE_JITTER, dx), my)

    south = {(i, j): mid((i, j), (i + 1, j), True) for i in range(cols) for j in range(rows + 1)}
    west = {(i, j): mid((i, j), (i, j + 1), False) for i in range(cols + 1) for j in range(rows)}
    out = []
    for n in range(count):
        i, j = n % cols, n // cols
        ring = [corner[i, j], south[i, j], corner[i + 1, j], west[i + 1, j], corner[i + 1, j + 1],
                south[i, j + 1], corner[i, j + 1], west[i, j]]  # fmt: skip
        ring = [[round(x, 6), round(y, 6)] for x, y in ring]
        out.append({"type": "Polygon", "coordinates": [[*ring, ring[0]]]})
    return out


def build_boundaries(city: OrgUnit, seed: int, centre: tuple[float, float] = CENTRE) -> int:
    """Outlines for the city's townships that have none yet; returns how many were made."""
    townships = list(OrgUnit.objects.filter(city=city, kind__in=TOWNSHIP_KINDS).order_by("sort_order", "code"))
    shapes = outlines(len(townships), seed, centre)
    made = 0
    for township, shape in zip(townships, shapes, strict=True):
        if not TownshipBoundary.objects.filter(township=township).exists():
            TownshipBoundary(township=township, geojson=shape).save()
            made += 1
    return made


def city_centre(index: int, townships: int) -> tuple[float, float]:
    """Cities side by side (west to east), each as wide as its grid and a cell apart."""
    width = (max(1, math.ceil(math.sqrt(townships))) + 1) * STEP[0]
    return CENTRE[0] + index * width, CENTRE[1]


def point_inside(boundary: TownshipBoundary, rng: random.Random) -> tuple[float, float]:
    """(lat, lon) somewhere inside the outline: between its centre and a vertex, else the centre."""
    ring = boundary.geojson["coordinates"][0] if boundary.geojson["type"] == "Polygon" else (
        boundary.geojson["coordinates"][0][0])  # fmt: skip
    vx, vy = rng.choice(ring[:-1])
    t = rng.uniform(0.05, 0.75)
    lon = boundary.centre_lon + t * (vx - boundary.centre_lon)
    lat = boundary.centre_lat + t * (vy - boundary.centre_lat)
    if contains(boundary.geojson, lon, lat):
        return round(lat, 6), round(lon, 6)
    return round(boundary.centre_lat, 6), round(boundary.centre_lon, 6)
