"""One entity per person or organisation across articles: which entities of the warehouse
are other names of another (``entities.merged_into``).

The tagger names an entity by what one article writes, so the corpus holds سلمان بن عبدالعزيز
beside سلمان بن عبدالعزيز آل سعود, السيسي beside عبدالفتاح السيسي, داعش beside تنظيم داعش.
The rules, each applied only where the corpus names one clear target:

1. **Same key**: names equal once spelling is folded and "عبد X" is written as one word
   (عبد الفتاح السيسي = عبدالفتاح السيسي), the g of foreign names as غ or ج (سيرغي لافروف =
   سيرجي لافروف: ``foreign_spelling``), are one entity; for people, a title the tagger took
   in after a lineage is left out (محمد بن نايف ولي, of "ولي العهد", = محمد بن نايف).
   A name several countries' clubs share (الأهلي of Jeddah, of Cairo) stays one entity per
   country: the tagger gives each country's its own id, and the name the text settles no
   country for joins the one of its mentions' country, if any.
2. **Lineage cut short** (people): a name of two or more words that begins a longer name
   (سلمان بن عبدالعزيز → سلمان بن عبدالعزيز آل سعود, محمد بن سلمان → محمد بن سلمان بن
   عبدالعزيز) is that longer name, when the longer one holds at least two thirds of the
   mentions of all names it begins. Only where the longer name goes on with the lineage: a
   name with بن continues with بن, بنت or آل (عبدالله بن عبدالعزيز, the king, is not عبدالله
   بن عبدالعزيز الربيعة, the minister), a name without it adds one family name or the
   lineage, every added word is a name (not وليد المعلم لموسكو), and a name of given names
   only (أحمد علي) is too common to be one person, unless it ends on a father's name with
   the article before the lineage (خالد الفيصل → خالد الفيصل بن عبدالعزيز).
3. **Lineage left out** (people): a given name and a family name (عادل الجبير) are the name
   that puts the lineage between them (عادل بن أحمد الجبير), when that name holds two thirds
   of the mentions of all such names, they hold at least 3 mentions, the short name is not
   written more than three times as often, and fewer than 15 people of the name lists bear
   the family name: a tribe's name (الدوسري, القحطاني) is many people's.
4. **Surname alone** (people): one word that is not a given name (a surname, as the name
   lists use it) and ends longer names (السيسي → عبدالفتاح السيسي) is the longer name that
   holds at least two thirds of their mentions (the names of one person counted together),
   with at least 3 mentions, where the surname
   alone is not written more than twice as often as those names (المالكي alone, far more
   frequent than نوري المالكي, is several people).
5. **Organisation with its kind** (تنظيم, حركة, جماعة, ميليشيا, منظمة, هيئة, حلف, وكالة):
   تنظيم داعش and داعش, منظمة أوبك and أوبك, حلف الناتو and الناتو are one organisation where
   both are in the corpus; the more mentioned name leads. The name without its kind must be
   on the organisation or club lists, or be no place and no given name: منظمة شنغهاي
   is not the city, أسواق بدر no organisation. نادي before a listed club's name of one word
   too (نادي الفتح and الفتح; not نادي الشرق, which leaves a paper's name): a longer name may
   be another body's (نادي الاتحاد السعودي is the club, الاتحاد السعودي the federation).
   Where the name several countries' clubs share is one entity per country, the one of the
   same country.
6. **One country, several names** (places): السعودية and المملكة العربية السعودية, أمريكا and
   الولايات المتحدة, by the gazetteer's names of countries (curated and CLDR's Arabic).
7. **Listed as one organisation**: names the news gives one organisation that no rule can
   tell are one, listed in ``marsad/data/organisation_aliases.csv`` (مجلس الأمن الدولي and
   مجلس الأمن, الناتو and حلف شمال الأطلسي, أنصار الله and الحوثيين, الريال and ريال مدريد), and
   the spellings of one outlet in the outlet registry (وكالة فرانس برس and فرانس برس) that
   no other outlet shares; the most mentioned name leads.
8. **Acronym spelled out** (organisations): a name of two or more words that the corpus
   follows with a one-word name in brackets (منظمة البلدان المصدرة للبترول (أوبك)) is the
   organisation of that one word, where the one word is itself an organisation of the corpus,
   the pair is written in at least 2 articles and in at least 5 % of the long name's
   articles, and that one word holds two thirds of the long name's bracketed names. A long
   name that begins another one paired with the same word (الاتحاد الدولي before الاتحاد
   الدولي لكرة القدم (الفيفا)) is cut short and may be another federation: it stays apart.
   The bracket after a month (نيسان (أبريل)), a rank (إيفرتون (الثالثة)) or a country
   (يوفنتوس (إيطاليا)) is no organisation's name, so it never merges.

Bare given names (فهد, محمد) are never merged: who they are cannot be told from the corpus.
They keep ``merged_into`` NULL and get the rule ``given name alone``, so that lists of the
most covered people can leave them out.
"""

