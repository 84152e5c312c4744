"""Words of the dashboard in English and Arabic (the sidebar's language switch): labels,
column headers, dates with month names, and the Plotly locale of the charts."""

from __future__ import annotations

import datetime as dt

import streamlit as st

LABELS: dict[str, tuple[str, str]] = {
    "app": ("Marsad", "مرصد"),
    "coverage": ("Coverage over time", "التغطية عبر الزمن"),
    "coverage_nav": ("Coverage", "التغطية"),
    "map": ("Map", "الخريطة"),
    "articles": ("Articles", "المقالات"),
    "entities": ("Entities", "الكيانات"),
    "headlines": ("Headlines", "العناوين"),
    "outlets": ("Outlets", "المنابر"),
    "sql": ("SQL", "استعلامات"),
    "dates": ("Publication dates", "تاريخ النشر"),
    "outlet_filter": ("Outlets", "المنابر"),
    "outlet_country": ("Outlet country", "بلد المنبر"),
    "topics": ("Topics", "المواضيع"),
    "countries": ("Countries", "البلدان"),
    "country_mode": ("Countries count when", "تُحتسب البلدان"),
    "about": ("they are the subject", "موضوعًا رئيسيًا"),
    "mentioned": ("they are mentioned", "عند ذكرها"),
    "entity": ("Entity", "كيان"),
    "search": ("Search titles and bodies", "بحث في العناوين والنصوص"),
    "all": ("All", "الكل"),
    "split": ("Split by", "التقسيم حسب"),
    "granularity": ("Per", "لكل"),
    "measure": ("Show", "عرض"),
    "count": ("article counts", "عدد المقالات"),
    "share": ("share of the selection", "النسبة من المختار"),
    "download": ("Download CSV", "تنزيل CSV"),
    "no_articles": ("No articles in this selection.", "لا توجد مقالات في هذا الاختيار."),
    "drill": ("Click a point to list its articles.", "انقر على نقطة لعرض مقالاتها."),
    "reader": ("Read an article", "قراءة مقال"),
    "source": ("Source", "المصدر"),
    "copy_of": ("copy of {source}", "نقلًا عن {source}"),
    "unnamed_agencies": ("news agencies", "وكالات"),
    "whose_copy": ("Whose copy: agencies and papers credited", "نقلًا عن: الوكالات والصحف المذكورة"),
    "no_credits": (
        "No article of the selection credits an agency or a paper.",
        "لا مقال في الاختيار ينسب نصه إلى وكالة أو صحيفة.",
    ),
    "credited": ("Credited", "منسوبة"),
    "credited_share": ("Credited (%)", "منسوبة (%)"),
    "sources": ("Sources credited", "المصادر المذكورة"),
    "title": ("Title", "العنوان"),
    "date": ("Date", "التاريخ"),
    "outlet": ("Outlet", "المنبر"),
    "topic": ("Topic", "الموضوع"),
    "country": ("Country", "البلد"),
    "name": ("Name", "الاسم"),
    "type": ("Type", "النوع"),
    "text": ("Text in the article", "النص في المقال"),
    "mentions": ("Mentions", "مرات الذكر"),
    "is_about": ("Main subject", "موضوع رئيسي"),
    "yes": ("yes", "نعم"),
    "no": ("no", "لا"),
    "other": ("other", "أخرى"),
    "period": ("Period", "الفترة"),
    "articles_axis": ("Articles", "المقالات"),
    "share_axis": ("Share of the selection", "النسبة من المختار"),
    "headlines_axis": ("Headlines", "العناوين"),
    "first_seen": ("First seen", "أول ظهور"),
    "last_seen": ("Last seen", "آخر ظهور"),
    "page_count": ("Pages showing it", "عدد الصفحات"),
    "days_on_ticker": ("Days on the ticker", "أيام على الشريط"),
    "headline": ("Headline", "العنوان"),
    "median_week": ("Median week", "الأسبوع الوسيط"),
    "flag": ("Flag", "التنبيه"),
    "flag_gap": ("silent (no articles)", "صمت (لا مقالات)"),
    "flag_drop": ("drop (under half its median week)", "هبوط (أقل من نصف الأسبوع الوسيط)"),
    "flag_surge": ("surge (over twice its median week)", "ارتفاع (أكثر من ضعف الأسبوع الوسيط)"),
    "flagged_weeks": ("Flagged weeks", "أسابيع لافتة"),
    "collection_gaps": ("Weeks with no articles from any outlet", "أسابيع بلا مقالات من أي منبر"),
    "no_flags": ("No outlet week stands out.", "لا يبرز أي أسبوع لأي منبر."),
    "in_selection": ("In the selection (follows the filters)", "في الاختيار (يتبع عوامل التصفية)"),
    "in_warehouse": ("In the whole warehouse (no filter applies)", "في المستودع كله (بلا تصفية)"),
    "m_articles": ("Articles", "المقالات"),
    "m_outlets": ("Outlets", "المنابر"),
    "m_headlines": ("Ticker headlines", "عناوين الشريط"),
    "m_pages": ("Pages", "الصفحات"),
    "m_undated": ("Undated articles", "مقالات بلا تاريخ"),
    "m_quarantined": ("Quarantined pages", "صفحات في الحجر"),
    "people": ("People", "أشخاص"),
    "organisations": ("Organisations", "منظمات"),
    "places": ("Places", "أماكن"),
    "appears_with": ("Appears with", "يظهر مع"),
    "PER": ("person", "شخص"),
    "ORG": ("organisation", "منظمة"),
    "LOC": ("place", "مكان"),
    "unknown": ("unknown", "غير معروف"),
    "warehouse": ("Warehouse", "المستودع"),
    "run": ("Run", "تشغيل"),
    "refused": ("Refused", "مرفوض"),
    "schema": (
        "Tables and columns (read-only; one SELECT at a time)",
        "الجداول والأعمدة (للقراءة فقط؛ استعلام SELECT واحد في كل مرة)",
    ),
    "column": ("Column", "العمود"),
    "data_type": ("Type", "النوع"),
    "comment": ("What it holds", "المحتوى"),
    "rows_cut": ("Showing the first {n} rows.", "تُعرض أول {n} صفًا."),
}
SPLIT_LABELS = {
    "topic": ("topic", "الموضوع"),
    "country": ("country", "البلد"),
    "outlet": ("outlet", "المنبر"),
    "none": ("nothing (all articles)", "بلا تقسيم"),
}
PERIOD_LABELS = {"day": ("day", "يوم"), "week": ("week", "أسبوع"), "month": ("month", "شهر")}
MONTHS_AR = [
    "يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو",
    "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر",
]  # fmt: skip
DAYS_AR = ["الأحد", "الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت"]
# Plotly's own locale mechanism: date ticks and hovers get Arabic month and day names.
PLOTLY_ARABIC = {
    "dictionary": {},
    "format": {
        "days": DAYS_AR,
        "shortDays": DAYS_AR,
        "months": MONTHS_AR,
        "shortMonths": MONTHS_AR,
        "date": "%d/%m/%Y",
    },
}


def language() -> str:
    return st.session_state.get("lang", "en")


def arabic() -> bool:
    return language() == "ar"


def t(key: str, **values: object) -> str:
    en, ar = LABELS[key]
    text = ar if arabic() else en
    return text.format(**values) if values else text


def pick(pair: tuple[str, str]) -> str:
    return pair[1] if arabic() else pair[0]


def day(value: dt.date | dt.datetime | str | None) -> str:
    """A date as readers of the language write it: 11 Aug 2015, or 11 أغسطس 2015 isolated
    right to left, so that the text around it cannot reorder its parts (an ISO date in an
    Arabic line reads backwards: 2015-08-11 shows as 11-08-2015)."""
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    if arabic():
        return f"\u2067{value.day} {MONTHS_AR[value.month - 1]} {value.year}\u2069"
    return value.strftime("%-d %b %Y")


def plotly_config() -> dict:
    """`config` of every chart: the language's locale, and no Plotly logo."""
    config: dict = {"displaylogo": False}
    if arabic():
        config.update(locale="ar", locales={"ar": PLOTLY_ARABIC})
    return config
