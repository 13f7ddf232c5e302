"""Topic classification on real task titles from the plans (seeds 003, 004) and the sample reports."""

from __future__ import annotations

import unicodedata

import pytest

from etl.vocab.topics import OTHER, PRIORITY, TOPICS, classify, classify_topic, find_topics, topic_by_code

# Sections as printed in the sample reports and plans.
SEC_DOCS = "Xây dựng văn bản chỉ đạo, điều hành và bố trí nhân sự"
SEC_ACTIVITIES = "Các hoạt động thông tin đối ngoại cụ thể"
SEC_BUDGET = "Kinh phí và tổ chức thực hiện"
SEC_TQ_DOCS = "Ban hành văn bản chỉ đạo, triển khai các hoạt động thông tin đối ngoại"
SEC_TRAINING = "Tập huấn, bồi dưỡng nghiệp vụ thông tin đối ngoại"
SEC_PROMOTION = "Quảng bá hình ảnh, tiềm năng, thế mạnh của tỉnh"
SEC_REFUTE = "Quản lý nhà nước và đấu tranh phản bác thông tin sai lệch"
SEC_REVIEW = "Học tập kinh nghiệm, sơ kết, tổng kết"
SEC_BORDER = "Tuyên truyền về biên giới lãnh thổ, biển, đảo"
SEC_INTEGRATION = "Tuyên truyền, truyền thông về Hội nhập quốc tế"
SEC_POLICY = "Quan điểm, chủ trương, chính sách của Đảng và Nhà nước"


