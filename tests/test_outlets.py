import polars as pl

from marsad.ingest.outlets import registry, resolve_outlets


def resolve(written, hint=None, url=None) -> dict:
    frame = pl.DataFrame(
        {"w": [written], "h": [hint], "u": [url]},
        schema={"w": pl.String, "h": pl.String, "u": pl.String},
    )
    return resolve_outlets(frame, "w", "h", "u").row(0, named=True)


def test_registry_is_well_formed():
    outlets = registry()
    assert outlets["outlet_id"].is_unique().all()
    assert outlets["country"].str.contains(r"^[A-Z]{2}$").all()


def test_byline_spellings_map_to_the_canonical_outlet():
    assert resolve("كاب24 تيفي")["outlet_name"] == "كاب 24 تيفي"
    assert resolve("كاب24 تيفي")["outlet"] == "كاب24 تيفي"  # as the page credits it
    assert resolve("Le 360")["outlet_id"] == "le360"
    assert resolve("هيسبريس")["outlet_name"] == "هسبريس"


def test_url_slug_of_an_aggregator_names_the_outlet():
    row = resolve("جريدة لا يعرفها السجل", url="https://www.maghress.com/hespress/1234")
    assert (row["outlet_id"], row["outlet_source"]) == ("hespress", "url")


def test_ambiguous_name_resolved_by_the_aggregator_country():
    assert resolve("الشروق", url="https://www.masress.com/shorouk/1")["outlet_country"] == "EG"
    assert resolve("الشروق", url="https://www.djazairess.com/echorouk/1")["outlet_country"] == "DZ"


def test_unknown_outlet_kept_as_written():
    row = resolve("صحيفة الغد المشرق")
    assert (row["outlet"], row["outlet_id"], row["outlet_source"]) == (
        "صحيفة الغد المشرق",
        None,
        "byline",
    )


def test_site_metadata_when_no_byline():
    assert resolve(None, hint="اليوم السابع")["outlet_id"] == "youm7"
    assert resolve(None, url="https://www.youm7.com/story/1")["outlet_source"] == "url"


def test_saudinewsnet_sources_are_named_as_their_articles_credit_them():
    """3alyoum's articles credit عين اليوم (Ain Alyoum, "رغد عشميل – عين اليوم"); the
    registry once named it عاجل, a word ("urgent") and no outlet of SaudiNewsNet."""
    row = resolve(None, hint="Ain Alyoum", url="http://3alyoum.com/archives/1")
    assert (row["outlet_id"], row["outlet_name"]) == ("3alyoum", "عين اليوم")
    assert resolve("عين اليوم")["outlet_id"] == "3alyoum"
    assert resolve("عاجل")["outlet_id"] is None