from __future__ import annotations

import re
from collections import defaultdict

import polars as pl

from marsad.arabic import match_key
from marsad.enrich.entities.clubs import bare_club, shared_by_countries
from marsad.enrich.entities.linking import entity_id
from marsad.enrich.entities.name_keys import (
    KUNYA,
    NASAB,
    continues_lineage,
    foreign_spelling,
    given_name,
    name_key,
    person_key,
)
from marsad.enrich.gazetteer import country_names, gazetteer
from marsad.enrich.name_lists import clubs, organisation_aliases, organisations, person_names
from marsad.ingest.outlets import registry
from marsad.ingest.outlets import spellings as outlet_spellings

DOMINANT = 2 / 3
SURNAME_MIN_MENTIONS = 3
SURNAME_MAX_RATIO = 2
LEFT_OUT_MIN_MENTIONS = 3
LEFT_OUT_MAX_RATIO = 3
# A family name that this many people of the name lists bear or more is a tribe's or a
# clan's (الدوسري 66, القحطاني 47), the name of too many people to stand for one.
LEFT_OUT_MAX_BEARERS = 15
_LATIN = re.compile("[A-Za-z]")
ORGANISATION_KINDS = tuple(
    match_key(kind)
    for kind in (
        "تنظيم",
        "حركة",
        "جماعة",
        "ميليشيا",
        "ميليشيات",
        "مليشيا",
        "منظمة",
        "هيئة",
        "حلف",
        "وكالة",
    )
)
CLUB_WORD = "نادي"
# An acronym in brackets right after an organisation's name, and how much of the text after
# a name is read for it (the backfill of an older warehouse reads it in SQL, slices in Polars).
ACRONYM_AFTER_NAME = r"^\s*[(«“\"]\s*([\p{Arabic}\p{Mn}\x{0640}]{2,})\s*[)»”\"]"
TEXT_AFTER_NAME = 40
ACRONYM_MIN_ARTICLES = 2
ACRONYM_MIN_SHARE = 0.05
ACRONYM_SCHEMA = {"entity_id": pl.String, "acronym_id": pl.String, "articles": pl.Int64}


def _named_with_kind(kind: str, rest: str, names: dict[str, tuple[int, int]]) -> bool:
    """Whether an organisation's name ``rest`` (match key) may go with its ``kind`` word before
    it (تنظيم داعش, نادي الفتح) as one organisation (rule 5)."""
    words = rest.split()
    if not words or (kind not in ORGANISATION_KINDS and kind != CLUB_WORD):
        return False
    listed = bare_club(rest) is not None or any(
        found[:2] == (0, len(words))
        for known in (organisations(), clubs())
        for found in known.find(words)
    )
    if kind == CLUB_WORD:
        return listed and len(words) == 1
    place = any(found[:2] == (0, len(words)) for found in gazetteer().find(words))
    return listed or not (place or (len(words) == 1 and given_name(words[0], names)))


def _listed_groups(names: dict[str, tuple[int, int]]) -> dict[str, int]:
    """Key of each listed name → its group (rule 7): the curated aliases, and each outlet's
    Arabic spellings that belong to it alone."""
    groups: list[set[str]] = []
    owners: dict[str, set[str]] = defaultdict(set)
    for outlet in registry().iter_rows(named=True):
        for spelling in outlet_spellings(outlet):
            if not spelling.isascii():
                owners[name_key(spelling)].add(outlet["outlet_id"])
    by_outlet: dict[str, set[str]] = defaultdict(set)
    for key, outlets in owners.items():
        if len(outlets) == 1:
            by_outlet[next(iter(outlets))].add(key)
    groups += by_outlet.values()
    aliases: dict[str, set[str]] = defaultdict(set)
    for name, same_as in organisation_aliases():
        aliases[name_key(same_as)] |= {name_key(name), name_key(same_as)}
    groups += aliases.values()
    found: dict[str, int] = {}
    for number, keys in enumerate(groups):
        for key in keys:
            found.setdefault(foreign_spelling(key, names), number)
    return found


