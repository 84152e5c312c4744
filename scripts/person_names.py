"""Write ``marsad/data/person_names.csv``: Arabic-script given names and surnames with how
many people bear them, from the name index of the arabic-name-romanizer package (MIT; its
index is built from Wikidata labels of people, CC0, and the Algerian Name Transcription
Corpus, CC0, per the package's THIRD_PARTY_NOTICES.md).

The list is shipped, so the package is not a dependency. To regenerate it:

    uv run --no-project --with arabic-name-romanizer==0.2.0 --with regex \
        python scripts/person_names.py

Names are keyed by their normalized form (``marsad.arabic.match_key``), counts summed over
spellings and countries. Name parts of unknown role are left out.
"""

from __future__ import annotations

import csv
import sqlite3
import sys
from collections import Counter
from pathlib import Path

from arabic_name_romanizer import __file__ as package_file

OUT = Path(__file__).resolve().parents[1] / "marsad" / "data" / "person_names.csv"
INDEX = Path(package_file).parent / "resources" / "names.sqlite3"

sys.path.insert(0, str(OUT.parents[2]))
from marsad.arabic import match_key  # noqa: E402  (needs only the regex package)


def main() -> None:
    counts = {"given": Counter(), "surname": Counter()}
    with sqlite3.connect(f"file:{INDEX}?mode=ro", uri=True) as index:
        rows = index.execute(
            "SELECT arabic_key, role, sum(count) FROM units"
            " WHERE role IN ('given', 'surname') GROUP BY arabic_key, role"
        )
        for name, role, count in rows:
            key = match_key(name)
            if len(key) >= 2 and " " not in key:
                counts[role][key] += count
    given, surname = counts["given"], counts["surname"]
    with OUT.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["name", "given", "surname"])
        for name in sorted(given.keys() | surname.keys()):
            writer.writerow([name, given[name], surname[name]])
    total = len(given.keys() | surname.keys())
    print(f"{OUT}: {total} names ({len(given)} given, {len(surname)} surnames)")


if __name__ == "__main__":
    main()
