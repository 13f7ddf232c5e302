"""The Báo cáo page (AppTest, inside the app): asks for a province and a period, then offers both files."""

from __future__ import annotations

PAGE = "pages/10_Bao_cao.py"


def test_asks_for_a_province_and_a_period(app):
    at = app()
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    assert any("Chọn **tỉnh, thành phố** và **kỳ báo cáo**" in i.value for i in at.info)


def test_generates_the_report_and_the_appendix(app):
    at = app(province="Hưng Yên", period="Quý III/2024")
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    next(t for t in at.text_input if t.label == "Số báo cáo").input("12")
    next(b for b in at.button if b.label == "Lập báo cáo").click().run(timeout=120)
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert any("Đã lập báo cáo" in s.value for s in at.success)
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Tải báo cáo (.docx)", "Tải phụ lục danh sách nhiệm vụ (.xlsx)", "Tải bản PDF"]