@pytest.mark.parametrize(
    ("title", "section", "code"),
    [
        # sample reports (Thái Bình)
        (
            "Ban hành Quy chế quản lý nhà nước về thông tin đối ngoại trên địa bàn tỉnh Thái Bình",
            SEC_DOCS,
            "12",
        ),
        (
            "Ban hành các văn bản chỉ đạo, hướng dẫn nội dung tuyên truyền, thực hiện hoạt động thông tin đối "
            "ngoại gắn với thông tin đối nội của tỉnh",
            SEC_DOCS,
            "12",
        ),
        (
            "Tổ chức tập huấn, bồi dưỡng kiến thức, kỹ năng, nghiệp vụ về thông tin đối ngoại cho cán bộ làm "
            "công tác thông tin đối ngoại",
            SEC_DOCS,
            "11",
        ),
        (
            "Tuyên truyền đường lối, chủ trương của Đảng, chính sách, pháp luật của Nhà nước, các thành tựu "
            "phát triển kinh tế - xã hội của tỉnh",
            SEC_ACTIVITIES,
            "10",
        ),
        (
            "Xây dựng các sản phẩm, ấn phẩm phục vụ xúc tiến đầu tư, giới thiệu môi trường, chính sách, tiềm "
            "năng và cơ hội đầu tư của tỉnh",
            SEC_ACTIVITIES,
            "6",
        ),
        (
            "Đẩy mạnh hoạt động giao lưu văn hóa, nghệ thuật, khoa học, tổ chức sự kiện tại nước ngoài để quảng "
            "bá hình ảnh tỉnh Thái Bình",
            SEC_ACTIVITIES,
            "8",
        ),
        (
            "Tổ chức triển lãm số và trưng bày tư liệu về quần đảo Hoàng Sa, Trường Sa của Việt Nam tại các "
            "trường trung học trên địa bàn tỉnh",
            SEC_ACTIVITIES,
            "3",
        ),
        (
            "Đổi mới nội dung, phương thức tuyên truyền; khai thác internet, nội dung số, mạng xã hội nhằm tăng "
            "cường hiệu quả thông tin đối ngoại",
            SEC_ACTIVITIES,
            "9",
        ),
        (
            "Theo dõi, tổng hợp dư luận báo chí trong và ngoài nước viết về tỉnh Thái Bình; đấu tranh, phản bác "
            "các thông tin sai trái",
            SEC_ACTIVITIES,
            "1",
        ),
        (
            "Hỗ trợ doanh nghiệp quảng bá, xây dựng thương hiệu cho các sản phẩm chủ lực của tỉnh; tham gia hội "
            "chợ, triển lãm trong và ngoài nước",
            SEC_ACTIVITIES,
            "6",
        ),
        (
            "Bố trí kinh phí bảo đảm thực hiện các nhiệm vụ trong Kế hoạch thông tin đối ngoại năm 2019",
            SEC_BUDGET,
            "12",
        ),
        ("Đánh giá công tác thực hiện Kế hoạch, báo cáo Ủy ban nhân dân tỉnh", SEC_BUDGET, "12"),
        # sample reports (Tuyên Quang)
        (
            "Tham mưu ban hành Kế hoạch công tác thông tin đối ngoại tỉnh Tuyên Quang năm 2022",
            SEC_TQ_DOCS,
            "12",
        ),
        (
            "Cập nhật thông tin, tài liệu từ Bộ Thông tin và Truyền thông, Bộ Ngoại giao, Ủy ban Biên giới quốc "
            "gia để triển khai đến các cơ quan, đơn vị",
            SEC_TQ_DOCS,
            "12",
        ),
        (
            "Tổ chức tập huấn, bồi dưỡng nghiệp vụ thông tin đối ngoại cho cán bộ, công chức trên địa bàn tỉnh",
            SEC_TRAINING,
            "11",
        ),
        (
            "Xuất bản ấn phẩm thông tin đối ngoại bằng tiếng Việt, tiếng Anh giới thiệu về tỉnh Tuyên Quang",
            SEC_PROMOTION,
            "8",
        ),
        (
            "Tuyên truyền thông qua các đoàn ra, đoàn vào tỉnh và các hoạt động, sự kiện về chính trị, văn hóa, "
            "thương mại, du lịch",
            SEC_PROMOTION,
            "5",
        ),
        (
            "Phối hợp tổ chức họp giao ban công tác báo chí, định hướng thông tin báo chí, trong đó có công tác "
            "thông tin đối ngoại",
            SEC_REFUTE,
            "1",
        ),
        (
            "Đẩy mạnh công tác thông tin, truyền thông và thông tin đối ngoại khu vực biên giới, biển đảo",
            SEC_REFUTE,
            "3",
        ),
        (
            "Tổ chức đoàn học tập, trao đổi kinh nghiệm về hoạt động thông tin đối ngoại tại các tỉnh bạn",
            SEC_REVIEW,
            "11",
        ),
        (
            "Sơ kết, tổng kết hoạt động thông tin đối ngoại; tham mưu khen thưởng tổ chức, cá nhân có thành tích",
            SEC_REVIEW,
            "12",
        ),
        # plan of Thái Bình 2019 (seed 003)
        (
            "Tuyên truyền về các sự kiện hội nhập quốc tế nổi bật, tuyên truyền bảo vệ chủ quyền biển, đảo, "
            "phân giới cắm mốc và khu vực biên giới.",
            "Các hoạt động thông tin đối ngoại cụ thể",
            "3",
        ),
        (
            "Hỗ trợ doanh nghiệp quảng bá, xây dựng thương hiệu cho các sản phẩm chủ lực của tỉnh Thái Bình, "
            "đồng thời tăng cường xúc tiến đầu tư thương mại, tham gia các hội chợ, triển lãm trong và ngoài nước",
            None,
            "6",
        ),
        # plan of Hương Trà 2022 (seed 004)
        ("Thúc đẩy tuyên truyền đảm bảo về quyền con người tại địa phương.", SEC_POLICY, "2"),
        (
            "Đẩy mạnh công tác thông tin, tuyên truyền về đường lối, chính sách của Đảng, pháp luật của Nhà "
            "nước, đặc biệt là những chính sách liên quan đến Kiều bào",
            SEC_POLICY,
            "4",
        ),
        (
            "Triển khai các hoạt động kỷ niệm những ngày lễ lớn, năm tròn, năm chẵn trong quan hệ ngoại giao "
            "song phương và đa phương trong năm 2022.",
            SEC_POLICY,
            "10",
        ),
        (
            "Thực hiện Chiến lược bảo vệ biên giới quốc gia, chủ động nắm bắt tình hình, các hoạt động tuyên "
            "truyền sai lệch, xuyên tạc về chủ quyền biên giới, biển, đảo.",
            "Cung cấp thông tin chính thống, phản bác thông tin sai lệch",
            "1",
        ),
        (
            "Thực hiện Chiến lược bảo vệ biên giới quốc gia, chủ động nắm bắt tình hình, các hoạt động tuyên "
            "truyền sai lệch, xuyên tạc về chủ quyền biên giới, biển đảo.",
            SEC_BORDER,
            "3",
        ),
        (
            "Triển khai các nội dung hoạt động liên quan đến Chiến lược phát triển bền vững kinh tế biển Việt Nam",
            SEC_BORDER,
            "3",
        ),
        (
            "Tiếp tục thông tin, tuyên truyền những nhiệm vụ, giải pháp chủ yếu cải thiện môi trường kinh doanh "
            "và nâng cao năng lực cạnh tranh quốc gia.",
            SEC_INTEGRATION,
            "7",
        ),
        ("Phối hợp với các cơ quan, đơn vị liên quan tổ chức đón các đoàn ra, vào thị xã.", None, "5"),
        (
            "Nâng cao chất lượng trang thông tin điện tử UBND thị xã để đáp ứng yêu cầu, nhiệm vụ công tác đối "
            "ngoại.",
            None,
            "9",
        ),
        ("Thẩm định, trình UBND thị xã kinh phí để thực hiện công tác thông tin đối ngoại", None, "12"),
    ],
)
def test_classify_real_titles(title: str, section: str | None, code: str) -> None:
    assert classify(title, section).code == code
    assert classify_topic(title, section) == topic_by_code(code).label


