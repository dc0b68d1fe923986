import pytest

from classifiers.dates import ThaiDate, find_dates, to_be
from classifiers.text import normalise


def _one(text):
    found = find_dates(normalise(text))
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    "text, year, month, day",
    [
        ("31 มีนาคม 2565", 2565, 3, 31),
        ("๓๑ มีนาคม ๒๕๖๕", 2565, 3, 31),
        ("31 มี.ค. 2565", 2565, 3, 31),
        ("31 มี. ค. 65", 2565, 3, 31),
        ("ต.ค. 64", 2564, 10, None),
        ("เดือนตุลาคม พ.ศ. 2564", 2564, 10, None),
        ("1 January 2022", None, None, None),
        ("5 ธันวาคม ค.ศ. 2021", 2564, 12, 5),
        ("15/12/2564", 2564, 12, 15),
        ("ณ วันที่ 30 ก.ย. 2565", 2565, 9, 30),
        ("ประจำเดือน พ.ย. ๖๔", 2564, 11, None),
    ],
)
def test_single_dates(text, year, month, day):
    found = find_dates(normalise(text))
    if year is None:
        assert found == []
        return
    assert len(found) == 1
    assert found[0].first == ThaiDate(year, month, day)
    assert not found[0].is_range


@pytest.mark.parametrize(
    "text, first, last",
    [
        ("1 ต.ค. 2564 – 31 มี.ค. 2565", ThaiDate(2564, 10, 1), ThaiDate(2565, 3, 31)),
        ("๑ ตุลาคม ๒๕๖๔ ถึงวันที่ ๓๐ กันยายน ๒๕๖๕", ThaiDate(2564, 10, 1), ThaiDate(2565, 9, 30)),
        ("ตุลาคม 2564 - มีนาคม 2565", ThaiDate(2564, 10), ThaiDate(2565, 3)),
        ("ต.ค. - ธ.ค. 64", ThaiDate(2564, 10), ThaiDate(2564, 12)),
        ("ต.ค. – มี.ค. 65", ThaiDate(2564, 10), ThaiDate(2565, 3)),
    ],
)
def test_ranges(text, first, last):
    d = _one(text)
    assert (d.first, d.last) == (first, last)


def test_fiscal_year_of_a_date():
    assert ThaiDate(2564, 10, 1).fiscal_year == 2565
    assert ThaiDate(2564, 12).fiscal_year == 2565
    assert ThaiDate(2565, 9, 30).fiscal_year == 2565
    assert ThaiDate(2565, None).fiscal_year == 2565


def test_years():
    assert to_be(2565) == 2565
    assert to_be(2022) == 2565
    assert to_be(65) == 2565
    assert to_be(12) is None  # a count, not a year
    assert to_be(1200) is None


def test_numbers_that_are_not_dates():
    assert find_dates(normalise("มีนาคม 15 ราย งบประมาณ 2,500,000 บาท")) == []


def test_several_in_order():
    found = find_dates(normalise("ประกาศ ณ วันที่ 5 เม.ย. 2565 อ้างถึงหนังสือลงวันที่ 1 มีนาคม 2565"))
    assert [d.first.month for d in found] == [4, 3]
