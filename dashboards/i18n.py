"""Labels of the dashboard in English and Arabic (the sidebar's language switch)."""

from __future__ import annotations

import streamlit as st

LABELS: dict[str, tuple[str, str]] = {
    "coverage": ("Coverage", "التغطية"),
    "map": ("Map", "الخريطة"),
    "articles": ("Articles", "المقالات"),
    "entities": ("Entities", "الكيانات"),
    "headlines": ("Headlines", "العناوين"),
    "outlets": ("Outlets", "المنابر"),
    "sql": ("SQL", "استعلام SQL"),
    "language": ("Language", "اللغة"),
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
    "title": ("Title", "العنوان"),
    "date": ("Date", "التاريخ"),
    "outlet": ("Outlet", "المنبر"),
    "topic": ("Topic", "الموضوع"),
}
SPLIT_LABELS = {
    "topic": ("topic", "الموضوع"),
    "country": ("country", "البلد"),
    "outlet": ("outlet", "المنبر"),
    "none": ("nothing (all articles)", "بلا تقسيم"),
}
PERIOD_LABELS = {"day": ("day", "يوم"), "week": ("week", "أسبوع"), "month": ("month", "شهر")}


def language() -> str:
    return st.session_state.get("lang", "en")


def t(key: str) -> str:
    en, ar = LABELS[key]
    return ar if language() == "ar" else en


def pick(pair: tuple[str, str]) -> str:
    return pair[1] if language() == "ar" else pair[0]
