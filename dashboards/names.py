"""What the dashboard shows instead of codes: country names in English and Arabic (ISO 3166
from pycountry and its Arabic translation, shortened to the names newsrooms use) and ISO
alpha-3 codes for the map. Topic labels come from `marsad.enrich.topics.topic_label`."""

from __future__ import annotations

import functools
import gettext
import re

import polars as pl
import pycountry

from dashboards import queries
from dashboards.i18n import language, t
from marsad.enrich.topics.taxonomy import topic_label

# Where pycountry's names are formal ("Iran, Islamic Republic of"), missing, or not what an
# Arabic newsroom writes: the names used instead, as (English, Arabic).
SHORT_NAMES: dict[str, tuple[str, str]] = {
    "AE": ("United Arab Emirates", "الإمارات"),
    "BN": ("Brunei", "بروناي"),
    "BO": ("Bolivia", "بوليفيا"),
    "BY": ("Belarus", "بيلاروس"),
    "CD": ("DR Congo", "الكونغو الديمقراطية"),
    "CG": ("Congo", "الكونغو"),
    "DO": ("Dominican Republic", "الدومينيكان"),
    "FK": ("Falkland Islands", "جزر فوكلاند"),
    "GB": ("United Kingdom", "بريطانيا"),
    "HU": ("Hungary", "المجر"),
    "IM": ("Isle of Man", "جزيرة مان"),
    "IR": ("Iran", "إيران"),
    "KP": ("North Korea", "كوريا الشمالية"),
    "KR": ("South Korea", "كوريا الجنوبية"),
    "LA": ("Laos", "لاوس"),
    "LT": ("Lithuania", "ليتوانيا"),
    "MD": ("Moldova", "مولدوفا"),
    "ME": ("Montenegro", "الجبل الأسود"),
    "NI": ("Nicaragua", "نيكاراغوا"),
    "PS": ("Palestine", "فلسطين"),
    "RS": ("Serbia", "صربيا"),
    "RU": ("Russia", "روسيا"),
    "SA": ("Saudi Arabia", "السعودية"),
    "SH": ("Saint Helena", "سانت هيلينا"),
    "SX": ("Sint Maarten", "سانت مارتن"),
    "SY": ("Syria", "سوريا"),
    "TR": ("Turkey", "تركيا"),
    "TW": ("Taiwan", "تايوان"),
    "TZ": ("Tanzania", "تنزانيا"),
    "US": ("United States", "الولايات المتحدة"),
    "VE": ("Venezuela", "فنزويلا"),
    "VG": ("British Virgin Islands", "جزر العذراء البريطانية"),
    "VI": ("US Virgin Islands", "جزر العذراء الأمريكية"),
    "VN": ("Vietnam", "فيتنام"),
    "XK": ("Kosovo", "كوسوفو"),
}
ISO3_EXTRA = {"XK": "XKX"}
_MARKS = re.compile("[\u064b-\u0652\u0670]")  # harakat, shadda, sukun: not in display names


@functools.cache
def _arabic() -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ar"])


@functools.cache
def country_name(code: str | None, language: str = "en") -> str:
    """Short display name of an ISO alpha-2 country code; the code itself where unknown."""
    if not code:
        return "غير معروف" if language == "ar" else "unknown"
    if code in SHORT_NAMES:
        return SHORT_NAMES[code][language == "ar"]
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    if language == "ar":
        return _MARKS.sub("", _arabic().gettext(country.name)).replace(" و ", " و")
    return getattr(country, "common_name", None) or country.name


def country_iso3(code: str | None) -> str | None:
    """ISO alpha-3 code (the map's country ids) of an alpha-2 code."""
    if not code:
        return None
    country = pycountry.countries.get(alpha_2=code)
    return country.alpha_3 if country else ISO3_EXTRA.get(code)


def series_labels(coverage: pl.DataFrame, split: str) -> dict[str, str]:
    """Legend and hover names of a coverage frame's series: topics and countries by name,
    "other (N)" for the series beyond the top ones, and the unknown outlet."""
    labels = {queries.OTHER: f"{t('other')} ({int(coverage['hidden'][0])})"}
    labels |= {queries.UNKNOWN: t("unknown"), queries.ALL: t("articles")}
    name = {"topic": topic_label, "country": country_name}.get(split)
    if name:
        labels |= {
            code: name(code, language())
            for code in coverage["series"].unique()
            if code not in (queries.OTHER, queries.UNKNOWN)
        }
    return labels


def distinct_names(entities: pl.DataFrame, language: str = "en") -> pl.DataFrame:
    """Entities with their ``name`` told apart where the warehouse holds several of it
    (``namesakes``, from ``queries.top_entities``), shown or not: the clubs of several
    countries called الأهلي are named with their country (الأهلي (مصر)); the name of no known
    country (the texts that settle none) stays as it is."""
    return entities.with_columns(
        pl.Series(
            "name",
            [
                f"{name} ({country_name(code, language)})" if namesakes > 1 and code else name
                for name, code, namesakes in entities.select(
                    "name", "country_code", "namesakes"
                ).iter_rows()
            ],
            pl.String,
        )
    ).drop("namesakes")
