"""Annotation as ingestion runs it: in this process for a few articles, over a pool of worker
processes for many; both must give the same rows for the same parts."""

import gc
import weakref

import polars as pl
import pytest

from marsad.enrich.annotation import ANNOTATION_SCHEMA, AnnotationModels, annotate_parts
from marsad.ingest.page_parsing import parse_records
from marsad.ingest.readers import read_inputs, records_frame
from marsad.limits import THAW_BATCHES, BatchCollector
from marsad.shipped import MODELS as SHIPPED
from marsad.synthetic import broken_pages, generate, write_pages

MODELS = AnnotationModels(
    SHIPPED / "topics.npz", SHIPPED / "entities.crfsuite", SHIPPED / "word_clusters.npz"
)


@pytest.fixture(scope="module")
def parts(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, pl.DataFrame]]:
    """Parsed pages as input-file parts: several small files, one file split in two
    batches, and a file of broken pages only (no article)."""
    folder = tmp_path_factory.mktemp("pages")
    write_pages(generate(40, seed=3) + broken_pages(), folder)
    files = sorted(folder.glob("*.txt"))
    parsed = parse_records(records_frame(read_inputs(files)))
    articles = parsed.filter(pl.col("parse_error").is_null())
    broken = parsed.filter(pl.col("parse_error").is_not_null())
    return [
        ("a", articles.slice(0, 5)),
        ("b", articles.slice(5, 20)),
        ("b", articles.slice(25, 10)),
        ("broken", broken),
        ("c", articles.slice(35, 5)),
    ]


def test_every_part_gets_its_own_articles_in_order(parts):
    pieces = list(annotate_parts(parts, MODELS, articles=0))
    merged = {}
    for key, frame in pieces:
        assert frame.schema == pl.Schema(ANNOTATION_SCHEMA)
        merged.setdefault(key, []).append(frame)
    assert list(merged) == ["a", "b", "broken", "c"]
    for key in merged:
        expected = sorted(
            page_id
            for k, frame in parts
            if k == key
            for page_id in frame.filter(pl.col("parse_error").is_null())["page_id"]
        )
        assert sorted(pl.concat(merged[key])["page_id"]) == expected
    assert pl.concat(merged["a"])["topic"].null_count() == 0


def _mentions_of(pages: pl.DataFrame, text: str, fields: tuple[str, ...]) -> dict[str, set]:
    """Annotated in-process: by page id, the given ``fields`` of each mention of ``text``."""
    annotated = annotate_parts([("a", pages)], MODELS, articles=0)
    rows = pl.concat([frame for _, frame in annotated])
    return {
        page_id: {tuple(m[f] for f in fields) for m in mentions if m["text"] == text}
        for page_id, mentions in zip(rows["page_id"], rows["entities"], strict=True)
    }


def test_a_club_the_text_does_not_place_is_the_outlet_country_club(parts):
    """الأهلي without a town in a Saudi paper is Jeddah's club, in an Egyptian one Cairo's;
    the outlet's country comes from parsing (``outlet_country``)."""
    pages = (
        parts[0][1]
        .head(3)
        .with_columns(
            pl.lit("فوز الأهلي").alias("title"),
            pl.lit("فاز الأهلي أمس بهدفين في الدوري.").alias("body"),
            pl.Series("outlet_country", ["SA", "EG", None]),
        )
    )
    found = _mentions_of(pages, "الأهلي", ("country_code",))
    homes = dict(zip(pages["page_id"], pages["outlet_country"], strict=True))
    assert found == {page_id: {(home,)} for page_id, home in homes.items()}


