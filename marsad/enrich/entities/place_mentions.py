"""Places the models read in parts, joined in an article's entities where the parts together
are one place the gazetteer knows. ANERcorp marks المدينة المنورة (Medina), خان يونس and
كردستان العراق as two places each, word by word, and the tagger reads them as it learnt
(``marsad tag`` answers as it is measured); an article's entities count Medina once, the
place of its country, not "the city" and "the illuminated" of none.
"""

from __future__ import annotations

from marsad.arabic import match_key
from marsad.enrich.entities.linking import Mention, entity_id
from marsad.enrich.gazetteer import Gazetteer


def joined_places(text: str, mentions: list[Mention], gazetteer: Gazetteer) -> list[Mention]:
    """``mentions`` of ``text`` with places read side by side (a space between them) that
    together are one place of the gazetteer made that one place."""
    joined: list[Mention] = []
    i = 0
    while i < len(mentions):
        j = i
        while (
            j + 1 < len(mentions)
            and mentions[j].type == mentions[j + 1].type == "LOC"
            and text[mentions[j].end : mentions[j + 1].start] == " "
        ):
            j += 1
        if j > i:
            start, end = mentions[i].start, mentions[j].end
            words = text[start:end].split()
            found = gazetteer.find([match_key(word) for word in words])
            if found and found[0][:2] == (0, len(words)):
                place = found[0][2]
                joined.append(
                    Mention(
                        start,
                        end,
                        "LOC",
                        text[start:end],
                        entity_id("LOC", words),
                        place.country_code,
                    )
                )
                i = j + 1
                continue
        joined.append(mentions[i])
        i += 1
    return joined
