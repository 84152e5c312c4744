"""A reporter's credit opening a body names who wrote the story: the reporter and the outlet
are no entities of it, the dateline's place is."""

import pytest

from marsad.enrich.entities.credits import credit_end


@pytest.mark.parametrize(
    ("body", "credit"),
    [
        # Sabq: reporter, outlet, dateline and a colon; spaced or not.
        ("خالد الشاماني- سبق- المدينة المنورة: هطلت أمطار", "خالد الشاماني- سبق"),
        ("عبدالله البرقاوي-سبق-الرياض: أعلن", "عبدالله البرقاوي-سبق"),
        ("خالد خليل- سبق- متابعة: أوضح تقرير", "خالد خليل- سبق"),
        # Ain Alyoum: on a line of its own, or run into the text.
        ("رغد عشميل – عين اليوم\nقالت الشرطة", "رغد عشميل – عين اليوم"),
        ("قاسم الزرعي - عين اليوم احتجزت الأمطار", "قاسم الزرعي - عين اليوم"),
        ("سلوى المدني ـ عين اليوم\nقال", "سلوى المدني ـ عين اليوم"),
        # A paper's office, and a desk's round-up.
        ("بريدة - مكتب الجزيرة \n\nأقامت جمعية", "بريدة - مكتب الجزيرة"),
        ("سلوى سعد – متابعات\nأعلنت", "سلوى سعد – متابعات"),
    ],
)
def test_a_reporters_credit_is_found_up_to_the_outlet(body, credit):
    assert body[: credit_end(body)] == credit


@pytest.mark.parametrize(
    "body",
    [
        # A dateline without a reporter: the outlet comes first.
        "عين اليوم – كابول\nقال الجنرال الأمريكي",
        # A letter's address, a dash inside a sentence, a word that begins like an outlet.
        "سعادة الأستاذ/ تركي بن عبدالله السديري -حفظه الله- \nمشرف عام",
        "محمد صلاح - سبقت الإشارة إلى أنه",
        "قال وزير الصحة إن الوزارة - بحسب عكاظ - ستعلن",
        "",
        None,
    ],
)
def test_no_credit_where_no_outlet_follows_the_first_words(body):
    assert credit_end(body) == 0


def test_the_reporter_is_no_entity_of_the_article_and_the_dateline_stays_a_place():
    """Through annotation as ingestion runs it: the credit's reporter and outlet are left
    out of the body's mentions; the dateline's city and the people the story names stay."""
    from marsad.enrich.annotation import tag_texts
    from marsad.enrich.entities.tagger import shipped_tagger

    body = (
        "عبدالله البرقاوي- سبق- الرياض: أعلن وزير الصحة خالد الفالح أمس افتتاح مستشفى جديد"
        " في الرياض."
    )
    title = "عبدالله البرقاوي يكتب عن مستشفى الرياض"
    found = tag_texts(shipped_tagger(), {"title": [title], "body": [body]})
    mentions = found["entities"][0].to_list()
    in_body = {(m["type"], m["text"]) for m in mentions if m["field"] == "body"}
    assert ("PER", "خالد الفالح") in in_body
    assert ("LOC", "الرياض") in in_body
    assert not any(text == "عبدالله البرقاوي" for _, text in in_body)
    # The title is no credit: a reporter named there is a person of the story.
    assert ("PER", "عبدالله البرقاوي") in {
        (m["type"], m["text"]) for m in mentions if m["field"] == "title"
    }


def _body_people(body: str) -> set[str]:
    from marsad.enrich.annotation import tag_texts
    from marsad.enrich.entities.tagger import shipped_tagger

    found = tag_texts(shipped_tagger(), {"body": [body]})
    return {m["text"] for m in found["entities"][0].to_list() if m["type"] == "PER"}


STORY = "أعلن وزير الصحة خالد الفالح أمس افتتاح مستشفى جديد في المدينة."


@pytest.mark.parametrize(
    ("body", "reporter"),
    [
        # Ain Alyoum's first line: the reporter and the city, nothing else; or the city first.
        (f"حامد القرشي – مكة المكرمة\n{STORY}", "حامد القرشي"),
        (f"نايف السعدي – الطائف\n{STORY}", "نايف السعدي"),
        (f"جدة ـ نجيب الجداوي\n{STORY}", "نجيب الجداوي"),
        (f"أحمد البراهيم- جازان: {STORY}", "أحمد البراهيم"),
    ],
)
def test_a_reporter_and_a_town_alone_on_the_first_line_are_a_credit(body, reporter):
    people = _body_people(body)
    assert reporter not in people
    assert "خالد الفالح" in people  # the story's person stays