def test_a_paper_naming_itself_is_left_out_by_the_outlet_parsing_gives(parts):
    """«عكاظ» in Okaz's own article is the paper reporting, in Sabq's another paper; the
    outlet comes from parsing (``outlet_id``)."""
    pages = (
        parts[0][1]
        .head(2)
        .with_columns(
            pl.lit("وزير الصحة لـ«عكاظ»: المستشفى جاهز").alias("title"),
            pl.lit("قال وزير الصحة خالد الفالح لـ«عكاظ» إن المستشفى جاهز.").alias("body"),
            pl.Series("outlet_id", ["okaz", "sabq"]),
        )
    )
    found = _mentions_of(pages, "عكاظ", ("field", "type"))
    okaz, sabq = pages["page_id"].to_list()
    assert found[okaz] == set()
    assert found[sabq] == {("title", "ORG"), ("body", "ORG")}


def test_a_club_named_by_an_everyday_word_is_the_club_in_a_sports_story_title_too(parts):
    """النصر alone in a title is the Riyadh club where the topic model files the article
    under sport (its title has no words of sport of its own); النصر of a camp
    in a story of war is nobody's."""
    body = "وصل فريق النصر إلى لندن لخوض مباراة كأس السوبر أمام الهلال، وأكد مدرب الفريق "
    body += "أن اللاعبين جاهزون وأن الجمهور سيحضر بكثافة في الملعب."
    war = "سيطرت المقاومة على معسكر النصر وسط مدينة البيضاء بعد قصف الطيران لمواقع الحوثيين."
    pages = (
        parts[0][1]
        .head(2)
        .with_columns(
            pl.Series(
                "title", ["طائرة خاصة تنقل النصر إلى النمسا", "المقاومة تسيطر على معسكر النصر"]
            ),
            pl.Series("body", [body, war]),
            pl.lit("SA").alias("outlet_country"),
        )
    )
    annotated = annotate_parts([("a", pages)], MODELS, articles=0)
    rows = pl.concat([frame for _, frame in annotated])
    topics = dict(zip(rows["page_id"], rows["topic"], strict=True))
    found = {
        page_id: {(m["field"], m["country_code"]) for m in mentions if m["text"] == "النصر"}
        for page_id, mentions in zip(rows["page_id"], rows["entities"], strict=True)
    }
    sport, war_page = pages["page_id"].to_list()
    assert topics[sport] == "15000000"
    assert found[sport] == {("title", "SA"), ("body", "SA")}
    assert all(country is None for _, country in found[war_page])


def test_worker_pool_gives_the_same_annotations(parts, monkeypatch):
    # Small chunks so that several are in flight at once.
    monkeypatch.setattr("marsad.enrich.annotation.CHUNK_ARTICLES", 7)
    here = pl.concat([f for _, f in annotate_parts(parts, MODELS, articles=0)])
    pooled = pl.concat([f for _, f in annotate_parts(parts, MODELS, articles=10**6, workers=2)])
    assert pooled.height == here.height > 0
    assert pooled.equals(here)


def test_chunks_are_bounded_in_bytes_as_in_articles(parts, monkeypatch):
    """Long bodies make smaller chunks (a worker's memory follows the chunk's text), never an
    article left out or cut, and the annotations are the same."""
    from marsad.enrich import annotation

    whole = pl.concat([f for _, f in annotate_parts(parts, MODELS, articles=0)])
    monkeypatch.setattr(annotation, "CHUNK_BYTES", 3_000)
    chunks = list(annotation._chunks(parts))

    def text_bytes(chunk: pl.DataFrame) -> int:
        return sum(
            len((t or "").encode()) + len((b or "").encode())
            for t, b in chunk.select("title", "body").iter_rows()
        )

    assert len(chunks) > 3
    assert all(c.height == 1 or text_bytes(c) <= 3_000 for _, c in chunks)
    assert sum(c.height for _, c in chunks) == sum(f.height for _, f in parts)
    small = pl.concat([f for _, f in annotate_parts(parts, MODELS, articles=0)])
    assert small.equals(whole)


