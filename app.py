"""Theo dõi kế hoạch thông tin đối ngoại: page setup, navigation, the shared filters, demo data."""

import streamlit as st

from etl import settings
from ui.filters import sidebar_filters
from ui.state import clear_cache, database

st.set_page_config(page_title="Theo dõi Kế hoạch TTĐN", page_icon=":material/public:", layout="wide")

PAGES = [
    st.Page("pages/1_Tong_quan.py", url_path="tong-quan", title="Tổng quan", icon=":material/dashboard:", default=True),
    st.Page("pages/2_Theo_don_vi.py", url_path="theo-don-vi", title="Theo đơn vị", icon=":material/apartment:"),
    st.Page("pages/3_Theo_chu_de.py", url_path="theo-chu-de", title="Theo chủ đề", icon=":material/category:"),
    st.Page("pages/4_Theo_thoi_han.py", url_path="theo-thoi-han", title="Theo thời hạn", icon=":material/event:"),
    st.Page("pages/5_Theo_tinh.py", url_path="theo-tinh", title="Theo tỉnh", icon=":material/map:"),
    st.Page("pages/6_Nhiem_vu.py", url_path="nhiem-vu", title="Nhiệm vụ", icon=":material/checklist:"),
    st.Page("pages/7_Tai_bao_cao.py", url_path="tai-bao-cao", title="Tải báo cáo", icon=":material/upload_file:"),
    st.Page("pages/8_Du_lieu.py", url_path="du-lieu", title="Dữ liệu", icon=":material/database:"),
]


@st.cache_resource(show_spinner="Đang nạp dữ liệu mẫu lần đầu…")
def _ensure_demo(db_path: str) -> int:
    from demo import ensure_demo_data

    loaded = ensure_demo_data(database())
    if loaded:
        clear_cache()
    return loaded


if settings.get("TTDN_DEMO") == "1":
    _ensure_demo(str(database().path))

page = st.navigation(PAGES)
sidebar_filters()
page.run()
