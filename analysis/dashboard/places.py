"""Places as the dashboard shows them: official names of codes, and the province map's shapes."""

from __future__ import annotations

from functools import cache
from typing import Any

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


@cache
def map_shapes() -> dict:
    """Province shapes with only their ISO code as property and coordinates rounded (smaller)."""
    shapes = province_shapes()

    def rounded(coords: Any) -> Any:
        if isinstance(coords, list | tuple) and coords and isinstance(coords[0], int | float):
            return [round(float(c), 3) for c in coords]
        return [rounded(c) for c in coords]

    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": feature["properties"]["iso_3166_2"],
                "properties": {"iso_3166_2": feature["properties"]["iso_3166_2"]},
                "geometry": {
                    "type": feature["geometry"]["type"],
                    "coordinates": rounded(feature["geometry"]["coordinates"]),
                },
            }
            for feature in shapes["features"]
        ],
    }