@pytest.mark.parametrize(
    ("body", "person"),
    [
        # A title and a person either side of the dash: no town, no credit.
        (f"رئيس الوزراء الإسرائيلي - بنيامين نتنياهو:\n{STORY}", "بنيامين نتنياهو"),
        # A person and a title naming a town; a sentence: each side must be the name alone.
        (f"خالد الفيصل – أمير منطقة مكة المكرمة\n{STORY}", "خالد الفيصل"),
        (f"قال خالد الفيصل – مكة المكرمة:\n{STORY}", "خالد الفيصل"),
        # The same pair further down the body.
        (f"{STORY}\nحامد القرشي – مكة المكرمة\n", "حامد القرشي"),
    ],
)
def test_no_credit_without_a_person_and_a_town_alone_on_the_first_line(body, person):
    assert person in _body_people(body)


def test_an_agencys_or_a_papers_credit_names_no_entity_of_the_article():
    """The source an article credits is its ``source_credit``, not an organisation it is about:
    the dateline's agency, a closing credit and a syndication service's line are left out; the
    dateline's town and the story's people stay, and so does an agency named in a sentence."""
    from marsad.enrich.annotation import tag_texts
    from marsad.enrich.entities.tagger import shipped_tagger

    bodies = [
        f"الرياض - واس: {STORY}",
        f"{STORY} وقالت وكالة رويترز إن الافتتاح تأخر.\n(رويترز)",
        f"{STORY}\n* خدمة «واشنطن بوست»\nخاص بـ«الشرق الأوسط»",
    ]
    found = tag_texts(shipped_tagger(), {"body": bodies})
    mentions = [
        {(m["type"], m["text"], m["start"]) for m in row} for row in found["entities"].to_list()
    ]
    texts = [{text for _, text, _ in row} for row in mentions]
    assert "واس" not in texts[0] and {"الرياض", "خالد الفالح"} <= texts[0]
    # Reuters named in the story stays; its closing credit does not.
    reuters = sorted(start for _, text, start in mentions[1] if text == "رويترز")
    assert reuters and reuters[-1] < bodies[1].index("(رويترز)")
    assert not texts[2] & {"واشنطن بوست", "الشرق الأوسط"}
    assert "خالد الفالح" in texts[2]


def test_a_paper_naming_itself_is_no_organisation_of_its_own_article():
    """«عكاظ» in Okaz's own story is how it reports (its interview, its sources), not whom the
    story is about; in Sabq's it is another paper, an organisation. Al Jazirah writes itself
    «الجزيرة» (its registry name has صحيفة before it); the city الرياض in Al Riyadh's stays."""
    from marsad.enrich.annotation import tag_texts
    from marsad.enrich.entities.tagger import shipped_tagger

    bodies = [
        f"قال وزير الصحة لـ«عكاظ» إن المستشفى جاهز. {STORY}",
        f"قال وزير الصحة لـ«عكاظ» إن المستشفى جاهز. {STORY}",
        f"وكشفت مصادر لـ«الجزيرة» أن الوزارة ستفتتح مستشفى. {STORY}",
        f"علمت «الرياض» من مصادرها أن مستشفى جديدا سيفتتح في الرياض. {STORY}",
    ]
    outlets = ["okaz", "sabq", "aljazirah", "alriyadh"]
    titles = ["وزير الصحة لـ«عكاظ»: المستشفى جاهز", None, None, None]
    found = tag_texts(shipped_tagger(), {"title": titles, "body": bodies}, outlet_ids=outlets)
    mentions = [{(m["type"], m["text"]) for m in row} for row in found["entities"].to_list()]
    okaz, sabq, aljazirah, alriyadh = mentions
    assert not any(text == "عكاظ" for _, text in okaz)
    assert ("ORG", "عكاظ") in sabq
    assert not any(text == "الجزيرة" for _, text in aljazirah)
    assert ("LOC", "الرياض") in alriyadh and ("ORG", "الرياض") not in alriyadh
    # The story's people stay in each.
    assert all(("PER", "خالد الفالح") in row for row in mentions)
    # Without outlets, the papers are read as before.
    before = tag_texts(shipped_tagger(), {"body": bodies[:1]})
    assert ("ORG", "عكاظ") in {(m["type"], m["text"]) for m in before["entities"][0].to_list()}
