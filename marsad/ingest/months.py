"""Month names as each region writes them, Gregorian and Hijri: the date parser's
(``marsad.ingest.dates``) and the entity rules' (a month is not a person). Kept apart from the
parser so that the tagger reads them without loading Polars.
"""

from __future__ import annotations

# Month names as written in each region; matched after ``normalize`` (so أ/ا, ة/ه, ى/ي fold).
MONTH_NAMES: dict[int, tuple[str, ...]] = {
    1: ("يناير", "جانفي", "كانون الثاني", "ينير", "January", "Jan"),
    2: ("فبراير", "فيفري", "شباط", "فبرير", "February", "Feb"),
    3: ("مارس", "آذار", "March", "Mar"),
    4: ("أبريل", "إبريل", "أفريل", "نيسان", "April", "Apr"),
    5: ("مايو", "ماي", "أيار", "May"),
    6: ("يونيو", "يونيه", "جوان", "حزيران", "June", "Jun"),
    7: ("يوليو", "يوليوز", "يوليه", "جويلية", "تموز", "July", "Jul"),
    8: ("أغسطس", "غشت", "أوت", "آب", "August", "Aug"),
    9: ("سبتمبر", "شتنبر", "أيلول", "September", "Sep", "Sept"),
    10: ("أكتوبر", "تشرين الأول", "October", "Oct"),
    11: ("نوفمبر", "نونبر", "تشرين الثاني", "November", "Nov"),
    12: ("ديسمبر", "دجنبر", "كانون الأول", "December", "Dec"),
}

# Hijri months (Umm al-Qura calendar), with the usual alternative spellings.
HIJRI_MONTH_NAMES: dict[int, tuple[str, ...]] = {
    1: ("محرم", "المحرم"),
    2: ("صفر",),
    3: ("ربيع الأول", "ربيع الاول", "ربيع أول"),
    4: ("ربيع الآخر", "ربيع الثاني", "ربيع ثاني", "ربيع آخر"),
    5: ("جمادى الأولى", "جمادى الأول", "جمادى الاولى"),
    6: ("جمادى الآخرة", "جمادى الثانية", "جمادى الآخر", "جمادى الثاني"),
    7: ("رجب",),
    8: ("شعبان",),
    9: ("رمضان",),
    10: ("شوال",),
    11: ("ذو القعدة", "ذي القعدة"),
    12: ("ذو الحجة", "ذي الحجة"),
}
