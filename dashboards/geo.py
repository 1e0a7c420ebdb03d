"""Township outlines in GeoJSON (lon, lat in degrees): checks, centres and point-in-polygon, in plain Python.

Only what the map needs: Polygon and MultiPolygon, each ring closed, every
coordinate a finite longitude/latitude. Holes are kept and count by the
even-odd rule.
"""

import json
import math

from django.utils.translation import gettext as _

GEOMETRY_TYPES = ("Polygon", "MultiPolygon")
MAX_VERTICES = 200_000  # per file: far more than any county's outlines, far less than a browser chokes on


class GeoError(ValueError):
    """A file or geometry the map cannot use; the message says which feature and why."""


def _number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _check_ring(ring, where: str) -> int:
    if not isinstance(ring, list) or len(ring) < 4:
        raise GeoError(_("%(where)s: a ring needs at least four positions.") % {"where": where})
    for position in ring:
        if not isinstance(position, list) or len(position) < 2 or not all(_number(v) for v in position[:2]):
            raise GeoError(_("%(where)s: a position is not a pair of numbers.") % {"where": where})
        lon, lat = position[0], position[1]
        if not -180 <= lon <= 180:
            raise GeoError(_("%(where)s: longitude %(value)s is out of range.") % {"where": where, "value": lon})
        if not -90 <= lat <= 90:
            raise GeoError(_("%(where)s: latitude %(value)s is out of range.") % {"where": where, "value": lat})
    if ring[0][:2] != ring[-1][:2]:
        raise GeoError(
            _("%(where)s: a ring is not closed (its last position must equal its first).") % {"where": where}
        )
    return len(ring)


def check_geometry(geometry, where: str) -> tuple[dict, int]:
    """(the geometry with 2-D positions only, its number of positions); GeoError when unusable."""
    if not isinstance(geometry, dict) or geometry.get("type") not in GEOMETRY_TYPES:
        raise GeoError(_("%(where)s: the geometry must be a Polygon or a MultiPolygon.") % {"where": where})
    coords = geometry.get("coordinates")
    polygons = [coords] if geometry["type"] == "Polygon" else coords
    if not isinstance(polygons, list) or not polygons:
        raise GeoError(_("%(where)s: the geometry has no coordinates.") % {"where": where})
    count = 0
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            raise GeoError(_("%(where)s: a polygon has no rings.") % {"where": where})
        for ring in polygon:
            count += _check_ring(ring, where)
    flat = [[[[p[0], p[1]] for p in ring] for ring in polygon] for polygon in polygons]
    clean = {"type": "Polygon", "coordinates": flat[0]} if geometry["type"] == "Polygon" else {
        "type": "MultiPolygon", "coordinates": flat}  # fmt: skip
    return clean, count


def parse_collection(raw: bytes, property_names=("code", "name")) -> list[tuple[str, str, dict]]:
    """Each feature as (its label for messages, the township it names, its checked geometry)."""
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise GeoError(_("The file is not JSON (GeoJSON is JSON text in UTF-8).")) from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise GeoError(_("The file must be a GeoJSON FeatureCollection."))
    features = data.get("features")
    if not isinstance(features, list) or not features:
        raise GeoError(_("The FeatureCollection has no features."))
    out, total = [], 0
    for i, feature in enumerate(features, start=1):
        where = _("Feature %(n)s") % {"n": i}
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            raise GeoError(_("%(where)s: not a GeoJSON Feature.") % {"where": where})
        props = feature.get("properties") if isinstance(feature.get("properties"), dict) else {}
        named = next((str(props[p]).strip() for p in property_names if props.get(p) not in (None, "")), "")
        if not named:
            raise GeoError(_("%(where)s: its properties name no township (code or name).") % {"where": where})
        where = f"{where} ({named})"
        geometry, count = check_geometry(feature.get("geometry"), where)
        total += count
        if total > MAX_VERTICES:
            raise GeoError(_("The file has more than %(n)s positions; simplify the outlines.") % {"n": MAX_VERTICES})
        out.append((where, named, geometry))
    return out


def _polygons(geometry: dict) -> list:
    return [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]


def _ring_area_centroid(ring) -> tuple[float, float, float]:
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    area /= 2
    if not area:
        xs, ys = [p[0] for p in ring], [p[1] for p in ring]
        return 0.0, sum(xs) / len(xs), sum(ys) / len(ys)
    return area, cx / (6 * area), cy / (6 * area)


def _in_rings(lon: float, lat: float, rings) -> bool:
    inside = False
    for ring in rings:
        for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False):
            if (y0 > lat) != (y1 > lat) and lon < x0 + (lat - y0) * (x1 - x0) / (y1 - y0):
                inside = not inside
    return inside


def contains(geometry: dict, lon: float, lat: float) -> bool:
    return any(_in_rings(lon, lat, polygon) for polygon in _polygons(geometry))


def centre_of(geometry: dict) -> tuple[float, float]:
    """(lon, lat) inside the largest polygon: its centroid, or, for a shape that does not hold its
    centroid (a crescent), the middle of the first stretch of a line across it at that latitude."""
    polygon = max(_polygons(geometry), key=lambda p: abs(_ring_area_centroid(p[0])[0]))
    _area, lon, lat = _ring_area_centroid(polygon[0])
    if _in_rings(lon, lat, polygon):
        return round(lon, 6), round(lat, 6)
    crossings = sorted(
        x0 + (lat - y0) * (x1 - x0) / (y1 - y0)
        for ring in polygon
        for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False)
        if (y0 > lat) != (y1 > lat)
    )
    if len(crossings) >= 2:
        return round((crossings[0] + crossings[1]) / 2, 6), round(lat, 6)
    return round(lon, 6), round(lat, 6)
