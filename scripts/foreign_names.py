"""Write ``marsad/data/foreign_names.csv``: name parts of people, mostly non-Arab, as Arabic
news spells them (بلير, شيراك, يلتسين), which ``person_names.csv`` (Arab people) lacks.

Sources, both shipped in their packages, so neither is a dependency:
- arabnamer's English → Arabic name dictionary (22,797 pairs, CC-BY-4.0: "Uses arabnamer's
  Arabic name dictionary and model (Yousef, E., 2026). https://github.com/sayedyousef/arabnamer
  Licensed under CC-BY-4.0."); one-word names only.
- ArWikiCats' Arabic Wikipedia labels of people (3,117 names, MIT), cut into their words.

To regenerate:

    uv run --no-project --with arabnamer==0.1.3 --with arwikicats==0.2.3 --with regex \
        --with numpy --with babel --with polars python scripts/foreign_names.py

Left out: words with the article (nisbas such as اللبناني are Arab names or demonyms), words
``person_names.csv`` holds, link words, everyday words (both sources hold a few: من, فيلم,
كاميرا, يناير): the 1,000 most frequent words of the news the word clusters were learnt from,
words that news also writes with the article (الفيلم) and month names; and words the place
gazetteer reads as places (فرنسا, لندن).
"""

from __future__ import annotations

import csv
import json
import sys
from importlib.util import find_spec
from pathlib import Path

import regex

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "marsad" / "data" / "foreign_names.csv"


def _package(name: str) -> Path:
    """Where a package lies, without importing it (both import far more than their data)."""
    return Path(find_spec(name).submodule_search_locations[0])


DICTIONARY = _package("arabnamer") / "data" / "dict_FINAL.json"
PEOPLE = _package("ArWikiCats") / "jsons" / "people" / "peoples.json"
FREQUENT = 1000

sys.path.insert(0, str(ROOT))
from marsad.arabic import ARABIC_LETTER, match_key  # noqa: E402
from marsad.enrich.entities.features import WordClusters  # noqa: E402
from marsad.enrich.entities.linking import LINKS  # noqa: E402
from marsad.enrich.gazetteer import gazetteer, word_keys  # noqa: E402
from marsad.enrich.name_lists import person_names  # noqa: E402
from marsad.ingest.months import MONTH_NAMES  # noqa: E402

ARABIC_WORD = regex.compile(f"{ARABIC_LETTER}+")
# The link words of Arab names (``linking.LINKS``) and the particles of European ones.
NAME_LINKS = {match_key(w) for w in LINKS} | word_keys("دي", "فون", "فان", "دا")


def candidates() -> dict[str, str]:
    """Name part → the source that holds it (the dictionary first)."""
    found: dict[str, str] = {}
    dictionary = json.loads(DICTIONARY.read_text(encoding="utf-8"))
    for english, arabic in dictionary.items():
        if " " not in english.strip() and " " not in arabic.strip():
            found.setdefault(match_key(arabic), "arabnamer")
    people = json.loads(PEOPLE.read_text(encoding="utf-8"))
    for arabic in people.values():
        for part in arabic.split():
            found.setdefault(match_key(part), "arwikicats")
    return found


def main() -> None:
    clusters = WordClusters.load()
    frequent = clusters.most_frequent(FREQUENT)
    months = {match_key(name) for names in MONTH_NAMES.values() for name in names}
    arab, places = person_names(), gazetteer()
    kept = {
        name: source
        for name, source in candidates().items()
        if len(name) >= 2
        and ARABIC_WORD.fullmatch(name)
        and not name.startswith("ال")
        and name not in arab
        and name not in NAME_LINKS
        and name not in frequent
        and "ال" + name not in clusters.index
        and name not in months
        and not places.find([name])
    }
    with OUT.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["name", "source"])
        writer.writerows(sorted(kept.items()))
    print(f"{OUT}: {len(kept)} name parts")


if __name__ == "__main__":
    main()
