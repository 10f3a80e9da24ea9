"""Places as the dashboard shows them: official names of codes, the province map's shapes and
their centres, and how many of a period's articles have a place at all."""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd

from analysis.dashboard.filters import Filters, window_rows
from analysis.i18n.phrasing import format_decimal
from analysis.i18n.ui import format_number, text
from data.regions import province_shapes, provinces, regencies


@cache
def province_names() -> dict[str, str]:
    """Province code -> official name."""
    return dict(zip(provinces()["province_code"], provinces()["province"], strict=True))


@cache
def regency_names() -> dict[str, str]:
    """Regency code -> official name."""
    return dict(zip(regencies()["regency_code"], regencies()["regency"], strict=True))


def place_name(province_code: str | None, regency_code: str | None) -> str | None:
    """The name of the most precise place given, None when none is."""
    if regency_code:
        return regency_names().get(regency_code, regency_code)
    if province_code:
        return province_names().get(province_code, province_code)
    return None


#: Shape detail dropped for the map, in degrees (about 2 km): a pixel of the national map is
#: about 0.05 degrees; the shapes sent to every session fell from 413 KB to 99 KB.
MAP_TOLERANCE = 0.02


def kept_points(points: np.ndarray, tolerance: float) -> np.ndarray:
    """Which points of a line Douglas-Peucker keeps: none of the dropped ones lies farther than
    tolerance from the simplified line."""
    keep = np.zeros(len(points), dtype=bool)
    keep[[0, -1]] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        if last - first < 2:
            continue
        start, direction = points[first], points[last] - points[first]
        inner = points[first + 1 : last] - start
        length = np.hypot(*direction)
        if length > 0:
            distance = np.abs(direction[0] * inner[:, 1] - direction[1] * inner[:, 0]) / length
        else:
            distance = np.hypot(inner[:, 0], inner[:, 1])
        farthest = int(distance.argmax())
        if distance[farthest] > tolerance:
            middle = first + 1 + farthest
            keep[middle] = True
            stack += [(first, middle), (middle, last)]
    return keep


def simplified_ring(ring: list, tolerance: float) -> list:
    """A closed ring with the detail under tolerance dropped and coordinates rounded to 3
    decimals; a ring too small to keep four points stays whole."""
    points = np.asarray(ring, dtype="float64")[:, :2]
    kept = points[kept_points(points, tolerance)]
    if len(kept) < 4:
        kept = points
    return np.round(kept, 3).tolist()


@cache
def map_shapes() -> dict:
    """Province shapes with only their ISO code as property, simplified (MAP_TOLERANCE)."""
    shapes = province_shapes()

    def polygon(rings: list) -> list:
        return [simplified_ring(ring, MAP_TOLERANCE) for ring in rings]

    def simplified(geometry: dict) -> list:
        if geometry["type"] == "Polygon":
            return polygon(geometry["coordinates"])
        return [polygon(rings) for rings in geometry["coordinates"]]

    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": feature["properties"]["iso_3166_2"],
                "properties": {"iso_3166_2": feature["properties"]["iso_3166_2"]},
                "geometry": {
                    "type": feature["geometry"]["type"],
                    "coordinates": simplified(feature["geometry"]),
                },
            }
            for feature in shapes["features"]
        ],
    }


def ring_centre(ring: list) -> tuple[float, float, float]:
    """Area, and longitude and latitude of the centre of mass, of one polygon ring (shoelace)."""
    points = np.asarray(ring, dtype="float64")[:, :2]
    x, y = points[:, 0], points[:, 1]
    x1, y1 = np.roll(x, -1), np.roll(y, -1)
    cross = x * y1 - x1 * y
    area = cross.sum() / 2
    if abs(area) < 1e-12:
        return 0.0, float(x.mean()), float(y.mean())
    return (
        abs(area),
        float(((x + x1) * cross).sum() / (6 * area)),
        float(((y + y1) * cross).sum() / (6 * area)),
    )


def shape_centre(geometry: dict) -> tuple[float, float]:
    """(lon, lat) of the centre of a shape's largest polygon: a province's bubble sits on its
    main land, not in the sea between its islands."""
    polygons = (
        [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    )
    _, lon, lat = max(ring_centre(polygon[0]) for polygon in polygons)
    return lon, lat


@cache
def map_centres() -> pd.DataFrame:
    """Each map shape's centre: feature (ISO 3166-2), lat, lon."""
    rows = [
        (feature["properties"]["iso_3166_2"], *shape_centre(feature["geometry"])[::-1])
        for feature in province_shapes()["features"]
    ]
    return pd.DataFrame(rows, columns=["feature", "lat", "lon"])


def placed_counts(cube: pd.DataFrame, filters: Filters) -> tuple[int, int]:
    """Articles in the period (whatever the place filters) with a province, and all of them."""
    rows = window_rows(cube, filters, places=False)
    return int(rows.loc[rows["province_code"].notna(), "articles"].sum()), int(
        rows["articles"].sum()
    )


def placed_sentence(placed: int, total: int, lang: str) -> str:
    """'20% artikel punya lokasi (200 dari 1.000); sisanya ...' in lang."""
    share = placed / total if total else 0.0
    return text(
        "map_placed",
        lang,
        share=format_decimal(100 * share, lang, 0 if share in (0, 1) or 0.1 <= share <= 0.99 else 1)
        + "%",
        placed=format_number(placed, lang),
        total=format_number(total, lang),
    )