def test_a_ray_cluster_of_two_nodes_gives_the_same_annotations(parts, monkeypatch):
    """A real Ray cluster on loopback (a head and a second node, one CPU each), reached by
    address as a user's cluster would be."""
    from ray.cluster_utils import Cluster

    monkeypatch.setattr("marsad.enrich.annotation.CHUNK_ARTICLES", 7)
    here = pl.concat([f for _, f in annotate_parts(parts, MODELS, articles=0)])
    cluster = Cluster(initialize_head=True, head_node_args={"num_cpus": 1})
    try:
        cluster.add_node(num_cpus=1)
        cluster.wait_for_nodes()
        monkeypatch.setenv("MARSAD_RAY_ADDRESS", cluster.address)
        on_cluster = pl.concat([f for _, f in annotate_parts(parts, MODELS, articles=0)])
    finally:
        import ray

        ray.shutdown()
        cluster.shutdown()
    assert on_cluster.equals(here)


def test_a_local_pool_starts_its_own_ray_beside_another_one(parts, monkeypatch):
    """Another Ray instance on the machine (a user's, or a second run's): without an address
    the pool starts its own rather than join the last one started, which refused the pool's
    size (ValueError) when two test runs shared a machine."""
    from ray.cluster_utils import Cluster

    monkeypatch.setattr("marsad.enrich.annotation.CHUNK_ARTICLES", 7)
    monkeypatch.delenv("RAY_ADDRESS", raising=False)
    here = pl.concat([f for _, f in annotate_parts(parts, MODELS, articles=0)])
    other = Cluster(initialize_head=True, head_node_args={"num_cpus": 1})
    try:
        pooled = pl.concat([f for _, f in annotate_parts(parts, MODELS, articles=10**6, workers=2)])
    finally:
        other.shutdown()
    assert pooled.equals(here)


class _Cycle:
    """An object in a reference cycle: only the garbage collector frees it."""

    def __init__(self) -> None:
        self.me = self


def test_a_batch_garbage_is_collected_after_it_and_what_survives_is_frozen():
    collector = BatchCollector()
    enabled = gc.isenabled()
    kept = []
    try:
        with collector.batch():
            assert not gc.isenabled()  # no pass walks the caches mid-batch
            garbage = weakref.ref(_Cycle())
            kept.append(_Cycle())
        assert garbage() is None  # collected once the batch is done
        assert gc.get_freeze_count() > 0  # the survivors are skipped by later passes
        assert gc.isenabled() == enabled
        # A cycle that turns to garbage while frozen goes at the next thaw.
        frozen = weakref.ref(kept.pop())
        for _ in range(THAW_BATCHES - 1):
            with collector.batch():
                pass
        assert frozen() is None
    finally:
        collector.release()
    assert gc.get_freeze_count() == 0


def test_the_last_batch_of_a_process_leaves_the_collector_off():
    """A process that ends after its last batch makes no pass over what the batch left: not
    after it, nor at exit (the collector stays off, all is frozen)."""
    collector = BatchCollector()
    enabled, frozen = gc.isenabled(), gc.get_freeze_count()
    try:
        with collector.batch(last=True):
            garbage = weakref.ref(_Cycle())
        assert not gc.isenabled() and garbage() is not None
        assert gc.get_freeze_count() > frozen and collector.batches == 0
    finally:
        collector.release()
        if enabled:
            gc.enable()
        gc.collect()
    assert garbage() is None


def _blas_threads() -> set[int]:
    from threadpoolctl import threadpool_info

    return {pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"}


def test_a_worker_multiplies_on_one_blas_thread_and_gives_the_rest_back(parts, monkeypatch):
    """Annotation's matrix products are small: a second BLAS thread only burns the core that
    another worker (or the rest of the run) needs."""
    from marsad.enrich import annotation

    before, during = _blas_threads(), []
    real = annotation._annotate_chunk

    def watched(chunk, models):
        during.append(_blas_threads())
        return real(chunk, models)

    monkeypatch.setattr(annotation, "_annotate_chunk", watched)
    assert sum(len(a) for _, a in annotate_parts(parts, MODELS, articles=0)) > 0
    assert during and all(threads == {1} for threads in during)
    assert _blas_threads() == before  # the process goes on with its own setting


def test_the_in_process_path_leaves_the_collector_as_it_found_it(parts):
    list(annotate_parts(parts, MODELS, articles=0))
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0
