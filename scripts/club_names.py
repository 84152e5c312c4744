"""Write ``marsad/data/clubs.csv``: names of sports clubs as Arabic Wikipedia writes them
(اتحاد طنجة, المغرب الفاسي, لوكوموتيف موسكو), a hint for the entity tagger, which reads the
town in a club's name as a place where it has never seen the club.

Source: ArWikiCats' Arabic labels of clubs (``sports/Clubs_key.json``, 2,162 names, MIT),
shipped in its package, so it is not a dependency. To regenerate:

    uv run --no-project --with arwikicats==0.2.3 --with regex --with numpy --with babel \
        --with polars python scripts/club_names.py

Each name is kept as written and without the words news often leaves out (نادي before it;
لكرة القدم, الرياضي and the like after it). Left out: leagues (دوري …), names with Latin
letters or digits; names that begin like a tournament or a side of a place (كأس, بطولة; جنوب
الصين, شمال ملبورن); and one-word names that are places (ليل, كوبنهاغن: the tagger must read
the city), people's names, among the 1,000 most frequent words of the news the word clusters
were learnt from, or written with the article (الشمال, النهضة, الخور: the north, the
renaissance, a town; ``organisations.csv`` holds the well-known ones such as الزمالك).
"""

from __future__ import annotations

import csv
import json
import sys
from importlib.util import find_spec
from pathlib import Path

import regex

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "marsad" / "data" / "clubs.csv"
CLUBS = Path(find_spec("ArWikiCats").submodule_search_locations[0]) / "jsons/sports/Clubs_key.json"
FREQUENT = 1000

sys.path.insert(0, str(ROOT))
from marsad.arabic import ARABIC_LETTER, match_key  # noqa: E402
from marsad.enrich.entities.features import WordClusters  # noqa: E402
from marsad.enrich.gazetteer import gazetteer  # noqa: E402
from marsad.enrich.name_lists import foreign_names, person_names  # noqa: E402

ARABIC_NAME = regex.compile(f"{ARABIC_LETTER}+( {ARABIC_LETTER}+)*")
BEFORE = ("نادي", "النادي")
# First words of names that are not a club's as news reads them.
NOT_CLUBS = ("دوري", "كأس", "بطولة", "جنوب", "شمال", "شرق", "غرب")
AFTER = ("لكرة القدم", "لكرة السلة", "لكرة اليد", "الرياضي", "الرياضية", "للسيدات")


def forms(name: str) -> set[str]:
    """A club's name as written and without the words news may leave out around it."""
    found = {name}
    for first in BEFORE:
        found |= {f.removeprefix(first + " ") for f in found}
    for last in AFTER:
        found |= {f.removesuffix(" " + last) for f in found}
    return {f for f in found if f}


def main() -> None:
    clusters = WordClusters.load()
    frequent = clusters.most_frequent(FREQUENT)
    places, people = gazetteer(), person_names().keys() | foreign_names()
    names = json.loads(CLUBS.read_text(encoding="utf-8")).values()
    kept: set[str] = set()
    for name in names:
        for form in forms(" ".join(name.split())):
            words = match_key(form).split()
            if not ARABIC_NAME.fullmatch(form) or form in BEFORE or form.split()[0] in NOT_CLUBS:
                continue
            whole_place = any(e - s == len(words) for s, e, _ in places.find(words))
            if whole_place or (
                len(words) == 1
                and (words[0] in frequent or words[0] in people or words[0].startswith("ال"))
            ):
                continue
            kept.add(form)
    with OUT.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["name"])
        writer.writerows([n] for n in sorted(kept))
    print(f"{OUT}: {len(kept)} club names")


if __name__ == "__main__":
    main()
