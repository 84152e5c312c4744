import datetime as dt

import polars as pl
import pytest

from marsad.ingest.dates import date_flag, parse_date
from marsad.ingest.months import MONTH_NAMES
from marsad.synthetic import REGIONAL_MONTHS


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("31 - 05 - 2020", dt.date(2020, 5, 31)),
        ("1 - 2 - 2021", dt.date(2021, 2, 1)),
        ("31/05/2020", dt.date(2020, 5, 31)),
        ("٣١ - ٠٥ - ٢٠٢٠", dt.date(2020, 5, 31)),
        ("۳۱ - ۰۵ - ۲۰۲۰", dt.date(2020, 5, 31)),
        ("2020-05-31", dt.date(2020, 5, 31)),
        ("31 ماي 2020", dt.date(2020, 5, 31)),
        ("٣١ ماي ٢٠٢٠", dt.date(2020, 5, 31)),
        ("الأحد 31 ماي 2020", dt.date(2020, 5, 31)),
        ("12 أيار/مايو 2020", dt.date(2020, 5, 12)),
        ("12 أيار (مايو) 2020", dt.date(2020, 5, 12)),
        ("5 كانون الثاني 2021", dt.date(2021, 1, 5)),
        ("5 كانون الأول 2021", dt.date(2021, 12, 5)),
        ("7 تشرين الأول 2022", dt.date(2022, 10, 7)),
        ("7 تشرين الثاني 2022", dt.date(2022, 11, 7)),
        ("3 اغسطس 2019", dt.date(2019, 8, 3)),
        ("3 أغسطس، 2019", dt.date(2019, 8, 3)),
        ("9 دجنبر 2017", dt.date(2017, 12, 9)),
        ("9 June 2017", dt.date(2017, 6, 9)),
    ],
)
def test_written_dates(written, expected):
    assert parse_date(written) == expected


@pytest.mark.parametrize("region", sorted(REGIONAL_MONTHS))
def test_every_regional_month_name(region):
    for number, name in enumerate(REGIONAL_MONTHS[region], start=1):
        assert parse_date(f"15 {name} 2021") == dt.date(2021, number, 15), name


def test_every_listed_spelling_parses():
    for number, names in MONTH_NAMES.items():
        for name in names:
            assert parse_date(f"2 {name} 2022") == dt.date(2022, number, 2), name


@pytest.mark.parametrize("written", ["31 - 06 - 2020", "30 فبراير 2020", "قبل ساعتين", "", "2020"])
def test_impossible_or_missing_dates_are_null(written):
    assert parse_date(written) is None


def test_date_flags():
    today = dt.date(2026, 11, 29)
    frame = pl.DataFrame(
        {
            "written": [None, "x", "2099-01-01", "1985-01-01", "2020-05-31"],
            "date": [None, None, dt.date(2099, 1, 1), dt.date(1985, 1, 1), dt.date(2020, 5, 31)],
        }
    )
    flags = frame.select(date_flag(pl.col("date"), pl.col("written"), today))
    assert flags.to_series().to_list() == ["missing", "unparsed", "future", "too_old", "ok"]


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("8 شوال 1441 هـ", dt.date(2020, 5, 31)),
        ("1 محرم 1445", dt.date(2023, 7, 19)),
        ("15 ربيع الآخر 1442", dt.date(2020, 11, 30)),
        ("الأحد 12 رمضان 1441 هـ الموافق 5 مايو 2020", dt.date(2020, 5, 5)),  # Gregorian wins
        ("30 ذو الحجة 1440", None),  # that month had 29 days
    ],
)
def test_hijri_dates(written, expected):
    assert parse_date(written) == expected