def test_brief_examples_give_labels() -> None:
    assert (
        classify_topic(
            "Theo dõi, tổng hợp dư luận báo chí trong và ngoài nước; phản bác các thông tin sai trái"
        )
        == "Phản bác thông tin sai trái"
    )
    assert classify_topic("Tổ chức triển lãm về Hoàng Sa, Trường Sa") == "Biên giới, biển, đảo"
    assert classify_topic("Tổ chức tập huấn, bồi dưỡng nghiệp vụ") == "Tập huấn, bồi dưỡng"
    assert (
        classify_topic("Hỗ trợ doanh nghiệp quảng bá sản phẩm, tăng cường xúc tiến đầu tư thương mại")
        == "Xúc tiến đầu tư, thương mại"
    )


@pytest.mark.parametrize(
    "title",
    [
        "Bảo đảm sự lãnh đạo của Tỉnh ủy",
        "Đảm bảo kinh nghiệm chuyên môn",
        "Phối hợp Sở Giáo dục và Đào tạo tổ chức hội nghị",
        "Mời Bộ Chỉ huy Bộ đội Biên phòng tỉnh dự họp",
        "Lập danh sách đại biểu",
        "",
    ],
)
def test_ambiguous_words_do_not_make_a_topic(title: str) -> None:
    assert classify(title) is OTHER
    assert classify_topic(title) == "Khác"


def test_section_is_a_prior_for_generic_or_empty_titles() -> None:
    assert (
        classify_topic("Xuất bản ấn phẩm bằng tiếng Anh", SEC_PROMOTION)
        == "Quảng bá hình ảnh, văn hóa, du lịch"
    )
    assert classify_topic("Lập danh sách đại biểu", SEC_TRAINING) == "Tập huấn, bồi dưỡng"
    assert classify_topic("Tuyên truyền trên báo, đài", SEC_BORDER) == "Biên giới, biển, đảo"
    assert classify_topic("Tuyên truyền trên báo, đài", None) == "Tuyên truyền chủ trương, thành tựu"
    assert (
        classify_topic("Tuyên truyền trên báo, đài", SEC_ACTIVITIES) == "Tuyên truyền chủ trương, thành tựu"
    )


def test_section_breaks_ties_between_specific_topics_in_title() -> None:
    title = "Đấu tranh phản bác các luận điệu xuyên tạc về chủ quyền biển, đảo"
    assert classify(title).code == "1"
    assert classify(title, SEC_BORDER).code == "3"
    assert classify(title, SEC_TRAINING).code == "1"


def test_matching_ignores_case_diacritics_and_unicode_form() -> None:
    for text in ("TỔ CHỨC TRIỂN LÃM HOÀNG SA", "to chuc trien lam hoang sa"):
        assert classify(text).code == "3"
    assert classify(unicodedata.normalize("NFD", "Tổ chức triển lãm Hoàng Sa")).code == "3"


def test_find_topics_in_priority_order() -> None:
    text = "Tuyên truyền bảo vệ chủ quyền biển, đảo, hội nhập quốc tế; đấu tranh phản bác"
    assert [t.code for t in find_topics(text)] == ["1", "3", "7", "10"]
    assert find_topics(None) == []


def test_taxonomy_shape() -> None:
    assert [t.code for t in TOPICS] == [str(i) for i in range(1, 13)]
    assert sorted(PRIORITY, key=int) == [t.code for t in TOPICS]
    assert {t.code for t in TOPICS if t.generic} == {"8", "10"}
    assert topic_by_code("khac").label == "Khác"
    for topic in TOPICS:
        assert topic.keywords
        assert all(k == k.lower() and k.isascii() for k in topic.keywords)
        assert "dao" not in topic.keywords
