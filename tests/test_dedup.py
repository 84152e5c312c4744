"""Near-copy verification: the hashed shingle sets a publish compares give the Jaccard
similarity of the shingles themselves (``dedup.shingles`` over the match key)."""

import itertools

import polars as pl

from marsad.arabic import match_key, match_key_words
from marsad.ingest.article_keys import shingle_sets
from marsad.ingest.dedup import jaccard, jaccard_of_hashes, shingles

STORY = (
    "أعلنت وزارة الصحة السعودية، اليوم الأحد، تسجيل ١٢ حالة جديدة في الرياض وجدة "
    "والدمام، وقالت إن الفرق الميدانية تتابع المخالطين وتدعو المواطنين إلى الالتزام "
    "بالإجراءات الوقائية المعلنة منذ بداية الشهر الجاري."
)
TEXTS = [
    STORY,
    # the same text: diacritics, tatweel, other punctuation and spacing
    STORY.replace("أعلنت", "أَعْلَنَت").replace("الصحة", "الصحـــة").replace("،", " ,  "),
    STORY.replace("١٢", "١٥").replace("الرياض", "مكة"),  # a few words changed
    STORY[: len(STORY) // 2],  # cut in half
    "قال الوزير",  # shorter than one shingle
    "قال الوزير إن الوضع",  # exactly one shingle
    "الوزير قال إن الوضع",  # the same words in another order
    "",
    "،،، !!",  # punctuation only: no words
    "Reuters reported the news, citing officials",
]


def test_match_key_words_are_the_words_of_the_match_key():
    words = pl.DataFrame({"text": TEXTS}).select(match_key_words(pl.col("text"))).to_series()
    assert words.to_list() == [match_key(text).split() for text in TEXTS]


def test_hashed_shingles_give_the_jaccard_of_the_shingles():
    hashed = shingle_sets(TEXTS)
    assert [h.size for h in hashed] == [len(shingles(match_key(t))) for t in TEXTS]
    for (a, ha), (b, hb) in itertools.combinations(zip(TEXTS, hashed, strict=True), 2):
        expected = jaccard(shingles(match_key(a)), shingles(match_key(b)))
        assert jaccard_of_hashes(ha, hb) == expected, (a, b)
    # the spelling variant is the same text; the edited one stays a near copy
    assert jaccard_of_hashes(hashed[0], hashed[1]) == 1.0
    assert 0.5 < jaccard_of_hashes(hashed[0], hashed[2]) < 1.0


def test_a_text_hashes_alike_whatever_else_is_in_the_call():
    alone = shingle_sets([TEXTS[2]])[0]
    among = shingle_sets(TEXTS)[2]
    assert alone.tolist() == among.tolist()
    assert shingle_sets([None])[0].size == 0
    assert shingle_sets([]) == []
