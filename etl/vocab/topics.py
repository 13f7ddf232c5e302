"""The working topic taxonomy (chủ đề) of foreign-information tasks, and the classifier.

No official taxonomy exists; this one follows DOMAIN.md. Keywords are matched as whole words on
``key`` text (lower ASCII, no diacritics, no punctuation), so "biển, đảo" and "BIỂN ĐẢO" both hit
"bien dao". Keys are multi-word where a single word is ambiguous: "dao" alone would also hit "dam bao"
(đảm bảo) and "dao tao" (đào tạo), so topic 3 uses "bien dao", "hai dao", "hoang sa", "chu quyen"...
Names of bodies that contain a topic word ("Ủy ban Biên giới quốc gia", "Bộ đội Biên phòng",
"Sở Giáo dục và Đào tạo", "Thái Bình Dương") are blanked before matching.

Topics are *specific* (1-7, 9, 11, 12: the subject or the kind of activity is unmistakable) or
*generic* (8 quảng bá, 10 tuyên truyền: words that half of all tasks contain).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from etl.vocab.text import key


@dataclass(frozen=True)
class Topic:
    """A topic: ``code`` ("1".."12", "khac"), Vietnamese ``label``, folded ``keywords``."""

    code: str
    label: str
    keywords: tuple[str, ...]
    generic: bool = False

    @property
    def pattern(self) -> re.Pattern[str]:
        return _pattern(self.keywords)


@lru_cache(maxsize=64)
def _pattern(keywords: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = sorted(keywords, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(k) for k in alternatives) + r")\b")


OTHER = Topic("khac", "Khác", ())

TOPICS: tuple[Topic, ...] = (
    Topic("1", "Phản bác thông tin sai trái", ("phan bac", "xuyen tac", "sai trai", "tin gia", "thong tin sai",
          "sai su that", "sai lech", "thu dich", "chong pha", "luan dieu", "tin xau doc", "dau tranh")),
    Topic("2", "Nhân quyền, tôn giáo, dân tộc", ("nhan quyen", "quyen con nguoi", "ton giao", "tin nguong",
          "dan toc thieu so", "chinh sach dan toc", "van de dan toc", "dan chu nhan quyen")),
    Topic("3", "Biên giới, biển, đảo", ("bien gioi", "bien dao", "hai dao", "quan dao", "hoang sa", "truong sa",
          "bien dong", "chu quyen", "bien phong", "phan gioi cam moc", "lanh tho", "kinh te bien")),
    Topic("4", "Người Việt Nam ở nước ngoài", ("kieu bao", "nguoi viet nam o nuoc ngoai", "nguoi viet o nuoc ngoai",
          "cong dong nguoi viet", "viet kieu")),
    Topic("5", "Báo chí nước ngoài, đoàn ra, đoàn vào", ("bao chi nuoc ngoai", "phong vien nuoc ngoai",
          "bao chi quoc te", "phong vien quoc te", "doan ra", "doan vao", "doan khach quoc te")),
    Topic("6", "Xúc tiến đầu tư, thương mại", ("xuc tien dau tu", "xuc tien thuong mai", "thu hut dau tu",
          "keu goi dau tu", "co hoi dau tu", "moi truong dau tu", "hoi cho", "giao thuong", "doanh nghiep")),
    Topic("7", "Hội nhập quốc tế", ("hoi nhap quoc te", "hoi nhap kinh te quoc te", "asean", "fta", "evfta",
          "cptpp", "ukvfta", "hiep dinh thuong mai", "hop tac quoc te", "dien dan quoc te", "hoi thao quoc te",
          "cam ket quoc te", "doi ngoai da phuong")),
    Topic("8", "Quảng bá hình ảnh, văn hóa, du lịch", ("quang ba", "hinh anh", "van hoa", "du lich",
          "thuong hieu", "tiem nang", "the manh", "giao luu"), generic=True),
    Topic("9", "Kênh, hạ tầng thông tin đối ngoại", ("cong thong tin", "trang thong tin", "mang xa hoi",
          "internet", "noi dung so", "nen tang so", "kenh truyen hinh", "thong tin co so", "co so du lieu",
          "website", "chuyen trang")),
    Topic("10", "Tuyên truyền chủ trương, thành tựu", ("tuyen truyen", "chu truong", "duong loi", "thanh tuu",
          "chinh sach phap luat", "thong tin chinh thong"), generic=True),
    Topic("11", "Tập huấn, bồi dưỡng", ("tap huan", "boi duong", "dao tao", "hoc tap kinh nghiem",
          "trao doi kinh nghiem")),
    Topic("12", "Văn bản chỉ đạo, kế hoạch, quy chế, sơ kết, tổng kết", ("ban hanh van ban", "ban hanh cac van ban",
          "xay dung van ban", "van ban quy pham", "van ban huong dan", "tham muu ban hanh", "quy che", "ban hanh ke hoach", "xay dung ke hoach", "ke hoach cong tac", "thuc hien ke hoach",
          "so ket", "tong ket", "khen thuong", "kinh phi", "nhan su", "phan cong", "chi dao dieu hanh")),
)  # fmt: skip

# Specific topics in priority order (most specific first), then the generic ones.
PRIORITY: tuple[str, ...] = ("1", "2", "3", "4", "5", "6", "7", "11", "12", "9", "8", "10")
_BY_CODE = {t.code: t for t in (*TOPICS, OTHER)}

_IGNORED = re.compile(
    r"\b(?:uy ban bien gioi quoc gia|bo chi huy bo doi bien phong|bo doi bien phong|bch bdbp|bdbp"
    r"|giao duc va dao tao|gd dt|(?:so|bo) van hoa the thao va du lich|so vh ?tt ?dl|so vhttdl"
    r"|phong van hoa va thong tin|trung tam van hoa thong tin va the thao)\b"
)


def topic_by_code(code: str) -> Topic:
    return _BY_CODE[code]


def find_topics(text: str | None) -> list[Topic]:
    """Every topic whose keyword occurs in the text, in priority order.

    >>> [t.code for t in find_topics("Tuyên truyền bảo vệ chủ quyền biển, đảo; đấu tranh phản bác")]
    ['1', '3', '10']
    """
    if not text:
        return []
    return list(_topics_in(key(text)))


@lru_cache(maxsize=16384)
def _topics_in(keyed: str) -> tuple[Topic, ...]:
    """``find_topics`` of a ``key`` text, remembered: a task's title recurs under every section and in
    every spelling (capitals, NFD) that has the same key, and a section's title above every task."""
    keyed = _IGNORED.sub(" ", keyed)
    return tuple(_BY_CODE[code] for code in PRIORITY if _BY_CODE[code].pattern.search(keyed))


