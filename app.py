"""Theo dõi kế hoạch thông tin đối ngoại: page setup, navigation, the shared filters, demo data."""

import streamlit as st

from display.vietnamese import vietnamese_css, vietnamese_script
from ui.auth import gate, user_box
from ui.filters import sidebar_filters
from ui.navigation import app_pages, reads_filters
from ui.startup import demo_ready

# The icon is served by this server (static/, an office network may not reach the internet), by its
# address: given as a file, Streamlit would read and re-encode the image on every run.
st.set_page_config(page_title="Theo dõi Kế hoạch TTĐN", page_icon="/app/static/icon.png", layout="wide")


# Who is looking: a user, the anonymous guest, or nobody (the login page is shown and the run stops).
user = gate()
# Navigation first: until st.navigation has run once, Streamlit shows the legacy list of pages/.
page = st.navigation(app_pages(user), expanded=True)  # every page listed: no English "View N more"
# The demo data of an empty database loads in the background from the server's start (ui/startup.py).
if not (demo := demo_ready()).done():
    with st.spinner("Đang nạp dữ liệu mẫu lần đầu (khoảng mười giây)…"):
        demo.result()
user_box(user)
st.html(vietnamese_css())
# The data tables' tooltips and menus; in the sidebar: an invisible element, not the page's first one.
st.sidebar.html(vietnamese_script(), unsafe_allow_javascript=True)
if reads_filters(page.url_path):
    sidebar_filters()
page.run()
