from classifiers.taxonomy import load_taxonomy


def test_all_43_items_in_order():
    t = load_taxonomy()
    assert t.codes() == [f"O{i}" for i in range(1, 44)]
    assert all(item.title and item.description and item.group for item in t.items)


def test_fiscal_year_offsets():
    t = load_taxonomy()
    previous = {c for c in t.codes() if t.get(c).fiscal_year_offset == -1}
    assert previous == {"O12", "O20", "O24"}
    assert t.required_fiscal_year("O20", 2565) == 2564
    assert t.required_fiscal_year("O10", 2565) == 2565


def test_o23_wants_october_to_march():
    t = load_taxonomy()
    assert t.get("O23").required_months == (10, 11, 12, 1, 2, 3)
    assert all(not t.get(c).required_months for c in t.codes() if c != "O23")


def test_sub_indicators():
    t = load_taxonomy()
    assert t.get("O1").sub_indicator == "9.1"
    assert t.get("O43").sub_indicator == "10.2"
    assert t.get("O34").sub_indicator_title == "การดำเนินการเพื่อป้องกันการทุจริต"


def _top_hint(text):
    t = load_taxonomy()
    scores = t.hint_scores(text)
    best = max(range(len(scores)), key=scores.__getitem__)
    return t.codes()[best] if scores[best] > 0 else None


def test_hints_survive_spacing_and_thai_digits():
    assert _top_hint("แบบ สขร. ๑ สรุปผลการดำเนินการ") == "O23"
    assert _top_hint("แบบสขร.1") == "O23"
    assert _top_hint("NO GIFT POLICY ประจำปี") == "O34"
    assert _top_hint("นโยบาย ไม่รับ ของขวัญ") == "O34"


def test_eplannacc_half_year_versus_annual():
    assert _top_hint("รายงานผลจากระบบ e-PlanNACC รอบ 6 เดือน") == "O40"
    assert _top_hint("รายงานผลจากระบบ e-PlanNACC ประจำปี ปัญหาอุปสรรค") == "O41"


def test_hints_fire_on_every_official_title():
    t = load_taxonomy()
    for item in t.items:
        assert _top_hint(item.title) == item.code, item.code