def classify(title: str, section_title: str | None = None) -> Topic:
    """The topic of a task, using its section's title as a strong prior.

    1. the title names specific topics: the section's topic if it is one of them, else the first by
       priority ("Tổ chức tập huấn..." under "Xây dựng văn bản chỉ đạo..." is Tập huấn);
    2. otherwise the section's topic (a task "Xuất bản ấn phẩm..." under "Quảng bá hình ảnh..." is
       Quảng bá), the section's title being classified by the same keywords;
    3. otherwise the title's generic topic (Quảng bá or Tuyên truyền);
    4. otherwise Khác.
    """
    in_title = find_topics(title)
    in_section = find_topics(section_title)
    section = in_section[0] if in_section else None
    specific = [t for t in in_title if not t.generic]
    if specific:
        return section if section in specific else specific[0]
    if section is not None:
        return section
    return in_title[0] if in_title else OTHER


@lru_cache(maxsize=16384)
def classify_topic(title: str, section_title: str | None = None) -> str:
    """The Vietnamese label of a task's topic; see ``classify`` for how the section title counts.

    >>> classify_topic("Tổ chức triển lãm số và trưng bày tư liệu về quần đảo Hoàng Sa, Trường Sa")
    'Biên giới, biển, đảo'
    >>> classify_topic("Xuất bản ấn phẩm bằng tiếng Anh", "Quảng bá hình ảnh, tiềm năng, thế mạnh của tỉnh")
    'Quảng bá hình ảnh, văn hóa, du lịch'
    """
    return classify(title, section_title).label