def _same_country(row: dict, other: dict) -> bool:
    """Whether two organisations may be one by country: the same, or one of them has none."""
    a, b = row.get("country_code"), other.get("country_code")
    return a is None or b is None or a == b


def _dominant(candidates: list[tuple[str, int]]) -> str | None:
    """The candidate holding at least two thirds of all candidates' mentions."""
    total = sum(mentions for _, mentions in candidates)
    best, mentions = max(candidates, key=lambda c: c[1])
    return best if total and mentions >= DOMINANT * total else None


def acronym_pairs(mentions: pl.DataFrame) -> pl.DataFrame:
    """Organisations' names followed by a one-word name in brackets, counted by articles:
    (entity_id, acronym_id, articles). ``mentions`` has article_id, entity_id, type and
    ``after``, the text that follows the mention (``TEXT_AFTER_NAME`` characters)."""
    found = (
        mentions.filter(pl.col("type") == "ORG")
        .select(
            "article_id",
            "entity_id",
            pl.col("after").str.extract(ACRONYM_AFTER_NAME, 1).alias("acronym"),
        )
        .drop_nulls("acronym")
        .unique(["article_id", "entity_id", "acronym"])
    )
    ids = found.select("acronym").unique()
    ids = ids.with_columns(
        pl.Series("acronym_id", [entity_id("ORG", [a]) for a in ids["acronym"]], pl.String)
    )
    return (
        found.join(ids, on="acronym")
        .group_by("entity_id", "acronym_id")
        .agg(pl.col("article_id").n_unique().cast(pl.Int64).alias("articles"))
        .sort("entity_id", "acronym_id")
        .select(list(ACRONYM_SCHEMA))
    )


def _acronym_targets(orgs: dict[str, dict], acronyms: pl.DataFrame) -> dict[str, str]:
    """Rule 6: long name → the organisation its acronym names. ``orgs`` holds the
    organisations by entity id, with ``key`` and ``articles``."""
    paired: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for row in acronyms.iter_rows(named=True):
        long, short = orgs.get(row["entity_id"]), orgs.get(row["acronym_id"])
        if long and short and len(long["key"].split()) >= 2 and len(short["key"].split()) == 1:
            paired[row["entity_id"]].append((row["acronym_id"], row["articles"]))
    # Long names by acronym, to find the ones cut short.
    spelled: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    for long, candidates in paired.items():
        for short, _ in candidates:
            spelled[short].append(tuple(orgs[long]["key"].split()))
    targets = {}
    for long, candidates in paired.items():
        short = _dominant(candidates)
        if short is None:
            continue
        articles = dict(candidates)[short]
        words = tuple(orgs[long]["key"].split())
        cut_short = any(
            len(other) > len(words) and other[: len(words)] == words for other in spelled[short]
        )
        if (
            not cut_short
            and articles >= ACRONYM_MIN_ARTICLES
            and articles >= ACRONYM_MIN_SHARE * orgs[long]["articles"]
        ):
            targets[long] = short
    return targets


