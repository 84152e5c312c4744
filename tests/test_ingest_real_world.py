"""Issue-level checks on real data: crawls and HTML pages, SaudiNewsNet in mixed formats with
injected duplicates, hostile inputs, and re-runs."""

import gzip
import io
import json
from collections import Counter
from pathlib import Path

import duckdb
import pytest
from warcio.warcwriter import WARCWriter

from bench.commands import run_marsad
from bench.corpora import SAUDINEWSNET, duplicate_scores, saudinewsnet_mixed
from tests.conftest import SHARED, shared_file

WARC_SAMPLES = SHARED / "data" / "warc_samples"
HTML_PAGES = SHARED / "data" / "arabic_html_pages"


def query(warehouse: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_crawls_and_html_pages_every_record_accounted(tmp_path: Path):
    shared_file(WARC_SAMPLES)
    shared_file(HTML_PAGES)
    from warcio.archiveiterator import ArchiveIterator

    warcs = sorted(p for p in WARC_SAMPLES.iterdir() if ".warc" in p.name)
    expected = 0
    for path in warcs:
        with path.open("rb") as stream:
            expected += sum(1 for _ in ArchiveIterator(stream, arc2warc=True))
    expected += len(list((HTML_PAGES / "pages").glob("*.html")))
    warehouse = tmp_path / "w.duckdb"
    run_marsad([WARC_SAMPLES, HTML_PAGES / "pages"], warehouse)
    assert query(warehouse, "SELECT count(*) FROM pages")[0][0] == expected
    statuses = dict(query(warehouse, "SELECT status, count(*) FROM pages GROUP BY 1"))
    # 10 Arabic pages as WARC resources and the same 10 as loose HTML: 10 articles, 10 copies.
    assert statuses["article"] == 10
    assert statuses["duplicate"] == 10
    assert (
        statuses["article"]
        + statuses["duplicate"]
        + statuses.get("quarantined", 0)
        + statuses["skipped"]
        == expected
    )


def test_gold_publication_dates_of_html_pages(tmp_path: Path):
    manifest = shared_file(HTML_PAGES / "manifest.jsonl")
    gold = {}
    for line in manifest.read_text(encoding="utf-8").splitlines():
        page = json.loads(line)
        if page.get("gold_publication_date"):
            gold[page["page_id"]] = page["gold_publication_date"]
    warehouse = tmp_path / "w.duckdb"
    run_marsad([HTML_PAGES / "pages"], warehouse)
    rows = query(
        warehouse,
        "SELECT p.source_file, a.published_date, a.date_source FROM pages p "
        "JOIN articles a ON a.article_id = p.article_id",
    )
    found = {Path(f).stem: (str(d), source) for f, d, source in rows}
    assert len(gold) == 8
    for page_id, date in gold.items():
        assert found[page_id] == (date, "metadata"), page_id


def test_saudinewsnet_mixed_formats_duplicates_found(tmp_path: Path):
    shared_file(SAUDINEWSNET)
    injected = saudinewsnet_mixed(tmp_path / "raw", count=600, exact=40, near=40, seed=3)
    warehouse = tmp_path / "w.duckdb"
    run_marsad([tmp_path / "raw"], warehouse)
    rows = query(
        warehouse,
        "SELECT p.url, p.status, p.article_id, a.story_id FROM pages p "
        "JOIN articles a ON a.article_id = p.article_id",
    )
    by_url = {url: (status, article, story) for url, status, article, story in rows}
    assert len(by_url) == 600 + 80  # zero articles lost
    precision, recall = duplicate_scores(
        {url: story for url, (_, _, story) in by_url.items()}, injected
    )
    assert recall >= 0.95, recall
    assert precision >= 0.95, precision
    exact = [i for i in injected if i.kind == "exact"]
    # an exact copy is one article: the copy's page is a duplicate of the original's
    assert all(by_url[i.copy_url][0] != by_url[i.original_url][0] for i in exact)
    assert all(by_url[i.copy_url][1] == by_url[i.original_url][1] for i in exact)


def _hostile_inputs(folder: Path) -> dict[str, str]:
    """One file per kind of bad input, and the quarantine reason each must get."""
    folder.mkdir()
    good = "عنوان صالح\nنشر في هسبريس يوم 12 - 03 - 2021\n\nنص صالح للمقال.\n"
    (folder / "good.txt").write_text(good, encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 64)
    (folder / "invalid_utf8.txt").write_bytes(b"\xff\xfe\xfa" + "Caf\xe9".encode("latin-1") * 50)
    with (folder / "one_line.txt").open("wb") as out:  # a 50 MB single line
        out.write(b"a" * (50 * 1024 * 1024))
    (folder / "no_text.html").write_text(
        "<html><head><title></title></head><body><script>var x=1;</script></body></html>"
    )
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    for n in range(3):
        writer.write_record(
            writer.create_warc_record(
                f"https://example.org/{n}",
                "conversion",
                payload=io.BytesIO(good.replace("صالح", f"صالح {n}").encode()),
                warc_headers_dict={"Content-Type": "text/plain"},
            )
        )
    whole = buffer.getvalue()
    (folder / "truncated.warc.wet.gz").write_bytes(whole[: len(whole) - 200])
    (folder / "broken.warc").write_bytes(
        b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: notanumber\r\n\r\n<html>"
    )
    (folder / "rows.jsonl").write_text(
        '{"text": "نص عربي كامل يكفي ليكون مقالا.", "url": "https://a.example/1"}\n'
        "{not json\n"
        '{"url": "https://a.example/3"}\n',
        encoding="utf-8",
    )
    (folder / "corrupt.parquet").write_bytes(b"PAR1" + b"\x00garbage" * 10)
    with gzip.open(folder / "bad.jsonl.gz", "wb") as out:
        out.write(b'{"text": "x"}\n')
    (folder / "bad.jsonl.gz").write_bytes((folder / "bad.jsonl.gz").read_bytes()[:15])
    return {
        "empty.txt": "empty",
        "binary.txt": "binary",
        "invalid_utf8.txt": "undecodable",
        "one_line.txt": "too_large",
        "no_text.html": "no_text",
        "truncated.warc.wet.gz": "truncated",
        "broken.warc": "broken_warc",
        "rows.jsonl": "bad_json",
        "corrupt.parquet": "bad_parquet",
        "bad.jsonl.gz": "truncated",
    }


def test_hostile_inputs_are_quarantined_and_the_run_goes_on(tmp_path: Path):
    expected = _hostile_inputs(tmp_path / "raw")
    warehouse = tmp_path / "w.duckdb"
    run_marsad([tmp_path / "raw"], warehouse)
    reasons = {}
    for source, reason in query(warehouse, "SELECT source_file, reason FROM quarantine"):
        reasons.setdefault(Path(source).name, set()).add(reason)
    for name, reason in expected.items():
        assert reason in reasons.get(name, set()), (name, reasons.get(name))
    assert reasons["rows.jsonl"] == {"bad_json", "empty"}  # row 2 broken, row 3 without text
    articles = {
        Path(f).name
        for (f,) in query(warehouse, "SELECT p.source_file FROM pages p WHERE status = 'article'")
    }
    assert {"good.txt", "truncated.warc.wet.gz", "rows.jsonl"} <= articles
    # The truncated crawl keeps the records read before the break.
    assert (
        query(
            warehouse,
            "SELECT count(*) FROM pages WHERE source_file LIKE "
            "'%truncated.warc.wet.gz' AND status IN ('article', 'duplicate')",
        )[0][0]
        >= 2
    )


@pytest.mark.parametrize("export", ["jsonl", "parquet"])
def test_export_column_names_are_configurable(tmp_path: Path, export: str):
    import polars as pl

    rows = [
        {
            "content": "مقال عن الاقتصاد في المغرب ونمو الصادرات.",
            "link": "https://x.ma/1",
            "crawl": "2024-03-01T10:00:00Z",
            "headline": "نمو الصادرات",
        }
    ]
    raw = tmp_path / "raw"
    raw.mkdir()
    if export == "jsonl":
        (raw / "e.jsonl").write_text(json.dumps(rows[0], ensure_ascii=False) + "\n")
    else:
        pl.DataFrame(rows).write_parquet(raw / "e.parquet")
    warehouse = tmp_path / "w.duckdb"
    run_marsad(
        [raw],
        warehouse,
        *("--column", "text=content", "--column", "url=link"),
        *("--column", "fetched_at=crawl", "--column", "title=headline"),
    )
    assert query(warehouse, "SELECT title, url FROM articles") == [
        ("نمو الصادرات", "https://x.ma/1")
    ]


def _parsed_export(rows: list[dict], folder: Path) -> list[str]:
    """Bodies of ``rows`` written as a JSONL export and parsed as the pipeline does."""
    from marsad.ingest.page_parsing import parse_records
    from marsad.ingest.readers import read_input, records_frame

    export = folder / "export.jsonl"
    export.write_text(
        "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8"
    )
    records = records_frame(read_input(export))
    bodies = dict(parse_records(records).select("page_id", "body").iter_rows())
    return [bodies[page_id] for page_id in records.sort("record_no")["page_id"]]


LAST_LINE = "وأوضح أنه قام بنقل زوجته إلى المستوصف."


def _chrome_cut_and_prose_kept(endings: list[str], prose: list[str], folder: Path) -> None:
    """Bodies of LAST_LINE followed by each of ``endings`` are LAST_LINE alone; ``prose``
    stays as it is."""
    contents = [LAST_LINE + ending for ending in endings] + prose
    rows = [{"title": f"عنوان {i}", "content": c} for i, c in enumerate(contents)]
    assert _parsed_export(rows, folder) == [LAST_LINE] * len(endings) + prose


def test_a_sites_tag_line_is_no_part_of_the_body(tmp_path: Path):
    """3alyoum runs its tags into an article's last line after "سمات"; prose that names سمات
    ("features") ends on punctuation and stays."""
    tag_lines = [
        " سمات تبوك جامعة تبوك ",
        "\nسمات الأمير خالد الفيصل",
        " Next Previous \u00a0 سمات النصر نايف هزازي",
        " سمات التحالف الدولي. العراق داعش سوريا ضربات ",
    ]
    prose = [
        "ويعتبره سمة من سمات تجربته كاتبا.",
        "وكان هناك 3 سمات شخصية ترتبط بانخفاض مستوى السعادة؛ وهي: التهذيب. (ترجمة هافينغتون بوست)",
        "سمات المرحلة المقبلة\nقال الوزير إن سمات المرحلة واضحة.",
        "عرضت المجسمات الجمالية",
    ]
    _chrome_cut_and_prose_kept(tag_lines, prose, tmp_path)


def test_a_wire_or_sites_sign_off_is_no_part_of_the_body(tmp_path: Path):
    """SPA signs its items off with "// انتهى //" or "// يتبع //", its time and "NNNN";
    Al-Weeam ends its articles on a line linking to themselves, Asharq Al-Awsat its teasers
    on "...المزيد". The same words inside an article stay."""
    sign_offs = [
        "\n // انتهى //\n 18:35 ت م \n ",
        "\n // يتبع //\n 11:53 ت م NNNN\n ",
        "\n \n // انتهى //\n \n \n // انتهى //\n 12:42 ت م \n ",
        "\n//انتهى//",
        "\nرابط الخبر بصحيفة الوئام: النفط يتراجع نحو 1 % في ختام التعاملات ",
        " رابط الخبر بصحيفة الوئام: صحة الرياض: انتهاء مشكلة التكييف هذا الخبر يتبع لـ"
        " طوارئ مستشفى البجادية 11:53 م - 25 يوليو 2015 أبدى عدد كبير...",
        "\n\n ...المزيد",
    ]
    prose = [
        f"{LAST_LINE}\n// انتهى //\nوفي خبر آخر قال الوزير إن العمل مستمر.",
        "قال الوزير: انتهى العمل في المشروع // يتبع",
        "رابط الخبر بصحيفة الوئام: عنوان\nونقلت الصحيفة عن مصدر أن الاجتماع تأجل.",
        "وقال المدرب إن الفريق يطمح إلى المزيد",
    ]
    _chrome_cut_and_prose_kept(sign_offs, prose, tmp_path)


def test_a_columns_contact_footer_is_no_part_of_the_body(tmp_path: Path):
    """Al-Madina's and Okaz's columns end on how to text the columnist, over one line or
    several; the e-mail before it stays, as does the same phrase inside prose or run into a
    word (وللتواصل)."""
    footers = [
        "\nللتواصل مع الكاتب ارسل رسالة SMS تبدأ بالرمز (3) ثم مسافة ثم نص الرسالة إلى 88591 -"
        " Stc 635031 - Mobily 737221 - Zain ",
        "\n\nللتواصل أرسل SMS إلى 88548 الاتصالات ،636250 موبايلي،\n 738303 زين تبدأ بالرمز 165"
        " مسافة ثم الرسالة\n ",
        "\nللتواصل مع الكاتب ارسل رسالة SMS\nتبدأ بالرمز (136) ثم مسافة ثم نص الرسالة إلى\n88591"
        " - Stc\n635031 - Mobily\n737221 - Zain ",
    ]
    email = f"{LAST_LINE}\naaljamili@yahoo.com"
    prose = [
        f"{LAST_LINE} وللتواصل أرسل رسالة SMS إلى الرقم 5555.",
        "للتواصل أرسل رسالة SMS إلى الرقم 5555 قبل نهاية الشهر، وقال المدير إن الخدمة مجانية"
        " لجميع المشتركين في المدينة وستستمر طوال العام المقبل، وأضاف أن عدد المشتركين بلغ"
        " عشرة آلاف مشترك في الأسبوع الأول، وأن الشركة ستوسع الخدمة إلى مناطق أخرى في المملكة"
        " خلال الأشهر المقبلة.",
    ]
    _chrome_cut_and_prose_kept(footers, prose, tmp_path)
    rows = [{"title": "عنوان", "content": email + "للتواصل أرسل sms إلى 88548 الاتصالات"}]
    assert _parsed_export(rows, tmp_path) == [email]


@pytest.mark.parametrize(
    ("rule", "outlets", "cut"),
    [
        # 1,743 of 3alyoum's articles write سمات: all but a few lose a tag line.
        ("SITE_TAGS", {"3alyoum"}, {"3alyoum": 1730}),
        # Al-Weeam's link line ends every article; SPA signs off 365 of its 369 items, and
        # papers that copy it 5 more; Asharq Al-Awsat's "more" link ends 115 teasers.
        (
            "SIGN_OFFS",
            {"alweeam", "was", "alyaum", "alriyadh", "aawsat"},
            {"alweeam": 2090, "was": 360, "aawsat": 115},
        ),
        # The texting footer ends 230 of Al-Madina's columns and 77 of Okaz's.
        ("CONTACT_FOOTERS", {"almadina", "okaz"}, {"almadina": 230, "okaz": 77}),
        # Okaz's share bar opens 157 of its articles, 3alyoum's "Next Previous" 261.
        ("NAVIGATION_PREFIX", {"okaz", "3alyoum"}, {"okaz": 157, "3alyoum": 261}),
    ],
)
def test_saudinewsnet_site_chrome_cut_and_nothing_else(
    tmp_path: Path, monkeypatch, rule, outlets, cut
):
    """Each rule of site chrome cuts the bodies of its outlets, and no other outlet's body
    changes, against the same parse with that rule switched off."""
    import polars as pl

    from marsad.ingest import aggregator_page, page_parsing

    module = next(m for m in (page_parsing, aggregator_page) if hasattr(m, rule))
    articles = pl.read_parquet(
        shared_file(SAUDINEWSNET), columns=["source", "title", "content"]
    ).filter((pl.col("title") != "") & (pl.col("content").str.strip_chars() != ""))
    own = pl.col("source").is_in(sorted(cut))
    sample = pl.concat([articles.filter(own), articles.filter(~own).sample(3000, seed=5)])
    bodies = _parsed_export(sample.to_dicts(), tmp_path)
    monkeypatch.setattr(module, rule, r"[^\s\S]")  # matches nothing
    uncut = _parsed_export(sample.to_dicts(), tmp_path)
    changed = Counter(
        source
        for source, body, before in zip(sample["source"], bodies, uncut, strict=True)
        if body != before
    )
    assert set(changed) <= outlets
    assert all(changed[outlet] >= least for outlet, least in cut.items()), changed
