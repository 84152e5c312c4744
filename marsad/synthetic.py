"""Synthetic aggregator pages written by the project, with their expected parse.

Used for the bundled sample (``data/sample/``), for tests that need many pages with every
variation of DESIGN.md §1, and for benchmarks. Deterministic for a given seed. The stories are
invented: templates filled with places, people and numbers, grouped by topic so that coverage
charts have something to show.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from dataclasses import dataclass, field
from pathlib import Path

EASTERN_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")

# Month spelling per regional convention, as outlets of that region write them.
REGIONAL_MONTHS = {
    "maghreb": [
        "يناير",
        "فبراير",
        "مارس",
        "أبريل",
        "ماي",
        "يونيو",
        "يوليوز",
        "غشت",
        "شتنبر",
        "أكتوبر",
        "نونبر",
        "دجنبر",
    ],
    "algeria": [
        "جانفي",
        "فيفري",
        "مارس",
        "أفريل",
        "ماي",
        "جوان",
        "جويلية",
        "أوت",
        "سبتمبر",
        "أكتوبر",
        "نوفمبر",
        "ديسمبر",
    ],
    "levant": [
        "كانون الثاني",
        "شباط",
        "آذار",
        "نيسان",
        "أيار",
        "حزيران",
        "تموز",
        "آب",
        "أيلول",
        "تشرين الأول",
        "تشرين الثاني",
        "كانون الأول",
    ],
    "egypt": [
        "يناير",
        "فبراير",
        "مارس",
        "أبريل",
        "مايو",
        "يونيو",
        "يوليو",
        "أغسطس",
        "سبتمبر",
        "أكتوبر",
        "نوفمبر",
        "ديسمبر",
    ],
}

# (outlet as credited in bylines, region of its month names, URL slug, aggregator host)
OUTLETS = [
    ("كاب 24 تيفي", "maghreb", "cap24tv", "maghress.com"),
    ("هسبريس", "maghreb", "hespress", "maghress.com"),
    ("Le360", "maghreb", "le360", "maghress.com"),
    ("اليوم 24", "maghreb", "alyaoum24", "maghress.com"),
    ("الشروق", "algeria", "echorouk", "djazairess.com"),
    ("الصباح", "algeria", "assabah", "turess.com"),
    ("النهار الجديد", "algeria", "ennahar", "djazairess.com"),
    ("الأهرام", "egypt", "ahram", "masress.com"),
    ("اليوم السابع", "egypt", "youm7", "masress.com"),
    ("المصري اليوم", "egypt", "almasryalyoum", "masress.com"),
    ("عكاظ", "egypt", "okaz", "sauress.com"),
    ("الرياض", "egypt", "alriyadh", "sauress.com"),
    ("النهار", "levant", "annahar", "lebaness.com"),
    ("الغد", "levant", "alghad", "jordaness.com"),
]

PLACES = [
    ("المغرب", "الرباط", "المغربية"),
    ("الجزائر", "وهران", "الجزائرية"),
    ("تونس", "صفاقس", "التونسية"),
    ("مصر", "القاهرة", "المصرية"),
    ("السعودية", "الرياض", "السعودية"),
    ("لبنان", "بيروت", "اللبنانية"),
    ("الأردن", "عمان", "الأردنية"),
    ("فرنسا", "باريس", "الفرنسية"),
    ("روسيا", "موسكو", "الروسية"),
    ("تركيا", "أنقرة", "التركية"),
    ("إسبانيا", "مدريد", "الإسبانية"),
    ("ليبيا", "طرابلس", "الليبية"),
    ("الولايات المتحدة", "واشنطن", "الأمريكية"),
    ("الصين", "بكين", "الصينية"),
]

COUNTRY_CODES = {
    "المغرب": "MA",
    "الجزائر": "DZ",
    "تونس": "TN",
    "مصر": "EG",
    "السعودية": "SA",
    "لبنان": "LB",
    "الأردن": "JO",
    "فرنسا": "FR",
    "روسيا": "RU",
    "تركيا": "TR",
    "إسبانيا": "ES",
    "ليبيا": "LY",
    "الولايات المتحدة": "US",
    "الصين": "CN",
}

PEOPLE = [
    "محمد بن علي",
    "فاطمة الزهراء",
    "أحمد المنصوري",
    "سارة العلوي",
    "يوسف الحسني",
    "ليلى بنعمر",
    "كريم التازي",
    "نادية الفاسي",
    "عمر الشريف",
    "هند السعدي",
]

# Per topic: title templates and body sentences; {country}, {city}, {adj}, {person}, {n}.
STORIES = {
    "politics": (
        [
            "رئيس حكومة {country} يستقبل وفدا برلمانيا في {city}",
            "انتخابات جديدة في {country} وسط نقاش حول الإصلاحات",
            "وزير الخارجية يبحث في {city} ملفات التعاون الإقليمي",
        ],
        [
            "أكد المسؤولون في {city} أن الحكومة {adj} ماضية في تنفيذ برنامجها الإصلاحي.",
            "وقال {person} إن الحوار بين الأحزاب هو الطريق الوحيد لتجاوز الخلافات.",
            "وصوت البرلمان على {n} مشروع قانون خلال الدورة الحالية.",
            "ويرى مراقبون أن المرحلة المقبلة ستكون حاسمة بالنسبة للمشهد السياسي.",
        ],
    ),
    "economy": (
        [
            "ارتفاع صادرات {country} بنسبة {n} في المائة",
            "البنك المركزي في {city} يبقي سعر الفائدة دون تغيير",
            "استثمارات جديدة بقيمة {n} مليون دولار في {country}",
        ],
        [
            "أعلنت وزارة الاقتصاد {adj} عن نمو الناتج الداخلي خلال الربع الأخير.",
            "وأوضح {person} أن التضخم تراجع إلى {n} في المائة.",
            "وسجلت بورصة {city} ارتفاعا في مؤشرها الرئيسي بفضل أسهم البنوك.",
            "ويتوقع الخبراء أن تستمر الاستثمارات الأجنبية في التدفق على البلاد.",
        ],
    ),
    "sport": (
        [
            "المنتخب {adj} يفوز على ضيفه بهدفين نظيفين",
            "نادي {city} يتعاقد مع مهاجم جديد لموسم كامل",
            "{person} يتوج بذهبية سباق {n} متر",
        ],
        [
            "حقق المنتخب {adj} فوزا مستحقا أمام جماهيره في ملعب {city}.",
            "وسجل اللاعب هدفا رائعا في الدقيقة {n} من عمر المباراة.",
            "وقال المدرب {person} إن الفريق قدم مباراة كبيرة رغم الغيابات.",
            "ويستعد الفريق لخوض مباراة الإياب الأسبوع المقبل.",
        ],
    ),
    "health": (
        [
            "وزارة الصحة في {country} تطلق حملة تلقيح واسعة",
            "تسجيل {n} حالة إصابة جديدة بالإنفلونزا في {city}",
            "افتتاح مستشفى جامعي جديد في {city}",
        ],
        [
            "أعلنت وزارة الصحة {adj} عن إطلاق حملة وطنية للتلقيح ضد الأمراض الموسمية.",
            "وأكد الطبيب {person} أن المستشفيات مستعدة لاستقبال المرضى.",
            "وبلغ عدد المستفيدين من الحملة {n} ألف شخص في أسبوعها الأول.",
            "ودعت السلطات الصحية المواطنين إلى احترام التدابير الوقائية.",
        ],
    ),
    "conflict": (
        [
            "مواجهات مسلحة قرب {city} تخلف {n} قتيلا",
            "مجلس الأمن يبحث التصعيد العسكري في {country}",
            "وقف لإطلاق النار في {country} برعاية دولية",
        ],
        [
            "اندلعت اشتباكات عنيفة بين القوات {adj} ومجموعات مسلحة قرب {city}.",
            "وقال {person} إن المفاوضات لوقف القتال ما تزال متعثرة.",
            "وأفادت تقارير بنزوح {n} عائلة من مناطق المعارك.",
            "ودعت الأمم المتحدة جميع الأطراف إلى ضبط النفس وحماية المدنيين.",
        ],
    ),
    "culture": (
        [
            "مهرجان {city} السينمائي يكرم {person}",
            "افتتاح معرض الكتاب الدولي في {city} بمشاركة {n} دار نشر",
            "فرقة {adj} تحيي حفلا موسيقيا في {city}",
        ],
        [
            "انطلقت فعاليات الدورة الجديدة من المهرجان بحضور فنانين من عدة دول.",
            "وقال {person} إن الثقافة جسر للتواصل بين الشعوب.",
            "ويعرض المهرجان {n} فيلما من مختلف أنحاء العالم.",
            "وعرف حفل الافتتاح حضورا جماهيريا كبيرا في {city}.",
        ],
    ),
    "weather": (
        [
            "نشرة إنذارية: أمطار رعدية قوية في {city}",
            "موجة حر تضرب {country} ودرجات الحرارة تصل إلى {n} درجة",
            "توقعات أحوال الطقس ليوم غد في {country}",
        ],
        [
            "توقعت مديرية الأرصاد الجوية {adj} أمطارا غزيرة في عدة مناطق.",
            "وقد تصل درجات الحرارة إلى {n} درجة في المناطق الداخلية.",
            "ودعا {person} السائقين إلى توخي الحذر بسبب الضباب.",
            "وتستمر هذه الأحوال الجوية إلى غاية نهاية الأسبوع.",
        ],
    ),
}

TICKER_POOL = [
    "الأسهم تحفز تداولات البورصة",
    "منتخب الشباب يستعد لمباراة ودية",
    "أسعار النفط ترتفع",
    "توقعات أحوال الطقس ليوم غد الأحد",
    "افتتاح معرض الكتاب الدولي",
    "الحكومة تصادق على مشروع الميزانية",
    "حريق يلتهم وحدة صناعية دون خسائر بشرية",
    "زلزال بقوة 5 درجات يضرب المنطقة",
    "وزير الصحة يتفقد مستشفى جديدا",
    "البنك المركزي يبقي سعر الفائدة دون تغيير",
    "مهرجان السينما يكرم رواد الفن السابع",
    "انطلاق الموسم الدراسي في ظروف جيدة",
    "الفيفا يرفع عدد منتخبات كأس العالم",
    "أمطار رعدية مرتقبة في عدة مناطق",
    "القضاء يفتح تحقيقا في صفقات عمومية",
    "ارتفاع عدد السياح خلال فصل الصيف",
    "وساطة دولية تنهي التصعيد على الحدود",
    "لقاح جديد ضد الإنفلونزا الموسمية",
    "تراجع أسعار الخضر في الأسواق",
    "جامعة جديدة تفتح أبوابها للطلبة",
]

NOTICE = [
    "شكرا على الإبلاغ!",
    "سيتم حجب هذه الصورة تلقائيا عندما يتم الإبلاغ عنها من طرف عدة أشخاص.",
]
FOOTER = "انقر هنا لقراءة الخبر من مصدره."


@dataclass
class SyntheticPage:
    """A page as written to disk and what a correct parser must find in it."""

    name: str
    content: bytes
    title: str | None
    outlet: str | None
    published_date: dt.date | None
    body: str | None
    headlines: list[str]
    topic: str | None
    meta: dict | None = None
    country_code: str | None = None  # the country the story is set in
    broken: str | None = None  # expected quarantine reason
    variations: list[str] = field(default_factory=list)


def _byline_date(rng: random.Random, day: dt.date, region: str, variations: list[str]) -> str:
    style = rng.choice(["numeric", "numeric", "named", "named", "eastern", "weekday"])
    variations.append(f"date:{style}")
    if style in ("numeric", "eastern"):
        text = f"{day.day:02d} - {day.month:02d} - {day.year}"
        return text.translate(EASTERN_DIGITS) if style == "eastern" else text
    month = REGIONAL_MONTHS[region][day.month - 1]
    variations.append(f"months:{region}")
    text = f"{day.day} {month} {day.year}"
    if style == "weekday":
        weekday = ["الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"]
        text = f"{weekday[day.weekday()]} {text}"
    return text


def _encodable(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
    except UnicodeEncodeError:  # Windows-1256 has no Eastern Arabic digits
        return False
    return True


def make_page(rng: random.Random, index: int, start: dt.date, days: int) -> SyntheticPage:
    outlet, region, slug, host = rng.choice(OUTLETS)
    topic = rng.choice(sorted(STORIES))
    titles, sentences = STORIES[topic]
    country, city, adj = rng.choice(PLACES)
    fill = {
        "country": country,
        "city": city,
        "adj": adj,
        "person": rng.choice(PEOPLE),
        "n": rng.randint(2, 90),
    }
    title = rng.choice(titles).format(**fill)
    paragraphs = [
        " ".join(s.format(**fill) for s in rng.sample(sentences, rng.randint(2, 4)))
        for _ in range(rng.randint(2, 5))
    ]
    published = start + dt.timedelta(days=rng.randrange(days))
    variations: list[str] = []
    byline = f"نشر في {outlet} يوم {_byline_date(rng, published, region, variations)}"

    lines: list[str] = []
    headlines: list[str] = []
    if rng.random() < 0.85:
        headlines = rng.sample(TICKER_POOL, rng.randint(5, 15))
        if rng.random() < 0.7:
            sep, variations = "\u00a0" * 4, [*variations, "ticker:nbsp"]
        else:
            sep, variations = " " * rng.randint(3, 5), [*variations, "ticker:spaces"]
        lines += [sep.join(headlines) + sep, *[""] * rng.randint(1, 7)]
    else:
        variations.append("no_ticker")
    if rng.random() < 0.8:
        lines += [*NOTICE, "", ""]
    else:
        variations.append("no_notice")
    lines += [title, byline, ""]
    lines += [p for para in paragraphs for p in (para, "")]
    if rng.random() < 0.85:
        lines += ["", FOOTER]
    else:
        variations.append("no_footer")
    newline = "\n"
    if rng.random() < 0.15:
        newline = "\r\n"
        variations.append("crlf")
    text = newline.join(lines) + newline
    encoding_roll = rng.random()
    if encoding_roll < 0.1:
        content = b"\xef\xbb\xbf" + text.encode("utf-8")
        variations.append("bom")
    elif encoding_roll < 0.18 and _encodable(text, "cp1256"):
        content = text.encode("cp1256")
        variations.append("windows-1256")
    else:
        content = text.encode("utf-8")
    meta = None
    if rng.random() < 0.7:
        crawl = dt.datetime.combine(published, dt.time(6), tzinfo=dt.UTC) + dt.timedelta(
            hours=rng.randint(1, 24 * 400)
        )
        meta = {
            "url": f"https://www.{host}/{slug}/{1000000 + index}",
            "fetched_at": crawl.isoformat().replace("+00:00", "Z"),
        }
    return SyntheticPage(
        name=f"page_{index:04d}",
        content=content,
        title=title,
        outlet=outlet,
        published_date=published,
        body="\n".join(paragraphs),
        headlines=headlines,
        topic=topic,
        country_code=COUNTRY_CODES[country],
        meta=meta,
        variations=variations,
    )


def broken_pages() -> list[SyntheticPage]:
    """Pages a parser must reject, each with the quarantine reason it deserves."""

    def broken(name: str, content: bytes, reason: str) -> SyntheticPage:
        return SyntheticPage(name, content, None, None, None, None, [], None, broken=reason)

    no_byline = "عنوان بلا سطر نشر\n\nفقرة أولى من نص لا يذكر مصدره ولا تاريخه.\n".encode()
    ticker_only = (
        "خبر أول\u00a0\u00a0\u00a0\u00a0خبر ثان\u00a0\u00a0\u00a0\u00a0\n\n"
        "نشر في هسبريس يوم 12 - 03 - 2021\n\nنص بلا عنوان.\n"
    ).encode()
    return [
        broken("broken_empty", b"", "empty"),
        broken("broken_blank_lines", b"\n\n  \r\n\n", "empty"),
        broken("broken_binary", bytes(range(256)) * 8, "binary"),
        broken("broken_no_byline", no_byline, "no_byline"),
        broken("broken_no_title", ticker_only, "no_title"),
        broken(
            "broken_latin1", "Ceci n'est pas arabe: é à ç ô".encode("latin-1") * 20, "undecodable"
        ),
    ]


def _decoded(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("cp1256")


def flagged_date_pages(rng: random.Random) -> list[SyntheticPage]:
    """Article pages whose byline date cannot be trusted: kept, with a null date."""
    pages = []
    for name, written in (("future_date", "14 - 02 - 2099"), ("unparsed_date", "قبل ساعتين")):
        page = make_page(rng, 9000 + len(pages), dt.date(2024, 1, 1), 30)
        text = _decoded(page.content)
        byline = next(line for line in text.splitlines() if line.startswith("نشر في"))
        text = text.replace(byline, f"نشر في {page.outlet} يوم {written}")
        pages.append(
            SyntheticPage(
                **{
                    **page.__dict__,
                    "name": name,
                    "content": text.encode("utf-8"),
                    "published_date": None,
                    "variations": [f"date:{name}"],
                }
            )
        )
    return pages


def generate(
    count: int,
    seed: int = 2026,
    start: dt.date = dt.date(2024, 1, 1),
    days: int = 540,
    duplicates: int = 0,
) -> list[SyntheticPage]:
    """``count`` article pages over ``days`` days from ``start``, plus ``duplicates`` re-crawls."""
    rng = random.Random(seed)
    pages = [make_page(rng, i, start, days) for i in range(count)]
    for j in range(duplicates):  # the same article crawled again: same text, another file
        original = pages[rng.randrange(count)]
        pages.append(SyntheticPage(**{**original.__dict__, "name": f"recrawl_{j:04d}"}))
    return pages


def write_pages(pages: list[SyntheticPage], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for page in pages:
        (folder / f"{page.name}.txt").write_bytes(page.content)
        if page.meta:
            (folder / f"{page.name}.meta.json").write_text(
                json.dumps(page.meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
            )


def write_bundled_sample(folder: Path) -> None:
    """The sample shipped in ``data/sample/``: 240 article pages over 18 months, a few
    re-crawls of the same articles, two pages with untrustworthy dates, and broken pages."""
    pages = generate(240, seed=2026, duplicates=8)
    write_pages(pages + flagged_date_pages(random.Random(1)) + broken_pages(), folder)


if __name__ == "__main__":
    import sys

    write_bundled_sample(Path(sys.argv[1] if len(sys.argv) > 1 else "data/sample"))