def entity_merges(entities: pl.DataFrame, acronyms: pl.DataFrame | None = None) -> pl.DataFrame:
    """``entity_id → merged_into`` (with the ``rule`` that merged it) for the entities that
    are other names of another. ``entities`` has entity_id, type, name, mentions and, for
    rule 8, articles; ``acronyms`` is what ``acronym_pairs`` counted over the corpus."""
    names = person_names()
    columns = ["entity_id", "type", "name", "mentions", "articles", "country_code"]
    rows = [
        row
        for row in entities.select(c for c in columns if c in entities.columns).to_dicts()
        if row["name"] and not _LATIN.search(row["name"]) and "\n" not in row["name"]
    ]
    for row in rows:
        row["plain"] = (person_key if row["type"] == "PER" else name_key)(row["name"])
        row["key"] = foreign_spelling(row["plain"], names, row["type"] == "PER")
    merged: dict[str, tuple[str, str]] = {}

    # 1. Same key: the most mentioned spelling leads. A name several countries' clubs share
    # is one entity per country (the tagger's ids already say which).
    same_key: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for row in rows:
        if row["key"]:
            same_key[(row["type"], row["key"])].append(row)
    groups: list[list[dict]] = []
    for (kind, _), group in same_key.items():
        # Places of one name in several countries (a spelling folded) stay one per country.
        places = {row.get("country_code") for row in group} - {None}
        shared = kind == "ORG" and shared_by_countries(group[0]["name"])
        if len(group) > 1 and (shared or (kind == "LOC" and len(places) > 1)):
            per_country: dict[str | None, list[dict]] = defaultdict(list)
            for row in group:
                per_country[row.get("country_code")].append(row)
            groups += per_country.values()
        else:
            groups.append(group)
    leads: list[dict] = []
    for group in groups:
        group.sort(key=lambda r: (-r["mentions"], r["entity_id"]))
        leads.append({**group[0], "mentions": sum(r["mentions"] for r in group)})
        for row in group[1:]:
            merged[row["entity_id"]] = (group[0]["entity_id"], "same key")

    # Follow chains (a same-key alias of a cut-short name) to the entity it names.
    def final(entity_id: str) -> str:
        seen = set()
        while entity_id in merged and entity_id not in seen:
            seen.add(entity_id)
            entity_id = merged[entity_id][0]
        return entity_id

    people = [r for r in leads if r["type"] == "PER"]
    words = {r["entity_id"]: r["key"].split() for r in people}
    # 2. Lineage cut short: prefixes of two words or more.
    starts: dict[tuple[str, ...], list[tuple[str, int]]] = defaultdict(list)
    for row in people:
        tokens = tuple(words[row["entity_id"]])
        for cut in range(2, len(tokens)):
            starts[tokens[:cut]].append((row["entity_id"], row["mentions"]))
    # Longest names first, so that a name's candidates are counted by the person they are.
    for row in sorted(people, key=lambda r: -len(words[r["entity_id"]])):
        tokens = tuple(words[row["entity_id"]])
        if len(tokens) < 2 or tokens[-1] in (*NASAB, "عبد") or tokens not in starts:
            continue
        persons: dict[str, int] = defaultdict(int)
        for candidate, mentions in starts[tokens]:
            persons[final(candidate)] += mentions
        target = _dominant(list(persons.items()))
        if target and continues_lineage(tokens, tuple(words[target]), names):
            merged[row["entity_id"]] = (target, "lineage cut short")
    # 3. Lineage left out: "عادل الجبير" is "عادل بن أحمد الجبير".
    framed: dict[tuple[str, str], list[tuple[str, int]]] = defaultdict(list)
    for row in people:
        tokens = words[row["entity_id"]]
        if len(tokens) >= 4 and tokens[1] in NASAB:
            framed[(tokens[0], tokens[-1])].append((final(row["entity_id"]), row["mentions"]))
    for row in people:
        tokens = words[row["entity_id"]]
        if len(tokens) != 2 or (tokens[0], tokens[1]) not in framed:
            continue
        given, family = tokens
        if family in NASAB or given in KUNYA or given_name(family, names):
            continue
        if names.get(family, (0, 0))[1] >= LEFT_OUT_MAX_BEARERS:
            continue
        persons: dict[str, int] = defaultdict(int)
        for candidate, mentions in framed[(given, family)]:
            persons[candidate] += mentions
        target = _dominant(list(persons.items()))
        total = sum(persons.values())
        # The short name's group joins the person's (it may already hold a name the tagger
        # ran on, عزام الدخيل القاضي).
        source = final(row["entity_id"])
        if (
            target
            and target != source
            and total >= LEFT_OUT_MIN_MENTIONS
            and row["mentions"] <= LEFT_OUT_MAX_RATIO * total
        ):
            merged[source] = (target, "lineage left out")
    # 4. Surname alone.
    endings: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for row in people:
        tokens = words[row["entity_id"]]
        if len(tokens) >= 2:
            endings[tokens[-1]].append((row["entity_id"], row["mentions"]))
    for row in people:
        tokens = words[row["entity_id"]]
        if len(tokens) != 1 or given_name(tokens[0], names) or tokens[0] not in endings:
            continue
        # Counted by person: the names of one person (عادل الجبير, عادل بن أحمد الجبير) together.
        persons = defaultdict(int)
        for candidate, mentions in endings[tokens[0]]:
            persons[final(candidate)] += mentions
        candidates = list(persons.items())
        target = _dominant(candidates)
        total = sum(m for _, m in candidates)
        if (
            target
            and max(m for _, m in candidates) >= SURNAME_MIN_MENTIONS
            and row["mentions"] <= SURNAME_MAX_RATIO * total
        ):
            merged[row["entity_id"]] = (target, "surname alone")
    # 5. Organisation with its kind.
    organisations: dict[str, list[dict]] = defaultdict(list)
    for row in leads:
        if row["type"] == "ORG":
            organisations[row["key"]].append(row)
    for key, group in list(organisations.items()):
        kind, _, rest = key.partition(" ")
        # The lists are looked up as the name is written (غرناطة, not its folded جرناطه).
        if not _named_with_kind(kind, group[0]["plain"].partition(" ")[2], names):
            continue
        for row in group:
            candidates = organisations.get(rest, ())
            others = [o for o in candidates if o.get("country_code") == row.get("country_code")]
            if len(others) != 1:
                others = [o for o in candidates if _same_country(row, o)]
            if len(others) == 1:
                pair = sorted((row, others[0]), key=lambda r: (-r["mentions"], r["entity_id"]))
                merged[pair[1]["entity_id"]] = (pair[0]["entity_id"], "organisation with its kind")

    # 6. One country, several names.
    countries = {foreign_spelling(name_key(name), names): code for code, name in country_names()}
    by_country: dict[str, list[dict]] = defaultdict(list)
    for row in leads:
        if row["type"] == "LOC" and row["key"] in countries:
            by_country[countries[row["key"]]].append(row)
    for places in by_country.values():
        places.sort(key=lambda r: (-r["mentions"], r["entity_id"]))
        for row in places[1:]:
            merged[row["entity_id"]] = (places[0]["entity_id"], "one country, several names")

    # 7. Listed as one organisation.
    listed = _listed_groups(names)
    by_group: dict[int, list[dict]] = defaultdict(list)
    for row in leads:
        if row["type"] == "ORG" and row["key"] in listed:
            by_group[listed[row["key"]]].append(row)
    for members in by_group.values():
        members = [r for r in members if final(r["entity_id"]) == r["entity_id"]]
        members.sort(key=lambda r: (-r["mentions"], r["entity_id"]))
        for row in members[1:]:
            merged[row["entity_id"]] = (members[0]["entity_id"], "listed as one organisation")

    # 8. Acronym spelled out: the long name's group joins the acronym's group.
    if acronyms is not None and acronyms.height:
        by_id = {r["entity_id"]: r for r in rows if r["type"] == "ORG" and r.get("articles")}
        for long, short in _acronym_targets(by_id, acronyms).items():
            source, target = final(long), final(short)
            if source != target:
                merged[source] = (target, "acronym spelled out")

    # Each group is shown under one name: for people, the most mentioned name of two words or
    # more (سعود الفيصل, not a one-off سعود الفيصل المأمون); otherwise the most mentioned.
    mentions = {row["entity_id"]: row["mentions"] for row in rows}
    # Full names count for people only: an organisation is shown as it is most often named.
    name_words = {
        row["entity_id"]: len(row["key"].split()) if row["type"] == "PER" else 0 for row in rows
    }
    groups: dict[str, list[str]] = defaultdict(list)
    for alias in merged:
        groups[final(alias)].append(alias)
    answer = []
    for target, aliases in groups.items():
        members = [target, *aliases]
        canonical = max(
            members,
            key=lambda e: (name_words[e] >= 2, mentions[e], e == target, e),
        )
        rules = {alias: merged[alias][1] for alias in aliases}
        for member in members:
            if member != canonical:
                answer.append(
                    {
                        "entity_id": member,
                        "merged_into": canonical,
                        "rule": rules.get(member, rules.get(canonical, "")),
                    }
                )
    for row in people:
        tokens = words[row["entity_id"]]
        if len(tokens) == 1 and given_name(tokens[0], names) and row["entity_id"] not in merged:
            answer.append(
                {"entity_id": row["entity_id"], "merged_into": None, "rule": "given name alone"}
            )
    return pl.DataFrame(
        sorted(answer, key=lambda r: r["entity_id"]),
        schema={"entity_id": pl.String, "merged_into": pl.String, "rule": pl.String},
    )
